"""Demonstrations of People tasks: a trainer acting as managers and finance through "Acting as", deciding inbox
tasks with comments, and carrying People's numbers into Books and Chat."""

from __future__ import annotations

import re
from datetime import date

from mock_apps.tasks.demos import company_of, demo, facts_of
from mock_apps.tasks.demos.books_forms import journal
from mock_apps.tasks.demos.onboarding import add_vendor, vendor_fields
from mock_apps.tasks.demos.pages import figure, post_in_channel, switch_to
from mock_apps.tasks.demos.questions import open_first_result, search_books
from mock_apps.tasks.model import Task


def act_as(page, key: str) -> None:
    """People's "Acting as" switcher."""
    page.get_by_test_id("user-switcher").select_option(key)
    page.get_by_test_id("switch-submit").click()
    page.wait_for_load_state()


def open_task(page, text: str) -> None:
    """The inbox, then the task whose title contains `text`."""
    page.get_by_test_id("nav-inbox").click()
    page.wait_for_load_state()
    page.get_by_test_id("inbox").get_by_role("link", name=re.compile(re.escape(text))).click()
    page.wait_for_load_state()


def decide(page, action: str, comment: str = "") -> None:
    """Approve / send back / deny / complete the open task, with a comment."""
    if comment:
        page.get_by_test_id("comment").fill(comment)
    page.get_by_test_id(action).click()
    page.wait_for_load_state()


def open_report(page, report_id: str) -> None:
    """An expense report from the Expenses list."""
    page.get_by_test_id("nav-expenses").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=report_id, exact=True).first.click()
    page.wait_for_load_state()


@demo("people-deny-leaver-late-report")
def deny_leaver_late_report(page, task: Task) -> None:
    """The manager denies the late report; the accountant tells #sales."""
    p = task.params
    act_as(page, p["manager_key"])
    open_task(page, p["report"])
    decide(page, "deny", f"Denied: these {p['period']} expenses are older than the {p['days']}-day limit of the "
                         "expense policy.")
    act_as(page, company_of(task)["owner"])
    switch_to(page, "chat")
    post_in_channel(page, "sales", f"FYI: {p['leaver_first']}'s expense report {p['report']} ({p['period']} expenses) "
                                   f"was denied in People: it is past the {p['days']}-day limit of the expense policy.")


@demo("people-send-back-flagged-reports")
def send_back_flagged_reports(page, task: Task) -> None:
    """The manager's inbox: each flagged report sent back with a comment naming its flag, each clean one approved."""
    p = task.params
    act_as(page, p["manager_key"])
    for report in p["flagged"]:
        open_task(page, report["report"])
        decide(page, "send-back", report["comment"])
    for report in p["clean"]:
        open_task(page, report["report"])
        decide(page, "approve")


@demo("people-approve-and-audit-clean-report")
def approve_and_audit(page, task: Task) -> None:
    """The controller approves the report, then finance audits it."""
    p = task.params
    act_as(page, company_of(task)["controller_key"])
    open_task(page, p["report"])
    decide(page, "approve")
    act_as(page, p["auditor_key"])
    open_task(page, f"Audit Expense Report: {p['report']}")
    decide(page, "approve", "No policy flags; mileage at the IRS rate." if p["kind"] == "mileage" else "No policy flags.")


@demo("people-approve-time-off-and-announce")
def approve_time_off(page, task: Task) -> None:
    """The manager approves the request; #sales hears the dates."""
    p = task.params
    act_as(page, p["approver_key"])
    open_task(page, f"Time Off Request: {p['worker']}")
    decide(page, "approve")
    act_as(page, company_of(task)["owner"])
    switch_to(page, "chat")
    post_in_channel(page, "sales", f"Heads up: {p['first']} is out from {p['dates']} (approved in People).")


@demo("people-approve-timesheets")
def approve_timesheets(page, task: Task) -> None:
    """Each submitted week approved by the worker's manager (the lead's first, then the lead approves the crew's)."""
    acting = None
    for sheet in task.params["submitted"]:
        if sheet["manager_key"] != acting:
            act_as(page, sheet["manager_key"])
            acting = sheet["manager_key"]
        open_task(page, f"Timesheet: {sheet['name']}, week of {date.fromisoformat(sheet['week']):%b %-d}")
        decide(page, "approve")


@demo("people-audit-card-reports")
def audit_card_reports(page, task: Task) -> None:
    """Finance's audit of the four card reports: one meal over the limit."""
    p = task.params
    if p["auditor_key"] != company_of(task)["owner"]:  # finance's expense partner audits; act as them
        act_as(page, p["auditor_key"])
    for report in (p["ok1"], p["ok2"], p["ok3"]):
        open_task(page, f"Audit Expense Report: {report}")
        decide(page, "approve", "Within policy.")
    open_task(page, f"Audit Expense Report: {p['bad']}")
    decide(page, "send-back", f"The {p['merchant']} {p['meal']} is {p['bad_hint']}, over the {p['limit']} meal limit. "
                              "Please explain or reimburse the difference.")


@demo("people-post-commission-run")
def post_commission_run(page, task: Task) -> None:
    """Read the run's GL distribution in People, enter its lines as a journal entry in Books."""
    p = task.params
    page.get_by_test_id("nav-pay").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=p["run"]).click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("gl-distribution").locator("tbody tr")
    lines = []
    for n in range(rows.count()):
        account, debit, credit = (rows.nth(n).locator("td").nth(i).inner_text() for i in range(3))
        lines.append((facts_of(task).account(account.strip()).option, figure(debit), figure(credit), ""))
    switch_to(page, "books")
    journal(page, date=p["date"], number=p["run"], lines=lines,
            memo=f"{p['quarter']} sales commissions, off-cycle pay run {p['run']}")


@demo("people-onboard-contractor-as-vendor")
def onboard_contractor(page, task: Task) -> None:
    """The onboarding and W-9 in People, the vendor in Books, the step done, the introduction in Chat."""
    p = task.params
    page.get_by_test_id("nav-onboarding").click()
    page.wait_for_load_state()
    page.get_by_test_id(f"onboarding-{p['worker_key']}").get_by_role("link").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="document").click()
    page.wait_for_load_state()
    switch_to(page, "books")
    add_vendor(page, vendor_fields(p), p["account_option"])
    switch_to(page, "people")
    open_task(page, f"{p['step']} for {p['contractor']}")
    decide(page, "complete", f"Vendor {p['vendor']} set up in Books ({p['account']}, net {p['terms']}).")
    switch_to(page, "chat")
    post_in_channel(page, "general", f"Please welcome {p['contractor']} of {p['business']}, who starts {p['when']} as "
                                     f"our {p['role']} working with {p['manager_first']}.")


@demo("people-questions")
def people_question(page, task: Task) -> str:
    """Read the answer where People (and Books) show it: the task's value is only what the facts say it must be."""
    p = task.params
    if p["kind"] == "pto-balance":  # the worker's profile shows their balances (finance sees pay)
        page.get_by_test_id("search-input").fill(p["about"])
        page.get_by_test_id("search-submit").click()
        page.wait_for_load_state()
        page.get_by_role("link", name=p["about"], exact=True).first.click()
        page.wait_for_load_state()
        return page.get_by_test_id("balance-pto").inner_text()
    if p["kind"] == "payroll-gross":  # the pay run in People, then the Payroll Expenses line of Books' entry
        page.get_by_test_id("nav-pay").click()
        page.wait_for_load_state()
        page.get_by_role("link", name=p["about"]).click()
        page.wait_for_load_state()
        switch_to(page, "books")
        search_books(page, p["journal"])
        open_first_result(page, p["journal"])
        line = page.get_by_role("row").filter(has_text="Payroll Expenses").first
        return line.get_by_role("cell").last.inner_text().split()[-1]  # "Debit $32,062.50"
    raise ValueError(f"no demonstration for People questions of kind {p['kind']!r}")


@demo("people-accrue-pto-liability")
def accrue_pto_liability(page, task: Task) -> None:
    """People's PTO liability report, then the accrual of its total as a journal entry in Books."""
    p = task.params
    page.get_by_test_id("nav-time-off").click()
    page.wait_for_load_state()
    page.get_by_test_id("pto-liability-link").click()
    page.wait_for_load_state()
    total = figure(page.get_by_test_id("liability-total").inner_text())
    switch_to(page, "books")
    journal(page, date=p["date"], number=p["journal"],
            lines=[(facts_of(task).account("Payroll Expenses").option, total, "", ""),
                   (facts_of(task).account("Accrued Liabilities").option, "", total, "")],
            memo=f"Accrued PTO liability at {p['date']} (People's PTO liability report)")
