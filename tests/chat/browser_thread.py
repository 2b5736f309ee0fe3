"""Chat's browser tests drive Chromium from a worker thread of their own.

Playwright's sync API allows one instance per thread, and other test packages start theirs in the
main thread for the whole session; a second one there fails ("using Playwright Sync API inside the
asyncio loop"). A dedicated thread has no event loop, so chat's browser tests run whatever the rest
of the suite does. Each test hands a function of a fresh page to `run`; its result or exception
(assertion failures included) comes back to the test.
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

CLOSED_NETWORK_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run"]


@dataclass
class _Job:
    fn: Callable
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class BrowserThread:
    """A thread owning a Playwright instance and a headless Chromium."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, name="chat-browser", daemon=True)
        self._thread.start()
        self._ready.wait(60)
        if self._startup_error is not None:
            raise self._startup_error

    def _serve(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            pw = sync_playwright().start()
            try:
                from mock_apps.core import browser as core_browser  # the project's launcher, once it lands
                browser = core_browser.launch(pw)
            except (ImportError, AttributeError):
                browser = pw.chromium.launch(executable_path=os.environ.get("MOCKAPPS_CHROMIUM", "/usr/bin/chromium"),
                                             args=CLOSED_NETWORK_FLAGS, headless=True)
        except BaseException as err:  # reported to the constructor
            self._startup_error = err
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                try:
                    job.result = job.fn(browser)
                except BaseException as err:  # re-raised in the test's thread
                    job.error = err
                job.done.set()
        finally:
            browser.close()
            pw.stop()

    def run(self, fn: Callable, timeout: float = 120) -> Any:
        """Run fn(browser) in the browser thread; return its result or raise its exception."""
        job = _Job(fn)
        self._jobs.put(job)
        if not job.done.wait(timeout):
            raise TimeoutError(f"browser step did not finish in {timeout} s")
        if job.error is not None:
            raise job.error
        return job.result

    def with_page(self, steps: Callable) -> Any:
        """Run steps(page) on a fresh context and page (downloads on, 1400x900)."""
        def job(browser):
            context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
            try:
                page = context.new_page()
                page.set_default_timeout(10_000)
                return steps(page)
            finally:
                context.close()
        return self.run(job)

    def close(self) -> None:
        """Stop the thread and its browser."""
        self._jobs.put(None)
        self._thread.join(30)
