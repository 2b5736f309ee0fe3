"""People's REST API in Workday's conventions: `/ccx/api/<service>/v<n>/<tenant>/...`, bearer auth,
collections as {"data", "total"} with limit (default 20, max 100) and offset, references
{"id", "descriptor", "href"}, errors as {"error", "errors": [{"error", "field"}]}.

Services: staffing (v6 and v7), absenceManagement v1, expense v1, timeTracking v1, payroll v1, the
business-process inbox (common v1) and business-process events (businessProcess v1)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from mock_apps.core.errors import MockAppsError
from mock_apps.core.request import db
from mock_apps.people import TOKEN_PREFIX, absence, expenses, fields, inbox, payroll, processes, timesheets, workers
from mock_apps.people.errors import PeopleError
from mock_apps.people.models import InboxTask, Worker
from mock_apps.people.openapi import openapi_document
from mock_apps.people.views import FINANCE_CENTERS
from mock_apps.people.wire import Shapes, api_path, expense_items, job_profile_id, ref

bp = Blueprint("people_api", __name__)
BASE = "/ccx/api"
STAFFING_VERSIONS = ("v6", "v7")
_TYPES = {"approval": "approve", "approve": "approve", "denial": "deny", "deny": "deny", "sendBack": "send_back",
          "send_back": "send_back"}


def error_response(error: MockAppsError):
    """A MockAppsError in Workday's error shape."""
    field = getattr(error, "field", None)
    item = {"error": error.message}
    if field:
        item["field"] = field
    return jsonify({"error": error.message, "errors": [item]}), error.status


@bp.route(f"{BASE}/openapi.json")
def openapi():
    """The OpenAPI document of this API."""
    return jsonify(openapi_document())


@bp.before_request
def _authenticate():
    if request.endpoint == "people_api.openapi":
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PeopleError("invalid request: a bearer token is required (Authorization: Bearer <token>).",
                          status=401, code="unauthorized")
    session = db()
    tenant = workers.tenant(session)
    if request.view_args and request.view_args.get("tenant") not in (None, tenant.id):
        raise PeopleError(f"There is no tenant {request.view_args['tenant'][:40]!r}; this tenant is {tenant.id!r}.",
                          status=404, code="not_found")
    token = token.strip()
    acting = workers.by_key(session, token[len(TOKEN_PREFIX):]) if token.startswith(TOKEN_PREFIX) else None
    if token.startswith(TOKEN_PREFIX) and acting is None:
        raise PeopleError("invalid request: the bearer token names no worker.", status=401, code="unauthorized")
    g.people_actor = acting or workers.get(session, tenant.owner_id)
    g.people_tenant = tenant.id


def _actor() -> Worker:
    return g.people_actor


def _shapes() -> Shapes:
    return Shapes(g.people_tenant, workers.names(db()))


def _page(items: list) -> tuple:
    """{"data", "total"} for the limit/offset window of `items` (already serialised lazily by the caller)."""
    limit = fields.count(request.args.get("limit"), "limit", "limit", minimum=1) if request.args.get("limit") else 20
    if limit > 100:
        raise PeopleError("limit must be at most 100.", field="limit")
    offset = fields.count(request.args.get("offset"), "offset", "offset", minimum=0)
    return items[offset:offset + limit], len(items)


def _collection(items: list, serialise) -> dict:
    window, total = _page(items)
    return jsonify({"data": [serialise(i) for i in window], "total": total})


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise PeopleError("The request body must be a JSON object.", field="body")
    return data


def _optional_body() -> dict:
    """The JSON object an action may send ({} without one); JSON that is not an object is refused."""
    data = request.get_json(silent=True)
    return {} if data is None else _body()


def _worker_param(worker_id: str) -> Worker:
    return _actor() if worker_id == "me" else workers.get(db(), worker_id)


def _sees_pay(worker: Worker) -> bool:
    actor = _actor()
    return (actor.cost_center in FINANCE_CENTERS or actor.id == worker.id
            or actor.id in {m.id for m in workers.chain(db(), worker)})


# ---- staffing -----------------------------------------------------------------------------------------------

def _staffing(rule: str, endpoint: str, view, methods=("GET",)):
    for version in STAFFING_VERSIONS:
        bp.add_url_rule(f"{BASE}/staffing/{version}/<tenant>/{rule}", f"{endpoint}_{version}", view, methods=methods)


def list_workers(tenant: str):
    """Workers, optionally matching `search`."""
    session = db()
    q = (request.args.get("search") or "").strip()[:100]
    found = workers.search(session, q) if q else workers.all_workers(session)
    shapes = _shapes()
    return _collection(found, lambda w: shapes.worker(w, _sees_pay(w)))


def get_worker(tenant: str, worker_id: str):
    """One worker (`me` is the caller)."""
    found = _worker_param(worker_id)
    return jsonify(_shapes().worker(found, _sees_pay(found)))


def worker_direct_reports(tenant: str, worker_id: str):
    """A worker's direct reports."""
    found = _worker_param(worker_id)
    shapes = _shapes()
    return _collection(workers.direct_reports(db(), found.id), lambda w: shapes.worker(w, _sees_pay(w)))


def list_orgs(tenant: str):
    """Supervisory organizations."""
    shapes = _shapes()
    return _collection(workers.organizations(db()), lambda o: _org(shapes, o))


def _org(shapes: Shapes, o) -> dict:
    return {**ref(o.id, o.name, api_path("staffing", "v7", shapes.tenant, f"supervisoryOrganizations/{o.id}")),
            "name": o.name, "manager": shapes.worker_ref(o.manager_id),
            "superiorOrganization": {"id": o.superior_id} if o.superior_id else None}


def get_org(tenant: str, org_id: str):
    """One supervisory organization."""
    return jsonify(_org(_shapes(), workers.organization(db(), org_id)))


def org_workers(tenant: str, org_id: str):
    """The members of a supervisory organization."""
    session = db()
    org = workers.organization(session, org_id)
    shapes = _shapes()
    members = [w for w in workers.all_workers(session) if w.org_id == org.id]
    return _collection(members, lambda w: shapes.worker(w, _sees_pay(w)))


def _profiles() -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for w in workers.all_workers(db()):
        title, n = found.get(job_profile_id(w.title), (w.title, 0))
        found[job_profile_id(w.title)] = (title, n + 1)
    return dict(sorted(found.items()))


def list_job_profiles(tenant: str):
    """Job profiles (one per business title in use)."""
    return _collection(list(_profiles().items()), lambda p: {"id": p[0], "descriptor": p[1][0], "name": p[1][0],
                                                              "workers": p[1][1]})


def get_job_profile(tenant: str, profile_id: str):
    """One job profile."""
    found = _profiles().get(profile_id)
    if found is None:
        raise PeopleError(f"There is no job profile with id {profile_id[:60]!r}.", status=404, code="not_found")
    return jsonify({"id": profile_id, "descriptor": found[0], "name": found[0], "workers": found[1]})


_staffing("workers", "workers", list_workers)
_staffing("workers/<worker_id>", "worker", get_worker)
_staffing("workers/<worker_id>/directReports", "direct_reports", worker_direct_reports)
_staffing("supervisoryOrganizations", "orgs", list_orgs)
_staffing("supervisoryOrganizations/<org_id>", "org", get_org)
_staffing("supervisoryOrganizations/<org_id>/workers", "org_workers", org_workers)
_staffing("jobProfiles", "job_profiles", list_job_profiles)
_staffing("jobProfiles/<profile_id>", "job_profile", get_job_profile)


# ---- absence management -------------------------------------------------------------------------------------

@bp.route(f"{BASE}/absenceManagement/v1/<tenant>/balances")
def balances(tenant: str):
    """Time-off balances of a worker (`worker`, default me)."""
    worker = _worker_param(request.args.get("worker") or "me")
    shapes = _shapes()
    return _collection(absence.balances(db(), worker), lambda b: shapes.balance(worker, b))


@bp.route(f"{BASE}/absenceManagement/v1/<tenant>/workers/<worker_id>/eligibleAbsenceTypes")
def eligible_absence_types(tenant: str, worker_id: str):
    """The time-off types a worker can request."""
    _worker_param(worker_id)
    return _collection(absence.plans(db()), lambda p: {"id": p.id, "descriptor": p.name, "unitOfTime": "Hours"})


@bp.route(f"{BASE}/absenceManagement/v1/<tenant>/workers/<worker_id>/timeOffDetails")
def time_off_details(tenant: str, worker_id: str):
    """A worker's time-off requests."""
    worker = _worker_param(worker_id)
    shapes = _shapes()
    return _collection(absence.requests_of(db(), worker), shapes.time_off)


@bp.route(f"{BASE}/absenceManagement/v1/<tenant>/workers/<worker_id>/requestTimeOff", methods=["POST"])
def request_time_off(tenant: str, worker_id: str):
    """Request time off for the caller: {"timeOffType": {"id"}, "start", "end", "hours"?, "comment"?}."""
    worker = _worker_param(worker_id)
    if worker.id != _actor().id:
        raise PeopleError("You can only request time off for yourself.", status=403, code="forbidden")
    body = _body()
    kind = body.get("timeOffType")
    data = {**body, "timeOffType": kind.get("id") if isinstance(kind, dict) else kind}
    found = absence.request(db(), worker, data)
    return jsonify(_shapes().time_off(found)), 201


# ---- expense ------------------------------------------------------------------------------------------------

@bp.route(f"{BASE}/expense/v1/<tenant>/expenseItems")
def list_expense_items(tenant: str):
    """The expense items of the policy."""
    found = expense_items(expenses.items(db()))
    window, total = _page(found)
    return jsonify({"data": window, "total": total})


@bp.route(f"{BASE}/expense/v1/<tenant>/reports")
def list_reports(tenant: str):
    """Expense reports: the caller's, or (finance) anyone's with `worker`, filtered by `status`."""
    session = db()
    actor = _actor()
    who = request.args.get("worker")
    finance = actor.cost_center in FINANCE_CENTERS
    worker = _worker_param(who) if who else (None if finance else actor)
    if worker is not None and worker.id != actor.id and not finance:
        raise PeopleError("Only finance can list another worker's expense reports.", status=403, code="forbidden")
    shapes = _shapes()
    found = expenses.reports(session, worker=worker, status=request.args.get("status") or None)
    return _collection(found, shapes.report)


@bp.route(f"{BASE}/expense/v1/<tenant>/reports/<report_id>")
def get_report(tenant: str, report_id: str):
    """One expense report with its lines and audit flags."""
    session = db()
    report = expenses.get(session, report_id)
    found = expenses.lines(session, report.id)
    return jsonify(_shapes().report(report, found, expenses.flags(session, report, found),
                                    processes.for_subject(session, "expense_report", report.id)))


@bp.route(f"{BASE}/expense/v1/<tenant>/reports/<report_id>/lines")
def report_lines(tenant: str, report_id: str):
    """A report's lines."""
    session = db()
    report = expenses.get(session, report_id)
    shapes = _shapes()
    return _collection(expenses.lines(session, report.id), lambda line: shapes.line(report, line))


@bp.route(f"{BASE}/expense/v1/<tenant>/reports", methods=["POST"])
def create_report(tenant: str):
    """Create a draft report for the caller: {"memo", "lines": [{"date", "merchant", "expenseItem": {"id"},
    "amount", "attendees"?, "memo"?}]}."""
    body = _body()
    lines = body.get("lines") or []
    if not isinstance(lines, list):
        raise PeopleError("lines must be a list.", field="lines")
    session = db()
    report = expenses.create(session, _actor(), body.get("memo"), [_line_input(x) for x in lines])
    return jsonify(_shapes().report(report, expenses.lines(session, report.id), [])), 201


def _line_input(data) -> dict:
    if not isinstance(data, dict):
        return data
    item = data.get("expenseItem")
    amount = data.get("amount")
    return {**data, "item": item.get("id") if isinstance(item, dict) else (item or data.get("item")),
            "amount": amount.get("value") if isinstance(amount, dict) else amount}


@bp.route(f"{BASE}/expense/v1/<tenant>/reports/<report_id>/lines", methods=["POST"])
def add_report_line(tenant: str, report_id: str):
    """Add a line to a draft report (send "version" to refuse a stale edit)."""
    body = _body()
    session = db()
    line = expenses.add_line(session, _actor(), report_id, _line_input(body), version=body.get("version"))
    return jsonify(_shapes().line(expenses.get(session, report_id), line)), 201


@bp.route(f"{BASE}/expense/v1/<tenant>/reports/<report_id>/lines/<int:line>/attachments", methods=["POST"])
def attach_receipt(tenant: str, report_id: str, line: int):
    """Attach a receipt to a line of a draft report (multipart part `file`: PDF, PNG, JPEG or GIF)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        raise PeopleError("Send the receipt as the multipart part 'file'.", field="file")
    session = db()
    found = expenses.attach_receipt(session, _actor(), report_id, line,
                                    expenses.Upload(file.filename, file.mimetype or "", file.read()),
                                    version=request.form.get("version"))
    return jsonify(_shapes().line(expenses.get(session, report_id), found)), 201


@bp.route(f"{BASE}/expense/v1/<tenant>/reports/<report_id>/submit", methods=["POST"])
def submit_report(tenant: str, report_id: str):
    """Submit a draft report for approval."""
    body = _optional_body()
    session = db()
    report = expenses.submit(session, _actor(), report_id, version=body.get("version"), comment=body.get("comment", ""))
    return jsonify(_shapes().report(report, None, None, processes.for_subject(session, "expense_report", report.id)))


# ---- time tracking ------------------------------------------------------------------------------------------

@bp.route(f"{BASE}/timeTracking/v1/<tenant>/timesheets")
def list_timesheets(tenant: str):
    """A worker's timesheets (`worker`, default me)."""
    session = db()
    worker = _worker_param(request.args.get("worker") or "me")
    shapes = _shapes()
    return _collection(timesheets.of_worker(session, worker), lambda t: shapes.timesheet(session, t))


@bp.route(f"{BASE}/timeTracking/v1/<tenant>/timesheets/<timesheet_id>")
def get_timesheet(tenant: str, timesheet_id: str):
    """One timesheet with its time entries."""
    session = db()
    return jsonify(_shapes().timesheet(session, timesheets.get(session, timesheet_id)))


@bp.route(f"{BASE}/timeTracking/v1/<tenant>/timeEntries")
def list_time_entries(tenant: str):
    """The caller's (or `worker`'s) time entries with hours, optionally from `fromDate` to `toDate`."""
    session = db()
    worker = _worker_param(request.args.get("worker") or "me")
    start = fields.day(request.args["fromDate"], "fromDate", "fromDate") if request.args.get("fromDate") else None
    end = fields.day(request.args["toDate"], "toDate", "toDate") if request.args.get("toDate") else None
    found = [{"date": d.isoformat(), "hours": f"{h / 100:.2f}", "timesheet": {"id": t.id}, "status": t.status}
             for t in reversed(timesheets.of_worker(session, worker)) for d, h in timesheets.entries(session, t)
             if h and (start is None or d >= start) and (end is None or d <= end)]
    window, total = _page(found)
    return jsonify({"data": window, "total": total})


@bp.route(f"{BASE}/timeTracking/v1/<tenant>/workers/<worker_id>/timesheets", methods=["POST"])
def open_timesheet(tenant: str, worker_id: str):
    """The caller's timesheet for a week ({"week": date}), started when there is none."""
    worker = _worker_param(worker_id)
    if worker.id != _actor().id:
        raise PeopleError("You can only enter your own time.", status=403, code="forbidden")
    session = db()
    sheet = timesheets.for_week(session, worker, fields.day(_body().get("week"), "week", "week"))
    return jsonify(_shapes().timesheet(session, sheet)), 201


@bp.route(f"{BASE}/timeTracking/v1/<tenant>/timesheets/<timesheet_id>/timeEntries", methods=["POST"])
def enter_time(tenant: str, timesheet_id: str):
    """Set hours on days of a draft week: {"timeEntries": [{"date", "hours"}], "version"?}."""
    body = _body()
    entries = body.get("timeEntries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise PeopleError("timeEntries must be a list of {date, hours}.", field="timeEntries")
    session = db()
    sheet = timesheets.enter(session, _actor(), timesheet_id, {str(e.get("date")): e.get("hours") for e in entries},
                             version=body.get("version"))
    return jsonify(_shapes().timesheet(session, sheet))


@bp.route(f"{BASE}/timeTracking/v1/<tenant>/timesheets/<timesheet_id>/submit", methods=["POST"])
def submit_timesheet(tenant: str, timesheet_id: str):
    """Submit a week to the manager."""
    body = _optional_body()
    session = db()
    sheet = timesheets.submit(session, _actor(), timesheet_id, version=body.get("version"))
    return jsonify(_shapes().timesheet(session, sheet))


# ---- payroll ------------------------------------------------------------------------------------------------

def _require_payroll():
    if _actor().cost_center not in FINANCE_CENTERS:
        raise PeopleError("Pay runs are visible to finance and the executive team.", status=403, code="forbidden")


@bp.route(f"{BASE}/payroll/v1/<tenant>/payGroups")
def pay_groups(tenant: str):
    """The pay groups."""
    runs = payroll.runs(db())
    data = [{"id": "SEMI-MONTHLY", "descriptor": "Semi-Monthly", "frequency": "Semi-Monthly",
             "lastPaymentDate": runs[0].pay_date.isoformat() if runs else None}]
    return jsonify({"data": data, "total": 1})


@bp.route(f"{BASE}/payroll/v1/<tenant>/payRuns")
def pay_runs(tenant: str):
    """Pay runs, latest first (finance)."""
    _require_payroll()
    shapes = _shapes()
    return _collection(payroll.runs(db()), shapes.pay_run)


@bp.route(f"{BASE}/payroll/v1/<tenant>/payRuns/<run_id>")
def pay_run(tenant: str, run_id: str):
    """A pay run with its summary, GL distribution and pay slips (finance)."""
    _require_payroll()
    session = db()
    run = payroll.get(session, run_id)
    return jsonify(_shapes().pay_run(run, payroll.slips(session, run)))


@bp.route(f"{BASE}/payroll/v1/<tenant>/workers/<worker_id>/paySlips")
def pay_slips(tenant: str, worker_id: str):
    """A worker's pay slips (the worker, their managers, finance)."""
    worker = _worker_param(worker_id)
    if not _sees_pay(worker):
        raise PeopleError(f"You cannot see {worker.name}'s pay.", status=403, code="forbidden")
    shapes = _shapes()
    return _collection(payroll.slips_of(db(), worker), lambda pair: shapes.slip(*pair))


# ---- the business-process inbox -------------------------------------------------------------------------------

@bp.route(f"{BASE}/common/v1/<tenant>/workers/<worker_id>/inboxTasks")
def inbox_tasks(tenant: str, worker_id: str):
    """A worker's open inbox tasks (only the caller's own)."""
    worker = _worker_param(worker_id)
    if worker.id != _actor().id:
        raise PeopleError("You can only read your own inbox.", status=403, code="forbidden")
    session = db()
    shapes = _shapes()
    return _collection(processes.inbox(session, worker), lambda t: shapes.task(t, processes.get(session, t.process_id)))


@bp.route(f"{BASE}/common/v1/<tenant>/inboxTasks/<task_id>")
def inbox_task(tenant: str, task_id: str):
    """One inbox task."""
    session = db()
    found = session.get(InboxTask, task_id)
    if found is None:
        raise PeopleError(f"There is no inbox task with id {task_id[:60]!r}.", status=404, code="not_found")
    return jsonify(_shapes().task(found, processes.get(session, found.process_id)))


@bp.route(f"{BASE}/common/v1/<tenant>/inboxTasks/<task_id>", methods=["PUT", "POST"])
def act_on_task(tenant: str, task_id: str):
    """Act on a task: `type` approval | denial | sendBack (query or body), with {"comment"} (required to deny
    or send back)."""
    body = _optional_body()
    kind = request.args.get("type") or body.get("type") or ""
    if kind not in _TYPES:
        raise PeopleError(f"type must be approval, denial or sendBack; not {str(kind)[:30]!r}.", field="type")
    session = db()
    found = inbox.act(session, _actor(), task_id, _TYPES[kind], body.get("comment", ""))
    return jsonify(_shapes().task(found, processes.get(session, found.process_id)))


@bp.route(f"{BASE}/businessProcess/v1/<tenant>/events/<process_id>")
def business_process(tenant: str, process_id: str):
    """A business process with its status and history."""
    session = db()
    found = processes.get(session, process_id)
    return jsonify(_shapes().process(found, processes.history(session, found.id)))


__all__ = ["bp", "error_response"]
