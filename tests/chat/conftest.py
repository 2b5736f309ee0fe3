"""Fixtures for Chat's tests: one real server per session, a fresh world per test, a Chromium page."""

from __future__ import annotations

import os

import pytest

from .server import ChatServer, ChatWorld, start


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory) -> ChatServer:
    server, stop = start(tmp_path_factory.mktemp("chat-data"))
    yield server
    stop()


@pytest.fixture
def chat_world(chat_server: ChatServer) -> ChatWorld:
    return chat_server.new_world()


_CLOSED_NETWORK_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chat_browser(playwright):
    """A headless Chromium on pytest-playwright's one Playwright instance (a second sync instance in the
    same process would fail): the project's launcher when it exists, else the system Chromium."""
    try:
        from mock_apps.core import browser as core_browser  # the project's helper, once it lands
        browser = core_browser.launch(playwright)
    except (ImportError, AttributeError):
        browser = playwright.chromium.launch(executable_path=os.environ.get("MOCKAPPS_CHROMIUM", "/usr/bin/chromium"),
                                             args=_CLOSED_NETWORK_FLAGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def chat_page(chat_browser):
    context = chat_browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
