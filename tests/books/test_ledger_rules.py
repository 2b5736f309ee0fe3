"""Pure bookkeeping rules: balancing, posting, status, aging and report arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from mock_apps.books import ledger
from mock_apps.books.ledger import AccountInfo, LedgerError, Posting


def test_balanced_transaction_passes_and_unbalanced_names_the_difference():
    ledger.check_balanced([Posting(1, 500), Posting(2, -500)])
    with pytest.raises(LedgerError, match=r"differ by \$0\.01"):
        ledger.check_balanced([Posting(1, 500), Posting(2, -499)])
    with pytest.raises(LedgerError):
        ledger.check_balanced([])


@pytest.mark.parametrize("rule, args", [
    (ledger.post_invoice, (10, 7, [(40, 1000), (41, 250)])),
    (ledger.post_credit_memo, (10, 7, [(40, 1000)])),
    (ledger.post_bill, (20, 8, [(60, 1000), (61, -100)])),
    (ledger.post_vendor_credit, (20, 8, [(60, 300)])),
    (ledger.post_purchase, (1, None, [(60, 300), (61, 200)])),
    (ledger.post_deposit, (1, [(70, 123)])),
])
def test_every_posting_rule_balances(rule, args):
    postings = rule(*args)
    ledger.check_balanced(postings)
    assert len(postings) >= 2


def test_invoice_debits_receivable_and_credits_income():
    postings = ledger.post_invoice(10, 7, [(40, 1000), (41, 250)])
    assert postings[0] == Posting(10, 1250, 7)
    assert {p.account_id: p.amount_cents for p in postings[1:]} == {40: -1000, 41: -250}


def test_bill_credits_payable_and_payment_rules():
    assert ledger.post_bill(20, 8, [(60, 900)])[0].amount_cents == -900
    assert ledger.post_payment(1, 10, 7, 300) == [Posting(1, 300, 7), Posting(10, -300, 7)]
    assert ledger.post_bill_payment(1, 20, 8, 300) == [Posting(20, 300, 8), Posting(1, -300, 8)]
    assert ledger.post_payment(1, 10, 7, 0) == []
    with pytest.raises(LedgerError):
        ledger.post_payment(1, 10, 7, -5)


def test_documents_with_zero_or_negative_totals_are_refused():
    with pytest.raises(LedgerError, match="more than zero"):
        ledger.post_invoice(10, 7, [(40, 100), (41, -100)])
    with pytest.raises(LedgerError, match="at least one line"):
        ledger.post_bill(20, 8, [])


def test_journal_entry_rules():
    postings = ledger.post_journal([(1, 500, 0, None, ""), (2, 0, 300, None, ""), (3, 0, 200, None, "")])
    assert sum(p.amount_cents for p in postings) == 0
    with pytest.raises(LedgerError, match="does not balance"):
        ledger.post_journal([(1, 500, 0, None, ""), (2, 0, 400, None, "")])
    with pytest.raises(LedgerError, match="not both"):
        ledger.post_journal([(1, 500, 500, None, ""), (2, 0, 0, None, "")])
    with pytest.raises(LedgerError, match="negative"):
        ledger.post_journal([(1, -5, 0, None, ""), (2, 0, -5, None, "")])


def test_transfer_rules():
    assert ledger.post_transfer(1, 2, 100) == [Posting(1, -100), Posting(2, 100)]
    with pytest.raises(LedgerError):
        ledger.post_transfer(1, 1, 100)
    with pytest.raises(LedgerError):
        ledger.post_transfer(1, 2, 0)


def test_line_amounts_and_quantities():
    assert ledger.line_amount(2_500, 1_999) == 4_998  # 2.5 x $19.99 = $49.975 -> $49.98
    assert ledger.line_amount(1_000, -8_000) == -8_000
    ledger.check_quantity(1)
    with pytest.raises(LedgerError, match="positive"):
        ledger.check_quantity(-1_000)


@pytest.mark.parametrize("total, balance, due, status", [
    (1000, 1000, date(2026, 4, 1), "Open"),
    (1000, 400, date(2026, 4, 1), "Partial"),
    (1000, 0, date(2026, 1, 1), "Paid"),
    (1000, 400, date(2026, 3, 30), "Overdue"),
    (1000, 1000, date(2026, 3, 31), "Open"),
])
def test_document_status_from_the_clock(total, balance, due, status):
    assert ledger.document_status(total, balance, due, date(2026, 3, 31)) == status
    assert ledger.document_status(total, balance, due, date(2026, 3, 31), voided=True) == "Voided"


def test_applications_cannot_exceed_the_open_balance():
    ledger.check_application("INV-1", 500, 500)
    with pytest.raises(LedgerError, match="more than the open balance"):
        ledger.check_application("INV-1", 500, 501)
    with pytest.raises(LedgerError):
        ledger.check_application("INV-1", 500, 0)


@pytest.mark.parametrize("days, bucket", [(-5, "Current"), (0, "Current"), (1, "1 - 30"), (30, "1 - 30"),
                                          (31, "31 - 60"), (60, "31 - 60"), (61, "61 - 90"), (90, "61 - 90"),
                                          (91, "91 and over"), (400, "91 and over")])
def test_aging_buckets(days, bucket):
    from datetime import timedelta

    as_of = date(2026, 3, 31)
    assert ledger.aging_bucket(as_of - timedelta(days=days), as_of) == bucket


def test_reports_over_plain_data():
    accounts = [AccountInfo(1, "1000", "Checking", "Bank"), AccountInfo(2, "2000", "A/P", "Accounts payable"),
                AccountInfo(3, "3100", "Retained Earnings", "Equity"), AccountInfo(4, "4000", "Sales", "Income"),
                AccountInfo(5, "6000", "Rent", "Expense"), AccountInfo(6, "3000", "Owner", "Equity")]
    # opening: 1000 cash from owner; last year sales 300; this year sales 500, rent 200, 100 unpaid bill
    prior = {1: 1300, 6: -1000, 4: -300}
    current = {1: 300, 4: -500, 5: 300, 2: -100}
    balances = {k: prior.get(k, 0) + current.get(k, 0) for k in range(1, 7)}
    rows, debits, credits = ledger.trial_balance(accounts, balances)
    assert debits == credits == 1900
    pl = ledger.profit_and_loss(accounts, current)
    assert pl["net_income"] == 200 and pl["gross_profit"] == 500
    sheet = ledger.balance_sheet(accounts, balances, ledger.net_income(accounts, prior),
                                 ledger.net_income(accounts, current))
    assert sheet["total_assets"] == 1600
    assert sheet["total_liabilities_and_equity"] == 1600
    equity = {a.name: v for a, v in sheet["equity"]}
    assert equity == {"Owner": 1000, "Retained Earnings": 300, "Net Income": 200}


def test_fiscal_year_start():
    assert ledger.fiscal_year_start(date(2026, 3, 31)) == date(2026, 1, 1)
    assert ledger.fiscal_year_start(date(2026, 3, 31), 7) == date(2025, 7, 1)


@pytest.mark.parametrize("text, cents", [("1,234.56", 123_456), ("$12", 1_200), ("(5.00)", -500), ("-5.1", -510),
                                         (".5", 50), ("0", 0)])
def test_parse_money(text, cents):
    assert ledger.parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1.2.3", "--5"])
def test_parse_money_refuses_non_amounts(text):
    with pytest.raises(LedgerError, match="not an amount"):
        ledger.parse_money(text, "Amount")


def test_parse_quantity():
    assert ledger.parse_quantity("2.5") == 2_500
    assert ledger.parse_quantity("-1") == -1_000
    with pytest.raises(LedgerError):
        ledger.parse_quantity("two")


def test_absurd_amounts_are_refused():
    with pytest.raises(LedgerError, match="too large"):
        ledger.parse_money("999999999999999.00", "Amount")
    with pytest.raises(LedgerError, match="too large"):
        ledger.line_amount(10**9 * 1000, 10**9)
