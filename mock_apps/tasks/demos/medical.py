"""Demonstrations of a medical practice's remittances: an ERA posted (write-off, EFT, the patient billed)."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo, facts_of
from mock_apps.tasks.demos.books_forms import receive, sales_form
from mock_apps.tasks.demos.pages import open_mail, switch_to
from mock_apps.tasks.model import Task

REVENUE = "Patient Service Revenue"


@demo("medical-post-era")
def post_era(page, task: Task) -> None:
    """Read the ERA, credit the payer what it does not pay, receive the EFT closing the claims, bill the patient."""
    p, c, facts = task.params, company_of(task), facts_of(task)
    revenue = facts.account(REVENUE)
    account = f"{revenue.number} {revenue.name}"
    open_mail(page, p["trace"], "Electronic remittance advice")
    switch_to(page, "books")
    sales_form(page, "Credit memo", customer=p["payer"], date=p["date"], number=p["credit_memo"],
               lines=[{"account": account, "description": f"Contractual adjustments and patient responsibility, "
                                                          f"EFT {p['trace']}", "amount": p["credit_plain"]}])
    receive(page, customer=p["payer"], date=p["date"], reference=p["trace"], method="ACH", bank=c["bank_option"],
            full=[*p["claims"], p["credit_memo"]])
    sales_form(page, "Invoice", customer=p["patient"], date=c["today"],
               lines=[{"account": account, "description": f"Patient responsibility, claim {p['patient_claim']}",
                       "amount": p["patient_plain"]}])
