"""Proving tasks: each instance's reference demonstration, run headless on a fresh world, must pass its checks
with score 1.0, and the same world untouched must fail them. Workers are processes, each with its own sandbox
(the apps on ephemeral ports over a private data directory) and its own Chromium."""

from __future__ import annotations

import hashlib
import multiprocessing
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from mock_apps.tasks.model import Task

DEMO_TIMEOUT_MS = 20_000  # one Playwright action; a demonstration that waits longer has lost its way
BUILD_TIMEOUT_S = 900  # the first reset to a company builds its templates: minutes on a loaded machine


@dataclass(frozen=True)
class Proof:
    """One instance's outcome: proved, or failed with the first reason."""

    task: str
    proved: bool
    reason: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        """The line `tasks prove` prints for it."""
        head = f"{'proved' if self.proved else 'FAILED'} {self.task} ({self.seconds:.1f} s)"
        return head if self.proved else f"{head}: {self.reason}"


def sample(tasks: list[Task], k: int | None, seed: int = 0) -> list[Task]:
    """A deterministic sample of k tasks (all of them when k is None or not smaller), in id order."""
    ordered = sorted(tasks, key=lambda t: t.id)
    if k is None or k >= len(ordered):
        return ordered
    # Each task ranks by a hash of its own id, not by its position: a template added to the library moves a
    # sample by at most the tasks it adds, so CI keeps proving the same instances as the library grows.
    ranked = sorted(ordered, key=lambda t: hashlib.sha256(f"{seed}/{t.id}".encode()).digest())
    return sorted(ranked[:k], key=lambda t: t.id)


def prove_one(task: Task, browser, urls: dict[str, str], world_id: str) -> Proof:
    """Run a task's demonstration on a fresh world and score it, then score the world untouched."""
    from mock_apps.core.control_client import ControlClient
    from mock_apps.tasks.checks import score_world
    from mock_apps.tasks.demos import demo_for, missing_reason
    from trajectories.app_url import AppUrls

    started = time.monotonic()

    def done(reason: str = "") -> Proof:
        return Proof(task.id, not reason, reason, time.monotonic() - started)

    perform = demo_for(task)
    if perform is None:
        return done("no reference demonstration" + (f" ({missing_reason()})" if missing_reason() else ""))
    control = ControlClient(urls, world_id, timeout=BUILD_TIMEOUT_S)
    try:
        control.reset(task.scenario)
    except Exception as error:  # one company that cannot be built fails its instances, not the worker
        return done(f"the world did not reset to {task.scenario}: {_first_line(error)}")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(DEMO_TIMEOUT_MS)
    try:
        context.add_cookies([{"name": "mockworld", "value": world_id, "url": url} for url in urls.values()])
        page = context.new_page()
        page.goto(AppUrls(urls).absolute(task.start_pages[0]))
        answer = perform(page, task)
    except Exception as error:  # a demonstration that breaks is a failed proof, reported, not a crash
        return done(f"the demonstration stopped: {_first_line(error)}")
    finally:
        context.close()
    try:
        result = score_world(task, control, answer=answer)
        if not (result.passed and result.score == 1.0):
            return done(f"check failed: {result.reasons()[0]}")
        control.reset(task.scenario)
        if score_world(task, control).passed:
            return done("an untouched world passes the checks (they prove nothing)")
    finally:
        control.delete()
    return done()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _proving(task_ids: Iterator[str], tag: str, data_dir: str) -> Iterator[Proof]:
    """Start a sandbox over a data directory (its worlds named by the tag) and Chromium; prove each task id."""
    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser
    from mock_apps.core.server import Sandbox
    from mock_apps.core.settings import APP_NAMES, Settings
    from mock_apps.tasks.registry import get_task

    with sync_playwright() as playwright, \
            Sandbox(replace(Settings(), data_dir=Path(data_dir)), ephemeral=True) as sandbox:
        chromium = browser.launch(playwright, headless=True)
        urls = {app: sandbox.url(app) for app in APP_NAMES}
        for i, task_id in enumerate(task_ids):
            yield prove_one(get_task(task_id), chromium, urls, f"proof-{tag}-{i}")
        chromium.close()


def _worker(queue, results, tag: str, data_dir: str) -> None:
    import signal
    import sys

    # a terminated worker unwinds (closing its browser and removing its data directory) instead of vanishing
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    def ids():
        while (task_id := queue.get()) is not None:
            yield task_id

    try:
        for proof in _proving(ids(), tag, data_dir):
            results.put(proof)
    except Exception as error:  # the worker's sandbox or browser failed: say so instead of losing its tasks quietly
        results.put(Proof(f"(worker {tag})", False, f"the worker stopped: {error}"))
    finally:
        results.put(None)  # this worker is done


def prove(tasks: list[Task], workers: int = 1) -> Iterator[Proof]:
    """Prove tasks, yielding each Proof as it finishes (in one process, or across worker processes).

    The workers share one data directory, so each company's templates are built once, and take the tasks
    company by company, so a build is followed by that company's instances."""
    ordered = [t.id for t in sorted(tasks, key=lambda t: (t.scenario, t.id))]
    with tempfile.TemporaryDirectory(prefix="mockapps-prove-") as data_dir:
        if workers <= 1 or len(tasks) <= 1:
            yield from _proving(iter(ordered), "0", data_dir)
        else:
            yield from _in_workers(ordered, workers, data_dir)


def _in_workers(task_ids: list[str], workers: int, data_dir: str) -> Iterator[Proof]:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no forked Playwright or server threads
    queue, results = context.Queue(), context.Queue()
    for task_id in task_ids:
        queue.put(task_id)
    workers = min(workers, len(task_ids))
    for _ in range(workers):
        queue.put(None)
    procs = [context.Process(target=_worker, args=(queue, results, str(n), data_dir), daemon=True)
             for n in range(workers)]
    for proc in procs:
        proc.start()
    running = workers
    try:
        while running:
            proof = results.get()
            if proof is None:
                running -= 1
            else:
                yield proof
    finally:
        for proc in procs:
            if proc.is_alive() and running:
                proc.terminate()
            proc.join()
