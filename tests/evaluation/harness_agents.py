"""Agents the harness tests load by "module:Class" in the worker processes (PYTHONPATH has this folder)."""

from __future__ import annotations

import json
import os
from pathlib import Path


class AnnounceAgent:
    """A tool-calling agent that does an announce-in-channel task right: one post, then the answer."""

    def reset(self, task) -> None:
        """Remember the task's channel and words."""
        self.task = task
        self.turn = 0

    def act(self, observation: dict) -> str:
        """Post, then tell the user."""
        self.turn += 1
        if self.turn == 1:
            params = self.task.params
            return json.dumps({"name": "chat_postMessage", "arguments": {"body": {
                "channel": params["channel"], "text": f"Heads up: {params['what']} ({params['words']})."}}})
        return json.dumps({"name": "send_msg_to_user", "arguments": {"text": "Posted."}})


class CrashingAgent(AnnounceAgent):
    """Crashes on some tasks (comma-separated ids; default all): always, or only on the first attempt (a
    marker file per task remembers it). how: raise (an exception in act) or die (the worker process exits)."""

    def __init__(self, when: str = "always", how: str = "raise", markers: str | None = None, tasks: str = ""):
        self.when, self.how = when, how
        self.markers = Path(markers) if markers else None
        self.tasks = {t for t in tasks.split(",") if t}

    def act(self, observation: dict) -> str:
        """Crash when told to, else behave."""
        if self.tasks and self.task.id not in self.tasks:
            return super().act(observation)
        if self.when == "always" or self._first_time():
            if self.how == "die":
                os._exit(3)
            raise RuntimeError(f"agent exploded on {self.task.id}")
        return super().act(observation)

    def _first_time(self) -> bool:
        marker = self.markers / self.task.id
        if marker.exists():
            return False
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("crashed once")
        return True
