"""A vendor's bank-details change requested from a look-alike domain, flagged as phishing in #finance."""

from __future__ import annotations

from datetime import timedelta

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import dollars, number
from mock_apps.tasks.selectors.names import possessive, pronouns

FLAG_AFTER = timedelta(minutes=42)  # Chat's seeder posts the warning this long after the mail (chat/seed.py)


def bank_change(facts: Facts) -> list[Instance]:
    """Each bank_change_request whose vendor has an invoice not in Books: the invoice, the spoofer, the warning."""
    events = require([e for e in facts.events if e.kind == "bank_change_request"],
                     "bank_change_request events (a look-alike domain asking to change a vendor's bank)")
    instances = []
    for event in events:
        vendor = facts.vendor(event.actor)
        bill = next((b for b in facts.bills if b.vendor_key == vendor.key and not b.in_books), None)
        if bill is None:
            continue
        flagger = facts.person(event.data["flagged_by"])
        contact = vendor.contact_name
        instances.append(Instance(slug(bill.vendor_invoice_number), {
            "vendor": vendor.name, "vendor_s": possessive(vendor.name), "short": vendor.name.split()[0],
            "short_s": possessive(vendor.name.split()[0]), "invoice": bill.vendor_invoice_number,
            "account": bill.lines[0].account, "total_cents": bill.total_cents, "amount_num": number(bill.total_cents),
            "amount": dollars(bill.total_cents), "date": bill.date.isoformat(), "due": bill.due_date.isoformat(),
            "vendor_domain": vendor.email.split("@", 1)[1], "contact": contact, "contact_first": contact.split()[0], "flagger_name": flagger.name,
            "flagger_they": pronouns(facts.hr and facts.hr.worker(flagger.key))["they"],
            "flagger": flagger.first_name, "flagger_email": flagger.email, "spoof_domain": event.data["spoof_domain"],
            "thread_ts": f"{int((event.at + FLAG_AFTER).timestamp())}.000001"}))
    return require(instances, "a bank_change_request vendor with an invoice not in Books")
