"""The UI's forms over HTTP: errors shown inline with nothing posted, multi-bill payment as one operation,
report exports, and the OpenAPI document."""

from __future__ import annotations

import csv
import io

import openpyxl
import requests
from sqlmodel import select

from mock_apps.books.models import Account, Contact, Txn


def _ids(world):
    s = world.session()
    try:
        accounts = {a.name: a.id for a in s.exec(select(Account)).all()}
        contacts = {c.display_name: c.id for c in s.exec(select(Contact)).all()}
        open_bills = s.exec(select(Txn).where(Txn.type == "Bill", Txn.balance_cents > 0).order_by(Txn.id)).all()
        invoice = s.exec(select(Txn).where(Txn.doc_number == "INV-1009")).one()
        return accounts, contacts, open_bills, invoice
    finally:
        s.close()


def test_unbalanced_journal_entry_form_shows_the_error_and_posts_nothing(books_world):
    accounts, _c, _b, _i = _ids(books_world)
    before = len(books_world.changes())
    response = requests.post(f"{books_world.url}/new/journal", data={
        "txn_date": "2026-03-31", "line_account": [accounts["Rent"], accounts["Operating Checking"]],
        "line_debit": ["100.00", ""], "line_credit": ["", "90.00"], "line_description": ["", ""]},
        allow_redirects=False)
    assert response.status_code == 422
    assert "does not balance: debits $100.00 and credits $90.00" in response.text
    assert 'value="100.00"' in response.text  # the form keeps what was typed
    assert len(books_world.changes()) == before


def test_invoice_form_creates_an_invoice_with_terms(books_world):
    accounts, contacts, _b, _i = _ids(books_world)
    response = requests.post(f"{books_world.url}/new/invoice", data={
        "contact_id": contacts["Granite & Vale LLP"], "txn_date": "2026-03-31", "line_item": [""],
        "line_account": [accounts["Sales"]], "line_description": ["Consulting"], "line_qty": ["3"],
        "line_rate": ["19.99"], "line_amount": [""]}, allow_redirects=False)
    assert response.status_code == 303
    page = requests.get(books_world.origin + response.headers["Location"]).text  # Location keeps /w/<world>
    assert "$59.97" in page and "04/30/2026" in page
    assert books_world.changes()[-1]["op"] == "books.invoice.create"


def test_overpayment_and_negative_quantity_are_form_errors(books_world):
    accounts, contacts, _b, invoice = _ids(books_world)
    before = len(books_world.changes())
    response = requests.post(f"{books_world.url}/receive-payment", data={
        "customer_id": invoice.contact_id, "deposit_account_id": accounts["Operating Checking"],
        "txn_date": "2026-03-31", f"apply_{invoice.id}": f"{invoice.balance_cents / 100 + 5:.2f}"})
    assert response.status_code == 422 and "more than the open balance of invoice INV-1009" in response.text
    response = requests.post(f"{books_world.url}/new/invoice", data={
        "contact_id": contacts["Granite & Vale LLP"], "txn_date": "2026-03-31", "line_account": [accounts["Sales"]],
        "line_qty": ["-2"], "line_rate": ["10"], "line_amount": [""], "line_item": [""], "line_description": [""]})
    assert response.status_code == 422 and "quantity must be positive" in response.text
    assert len(books_world.changes()) == before


def test_paying_bills_of_two_vendors_is_one_operation(books_world):
    accounts, _c, open_bills, _i = _ids(books_world)
    first = open_bills[0]
    second = next(b for b in open_bills if b.contact_id != first.contact_id)
    response = requests.post(f"{books_world.url}/pay-bills", data={
        "pay_account_id": accounts["Operating Checking"], "txn_date": "2026-03-31", "method": "Check",
        "reference": "6001", f"apply_{first.id}": f"{first.balance_cents / 100:.2f}",
        f"apply_{second.id}": "10.00"}, allow_redirects=False)
    assert response.status_code == 303
    entry = books_world.changes()[-1]
    assert entry["op"] == "books.bill.pay"
    created = [c for c in entry["changes"] if c["table"] == "txn" and c["kind"] == "insert"]
    assert sorted(c["after"]["doc_number"] for c in created) == ["6001", "6002"]
    s = books_world.session()
    try:
        assert s.get(Txn, first.id).balance_cents == 0
        assert s.get(Txn, second.id).balance_cents == second.balance_cents - 1000
    finally:
        s.close()


def test_report_exports(books_world):
    csv_text = requests.get(f"{books_world.url}/reports/trial-balance", params={"format": "csv"}).text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0] == ["Trial Balance"] and rows[4] == ["", "Debit", "Credit"]
    total = next(r for r in rows if r and r[0] == "TOTAL")
    assert total[1] == total[2]
    data = requests.get(f"{books_world.url}/reports/balance-sheet", params={"format": "xlsx", "end": "2026-03-31"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Total Assets"] == values["Total Liabilities and Equity"]
    assert isinstance(values["Total Assets"], float) and values["Total Assets"] > 0
    # styled as the page is: totals bold, money in a currency format, section rows indented
    total_row = next(row for row in sheet.iter_rows() if row[0].value == "Total Assets")
    assert total_row[0].font.b and total_row[1].number_format == "#,##0.00;-#,##0.00"
    assert any(row[0].alignment.indent for row in sheet.iter_rows(min_row=6) if row[0].value)


def test_report_pages_and_bad_dates(books_world):
    page = requests.get(f"{books_world.url}/reports/profit-and-loss", params={"start": "2026-03-01", "end": "2026-03-31"})
    assert page.status_code == 200 and "March 1, 2026 - March 31, 2026" in page.text
    bad = requests.get(f"{books_world.url}/reports/profit-and-loss", params={"start": "March"})
    assert bad.status_code == 400 and "not a date" in bad.text


def test_openapi_document_lists_what_is_implemented(books_world):
    doc = requests.get(f"{books_world.url}/v3/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/v3/company/{realmId}/invoice", "/v3/company/{realmId}/query",
                 "/v3/company/{realmId}/reports/{report}", "/v3/company/{realmId}/vendorcredit/{id}"):
        assert path in doc["paths"]
    assert "Fault" in doc["components"]["schemas"]


def test_edit_a_bill_in_its_form_and_refuse_a_stale_edit(books_world):
    accounts, _c, open_bills, _i = _ids(books_world)
    bill = open_bills[-1]
    form = requests.get(f"{books_world.url}/txn/{bill.id}/edit")
    assert form.status_code == 200 and f'value="{bill.total_cents / 100:.2f}"' in form.text
    data = {"sync_token": str(bill.sync_token), "contact_id": bill.contact_id, "txn_date": bill.txn_date.isoformat(),
            "doc_number": bill.doc_number, "line_account": [accounts["Office Supplies"]],
            "line_description": ["Corrected"], "line_amount": ["123.45"]}
    saved = requests.post(f"{books_world.url}/txn/{bill.id}/edit", data=data, allow_redirects=False)
    assert saved.status_code == 303
    assert books_world.changes()[-1]["op"] == "books.bill.update"
    stale = requests.post(f"{books_world.url}/txn/{bill.id}/edit", data=data)
    assert stale.status_code == 422 and "was changed since you read it" in stale.text
    page = requests.get(f"{books_world.url}/txn/{bill.id}").text
    assert "$123.45" in page and "Corrected" in page


def test_invoice_list_filters_by_status_and_pages(books_world):
    overdue = requests.get(f"{books_world.url}/sales/invoices", params={"status": "Overdue"}).text
    for number in ("INV-1009", "INV-1017", "INV-1026"):
        assert number in overdue
    assert "INV-1048" not in overdue  # issued Mar 27, not due yet
    first = requests.get(f"{books_world.url}/sales/invoices").text
    assert "1-48 of 48" in first
    paid = requests.get(f"{books_world.url}/sales/invoices", params={"status": "Paid"}).text
    assert "INV-1009" not in paid and ">Paid<" in paid
    bills = requests.get(f"{books_world.url}/expenses/bills").text
    assert "1-50 of" in bills and 'rel="next"' in bills
    second = requests.get(f"{books_world.url}/expenses/bills", params={"page": 2}).text
    assert "51-" in second and 'rel="prev"' in second


def test_pay_bills_uses_a_vendor_credit(books_world):
    from datetime import date

    from mock_apps.books import service
    from mock_apps.books.service import LineInput

    accounts, _c, open_bills, _i = _ids(books_world)
    bill = open_bills[-1]
    s = books_world.session()
    try:
        credit = service.create_txn(s, "VendorCredit", vendor_id=bill.contact_id, txn_date=date(2026, 3, 30),
                                    lines=[LineInput(account_id=accounts["Office Supplies"], amount_cents=2_000)])
        credit_id = credit.id
    finally:
        s.close()
    page = requests.get(f"{books_world.url}/pay-bills", params={"vendor_id": bill.contact_id}).text
    assert f'name="apply_{credit_id}"' in page and "Vendor credit" in page
    response = requests.post(f"{books_world.url}/pay-bills", data={
        "pay_account_id": accounts["Operating Checking"], "txn_date": "2026-03-31", "method": "Check",
        f"apply_{bill.id}": f"{bill.balance_cents / 100:.2f}", f"apply_{credit_id}": "20.00"}, allow_redirects=False)
    assert response.status_code == 303
    payment = next(c for c in books_world.changes()[-1]["changes"] if c["table"] == "txn" and c["kind"] == "insert")
    assert payment["after"]["total_cents"] == bill.balance_cents - 2_000


def test_a_refused_feed_action_returns_to_the_feed_with_the_reason(books_world):
    from mock_apps.books.models import BankLine

    s = books_world.session()
    try:
        line = s.exec(select(BankLine).where(BankLine.status == "review")).first()
    finally:
        s.close()
    before = len(books_world.changes())
    session = requests.Session()
    page = session.post(f"{books_world.url}/banking/lines/{line.id}/categorize",
                        data={"account_id": line.account_id, "category_id": ""})
    assert page.status_code == 200 and "For review" in page.text
    assert 'role="alert"' in page.text and "choose a category" in page.text
    assert len(books_world.changes()) == before
    bad_csv = session.post(f"{books_world.url}/banking/import", data={"account_id": line.account_id},
                           files={"file": ("statement.csv", b"when,what\n1,2\n", "text/csv")})
    assert "needs a header row with Date, Description and Amount" in bad_csv.text


def test_search_finds_documents_by_number_name_and_amount(books_world):
    by_number = requests.get(f"{books_world.url}/search", params={"q": "INV-1021"}).text
    assert "INV-1021" in by_number
    assert "Partial" in by_number or "Overdue" in by_number  # half paid, by the clock maybe past due
    by_name = requests.get(f"{books_world.url}/search", params={"q": "summit packaging"}).text
    assert "Summit Packaging Co." in by_name and "Summit Packaging Supply" in by_name
    assert "SP-88412" not in by_name  # only in mail: not in the books yet
    s = books_world.session()
    try:
        invoice = s.exec(select(Txn).where(Txn.doc_number == "INV-1009")).one()
    finally:
        s.close()
    by_amount = requests.get(f"{books_world.url}/search", params={"q": f"{invoice.total_cents / 100:,.2f}"}).text
    assert "INV-1009" in by_amount


def test_edit_a_customer_with_its_sync_token(books_world):
    _a, contacts, _b, _i = _ids(books_world)
    cid = contacts["Bayview Apartments"]
    form = requests.get(f"{books_world.url}/contacts/{cid}/edit").text
    assert 'value="Bayview Apartments"' in form
    data = {"sync_token": "0", "display_name": "Bayview Apartments LLC", "terms_days": "45", "active": "on"}
    assert requests.post(f"{books_world.url}/contacts/{cid}/edit", data=data, allow_redirects=False).status_code == 303
    stale = requests.post(f"{books_world.url}/contacts/{cid}/edit", data=data | {"display_name": "Other"})
    assert stale.status_code == 422 and "was changed since you read it" in stale.text
    clash = requests.post(f"{books_world.url}/contacts/{cid}/edit", data=data | {"sync_token": "1",
                                                                                 "display_name": "Ironworks Gym"})
    assert clash.status_code == 422 and "already used" in clash.text
    assert books_world.changes()[-1]["op"] == "books.customer.update"


def test_openapi_lists_uploads_and_pdfs(books_world):
    paths = requests.get(f"{books_world.url}/v3/openapi.json").json()["paths"]
    assert {"/v3/company/{realmId}/upload", "/v3/company/{realmId}/attachable/{id}",
            "/v3/company/{realmId}/invoice/{id}/pdf"} <= set(paths)


def test_edit_and_deactivate_accounts(books_world):
    accounts, _c, _b, _i = _ids(books_world)
    meals = accounts["Meals"]
    data = {"sync_token": "0", "name": "Meals & Entertainment", "number": "6710", "type": "Expense", "active": "on"}
    assert requests.post(f"{books_world.url}/accounts/{meals}/edit", data=data, allow_redirects=False).status_code == 303
    retype = requests.post(f"{books_world.url}/accounts/{meals}/edit", data=data | {"sync_token": "1", "type": "Income"})
    assert retype.status_code == 422 and "its type cannot change" in retype.text
    checking = accounts["Operating Checking"]
    inactive = requests.post(f"{books_world.url}/accounts/{checking}/edit", data={
        "sync_token": "0", "name": "Operating Checking", "number": "1000", "type": "Bank"})
    assert inactive.status_code == 422 and "has a balance" in inactive.text
    chart = requests.get(f"{books_world.url}/accounts").text
    assert "Meals &amp; Entertainment" in chart


def test_a_reused_bill_number_warns_before_saving(books_world):
    accounts, _c, open_bills, _i = _ids(books_world)
    bill = open_bills[0]
    data = {"contact_id": bill.contact_id, "txn_date": "2026-03-31", "doc_number": bill.doc_number.lower(),
            "line_account": [accounts["Office Supplies"]], "line_description": [""], "line_amount": ["10.00"]}
    before = len(books_world.changes())
    warned = requests.post(f"{books_world.url}/new/bill", data=data)
    assert warned.status_code == 422 and "is already used for this vendor" in warned.text
    assert "Save anyway" in warned.text and len(books_world.changes()) == before
    saved = requests.post(f"{books_world.url}/new/bill", data=data | {"allow_duplicate": "1"}, allow_redirects=False)
    assert saved.status_code == 303 and books_world.changes()[-1]["op"] == "books.bill.create"


def test_a_bill_with_item_lines_from_the_vendors_pdf(books_world):
    accounts, contacts, _b, _i = _ids(books_world)
    s = books_world.session()
    try:
        from mock_apps.books.models import Item

        items = {i.sku: i.id for i in s.exec(select(Item)).all()}
    finally:
        s.close()
    inventory = accounts["Inventory Asset"]
    response = requests.post(f"{books_world.url}/new/bill", data={
        "contact_id": contacts["Summit Packaging Co."], "txn_date": "2026-03-20", "doc_number": "SP-88412",
        "line_account": [inventory, inventory], "line_item": [items["ST-0300"], items["BX-1818"]],
        "line_description": ["", ""], "line_qty": ["25", "20"], "line_rate": ["41.50", "25.90"],
        "line_amount": ["", ""]}, allow_redirects=False)
    assert response.status_code == 303
    page = requests.get(books_world.origin + response.headers["Location"]).text
    assert "$1,555.50" in page  # 25 x 41.50 + 20 x 25.90
    assert "Stretch Wrap 18in (4 rolls)" in page and "Inventory Asset" in page
