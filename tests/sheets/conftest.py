"""Sheets' fixtures on the shared sandbox (tests/conftest.py: `sandbox`, `world`, `world_page`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def sheets_url(world) -> str:
    """The Sheets app in the test's world, path-prefixed (/w/<world>): requests and API clients need no cookie."""
    return world.api_url("sheets")
