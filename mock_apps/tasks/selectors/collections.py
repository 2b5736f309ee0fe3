"""Past-due customer invoices the controller asked to chase."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import number, plain
from mock_apps.tasks.selectors.remittances import open_cents


def reminders(facts: Facts) -> list[Instance]:
    """Each invoice of a collections_reminder event that is still open: chase it for its open balance."""
    asked = [n for e in facts.events if e.kind == "collections_reminder" for n in e.refs]
    numbers = require([n for n in asked if open_cents(facts, n) > 0],
                      "collections_reminder events (an open invoice the controller asked to chase)")
    instances = []
    for invoice_number in numbers:
        customer = facts.customer(facts.invoice(invoice_number).customer_key)
        balance = open_cents(facts, invoice_number)
        instances.append(Instance(slug(invoice_number), {
            "invoice": invoice_number, "customer": customer.name, "contact": customer.contact_name,
            "email": customer.email, "balance": number(balance), "balance_text": plain(balance)}))
    return instances
