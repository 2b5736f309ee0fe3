"""New vendors known from their mail and a request in Chat, not set up in Books yet."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts, VendorOnboarding
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import dollars


def _alike(facts: Facts, name: str) -> list[str]:
    """Existing vendors whose name starts with the same word (the ones a careless setup would touch)."""
    return [v.name for v in facts.vendors if v.name.split()[0] == name.split()[0] and v.name != name]


def _vendor_params(facts: Facts, onboarding: VendorOnboarding) -> dict:
    vendor = onboarding.vendor
    account = facts.account(vendor.expense_account)
    return {"vendor": vendor.name, "contact": vendor.contact_name, "email": vendor.email, "phone": vendor.phone,
            "address": vendor.address, "terms": vendor.terms_days, "account": account.name,
            "account_option": account.option}


def approved_with_first_bill(facts: Facts) -> list[Instance]:
    """Each approved new vendor that already mailed its first invoice: set it up, then enter that bill."""
    found = require([o for o in facts.onboardings if o.approved_by and o.first_invoice],
                    "onboardings with approved_by and first_invoice (an approved new vendor's first invoice)")
    instances = []
    for onboarding in found:
        bill = onboarding.first_invoice
        alike = _alike(facts, onboarding.vendor.name)
        instances.append(Instance(slug(onboarding.vendor.name), {
            **_vendor_params(facts, onboarding), "invoice": bill.vendor_invoice_number,
            "bill_account": bill.lines[0].account, "total_cents": bill.total_cents,
            "amount": dollars(bill.total_cents), "date": bill.date.isoformat(),
            "alike_note": f" Do not touch {alike[0]}, a different company." if alike else "",
            "not_alike": f" (not {alike[0]})" if alike else "",
            "alike_hint": f"{alike[0]} is a different company; " if alike else ""}))
    return instances


def on_hold_for_w9(facts: Facts) -> list[Instance]:
    """Each new vendor whose setup is on hold until its signed W-9 arrives: tell them so."""
    found = require([o for o in facts.onboardings if o.approved_by is None and "W-9" in o.hold_reason],
                    "onboardings on hold for a W-9 (approved_by None, hold_reason naming the W-9)")
    return [Instance(slug(o.vendor.name), {
        "vendor": o.vendor.name, "first": o.vendor.contact_name.split()[0], "email": o.vendor.email,
        "word": o.vendor.name.split()[0]}) for o in found]


def approved_beside_held(facts: Facts) -> list[Instance]:
    """The one approved new vendor of a setup request that also holds one back: set up only the approved one."""
    approved = [o for o in facts.onboardings if o.approved_by]
    held = [o for o in facts.onboardings if o.approved_by is None]
    if len(approved) != 1 or not held:
        raise MissingFact("onboardings: exactly one approved new vendor and one on hold (the setup request)")
    onboarding, controller = approved[0], facts.person(approved[0].approved_by)
    alike = _alike(facts, onboarding.vendor.name)
    return [Instance(slug(onboarding.vendor.name), {
        "title": f"Set up the new vendor {controller.first_name} approved", "more": "", "difficulty": "medium",
        "ops": ["books.vendor.create", "chat.mark", "mail.mark_read"], **_vendor_params(facts, onboarding),
        "word": onboarding.vendor.name.split()[0],
        "requester": facts.person(onboarding.requested_by).first_name, "held": held[0].vendor.name,
        "held_word": held[0].vendor.name.split()[0],
        "alike_hint": f"{alike[0]} is a different company" if alike else "no existing vendor is part of the setup"})]
