"""The rollout server (`mockapps env-server`) over real HTTP: reset latency and the throughput of concurrent
rollouts.

Targets (issue 19): tool-env reset p50 < 150 ms; browser-env reset p50 under the browser env's own 220-295 ms
(with --browser); 8 concurrent rollouts with at least 1.5x the throughput (rollouts/s) of 1, on 2 cores.
A rollout is the documented GRPO example's (mock_apps/rollout/grpo_group.py): reset, list the channels, post,
answer; it is scored by the task's checks when it ends. The server and the apps run in this process (as
`mockapps env-server` runs them), or, with --external, the apps run under gunicorn in their own processes
(`mockapps serve --production`), which is what a machine serving many rollouts should do.
Usage: python bench/rollout.py [--rollouts N] [--browser] [--external]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import requests
import uvicorn

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.world import WorldRegistry
from mock_apps.rollout.deployment import RunningDeployment
from mock_apps.rollout.grpo_group import run_rollout
from mock_apps.rollout.rollouts import Rollouts
from mock_apps.rollout.server import create_app

TASK = "announce-lunch-in-general"


def _free_base_port() -> int:
    """A base port whose next len(APP_NAMES) ports are free too."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + len(APP_NAMES) < 65000 and all(_free(base + i) for i in range(len(APP_NAMES) + 1)):
            return base
    raise RuntimeError("no free port range")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _start_external(settings: Settings) -> tuple[RunningDeployment, subprocess.Popen]:
    """`mockapps serve --production` (gunicorn, 2 workers per app) on a free port range, and its deployment."""
    settings = replace(settings, base_port=_free_base_port())
    WorldRegistry.for_settings(settings).reset("bench-warm")  # templates built before the workers start
    proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "--data", str(settings.data_dir), "serve",
                             "--production", "--workers", "2", "--base-port", str(settings.base_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deployment = RunningDeployment(settings)
    deadline = time.monotonic() + 60
    while True:
        try:
            return deployment.check(), proc
        except Exception:  # noqa: BLE001 - not up yet
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise
            time.sleep(0.3)


def _serve(rollouts: Rollouts) -> tuple[str, uvicorn.Server, threading.Thread]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(rollouts), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def _resets(url: str, env: str, runs: int) -> list[float]:
    """Milliseconds per POST /reset (each rollout closed before the next: its environment is pooled)."""
    http = requests.Session()
    ms = []
    for _ in range(runs):
        started = time.perf_counter()
        response = http.post(f"{url}/reset", json={"task": TASK, "env": env}, timeout=300)
        ms.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        http.post(f"{url}/close", json={"episode_id": response.json()["metadata"]["episode_id"]}, timeout=300)
    return ms


def _throughput(url: str, rollouts: int, concurrency: int) -> float:
    """Rollouts per second, `concurrency` at once."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda seed: run_rollout(url, TASK, seed), range(rollouts)))
    wall = time.perf_counter() - started
    if not all(r["done"] for r in results):
        raise RuntimeError("a rollout did not finish")
    return rollouts / wall


def measure(rollouts: int = 48, browser: bool = False, external: bool = False) -> dict:
    """Reset p50/p95 per environment kind and the 1-vs-8 throughput."""
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp), host="127.0.0.1", control_token=None)
        proc = None
        if external:
            apps, proc = _start_external(settings)
        else:
            apps = Sandbox(settings, ephemeral=True).start()
        pool = Rollouts(apps, max_rollouts=16, max_browsers=2, idle_timeout=600)
        url, server, thread = _serve(pool)
        try:
            _resets(url, "tool", 3)  # templates, the tools' documents, each app's first request
            ms = _resets(url, "tool", 40)
            figures["tool_reset_ms"] = {"p50": statistics.median(ms), "p95": statistics.quantiles(ms, n=20)[18]}
            if browser:
                _resets(url, "browser", 2)  # the browser's launch
                ms = _resets(url, "browser", 20)
                figures["browser_reset_ms"] = {"p50": statistics.median(ms),
                                               "p95": statistics.quantiles(ms, n=20)[18]}
            _throughput(url, 8, 8)  # eight environments in the pool before timing
            one = _throughput(url, max(8, rollouts // 3), 1)
            eight = _throughput(url, rollouts, 8)
            figures["rollouts_per_s"] = {"1": one, "8": eight, "ratio": eight / one}
        finally:
            server.should_exit = True
            thread.join(60)
            apps.stop()
            if proc is not None:
                proc.terminate()
                proc.wait(30)
    return figures


def main() -> int:
    """Print the figures against the targets; exit 1 when one is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rollouts", type=int, default=48, help="rollouts in the 8-at-once series")
    parser.add_argument("--browser", action="store_true", help="time browser-env resets too")
    parser.add_argument("--external", action="store_true", help="apps under gunicorn in their own processes")
    args = parser.parse_args()
    figures = measure(args.rollouts, args.browser, args.external)
    ok = True
    tool = figures["tool_reset_ms"]
    ok &= tool["p50"] < 150
    print(f"tool reset: p50 {tool['p50']:.1f} ms, p95 {tool['p95']:.1f} ms (target p50 < 150 ms)")
    if "browser_reset_ms" in figures:
        b = figures["browser_reset_ms"]
        ok &= b["p50"] < 295
        print(f"browser reset: p50 {b['p50']:.1f} ms, p95 {b['p95']:.1f} ms (target p50 under 220-295 ms)")
    t = figures["rollouts_per_s"]
    ok &= t["ratio"] >= 1.5
    print(f"rollouts/s: 1 at once {t['1']:.2f}, 8 at once {t['8']:.2f}, ratio {t['ratio']:.2f}x (target >= 1.5x)")
    print(f"apps {'under gunicorn (--external)' if args.external else 'in process'}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
