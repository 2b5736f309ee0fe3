"""Generated companies: building a company's templates, and whole-world reset of its world in process.

Targets (issue 18): building a generated company's templates (facts and every app's database) under 10 s;
whole-world reset of a generated world p50 under 10 ms in process (meridian's, measured alongside).
Every app's database is written before each reset (the worst case), as bench/reset.py does.
Usage: python bench/scenarios.py [--companies wholesale-1 law-1 medical-1 agency-1] [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reset import dirty, summary  # noqa: E402
from mock_apps.core.settings import Settings  # noqa: E402
from mock_apps.core.template import ensure_templates  # noqa: E402
from mock_apps.core.world import WorldRegistry  # noqa: E402
from mock_apps.scenarios import get_scenario  # noqa: E402

BUILD_TARGET_S = 10.0
RESET_TARGET_MS = 10.0


def measure(companies: list[str], runs: int) -> list[dict]:
    """Per scenario: seconds to generate its facts, seconds to build its templates, reset percentiles in ms."""
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp), host="127.0.0.1", control_token=None)
        registry = WorldRegistry.for_settings(settings)
        for name in companies:
            started = time.perf_counter()
            get_scenario(name).facts  # noqa: B018  (generated once per process, as a server does)
            facts_s = time.perf_counter() - started
            started = time.perf_counter()
            ensure_templates(settings.templates_dir, name)
            build_s = time.perf_counter() - started
            registry.reset(f"bench-{name}", name)
            found[name] = {"scenario": name, "facts_s": facts_s, "build_s": build_s, "ms": []}
        rounds = 10
        for _ in range(rounds):
            # the companies take turns in blocks, so that the machine's load over the run weighs on each alike
            for name in companies:
                for _ in range(max(1, runs // rounds)):
                    dirty(registry, f"bench-{name}")
                    started = time.perf_counter()
                    registry.reset(f"bench-{name}")
                    found[name]["ms"].append((time.perf_counter() - started) * 1000)
    return [{**row, **summary(row.pop("ms"))} for row in found.values()]


def main() -> int:
    """Print each company's build time and reset percentiles; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", nargs="+", default=["meridian", "wholesale-1", "law-1", "medical-1", "agency-1"])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    missed = False
    print(f"{'scenario':<14} {'facts':>7} {'templates':>10}   whole-world reset in process ({args.runs} runs)")
    for row in measure(args.companies, args.runs):
        generated = row["scenario"] != "meridian"
        slow = generated and (row["facts_s"] + row["build_s"] > BUILD_TARGET_S or row["p50"] > RESET_TARGET_MS)
        missed |= slow
        print(f"{row['scenario']:<14} {row['facts_s']:6.2f}s {row['build_s']:9.2f}s   p50 {row['p50']:5.1f} ms  "
              f"p95 {row['p95']:5.1f} ms  p99 {row['p99']:5.1f} ms  max {row['max']:6.1f} ms"
              f"{'  MISSED a target' if slow else ''}")
    print(f"targets for generated companies: facts + templates < {BUILD_TARGET_S:.0f} s, reset p50 < "
          f"{RESET_TARGET_MS:.0f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
