"""The OpenAPI 3 document of People's REST API (Workday conventions)."""

from __future__ import annotations

_TENANT = {"name": "tenant", "in": "path", "required": True, "schema": {"type": "string", "default": "meridian"},
           "description": "the Workday tenant (the company's slug)"}
_PAGE = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
         {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}]


def _path_params(path: str) -> list[dict]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{") and part != "{tenant}"]
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "string"},
             "description": "a worker id, or `me` for the caller" if n == "worker_id" else f"the {n.replace('_', ' ')}"}
            for n in names]


def _op(op_id: str, summary: str, path: str, *, query: list | None = None, body: dict | None = None,
        collection: bool = False, status: str = "200") -> dict:
    params = [_TENANT, *_path_params(path), *(query or []), *(_PAGE if collection else [])]
    operation: dict = {"operationId": op_id, "summary": summary, "parameters": params,
                       "responses": {status: {"description": "OK", "content": {"application/json": {"schema": {
                           "$ref": "#/components/schemas/Collection"} if collection else {"type": "object"}}}},
                                     "default": {"description": "Workday error", "content": {"application/json": {
                                         "schema": {"$ref": "#/components/schemas/Error"}}}}}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


def _q(name: str, description: str, type_: str = "string") -> dict:
    return {"name": name, "in": "query", "schema": {"type": type_}, "description": description}


_LINE = {"type": "object", "required": ["date", "merchant", "expenseItem", "amount"], "properties": {
    "date": {"type": "string", "format": "date"}, "merchant": {"type": "string"},
    "expenseItem": {"type": "object", "properties": {"id": {"type": "string"}}, "description": "an expense item id (expenseItems)"},
    "amount": {"type": "string", "description": "decimal dollars, e.g. \"129.99\""},
    "attendees": {"type": "integer"}, "memo": {"type": "string"}, "version": {"type": "integer"}}}


def openapi_document() -> dict:
    """Paths, parameters and schemas of every implemented People method."""
    api = "/ccx/api"
    ops: list[tuple[str, str, dict]] = []

    def add(method: str, path: str, operation: dict):
        ops.append((method, api + path, operation))

    for version in ("v7", "v6"):
        s = f"/staffing/{version}/{{tenant}}"
        tag = "" if version == "v7" else "_v6"
        add("get", f"{s}/workers", _op(f"staffing.workers.list{tag}", f"List workers ({version})", f"{s}/workers",
                                       query=[_q("search", "words matched against name, title, email, id")],
                                       collection=True))
        add("get", f"{s}/workers/{{worker_id}}", _op(f"staffing.workers.get{tag}", f"Get a worker ({version})",
                                                     f"{s}/workers/{{worker_id}}"))
        add("get", f"{s}/workers/{{worker_id}}/directReports", _op(
            f"staffing.workers.directReports{tag}", f"A worker's direct reports ({version})",
            f"{s}/workers/{{worker_id}}/directReports", collection=True))
        add("get", f"{s}/supervisoryOrganizations", _op(f"staffing.supervisoryOrganizations.list{tag}",
                                                        f"List supervisory organizations ({version})",
                                                        f"{s}/supervisoryOrganizations", collection=True))
        add("get", f"{s}/supervisoryOrganizations/{{org_id}}", _op(
            f"staffing.supervisoryOrganizations.get{tag}", f"Get a supervisory organization ({version})",
            f"{s}/supervisoryOrganizations/{{org_id}}"))
        add("get", f"{s}/supervisoryOrganizations/{{org_id}}/workers", _op(
            f"staffing.supervisoryOrganizations.workers{tag}", f"Members of an organization ({version})",
            f"{s}/supervisoryOrganizations/{{org_id}}/workers", collection=True))
        add("get", f"{s}/jobProfiles", _op(f"staffing.jobProfiles.list{tag}", f"List job profiles ({version})",
                                           f"{s}/jobProfiles", collection=True))
        add("get", f"{s}/jobProfiles/{{profile_id}}", _op(f"staffing.jobProfiles.get{tag}",
                                                          f"Get a job profile ({version})",
                                                          f"{s}/jobProfiles/{{profile_id}}"))
    a = "/absenceManagement/v1/{tenant}"
    add("get", f"{a}/balances", _op("absenceManagement.balances", "Time-off balances of a worker", f"{a}/balances",
                                    query=[_q("worker", "worker id (default: the caller)")], collection=True))
    add("get", f"{a}/workers/{{worker_id}}/eligibleAbsenceTypes", _op(
        "absenceManagement.eligibleAbsenceTypes", "Time-off types a worker can request",
        f"{a}/workers/{{worker_id}}/eligibleAbsenceTypes", collection=True))
    add("get", f"{a}/workers/{{worker_id}}/timeOffDetails", _op(
        "absenceManagement.timeOffDetails", "A worker's time-off requests", f"{a}/workers/{{worker_id}}/timeOffDetails",
        collection=True))
    add("post", f"{a}/workers/{{worker_id}}/requestTimeOff", _op(
        "absenceManagement.requestTimeOff", "Request time off (the caller; goes to the manager for approval)",
        f"{a}/workers/{{worker_id}}/requestTimeOff", status="201", body={
            "type": "object", "required": ["timeOffType", "start"], "properties": {
                "timeOffType": {"type": "object", "properties": {"id": {"type": "string", "enum": ["pto", "sick"]}}},
                "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
                "hours": {"type": "string", "description": "total hours (default 8 per business day)"},
                "comment": {"type": "string"}}}))
    e = "/expense/v1/{tenant}"
    add("get", f"{e}/expenseItems", _op("expense.expenseItems.list", "The expense items of the policy",
                                        f"{e}/expenseItems", collection=True))
    add("get", f"{e}/reports", _op("expense.reports.list", "List expense reports (the caller's; finance: anyone's)",
                                   f"{e}/reports", query=[_q("worker", "worker id"), _q("status", "report status")],
                                   collection=True))
    add("post", f"{e}/reports", _op("expense.reports.create", "Create a draft expense report with lines", f"{e}/reports",
                                    status="201", body={"type": "object", "required": ["memo"], "properties": {
                                        "memo": {"type": "string"}, "lines": {"type": "array", "items": _LINE}}}))
    add("get", f"{e}/reports/{{report_id}}", _op("expense.reports.get", "Get an expense report with lines and audit flags",
                                                 f"{e}/reports/{{report_id}}"))
    add("get", f"{e}/reports/{{report_id}}/lines", _op("expense.reports.lines.list", "An expense report's lines",
                                                       f"{e}/reports/{{report_id}}/lines", collection=True))
    add("post", f"{e}/reports/{{report_id}}/lines", _op("expense.reports.lines.create", "Add a line to a draft report",
                                                        f"{e}/reports/{{report_id}}/lines", status="201", body=_LINE))
    attach = _op("expense.reports.lines.attach", "Attach a receipt (PDF, PNG, JPEG, GIF) to a line of a draft report",
                 f"{e}/reports/{{report_id}}/lines/{{line}}/attachments", status="201")
    attach["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"},
                                                               "version": {"type": "integer"}}}}}}
    add("post", f"{e}/reports/{{report_id}}/lines/{{line}}/attachments", attach)
    add("post", f"{e}/reports/{{report_id}}/submit", _op(
        "expense.reports.submit", "Submit a draft report for approval", f"{e}/reports/{{report_id}}/submit",
        body={"type": "object", "properties": {"version": {"type": "integer"}, "comment": {"type": "string"}}}))
    t = "/timeTracking/v1/{tenant}"
    add("get", f"{t}/timesheets", _op("timeTracking.timesheets.list", "A worker's weekly timesheets", f"{t}/timesheets",
                                      query=[_q("worker", "worker id (default: the caller)")], collection=True))
    add("get", f"{t}/timesheets/{{timesheet_id}}", _op("timeTracking.timesheets.get", "A timesheet with its entries",
                                                       f"{t}/timesheets/{{timesheet_id}}"))
    add("get", f"{t}/timeEntries", _op("timeTracking.timeEntries.list", "Time entries of a worker", f"{t}/timeEntries",
                                       query=[_q("worker", "worker id"), _q("fromDate", "YYYY-MM-DD"),
                                              _q("toDate", "YYYY-MM-DD")], collection=True))
    add("post", f"{t}/workers/{{worker_id}}/timesheets", _op(
        "timeTracking.timesheets.open", "Open (or start) the caller's timesheet for a week",
        f"{t}/workers/{{worker_id}}/timesheets", status="201",
        body={"type": "object", "required": ["week"], "properties": {"week": {"type": "string", "format": "date"}}}))
    add("post", f"{t}/timesheets/{{timesheet_id}}/timeEntries", _op(
        "timeTracking.timeEntries.enter", "Set hours on days of a draft timesheet",
        f"{t}/timesheets/{{timesheet_id}}/timeEntries", body={"type": "object", "required": ["timeEntries"], "properties": {
            "timeEntries": {"type": "array", "items": {"type": "object", "properties": {
                "date": {"type": "string", "format": "date"}, "hours": {"type": "string"}}}},
            "version": {"type": "integer"}}}))
    add("post", f"{t}/timesheets/{{timesheet_id}}/submit", _op(
        "timeTracking.timesheets.submit", "Submit a timesheet to the manager", f"{t}/timesheets/{{timesheet_id}}/submit",
        body={"type": "object", "properties": {"version": {"type": "integer"}}}))
    p = "/payroll/v1/{tenant}"
    add("get", f"{p}/payGroups", _op("payroll.payGroups.list", "Pay groups", f"{p}/payGroups"))
    add("get", f"{p}/payRuns", _op("payroll.payRuns.list", "Pay runs (finance)", f"{p}/payRuns", collection=True))
    add("get", f"{p}/payRuns/{{run_id}}", _op("payroll.payRuns.get",
                                              "A pay run with its summary, GL distribution and pay slips",
                                              f"{p}/payRuns/{{run_id}}"))
    add("get", f"{p}/workers/{{worker_id}}/paySlips", _op("payroll.paySlips.list", "A worker's pay slips",
                                                          f"{p}/workers/{{worker_id}}/paySlips", collection=True))
    c = "/common/v1/{tenant}"
    add("get", f"{c}/workers/{{worker_id}}/inboxTasks", _op("common.inboxTasks.list", "The caller's open inbox tasks",
                                                            f"{c}/workers/{{worker_id}}/inboxTasks", collection=True))
    add("get", f"{c}/inboxTasks/{{task_id}}", _op("common.inboxTasks.get", "Get an inbox task", f"{c}/inboxTasks/{{task_id}}"))
    add("put", f"{c}/inboxTasks/{{task_id}}", _op(
        "common.inboxTasks.act", "Approve, deny or send back the step of an inbox task (or complete a to-do)",
        f"{c}/inboxTasks/{{task_id}}", query=[{"name": "type", "in": "query", "required": True, "schema": {
            "type": "string", "enum": ["approval", "denial", "sendBack"]}}],
        body={"type": "object", "properties": {"comment": {"type": "string",
                                                           "description": "required to deny or send back"}}}))
    b = "/businessProcess/v1/{tenant}"
    add("get", f"{b}/events/{{process_id}}", _op("businessProcess.events.get",
                                                 "A business process with its status and history",
                                                 f"{b}/events/{{process_id}}"))
    paths: dict = {}
    for method, path, operation in ops:
        paths.setdefault(path, {})[method] = operation
    schemas = {
        "Error": {"type": "object", "properties": {"error": {"type": "string"}, "errors": {"type": "array", "items": {
            "type": "object", "properties": {"error": {"type": "string"}, "field": {"type": "string"}}}}}},
        "Reference": {"type": "object", "properties": {"id": {"type": "string"}, "descriptor": {"type": "string"},
                                                       "href": {"type": "string"}}},
        "Collection": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "object"}},
                                                        "total": {"type": "integer"}}},
    }
    return {"openapi": "3.0.3", "info": {"title": "Mock Workday REST API (People)", "version": "v1"},
            "servers": [{"url": "/"}], "components": {"schemas": schemas,
                                                      "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}], "paths": paths}
