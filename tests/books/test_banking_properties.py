"""Random bank-feed and reconciliation work keeps the books sound and the reconciled balance consistent."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from mock_apps.books import banking, service
from mock_apps.books.audit import audit
from mock_apps.books.ledger import LedgerError
from mock_apps.books.models import Account, BankLine, Split
from mock_apps.core.errors import MockAppsError

STEP = st.tuples(st.sampled_from(["match", "categorize", "exclude", "undo", "reconcile", "unreconcile", "void"]),
                 st.integers(0, 10_000))


def _reconciled_total(session, account_id: int) -> int:
    return session.exec(select(func.coalesce(func.sum(Split.amount_cents), 0)).where(
        Split.account_id == account_id, Split.cleared == "R")).one()


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=3, max_size=15))
def test_random_feed_and_reconcile_work_keeps_invariants(fresh_books_worlds, steps):
    with fresh_books_worlds() as world:
        _random_feed_and_reconcile_work(world.session(), steps)


def _random_feed_and_reconcile_work(session, steps) -> None:
    try:
        checking = session.exec(select(Account).where(Account.name == "Operating Checking")).one()
        categories = [a.id for a in session.exec(select(Account).where(Account.type.in_(
            ("Expense", "Income", "Other income", "Credit card")))).all()]
        for op, seed in steps:
            lines = session.exec(select(BankLine).where(BankLine.account_id == checking.id)
                                 .order_by(BankLine.id)).all()
            review = [x for x in lines if x.status == "review"]
            done = [x for x in lines if x.status != "review"]
            try:
                if op == "match" and review:
                    line = review[seed % len(review)]
                    found = banking.match_candidates(session, line)
                    if found:
                        banking.match_line(session, line.id, found[seed % len(found)][0].id)
                elif op == "categorize" and review:
                    banking.categorize_line(session, review[seed % len(review)].id, categories[seed % len(categories)])
                elif op == "exclude" and review:
                    banking.exclude_line(session, review[seed % len(review)].id)
                elif op == "undo" and done:
                    banking.undo_line(session, done[seed % len(done)].id)
                elif op == "reconcile":
                    sheet = banking.worksheet(session, checking.id, date(2026, 3, 1 + seed % 30), 0)
                    ticked = {s.id for _t, s in sheet.items if s.cleared == "C"}
                    ending = sheet.beginning_cents + sum(s.amount_cents for _t, s in sheet.items if s.id in ticked)
                    banking.finish_reconciliation(session, checking.id, sheet.statement_date, ending, ticked)
                elif op == "unreconcile":
                    banking.undo_reconciliation(session, checking.id)
                elif op == "void" and done:
                    line = done[seed % len(done)]
                    if line.txn_id:
                        service.void_txn(session, line.txn_id)
            except (LedgerError, MockAppsError):
                pass  # a refused step must leave everything as it was: checked below
            assert audit(session) == [], (op, seed)
            last = banking.last_reconciliation(session, checking.id)
            if last is not None:  # what is reconciled adds up to the last statement's ending balance
                assert _reconciled_total(session, checking.id) == last.ending_balance_cents, (op, seed)
            for line in session.exec(select(BankLine).where(BankLine.status == "categorized")).all():
                assert line.txn_id is not None
                split = session.exec(select(Split).where(Split.txn_id == line.txn_id,
                                                         Split.account_id == line.account_id)).first()
                assert split is not None and split.cleared in ("C", "R") and split.amount_cents == line.amount_cents
    finally:
        session.close()
