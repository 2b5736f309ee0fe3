"""The portal (port 8000): apps and worlds, tasks, trajectories (list, viewer, review, replay), statistics, and
(in account_views and campaign_views) people, campaigns, the review queue and the trainers' assignments."""

from __future__ import annotations

from operator import itemgetter

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from mock_apps.core.app import WORLD_COOKIE, create_flask
from mock_apps.core.errors import MockAppsError, NotFound
from mock_apps.core.world import DEFAULT_WORLD, WORLD_ID, check_world_id

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/_portal/static")


@bp.app_template_filter("duration")
def _duration(seconds):
    from mock_apps.portal.statistics import duration_words

    return duration_words(seconds)


@bp.app_template_filter("percent")
def _percent(rate):
    from mock_apps.portal.statistics import percent

    return percent(rate)


def _registry():
    return current_app.extensions["mockapps.worlds"]


@bp.before_app_request
def _current_world():
    chosen = request.cookies.get(WORLD_COOKIE) or DEFAULT_WORLD
    g.world_id = chosen if WORLD_ID.match(chosen) else DEFAULT_WORLD


@bp.get("/")
def home():
    """The apps of the current world and every world with its actions (an admin's page; trainers and reviewers
    are sent on to their assignments or the review queue)."""
    from mock_apps.scenarios import scenario_names

    from mock_apps.core.registry import app_specs
    from mock_apps.portal.account_views import home_for

    elsewhere = home_for(g.account)
    if elsewhere:
        return redirect(elsewhere)

    descriptions = {spec.name: spec.description for spec in app_specs()}
    return render_template("portal/home.html", descriptions=descriptions, worlds=_registry().list(),
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
    """Every task with its instruction, apps, difficulty, recordings (accepted ones apart) and how to record it."""
    return _tasks_page()


def _tasks_page(record_error: str | None = None, status: int = 200):
    from mock_apps.portal.recordings import has_display, local_record_problem
    from mock_apps.tasks import all_tasks

    settings = current_app.config["MOCKAPPS_SETTINGS"]
    verdicts = _reviews().verdicts()
    recordings: dict[str, int] = {}
    accepted: dict[str, int] = {}
    for entry in _library().entries():
        task = entry.values.get("task")
        if task and entry.values["status"] == "complete":
            recordings[task] = recordings.get(task, 0) + 1
            if verdicts.get(entry.meta.id) == "accepted":
                accepted[task] = accepted.get(task, 0) + 1
    return render_template("portal/tasks.html", tasks=all_tasks(), recordings=recordings, accepted=accepted,
                           base_port=settings.base_port, record_error=record_error,
                           cannot_record=local_record_problem(settings, request.remote_addr, request.headers),
                           headless=not has_display(), launched=_launcher().launched(),
                           recordings_folder=settings.trajectory_dirs[0]), status


def _launcher():
    from mock_apps.portal.recordings import RecordingLauncher

    found = current_app.extensions.get("mockapps.recorders")
    if found is None:
        found = current_app.extensions["mockapps.recorders"] = RecordingLauncher(
            current_app.config["MOCKAPPS_SETTINGS"])
    return found


@bp.post("/tasks/<task_id>/record")
def record_task(task_id: str):
    """Start the recorder for the task on this machine (only for a request from this machine to a portal only
    it can reach); the tasks page then says where the recording goes."""
    from mock_apps.portal.recordings import RecordRefused, local_record_problem

    problem = local_record_problem(current_app.config["MOCKAPPS_SETTINGS"], request.remote_addr, request.headers,
                                   request.host_url)
    if problem:
        raise RecordRefused(f"Cannot start a recorder from here: {problem}.")
    try:
        launched = _launcher().start(task_id, request.form.get("trainer", ""))
    except MockAppsError as error:
        return _tasks_page(record_error=error.message, status=error.status)
    flash(f"Recording {launched.task} into {launched.out}" + (" (headless: there is no display here)"
                                                               if launched.headless else "") + ".", "info")
    return redirect(url_for("portal.tasks") + "#recorders")


@bp.post("/recorders/<int:pid>/stop")
def stop_recorder(pid: int):
    """Finish a recorder this portal started, as Ctrl+C would (its trajectory is kept, marked abandoned)."""
    from mock_apps.portal.recordings import RecordRefused, local_record_problem

    problem = local_record_problem(current_app.config["MOCKAPPS_SETTINGS"], request.remote_addr, request.headers,
                                   request.host_url)
    if problem:
        raise RecordRefused(f"Cannot stop a recorder from here: {problem}.")
    launched = _launcher().stop(pid)
    flash(f"Asked the recorder of {launched.task} (process {pid}) to stop.", "info")
    return redirect(url_for("portal.tasks") + "#recorders")


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


FILTERS = ("task", "trainer", "status", "outcome", "review")
SORTS = ("start", "task", "trainer", "status", "outcome", "review")


def _reviews():
    from mock_apps.portal.reviews import ReviewStore

    return ReviewStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"])


def _replays():
    return current_app.extensions["mockapps.replays"]


def _review_state(entry, verdicts: dict[str, str]) -> str:
    return verdicts.get(entry.meta.id, "unreviewed") if entry.meta else ""


def selection(args) -> dict:
    """The trajectories a filter form selects (the trajectories page, and any action on "these trajectories"):
    every entry, the matching ones in order, the filters as understood, the verdicts and a message for a filter
    value that means nothing."""
    from mock_apps.portal.reviews import REVIEW_STATES

    entries = _library().entries()
    verdicts = _reviews().verdicts()
    filters = {k: args.get(k, "") for k in FILTERS}
    problem = None
    if filters["review"] and filters["review"] not in REVIEW_STATES:
        problem = f"unknown review state {filters['review']!r}; choose one of {', '.join(REVIEW_STATES)}"
        filters["review"] = ""

    def value(entry, name: str) -> str:
        if name == "review":
            return _review_state(entry, verdicts)
        return entry.values.get(name, "")

    # only the filters in use are tested, on values read once per file (10,000 trajectories stay fast)
    wanted = {k: v for k, v in filters.items() if v and k != "review"}
    if wanted:
        pick, expected = itemgetter(*wanted), itemgetter(*wanted)(wanted)
        before_review = [e for e in entries if e.meta and pick(e.values) == expected]
    else:
        before_review = entries
    # the review tabs count within the other filters, so "Accepted 3" means three of these
    shown = [e for e in before_review if e.meta and verdicts.get(e.meta.id, "unreviewed") == filters["review"]] \
        if filters["review"] else list(before_review)
    sort = args.get("sort", "start")
    if sort in SORTS[1:]:
        shown.sort(key=lambda e: value(e, sort) if e.meta else "~")
    else:
        sort = "start"
    return {"entries": entries, "before_review": before_review, "shown": shown, "filters": filters, "sort": sort,
            "verdicts": verdicts, "problem": problem}


@bp.get("/trajectories")
def trajectories():
    """Every trajectory under the configured folders: filters (review state too), sorting, pages, counts."""
    return _trajectories_page(request.args)


def _trajectories_page(args, export_error: str | None = None, export_form: dict | None = None, status: int = 200):
    from mock_apps.export import FORMATS
    from mock_apps.portal.reviews import REVIEW_STATES

    chosen = selection(args)
    entries, shown, filters, verdicts = chosen["entries"], chosen["shown"], chosen["filters"], chosen["verdicts"]
    try:
        page = max(1, int(args.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    options = {**_library().options(), "review": list(REVIEW_STATES)}
    review_counts = dict.fromkeys(REVIEW_STATES, 0)
    readable = [e.meta.id for e in chosen["before_review"] if e.meta]
    review_counts["unreviewed"] = len(readable)
    for trajectory_id in readable if verdicts else ():
        verdict = verdicts.get(trajectory_id)
        if verdict:
            review_counts[verdict] += 1
            review_counts["unreviewed"] -= 1
    return render_template("portal/trajectories.html", entries=shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE],
                           total=len(entries), matching=len(shown), page=page, pages=pages, filters=filters,
                           options=options, sort=chosen["sort"], sorts=SORTS, verdicts=verdicts,
                           review_counts=review_counts, problem=chosen["problem"],
                           active={k: v for k, v in filters.items() if v}, before_review=len(chosen["before_review"]),
                           without_review={k: v for k, v in filters.items() if v and k != "review"},
                           formats=FORMATS, export_error=export_error, export_form=export_form or {}), status


@bp.post("/trajectories/export")
def export_selection():
    """Export exactly the trajectories the posted filters select, as a download (one .jsonl file, or a .zip of a
    folder format); nothing to export or a bad format re-shows the page with the reason."""
    from flask import send_file

    from mock_apps.export import ExportError
    from mock_apps.portal.downloads import export_selection as export

    form = {"format": request.form.get("format", ""), "all": bool(request.form.get("all"))}
    chosen = selection(request.form)
    try:
        if chosen["problem"]:
            raise ExportError(f"nothing exported: {chosen['problem']}")
        download = export([e.path for e in chosen["shown"]], form["format"], form["all"],
                          current_app.config["MOCKAPPS_SETTINGS"])
    except ExportError as error:
        message = error.message
        if error.code == "nothing_to_export" and not form["all"]:
            # the export speaks of its command-line flag; here the same choice is the form's checkbox
            message = message.replace("use --all", "tick \u201cinclude every complete one\u201d")
        return _trajectories_page(request.form, export_error=message, export_form=form, status=400)
    handle = open(download.path, "rb")
    # the open handle keeps the bytes readable, so the folder goes now (POSIX), not when the client is done;
    # where an open file cannot be removed, it goes once the response is closed
    download.cleanup()
    response = send_file(handle, mimetype=download.mimetype, as_attachment=True, download_name=download.name,
                         max_age=0)
    response.headers["X-Mockapps-Export"] = download.summary()
    response.call_on_close(download.cleanup)
    return response


REVIEWER_COOKIE = "mockapps_reviewer"


def _load_steps(entry):
    """The entry's steps, the names of missing files, and why the steps could not be read (if so)."""
    from trajectories.store import TrajectoryDir

    if entry.meta is None:
        return [], set(), entry.problem
    folder = TrajectoryDir(entry.path)
    try:
        steps = folder.load_steps(tolerate_torn_tail=True)
    except MockAppsError as error:
        return [], set(), error.message
    return steps, set(folder.missing_files(steps)), None


def _viewer_page(entry, form_error: str | None = None, form: dict | None = None, status: int = 200):
    from mock_apps.portal.library import action_words, change_lines
    from mock_apps.portal.replays import replay_problem
    from mock_apps.portal.reviews import VERDICTS

    steps, missing, problem = _load_steps(entry)
    history = _reviews().history(entry.meta.id) if entry.meta else []
    step_reviews: dict[int, list] = {}
    for review in history:
        if review.step is not None:
            step_reviews.setdefault(review.step, []).append(review)
    latest = next((r for r in history if r.step is None), None)
    replay = _replays().store.last(entry.meta.id) if entry.meta else None
    replay_steps = replay.step_status() if replay else {}
    viewport = entry.meta.browser.viewport if entry.meta else {"width": 1400, "height": 900}
    step_field = (form or {}).get("step", "")
    # a step form's error shows in that step; an error about a step that does not exist, in the main form
    error_step = int(step_field) if step_field.isdecimal() and int(step_field) < len(steps) else None
    return render_template(
        "portal/viewer.html", entry=entry, problem=entry.problem or problem, viewport=viewport,
        steps=[{"step": s, "words": action_words(s), "changes": change_lines(s),
                "shot_missing": s.observation.screenshot in missing, "reviews": step_reviews.get(s.index, []),
                "replay": replay_steps.get(s.index)} for s in steps],
        history=history, latest=latest, verdicts=VERDICTS,
        reviewer=request.cookies.get(REVIEWER_COOKIE, "") if g.account.local else g.account.name,
        form_error=form_error, form=form or {}, error_step=error_step, replay=replay,
        cannot_replay=replay_problem(entry.meta, problem, len(steps))), status


def _entry_or_404(key: str):
    """The trajectory of a key, if the request's account may see it: a trainer sees only their own recordings
    (another's is not found, so keys cannot be probed)."""
    from mock_apps.portal.access import require_owner
    from mock_apps.portal.campaigns import CampaignStore

    entry = _library().get(key)
    if entry is None:
        raise NotFound(f"no trajectory {key!r} under the configured folders", code="unknown_trajectory")
    if not (g.account.local or g.account.can_review):
        owner = CampaignStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"]).owner_of(entry.meta.id) \
            if entry.meta else None
        require_owner(owner, f"trajectory {key!r}")
    return entry


@bp.get("/trajectories/<key>")
def viewer(key: str):
    """One trajectory as a timeline of steps with screenshots, actions in words and the changes they caused,
    beside its review (verdict, history, a form) and its last replay (with a button to replay now)."""
    return _viewer_page(_entry_or_404(key))


@bp.post("/trajectories/<key>/reviews")
def review(key: str):
    """Store a review of the trajectory or of one step; bad input re-shows the viewer with the error."""
    from mock_apps.portal.campaigns import CampaignStore

    form = {k: request.form.get(k, "").strip() for k in ("reviewer", "verdict", "comment", "step")}
    if not g.account.local:
        form["reviewer"] = g.account.name  # signed in: the review is the account's, whatever the form says
    entry = _library().get(key)
    if entry is None:
        raise NotFound(f"no trajectory {key!r} under the configured folders, so nothing to review",
                       code="unknown_trajectory")
    anchor = "review"
    try:
        if entry.meta is None:
            raise MockAppsError("this trajectory cannot be read, so it cannot be reviewed; fix or remove its folder")
        if (not form["step"] and form["verdict"] in ("rejected", "needs-fix") and not form["comment"]
                and CampaignStore.for_settings(current_app.config["MOCKAPPS_SETTINGS"])
                .is_campaign_trajectory(entry.meta.id)):
            raise MockAppsError("say why in the comment: the trainer sees it with the verdict", code="missing_reason")
        step = None
        if form["step"]:
            steps, _, problem = _load_steps(entry)
            if not form["step"].isdecimal() or int(form["step"]) >= len(steps):
                raise MockAppsError(f"there is no step {form['step']!r}: this trajectory has steps 0 to "
                                    f"{len(steps) - 1}" if steps else "this trajectory has no steps to comment on")
            step = int(form["step"])
            anchor = f"step-{step}"
        _reviews().review(entry.meta.id, form["verdict"] or None, form["reviewer"], form["comment"], step=step)
    except MockAppsError as error:
        return _viewer_page(entry, form_error=error.message, form=form, status=400)
    flash("Review saved." if step is None else f"Comment on step {step} saved.", "info")
    response = redirect(url_for("portal.viewer", key=key) + f"#{anchor}")
    if not g.account.local:
        return response
    response.set_cookie(REVIEWER_COOKIE, " ".join(form["reviewer"].split()), max_age=365 * 24 * 3600,
                        samesite="Lax")
    return response


@bp.post("/reviewer/forget")
def forget_reviewer():
    """Forget the remembered reviewer name (someone else reviews on this browser)."""
    back = request.form.get("back", "")
    response = redirect(back if back.startswith("/") and not back.startswith("//") else url_for("portal.home"))
    response.delete_cookie(REVIEWER_COOKIE)
    return response


@bp.post("/trajectories/<key>/replay")
def replay_now(key: str):
    """Replay the trajectory headless on a fresh world of this sandbox, in the background."""
    from mock_apps.portal.replays import replay_problem

    entry = _entry_or_404(key)
    steps, _, problem = _load_steps(entry)
    reason = replay_problem(entry.meta, problem, len(steps))
    if reason:
        flash(f"Cannot replay: {reason}.", "error")
    elif _replays().start(entry.meta.id, entry.path) is None:
        flash("A replay of this trajectory is already under way.", "info")
    return redirect(url_for("portal.viewer", key=key) + "#replay")


@bp.get("/trajectories/<key>/replay")
def replay_status(key: str):
    """The last replay of the trajectory as JSON (the viewer polls it while a replay runs)."""
    from flask import jsonify

    entry = _entry_or_404(key)
    last = _replays().store.last(entry.meta.id) if entry.meta else None
    return jsonify(last.to_dict() if last else {"state": None})


@bp.get("/statistics")
def statistics():
    """Per task and per trainer: recordings, acceptance rate, median duration, replay success, as tables and
    bars."""
    from mock_apps.portal.statistics import compute

    stats = compute([e.meta for e in _library().entries() if e.meta], _reviews().verdicts(),
                    _replays().store.last_finished())
    return render_template("portal/statistics.html", stats=stats)


@bp.get("/trajectories/<key>/files/<path:name>")
def trajectory_file(key: str, name: str):
    """A screenshot (or other file) of a trajectory."""
    from flask import send_from_directory

    return send_from_directory(_entry_or_404(key).path, name)


def _switch_to(world_id: str):
    response = redirect(url_for("portal.home"))
    response.set_cookie(WORLD_COOKIE, world_id, samesite="Lax", httponly=False)
    return response


def create_app(config: dict | None = None):
    """The portal's Flask app."""
    config = dict(config or {})
    app = create_flask("portal", __name__, config.pop("settings", None))
    app.config.update(config)
    from mock_apps.portal import access, account_views, campaign_views

    access.install(app)
    app.register_blueprint(bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(campaign_views.bp)
    from mock_apps.portal.replays import ReplayRunner, ReplayStore

    replays = ReplayStore.for_settings(app.config["MOCKAPPS_SETTINGS"])
    replays.interrupt_unfinished()  # a replay left running belonged to a portal that stopped
    app.extensions["mockapps.replays"] = ReplayRunner(replays, app.config["MOCKAPPS_SETTINGS"])
    return app
