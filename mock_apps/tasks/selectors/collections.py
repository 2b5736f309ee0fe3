"""Past-due customer invoices to chase: the ones the controller asked about, or every one on the A/R aging."""

from __future__ import annotations

from mock_apps.scenarios import checklist
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import number, plain
from mock_apps.tasks.selectors.names import count_word, possessive
from mock_apps.tasks.selectors.remittances import open_cents


def reminders(facts: Facts) -> list[Instance]:
    """Each invoice of a collections_reminder event that is still open: chase it for its open balance."""
    asked = [n for e in facts.events if e.kind == "collections_reminder" for n in e.refs]
    numbers = require([n for n in asked if open_cents(facts, n) > 0],
                      "collections_reminder events (an open invoice the controller asked to chase)")
    return [Instance(slug(invoice_number), _chase(facts, invoice_number)) for invoice_number in numbers]


def _chase(facts: Facts, invoice_number: str) -> dict:
    """An invoice to chase: its customer's name, billing contact and address, and its open balance."""
    customer = facts.customer(facts.invoice(invoice_number).customer_key)
    balance = open_cents(facts, invoice_number)
    return {"invoice": invoice_number, "customer": customer.name, "contact": customer.contact_name,
            "email": customer.email, "balance": number(balance), "balance_text": plain(balance)}


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


def past_due(facts: Facts) -> list[Instance]:
    """The A/R aging's past-due invoices chased at once, but the one a customer agreed to pay later; the close
    checklist's A/R line ticked; #finance told."""
    from mock_apps.sheets.formula.dates import date_to_serial

    today = facts.now.date()
    due = [i.number for i in facts.invoices if i.date <= today and i.due_date < today and open_cents(facts, i.number) > 0]
    later = {p.params["invoice"]: p.params for p in partial_payments(facts)}
    chased = [_chase(facts, n) for n in due if n not in later]
    if not chased:
        raise MissingFact("past-due invoices on the A/R aging (beside the one a customer agreed to pay later)")
    spared = [{**later[n], "seller_s": possessive(later[n]["seller"])} for n in due if n in later]
    # A customer whose only past-due invoice is the promised one hears nothing from us; one with other past-due
    # invoices gets their reminders, just none about the promised one (and the instruction says so).
    alone = [s for s in spared if not any(c["email"] == s["email"] for c in chased)]
    beside = [s for s in spared if s not in alone]
    # The kickoff and the controller's DM name the invoices of collections_reminder events: #finance must hear of
    # the ones only the aging shows (of every one chased when the kickoff named them all).
    asked = {n for e in facts.events if e.kind == "collections_reminder" for n in e.refs}
    told = [c for c in chased if c["invoice"] not in asked] or chased
    return [Instance(slug(f"ar-{today.isoformat()}"), {
        "chased": chased, "chased_count": len(chased), "chased_word": count_word(len(chased)),
        "chased_list": ", ".join(c["invoice"] for c in chased), "spared_customer": alone, "spared_invoice": beside,
        "scope": " An arrangement about one invoice does not cover the customer's other invoices." if beside else "",
        "told": told, "told_weight": round(1 / len(told), 2), "today_serial": date_to_serial(today),
        "checklist_row": checklist.row_of(facts, "ar-follow-up")})]
