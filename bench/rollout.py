"""The rollout server (`mockapps env-server`) over real HTTP: reset latency and the throughput of concurrent
rollouts.

Targets (issue 19): tool-env reset p50 < 150 ms; browser-env reset p50 under the browser env's own 220-295 ms
(with --browser); 8 concurrent rollouts with at least 1.5x the throughput (rollouts/s) of 1, on 2 cores.
A rollout is the documented GRPO example's (mock_apps/rollout/grpo_group.py): reset, list the channels, post,
answer; it is scored by the task's checks when it ends. The server is the `mockapps env-server` command in a
process of its own, in its default configuration (the apps in gunicorn worker processes it starts), or with
--in-process (the apps in threads of the server's process); the clients are this process's threads.
Usage: python bench/rollout.py [--rollouts N] [--browser] [--in-process] [--app-workers N]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from mock_apps.rollout.grpo_group import run_rollout

TASK = "announce-lunch-in-general"


def _start_server(data: str, options: list[str]) -> tuple[str, subprocess.Popen]:
    """`mockapps env-server` with the options on a free port; its URL once /health answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mock_apps.cli", "--data", data, "env-server", "--port",
                             str(port), "--max-browsers", "2", "--idle-timeout", "600", *options],
                            stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            requests.get(f"{url}/health", timeout=5).raise_for_status()
            return url, proc
        except requests.RequestException:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the env-server did not start") from None
            time.sleep(0.3)


def _resets(url: str, env: str, runs: int) -> list[float]:
    """Milliseconds per POST /reset (each rollout closed before the next: its environment is pooled)."""
    http = requests.Session()
    ms = []
    for _ in range(runs):
        started = time.perf_counter()
        response = http.post(f"{url}/reset", json={"task": TASK, "env": env}, timeout=300)
        ms.append((time.perf_counter() - started) * 1000)
        if not response.ok:
            raise RuntimeError(f"reset: {response.status_code} {response.text}")
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


def measure(rollouts: int = 48, browser: bool = False, options: list[str] = ()) -> dict:
    """Reset p50/p95 per environment kind and the 1-vs-8 throughput, back to back on one server."""
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        url, proc = _start_server(tmp, list(options))
        figures["start_s"] = time.perf_counter() - started
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
            load = os.getloadavg()[0]
            one = _throughput(url, max(8, rollouts // 3), 1)
            eight = _throughput(url, rollouts, 8)
            figures["rollouts_per_s"] = {"1": one, "8": eight, "ratio": eight / one,
                                         "load": (load, os.getloadavg()[0])}
        finally:
            proc.send_signal(signal.SIGINT)  # as Ctrl-C stops it: the apps stopped, the worlds deleted
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    return figures


def main() -> int:
    """Print the figures against the targets; exit 1 when one is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rollouts", type=int, default=48, help="rollouts in the 8-at-once series")
    parser.add_argument("--browser", action="store_true", help="time browser-env resets too")
    parser.add_argument("--in-process", action="store_true", help="the apps in threads of the server's process")
    parser.add_argument("--app-workers", type=int, default=1, help="gunicorn workers per app (default 1)")
    args = parser.parse_args()
    options = ["--in-process"] if args.in_process else ["--app-workers", str(args.app_workers)]
    figures = measure(args.rollouts, args.browser, options)
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
    print(f"rollouts/s: 1 at once {t['1']:.2f}, 8 at once {t['8']:.2f}, ratio {t['ratio']:.2f}x (target >= 1.5x); "
          f"load average {t['load'][0]:.1f} before, {t['load'][1]:.1f} after")
    print(f"env-server {' '.join(options)}: started in {figures['start_s']:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
