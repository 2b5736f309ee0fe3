"""Stored script never runs: HTML and script saved through each app's API, then opened in Chromium with a dialog
listener. Mail's message bodies are covered by tests/mail/test_mail_hostile.py (rendered inert, same listener)."""

from __future__ import annotations

import re

import pytest
import requests

from .writers import BOOKS_TOKEN, CHAT_TOKEN, REALM

PAYLOAD = "<script>alert('stored')</script><img src=x onerror=\"alert('img')\"><b>bold?</b>"


def _watch(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


@pytest.mark.slow
def test_chat_message_with_script_shows_as_text(world_page, world):
    base = world.api_url("chat")
    channels = requests.get(f"{base}/api/conversations.list", headers=CHAT_TOKEN, timeout=30).json()["channels"]
    general = next(c["id"] for c in channels if c["name"] == "general")
    sent = requests.post(f"{base}/api/chat.postMessage", headers=CHAT_TOKEN, timeout=30,
                         json={"channel": general, "text": PAYLOAD}).json()
    assert sent["ok"], sent
    dialogs = _watch(world_page)
    world_page.goto(f"{world.url('chat')}/archives/{general}")
    world_page.wait_for_load_state("load")
    assert "alert('stored')" in world_page.locator("main").inner_text()  # shown, as text
    assert world_page.locator("main script:not([src])").filter(has_text="stored").count() == 0
    assert dialogs == []


@pytest.mark.slow
def test_sheet_cell_with_script_shows_as_text(world_page, world):
    base = world.api_url("sheets")
    created = requests.post(f"{base}/v4/spreadsheets", json={"properties": {"title": "Hostile"}}, timeout=30).json()
    requests.put(f"{base}/v4/spreadsheets/{created['spreadsheetId']}/values/A1:B1", timeout=30,
                 params={"valueInputOption": "USER_ENTERED"},
                 json={"values": [[PAYLOAD, "=\"<img src=x onerror=alert(1)>\""]]}).raise_for_status()
    dialogs = _watch(world_page)
    world_page.goto(f"{world.url('sheets')}/d/{created['spreadsheetId']}")
    world_page.wait_for_load_state("load")
    assert "alert('stored')" in world_page.locator("main").inner_text()
    world_page.get_by_text(re.compile(r"alert\('stored'\)")).first.click()  # selecting the cell runs nothing
    assert dialogs == []


@pytest.mark.slow
def test_books_memo_with_script_shows_as_text(world_page, world):
    created = requests.post(f"{world.api_url('books')}/v3/company/{REALM}/customer", headers=BOOKS_TOKEN, timeout=30,
                            json={"DisplayName": f"Hostile {PAYLOAD}"[:100], "Notes": PAYLOAD})
    assert created.status_code == 200, created.text
    customer = created.json()["Customer"]["Id"]
    dialogs = _watch(world_page)
    for path in ("/customers", f"/contacts/{customer}"):
        world_page.goto(f"{world.url('books')}{path}")
        world_page.wait_for_load_state("load")
        assert "alert('stored')" in world_page.locator("main").inner_text(), path
    assert dialogs == []
