"""Demonstrations of customer payments: remittance advices recorded in Books, and a statement sent after one."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
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


@demo("send-hilltop-statement-after-their-check")
def hilltop_statement(page, task: Task) -> None:
    """Jamal's request in Chat, Hilltop's advice in Mail, the check into Books, the statement out, Jamal told."""
    open_channel(page, "dm-jamal.carter")
    switch_to(page, "mail")
    open_mail(page, "CHK 118734", "Remittance advice")
    switch_to(page, "books")
    receive_payment(page, customer="Hilltop School District", date="2026-03-31", check="CHK 118734",
                    invoices=["INV-1038", "INV-1041"])
    page.get_by_role("searchbox", name="Search books").fill("Hilltop School District")
    page.get_by_role("searchbox", name="Search books").press("Enter")
    page.wait_for_load_state()
    switch_to(page, "mail")
    send_mail(page, to="frank@hilltopschool.com", subject="Statement of account - Hilltop School District",
              body="Statement as of March 31, 2026. Open: INV-1021 (February 10), $8,301.40. Total still open: "
                   "$8,301.40.\n\nHi Frank, thank you for check CHK 118734, which paid INV-1038 and INV-1041 in "
                   "full.\n\nBest regards,\nDana Whitfield")
    switch_to(page, "chat")
    post_in_channel(page, "dm-jamal.carter",
                    "Hilltop's statement is sent to Frank Morales: only INV-1021's $8,301.40 is still open.")
