"""The portal and the shell in a real browser: create a world, switch to it, walk the app switcher."""

from __future__ import annotations

import re

import requests

from mock_apps.core.world import WorldRegistry

TOKEN = {"Authorization": "Bearer xoxp-dana.whitfield"}


def test_create_world_in_portal_then_walk_every_app(page, sandbox):
    page.goto(sandbox.url("portal") + "/")
    page.get_by_label("New world id").fill("trainer-ana")
    page.get_by_role("button", name="Create world").click()
    page.get_by_text("Created world trainer-ana.").wait_for()
    assert page.locator("tr[data-world=trainer-ana]").get_by_text("(current)").is_visible()

    page.get_by_test_id("open-mail").click()
    page.wait_for_url(re.compile(re.escape(sandbox.url("mail"))))
    assert page.get_by_test_id("world-id").inner_text() == "trainer-ana"
    for app in ("chat", "sheets", "books", "mail", "portal"):
        page.get_by_role("navigation", name="Apps").get_by_test_id(f"switch-{app}").click()
        page.wait_for_url(re.compile(re.escape(sandbox.url(app))))
        assert page.get_by_test_id("world-id").inner_text() == "trainer-ana"
        assert page.locator("#main").is_visible() and page.get_by_role("link", name="Skip to content").count() == 1


def test_portal_reset_button_and_bad_world_id(page, sandbox):
    registry = WorldRegistry.for_settings(sandbox.settings)
    registry.reset("portal-reset")
    chat = f"{sandbox.url('chat')}/w/portal-reset"
    before = requests.get(f"{sandbox.url('chat')}/_control/worlds/portal-reset/state", timeout=30).json()
    channels = requests.get(f"{chat}/api/conversations.list", headers=TOKEN, timeout=30).json()["channels"]
    requests.post(f"{chat}/api/chat.postMessage", headers=TOKEN,
                  json={"channel": channels[0]["id"], "text": "to be undone"}, timeout=30).raise_for_status()

    page.goto(sandbox.url("portal") + "/")
    page.get_by_role("button", name="Reset portal-reset").click()
    page.get_by_text("Reset world portal-reset.").wait_for()
    after = requests.get(f"{sandbox.url('chat')}/_control/worlds/portal-reset/state", timeout=30).json()
    assert after == before

    worlds_before = registry.list()
    page.get_by_label("New world id").evaluate("el => el.removeAttribute('pattern')")  # past the browser's check
    page.get_by_label("New world id").fill("Not Valid")
    page.get_by_role("button", name="Create world").click()
    assert page.get_by_role("alert").inner_text().startswith("malformed world id 'Not Valid'")
    page.get_by_label("New world id").fill("portal-reset")
    page.get_by_role("button", name="Create world").click()
    assert "already exists" in page.get_by_role("alert").inner_text()
    assert registry.list() == worlds_before
