"""The seeded books tell the scenario's story, and the banking, reconciliation and document rules hold."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mock_apps.books import banking, reports, service
from mock_apps.books.audit import audit
from mock_apps.books.ledger import LedgerError
from mock_apps.books.models import Account, BankLine, Contact, Reconciliation, Split, Txn
from mock_apps.books.service import LineInput
from mock_apps.scenarios import get_scenario

FACTS = get_scenario("meridian").facts


@pytest.fixture
def session(books_world):
    s = books_world.session()
    yield s
    s.close()


def _account(session, name: str) -> Account:
    return session.exec(select(Account).where(Account.name == name)).one()


def test_seed_matches_the_facts(session):
    assert audit(session) == []
    bills = {t.doc_number for t in session.exec(select(Txn).where(Txn.type == "Bill")).all()}
    for bill in FACTS.bills:
        assert (bill.vendor_invoice_number in bills) == bill.in_books, bill.vendor_invoice_number
    invoices = {t.doc_number: t for t in session.exec(select(Txn).where(Txn.type == "Invoice")).all()}
    assert len(invoices) == len(FACTS.invoices)
    for inv in FACTS.invoices:
        txn = invoices[inv.number]
        assert txn.total_cents == inv.total_cents and txn.due_date == inv.due_date
        assert txn.balance_cents == inv.total_cents - FACTS.invoice_paid_cents(inv.number)
    partial = invoices["INV-1021"]
    assert 0 < partial.balance_cents < partial.total_cents
    today = service.today(session)
    assert service.ledger.document_status(partial.total_cents, partial.balance_cents, partial.due_date, today) in (
        "Partial", "Overdue")
    for fact in FACTS.accounts:  # opening balances as of the opening date
        acc = _account(session, fact.name)
        expected = fact.opening_balance_cents if service.ledger.is_debit_normal(fact.type) else -fact.opening_balance_cents
        assert service.account_balance(session, acc.id, FACTS.opening_date) == expected, fact.name


def test_seeded_feed_and_reconciliations(session):
    checking = _account(session, "Operating Checking")
    review = session.exec(select(BankLine).where(BankLine.status == "review")).all()
    assert len(review) == sum(1 for b in FACTS.bank_lines if b.in_feed)
    assert all(line.date.month == 3 for line in review)
    recs = session.exec(select(Reconciliation).order_by(Reconciliation.statement_date)).all()
    assert [r.statement_date for r in recs] == [s.period_end for s in FACTS.statements if s.reconciled]
    assert banking.beginning_balance(session, checking.id) == FACTS.statements[1].ending_balance_cents
    march = next(s for s in FACTS.statements if not s.reconciled)
    assert march.beginning_balance_cents == FACTS.statements[1].ending_balance_cents


def test_reconcile_needs_a_zero_difference_and_can_be_undone(session):
    checking = _account(session, "Operating Checking")
    sheet = banking.worksheet(session, checking.id, date(2026, 3, 31), 100)
    assert sheet.difference_cents != 0
    with pytest.raises(LedgerError, match="must be \\$0.00 to finish"):
        banking.finish_reconciliation(session, checking.id, date(2026, 3, 31), 100, set())
    ticked = {s.id for _t, s in sheet.items if _t.txn_date <= date(2026, 3, 10)}
    ending = sheet.beginning_cents + sum(s.amount_cents for _t, s in sheet.items if s.id in ticked)
    rec = banking.finish_reconciliation(session, checking.id, date(2026, 3, 10), ending, ticked)
    assert banking.beginning_balance(session, checking.id) == ending
    reconciled_txn = next(_t for _t, s in sheet.items if s.id in ticked)
    with pytest.raises(LedgerError, match="reconciled"):
        service.void_txn(session, reconciled_txn.id)
    undone = banking.undo_reconciliation(session, checking.id)
    assert undone.id == rec.id
    assert banking.beginning_balance(session, checking.id) == FACTS.statements[1].ending_balance_cents
    assert all(session.get(Split, i).cleared == "C" for i in ticked)


def test_feed_match_categorize_exclude_undo_and_rules(session):
    checking = _account(session, "Operating Checking")
    lines = session.exec(select(BankLine).where(BankLine.status == "review").order_by(BankLine.id)).all()
    sourced = next(line for line in lines if banking.match_candidates(session, line))
    txn, split = banking.match_candidates(session, sourced)[0]
    banking.match_line(session, sourced.id, txn.id)
    assert session.get(Split, split.id).cleared == "C"
    with pytest.raises(LedgerError, match="already categorized"):
        banking.exclude_line(session, sourced.id)
    banking.undo_line(session, sourced.id)
    assert session.get(Split, split.id).cleared == "" and session.get(BankLine, sourced.id).status == "review"

    interest = next(line for line in lines if line.description == "INTEREST PAID")
    income = _account(session, "Interest Income")
    banking.categorize_line(session, interest.id, income.id)
    added = session.get(Txn, session.get(BankLine, interest.id).txn_id)
    assert added.type == "Deposit" and added.total_cents == interest.amount_cents
    service.add_attachment(session, added.id, "advice.pdf", "application/pdf", b"%PDF-1.4")
    banking.undo_line(session, interest.id)
    assert session.get(Txn, added.id) is None  # an added transaction goes away with the undo

    visa = _account(session, "Company Visa")
    banking.create_rule(session, name="Card autopay", contains="visa autopay", category_id=visa.id, direction="out")
    assert banking.apply_rules(session, checking.id) == 1
    autopay = session.exec(select(BankLine).where(BankLine.description == "COMPANY VISA AUTOPAY",
                                                  BankLine.date >= date(2026, 3, 1))).one()
    assert session.get(Txn, autopay.txn_id).type == "Transfer"
    unknown = next(line for line in lines if line.description == "MOBILE DEPOSIT UNKNOWN")
    banking.exclude_line(session, unknown.id)
    assert session.get(BankLine, unknown.id).status == "excluded"
    assert audit(session) == []


def test_csv_import_skips_duplicates_and_refuses_bad_files(session):
    checking = _account(session, "Operating Checking")
    data = b"Date,Description,Debit,Credit\n2026-03-30,WIRE FEE,25.00,\n2026-03-30,REFUND,,12.50\n"
    assert banking.import_csv(session, checking.id, "march.csv", data) == 2
    assert banking.import_csv(session, checking.id, "march.csv", data) == 0
    amounts = {line.description: line.amount_cents for line in session.exec(
        select(BankLine).where(BankLine.imported_from == "march.csv")).all()}
    assert amounts == {"WIRE FEE": -2500, "REFUND": 1250}
    with pytest.raises(service.BadRequest, match="header row"):
        banking.import_csv(session, checking.id, "x.csv", b"when,what\n1,2\n")
    with pytest.raises(service.BadRequest, match="line 2"):
        banking.import_csv(session, checking.id, "x.csv", b"Date,Description,Amount\nyesterday,X,1\n")
    with pytest.raises(service.BadRequest, match="banking works on bank"):
        banking.import_csv(session, _account(session, "Rent").id, "x.csv", data)


def test_documents_void_and_delete_rules(session):
    customer = session.exec(select(Contact).where(Contact.display_name == "Crown Hotel Group")).one()
    sales = _account(session, "Sales")
    checking = _account(session, "Operating Checking")
    inv = service.create_txn(session, "Invoice", customer_id=customer.id, txn_date=date(2026, 3, 31),
                             lines=[LineInput(account_id=sales.id, quantity_milli=2000, unit_cents=1250)])
    assert inv.doc_number == f"INV-{1001 + len(FACTS.invoices)}" and inv.total_cents == 2500
    pay = service.create_txn(session, "Payment", customer_id=customer.id, txn_date=date(2026, 3, 31),
                             deposit_account_id=checking.id, applications=[(inv.id, 1000)])
    with pytest.raises(LedgerError, match="payments or credits are applied"):
        service.void_txn(session, inv.id)
    with pytest.raises(LedgerError, match="cannot drop"):
        service.update_txn(session, inv.id, inv.sync_token, customer_id=customer.id, txn_date=date(2026, 3, 31),
                           lines=[LineInput(account_id=sales.id, amount_cents=500)])
    service.void_txn(session, pay.id)
    assert session.get(Txn, inv.id).balance_cents == 2500
    service.void_txn(session, inv.id)
    voided = session.get(Txn, inv.id)
    assert voided.voided and voided.total_cents == 0 and voided.memo.startswith("Voided")
    assert sum(s.amount_cents for s in session.exec(select(Split).where(Split.txn_id == inv.id)).all()) == 0
    assert audit(session) == []


def test_change_log_names_operations(books_world, session):
    vendor = session.exec(select(Contact).where(Contact.display_name == "Forklift Pros Service")).one()
    repairs = _account(session, "Repairs & Maintenance")
    service.create_txn(session, "Bill", vendor_id=vendor.id, txn_date=date(2026, 3, 26), doc_number="FP-7781",
                       lines=[LineInput(account_id=repairs.id, amount_cents=186_500)])
    entry = books_world.changes()[-1]
    assert entry["op"] == "books.bill.create"
    assert {c["table"] for c in entry["changes"]} >= {"txn", "split", "docline"}


def test_reports_are_consistent(session):
    today = service.today(session)
    tb = reports.trial_balance(session, today)
    assert tb.totals["debits"] == tb.totals["credits"]
    pl = reports.profit_and_loss(session, date(2026, 1, 1), today)
    sheet = reports.balance_sheet(session, today)
    assert sheet.totals["net_income"] == pl.totals["net_income"]
    ar = reports.aging_summary(session, "ar", today)
    ar_account = service.account_balance(session, _account(session, "Accounts Receivable").id)
    assert ar.totals["total"] == ar_account
    assert reports.aging_detail(session, "ar", today).totals["total"] == ar_account
    ap = reports.aging_summary(session, "ap", today)
    assert ap.totals["total"] == -service.account_balance(session, _account(session, "Accounts Payable").id)
    overdue = {r.label for r in reports.aging_detail(session, "ar", today).rows if r.kind == "section"}
    assert "Current" in overdue and len(overdue) >= 2
    gl = reports.general_ledger(session, date(2026, 3, 1), today, _account(session, "Operating Checking").id)
    closing = gl.rows[-1].cells[-1]
    assert closing == service.account_balance(session, _account(session, "Operating Checking").id)


@pytest.mark.parametrize("as_of", [date(2026, 1, 31), date(2026, 2, 15), date(2026, 3, 31)])
def test_aging_as_of_a_past_date_equals_the_control_account_then(session, as_of):
    for side, name, sign in (("ar", "Accounts Receivable", 1), ("ap", "Accounts Payable", -1)):
        control = sign * service.account_balance(session, _account(session, name).id, as_of)
        assert reports.aging_summary(session, side, as_of).totals["total"] == control
        assert reports.contact_balances(session, side, as_of).totals["total"] == control


def test_closing_the_books_locks_the_period(session):
    jan_bill = session.exec(select(Txn).where(Txn.type == "Bill", Txn.txn_date <= date(2026, 1, 31))
                            .order_by(Txn.id)).first()
    service.set_closing_date(session, date(2026, 1, 31))
    with pytest.raises(LedgerError, match="closed through 2026-01-31"):
        service.void_txn(session, jan_bill.id)
    savings = _account(session, "Savings")
    checking = _account(session, "Operating Checking")
    with pytest.raises(LedgerError, match="closed period"):
        service.create_txn(session, "Transfer", from_account_id=checking.id, to_account_id=savings.id,
                           amount_cents=1, txn_date=date(2026, 1, 15))
    with pytest.raises(LedgerError, match="in the future"):
        service.set_closing_date(session, date(2026, 4, 30))
    service.set_closing_date(session, date(2025, 12, 31))
    assert service.company(session).closing_date == date(2025, 12, 31)


def test_profit_and_loss_by_month_adds_up_to_the_total(session):
    report = reports.profit_and_loss(session, date(2026, 1, 1), date(2026, 3, 31), by_month=True)
    assert report.columns == ["", "Jan 2026", "Feb 2026", "Mar 2026", "Total"]
    for row in report.rows:
        if row.cells:
            assert sum(row.cells[:3]) == row.cells[3], row.label
    net = next(r for r in report.rows if r.label == "Net Income")
    assert net.cells[3] == reports.profit_and_loss(session, date(2026, 1, 1), date(2026, 3, 31)).totals["net_income"]
    payroll = next(r for r in report.rows if r.label.endswith("Payroll Expenses"))
    assert payroll.cells[:3] == [2 * 3_206_250] * 3  # two runs a month


def test_bank_balance_is_what_the_statement_says(session):
    checking = _account(session, "Operating Checking")
    march = next(s for s in FACTS.statements if not s.reconciled)
    assert banking.bank_balance(session, checking.id) == march.ending_balance_cents
    assert banking.bank_balance(session, _account(session, "Company Visa").id) is None


def test_recent_register_matches_the_full_register(session):
    checking = _account(session, "Operating Checking")
    opening, full = reports.register(session, checking.id, date(2026, 2, 1), date(2026, 3, 31))
    opening2, recent, count = reports.recent_register(session, checking.id, date(2026, 2, 1), date(2026, 3, 31), 25)
    assert opening == opening2 and count == len(full) and len(recent) == 25
    assert [(e.txn_id, e.balance) for e in recent] == [(e.txn_id, e.balance) for e in reversed(full[-25:])]
    assert recent[0].balance == service.account_balance(session, checking.id, date(2026, 3, 31))


def test_general_ledger_page_limit_keeps_the_totals_right(session):
    full = reports.general_ledger(session, date(2026, 1, 1), date(2026, 3, 31))
    page = reports.general_ledger(session, date(2026, 1, 1), date(2026, 3, 31), limit=40)
    detail = [r for r in page.rows if r.txn_id]
    assert len(detail) == 40 and page.totals["all_rows"] == sum(1 for r in full.rows if r.txn_id)
    first_total = next(r for r in page.rows if r.kind == "total")
    assert first_total.cells == next(r for r in full.rows if r.kind == "total").cells
