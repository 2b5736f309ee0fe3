"""Evaluation throughput: episodes per minute of the replay agent over the golden tasks, with 1 and 2 workers
of the local backend (each worker its own sandbox and browser, each episode a fresh world, recorded).

Target (issue 9): throughput with 2 workers at least 1.5 times that with 1. The time to start the workers
(process, sandbox, browser) is part of the wall time, as it is for a user of `mockapps eval`.
Usage: python bench/eval.py [--episodes K] [--workers 1 2] [--tasks ID ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from mock_apps.evaluation.harness import EvalConfig, run, validate
from mock_apps.tasks import all_tasks
from mock_apps.tasks.demos import GOLDEN


def golden_tasks() -> list[str]:
    """Every task that has a golden trajectory."""
    return [t.id for t in all_tasks() if (GOLDEN / t.id / "trajectory.json").exists()]


def main() -> None:
    """Print episodes per minute per worker count, the success rate, and the speed-up against the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1, help="episodes per task")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--tasks", nargs="+", default=None, help="task ids (default: every golden task)")
    args = parser.parse_args()
    tasks = args.tasks or golden_tasks()
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        # one data directory for every run: the scenario's templates are built once, before the first timing
        data = Path(os.environ.get("MOCKAPPS_DATA") or Path(tmp) / "data").resolve()
        for workers in args.workers:
            config = validate(EvalConfig(tasks=tasks, agent="replay", out=Path(tmp) / f"w{workers}",
                                         episodes=args.episodes, workers=workers, data_dir=data))
            summary = run(config, progress=lambda line: None)
            figures[workers] = summary
            print(f"workers={workers}: {summary['episodes']} episodes in {summary['wall_seconds']:.1f} s = "
                  f"{summary['episodes_per_minute']:.2f} episodes/min; success rate {summary['success_rate']:.0%}, "
                  f"mean {summary['mean_steps']:.1f} steps and {summary['mean_seconds']:.1f} s per episode, "
                  f"{summary['crashed']} crashed", flush=True)
    if 1 in figures and 2 in figures:
        ratio = figures[2]["episodes_per_minute"] / figures[1]["episodes_per_minute"]
        verdict = "meets" if ratio >= 1.5 else "misses"
        print(f"2 workers / 1 worker: {ratio:.2f}x ({verdict} the 1.5x target; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
