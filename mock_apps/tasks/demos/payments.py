"""Demonstrations of customer payments: remittance advices recorded in Books, and a statement sent after one."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo, facts_of
from mock_apps.tasks.demos.pages import open_channel, open_mail, post_in_channel, send_mail, switch_to
from mock_apps.tasks.model import Task


def receive_payment(page, *, customer: str, date: str, check: str, invoices: list[str],
                    bank: str = "1000 Operating Checking") -> None:
    """Books' "+ New" > Receive payment: a check deposited to the bank account, each invoice paid in full."""
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Receive payment").click()
    page.wait_for_load_state()
    page.get_by_label("Customer", exact=True).select_option(label=customer)
    page.get_by_role("button", name="Show open invoices").click()
    page.wait_for_load_state()
    page.get_by_label("Payment date").fill(date)
    page.get_by_label("Deposit to").select_option(label=bank)
    page.get_by_label("Payment method").select_option("Check")
    page.get_by_label("Reference no.").fill(check)
    for number in invoices:
        page.get_by_label(f"Pay {number} in full").check()
    page.get_by_test_id("save").click()
    page.wait_for_load_state()


@demo("record-remittance")
def record_remittance(page, task: Task) -> None:
    """Read the remittance advice in the mailbox, then receive the check in Books against its invoices."""
    p = task.params
    open_mail(page, p["check"], "Remittance advice")
    switch_to(page, "books")
    receive_payment(page, customer=p["customer"], date=p["date"], check=p["check"], invoices=p["paid"],
                    bank=company_of(task)["bank_option"])


@demo("statement-after-check")
def statement_after_check(page, task: Task) -> None:
    """The seller's request in Chat, the advice in Mail, the check into Books, the statement out, the seller told."""
    from datetime import date

    from mock_apps.tasks.selectors.money import dollars
    from mock_apps.tasks.selectors.remittances import open_cents

    p, c, facts = task.params, company_of(task), facts_of(task)
    open_channel(page, f"dm-{p['seller_key']}")
    switch_to(page, "mail")
    open_mail(page, p["check"], "Remittance advice")
    switch_to(page, "books")
    receive_payment(page, customer=p["customer"], date=p["date"], check=p["check"], invoices=p["paid"],
                    bank=c["bank_option"])
    page.get_by_role("searchbox", name="Search books").fill(p["customer"])
    page.get_by_role("searchbox", name="Search books").press("Enter")
    page.wait_for_load_state()
    still_open = [i for i in facts.invoices if facts.customer(i.customer_key).name == p["customer"]
                  and i.number not in p["paid"] and open_cents(facts, i.number) > 0]
    lines = " ".join(f"{i.number} ({i.date:%B %-d}), {dollars(open_cents(facts, i.number))}." for i in still_open)
    switch_to(page, "mail")
    send_mail(page, to=p["email"], subject=f"Statement of account - {p['customer']}",
              body=f"Statement as of {date.fromisoformat(c['today']):%B %-d, %Y}. Open: {lines} Total still open: "
                   f"{p['open_total']}.\n\nHi {p['contact_first']}, thank you for check {p['check']}, which paid "
                   f"{p['paid_text']} in full.\n\nBest regards,\n{c['owner_name']}")
    switch_to(page, "chat")
    post_in_channel(page, f"dm-{p['seller_key']}",
                    f"{p['short']}'s statement is sent to {p['contact']}: only {p['open_total']} is still open.")
