"""How long the new industries' work is: the first instance of every template on each industry's company of a
seed, its reference demonstration recorded through the recorder, counted in user actions (clicks, fills, key
presses, selections, uploads, downloads; not opening a tab or loading a URL), with the apps it touched and
whether it passed its checks.

Issue 18 asks for at least 20 templates that need the new industries' work, 5 of them needing all four apps
(mail, chat, sheets, books) and 5 "hard" ones of 40+ steps.
Usage: python bench/demo_steps.py [--seed S] [--template T ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import sync_playwright

from mock_apps.core import browser
from mock_apps.core.control_client import ControlClient
from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.scenarios import scenario_name
from mock_apps.scenarios.generator import INDUSTRIES
from mock_apps.tasks.checks import score_world
from mock_apps.tasks.demos import record_golden
from mock_apps.tasks.registry import scenario_tasks
from trajectories.store import load

NOT_USER_ACTIONS = {"tab_open", "navigate"}  # what the recorder adds around a demonstration's own actions
FOUR_APPS = {"mail", "chat", "sheets", "books"}
HARD_STEPS = 40


def industry_templates(seed: int) -> dict[str, list]:
    """Each template found on exactly one industry, with its first instance on that industry's company."""
    found: dict[str, list] = {}
    for industry in INDUSTRIES:
        for task in sorted(scenario_tasks(scenario_name(industry, seed))[0], key=lambda t: t.id):
            found.setdefault(task.template, [])
            if all(t.scenario != task.scenario for t in found[task.template]):
                found[task.template].append(task)
    return {name: tasks[:1] for name, tasks in found.items() if len(tasks) == 1}


def measure(task, chromium, urls: dict[str, str], world: str, out: Path) -> tuple[int, set[str], bool]:
    """Record a task's demonstration; its user actions, the apps they happened in, and whether it passed."""
    record_golden(task, chromium, urls, world, out)
    meta, steps = load(out)
    actions = [s for s in steps if s.action.type not in NOT_USER_ACTIONS]
    control = ControlClient(urls, world)
    try:
        passed = score_world(task, control, answer=meta.final_answer).score == 1.0
    finally:
        control.delete()
    return len(actions), {s.app for s in actions if s.app}, passed


def main() -> int:
    """Record and count every industry template's first instance, print a line each and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="which company of each industry (default 1)")
    parser.add_argument("--template", action="append", help="only these templates (repeatable)")
    args = parser.parse_args()
    chosen = {name: tasks for name, tasks in industry_templates(args.seed).items()
              if not args.template or name in args.template}
    started = time.monotonic()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright, \
            Sandbox(replace(Settings(), data_dir=Path(tmp) / "data"), ephemeral=True) as sandbox:
        chromium = browser.launch(playwright, headless=True)
        urls = {app: sandbox.url(app) for app in APP_NAMES}
        for i, (name, (task,)) in enumerate(sorted(chosen.items())):
            steps, apps, passed = measure(task, chromium, urls, f"steps-{i}", Path(tmp) / task.id)
            rows.append((name, task, steps, apps, passed))
            print(f"{steps:4d} actions  {task.difficulty:6s} {','.join(sorted(apps)):30s} "
                  f"{'passed' if passed else 'FAILED'}  {task.id}", flush=True)
    four = [name for name, _, _, apps, _ in rows if FOUR_APPS <= apps]
    hard = [name for name, task, steps, _, _ in rows if task.difficulty == "hard" and steps >= HARD_STEPS]
    failed = [task.id for _, task, _, _, passed in rows if not passed]
    print(f"{len(rows)} industry templates on seed {args.seed} recorded in {(time.monotonic() - started) / 60:.1f} min; "
          f"{len(four)} touch all four apps ({', '.join(four) or 'none'}); {len(hard)} hard with {HARD_STEPS}+ "
          f"actions ({', '.join(hard) or 'none'}); {len(failed)} failed their checks")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
