"""The shipped agents through the environment: the replay agent passes goldens holding every kind of step, the random agent
fails the tasks without a single server error, the same actions give the same state and score, and an agent's
recorded episode is a normal trajectory that replay reproduces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES
from mock_apps.evaluation.actions import action_text
from mock_apps.evaluation.agents.random import RandomAgent
from mock_apps.evaluation.agents.replay import ReplayAgent
from mock_apps.tasks import all_tasks
from mock_apps.tasks.demos import GOLDEN
from trajectories.app_url import AppUrls
from recorder.replay import Replayer
from trajectories.store import load

pytestmark = pytest.mark.slow

GOLDEN_TASKS = sorted(t.id for t in all_tasks() if (GOLDEN / t.id / "trajectory.json").exists())


def step_kinds(task_id: str) -> set[tuple]:
    """What the replay agent must express to replay a golden: each (app, action type) of its steps, and an answer."""
    task = next(t for t in all_tasks() if t.id == task_id)
    return {(s.app, s.action.type) for s in load(GOLDEN / task_id)[1]} | {("final answer", task.needs_answer)}


def covering_goldens(task_ids: list[str]) -> list[str]:
    """The fewest goldens, shortest first, that together hold every kind of step any golden holds."""
    kinds = {task_id: step_kinds(task_id) for task_id in task_ids}
    length = {task_id: len(load(GOLDEN / task_id)[1]) for task_id in task_ids}
    missing, chosen = set().union(*kinds.values()), []
    while missing:  # greedy set cover; tests/tasks/test_golden.py replays every golden, and bench/eval.py runs all
        best = max(task_ids, key=lambda t: (len(kinds[t] & missing), -length[t], t))
        chosen.append(best)
        missing -= kinds[best]
    return sorted(chosen)


COVERING = covering_goldens(GOLDEN_TASKS)


def test_there_are_golden_trajectories_to_replay():
    assert len(GOLDEN_TASKS) >= 5
    assert set().union(*map(step_kinds, COVERING)) == set().union(*map(step_kinds, GOLDEN_TASKS))
    assert {"upload", "check", "select", "press"} <= {kind for _app, kind in set().union(*map(step_kinds, COVERING))}


@pytest.mark.parametrize("task_id", COVERING)
def test_the_replay_agent_passes_goldens_of_every_kind_of_step(make_env, run_episode, task_id):
    env = make_env(task_id, max_steps=120)
    agent = ReplayAgent(GOLDEN / task_id)
    actions, observation, reward, info = run_episode(env, agent)
    assert agent.divergence is None, agent.divergence
    assert info["passed"] is True and reward == 1.0, info["checks"]
    assert info["collateral"] == [] and info["server_errors"] == []
    assert actions[-1] == action_text("send_msg_to_user", agent.meta.final_answer or "done")
    recorded_uploads = [s for s in load(GOLDEN / task_id)[1] if s.action.type == "upload"]
    assert sum(a.startswith("upload_file(") for a in actions) == len(recorded_uploads)


@pytest.mark.parametrize("task_id, seed", [("announce-lunch-in-general", 1), ("enter-bill-brightline-bl-20931", 2),
                                           ("warmup-sheets-update-close-status", 3), ("warmup-books-add-customer", 4)])
def test_the_random_agent_fails_without_server_errors(make_env, task_id, seed):
    env = make_env(task_id, max_steps=15)
    agent = RandomAgent(seed=seed)
    observation, _ = env.reset()
    agent.reset(env.task)
    statuses = []  # watched independently of the env's own bookkeeping
    env.context.on("response", lambda response: statuses.append((response.status, response.url)))
    errors = 0
    for _ in range(env.max_steps):
        observation, reward, terminated, truncated, info = env.step(agent.act(observation))
        errors += bool(observation["last_action_error"])
        if terminated or truncated:
            break
    assert truncated and info["passed"] is False and reward < 1.0
    goal_checks = [c for c, spec in zip(info["checks"], env.task.checks) if spec.exists is not None]
    assert not any(c["passed"] for c in goal_checks)  # nothing the task asks for happened by chance
    assert statuses and not [s for s in statuses if s[0] >= 500]
    assert info["server_errors"] == []
    assert errors < env.max_steps  # its actions are mostly performed, not refused


def test_the_same_actions_give_the_same_state_and_score(make_env, run_episode):
    task_id = "enter-bill-brightline-bl-20931"
    env = make_env(task_id, max_steps=120)
    agent = ReplayAgent(GOLDEN / task_id)  # kept: its upload files live as long as it does
    actions, observation, reward, info = run_episode(env, agent)
    first_state = {app: state["tables"] for app, state in env.control.states().items()}
    first_changes = [{k: v for k, v in c.items() if k != "seq"} for c in env.control.changes()]
    assert any(Path(p).name == "Invoice_BL-20931.pdf" for p in observation["downloads"])

    observation, _ = env.reset()
    for action in actions:  # the very same texts, ids included: they name the same elements
        observation, again, terminated, truncated, again_info = env.step(action)
        assert observation["last_action_error"] == "", action
    assert terminated and (again, again_info["checks"]) == (reward, info["checks"])
    assert {app: state["tables"] for app, state in env.control.states().items()} == first_state
    assert [{k: v for k, v in c.items() if k != "seq"} for c in env.control.changes()] == first_changes


def test_an_agents_episode_is_recorded_as_a_trajectory_that_replays(make_env, run_episode, sandbox, browser,
                                                                    tmp_path):
    task_id = "announce-close-start-in-finance"
    env = make_env(task_id, record_dir=tmp_path / "run-1")
    agent = ReplayAgent(GOLDEN / task_id, answer="Posted the heads-up in #finance.")
    actions, _, reward, info = run_episode(env, agent, options={"agent": "replay"})
    assert reward == 1.0
    meta, steps = load(tmp_path / "run-1")
    assert (meta.status, meta.outcome, meta.score, meta.trainer, meta.task) == \
           ("complete", "passed", 1.0, "replay", task_id)
    assert [c.name for c in meta.checks] == [c["name"] for c in info["checks"]]
    assert {s.action.type for s in steps} >= {"navigate", "click", "fill", "press"}
    assert any(c.op == "chat.post" for s in steps for c in s.changes)
    # every step the page took is observed as the viewer shows it: a screenshot and an accessibility snapshot
    for step in steps:
        if step.action.type != "tab_open":
            assert step.observation.screenshot and (tmp_path / "run-1" / step.observation.screenshot).is_file(), step
            assert step.observation.accessibility, step
    assert json.loads((tmp_path / "run-1" / "chat.json").read_text())[-1] == \
           {"role": "assistant", "message": "Posted the heads-up in #finance."}

    urls = {app: sandbox.url(app) for app in APP_NAMES}
    report = Replayer(browser, AppUrls(urls), ControlClient(urls, "agent-run-replay"), tmp_path / "run-1").run()
    assert report.reproduced, report.summary()

    # the agent's own run plays back through the environment too, answer included
    again = ReplayAgent(tmp_path / "run-1")
    actions, observation, reward, info = run_episode(env, again)
    assert reward == 1.0 and actions[-1] == 'send_msg_to_user("Posted the heads-up in #finance.")'
    assert (tmp_path / "run-1-2" / "trajectory.json").exists()  # a second episode of the env records beside it
