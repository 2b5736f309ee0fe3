"""A real rollout server (uvicorn on an ephemeral port) over the session's sandbox."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import requests
import uvicorn

from mock_apps.core.world import WorldRegistry
from mock_apps.rollout.rollouts import Rollouts
from mock_apps.rollout.server import create_app


@dataclass
class RolloutServer:
    """The server's URL, its Rollouts and the sandbox's world registry."""

    url: str
    rollouts: Rollouts
    registry: WorldRegistry

    def reset(self, task: str, **fields) -> requests.Response:
        """POST /reset."""
        return requests.post(f"{self.url}/reset", json={"task": task, **fields}, timeout=120)

    def step(self, episode_id: str, action: dict) -> requests.Response:
        """POST /step."""
        return requests.post(f"{self.url}/step", json={"episode_id": episode_id, "action": action}, timeout=120)

    def state(self, episode_id: str) -> requests.Response:
        """GET /state."""
        return requests.get(f"{self.url}/state", params={"episode_id": episode_id}, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(sandbox, **options):
    """A rollout server over the sandbox until the block ends (then every rollout's world is deleted)."""
    reap_every = options.pop("reap_every", 0.1)
    rollouts = Rollouts(sandbox, **options)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(rollouts, reap_every=reap_every), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the rollout server did not start")
        time.sleep(0.02)
    try:
        yield RolloutServer(f"http://127.0.0.1:{port}", rollouts, WorldRegistry.for_settings(sandbox.settings))
    finally:
        server.should_exit = True
        thread.join(60)


@pytest.fixture
def server_with(sandbox):
    """A context manager starting a rollout server with given Rollouts options (limits, idle timeout)."""
    return lambda **options: running_server(sandbox, **options)


@pytest.fixture
def rollout_server(sandbox):
    """A rollout server with the default limits and a 60 s idle timeout."""
    with running_server(sandbox, idle_timeout=60) as server:
        yield server
