"""Evaluation speed of the browser environment (issue 9): reset time, concurrent episodes without cross-talk, and
throughput with 1 and 2 workers.

1. Reset: `MockAppsEnv.reset()` (a fresh world, the start pages loaded, the first observation) timed over
   --resets resets after one warm-up. Target: p50 under 300 ms.
2. Concurrency: --concurrent episodes at once on ONE sandbox, each an env with its own thread, Playwright and
   Chromium, each the replay agent on a different golden trajectory. The episodes start together (a barrier);
   when all have ended (another barrier, so every world is still alive) each world's change log must be exactly
   its golden trajectory's recorded changes (app, operation, arguments and simulated time, in order) and every
   episode must pass with no collateral damage and no server error. Any foreign or missing change is cross-talk.
3. Throughput: the harness (bench/eval.py's way: `mockapps eval` with the replay agent) with 1 and then 2
   workers on --eval-tasks golden tasks spread evenly over the golden trajectories' lengths (so the mean
   episode is as long as over all of them), or the shortest ones with --eval-shortest (reset and scoring
   weigh most there); target 2 workers >= 1.5x 1 worker. bench/eval.py measures it over every golden task.

The machine is shared: every figure is printed with the 1-minute load average at the time.
Usage: python bench/env.py [--resets N] [--concurrent N] [--eval-tasks N] [--eval-shortest] [--eval-episodes K]
                          [--parts reset concurrency throughput]
Exit status 1 when cross-talk is found or an episode fails (speed misses are reported, not failed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings
from mock_apps.evaluation.agents.replay import ReplayAgent
from mock_apps.evaluation.env import MockAppsEnv
from mock_apps.evaluation.harness import EvalConfig, run, validate
from mock_apps.tasks import all_tasks
from mock_apps.tasks.demos import GOLDEN
from trajectories.store import load

RESET_TASK = "announce-lunch-in-general"  # starts in Chat, the app with the heaviest start page
MAX_STEPS = 150
PARTS = ("reset", "concurrency", "throughput")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages and the CPU count, for printing beside a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} on {os.cpu_count()} CPUs"


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def golden_tasks_by_length() -> list[str]:
    """Every golden task, fewest recorded steps first (ties by id)."""
    sizes = []
    for task in all_tasks():
        folder = GOLDEN / task.id
        if (folder / "trajectory.json").exists():
            sizes.append((len(load(folder)[1]), task.id))
    return [task_id for _, task_id in sorted(sizes)]


def shortest_golden_tasks(count: int) -> list[str]:
    """The `count` golden tasks with the fewest recorded steps: short episodes, many apps."""
    tasks = golden_tasks_by_length()
    if len(tasks) < count:
        raise SystemExit(f"only {len(tasks)} golden trajectories; asked for {count}")
    return tasks[:count]


def spread_golden_tasks(count: int) -> list[str]:
    """`count` golden tasks evenly spaced in the order of their lengths, the shortest and the longest included."""
    tasks = golden_tasks_by_length()
    if len(tasks) < count:
        raise SystemExit(f"only {len(tasks)} golden trajectories; asked for {count}")
    if count == 1:
        return tasks[len(tasks) // 2:][:1]
    return [tasks[round(i * (len(tasks) - 1) / (count - 1))] for i in range(count)]


def golden_changes(task_id: str) -> list[tuple]:
    """The changes the task's golden trajectory recorded, in order: (app, op, args, simulated time)."""
    return [(c.app, c.op, c.args, c.time) for step in load(GOLDEN / task_id)[1] for c in step.changes]


def world_changes(env: MockAppsEnv) -> list[tuple]:
    """The env's world's change log in the same shape as golden_changes."""
    return [(c["app"], c["op"], c["args"], c["time"]) for c in env.control.changes()]


def bench_reset(sandbox: Sandbox, resets: int, task_id: str) -> list[float]:
    """Milliseconds of each of `resets` resets of one env (after a first, untimed one)."""
    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser as chromium

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright, headless=True)
        env = MockAppsEnv(task_id, sandbox=sandbox, browser=browser)
        try:
            env.reset(seed=0)  # the first reset opens the context and tab the others keep
            times = []
            for _ in range(resets):
                started = time.perf_counter()
                env.reset()
                times.append((time.perf_counter() - started) * 1000)
        finally:
            env.close()
            browser.close()
    return times


class ConcurrentEpisode(threading.Thread):
    """One episode of the replay agent on a golden task, in its own thread with its own Playwright and Chromium
    (Playwright's sync API is per thread), on the shared sandbox."""

    def __init__(self, sandbox: Sandbox, task_id: str, start: threading.Barrier, end: threading.Barrier,
                 running: list[int], lock: threading.Lock):
        super().__init__(name=f"episode-{task_id}", daemon=True)
        self.sandbox, self.task_id = sandbox, task_id
        self.start_line, self.finish_line = start, end
        self.running, self.lock = running, lock
        self.reward = 0.0
        self.info: dict = {}
        self.changes: list[tuple] = []
        self.world_id: str | None = None
        self.seconds = 0.0
        self.error: str | None = None

    def run(self) -> None:
        """Launch, wait for all, play the episode, wait for all to end, read the world's change log."""
        from playwright.sync_api import sync_playwright

        from mock_apps.core import browser as chromium

        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright, headless=True)
                env = MockAppsEnv(self.task_id, sandbox=self.sandbox, browser=browser, max_steps=MAX_STEPS)
                try:
                    self.start_line.wait()
                    self._play(env)
                    self.finish_line.wait()  # every world is alive and finished when each is read
                    self.changes = world_changes(env)
                finally:
                    env.close()
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - reported per episode
            self.error = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            self.start_line.abort()  # nobody waits forever for an episode that will not come
            self.finish_line.abort()

    def _play(self, env: MockAppsEnv) -> None:
        started = time.perf_counter()
        agent = ReplayAgent(GOLDEN / self.task_id)
        observation, info = env.reset()
        self.world_id = info["world_id"]
        with self.lock:
            self.running[0] += 1
            self.running[1] = max(self.running[1], self.running[0])
        agent.reset(env.task)
        try:
            while True:
                observation, self.reward, terminated, truncated, self.info = env.step(agent.act(observation))
                if terminated or truncated:
                    break
        finally:
            with self.lock:
                self.running[0] -= 1
        self.seconds = time.perf_counter() - started


def bench_concurrency(sandbox: Sandbox, count: int) -> bool:
    """Run `count` episodes at once on one sandbox; print each one's verdict; True when all passed and each world
    holds exactly its own changes."""
    tasks = shortest_golden_tasks(count)
    start, end = threading.Barrier(count), threading.Barrier(count)
    running, lock = [0, 0], threading.Lock()
    episodes = [ConcurrentEpisode(sandbox, task_id, start, end, running, lock) for task_id in tasks]
    started = time.perf_counter()
    for episode in episodes:
        episode.start()
    for episode in episodes:
        episode.join()
    wall = time.perf_counter() - started
    load_then = load_average()
    clean = True
    for episode in episodes:
        expected = golden_changes(episode.task_id)
        if episode.error:
            verdict, clean = f"CRASHED {episode.error}", False
        elif episode.changes != expected:
            foreign = [c for c in episode.changes if c not in expected]
            missing = [c for c in expected if c not in episode.changes]
            verdict, clean = f"CROSS-TALK or divergence: {len(foreign)} foreign, {len(missing)} missing " \
                             f"(first foreign {foreign[:1]}, first missing {missing[:1]})", False
        elif not episode.info.get("passed") or episode.info.get("collateral") or episode.info.get("server_errors"):
            verdict, clean = f"FAILED score {episode.reward} {episode.info}", False
        else:
            verdict = f"passed, world holds exactly its {len(expected)} change(s)"
        print(f"  {episode.task_id:45} {episode.seconds:6.1f} s  {verdict}")
    worlds = [e.world_id for e in episodes if e.world_id is not None]
    if len(set(worlds)) != len(worlds):
        print("  two episodes shared a world id")
        clean = False
    print(f"{count} concurrent episodes on one sandbox (each its own thread and Chromium): {wall:.1f} s wall, "
          f"at most {running[1]} running at once; {'no cross-talk, all passed' if clean else 'PROBLEMS above'} "
          f"({load_then})", flush=True)
    return clean


def bench_throughput(data: Path, out: Path, tasks: list[str], episodes: int) -> None:
    """Episodes per minute of the harness with 1 and with 2 workers (bench/eval.py's measurement)."""
    figures = {}
    for workers in (1, 2):
        config = validate(EvalConfig(tasks=tasks, agent="replay", out=out / f"w{workers}", episodes=episodes,
                                     workers=workers, data_dir=data))
        summary = run(config, progress=lambda line: None)
        figures[workers] = summary["episodes_per_minute"]
        print(f"harness, {workers} worker(s): {summary['episodes']} episodes of {summary['mean_steps']:.1f} steps on "
              f"average in {summary['wall_seconds']:.1f} s = "
              f"{summary['episodes_per_minute']:.2f} episodes/min, success rate {summary['success_rate']:.0%}, "
              f"{summary['crashed']} crashed ({load_average()})", flush=True)
    ratio = figures[2] / figures[1]
    print(f"throughput 2 workers / 1 worker: {ratio:.2f}x ({'meets' if ratio >= 1.5 else 'misses'} the 1.5x target; "
          f"{load_average()})")


def main() -> None:
    """Print reset percentiles, the concurrency verdict and the throughput ratio, each with the load average."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=30)
    parser.add_argument("--reset-task", default=RESET_TASK)
    parser.add_argument("--concurrent", type=int, default=16)
    parser.add_argument("--eval-tasks", type=int, default=16, help="N golden tasks, spread over their lengths")
    parser.add_argument("--eval-shortest", action="store_true", help="the N shortest golden tasks instead")
    parser.add_argument("--eval-episodes", type=int, default=1, help="episodes per task")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # one data directory for everything: the scenario's templates are built once, before any timing
        data = Path(os.environ.get("MOCKAPPS_DATA") or Path(tmp) / "data").resolve()
        settings = replace(Settings(), data_dir=data, host="127.0.0.1", control_token=None)
        clean = True
        with Sandbox(settings, ephemeral=True) as sandbox:
            print(f"before: {load_average()}", flush=True)
            if "reset" in args.parts:
                times = bench_reset(sandbox, args.resets, args.reset_task)
                p50 = percentile(times, 50)
                print(f"reset ({args.reset_task}) over {len(times)} resets: p50 {p50:.0f} ms, "
                      f"p95 {percentile(times, 95):.0f} ms, max {max(times):.0f} ms "
                      f"({'meets' if p50 < 300 else 'misses'} the 300 ms p50 target; {load_average()})", flush=True)
            if "concurrency" in args.parts:
                clean = bench_concurrency(sandbox, args.concurrent)
        if "throughput" in args.parts:
            pick = shortest_golden_tasks if args.eval_shortest else spread_golden_tasks
            bench_throughput(data, Path(tmp), pick(args.eval_tasks), args.eval_episodes)
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
