"""A trainer's month-end in a real browser: enter a bill from mail with its PDF attached, pay it, match the
payment in the bank feed (after uploading the bank's CSV), clear the rest of the feed, reconcile March to a
zero difference, and read the new checking balance on the balance sheet."""

from __future__ import annotations

import io

import pytest

from mock_apps.scenarios import get_scenario


def _invoice_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 760, "Brightline Logistics - Invoice BL-20931")
    pdf.drawString(72, 740, "Freight consolidation, March shipments (14 pallets)   $4,249.00")
    pdf.save()
    return out.getvalue()


def _money(text: str) -> int:
    raw = text.strip().replace("$", "").replace(",", "")
    negative = raw.startswith("-")
    whole, _, frac = raw.lstrip("-").partition(".")
    cents = int(whole) * 100 + int((frac + "00")[:2])
    return -cents if negative else cents


def _report_cell(page, label: str) -> int:
    return _money(page.locator(f"tr[data-label='{label}'] td").first.inner_text())


CATEGORY = {"COMPANY VISA AUTOPAY": "2100 Company Visa", "INTEREST PAID": "7000 Interest Income",
            "MOBILE DEPOSIT UNKNOWN": "4000 Sales"}


@pytest.mark.slow
def test_trainer_enters_pays_matches_and_reconciles_a_bill(world, books_world, world_page, tmp_path):
    page = world_page
    base = world.url("books")  # the world comes from the mockworld cookie, as in a trainer's browser
    facts = get_scenario("meridian").facts
    march = next(s for s in facts.statements if s.period_start.month == 3)

    page.goto(base + "/reports/balance-sheet?end=2026-03-31")
    checking_before = _report_cell(page, "1000 Operating Checking")

    # 1. Enter the bill from the "+ New" menu, with the vendor's PDF attached.
    page.goto(base + "/")
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Bill", exact=True).click()
    page.get_by_label("Vendor").select_option(label="Brightline Logistics")
    page.get_by_label("Bill date").fill("2026-03-18")
    page.get_by_label("Bill no.").fill("BL-20931")
    page.get_by_label("Category, line 1").select_option(label="5100 Freight In")
    page.get_by_label("Description, line 1").fill("Freight consolidation, March shipments (14 pallets)")
    page.get_by_label("Amount, line 1").fill("4,249.00")
    page.get_by_label("Attachment").set_input_files(files=[{"name": "BL-20931.pdf", "mimeType": "application/pdf",
                                                             "buffer": _invoice_pdf()}])
    assert page.get_by_test_id("form-total").inner_text() == "$4,249.00"
    page.get_by_test_id("save").click()
    assert "Bill BL-20931 saved" in page.get_by_test_id("toast").inner_text()
    assert page.get_by_test_id("status").inner_text() == "Open"
    assert page.get_by_test_id("balance").inner_text() == "$4,249.00"
    assert page.get_by_role("link", name="BL-20931.pdf").is_visible()
    assert page.get_by_role("row", name="5100 Freight In $4,249.00").is_visible()

    # 2. Pay it by check from the operating account.
    page.get_by_test_id("pay-bill").click()
    page.get_by_label("Pay BL-20931 in full").check()
    assert page.get_by_label("Payment for BL-20931").input_value() == "4249.00"
    page.get_by_label("Payment account").select_option(label="1000 Operating Checking")
    page.get_by_label("Payment date").fill("2026-03-31")
    page.get_by_label("Payment method").select_option("Check")
    page.get_by_label("Starting check no.").fill("5200")
    page.get_by_role("button", name="Pay selected bills").click()
    assert "1 bill paid ($4,249.00)" in page.get_by_test_id("toast").inner_text()

    # 3. Upload the bank's CSV with the cleared check, then work the whole March feed.
    page.get_by_test_id("nav-banking").click()
    csv_path = tmp_path / "first-lakes-march.csv"
    csv_path.write_text("Date,Description,Amount\n03/31/2026,CHECK 5200,-4249.00\n")
    page.get_by_label("Bank statement CSV (Date, Description, Amount)").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload", exact=True).click()
    assert "Imported 1 new line" in page.get_by_test_id("toast").inner_text()
    check_row = page.locator("tr", has_text="CHECK 5200")
    check_row.get_by_role("button", name="Match").click()
    assert "Matched CHECK 5200" in page.get_by_test_id("toast").inner_text()
    added = 0
    for _ in range(80):
        rows = page.locator("table.feed tbody tr[data-testid^=bank-line-]")
        if rows.count() == 0:
            break
        row = rows.first
        description = row.locator("td").nth(1).inner_text().strip()
        if row.get_by_role("button", name="Match").count():
            row.get_by_role("button", name="Match").click()
        else:
            row.get_by_label("Category").select_option(label=CATEGORY[description])
            received = row.locator("td").nth(3).inner_text().strip()
            spent = row.locator("td").nth(2).inner_text().strip()
            added += _money(received) if received else -_money(spent)
            row.get_by_role("button", name="Add").click()
        page.wait_for_load_state()
    assert page.get_by_test_id("tab-review").inner_text() == "For review (0)"

    # 4. Reconcile March against the statement (which shows the check too).
    ending = march.ending_balance_cents - 424_900
    page.get_by_test_id("nav-reconcile").click()
    page.get_by_label("Account").select_option(label="1000 Operating Checking")
    page.get_by_label("Ending balance").fill(f"{ending / 100:.2f}")
    page.get_by_label("Ending date").fill("2026-03-31")
    page.get_by_test_id("start-reconciling").click()
    assert page.get_by_test_id("difference").inner_text() == "$0.00"
    page.get_by_test_id("finish-now").click()
    assert "Operating Checking reconciled through Mar 31, 2026" in page.get_by_test_id("toast").inner_text()
    assert page.get_by_role("row", name="Operating Checking 03/31/2026").is_visible()

    # 5. The balance sheet shows the new checking balance.
    page.get_by_test_id("nav-reports").click()
    page.get_by_test_id("report-balance-sheet").click()
    page.get_by_label("As of").fill("2026-03-31")
    page.get_by_role("button", name="Run report").click()
    assert _report_cell(page, "1000 Operating Checking") == checking_before - 424_900 + added
    assert _report_cell(page, "Total Assets") == _report_cell(page, "Total Liabilities and Equity")
    changes = books_world.changes()
    ops = [c["op"] for c in changes]
    assert ops[:4] == ["books.bill.create", "books.bill.pay", "books.bank.import", "books.bank.match"]
    assert changes[0]["args"]["doc_number"] == "BL-20931" and changes[0]["args"]["attachment"] == "BL-20931.pdf"
    assert "books.bank.categorize" in ops and ops[-1] == "books.reconcile.finish"


@pytest.mark.slow
def test_trainer_invoices_a_customer_and_records_a_partial_payment(world, world_page):
    page = world_page
    page.goto(world.url("books") + "/")
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Invoice", exact=True).click()
    page.get_by_label("Customer").select_option(label="Riverbend University")
    page.get_by_label("Product/service, line 1").select_option(label="Nitrile Gloves, Large (1000)")
    assert page.get_by_label("Rate, line 1").input_value() == "98.50"  # the item's price fills in
    page.get_by_label("Qty, line 1").fill("12")
    page.get_by_label("Product/service, line 2").select_option(label="Delivery Service")
    assert page.get_by_test_id("form-total").inner_text() == "$1,257.00"  # 12 x 98.50 + 75.00
    page.get_by_test_id("save").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Invoice INV-1049") and page.get_by_test_id("status").inner_text() == "Open"
    assert "05/30/2026 (Net 60)" in page.locator(".details").inner_text()  # the customer's terms

    page.get_by_role("link", name="Receive payment").click()
    page.get_by_label("Payment for INV-1049").fill("500.00")
    page.get_by_label("Reference no.").fill("CHK 4410")
    assert page.get_by_test_id("apply-total").inner_text() == "$500.00"
    page.get_by_test_id("save").click()
    assert "Payment of $500.00 received" in page.get_by_test_id("toast").inner_text()
    page.get_by_role("link", name="Invoice INV-1049").click()
    assert page.get_by_test_id("status").inner_text() == "Partial"
    assert page.get_by_test_id("balance").inner_text() == "$757.00"

    page.get_by_test_id("nav-invoices").click()
    page.get_by_label("Status").select_option("Partial")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_role("link", name="INV-1049").is_visible()


@pytest.mark.slow
def test_trainer_works_payments_feed_reconciliation_void_and_exports_by_clicking(world, books_world, world_page):
    """The other workflows a bookkeeper clicks through: one payment for several invoices (one partly), several
    bills paid at once, a feed line excluded and brought back, the last reconciliation undone, a bill voided,
    and a report exported to CSV and Excel."""
    import csv

    import openpyxl

    page = world_page
    base = world.url("books")
    session = books_world.session()
    try:
        from sqlmodel import select

        from mock_apps.books import service
        from mock_apps.books.models import Contact

        customer, first, second = next(
            (c, docs[0], docs[1]) for c in session.exec(select(Contact).where(Contact.kind == "customer")
                                                        .order_by(Contact.display_name)).all()
            if len(docs := service.open_documents(session, c.id, ("Invoice",))) >= 2)
    finally:
        session.close()

    # 1. Receive one payment for two invoices: the first in full, the second partly.
    page.goto(base + f"/contacts/{customer.id}")
    page.get_by_role("link", name="Receive payment").click()
    page.get_by_label(f"Pay {first.doc_number} in full").check()
    page.get_by_label(f"Payment for {second.doc_number}").fill("100.00")
    expected = first.balance_cents + 10_000
    assert _money(page.get_by_test_id("apply-total").inner_text()) == expected
    page.get_by_test_id("save").click()
    assert f"Payment of ${expected / 100:,.2f} received" in page.get_by_test_id("toast").inner_text()
    page.get_by_role("link", name=f"Invoice {second.doc_number}").click()
    assert page.get_by_test_id("status").inner_text() == "Partial"

    # 2. Pay the two oldest open bills at once.
    page.goto(base + "/pay-bills")
    boxes = page.locator("input.pay-all")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Pay selected bills").click()
    assert "2 bills paid" in page.get_by_test_id("toast").inner_text()

    # 3. Exclude a feed line, find it under Excluded, and send it back for review.
    page.get_by_test_id("nav-banking").click()
    review_before = page.get_by_test_id("tab-review").inner_text()
    row = page.locator("table.feed tbody tr[data-testid^=bank-line-]").first
    description = row.locator("td").nth(1).inner_text().strip()
    row.get_by_role("button", name=f"Exclude {description}").click()
    assert f"Excluded {description}" in page.get_by_test_id("toast").inner_text()
    page.get_by_test_id("tab-excluded").click()
    page.get_by_role("button", name=f"Undo {description}").click()
    assert page.get_by_test_id("tab-review").inner_text() == review_before

    # 4. Undo the last reconciliation of the checking account (February): the beginning balance goes back.
    page.get_by_test_id("nav-reconcile").click()
    history = page.get_by_role("table", name="Reconciliation history")
    history.get_by_role("row", name="Operating Checking 02/28/2026").get_by_role("button", name="Undo").click()
    assert "Reconciliation through Feb 28, 2026 undone" in page.get_by_test_id("toast").inner_text()
    assert "(last reconciled through 01/31/2026)" in page.locator("#reconcile-start").inner_text()

    # 5. Void an open bill from its page.
    page.goto(base + "/expenses/bills?status=Open")
    page.locator("table tbody tr a[href*='/txn/']").first.click()
    page.get_by_role("button", name="Void").click()
    assert "voided" in page.get_by_test_id("toast").inner_text()
    assert page.get_by_test_id("status").inner_text() == "Voided"

    # 6. Export the A/P aging summary (which now shows neither paid nor voided bills) to CSV and Excel.
    page.get_by_test_id("nav-reports").click()
    page.get_by_test_id("report-ap-aging-summary").click()
    with page.expect_download() as csv_download:
        page.get_by_test_id("export-csv").click()
    rows = list(csv.reader(open(csv_download.value.path(), newline="")))
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("export-xlsx").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as data:  # Playwright keeps downloads without an extension
        sheet = openpyxl.load_workbook(data).active
    total_csv = next(r for r in rows if r and r[0] == "TOTAL")[-1]
    total_xlsx = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "TOTAL")[-1]
    assert float(total_csv.replace(",", "")) == pytest.approx(total_xlsx)
    assert _money(page.locator("tr[data-label='TOTAL'] td").last.inner_text()) == round(total_xlsx * 100)
    ops = [c["op"] for c in books_world.changes()]
    assert ops == ["books.payment.receive", "books.bill.pay", "books.bank.exclude", "books.bank.undo",
                   "books.reconcile.undo", "books.bill.void"]
