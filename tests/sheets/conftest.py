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
