"""Demonstrations of a medical practice's remittances: an ERA posted (write-off, EFT, the patient billed)."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo, facts_of
from mock_apps.tasks.demos.books_forms import receive, sales_form
from mock_apps.tasks.demos.pages import open_mail, switch_to
from mock_apps.tasks.demos.report import log_sheet, report
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


@demo("medical-era-bill-patient")
def era_bill_patient(page, task: Task) -> None:
    """The ERA posted, the patient mailed their balance, the EFT on an ERA Log sheet, the controller told."""
    p, c = task.params, company_of(task)
    post_era(page, task)
    report(page, c, mails=[(p["patient_email"], "Your balance after insurance",
                            f"Hello {p['patient'].split()[0]},\n\n{p['payer']} processed your claim {p['patient_claim']}. "
                            f"Your share (coinsurance) is ${p['patient_plain']}; an invoice follows.")],
           sheet="ERA Log", header=["Date", "Payer", "EFT trace", "Paid"],
           rows=[[c["today"], p["payer"], p["trace"], str(p["paid_number"])]],
           told=f"ERA EFT {p['trace']} from {p['payer']} is posted ({p['paid']}); {p['patient']} is billed {p['patient_amount']}.")


@demo("medical-post-all-eras")
def post_all_eras(page, task: Task) -> None:
    """Each ERA in the mailbox posted in turn (write-off, EFT, the patient billed)."""
    for item in task.params["eras"]:
        switch_to(page, "mail")
        post_era(page, task.model_copy(update={"params": item}))


@demo("medical-era-allowed-question")
def era_allowed_question(page, task: Task) -> str:
    """Read the ERA and add what the payer paid and what the patients owe."""
    from mock_apps.tasks.selectors.money import dollars

    p = task.params
    open_mail(page, p["trace"], "Electronic remittance advice")
    return dollars(p["allowed_cents"])


@demo("medical-era-to-sheet")
def era_to_sheet(page, task: Task) -> None:
    """Read the ERA, then type its claims into a new ERA Log sheet of the close workbook."""
    p, c = task.params, company_of(task)
    open_mail(page, p["trace"], "Electronic remittance advice")
    log_sheet(page, c["close_workbook"], "ERA Log", ["Claim", "Billed", "Paid", "Adjustment", "Patient"],
              [[str(v) for v in row] for row in p["rows"]])


@demo("medical-era-patient-question")
def era_patient_question(page, task: Task) -> str:
    """Read the ERA and name the patient with a responsibility."""
    p = task.params
    open_mail(page, p["trace"], "Electronic remittance advice")
    return p["patient"]
