"""Recording through the apps (issue 17): the capture's cost in a trainer's browser, the proof replay of a 50-step
recording, and page loads while eight recordings run at once.

Targets: capture adds < 10 ms per action (click-to-paint); the proof replay (headless, screenshots written) of a
50-step recording under 15 s on this 2-core machine; with 8 concurrent recordings, page loads under 300 ms p95.
The apps are served as a hosted deployment serves them (`mockapps serve --production`: gunicorn, processes of
their own, as in docker-compose.yml) unless `--serve threads` puts them in this process's threads, as tests and
`make run` do; there the browser's driver, the eight load clients and every app share one interpreter lock.
Usage: python bench/capture.py [--think SECONDS] [--rounds N] [--serve processes|threads]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

from mock_apps.core import browser as chromium
from mock_apps.core.control_client import ControlClient
from mock_apps.core.recordings import RECORDING_COOKIE
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.rollout.deployment import served_apps
from recorder.replay import Replayer
from replay import click_handling, click_to_paint, frames, post_messages  # bench/replay.py: the same trainer's actions
from trajectories.app_url import AppUrls

CONCURRENT = 8


def recording_page(browser, urls: dict, world: str, start: str, folder: Path | None, token: str | None = None):
    """A fresh world and a context on it: recording through the apps when `folder` is given, else plain."""
    control = ControlClient(urls, world, token=token)
    control.reset()
    cookies = [{"name": "mockworld", "value": world, "url": url} for url in urls.values()]
    recording = None
    if folder is not None:
        recording = control.start_recording(str(folder), trainer="bench", start_pages=[start])
        cookies += [{"name": RECORDING_COOKIE, "value": recording["cookie"], "url": url} for url in urls.values()]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(AppUrls(urls).absolute(start))
    return context, page, control, recording


def concurrent_page_loads(urls: dict, worlds: list[tuple[str, str]], seconds: float, think: float) -> list[float]:
    """Eight recording clients at once, each loading pages (the script injected) and reporting an action per page
    over HTTP as a browser would, pausing `think` seconds between pages as a trainer does; the load times in ms."""
    pages = [f"{urls['chat']}/", f"{urls['mail']}/", f"{urls['books']}/", f"{urls['sheets']}/"]
    loads: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def trainer(world: str, cookie: str, n: int) -> None:
        http = requests.Session()
        http.cookies.update({"mockworld": world, RECORDING_COOKIE: cookie})
        tab = f"mockrec-tab-bench{n}"
        i = 0
        while time.monotonic() < deadline:
            url = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            response = http.get(url, timeout=60)
            took = (time.perf_counter() - started) * 1000
            assert response.status_code == 200 and "/_capture/capture.js" in response.text
            with lock:
                loads.append(took)
            origin = url.rsplit("/", 1)[0]
            for event in ({"type": "navigate", "args": {"url": url, "via": "navigate"}, "url": url},
                          {"type": "click", "args": {"button": "left", "modifiers": [], "click_count": 1},
                           "target": {"tag": "h1", "selectors": [{"kind": "css", "value": "h1"}]}, "url": url}):
                posted = http.post(f"{origin}/_capture/events", data=json.dumps({"tab": tab, "event": event}),
                                   timeout=60)
                assert posted.status_code == 204, posted.text
            time.sleep(think)

    threads = [threading.Thread(target=trainer, args=(w, c, n)) for n, (w, c) in enumerate(worlds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return loads


def main() -> None:
    """Print the figures against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--think", type=float, default=0.3, help="seconds a trainer pauses between actions")
    parser.add_argument("--rounds", type=int, default=100, help="clicks measured for click-to-paint")
    parser.add_argument("--seconds", type=float, default=20, help="how long the eight clients load pages")
    parser.add_argument("--serve", choices=("processes", "threads"), default="processes",
                        help="apps under gunicorn as deployed (default), or in this process's threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        settings = replace(Settings(), data_dir=Path(tmp) / "data")
        with served_apps(settings, args.serve) as apps:
            urls, token = {app: apps.url(app) for app in APP_NAMES}, apps.settings.control_token
            browser = chromium.launch(playwright, headless=True)

            context, page, _, _ = recording_page(browser, urls, "plain", "chat:/", None, token)
            bare, bare_handling = click_to_paint(page, args.rounds), click_handling(page, args.rounds)
            context.close()
            context, page, control, recording = recording_page(browser, urls, "captured", "chat:/", Path(tmp) / "c",
                                                               token)
            captured, captured_handling = click_to_paint(page, args.rounds), click_handling(page, args.rounds)
            control.finish_recording(recording["id"])
            context.close()

            out = Path(tmp) / "traj50"
            context, page, control, recording = recording_page(browser, urls, "rec50", "chat:/", out, token)
            post_messages(page, think=args.think)
            control.finish_recording(recording["id"])
            context.close()
            # twice on one world, as the portal proves (one world reset in place before each replay): the first
            # proof of a deployment opens that world's engines, the next ones find them open
            # (each on its own copy of the recording: a proof writes its observations into the steps it replays)
            shutil.copytree(out, Path(tmp) / "traj50-again")
            cold, report = (Replayer(browser, AppUrls(urls), ControlClient(urls, "proof", token=token), folder,
                                     observe=True).run() for folder in (out, Path(tmp) / "traj50-again"))
            browser.close()

            worlds = []
            for n in range(CONCURRENT):
                control = ControlClient(urls, f"many-{n}", token=token)
                control.reset()
                started = control.start_recording(str(Path(tmp) / f"many-{n}"), trainer=f"t{n}")
                worlds.append((f"many-{n}", started["cookie"]))
            loads = concurrent_page_loads(urls, worlds, args.seconds, args.think)
    loads.sort()
    p50, p95 = loads[len(loads) // 2], loads[int(len(loads) * 0.95)]
    print(f"apps served in {args.serve}")
    added = statistics.mean(captured) - statistics.mean(bare)
    print(f"click-to-paint: {frames(bare)} plain, {frames(captured)} recording through the apps: "
          f"+{added:.1f} ms per action on average (target < 10 ms)")
    print(f"click listeners (the capture's included: the target described, its report sent off): p50 "
          f"{statistics.median(bare_handling):.2f} ms plain, {statistics.median(captured_handling):.2f} ms recording, "
          f"p95 {sorted(captured_handling)[int(len(captured_handling) * 0.95)]:.2f} ms")
    print(f"proof replay of {len(report.steps)} steps with screenshots: {report.seconds:.1f} s (target < 15 s), "
          f"the deployment's first {cold.seconds:.1f} s; reproduced: {report.reproduced and cold.reproduced}")
    print(f"{CONCURRENT} recordings at once: {len(loads)} page loads in {args.seconds:.0f} s (each followed by two "
          f"events, {args.think:g} s apart), p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 < 300 ms)")


if __name__ == "__main__":
    main()
