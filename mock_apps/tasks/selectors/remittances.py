"""Customer payments a remittance advice announced but Books does not have yet."""

from __future__ import annotations

from calendar import month_name

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, require, slug
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import listing, possessive, short_name

NEAR = 0.01  # an open invoice within 1% of the check is the trap that makes a remittance hard


def open_cents(facts: Facts, number: str) -> int:
    """An invoice's balance in Books (total less the customer payments recorded)."""
    return facts.invoice(number).total_cents - facts.invoice_paid_cents(number)


def pending(facts: Facts) -> list[Instance]:
    """One instance per remittance advice whose check is not in Books: which invoices it pays, and the trap."""
    instances = []
    for remittance in require(facts.pending_remittances, "pending_remittances (a mailed remittance advice "
                                                         "whose payment is not in Books)"):
        customer = facts.customer(remittance.customer_key)
        paid = [number for number, _cents in remittance.applications]
        others = [i.number for i in facts.invoices if i.customer_key == customer.key and i.number not in paid
                  and open_cents(facts, i.number) > 0]
        near = [n for n in others if abs(open_cents(facts, n) - remittance.amount_cents) <= NEAR * remittance.amount_cents]
        if near:
            later = any(e.kind == "partial_payment_note" and near[0] in e.refs for e in facts.events)
            next_month = month_name[facts.now.month % 12 + 1]
            difficulty = "hard"
            distractor = (f"the check is close to {near[0]}'s open {dollars(open_cents(facts, near[0]))}, but the "
                          f"advice pays {listing(paid)}; {near[0]}'s balance stays open"
                          + (f" until {next_month}" if later else ""))
        elif others:
            difficulty = "medium"
            distractor = (f"{short_name(customer.name)}'s {listing(others)} "
                          f"{'is' if len(others) == 1 else 'are'} open too but not on this advice")
        else:
            difficulty = "easy"
            distractor = f"only {listing(paid)} {'is' if len(paid) == 1 else 'are'} on this advice"
        instances.append(Instance(slug(remittance.reference), {
            "customer": customer.name, "customer_s": possessive(customer.name), "check": remittance.reference, "amount": dollars(remittance.amount_cents),
            "total_cents": remittance.amount_cents, "date": remittance.date.isoformat(), "paid": paid,
            "paid_count": len(paid), "paid_text": listing(paid), "difficulty": difficulty,
            "distractor": distractor}))
    return instances
