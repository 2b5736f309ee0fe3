"""Server-side render time of mail's main views on the full scenario (inbox, search, thread, API list).

Run: .venv/bin/python bench/mail_bench.py [--iterations 60] [--budget-ms 50]
Builds a fresh data directory, creates a world from the default scenario, then times each request
inside the Flask app (no network), and prints p50/p95 per view. Exits 1 when a p95 exceeds the budget.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mock_apps.core.server import settle_heap  # noqa: E402
from mock_apps.core.settings import Settings  # noqa: E402
from mock_apps.mail import create_app  # noqa: E402

SEARCHES = [
    "from:brightline has:attachment after:2026/03/01",
    "invoice",
    "SP-88412",
    "label:finance-invoices older_than:30d",
    "is:unread OR is:starred",
    '"remittance advice" -in:sent',
    "has:attachment larger:3K",
]


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def main() -> int:
    """Time the views and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--budget-ms", type=float, default=50.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        app = create_app({"settings": Settings(data_dir=Path(data)), "TESTING": True})
        client = app.test_client()
        headers = {"X-Mock-World": "bench"}
        client.post("/_control/worlds/bench/reset")
        settle_heap()  # as a serving process does once its apps are built
        inbox = client.get("/box/all", headers=headers).get_data(as_text=True)
        threads = list(dict.fromkeys(re.findall(r'data-thread-id="([0-9a-f]+)"', inbox)))[:20]
        for thread_id in threads:  # first open marks read (a state change); time the steady state
            client.get(f"/thread/{thread_id}", headers=headers)
        views = {
            "inbox": lambda i: "/",
            "all mail page 2": lambda i: "/box/all?page=2",
            "search": lambda i: "/search?q=" + SEARCHES[i % len(SEARCHES)],
            "thread": lambda i: f"/thread/{threads[i % len(threads)]}",
            "api messages.list": lambda i: "/gmail/v1/users/me/messages?q=has:attachment&maxResults=100",
        }
        failed = False
        print(f"{'view':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, url in views.items():
            samples = []
            for i in range(args.iterations):
                start = time.perf_counter()
                resp = client.get(url(i), headers=headers)
                samples.append((time.perf_counter() - start) * 1000)
                if resp.status_code != 200:
                    print(f"{name}: HTTP {resp.status_code} for {url(i)}", file=sys.stderr)
                    return 2
            p95 = percentile(samples, 95)
            failed |= p95 > args.budget_ms
            print(f"{name:<20} {statistics.median(samples):8.1f} {p95:8.1f} {max(samples):8.1f}"
                  f"{'  OVER BUDGET' if p95 > args.budget_ms else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
