"""Fixtures for recorder tests: the sandbox's app URLs and a recorded browser context."""

from __future__ import annotations

import pytest

from mock_apps.core.settings import APP_NAMES


@pytest.fixture
def app_urls(sandbox) -> dict[str, str]:
    """Base URL of each app in the session's sandbox."""
    return {app: sandbox.url(app) for app in APP_NAMES}


@pytest.fixture
def record_context(browser):
    """A fresh browser context to record in."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    yield context
    context.close()
