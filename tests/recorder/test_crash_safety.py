"""Crash safety: `mockapps record` killed with SIGKILL mid-task leaves a valid, incomplete trajectory."""

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

from test_trajectory_cli import _free_base


@pytest.mark.slow
def test_killed_recorder_leaves_an_incomplete_trajectory_with_its_settled_steps(playwright, tmp_path):
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
            page = browser.contexts[0].pages[0]
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
