"""Recording a browser we drive (an agent's episode, a scripted demonstration): attach to a Playwright context
and write every action as a trajectory step, with a screenshot and accessibility snapshot of each.

The capture script (the same one the apps serve to a trainer's own browser) reports each action with a
synchronous request that the recorder answers from inside the browser (Playwright routing), before the page acts
on it; the shared StepBuilder closes the previous step then, so the change-log entries since are that step's,
exactly. Answering never waits on the page (it is blocked), so pictures are taken on the recorder's own time:
`tick()` observes the newest step once the page has been quiet for a moment, `settle()` does it at once. Closed
steps are appended and flushed to steps.jsonl at the next tick, so a crash loses at most the step in flight.
A person's recording (`mockapps record`, the portal) goes through the apps instead: mock_apps/core/recordings.py.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
import weakref
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.control_client import ControlClient
from trajectories.app_url import AppUrls
from trajectories.capture import CAPTURE_JS, StepBuilder
from recorder.snapshot import observe
from trajectories.model import Action, Step, Trajectory
from trajectories.store import FILES, TrajectoryDir, mark_downloaded_uploads, store_upload

# contexts that already run the capture script: a context goes on from one recording to the next (an
# evaluation's episodes), and an init script cannot be taken out of a context, only not added twice
_CAPTURING: weakref.WeakSet = weakref.WeakSet()
EVENT_URL = "http://mockapps-recorder.invalid/event"
QUIET_SECONDS = 0.3


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Recorder:
    """Records the actions taken in one browser context into a trajectory directory."""

    def __init__(self, context, folder: TrajectoryDir, meta: Trajectory, urls: AppUrls, control: ControlClient,
                 shots: bool = True, steps: list[Step] | None = None, ignore_pages: tuple = ()):
        self.ignored = set(ignore_pages)  # tabs that are not the trainer's work (the task panel)
        self.context = context
        self.folder = folder
        self.meta = meta
        self.urls = urls
        self.control = control
        self.shots = shots
        self.steps: list[Step] = list(steps or [])  # appended to disk
        self.errors: list[str] = []  # events that could not be recorded
        self._page_ids: dict[object, str] = {}
        self._pages: dict[str, object] = {}  # page id -> page
        self.builder = StepBuilder(lambda after: self.control.changes(after=after),
                                   lambda: self.control.clock()["now"], urls, live_url=self._live_url,
                                   state={"next_index": len(self.steps),
                                          "last_seq": max((c.seq for s in self.steps for c in s.changes), default=0)})
        self._downloads: dict[int, list] = {}  # downloads of each not yet written step, by step index
        # a resumed recording opens new tabs: their ids continue after the ones already recorded
        self._first_page_number = 1 + max((int(s.page[1:]) for s in self.steps if s.page[1:].isdigit()), default=-1)
        self._download_steps: dict[str, int] = {}
        self._stopping = False
        self._final_states: dict | None = None
        self._page_handlers: dict[object, tuple] = {}  # each tracked tab's download and close listeners

    @property
    def pending(self) -> Step | None:
        """The newest step, still open to the changes it causes."""
        return self.builder.pending

    # -- wiring -------------------------------------------------------------------------------

    def start(self) -> "Recorder":
        """Install the capture script (once per context) and the event route; new tabs, downloads and closes
        are followed. A blank tab the context already has is recorded as opened now, as a new tab would be."""
        self.context.route(EVENT_URL, self._on_event)
        if self.context not in _CAPTURING:
            self.context.add_init_script(CAPTURE_JS)
            _CAPTURING.add(self.context)
        self.context.on("page", self._on_page)
        for page in self.context.pages:
            if page not in self.ignored:
                self._track(page)
                if page.url == "about:blank" and not self.steps:
                    self.builder.opened_tab(self._page_ids[page], None, page.url, time.monotonic())
        return self

    def detach(self) -> None:
        """Stop following the context (after `stop`), so that it can go on to another recording; the capture
        script stays in it and reports nowhere (its reports are fulfilled by the next recorder's route)."""
        self.context.unroute(EVENT_URL, self._on_event)
        self.context.remove_listener("page", self._on_page)
        for page, (on_download, on_close) in self._page_handlers.items():
            page.remove_listener("download", on_download)
            page.remove_listener("close", on_close)
        self._page_handlers.clear()

    def page_id(self, page) -> str:
        """The stable id (p0, p1, ...) of a tab in this recording."""
        return self._page_ids[page]

    def _track(self, page) -> str:
        if page not in self._page_ids:
            page_id = self._page_ids[page] = f"p{self._first_page_number + len(self._page_ids)}"
            self._pages[page_id] = page
            handlers = (lambda download: self._on_download(page, download), lambda: self._on_close(page))
            page.on("download", handlers[0])
            page.on("close", handlers[1])
            self._page_handlers[page] = handlers
        return self._page_ids[page]

    def _live_url(self, page_id: str) -> str | None:
        page = self._pages.get(page_id)
        return page.url if page is not None and not page.is_closed() else None

    # -- Playwright callbacks: bookkeeping only, never a call that waits on a page ----------------

    def _on_event(self, route) -> None:
        try:
            page = route.request.frame.page
            if page in self.ignored:
                route.fulfill(status=204, headers={"Access-Control-Allow-Origin": "*"})
                return
            event = json.loads(route.request.post_data or "{}")
            if event.get("type") == "upload":
                event["args"]["files"] = [store_upload(self.folder, f) for f in event["args"].get("files", [])]
            self.builder.record(self._track(page), event, time.monotonic())
        except Exception as error:  # one bad event must not stop the recording or the page
            self.errors.append(f"{type(error).__name__}: {error}")
        route.fulfill(status=204, headers={"Access-Control-Allow-Origin": "*"})

    def _on_page(self, page) -> None:
        if page in self.ignored:
            return
        opener = page.opener()
        self.builder.opened_tab(self._track(page), self._page_ids.get(opener), page.url, time.monotonic())

    def _on_close(self, page) -> None:
        if page in self._page_ids and not self._stopping:
            self.builder.open(self._page_ids[page], Action(type="tab_close"), None, page.url, time.monotonic())

    def _on_download(self, page, download) -> None:
        pending = self.builder.pending
        if pending is None or pending.page != self._page_ids.get(page):
            pending = self.builder.open(self._page_ids[page], Action(type="download",
                                        args={"name": download.suggested_filename}), None, page.url,
                                        time.monotonic())
        self._downloads.setdefault(pending.index, []).append(download)  # belongs to the click that caused it

    # -- the recorder's own time ----------------------------------------------------------------

    def navigate(self, page, relative_url: str) -> None:
        """Open an app-relative URL in a tab as a recorded step (start pages, address-bar navigation)."""
        page_id, now = self._track(page), time.monotonic()
        self.builder.open(page_id, Action(type="navigate", args={"url": relative_url}), None, page.url, now)
        self.builder.last_page = page_id
        self.builder.last_action_at[page_id] = now
        page.goto(self.urls.absolute(relative_url))

    def tick(self, quiet: float = QUIET_SECONDS) -> None:
        """Write closed steps to disk; observe the newest step once its page has been quiet for `quiet` seconds
        (a caller that has waited for the page to settle passes 0)."""
        self._flush()
        builder = self.builder
        if builder.pending is not None and not builder.observed and time.monotonic() - builder.pending_since >= quiet:
            self.settle()

    def settle(self) -> Step | None:
        """Observe the newest step now: its changes so far, URL, screenshot and accessibility snapshot."""
        self._flush()
        step = self.builder.pending
        page = self._pages.get(self.builder.pending_page) if step is not None else None
        if step is None or page is None or page.is_closed():
            return step
        try:
            page.wait_for_load_state(timeout=10_000)
        except Exception:
            pass  # still loading: observe what is there
        if self.builder.pending is step:  # an action may have arrived while we waited
            self.builder.settled()
            self.builder.observed = True
            step.url_after = self.urls.relative(page.url)
            step.observation = observe(page, self.folder, step.index, self.shots)
        else:
            self.builder.collect()
        self._flush()
        return step

    def _flush(self) -> None:
        for step in self.builder.take_closed():
            for download in self._downloads.pop(step.index, []):
                data = Path(download.path()).read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                (self.folder.path / FILES / digest).write_bytes(data)
                self._download_steps[digest] = step.index
                entry = {"name": download.suggested_filename, "size": len(data), "sha256": digest}
                if step.action.type == "download":
                    step.action.args.update(entry)
                else:
                    step.action.args.setdefault("downloads", []).append(entry)
            mark_downloaded_uploads(step, self._download_steps)
            self.folder.append_step(step)
            self.steps.append(step)

    def final_states(self) -> dict:
        """Every app's state once the work is over, fetched once: scoring and the stored final state share it
        (a dump of the four apps is about a megabyte of JSON)."""
        if self._final_states is None:
            self._final_states = self.control.states()
        return self._final_states

    def stop(self, status: str = "complete", observe: bool = True) -> Trajectory:
        """Observe (unless the browser is gone) and close the last step, store every app's final state and
        close the trajectory."""
        if observe:
            self.settle()
        self._stopping = True
        self.builder.close_pending()
        self._flush()
        self.meta.final_state = self.folder.write_state(self.final_states())
        self.meta.end = _now()
        self.meta.status = status
        self.folder.write_meta(self.meta)
        return self.meta


def begin(context, out: Path | str, app_urls: dict[str, str], world_id: str, *, scenario: str | None = None,
          task: str | None = None, trainer: str | None = None, start_pages: tuple[str, ...] = (),
          shots: bool = True, control_token: str | None = None, reset: bool = True,
          ignore_pages: tuple = ()) -> Recorder:
    """Reset the world, create the trajectory directory, attach a Recorder and open the start pages."""
    from mock_apps.core.template import source_fingerprint
    from mock_apps.scenarios import get_scenario

    scenario_name = get_scenario(scenario).name
    control = ControlClient(app_urls, world_id, token=control_token)
    if reset:
        control.reset(scenario_name)
    context.add_cookies([{"name": "mockworld", "value": world_id, "url": url} for url in app_urls.values()])
    viewport = (context.pages[0].viewport_size if context.pages else None) or {"width": 1400, "height": 900}
    meta = Trajectory(id=uuid.uuid4().hex[:12], task=task, scenario=scenario_name, world=world_id,
                      app_versions={"source": source_fingerprint()}, start_clock=control.clock()["now"],
                      browser={"name": "chromium", "version": context.browser.version if context.browser else "",
                               "viewport": viewport},
                      trainer=trainer, start=_now(), start_pages=list(start_pages))
    folder = TrajectoryDir(out).create(meta)
    recorder = Recorder(context, folder, meta, AppUrls(app_urls), control, shots=shots,
                        ignore_pages=ignore_pages).start()
    work_pages = [p for p in context.pages if p not in recorder.ignored]
    for i, url in enumerate(start_pages):
        page = work_pages[i] if i < len(work_pages) else context.new_page()
        recorder.navigate(page, url)
    return recorder


def score_recording(recorder: Recorder, task):
    """Run a task's checks on the recorded world and store outcome, score and checkpoints in trajectory.json."""
    from mock_apps.tasks.checks import score_world
    from trajectories.model import CheckResult

    meta = recorder.meta
    result = score_world(task, recorder.control, answer=meta.final_answer, states=recorder.final_states())
    meta.outcome = "passed" if result.passed else "failed"
    meta.score = result.score
    meta.checks = [CheckResult(name=c.name, passed=c.passed, weight=c.weight, reason=c.reason)
                   for c in result.checkpoints]
    recorder.folder.write_meta(meta)
    return meta, result
