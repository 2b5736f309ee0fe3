"""A law firm's client trust (IOLTA) work: retainer checks to deposit to trust, and approved invoices a
client pays from the retainer held in trust (mock_apps/scenarios/work.py)."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import dollars, number, plain
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
            "amount_number": number(retainer.amount_cents),
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
            "amount": dollars(invoice.total_cents), "amount_plain": plain(invoice.total_cents),
            "amount_number": number(invoice.total_cents), "total_cents": invoice.total_cents,
            "credit_cents": -invoice.total_cents, "held": dollars(facts.work.trust_cents(client.key)),
            "left": dollars(facts.work.trust_cents(client.key) - invoice.total_cents),
            "left_cents": facts.work.trust_cents(client.key) - invoice.total_cents,
            "left_plain": plain(facts.work.trust_cents(client.key) - invoice.total_cents),
            "partner": partner.name, "partner_first": partner.first_name}))
    return instances


def trust_day(facts: Facts) -> list[Instance]:
    """One instance of all the day's trust work: every retainer to deposit and every earned fee to transfer."""
    deposits, fees = retainers(facts), earned_fees(facts)
    return [Instance("all", {
        "deposits": [d.params for d in deposits], "fees": [f.params for f in fees],
        "deposit_count": len(deposits), "fee_count": len(fees),
        "deposit_totals": [d.params["total_cents"] for d in deposits],
        "fee_invoices": [f.params["invoice"] for f in fees], "fee_totals": [f.params["total_cents"] for f in fees],
        "fee_credits": [f.params["credit_cents"] for f in fees],
        "fee_references": [f"Trust {f.params['invoice']}" for f in fees],
        "references": [d.params["check"] for d in deposits] + [f.params["invoice"] for f in fees],
        "entry_count": len(deposits) + len(fees),
        "deposits_text": "; ".join(f"{d.params['client']}'s {d.params['check']} ({d.params['amount']})" for d in deposits),
        "fees_text": "; ".join(f"{f.params['invoice']} ({f.params['client']}, {f.params['amount']})" for f in fees),
        **{k: deposits[0].params[k] for k in ("trust", "trust_option", "liability", "liability_option")}})]


def three_way(facts: Facts) -> list[Instance]:
    """The month's three-way check of the trust account: bank statement, Books and the client ledger's total."""
    work = facts.work
    wrong = work.ledger_error if work else None
    if wrong is None:
        raise MissingFact("work.ledger_error (a law firm's client trust ledger to check against the bank and Books)")
    bank = facts.account(TRUST).opening_balance_cents  # no trust activity this quarter: the bank and Books agree
    ledger = sum(b.cents for b in work.trust_balances) - work.trust_cents(wrong.customer_key) + wrong.cents
    return [Instance(f"{facts.now:%Y-%m}", {
        **_accounts(facts), "ledger_workbook": f"Client Trust Ledger {facts.now:%B %Y}",
        "bank_number": number(bank), "ledger_number": number(ledger), "difference_number": number(ledger - bank),
        "difference": dollars(ledger - bank), "difference_plain": plain(abs(ledger - bank)),
        "client": facts.customer(wrong.customer_key).name})]
