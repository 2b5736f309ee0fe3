"""Vendors asking by mail whether an invoice was paid (the payment is in Books)."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug


def payment_queries(facts: Facts) -> list[Instance]:
    """Each vendor_payment_query event: who asked, about which invoice, and the payment that settled it."""
    events = require([e for e in facts.events if e.kind == "vendor_payment_query"],
                     "vendor_payment_query events (a vendor asking whether an invoice was paid)")
    instances = []
    for event in events:
        vendor = facts.vendor(event.actor)
        bill = facts.bill(event.refs[0])
        instances.append(Instance(slug(event.data["invoice"]), {
            "vendor": vendor.name, "contact": vendor.contact_name, "email": vendor.email,
            "month": f"{bill.date:%B}", "invoice": event.data["invoice"], "method": event.data["method"],
            "reference": event.data["reference"], "paid_on": event.data["paid_on"]}))
    return instances
