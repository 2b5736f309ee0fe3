"""Whole-world reset (every app) in process and over HTTP, side by side, against re-seeding the same world.

Targets: in process p50 < 20 ms and at least 20x faster than re-seeding (issue 2); over HTTP
(`POST /_control/worlds/<w>/reset` on one app, as a harness sends it) p50 < 8 ms (issue 20).
Every app's database is written before each reset (the worst case); one more HTTP series writes only one app's
(an episode that touched one app: the others are not copied again). `GET /_control/health` is timed too: one
round trip that does nothing, the transport's floor.
The apps are served in this process's threads (werkzeug, as tests and `make run` serve them) unless `--serve
processes` serves them as a deployment and the rollout harness do (gunicorn, a process per app).
Usage: python bench/reset.py [--runs N] [--seeds N] [--serve threads|processes]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import requests

from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import build_world
from mock_apps.core.world import WorldRegistry
from mock_apps.rollout.deployment import served_apps


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def dirty(registry: WorldRegistry, world_id: str, apps: tuple[str, ...] = APP_NAMES) -> None:
    """A real change in each given app's database (all by default), so reset has something to undo."""
    for app in apps:
        engine = registry.engine(world_id, app)
        with engine.begin() as conn:
            table = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND sql NOT LIKE '%VIRTUAL%' ORDER BY name LIMIT 1").scalar()
            # rewrites a row in place: dirties pages without breaking foreign keys
            conn.exec_driver_sql(f'UPDATE "{table}" SET rowid = rowid WHERE rowid = (SELECT min(rowid) FROM "{table}")')


def summary(ms: list[float]) -> dict:
    """p50, p95, p99 and max of millisecond samples."""
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": max(ms)}


def measure(runs: int = 300, seeds: int = 3, serve: str = "threads") -> dict:
    """Reset figures in ms: in process, over HTTP, an HTTP no-op, and re-seeding (same world, modes in turns)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp), host="127.0.0.1", control_token=None)
        with served_apps(settings, serve, workers=1) as apps:
            settings = apps.settings
            registry = WorldRegistry.for_settings(settings)
            started = time.perf_counter()
            registry.reset("bench")  # builds the templates once
            first_build = time.perf_counter() - started

            seed_ms = []
            for i in range(seeds):
                folder = Path(tmp) / f"reseed-{i}"
                folder.mkdir()
                started = time.perf_counter()
                build_world(folder, "meridian")
                seed_ms.append((time.perf_counter() - started) * 1000)

            http = requests.Session()  # what the control client holds
            if settings.control_token:
                http.headers["Authorization"] = f"Bearer {settings.control_token}"
            base = f"http://127.0.0.1:{settings.port(APP_NAMES[0])}"

            def in_process(apps: tuple[str, ...]) -> float:
                dirty(registry, "bench", apps)
                started = time.perf_counter()
                registry.reset("bench")
                return time.perf_counter() - started

            def over_http(apps: tuple[str, ...]) -> float:
                dirty(registry, "bench", apps)
                started = time.perf_counter()
                http.post(f"{base}/_control/worlds/bench/reset", timeout=30).raise_for_status()
                return time.perf_counter() - started

            def noop(_apps) -> float:
                started = time.perf_counter()
                http.get(f"{base}/_control/health", timeout=30).raise_for_status()
                return time.perf_counter() - started

            modes = {"in_process": (in_process, APP_NAMES), "http": (over_http, APP_NAMES),
                     "http_one_app": (over_http, APP_NAMES[:1]), "http_noop": (noop, ())}
            samples: dict[str, list[float]] = {key: [] for key in modes}
            rounds = 10
            for _ in range(rounds):
                # the modes take turns in blocks, so that the machine's load over the run weighs on each alike
                for key, (run, apps) in modes.items():
                    samples[key].extend(run(apps) * 1000 for _ in range(max(1, runs // rounds)))
    return {"runs": runs, "apps": len(APP_NAMES), "first_build_s": first_build,
            "reseed_ms": statistics.median(seed_ms), **{k: summary(v) for k, v in samples.items()}}


def main() -> None:
    """Print reset percentiles in process and over HTTP, and the ratio to re-seeding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--serve", choices=("threads", "processes"), default="threads",
                        help="apps in this process's threads (werkzeug) or one gunicorn process each")
    args = parser.parse_args()
    found = measure(args.runs, args.seeds, args.serve)
    print(f"apps served in {args.serve}")
    print(f"first build of the default scenario (templates + world): {found['first_build_s']:.2f} s")
    labels = {"in_process": "in process (WorldRegistry.reset)",
              "http": f"over HTTP (POST /_control/worlds/<w>/reset on {APP_NAMES[0]})",
              "http_one_app": "over HTTP, only one app's database written since",
              "http_noop": "HTTP round trip doing nothing (GET /_control/health)"}
    print(f"whole-world reset ({found['apps']} apps), {found['runs']} runs each, modes taking turns:")
    for key, label in labels.items():
        f = found[key]
        print(f"  {label:<58} p50 {f['p50']:5.1f} ms  p95 {f['p95']:5.1f} ms  p99 {f['p99']:5.1f} ms  "
              f"max {f['max']:6.1f} ms")
    print(f"re-seeding the same world: median {found['reseed_ms']:.0f} ms over {args.seeds} runs")
    print(f"reset is {found['reseed_ms'] / found['in_process']['p50']:.0f}x faster than re-seeding (p50, in process)")


if __name__ == "__main__":
    main()
