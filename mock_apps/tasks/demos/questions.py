"""Demonstrations of questions answered from the apps: a reply to a vendor's query, and final answers.

A final-answer demonstration only reads (its pages are the lookup a trainer would do) and returns the answer
as a trainer would type it in the task panel."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.pages import open_channel, open_mail, switch_to
from mock_apps.tasks.model import Task


def search_books(page, text: str) -> None:
    """Books' search box, then the first result."""
    box = page.get_by_role("searchbox", name="Search books")
    box.fill(text)
    box.press("Enter")
    page.wait_for_load_state()


def open_first_result(page, text: str) -> None:
    """Open the first link on the page whose name contains `text`."""
    page.get_by_role("link", name=text).first.click()
    page.wait_for_load_state()


def vendor_query_then_bill(page, invoice: str) -> None:
    """The vendor's "Payment status" mail about an invoice, then that bill (and its payment) in Books."""
    open_mail(page, invoice, "Payment status")
    switch_to(page, "books")
    search_books(page, invoice)
    open_first_result(page, invoice)


@demo("answer-vendor-payment-query")
def reply_to_payment_query(page, task: Task) -> None:
    """Read the vendor's query, find the bill and its payment in Books, reply in the conversation."""
    p = task.params
    vendor_query_then_bill(page, p["invoice"])
    switch_to(page, "mail")
    open_mail(page, p["invoice"], "Payment status")
    page.get_by_test_id("reply").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-body").fill(
        f"Hi {p['contact'].split()[0]},\n\nInvoice {p['invoice']} was paid on {p['paid_on']} by {p['method']}, "
        f"reference {p['reference']}.\n\nBest regards,\n{company_of(task)['owner_name']}")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()


@demo("answer-inv-1021-open-balance")
def inv_1021_open_balance(page, task: Task) -> str:
    """Jamal's note in #finance, then INV-1021's open balance in Books."""
    open_channel(page, "finance")
    switch_to(page, "books")
    search_books(page, "INV-1021")
    open_first_result(page, "INV-1021")
    return "$8,301.40"


@demo("answer-pioneer-payment-reference")
def pioneer_payment_reference(page, task: Task) -> str:
    """Pioneer's mail, then the February bill and its payment in Books."""
    vendor_query_then_bill(page, "PI-38798")
    return "ACH-700494"


@demo("answer-hale-payment-date")
def hale_payment_date(page, task: Task) -> str:
    """Hale's mail, then the February bill and its payment in Books."""
    vendor_query_then_bill(page, "HA-85511")
    return "March 17, 2026"


@demo("answer-out-of-policy-employees")
def out_of_policy_employees(page, task: Task) -> str:
    """The expense reports in the mailbox against the pinned policy in #finance."""
    open_mail(page, "Expense report - March 2026", "Sophie Lindqvist")
    switch_to(page, "chat")
    open_channel(page, "finance")
    return "Sophie Lindqvist"


@demo("answer-unrecorded-remittances-total")
def unrecorded_remittances_total(page, task: Task) -> str:
    """The remittance advices in the inbox, each check looked up in Books (four are not there)."""
    for check in ("CHK 40417", "CHK 2291", "CHK 118734", "CHK 77012"):
        switch_to(page, "mail")
        open_mail(page, check, "Remittance advice")
        switch_to(page, "books")
        search_books(page, check)
    return "$68,244.10"


@demo("answer-crestview-ein")
def crestview_ein(page, task: Task) -> str:
    """Crestview's setup mail (and its W-9)."""
    open_mail(page, "Crestview Packaging Solutions", "New vendor setup")
    return "31-4827719"


@demo("answer-pinecrest-open-invoice-count")
def pinecrest_open_invoices(page, task: Task) -> str:
    """Pinecrest's customer page in Books lists its open invoices."""
    search_books(page, "Pinecrest Family Clinic")
    open_first_result(page, "Pinecrest Family Clinic")
    return "3"
