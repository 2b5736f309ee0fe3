"""`mockapps env-server` as a user starts it: the apps in gunicorn worker processes of its own on free ports, a
rollout through them, and no process (nor a live rollout's world) left behind when it is stopped or killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from mock_apps.core.settings import PORT_OFFSETS, Settings
from mock_apps.core.world import WorldRegistry

TASK = "announce-lunch-in-general"
POST = {"name": "chat_postMessage", "arguments": {"body": {"channel": "general", "text": "Lunch moves to 1 pm."}}}
ANSWER = {"name": "send_msg_to_user", "arguments": {"text": "Posted in #general."}}


def _descendants(root: int) -> dict[int, str]:
    """Every process under root: pid -> its start time (so a reused pid is not mistaken for it)."""
    parents: dict[int, int] = {}
    started: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry)], started[int(entry)] = int(fields[1]), fields[19]
    found, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found[child] = started[child]
                frontier.append(child)
    return found


def _alive(processes: dict[int, str]) -> list[int]:
    alive = []
    for pid, started in processes.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2:].split()[19] == started and " Z " not in stat[stat.rindex(")"):][:4]:
            alive.append(pid)
    return alive


@pytest.fixture
def env_server(tmp_path):
    """`mockapps env-server` in a process of its own (default configuration, one worker per app)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "--data", str(tmp_path), "env-server",
                             "--port", str(port), "--app-workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240  # five apps importing on a loaded machine
    while True:
        try:
            requests.get(f"{url}/health", timeout=5).raise_for_status()
            break
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"env-server did not start: {proc.communicate()[0][-2000:]}")
            time.sleep(0.3)
    try:
        yield url, proc, WorldRegistry.for_settings(Settings(data_dir=tmp_path))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_the_command_serves_rollouts_from_app_processes_and_leaves_none_behind(env_server, stop):
    url, proc, registry = env_server
    apps = {pid: started for pid, started in _descendants(proc.pid).items()
            if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")}
    assert len(apps) >= 10, "five gunicorn masters, each with its worker"

    reset = requests.post(f"{url}/reset", json={"task": TASK}, timeout=120).json()
    episode, world = reset["metadata"]["episode_id"], reset["metadata"]["world"]
    step = {"episode_id": episode}
    posted = requests.post(f"{url}/step", json={**step, "action": POST}, timeout=120).json()
    assert posted["observation"]["last_result"]["body"]["ok"] is True
    assert [c["op"] for c in registry.changes(world)] == ["chat.post"]
    # the apps' control API is not open to whoever finds their ports: it needs the server's own token
    environ = dict(line.split("=", 1) for line in Path(f"/proc/{min(apps)}/environ").read_text().split("\0")
                   if "=" in line)
    chat = f"http://127.0.0.1:{int(environ['MOCKAPPS_BASE_PORT']) + PORT_OFFSETS['chat']}"
    assert requests.get(f"{chat}/_control/worlds/{world}/changes", timeout=30).status_code == 401
    assert requests.get(f"{chat}/_control/health", timeout=30, headers={
        "Authorization": f"Bearer {environ['MOCKAPPS_CONTROL_TOKEN']}"}).status_code == 200

    if stop == signal.SIGKILL:  # a finished rollout first: its reward comes from the apps' processes
        final = requests.post(f"{url}/step", json={**step, "action": ANSWER}, timeout=120).json()
        assert final["done"] is True and final["reward"] == 1.0
        assert not registry.exists(world)
    proc.send_signal(stop)
    code = proc.wait(90)
    if stop == signal.SIGTERM:
        assert code == 0, proc.stdout.read()[-2000:]
        assert not registry.exists(world), "a live rollout's world is deleted when the server stops"
    deadline = time.monotonic() + 60
    while _alive(apps) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(apps), "no app process outlives the server"


def test_bad_command_lines_are_one_line_and_exit_2_before_any_app_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cases = {("--port", str(port)): f"port {port} on 127.0.0.1 is already in use; pass --port",
                 ("--app-workers", "0"): "--app-workers must be at least 1",
                 ("--external", "--base-port", str(port - 1)): "does not answer at"}
        for args, message in cases.items():
            done = subprocess.run([sys.executable, "-m", "mock_apps.cli", "--data", str(tmp_path), "env-server",
                                   "--port", "0", *args], capture_output=True, text=True, timeout=120)
            assert done.returncode == 2 and done.stderr.count("\n") == 1 and message in done.stderr, args
    assert not (tmp_path / "worlds").exists()
