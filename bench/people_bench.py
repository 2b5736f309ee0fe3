"""Benchmark: every People page, server-side, on the full Meridian scenario, as each kind of worker.

Builds a world from the scenario (the templates' seeder), then times Flask's handling of every UI page
(home, inbox, each task, each worker profile, the org chart, expense reports and receipts, time off, timesheets,
pay runs, onboarding) acting as the accountant, a manager and an hourly worker, plus the REST API's main
collections, through the app's WSGI stack without a network. Target: p95 under 20 ms for every group.
Exit status 1 when a target is missed.

    .venv/bin/python bench/people_bench.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 20.0
ACTORS = ("dana.whitfield", "tom.becker", "luis.romero")
API = ["staffing/v7/meridian/workers?limit=100", "staffing/v6/meridian/workers/me",
       "expense/v1/meridian/reports?limit=100", "expense/v1/meridian/reports/ER-1012",
       "common/v1/meridian/workers/me/inboxTasks", "absenceManagement/v1/meridian/balances",
       "payroll/v1/meridian/payRuns/PR-2026-06", "timeTracking/v1/meridian/timesheets?worker=21013"]


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _pages(client, actor: str) -> dict[str, list[str]]:
    """The pages a worker reaches, by group, found through the API (so nothing is hard-coded but entry points)."""
    headers = {"Authorization": f"Bearer wd-{actor}"}

    def data(path):
        return client.get(f"/w/bench/ccx/api/{path}", headers=headers).get_json()["data"]

    tasks = data("common/v1/meridian/workers/me/inboxTasks?limit=100")
    workers = data("staffing/v7/meridian/workers?limit=100")
    reports = data("expense/v1/meridian/reports?limit=100")
    me = client.get("/w/bench/ccx/api/staffing/v7/meridian/workers/me", headers=headers).get_json()
    sheets = data(f"timeTracking/v1/meridian/timesheets?worker={me['id']}&limit=100")
    groups = {
        "home and inbox": ["/w/bench/", "/w/bench/inbox"] + [f"/w/bench/inbox/{t['id']}" for t in tasks],
        "workers and org chart": ["/w/bench/workers", "/w/bench/workers?q=account", "/w/bench/org-chart"]
                                 + [f"/w/bench/workers/{w['id']}" for w in workers],
        "expenses": ["/w/bench/expenses", "/w/bench/expenses?status=Paid"]
                    + [f"/w/bench/expenses/{r['id']}" for r in reports] + ["/w/bench/receipts/1/preview"],
        "time off and time": ["/w/bench/time-off", "/w/bench/time-off/liability", "/w/bench/timesheets"]
                             + [f"/w/bench/timesheets/{s['id']}" for s in sheets],
        "pay and onboarding": ["/w/bench/pay", "/w/bench/onboarding"],
    }
    if me["costCenter"]["id"] in ("CC-300", "CC-100"):
        runs = data("payroll/v1/meridian/payRuns?limit=100")
        groups["pay and onboarding"] += [f"/w/bench/pay/runs/{r['id']}" for r in runs]
        groups["pay and onboarding"] += [f"/w/bench/processes/{t['overallProcess']['id']}" for t in tasks]
    return groups


def main() -> int:
    """Run the benchmark and print p50/p95/max per group."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over every page")
    args = parser.parse_args()

    from mock_apps.core.server import settle_heap
    from mock_apps.core.settings import Settings
    from mock_apps.core.world import WorldRegistry
    from mock_apps.people import create_app

    data = Path(tempfile.mkdtemp(prefix="people-bench-"))
    WorldRegistry.for_settings(Settings(data_dir=data)).reset("bench")  # builds the scenario's templates once
    app = create_app({"settings": Settings(data_dir=data), "TESTING": True})
    settle_heap()
    plan: list[tuple[str, str, str, dict]] = []  # (group, actor, url, headers)
    for actor in ACTORS:
        client = app.test_client()
        for group, urls in _pages(client, actor).items():
            plan += [(group, actor, url, {}) for url in urls]
        plan += [("REST API", actor, f"/w/bench/ccx/api/{path}", {"Authorization": f"Bearer wd-{actor}"})
                 for path in API]
    clients = {}
    for actor in ACTORS:
        clients[actor] = app.test_client()
        clients[actor].set_cookie("peopleuser", actor)

    def timed(actor, url, headers) -> float:
        start = time.perf_counter()
        response = clients[actor].get(url, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code not in (200, 403):  # a worker may be refused another's pay: still a page
            raise SystemExit(f"unexpected {response.status_code} on {url} as {actor}: "
                             f"{response.get_data(as_text=True)[:300]}")
        return elapsed

    for _group, actor, url, headers in plan:  # warm-up
        timed(actor, url, headers)
    samples: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for group, actor, url, headers in plan:
            samples.setdefault(group, []).append(timed(actor, url, headers))
    failed = False
    print(f"{len(plan)} pages and calls x {args.rounds} rounds (target p95 < {TARGET_MS:.0f} ms)")
    for group, times in samples.items():
        p95 = _percentile(times, 95)
        failed |= p95 >= TARGET_MS
        print(f"  {group:24s} n={len(times):5d}  p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  "
              f"max {max(times):6.2f} ms  {'ok' if p95 < TARGET_MS else 'SLOW'}")
    slowest = sorted(((statistics.median([timed(a, u, h) for _ in range(3)]), u, a) for _g, a, u, h in plan),
                     reverse=True)[:5]
    print("  slowest pages: " + "; ".join(f"{u} as {a} {t:.1f} ms" for t, u, a in slowest))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
