"""People's REST API with `requests`: Workday's conventions (tenant in the path, {"data", "total"} with
limit/offset, references, bearer auth, the error shape), the expense, inbox, time-off, timesheet and
payroll flows, and bad input that changes nothing."""

from __future__ import annotations

import pytest
import requests

from mock_apps.scenarios import get_scenario

OPEN_REPORTS = {  # out-of-pocket reports awaiting their manager in the scenario (report -> manager key)
    "ER-1014": "marcus.reyes", "ER-1015": "tom.becker", "ER-1016": "tom.becker", "ER-1017": "tom.becker",
    "ER-1018": "lena.ortiz", "ER-1019": "lena.ortiz"}


def _error(response, status, field=None, contains=""):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "errors"} and body["errors"][0]["error"] == body["error"]
    assert contains in body["error"], body["error"]
    if field:
        assert body["errors"][0]["field"] == field


def _task_for(pw, subject, as_):
    tasks = pw.call("GET", "common", "workers/me/inboxTasks", as_=as_, params={"limit": 100}).json()["data"]
    return next(t for t in tasks if t["subject"]["id"] == subject)


def test_collections_paginate_with_limit_and_offset_and_references_link(people_world):
    everyone = people_world.call("GET", "staffing", "workers", version="v7", params={"limit": 100}).json()
    assert everyone["total"] == len(get_scenario().facts.hr.workers) == len(everyone["data"])
    first = people_world.call("GET", "staffing", "workers", version="v7", params={"limit": 5}).json()
    second = people_world.call("GET", "staffing", "workers", version="v7", params={"limit": 5, "offset": 5}).json()
    assert len(first["data"]) == 5 and first["total"] == everyone["total"]
    assert [w["id"] for w in first["data"] + second["data"]] == [w["id"] for w in everyone["data"][:10]]
    default = people_world.call("GET", "staffing", "workers", version="v7").json()
    assert len(default["data"]) == min(20, everyone["total"])
    dana = next(w for w in everyone["data"] if w["primaryWorkEmail"] == "dana.whitfield@meridiansupply.com")
    manager = dana["manager"]
    assert set(manager) == {"id", "descriptor", "href"} and manager["descriptor"] == "Marcus Reyes"
    followed = requests.get(manager["href"], headers={"Authorization": "Bearer wd-dana.whitfield"}, timeout=30).json()
    assert followed["businessTitle"] == "Controller"


def test_staffing_answers_v6_and_v7_and_me(people_world):
    v6 = people_world.call("GET", "staffing", "workers/me", version="v6").json()
    v7 = people_world.call("GET", "staffing", "workers/me", version="v7").json()
    assert v6["id"] == v7["id"] == "21006" and v6["descriptor"] == "Dana Whitfield"
    assert v7["costCenter"]["descriptor"] == "CC-300 Finance" and v7["hireDate"] == "2021-08-16"
    orgs = people_world.call("GET", "staffing", "supervisoryOrganizations", version="v7").json()
    finance = next(o for o in orgs["data"] if o["manager"] and o["manager"]["descriptor"] == "Marcus Reyes")
    members = people_world.call("GET", "staffing", f"supervisoryOrganizations/{finance['id']}/workers", version="v6").json()
    assert {"Dana Whitfield", "Priya Nair"} <= {w["descriptor"] for w in members["data"]}
    found = people_world.call("GET", "staffing", "workers", version="v7", params={"search": "warehouse"}).json()
    assert {w["descriptor"] for w in found["data"]} == {"Raj Patel", "Luis Romero", "Kayla Brooks"}
    profiles = people_world.call("GET", "staffing", "jobProfiles", version="v7", params={"limit": 100}).json()
    assert any(p["name"] == "Account Executive" and p["workers"] == 2 for p in profiles["data"])


def test_pay_is_hidden_from_a_colleague_but_shown_to_the_worker_and_finance(people_world):
    as_raj = people_world.call("GET", "staffing", "workers/21009", version="v7", as_="raj.patel").json()
    assert "compensation" not in as_raj
    as_sophie = people_world.call("GET", "staffing", "workers/me", version="v7", as_="sophie.lindqvist").json()
    assert as_sophie["compensation"]["annualSalary"]["value"] == "48000.00"
    _error(people_world.call("GET", "payroll", "payRuns", as_="raj.patel"), 403)


def test_auth_tenant_and_paging_errors(people_world):
    url = f"{people_world.api('staffing', 'v7')}/workers"
    _error(requests.get(url, timeout=30), 401, contains="bearer token")
    _error(requests.get(url, headers={"Authorization": "Bearer wd-nobody"}, timeout=30), 401)
    _error(requests.get(url.replace("/meridian/", "/acme/"), headers={"Authorization": "Bearer x"}, timeout=30), 404,
           contains="no tenant 'acme'")
    _error(people_world.call("GET", "staffing", "workers", version="v7", params={"limit": 101}), 400, field="limit")
    _error(people_world.call("GET", "staffing", "workers", version="v7", params={"offset": "x"}), 400, field="offset")
    _error(people_world.call("GET", "staffing", "workers/99999", version="v7"), 404)


def test_create_submit_approve_audit_an_expense_report(people_world):
    before = len(people_world.changes())
    created = people_world.call("POST", "expense", "reports", as_="priya.nair", json={
        "memo": "Client visit Dayton", "lines": [
            {"date": "2026-03-27", "merchant": "Speedway", "expenseItem": {"id": "fuel"}, "amount": "54.10"},
            {"date": "2026-03-27", "merchant": "Panera Bread", "expenseItem": {"id": "meals"},
             "amount": {"value": "31.50", "currency": "USD"}, "attendees": 2, "memo": "Lunch with a supplier"}]})
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["status"] == "Draft" and report["totalAmount"]["value"] == "85.60" and len(report["lines"]) == 2
    submitted = people_world.call("POST", "expense", f"reports/{report['id']}/submit", as_="priya.nair", json={})
    assert submitted.json()["status"] == "In Progress"
    task = _task_for(people_world, report["id"], "marcus.reyes")
    assert task["step"] == "Manager Approval" and task["assignedTo"]["descriptor"] == "Marcus Reyes"
    approved = people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="marcus.reyes",
                                 params={"type": "approval"}, json={})
    assert approved.status_code == 200 and approved.json()["status"] == "Completed"
    audit = _task_for(people_world, report["id"], "dana.whitfield")
    assert audit["step"] == "Finance Audit"
    people_world.call("PUT", "common", f"inboxTasks/{audit['id']}", as_="dana.whitfield", params={"type": "approval"},
                      json={"comment": "Within policy"})
    final = people_world.call("GET", "expense", f"reports/{report['id']}").json()
    assert final["status"] == "Approved"
    process = requests.get(final["businessProcess"]["href"], headers={"Authorization": "Bearer x"}, timeout=30).json()
    assert process["status"] == "Successfully Completed"
    assert [(h["person"]["descriptor"], h["action"]) for h in process["history"]] == [
        ("Priya Nair", "Submitted"), ("Marcus Reyes", "Approved"), ("Dana Whitfield", "Approved")]
    ops = [c["op"] for c in people_world.changes()[before:]]
    assert ops == ["people.expense_report.create", "people.expense_report.submit", "people.inbox.approve",
                   "people.inbox.approve"]


def test_send_back_and_deny_need_a_comment_and_record_it(people_world):
    task = _task_for(people_world, "ER-1019", "lena.ortiz")  # the leaver's late January report
    _error(people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="lena.ortiz", params={"type": "denial"},
                             json={}), 400, field="comment", contains="Comment is required")
    report = people_world.call("GET", "expense", "reports/ER-1019").json()
    assert {f["code"] for f in report["auditFlags"]} == {"late"}
    denied = people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="lena.ortiz", params={"type": "denial"},
                               json={"comment": "Submitted after the 60-day window"})
    assert denied.status_code == 200
    assert people_world.call("GET", "expense", "reports/ER-1019").json()["status"] == "Denied"
    again = people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="lena.ortiz", params={"type": "approval"})
    _error(again, 409, contains="already completed")
    back = _task_for(people_world, "ER-1018", "lena.ortiz")
    people_world.call("PUT", "common", f"inboxTasks/{back['id']}", as_="lena.ortiz", params={"type": "sendBack"},
                      json={"comment": "The Uber ride is claimed twice"})
    sent = people_world.call("GET", "expense", "reports/ER-1018", as_="sophie.lindqvist").json()
    assert sent["status"] == "Sent Back"
    event = requests.get(sent["businessProcess"]["href"], headers={"Authorization": "Bearer x"}, timeout=30).json()
    assert event["history"][-1]["comment"] == "The Uber ride is claimed twice"


def test_audit_flags_name_each_policy_breach(people_world):
    def codes(report_id):
        return {(f["line"], f["code"]) for f in people_world.call("GET", "expense", f"reports/{report_id}").json()["auditFlags"]}

    assert codes("ER-1015") == {(3, "alcohol")}          # wine with dinner
    assert codes("ER-1016") == {(1, "missing_receipt")}  # USB hubs, no receipt
    assert codes("ER-1017") == {(1, "weekend")}          # boots bought on a Saturday
    assert codes("ER-1018") == {(2, "duplicate")}        # the same Uber ride twice
    assert codes("ER-1014") == set()
    card = people_world.call("GET", "expense", "reports", params={"status": "In Progress", "limit": 100}).json()
    over = [r for r in card["data"] if r["paidBy"] == "Corporate Card"]
    flagged = {r["id"]: codes(r["id"]) for r in over}
    over_policy = [e for e in get_scenario().facts.expense_reports if e.policy_issue]  # the meal over $75 a head
    assert sum(("over_limit" in {c for _, c in v}) for v in flagged.values()) == len(over_policy) == 1


BAD_REPORTS = {
    "negative amount": ({"memo": "x", "lines": [{"date": "2026-03-20", "merchant": "A", "expenseItem": {"id": "fuel"},
                                                  "amount": "-5"}]}, "lines[1].amount", "greater than zero"),
    "non-numeric amount": ({"memo": "x", "lines": [{"date": "2026-03-20", "merchant": "A", "expenseItem": {"id": "fuel"},
                                                     "amount": "ten"}]}, "lines[1].amount", "must be a number"),
    "unknown item": ({"memo": "x", "lines": [{"date": "2026-03-20", "merchant": "A", "expenseItem": {"id": "yacht"},
                                               "amount": "5"}]}, "lines[1].item", "no expense item"),
    "future date": ({"memo": "x", "lines": [{"date": "2026-04-20", "merchant": "A", "expenseItem": {"id": "fuel"},
                                              "amount": "5"}]}, "lines[1].date", "in the future"),
    "bad date": ({"memo": "x", "lines": [{"date": "03/20/2026", "merchant": "A", "expenseItem": {"id": "fuel"},
                                           "amount": "5"}]}, "lines[1].date", "YYYY-MM-DD"),
    "no memo": ({"lines": []}, "memo", "required"),
    "too many decimals": ({"memo": "x", "lines": [{"date": "2026-03-20", "merchant": "A", "expenseItem": {"id": "fuel"},
                                                    "amount": "5.001"}]}, "lines[1].amount", "2 decimal places"),
}


@pytest.mark.parametrize("case", BAD_REPORTS, ids=list(BAD_REPORTS))
def test_bad_expense_input_is_refused_and_writes_nothing(people_world, case):
    body, field, message = BAD_REPORTS[case]
    before = people_world.state()
    _error(people_world.call("POST", "expense", "reports", json=body), 400, field=field, contains=message)
    assert people_world.state() == before


def test_an_empty_report_own_approval_and_stale_version_are_refused(people_world):
    report = people_world.call("POST", "expense", "reports", json={"memo": "Nothing yet"}).json()
    _error(people_world.call("POST", "expense", f"reports/{report['id']}/submit", json={}), 400, field="lines",
           contains="has no lines")
    line = {"date": "2026-03-30", "merchant": "Staples", "expenseItem": {"id": "supplies"}, "amount": "12.00"}
    ok = people_world.call("POST", "expense", f"reports/{report['id']}/lines", json={**line, "version": report["version"]})
    assert ok.status_code == 201
    _error(people_world.call("POST", "expense", f"reports/{report['id']}/lines", json={**line, "version": report["version"]}),
           409, field="version", contains="changed since you opened it")
    _error(people_world.call("POST", "expense", f"reports/{report['id']}/lines", as_="priya.nair", json=line), 403)
    # Dana's report goes to Marcus; nobody may decide their own: Marcus's own report reaches the auditor (Dana)
    mine = people_world.call("POST", "expense", "reports", as_="marcus.reyes", json={"memo": "Mine", "lines": [line]}).json()
    people_world.call("POST", "expense", f"reports/{mine['id']}/submit", as_="marcus.reyes", json={})
    task = _task_for(people_world, mine["id"], "helen.park")
    _error(people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="marcus.reyes", params={"type": "approval"}),
           403, contains="someone else's inbox")
    _error(people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="helen.park", params={"type": "yes"}),
           400, field="type")


def test_time_off_balance_request_approve_and_beyond_the_balance(people_world):
    def pto(as_):
        data = people_world.call("GET", "absenceManagement", "balances", as_=as_).json()["data"]
        return next(b for b in data if b["absencePlan"]["id"] == "pto")

    before = pto("victor.okafor")
    hr = get_scenario().facts.hr
    assert before["carryover"] == f"{hr.pto_carryover_x100['victor.okafor'] / 100:.2f}"
    too_much = people_world.call("POST", "absenceManagement", "workers/me/requestTimeOff", as_="victor.okafor", json={
        "timeOffType": {"id": "pto"}, "start": "2026-04-06", "end": "2026-04-17"})
    _error(too_much, 400, field="hours", contains="more than your available balance")
    past = people_world.call("POST", "absenceManagement", "workers/me/requestTimeOff", as_="victor.okafor", json={
        "timeOffType": {"id": "pto"}, "start": "2026-03-02"})
    _error(past, 400, field="start")
    made = people_world.call("POST", "absenceManagement", "workers/me/requestTimeOff", as_="victor.okafor", json={
        "timeOffType": {"id": "pto"}, "start": "2026-04-09", "end": "2026-04-10", "comment": "Long weekend"})
    assert made.status_code == 201 and made.json()["quantity"] == "16.00" and made.json()["status"] == "In Progress"
    assert pto("victor.okafor")["pending"] == "16.00"
    task = _task_for(people_world, made.json()["id"], "tom.becker")
    people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="tom.becker", params={"type": "approval"})
    after = pto("victor.okafor")
    assert float(after["quantity"]) == pytest.approx(float(before["quantity"]) - 16)
    details = people_world.call("GET", "absenceManagement", "workers/me/timeOffDetails", as_="victor.okafor").json()
    assert details["data"][0]["status"] == "Approved"


def test_timesheet_enter_submit_approve_and_over_24_hours(people_world):
    sheets = people_world.call("GET", "timeTracking", "timesheets", as_="luis.romero").json()["data"]
    draft = next(s for s in sheets if s["status"] == "Draft")
    over = people_world.call("POST", "timeTracking", f"timesheets/{draft['id']}/timeEntries", as_="luis.romero",
                             json={"timeEntries": [{"date": draft["weekStart"], "hours": "25"}]})
    _error(over, 400, field=f"hours-{draft['weekStart']}", contains="more than the 24 hours")
    _error(people_world.call("POST", "timeTracking", f"timesheets/{draft['id']}/timeEntries", as_="luis.romero",
                             json={"timeEntries": [{"date": draft["weekStart"], "hours": "-1"}]}), 400)
    tuesday = draft["timeEntries"][1]["date"]
    entered = people_world.call("POST", "timeTracking", f"timesheets/{draft['id']}/timeEntries", as_="luis.romero",
                                json={"timeEntries": [{"date": tuesday, "hours": "7.5"}], "version": draft["version"]})
    assert entered.json()["totalHours"] == "15.50"
    _error(people_world.call("POST", "timeTracking", f"timesheets/{draft['id']}/submit", as_="luis.romero",
                             json={"version": draft["version"]}), 409, field="version")
    people_world.call("POST", "timeTracking", f"timesheets/{draft['id']}/submit", as_="luis.romero", json={})
    task = _task_for(people_world, draft["id"], "raj.patel")
    _error(people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="raj.patel", params={"type": "denial"},
                             json={"comment": "no"}), 400, field="type")
    people_world.call("PUT", "common", f"inboxTasks/{task['id']}", as_="raj.patel", params={"type": "approval"})
    assert people_world.call("GET", "timeTracking", f"timesheets/{draft['id']}").json()["status"] == "Approved"
    _error(people_world.call("POST", "timeTracking", "workers/me/timesheets", as_="dana.whitfield",
                             json={"week": "2026-03-30"}), 403, contains="salaried")


def _books_payroll_entries(world) -> dict[str, dict]:
    """The books' payroll journal entries by date, read over the QuickBooks API: account name -> (debit, credit)."""
    base = f"{world.api_url('books')}/v3/company/{get_scenario().facts.company.realm_id}"
    headers = {"Authorization": "Bearer test"}
    accounts = requests.get(f"{base}/query", params={"query": "select * from Account maxresults 200"},
                            headers=headers, timeout=30).json()["QueryResponse"]["Account"]
    names = {a["Id"]: a["Name"] for a in accounts}
    entries = requests.get(f"{base}/query", params={"query": "select * from JournalEntry maxresults 500"},
                           headers=headers, timeout=30).json()["QueryResponse"]["JournalEntry"]
    found = {}
    for je in entries:
        if not str(je.get("DocNumber", "")).startswith("PR-"):
            continue
        lines = {}
        for line in je["Line"]:
            detail = line["JournalEntryLineDetail"]
            name = names[detail["AccountRef"]["value"]]
            debit, credit = lines.get(name, (0, 0))
            cents = round(line["Amount"] * 100)
            lines[name] = (debit + cents, credit) if detail["PostingType"] == "Debit" else (debit, credit + cents)
        found[je["TxnDate"]] = lines
    return found


def test_every_regular_pay_run_agrees_with_the_books_payroll_entry_to_the_cent(people_world):
    books = _books_payroll_entries(people_world.world)
    runs = people_world.call("GET", "payroll", "payRuns", params={"limit": 100}).json()["data"]
    regular = [r for r in runs if r["runCategory"] == "Regular"]
    assert len(regular) == len(books) == 6
    for run in regular:
        full = people_world.call("GET", "payroll", f"payRuns/{run['id']}").json()
        gl = {g["account"]: (round(float(g["debit"]["value"]) * 100), round(float(g["credit"]["value"]) * 100))
              for g in full["glDistribution"]}
        assert gl == books[run["paymentDate"]], run["id"]
        assert sum(d for d, _ in gl.values()) == sum(c for _, c in gl.values())
        slips = full["paySlips"]
        assert sum(round(float(s["gross"]["value"]) * 100) for s in slips) == gl["Payroll Expenses"][0]
    off_cycle = next(r for r in runs if r["runCategory"] == "Off-Cycle")
    assert off_cycle["paymentDate"] not in books or off_cycle["id"] == "PR-2026-Q1C"


def test_openapi_document_lists_every_service(people_world):
    doc = requests.get(f"{people_world.url}/ccx/api/openapi.json", timeout=30).json()
    services = {path.split("/")[3] for path in doc["paths"]}
    assert services == {"staffing", "absenceManagement", "expense", "timeTracking", "payroll", "common",
                        "businessProcess"}
    assert "/ccx/api/staffing/v6/{tenant}/workers" in doc["paths"]
    assert doc["paths"]["/ccx/api/common/v1/{tenant}/inboxTasks/{task_id}"]["put"]["operationId"] == "common.inboxTasks.act"


def test_a_receipt_is_attached_over_the_api_and_a_fake_one_refused(people_world):
    from mock_apps.people.receipt_pdf import render

    line = {"date": "2026-03-30", "merchant": "Staples", "expenseItem": {"id": "supplies"}, "amount": "40.00"}
    report = people_world.call("POST", "expense", "reports", json={"memo": "Toner", "lines": [line]}).json()
    flags = people_world.call("GET", "expense", f"reports/{report['id']}").json()["auditFlags"]
    assert [f["code"] for f in flags] == ["missing_receipt"]
    fake = people_world.call("POST", "expense", f"reports/{report['id']}/lines/1/attachments",
                             files={"file": ("r.png", b"GIF89a", "image/png")})
    _error(fake, 400, field="receipt", contains="not a real image/png file")
    _error(people_world.call("POST", "expense", f"reports/{report['id']}/lines/1/attachments"), 400, field="file")
    ok = people_world.call("POST", "expense", f"reports/{report['id']}/lines/1/attachments",
                           files={"file": ("toner.pdf", render("Staples", [("Total", "$40.00")]), "application/pdf")})
    assert ok.status_code == 201 and ok.json()["receiptAttached"] is True
    assert people_world.call("GET", "expense", f"reports/{report['id']}").json()["auditFlags"] == []


def test_an_encoded_newline_in_a_path_parameter_gets_the_api_error_not_a_page(people_world):
    response = people_world.call("GET", "expense", "reports/ER%0A1004")
    _error(response, 404, contains="no expense report")
    tenant = requests.get(f"{people_world.url}/ccx/api/staffing/v7/mer%0Aidian/workers",
                          headers={"Authorization": "Bearer x"}, timeout=30)
    _error(tenant, 404, contains="no tenant")
