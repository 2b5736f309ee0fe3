"""Receipt and form PDFs the scenario's workers uploaded (deterministic bytes: reportlab's invariant mode)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas


def render(title: str, rows: list[tuple[str, str]], footer: str = "") -> bytes:
    """A one-page PDF: a heading, label/value rows and a footer line."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(288, 360), invariant=1)  # a till-receipt-sized page
    pdf.setTitle(title)
    y = 330
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(18, y, title[:40])
    pdf.setFont("Helvetica", 10)
    for label, value in rows:
        y -= 20
        pdf.drawString(18, y, label[:24])
        pdf.drawRightString(270, y, value[:28])
    if footer:
        pdf.setFont("Helvetica-Oblique", 8)
        pdf.drawString(18, 24, footer[:60])
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def w9(name: str, business: str, tax_id: str, address: str) -> bytes:
    """A completed Form W-9's essentials as a letter-size PDF."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, invariant=1)
    pdf.setTitle(f"Form W-9 {business}")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 720, "Form W-9  Request for Taxpayer Identification Number")
    pdf.setFont("Helvetica", 11)
    for i, (label, value) in enumerate([("1 Name", name), ("2 Business name", business),
                                        ("3 Tax classification", "Limited liability company (single member)"),
                                        ("5 Address", address), ("Part I  Employer identification number", tax_id),
                                        ("Part II  Signature", f"{name}, signed")]):
        pdf.drawString(72, 680 - i * 28, f"{label}:")
        pdf.drawString(300, 680 - i * 28, value)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
