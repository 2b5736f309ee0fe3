"""Who may do what on the portal, over plain HTTP: sign-in, CSRF tokens, roles, trainers kept to their own
assignments and trajectories, invite links used once, and cross-site posts refused without accounts."""

from __future__ import annotations

import re
import sqlite3

import requests

from campaign_crew import csrf_of
from mock_apps.core.settings import APP_NAMES
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.campaigns import CampaignStore
from mock_apps.portal.database import portal_db_path

TASK = "announce-lunch-in-general"


def test_unauthenticated_requests_go_to_sign_in_or_get_401(crew):
    url = crew.portal.url
    for path in ("/", "/trajectories", "/campaigns", "/people", "/review", "/assignments", "/statistics"):
        answer = requests.get(url + path, headers={"Accept": "text/html"}, allow_redirects=False, timeout=30)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/signin?next="), path
    answer = requests.get(f"{url}/trajectories/whatever/replay", headers={"Accept": "application/json"}, timeout=30)
    assert answer.status_code == 401
    # a form post without a session has no token to show, so it is refused before anything else
    answer = requests.post(f"{url}/people", data={"username": "mallory", "role": "admin"}, timeout=30)
    assert answer.status_code == 403 and AccountStore.for_settings(crew.portal.settings).by_username("mallory") is None


def test_wrong_password_is_refused_with_one_message_and_no_session(crew):
    http = requests.Session()
    form = http.get(f"{crew.portal.url}/signin", timeout=30)
    token = csrf_of(form.text)
    for username, password in ((crew.trainer.username, "not the password"), ("nobody-here", "whatever it is")):
        answer = http.post(f"{crew.portal.url}/signin", timeout=30, allow_redirects=False,
                           data={"username": username, "password": password, "csrf_token": token})
        assert answer.status_code == 401 and "wrong username or password" in answer.text
    assert http.get(f"{crew.portal.url}/assignments", headers={"Accept": "text/html"}, allow_redirects=False,
                    timeout=30).status_code == 302


def test_a_post_without_the_csrf_token_changes_nothing(crew):
    admin = crew.session(crew.admin)
    store = AccountStore.for_settings(crew.portal.settings)
    for token in (None, "forged-token"):
        data = {"username": "sneaky", "name": "Sneaky", "role": "admin", **({"csrf_token": token} if token else {})}
        answer = admin.post(f"{crew.portal.url}/people", data=data, timeout=30)
        assert answer.status_code == 403 and "security token" in answer.text
    assert store.by_username("sneaky") is None
    # with the token the same form works
    answer = admin.post(f"{crew.portal.url}/people", timeout=30, data={"username": f"ok-{crew.admin.username}",
                                                                         "role": "trainer", "csrf_token": admin.csrf})
    assert answer.status_code == 201 and "/invites/" in answer.text


def test_non_admins_posting_admin_forms_are_refused_and_nothing_changes(crew, sandbox):
    campaigns = CampaignStore.for_settings(crew.portal.settings)
    before = len(campaigns.campaigns())
    for person in (crew.trainer, crew.reviewer):
        http = crew.session(person)
        url = crew.portal.url
        answers = [
            http.post(f"{url}/people", data={"username": f"x{person.username}", "role": "admin",
                                             "csrf_token": http.csrf}, timeout=30),
            http.post(f"{url}/campaigns", data={"name": "mine", "task": TASK, f"needed-{TASK}": "1",
                                                "trainer": str(person.account.id), "csrf_token": http.csrf},
                      timeout=30),
            http.post(f"{url}/people/{crew.admin.account.id}/invite", data={"csrf_token": http.csrf}, timeout=30),
            http.post(f"{url}/worlds", data={"world": f"w-{person.username}", "csrf_token": http.csrf}, timeout=30),
            http.get(f"{url}/campaigns", timeout=30),
        ]
        assert [a.status_code for a in answers] == [403] * 5, person.username
        assert "may not open" in answers[0].text
        assert AccountStore.for_settings(crew.portal.settings).by_username(f"x{person.username}") is None
        assert not sandbox.settings.worlds_dir.joinpath(f"w-{person.username}").exists()
    assert len(campaigns.campaigns()) == before


def test_a_trainer_cannot_reach_another_trainers_assignment_or_trajectory(crew, sandbox):
    campaign = crew.campaign({TASK: 1})
    theirs = crew.assignment_of(crew.other_trainer, campaign, TASK)
    mine = crew.assignment_of(crew.trainer, campaign, TASK)
    other = crew.session(crew.other_trainer)
    url = crew.portal.url
    # the other trainer records (an empty recording is still a trajectory) and submits
    assert other.post(f"{url}/assignments/{theirs.id}/start", data={"csrf_token": other.csrf}, timeout=30,
                      allow_redirects=False).status_code == 302
    assert "mockrec" in other.cookies and other.cookies["mockworld"].startswith(crew.other_trainer.username)
    submitted = other.post(f"{url}/assignments/{theirs.id}/submit", data={"csrf_token": other.csrf}, timeout=60)
    assert submitted.status_code == 200 and "Your last submission" in submitted.text
    trajectory = crew.assignment_of(crew.other_trainer, campaign, TASK).latest
    assert trajectory.status == "complete" and "mockrec" not in other.cookies
    assert other.get(f"{url}/trajectories/{trajectory.trajectory_id}", timeout=30).status_code == 200

    me = crew.session(crew.trainer)
    for path in (f"/assignments/{theirs.id}", f"/trajectories/{trajectory.trajectory_id}",
                 f"/trajectories/{trajectory.trajectory_id}/files/trajectory.json",
                 f"/trajectories/{trajectory.trajectory_id}/replay", "/trajectories/no-such-key"):
        assert me.get(url + path, timeout=30).status_code == 404, path
    for action in ("start", "submit", "give-up"):
        answer = me.post(f"{url}/assignments/{theirs.id}/{action}", data={"csrf_token": me.csrf}, timeout=30)
        assert answer.status_code == 404, action
    assert crew.assignment_of(crew.other_trainer, campaign, TASK).attempts == [trajectory]

    # nor their world: the apps serve whichever world a browser's cookie names, so the name is the secret. It ends
    # in 64 random bits; what anyone could guess (trainer and task) opens nothing in any app, and no page of mine
    # names it
    guessable, _, tail = trajectory.world.rpartition("-")
    assert re.fullmatch(r"[0-9a-f]{16}", tail) and guessable.startswith(crew.other_trainer.username)
    for app in APP_NAMES:
        for guess in (guessable, f"{guessable}-{tail[:8]}", f"{guessable}-{'0' * 16}"):
            answer = requests.get(f"{sandbox.url(app)}/", cookies={"mockworld": guess}, timeout=30)
            assert answer.status_code == 404 and trajectory.world not in answer.text, (app, guess)
    for path in ("/", "/assignments", f"/assignments/{mine.id}"):
        assert trajectory.world not in me.get(url + path, timeout=30).text, path
    # my own recording's cookie does not let my browser report into their world either
    assert me.post(f"{url}/assignments/{mine.id}/start", data={"csrf_token": me.csrf}, timeout=30,
                   allow_redirects=False).status_code == 302
    report = '{"tab": "mockrec-tab-x", "event": {"type": "click", "args": {}, "target": null, "url": "/"}}'
    answer = requests.post(f"{sandbox.url('chat')}/_capture/events", data=report, timeout=30,
                           cookies={"mockrec": me.cookies["mockrec"], "mockworld": trajectory.world})
    assert answer.status_code == 403 and answer.json()["error"] == "wrong_world"
    # the trainer's own list names only their own assignment; the review pages are not theirs
    listing = me.get(f"{url}/assignments", timeout=30).text
    assert f'data-assignment="{mine.id}"' in listing and f'data-assignment="{theirs.id}"' not in listing
    assert me.get(f"{url}/trajectories", timeout=30).status_code == 403
    assert me.post(f"{url}/trajectories/{trajectory.trajectory_id}/reviews", timeout=30,
                   data={"verdict": "accepted", "csrf_token": me.csrf}).status_code == 403
    # a reviewer sees it and reviews it under their own name, whatever the form says
    reviewer = crew.session(crew.reviewer)
    answer = reviewer.post(f"{url}/trajectories/{trajectory.trajectory_id}/reviews", timeout=30,
                           data={"verdict": "rejected", "reviewer": "someone else", "csrf_token": reviewer.csrf})
    assert answer.status_code == 400 and "say why" in answer.text  # a campaign rejection needs its reason
    answer = reviewer.post(f"{url}/trajectories/{trajectory.trajectory_id}/reviews", timeout=30,
                           data={"verdict": "rejected", "comment": "nothing was done", "reviewer": "someone else",
                                 "csrf_token": reviewer.csrf})
    assert answer.status_code == 200
    from mock_apps.portal.reviews import ReviewStore

    latest = ReviewStore.for_settings(crew.portal.settings).latest(trajectory.trajectory_id)
    assert (latest.verdict, latest.reviewer) == ("rejected", crew.reviewer.account.name)
    assert crew.assignment_of(crew.other_trainer, campaign, TASK).state(
        ReviewStore.for_settings(crew.portal.settings).verdicts()) == "rejected"
    page = other.get(f"{url}/assignments/{theirs.id}", timeout=30).text
    assert "nothing was done" in page and "rejected" in page and ">Record again<" not in page


def test_invite_links_work_once_and_expire(crew):
    store = AccountStore.for_settings(crew.portal.settings)
    admin = crew.session(crew.admin)
    answer = admin.post(f"{crew.portal.url}/people/{crew.trainer.account.id}/invite",
                        data={"csrf_token": admin.csrf}, timeout=30)
    link = answer.text.split('data-testid="invite-link" value="')[1].split('"')[0]
    assert link.startswith(crew.portal.url + "/invites/")
    guest = requests.Session()
    page = guest.get(link, timeout=30)
    assert page.status_code == 200 and crew.trainer.username in page.text
    token = csrf_of(page.text)
    short = guest.post(link, data={"password": "short", "again": "short", "csrf_token": token}, timeout=30)
    assert short.status_code == 400 and "at least 10 characters" in short.text
    differ = guest.post(link, data={"password": "a long new password", "again": "another one entirely",
                                    "csrf_token": token}, timeout=30)
    assert differ.status_code == 400 and "differ" in differ.text
    store.authenticate(crew.trainer.username, crew.trainer.password)  # unchanged so far
    done = guest.post(link, data={"password": "a long new password", "again": "a long new password",
                                  "csrf_token": token}, timeout=30)
    assert done.status_code == 200 and "Password set" in done.text
    store.authenticate(crew.trainer.username, "a long new password")
    again = guest.post(link, data={"password": "yet another password", "again": "yet another password",
                                   "csrf_token": csrf_of(done.text)}, timeout=30)
    assert again.status_code == 410 and "used already" in again.text
    store.authenticate(crew.trainer.username, "a long new password")

    expiring = store.invite(crew.reviewer.account.id)
    with sqlite3.connect(portal_db_path(crew.portal.settings.data_dir)) as db:
        db.execute("UPDATE invites SET expires = '2020-01-01T00:00:00+00:00' WHERE account_id = ?",
                   (crew.reviewer.account.id,))
    answer = requests.get(f"{crew.portal.url}/invites/{expiring.token}", timeout=30)
    assert answer.status_code == 410 and "expired" in answer.text
    assert requests.get(f"{crew.portal.url}/invites/not-a-real-token", timeout=30).status_code == 404


def test_campaign_form_refuses_bad_input_and_creates_nothing(crew):
    admin = crew.session(crew.admin)
    campaigns = CampaignStore.for_settings(crew.portal.settings)
    before = len(campaigns.campaigns())
    base = {"name": f"bad {crew.admin.username}", "csrf_token": admin.csrf}
    cases = [
        ({"task": TASK, f"needed-{TASK}": "2", "trainer": str(crew.trainer.account.id)}, "needs 2 demonstrations"),
        ({"task": "no-such-task", "needed-no-such-task": "1", "trainer": str(crew.trainer.account.id)},
         "unknown task"),
        ({"task": TASK, f"needed-{TASK}": "1", "trainer": str(crew.reviewer.account.id)}, "is not a trainer"),
        ({"task": TASK, f"needed-{TASK}": "many", "trainer": str(crew.trainer.account.id)}, "whole number"),
        ({"task": TASK, f"needed-{TASK}": "\u00b2", "trainer": str(crew.trainer.account.id)}, "whole number"),
        ({"task": TASK, f"needed-{TASK}": "1", "trainer": "\u00b2"}, "chosen from the list"),
        ({"trainer": str(crew.trainer.account.id)}, "choose at least one task"),
        ({"task": TASK, f"needed-{TASK}": "1"}, "choose at least one trainer"),
    ]
    for extra, message in cases:
        answer = admin.post(f"{crew.portal.url}/campaigns", data={**base, **extra}, timeout=30)
        assert answer.status_code == 400 and message in answer.text, (extra, answer.status_code)
    assert len(campaigns.campaigns()) == before


def test_without_accounts_a_cross_site_post_is_refused(sandbox):
    """The session sandbox's portal runs on loopback without accounts (the `make run` default)."""
    url = sandbox.url("portal")
    worlds = sandbox.settings.worlds_dir
    for headers in ({"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": url.replace("127.0.0.1", "localhost")}):
        answer = requests.post(f"{url}/worlds", data={"world": "csrf-victim"}, headers=headers, timeout=30)
        assert answer.status_code == 403 and "form post" in answer.text, headers
        assert not (worlds / "csrf-victim").exists()
    page = requests.get(f"{url}/", timeout=30).text
    assert "Single-user mode" in page
    answer = requests.post(f"{url}/worlds", data={"world": "csrf-fine"}, timeout=30,
                           headers={"Origin": url, "Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 200 and (worlds / "csrf-fine").exists()
