"""Recordings made through the apps: any browser with an active recording cookie records, over plain HTTP.

The portal starts a recording (`RecordingStore.start`) for a trainer's world and sets the `mockrec` cookie beside
`mockworld`. Every HTML page an app serves to that browser then carries the capture script (the same script the
Playwright recorder injects), which reports each action to the app's own `/_capture/events` without holding the
page up: numbered per document, sent in order, taken once (`seen`), while a wait cookie makes any request the page
makes meanwhile wait for the report first (`await_reports`), so the action still reaches the server before what it
causes does. The app closes the step before it against the world's change log, exactly as the Playwright
recorder does (trajectories.capture.StepBuilder is the one logic of both), and appends it to the trajectory's
steps.jsonl. A recording's state lives in one JSON file under `<data>/recordings/`, replaced atomically under the
recording's lock after each event: any app process (gunicorn workers, docker-compose services on one volume) can
take the next event, two tabs' events interleave in order, and a killed server loses at most the event in flight.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mock_apps.core.errors import BadRequest, Conflict, Forbidden, MockAppsError, NotFound
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import process_lock, source_fingerprint
from mock_apps.core.world import WorldRegistry, write_atomically
from trajectories.app_url import AppUrls
from trajectories.capture import StepBuilder
from trajectories.model import Trajectory
from trajectories.store import FILES, TrajectoryDir, mark_downloaded_uploads, store_upload

RECORDING_COOKIE = "mockrec"
RECORDING_ID = re.compile(r"^[a-z0-9]{16}$")
MAX_TABS = 64
SEEN_DOCUMENTS = 256  # documents whose last report number a recording keeps (to take each report once)
DOWNLOAD_GRACE_SECONDS = 5.0  # a download this soon after the pending action is that action's doing


class RecordingError(MockAppsError):
    """A recording cannot take this event or this request."""

    code = "recording_error"


@dataclass(frozen=True)
class Recording:
    """One recording: whose, in which world, of which task, into which trajectory directory, and its status."""

    id: str
    world: str
    task: str | None
    trainer: str | None
    folder: Path
    status: str  # recording | complete | abandoned
    trajectory_id: str
    started: str
    steps: int

    @classmethod
    def from_state(cls, state: dict) -> "Recording":
        """The recording described by its state file."""
        return cls(id=state["id"], world=state["world"], task=state.get("task"), trainer=state.get("trainer"),
                   folder=Path(state["folder"]), status=state["status"], trajectory_id=state["trajectory_id"],
                   started=state["started"], steps=state["steps_written"])


class RecordingStore:
    """The recordings of one data directory: start, take events and downloads, finish."""

    _instances: dict[Path, "RecordingStore"] = {}
    _instances_lock = threading.Lock()

    def __init__(self, settings: Settings):
        from mock_apps.core.secret import deployment_secret

        self.settings = settings
        self.root = Path(settings.data_dir) / "recordings"
        self.root.mkdir(parents=True, exist_ok=True)
        self.worlds = WorldRegistry.for_settings(settings)
        self._key = hashlib.sha256(b"mockapps recording cookie\0" + deployment_secret(settings)).digest()
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> "RecordingStore":
        """The process-wide store of a data directory."""
        with cls._instances_lock:
            store = cls._instances.get(Path(settings.data_dir))
            if store is None:
                store = cls._instances[Path(settings.data_dir)] = cls(settings)
            return store

    # -- life cycle ---------------------------------------------------------------------------

    def start(self, *, world_id: str, task_id: str | None, trainer: str | None, folder: Path | str,
              start_pages: list[str] | tuple[str, ...] = ()) -> Recording:
        """Begin recording in an existing world (reset it first) into a new trajectory directory."""
        self.worlds.require_existing(world_id)
        recording_id = secrets.token_hex(8)
        meta = Trajectory(id=secrets.token_hex(6), task=task_id, scenario=self.worlds.scenario_of(world_id),
                          world=world_id, app_versions={"source": source_fingerprint()},
                          start_clock=self.worlds.clock(world_id)["now"], trainer=trainer,
                          start=datetime.now(timezone.utc), start_pages=list(start_pages), recording=recording_id)
        meta.browser.name = "trainer's browser"
        TrajectoryDir(folder).create(meta)  # refuses a folder that already holds a trajectory
        last_seq = (self.worlds.changes(world_id)[-1:] or [{"seq": 0}])[0]["seq"]
        state = {"id": recording_id, "world": world_id, "task": task_id, "trainer": trainer,
                 "folder": str(Path(folder).resolve()), "status": "recording", "trajectory_id": meta.id,
                 "started": meta.start.isoformat(), "steps_written": 0, "tabs": {}, "downloads": {},
                 "viewport": None, "builder": {"last_seq": last_seq}}
        with self._locked(recording_id):
            self._save(state)
        return Recording.from_state(state)

    def get(self, recording_id: str) -> Recording | None:
        """A recording by id, or None."""
        state = self._load(recording_id)
        return Recording.from_state(state) if state else None

    def cookie_value(self, recording_id: str) -> str:
        """The `mockrec` cookie for a recording: its id and a signature only this deployment can make."""
        return f"{recording_id}.{self._sign(recording_id)}"

    def recording_of(self, cookie: str | None) -> str | None:
        """The recording id a `mockrec` cookie names, if its signature is this deployment's."""
        if not cookie or "." not in cookie:
            return None
        recording_id, _, signature = cookie.partition(".")
        if not RECORDING_ID.match(recording_id) or not hmac.compare_digest(signature, self._sign(recording_id)):
            return None
        return recording_id

    def finish(self, recording_id: str, status: str = "complete", answer: str | None = None) -> Trajectory:
        """End a recording: close its last step, store every app's final state, and for a completed task run
        its checks (outcome, score, checkpoints in trajectory.json). Later events are refused."""
        if status not in ("complete", "abandoned"):
            raise BadRequest(f"a recording ends complete or abandoned, not {status!r}")
        with self._locked(recording_id):
            state = self._require(recording_id)
            if state["status"] != "recording":
                raise Conflict(f"recording {recording_id} is already {state['status']}", code="recording_finished")
            folder = TrajectoryDir(state["folder"])
            builder = self._builder(state)
            builder.release_all()  # a page that never reported itself: its changes are the last step's
            builder.close_pending()
            self._write_closed(state, builder, folder)
            world = state["world"]
            states = {app: self.worlds.state(world, app) for app in APP_NAMES}
            meta = folder.load_meta()
            meta.final_state = folder.write_state(states)
            meta.end = datetime.now(timezone.utc)
            meta.status = status
            if state["viewport"]:
                meta.browser.viewport = state["viewport"]
            task = None
            if state["task"]:
                from mock_apps.tasks import get_task

                task = get_task(state["task"])
                meta.final_answer = answer if task.needs_answer else None
            if task is not None and status == "complete":
                from mock_apps.tasks.checks import score
                from trajectories.model import CheckResult

                result = score(task, states, self.worlds.changes(world), meta.final_answer)
                meta.outcome = "passed" if result.passed else "failed"
                meta.score = result.score
                meta.checks = [CheckResult(name=c.name, passed=c.passed, weight=c.weight, reason=c.reason)
                               for c in result.checkpoints]
            folder.write_meta(meta)
            state["status"] = status
            state["builder"] = builder.to_dict()
            self._save(state)
        return meta

    # -- what the browser reports --------------------------------------------------------------

    def event(self, recording_id: str, world_id: str, report: dict, app_urls: dict[str, str]) -> None:
        """One report of the capture script from a served page (already checked to be well-formed); a numbered
        report taken before (sent again after its answer was lost) is taken once."""
        now = time.time()
        with self._locked(recording_id):
            state = self._require_active(recording_id, world_id)
            if "doc" in report and not _see(state, report["doc"], report["n"]):
                return
            folder = TrajectoryDir(state["folder"])
            state["app_urls"] = app_urls  # finishing (from the portal) converts the last URLs with them
            builder = self._builder(state, app_urls)
            event, tab = report["event"], report["tab"]
            page = state["tabs"].get(tab)
            if page is None:
                if len(state["tabs"]) >= MAX_TABS:
                    raise RecordingError(f"a recording follows at most {MAX_TABS} tabs", status=413,
                                         code="too_many_tabs")
                page = state["tabs"][tab] = f"p{len(state['tabs'])}"
                self._new_tab(state, builder, page, report, now)
            if state["viewport"] is None and isinstance(report.get("viewport"), dict):
                state["viewport"] = _viewport(report["viewport"])
            if event["type"] == "leave":
                # a tab is about to request a new document: whatever is pending (in any tab) is at rest, and what
                # that document's own request changes belongs to the navigation, if it is one
                builder.settled()
            else:
                if event["type"] == "upload":
                    event["args"]["files"] = [store_upload(folder, f) for f in event["args"].get("files", [])]
                builder.record(page, event, now)
            self._write_closed(state, builder, folder)
            state["builder"] = builder.to_dict()
            self._save(state)

    def refused(self, recording_id: str, doc: str, n: int) -> None:
        """A numbered report the recording refused (another world's, one tab too many): taken as far as waiting
        for it goes, so the page's next requests do not wait for it in vain."""
        with self._locked(recording_id):
            state = self._load(recording_id)
            if state is not None and state["status"] == "recording" and _see(state, doc, n):
                self._save(state)

    def await_reports(self, recording_id: str, marks: dict[str, int], timeout: float) -> None:
        """Wait (at most `timeout` seconds) until the recording has taken report `n` of each document in `marks`
        ({doc: n}), or has ended. Called outside the recording's lock: the reports come in on other threads."""
        deadline = time.monotonic() + timeout
        while True:
            state = self._load(recording_id)
            if state is None or state["status"] != "recording":
                return
            seen = state.get("seen", {})
            if all(seen.get(doc, 0) >= n for doc, n in marks.items()) or time.monotonic() >= deadline:
                return
            time.sleep(0.004)

    def page_load(self, recording_id: str, world_id: str, token: str, seqs: list[int]) -> None:
        """Change-log entries a page's own request wrote (a channel marked read on opening it), held for that page:
        its navigate report names `token` and takes them, so another tab's action in between does not."""
        with self._locked(recording_id):
            state = self._require_active(recording_id, world_id)
            builder = self._builder(state)
            builder.reserve(token, seqs, time.time())
            state["builder"] = builder.to_dict()
            self._save(state)

    def download(self, recording_id: str, world_id: str, name: str, data: bytes) -> None:
        """A file an app served as an attachment to the recording browser: kept, and noted on the action that
        asked for it (the pending step) as the Playwright recorder notes a download on its click."""
        now = time.time()
        with self._locked(recording_id):
            state = self._require_active(recording_id, world_id)
            folder = TrajectoryDir(state["folder"])
            builder = self._builder(state)
            pending = builder.pending
            if pending is None or now - builder.pending_since > DOWNLOAD_GRACE_SECONDS:
                return  # nothing the trainer did asked for it (a prefetch): not a step
            digest = hashlib.sha256(data).hexdigest()
            (folder.path / FILES / digest).write_bytes(data)
            pending.action.args.setdefault("downloads", []).append({"name": name, "size": len(data), "sha256": digest})
            state["downloads"][digest] = pending.index
            state["builder"] = builder.to_dict()
            self._save(state)

    def _new_tab(self, state: dict, builder: StepBuilder, page: str, report: dict, now: float) -> None:
        """A tab reports for the first time: a popup of the pending click (it has an opener and came from an app
        page a moment after the click), else a tab of its own, opened blank and then navigated."""
        opener_tab = report.get("opener")
        from_app = builder.urls.app_of(report.get("referrer") or "") is not None
        opener = state["tabs"].get(opener_tab) if isinstance(opener_tab, str) else None
        pending = builder.pending
        if opener_tab and from_app and opener is None and pending is not None and pending.action.type == "click" \
                and now - builder.pending_since < 3.0:
            opener = pending.page  # the opener's name is unreadable from another origin: the click is its cause
        if opener is not None and pending is not None and pending.page == opener:
            builder.opened_tab(page, opener, "about:blank", now)
            builder.last_action_at[page] = now  # its first document is the click's doing, not a navigation
        else:
            builder.opened_tab(page, None, "about:blank", now)

    # -- storage ------------------------------------------------------------------------------

    def _builder(self, state: dict, app_urls: dict[str, str] | None = None) -> StepBuilder:
        world = state["world"]
        return StepBuilder(lambda after: self.worlds.changes(world, after=after),
                           lambda: self.worlds.clock(world)["now"], AppUrls(app_urls or state.get("app_urls") or {}),
                           state=state["builder"])

    def _write_closed(self, state: dict, builder: StepBuilder, folder: TrajectoryDir) -> None:
        closed = builder.take_closed()
        for step in closed:
            mark_downloaded_uploads(step, state["downloads"])
            folder.append_step(step)
            state["steps_written"] += 1
        if closed or "steps_bytes" not in state:
            state["steps_bytes"] = folder.steps_path.stat().st_size

    def _path(self, recording_id: str) -> Path:
        return self.root / f"{recording_id}.json"

    def _load(self, recording_id: str) -> dict | None:
        if not RECORDING_ID.match(recording_id or ""):
            return None
        try:
            return json.loads(self._path(recording_id).read_text())
        except FileNotFoundError:
            return None

    def _require(self, recording_id: str) -> dict:
        state = self._load(recording_id)
        if state is None:
            raise NotFound(f"no recording {recording_id!r}", code="unknown_recording")
        return _reconciled(state)

    def _require_active(self, recording_id: str, world_id: str) -> dict:
        state = self._require(recording_id)
        if state["status"] != "recording":
            raise Conflict(f"recording {recording_id} is {state['status']}: it takes no more events",
                           code="recording_finished")
        if state["world"] != world_id:
            raise Forbidden(f"this browser's world {world_id!r} is not the recording's", code="wrong_world")
        return state

    def _save(self, state: dict) -> None:
        write_atomically(self._path(state["id"]), json.dumps(state))

    def _locked(self, recording_id: str):
        with self._locks_guard:
            lock = self._locks.setdefault(recording_id, threading.Lock())
        return process_lock(lock, self.root / f".{recording_id}.lock")

    def _sign(self, recording_id: str) -> str:
        return hmac.new(self._key, recording_id.encode("ascii"), hashlib.sha256).hexdigest()[:32]


def _reconciled(state: dict) -> dict:
    """A state saved before a crash may lag the steps already appended (the append comes first): the step the
    state still holds as pending was written, so it is not written twice. (A size check per event; the file is
    read only when it grew behind the state's back.)"""
    folder = TrajectoryDir(state["folder"])
    try:
        size = folder.steps_path.stat().st_size
    except FileNotFoundError:
        return state
    if size == state.get("steps_bytes", size):
        return state
    written = sum(1 for line in folder.steps_path.read_text(encoding="utf-8").split("\n") if line.strip())
    state["steps_bytes"] = size
    if written > state["steps_written"]:
        builder = state["builder"]
        builder["pending"] = None
        builder["next_index"] = written
        state["steps_written"] = written
    return state


def _see(state: dict, doc: str, n: int) -> bool:
    """Note report `n` of document `doc` as taken; False if it was taken before (sent again)."""
    seen = state.setdefault("seen", {})
    if n <= seen.get(doc, 0):
        return False
    seen.pop(doc, None)  # re-inserted last: the documents longest quiet are forgotten first
    seen[doc] = n
    for old in list(seen)[:-SEEN_DOCUMENTS]:
        del seen[old]
    return True


def _viewport(reported: dict) -> dict | None:
    try:
        width, height = int(reported["width"]), int(reported["height"])
    except (KeyError, TypeError, ValueError):
        return None
    return {"width": width, "height": height} if 200 <= width <= 10_000 and 200 <= height <= 10_000 else None


__all__ = ["RECORDING_COOKIE", "Recording", "RecordingStore", "RecordingError"]
