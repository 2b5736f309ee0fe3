"""Demonstrations of questions answered from the apps: a reply to a vendor's query, and final answers.

A final-answer demonstration only reads (its pages are the lookup a trainer would do) and returns the answer
as a trainer would type it in the task panel."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo, facts_of
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


def _read_for(page, task: Task) -> None:
    """The lookup a trainer does for each kind of question (the pages read, nothing changed)."""
    p, facts = task.params, facts_of(task)
    kind, about = p["kind"], p["about"]
    if kind == "open-balance":  # the note in #finance, then the invoice in Books
        open_channel(page, "finance")
        switch_to(page, "books")
        search_books(page, about)
        open_first_result(page, about)
    elif kind in ("payment-reference", "payment-date"):  # the vendor's mail, then the bill and its payment
        vendor_query_then_bill(page, about)
    elif kind == "meal-policy":  # the expense reports in the mailbox against the policy pinned in #finance
        open_mail(page, f"Expense report - {facts.now:%B %Y}", p["value"][0])
        switch_to(page, "chat")
        open_channel(page, "finance")
    elif kind == "unrecorded-remittances":  # each advice in the inbox, each check looked up in Books
        for remittance in facts.pending_remittances:
            switch_to(page, "mail")
            open_mail(page, remittance.reference, "Remittance advice")
            switch_to(page, "books")
            search_books(page, remittance.reference)
    elif kind == "new-vendor-ein":  # the vendor's setup mail (and its W-9)
        open_mail(page, about, "New vendor setup")
    elif kind == "open-invoice-count":  # the customer's page in Books lists its open invoices
        search_books(page, about)
        open_first_result(page, about)
    else:
        raise ValueError(f"no demonstration for questions of kind {kind!r}")


@demo("answer-question")
def answer_question(page, task: Task) -> str:
    """Look the answer up where a trainer would, then give it as a trainer would type it."""
    from datetime import date

    from mock_apps.tasks.selectors.money import dollars

    _read_for(page, task)
    p = task.params
    if p["type"] == "money":
        return dollars(p["value"])
    if p["type"] == "date":
        return f"{date.fromisoformat(p['value']):%B %-d, %Y}"  # as people write it; the check reads the date
    if p["type"] == "set":
        return ", ".join(p["value"])
    return str(p["value"])
