"""People's UI: the worker experience of Workday (home with the inbox, worker profiles and the org chart,
expense reports, time off, timesheets, pay, onboarding), acting as any worker through a switcher.

Form errors re-render the form with the message (status 400/403/409) and change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from sqlmodel import select

from mock_apps.core.request import db
from mock_apps.people import (absence, days, expenses, fields, inbox, onboarding, payroll, processes, timesheets,
                              workers)
from mock_apps.people.errors import PeopleError
from mock_apps.people.models import ExpenseLine, InboxTask, Worker

bp = Blueprint("people", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/people")

USER_COOKIE = "peopleuser"
FINANCE_CENTERS = ("CC-300 Finance", "CC-100 Executive")


def viewer() -> Worker:
    """Who the UI acts as: the switcher's choice, else the tenant's owner (the scenario's accountant)."""
    cached = g.get("_people_viewer")
    if cached is not None:
        return cached
    session = db()
    chosen = request.cookies.get(USER_COOKIE)
    found = workers.by_key(session, chosen) if chosen else None
    g._people_viewer = found or workers.get(session, workers.tenant(session).owner_id)
    return g._people_viewer


def sees_pay(actor: Worker, worker: Worker | None = None) -> bool:
    """Pay is shown to the worker, their managers, and finance and the executive team."""
    if actor.cost_center in FINANCE_CENTERS or (worker is not None and worker.id == actor.id):
        return True
    return worker is not None and actor.id in {m.id for m in workers.chain(db(), worker)}


def _page(template: str, status: int = 200, **context):
    session = db()
    me = viewer()
    html = render_template(f"people/{template}", me=me, switch_workers=workers.all_workers(session),
                           inbox_count=len(processes.inbox(session, me)), notice=request.args.get("notice"),
                           today=days.today(session), people=workers.names(session), **context)
    return html, status


def _done(endpoint: str, notice: str, **values) -> Response:
    return redirect(url_for(endpoint, **values) + "?notice=" + quote(notice[:200]))


def _error_status(error: PeopleError) -> int:
    return error.status if error.status in (400, 403, 404, 409) else 400


# ---- home, inbox, notifications ------------------------------------------------------------------------

@bp.route("/")
def home():
    """Home: the apps and the inbox of tasks awaiting me, with my notifications."""
    session = db()
    me = viewer()
    return _page("home.html", tasks=processes.inbox(session, me)[:8],
                 notifications=processes.notifications(session, me, limit=8))


@bp.route("/inbox")
def inbox_list():
    """My inbox: every open task."""
    return _page("inbox.html", tasks=processes.inbox(db(), viewer()))


def _subject(process):
    """What a process is about, for the task and process pages."""
    session = db()
    kind, ident = process.subject_kind, process.subject_id
    if kind == "expense_report":
        report = expenses.get(session, ident)
        report_lines = expenses.lines(session, ident)
        return {"report": report, "lines": report_lines, "flags": expenses.flags(session, report, report_lines),
                "items": {i.id: i for i in expenses.items(session)}}
    if kind == "time_off":
        req = absence.get(session, ident)
        worker = workers.get(session, req.worker_id)
        return {"time_off": req, "balances": absence.balances(session, worker)}
    if kind == "timesheet":
        sheet = timesheets.get(session, ident)
        return {"timesheet": sheet, "entries": timesheets.entries(session, sheet)}
    if kind == "onboarding":
        return {"steps": onboarding.steps(session, process.id)}
    return {}


@bp.route("/inbox/<task_id>")
def task(task_id: str, error: PeopleError | None = None, form: dict | None = None):
    """One task: the object it is about, its history, and the decision buttons."""
    session = db()
    found = session.get(InboxTask, task_id) if error is not None else processes.open_task(session, task_id)
    process = processes.get(session, found.process_id)
    return _page("task.html", status=_error_status(error) if error else 200, task=found, process=process,
                 history=processes.history(session, process.id), error=error, form=form or {},
                 **_subject(process))


@bp.route("/inbox/<task_id>", methods=["POST"])
def act(task_id: str):
    """Approve, send back or deny a task's step (or complete a to-do)."""
    action = request.form.get("action", "")
    try:
        done = inbox.act(db(), viewer(), task_id, action, request.form.get("comment", ""))
    except PeopleError as error:
        if error.status == 404:
            raise
        return task(task_id, error=error, form=request.form)
    verb = {"approve": "Approved" if done.kind == "approval" else "Completed", "send_back": "Sent back",
            "deny": "Denied"}[action]
    return _done("people.inbox_list", f"{verb}: {done.title}")


@bp.route("/processes/<process_id>")
def process_page(process_id: str):
    """A business process and its whole history."""
    session = db()
    process = processes.get(session, process_id)
    return _page("process.html", process=process, history=processes.history(session, process.id),
                 **_subject(process))


# ---- workers and organizations ---------------------------------------------------------------------------

@bp.route("/workers")
def worker_search():
    """Search for workers (GET, so the URL keeps the query)."""
    session = db()
    q = request.args.get("q", "").strip()[:100]
    found = workers.search(session, q) if q else workers.all_workers(session)
    return _page("workers.html", q=q, found=found)


@bp.route("/workers/<worker_id>")
def worker(worker_id: str):
    """A worker's profile: job, manager, cost center, location, hire date, pay, team and related actions."""
    session = db()
    found = workers.get(session, worker_id)
    me = viewer()
    show_pay = sees_pay(me, found)
    return _page("worker.html", worker=found, manager=workers.get(session, found.manager_id) if found.manager_id
                 else None, reports=workers.direct_reports(session, found.id), show_pay=show_pay,
                 balances=absence.balances(session, found) if show_pay else [],
                 slips=payroll.slips_of(session, found)[:3] if show_pay else [],
                 org=workers.organization(session, found.org_id), chain=workers.chain(session, found),
                 processes_of=processes.of_worker(session, found)[:10])


@bp.route("/org-chart")
def org_chart():
    """The supervisory organization chart."""
    session = db()
    return _page("org_chart.html", chart=workers.org_chart(session), orgs=workers.organizations(session))


# ---- expense reports ---------------------------------------------------------------------------------------

@bp.route("/expenses")
def expense_list(error: PeopleError | None = None):
    """My expense reports; finance also sees every report by status."""
    session = db()
    me = viewer()
    status = request.args.get("status", "")
    finance = me.id == workers.tenant(session).auditor_id or me.cost_center in FINANCE_CENTERS
    return _page("expenses.html", status=_error_status(error) if error else 200, error=error,
                 mine=expenses.reports(session, worker=me), finance=finance, filter_status=status,
                 everyone=expenses.reports(session, status=status or None) if finance else [])


@bp.route("/expenses", methods=["POST"])
def expense_create():
    """Create an expense report (a draft) and open it."""
    try:
        report = expenses.create(db(), viewer(), request.form.get("memo", ""))
    except PeopleError as error:
        return expense_list(error=error)
    return _done("people.expense_report", f"Created {report.id}", report_id=report.id)


@bp.route("/expenses/<report_id>")
def expense_report(report_id: str, error: PeopleError | None = None, form: dict | None = None):
    """An expense report: lines with receipts, audit flags, add a line, submit, its business process."""
    session = db()
    report = expenses.get(session, report_id)
    me = viewer()
    report_lines = expenses.lines(session, report.id)
    process = processes.for_subject(session, "expense_report", report.id)
    owner = workers.get(session, report.worker_id)
    return _page("expense_report.html", status=_error_status(error) if error else 200, report=report,
                 lines=report_lines, owner=owner, error=error, form=form or {},
                 editable=report.status in expenses.EDITABLE and owner.id == me.id,
                 flags=expenses.flags(session, report, report_lines), items=expenses.items(session),
                 item_names={i.id: i.name for i in expenses.items(session)}, process=process,
                 history=processes.history(session, process.id) if process else [],
                 can_pay=report.status == "Approved" and not report.card and me.id == workers.tenant(session).auditor_id,
                 open_task=next((t for t in processes.inbox(session, me) if process and t.process_id == process.id), None))


def _upload(name: str = "receipt") -> expenses.Upload | None:
    file = request.files.get(name)
    if file is None or not file.filename:
        return None
    return expenses.Upload(file.filename, file.mimetype or "", file.read())


@bp.route("/expenses/<report_id>/lines", methods=["POST"])
def expense_add_line(report_id: str):
    """Add a line (with its receipt) to my draft report."""
    try:
        expenses.add_line(db(), viewer(), report_id, request.form, _upload(), version=request.form.get("version"))
    except PeopleError as error:
        return expense_report(report_id, error=error, form=request.form)
    return _done("people.expense_report", "Line added", report_id=report_id)


@bp.route("/expenses/<report_id>/lines/<int:position>/receipt", methods=["POST"])
def expense_attach(report_id: str, position: int):
    """Attach a receipt to a line."""
    try:
        upload = _upload()
        if upload is None:
            raise PeopleError("Choose a receipt file to attach.", field="receipt")
        expenses.attach_receipt(db(), viewer(), report_id, position, upload, version=request.form.get("version"))
    except PeopleError as error:
        return expense_report(report_id, error=error)
    return _done("people.expense_report", f"Receipt attached to line {position}", report_id=report_id)


@bp.route("/expenses/<report_id>/lines/<int:position>/delete", methods=["POST"])
def expense_remove_line(report_id: str, position: int):
    """Remove a line from my draft report."""
    try:
        expenses.remove_line(db(), viewer(), report_id, position, version=request.form.get("version"))
    except PeopleError as error:
        return expense_report(report_id, error=error)
    return _done("people.expense_report", f"Line {position} removed", report_id=report_id)


@bp.route("/expenses/<report_id>/submit", methods=["POST"])
def expense_submit(report_id: str):
    """Submit my report for approval."""
    try:
        expenses.submit(db(), viewer(), report_id, version=request.form.get("version"),
                        comment=request.form.get("comment", ""))
    except PeopleError as error:
        return expense_report(report_id, error=error)
    return _done("people.expense_report", f"Submitted {report_id} for approval", report_id=report_id)


@bp.route("/expenses/<report_id>/pay", methods=["POST"])
def expense_pay(report_id: str):
    """Finance records the reimbursement of an approved report."""
    try:
        expenses.mark_paid(db(), viewer(), report_id)
    except PeopleError as error:
        return expense_report(report_id, error=error)
    return _done("people.expense_report", f"Recorded the reimbursement of {report_id}", report_id=report_id)


@bp.route("/receipts/<int:receipt_id>")
def receipt_file(receipt_id: int):
    """A receipt's bytes, shown inline (download with ?download=1)."""
    found = expenses.receipt(db(), receipt_id)
    response = Response(found.data, mimetype=found.content_type)
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(found.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/receipts/<int:receipt_id>/preview")
def receipt_preview(receipt_id: int):
    """A receipt in the page, with the line it belongs to written out for readers that cannot see a PDF."""
    session = db()
    found = expenses.receipt(session, receipt_id)
    line = session.exec(select(ExpenseLine).where(ExpenseLine.receipt_id == found.id)).first()
    return _page("receipt.html", receipt=found, line=line,
                 item_names={i.id: i.name for i in expenses.items(session)})


# ---- time off ---------------------------------------------------------------------------------------------

@bp.route("/time-off")
def time_off(error: PeopleError | None = None, form: dict | None = None):
    """My balances and requests, a request form, and my team's calendar."""
    session = db()
    me = viewer()
    team = workers.direct_reports(session, me.id)
    if me.manager_id:
        team = team + [w for w in workers.direct_reports(session, me.manager_id) if w.id != me.id]
    start = days.today(session)
    end = start + timedelta(days=41)
    return _page("time_off.html", status=_error_status(error) if error else 200, error=error, form=form or {},
                 balances=absence.balances(session, me), requests=absence.requests_of(session, me),
                 plans=absence.plans(session), calendar=absence.calendar(session, [me, *team], start, end),
                 window=(start, end), finance=me.cost_center in FINANCE_CENTERS)


@bp.route("/time-off", methods=["POST"])
def time_off_request():
    """Request time off."""
    try:
        found = absence.request(db(), viewer(), request.form)
    except PeopleError as error:
        return time_off(error=error, form=request.form)
    return _done("people.time_off", f"Requested {found.id}: {found.start:%b %-d}–{found.end:%b %-d}")


@bp.route("/time-off/liability")
def pto_liability():
    """Finance's report of the accrued PTO liability: each employee's balance at their hourly rate."""
    me = viewer()
    if me.cost_center not in FINANCE_CENTERS:
        raise PeopleError("The PTO liability report is shown to finance and the executive team.", status=403,
                          code="forbidden")
    rows = absence.pto_liability(db())
    return _page("pto_liability.html", rows=rows, total=sum(r.amount_cents for r in rows))


# ---- timesheets -------------------------------------------------------------------------------------------

@bp.route("/timesheets")
def timesheet_list(error: PeopleError | None = None):
    """My weekly timesheets (hourly workers); managers reach their team's through the inbox."""
    session = db()
    me = viewer()
    return _page("timesheets.html", status=_error_status(error) if error else 200, error=error,
                 sheets=timesheets.of_worker(session, me),
                 totals={s.id: timesheets.total(session, s) for s in timesheets.of_worker(session, me)},
                 this_week=days.week_start(days.today(session)))


@bp.route("/timesheets", methods=["POST"])
def timesheet_open():
    """Open (or start) my timesheet for a week."""
    try:
        sheet = timesheets.for_week(db(), viewer(), fields.day(request.form.get("week"), "week", "Week"))
    except PeopleError as error:
        return timesheet_list(error=error)
    return redirect(url_for("people.timesheet", timesheet_id=sheet.id))


@bp.route("/timesheets/<timesheet_id>")
def timesheet(timesheet_id: str, error: PeopleError | None = None, form: dict | None = None):
    """A week: hours per day, its total, submit."""
    session = db()
    sheet = timesheets.get(session, timesheet_id)
    process = processes.for_subject(session, "timesheet", sheet.id)
    return _page("timesheet.html", status=_error_status(error) if error else 200, error=error, form=form or {},
                 sheet=sheet, entries=timesheets.entries(session, sheet), total=timesheets.total(session, sheet),
                 owner=workers.get(session, sheet.worker_id),
                 editable=sheet.status in timesheets.EDITABLE and sheet.worker_id == viewer().id,
                 history=processes.history(session, process.id) if process else [])


@bp.route("/timesheets/<timesheet_id>", methods=["POST"])
def timesheet_save(timesheet_id: str):
    """Save the week's hours (and submit when asked)."""
    session = db()
    hours = {key[6:]: value for key, value in request.form.items() if key.startswith("hours-")}
    try:
        sheet = timesheets.enter(session, viewer(), timesheet_id, hours, version=request.form.get("version"))
        if request.form.get("submit"):
            timesheets.submit(session, viewer(), timesheet_id, version=sheet.version)
    except PeopleError as error:
        return timesheet(timesheet_id, error=error, form=request.form)
    return _done("people.timesheet", "Submitted for approval" if request.form.get("submit") else "Saved",
                 timesheet_id=timesheet_id)


# ---- pay ------------------------------------------------------------------------------------------------

@bp.route("/pay")
def pay():
    """My pay slips; finance and executives see every pay run."""
    session = db()
    me = viewer()
    runs = payroll.runs(session) if me.cost_center in FINANCE_CENTERS else []
    return _page("pay.html", slips=payroll.slips_of(session, me), runs=runs,
                 summaries={r.id: payroll.summary(payroll.slips(session, r)) for r in runs})


@bp.route("/pay/runs/<run_id>")
def pay_run(run_id: str):
    """A pay run: its summary, every worker's pay and the general-ledger distribution finance posts."""
    session = db()
    me = viewer()
    run = payroll.get(session, run_id)
    if me.cost_center not in FINANCE_CENTERS:
        raise PeopleError("Pay runs are shown to finance and the executive team.", status=403, code="forbidden")
    slips = payroll.slips(session, run)
    return _page("pay_run.html", run=run, slips=slips, summary=payroll.summary(slips),
                 gl=payroll.gl_distribution(run, slips))


# ---- onboarding -------------------------------------------------------------------------------------------

@bp.route("/onboarding")
def onboarding_list():
    """Every onboarding in progress or done."""
    session = db()
    found = onboarding.all_processes(session)
    return _page("onboarding_list.html", found=found,
                 steps={p.id: onboarding.steps(session, p.id) for p in found})


@bp.route("/onboarding/<process_id>")
def onboarding_page(process_id: str):
    """An onboarding: the new worker, its steps with who does each, documents and history."""
    session = db()
    process = onboarding.get(session, process_id)
    me = viewer()
    return _page("onboarding.html", process=process, worker=workers.get(session, process.worker_id),
                 steps=onboarding.steps(session, process.id), history=processes.history(session, process.id),
                 open_task=next((t for t in processes.inbox(session, me) if t.process_id == process.id), None))


# ---- acting as ----------------------------------------------------------------------------------------------

@bp.route("/switch-user", methods=["POST"])
def switch_user():
    """Act as another worker (a cookie), as a trainer playing the employee, the manager and finance."""
    key = request.form.get("user", "")
    if workers.by_key(db(), key) is None:
        raise PeopleError(f"There is no worker {key[:40]!r}.", status=404, code="not_found")
    target = request.form.get("next") or url_for("people.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("people.home")
    response = redirect(target.split("?notice=")[0])
    response.set_cookie(USER_COOKIE, key, samesite="Lax")
    return response


@bp.app_template_filter("hours")
def hours_filter(x100: int) -> str:
    """Hundredths of hours as "7.5"."""
    return fields.hours_label(x100 or 0)


@bp.app_template_filter("day")
def day_filter(d: date | None) -> str:
    """"Mar 31, 2026"."""
    return f"{d:%b %-d, %Y}" if d else ""


__all__ = ["bp", "viewer"]
