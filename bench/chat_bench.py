"""Benchmark: chat's channel view and search, server-side, on the full Meridian scenario.

Builds a chat world from the scenario (the same seeder the templates use), then times Flask's
handling of channel pages (every channel and DM the accountant sees, plus "load older" pages and
thread panels) and of searches with modifiers, through the app's WSGI stack without a network.
Target: p95 under 50 ms for each group. Exit status 1 when a target is missed.

    .venv/bin/python bench/chat_bench.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 50.0
QUERIES = [
    "BL-20931", "approved in:#ap-approvals", "CC-55107 from:@priya.nair", "has:pin", "has:file in:#finance",
    '"volume credit"', "payment during:march", "invoiced after:2026-02-01 before:2026-03-01", "on:2026-03-19",
    "in:@marcus.reyes", "Brightline -duplicate", "has:link", "has::white_check_mark:",
]


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> int:
    """Run the benchmark and print p50/p95/max per group."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over every page and query")
    args = parser.parse_args()

    from mock_apps.chat import create_app
    from mock_apps.core.server import settle_heap
    from mock_apps.core.settings import Settings
    from mock_apps.core.world import WorldRegistry

    data = Path(tempfile.mkdtemp(prefix="chat-bench-"))
    WorldRegistry.for_settings(Settings(data_dir=data)).reset("bench")  # builds the scenario's templates once
    app = create_app({"settings": Settings(data_dir=data), "TESTING": True})
    client = app.test_client()
    settle_heap()  # as a serving process does once its apps are built
    headers = {"Authorization": "Bearer xoxp-dana.whitfield"}

    convs = client.get("/w/bench/api/conversations.list", headers=headers,
                       query_string={"types": "public_channel,private_channel,im,mpim", "limit": 100}).get_json()["channels"]
    pages: list[str] = []
    for conv in convs:
        pages.append(f"/w/bench/archives/{conv['id']}")
        history = client.get("/w/bench/api/conversations.history", headers=headers,
                             query_string={"channel": conv["id"], "limit": 60}).get_json()["messages"]
        if len(history) > 50:
            pages.append(f"/w/bench/archives/{conv['id']}?before={history[49]['ts']}")
        threaded = [m for m in history if m.get("reply_count")]
        if threaded:
            pages.append(f"/w/bench/archives/{conv['id']}?thread_ts={threaded[0]['ts']}")
    searches = ([f"/w/bench/search?{urlencode({'q': q})}" for q in QUERIES]
                + [f"/w/bench/search?{urlencode({'tab': 'files', 'q': q})}" for q in ("csv", "checklist")])
    api_searches = [("/w/bench/api/search.messages", {"query": q}) for q in QUERIES]

    def timed(fn) -> float:
        start = time.perf_counter()
        response = fn()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.get_data(as_text=True)[:300]}")
        return elapsed

    for url in pages + searches:  # warm-up: first views also mark channels read (a write)
        timed(lambda: client.get(url))
    groups: dict[str, list[float]] = {"channel view": [], "search (UI)": [], "search.messages (API)": []}
    for _ in range(args.rounds):
        for url in pages:
            groups["channel view"].append(timed(lambda: client.get(url)))
        for url in searches:
            groups["search (UI)"].append(timed(lambda: client.get(url)))
        for url, params in api_searches:
            groups["search.messages (API)"].append(timed(lambda: client.get(url, headers=headers, query_string=params)))

    failed = False
    print(f"{'group':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, samples in groups.items():
        p95 = _percentile(samples, 95)
        failed |= p95 >= TARGET_MS
        print(f"{name:24} {len(samples):5d} {statistics.median(samples):8.1f} {p95:8.1f} {max(samples):8.1f}"
              f"{'  OVER TARGET' if p95 >= TARGET_MS else ''}")
    print(f"target: p95 < {TARGET_MS:.0f} ms ({len(pages)} channel pages, {len(searches) + len(api_searches)} searches)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
