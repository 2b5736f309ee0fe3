"""Hostile input at every write operation of every app (5 MB bodies, deep JSON, invalid UTF-8, wrong content
types, NaN/overflow numbers) and traversal in the world id: refused in the real service's way (a 4xx; Slack's
Web API answers 200 with ok=false), never a 5xx, and an unchanged change log.
App-specific hostile input (formulas, MIME, attachment ids) lives in each app's tests."""

from __future__ import annotations

import pytest
import requests

from mock_apps.core.registry import app_spec
from mock_apps.core.settings import APP_NAMES

from .hostile import BODIES, WORLD_IDS, send, write_operations


@pytest.mark.slow
@pytest.mark.parametrize("app", APP_NAMES)
def test_hostile_bodies_are_refused_and_change_nothing(world, app):
    base = world.url(app)
    paths = write_operations(base, app_spec(app).openapi_path)
    assert paths, f"{app}'s document lists no write operation"
    before = world.changes()
    bad = []
    for path in paths:
        for name, (body, content_type) in BODIES.items():
            status = send(world.api_url(app), path, body, content_type)
            if status >= 500:
                bad.append(f"{name} -> POST {path}: {status}")
    assert not bad, "\n".join(bad)
    assert world.changes() == before


@pytest.mark.parametrize("app", APP_NAMES)
def test_traversal_in_the_world_id_is_refused(world, app):
    before = world.changes()
    for world_id in WORLD_IDS:
        for response in (requests.get(f"{world.url(app)}/", headers={"X-Mock-World": world_id}, timeout=30),
                         requests.post(f"{world.url(app)}/_control/worlds/{world_id}/reset", timeout=30)):
            assert 400 <= response.status_code < 500, (world_id, response.status_code)
    assert world.changes() == before


@pytest.mark.parametrize("app, path, params", [
    ("mail", "/gmail/v1/users/me/messages", {"q": "after:" + "\u00b2" * 9}),  # epoch seconds in superscripts
    ("chat", "/archives/C1/p" + "\u00b2" * 16, {}),  # a permalink's timestamp digits
])
def test_digits_of_other_scripts_are_bad_input_not_crashes(world, app, path, params):
    # '²'.isdigit() is true but int() refuses it: a check with isdigit() let such text through to int()
    response = requests.get(f"{world.api_url(app)}{path}", params=params, timeout=30,
                            headers={"Authorization": "Bearer xoxp-dana.whitfield"})
    assert 400 <= response.status_code < 500, response.status_code
