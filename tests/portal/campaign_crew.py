"""The people of a campaign test: a portal with accounts on, accounts with known passwords, a campaign maker, and
signed-in HTTP sessions and browser pages (the fixtures in conftest.py hand them out)."""

from __future__ import annotations

import itertools
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import requests

from mock_apps.portal.accounts import Account, AccountStore
from mock_apps.portal.campaigns import Campaign, CampaignStore

_people = itertools.count(1)
PASSWORD = "correct horse battery"


@dataclass
class AccountsPortal:
    """A portal with accounts on: its URL and its settings (the sandbox's, with its own trajectory folder)."""

    url: str
    settings: object

    @property
    def trajectories(self) -> Path:
        """Where the campaign recordings of this portal go."""
        return self.settings.trajectory_dirs[0]


@dataclass
class Person:
    """An account and its password."""

    account: Account
    password: str

    @property
    def username(self) -> str:
        """The username to sign in with."""
        return self.account.username


def csrf_of(html: str) -> str:
    """The CSRF token in a portal page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@dataclass
class Crew:
    """People of one test on the accounts portal (usernames unique per test) and what a test does with them."""

    portal: AccountsPortal
    admin: Person
    trainer: Person
    other_trainer: Person
    reviewer: Person

    def campaign(self, needed: dict[str, int], trainers: list[Person] | None = None) -> Campaign:
        """A campaign of these tasks for these trainers (default: both), made as the admin's form would."""
        store = CampaignStore.for_settings(self.portal.settings)
        chosen = trainers if trainers is not None else [self.trainer, self.other_trainer]
        return store.create(f"campaign {secrets.token_hex(4)}", needed, [p.account.id for p in chosen],
                            self.admin.username)

    def assignment_of(self, person: Person, campaign: Campaign, task_id: str):
        """The person's assignment of a task in a campaign."""
        return next(a for a in CampaignStore.for_settings(self.portal.settings).assignments(
            campaign_id=campaign.id, trainer_id=person.account.id) if a.task_id == task_id)

    def session(self, person: Person) -> requests.Session:
        """An HTTP session signed in as the person; `session.csrf` is its form token."""
        http = requests.Session()
        form = http.get(f"{self.portal.url}/signin", timeout=30)
        answer = http.post(f"{self.portal.url}/signin", timeout=30, allow_redirects=False,
                           data={"username": person.username, "password": person.password,
                                 "csrf_token": csrf_of(form.text)})
        assert answer.status_code == 302, answer.text
        http.csrf = csrf_of(http.get(f"{self.portal.url}/assignments", timeout=30).text)
        return http

    def sign_in(self, page, person: Person) -> None:
        """Sign the browser page in as the person, through the form."""
        page.goto(f"{self.portal.url}/signin")
        page.get_by_label("Username").fill(person.username)
        page.get_by_label("Password").fill(person.password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_test_id("signed-in").wait_for()


def browser_context(browser):
    """A new context of the browser at the portal's desktop size, patient with a loaded machine (the portal under
    test shares its process with the proof replays it runs)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    return context


def record_assignment(trainer_page, start_button, task) -> None:
    """Start (or record again) from the trainer's page, do the task in the tab that opens by its demo (clicks and
    typing in the real UI), close that tab and submit from the task panel."""
    from mock_apps.tasks.demos import demo_for

    with trainer_page.context.expect_page() as opened:
        start_button.click()
    work = opened.value
    trainer_page.get_by_test_id("task-panel").wait_for()
    work.wait_for_url(re.compile(r"/$|/archives/"))
    assert work.get_by_test_id("world-id").inner_text() == trainer_page.get_by_test_id("world").inner_text()
    demo_for(task)(work, task)
    work.wait_for_load_state("networkidle")  # the capture script's last report is in
    work.close()
    trainer_page.get_by_role("button", name="Submit").click()
    trainer_page.get_by_test_id("result").wait_for()


def make_person(settings, role: str, name: str | None = None) -> Person:
    """A new account of the role with a unique username and the test password."""
    username = f"{role[:2]}{next(_people)}-{secrets.token_hex(3)}"
    account = AccountStore.for_settings(settings).create(username, name or f"{role.title()} {username}", role,
                                                         PASSWORD)
    return Person(account, PASSWORD)
