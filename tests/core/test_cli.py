"""`mockapps` as a user runs it: a subprocess, its output and exit code."""

from __future__ import annotations

import subprocess
import sys


def mockapps(data_dir, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI on a data directory."""
    return subprocess.run([sys.executable, "-m", "mock_apps.cli", "--data", str(data_dir), *args],
                          capture_output=True, text=True, timeout=120)


def test_world_lifecycle_and_errors(tmp_path):
    created = mockapps(tmp_path, "world", "create", "ana")
    assert created.returncode == 0 and created.stdout.strip() == "created world ana from scenario meridian"
    assert mockapps(tmp_path, "world", "list").stdout.splitlines() == ["ana\tmeridian"]
    again = mockapps(tmp_path, "world", "create", "ana")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert mockapps(tmp_path, "world", "reset", "ana").stdout.strip() == "reset world ana to scenario meridian"
    for args, message in [(("world", "reset", "bob"), "unknown world 'bob'"),
                          (("world", "create", "Bob"), "malformed world id 'Bob'"),
                          (("world", "create", "bob", "--scenario", "meridien"), "did you mean 'meridian'"),
                          (("world", "delete", "bob"), "unknown world 'bob'")]:
        result = mockapps(tmp_path, *args)
        assert result.returncode == 2, args
        assert message in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert mockapps(tmp_path, "world", "list").stdout.splitlines() == ["ana\tmeridian"]
    assert mockapps(tmp_path, "world", "delete", "ana").returncode == 0
    assert mockapps(tmp_path, "world", "list").stdout == ""


def test_help_is_complete(tmp_path):
    top = mockapps(tmp_path, "--help").stdout
    for command in ("serve", "world", "browser"):
        assert command in top
    serve = mockapps(tmp_path, "serve", "--help").stdout
    for option in ("--app", "--host", "--base-port", "--production", "--workers"):
        assert option in serve
    bad = mockapps(tmp_path, "serve", "--app", "calendar")
    assert bad.returncode == 2 and "invalid choice: 'calendar'" in bad.stderr


def test_browser_path_is_an_existing_chromium(tmp_path):
    result = mockapps(tmp_path, "browser", "path")
    assert result.returncode == 0
    from pathlib import Path

    assert Path(result.stdout.strip()).exists()
