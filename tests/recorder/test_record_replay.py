"""Record a cross-app task in real Chromium as a trainer would, then replay it step for step."""

from __future__ import annotations

import re

import pytest

from mock_apps.core.control_client import ControlClient
from recorder.app_url import AppUrls
from recorder.replay import Replayer
from recorder.session import begin
from trajectories.store import load


def trainer_files_invoice(recorder, page) -> None:
    """Mail: find the invoice and download it; Books: enter the bill with it attached; Chat: say so."""
    search = page.get_by_role("searchbox", name="Search mail")
    search.click()
    search.press_sequentially("BL-20931")
    search.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=re.compile("BL-20931")).first.click()
    page.wait_for_load_state()
    with page.expect_download():
        page.get_by_role("link", name=re.compile("Download")).first.click()
    page.get_by_role("navigation", name="Apps").get_by_test_id("switch-books").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Bill", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Vendor").select_option(label="Brightline Logistics")
    page.get_by_label("Bill date").fill("2026-03-18")
    page.get_by_label("Bill no.").fill("BL-20931")
    page.get_by_label("Category, line 1").select_option(label="5100 Freight In")
    page.get_by_label("Amount, line 1").fill("4249.00")
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    recorder.settle()


@pytest.mark.slow
def test_record_then_replay_reproduces_every_step(record_context, browser, app_urls, world, tmp_path):
    out = tmp_path / "traj"
    recorder = begin(record_context, out, app_urls, world.id, trainer="test-trainer", start_pages=("mail:/",))
    page = record_context.pages[0]
    trainer_files_invoice(recorder, page)
    meta = recorder.stop()
    assert meta.status == "complete"
    assert recorder.errors == []

    meta, steps = load(out)
    kinds = [s.action.type for s in steps]
    assert kinds[:2] == ["tab_open", "navigate"] and "fill" in kinds and "press" in kinds and "select" in kinds
    ops = [c.op for s in steps for c in s.changes]
    assert "books.bill.create" in ops, ops
    save = next(s for s in steps if any(c.op == "books.bill.create" for c in s.changes))
    assert save.action.type == "click" and save.target.testid == "save"
    fills = [s for s in steps if s.action.type == "fill" and s.target.label == "Bill no."]
    assert len(fills) == 1 and fills[0].action.args["value"] == "BL-20931"  # typing coalesced
    assert all(s.target.selectors for s in steps if s.target)
    assert any(s.action.args.get("downloads") for s in steps)
    assert (out / steps[-1].observation.screenshot).exists()

    replay_world = f"{world.id}-replay"
    report = Replayer(browser, AppUrls(app_urls), ControlClient(app_urls, replay_world), out).run()
    assert report.reproduced, report.summary()
    assert len(report.steps) == len(steps)
