"""Invoice documents: PDF and HTML from one set of facts."""

import io
from datetime import date

from pypdf import PdfReader

from mock_apps.mail.invoice_document import InvoiceDocument, InvoiceLine, dollars

DOC = InvoiceDocument(
    vendor_name="Clearwater Chemical Inc.", vendor_address="12 River Rd, Toledo, OH", vendor_email="omar@clearwaterchemical.com",
    vendor_phone="(419) 555-1234", bill_to_name="Meridian Supply Co.", bill_to_address="2150 Commerce Park Dr\nColumbus, OH",
    number="CC-55107", issue_date=date(2026, 3, 23), due_date=date(2026, 5, 7), terms="Net 45",
    lines=(InvoiceLine("Hospital Disinfectant (4 gal)", 40, 5_300, 212_000),), total_cents=212_000,
    remit_bank="KeyBank", remit_account_last4="0042",
)


def test_pdf_is_small_and_shows_number_and_total():
    pdf = DOC.to_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) < 6_000
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "CC-55107" in text and "$2,120.00" in text and "05/07/2026" in text
    assert DOC.to_pdf() == pdf  # invariant: identical bytes every build


def test_html_and_json_round_trip():
    html = DOC.to_html()
    assert 'data-testid="invoice-total">$2,120.00<' in html and "CC-55107" in html
    assert InvoiceDocument.from_json(DOC.to_json()) == DOC


def test_html_escapes_facts():
    doc = InvoiceDocument(**{**DOC.__dict__, "vendor_name": "<script>alert(1)</script>"})
    assert "<script>" not in doc.to_html()


def test_dollars():
    assert dollars(424_900) == "$4,249.00"
    assert dollars(-8_000) == "-$80.00"
    assert dollars(5) == "$0.05"
