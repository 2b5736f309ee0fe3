"""One small write per app through its real public API, tagged with a marker that lands in the change log."""

from __future__ import annotations

import base64
from typing import Callable

import requests

CHAT_TOKEN = {"Authorization": "Bearer xoxp-dana.whitfield"}
BOOKS_TOKEN = {"Authorization": "Bearer reliability"}
REALM = "9341452298761234"  # the scenario company's realm id
PEOPLE_TOKEN = {"Authorization": "Bearer wd-dana.whitfield"}  # Workday-style: acts as that worker
TENANT = "meridian"


def _mail(base: str, marker: str, http: requests.Session) -> requests.Response:
    raw = (f"From: vendor@supplier.test\r\nTo: dana.whitfield@meridiansupply.com\r\nSubject: {marker}\r\n"
           f"Content-Type: text/plain; charset=utf-8\r\n\r\nbody of {marker}\r\n").encode()
    return http.post(f"{base}/gmail/v1/users/me/messages", timeout=30,
                     json={"raw": base64.urlsafe_b64encode(raw).decode(), "labelIds": ["INBOX"]})


def _chat(base: str, marker: str, http: requests.Session) -> requests.Response:
    # C-ids are the scenario's, the same in every world; #general is looked up once per base
    channel = _general.get(base.split("/w/")[0])
    if channel is None:
        listed = http.get(f"{base}/api/conversations.list", headers=CHAT_TOKEN, params={"limit": 200}, timeout=30)
        if listed.status_code != 200 or not listed.json().get("ok"):
            return listed
        channel = _general[base.split("/w/")[0]] = next(
            c["id"] for c in listed.json()["channels"] if c["name"] == "general")
    return http.post(f"{base}/api/chat.postMessage", headers=CHAT_TOKEN, timeout=30,
                     json={"channel": channel, "text": marker})


_general: dict[str, str] = {}


def _sheets(base: str, marker: str, http: requests.Session) -> requests.Response:
    return http.post(f"{base}/v4/spreadsheets", json={"properties": {"title": marker}}, timeout=30)


def _books(base: str, marker: str, http: requests.Session) -> requests.Response:
    return http.post(f"{base}/v3/company/{REALM}/customer", headers=BOOKS_TOKEN, timeout=30,
                     json={"DisplayName": marker})


def _people(base: str, marker: str, http: requests.Session) -> requests.Response:
    # a draft expense report through Workday's expense API: its memo lands in the operation's arguments
    return http.post(f"{base}/ccx/api/expense/v1/{TENANT}/reports", headers=PEOPLE_TOKEN, timeout=30,
                     json={"memo": marker, "lines": []})


# app -> write(base URL with /w/<world>, marker, session): every app is written to through its public API
WRITERS: dict[str, Callable[[str, str, requests.Session], requests.Response]] = {
    "mail": _mail, "chat": _chat, "sheets": _sheets, "books": _books, "people": _people}
