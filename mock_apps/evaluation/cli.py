"""`mockapps eval`: run an agent on tasks, many episodes in parallel, and score it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mock_apps.evaluation.harness import BACKENDS, DEFAULT_MAX_STEPS, ENVS, EvalConfig, EvalError


def parse_agent_options(items: list[str]) -> dict:
    """--agent-option k=v ... as a dict; a value that reads as a JSON number, boolean or null is one."""
    options = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise EvalError(f"--agent-option {item!r} must be KEY=VALUE (for example model=gpt-4o)")
        try:
            parsed = json.loads(value)
            options[key.strip()] = parsed if isinstance(parsed, (int, float, bool)) or parsed is None else value
        except ValueError:
            options[key.strip()] = value
    return options


def cmd_eval(args) -> int:
    """Validate, run every episode, print the table; 0 when the run completed (whatever the agent scored)."""
    from mock_apps.evaluation.harness import run, table, validate

    tasks = [t for item in args.tasks for t in item.split(",") if t]
    config = EvalConfig(tasks=tasks, agent=args.agent, out=Path(args.out), episodes=args.episodes,
                        workers=args.workers, backend=args.backend, env=args.env, base_port=args.base_port,
                        agent_options=parse_agent_options(args.agent_option), max_steps=args.max_steps,
                        data_dir=Path(args.data).resolve() if getattr(args, "data", None) else None,
                        headless=not args.headed)
    config = validate(config)
    summary = run(config)
    print()
    print(table(summary))
    print(f"summary: {config.out / 'summary.json'}")
    return 0


def register(subparsers) -> None:
    """Add `eval` to the mockapps command line."""
    parser = subparsers.add_parser(
        "eval", help="run an agent on tasks (episodes in parallel) and score it",
        description="Run K episodes of an agent on each task, in parallel workers that each own a sandbox and a "
                    "browser, each episode in a fresh world and recorded as a trajectory in OUT/<task>/<episode>/; "
                    "write OUT/summary.json (success rate, partial credit, pass^k, steps, time, collateral "
                    "damage, per task and overall) and print a table. A crashed episode is retried once.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--tasks", nargs="+", required=True, metavar="IDS",
                        help="task ids (space- or comma-separated), or 'all'")
    parser.add_argument("--agent", required=True,
                        help="replay, random, openai, or module:Class of an agent with reset(task) and act(obs)")
    parser.add_argument("--agent-option", action="append", default=[], metavar="KEY=VALUE",
                        help="an option of the agent (repeatable); '{task}' in a value becomes the task id")
    parser.add_argument("--episodes", type=int, default=1, metavar="K", help="episodes per task (pass^k uses them)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="episodes run at the same time")
    parser.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory for the results")
    parser.add_argument("--backend", choices=BACKENDS, default="local",
                        help="local: a process pool; ray: Ray actors (RAY_ADDRESS for a cluster)")
    parser.add_argument("--env", choices=ENVS, default="browser",
                        help="browser: the Gymnasium browser environment; api: tools from the apps' OpenAPI")
    parser.add_argument("--base-port", type=int, metavar="N",
                        help="worker i serves on N+10*i .. N+10*i+4 (default: free ports)")
    parser.add_argument("--max-steps", type=int, default=DEFAULT_MAX_STEPS,
                        help=f"an episode is cut off after this many actions (default {DEFAULT_MAX_STEPS})")
    parser.add_argument("--headed", action="store_true", help="show the browsers")
    parser.set_defaults(func=cmd_eval)
