"""Live rollouts and the environments they run in.

A rollout leases an environment (a `ToolEnv` or a `MockAppsEnv`) for its episode; the environment's world is the
rollout's, reset for it and deleted when it ends. Environments are kept for the next rollout (a browser launch or
the tools' OpenAPI documents are not paid per rollout), each with one thread of its own: Playwright's sync API
must be driven from the thread that started it, and a rollout's steps run in order.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import ValidationError

from mock_apps.core.errors import Conflict, MockAppsError, NotFound
from mock_apps.rollout.models import ACTIONS, ResetRequest, RolloutState, StepResponse

FINISHED_KEPT = 10_000  # finished rollouts remembered (their state readable, a step refused with 409)


class AtCapacity(MockAppsError):
    """Every environment of a kind is leased (OpenEnv's CAPACITY_REACHED)."""

    status = 503
    code = "capacity_reached"


class RolloutFinished(Conflict):
    """The rollout is over: done, closed or timed out."""

    code = "episode_finished"


class InvalidAction(MockAppsError):
    """The action does not fit the rollout's action model."""

    status = 422
    code = "invalid_action"


@dataclass
class Slot:
    """One environment and the thread that drives it."""

    kind: str
    env: Any
    executor: ThreadPoolExecutor

    async def run(self, fn: Callable, *args, **kwargs) -> Any:
        """Run fn on the slot's thread."""
        return await asyncio.wrap_future(self.executor.submit(fn, *args, **kwargs))


@dataclass
class Rollout:
    """One episode in its own world."""

    id: str
    task: str
    kind: str
    slot: Slot | None
    world: str | None
    last_activity: float = field(default_factory=time.monotonic)
    steps: int = 0
    done: bool = False
    reward: float | None = None
    status: str = "running"
    busy: int = 0  # requests in flight; a busy rollout is never reaped

    def state(self) -> RolloutState:
        """The rollout's OpenEnv-style state."""
        return RolloutState(episode_id=self.id, step_count=self.steps, task=self.task, env=self.kind,
                            world=self.world, done=self.done, reward=self.reward, status=self.status)


class Rollouts:
    """The rollouts of one server over one sandbox.

    max_rollouts: live rollouts at once per environment kind (beyond: 503). idle_timeout: seconds without a request
    after which a rollout is ended and its world deleted (a trainer that went away leaves nothing behind).
    """

    def __init__(self, sandbox, *, max_rollouts: int = 16, max_browsers: int = 4, idle_timeout: float = 300.0,
                 max_steps: int = 50, browser_options: dict | None = None):
        self.sandbox = sandbox
        self.limits = {"tool": max_rollouts, "browser": max_browsers}
        self.idle_timeout = idle_timeout
        self.max_steps = max_steps
        self.browser_options = dict(browser_options or {})
        self._live: dict[str, Rollout] = {}
        self._finished: OrderedDict[str, Rollout] = OrderedDict()
        self._idle: dict[str, list[Slot]] = {"tool": [], "browser": []}
        self._slots: list[Slot] = []
        self._leased = {"tool": 0, "browser": 0}
        self._lock = threading.Lock()

    # ---- the episode calls ------------------------------------------------------------------------------

    async def reset(self, request: ResetRequest) -> StepResponse:
        """A new rollout of a task in a fresh world: its first observation."""
        from mock_apps.tasks import get_task

        task = get_task(request.task)  # an unknown task: 404 with the close matches, before anything is leased
        episode_id = request.episode_id or uuid.uuid4().hex[:16]
        with self._lock:
            if episode_id in self._live or episode_id in self._finished:
                raise Conflict(f"episode {episode_id!r} exists already; reset without an episode_id for a new one",
                               code="episode_exists")
            if self._leased[request.env] >= self.limits[request.env]:
                raise AtCapacity(f"all {self.limits[request.env]} {request.env} rollouts are running; close one "
                                 "or start the server with a higher limit")
            self._leased[request.env] += 1
            slot = self._idle[request.env].pop() if self._idle[request.env] else None
            rollout = self._live[episode_id] = Rollout(episode_id, task.id, request.env, slot, None, busy=1)
        try:
            if slot is None:
                slot = rollout.slot = self._new_slot(request.env, task.id)
            observation, info = await slot.run(self._reset_env, slot, task.id, request)
        except BaseException:
            self._end(rollout, "closed")
            raise
        rollout.world = slot.env.world_id
        rollout.busy, rollout.last_activity = 0, time.monotonic()
        return StepResponse(observation=_jsonable(observation), reward=None, done=False,
                            metadata={"episode_id": episode_id, "task": task.id, "env": request.env,
                                      "world": rollout.world, "info": _jsonable(info)})

    async def step(self, episode_id: str | None, action: dict) -> StepResponse:
        """One action in a rollout: observation, reward (the task's score once done), done."""
        rollout = self._claim(episode_id)
        try:
            try:
                parsed = ACTIONS[rollout.kind].model_validate(action)
            except ValidationError as error:
                raise InvalidAction(f"not a {rollout.kind} action: {_first_error(error)}",
                                    errors=validation_errors(error)) from None
            native = ({"name": parsed.name, "arguments": parsed.arguments} if rollout.kind == "tool"
                      else parsed.action)
            observation, reward, terminated, truncated, info = await rollout.slot.run(rollout.slot.env.step, native)
        finally:
            rollout.busy -= 1
            rollout.last_activity = time.monotonic()
        rollout.steps += 1
        done = bool(terminated or truncated)
        if rollout.kind == "tool":
            observation = {k: v for k, v in observation.items() if k != "tools"}  # given once, at reset
        if done:
            rollout.reward = float(reward)
            await self.close(episode_id, status="done")
        return StepResponse(observation=_jsonable(observation), reward=float(reward), done=done,
                            metadata={"episode_id": rollout.id, "terminated": bool(terminated),
                                      "truncated": bool(truncated), "info": _jsonable(info)})

    def state(self, episode_id: str | None) -> RolloutState:
        """A live or finished rollout's state."""
        with self._lock:
            rollout = self._live.get(episode_id) or self._finished.get(episode_id)
        if rollout is None:
            raise self._unknown(episode_id)
        return rollout.state()

    async def close(self, episode_id: str, status: str = "closed") -> RolloutState:
        """End a rollout: its world is deleted and its environment kept for the next one."""
        with self._lock:
            rollout = self._live.get(episode_id)
        if rollout is None:
            if episode_id in self._finished:
                raise RolloutFinished(f"episode {episode_id!r} is over already ({self._finished[episode_id].status})")
            raise self._unknown(episode_id)
        slot = rollout.slot
        if slot is not None:
            await slot.run(_end_episode, slot.env)
        self._end(rollout, status)
        return rollout.state()

    async def reap(self) -> list[str]:
        """End the rollouts idle longer than the timeout; their ids."""
        now = time.monotonic()
        with self._lock:
            stale = [r.id for r in self._live.values() if not r.busy and now - r.last_activity > self.idle_timeout]
        ended = []
        for episode_id in stale:
            try:
                await self.close(episode_id, status="timed_out")
                ended.append(episode_id)
            except MockAppsError:
                pass  # ended meanwhile
        return ended

    def counts(self) -> dict:
        """Live rollouts and environments per kind (for /health)."""
        with self._lock:
            return {"live": dict(self._leased), "limits": dict(self.limits),
                    "idle_environments": {k: len(v) for k, v in self._idle.items()}}

    def shutdown(self) -> None:
        """Delete every live rollout's world and close every environment."""
        with self._lock:
            slots, self._slots = list(self._slots), []
            self._live.clear()
        for slot in slots:
            try:
                slot.executor.submit(slot.env.close).result(timeout=60)
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
            slot.executor.shutdown(wait=False)

    # ---- internals --------------------------------------------------------------------------------------

    def _claim(self, episode_id: str | None) -> Rollout:
        with self._lock:
            rollout = self._live.get(episode_id)
            if rollout is None:
                finished = self._finished.get(episode_id)
                if finished is not None:
                    raise RolloutFinished(f"episode {episode_id!r} is over ({finished.status}); reset for a new one")
                raise self._unknown(episode_id)
            if rollout.busy:
                raise Conflict(f"episode {episode_id!r} is still answering its last request; send one at a time",
                               code="episode_busy")
            rollout.busy += 1
            return rollout

    def _unknown(self, episode_id: str | None) -> NotFound:
        if not episode_id:
            return NotFound("name the rollout: episode_id (from the reset's metadata)", code="unknown_episode")
        return NotFound(f"unknown episode {episode_id!r}; POST /reset starts one", code="unknown_episode")

    def _end(self, rollout: Rollout, status: str) -> None:
        with self._lock:
            if self._live.pop(rollout.id, None) is None:
                return
            rollout.status, rollout.done = status, True
            self._leased[rollout.kind] -= 1
            if rollout.slot is not None:
                self._idle[rollout.kind].append(rollout.slot)
            self._finished[rollout.id] = rollout
            while len(self._finished) > FINISHED_KEPT:
                self._finished.popitem(last=False)

    def _new_slot(self, kind: str, task_id: str) -> Slot:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"rollout-{kind}")
        if kind == "tool":
            from mock_apps.evaluation.tool_env import ToolEnv

            env = ToolEnv(task_id, self.sandbox, max_steps=self.max_steps)
        else:
            from mock_apps.evaluation.env import MockAppsEnv

            env = MockAppsEnv(task_id, sandbox=self.sandbox, max_steps=self.max_steps, **self.browser_options)
        slot = Slot(kind, env, executor)
        with self._lock:
            self._slots.append(slot)
        return slot

    def _reset_env(self, slot: Slot, task_id: str, request: ResetRequest):
        from mock_apps.core.template import ensure_templates
        from mock_apps.tasks import get_task

        # a scenario's first world builds its templates (a minute on a loaded machine): here, not inside an
        # environment's control call that gives up after its timeout
        ensure_templates(self.sandbox.settings.templates_dir, get_task(task_id).scenario)
        slot.env.max_steps = request.max_steps or self.max_steps
        return slot.env.reset(seed=request.seed, options={"task": task_id})


def _end_episode(env) -> None:
    """End an environment's episode: its world deleted (its next reset creates it again) and, for a browser, its
    pages unloaded and its context cleared now, so that the next rollout's reset does not wait for that."""
    if hasattr(env, "end_episode"):
        env.end_episode()
        return
    control = getattr(env, "control", None)
    if control is not None and getattr(env, "world_id", None):
        try:
            control.delete()
        except MockAppsError:
            pass  # gone already


def validation_errors(error: ValidationError) -> list[dict]:
    """Pydantic's errors as JSON: where, what and why (not the input, which may be bytes)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in error.errors()]


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "action"
    return f"{where}: {first.get('msg')}"


def _jsonable(value: Any) -> Any:
    """An observation as JSON values: tuples as lists, image arrays as base64 PNG."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # a numpy array (a screenshot)
        return _png(value)
    if hasattr(value, "item") and callable(value.item):  # a numpy scalar
        return value.item()
    return value


def _png(array) -> dict:
    import base64
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return {"content_type": "image/png", "data_base64": base64.b64encode(out.getvalue()).decode()}
