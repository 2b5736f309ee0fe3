"""Demonstrations of a law firm's trust work: a retainer deposited to trust, an earned fee paid from trust."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.books_forms import deposit, journal, receive
from mock_apps.tasks.demos.pages import open_mail, switch_to
from mock_apps.tasks.model import Task


@demo("law-trust-deposit-retainer")
def deposit_retainer(page, task: Task) -> None:
    """Read the client's retainer mail, then deposit the check to the trust account, owed to the client."""
    p = task.params
    open_mail(page, p["check"], "Retainer")
    switch_to(page, "books")
    deposit(page, to=p["trust_option"], date=p["date"], source=p["client"], account=p["liability_option"],
            amount=p["amount_plain"], description=f"Retainer {p['check']}, {p['matter']}")


@demo("law-trust-apply-earned-fee")
def apply_earned_fee(page, task: Task) -> None:
    """Read the partner's approval, receive the invoice's payment into operating, then move the fee out of trust."""
    p, c = task.params, company_of(task)
    open_mail(page, p["invoice"], "Apply trust funds")
    switch_to(page, "books")
    receive(page, customer=p["client"], date=c["today"], reference=f"Trust {p['invoice']}", method="ACH",
            bank=c["bank_option"], full=[p["invoice"]])
    amount = f"{p['total_cents'] / 100:.2f}"
    journal(page, date=c["today"], memo=f"Earned fee {p['invoice']} from trust",
            lines=[(p["liability_option"], amount, "", p["client"]), (p["trust_option"], "", amount, p["client"])])
