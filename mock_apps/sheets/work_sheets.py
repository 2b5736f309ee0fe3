"""The industry's own work in the accountant's workbooks (mock_apps/scenarios/work.py): a law firm's client
trust ledger, one balance per client (one of them mistyped, as `Work.ledger_error` says) and their total."""

from __future__ import annotations

from mock_apps.sheets import service


def seed(db, facts, fill, money: str) -> None:
    """Add the work's workbooks (`fill` writes a table with its header and formats, `money` is the money format)."""
    work = facts.work
    if work is None or not work.trust_balances:
        return
    wrong = work.ledger_error
    wb = service.create_workbook(db, f"Client Trust Ledger {facts.now:%B %Y}", ["Client Balances"])
    sheet = service.sheets_of(db, wb)[0]
    rows: list[list] = [["Client", "Balance"]]
    for balance in work.trust_balances:
        cents = wrong.cents if wrong and wrong.customer_key == balance.customer_key else balance.cents
        rows.append([facts.customer(balance.customer_key).name, cents / 100])
    rows.append(["Total", f"=SUM(B2:B{len(rows)})"])
    fill(db, wb, sheet, rows, {2: money}, {1: 280, 2: 140})
