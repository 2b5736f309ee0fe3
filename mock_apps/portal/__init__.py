"""The portal (port 8000): links to the four apps and the worlds, with create, reset, delete and switch."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from mock_apps.core.app import WORLD_COOKIE, create_flask
from mock_apps.core.errors import MockAppsError, NotFound
from mock_apps.core.world import DEFAULT_WORLD, WORLD_ID, check_world_id

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_portal/static")
APP_DESCRIPTIONS = {
    "mail": "Gmail-like mailbox: threads, labels, search, attachments.",
    "chat": "Slack-like workspace: channels, DMs, threads, files.",
    "sheets": "Spreadsheets with Excel formulas, XLSX import and export.",
    "books": "QuickBooks-like bookkeeping: bills, invoices, banking, reports.",
}


def _registry():
    return current_app.extensions["mockapps.worlds"]


@bp.before_app_request
def _current_world():
    chosen = request.cookies.get(WORLD_COOKIE) or DEFAULT_WORLD
    g.world_id = chosen if WORLD_ID.match(chosen) else DEFAULT_WORLD


@bp.get("/")
def home():
    """The apps of the current world and every world with its actions."""
    from mock_apps.scenarios import scenario_names

    return render_template("portal/home.html", descriptions=APP_DESCRIPTIONS, worlds=_registry().list(),
                           scenarios=scenario_names())


@bp.post("/worlds")
def create_world():
    """Create (or reset) a world from the form, then switch to it."""
    world_id = request.form.get("world", "").strip()
    scenario = request.form.get("scenario") or None
    try:
        check_world_id(world_id)
        if _registry().exists(world_id):
            raise MockAppsError(f"world {world_id!r} already exists; use its Reset button", code="world_exists")
        _registry().reset(world_id, scenario)
    except MockAppsError as error:
        flash(error.message, "error")
        return redirect(url_for("portal.home"))
    flash(f"Created world {world_id}.", "info")
    return _switch_to(world_id)


@bp.post("/worlds/<world_id>/reset")
def reset_world(world_id: str):
    """Reset a world to its scenario."""
    _registry().reset(check_world_id(world_id))
    flash(f"Reset world {world_id}.", "info")
    return redirect(url_for("portal.home"))


@bp.post("/worlds/<world_id>/delete")
def delete_world(world_id: str):
    """Delete a world (the current world falls back to the default)."""
    _registry().delete(check_world_id(world_id))
    flash(f"Deleted world {world_id}.", "info")
    response = redirect(url_for("portal.home"))
    if g.world_id == world_id:
        response.delete_cookie(WORLD_COOKIE)
    return response


@bp.post("/worlds/<world_id>/use")
def use_world(world_id: str):
    """Make a world the current one for this browser (the cookie serves all apps on this host)."""
    _registry().require_existing(check_world_id(world_id))
    return _switch_to(world_id)


PAGE_SIZE = 50


def _library():
    from mock_apps.portal.library import TrajectoryLibrary

    found = current_app.extensions.get("mockapps.trajectories")
    if found is None:
        found = current_app.extensions["mockapps.trajectories"] = TrajectoryLibrary(
            current_app.config["MOCKAPPS_SETTINGS"].trajectory_dirs)
    return found


@bp.get("/tasks")
def tasks():
    """Every task with its instruction, apps, difficulty, recordings and how to record it."""
    from mock_apps.tasks import all_tasks

    recordings: dict[str, int] = {}
    for entry in _library().entries():
        if entry.meta and entry.meta.task and entry.meta.status == "complete":
            recordings[entry.meta.task] = recordings.get(entry.meta.task, 0) + 1
    return render_template("portal/tasks.html", tasks=all_tasks(), recordings=recordings,
                           base_port=current_app.config["MOCKAPPS_SETTINGS"].base_port)


@bp.post("/tasks/<task_id>/try")
def try_task(task_id: str):
    """A fresh world for the task, made current, with its first start page opened (nothing recorded)."""
    from mock_apps.core.shell import app_url
    from mock_apps.tasks import get_task

    task = get_task(task_id)
    registry = _registry()
    number = 1 + sum(1 for w in registry.list() if w["id"].startswith(f"try-{task.id}"[:50]))
    world_id = f"try-{task.id}"[:50] + f"-{number}"
    registry.reset(world_id, task.scenario)
    app, _, path = task.start_pages[0].partition(":")
    response = redirect(app_url(app) + path)
    response.set_cookie(WORLD_COOKIE, world_id, samesite="Lax")
    return response


@bp.get("/trajectories")
def trajectories():
    """Every trajectory under the configured folders: filters, sorting, pages, counts."""
    entries = _library().entries()
    filters = {k: request.args.get(k, "") for k in ("task", "trainer", "status", "outcome")}
    shown = [e for e in entries if all(not v or (e.meta and str(getattr(e.meta, k) or "") == v)
                                       for k, v in filters.items())]
    sort = request.args.get("sort", "start")
    if sort in ("task", "trainer", "status", "outcome"):
        shown.sort(key=lambda e: str(getattr(e.meta, sort) or "") if e.meta else "~")
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    options = {k: sorted({str(getattr(e.meta, k)) for e in entries if e.meta and getattr(e.meta, k)})
               for k in filters}
    return render_template("portal/trajectories.html", entries=shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE],
                           total=len(entries), matching=len(shown), page=page, pages=pages, filters=filters,
                           options=options, sort=sort)


@bp.get("/trajectories/<key>")
def viewer(key: str):
    """One trajectory as a timeline of steps with screenshots, actions in words and the changes they caused."""
    from mock_apps.portal.library import action_words, change_lines
    from trajectories.store import TrajectoryDir

    entry = _library().get(key)
    if entry is None:
        raise NotFound(f"no trajectory {key!r} under the configured folders", code="unknown_trajectory")
    steps, problem = [], entry.problem
    if entry.meta is not None:
        folder = TrajectoryDir(entry.path)
        try:
            steps = folder.load_steps(tolerate_torn_tail=True)
        except MockAppsError as error:
            problem = error.message
        missing = set(folder.missing_files(steps))
    else:
        missing = set()
    viewport = entry.meta.browser.viewport if entry.meta else {"width": 1400, "height": 900}
    return render_template("portal/viewer.html", entry=entry, problem=problem, viewport=viewport,
                           steps=[{"step": s, "words": action_words(s), "changes": change_lines(s),
                                   "shot_missing": s.observation.screenshot in missing} for s in steps])


@bp.get("/trajectories/<key>/files/<path:name>")
def trajectory_file(key: str, name: str):
    """A screenshot (or other file) of a trajectory."""
    from flask import send_from_directory

    entry = _library().get(key)
    if entry is None:
        raise NotFound(f"no trajectory {key!r}", code="unknown_trajectory")
    return send_from_directory(entry.path, name)


def _switch_to(world_id: str):
    response = redirect(url_for("portal.home"))
    response.set_cookie(WORLD_COOKIE, world_id, samesite="Lax", httponly=False)
    return response


def create_app(config: dict | None = None):
    """The portal's Flask app."""
    config = dict(config or {})
    app = create_flask("portal", __name__, config.pop("settings", None))
    app.config.update(config)
    app.secret_key = "mockapps-portal"  # flash messages only; nothing secret is kept in the session
    app.register_blueprint(bp)
    return app
