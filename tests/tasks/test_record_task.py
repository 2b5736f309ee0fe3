"""A trainer records a task with `mockapps record TASK`: the panel shows the instruction, Submit runs the
checks and stores the outcome; `mockapps replay` reproduces it and the checks pass again."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings
from mock_apps.tasks import get_task
from mock_apps.tasks.demos.chat import announce_in_channel
from recorder.panel import PANEL_URL
from trajectories.store import load

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "recorder"))
from test_trajectory_cli import _free_base  # noqa: E402


def mockapps(*args: str, **kwargs):
    """Start the CLI."""
    return subprocess.Popen([sys.executable, "-m", "mock_apps.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


@pytest.mark.slow
def test_record_a_task_submit_and_replay(playwright, tmp_path):
    task = get_task("announce-close-start-in-finance")
    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    cdp, out = _free_base(), tmp_path / "traj"
    with Sandbox(settings):
        proc = mockapps("record", task.id, "--headless", "--out", str(out), "--base-port", str(settings.base_port),
                        "--cdp-port", str(cdp), "--trainer", "ana")
        assert "recording into" in proc.stdout.readline()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
        pages = browser.contexts[0].pages
        panel = next(p for p in pages if p.url.startswith(PANEL_URL))
        work = next(p for p in pages if not p.url.startswith(PANEL_URL))
        assert task.instruction.strip() in panel.get_by_test_id("instruction").inner_text()
        work.wait_for_load_state()
        announce_in_channel(work, task)
        panel.get_by_role("button", name="Submit").click()
        output = proc.communicate(timeout=120)[0]
        assert proc.returncode == 0, output
        assert "complete, passed (score 1.00)" in output

        meta, steps = load(out)
        assert meta.task == task.id and meta.outcome == "passed" and meta.score == 1.0
        assert all(c.passed for c in meta.checks) and len(meta.checks) == len(task.checks)
        assert not any(s.url_before.startswith(PANEL_URL) for s in steps)  # the panel is not the trainer's work

        replayed = mockapps("replay", str(out), "--base-port", str(settings.base_port))
        output = replayed.communicate(timeout=300)[0]
        assert replayed.returncode == 0, output
        assert "REPRODUCED" in output and "task checks: passed (score 1.00)" in output


def test_unknown_task_is_one_line_and_starts_nothing(tmp_path):
    proc = mockapps("record", "anounce-close-start-in-finance", "--out", str(tmp_path / "t"), "--base-port", "1")
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode == 2 and "unknown task 'anounce-close-start-in-finance'" in output
    assert "did you mean 'announce-close-start-in-finance'" in output and not (tmp_path / "t").exists()
