"""Whom the company buys from and sells to, and what it sells: vendors by kind, customers (clients, payers,
patients) and the products or services on its invoices."""

from __future__ import annotations

import random

from faker import Faker

from mock_apps.scenarios.facts import Customer, Product, Vendor
from mock_apps.scenarios.generator.cast import handle, mailing_address, phone, plain_name
from mock_apps.scenarios.generator.industry import CustomerKind, Industry, VendorKind
from mock_apps.scenarios.history import slug_domain

_VENDOR_BANKS = ("Huntington National Bank", "KeyBank", "Fifth Third Bank", "PNC Bank", "Citizens Bank", "Regions Bank")
_SHARED_MAILBOXES = ("Billing", "Accounts", "Customer")  # contact names that are departments, not people
# insurance payers' names: made up, never a real plan's
_PAYER_NAMES = ("{state} Health Plan", "{last} Mutual Health", "Great {region} Health Alliance", "{state} Medicaid Managed Care",
                "Medicare Part B ({last} Administrators)", "{last} Care Insurance", "{region} Employers Health Trust",
                "{last} Benefit Administrators")
_REGIONS = ("Lakes", "Plains", "River Valley", "Northern", "Coastal", "Midland")


def vendor_key(name: str) -> str:
    """A vendor's key from its name ("Ramos Logistics" -> "ramos-logistics")."""
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    return "-".join(w for w in words if w not in {"co", "inc", "llc", "the", "and"})[:40]


def vendor(fake: Faker, rnd: random.Random, kind: VendorKind, name: str, area: int) -> Vendor:
    """A vendor of a kind, named `name`, with a contact (a person, or a billing department) and a bank."""
    shared = rnd.random() < 0.2
    contact = (f"{rnd.choice(_SHARED_MAILBOXES)} {rnd.choice(['Service', 'Dept', 'Team'])}" if shared
               else plain_name(fake))
    mailbox = "billing" if shared else handle(contact.split()[0], "").rstrip(".")
    return Vendor(
        key=vendor_key(name), name=name, contact_name=contact, email=f"{mailbox}@{slug_domain(name)}",
        phone=phone(rnd, area), address=mailing_address(fake, area), terms_days=kind.terms_days,
        expense_account=kind.account, category=kind.category,
        bank_name=rnd.choice(_VENDOR_BANKS), bank_account_last4=f"{rnd.randint(0, 9999):04d}",
        routing_last4=f"{rnd.randint(0, 9999):04d}",
    )


def vendors(fake: Faker, rnd: random.Random, industry: Industry, area: int) -> dict[str, list[Vendor]]:
    """The industry's vendors, by kind (category)."""
    result: dict[str, list[Vendor]] = {}
    for kind in industry.vendors:
        for _ in range(kind.count):
            name = f"{fake.unique.last_name()} {rnd.choice(kind.suffixes)}"
            result.setdefault(kind.category, []).append(vendor(fake, rnd, kind, name, area))
    return result


def customers(fake: Faker, rnd: random.Random, industry: Industry, area: int) -> tuple[tuple[Customer, ...], dict]:
    """The industry's customers (companies, people: clients or patients, insurance payers) and each one's kind
    (its CustomerKind's pattern), by key."""
    result = []
    kinds = {}
    seen = set()
    for kind in industry.customers:
        for _ in range(kind.count):
            name = _customer_name(fake, rnd, kind)
            if name in seen:
                continue
            seen.add(name)
            result.append(_customer(fake, rnd, kind, name, area))
            kinds[result[-1].key] = kind.pattern
    return tuple(result), kinds


def signed_customer(fake: Faker, rnd: random.Random, industry: Industry, area: int,
                    customers: tuple[Customer, ...]) -> Customer:
    """A customer of the industry's first kind that is not a private person, just signed: none of `customers`."""
    kind = next(k for k in industry.customers if k.pattern != "person")
    taken = {c.name for c in customers}
    name = _customer_name(fake, rnd, kind)
    while name in taken:
        name = _customer_name(fake, rnd, kind)
    return _customer(fake, rnd, kind, name, area)


def _customer_name(fake: Faker, rnd: random.Random, kind: CustomerKind) -> str:
    if kind.pattern == "company":
        return f"{fake.unique.last_name()} {rnd.choice(['Holdings', 'Industries', 'Group', 'Partners', 'Corp.', 'Enterprises'])}"
    if kind.pattern == "person":
        return f"{fake.first_name()} {fake.unique.last_name()}"
    if kind.pattern == "payer":
        return rnd.choice(_PAYER_NAMES).format(state=fake.state(), last=fake.unique.last_name(), region=rnd.choice(_REGIONS))
    return kind.pattern.format(first=fake.first_name(), last=fake.unique.last_name(), city=fake.city())


def _customer(fake: Faker, rnd: random.Random, kind: CustomerKind, name: str, area: int) -> Customer:
    person = kind.pattern == "person"
    contact = name if person else plain_name(fake)
    domain = "gmail.com" if person else slug_domain(name)
    return Customer(
        key=vendor_key(name), name=name, contact_name=contact,
        email=f"{handle(*contact.split()[:2]) if person else handle(contact.split()[0], '').rstrip('.')}@{domain}",
        phone=phone(rnd, area), address=mailing_address(fake, area), terms_days=rnd.choice(kind.terms_days),
        kind=kind.noun)


def products(industry: Industry, by_kind: dict[str, list[Vendor]], cost_account: str) -> tuple[Product, ...]:
    """What the company sells; goods name the vendor they are bought from (services name none, and their
    cost, if any, goes to `cost_account`)."""
    result = []
    for n, offer in enumerate(industry.offerings):
        suppliers = by_kind.get(offer.supplier, [])
        supplier = suppliers[n % len(suppliers)].key if suppliers else ""
        expense = suppliers[0].expense_account if suppliers else cost_account
        result.append(Product(offer.sku, offer.name, offer.description, offer.price_cents, offer.cost_cents,
                              offer.income_account, expense, supplier))
    return tuple(result)
