"""A vendor's invoice document: the structured facts, rendered as a small PDF and as HTML.

The PDF is what a trainer previews and downloads; the HTML rendering (from the same structured
facts, stored alongside the attachment) is what an agent that cannot read PDFs sees. Both show the
same number, dates, lines and total, so they never disagree.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from datetime import date

from markupsafe import escape


@dataclass(frozen=True)
class InvoiceLine:
    """One printed line."""

    description: str
    quantity: int
    unit_cents: int
    amount_cents: int


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything printed on a vendor's invoice."""

    vendor_name: str
    vendor_address: str
    vendor_email: str
    vendor_phone: str
    bill_to_name: str
    bill_to_address: str
    number: str
    issue_date: date
    due_date: date
    terms: str
    lines: tuple[InvoiceLine, ...]
    total_cents: int
    remit_bank: str = ""
    remit_account_last4: str = ""
    notes: str = ""
    title: str = "INVOICE"

    def to_json(self) -> str:
        """The structured facts, stored next to the attachment."""
        data = asdict(self)
        data["issue_date"] = self.issue_date.isoformat()
        data["due_date"] = self.due_date.isoformat()
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "InvoiceDocument":
        """Rebuild a document from `to_json` output."""
        data = json.loads(text)
        data["issue_date"] = date.fromisoformat(data["issue_date"])
        data["due_date"] = date.fromisoformat(data["due_date"])
        data["lines"] = tuple(InvoiceLine(**line) for line in data["lines"])
        return cls(**data)

    def to_pdf(self) -> bytes:
        """A one-page PDF with standard fonts only (no embedding), so it stays a few KB."""
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas

        buf = io.BytesIO()
        pdf = canvas.Canvas(buf, pagesize=letter, pageCompression=1, invariant=1)
        pdf.setTitle(f"{self.title.title()} {self.number}")
        pdf.setAuthor(self.vendor_name)
        width, height = letter
        y = height - 60
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(50, y, self.vendor_name)
        pdf.setFont("Helvetica-Bold", 22)
        pdf.drawRightString(width - 50, y, self.title)
        pdf.setFont("Helvetica", 10)
        for line in (self.vendor_address, self.vendor_email, self.vendor_phone):
            y -= 14
            pdf.drawString(50, y, line)
        y -= 30
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(50, y, "Bill to")
        pdf.drawString(340, y, "Invoice #")
        pdf.drawString(440, y, self.number)
        pdf.setFont("Helvetica", 10)
        meta = [("Invoice date", _us_date(self.issue_date)), ("Due date", _us_date(self.due_date)), ("Terms", self.terms)]
        left = [self.bill_to_name, *self.bill_to_address.split("\n")]
        for i in range(max(len(left), len(meta))):
            y -= 14
            if i < len(left):
                pdf.drawString(50, y, left[i])
            if i < len(meta):
                pdf.drawString(340, y, meta[i][0])
                pdf.drawString(440, y, meta[i][1])
        y -= 34
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(50, y, "Description")
        pdf.drawRightString(380, y, "Qty")
        pdf.drawRightString(470, y, "Unit price")
        pdf.drawRightString(width - 50, y, "Amount")
        y -= 6
        pdf.line(50, y, width - 50, y)
        pdf.setFont("Helvetica", 10)
        for item in self.lines:
            y -= 16
            pdf.drawString(50, y, item.description[:60])
            pdf.drawRightString(380, y, str(item.quantity))
            pdf.drawRightString(470, y, dollars(item.unit_cents))
            pdf.drawRightString(width - 50, y, dollars(item.amount_cents))
        y -= 10
        pdf.line(300, y, width - 50, y)
        y -= 18
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(340, y, "Total due")
        pdf.drawRightString(width - 50, y, dollars(self.total_cents))
        pdf.setFont("Helvetica", 9)
        y -= 40
        if self.remit_bank:
            pdf.drawString(50, y, f"Remit by ACH to {self.remit_bank}, account ending {self.remit_account_last4}.")
            y -= 12
        if self.notes:
            pdf.drawString(50, y, self.notes[:110])
            y -= 12
        pdf.drawString(50, 50, f"Please reference invoice {self.number} with your payment. Thank you for your business.")
        pdf.showPage()
        pdf.save()
        return buf.getvalue()

    def to_html(self) -> str:
        """An accessible HTML rendering of the same facts (escaped)."""
        rows = "".join(
            f"<tr><td>{escape(i.description)}</td><td class=\"num\">{i.quantity}</td>"
            f"<td class=\"num\">{dollars(i.unit_cents)}</td><td class=\"num\">{dollars(i.amount_cents)}</td></tr>"
            for i in self.lines
        )
        remit = (f"<p>Remit by ACH to {escape(self.remit_bank)}, account ending {escape(self.remit_account_last4)}.</p>"
                 if self.remit_bank else "")
        notes = f"<p>{escape(self.notes)}</p>" if self.notes else ""
        return (
            f'<article class="invoice-doc" aria-label="{escape(self.title.title())} {escape(self.number)}">'
            f"<header><h2>{escape(self.vendor_name)}</h2><p>{escape(self.vendor_address)}<br>"
            f"{escape(self.vendor_email)} &middot; {escape(self.vendor_phone)}</p></header>"
            f'<dl class="invoice-meta"><dt>{escape(self.title.title())} #</dt><dd data-testid="invoice-number">'
            f"{escape(self.number)}</dd><dt>Invoice date</dt><dd>{_us_date(self.issue_date)}</dd>"
            f"<dt>Due date</dt><dd>{_us_date(self.due_date)}</dd><dt>Terms</dt><dd>{escape(self.terms)}</dd>"
            f"<dt>Bill to</dt><dd>{escape(self.bill_to_name)}<br>{_lines(self.bill_to_address)}</dd></dl>"
            f'<table class="table"><thead><tr><th scope="col">Description</th><th scope="col">Qty</th>'
            f'<th scope="col">Unit price</th><th scope="col">Amount</th></tr></thead><tbody>{rows}</tbody>'
            f'<tfoot><tr><th scope="row" colspan="3">Total due</th><td class="num" data-testid="invoice-total">'
            f"{dollars(self.total_cents)}</td></tr></tfoot></table>{remit}{notes}</article>"
        )


def dollars(cents: int) -> str:
    """Cents as "$1,234.56" (negative as "-$80.00")."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


def _lines(text: str) -> str:
    return "<br>".join(str(escape(line)) for line in text.split("\n"))


def _us_date(day: date) -> str:
    return f"{day:%m/%d/%Y}"
