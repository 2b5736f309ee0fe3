"""Fixtures for Sheets' tests: one real server per session, a fresh world per test."""

from __future__ import annotations

import pytest

from .server import SheetsServer, SheetsWorld, start


@pytest.fixture(scope="session")
def sheets_server(tmp_path_factory) -> SheetsServer:
    server, stop = start(tmp_path_factory.mktemp("sheets-data"))
    yield server
    stop()


@pytest.fixture
def sheets_world(sheets_server: SheetsServer) -> SheetsWorld:
    return sheets_server.new_world()


@pytest.fixture
def sheets_page(browser):
    """A page in a fresh context of pytest-playwright's shared browser (launched by tests/conftest.py)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
