"""Whole-world reset (all four apps) against re-seeding the same world from the scenario.

Targets (issue 2): reset p50 < 20 ms, p99 < 100 ms, and at least 20x faster than re-seeding.
Usage: python bench/reset.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mock_apps.core.settings import Settings
from mock_apps.core.template import build_world
from mock_apps.core.world import WorldRegistry


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def dirty(registry: WorldRegistry, world_id: str, i: int) -> None:
    """A real change in each app's database, so reset has something to undo."""
    for app in ("mail", "chat", "sheets", "books"):
        engine = registry.engine(world_id, app)
        with engine.begin() as conn:
            table = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE '%VIRTUAL%' ORDER BY name LIMIT 1").scalar()
            # rewrites a row in place: dirties pages without breaking foreign keys
            conn.exec_driver_sql(f'UPDATE "{table}" SET rowid = rowid WHERE rowid = (SELECT min(rowid) FROM "{table}")')


def main() -> None:
    """Print reset percentiles and the ratio to re-seeding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp))
        registry = WorldRegistry.for_settings(settings)
        started = time.perf_counter()
        registry.reset("bench")  # builds the templates once
        print(f"first build of the default scenario (templates + world): {time.perf_counter() - started:.2f} s")

        seed_times = []
        for i in range(args.seeds):
            folder = Path(tmp) / f"reseed-{i}"
            folder.mkdir()
            started = time.perf_counter()
            build_world(folder, "meridian")
            seed_times.append(time.perf_counter() - started)

        reset_times = []
        for i in range(args.runs):
            dirty(registry, "bench", i)
            started = time.perf_counter()
            registry.reset("bench")
            reset_times.append(time.perf_counter() - started)

    ms = [t * 1000 for t in reset_times]
    seed_ms = statistics.median(seed_times) * 1000
    print(f"whole-world reset over {args.runs} runs: p50 {percentile(ms, 50):.1f} ms, "
          f"p95 {percentile(ms, 95):.1f} ms, p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms")
    print(f"re-seeding the same world: median {seed_ms:.0f} ms over {args.seeds} runs")
    print(f"reset is {seed_ms / percentile(ms, 50):.0f}x faster than re-seeding (p50)")


if __name__ == "__main__":
    main()
