"""docker-compose.yml cannot run here (no engine): check it against the CLI the tests run, and run one
service's production command for real."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from mock_apps.cli import build_parser
from mock_apps.core.settings import DEFAULT_BASE_PORT, PORT_OFFSETS

ROOT = Path(__file__).resolve().parents[2]


def services() -> dict:
    """The compose file's services."""
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_one_service_per_app_and_the_portal_on_the_cli_ports():
    found = services()
    assert set(found) == set(PORT_OFFSETS)
    for name, service in found.items():
        command = service["command"]
        assert command[:2] == ["mockapps", "serve"]
        args = build_parser().parse_args(command[1:])  # the same parser `mockapps` uses
        assert args.app == name and args.production and args.host == "0.0.0.0"
        port = DEFAULT_BASE_PORT + PORT_OFFSETS[name]
        assert service["ports"] == [f"{port}:{port}"]
        assert service["environment"]["MOCKAPPS_DATA"] == "/data"
        assert service["volumes"] == ["mockapps-data:/data"]
        assert "MOCKAPPS_CONTROL_TOKEN" in service["environment"]


def test_console_script_points_at_the_cli():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["mockapps"] == "mock_apps.cli:main"


def _free_base_port() -> int:
    """A base port whose every server port (portal and apps) is free now."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + max(PORT_OFFSETS.values()) < 65535 and all(_free(base + o) for o in PORT_OFFSETS.values()):
            return base
    raise RuntimeError("no free port")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.slow
def test_a_service_command_serves_under_gunicorn(tmp_path):
    command = services()["books"]["command"]
    base = _free_base_port() - PORT_OFFSETS["books"]
    argv = [sys.executable, "-m", "mock_apps.cli", *command[1:], "--base-port", str(base), "--workers", "1"]
    argv[argv.index("0.0.0.0")] = "127.0.0.1"  # same command, loopback bind in the test
    env = {**os.environ, "MOCKAPPS_DATA": str(tmp_path)}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{base + PORT_OFFSETS['books']}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = requests.get(f"{url}/_control/health", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, f"{shlex.join(argv)} did not come up"
                time.sleep(0.3)
        assert health.json() == {"ok": True, "app": "books"}
        assert requests.get(f"{url}/", timeout=120).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_serve_command_starts_every_server_and_the_switcher_works(tmp_path, page):
    """What `make run` runs: `mockapps serve`, then Chromium on the mail home page."""
    base = _free_base_port()
    env = {**os.environ, "MOCKAPPS_DATA": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "serve", "--base-port", str(base)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = [proc.stdout.readline() for _ in PORT_OFFSETS]  # printed once every server is up (portal and apps)
        assert [line.split()[0] for line in lines] == list(PORT_OFFSETS)
        page.goto(f"http://127.0.0.1:{base + PORT_OFFSETS['mail']}/")
        assert page.get_by_test_id("world-id").inner_text() == "default"
        page.get_by_role("navigation", name="Apps").get_by_test_id("switch-books").click()
        page.wait_for_url(f"http://127.0.0.1:{base + PORT_OFFSETS['books']}/**")
        assert page.get_by_test_id("switch-books").get_attribute("aria-current") == "page"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
