"""Demonstrations of the single-app warm-ups."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.pages import open_mail, open_sheet, post_in_channel, type_cell
from mock_apps.tasks.model import Task


@demo("warmup-forward-expense-report")
def forward_expense_report(page, task: Task) -> None:
    """Open the report, Forward (attachments kept), address it to the controller, send."""
    p, company = task.params, company_of(task)
    open_mail(page, p["subject"].rsplit(" - ", 1)[0], p["worker"])
    page.get_by_test_id("forward").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-to").fill(company["controller_email"])
    page.get_by_test_id("compose-body").fill(
        f"{company['controller']}, {p['first_s']} {p['month']} expense report with the receipts.\n\n"
        f"{company['owner_name'].split()[0]}")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()


@demo("warmup-add-signed-customer")
def add_customer(page, task: Task) -> None:
    """Books' "+ New" > Customer, every field filled, saved."""
    p = task.params
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Customer", exact=True).click()
    page.wait_for_load_state()
    for label, value in {"Display name": p["name"], "Company name": p["name"], "Contact person": p["contact"],
                         "Email": p["email"], "Phone": p["phone"], "Address": p["address"],
                         "Terms (days)": str(p["terms"])}.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


@demo("warmup-start-card-reconciliation")
def start_card_reconciliation(page, task: Task) -> None:
    """The checklist's Status cell (column D) of the task's row."""
    open_sheet(page, company_of(task)["close_workbook"])
    type_cell(page, f"D{task.params['row']}", "In progress")


@demo("warmup-reply-statement-request")
def reply_to_statement_request(page, task: Task) -> None:
    """Open the direct message with the account executive and answer."""
    p = task.params
    post_in_channel(page, f"dm-{p['seller_key']}",
                    f"Sure, I will send {p['customer'].split()[0]}'s statement on Friday.")
