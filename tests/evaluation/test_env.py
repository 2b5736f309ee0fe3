"""The Gymnasium browser environment on real servers and real Chromium: check_env, fresh worlds, bad actions that
change nothing, episode ends and scores, tabs, screenshots, its own sandbox, recording as a trajectory."""

from __future__ import annotations

import re

import gymnasium
import numpy as np
import pytest
import requests
from gymnasium.utils.env_checker import check_env

import mock_apps.evaluation  # noqa: F401  (registers mockapps/<task id>)
from mock_apps.core.world import WorldRegistry
from mock_apps.evaluation.env import MockAppsEnv

pytestmark = pytest.mark.slow

CHAT_TASK = "announce-lunch-in-general"


def element(observation: dict, **wanted) -> str:
    """The id of the one visible element with these properties."""
    found = [i for i, e in observation["elements"].items()
             if e["visible"] and all(e.get(k) == v for k, v in wanted.items())]
    assert len(found) == 1, (wanted, found)
    return found[0]


def post_in_general(env, observation, text="Heads up: the quarter-end lunch moves to 1 pm."):
    """Do the chat task by hand through the action language; return the last observation."""
    observation, *_ = env.step(f'click("{element(observation, testid="side-general")}")')
    composer = element(observation, testid="composer-input")
    observation, *_ = env.step(f'fill("{composer}", "{text}")')
    observation, *_ = env.step(f'press("{composer}", "Enter")')
    assert observation["last_action_error"] == ""
    return observation


def test_check_env_passes(make_env):
    env = make_env(CHAT_TASK, max_steps=10)
    check_env(env, skip_render_check=True)  # spaces, seeded resets and steps deterministic, fresh data each call


def test_gymnasium_make_gives_a_working_env_that_closes_twice(sandbox, browser):
    env = gymnasium.make(f"mockapps/{CHAT_TASK}", sandbox=sandbox, browser=browser, max_steps=10)
    try:
        observation, _ = env.reset(seed=0)
        assert env.observation_space.contains(observation)
        observation, reward, terminated, truncated, _ = env.step("noop()")
        assert observation["last_action_error"] == "" and (terminated, truncated) == (False, False)
    finally:
        env.close()
    env.close()  # closing again is harmless (check_env's close check needs a spec copy it cannot make here)


def test_reset_makes_a_fresh_world_with_the_start_pages(make_env, sandbox):
    env = make_env(CHAT_TASK)
    observation, info = env.reset(seed=1)
    first_world = info["world_id"]
    assert observation["chat_messages"] == ({"role": "user", "message": env.task.instruction.strip()},)
    assert observation["goal"] == env.task.instruction.strip()
    assert observation["url"].startswith(sandbox.url("chat")) and len(observation["open_pages_urls"]) == 1
    assert observation["active_page_index"] == 0 and observation["last_action_error"] == ""
    assert "[" in observation["axtree"] and "link 'general'" in observation["axtree"]
    post_in_general(env, observation)
    assert any(c["op"] == "chat.post" for c in env.control.changes())
    observation, info = env.reset()
    assert info["world_id"] == first_world  # one world per environment, reset in place for each episode
    assert not any(c["op"] == "chat.post" for c in env.control.changes())  # opening a channel only marks it read
    assert "quarter-end lunch moves" not in observation["axtree"]
    env.close()
    assert not WorldRegistry.for_settings(sandbox.settings).exists(first_world)  # closing the env deletes it


def test_element_ids_are_stable_across_observations_of_the_same_page(make_env):
    env = make_env(CHAT_TASK)
    first, _ = env.reset()
    second, *_ = env.step("noop()")
    assert first["axtree"] == second["axtree"]
    general = element(first, testid="side-general")
    assert element(second, testid="side-general") == general
    third, *_ = env.step(f'hover("{general}")')
    assert element(third, testid="side-general") == general


@pytest.mark.parametrize("action, message", [
    ('frobnicate("a1")', "unknown action 'frobnicate'"),
    ('__import__("os")', "unknown action '__import__'"),
    ('__import__("os").system("touch /tmp/mockapps-pwned")', "actions are plain function calls"),
    ('click("a99999")', "unknown element id 'a99999': nothing on the current page (chat:/"),
    ("click(42)", "click: argument 1 (element) must be an element id string"),
    ('fill("{searchbox}", 42)', "fill: argument 2 (text) must be a string, not int 42"),
    ('select_option("{searchbox}", "x")', "select_option: element '{searchbox}' is a <input>, not a <select>"),
    ('upload_file("{searchbox}", "/no/such/file.pdf")', "upload_file: no such file '/no/such/file.pdf'"),
    ('goto("https://example.com/")', "goto: 'https://example.com/' is not a page of the apps"),
    ('goto("{control}")', "goto: the control API is not for agents"),
    ("tab_focus(3)", "tab_focus: no tab 3; open tabs are 0 to 0"),
    ("go_forward()", "go_forward: this tab has no later page"),
])
def test_bad_actions_give_a_precise_error_and_change_nothing(make_env, sandbox, action, message):
    env = make_env(CHAT_TASK)
    before, _ = env.reset()
    searchbox = element(before, role="searchbox")
    control = f"{sandbox.url('chat')}/_control/worlds/{env.world_id}/reset"
    action = action.format(searchbox=searchbox, control=control)
    changes = env.control.changes()
    after, reward, terminated, truncated, info = env.step(action)
    assert message.format(searchbox=searchbox) in after["last_action_error"]
    assert after["last_action"] == action
    assert (reward, terminated, truncated) == (0.0, False, False)
    assert env.control.changes() == changes
    assert (after["url"], after["axtree"], after["open_pages_urls"]) == \
           (before["url"], before["axtree"], before["open_pages_urls"])
    following, *_ = env.step("noop()")  # the episode goes on
    assert following["last_action_error"] == ""


def test_the_browser_cannot_reach_the_control_api_or_the_portal(make_env, sandbox):
    env = make_env(CHAT_TASK)
    observation, _ = env.reset()
    url = f"{sandbox.url('chat')}/_control/worlds/{env.world_id}/changes"
    status = env.page.evaluate("url => fetch(url).then(r => r.status, e => 'blocked')", url)
    assert status == "blocked"
    requests.get(url, timeout=10).raise_for_status()  # the API itself is up: the env's browser is what is kept out
    observation, *_ = env.step(f'click("{element(observation, role="link", name="Portal")}")')
    assert not observation["url"].startswith(sandbox.url("portal"))
    assert not [e for e in observation["elements"].values() if e.get("testid") == "composer-input"] or \
        observation["url"].startswith(sandbox.url("chat"))  # either still in Chat or on the browser's error page


def test_send_msg_to_user_ends_the_episode_with_the_tasks_score(make_env):
    env = make_env(CHAT_TASK)
    observation, _ = env.reset()
    post_in_general(env, observation)
    observation, reward, terminated, truncated, info = env.step('send_msg_to_user("Posted in #general.")')
    assert (reward, terminated, truncated) == (1.0, True, False)
    assert info["passed"] is True and info["score"] == 1.0 and info["collateral"] == []
    assert [c["name"] for c in info["checks"]] == [c.name for c in env.task.checks]
    assert all(c["passed"] and c["reason"] is None for c in info["checks"])
    assert observation["chat_messages"][-1] == {"role": "assistant", "message": "Posted in #general."}
    again, reward, terminated, _, _ = env.step('click("a1")')
    assert "the episode has ended; call reset()" in again["last_action_error"] and reward == 0.0 and terminated


def test_damage_beyond_the_task_is_reported_as_collateral(make_env):
    env = make_env(CHAT_TASK)
    observation, _ = env.reset()
    observation = post_in_general(env, observation)
    observation, *_ = env.step('goto("mail:/")')
    stars = [i for i, e in observation["elements"].items()
             if e["visible"] and e["role"] == "button" and re.match(r"^(Star|Starred|Not starred): ", e["name"] or "")]
    observation, *_ = env.step(f'click("{stars[0]}")')
    assert observation["last_action_error"] == ""
    _, reward, terminated, _, info = env.step('send_msg_to_user("done")')
    assert terminated and not info["passed"] and 0 < reward < 1
    assert [c["name"] for c in info["collateral"]] == ["nothing else was posted or changed"]
    assert "mail." in info["collateral"][0]["reason"]


def test_report_infeasible_ends_and_an_untouched_world_fails(make_env):
    env = make_env(CHAT_TASK)
    env.reset()
    observation, reward, terminated, _, info = env.step('report_infeasible("I cannot find the channel.")')
    assert terminated and not info["passed"] and reward < 1.0
    assert observation["chat_messages"][-1] == {"role": "infeasible", "message": "I cannot find the channel."}
    failed = [c for c in info["checks"] if not c["passed"]]
    assert failed and failed[0]["reason"].startswith("no chat chat_message")


def test_max_steps_truncates_and_scores(make_env):
    env = make_env(CHAT_TASK, max_steps=2)
    env.reset()
    assert env.step("noop()")[2:4] == (False, False)
    _, reward, terminated, truncated, info = env.step("noop()")
    assert (terminated, truncated) == (False, True)
    assert info["passed"] is False and reward == info["score"] and info["truncated"] is True


def test_tabs_open_focus_and_close(make_env, sandbox):
    env = make_env(CHAT_TASK)
    env.reset()
    observation, *_ = env.step("new_tab()")
    assert observation["open_pages_urls"][1] == "about:blank" and observation["active_page_index"] == 1
    observation, *_ = env.step('goto("books:/expenses/bills")')
    assert observation["url"] == sandbox.url("books") + "/expenses/bills" and "heading 'Bills'" in observation["axtree"]
    observation, *_ = env.step("tab_focus(0)")
    assert observation["active_page_index"] == 0 and observation["url"].startswith(sandbox.url("chat"))
    observation, *_ = env.step("tab_close()")
    assert observation["open_pages_urls"] == (sandbox.url("books") + "/expenses/bills",)
    assert observation["active_page_index"] == 0
    observation, *_ = env.step("tab_close()")  # closing the last tab leaves a blank one, as a browser window would
    assert observation["open_pages_urls"] == ("about:blank",)
    observation, *_ = env.step('goto("chat:/")')
    observation, *_ = env.step('goto("mail:/")')
    observation, *_ = env.step("go_back()")
    assert observation["url"].startswith(sandbox.url("chat"))


def test_screenshot_and_set_of_marks(make_env):
    env = make_env(CHAT_TASK, screenshot=True, set_of_marks=True, viewport=(1200, 800))
    observation, _ = env.reset()
    assert observation["screenshot"].shape == (800, 1200, 3) and observation["screenshot"].dtype == np.uint8
    assert observation["set_of_marks"].shape == (800, 1200, 3)
    assert env.observation_space.contains(observation)
    assert (observation["screenshot"] != observation["set_of_marks"]).any()  # the marks are drawn
    assert observation["screenshot"].std() > 0


def test_without_a_sandbox_the_env_starts_and_stops_its_own(browser, sandbox):
    env = MockAppsEnv(CHAT_TASK, browser=browser, data_dir=sandbox.settings.data_dir)
    try:
        observation, _ = env.reset()
        own = env.sandbox.url("chat")
        assert own != sandbox.url("chat") and observation["url"].startswith(own)
    finally:
        env.close()
    assert env.sandbox is None
    with pytest.raises(requests.ConnectionError):
        requests.get(own, timeout=5)
    assert browser.is_connected()  # a browser it was given is not its to close


def test_a_confirm_after_the_agents_click_is_accepted(make_env):
    env = make_env(CHAT_TASK)
    env.reset()
    observation, *_ = env.step('click("a1")')  # anything first: the episode's own change log starts here
    observation, *_ = env.step('goto("sheets:/")')
    workbook = [i for i, e in observation["elements"].items() if e["role"] == "link" and e["visible"]
                and e["name"] == "AP Reconciliation March 2026"]
    observation, *_ = env.step(f'click("{workbook[0]}")')
    observation, *_ = env.step('click("{}")'.format(element(observation, role="button", name="Sheet options")))
    observation, *_ = env.step('click("{}")'.format(element(observation, role="button", name="Delete sheet")))
    assert observation["last_action_error"] == ""
    assert env.dialogs and env.dialogs[0].startswith("confirm: Delete sheet")
    assert any(c["app"] == "sheets" for c in env.control.changes())
