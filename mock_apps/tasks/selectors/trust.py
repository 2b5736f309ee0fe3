"""A law firm's client trust (IOLTA) work: retainer checks to deposit to trust, and approved invoices a
client pays from the retainer held in trust (mock_apps/scenarios/work.py)."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import dollars, plain
from mock_apps.tasks.selectors.names import possessive

TRUST = "Client Trust Account (IOLTA)"
LIABILITY = "Client Trust Liability"


def _accounts(facts: Facts) -> dict:
    trust, liability = facts.account(TRUST), facts.account(LIABILITY)
    return {"trust": trust.name, "trust_option": f"{trust.number} {trust.name}", "liability": liability.name,
            "liability_option": f"{liability.number} {liability.name}"}


def _contact(client) -> dict:
    return {"client": client.name, "client_s": possessive(client.name), "email": client.email,
            "contact": client.contact_name, "contact_first": client.contact_name.split()[0]}


def retainers(facts: Facts) -> list[Instance]:
    """One instance per retainer check mailed in and not yet deposited to the trust account."""
    found = require(facts.work.retainers if facts.work else (),
                    "work.retainers (a client's retainer check mailed in, not yet deposited to trust)")
    instances = []
    for retainer in found:
        client = facts.customer(retainer.customer_key)
        instances.append(Instance(slug(retainer.key + "-" + client.name), {
            **_accounts(facts), **_contact(client), "check": retainer.reference, "amount": dollars(retainer.amount_cents), "amount_plain": plain(retainer.amount_cents),
            "total_cents": retainer.amount_cents, "date": retainer.date.isoformat(), "matter": retainer.matter}))
    return instances


def earned_fees(facts: Facts) -> list[Instance]:
    """One instance per approved invoice a partner asked to pay from the client's retainer in trust."""
    found = require(facts.work.earned_fees if facts.work else (),
                    "work.earned_fees (an approved invoice a client pays from its retainer in trust)")
    instances = []
    for fee in found:
        client = facts.customer(fee.customer_key)
        invoice = facts.invoice(fee.invoice_number)
        partner = facts.person(fee.approved_by)
        instances.append(Instance(slug(invoice.number), {
            **_accounts(facts), **_contact(client), "invoice": invoice.number,
            "amount": dollars(invoice.total_cents), "total_cents": invoice.total_cents,
            "credit_cents": -invoice.total_cents, "held": dollars(facts.work.trust_cents(client.key)),
            "left": dollars(facts.work.trust_cents(client.key) - invoice.total_cents),
            "partner": partner.name, "partner_first": partner.first_name}))
    return instances
