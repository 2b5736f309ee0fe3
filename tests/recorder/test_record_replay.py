"""Record a cross-app task in real Chromium as a trainer would, then replay it step for step."""

from __future__ import annotations


import pytest

from mock_apps.core.control_client import ControlClient
from trajectories.app_url import AppUrls
from recorder.replay import Replayer
from recorder.session import begin
from recording_flows import trainer_files_invoice
from trajectories.store import load


def replay(browser, recorded, world_id: str, prepare=None):
    """Replay the shared recording into a world."""
    out, urls = recorded
    return Replayer(browser, AppUrls(urls), ControlClient(urls, world_id), out, prepare=prepare).run()


def test_a_removed_test_id_is_recovered_by_the_next_selector(browser, recorded):
    strip = "document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('[data-testid=save]')" \
            ".forEach(el => el.removeAttribute('data-testid')))"
    report = replay(browser, recorded, "replay-recovered", prepare=lambda context, control: context.add_init_script(strip))
    _, steps = load(recorded[0])
    index = next(s.index for s in steps if s.target and s.target.testid == "save")
    save = report.steps[index]
    assert save.status == "recovered" and "selector 2 of" in save.reason
    assert [s.status for s in report.steps if s.index != index] == ["ok"] * (len(steps) - 1)
    assert report.reproduced, report.summary()


def test_a_removed_element_diverges_at_its_step(browser, recorded):
    remove = "document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('summary')" \
             ".forEach(el => { if (el.textContent.trim() === '+ New') el.remove(); }))"
    report = replay(browser, recorded, "replay-removed", prepare=lambda context, control: context.add_init_script(remove))
    first = report.first_divergence()
    assert first is not None and first.action == "click"
    assert "no selector matches exactly one visible element" in first.reason and "+ New" in first.reason
    assert not report.reproduced and report.steps[-1] is first  # nothing after it was attempted


def test_a_renamed_label_diverges_with_the_selectors_tried(browser, recorded):
    rename = "document.addEventListener('DOMContentLoaded', () => { for (const l of document.querySelectorAll('label'))" \
             " if (l.textContent.trim() === 'Bill no.') { l.textContent = 'Reference'; } })"
    report = replay(browser, recorded, "replay-renamed", prepare=lambda context, control: context.add_init_script(rename))
    step = next(s for s in report.steps if s.status != "ok")
    # the css path still finds the field: a rescue, reported as such
    assert step.action == "fill" and step.status == "recovered"


def test_an_extra_change_in_the_world_diverges_where_the_changes_differ(browser, recorded):
    def extra_message(context, control):
        import requests

        chat = control.app_urls["chat"] + f"/w/{control.world_id}/api"
        token = {"Authorization": "Bearer xoxp-dana.whitfield"}
        channel = requests.get(f"{chat}/conversations.list", headers=token, timeout=30).json()["channels"][0]["id"]
        requests.post(f"{chat}/chat.postMessage", headers=token, json={"channel": channel, "text": "extra"},
                      timeout=30).raise_for_status()

    report = replay(browser, recorded, "replay-extra", prepare=extra_message)
    first = report.first_divergence()
    assert first is not None and first.action == "click" and report.steps[-1] is first
    assert "time differs" in first.reason, first.reason
    assert first.expected and first.actual and first.expected[0]["op"] == first.actual[0]["op"] == "books.bill.create"


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
    assert "books.bill.create" in ops and "chat.post" in ops and any(op.startswith("sheets.") for op in ops), ops
    upload = next(s for s in steps if s.action.type == "upload")
    download = next(s for s in steps if s.action.args.get("downloads"))
    assert upload.action.args["files"][0]["source"] == f"download:{download.index}"
    assert upload.action.args["files"][0]["sha256"] == download.action.args["downloads"][0]["sha256"]
    assert "tab_open" in kinds[1:] and "tab_switch" in kinds
    copy = next(s for s in steps if s.action.type == "copy")
    paste = next(s for s in steps if s.action.type == "paste")
    assert copy.action.args["text"] == paste.action.args["text"] == "$4,249.00"
    assert paste.page != copy.page and any(c.op.startswith("sheets.") for c in paste.changes)
    assert {s.page for s in steps} == {"p0", "p1"}
    typed = [s for s in steps if s.action.type == "navigate" and s.action.args.get("via")]
    # the address-bar visit (chat:/ redirects to a channel), not the documents links and buttons led to
    assert [s.action.args["url"] for s in typed][0] == "sheets:/" and len(typed) == 2
    assert typed[1].action.args["url"].startswith("chat:/archives/")
    assert [c.op for c in typed[1].changes] == ["chat.mark"]  # reading the channel is the visit's doing
    post = next(s for s in steps if any(c.op == "chat.post" for c in s.changes))
    assert post.action.type == "press" and post.action.args["key"] == "Enter"
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
