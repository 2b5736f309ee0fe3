"""Fixtures for recorder tests: the sandbox's app URLs and a recorded browser context."""

from __future__ import annotations

import pytest

from mock_apps.core.settings import APP_NAMES
from recorder.session import begin
from recording_flows import trainer_files_invoice


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


@pytest.fixture(scope="session")
def recorded(browser, sandbox, tmp_path_factory):
    """One recording of the invoice task, shared by the divergence tests (they only read it)."""
    urls = {app: sandbox.url(app) for app in APP_NAMES}
    out = tmp_path_factory.mktemp("recorded") / "traj"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    recorder = begin(context, out, urls, "recorded-src", start_pages=("mail:/",), shots=False)
    trainer_files_invoice(recorder, context.pages[0])
    recorder.stop()
    context.close()
    return out, urls
