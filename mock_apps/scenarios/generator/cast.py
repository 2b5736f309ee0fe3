"""The company and its people: a name, an address, a bank, and one person for every role (ROLES)."""

from __future__ import annotations

import random
import re

from faker import Faker

from mock_apps.scenarios.facts import ROLES, Company, Person
from mock_apps.scenarios.generator.industry import Industry
from mock_apps.scenarios.history import slug_domain

# where a generated company may be: its vendors and customers are in the same state
_PLACES = (("America/New_York", 614, "OH"), ("America/Chicago", 312, "IL"), ("America/Denver", 303, "CO"),
           ("America/Chicago", 512, "TX"), ("America/New_York", 404, "GA"), ("America/Los_Angeles", 503, "OR"),
           ("America/New_York", 919, "NC"))  # (time zone, phone area code, state)
_AREA_STATES = {area: state for _, area, state in _PLACES}
_BANKS = ("First Lakes Bank", "Harborline Bank", "Summit Federal Bank", "Prairie National Bank", "Keystone Community Bank")
_MANAGERS = {  # role -> the role of its manager
    "owner": "controller", "controller": "ceo", "ceo": None, "ap": "controller", "ops": "ceo", "sales_lead": "ceo",
    "seller": "sales_lead", "seller2": "sales_lead", "field_lead": "ops", "purchasing": "ops", "it": "ops", "hr": "ceo",
}


def handle(first: str, last: str) -> str:
    """A person's key and mail local part ("Ana María" "O'Neil" -> "anamaria.oneil")."""
    return f"{_letters(first)}.{_letters(last)}"


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def phone(rnd: random.Random, area: int) -> str:
    """A 555 phone number (never a real subscriber's)."""
    return f"({area}) 555-{rnd.randint(1000, 9999)}"


def plain_name(fake: Faker) -> str:
    """A first and last name with no title or suffix (Faker's name() gives "Mr. ... DDS", which makes mail
    addresses like mr@...)."""
    return f"{fake.first_name()} {fake.last_name()}"


def mailing_address(fake: Faker, area: int | None = None) -> str:
    """A one-line address, "street, city, ST 12345", in the state of a phone area code (any state without one)."""
    state = _AREA_STATES.get(area) or fake.state_abbr(include_territories=False, include_freely_associated_states=False)
    return f"{fake.street_address()}, {fake.city()}, {state} {fake.zipcode_in_state(state)}"


def company(fake: Faker, rnd: random.Random, industry: Industry) -> Company:
    """The company: its name from the industry's patterns, a made-up address, a bank."""
    pattern = rnd.choice(industry.company_patterns)
    name = pattern.format(last=fake.unique.last_name(), last2=fake.unique.last_name(), city=fake.city())
    timezone, area, state = rnd.choice(_PLACES)
    base = name.rstrip(".")
    return Company(
        name=name, legal_name=f"{base}, {industry.legal_suffix}" if not base.endswith(industry.legal_suffix) else base,
        domain=slug_domain(name), address=fake.street_address(), city=fake.city(), state=state,
        postal_code=fake.zipcode_in_state(state), phone=phone(rnd, area), timezone=timezone,
        realm_id=str(rnd.randint(10**15, 10**16 - 1)), bank_name=rnd.choice(_BANKS),
        bank_account_last4=f"{rnd.randint(0, 9999):04d}",
    )


def people(fake: Faker, rnd: random.Random, industry: Industry, firm: Company) -> tuple[tuple[Person, ...], dict]:
    """One person per role, managers by role; returns the people and the roles' keys."""
    area = int(firm.phone[1:4])
    keys: dict[str, str] = {}
    names = {}
    for role in ROLES:
        while True:
            first, last = fake.first_name(), fake.unique.last_name()
            if handle(first, last) not in names.values():
                break
        names[role] = handle(first, last)
        keys[role] = (first, last)
    result = []
    for i, role in enumerate(ROLES):
        first, last = keys[role]
        title, department = industry.titles[role]
        manager = _MANAGERS[role]
        tz = firm.timezone if rnd.random() < 0.8 or role in {"owner", "controller", "ap"} else rnd.choice(_PLACES)[0]
        result.append(Person(key=names[role], first_name=first, last_name=last, email=f"{names[role]}@{firm.domain}",
                             title=title, department=department, timezone=tz,
                             phone=f"({area}) 555-{2100 + i:04d}", manager_key=names[manager] if manager else None))
    return tuple(result), names
