"""Demonstrations of a law firm's trust work: a retainer deposited to trust, an earned fee paid from trust."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.books_forms import deposit, journal, receive
from mock_apps.tasks.demos.pages import open_mail, post_in_channel, switch_to
from mock_apps.tasks.demos.report import report
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


@demo("law-trust-retainer-receipt")
def retainer_receipt(page, task: Task) -> None:
    """The retainer deposited to trust, a receipt to the client, a Trust Log row, the controller told."""
    p, c = task.params, company_of(task)
    deposit_retainer(page, task)
    report(page, c, mails=[(p["email"], f"Receipt for your retainer check {p['check']}",
                            f"Hi {p['contact_first']},\n\nWe received your retainer check {p['check']} for "
                            f"${p['amount_plain']} ({p['matter']}); it is held in our client trust account.")],
           sheet="Trust Log", header=["Date", "Client", "Reference", "Amount"],
           rows=[[c["today"], p["client"], p["check"], str(p["amount_number"])]],
           told=f"{p['client_s']} retainer {p['check']} ({p['amount']}) is deposited to trust and logged.")


@demo("law-trust-earned-fee-notice")
def earned_fee_notice(page, task: Task) -> None:
    """The fee paid from trust, the client told what stays in trust, a Trust Log row, the controller told."""
    p, c = task.params, company_of(task)
    apply_earned_fee(page, task)
    report(page, c, mails=[(p["email"], f"{p['invoice']} paid from your trust funds",
                            f"Hi {p['contact_first']},\n\nAs agreed, invoice {p['invoice']} (${p['amount_plain']}) "
                            f"was paid from the funds we hold in trust for you. ${p['left_plain']} remains in trust.")],
           sheet="Trust Log", header=["Date", "Client", "Reference", "Amount"],
           rows=[[c["today"], p["client"], p["invoice"], str(p["amount_number"])]],
           told=f"{p['invoice']} is paid from {p['client_s']} trust funds; the client is told and it is logged.")


@demo("law-trust-day")
def trust_day(page, task: Task) -> None:
    """Every retainer deposited and every approved fee moved out of trust, each from its mail; a Trust Log row each."""
    p, c = task.params, company_of(task)
    for item in p["deposits"]:
        switch_to(page, "mail")
        deposit_retainer(page, task.model_copy(update={"params": item}))
    for item in p["fees"]:
        switch_to(page, "mail")
        apply_earned_fee(page, task.model_copy(update={"params": item}))
    rows = [[item["date"], item["client"], item["check"], str(item["amount_number"])] for item in p["deposits"]]
    rows += [[c["today"], item["client"], item["invoice"], str(item["amount_number"])] for item in p["fees"]]
    report(page, c, mails=[], sheet="Trust Log", header=["Date", "Client", "Reference", "Amount"], rows=rows,
           told=f"Today's trust work is done: {p['deposit_count']} retainers deposited to trust, "
                f"{p['fee_count']} approved invoices paid from trust; all on the Trust Log.")


@demo("law-trust-balance-question")
def trust_balance_question(page, task: Task) -> str:
    """Read the partner's mail (the trust balance and the invoice) and answer what stays in trust."""
    p = task.params
    open_mail(page, p["invoice"], "Apply trust funds")
    return p["left"]


@demo("law-trust-deposit-all-retainers")
def deposit_all_retainers(page, task: Task) -> None:
    """Each retainer check's mail read and the check deposited to trust."""
    for item in task.params["deposits"]:
        switch_to(page, "mail")
        deposit_retainer(page, task.model_copy(update={"params": item}))


@demo("law-trust-three-way-check")
def three_way_check(page, task: Task) -> None:
    """The bank's statement, the account in Books' chart, the ledger's total; a Three-Way Check sheet; the controller told."""
    from mock_apps.tasks.demos.report import log_sheet
    from mock_apps.tasks.selectors.money import plain

    p, c = task.params, company_of(task)
    open_mail(page, "IOLTA", "statement")
    switch_to(page, "books")
    page.get_by_test_id("nav-accounting").click()
    page.wait_for_load_state()
    bank, ledger = p["bank_number"], p["ledger_number"]
    log_sheet(page, p["ledger_workbook"], "Three-Way Check", ["Source", "Balance"],
              [["Bank statement", str(bank)], ["Books", str(bank)], ["Client ledger", str(ledger)],
               ["Difference", str(p["difference_number"])]])
    switch_to(page, "chat")
    post_in_channel(page, f"dm-{c['controller_key']}",
                    f"Three-way check of the trust account: the bank statement and Books agree at ${plain(round(bank * 100))}, "
                    f"but the client ledger totals ${plain(round(ledger * 100))}, off by ${p['difference_plain']}.")
