"""Fixtures for Chat's tests: one real server per session, a fresh world per test, a Chromium page."""

from __future__ import annotations

import pytest

from .browser_thread import BrowserThread
from .server import ChatServer, ChatWorld, start


@pytest.fixture(scope="session")
def chat_server(tmp_path_factory) -> ChatServer:
    server, stop = start(tmp_path_factory.mktemp("chat-data"))
    yield server
    stop()


@pytest.fixture
def chat_world(chat_server: ChatServer) -> ChatWorld:
    return chat_server.new_world()


@pytest.fixture(scope="module")
def chat_browser():
    """Chromium in a worker thread of its own (see browser_thread.py for why)."""
    browser = BrowserThread()
    yield browser
    browser.close()
