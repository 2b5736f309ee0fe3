"""The portal's trajectories page with 10,000 trajectories: server-side time per request (target < 200 ms).

Usage: python bench/portal.py [--count N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mock_apps.core.server import settle_heap
from mock_apps.core.settings import Settings
from mock_apps.portal import create_app
from trajectories.model import Trajectory
from trajectories.store import TrajectoryDir


def main() -> None:
    """Write N trajectories, then time the trajectories page (first, cached, filtered, last page)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "trajectories"
        start = datetime(2026, 11, 1, tzinfo=timezone.utc)
        for i in range(args.count):
            meta = Trajectory(id=f"t{i:06d}", task=f"task-{i % 40}", scenario="meridian", world=f"w{i}",
                              start_clock="2026-03-31T20:30:00Z", trainer=f"trainer-{i % 25}",
                              start=start + timedelta(minutes=i), status=("complete", "incomplete")[i % 7 == 0],
                              outcome=("passed", "failed")[i % 3 == 0])
            TrajectoryDir(folder / f"t{i:06d}").create(meta)
        settings = replace(Settings(), data_dir=Path(tmp) / "data", trajectory_dirs=(folder,))
        client = create_app({"settings": settings}).test_client()
        settle_heap()  # as a serving process does once its apps are built

        def timed(url: str, runs: int = 10) -> list[float]:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            return samples

        first = timed("/trajectories", runs=1)[0]
        cached = timed("/trajectories")
        filtered = timed("/trajectories?trainer=trainer-3&status=complete")
        last = timed(f"/trajectories?page={args.count // 50}")
        library = client.application.extensions["mockapps.trajectories"]
        rescans = []
        for _ in range(5):
            library._scanned_at -= library.RESCAN_SECONDS + 1  # due: this request starts a background scan
            rescans.extend(timed("/trajectories", runs=1))
            library._lock.acquire()  # wait for that scan before the next round
            library._lock.release()
        started = time.perf_counter()
        library.refresh()
        scan_ms = (time.perf_counter() - started) * 1000
        shutil.rmtree(folder)
    print(f"{args.count} trajectories: first load (reads every trajectory.json) {first:.0f} ms")
    print(f"a scan of every trajectory.json (in the background, every {library.RESCAN_SECONDS:g} s): {scan_ms:.0f} ms")
    for name, samples in (("page 1", cached), ("filtered", filtered), ("last page", last),
                          ("scan due", rescans)):
        print(f"{name:>10}: median {statistics.median(samples):.0f} ms, max {max(samples):.0f} ms (target < 200 ms)")


if __name__ == "__main__":
    main()
