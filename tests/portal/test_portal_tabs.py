"""Two tabs of one trainer in one recording. The portal's Start opens a task's start pages together, so two pages
load at once; a page whose visit changes the world (opening a chat channel marks it read) keeps that change on its
own tab's step whichever tab reports first, and the trainer's actions in both tabs interleave into one trajectory
that the proof replay reproduces step for step."""

from __future__ import annotations

import json
import re
import time

import pytest
import requests

from campaign_crew import browser_context
from mock_apps.core.recordings import RECORDING_COOKIE, RecordingStore
from mock_apps.core.world import WorldRegistry
from mock_apps.portal.replays import ReplayStore
from trajectories.store import load

TWO_START_PAGES = "pay-approved-bill-clearwater-cc-55107"  # starts on mail:/ and chat:/


def _report(url: str, events: str, cookies: dict, tab: str, event: dict) -> requests.Response:
    return requests.post(events, timeout=30, cookies=cookies,
                         data=json.dumps({"tab": tab, "event": {"target": None, "url": url, **event}}))


def test_a_pages_own_change_stays_with_its_tab_whichever_tab_reports_first(sandbox, tmp_path):
    world = f"tabs-{tmp_path.name[-16:]}".lower().replace("_", "-")
    registry = WorldRegistry.for_settings(sandbox.settings)
    registry.reset(world)
    store = RecordingStore.for_settings(sandbox.settings)
    recording = store.start(world_id=world, task_id=None, trainer="ana", folder=tmp_path / "traj",
                            start_pages=["mail:/", "chat:/"])
    cookies = {"mockworld": world, RECORDING_COOKIE: store.cookie_value(recording.id)}
    mail, chat = sandbox.url("mail"), sandbox.url("chat")

    # the chat tab's page is served first (its visit marks the channel read), but the mail tab reports first
    page = requests.get(f"{chat}/", cookies=cookies, timeout=30)
    token = re.search(r'data-load="([a-f0-9]{16})"', page.text)
    assert page.status_code == 200 and token, "a page whose visit changed the world names its held changes"
    assert [c["op"] for c in registry.changes(world)] == ["chat.mark"]
    mail_events, chat_events = f"{mail}/_capture/events", f"{chat}/_capture/events"
    for event in ({"type": "navigate", "args": {"url": f"{mail}/"}},
                  {"type": "click", "args": {"button": "left", "modifiers": [], "click_count": 1}}):
        assert _report(f"{mail}/", mail_events, cookies, "mockrec-tab-mail", event).status_code == 204
    # a made-up token is refused; an unknown one takes nothing
    forged = {"type": "navigate", "args": {"url": page.url, "load": "../../etc"}}
    assert _report(page.url, chat_events, cookies, "mockrec-tab-chat", forged).status_code == 400
    navigate = {"type": "navigate", "args": {"url": page.url, "load": token.group(1)}}
    assert _report(page.url, chat_events, cookies, "mockrec-tab-chat", navigate).status_code == 204

    # back in the mail tab; meanwhile another channel's page is served in the chat tab but never reports itself
    # (closed at once): its change is not lost, it goes to the step pending when the recording ends
    click = {"type": "click", "args": {"button": "left", "modifiers": [], "click_count": 1}}
    assert _report(f"{mail}/", mail_events, cookies, "mockrec-tab-mail", click).status_code == 204
    channels = [c for c in dict.fromkeys(re.findall(r'/archives/([CD][A-Z0-9]+)', page.text)) if c not in page.url]
    for channel in channels:  # the first with something unread: its visit marks it read
        if 'data-load="' in requests.get(f"{chat}/archives/{channel}", cookies=cookies, timeout=30).text:
            break
    else:
        raise AssertionError(f"no other conversation with something unread among {channels}")
    store.finish(recording.id, status="abandoned")

    _, steps = load(tmp_path / "traj")
    assert [(s.page, s.action.type, [c.op for c in s.changes]) for s in steps] == [
        ("p0", "tab_open", []), ("p0", "navigate", []), ("p0", "click", []),
        ("p1", "tab_open", []), ("p1", "navigate", ["chat.mark"]),
        ("p0", "tab_switch", []), ("p0", "click", ["chat.mark"])]
    assert sorted(c.seq for s in steps for c in s.changes) == [c["seq"] for c in registry.changes(world)]


@pytest.mark.slow
def test_two_tabs_of_one_trainer_interleave_into_one_recording_that_replays(browser, crew):
    campaign = crew.campaign({TWO_START_PAGES: 1}, trainers=[crew.trainer])
    context = browser_context(browser)
    try:
        trainer = context.new_page()
        crew.sign_in(trainer, crew.trainer)
        row = trainer.get_by_test_id("my-assignments").locator(f"tr[data-task={TWO_START_PAGES}]")
        with context.expect_page():
            row.get_by_role("button", name=f"Start {TWO_START_PAGES}").click()
        trainer.get_by_test_id("task-panel").wait_for()
        mail_url, chat_url = crew.portal.settings.port("mail"), crew.portal.settings.port("chat")
        mail = _tab(context, f":{mail_url}/")
        chat = _tab(context, f":{chat_url}/archives/")

        # the trainer goes back and forth: a message opened in mail, a post in chat, another message, a post
        composer = chat.get_by_test_id("composer-input")
        for turn in range(2):
            mail.bring_to_front()
            if turn:  # the second message through the search box
                search = mail.get_by_role("searchbox", name="Search mail")
                search.fill("FP-7781")
                search.press("Enter")
                mail.wait_for_load_state("networkidle")
            mail.get_by_role("link", name=re.compile(("CC-55107", "FP-7781")[turn])).first.click()
            mail.wait_for_load_state("networkidle")
            chat.bring_to_front()
            composer.fill(f"Looking at Clearwater's invoice, note {turn + 1}.")
            composer.press("Enter")
            chat.get_by_text(f"note {turn + 1}.").wait_for()
        mail.close()
        chat.close()
        trainer.get_by_role("button", name="Submit").click()
        trainer.get_by_test_id("result").wait_for()
    finally:
        context.close()

    attempt = crew.assignment_of(crew.trainer, campaign, TWO_START_PAGES).latest
    meta, steps = load(attempt.folder)
    pages = {s.page: s.app for s in steps if s.app}
    assert sorted(pages.values()) == ["chat", "mail"], pages
    chat_page = next(p for p, app in pages.items() if app == "chat")
    by_op = {}
    for step in steps:
        for change in step.changes:
            by_op.setdefault(change.op, []).append(step)
    # the chat channel's visit is its own tab's navigation, and every post is an Enter in the chat tab
    assert by_op["chat.mark"][0].action.type == "navigate" and by_op["chat.mark"][0].page == chat_page
    assert [s.action.type for s in by_op["chat.post"]] == ["press", "press"]
    assert all(s.page == chat_page for s in by_op["chat.post"])
    assert all(s.page != chat_page and s.app == "mail" for s in by_op["mail.mark_read"])
    switches = [s for s in steps if s.action.type == "tab_switch"]
    assert len(switches) >= 3 and [s.index for s in steps] == list(range(len(steps)))
    logged = WorldRegistry.for_settings(crew.portal.settings).changes(attempt.world)
    assert sorted(c.seq for s in steps for c in s.changes) == [c["seq"] for c in logged]

    replays = ReplayStore.for_settings(crew.portal.settings)
    deadline = time.monotonic() + 180
    while (replays.last(meta.id) is None or replays.last(meta.id).active) and time.monotonic() < deadline:
        time.sleep(0.5)
    proof = replays.last(meta.id)
    assert proof is not None and proof.succeeded, proof and proof.to_dict()


def _tab(context, url_part: str, timeout: float = 30):
    """The context's tab whose URL holds `url_part`, once it has loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for page in context.pages:
            if url_part in page.url:
                page.wait_for_load_state("networkidle")
                return page
        context.pages[0].wait_for_timeout(200)  # not time.sleep: Playwright takes in new tabs while it waits
    raise AssertionError(f"no tab at {url_part}: {[p.url for p in context.pages]}")
