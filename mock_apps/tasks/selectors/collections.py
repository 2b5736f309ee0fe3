"""Past-due customer invoices the controller asked to chase."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import number, plain
from mock_apps.tasks.selectors.names import possessive
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


def partial_payments(facts: Facts) -> list[Instance]:
    """Each partial_payment_note: the customer paid part of an invoice and promised the rest next month."""
    from calendar import month_name

    from mock_apps.tasks.selectors.company import dm_name
    from mock_apps.tasks.selectors.money import dollars

    events = require([e for e in facts.events if e.kind == "partial_payment_note" and e.refs
                      and open_cents(facts, e.refs[0]) > 0],
                     "partial_payment_note events (a customer paying the rest of an invoice next month)")
    instances = []
    for event in events:
        invoice = facts.invoice(event.refs[0])
        customer, seller = facts.customer(invoice.customer_key), facts.person(event.actor)
        balance, month = open_cents(facts, invoice.number), month_name[facts.now.month % 12 + 1]
        instances.append(Instance(slug(invoice.number), {
            "invoice": invoice.number, "customer": customer.name, "short": customer.name.split()[0],
            "short_s": possessive(customer.name.split()[0]),
            "contact": customer.contact_name, "email": customer.email, "seller": seller.first_name,
            "seller_key": seller.key, "seller_email": seller.email, "seller_dm": dm_name(facts.mailbox_owner, seller.key),
            "balance": number(balance), "balance_text": plain(balance), "balance_dollars": dollars(balance), "total": dollars(invoice.total_cents),
            "paid": dollars(facts.invoice_paid_cents(invoice.number)), "month": month, "month_lc": month.lower()}))
    return instances
