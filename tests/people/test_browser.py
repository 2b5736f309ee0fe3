"""People in a real browser: a trainer plays the employee, the manager and finance through "Acting as"
(expense report with a receipt, approval, audit, send back, deny), time off, a timesheet, onboarding and search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mock_apps.people.receipt_pdf import render

pytestmark = pytest.mark.slow


def act_as(page, key: str) -> None:
    page.get_by_test_id("user-switcher").select_option(key)
    page.get_by_test_id("switch-submit").click()
    expect(page.get_by_test_id("acting-as")).to_contain_text(
        {"priya.nair": "Priya Nair", "marcus.reyes": "Marcus Reyes", "dana.whitfield": "Dana Whitfield",
         "lena.ortiz": "Lena Ortiz", "tom.becker": "Tom Becker", "victor.okafor": "Victor Okafor",
         "luis.romero": "Luis Romero", "raj.patel": "Raj Patel"}[key])


def open_task(page, people_world, text: str) -> None:
    page.goto(people_world.url + "/inbox")
    page.get_by_test_id("inbox").get_by_role("link", name=re.compile(re.escape(text))).click()


def test_report_with_receipt_is_submitted_approved_and_audited(world_page, people_world, tmp_path):
    page = world_page
    receipt = tmp_path / "parking.pdf"
    receipt.write_bytes(render("SP+ Parking", [("Total", "$18.00")]))
    page.goto(people_world.url + "/")
    act_as(page, "priya.nair")
    page.get_by_test_id("nav-expenses").click()
    page.get_by_label("Report memo").fill("Bank visit")
    page.get_by_test_id("create-report").click()
    report_id = page.get_by_test_id("report-id").inner_text()
    expect(page.get_by_test_id("report-status")).to_have_text("Draft")
    page.get_by_label("Date").fill("2026-03-27")
    page.get_by_label("Merchant").fill("SP+ Parking")
    page.get_by_label("Expense item").select_option("parking")
    page.get_by_label("Amount").fill("18.00")
    page.get_by_label("Receipt").set_input_files(str(receipt))
    page.get_by_test_id("add-line").click()
    expect(page.get_by_test_id("toast")).to_have_text("Line added")
    expect(page.get_by_test_id("report-total")).to_have_text("$18.00")
    page.get_by_label("Date").fill("2026-03-27")
    page.get_by_label("Merchant").fill("Mileage")
    page.get_by_label("Expense item").select_option("mileage")
    page.get_by_label("Amount").fill("-3")
    page.get_by_test_id("add-line").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Amount must be greater than zero")
    expect(page.get_by_label("Merchant")).to_have_value("Mileage")  # the form keeps what was typed
    expect(page.get_by_test_id("report-total")).to_have_text("$18.00")
    page.get_by_test_id("receipt-1").click()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("$18.00")
    expect(page.get_by_test_id("receipt-preview")).to_be_visible()
    page.get_by_test_id("back-to-report").click()
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("In Progress")

    act_as(page, "marcus.reyes")
    open_task(page, people_world, report_id)
    expect(page.get_by_test_id("no-flags")).to_be_visible()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("toast")).to_contain_text(f"Approved: Expense Report: {report_id}")

    act_as(page, "dana.whitfield")
    open_task(page, people_world, f"Audit Expense Report: {report_id}")
    page.get_by_label(re.compile("^Comment")).fill("Receipt matches")
    page.get_by_test_id("approve").click()
    page.goto(f"{people_world.url}/expenses/{report_id}")
    expect(page.get_by_test_id("report-status")).to_have_text("Approved")
    history = page.get_by_test_id("history")
    expect(history.get_by_role("row")).to_have_count(4)
    expect(history).to_contain_text("Receipt matches")
    page.get_by_test_id("mark-paid").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Paid")


def test_manager_sends_back_and_denies_with_comments_and_audit_shows_flags(world_page, people_world):
    page = world_page
    page.goto(people_world.url + "/")
    act_as(page, "tom.becker")
    open_task(page, people_world, "ER-1015")
    expect(page.get_by_test_id("flag-3-alcohol")).to_be_visible()
    expect(page.get_by_test_id("audit-flags")).to_contain_text("alcohol is not reimbursable")
    page.get_by_test_id("send-back").click()  # no comment
    expect(page.get_by_test_id("form-error")).to_have_text(re.compile("Comment is required"))
    page.get_by_test_id("comment").fill("Remove the wine, alcohol is not reimbursable")
    page.get_by_test_id("send-back").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Sent back")
    open_task(page, people_world, "ER-1016")
    expect(page.get_by_test_id("flag-1-missing_receipt")).to_be_visible()
    page.get_by_test_id("comment").fill("No receipt for $86.40")
    page.get_by_test_id("deny").click()
    page.goto(people_world.url + "/expenses/ER-1016")
    expect(page.get_by_test_id("report-status")).to_have_text("Denied")

    page.get_by_test_id("user-switcher").select_option("emily.chen")
    page.get_by_test_id("switch-submit").click()
    page.goto(people_world.url + "/expenses/ER-1015")
    expect(page.get_by_test_id("report-status")).to_have_text("Sent Back")
    page.get_by_test_id("remove-line-3").click()
    expect(page.get_by_test_id("report-total")).to_have_text("$230.50")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("In Progress")
    expect(page.get_by_test_id("history")).to_contain_text("Resubmitted")


def test_time_off_is_requested_beyond_the_balance_refused_then_approved(world_page, people_world):
    page = world_page
    page.goto(people_world.url + "/time-off")
    act_as(page, "victor.okafor")
    expect(page.get_by_test_id("balance-pto")).to_be_visible()
    page.get_by_label("Type").select_option("pto")
    page.get_by_label("First day").fill("2026-04-06")
    page.get_by_label("Last day").fill("2026-04-24")
    page.get_by_test_id("time-off-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("more than your available balance")
    page.get_by_label("Last day").fill("2026-04-06")
    page.get_by_test_id("time-off-submit").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Requested TOR-")
    act_as(page, "tom.becker")
    open_task(page, people_world, "Time Off Request: Victor Okafor")
    page.get_by_test_id("approve").click()
    page.goto(people_world.url + "/time-off")
    expect(page.get_by_test_id("team-calendar")).to_contain_text("Victor Okafor")


def test_timesheet_hours_over_24_are_refused_then_submitted_and_approved(world_page, people_world):
    page = world_page
    page.goto(people_world.url + "/timesheets")
    act_as(page, "luis.romero")
    page.get_by_test_id("open-week").click()
    expect(page.get_by_test_id("timesheet-status")).to_have_text("Draft")
    page.get_by_label("Hours on Tuesday Mar 31").fill("25")
    page.get_by_test_id("save-timesheet").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("more than the 24 hours a day has")
    expect(page.get_by_test_id("timesheet-total")).to_have_text("16")
    page.get_by_label("Hours on Tuesday Mar 31").fill("7.5")
    page.get_by_test_id("submit-timesheet").click()
    expect(page.get_by_test_id("timesheet-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("timesheet-total")).to_have_text("15.5")
    act_as(page, "raj.patel")
    open_task(page, people_world, "Timesheet: Luis Romero, week of Mar 30")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Approved")


def test_onboarding_step_is_completed_and_the_next_goes_to_its_assignee(world_page, people_world):
    page = world_page
    page.goto(people_world.url + "/onboarding")
    page.get_by_test_id("onboarding-owen.marsh").get_by_role("link").click()
    expect(page.get_by_test_id("tax-id")).to_have_text("87-3305162")
    page.get_by_test_id("open-task").click()
    page.get_by_test_id("comment").fill("Vendor set up in Books")
    page.get_by_test_id("complete").click()
    act_as(page, "victor.okafor")
    open_task(page, people_world, "Grant network access for Owen Marsh")
    expect(page.get_by_test_id("step-3")).to_contain_text("Completed")


def test_worker_search_profile_and_org_chart(world_page, people_world):
    page = world_page
    page.goto(people_world.url + "/")
    page.get_by_test_id("search-input").fill("account executive")
    page.get_by_test_id("search-submit").click()
    expect(page).to_have_url(re.compile(r"/workers\?q=account\+executive"))
    expect(page.get_by_test_id("result-count")).to_have_text("2 workers")
    page.get_by_role("link", name="Jamal Carter").click()
    expect(page.get_by_test_id("termination-date")).to_have_text("Mar 31, 2026")
    expect(page.get_by_test_id("manager")).to_have_text("Lena Ortiz")
    expect(page.get_by_test_id("salary")).to_have_text("$48,000.00")  # Dana is in finance
    page.get_by_test_id("nav-org-chart").click()
    expect(page.get_by_test_id("org-helen.park")).to_have_attribute("aria-level", "1")
    expect(page.get_by_test_id("org-luis.romero")).to_have_attribute("aria-level", "4")
    expect(page.get_by_test_id("switch-people")).to_have_attribute("aria-current", "page")
