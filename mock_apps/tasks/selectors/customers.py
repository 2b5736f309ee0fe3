"""A customer just signed, whom no app has yet: the add-a-customer warm-up."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, slug


def signed(facts: Facts) -> list[Instance]:
    """The signed customer, every field of it as the instruction gives it, and what the company calls it (a
    client, a payer); the sales lead's department signed it."""
    customer = facts.signed_customer
    if customer is None:
        raise MissingFact("signed_customer (a customer just signed, not yet in Books)")
    return [Instance(slug(customer.key), {
        "name": customer.name, "contact": customer.contact_name, "email": customer.email, "phone": customer.phone,
        "address": customer.address, "terms": customer.terms_days, "kind": customer.kind,
        "department": facts.role("sales_lead").department})]
