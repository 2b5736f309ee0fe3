"""Agents for the browser environment: the protocol they follow and a lazy registry of the shipped ones."""

from __future__ import annotations

import difflib
import importlib
from typing import Protocol, runtime_checkable

from mock_apps.core.errors import MockAppsError
from mock_apps.tasks.model import Task

# name -> "module:Class"; modules are imported only when the agent is loaded (some need optional extras)
AGENTS: dict[str, str] = {
    "replay": "mock_apps.evaluation.agents.replay:ReplayAgent",
    "random": "mock_apps.evaluation.agents.random:RandomAgent",
    "openai": "mock_apps.evaluation.agents.openai_chat:OpenAIChatAgent",
}


class AgentError(MockAppsError):
    """An agent is unknown, cannot be imported, or was given options it does not take."""

    code = "bad_agent"


@runtime_checkable
class Agent(Protocol):
    """What the environment's runner needs from an agent: a reset per episode and one action text per step."""

    def reset(self, task: Task) -> None:
        """Start an episode of this task."""

    def act(self, observation: dict) -> str:
        """The next action, in the action language (mock_apps.evaluation.actions)."""


def load_agent(name: str, **options) -> Agent:
    """Instantiate a registered agent by name (or a "module:Class" path) with its options."""
    path = AGENTS.get(name)
    if path is None and ":" in name:
        path = name
    if path is None:
        close = difflib.get_close_matches(name, AGENTS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; agents are {', '.join(sorted(AGENTS))}"
        raise AgentError(f"unknown agent {name!r}{hint}", code="unknown_agent")
    module_name, _, class_name = path.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except ImportError as error:
        raise AgentError(f"agent {name!r} cannot be imported from {module_name}: {error}") from None
    except AttributeError:
        raise AgentError(f"agent {name!r}: {module_name} has no {class_name}") from None
    try:
        return cls(**options)
    except TypeError as error:
        raise AgentError(f"agent {name!r} does not take these options ({', '.join(options) or 'none'}): {error}") \
            from None


__all__ = ["AGENTS", "Agent", "AgentError", "load_agent"]
