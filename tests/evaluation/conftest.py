"""Environments on the session's sandbox and pytest-playwright's browser (one Chromium for every test)."""

from __future__ import annotations

import pytest

from mock_apps.evaluation.env import MockAppsEnv


@pytest.fixture
def make_env(sandbox, browser):
    """A factory of MockAppsEnv on the shared sandbox and browser; every env made is closed after the test."""
    made = []

    def make(task_id: str, **options) -> MockAppsEnv:
        env = MockAppsEnv(task_id, sandbox=sandbox, browser=browser, **options)
        made.append(env)
        return env

    yield make
    for env in made:
        env.close()


@pytest.fixture
def run_episode():
    """The episode runner (a fixture: test modules here are not a package)."""
    return play


def play(env, agent, options: dict | None = None, limit: int = 200):
    """Reset, then let the agent act until the episode ends; return (actions, last observation, reward, info)."""
    observation, _ = env.reset(options=options)
    agent.reset(env.task)
    actions = []
    for _ in range(limit):
        action = agent.act(observation)
        actions.append(action)
        observation, reward, terminated, truncated, info = env.step(action)
        if terminated or truncated:
            return actions, observation, reward, info
    raise AssertionError(f"the episode did not end in {limit} steps")
