"""Bad input to the core: each a clear 4xx (or one-line CLI error), never a 500, and nothing changed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace

import pytest
import requests

from mock_apps.core.server import PortInUse, Sandbox
from mock_apps.core.world import WorldRegistry

MALFORMED = ["UPPER", "has space", "-leading-dash", "a" * 64, "dot.dot", "semi;colon"]


@pytest.mark.parametrize("world_id", MALFORMED)
def test_malformed_world_id_in_cookie_header_and_path(sandbox, world_id):
    url = sandbox.url("mail")
    attempts = [requests.get(f"{url}/", headers={"X-Mock-World": world_id}, timeout=30),
                requests.get(f"{url}/w/{world_id}/", timeout=30)]
    if " " not in world_id and ";" not in world_id:  # a cookie cannot carry these at all
        attempts.append(requests.get(f"{url}/", cookies={"mockworld": world_id}, timeout=30))
    for response in attempts:
        assert response.status_code == 400, response.text[:300]
        assert "malformed world id" in response.text
        assert "Traceback" not in response.text
    control = requests.post(f"{url}/_control/worlds/{world_id}/reset", timeout=30)
    assert control.status_code in (400, 404)  # some ids cannot even form a path segment
    assert not WorldRegistry.for_settings(sandbox.settings).root.joinpath(world_id).exists()


def test_unknown_world_is_a_clear_404_and_not_created(sandbox):
    registry = WorldRegistry.for_settings(sandbox.settings)
    for app in ("mail", "chat", "sheets", "books"):
        response = requests.get(f"{sandbox.url(app)}/", cookies={"mockworld": "no-such-world"}, timeout=30)
        assert response.status_code == 404
        assert "unknown world" in response.text and "no-such-world" in response.text
    state = requests.get(f"{sandbox.url('mail')}/_control/worlds/no-such-world/state", timeout=30)
    assert state.status_code == 404 and state.json()["error"] == "unknown_world"
    assert not registry.exists("no-such-world")


def test_unknown_scenario_lists_the_known_ones_and_changes_nothing(world):
    before = world.state("books")
    response = requests.post(f"{world.url('books')}/_control/worlds/{world.id}/reset",
                             json={"scenario": "meridain"}, timeout=30)
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "unknown_scenario"
    assert "did you mean 'meridian'" in body["message"] and "known scenarios: meridian" in body["message"]
    assert world.state("books") == before


def test_malformed_control_bodies(world):
    url = f"{world.url('mail')}/_control/worlds/{world.id}"
    assert requests.post(f"{url}/reset", data="[1,2]", timeout=30).status_code == 400
    assert requests.post(f"{url}/reset", json={"scenario": 5}, timeout=30).status_code == 400
    bad_clock = requests.put(f"{url}/clock", json={"now": "yesterday-ish"}, timeout=30)
    assert bad_clock.status_code == 400 and "now" in bad_clock.json()["message"]
    assert requests.put(f"{url}/clock", json={"when": "x"}, timeout=30).status_code == 400
    assert requests.get(f"{url}/changes?after=abc", timeout=30).status_code == 400
    assert requests.post(f"{url}/snapshots/Bad Name/restore", timeout=30).status_code in (400, 404)
    assert requests.post(f"{url}/snapshots/never-taken/restore", timeout=30).status_code == 404
    assert world.changes() == []


def test_unknown_page_is_an_app_styled_404(world_page, world):
    world_page.goto(f"{world.url('books')}/no/such/page")
    assert world_page.get_by_role("heading", name="Not found").is_visible()
    assert world_page.get_by_test_id("switch-mail").is_visible()  # the shell, not a bare error


def test_taken_port_is_one_line(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        with pytest.raises(PortInUse, match=f"port {port} on 127.0.0.1 is already in use"):
            Sandbox(replace(Sandbox().settings, data_dir=tmp_path, base_port=port - 1), ("mail",)).start()
        result = subprocess.run([sys.executable, "-m", "mock_apps.cli", "--data", str(tmp_path), "serve",
                                 "--base-port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_control_api_beyond_loopback_needs_the_token(tmp_path):
    open_settings = replace(Sandbox().settings, data_dir=tmp_path, host="0.0.0.0", control_token=None)
    with Sandbox(open_settings, ("mail",), ephemeral=True) as sandbox:
        response = requests.post(f"{sandbox.url('mail')}/_control/worlds/w1/reset", timeout=30)
        assert response.status_code == 403
        assert "MOCKAPPS_CONTROL_TOKEN is not set" in response.json()["message"]
    guarded = replace(open_settings, control_token="s3cret")
    with Sandbox(guarded, ("mail",), ephemeral=True) as sandbox:
        url = f"{sandbox.url('mail')}/_control/worlds/w1/reset"
        missing = requests.post(url, timeout=30)
        assert missing.status_code == 401 and missing.json()["error"] == "control_token_missing"
        wrong = requests.post(url, headers={"Authorization": "Bearer nope"}, timeout=30)
        assert wrong.status_code == 401 and wrong.json()["error"] == "control_token_wrong"
        assert not WorldRegistry.for_settings(guarded).exists("w1")
        right = requests.post(url, headers={"Authorization": "Bearer s3cret"}, timeout=120)
        assert right.status_code == 200 and WorldRegistry.for_settings(guarded).exists("w1")
