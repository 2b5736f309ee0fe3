"""The portal's campaign pages: the admin's campaigns (create, progress, CSV), the reviewers' queue, and the
trainer's assignments with the task panel (Start, Submit, Give up) that records in the trainer's own browser."""

from __future__ import annotations

import secrets
import shutil
import sys
import threading

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for

from mock_apps.core.app import WORLD_COOKIE
from mock_apps.core.errors import MockAppsError, NotFound
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.campaigns import STARTABLE, CampaignStore, progress, progress_csv

bp = Blueprint("campaigns", __name__)


def _settings():
    return current_app.config["MOCKAPPS_SETTINGS"]


def _campaigns() -> CampaignStore:
    return CampaignStore.for_settings(_settings())


def _reviews():
    from mock_apps.portal.reviews import ReviewStore

    return ReviewStore.for_settings(_settings())


def _recordings():
    from mock_apps.core.recordings import RecordingStore

    return RecordingStore.for_settings(_settings())


def _library():
    from mock_apps.portal import _library

    return _library()


# -- campaigns (admin) ---------------------------------------------------------------------------------------


def _campaigns_page(error: str | None = None, form: dict | None = None, status: int = 200):
    from mock_apps.tasks import all_tasks

    return render_template("portal/campaigns.html", campaigns=_campaigns().campaigns(), tasks=all_tasks(),
                           trainers=AccountStore.for_settings(_settings()).list("trainer"), error=error,
                           form=form or {"tasks": [], "trainers": [], "needed": {}}), status


@bp.get("/campaigns")
def campaigns():
    """Every campaign, and the form that creates one."""
    return _campaigns_page()


@bp.post("/campaigns")
def create_campaign():
    """Create a campaign from the form (tasks ticked with their demonstrations needed, trainers ticked); bad input
    re-shows the form with the reason and creates nothing."""
    tasks = request.form.getlist("task")
    trainers = request.form.getlist("trainer")
    form = {"name": request.form.get("name", "").strip(), "tasks": tasks, "trainers": trainers,
            "needed": {t: request.form.get(f"needed-{t}", "1").strip() for t in tasks}}
    try:
        needed = {}
        for task_id, text in form["needed"].items():
            if not text.isdecimal():
                raise MockAppsError(f"demonstrations needed for {task_id} must be a whole number, not {text!r}",
                                    code="bad_needed")
            needed[task_id] = int(text)
        if not all(t.isdecimal() for t in trainers):
            raise MockAppsError("the trainers must be chosen from the list", code="bad_trainer")
        created = _campaigns().create(form["name"], needed, [int(t) for t in trainers], g.account.username)
    except MockAppsError as error:
        return _campaigns_page(error=error.message, form=form, status=400 if error.status == 404 else error.status)
    build_templates_soon(_settings(), created.needed)
    flash(f"Created campaign {created.name}: {len(created.needed)} task(s) for {len(set(trainers))} trainer(s).",
          "info")
    return redirect(url_for("campaigns.campaign", campaign_id=created.id))


def build_templates_soon(settings, task_ids) -> threading.Thread:
    """Build the campaign's scenarios now, in the background: on a fresh deployment a trainer's first Start would
    otherwise build them while they wait (30 s and more on a busy 2-core machine)."""
    from mock_apps.core.template import ensure_templates
    from mock_apps.tasks import get_task

    scenarios = sorted({get_task(task_id).scenario for task_id in task_ids})

    def build() -> None:
        for scenario in scenarios:
            try:
                ensure_templates(settings.templates_dir, scenario)
            except Exception as error:  # noqa: BLE001 - the first Start builds it again and says what is wrong
                print(f"portal: building scenario {scenario!r} for a campaign failed: {error}", file=sys.stderr)

    thread = threading.Thread(target=build, name="campaign-templates", daemon=True)
    thread.start()
    return thread


def _progress(campaign_id: int):
    campaign = _campaigns().get(campaign_id)
    assignments = _campaigns().assignments(campaign_id=campaign_id)
    verdicts = _reviews().verdicts()
    spans = {}
    for assignment in assignments:
        for attempt in assignment.attempts:
            entry = _library().get(attempt.trajectory_id)
            if entry is not None and entry.meta is not None and entry.meta.end is not None:
                spans[attempt.trajectory_id] = (entry.meta.end - entry.meta.start).total_seconds()
    tasks, trainers = progress(campaign, assignments, verdicts, spans)
    return campaign, assignments, verdicts, tasks, trainers


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    """A campaign's progress per task, time per trainer and every assignment with its state."""
    campaign, assignments, verdicts, tasks, trainers = _progress(campaign_id)
    return render_template("portal/campaign.html", campaign=campaign, assignments=assignments, verdicts=verdicts,
                           tasks=tasks, trainers=trainers)


@bp.get("/campaigns/<int:campaign_id>/progress.csv")
def campaign_csv(campaign_id: int):
    """The campaign's progress and time per trainer as CSV."""
    campaign, _, _, tasks, trainers = _progress(campaign_id)
    return Response(progress_csv(campaign, tasks, trainers), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="campaign-{campaign.id}-progress.csv"'})


# -- the review queue (reviewers) ------------------------------------------------------------------------------


@bp.get("/review")
def queue():
    """Campaign recordings awaiting a verdict (oldest first), then the ones reviewed, newest first."""
    verdicts = _reviews().verdicts()
    replays = current_app.extensions["mockapps.replays"].store
    waiting, reviewed = [], []
    for assignment in _campaigns().assignments():
        for attempt in assignment.attempts:
            if attempt.status != "complete":
                continue
            row = {"assignment": assignment, "attempt": attempt, "verdict": verdicts.get(attempt.trajectory_id),
                   "replay": replays.last(attempt.trajectory_id)}
            (reviewed if row["verdict"] else waiting).append(row)
    waiting.sort(key=lambda r: r["attempt"].finished)
    reviewed.sort(key=lambda r: r["attempt"].finished, reverse=True)
    return render_template("portal/queue.html", waiting=waiting, reviewed=reviewed)


# -- assignments (trainers) ------------------------------------------------------------------------------------


@bp.get("/assignments")
def my_assignments():
    """The signed-in trainer's assignments (everyone's for the single local user and for admins)."""
    account = g.account
    mine = None if account.local or account.can_review else account.id
    assignments = _campaigns().assignments(trainer_id=mine)
    return render_template("portal/assignments.html", assignments=assignments, verdicts=_reviews().verdicts(),
                           everyone=mine is None)


def _assignment(assignment_id: int, act: bool = False):
    """The assignment, if the request's account may see it (act: record it); someone else's is not found."""
    try:
        assignment = _campaigns().assignment(assignment_id)
    except NotFound:
        raise NotFound(f"no assignment {assignment_id} of yours", code="unknown_assignment") from None
    account = g.account
    own = account.local or assignment.trainer_id == account.id
    if not own and (act or not account.can_review):
        raise NotFound(f"no assignment {assignment_id} of yours", code="unknown_assignment")
    return assignment


def _world_name(trainer: str, task_id: str) -> str:
    """The trainer's own world for a task: named after both, with a random tail of 64 bits so nobody can guess it
    (the apps serve whichever world a browser's cookie names: the name is what keeps a world its trainer's)."""
    return f"{trainer}-{task_id}"[:46].rstrip("-_") + "-" + secrets.token_hex(8)


def _with_recording_cookies(response, world: str, recording_id: str):
    """Point this browser (every app on this host: cookies ignore ports) at the world and the recording."""
    from mock_apps.core.recordings import RECORDING_COOKIE

    secure = request.is_secure
    response.set_cookie(WORLD_COOKIE, world, path="/", samesite="Lax", secure=secure)
    response.set_cookie(RECORDING_COOKIE, _recordings().cookie_value(recording_id), path="/", samesite="Lax",
                        httponly=True, secure=secure)
    return response


def _without_recording_cookie(response):
    from mock_apps.core.recordings import RECORDING_COOKIE

    response.delete_cookie(RECORDING_COOKIE, path="/", samesite="Lax")
    return response


def _reconcile(assignment):
    """An attempt whose recording ended without the portal hearing of it (a portal killed in between) is closed
    the way its trajectory ended; the assignment read again."""
    latest = assignment.latest
    if assignment.stored_state != "recording" or latest is None:
        return assignment
    recording = _recordings().get(latest.recording_id)
    if recording is not None and recording.status == "recording":
        return assignment
    meta = _meta(latest)
    status = recording.status if recording is not None else "abandoned"
    _campaigns().end_attempt(latest.id, status, meta.outcome if meta else None, meta.score if meta else None,
                             meta.start if meta else None, meta.end if meta else None)
    return _campaigns().assignment(assignment.id)


def _meta(attempt):
    from trajectories.store import TrajectoryDir

    try:
        return TrajectoryDir(attempt.folder).load_meta()
    except MockAppsError:
        return None


def _panel(assignment, error: str | None = None, status: int = 200, answer: str = ""):
    from mock_apps.core.shell import app_url
    from mock_apps.tasks import get_task

    task = get_task(assignment.task_id)
    verdicts = _reviews().verdicts()
    state = assignment.state(verdicts)
    latest = assignment.latest
    account = g.account
    may_record = account.local or assignment.trainer_id == account.id
    pages = []
    for index, page in enumerate(task.start_pages):
        app, _, path = page.partition(":")
        pages.append({"url": app_url(app) + path, "app": app, "path": path or "/",
                      "window": f"mockapps-task-{assignment.id}-{index}"})
    review = _reviews().latest(latest.trajectory_id) if latest and latest.status == "complete" else None
    meta = _meta(latest) if latest and latest.status == "complete" else None
    replay = current_app.extensions["mockapps.replays"].store.last(latest.trajectory_id) \
        if latest and latest.status == "complete" else None
    return render_template("portal/assignment.html", assignment=assignment, task=task, state=state,
                           latest=latest, pages=pages, may_record=may_record, startable=state in STARTABLE,
                           review=review, meta=meta, replay=replay, error=error, answer=answer,
                           open_pages=request.args.get("open") == "1"), status


@bp.get("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    """The assignment: the task panel while recording (opening it again goes on with the same world and
    recording, so a closed tab loses nothing), else its result, verdict and the reviewer's reason."""
    found = _reconcile(_assignment(assignment_id))
    response = _panel(found)
    if found.stored_state == "recording" and (g.account.local or found.trainer_id == g.account.id):
        return _with_recording_cookies(current_app.make_response(response), found.latest.world,
                                       found.latest.recording_id)
    return response


@bp.post("/assignments/<int:assignment_id>/start")
def start(assignment_id: int):
    """A fresh world of the task's scenario for this trainer, a recording in it, the cookies that make this browser
    record, and the task panel (which opens the start pages)."""
    from mock_apps.tasks import get_task

    found = _reconcile(_assignment(assignment_id, act=True))
    state = found.state(_reviews().verdicts())
    here = url_for("campaigns.assignment", assignment_id=assignment_id)
    if state == "recording":
        return redirect(here)
    if state not in STARTABLE:
        flash(f"This assignment is {state}; there is nothing to record.", "error")
        return redirect(here)
    task = get_task(found.task_id)
    worlds = current_app.extensions["mockapps.worlds"]
    world = _world_name(found.trainer, task.id)
    worlds.reset(world, task.scenario)
    folder = _settings().trajectory_dirs[0] / world
    store = _recordings()
    recording = store.start(world_id=world, task_id=task.id, trainer=found.trainer, folder=folder,
                            start_pages=list(task.start_pages))
    try:
        _campaigns().begin_attempt(found.id, recording.id, recording.trajectory_id, recording.folder, world)
    except MockAppsError as error:
        # another Start of the same assignment won (a double click): this recording never began for anyone
        store.finish(recording.id, "abandoned")
        shutil.rmtree(recording.folder, ignore_errors=True)
        worlds.delete(world)
        flash(error.message, "error")
        return redirect(here)
    return _with_recording_cookies(redirect(here + "?open=1"), world, recording.id)


@bp.post("/assignments/<int:assignment_id>/submit")
def submit(assignment_id: int):
    """Finish the recording: the task's checks score it, the proof replay starts, the panel shows the score."""
    return _finish(assignment_id, "complete")


@bp.post("/assignments/<int:assignment_id>/give-up")
def give_up(assignment_id: int):
    """Finish the recording as abandoned (the trajectory is kept); the assignment can be started again."""
    return _finish(assignment_id, "abandoned")


def _finish(assignment_id: int, status: str):
    """End the assignment's recording (complete or abandoned) and clear this browser's recording cookie."""
    from mock_apps.tasks import get_task

    found = _reconcile(_assignment(assignment_id, act=True))
    here = url_for("campaigns.assignment", assignment_id=assignment_id)
    latest = found.latest
    if found.stored_state != "recording" or latest is None:
        flash("This assignment is not being recorded (submitted or given up already?).", "error")
        return _without_recording_cookie(redirect(here))
    answer = request.form.get("answer", "").strip() if status == "complete" else ""
    if status == "complete" and get_task(found.task_id).needs_answer and not answer:
        return _panel(found, error="this task asks for an answer: type it before you submit", status=400)
    from mock_apps.core.capture import AWAIT_SECONDS, reported_marks

    # the trainer's last actions may still be on their way from the app's tab: they are the recording's last steps
    _recordings().await_reports(latest.recording_id, reported_marks(request.cookies), AWAIT_SECONDS)
    meta = _recordings().finish(latest.recording_id, status, answer or None)
    _campaigns().end_attempt(latest.id, status, meta.outcome, meta.score, meta.start, meta.end)
    _library().refresh()  # the viewer and the queue see the new trajectory at once
    if status == "complete":
        current_app.extensions["mockapps.replays"].start(meta.id, latest.folder, observe=True)
        flash(f"Submitted: {meta.outcome or 'unchecked'}" + (f", score {meta.score:.2f}" if meta.score is not None
                                                             else "") + ". The proof replay runs now.", "info")
    else:
        flash("Given up: the recording is kept as abandoned. You can start the task again.", "info")
    return _without_recording_cookie(redirect(here))
