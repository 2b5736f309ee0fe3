"""Demonstrations of the single-app warm-ups."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import open_mail, open_sheet, post_in_channel, type_cell
from mock_apps.tasks.model import Task


@demo("warmup-mail-forward-expense-report")
def forward_expense_report(page, task: Task) -> None:
    """Open Sophie's report, Forward (attachments kept), address it to Marcus, send."""
    open_mail(page, "Expense report - March 2026", "Sophie Lindqvist")
    page.get_by_test_id("forward").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-to").fill("marcus.reyes@meridiansupply.com")
    page.get_by_test_id("compose-body").fill("Marcus, Sophie's March expense report with her receipts.\n\nDana")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()


@demo("warmup-books-add-customer")
def add_customer(page, task: Task) -> None:
    """Books' "+ New" > Customer, every field filled, saved."""
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Customer", exact=True).click()
    page.wait_for_load_state()
    for label, value in {"Display name": "Maple Grove Dental", "Company name": "Maple Grove Dental",
                         "Contact person": "Dr. Priya Shah", "Email": "priya@maplegrovedental.com",
                         "Phone": "(614) 555-0199", "Address": "77 Maple Grove Ave, Columbus, OH 43215",
                         "Terms (days)": "30"}.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


@demo("warmup-sheets-update-close-status")
def update_close_status(page, task: Task) -> None:
    """The checklist's Status cell of the Company Visa row."""
    open_sheet(page, "Month-End Close Checklist March 2026")
    type_cell(page, "D6", "In progress")


@demo("warmup-chat-reply-to-jamal")
def reply_to_jamal(page, task: Task) -> None:
    """Open the direct message with Jamal and answer."""
    post_in_channel(page, "dm-jamal.carter", "Sure, I will send Hilltop's statement on Friday.")
