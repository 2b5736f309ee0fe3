"""Demonstrations of collections: the open balance read on Books' A/R aging, a reminder mailed to the customer's
billing contact with Marcus in Cc, the follow-up logged on a Collections Log sheet, Marcus told."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.pages import (
    add_sheet,
    open_sheet,
    post_in_channel,
    search_mail,
    send_mail,
    switch_to,
    type_row,
)
from mock_apps.tasks.model import Task

CLOSE_WORKBOOK = "Month-End Close Checklist March 2026"
LOG_HEADER = {"A": "Date", "B": "Customer", "C": "Invoice", "D": "Open Balance", "E": "Contacted"}


def read_ar_aging(page) -> None:
    """Open the A/R Aging Detail report in Books (where the open balances and due dates are)."""
    page.get_by_test_id("nav-reports").click()
    page.wait_for_load_state()
    page.get_by_test_id("report-ar-aging-detail").click()
    page.wait_for_load_state()


def mail_reminder(page, *, invoice: str, contact: str, email: str, balance_text: str,
                  cc: str = "marcus.reyes@meridiansupply.com", signed: str = "Dana Whitfield") -> None:
    """A short reminder with the invoice number and open balance up front, the controller in Cc."""
    first = contact.replace("Pastor ", "").replace("Dr. ", "").split()[0]
    send_mail(page, to=email, cc=cc,
              subject=f"Past due: {invoice}, ${balance_text} open",
              body=f"Hi {first},\n\nInvoice {invoice} has an open balance of ${balance_text} and is past due. "
                   f"Could you let me know when we can expect payment?\n\nThank you,\n{signed}")


def open_collections_log(page, workbook: str = CLOSE_WORKBOOK) -> None:
    """Open the close checklist workbook and add a Collections Log sheet with its header row."""
    open_sheet(page, workbook)
    add_sheet(page, "Collections Log")
    type_row(page, 1, LOG_HEADER)


@demo("chase-overdue-invoice")
def chase_overdue_invoice(page, task: Task) -> None:
    """Aging read, reminder mailed, follow-up logged on a new Collections Log sheet, Marcus told in a DM."""
    p, c = task.params, company_of(task)
    read_ar_aging(page)
    switch_to(page, "mail")
    mail_reminder(page, invoice=p["invoice"], contact=p["contact"], email=p["email"], balance_text=p["balance_text"],
                  cc=c["controller_email"], signed=c["owner_name"])
    switch_to(page, "sheets")
    open_collections_log(page, c["close_workbook"])
    type_row(page, 2, {"A": c["today"], "B": p["customer"], "C": p["invoice"], "D": str(p["balance"]),
                       "E": p["contact"]})
    switch_to(page, "chat")
    post_in_channel(page, f"dm-{c['controller_key']}",
                    f"Reminder for {p['invoice']} (${p['balance_text']} open) went to {p['contact']} with you in Cc; "
                    "it is on the Collections Log.")


@demo("collections-chase-overdue-from-aging")
def chase_all_past_due(page, task: Task) -> None:
    """Aging read, the seller's note on the promised invoice read, a reminder per past-due invoice, the checklist
    line Done, #finance told."""
    p, c = task.params, company_of(task)
    spared = p["spared_customer"] + p["spared_invoice"]
    read_ar_aging(page)
    switch_to(page, "mail")
    for promise in spared:
        search_mail(page, promise["invoice"])  # the arrangement: about half paid, the rest next month
    for chase in p["chased"]:
        mail_reminder(page, invoice=chase["invoice"], contact=chase["contact"], email=chase["email"],
                      balance_text=chase["balance_text"], cc=c["controller_email"], signed=c["owner_name"])
    switch_to(page, "sheets")
    open_sheet(page, c["close_workbook"])
    type_row(page, p["checklist_row"], {"D": "Done", "E": c["today"]})
    switch_to(page, "chat")
    left = " ".join(f"{s['invoice']} left open: {s['short']} pays the rest in {s['month']}." for s in spared)
    post_in_channel(page, "finance", f"A/R follow-up done: reminders sent for {p['chased_list']} "
                                     f"({c['controller']} in Cc). {left}".rstrip())


@demo("collections-confirm-remaining-balance")
def confirm_remaining_balance(page, task: Task) -> None:
    """The seller's note read, the open balance read on the aging, a confirmation mailed, logged, the seller told."""
    p, c = task.params, company_of(task)
    search_mail(page, p["invoice"])
    switch_to(page, "books")
    read_ar_aging(page)
    switch_to(page, "mail")
    send_mail(page, to=p["email"], cc=p["seller_email"],
              subject=f"{p['invoice']}: remaining balance {p['balance_dollars']} due in {p['month']}",
              body=f"Hi {p['contact'].split()[0]},\n\n{p['invoice']} has a remaining open balance of "
                   f"{p['balance_dollars']} after your {p['paid']} payment. Thank you for letting {p['seller']} know; "
                   f"we expect the rest in {p['month']}.\n\n{c['owner_name']}")
    switch_to(page, "sheets")
    open_collections_log(page, c["close_workbook"])
    type_row(page, 2, {"A": c["today"], "B": p["customer"], "C": p["invoice"], "D": f"{p['balance']:.2f}",
                       "E": p["contact"], "F": f"Promised {p['month']}"})
    switch_to(page, "chat")
    post_in_channel(page, f"dm-{p['seller_key']}",
                    f"I confirmed {p['invoice']}'s remaining {p['balance_dollars']} with {p['contact'].split()[0]} "
                    f"(you in Cc); it is on the Collections Log as promised for {p['month']}.")
