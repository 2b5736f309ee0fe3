"""MCP tool calls per second: `mockapps mcp` (one server process) over stdio, driven by the SDK's own client.

Target (issue 19): at least 100 read calls/s on one worker. The calls are the apps' read operations in turn
(a Gmail search, a Slack channel history, a Sheets range, a QuickBooks query), sent one at a time and then
8 in flight at once; every result is checked not to be an error. The apps run as deployed (gunicorn worker
processes; --serve threads: in this process, where they share its interpreter lock with the client), the MCP server
in its own process, as a client would start it.
Usage: python bench/mcp.py [--calls N] [--serve processes|threads]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

# this file is bench/mcp.py: run as a script its folder comes first on sys.path and would stand in for the SDK
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import anyio  # noqa: E402
from mcp import Client, StdioServerParameters  # noqa: E402

from mock_apps.rollout.deployment import served_apps  # noqa: E402
from mock_apps.core.settings import APP_NAMES, Settings  # noqa: E402
from mock_apps.core.world import WorldRegistry  # noqa: E402


async def _calls(client: Client, calls: list[tuple[str, dict]], concurrency: int) -> list[float]:
    """Seconds per call, `concurrency` in flight at once; raise on an error result."""
    seconds: list[float] = []
    queue = list(calls)

    async def worker():
        while queue:
            name, arguments = queue.pop()
            started = time.perf_counter()
            result = await client.call_tool(name, arguments)
            seconds.append(time.perf_counter() - started)
            if result.is_error:
                raise RuntimeError(f"{name} failed: {result.content[0].text[:300]}")

    async with anyio.create_task_group() as group:
        for _ in range(concurrency):
            group.start_soon(worker)
    return seconds


READS = [
    ("mail_users_messages_list", {"q": "invoice has:attachment", "maxResults": 10}),
    ("chat_conversations_history", {"body": {"channel": "general", "limit": 20}}),
    ("sheets_spreadsheets_values_get", None),  # filled in with a workbook of the scenario
    ("books_queryGet", {"query": "select * from Bill where Balance > '0' maxresults 20"}),
]


def measure(calls: int = 400, serve: str = "processes") -> dict:
    """Calls per second and per-call latency (ms), one at a time and 8 at once."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp), host="127.0.0.1", control_token=None)
        with served_apps(settings, serve) as apps:
            urls, token = {app: apps.url(app) for app in APP_NAMES}, apps.settings.control_token
            WorldRegistry.for_settings(settings).reset("bench-mcp")
            args = ["-m", "mock_apps.cli", "--data", tmp, "mcp", "--world", "bench-mcp",
                    *(f"--url={app}={url}" for app, url in urls.items())]
            # the SDK starts the server with a minimal environment: the control token is passed on explicitly
            env = {**os.environ, **({"MOCKAPPS_CONTROL_TOKEN": token} if token else {})}
            params = StdioServerParameters(command=sys.executable, args=args, env=env,
                                           cwd=str(Path(__file__).resolve().parents[1]))

            async def run() -> dict:
                async with Client(params) as client:
                    # the Sheets API lists no spreadsheets (Drive does): the first workbook of the world's state
                    state = await client.read_resource("mockapps://state/sheets")
                    workbook = json.loads(state.contents[0].text)["tables"]["workbook"][0]["spreadsheet_id"]
                    reads = [(n, a if a is not None else {"spreadsheetId": workbook, "range": "A1:F20"})
                             for n, a in READS]
                    batch = [reads[i % len(reads)] for i in range(calls)]
                    await _calls(client, reads, 1)  # warm: each app's first request
                    figures = {}
                    for concurrency in (1, 8):
                        started = time.perf_counter()
                        seconds = await _calls(client, batch, concurrency)
                        wall = time.perf_counter() - started
                        ms = [s * 1000 for s in seconds]
                        figures[concurrency] = {"calls_per_s": round(len(ms) / wall, 1),
                                                "p50_ms": round(statistics.median(ms), 2),
                                                "p95_ms": round(statistics.quantiles(ms, n=20)[18], 2),
                                                "mean_ms": round(statistics.fmean(ms), 2)}
                    figures["tools"] = [n for n, _ in reads]
                    return figures

            return anyio.run(run)


def main() -> int:
    """Print the figures; exit 1 below the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--serve", choices=("processes", "threads"), default="processes",
                        help="apps under gunicorn as deployed (default), or in this process's threads")
    args = parser.parse_args()
    figures = measure(args.calls, args.serve)
    print(f"apps served in {args.serve}")
    print(f"read tools: {', '.join(figures.pop('tools'))}")
    for concurrency, f in figures.items():
        print(f"{concurrency} in flight: {f['calls_per_s']} calls/s, p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms")
    best = max(f["calls_per_s"] for f in figures.values())
    print(f"target >= 100 calls/s on one worker: {'met' if best >= 100 else 'MISSED'} ({best}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0 if best >= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
