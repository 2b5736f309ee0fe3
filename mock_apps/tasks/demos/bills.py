"""Demonstrations of entering mailed vendor invoices as bills (and tracking and reporting them)."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
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

@demo("enter-mailed-bill", "enter-corrected-bill", "enter-resent-invoice-once")
def enter_bill_from_mail(page, task: Task) -> None:
    """Find the invoice mail, download its PDF, (read the approvals in Chat,) enter the bill with the PDF."""
    p = task.params
    invoice, vendor, date, account, amount = (p["invoice"], p["vendor"], p["date"], p["account"],
                                              f"{p['total_cents'] / 100:.2f}")
    visit_chat = task.template == "enter-corrected-bill"  # the correction is in the approval thread
    open_mail(page, invoice, invoice)
    pdf = download_attachment(page)
    if visit_chat:
        switch_to(page, "chat")
        open_channel(page, "ap-approvals")
    switch_to(page, "books")
    enter_bill(page, vendor=vendor, date=date, invoice=invoice, account=account, amount=amount, pdf=pdf)


@demo("enter-bill-and-report")
def enter_track_and_report(page, task: Task) -> None:
    """The bill from the mail into Books, a new row on the Open Bills sheet, a word in #finance."""
    p = task.params
    enter_bill_from_mail(page, task)
    switch_to(page, "sheets")
    open_sheet(page, company_of(task)["ap_workbook"])
    type_row(page, first_empty_row(page), {"A": p["vendor"], "B": p["invoice"], "E": str(p["amount_num"])})
    switch_to(page, "chat")
    post_in_channel(page, "finance",
                    f"{p['invoice']} from {p['vendor']} ({p['amount']}) is entered in Books and on the Open Bills sheet.")
