"""How fast `tasks prove` proves instances: a deterministic sample of generated companies' instances proved on
N worker processes (each its own sandbox and Chromium), reported as instances proved per minute.

Target (issue 18): `tasks prove` over 500 instances under 60 minutes on 2 workers, i.e. at least 8.4 per minute.
Usage: python bench/prove.py [--sample K] [--workers N] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time

from mock_apps.scenarios import scenario_name
from mock_apps.scenarios.generator import INDUSTRIES
from mock_apps.tasks.proof import prove, sample
from mock_apps.tasks.registry import scenario_tasks

TARGET_PER_MINUTE = 500 / 60


def main() -> int:
    """Prove the sample and print the rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=8, help="instances to prove (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="which company of each industry (default 1)")
    args = parser.parse_args()
    tasks = [t for industry in INDUSTRIES for t in scenario_tasks(scenario_name(industry, args.seed))[0]]
    chosen = sample(tasks, args.sample)
    started = time.monotonic()
    proofs = list(prove(chosen, args.workers))
    minutes = (time.monotonic() - started) / 60
    failed = [p for p in proofs if not p.proved]
    for proof in failed:
        print(proof.line())
    rate = (len(proofs) - len(failed)) / minutes
    print(f"proved {len(proofs) - len(failed)} of {len(chosen)} instances (from {len(tasks)} on "
          f"{len(INDUSTRIES)} companies) in {minutes:.2f} min on {args.workers} workers: {rate:.1f} per minute "
          f"(target {TARGET_PER_MINUTE:.1f}: 500 in 60 min); mean {sum(p.seconds for p in proofs) / len(proofs):.1f} s "
          "an instance in its worker")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
