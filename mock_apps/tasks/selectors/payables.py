"""Bills already in Books that are past due and unpaid."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import number, plain
from mock_apps.tasks.selectors.names import possessive

SMALL_CENTS = 100_000  # a past-due bill under $1,000 is paid in a run of its own without a new approval


def open_bills_row(facts: Facts, key: str) -> int:
    """The row of a bill on the A/P workbook's Open Bills sheet (as mock_apps/sheets/seed.py orders them)."""
    today = facts.now.date()
    bills = sorted((b for b in facts.bills if b.in_books and b.date <= today), key=lambda b: (b.date, b.key))
    return next(i for i, b in enumerate(bills, start=2) if b.key == key)


def past_due_small(facts: Facts) -> list[Instance]:
    """Each unpaid bill in Books past its due date and under $1,000: pay it, mark it paid, remit, note the run."""
    today = facts.now.date()
    bills = require([b for b in facts.bills if b.in_books and b.due_date < today and facts.bill_paid_cents(b.key) == 0
                     and b.total_cents < SMALL_CENTS],
                    "bills in Books past due, unpaid and under $1,000")
    instances = []
    for bill in bills:
        vendor = facts.vendor(bill.vendor_key)
        instances.append(Instance(slug(bill.vendor_invoice_number), {
            "vendor": vendor.name, "vendor_s": possessive(vendor.name), "invoice": bill.vendor_invoice_number, "total_cents": bill.total_cents,
            "amount": number(bill.total_cents), "amount_text": plain(bill.total_cents), "email": vendor.email,
            "row": open_bills_row(facts, bill.key)}))
    return instances
