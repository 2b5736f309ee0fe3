"""The apps' side of recording: the capture script in a recording browser's pages, the events it reports, the
files served to it, and the control API that starts and ends recordings (mock_apps/core/recordings.py keeps them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from pathlib import Path
from urllib.parse import unquote

from flask import Blueprint, Response, current_app, g, has_request_context, request
from sqlalchemy import event as sql_event
from sqlalchemy.engine import Engine

from mock_apps.core.errors import BadRequest, Forbidden, MockAppsError, NotFound
from mock_apps.core.recordings import RECORDING_COOKIE, Recording, RecordingError, RecordingStore
from mock_apps.core.settings import APP_NAMES
from trajectories.capture import CAPTURE_JS

TAB_ID = re.compile(r"^mockrec-tab-[a-z0-9]{1,16}$")
DOC_ID = re.compile(r"^[a-z0-9]{1,16}$")
LOAD_TOKEN = re.compile(r"^[a-f0-9]{16}$")
CHANGE_INSERT = "INSERT INTO world.change "
MAX_EVENT_BYTES = 512 * 1024  # an action's report: a target description and a value typed
MAX_UPLOAD_BYTES = 48 * 1024 * 1024  # an upload's report carries the files (base64)
WAIT_COOKIE_PREFIX = "mockrecwait_"
MAX_MARKS = 16  # documents with a report on its way at one moment: a person has not more tabs in flight
# how long a request waits for the reports before it (a report lost for good must not hold a page up for long)
AWAIT_SECONDS = 3.0
ORDER_WAIT_SECONDS = 1.0  # how long a report waits for the one numbered before it
EVENT_TYPES = {"click", "fill", "press", "select", "check", "uncheck", "submit", "copy", "paste", "drag", "upload",
               "navigate", "leave"}

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
    store = _store()
    if "doc" in report:
        # a report overtook the one before it (a page leaving sends what it still had queued all at once): that
        # one goes first, if it comes at all
        store.await_reports(recording_id, {report["doc"]: report["n"] - 1}, ORDER_WAIT_SECONDS)
    try:
        store.event(recording_id, g.world_id, report, bases)
    except MockAppsError:
        if "doc" in report:  # refused for good: nothing need wait for it any longer
            store.refused(recording_id, report["doc"], report["n"])
        raise
    return Response(status=204)


def await_reported_actions():
    """Before an app answers a recording browser: the actions its pages reported just before this request (the
    `mockrecwait_<doc>` cookies, set while a report is on its way) are taken first, so that what this request
    changes falls on the step of the action that caused it."""
    if request.path.startswith(("/_capture/", "/_control/")) or request.endpoint == "static":
        return
    marks = reported_marks(request.cookies)
    if marks:
        recording_id = active_recording()
        if recording_id is not None:
            _store().await_reports(recording_id, marks, AWAIT_SECONDS)


def reported_marks(cookies) -> dict[str, int]:
    """The reports a browser's pages have on their way, by document: {doc: number} from its wait cookies."""
    marks = {}
    for name, value in cookies.items():
        if name.startswith(WAIT_COOKIE_PREFIX) and DOC_ID.match(name[len(WAIT_COOKIE_PREFIX):]) \
                and value.isdigit() and len(value) <= 9:
            marks[name[len(WAIT_COOKIE_PREFIX):]] = int(value)
    return dict(list(marks.items())[:MAX_MARKS])


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
    if "doc" in report or "n" in report:
        doc, number = report.get("doc"), report.get("n")
        if not isinstance(doc, str) or not DOC_ID.match(doc) or type(number) is not int or not 1 <= number < 10**9:
            raise BadRequest("'doc' names the page's document and 'n' numbers its reports from 1", code="malformed_event")
    if event.get("type") not in EVENT_TYPES:
        raise BadRequest(f"unknown event type {str(event.get('type'))[:40]!r}", code="malformed_event")
    if not isinstance(event.get("args", {}), dict) or not isinstance(event.get("url", ""), str):
        raise BadRequest("an event's 'args' must be an object and its 'url' a string", code="malformed_event")
    event.setdefault("args", {})
    if event["type"] == "navigate" and not isinstance(event["args"].get("url"), str):
        raise BadRequest("a navigate event names its 'url'", code="malformed_event")
    if event["type"] == "navigate" and event["args"].get("load") is not None \
            and not LOAD_TOKEN.match(str(event["args"]["load"])):
        raise BadRequest("a navigate event's 'load' is the token its page was served with", code="malformed_event")
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
            load = g.get("mockapps_page_load")
            held = f' data-load="{load}"' if load else ""
            tag = (f'<script src="/_capture/capture.js?v={SCRIPT_VERSION}" data-endpoint="/_capture/events"{held}>'
                   "</script>")
            response.set_data(html[:at + 6] + tag + html[at + 6:])
    disposition = response.headers.get("Content-Disposition", "")
    if request.method == "GET" and response.status_code == 200 and disposition.startswith("attachment"):
        try:
            _store().download(recording_id, g.world_id, _filename(disposition), response.get_data())
        except MockAppsError:
            pass  # a finished recording, or another world's: the download itself is not the recording's business
    return response


def _hold_page_load_change(_conn, cursor, statement, _parameters, _context, _executemany) -> None:
    """A change-log entry written while an app answers a recording browser's GET (a page whose visit changes the
    world): held for that page, before it is even committed, so that another tab reporting an action meanwhile
    does not take it; the page's navigate report names the token and takes it (StepBuilder.reserve)."""
    if not statement.startswith(CHANGE_INSERT) or not has_request_context() or request.method != "GET":
        return
    if request.path.startswith(("/_capture/", "/_control/")) or "world_id" not in g:
        return
    recording_id = None
    try:
        recording_id = active_recording()
        if recording_id is None:
            return
        token = g.get("mockapps_page_load") or secrets.token_hex(8)
        _store().page_load(recording_id, g.world_id, token, [cursor.lastrowid])
        g.mockapps_page_load = token
    except MockAppsError:
        pass  # a finished recording or another world's: the page is not the recording's business
    except Exception as error:  # noqa: BLE001 - inside the app's own write: recording must never break the page
        current_app.logger.warning("recording %s: could not hold a page's change: %s", recording_id, error)


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
    app.before_request(await_reported_actions)
    app.after_request(inject_capture)
    if not sql_event.contains(Engine, "after_cursor_execute", _hold_page_load_change):
        sql_event.listen(Engine, "after_cursor_execute", _hold_page_load_change)


__all__ = ["install", "active_recording", "reported_marks"]
