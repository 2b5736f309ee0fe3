"""The ledger's invariants, checked over the whole database (tests, benchmarks and the control of a world)."""

from __future__ import annotations

from sqlmodel import func, select

from mock_apps.books import reports, service
from mock_apps.books.models import Account, Application, Split, Txn
from mock_apps.core.database import WorldSession


def audit(db: WorldSession) -> list[str]:
    """Every broken invariant, described; an empty list means the books are sound."""
    problems: list[str] = []
    unbalanced = db.exec(select(Split.txn_id, func.sum(Split.amount_cents)).group_by(Split.txn_id)
                         .having(func.sum(Split.amount_cents) != 0)).all()
    problems += [f"transaction {txn_id} is off by {total} cents" for txn_id, total in unbalanced]
    stale = db.exec(select(Split.id).join(Txn, Txn.id == Split.txn_id).where(Split.txn_date != Txn.txn_date)).all()
    problems += [f"split {split_id} carries a date other than its transaction's" for split_id in stale]
    today = service.today(db)
    tb = reports.trial_balance(db, today)
    if tb.totals["debits"] != tb.totals["credits"]:
        problems.append(f"trial balance: debits {tb.totals['debits']} != credits {tb.totals['credits']}")
    sheet = reports.balance_sheet(db, today)
    if sheet.totals["total_assets"] != sheet.totals["total_liabilities_and_equity"]:
        problems.append(f"balance sheet: assets {sheet.totals['total_assets']} != liabilities and equity "
                        f"{sheet.totals['total_liabilities_and_equity']}")
    for side, acc_type, debit_doc, credit_doc, sign in (("A/R", "Accounts receivable", "Invoice", "CreditMemo", 1),
                                                        ("A/P", "Accounts payable", "Bill", "VendorCredit", -1)):
        control = sign * db.exec(select(func.coalesce(func.sum(Split.amount_cents), 0)).join(
            Account, Account.id == Split.account_id).where(Account.type == acc_type)).one()
        docs = db.exec(select(func.coalesce(func.sum(Txn.balance_cents), 0)).where(Txn.type == debit_doc)).one() - \
            db.exec(select(func.coalesce(func.sum(Txn.balance_cents), 0)).where(Txn.type == credit_doc)).one()
        if control != docs:
            problems.append(f"{side}: control account {control} != open documents {docs}")
    for target_id, total, applied in db.exec(
            select(Txn.id, Txn.total_cents - Txn.balance_cents, func.coalesce(func.sum(Application.amount_cents), 0))
            .outerjoin(Application, Application.target_id == Txn.id)
            .where(Txn.type.in_(("Invoice", "Bill", "CreditMemo", "VendorCredit")), Txn.voided == False)  # noqa: E712
            .group_by(Txn.id)).all():
        if total != applied:
            problems.append(f"document {target_id}: paid {total} but applications sum to {applied}")
    negative = db.exec(select(Txn.id).where(Txn.balance_cents < 0)).all()
    problems += [f"document {txn_id} has a negative open balance" for txn_id in negative]
    return problems
