"""Every QuickBooks-shaped workflow the issue lists, through the UI's forms over HTTP on the shared sandbox:
each posts what it says (checked in the ledger and on the pages a user reads) under its named operation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
import requests
from sqlmodel import select

from mock_apps.books import banking, reports, service
from mock_apps.books.audit import audit
from mock_apps.books.models import Account, Application, Attachment, BankLine, Contact, Reconciliation, Split, Txn


def _read(world, fn):
    """Run fn(session) on a fresh session of the world's books and return its result."""
    s = world.session()
    try:
        return fn(s)
    finally:
        s.close()


def _accounts(world) -> dict[str, int]:
    return _read(world, lambda s: {a.name: a.id for a in s.exec(select(Account)).all()})


def _contact(world, name: str) -> int:
    return _read(world, lambda s: s.exec(select(Contact).where(Contact.display_name == name)).one().id)


def _balance(world, account_id: int) -> int:
    return _read(world, lambda s: service.account_balance(s, account_id))


def _post(world, path: str, data: dict, **kwargs) -> requests.Response:
    """POST a form like the browser does; a success is QuickBooks' redirect to the saved page."""
    response = requests.post(f"{world.url}{path}", data=data, allow_redirects=False, **kwargs)
    assert response.status_code == 303, (path, response.status_code, response.text[:500])
    return response


def _saved_txn_id(response: requests.Response) -> int:
    return int(re.search(r"/txn/(\d+)$", response.headers["Location"]).group(1))


def _page(world, path: str, **params) -> str:
    response = requests.get(f"{world.url}{path}", params=params)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def _status(world, txn_id: int) -> str:
    return re.search(r'data-testid="status">([^<]+)<', _page(world, f"/txn/{txn_id}")).group(1)


def test_invoice_status_moves_from_open_to_overdue_with_the_world_clock(world, books_world):
    accounts = _accounts(books_world)
    saved = _post(books_world, "/new/invoice", {
        "contact_id": _contact(books_world, "Granite & Vale LLP"), "txn_date": "2026-03-31", "terms_days": "15",
        "line_item": [""], "line_account": [accounts["Sales"]], "line_description": ["Cleaning audit"],
        "line_qty": ["1"], "line_rate": ["400.00"], "line_amount": [""]})
    invoice_id = _saved_txn_id(saved)
    assert _status(books_world, invoice_id) == "Open"
    assert "04/15/2026 (Net 15)" in _page(books_world, f"/txn/{invoice_id}")
    number = _read(books_world, lambda s: s.get(Txn, invoice_id).doc_number)
    assert number not in _page(books_world, "/sales/invoices", status="Overdue")

    world.control("books", "PUT", "/clock", json={"now": "2026-04-16T15:00:00+00:00"})  # the day after it is due
    assert _status(books_world, invoice_id) == "Overdue"
    assert number in _page(books_world, "/sales/invoices", status="Overdue")
    aging = _page(books_world, "/reports/ar-aging-detail", end="2026-04-16")
    assert number in aging


def test_receive_one_payment_against_several_invoices_one_of_them_partially(books_world):
    def two_open(s):
        for customer in s.exec(select(Contact).where(Contact.kind == "customer").order_by(Contact.id)).all():
            docs = service.open_documents(s, customer.id, ("Invoice",))
            if len(docs) >= 2:
                return customer.id, docs[0], docs[1]
        raise AssertionError("the scenario has a customer with two open invoices")

    customer_id, first, second = _read(books_world, two_open)
    accounts = _accounts(books_world)
    checking_before = _balance(books_world, accounts["Operating Checking"])
    form = _page(books_world, "/receive-payment", customer_id=customer_id)
    assert f'name="apply_{first.id}"' in form and f'name="apply_{second.id}"' in form
    partial = second.balance_cents // 2
    saved = _post(books_world, "/receive-payment", {
        "customer_id": customer_id, "deposit_account_id": accounts["Operating Checking"], "txn_date": "2026-03-31",
        "method": "Check", "reference": "CHK 7781", f"apply_{first.id}": f"{first.balance_cents / 100:.2f}",
        f"apply_{second.id}": f"{partial / 100:.2f}"})
    payment_id = _saved_txn_id(saved)

    assert _status(books_world, first.id) == "Paid"
    assert _status(books_world, second.id) == "Partial"
    payment = _read(books_world, lambda s: s.get(Txn, payment_id))
    assert payment.type == "Payment" and payment.total_cents == first.balance_cents + partial
    applied = _read(books_world, lambda s: sorted((a.target_id, a.amount_cents) for a in s.exec(
        select(Application).where(Application.txn_id == payment_id)).all()))
    assert applied == sorted([(first.id, first.balance_cents), (second.id, partial)])
    assert _balance(books_world, accounts["Operating Checking"]) == checking_before + payment.total_cents
    entry = books_world.changes()[-1]
    assert entry["op"] == "books.payment.receive"
    assert [c for c in entry["changes"] if c["table"] == "txn" and c["kind"] == "insert"]


def test_expense_and_check_post_to_the_payment_account_and_the_category(books_world):
    accounts = _accounts(books_world)
    vendor = _contact(books_world, "Greenleaf Office Supply")
    card_before = _balance(books_world, accounts["Company Visa"])
    checking_before = _balance(books_world, accounts["Operating Checking"])
    expense = _saved_txn_id(_post(books_world, "/new/expense", {
        "contact_id": vendor, "account_id": accounts["Company Visa"], "txn_date": "2026-03-30",
        "line_account": [accounts["Office Supplies"]], "line_description": ["Toner"], "line_amount": ["89.99"]}))
    check = _saved_txn_id(_post(books_world, "/new/check", {
        "contact_id": vendor, "account_id": accounts["Operating Checking"], "txn_date": "2026-03-30",
        "doc_number": "5301", "line_account": [accounts["Office Supplies"], accounts["Meals"]],
        "line_description": ["Paper", "Lunch"], "line_amount": ["120.00", "35.50"]}))

    assert _balance(books_world, accounts["Company Visa"]) == card_before - 8_999  # a card's balance is a credit
    assert _balance(books_world, accounts["Operating Checking"]) == checking_before - 15_550
    check_txn = _read(books_world, lambda s: s.get(Txn, check))
    assert check_txn.type == "Purchase" and check_txn.payment_method == "Check" and check_txn.doc_number == "5301"
    page = _page(books_world, f"/txn/{check}")
    assert "Method</dt><dd>Check" in page and "$155.50" in page
    assert [c["op"] for c in books_world.changes()[-2:]] == ["books.expense.create", "books.expense.create"]
    register = _page(books_world, f"/accounts/{accounts['Operating Checking']}/register")
    assert "5301" in register and _read(books_world, lambda s: s.get(Txn, expense).total_cents) == 8_999


def test_journal_entry_transfer_and_deposit_move_the_accounts_they_name(books_world):
    accounts = _accounts(books_world)
    checking, savings = accounts["Operating Checking"], accounts["Savings"]
    before = {name: _balance(books_world, accounts[name]) for name in ("Operating Checking", "Savings", "Rent",
                                                                        "Prepaid Expenses", "Interest Income")}
    journal = _saved_txn_id(_post(books_world, "/new/journal", {
        "txn_date": "2026-03-31", "doc_number": "JE-ADJ-1", "memo": "Reclass April rent",
        "line_account": [accounts["Prepaid Expenses"], accounts["Rent"]], "line_debit": ["2,500.00", ""],
        "line_credit": ["", "2500"], "line_description": ["", ""]}))
    _post(books_world, "/new/transfer", {"txn_date": "2026-03-31", "from_account_id": checking,
                                         "to_account_id": savings, "amount": "10,000.00", "memo": "Sweep"})
    _post(books_world, "/new/deposit", {"account_id": checking, "txn_date": "2026-03-31",
                                        "line_account": [accounts["Interest Income"]], "line_description": ["Interest"],
                                        "line_amount": ["640.00"]})

    after = {name: _balance(books_world, accounts[name]) for name in before}
    assert after["Prepaid Expenses"] - before["Prepaid Expenses"] == 250_000
    assert after["Rent"] - before["Rent"] == -250_000
    assert after["Savings"] - before["Savings"] == 1_000_000
    assert after["Operating Checking"] - before["Operating Checking"] == -1_000_000 + 64_000
    assert after["Interest Income"] - before["Interest Income"] == -64_000  # income is a credit
    assert [c["op"] for c in books_world.changes()[-3:]] == ["books.journal.create", "books.transfer.create",
                                                             "books.deposit.create"]
    assert "JE-ADJ-1" in _page(books_world, "/accounting/journal")
    assert "Reclass April rent" in _page(books_world, f"/txn/{journal}")
    assert _read(books_world, audit) == []


def test_credit_memo_applies_in_receive_payment_and_vendor_credit_in_pay_bills(books_world):
    accounts = _accounts(books_world)
    invoice = _read(books_world, lambda s: s.exec(select(Txn).where(Txn.doc_number == "INV-1021")).one())
    memo = _saved_txn_id(_post(books_world, "/new/creditmemo", {
        "contact_id": invoice.contact_id, "txn_date": "2026-03-31", "line_item": [""],
        "line_account": [accounts["Sales"]], "line_description": ["Damaged cartons"], "line_qty": ["1"],
        "line_rate": ["50.00"], "line_amount": [""]}))
    assert books_world.changes()[-1]["op"] == "books.creditmemo.create"
    form = _page(books_world, "/receive-payment", customer_id=invoice.contact_id)
    assert f'name="apply_{memo}"' in form  # open credits are offered next to the invoices
    _post(books_world, "/receive-payment", {
        "customer_id": invoice.contact_id, "deposit_account_id": accounts["Operating Checking"],
        "txn_date": "2026-03-31", f"apply_{invoice.id}": f"{invoice.balance_cents / 100:.2f}",
        f"apply_{memo}": "50.00"})
    assert _read(books_world, lambda s: s.get(Txn, invoice.id).balance_cents) == 0
    assert _read(books_world, lambda s: s.get(Txn, memo).balance_cents) == 0
    payment = next(c for c in books_world.changes()[-1]["changes"] if c["table"] == "txn" and c["kind"] == "insert")
    assert payment["after"]["total_cents"] == invoice.balance_cents - 5_000  # the credit paid the rest

    bill = _read(books_world, lambda s: s.exec(select(Txn).where(Txn.type == "Bill", Txn.balance_cents > 10_000)
                                                .order_by(Txn.id)).first())
    credit = _saved_txn_id(_post(books_world, "/new/vendorcredit", {
        "contact_id": bill.contact_id, "txn_date": "2026-03-31", "doc_number": "VC-77",
        "line_account": [accounts["Office Supplies"]], "line_description": ["Returned chairs"],
        "line_amount": ["75.00"]}))
    assert books_world.changes()[-1]["op"] == "books.vendorcredit.create"
    _post(books_world, "/pay-bills", {"pay_account_id": accounts["Operating Checking"], "txn_date": "2026-03-31",
                                      "method": "Check", f"apply_{bill.id}": f"{bill.balance_cents / 100:.2f}",
                                      f"apply_{credit}": "75.00"})
    assert _read(books_world, lambda s: (s.get(Txn, bill.id).balance_cents, s.get(Txn, credit).balance_cents)) == (0, 0)
    assert _read(books_world, audit) == []


def test_void_from_the_transaction_page_and_a_refused_void(books_world):
    bill = _read(books_world, lambda s: s.exec(select(Txn).where(Txn.type == "Bill", Txn.voided == False,  # noqa: E712
                                                                 Txn.balance_cents == Txn.total_cents,
                                                                 Txn.txn_date >= "2026-03-01")).first())
    ap = _read(books_world, lambda s: s.exec(select(Account).where(Account.type == "Accounts payable")).one().id)
    ap_before = _balance(books_world, ap)
    _post(books_world, f"/txn/{bill.id}/void", {})
    assert _status(books_world, bill.id) == "Voided"
    assert _balance(books_world, ap) == ap_before + bill.total_cents  # the payable is gone (A/P is a credit)
    assert books_world.changes()[-1]["op"] == "books.bill.void"
    assert _read(books_world, lambda s: sum(x.amount_cents for x in s.exec(
        select(Split).where(Split.txn_id == bill.id)).all())) == 0

    before = len(books_world.changes())
    again = requests.post(f"{books_world.url}/txn/{bill.id}/void")
    assert again.status_code == 400 and "already void" in again.text and "Traceback" not in again.text
    paid_invoice = _read(books_world, lambda s: s.exec(select(Txn).where(
        Txn.type == "Invoice", Txn.balance_cents == 0, Txn.total_cents > 0)).first())
    refused = requests.post(f"{books_world.url}/txn/{paid_invoice.id}/void")
    assert refused.status_code in (400, 409, 422) and "payment" in refused.text.lower()
    assert len(books_world.changes()) == before


def test_attach_view_and_download_a_file_on_any_transaction(books_world):
    deposit = _read(books_world, lambda s: s.exec(select(Txn).where(Txn.type == "Deposit")).first())
    pdf = b"%PDF-1.4\n% remittance advice\n"
    _post(books_world, f"/txn/{deposit.id}/attachments",
          {}, files={"file": ("remittance.pdf", pdf, "application/pdf")})
    assert books_world.changes()[-1]["op"] == "books.attachment.add"
    page = _page(books_world, f"/txn/{deposit.id}")
    attachment_id = int(re.search(r'href="[^"]*/attachments/(\d+)">remittance.pdf</a>', page).group(1))
    download = requests.get(f"{books_world.url}/attachments/{attachment_id}")
    assert download.content == pdf and "attachment" in download.headers["Content-Disposition"]
    inline = requests.get(f"{books_world.url}/attachments/{attachment_id}", params={"inline": 1})
    assert inline.headers["Content-Type"] == "application/pdf" and inline.headers["Content-Disposition"].startswith("inline")

    before = len(books_world.changes())
    empty = requests.post(f"{books_world.url}/txn/{deposit.id}/attachments")
    assert empty.status_code == 400 and "choose a file" in empty.text
    assert len(books_world.changes()) == before
    assert _read(books_world, lambda s: len(s.exec(select(Attachment).where(Attachment.txn_id == deposit.id)).all())) == 1


@pytest.mark.parametrize("kind, docs", [("customer", ("Invoice", "CreditMemo")), ("vendor", ("Bill", "VendorCredit"))])
def test_customer_and_vendor_pages_show_open_balances_and_transactions(books_world, kind, docs):
    def busiest(s):
        contact = max(s.exec(select(Contact).where(Contact.kind == kind)).all(),
                      key=lambda c: sum(t.balance_cents for t in s.exec(select(Txn).where(
                          Txn.contact_id == c.id, Txn.type == docs[0])).all()))
        txns = s.exec(select(Txn).where(Txn.contact_id == contact.id)).all()
        open_cents = sum(t.balance_cents if t.type == docs[0] else -t.balance_cents for t in txns if t.type in docs)
        return contact, txns, open_cents

    contact, txns, open_cents = _read(books_world, busiest)
    assert open_cents > 0
    listing = _page(books_world, "/customers" if kind == "customer" else "/vendors")
    row = re.search(re.escape(contact.display_name.replace("&", "&amp;")) + r".*?</tr>", listing, re.S).group(0)
    assert f"${open_cents / 100:,.2f}" in row
    page = _page(books_world, f"/contacts/{contact.id}")
    assert f'data-testid="open-balance">${open_cents / 100:,.2f}<' in page
    for txn in txns:
        assert f"/txn/{txn.id}\"" in page  # every transaction with the name is listed


def test_chart_of_accounts_balances_and_registers_with_running_balance(books_world):
    accounts = _accounts(books_world)
    checking = accounts["Operating Checking"]
    chart = _page(books_world, "/accounts")
    balance = _balance(books_world, checking)
    row = re.search(rf'data-testid="account-{checking}".*?</tr>', chart, re.S).group(0)
    assert f"${balance / 100:,.2f}" in row and f"/accounts/{checking}/register" in row

    register = _page(books_world, f"/accounts/{checking}/register", start="2026-03-01", end="2026-03-31")
    table = register.split('aria-label="Register"')[1]
    rows = re.findall(r"<tr><td>(\d\d/\d\d/2026)</td>.*?<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>"
                      r"\s*<td>[^<]*</td><td class=\"num\">([^<]+)</td></tr>", table, re.S)
    assert len(rows) > 5

    def cents(text: str) -> int:
        text = text.strip().replace("$", "").replace(",", "")
        return round(float(text) * 100) if text else 0

    opening = cents(re.search(r"Beginning balance</td><td class=\"num\">([^<]+)<", table).group(1))
    running = opening
    for _date, increase, decrease, shown in reversed(rows):  # the register lists the newest first
        running += cents(increase) - cents(decrease)
        assert running == cents(shown)
    assert running == _read(books_world, lambda s: service.account_balance(s, checking, date(2026, 3, 31)))


def _feed_line(world, status: str = "review") -> BankLine:
    return _read(world, lambda s: s.exec(select(BankLine).where(BankLine.status == status).order_by(BankLine.id)).first())


def test_bank_feed_tabs_exclude_categorize_match_and_undo_through_the_ui(books_world):
    accounts = _accounts(books_world)
    checking = accounts["Operating Checking"]

    def tab_counts() -> dict[str, int]:
        page = _page(books_world, "/banking", account=checking)
        return {k: int(n) for k, n in re.findall(r'data-testid="tab-(\w+)"[^>]*>[^<(]*\((\d+)\)', page)}

    counts = tab_counts()
    lines = _read(books_world, lambda s: s.exec(select(BankLine).where(
        BankLine.account_id == checking, BankLine.status == "review").order_by(BankLine.id)).all())
    matchable = next(x for x in lines if _read(books_world, lambda s: banking.match_candidates(s, x)))
    plain = next(x for x in lines if x.id != matchable.id)
    third = next(x for x in lines if x.id not in (matchable.id, plain.id))

    _post(books_world, f"/banking/lines/{third.id}/exclude", {"account_id": checking})
    excluded = _page(books_world, "/banking", account=checking, tab="excluded")
    assert f'data-testid="bank-line-{third.id}"' in excluded
    candidate = re.search(rf'id="match-{matchable.id}" name="txn_id">\s*<option value="(\d+)"',
                          _page(books_world, "/banking", account=checking)).group(1)
    _post(books_world, f"/banking/lines/{matchable.id}/match", {"account_id": checking, "txn_id": candidate})
    before_add = _balance(books_world, checking)
    category = accounts["Bank Fees"] if plain.amount_cents < 0 else accounts["Interest Income"]
    _post(books_world, f"/banking/lines/{plain.id}/categorize", {"account_id": checking, "category_id": category})
    assert _balance(books_world, checking) == before_add + plain.amount_cents  # a new transaction for the line
    assert [c["op"] for c in books_world.changes()[-3:]] == ["books.bank.exclude", "books.bank.match",
                                                             "books.bank.categorize"]
    categorized = _page(books_world, "/banking", account=checking, tab="categorized")
    assert f'data-testid="bank-line-{matchable.id}"' in categorized and "Matched to" in categorized
    assert f'data-testid="bank-line-{plain.id}"' in categorized and "Added as" in categorized
    assert tab_counts() == {"review": counts["review"] - 3, "categorized": counts["categorized"] + 2,
                            "excluded": counts["excluded"] + 1}
    matched = _read(books_world, lambda s: s.exec(select(Split).where(
        Split.txn_id == int(candidate), Split.account_id == checking)).one())
    assert matched.cleared == "C"  # matching clears the existing transaction; it posts nothing new

    for line in (third, matchable, plain):
        _post(books_world, f"/banking/lines/{line.id}/undo", {"account_id": checking})
    assert tab_counts() == counts
    assert _balance(books_world, checking) == before_add  # undoing "Add" removed the transaction it made
    assert _read(books_world, audit) == []


def test_statement_csv_import_through_the_ui_skips_lines_already_in_the_feed(books_world):
    checking = _accounts(books_world)["Operating Checking"]
    statement = b"Date,Description,Amount\n03/30/2026,WIRE IN HARBOR CAFE,1250.00\n03/31/2026,SERVICE FEE,-15.00\n"
    imported = _post(books_world, "/banking/import", {"account_id": checking},
                     files={"file": ("march.csv", statement, "text/csv")})
    assert "/banking" in imported.headers["Location"]
    assert books_world.changes()[-1]["op"] == "books.bank.import"
    page = _page(books_world, "/banking", account=checking)
    assert "WIRE IN HARBOR CAFE" in page and "(from march.csv)" in page
    before = len(books_world.changes())
    _post(books_world, "/banking/import", {"account_id": checking}, files={"file": ("march.csv", statement, "text/csv")})
    assert _read(books_world, lambda s: len(s.exec(select(BankLine).where(
        BankLine.description == "WIRE IN HARBOR CAFE")).all())) == 1
    assert len(books_world.changes()) == before  # nothing new: nothing logged


def test_reconcile_needs_a_zero_difference_then_finishes_and_undoes_through_the_ui(books_world):
    checking = _accounts(books_world)["Operating Checking"]
    start = _page(books_world, "/reconcile")
    beginning = re.search(r'data-testid="beginning-balance">([^<]+)<', start).group(1)
    worksheet = _page(books_world, f"/reconcile/{checking}", statement_date="2026-03-15", ending_balance="0.00")
    items = re.findall(r'name="cleared" value="(\d+)" data-cents="(-?\d+)"', worksheet)
    assert items, "March has uncleared items up to the 15th"
    begin_cents = int(re.search(r'id="recon-beginning" data-cents="(-?\d+)"', worksheet).group(1))
    assert f"${begin_cents / 100:,.2f}" == beginning
    chosen = items[:3]
    ending = begin_cents + sum(int(c) for _i, c in chosen)
    before = len(books_world.changes())

    wrong = requests.post(f"{books_world.url}/reconcile/{checking}", data={
        "statement_date": "2026-03-15", "ending_balance": f"{(ending + 100) / 100:.2f}",
        "cleared": [i for i, _c in chosen]})
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text and "$1.00" in wrong.text
    assert len(books_world.changes()) == before

    _post(books_world, f"/reconcile/{checking}", {"statement_date": "2026-03-15",
                                                  "ending_balance": f"{ending / 100:.2f}",
                                                  "cleared": [i for i, _c in chosen]})
    assert books_world.changes()[-1]["op"] == "books.reconcile.finish"
    reconciled = _read(books_world, lambda s: {x.id for x in s.exec(select(Split).where(
        Split.account_id == checking, Split.cleared == "R", Split.reconciliation_id != None)).all()})  # noqa: E711
    assert {int(i) for i, _c in chosen} <= reconciled
    history = _page(books_world, "/reconcile")
    assert "03/15/2026" in history and f"${ending / 100:,.2f}" in history
    assert re.search(r'data-testid="beginning-balance">([^<]+)<', history).group(1) == f"${ending / 100:,.2f}"

    _post(books_world, f"/reconcile/{checking}/undo", {})
    assert books_world.changes()[-1]["op"] == "books.reconcile.undo"
    assert re.search(r'data-testid="beginning-balance">([^<]+)<', _page(books_world, "/reconcile")).group(1) == beginning
    assert _read(books_world, lambda s: s.exec(select(Reconciliation).where(
        Reconciliation.statement_date == "2026-03-15")).first()) is None
    assert _read(books_world, lambda s: {x.cleared for x in s.exec(select(Split).where(
        Split.id.in_([int(i) for i, _c in chosen]))).all()}) == {"C"}


def _csv_rows(world, key: str, **params) -> list[list[str]]:
    response = requests.get(f"{world.url}/reports/{key}", params={**params, "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.text)))


def _xlsx_rows(world, key: str, **params) -> list[tuple]:
    response = requests.get(f"{world.url}/reports/{key}", params={**params, "format": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response.headers["Content-Type"]
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _number(text: str) -> float | None:
    try:
        return float(text.replace("$", "").replace(",", ""))
    except ValueError:
        return None


@pytest.mark.parametrize("key", list(reports.REPORTS))
def test_every_report_exports_to_csv_and_xlsx_with_the_same_figures(books_world, key):
    params = {"start": "2026-01-01", "end": "2026-03-31"}
    rows = _csv_rows(books_world, key, **params)
    sheet = _xlsx_rows(books_world, key, **params)
    assert rows[0] == [reports.REPORTS[key]] and sheet[0][0] == reports.REPORTS[key]
    assert len(rows) > 4
    # the CSV indents a section's rows with spaces; the workbook with cell indentation
    csv_labelled = {r[0].strip(): r[1:] for r in rows if r and r[0]}
    xlsx_labelled = {str(r[0]).strip(): r[1:] for r in sheet if r and r[0]}
    assert set(csv_labelled) == set(xlsx_labelled)
    compared = 0
    for label, cells in csv_labelled.items():
        for text, value in zip(cells, xlsx_labelled[label]):
            number = _number(text) if text else None
            if number is not None and isinstance(value, (int, float)):
                assert value == pytest.approx(number), (key, label)
                compared += 1
    assert compared > 0  # money arrives in the workbook as numbers, not text
    page = _page(books_world, f"/reports/{key}", **params)
    assert f"format=csv" in page and f"format=xlsx" in page  # both exports are offered on the report itself
