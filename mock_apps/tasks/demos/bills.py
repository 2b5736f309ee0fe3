"""Demonstrations of entering mailed vendor invoices as bills (and tracking and reporting them)."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import (
    download_attachment,
    enter_bill,
    first_empty_row,
    open_channel,
    open_mail,
    open_sheet,
    post_in_channel,
    switch_to,
    type_row,
)
from mock_apps.tasks.model import Task

BILL_TASKS = {  # the single tasks' bills: task id -> (invoice, vendor, date, account, amount as typed)
    "enter-bill-track-and-report": ("BL-20931", "Brightline Logistics", "2026-03-18", "Freight In", "4249.00"),
}


def _bill_params(task: Task) -> tuple:
    if task.template:
        p = task.params
        return p["invoice"], p["vendor"], p["date"], p["account"], f"{p['total_cents'] / 100:.2f}"
    return BILL_TASKS[task.id]


@demo("enter-mailed-bill", "enter-corrected-bill", "enter-resent-invoice-once")
def enter_bill_from_mail(page, task: Task) -> None:
    """Find the invoice mail, download its PDF, (read the approvals in Chat,) enter the bill with the PDF."""
    invoice, vendor, date, account, amount = _bill_params(task)
    visit_chat = task.template == "enter-corrected-bill"  # the correction is in the approval thread
    open_mail(page, invoice, invoice)
    pdf = download_attachment(page)
    if visit_chat:
        switch_to(page, "chat")
        open_channel(page, "ap-approvals")
    switch_to(page, "books")
    enter_bill(page, vendor=vendor, date=date, invoice=invoice, account=account, amount=amount, pdf=pdf)


@demo("enter-bill-track-and-report")
def enter_track_and_report(page, task: Task) -> None:
    """The bill from the mail into Books, a new row on the Open Bills sheet, a word in #finance."""
    enter_bill_from_mail(page, task)
    switch_to(page, "sheets")
    open_sheet(page, "AP Reconciliation March 2026")
    type_row(page, first_empty_row(page), {"A": "Brightline Logistics", "B": "BL-20931", "E": "4249"})
    switch_to(page, "chat")
    post_in_channel(page, "finance",
                    "BL-20931 from Brightline Logistics ($4,249.00) is entered in Books and on the Open Bills sheet.")
