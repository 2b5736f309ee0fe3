"""`mockapps tasks list|instantiate|prove|show|check|docs|record-golden`."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from mock_apps.scenarios import scenario_name
from mock_apps.tasks.model import Task
from mock_apps.tasks.registry import TaskError, all_tasks, get_task, scenario_tasks, templates
from mock_apps.tasks.template import Skip


def scenarios_of(args) -> list[str]:
    """The scenarios named by --scenario (meridian or an industry, repeatable) and --seed (repeatable)."""
    industries = args.scenario or ["meridian"]
    seeds = args.seed or []
    for seed in seeds:
        if not seed.isdecimal():
            raise TaskError(f"--seed {seed!r}: expected a whole number such as 7")
    names = []
    for industry in industries:
        if industry == "meridian":
            names.append("meridian")
            continue
        if not seeds:
            raise TaskError(f"--scenario {industry} is an industry: give --seed N for which company of it")
        names += [scenario_name(industry, int(seed)) for seed in seeds]
    if seeds and names == ["meridian"] * len(names):
        raise TaskError("meridian is one fixed company: --seed goes with an industry (--scenario law --seed 7)")
    return list(dict.fromkeys(names))


def selection(args) -> tuple[list[Task], list[Skip]]:
    """The instances of the chosen templates on the chosen scenarios, and the templates skipped there."""
    names = [t.name for t in templates()]
    for wanted in args.template or []:
        if wanted not in names:
            close = difflib.get_close_matches(wanted, names, n=1)
            raise TaskError(f"unknown template {wanted!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    keep = set(args.template or names)
    tasks, skipped = [], []
    for scenario in scenarios_of(args):
        found, missing = scenario_tasks(scenario)
        tasks += [t for t in found if _template_of(t) in keep]
        skipped += [s for s in missing if s.template in keep]
    return tasks, skipped


def _template_of(task: Task) -> str:
    """The library file a task comes from (a single task's file is its template)."""
    return next((t.name for t in templates() if t.single and t.body.get("id") == task.id), task.template or task.id)


def cmd_tasks(args) -> int:
    """List, instantiate, prove, show, check or document tasks."""
    if args.tasks_command in ("list", "instantiate"):
        tasks, skipped = selection(args)
        if args.tasks_command == "instantiate" and args.out:
            write_instances(tasks, Path(args.out))
        if getattr(args, "json", False):
            print(json.dumps([t.model_dump() for t in tasks], indent=2))
            return 0
        for task in tasks:
            print(f"{task.id:56} {_template_of(task):40} {task.difficulty:6} {','.join(task.apps):22} {task.title}")
        for skip in skipped:
            print(f"skipped {skip.template} on {skip.scenario}: needs {skip.missing}")
        print(f"{len(tasks)} tasks of {len({_template_of(t) for t in tasks})} templates, "
              f"{sum(len(t.apps) >= 2 for t in tasks)} across two or more apps, "
              f"{sum(len(t.apps) == 4 for t in tasks)} across all four; {len(skipped)} templates skipped"
              + (f"; written to {args.out}" if getattr(args, "out", None) else ""))
        return 0
    if args.tasks_command == "prove":
        return prove_command(args)
    if args.tasks_command == "docs":
        from mock_apps.tasks.docs import docs

        print(docs())
        return 0
    if args.tasks_command == "record-golden":
        return record_golden_trajectories(args.tasks)
    task = get_task(args.task)
    if args.tasks_command == "show":
        if args.json:
            print(task.model_dump_json(indent=2))
            return 0
        print(f"{task.id}: {task.title}\n  difficulty {task.difficulty}, apps {', '.join(task.apps)}, "
              f"scenario {task.scenario}, starts at {', '.join(task.start_pages)}\n\n{task.instruction.strip()}\n")
        if task.needs_answer:
            print("  This task asks for a final answer (send_msg_to_user): "
                  + ", ".join(c.answer.type for c in task.checks if c.answer) + ".\n")
        for check in task.checks:
            print(f"  [{check.weight:g}] {check.name}")
        return 0
    from mock_apps.core.control_client import ControlClient
    from mock_apps.core.settings import APP_NAMES, Settings
    from mock_apps.tasks.checks import score_world

    settings = Settings() if args.base_port is None else Settings(base_port=args.base_port)
    control = ControlClient({app: f"http://127.0.0.1:{settings.port(app)}" for app in APP_NAMES}, args.world)
    if args.answer is not None and not task.needs_answer:
        print(f"error: {task.id} does not ask for a final answer; drop --answer")
        return 2
    result = score_world(task, control, answer=args.answer)
    for c in result.checkpoints:
        print(f"  {'PASS' if c.passed else 'FAIL'} [{c.weight:g}] {c.name}" + (f": {c.reason}" if c.reason else ""))
    print(f"{task.id} in world {args.world}: score {result.score:.2f}, {'passed' if result.passed else 'failed'}")
    return 0 if result.passed else 1


def write_instances(tasks: list[Task], out: Path) -> None:
    """Write each task as a YAML file a user can read, edit and load back (`<id>.yaml`, a single task)."""
    import yaml

    class Readable(yaml.SafeDumper):
        """Multi-line text (an instruction) as a block a person can edit, not a quoted string."""

    Readable.add_representer(str, lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))
    out.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        data = task.model_dump(exclude_none=True, exclude_defaults=True)
        data["scenario"] = task.scenario
        (out / f"{task.id}.yaml").write_text(
            yaml.dump(data, Dumper=Readable, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


def prove_command(args) -> int:
    """Prove a deterministic sample of instances; a line per instance, totals, non-zero when any failed."""
    from mock_apps.tasks.proof import prove, sample

    if args.sample is not None and args.sample < 1:
        raise TaskError(f"--sample {args.sample}: expected at least 1")
    if args.workers < 1:
        raise TaskError(f"--workers {args.workers}: expected at least 1")
    tasks, skipped = selection(args)
    chosen = sample(tasks, args.sample)
    print(f"proving {len(chosen)} of {len(tasks)} instances on {', '.join(scenarios_of(args))} "
          f"with {args.workers} worker(s)", flush=True)
    import time

    started = time.monotonic()
    proved = failed = 0
    for proof in prove(chosen, args.workers):
        proved += proof.proved
        failed += not proof.proved
        print(proof.line(), flush=True)
    for skip in skipped:
        print(f"skipped {skip.template} on {skip.scenario}: needs {skip.missing}")
    minutes = (time.monotonic() - started) / 60
    print(f"{proved} proved, {failed} failed, {len(skipped)} templates skipped in {minutes:.1f} min"
          + (f" ({proved / minutes:.1f} proved per minute)" if minutes else ""))
    return 1 if failed else 0


def record_golden_trajectories(task_ids: list[str]) -> int:
    """Re-record the golden trajectories (all, or the named tasks) on a private sandbox."""
    import shutil
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from mock_apps.core import browser
    from mock_apps.core.server import Sandbox
    from mock_apps.core.settings import APP_NAMES, Settings
    from mock_apps.tasks.demos import GOLDEN, record_golden

    tasks = [get_task(t) for t in task_ids] if task_ids else all_tasks()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright, \
            Sandbox(replace(Settings(), data_dir=Path(tmp)), ephemeral=True) as sandbox:
        chromium = browser.launch(playwright, headless=True)
        urls = {app: sandbox.url(app) for app in APP_NAMES}
        for i, task in enumerate(tasks):
            out = GOLDEN / task.id
            shutil.rmtree(out, ignore_errors=True)
            record_golden(task, chromium, urls, f"golden-{i}", out)
            print(f"recorded {task.id} into {out}")
    return 0


def register(subparsers) -> None:
    """Add `tasks` to the mockapps command line."""
    parser = subparsers.add_parser("tasks", help="list, show, check or document the tasks")
    sub = parser.add_subparsers(dest="tasks_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the instances of every template on a scenario, one line each")
    _scenario_options(listing)
    listing.add_argument("--json", action="store_true")
    instantiate = sub.add_parser("instantiate", help="materialize every template's instances on a company")
    _scenario_options(instantiate)
    instantiate.add_argument("--out", help="write each instance as <id>.yaml into this folder")
    prove = sub.add_parser("prove", help="run each instance's reference demonstration on a fresh world and score it")
    _scenario_options(prove)
    prove.add_argument("--sample", type=int, help="prove a deterministic sample of this many instances")
    prove.add_argument("--workers", type=int, default=1, help="worker processes, each with a sandbox and a browser")
    show = sub.add_parser("show", help="one task: instruction and checks")
    show.add_argument("task")
    show.add_argument("--json", action="store_true")
    check = sub.add_parser("check", help="score a task on a world of the running sandbox")
    check.add_argument("task")
    check.add_argument("--world", default="default")
    check.add_argument("--base-port", type=int)
    check.add_argument("--answer", help="the final answer given (send_msg_to_user text), for tasks that ask a question")
    sub.add_parser("docs", help="print the task documentation page (Markdown)")
    golden = sub.add_parser("record-golden", help="re-record the reference demonstrations as golden trajectories")
    golden.add_argument("tasks", nargs="*", help="task ids (default: all)")
    parser.set_defaults(func=cmd_tasks)


def _scenario_options(parser) -> None:
    parser.add_argument("--scenario", action="append", metavar="S",
                        help="meridian (the default) or an industry (wholesale, law, medical, agency); repeatable")
    parser.add_argument("--seed", action="append", metavar="N", help="which company of the industry; repeatable")
    parser.add_argument("--template", action="append", metavar="T", help="only this template's instances; repeatable")
