"""A campaign in real browsers, one per person: the admin adds a trainer (the invite link sets the password) and
creates a campaign, the trainer starts the assignment (a tab opens on the task's start page in their own world)
and submits, a reviewer sends it back with a reason, the trainer sees it and records again, the reviewer accepts,
the campaign page counts it all, and the export takes only the accepted trajectory."""

from __future__ import annotations

import csv
import io
import re
import secrets
import time

import pytest
import requests

from campaign_crew import browser_context as _context, record_assignment as _record
from mock_apps.export import export_trajectories
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.replays import ReplayStore
from mock_apps.tasks import get_task
from trajectories.store import load

TASK = "announce-lunch-in-general"


@pytest.mark.slow
def test_a_campaign_from_invite_to_accepted_export(browser, crew, tmp_path):
    portal = crew.portal.url
    task = get_task(TASK)
    admin_context, trainer_context, reviewer_context = _context(browser), _context(browser), _context(browser)
    try:
        admin = admin_context.new_page()
        crew.sign_in(admin, crew.admin)

        # the admin adds a trainer; the invite link is shown once
        username = f"ana-{secrets.token_hex(3)}"
        admin.get_by_role("link", name="Accounts").click()
        person = admin.get_by_role("form", name="Add a person")
        person.get_by_label("Username").fill(username)
        person.get_by_label("Name", exact=True).fill("Ana Ortiz")
        person.get_by_label("Role").select_option("trainer")
        person.get_by_role("button", name="Add person").click()
        link = admin.get_by_test_id("invite-link").input_value()
        assert admin.locator(f"tr[data-person={username}]").get_by_text("not set yet").is_visible()

        # the trainer sets a password through it and lands on their (empty) assignments
        trainer = trainer_context.new_page()
        trainer.goto(link)
        assert trainer.get_by_test_id("invited-username").inner_text() == username
        trainer.get_by_label("New password").fill("ana's long password")
        trainer.get_by_label("The same again").fill("ana's long password")
        trainer.get_by_role("button", name="Set password").click()
        trainer.get_by_role("heading", name=re.compile("My assignments")).wait_for()
        assert "Nothing assigned to you" in trainer.get_by_test_id("my-assignments").inner_text()
        ana = AccountStore.for_settings(crew.portal.settings).by_username(username)

        # the admin creates a campaign: one task, one accepted demonstration, Ana
        admin.get_by_role("link", name="Campaigns").click()
        form = admin.get_by_role("form", name="New campaign")
        form.get_by_label("Campaign name").fill(f"Lunch {username}")
        form.get_by_role("checkbox", name=re.compile(re.escape(username))).check()
        form.get_by_role("checkbox", name=re.compile(re.escape(TASK))).check()
        form.get_by_label(f"Demonstrations needed for {TASK}").fill("1")
        form.get_by_role("button", name="Create campaign").click()
        progress = admin.get_by_test_id("progress").locator(f"tr[data-task={TASK}]")
        assert progress.locator("td").nth(1).inner_text() == "1" and progress.get_by_test_id("recorded").inner_text() == "0"
        campaign_url = admin.url

        # Ana starts: a tab opens on the task's start page in her own world, with the recording cookie
        trainer.reload()
        row = trainer.get_by_test_id("my-assignments").locator(f"tr[data-task={TASK}]")
        assert row.get_by_test_id("state").inner_text() == "assigned"
        _record(trainer, row.get_by_role("button", name=f"Start {TASK}"), task)
        cookies = {c["name"]: c for c in trainer_context.cookies()}
        assert "mockrec" not in cookies  # cleared by Submit
        assert cookies["mockworld"]["value"].startswith(f"{username}-{TASK}"[:40])
        assert "passed" in trainer.get_by_test_id("score").inner_text()
        assert "score 1.00" in trainer.get_by_test_id("score").inner_text()
        assert "✓ message posted in #general" in trainer.get_by_test_id("check-lines").inner_text()
        assert trainer.get_by_test_id("assignment-state").inner_text() == "submitted"
        first = crew.assignment_of(crew_person(ana), _campaign_of(crew, ana), TASK).latest

        # a reviewer finds it in the queue and sends it back with the reason
        reviewer = reviewer_context.new_page()
        crew.sign_in(reviewer, crew.reviewer)
        reviewer.get_by_role("link", name="Review queue").click()
        reviewer.get_by_test_id("queue").locator(f"tr[data-trajectory='{first.trajectory_id}']").get_by_role(
            "link").click()
        review = reviewer.locator("#review")
        assert "Your name" not in review.inner_text()  # signed in: the review is the account's
        review.get_by_role("button", name="Send back for rework").click()
        assert "say why" in review.get_by_role("alert").inner_text()
        review.get_by_label("Comment", exact=True).fill("Say that it is the quarter-end lunch.")
        review.get_by_role("button", name="Send back for rework").click()
        reviewer.get_by_text("Review saved.").wait_for()

        # Ana sees the verdict and the reason, and records again (a new recording; the old one stays)
        trainer.reload()
        assert trainer.get_by_test_id("assignment-state").inner_text() == "sent back"
        assert "sent back for rework" in trainer.get_by_test_id("verdict").inner_text()
        assert trainer.get_by_test_id("reason").inner_text() == "Say that it is the quarter-end lunch."
        _record(trainer, trainer.get_by_role("button", name="Record again"), task)
        assignment = crew.assignment_of(crew_person(ana), _campaign_of(crew, ana), TASK)
        second = assignment.latest
        assert len(assignment.attempts) == 2 and second.trajectory_id != first.trajectory_id
        assert first.world != second.world and first.folder.exists()

        # the reviewer accepts the second; Ana sees it
        reviewer.get_by_role("link", name="Review queue").click()
        reviewer.get_by_test_id("queue").locator(f"tr[data-trajectory='{second.trajectory_id}']").get_by_role(
            "link").click()
        reviewer.locator("#review").get_by_role("button", name="Accept").click()
        reviewer.get_by_text("Review saved.").wait_for()
        trainer.reload()
        assert trainer.get_by_test_id("assignment-state").inner_text() == "accepted"

        # the campaign page counts both recordings, one accepted, one sent back; the CSV says the same
        admin.goto(campaign_url)
        progress = admin.get_by_test_id("progress").locator(f"tr[data-task={TASK}]")
        assert [progress.get_by_test_id(k).inner_text() for k in ("recorded", "accepted", "rejected", "sent-back")] \
            == ["2", "1", "0", "1"]
        assert admin.get_by_test_id("time").locator(f"tr[data-trainer={username}]").locator("td").nth(1) \
            .inner_text() == "2"
        csv_url = admin.get_by_test_id("progress-csv").get_attribute("href")
        session_cookie = {c["name"]: c["value"] for c in admin_context.cookies()}
        rows = list(csv.DictReader(io.StringIO(requests.get(portal + csv_url, cookies=session_cookie,
                                                            timeout=30).text)))
        assert {(r["kind"], r["name"], r["recorded"], r["accepted"], r["sent_back"]) for r in rows
                if r["kind"] == "task"} == {("task", TASK, "2", "1", "1")}
        ana_row = next(r for r in rows if r["kind"] == "trainer" and r["name"] == username)
        assert ana_row["recordings"] == "2" and float(ana_row["seconds"]) > 0

        # the proof replay started on Submit ran (observing: its pictures go into the trajectory) and the trainer's
        # page says how it went: that it replays, or the first step where it diverged
        replays = ReplayStore.for_settings(crew.portal.settings)
        deadline = time.monotonic() + 180
        while (replays.last(second.trajectory_id) is None or replays.last(second.trajectory_id).active) \
                and time.monotonic() < deadline:
            time.sleep(0.5)
        proof = replays.last(second.trajectory_id)
        assert proof.state == "finished" and proof.report["steps"], proof.to_dict()
        trainer.reload()
        shown = trainer.get_by_test_id("proof-replay").inner_text()
        assert proof.succeeded, proof.to_dict()  # it replays: every step, the final state and the checks
        assert "it replays" in shown
        _, steps = load(second.folder)
        assert all(s.observation.screenshot for s in steps if s.action.type != "tab_open")

        # the export takes the accepted trajectory and not the sent-back one
        result = export_trajectories([crew.portal.trajectories], "sft-jsonl", tmp_path / "steps.jsonl",
                                     settings=crew.portal.settings)
        assert second.trajectory_id in result.exported and first.trajectory_id not in result.exported
    finally:
        for context in (admin_context, trainer_context, reviewer_context):
            context.close()


def crew_person(account):
    """A Person for an account made through the People page (its password is not needed here)."""
    from campaign_crew import Person

    return Person(account, "")


def _campaign_of(crew, account):
    from mock_apps.portal.campaigns import CampaignStore

    store = CampaignStore.for_settings(crew.portal.settings)
    return next(c for c in store.campaigns()
                if any(a.trainer_id == account.id for a in store.assignments(campaign_id=c.id)))


ANSWER_TASK = "answer-inv-1021-open-balance"


@pytest.mark.slow
def test_a_closed_tab_goes_on_with_the_same_recording_and_give_up_keeps_it_abandoned(browser, crew):
    campaign = crew.campaign({ANSWER_TASK: 1}, trainers=[crew.trainer])
    context = _context(browser)
    try:
        trainer = context.new_page()
        crew.sign_in(trainer, crew.trainer)
        row = trainer.get_by_test_id("my-assignments").locator(f"tr[data-task={ANSWER_TASK}]")
        with context.expect_page() as opened:
            row.get_by_role("button", name=f"Start {ANSWER_TASK}").click()
        work = opened.value
        trainer.get_by_test_id("task-panel").wait_for()
        world = trainer.get_by_test_id("world").inner_text()
        work.wait_for_url(re.compile(re.escape(crew.portal.settings.port("chat").__str__())))
        recording = crew.assignment_of(crew.trainer, campaign, ANSWER_TASK).latest

        # every tab closed and the cookies lost (another browser window, a cleared session): the assignment
        # opened again goes on with the same world and recording
        work.close()
        context.clear_cookies(name="mockrec")
        context.clear_cookies(name="mockworld")
        trainer.goto(f"{crew.portal.url}/assignments")
        trainer.get_by_role("link", name="Go on recording").click()
        assert trainer.get_by_test_id("world").inner_text() == world
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["mockworld"]["value"] == world and cookies["mockrec"]["httpOnly"]
        assert cookies["mockrec"]["value"].startswith(recording.recording_id + ".")
        assert crew.assignment_of(crew.trainer, campaign, ANSWER_TASK).attempts == [recording]

        # a task that asks a question will not be submitted without the answer
        trainer.get_by_label("Your answer").evaluate("el => el.removeAttribute('required')")
        trainer.get_by_role("button", name="Submit").click()
        assert "asks for an answer" in trainer.get_by_test_id("panel-error").inner_text()
        assert crew.assignment_of(crew.trainer, campaign, ANSWER_TASK).latest.status == "recording"

        trainer.once("dialog", lambda dialog: dialog.accept())
        trainer.get_by_role("button", name="Give up").click()
        trainer.get_by_text("Given up").wait_for()
        assert trainer.get_by_test_id("assignment-state").inner_text() == "assigned"
        assert "mockrec" not in {c["name"] for c in context.cookies()}
        meta, _ = load(recording.folder)
        assert meta.status == "abandoned"
        assert trainer.get_by_role("button", name="Start").is_visible()  # it can be started again
    finally:
        context.close()


@pytest.mark.slow
def test_what_the_trainer_does_while_the_connection_drops_is_recorded_once_it_is_back(browser, crew):
    from mock_apps.tasks.demos.pages import open_channel

    campaign = crew.campaign({TASK: 1}, trainers=[crew.trainer])
    task = get_task(TASK)
    text = f"Heads up: {task.params['what']} ({task.params['words']})."
    context = _context(browser)
    try:
        trainer = context.new_page()
        crew.sign_in(trainer, crew.trainer)
        row = trainer.get_by_test_id("my-assignments").locator(f"tr[data-task={TASK}]")
        with context.expect_page() as opened:
            row.get_by_role("button", name=f"Start {TASK}").click()
        work = opened.value
        trainer.get_by_test_id("task-panel").wait_for()
        work.wait_for_url(re.compile(r"/archives/"))
        open_channel(work, task.params["channel"])
        work.wait_for_load_state("networkidle")

        # the connection drops while the trainer types (the report of the typing cannot go out), and is back
        # before Enter: the typing is reported first, then the Enter
        context.set_offline(True)
        work.get_by_test_id("composer-input").fill(text)
        context.set_offline(False)
        work.get_by_test_id("composer-input").press("Enter")
        work.get_by_text(text).wait_for()
        work.close()
        trainer.get_by_role("button", name="Submit").click()
        trainer.get_by_test_id("result").wait_for()
        assert "score 1.00" in trainer.get_by_test_id("score").inner_text()
    finally:
        context.close()

    attempt = crew.assignment_of(crew.trainer, campaign, TASK).latest
    meta, steps = load(attempt.folder)
    post = next(s for s in steps if any(c.op == "chat.post" for c in s.changes))
    typed = steps[post.index - 1]
    assert (typed.action.type, typed.action.args.get("value"), post.action.type) == ("fill", text, "press")
    replays = ReplayStore.for_settings(crew.portal.settings)
    deadline = time.monotonic() + 180
    while (replays.last(meta.id) is None or replays.last(meta.id).active) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert replays.last(meta.id).succeeded, replays.last(meta.id).to_dict()
