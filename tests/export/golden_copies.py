"""Trajectories the export tests copy (golden demonstrations as recorded on 2026-11-22, kept here without their
final states so re-recording the goldens never changes what these tests expect), and helpers to change copies."""

from __future__ import annotations

import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "sample_trajectories"
# a download and an upload; four apps with a grid typed by keys; a chat post
BILL, REPORT, LUNCH = "enter-bill-brightline-bl-20931", "enter-bill-track-and-report", "announce-lunch-in-general"


def trajectory_id(folder: Path) -> str:
    """The id in a trajectory folder's trajectory.json."""
    return json.loads((folder / "trajectory.json").read_text())["id"]


def rewrite_steps(folder: Path, change) -> None:
    """Apply `change(step_dict)` to every step of a trajectory copy."""
    path = folder / "steps.jsonl"
    steps = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for step in steps:
        change(step)
    path.write_text("".join(json.dumps(step) + "\n" for step in steps))
