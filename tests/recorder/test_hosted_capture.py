"""Recording served by the apps: an ordinary browser (no recorder attached, no CDP) with a recording cookie
records a cross-app task over plain HTTP, and the trajectory replays step for step."""

from __future__ import annotations

import json
import threading
import time
from types import SimpleNamespace

import pytest
import requests

from mock_apps.core.control_client import ControlClient
from mock_apps.core.recordings import RECORDING_COOKIE, RecordingStore
from mock_apps.core.world import WorldRegistry
from mock_apps.tasks.demos.pages import post_in_channel
from recorder.replay import Replayer
from recording_flows import trainer_files_invoice
from trajectories.app_url import AppUrls
from trajectories.capture import drain
from trajectories.store import load


def start_recording(sandbox, world_id: str, folder, task_id: str | None = None, trainer: str = "ana"):
    """A fresh world and a recording in it, as the portal's Start does."""
    WorldRegistry.for_settings(sandbox.settings).reset(world_id)
    store = RecordingStore.for_settings(sandbox.settings)
    recording = store.start(world_id=world_id, task_id=task_id, trainer=trainer, folder=folder,
                            start_pages=["mail:/"])
    return store, recording


def recording_context(browser, app_urls: dict, world_id: str, cookie: str):
    """A plain browser context with the cookies the portal sets for a trainer's assignment."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.add_cookies([{"name": "mockworld", "value": world_id, "url": url} for url in app_urls.values()]
                        + [{"name": RECORDING_COOKIE, "value": cookie, "url": url} for url in app_urls.values()])
    return context


@pytest.mark.slow
def test_an_ordinary_browser_records_a_cross_app_task_over_http_and_it_replays(browser, sandbox, app_urls, tmp_path):
    world_id = f"hosted-{tmp_path.name[-20:]}".lower().replace("_", "-")
    out = tmp_path / "traj"
    store, recording = start_recording(sandbox, world_id, out)
    context = recording_context(browser, app_urls, world_id, store.cookie_value(recording.id))
    page = context.new_page()
    urls = AppUrls(app_urls)
    page.goto(urls.absolute("mail:/"))
    trainer_files_invoice(SimpleNamespace(urls=urls, settle=lambda: page.wait_for_timeout(300)), page)
    drain(context.pages)
    meta = store.finish(recording.id)
    context.close()
    assert meta.status == "complete" and store.get(recording.id).status == "complete"

    meta, steps = load(out)
    kinds = [s.action.type for s in steps]
    assert kinds[:2] == ["tab_open", "navigate"], kinds
    ops = [c.op for s in steps for c in s.changes]
    assert "books.bill.create" in ops and "chat.post" in ops and any(op.startswith("sheets.") for op in ops), ops
    save = next(s for s in steps if any(c.op == "books.bill.create" for c in s.changes))
    assert save.action.type == "click" and save.target.testid == "save"
    post = next(s for s in steps if any(c.op == "chat.post" for c in s.changes))
    assert post.action.type == "press" and post.action.args["key"] == "Enter"
    fills = [s for s in steps if s.action.type == "fill" and s.target.label == "Bill no."]
    assert len(fills) == 1 and fills[0].action.args["value"] == "BL-20931"  # typing coalesced
    upload = next(s for s in steps if s.action.type == "upload")
    download = next(s for s in steps if s.action.args.get("downloads"))
    assert upload.action.args["files"][0]["source"] == f"download:{download.index}"
    assert {s.page for s in steps} == {"p0", "p1"} and "tab_switch" in kinds
    copy = next(s for s in steps if s.action.type == "copy")
    paste = next(s for s in steps if s.action.type == "paste")
    assert copy.action.args["text"] == paste.action.args["text"] == "$4,249.00"
    typed = [s for s in steps if s.action.type == "navigate" and s.action.args.get("via") and s.index > 1]
    assert [s.action.args["url"] for s in typed][0] == "sheets:/"
    assert typed[-1].action.args["url"].startswith("chat:/archives/")
    assert [c.op for c in typed[-1].changes] == ["chat.mark"]  # reading the channel is the visit's doing
    assert all(s.url_after for s in steps if s.action.type != "tab_open")
    assert meta.final_state and (out / meta.final_state).exists()

    assert not any(s.observation.screenshot for s in steps)  # the trainer's screen is not ours to take

    # the proof replay: a fresh world, headless, every step again; its pictures become the trajectory's
    report = Replayer(browser, urls, ControlClient(app_urls, f"{world_id}-replay"), out, observe=True).run()
    assert report.reproduced, report.summary()
    meta, steps = load(out)
    assert meta.proof is not None and meta.proof.reproduced and meta.proof.diverged_at is None
    observed = [s for s in steps if s.action.type not in ("tab_open",)]
    assert all(s.observation.screenshot and (out / s.observation.screenshot).exists() for s in observed)
    assert all(s.observation.accessibility for s in observed)


def test_events_are_refused_without_a_valid_recording_or_after_finish(browser, sandbox, app_urls, tmp_path):
    world_id = f"hosted-refuse-{tmp_path.name[-12:]}".lower().replace("_", "-")
    store, recording = start_recording(sandbox, world_id, tmp_path / "traj")
    events = f"{app_urls['chat']}/_capture/events"
    report = {"tab": "mockrec-tab-abc", "event": {"type": "click", "args": {}, "target": None, "url": app_urls["chat"]}}
    cookies = {"mockworld": world_id}
    forged = requests.post(events, data=json.dumps(report), timeout=30,
                           cookies={**cookies, RECORDING_COOKIE: f"{recording.id}.{'0' * 32}"})
    assert forged.status_code == 403 and forged.json()["error"] == "no_recording"
    good = {**cookies, RECORDING_COOKIE: store.cookie_value(recording.id)}
    other_world = requests.post(events, data=json.dumps(report), timeout=30,
                                cookies={**good, "mockworld": "default"})
    assert other_world.status_code == 403 and other_world.json()["error"] == "wrong_world"
    for body in (b"not json", b"[]", json.dumps({"tab": "../x", "event": {"type": "click"}}).encode(),
                 json.dumps({"tab": "mockrec-tab-a", "event": {"type": "explode"}}).encode(),
                 json.dumps({"tab": "mockrec-tab-a", "event": {"type": "fill", "args": {"value": 3}}}).encode()):
        bad = requests.post(events, data=body, cookies=good, timeout=30)
        assert bad.status_code == 400 and bad.json()["error"] == "malformed_event", body
    huge = requests.post(events, data=b"x" * (600 * 1024), cookies=good, timeout=30)
    assert huge.status_code in (400, 413)
    foreign = requests.post(events, data=json.dumps(report), cookies=good, timeout=30,
                            headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    assert store.get(recording.id).steps == 0 and (tmp_path / "traj" / "steps.jsonl").read_text() == ""

    accepted = requests.post(events, data=json.dumps(report), cookies=good, timeout=30)
    assert accepted.status_code == 204
    store.finish(recording.id, status="abandoned")
    late = requests.post(events, data=json.dumps(report), cookies=good, timeout=30)
    assert late.status_code == 409 and late.json()["error"] == "recording_finished"
    with pytest.raises(Exception, match="already abandoned"):
        store.finish(recording.id)
    _, steps = load(tmp_path / "traj")
    assert [s.action.type for s in steps] == ["tab_open", "click"]


def test_what_an_action_causes_stays_on_its_step_when_its_report_is_slower_than_the_page(
        browser, sandbox, app_urls, tmp_path, monkeypatch):
    """Reports leave the page without holding it up, so the page's own request (the channel opened, the message
    posted) can overtake its action's report. Slowed here on purpose: the request waits for the report at the
    server (the page's wait cookie), and the change is still on the step of the action that caused it."""
    world_id = f"hosted-slow-{tmp_path.name[-12:]}".lower().replace("_", "-")
    store, recording = start_recording(sandbox, world_id, tmp_path / "traj")
    real_event = RecordingStore.event

    def slow_event(self, recording_id, world, report, bases):
        if report["event"]["type"] in ("click", "press"):
            time.sleep(0.4)
        return real_event(self, recording_id, world, report, bases)

    monkeypatch.setattr(RecordingStore, "event", slow_event)
    context = recording_context(browser, app_urls, world_id, store.cookie_value(recording.id))
    page = context.new_page()
    page.goto(f"{app_urls['chat']}/")
    post_in_channel(page, "finance", "Posted while its report was slow")
    page.get_by_text("Posted while its report was slow").wait_for()
    drain(context.pages)
    store.finish(recording.id)
    context.close()

    _, steps = load(tmp_path / "traj")
    assert [s.action.type for s in steps] == ["tab_open", "navigate", "click", "fill", "press"]
    assert [c.op for c in steps[1].changes] == ["chat.mark"]  # chat opens on #general: read
    assert [c.op for c in steps[2].changes] == ["chat.mark"]  # the click opened #finance: read
    assert steps[3].changes == []
    assert [c.op for c in steps[4].changes] == ["chat.post"]
    assert steps[4].changes[0].args["text"] == "Posted while its report was slow"


def test_numbered_reports_are_taken_once_and_in_their_order(sandbox, app_urls, tmp_path):
    """A page leaving sends what it still had queued at once (they may arrive out of order), and a report whose
    answer was lost is sent again: the server puts a document's reports back in order and takes each once."""
    world_id = f"hosted-order-{tmp_path.name[-12:]}".lower().replace("_", "-")
    store, recording = start_recording(sandbox, world_id, tmp_path / "traj")
    events = f"{app_urls['chat']}/_capture/events"
    cookies = {"mockworld": world_id, RECORDING_COOKIE: store.cookie_value(recording.id)}

    def report(n: int, text: str):
        body = {"tab": "mockrec-tab-a", "doc": "d1", "n": n, "event": {
            "type": "copy", "args": {"text": text}, "target": None, "url": f"{app_urls['chat']}/"}}
        return requests.post(events, data=json.dumps(body), cookies=cookies, timeout=30)

    second = threading.Thread(target=lambda: report(2, "second"))
    second.start()  # number 2 first: it waits for number 1
    time.sleep(0.2)
    assert report(1, "first").status_code == 204
    second.join()
    assert report(1, "first").status_code == 204  # sent again: taken once
    assert report(3, "third").status_code == 204
    for bad in ({"doc": "D/1", "n": 4}, {"doc": "d1", "n": 0}, {"doc": "d1", "n": "4"}, {"doc": "d1"}):
        body = {"tab": "mockrec-tab-a", **bad, "event": {"type": "copy", "args": {"text": "x"}, "target": None}}
        refused = requests.post(events, data=json.dumps(body), cookies=cookies, timeout=30)
        assert refused.status_code == 400 and refused.json()["error"] == "malformed_event", bad
    other = {"tab": "mockrec-tab-a", "doc": "d2", "n": 1, "event": {"type": "copy", "args": {"text": "x"},
                                                                  "target": None}}
    refused = requests.post(events, data=json.dumps(other), cookies={**cookies, "mockworld": "default"}, timeout=30)
    assert refused.status_code == 403
    started = time.monotonic()
    store.await_reports(recording.id, {"d2": 1}, 5.0)  # refused for good: nothing waits for it
    assert time.monotonic() - started < 1.0
    store.finish(recording.id)
    _, steps = load(tmp_path / "traj")
    assert [s.action.args.get("text") for s in steps if s.action.type == "copy"] == ["first", "second", "third"]


def test_pages_carry_the_capture_script_only_for_a_recording_browser(sandbox, app_urls, tmp_path):
    world_id = f"hosted-script-{tmp_path.name[-12:]}".lower().replace("_", "-")
    store, recording = start_recording(sandbox, world_id, tmp_path / "traj")
    for app, base in app_urls.items():
        plain = requests.get(f"{base}/", cookies={"mockworld": world_id}, timeout=30)
        assert plain.status_code == 200 and "/_capture/capture.js" not in plain.text, app
        recorded = requests.get(f"{base}/", timeout=30,
                                cookies={"mockworld": world_id, RECORDING_COOKIE: store.cookie_value(recording.id)})
        assert recorded.status_code == 200 and 'data-endpoint="/_capture/events"' in recorded.text, app
    script = requests.get(f"{app_urls['mail']}/_capture/capture.js", timeout=30)
    assert script.status_code == 200 and "mockrec-tab-" in script.text


@pytest.mark.slow
def test_a_second_client_driving_mockapps_record_over_cdp_records_every_step(playwright, tmp_path):
    """`mockapps record --cdp-port` driven by another client (as an automation or a test would): a tab it opens
    itself, a post in #finance, a click back in the mail tab, Submit. Before capture went over HTTP, only the first
    two steps were recorded."""
    import subprocess
    import sys
    from dataclasses import replace

    from mock_apps.core.server import Sandbox
    from mock_apps.core.settings import Settings
    from recorder.panel import PANEL_URL
    from test_trajectory_cli import _free_base

    settings = replace(Settings(), data_dir=tmp_path / "data", base_port=_free_base())
    cdp, out = _free_base(), tmp_path / "traj"
    with Sandbox(settings):
        proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "record", "--headless", "--no-shots",
                                 "--out", str(out), "--base-port", str(settings.base_port), "--cdp-port", str(cdp),
                                 "--trainer", "ana", "--start", "mail:/"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert "recording into" in proc.stdout.readline()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
        context = browser.contexts[0]
        panel = next(p for p in context.pages if p.url.startswith(PANEL_URL))
        mail = next(p for p in context.pages if not p.url.startswith(PANEL_URL))
        mail.wait_for_load_state()
        chat = context.new_page()
        chat.goto(f"http://127.0.0.1:{settings.port('chat')}/")
        post_in_channel(chat, "finance", "Closing checklist is up to date.")
        mail.bring_to_front()
        mail.get_by_test_id("box-starred").click()
        mail.wait_for_load_state()
        panel.get_by_role("button", name="Submit").click()
        output = proc.communicate(timeout=120)[0]
        assert proc.returncode == 0, output
    meta, steps = load(out)
    kinds = [s.action.type for s in steps]
    assert meta.status == "complete" and len(steps) >= 8, kinds
    assert kinds[:2] == ["tab_open", "navigate"] and kinds.count("tab_open") == 2
    post = next(s for s in steps if any(c.op == "chat.post" for c in s.changes))
    assert post.page == "p1" and post.action.type == "press"
    starred = steps[-1]
    assert starred.action.type == "click" and starred.page == "p0" and starred.target.testid == "box-starred"
    assert steps[-2].action.type == "tab_switch"


@pytest.mark.slow
def test_eight_trainers_record_at_once_each_into_their_own_world_and_trajectory(browser, sandbox, app_urls, tmp_path):
    """Eight recordings active together on one sandbox, their actions interleaved: every trajectory holds
    exactly its trainer's steps and every world exactly its trainer's changes."""
    urls = AppUrls(app_urls)
    trainers = []
    for i in range(8):
        world_id = f"many-{i}-{tmp_path.name[-10:]}".lower().replace("_", "-")
        store, recording = start_recording(sandbox, world_id, tmp_path / f"t{i}", trainer=f"trainer-{i}")
        context = recording_context(browser, app_urls, world_id, store.cookie_value(recording.id))
        trainers.append(SimpleNamespace(i=i, world=world_id, recording=recording, context=context,
                                        page=context.new_page()))

    def each(action):
        for t in trainers:  # one action of every trainer before anyone's next: their events interleave
            action(t)

    each(lambda t: t.page.goto(urls.absolute("chat:/")))
    each(lambda t: t.page.get_by_test_id("side-general").click())
    each(lambda t: t.page.wait_for_load_state())
    each(lambda t: t.page.get_by_test_id("composer-input").fill(f"Hello from trainer {t.i}"))
    each(lambda t: t.page.get_by_test_id("composer-input").press("Enter"))
    each(lambda t: t.page.wait_for_load_state())
    each(lambda t: t.page.get_by_role("navigation", name="Apps").get_by_test_id("switch-mail").click())
    each(lambda t: t.page.wait_for_load_state())
    each(lambda t: t.page.get_by_role("searchbox", name="Search mail").fill(f"invoice {t.i}"))
    each(lambda t: t.page.get_by_role("searchbox", name="Search mail").press("Enter"))
    each(lambda t: t.page.wait_for_load_state())
    store = RecordingStore.for_settings(sandbox.settings)
    for t in trainers:
        drain(t.context.pages)
        store.finish(t.recording.id)
        t.context.close()
    registry = WorldRegistry.for_settings(sandbox.settings)
    for t in trainers:
        meta, steps = load(tmp_path / f"t{t.i}")
        assert meta.status == "complete" and meta.trainer == f"trainer-{t.i}" and meta.world == t.world
        assert [s.action.type for s in steps] == ["tab_open", "navigate", "click", "fill", "press", "click", "fill",
                                                  "press"], [s.action.type for s in steps]
        posts = [c for s in steps for c in s.changes if c.op == "chat.post"]
        assert len(posts) == 1 and posts[0].args["text"] == f"Hello from trainer {t.i}"
        assert steps[-2].action.args["value"] == f"invoice {t.i}"
        texts = [c["args"].get("text") for c in registry.changes(t.world) if c["op"] == "chat.post"]
        assert texts == [f"Hello from trainer {t.i}"]
    report = Replayer(browser, urls, ControlClient(app_urls, "many-replay"), tmp_path / "t5").run()
    assert report.reproduced, report.summary()


@pytest.mark.slow
def test_a_killed_server_loses_at_most_the_event_in_flight_and_the_recording_goes_on(browser, tmp_path):
    """SIGKILL `mockapps serve` during a recording, start it again on the same data: the steps recorded before are
    there, the recording takes events again, and it finishes and replays."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from test_trajectory_cli import _free_base

    base = _free_base()
    data = tmp_path / "data"
    app_urls = {app: f"http://127.0.0.1:{base + offset}" for app, offset in
                __import__("mock_apps.core.settings", fromlist=["PORT_OFFSETS"]).PORT_OFFSETS.items() if app != "portal"}

    def serve():
        proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "--data", str(data), "serve", "--base-port",
                                 str(base)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if all(requests.get(f"{u}/_control/health", timeout=10).ok for u in app_urls.values()):
                    return proc
            except requests.RequestException:
                time.sleep(0.2)
        proc.kill()
        raise AssertionError(f"mockapps serve did not come up (exit code {proc.poll()})")

    server = serve()
    try:
        control = ControlClient(app_urls, "crash-world")
        control.reset()
        recording = control.start_recording(str(tmp_path / "traj"), trainer="ana", start_pages=["chat:/"])
        context = recording_context(browser, app_urls, "crash-world", recording["cookie"])
        page = context.new_page()
        page.goto(f"{app_urls['chat']}/")
        page.get_by_test_id("side-general").click()
        page.wait_for_load_state()
        page.get_by_test_id("composer-input").fill("before the crash")
        page.get_by_test_id("composer-input").press("Enter")
        page.wait_for_load_state()
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        before = load(tmp_path / "traj")[1]
        assert [s.action.type for s in before] == ["tab_open", "navigate", "click", "fill"]  # Enter: in flight
        server = serve()
        page.reload()  # the trainer reloads the page the crash left broken
        page.get_by_test_id("composer-input").fill("after the restart")
        page.get_by_test_id("composer-input").press("Enter")
        page.wait_for_load_state()
        drain(context.pages)
        meta = control.finish_recording(recording["id"])
        context.close()
        assert meta["status"] == "complete"
        _, steps = load(tmp_path / "traj")
        assert [s.index for s in steps] == list(range(len(steps)))
        posts = [c.args["text"] for s in steps for c in s.changes if c.op == "chat.post"]
        assert posts == ["before the crash", "after the restart"]
        report = Replayer(browser, AppUrls(app_urls), ControlClient(app_urls, "crash-replay"), tmp_path / "traj").run()
        assert report.reproduced, report.summary()
    finally:
        server.kill()
        server.wait(timeout=30)
