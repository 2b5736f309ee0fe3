"""`mockapps trajectory` and `mockapps replay` as a user runs them, on good and broken trajectories."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from dataclasses import replace

import pytest

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings


def mockapps(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI."""
    return subprocess.run([sys.executable, "-m", "mock_apps.cli", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def copy(recorded, tmp_path):
    """A private copy of the shared recording to break."""
    target = tmp_path / "copy"
    shutil.copytree(recorded[0], target)
    return target


def test_validate_and_show(copy):
    result = mockapps("trajectory", "validate", str(copy))
    assert result.returncode == 0 and "valid (" in result.stdout
    shown = mockapps("trajectory", "show", str(copy)).stdout
    assert "books:books.bill.create" in shown and "navigate" in shown


def test_schema_documents_every_field():
    schema = json.loads(mockapps("trajectory", "schema").stdout)
    step = schema["steps.jsonl (one per line)"]
    assert {"index", "action", "target", "changes", "url_before"} <= set(step["properties"])
    assert "description" in step["properties"]["changes"]


def test_truncated_steps_file_names_the_line(copy):
    lines = (copy / "steps.jsonl").read_text().splitlines(keepends=True)
    lines[3] = lines[3][: len(lines[3]) // 2] + "\n"
    (copy / "steps.jsonl").write_text("".join(lines))
    result = mockapps("trajectory", "validate", str(copy))
    assert result.returncode == 2
    assert "steps.jsonl: line 4: not valid JSON" in result.stderr and "Traceback" not in result.stderr


def test_wrong_field_names_line_and_field(copy):
    lines = (copy / "steps.jsonl").read_text().splitlines(keepends=True)
    step = json.loads(lines[2])
    step["action"]["type"] = "teleport"
    lines[2] = json.dumps(step) + "\n"
    (copy / "steps.jsonl").write_text("".join(lines))
    result = mockapps("trajectory", "validate", str(copy))
    assert result.returncode == 2 and "line 3: field action.type" in result.stderr


def test_future_schema_version_is_refused(copy):
    meta = json.loads((copy / "trajectory.json").read_text())
    meta["schema_version"] = 99
    (copy / "trajectory.json").write_text(json.dumps(meta))
    result = mockapps("trajectory", "validate", str(copy))
    assert result.returncode == 2 and "schema_version 99 is newer" in result.stderr


def test_missing_screenshot_is_reported(copy):
    lines = (copy / "steps.jsonl").read_text().splitlines(keepends=True)
    step = json.loads(lines[1])
    step["observation"]["screenshot"] = "shots/9999.jpg"
    lines[1] = json.dumps(step) + "\n"
    (copy / "steps.jsonl").write_text("".join(lines))
    result = mockapps("trajectory", "validate", str(copy))
    assert result.returncode == 2 and "screenshot(s) missing, first shots/9999.jpg" in result.stderr


def test_unknown_scenario_and_missing_dir(copy, tmp_path):
    meta = json.loads((copy / "trajectory.json").read_text())
    meta["scenario"] = "atlantis"
    (copy / "trajectory.json").write_text(json.dumps(meta))
    result = mockapps("replay", str(copy), "--base-port", "1")
    assert result.returncode == 2 and "unknown scenario 'atlantis'" in result.stderr
    result = mockapps("trajectory", "validate", str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such trajectory directory" in result.stderr


def _free_base() -> int:
    """A base port with a free port for the portal and every app after it."""
    from mock_apps.core.settings import PORT_OFFSETS

    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + len(PORT_OFFSETS) > 65535:
            continue
        try:
            for offset in range(len(PORT_OFFSETS)):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
    raise RuntimeError(f"no {len(PORT_OFFSETS)} free ports in a row")


@pytest.mark.slow
def test_replay_command_reproduces_and_writes_a_report(recorded, tmp_path):
    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    with Sandbox(settings):
        result = mockapps("replay", str(recorded[0]), "--base-port", str(settings.base_port),
                          "--report", str(tmp_path / "report.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "REPRODUCED" in result.stdout and "final state: equal" in result.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["reproduced"] and all(s["status"] == "ok" for s in report["steps"])
