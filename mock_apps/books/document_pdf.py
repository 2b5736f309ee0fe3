"""Printable PDFs of sales documents (invoices and credit memos), as QuickBooks' "Print or download"."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from sqlmodel import select

from mock_apps.books import ledger, service
from mock_apps.books.models import Contact, DocLine, Item, Txn
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest


def render(db: WorldSession, txn: Txn) -> bytes:
    """The document as a one-or-more-page PDF: company, bill-to, dates, lines, total, balance due."""
    if txn.type not in ("Invoice", "CreditMemo"):
        raise BadRequest(f"only invoices and credit memos have a printable form, not a {service.UI_LABEL[txn.type].lower()}")
    company = service.company(db)
    customer = db.get(Contact, txn.contact_id)
    lines = db.exec(select(DocLine).where(DocLine.txn_id == txn.id).order_by(DocLine.line_no)).all()
    items = {i.id: i for i in db.exec(select(Item)).all()}
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    pdf.setTitle(f"{service.UI_LABEL[txn.type]} {txn.doc_number}")
    width, height = letter
    y = height - 72
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, y, company.name)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(72, y - 14, company.address)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawRightString(width - 72, y, "INVOICE" if txn.type == "Invoice" else "CREDIT MEMO")
    pdf.setFont("Helvetica", 10)
    y -= 48
    pdf.drawString(72, y, "Bill to")
    pdf.drawString(72, y - 14, customer.display_name if customer else "")
    pdf.drawString(72, y - 28, customer.address if customer else "")
    details = [("No.", txn.doc_number), ("Date", txn.txn_date.strftime("%m/%d/%Y"))]
    if txn.due_date:
        details += [("Terms", f"Net {txn.terms_days or 0}"), ("Due date", txn.due_date.strftime("%m/%d/%Y"))]
    for n, (label, value) in enumerate(details):
        pdf.drawRightString(width - 160, y - 14 * n, label)
        pdf.drawRightString(width - 72, y - 14 * n, value)
    y -= 80
    pdf.setFont("Helvetica-Bold", 9)
    for x, title in ((72, "PRODUCT/SERVICE"), (230, "DESCRIPTION")):
        pdf.drawString(x, y, title)
    for x, title in ((width - 200, "QTY"), (width - 140, "RATE"), (width - 72, "AMOUNT")):
        pdf.drawRightString(x, y, title)
    pdf.setFont("Helvetica", 9)
    for line in lines:
        y -= 16
        if y < 110:
            pdf.showPage()
            pdf.setFont("Helvetica", 9)
            y = height - 72
        pdf.drawString(72, y, (items[line.item_id].name if line.item_id in items else "")[:30])
        pdf.drawString(230, y, (line.description or "")[:48])
        pdf.drawRightString(width - 200, y, f"{line.quantity_milli / 1000:g}")
        pdf.drawRightString(width - 140, y, ledger.fmt(line.unit_cents))
        pdf.drawRightString(width - 72, y, ledger.fmt(line.amount_cents))
    y -= 32
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawRightString(width - 160, y, "TOTAL")
    pdf.drawRightString(width - 72, y, ledger.fmt(txn.total_cents))
    pdf.drawRightString(width - 160, y - 18, "BALANCE DUE" if txn.type == "Invoice" else "REMAINING CREDIT")
    pdf.drawRightString(width - 72, y - 18, ledger.fmt(txn.balance_cents))
    if txn.memo:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, y - 44, txn.memo[:100])
    pdf.save()
    return out.getvalue()
