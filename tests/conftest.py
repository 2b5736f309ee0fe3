"""Shared fixtures: one real sandbox (portal and the apps on ephemeral ports) per session, a fresh world per
test, and pytest-playwright's browser launched on the Chromium the project's helper finds."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, replace

import pytest
import requests

from mock_apps.core.browser import launch_args
from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.world import WorldRegistry

_world_ids = itertools.count(1)


@dataclass
class SandboxWorld:
    """A world on the session's sandbox, with the URLs and control calls a test needs."""

    id: str
    sandbox: Sandbox

    def url(self, app: str) -> str:
        """The app's base URL as a browser sees it (the world comes from the `mockworld` cookie)."""
        return self.sandbox.url(app)

    def api_url(self, app: str) -> str:
        """The app's base URL with the world in the path (API clients need no cookie or header)."""
        return f"{self.sandbox.url(app)}/w/{self.id}"

    @property
    def cookies(self) -> list[dict]:
        """The `mockworld` cookie for Playwright's `context.add_cookies` (one cookie serves every app)."""
        return [{"name": "mockworld", "value": self.id, "url": self.sandbox.url("portal")}]

    def control(self, app: str, method: str, path: str, **kwargs) -> dict:
        """Call the control API of an app about this world; raise on an error status."""
        response = requests.request(method, f"{self.sandbox.url(app)}/_control/worlds/{self.id}{path}",
                                    timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def state(self, app: str) -> dict:
        """The app's normalized state in this world."""
        return self.control(app, "GET", "/state")

    def changes(self, after: int = 0, app: str | None = None) -> list[dict]:
        """The world's change log after a sequence number (optionally one app's entries)."""
        params = {"after": after, **({"app": app} if app else {})}
        return self.control(APP_NAMES[0], "GET", "/changes", params=params)["changes"]

    def reset(self) -> None:
        """Reset the world to its scenario."""
        self.control(APP_NAMES[0], "POST", "/reset")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Sandbox:
    """The portal and the apps on ephemeral ports over a session-wide data directory."""
    settings = replace(Settings(), data_dir=tmp_path_factory.mktemp("mockapps-data"), host="127.0.0.1",
                       control_token=None)
    # The xdist workers share one templates folder (their builds are safe across processes, and a company is
    # then built once for the run, not once per worker); each keeps its own worlds.
    run = tmp_path_factory.getbasetemp()
    shared = (run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "shared-templates"
    shared.mkdir(exist_ok=True)
    settings.templates_dir.symlink_to(shared, target_is_directory=True)
    with Sandbox(settings, ephemeral=True) as running:
        yield running


@pytest.fixture
def world(sandbox: Sandbox) -> SandboxWorld:
    """A fresh world from the default scenario (a file copy of the cached templates)."""
    world_id = f"t{os.getpid()}-{next(_world_ids)}"
    WorldRegistry.for_settings(sandbox.settings).reset(world_id)
    return SandboxWorld(world_id, sandbox)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch on the project's Chromium with the closed-network flags."""
    ours = launch_args(headless=None if "headless" not in browser_type_launch_args
                       else browser_type_launch_args["headless"])
    merged = {**ours, **browser_type_launch_args}
    merged["args"] = [*ours["args"], *browser_type_launch_args.get("args", [])]
    return merged


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every test page at a desktop size, downloads allowed."""
    return {"viewport": {"width": 1400, "height": 900}, "accept_downloads": True, **browser_context_args}


@pytest.fixture
def world_page(page, world: SandboxWorld):
    """pytest-playwright's page with the world's cookie set: every app opens in the test's world."""
    page.context.add_cookies(world.cookies)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def record_demo(browser, sandbox):
    """A function that records a task's reference demonstration, with screenshots, into a trajectory folder."""
    from mock_apps.tasks import get_task
    from mock_apps.tasks.demos import demo_for
    from recorder.session import begin, score_recording

    def record(task_id: str, out, world_id: str, trainer: str = "ana"):
        task = get_task(task_id)
        urls = {app: sandbox.url(app) for app in APP_NAMES}
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            recorder = begin(context, out, urls, world_id, task=task.id, trainer=trainer,
                             start_pages=tuple(task.start_pages), shots=True)
            demo_for(task)(context.pages[0], task)
            recorder.settle()
            recorder.stop()
            score_recording(recorder, task)
        finally:
            context.close()
        return out
    return record
