"""A task that asks a question: the task panel asks for the final answer on Submit (refusing an empty one),
the answer is stored in the trajectory and checked with a typed comparison; replay checks it again;
`mockapps tasks check --answer` scores a live world with an answer."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings
from mock_apps.tasks import get_task
from recorder.panel import PANEL_URL
from trajectories.store import load

from test_record_task import _free_base, mockapps  # noqa: E402  (tests/tasks is on sys.path under pytest)


@pytest.mark.slow
def test_panel_asks_for_the_answer_and_the_trajectory_keeps_it(playwright, tmp_path):
    task = get_task("answer-crestview-ein")
    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    cdp, out = _free_base(), tmp_path / "traj"
    with Sandbox(settings):
        proc = mockapps("record", task.id, "--headless", "--no-shots", "--out", str(out), "--base-port",
                        str(settings.base_port), "--cdp-port", str(cdp), "--trainer", "ana")
        assert "recording into" in proc.stdout.readline()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
        panel = next(p for p in browser.contexts[0].pages if p.url.startswith(PANEL_URL))
        answer = panel.get_by_label("Your answer")
        panel.get_by_role("button", name="Submit").click()  # nothing typed: refused, the recording goes on
        assert "Type your answer" in panel.get_by_role("status").inner_text()
        answer.fill("  31-4827719 ")
        panel.get_by_role("button", name="Submit").click()
        output = proc.communicate(timeout=120)[0]
        assert proc.returncode == 0, output
        assert "complete, passed (score 1.00)" in output
        meta, _steps = load(out)
        assert meta.final_answer == "  31-4827719 " and meta.outcome == "passed"

        replayed = mockapps("replay", str(out), "--base-port", str(settings.base_port))
        output = replayed.communicate(timeout=300)[0]
        assert replayed.returncode == 0, output
        assert "task checks: passed (score 1.00)" in output


def test_tasks_check_takes_a_typed_answer(tmp_path):
    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    with Sandbox(settings):
        def check(*extra):
            run = subprocess.run([sys.executable, "-m", "mock_apps.cli", "tasks", "check", "answer-inv-1021-open-balance",
                                  "--base-port", str(settings.base_port), *extra], capture_output=True, text=True,
                                 timeout=120)
            return run.returncode, run.stdout + run.stderr

        code, output = check("--answer", "$8,301.40")
        assert code == 0 and "score 1.00, passed" in output
        code, output = check("--answer", "March 3, 2026")
        assert code == 1 and "the answer is not a money: 'March 3, 2026' is not an amount of money" in output
