"""The API (tool) environment: a task for tool-calling agents. Tools are the apps' public API operations
(generated from their OpenAPI documents) acting on a fresh world, plus `send_msg_to_user` and
`report_infeasible`; the episode is scored by the task's checks, exactly as in the browser environment."""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.evaluation.tools import Toolbox

CALLS = "calls.jsonl"  # one line per tool call in an API-episode trajectory directory
_world_numbers = itertools.count(1)

FINAL_TOOLS = [
    {"type": "function", "function": {
        "name": "send_msg_to_user",
        "description": "Tell the user something; this is your final answer and ends the episode.",
        "parameters": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"],
                       "additionalProperties": False}}},
    {"type": "function", "function": {
        "name": "report_infeasible",
        "description": "Say the task cannot be done, and why; ends the episode.",
        "parameters": {"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"],
                       "additionalProperties": False}}},
]
_FINAL_ARGUMENT = {"send_msg_to_user": "text", "report_infeasible": "reason"}
_CHAT_ROLE = {"send_msg_to_user": "assistant", "report_infeasible": "infeasible"}  # as the browser env's chat


def parse_tool_call(action: Any) -> tuple[str, Any]:
    """(name, arguments) from an agent's action: {"name", "arguments"} as a dict or its JSON text."""
    if isinstance(action, str):
        try:
            action = json.loads(action)
        except ValueError:
            raise ValueError('a tool call is JSON such as {"name": "chat_postMessage", "arguments": {...}}') from None
    if not isinstance(action, dict) or not isinstance(action.get("name"), str):
        raise ValueError('a tool call is an object with "name" (a tool) and "arguments" (an object)')
    return action["name"], action.get("arguments") or {}


def episode_outcome(task, control: ControlClient, answer: str | None = None, states: dict | None = None) -> dict:
    """The task's checks on a world (or on its states, already fetched) and the final answer: score, passed,
    every checkpoint and the collateral-damage violations."""
    from mock_apps.tasks.checks import score_world

    return score_world(task, control, answer=answer, states=states).outcome()


class ToolEnv:
    """One task for a tool-calling agent, Gymnasium-style: reset() gives a fresh world, step(tool call) runs it.

    sandbox: a running `Sandbox` (its apps are used), or None to start a private one on ephemeral ports over
    $MOCKAPPS_DATA. apps: which apps' tools to offer (default: the task's apps).
    """

    def __init__(self, task_id: str, sandbox=None, *, apps: list[str] | None = None, max_steps: int = 50,
                 record_dir: str | Path | None = None, agent_name: str | None = None):
        from mock_apps.tasks import get_task

        self.task = get_task(task_id)  # an unknown task fails here, before anything starts
        unknown = [a for a in apps or () if a not in APP_NAMES]
        if unknown:
            raise ValueError(f"unknown app {unknown[0]!r}; apps are {', '.join(APP_NAMES)}")
        self.apps = list(apps or self.task.apps)
        self._apps_given = apps is not None  # else the apps follow the task (reset can switch it)
        self.max_steps = max_steps
        self.record_dir = Path(record_dir) if record_dir else None
        self.agent_name = agent_name
        self._own_sandbox = None
        if sandbox is None:
            from mock_apps.core.server import Sandbox

            sandbox = self._own_sandbox = Sandbox(replace(Settings(), control_token=None), ephemeral=True).start()
        self.sandbox = sandbox
        self.app_urls = {app: sandbox.url(app) for app in APP_NAMES}
        self.world_id = f"tool-{os.getpid()}-{next(_world_numbers)}-{uuid.uuid4().hex[:6]}"
        self.control = ControlClient(self.app_urls, self.world_id, token=sandbox.settings.control_token)
        self._toolbox: Toolbox | None = None
        self._tools: list[dict] = []
        self.steps = 0
        self.done = True
        self.messages: list[dict] = []
        self._seq = 0
        self._episode_dir: Path | None = None
        self._episodes = itertools.count()

    # ---- the Gymnasium-style loop -----------------------------------------------------------------------

    def reset(self, seed: int | None = None, options: dict | None = None) -> tuple[dict, dict]:
        """A fresh world for the task; the first observation (goal, tools) and info. options: record_dir (this
        episode's trajectory directory; default record_dir/<task>-<n> when the env has one), agent (its name),
        task (go on with another task: its scenario, and its apps' tools unless apps were given)."""
        from mock_apps.scenarios import get_scenario
        from mock_apps.tasks import get_task

        task_id = (options or {}).get("task")
        if task_id and task_id != self.task.id:  # go on with another task in the same world
            task = get_task(task_id)  # an unknown id raises before anything of this env changes
            if task.scenario != self.task.scenario:
                self._toolbox = None  # the tools authenticate as the scenario's owner: built again below
            if not self._apps_given and sorted(task.apps) != sorted(self.apps):
                self.apps, self._toolbox = list(task.apps), None  # its apps' tools, built below
            self.task = task
        self.control.reset(self.task.scenario)
        if self._toolbox is None:  # the documents are the same for every episode of this env
            owner = get_scenario(self.task.scenario).facts.owner.key
            self._toolbox = Toolbox({app: f"{self.app_urls[app]}/w/{self.world_id}" for app in self.apps},
                                    token=f"xoxp-{owner}")
            self._tools = [*self._toolbox.openai_tools(), *FINAL_TOOLS]
        self.steps, self.done, self._seq = 0, False, self._last_seq()
        self.messages = [{"role": "user", "message": self.task.instruction.strip()}]
        self._episode_dir = None
        folder = (options or {}).get("record_dir")
        if folder is not None or self.record_dir is not None:
            self._start_recording(folder, (options or {}).get("agent"))
        return self._observation(None), {"task": self.task.id, "world": self.world_id}

    @property
    def tools(self) -> list[dict]:
        """Every tool in OpenAI's function-tool format: the apps' API operations and the two final tools."""
        self._require_toolbox()
        return self._tools

    def call(self, name: str, arguments: dict | str | None = None) -> dict:
        """Run one tool: {"status", "body"}; the API's own error body when the call fails, never an exception."""
        self._require_toolbox()
        if name in _FINAL_ARGUMENT:
            if isinstance(arguments, str):
                try:
                    arguments = json.loads(arguments or "{}")
                except ValueError:
                    arguments = {_FINAL_ARGUMENT[name]: arguments}
            text = (arguments or {}).get(_FINAL_ARGUMENT[name]) if isinstance(arguments, dict) else None
            if not isinstance(text, str):
                return {"status": 400, "body": {"error": {"code": "invalid_arguments",
                                                          "message": f"{name} needs {_FINAL_ARGUMENT[name]!r}"}}}
            self.messages.append({"role": _CHAT_ROLE[name], "message": text})
            return {"status": 200, "body": {"ok": True}}
        return self._toolbox.call(name, arguments)

    def step(self, action: Any) -> tuple[dict, float, bool, bool, dict]:
        """One tool call (a dict or JSON {"name", "arguments"}): observation, reward, terminated, truncated,
        info. Reward is the task's score when the episode ends (a final tool, or max_steps), else 0."""
        if self.done:
            raise RuntimeError("the episode is over; call reset() first")
        started = time.perf_counter()
        try:
            name, arguments = parse_tool_call(action)
        except ValueError as error:
            name, arguments = None, None
            result = {"status": 400, "body": {"error": {"code": "invalid_tool_call", "message": str(error)}}}
        else:
            result = self.call(name, arguments)
        self.steps += 1
        changes = self.control.changes(self._seq)
        if changes:
            self._seq = changes[-1]["seq"]
        terminated = name in _FINAL_ARGUMENT and result["status"] == 200
        truncated = not terminated and self.steps >= self.max_steps
        self._record_call(name, arguments, result, changes, time.perf_counter() - started)
        info: dict[str, Any] = {"task": self.task.id, "steps": self.steps}
        reward = 0.0
        if terminated or truncated:
            self.done = True
            info.update(self._finish("complete" if terminated else "incomplete"))
            reward = float(info["score"])
        return self._observation(result), reward, terminated, truncated, info

    @property
    def final_answer(self) -> str | None:
        """What the agent told the user last (send_msg_to_user): answer checkpoints compare it."""
        said = [m["message"] for m in self.messages if m["role"] == "assistant"]
        return said[-1] if said else None

    def score(self) -> dict:
        """The task's checks on the world as it is now, with the final answer given so far."""
        return episode_outcome(self.task, self.control, self.final_answer)

    def close(self) -> None:
        """Delete the episode's world, and stop the private sandbox if this env started one."""
        try:  # best effort: a world left behind costs disk, not correctness
            self.control.delete()
        except Exception:  # noqa: BLE001 - the sandbox may be gone already
            pass
        if self._own_sandbox is not None:
            self._own_sandbox.stop()
            self._own_sandbox = None

    def __enter__(self) -> "ToolEnv":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- internals ----------------------------------------------------------------------------------------

    def _require_toolbox(self) -> None:
        if self._toolbox is None:
            raise RuntimeError("call reset() first: the tools are bound to the episode's world")

    def _last_seq(self) -> int:
        changes = self.control.changes(0)
        return changes[-1]["seq"] if changes else 0

    def _observation(self, last_result: dict | None) -> dict:
        error = ""
        if last_result is not None and (last_result["status"] >= 400 or last_result["status"] == 0):
            body = last_result["body"]
            error = json.dumps(body)[:2000] if not isinstance(body, str) else body[:2000]
        return {"goal": self.task.instruction.strip(), "apps": list(self.apps), "tools": self._tools,
                "chat_messages": list(self.messages), "last_result": last_result, "last_action_error": error,
                "step": self.steps}

    def _finish(self, status: str) -> dict:
        states = self.control.states()  # once: for the checks and for the recording's final state
        outcome = episode_outcome(self.task, self.control, self.final_answer, states)
        if self._episode_dir is not None:
            self._close_recording(status, outcome, states)
        return outcome

    # ---- recording: trajectory.json like any trajectory, the calls in calls.jsonl ----------------------------

    def _start_recording(self, folder: str | Path | None, agent: str | None = None) -> None:
        from mock_apps.core.template import source_fingerprint
        from trajectories.model import Browser, Trajectory
        from trajectories.store import TrajectoryDir

        path = Path(folder) if folder else self.record_dir / f"{self.task.id}-{next(self._episodes)}"
        self._meta = Trajectory(id=uuid.uuid4().hex[:12], task=self.task.id, scenario=self.task.scenario,
                                world=self.world_id, app_versions={"source": source_fingerprint()},
                                start_clock=self.control.clock()["now"], browser=Browser(name="none (API tools)"),
                                trainer=agent or self.agent_name, start=datetime.now(timezone.utc))
        self._folder = TrajectoryDir(path).create(self._meta)
        (path / CALLS).touch()
        self._episode_dir = path

    def _record_call(self, name, arguments, result: dict, changes: list[dict], seconds: float) -> None:
        if self._episode_dir is None:
            return
        line = {"index": self.steps - 1, "sim_time": self.control.clock()["now"],
                "wall_time": datetime.now(timezone.utc).isoformat(), "tool": name, "arguments": arguments,
                "status": result["status"], "result": result["body"], "seconds": round(seconds, 4),
                "changes": changes}
        with open(self._episode_dir / CALLS, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _close_recording(self, status: str, outcome: dict, states: dict) -> None:
        from trajectories.model import CheckResult

        final_state = self._folder.write_state(states)
        (self._episode_dir / "chat.json").write_text(json.dumps(self.messages, indent=2, ensure_ascii=False))
        meta = self._meta
        meta.final_state, meta.end, meta.status = final_state, datetime.now(timezone.utc), status
        meta.final_answer = self.final_answer
        meta.outcome, meta.score = ("passed" if outcome["passed"] else "failed"), outcome["score"]
        meta.checks = [CheckResult(**c) for c in outcome["checks"]]
        self._folder.write_meta(meta)
