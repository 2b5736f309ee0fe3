"""Recording: attach to a Playwright browser context and write every user action as a trajectory step.

The capture script reports each action with a synchronous request that the recorder answers from inside the
browser (Playwright routing), before the page acts on it. Answering it closes the previous step: the change-log
entries since then are that step's, exactly. Answering never waits on the page (it is blocked), so pictures
are taken on the recorder's own time: `tick()` observes the newest step once the page has been quiet for a
moment, `settle()` does it at once. Closed steps are appended and flushed to steps.jsonl at the next tick, so a
crash loses at most the step in flight. Typing into one field coalesces into one fill and a double click
replaces its single click.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
import weakref
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.control_client import ControlClient
from recorder.app_url import AppUrls
from trajectories.model import Action, ChangeEntry, Observation, Step, Target, Trajectory
from trajectories.store import FILES, SHOTS, TrajectoryDir

CAPTURE_JS = (Path(__file__).with_name("capture.js")).read_text()
# contexts that already run the capture script: a context goes on from one recording to the next (an
# evaluation's episodes), and an init script cannot be taken out of a context, only not added twice
_CAPTURING: weakref.WeakSet = weakref.WeakSet()
EVENT_URL = "http://mockapps-recorder.invalid/event"
QUIET_SECONDS = 0.3
NAVIGATION_GRACE_SECONDS = 3.0  # a new document this soon after an action in its tab is that action's doing


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
        self.last_seq = max((c.seq for s in self.steps for c in s.changes), default=0)
        self.errors: list[str] = []  # events that could not be recorded
        self.pending: Step | None = None
        self._pending_page = None
        self._pending_since = 0.0
        self._observed = False
        self._closed: list[tuple[Step, list]] = []  # closed steps and their downloads, not yet on disk
        self._downloads_of_pending: list = []
        self._page_ids: dict[object, str] = {}
        self._last_page = None
        self._next_index = len(self.steps)
        # a resumed recording opens new tabs: their ids continue after the ones already recorded
        self._first_page_number = 1 + max((int(s.page[1:]) for s in self.steps if s.page[1:].isdigit()), default=-1)
        self._download_steps: dict[str, int] = {}
        self._stopping = False
        self._last_action_at: dict[object, float] = {}
        self._known_urls: dict[object, str] = {}  # each tab's URL as of its last recorded step
        self._final_states: dict | None = None
        self._page_handlers: dict[object, tuple] = {}  # each tracked tab's download and close listeners

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
                    self._open_step(page, Action(type="tab_open", args={"opener": None}), None, page.url)
                    self._last_page = page
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
            self._page_ids[page] = f"p{self._first_page_number + len(self._page_ids)}"
            handlers = (lambda download: self._on_download(page, download), lambda: self._on_close(page))
            page.on("download", handlers[0])
            page.on("close", handlers[1])
            self._page_handlers[page] = handlers
        return self._page_ids[page]

    # -- Playwright callbacks: bookkeeping only, never a call that waits on a page ----------------

    def _on_event(self, route) -> None:
        try:
            page = route.request.frame.page
            if page in self.ignored:
                route.fulfill(status=204, headers={"Access-Control-Allow-Origin": "*"})
                return
            self._track(page)
            self._record(page, json.loads(route.request.post_data or "{}"))
        except Exception as error:  # one bad event must not stop the recording or the page
            self.errors.append(f"{type(error).__name__}: {error}")
        route.fulfill(status=204, headers={"Access-Control-Allow-Origin": "*"})

    def _on_page(self, page) -> None:
        if page in self.ignored:
            return
        opener = page.opener()
        self._track(page)
        if opener is not None and self.pending is not None and self.pending.page == self._page_ids.get(opener):
            self.pending.action.args["opens"] = self._page_ids[page]  # the popup belongs to its click
        else:
            self._open_step(page, Action(type="tab_open", args={"opener": self._page_ids.get(opener)}), None,
                            page.url)
        self._last_page = page

    def _on_close(self, page) -> None:
        if page in self._page_ids and not self._stopping:
            self._open_step(page, Action(type="tab_close"), None, page.url)

    def _on_download(self, page, download) -> None:
        if self.pending is not None and self.pending.page == self._page_ids.get(page):
            self._downloads_of_pending.append(download)  # belongs to the click that caused it
        else:
            self._open_step(page, Action(type="download", args={"name": download.suggested_filename}), None,
                            page.url)
            self._downloads_of_pending.append(download)

    # -- steps --------------------------------------------------------------------------------

    def _record(self, page, event: dict) -> None:
        kind = event["type"]
        if kind == "navigate":
            self._record_navigation(page, event)
            return
        self._last_action_at[page] = time.monotonic()
        args = dict(event.get("args") or {})
        target = Target.model_validate(event["target"]) if event.get("target") else None
        url = event.get("url") or page.url
        if kind == "upload":
            args["files"] = [self._store_upload(f) for f in args.get("files", [])]
        pending = self.pending
        same = (pending is not None and target is not None and pending.target is not None
                and pending.page == self._page_ids[page] and pending.target.selectors == target.selectors)
        if same and kind == "fill" and pending.action.type == "fill":
            pending.action.args["value"] = args["value"]  # typing coalesces into one fill
            return
        if same and kind == "click" and pending.action.type == "click" and args.get("click_count", 1) > 1:
            pending.action.args["click_count"] = args["click_count"]  # a double click replaces its click
            return
        self._switch_to(page, url)
        self._open_step(page, Action(type=kind, args=args), target, url)

    def _switch_to(self, page, url: str, collect: bool = True) -> None:
        """An action in another tab than the last one: the switch is a step of its own."""
        if self._last_page is not None and page is not self._last_page:
            self._open_step(page, Action(type="tab_switch"), None, url, collect=collect)
        self._last_page = page

    def _record_navigation(self, page, event: dict) -> None:
        """A new document: a step of its own unless an action in this tab led to it a moment ago."""
        since = time.monotonic() - self._last_action_at.get(page, float("-inf"))
        if since < NAVIGATION_GRACE_SECONDS:
            return
        self._last_action_at[page] = time.monotonic()
        # The server handled this document's request before the page could report it. When the pending step
        # was already observed (quiet), whatever changed since is the navigation's doing, not that step's.
        if not self._observed:
            self._collect_changes()
        self._switch_to(page, self._known_urls.get(page, "about:blank"), collect=False)
        url = self.urls.relative(event["args"]["url"])
        self._open_step(page, Action(type="navigate", args={"url": url, "via": event["args"].get("via")}), None,
                        self._known_urls.get(page, "about:blank"), collect=False)

    def _open_step(self, page, action: Action, target: Target | None, url: str, collect: bool = True) -> None:
        """Close the pending step (its changes are final now) and make this action the pending one."""
        self._close_pending(next_url=url, next_page=page, collect=collect)
        self.pending = Step(index=self._next_index, sim_time=self.control.clock()["now"], wall_time=_now(),
                            app=self.urls.app_of(url), page=self._page_ids[page],
                            url_before=self.urls.relative(url), action=action, target=target)
        self._next_index += 1
        self._known_urls[page] = url
        self._pending_page = page
        self._pending_since = time.monotonic()
        self._observed = False

    def _collect_changes(self) -> None:
        if self.pending is None:
            return
        entries = self.control.changes(after=self.last_seq)
        if entries:
            self.last_seq = entries[-1]["seq"]
            self.pending.changes.extend(ChangeEntry.model_validate(e) for e in entries)

    def _close_pending(self, next_url: str | None = None, next_page=None, collect: bool = True) -> None:
        step = self.pending
        if step is None:
            return
        if collect:
            self._collect_changes()
        if next_page is not None and next_page is self._pending_page and next_url:
            step.url_after = self.urls.relative(next_url)
        elif self._pending_page is not None and not self._pending_page.is_closed():
            step.url_after = self.urls.relative(self._pending_page.url)
            self._known_urls[self._pending_page] = self._pending_page.url
        self._closed.append((step, self._downloads_of_pending))
        self.pending, self._downloads_of_pending = None, []

    def _store_upload(self, file: dict) -> dict:
        data = base64.b64decode(file.pop("base64", "") or b"")
        digest = hashlib.sha256(data).hexdigest()
        (self.folder.path / FILES / digest).write_bytes(data)
        # "local" until the flush, which knows every earlier download (they are written in step order)
        return {"name": file["name"], "size": len(data), "sha256": digest, "mime": file.get("mime") or None,
                "source": "local"}

    # -- the recorder's own time ----------------------------------------------------------------

    def navigate(self, page, relative_url: str) -> None:
        """Open an app-relative URL in a tab as a recorded step (start pages, address-bar navigation)."""
        self._track(page)
        self._open_step(page, Action(type="navigate", args={"url": relative_url}), None, page.url)
        self._last_page = page
        self._last_action_at[page] = time.monotonic()
        page.goto(self.urls.absolute(relative_url))

    def tick(self, quiet: float = QUIET_SECONDS) -> None:
        """Write closed steps to disk; observe the newest step once its page has been quiet for `quiet` seconds
        (a caller that has waited for the page to settle passes 0)."""
        self._flush()
        if self.pending is not None and not self._observed and time.monotonic() - self._pending_since >= quiet:
            self.settle()

    def settle(self) -> Step | None:
        """Observe the newest step now: its changes so far, URL, screenshot and accessibility snapshot."""
        self._flush()
        step, page = self.pending, self._pending_page
        if step is None or page is None or page.is_closed():
            return step
        try:
            page.wait_for_load_state(timeout=10_000)
        except Exception:
            pass  # still loading: observe what is there
        self._collect_changes()
        if self.pending is step:  # an action may have arrived while we waited
            step.url_after = self.urls.relative(page.url)
            step.observation = self._observe(page, step.index)
            self._observed = True
        self._flush()
        return step

    def _flush(self) -> None:
        while self._closed:
            step, downloads = self._closed.pop(0)
            for download in downloads:
                data = Path(download.path()).read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                (self.folder.path / FILES / digest).write_bytes(data)
                self._download_steps[digest] = step.index
                entry = {"name": download.suggested_filename, "size": len(data), "sha256": digest}
                if step.action.type == "download":
                    step.action.args.update(entry)
                else:
                    step.action.args.setdefault("downloads", []).append(entry)
            for file in step.action.args.get("files", []) if step.action.type == "upload" else []:
                if file["sha256"] in self._download_steps:
                    file["source"] = f"download:{self._download_steps[file['sha256']]}"
            self.folder.append_step(step)
            self.steps.append(step)

    def _observe(self, page, index: int) -> Observation:
        observation = Observation()
        try:
            if self.shots:
                name = f"{SHOTS}/{index:04d}.jpg"
                page.screenshot(path=str(self.folder.path / name), type="jpeg", quality=70, timeout=5_000)
                observation.screenshot = name
            observation.accessibility = page.locator("body").aria_snapshot(timeout=5_000)
        except Exception:  # a page mid-navigation: the step stands without its picture
            pass
        return observation

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
        self._close_pending()
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


def resume(context, out: Path | str, app_urls: dict[str, str], *, control_token: str | None = None,
           shots: bool = True, ignore_pages: tuple = ()) -> Recorder:
    """Continue an incomplete trajectory in its own world, from the page its last step left."""
    from mock_apps.core.errors import MockAppsError
    from trajectories.store import load

    meta, steps = load(out)
    if meta.status != "incomplete":
        raise MockAppsError(f"{out} is {meta.status}; only an incomplete trajectory can be resumed")
    folder = TrajectoryDir(out)
    # rewrite steps.jsonl without a torn last line, so that appending continues a valid file
    folder.steps_path.write_text("".join(step.model_dump_json() + "\n" for step in steps))
    control = ControlClient(app_urls, meta.world, token=control_token)
    control.clock()  # the world must still exist: a clear error otherwise
    context.add_cookies([{"name": "mockworld", "value": meta.world, "url": url} for url in app_urls.values()])
    recorder = Recorder(context, folder, meta, AppUrls(app_urls), control, shots=shots, steps=steps,
                        ignore_pages=ignore_pages).start()
    last_url = next((s.url_after or s.url_before for s in reversed(steps) if (s.url_after or s.url_before)
                     .split(":", 1)[0] in app_urls), meta.start_pages[0] if meta.start_pages else "mail:/")
    work_pages = [p for p in context.pages if p not in recorder.ignored]
    page = work_pages[0] if work_pages else context.new_page()
    recorder.navigate(page, last_url)
    return recorder
