"""The recorder's cost on the trainer's click-to-paint, and replay speed against the recording and against a
plain Playwright script doing the same actions.

Targets (issue 7): recorder adds < 10 ms to click-to-paint; a 50-step replay without screenshots runs at least
10x faster than it was recorded and within 1.5x of the plain script.
Usage: python bench/replay.py [--think SECONDS]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from playwright.sync_api import sync_playwright

from mock_apps.core import browser as chromium
from mock_apps.core.control_client import ControlClient
from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES, Settings
from trajectories.app_url import AppUrls
from recorder.replay import Replayer
from recorder.session import begin

MESSAGES = 25  # fill + Enter each: 50 steps


def click_to_paint(page, rounds: int = 40) -> list[float]:
    """Ms from each real mouse click on a non-navigating element to the next painted frame (`rounds` samples).

    Frames are painted 16.7 ms apart, so a median moves in whole frames; the mean says how often a frame slipped.
    """
    box = page.get_by_role("heading").first.bounding_box()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        page.mouse.click(box["x"] + 2, box["y"] + 2)
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def click_handling(page, rounds: int = 40) -> list[float]:
    """Ms the page's own click listeners take on each real click (the capture's report included), to the µs.

    Timed in the page between a listener that runs first (window, capturing) and one that runs last (window,
    bubbling): the work a click waits for before the browser may paint, without the frame clock's rounding.
    """
    page.evaluate("""() => {
        window.__clicks = [];
        addEventListener("click", () => { window.__clickStart = performance.now(); }, true);
        addEventListener("click", () => { window.__clicks.push(performance.now() - window.__clickStart); });
    }""")
    box = page.get_by_role("heading").first.bounding_box()
    for _ in range(rounds):
        page.mouse.click(box["x"] + 2, box["y"] + 2)
    return page.evaluate("window.__clicks")


def frames(samples: list[float]) -> str:
    """Click-to-paint samples as median and mean."""
    return f"median {statistics.median(samples):.1f} ms, mean {statistics.mean(samples):.1f} ms"


def post_messages(page, think: float) -> None:
    """The 50 actions: a message typed and sent, 25 times."""
    composer = page.get_by_test_id("composer-input")
    for i in range(MESSAGES):
        composer.fill(f"Bench message {i}")
        page.wait_for_timeout(think * 1000)
        composer.press("Enter")
        page.wait_for_load_state()
        page.wait_for_timeout(think * 1000)


def main() -> None:
    """Print the figures against the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--think", type=float, default=1.0, help="seconds a person pauses between actions (a trainer reads, thinks, moves the mouse)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        settings = replace(Settings(), data_dir=Path(tmp) / "data")
        with Sandbox(settings, ephemeral=True) as sandbox:
            urls = {app: sandbox.url(app) for app in APP_NAMES}
            browser = chromium.launch(playwright, headless=True)

            plain_ctx = browser.new_context()
            ControlClient(urls, "plain").reset()
            plain_ctx.add_cookies([{"name": "mockworld", "value": "plain", "url": urls["chat"]}])
            plain = plain_ctx.new_page()
            plain.goto(urls["chat"] + "/")
            bare, bare_handling = click_to_paint(plain), click_handling(plain)
            started = time.perf_counter()
            post_messages(plain, think=0)
            plain_seconds = time.perf_counter() - started
            plain_ctx.close()

            ctx = browser.new_context()
            out = Path(tmp) / "traj"
            recorder = begin(ctx, out, urls, "recorded", start_pages=("chat:/",), shots=False)
            page = ctx.pages[0]
            recorded_click, recorded_handling = click_to_paint(page), click_handling(page)
            recorder.stop()
            ctx.close()

            ctx = browser.new_context()
            out = Path(tmp) / "traj50"
            recorder = begin(ctx, out, urls, "recorded50", start_pages=("chat:/",), shots=True)
            started = time.perf_counter()
            post_messages(ctx.pages[0], think=args.think)
            recorder.stop()
            recorded_seconds = time.perf_counter() - started
            ctx.close()

            report = Replayer(browser, AppUrls(urls), ControlClient(urls, "replayed"), out).run()
            browser.close()
    steps = len(report.steps)
    added = statistics.mean(recorded_click) - statistics.mean(bare)
    print(f"click-to-paint: {frames(bare)} without the recorder, {frames(recorded_click)} with it: "
          f"+{added:.1f} ms on average (target < 10 ms)")
    print(f"click listeners: p50 {statistics.median(bare_handling):.2f} ms without the recorder, "
          f"{statistics.median(recorded_handling):.2f} ms with it")
    print(f"{steps} steps: recorded in {recorded_seconds:.1f} s (think time {args.think} s), replayed in "
          f"{report.seconds:.1f} s ({recorded_seconds / report.seconds:.1f}x faster, target >= 10x), "
          f"plain Playwright {plain_seconds:.1f} s (replay {report.seconds / plain_seconds:.2f}x of it, "
          f"target <= 1.5x); reproduced: {report.reproduced}")


if __name__ == "__main__":
    main()
