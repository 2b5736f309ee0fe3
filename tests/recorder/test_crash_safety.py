"""Crash safety: `mockapps record` killed with SIGKILL mid-task leaves a valid, incomplete trajectory (the apps
hold the recording, so even the step in flight survives); `--resume` continues it in the same world."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings
from trajectories.store import load

from recorder.panel import PANEL_URL
from test_trajectory_cli import _free_base


def work_page(browser):
    """The recorded browser's first app tab (not the task panel)."""
    return next(p for p in browser.contexts[0].pages if not p.url.startswith(PANEL_URL))


@pytest.mark.slow
def test_killed_recorder_leaves_an_incomplete_trajectory_that_resume_finishes(playwright, tmp_path):
    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    cdp = _free_base()
    out = tmp_path / "traj"
    with Sandbox(settings):
        proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "record", "--headless", "--out", str(out),
                                 "--base-port", str(settings.base_port), "--cdp-port", str(cdp),
                                 "--trainer", "ana", "--start", "mail:/"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert "recording into" in proc.stdout.readline()
            browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
            page = work_page(browser)
            page.wait_for_load_state()
            search = page.get_by_role("searchbox", name="Search mail")
            search.fill("invoice")
            search.press("Enter")
            page.wait_for_load_state()
            page.get_by_role("navigation", name="Apps").get_by_test_id("switch-chat").click()
            page.wait_for_load_state()
            time.sleep(1.0)  # the recorder's tick writes the settled steps
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        meta, steps = load(out)
        assert meta.status == "incomplete" and meta.trainer == "ana"
        kinds = [s.action.type for s in steps]
        # everything but at most the step in flight (the last click) is on disk
        assert kinds[:4] == ["tab_open", "navigate", "fill", "press"], kinds

        resumed = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "record", "--headless",
                                    "--resume", str(out), "--base-port", str(settings.base_port),
                                    "--cdp-port", str(cdp)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert "recording into" in resumed.stdout.readline()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
        page = work_page(browser)
        page.wait_for_load_state()
        page.get_by_role("navigation", name="Apps").get_by_test_id("switch-books").click()
        page.wait_for_load_state()
        time.sleep(0.5)
        page.close()  # the trainer closes the apps' window: the recording is complete
        output = resumed.communicate(timeout=60)[0]
        assert resumed.returncode == 0, output
    meta, after = load(out)
    assert meta.status == "complete"
    assert [s.index for s in after] == list(range(len(after)))
    resumed_steps = after[len(steps):]
    # the step in flight when the recorder died (the click to Chat) was the server's to keep: it is not lost
    assert resumed_steps[0].action.type == "click" and resumed_steps[0].target.testid == "switch-chat"
    assert resumed_steps[0].url_after.startswith("chat:/")
    assert [s.action.type for s in resumed_steps[1:3]] == ["tab_open", "navigate"]
    assert resumed_steps[2].action.args["url"] in (steps[-1].url_after, steps[-1].url_before)
    assert any(s.action.type == "click" and s.target and s.target.testid == "switch-books" for s in resumed_steps)
