"""Fixtures for the portal with accounts: a second portal, accounts on, serving the session sandbox's data and
apps (same host, so the cookies it sets reach every app), and a crew of people (admin, two trainers, a reviewer)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from werkzeug.serving import make_server

from campaign_crew import AccountsPortal, Crew, make_person


@pytest.fixture(scope="session")
def accounts_portal(sandbox, tmp_path_factory) -> AccountsPortal:
    """The portal with MOCKAPPS_ACCOUNTS on, over the session sandbox (its data directory and apps)."""
    from mock_apps.core.template import ensure_templates
    from mock_apps.portal import create_app

    # the campaign tasks' scenario built once up front: a fresh data folder's first Start builds it (tens of
    # seconds on a loaded 2-core machine), longer than a click waits for its page
    ensure_templates(sandbox.settings.templates_dir, "meridian")
    folder = tmp_path_factory.mktemp("campaign-recordings")
    settings = replace(sandbox.settings, trajectory_dirs=(folder,))
    app = create_app({"settings": settings, "MOCKAPPS_ACCOUNTS": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    yield AccountsPortal(f"http://127.0.0.1:{server.server_address[1]}", settings)
    server.shutdown()
    server.server_close()


@pytest.fixture
def crew(accounts_portal) -> Crew:
    """An admin, two trainers and a reviewer on the accounts portal."""
    settings = accounts_portal.settings
    return Crew(accounts_portal, make_person(settings, "admin"), make_person(settings, "trainer"),
                make_person(settings, "trainer"), make_person(settings, "reviewer"))
