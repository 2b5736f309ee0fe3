"""The rollout server's wire models, shaped as OpenEnv's (`ResetRequest`, `StepRequest`, the reset and step
responses `{observation, reward, done, metadata}`, `State {episode_id, step_count}`), with the two action types
of this sandbox's environments."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EnvKind = Literal["tool", "browser"]


class ToolCallAction(BaseModel):
    """A tool environment's action: one tool (an API operation, `send_msg_to_user` or `report_infeasible`)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="the tool, e.g. chat_postMessage or send_msg_to_user")
    arguments: dict[str, Any] = Field(default_factory=dict, description="the tool's arguments")
    metadata: dict[str, Any] = Field(default_factory=dict)


class BrowserAction(BaseModel):
    """A browser environment's action in its action language, e.g. `click("a12")` or `fill("b3", "Net 30")`."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="one action of the browser environment's action language")
    metadata: dict[str, Any] = Field(default_factory=dict)


ACTIONS: dict[str, type[BaseModel]] = {"tool": ToolCallAction, "browser": BrowserAction}


class ResetRequest(BaseModel):
    """OpenEnv's reset request, with the task and the environment kind of the new rollout."""

    model_config = ConfigDict(extra="forbid")

    task: str = Field(description="a task id (`mockapps tasks list`)")
    env: EnvKind = Field(default="tool", description="tool (API tools) or browser (the Gymnasium browser env)")
    seed: int | None = Field(default=None, ge=0)
    episode_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                   description="the rollout's id (default: a new one)")
    max_steps: int | None = Field(default=None, ge=1, le=1000)


class StepRequest(BaseModel):
    """OpenEnv's step request, naming the rollout (over the WebSocket the session names it)."""

    model_config = ConfigDict(extra="forbid")

    episode_id: str | None = None
    action: dict[str, Any]
    timeout_s: float | None = Field(default=None, gt=0)
    request_id: str | None = Field(default=None, max_length=255)


class CloseRequest(BaseModel):
    """End a rollout before it is done; its world is deleted."""

    model_config = ConfigDict(extra="forbid")

    episode_id: str


class StepResponse(BaseModel):
    """OpenEnv's reset and step response."""

    observation: dict[str, Any]
    reward: float | None = None
    done: bool = False
    metadata: dict[str, Any] = Field(default_factory=dict)


class RolloutState(BaseModel):
    """OpenEnv's State (episode_id, step_count) with the rollout's task, environment, world and outcome."""

    episode_id: str
    step_count: int = 0
    task: str
    env: EnvKind
    world: str | None
    done: bool = False
    reward: float | None = None
    status: Literal["running", "done", "closed", "timed_out"] = "running"
