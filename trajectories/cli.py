"""`mockapps trajectory validate|show|schema`."""

from __future__ import annotations

import json

from trajectories.model import Step, Trajectory
from trajectories.store import TrajectoryDir, TrajectoryError, load


def cmd_trajectory(args) -> int:
    """Validate, summarise or describe trajectories."""
    if args.trajectory_command == "schema":
        print(json.dumps({"trajectory.json": Trajectory.model_json_schema(),
                          "steps.jsonl (one per line)": Step.model_json_schema()}, indent=2))
        return 0
    meta, steps = load(args.dir)
    missing = TrajectoryDir(args.dir).missing_files(steps)
    if args.trajectory_command == "validate":
        if missing:
            raise TrajectoryError(f"{args.dir}: {len(missing)} screenshot(s) missing, first {missing[0]}")
        print(f"{args.dir}: valid ({len(steps)} steps, {meta.status})")
        return 0
    print(f"trajectory {meta.id}: task {meta.task or '(free session)'}, scenario {meta.scenario}, "
          f"world {meta.world}, trainer {meta.trainer or '-'}, {meta.status}")
    for step in steps:
        target = step.target.name or step.target.label or step.target.text or step.target.tag if step.target else ""
        ops = ", ".join(f"{c.app}:{c.op}" for c in step.changes)
        print(f"{step.index:4d} {step.url_before:40.40} {step.action.type:9} {target[:40]:40} {ops}")
    if missing:
        print(f"missing screenshots: {', '.join(missing)}")
    return 0


def register(subparsers) -> None:
    """Add `trajectory` to the mockapps command line."""
    parser = subparsers.add_parser("trajectory", help="validate, show or describe trajectories")
    sub = parser.add_subparsers(dest="trajectory_command", metavar="ACTION", required=True)
    for name, text in (("validate", "check a trajectory directory; precise errors"),
                       ("show", "the steps of a trajectory, one line each")):
        p = sub.add_parser(name, help=text)
        p.add_argument("dir", help="trajectory directory")
    sub.add_parser("schema", help="print the JSON Schema of trajectory.json and of a step")
    parser.set_defaults(func=cmd_trajectory)
