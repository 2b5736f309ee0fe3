"""Recordings served by the apps: any browser with an active recording cookie records, over plain HTTP.

The portal starts a recording (`RecordingStore.start`) for a trainer's world and sets the `mockrec` cookie beside
`mockworld`. Every HTML page an app serves to that browser then carries the capture script (the same script the
Playwright recorder injects), which reports each action synchronously to the app's own `/_capture/events` before
the page acts on it. The app closes the step before it against the world's change log, exactly as the Playwright
recorder does (trajectories.capture.StepBuilder is the one logic of both), and appends it to the trajectory's
steps.jsonl. A recording's state lives in one JSON file under `<data>/recordings/`, replaced atomically under the
recording's lock after each event: any app process (gunicorn workers, docker-compose services on one volume) can
take the next event, two tabs' events interleave in order, and a killed server loses at most the event in flight.
"""

from __future__ import annotations

import base64
import binascii
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
from urllib.parse import unquote

from flask import Blueprint, Response, current_app, g, request

from mock_apps.core.errors import BadRequest, Conflict, Forbidden, MockAppsError, NotFound
from mock_apps.core.settings import APP_NAMES, Settings
from mock_apps.core.template import file_lock, source_fingerprint
from mock_apps.core.world import WorldRegistry, write_atomically
from trajectories.app_url import AppUrls
from trajectories.capture import CAPTURE_JS, StepBuilder
from trajectories.model import Trajectory
from trajectories.store import FILES, TrajectoryDir, mark_downloaded_uploads, store_upload

RECORDING_COOKIE = "mockrec"
RECORDING_ID = re.compile(r"^[a-z0-9]{16}$")
TAB_ID = re.compile(r"^mockrec-tab-[a-z0-9]{1,16}$")
MAX_TABS = 64
MAX_EVENT_BYTES = 512 * 1024  # an action's report: a target description and a value typed
MAX_UPLOAD_BYTES = 48 * 1024 * 1024  # an upload's report carries the files (base64)
EVENT_TYPES = {"click", "fill", "press", "select", "check", "uncheck", "submit", "copy", "paste", "drag", "upload",
               "navigate", "leave"}
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
        """One report of the capture script from a served page (already checked to be well-formed)."""
        now = time.time()
        with self._locked(recording_id):
            state = self._require_active(recording_id, world_id)
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
        return _RecordingLock(lock, self.root / f".{recording_id}.lock")

    def _sign(self, recording_id: str) -> str:
        return hmac.new(self._key, recording_id.encode("ascii"), hashlib.sha256).hexdigest()[:32]


class _RecordingLock:
    """A recording's thread lock and file lock together: one event at a time, across processes."""

    def __init__(self, lock: threading.Lock, path: Path):
        self.lock, self.path, self._file = lock, path, None

    def __enter__(self):
        self.lock.acquire()
        try:
            self._file = file_lock(self.path)
            self._file.__enter__()
        except BaseException:
            self.lock.release()
            raise

    def __exit__(self, *exc):
        try:
            self._file.__exit__(*exc)
        finally:
            self.lock.release()


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


def _viewport(reported: dict) -> dict | None:
    try:
        width, height = int(reported["width"]), int(reported["height"])
    except (KeyError, TypeError, ValueError):
        return None
    return {"width": width, "height": height} if 200 <= width <= 10_000 and 200 <= height <= 10_000 else None


# -- the apps' side: the script, the events endpoint, the downloads ------------------------------------------

bp = Blueprint("capture", __name__, url_prefix="/_capture")
SCRIPT_VERSION = hashlib.sha256(CAPTURE_JS.encode("utf-8")).hexdigest()[:12]


def _store() -> RecordingStore:
    return RecordingStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"])


def active_recording() -> str | None:
    """The recording this request's browser has (a valid `mockrec` cookie), or None."""
    if "mockapps_recording" not in g:
        g.mockapps_recording = _store().recording_of(request.cookies.get(RECORDING_COOKIE))
    return g.mockapps_recording


@bp.get("/capture.js")
def script():
    """The capture script (cacheable: its URL carries its version)."""
    response = Response(CAPTURE_JS, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.post("/events")
def events():
    """One action reported by a page of a recording browser; the step before it is closed before we answer."""
    recording_id = active_recording()
    if recording_id is None:
        raise Forbidden("this browser has no active recording (sign in to the portal and start an assignment)",
                        code="no_recording")
    bases = _app_bases()
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") not in bases.values():
        raise Forbidden(f"events come from the apps' own pages, not from {origin[:100]}", code="foreign_origin")
    if request.content_length is None or request.content_length > MAX_UPLOAD_BYTES:
        raise RecordingError(f"an event is at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB and must say its length",
                             status=413, code="event_too_large")
    body = request.get_data(cache=False)
    report = _parse_report(body)
    if report["event"]["type"] != "upload" and len(body) > MAX_EVENT_BYTES:
        raise RecordingError(f"an event other than an upload is at most {MAX_EVENT_BYTES // 1024} KB", status=413,
                             code="event_too_large")
    _store().event(recording_id, g.world_id, report, bases)
    return Response(status=204)


def _parse_report(body: bytes) -> dict:
    """The envelope {tab, opener, referrer, viewport, event}, checked enough that the builder cannot fail on it."""
    try:
        report = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("an event must be a JSON object", code="malformed_event") from None
    if not isinstance(report, dict) or not isinstance(report.get("event"), dict):
        raise BadRequest("an event must be a JSON object with 'tab' and 'event'", code="malformed_event")
    tab, event = report.get("tab"), report["event"]
    if not isinstance(tab, str) or not TAB_ID.match(tab):
        raise BadRequest("'tab' must name the page's tab (mockrec-tab-...)", code="malformed_event")
    if event.get("type") not in EVENT_TYPES:
        raise BadRequest(f"unknown event type {str(event.get('type'))[:40]!r}", code="malformed_event")
    if not isinstance(event.get("args", {}), dict) or not isinstance(event.get("url", ""), str):
        raise BadRequest("an event's 'args' must be an object and its 'url' a string", code="malformed_event")
    event.setdefault("args", {})
    if event["type"] == "navigate" and not isinstance(event["args"].get("url"), str):
        raise BadRequest("a navigate event names its 'url'", code="malformed_event")
    if event.get("target") is not None:
        from pydantic import ValidationError

        from trajectories.model import Target

        try:
            Target.model_validate(event["target"])
        except (ValidationError, TypeError):
            raise BadRequest("an event's 'target' is not a target description", code="malformed_event") from None
    try:
        # the builder reads these: a report it cannot make a step of is refused here, not half-applied there
        if event["type"] == "fill" and not isinstance(event["args"].get("value"), str):
            raise ValueError
        if event["type"] == "upload":
            files = event["args"].get("files")
            if not isinstance(files, list) or not all(isinstance(f, dict) and isinstance(f.get("base64", ""), str)
                                                      for f in files):
                raise ValueError
            for f in files:
                base64.b64decode(f.get("base64", ""), validate=True)
        json.dumps(event["args"], allow_nan=False)  # what the step stores must be JSON again
    except (ValueError, TypeError, binascii.Error):
        raise BadRequest(f"a {event['type']} event's 'args' are malformed", code="malformed_event") from None
    return report


def _app_bases() -> dict[str, str]:
    """Each app's origin as this browser reaches it (what its pages' URLs start with)."""
    from mock_apps.core.shell import app_origin

    return {app: app_origin(app) for app in APP_NAMES}


def inject_capture(response: Response) -> Response:
    """After every request of an app: a recording browser's HTML pages get the capture script, and a file served
    as an attachment is kept with the recording."""
    if request.path.startswith(("/_capture/", "/_control/")) or "world_id" not in g:
        return response
    recording_id = active_recording()
    if recording_id is None:
        return response
    if response.direct_passthrough:
        return response  # a streamed file: neither a page nor a body we may read here
    if response.mimetype == "text/html" and response.status_code == 200:
        html = response.get_data(as_text=True)
        at = html.find("<head>")
        if at >= 0:
            tag = (f'<script src="/_capture/capture.js?v={SCRIPT_VERSION}" data-endpoint="/_capture/events">'
                   "</script>")
            response.set_data(html[:at + 6] + tag + html[at + 6:])
    disposition = response.headers.get("Content-Disposition", "")
    if request.method == "GET" and response.status_code == 200 and disposition.startswith("attachment"):
        try:
            _store().download(recording_id, g.world_id, _filename(disposition), response.get_data())
        except MockAppsError:
            pass  # a finished recording, or another world's: the download itself is not the recording's business
    return response


def _filename(disposition: str) -> str:
    """The file name a Content-Disposition header gives (RFC 6266: filename* first)."""
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if match:
        return unquote(match.group(1))
    match = re.search(r'filename="([^"]*)"', disposition)
    return match.group(1) if match else "download"


# -- the control API's side: start, read and finish recordings over HTTP (`mockapps record`) -------------------

control_bp = Blueprint("control_recordings", __name__, url_prefix="/_control/recordings")


@control_bp.before_request
def _authorize():
    from mock_apps.core.control import authorize

    authorize()  # the same token as the rest of the control API


def _control_body() -> dict:
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _described(recording: Recording) -> dict:
    return {"id": recording.id, "world": recording.world, "task": recording.task, "trainer": recording.trainer,
            "folder": str(recording.folder), "status": recording.status, "trajectory_id": recording.trajectory_id,
            "started": recording.started, "steps": recording.steps}


@control_bp.post("")
def start_recording():
    """Start a recording in an existing world into a new trajectory folder (on this server's machine); the
    answer carries the `mockrec` cookie the recording browser must send."""
    from mock_apps.core.world import check_world_id

    body = _control_body()
    world, folder = body.get("world"), body.get("folder")
    task, trainer = body.get("task"), body.get("trainer")
    start_pages = body.get("start_pages") or []
    if not isinstance(folder, str) or not folder:
        raise BadRequest("'folder' must name the trajectory directory to create")
    for name, value in (("task", task), ("trainer", trainer)):
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"'{name}' must be a string")
    if not isinstance(start_pages, list) or not all(isinstance(p, str) for p in start_pages):
        raise BadRequest("'start_pages' must be a list of app-relative URLs")
    if task is not None:
        from mock_apps.tasks import get_task

        task = get_task(task).id  # an unknown task is a NotFound naming the nearest one
    recording = _store().start(world_id=check_world_id(world), task_id=task, trainer=trainer, folder=Path(folder),
                               start_pages=start_pages)
    return {**_described(recording), "cookie": _store().cookie_value(recording.id)}, 201


@control_bp.get("/<recording_id>")
def get_recording(recording_id: str):
    """A recording's status, with the cookie to take it up again while it records."""
    recording = _store().get(recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id[:40]!r}", code="unknown_recording")
    return {**_described(recording), "cookie": _store().cookie_value(recording.id)}


@control_bp.post("/<recording_id>/finish")
def finish_recording(recording_id: str):
    """End a recording (complete or abandoned, with the trainer's answer); the trajectory's metadata."""
    body = _control_body()
    answer = body.get("answer")
    if answer is not None and not isinstance(answer, str):
        raise BadRequest("'answer' must be a string")
    meta = _store().finish(recording_id, status=body.get("status", "complete"), answer=answer)
    return json.loads(meta.model_dump_json())


def install(app) -> None:
    """Serve the capture endpoints on an app and put the script into a recording browser's pages."""
    app.register_blueprint(bp)
    app.register_blueprint(control_bp)
    app.after_request(inject_capture)


__all__ = ["RECORDING_COOKIE", "Recording", "RecordingStore", "RecordingError", "install"]
