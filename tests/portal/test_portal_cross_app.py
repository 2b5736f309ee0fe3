"""The issue's end-to-end campaign on a cross-app task, in an ordinary browser that no recorder drives: the admin
adds a trainer and a reviewer and creates the campaign, the trainer signs in, starts the assignment and pays a
past-due bill by clicks and typing (Books, Sheets, Mail and Chat all change), submits; the trajectory holds every
step with the changes it caused, the proof replay reproduces it and adds each step's screenshot and accessibility
snapshot, the reviewer accepts it, and `mockapps export` as a user runs it takes it, and only accepted ones."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from campaign_crew import PASSWORD, Person, browser_context, csrf_of, record_assignment
from mock_apps.core.world import WorldRegistry
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.campaigns import CampaignStore
from mock_apps.portal.replays import ReplayStore
from mock_apps.portal.reviews import ReviewStore
from mock_apps.tasks import get_task
from trajectories.store import load

TASK = "pay-past-due-brightline-br-57130"  # pay in Books, Paid cell in Sheets, remittance mail, #ap-approvals post
APPS = {"books", "sheets", "mail", "chat"}
GOLDEN = Path(__file__).resolve().parents[2] / "mock_apps" / "tasks" / "golden" / TASK
MOCKAPPS = str(Path(sys.executable).with_name("mockapps"))


def _add_person(admin, portal, role: str) -> Person:
    """The admin adds a person on the Accounts form; the person sets their password through the invite link."""
    username = f"{role[:2]}x-{secrets.token_hex(3)}"
    added = admin.post(f"{portal.url}/people", timeout=30,
                       data={"username": username, "name": f"{role} {username}", "role": role, "csrf_token": admin.csrf})
    assert added.status_code == 201, added.text
    link = added.text.split('data-testid="invite-link" value="')[1].split('"')[0].replace("&amp;", "&")
    guest = requests.Session()
    token = csrf_of(guest.get(link, timeout=30).text)
    done = guest.post(link, timeout=30, data={"password": PASSWORD, "again": PASSWORD, "csrf_token": token})
    assert done.status_code == 200, done.text
    return Person(AccountStore.for_settings(portal.settings).by_username(username), PASSWORD)


def _export(settings, out: Path, *dirs: Path) -> tuple[int, str, list[str]]:
    """`mockapps export --format sft-jsonl` as a user runs it: exit code, what it said, the trajectories taken."""
    run = subprocess.run([MOCKAPPS, "--data", str(settings.data_dir), "export", "--format", "sft-jsonl",
                          "--out", str(out), *map(str, dirs)], capture_output=True, text=True, timeout=120)
    taken = sorted({json.loads(line)["trajectory_id"] for line in out.read_text().splitlines()}) \
        if run.returncode == 0 else []
    return run.returncode, run.stdout + run.stderr, taken


@pytest.mark.slow
def test_a_trainer_records_a_four_app_task_in_an_ordinary_browser_and_the_accepted_trajectory_is_exported(
        browser_type, browser_type_launch_args, crew, tmp_path):
    url, settings = crew.portal.url, crew.portal.settings
    task = get_task(TASK)
    assert set(task.apps) == APPS

    # the admin adds a trainer and a reviewer, and creates the campaign: this task, one demonstration, the trainer
    admin = crew.session(crew.admin)
    trainer, reviewer = _add_person(admin, crew.portal, "trainer"), _add_person(admin, crew.portal, "reviewer")
    name = f"Past-due bills {secrets.token_hex(3)}"
    created = admin.post(f"{url}/campaigns", timeout=30, allow_redirects=False,
                         data={"name": name, "task": TASK, f"needed-{TASK}": "1",
                               "trainer": str(trainer.account.id), "csrf_token": admin.csrf})
    assert created.status_code == 302, created.text
    campaigns = CampaignStore.for_settings(settings)
    campaign = next(c for c in campaigns.campaigns() if c.name == name)

    # the trainer's own browser: launched for them alone, no recorder and no CDP client attached to it
    own_browser = browser_type.launch(**browser_type_launch_args)
    try:
        context = browser_context(own_browser)
        page = context.new_page()
        crew.sign_in(page, trainer)
        row = page.get_by_test_id("my-assignments").locator(f"tr[data-task={TASK}]")
        record_assignment(page, row.get_by_role("button", name=f"Start {TASK}"), task)
        assert "passed" in page.get_by_test_id("score").inner_text()
        assert "score 1.00" in page.get_by_test_id("score").inner_text()
        assert "mockrec" not in {c["name"] for c in context.cookies()}
    finally:
        own_browser.close()

    # every step, each with the change-log entries it caused: the world's whole log, each entry on one step
    attempt = next(a for a in campaigns.assignments(campaign_id=campaign.id)).latest
    meta, steps = load(attempt.folder)
    assert (meta.status, meta.outcome, meta.trainer) == ("complete", "passed", trainer.username)
    assert meta.recording == attempt.recording_id and meta.world == attempt.world
    assert [s.index for s in steps] == list(range(len(steps)))
    _, golden = load(GOLDEN)  # the same demonstration through the Playwright recorder: the same steps
    assert [(s.action.type, s.app, s.page) for s in steps] == [(s.action.type, s.app, s.page) for s in golden]
    logged = WorldRegistry.for_settings(settings).changes(attempt.world)
    assert sorted(c.seq for s in steps for c in s.changes) == [c["seq"] for c in logged]
    changed = {c.app: s for s in steps for c in s.changes}
    assert set(changed) == APPS
    ops = {c.op: s for s in steps for c in s.changes}
    assert {"books.bill.pay", "sheets.cell.set", "mail.send", "chat.post"} <= set(ops), sorted(ops)
    assert ops["books.bill.pay"].app == "books" and ops["books.bill.pay"].action.type == "click"
    assert ops["sheets.cell.set"].action.type == "press" and ops["sheets.cell.set"].app == "sheets"
    assert ops["mail.send"].app == "mail" and ops["chat.post"].action.type == "press"
    assert all(c.changes for s in steps for c in s.changes)  # each entry carries its rows
    assert not any(s.observation.screenshot for s in steps)  # nothing was taken from the trainer's screen

    # the proof replay Submit started: it reproduces, and its pictures and snapshots go into the trajectory
    replays = ReplayStore.for_settings(settings)
    deadline = time.monotonic() + 240
    while (replays.last(meta.id) is None or replays.last(meta.id).active) and time.monotonic() < deadline:
        time.sleep(0.5)
    proof = replays.last(meta.id)
    assert proof is not None and proof.succeeded, proof and proof.to_dict()
    meta, steps = load(attempt.folder)
    assert meta.proof is not None and meta.proof.reproduced and meta.proof.steps_replayed == len(steps)
    observed = [s for s in steps if s.action.type != "tab_open"]
    assert all(s.observation.screenshot and (attempt.folder / s.observation.screenshot).is_file() for s in observed)
    assert all(s.observation.accessibility for s in observed)

    # not reviewed yet: the export leaves it out
    code, said, _ = _export(settings, tmp_path / "before.jsonl", attempt.folder)
    assert code == 1 and "0 accepted" in said, said

    # the reviewer finds it in the queue, with its proof, and accepts it
    review = crew.session(reviewer)
    queue = review.get(f"{url}/review", timeout=30).text
    assert f"data-trajectory='{meta.id}'" in queue or f'data-trajectory="{meta.id}"' in queue
    accepted = review.post(f"{url}/trajectories/{meta.id}/reviews", timeout=30,
                           data={"verdict": "accepted", "csrf_token": review.csrf})
    assert accepted.status_code == 200, accepted.text
    verdicts = ReviewStore.for_settings(settings).verdicts()
    assert verdicts[meta.id] == "accepted"

    # the export over every campaign recording takes this one and only accepted ones
    code, said, taken = _export(settings, tmp_path / "after.jsonl", crew.portal.trajectories)
    assert code == 0 and meta.id in taken, said
    assert all(verdicts.get(t) == "accepted" for t in taken), said
    lines = (tmp_path / "after.jsonl").read_text().splitlines()
    assert sum(json.loads(line)["trajectory_id"] == meta.id for line in lines) == len(steps)
