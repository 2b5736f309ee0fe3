"""Agents are found by name lazily; an unknown name gets a did-you-mean; registration costs no browser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mock_apps.evaluation.agents import AGENTS, Agent, AgentError, load_agent
from mock_apps.evaluation.agents.random import RandomAgent
from mock_apps.evaluation.agents.replay import ReplayAgent
from mock_apps.tasks import get_task
from mock_apps.tasks.demos import GOLDEN


def test_shipped_agents_load_by_name_and_follow_the_protocol():
    random_agent = load_agent("random", seed=3)
    assert isinstance(random_agent, RandomAgent) and isinstance(random_agent, Agent)
    replay = load_agent("replay", trajectory_dir=GOLDEN / "announce-lunch-in-general")
    assert isinstance(replay, ReplayAgent) and isinstance(replay, Agent)
    assert AGENTS["openai"] == "mock_apps.evaluation.agents.openai_chat:OpenAIChatAgent"


def test_unknown_agent_names_the_closest_one():
    with pytest.raises(AgentError, match="unknown agent 'randon'; did you mean 'random'"):
        load_agent("randon")
    with pytest.raises(AgentError, match="agents are"):
        load_agent("zzzz")


def test_bad_options_and_bad_paths_are_agent_errors():
    with pytest.raises(AgentError, match="does not take these options"):
        load_agent("random", temperature=0.3)
    with pytest.raises(AgentError, match="cannot be imported"):
        load_agent("no_such_module_xyz:Agent")


def test_the_replay_agent_refuses_another_tasks_trajectory():
    agent = ReplayAgent(GOLDEN / "announce-lunch-in-general")
    with pytest.raises(ValueError, match="not 'enter-summit-invoice-once'"):
        agent.reset(get_task("enter-summit-invoice-once"))


def test_the_random_agent_is_reproducible_for_a_seed():
    observation = {"elements": {f"a{i}": {"visible": True, "role": "link", "tag": "a"} for i in range(1, 30)}
                   | {"a40": {"visible": True, "role": "textbox", "tag": "input"}},
                   "axtree": "", "open_pages_urls": ("http://x/",)}
    runs = []
    for _ in range(2):
        agent = RandomAgent(seed=7)
        agent.reset(None)
        runs.append([agent.act(observation) for _ in range(20)])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) > 5


def test_registration_is_lazy_and_starts_nothing():
    code = ("import sys, threading, gymnasium\n"
            "import mock_apps.evaluation as evaluation\n"
            "assert 'playwright' not in sys.modules and 'mock_apps.evaluation.env' not in sys.modules\n"
            "ids = [k for k in gymnasium.registry if k.startswith('mockapps/')]\n"
            "assert 'mockapps/announce-lunch-in-general' in ids, ids\n"
            "spec = gymnasium.spec('mockapps/announce-lunch-in-general')\n"
            "assert spec.entry_point == 'mock_apps.evaluation.env:MockAppsEnv'\n"
            "env = gymnasium.make('mockapps/announce-lunch-in-general')\n"
            "assert env.unwrapped.sandbox is None and env.unwrapped.context is None\n"
            "assert threading.active_count() == 1\n"
            "env.close()\n"
            "print(len(ids))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from mock_apps.tasks import all_tasks

    assert int(result.stdout.strip()) == len(all_tasks())


def test_module_prefixed_id_needs_no_import():
    code = ("import gymnasium\n"
            "env = gymnasium.make('mock_apps.evaluation:mockapps/enter-summit-invoice-once', max_steps=7)\n"
            "assert env.unwrapped.task.id == 'enter-summit-invoice-once' and env.unwrapped.max_steps == 7\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
