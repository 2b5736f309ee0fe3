"""Vendor invoices in the mailbox that are not in Books yet: plain ones, a corrected one, a re-sent one."""

from __future__ import annotations

from mock_apps.scenarios.facts import Bill, Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import short_name


def _unentered(facts: Facts) -> list[Bill]:
    return [b for b in facts.bills if not b.in_books and b.mailed]


def _bill_params(facts: Facts, bill: Bill) -> dict:
    return {"vendor": facts.vendor(bill.vendor_key).name, "invoice": bill.vendor_invoice_number,
            "account": bill.lines[0].account, "total_cents": bill.total_cents, "date": bill.date.isoformat()}


def mailed(facts: Facts) -> list[Instance]:
    """Each mailed invoice not in Books whose PDF is right and arrived once: enter it as it reads."""
    bills = require([b for b in _unentered(facts) if not b.resent_duplicate and b.mailed_total_cents is None],
                    "bills (a mailed vendor invoice not in Books, with no correction and no re-send)")
    return [Instance(slug(b.vendor_invoice_number), _bill_params(facts, b)) for b in bills]


def corrected(facts: Facts) -> list[Instance]:
    """Each mailed invoice whose amount a chat message corrected: enter the corrected amount."""
    bills = require([b for b in _unentered(facts) if b.mailed_total_cents not in (None, b.total_cents)],
                    "bills with mailed_total_cents (an invoice whose amount was corrected in chat)")
    return [Instance(slug(b.vendor_invoice_number), {
        **_bill_params(facts, b), "short": short_name(facts.vendor(b.vendor_key).name),
        "mailed": dollars(b.mailed_total_cents), "amount": dollars(b.total_cents)}) for b in bills]


def resent(facts: Facts) -> list[Instance]:
    """Each invoice the vendor mailed twice: enter it once, for the right one of similarly named vendors."""
    bills = require([b for b in _unentered(facts) if b.resent_duplicate],
                    "bills with resent_duplicate (an invoice the vendor mailed twice)")
    instances = []
    for bill in bills:
        vendor = facts.vendor(bill.vendor_key)
        short = short_name(vendor.name)
        alike = [v.name for v in facts.vendors if v.key != vendor.key and v.name.startswith(short)]
        instances.append(Instance(slug(bill.vendor_invoice_number), {
            **_bill_params(facts, bill), "short": short,
            "not_alike": f" (not {' or '.join(alike)})" if alike else ""}))
    return instances
