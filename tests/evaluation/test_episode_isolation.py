"""Episodes are isolated: an environment that keeps its browser context across resets carries nothing of one
episode into the next (tabs, history, cookies, local and session storage, downloads), and environments running at
the same time on one sandbox, each in its own thread and Chromium, change only their own worlds."""

from __future__ import annotations

import threading
from dataclasses import replace

import gymnasium
import pytest
import requests

from mock_apps.core import browser as chromium
from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.world import WorldRegistry
from mock_apps.scenarios import get_scenario
from mock_apps.evaluation.agents.replay import ReplayAgent
from mock_apps.evaluation.env import MockAppsEnv
from mock_apps.tasks.demos import GOLDEN
from trajectories.store import load

pytestmark = pytest.mark.slow

CHAT_TASK = "announce-lunch-in-general"
LEAK_JS = """() => { localStorage.setItem('leak', 'local'); sessionStorage.setItem('leak', 'session');
                     document.cookie = 'leak=cookie; path=/'; }"""
READ_JS = "() => [localStorage.getItem('leak'), sessionStorage.getItem('leak'), document.cookie.includes('leak=')]"
DOWNLOAD_JS = """() => { const a = document.createElement('a'); a.href = 'data:text/plain,left%20behind';
                         a.download = 'leftover.txt'; document.body.appendChild(a); a.click(); }"""


def test_a_kept_context_carries_nothing_into_the_next_episode(make_env, sandbox):
    env = make_env(CHAT_TASK)
    env.reset(seed=5)
    context = env.context
    env.page.evaluate(LEAK_JS)  # on Chat's origin
    observation, *_ = env.step('goto("sheets:/")')
    env.page.evaluate(LEAK_JS)  # Sheets keeps its clipboard in sessionStorage: the same tab, another origin
    assert env.page.evaluate(READ_JS) == ["local", "session", True]
    env.page.evaluate(DOWNLOAD_JS)
    observation, *_ = env.step("new_tab()")
    observation, *_ = env.step('goto("books:/")')
    assert len(observation["open_pages_urls"]) == 2 and observation["downloads"]

    observation, _ = env.reset(seed=5)
    assert env.context is context  # the point of this test: the context was kept, not replaced
    assert observation["open_pages_urls"] == (observation["url"],) and observation["url"].startswith(
        sandbox.url("chat"))
    assert observation["downloads"] == () and not any(env._downloads_dir.iterdir())
    assert env.page.evaluate(READ_JS) == [None, None, False]
    assert env.page.evaluate("history.length") == 1
    observation, *_ = env.step("go_back()")  # the tab's history starts with this episode
    assert observation["last_action_error"] == "go_back: this tab has no earlier page"
    observation, *_ = env.step('goto("sheets:/")')
    assert env.page.evaluate(READ_JS) == [None, None, False]
    assert {(c["name"], c["value"]) for c in env.context.cookies()} == {("mockworld", env.world_id)}


def test_an_episode_ended_early_is_cleaned_up_then_and_the_next_reset_only_opens_its_pages(make_env, sandbox):
    env = make_env(CHAT_TASK)
    first, _ = env.reset(seed=5)
    context, world = env.context, env.world_id
    env.page.evaluate(LEAK_JS)
    env.step('goto("sheets:/")')
    env.step("new_tab()")

    env.end_episode()  # what the rollout server does when a rollout ends
    assert not WorldRegistry.for_settings(sandbox.settings).exists(world)
    assert [page.url for page in env.context.pages] == ["about:blank"] and env.context.cookies() == []
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step("noop()")

    again, _ = env.reset(seed=5)
    assert env.context is context
    assert again == first  # the same first observation as before the cleanup moved
    assert env.page.evaluate(READ_JS) == [None, None, False]
    assert env.page.evaluate("history.length") == 1


def test_apps_that_guard_their_control_api_need_no_route_and_pages_gone_back_to_are_fetched_again(tmp_path, browser):
    """A deployment whose control API needs a token and that serves no portal (the rollout server's apps) is used
    without Playwright routes; pages are fetched as under a route, never from the browser's cache."""
    settings = replace(Settings(), data_dir=tmp_path, host="127.0.0.1", control_token="rollout-secret")
    with Sandbox(settings, names=APP_NAMES, ephemeral=True) as apps:
        env = MockAppsEnv(CHAT_TASK, sandbox=apps, browser=browser)
        try:
            env.reset()
            chat = env.page.url
            assert env.page.evaluate("async () => (await fetch('/_control/health')).status") == 401
            owner = get_scenario(env.task.scenario).facts.owner.key
            posted = requests.post(f"{apps.url('chat')}/w/{env.world_id}/api/chat.postMessage", timeout=30,
                                   headers={"Authorization": f"Bearer xoxp-{owner}"},
                                   json={"channel": "general", "text": "Fetched again, not cached"})
            assert posted.json()["ok"] is True
            env.step('goto("mail:/")')
            observation, *_ = env.step("go_back()")
            assert observation["url"] == chat and "Fetched again, not cached" in observation["axtree"]
            observation, reward, terminated, *_ = env.step('send_msg_to_user("done")')
            assert terminated and 0.0 <= reward <= 1.0  # scored through the control API, with the token
        finally:
            env.close()


def test_a_kept_context_gives_the_same_first_observation_as_a_new_one(make_env):
    env = make_env(CHAT_TASK)
    first, _ = env.reset(seed=7)  # a new context
    context = env.context
    env.step('goto("mail:/")')
    env.step("new_tab()")
    again, _ = env.reset(seed=7)  # the same world id, in the kept context
    assert env.context is context
    for key in ("url", "open_pages_urls", "active_page_index", "axtree", "elements", "focused_element_id",
                "chat_messages", "downloads"):
        assert again[key] == first[key], key


def test_recorded_episodes_share_a_kept_context_and_each_trajectory_holds_only_its_own_steps(make_env, tmp_path):
    env = make_env(CHAT_TASK)
    env.reset()
    plain = env.context
    first, _ = env.reset(options={"record_dir": str(tmp_path / "one")})
    assert env.context is plain  # the recorder's capture script joins the kept context
    general = next(i for i, e in first["elements"].items() if e.get("testid") == "side-general" and e["visible"])
    env.step(f'click("{general}")')
    env.step('send_msg_to_user("done")')
    second, _ = env.reset(options={"record_dir": str(tmp_path / "two")})
    assert env.context is plain  # one recorded episode after another: the context goes on
    env.step('goto("mail:/")')
    env.step('send_msg_to_user("done")')
    one, two = load(tmp_path / "one"), load(tmp_path / "two")
    assert one[0].status == two[0].status == "complete"
    # each starts as a recording in a new context does (a blank tab opened, the start page), then only its own work
    assert [s.action.type for s in one[1]] == ["tab_open", "navigate", "click"]
    assert [s.action.type for s in two[1]] == ["tab_open", "navigate", "navigate"]
    assert two[1][-1].url_after.startswith("mail:")
    env.reset()
    assert env.context is not plain  # an unrecorded episode after a recorded one: the capture script must go
    assert len(load(tmp_path / "two")[1]) == 3  # and the old recording is left as it was


class Episode(threading.Thread):
    """The replay agent on one golden task in its own thread, Playwright and Chromium, on the shared sandbox."""

    def __init__(self, sandbox, task_id: str, together: threading.Barrier):
        super().__init__(daemon=True)
        self.sandbox, self.task_id, self.together = sandbox, task_id, together
        self.info: dict = {}
        self.changes: list[tuple] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright, headless=True)
                env = MockAppsEnv(self.task_id, sandbox=self.sandbox, browser=browser, max_steps=120)
                try:
                    agent = ReplayAgent(GOLDEN / self.task_id)
                    self.together.wait()  # the episodes overlap
                    observation, _ = env.reset()
                    agent.reset(env.task)
                    terminated = truncated = False
                    while not (terminated or truncated):
                        observation, _, terminated, truncated, self.info = env.step(agent.act(observation))
                    self.together.wait()  # every world alive and done before any is read
                    self.changes = [(c["app"], c["op"], c["args"], c["time"]) for c in env.control.changes()]
                finally:
                    env.close()
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - the test reports it
            self.error = error
            self.together.abort()


def test_concurrent_episodes_on_one_sandbox_change_only_their_own_worlds(sandbox):
    # three tasks in three apps, two of them posting in Chat: a message in the wrong world would show
    tasks = ["announce-lunch-in-general", "announce-close-start-in-finance", "warmup-sheets-update-close-status"]
    together = threading.Barrier(len(tasks))
    episodes = [Episode(sandbox, task_id, together) for task_id in tasks]
    for episode in episodes:
        episode.start()
    for episode in episodes:
        episode.join(timeout=300)
    for episode in episodes:
        assert episode.error is None, f"{episode.task_id}: {episode.error!r}"
        expected = [(c.app, c.op, c.args, c.time) for step in load(GOLDEN / episode.task_id)[1] for c in step.changes]
        assert expected and episode.changes == expected, episode.task_id
        assert episode.info["passed"] and episode.info["collateral"] == [] and episode.info["server_errors"] == []
