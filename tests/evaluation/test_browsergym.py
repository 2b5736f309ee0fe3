"""Our tasks as BrowserGym tasks: registration starts nothing; a BrowserGym agent loop (browsergym-core's own
BrowserEnv, observation and bid-based HighLevelActionSet) completes an episode on a real sandbox and Chromium."""

from __future__ import annotations

import re
import threading

import gymnasium
import pytest

pytest.importorskip("browsergym.core", reason="browsergym-core is installed by `make install`")

import browsergym.core  # noqa: E402
from browsergym.core.action.highlevel import HighLevelActionSet  # noqa: E402

from mock_apps.core.world import WorldRegistry  # noqa: E402
from mock_apps.evaluation import browsergym as bridge  # noqa: E402
from mock_apps.tasks import TaskError, all_tasks, get_task  # noqa: E402

CHAT_TASK = "announce-lunch-in-general"
ACTIONS = HighLevelActionSet(subsets=["chat", "infeas", "bid", "nav"], strict=False, multiaction=False)


# -- fast: registration and the chat ----------------------------------------------------------------------


def test_every_task_registers_as_a_browsergym_env_without_starting_anything():
    threads_before = {t.name for t in threading.enumerate()}
    playwright_before = browsergym.core._PLAYWRIGHT
    ids = bridge.register_browsergym_tasks()
    assert ids == [f"browsergym/mockapps.{task.id}" for task in all_tasks()]
    assert bridge.register_browsergym_tasks() == ids  # idempotent
    assert all(name in gymnasium.registry for name in ids)
    env = gymnasium.make(f"browsergym/mockapps.{CHAT_TASK}")  # making the env starts nothing either
    assert type(env.unwrapped).__name__ == "BrowserEnv" and env.unwrapped.browser is None
    env.close()
    assert browsergym.core._PLAYWRIGHT is playwright_before
    assert not any(t.name.startswith("mockapps-") for t in threading.enumerate() if t.name not in threads_before)
    assert bridge._owned_sandbox is None or "mockapps-portal" in threads_before


def test_task_classes_are_browsergym_tasks_named_after_ours():
    cls = bridge.task_class(CHAT_TASK)
    assert issubclass(cls, browsergym.core.task.AbstractBrowserTask)
    assert cls.get_task_id() == f"mockapps.{CHAT_TASK}" and bridge.task_class(CHAT_TASK) is cls
    with pytest.raises(TaskError, match="did you mean 'announce-lunch-in-general'"):
        bridge.task_class("announce-lunch-in-genral")


def test_the_final_answer_is_the_agents_last_message_after_the_goal_not_browsergyms_greeting():
    greeting = {"role": "assistant", "message": "Hi! I am your UI assistant"}
    goal = {"role": "user", "message": "Post in #general"}
    assert bridge.final_answer([greeting, goal]) is None and bridge.agent_messages([greeting, goal]) == []
    chat = [greeting, goal, {"role": "assistant", "message": "first"}, {"role": "infeasible", "message": "no"},
            {"role": "assistant", "message": "42"}]
    assert bridge.final_answer(chat) == "42"
    assert [m["role"] for m in bridge.agent_messages(chat)] == ["assistant", "infeasible", "assistant"]


def test_a_deployment_needs_every_apps_url():
    with pytest.raises(ValueError, match="app_urls lacks chat, sheets, books"):
        bridge._deployment(None, {"mail": "http://127.0.0.1:1"}, None)


# -- slow: real episodes ----------------------------------------------------------------------------------


@pytest.fixture
def make_browsergym_env(sandbox, playwright):
    """BrowserGym envs of our tasks on the session's sandbox, sharing pytest-playwright's Playwright (one sync
    Playwright per thread); BrowserGym's changes to that Playwright are undone after the test."""
    previous = browsergym.core._PLAYWRIGHT
    bridge.use_playwright(playwright)
    made = []

    def make(task_id: str, **options):
        env = gymnasium.make(bridge.gym_id(task_id), task_kwargs={"sandbox": sandbox}, headless=True,
                             action_mapping=ACTIONS.to_python_code, pre_observation_delay=0.2, **options)
        made.append(env)
        return env

    yield make
    for env in made:
        env.close()
    playwright.selectors.set_test_id_attribute("data-testid")  # BrowserEnv sets "bid" on the shared Playwright
    browsergym.core._set_global_playwright(previous)


def bid(observation: dict, role: str, name: str) -> str:
    """The bid of the one node with this role and a name matching `name` in BrowserGym's AXTree, checked
    visible and in BrowserGym's extra element properties."""
    found = [node["browsergym_id"] for node in observation["axtree_object"]["nodes"]
             if node.get("browsergym_id") and node.get("role", {}).get("value") == role
             and re.fullmatch(name, str(node.get("name", {}).get("value", "")))]
    assert len(found) == 1, (role, name, found)
    properties = observation["extra_element_properties"][found[0]]
    assert properties["visibility"] > 0 and properties["bbox"] is not None
    return found[0]


def load_outlasted_the_action(observation: dict) -> bool:
    """BrowserGym's actions time out after 500 ms, and on a loaded machine the page a click or an Enter opened can
    take longer: the action was made, and an agent would let the load finish (a refused action changes nothing,
    which the reward assertions catch)."""
    error = observation["last_action_error"]
    return "scheduled navigations to finish" in error or "Timeout 500ms exceeded" in error


@pytest.mark.slow
def test_a_browsergym_agent_loop_completes_the_chat_task_with_reward_one(make_browsergym_env, sandbox):
    env = make_browsergym_env(CHAT_TASK)
    observation, info = env.reset(seed=0)
    world_id = info["task_info"]["world_id"]
    assert observation["goal"] == get_task(CHAT_TASK).instruction.strip()
    assert observation["url"].startswith(sandbox.url("chat"))
    assert WorldRegistry.for_settings(sandbox.settings).exists(world_id)

    observation, reward, terminated, truncated, info = env.step(f'click("{bid(observation, "link", "general")}")')
    if load_outlasted_the_action(observation):
        observation, reward, terminated, truncated, info = env.step("noop(2000)")
    assert observation["last_action_error"] == "" and (reward, terminated) == (0.0, False)
    assert info["task_info"]["passed"] is False
    composer = bid(observation, "textbox", r"(?i)message.*general.*")
    observation, reward, terminated, _, _ = env.step(f'fill("{composer}", "Heads up: the quarter-end lunch '
                                                     f'moves to 1 pm.")')
    assert observation["last_action_error"] == "" and not terminated  # typed, not sent: nothing changed yet
    observation, reward, terminated, truncated, info = env.step(f'press("{composer}", "Enter")')
    if not terminated and load_outlasted_the_action(observation):
        observation, reward, terminated, truncated, info = env.step("noop(2000)")
    assert observation["last_action_error"] == "" or load_outlasted_the_action(observation)
    assert (reward, terminated, truncated) == (1.0, True, False)  # the checks pass: done without a message
    assert info["task_info"]["passed"] and info["task_info"]["collateral"] == []
    env.close()
    assert not WorldRegistry.for_settings(sandbox.settings).exists(world_id)  # teardown deleted the world


@pytest.mark.slow
def test_a_do_nothing_episode_ends_with_reward_zero_and_the_control_api_stays_out_of_reach(make_browsergym_env,
                                                                                           sandbox):
    env = make_browsergym_env(CHAT_TASK)
    observation, info = env.reset(seed=1)
    world_id = info["task_info"]["world_id"]
    observation, reward, terminated, _, info = env.step("noop()")
    assert (reward, terminated) == (0.0, False) and info["task_info"]["score"] < 1.0
    control = f"{sandbox.url('chat')}/_control/worlds/{world_id}/state"
    observation, reward, terminated, _, _ = env.step(f'goto("{control}")')
    assert "ERR_BLOCKED_BY_CLIENT" in observation["last_action_error"] and not terminated
    observation, reward, terminated, truncated, info = env.step('send_msg_to_user("Done.")')
    assert (reward, terminated, truncated) == (0.0, True, False)
    assert info["task_info"]["passed"] is False and info["task_info"]["score"] < 1.0  # partial credit in info
    assert any(not check["passed"] for check in info["task_info"]["checks"])
