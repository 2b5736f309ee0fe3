"""The loose ends that make tasks, on the same calendar as Meridian's: bills only in mail (one approved, one
re-sent as a duplicate, one whose PDF total chat corrects, one from a near-duplicate vendor on hold, one repair
the operations lead approved), a look-alike domain asking to change a vendor's bank, past-due invoices, a
partial payment, remittances mailed but not recorded, vendors asking to be set up, card charges mailed as
expense reports (one over the meal policy), vendors asking whether they were paid."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from faker import Faker

from mock_apps.scenarios.facts import Bill, CustomerPayment, Expense, Line, Vendor, VendorOnboarding
from mock_apps.scenarios.generator.industry import Industry
from mock_apps.scenarios.generator.parties import vendor as make_vendor
from mock_apps.scenarios.history import at
from mock_apps.scenarios.policy import MEAL_LIMIT_CENTS

SPOOF_BANKS = ("Coastline Federal", "Bayfront Trust Online", "Pacific Crest Credit Union", "NorthStar Digital Bank")


def money(cents: int) -> str:
    """Dollars as a sentence writes them ("$4,249.00")."""
    return f"${cents / 100:,.2f}"


def receivables(rnd: random.Random, invoices, paid: dict[str, date], now: datetime, payers: set[str]):
    """Which invoices stay past due (3, for collections), which one is paid half, and which open ones the
    pending remittances pay (4 remittances; a customer with several open invoices pays them together, an
    insurance payer first: its remittance pays several claims), and the customer among them who asks for a
    statement (one still owing an invoice after its remittance)."""
    today = now.date()
    would_pay = [inv for inv in invoices if paid[inv.number] < today - timedelta(days=1)]
    overdue = [inv for inv in would_pay if inv.due_date < today - timedelta(days=10) and inv.date.month >= 2]
    collections = []
    for inv in sorted(overdue, key=lambda i: (rnd.random(), i.number)):
        if inv.customer_key not in {c.customer_key for c in collections}:
            collections.append(inv)
        if len(collections) == 3:
            break
    partial = next(inv for inv in sorted(would_pay, key=lambda i: i.number)
                   if inv.date.month == 2 and inv not in collections and inv.total_cents >= 20_000)
    still_open = [inv for inv in invoices if paid[inv.number] >= today - timedelta(days=1)]
    by_customer: dict[str, list] = {}
    for inv in still_open:
        by_customer.setdefault(inv.customer_key, []).append(inv)
    ranked = sorted(by_customer, key=lambda k: (k not in payers, -min(len(by_customer[k]), 3), rnd.random()))
    pending = [list(by_customer[k][:3]) for k in ranked[:4]]
    # the customer who asks for a statement has a check on its way and still owes another invoice after it
    owing = [*still_open, *collections, partial]
    leaves_open = [g for g in pending if any(i.customer_key == g[0].customer_key and i not in g for i in owing)]
    if not leaves_open:
        several = next((g for g in pending if len(g) > 1), pending[0])
        if len(several) > 1:
            several.pop()  # its last invoice stays open: the statement shows it
        leaves_open = [several]
    return tuple(collections), partial, [tuple(g) for g in pending], leaves_open[0][0].customer_key


def pending_remittances(rnd: random.Random, groups, payers: set[str]) -> tuple[CustomerPayment, ...]:
    """Remittance advices mailed on the last two days, each paying its invoices in full; payers pay by EFT."""
    result = []
    for n, group in enumerate(groups):
        customer = group[0].customer_key
        eft = customer in payers
        applications = tuple((inv.number, inv.total_cents) for inv in group)
        result.append(CustomerPayment(
            key=f"rem-{customer}"[:40], customer_key=customer, date=date(2026, 3, 30 + n // 2),
            amount_cents=sum(c for _, c in applications), method="ACH" if eft else "Check",
            reference=f"EFT {rnd.randint(10**8, 10**9 - 1)}" if eft else f"CHK {rnd.randint(1000, 199999)}",
            applications=applications))
    return tuple(result)


def near_duplicate(fake: Faker, rnd: random.Random, industry: Industry, original: Vendor, area: int) -> Vendor:
    """A different company whose name starts like `original`'s: a distractor for vendor matching."""
    kind = next(k for k in industry.vendors if k.category == original.category)
    first = original.name.split()[0]
    endings = [s for s in (*kind.suffixes, "Supply Group", "Services LLC") if f"{first} {s}" != original.name]
    return make_vendor(fake, rnd, kind, f"{first} {endings[0]}", area)


def narrative_bills(rnd: random.Random, industry: Industry, roles: dict, first_key: int, cast: dict) -> list[Bill]:
    """The five bills only in mail, on Meridian's dates: plain, duplicate, corrected, held, repair."""
    controller, ops = roles["controller"], roles["ops"]
    plain, dup, corrected, held, repair = (cast[k] for k in ("plain", "duplicate", "corrected", "held", "repair"))
    n = iter(range(first_key + 1, first_key + 10))

    def bill(vendor: Vendor, day: date, lines, **kw) -> Bill:
        number = f"{vendor.name[:2].upper()}-{rnd.randint(1000, 99999)}"
        return Bill(key=f"bill-{next(n):03d}", vendor_key=vendor.key, vendor_invoice_number=number, date=day,
                    due_date=day + timedelta(days=vendor.terms_days), lines=tuple(lines), in_books=False, **kw)

    text, quantity, unit = industry.plain_line
    quantity += rnd.randint(-2, 4)
    dup_lines = [Line(f"{industry.duplicate_vendor} services, March - batch {i}", rnd.randint(4, 30),
                      rnd.randint(40, 260) * 100, dup.expense_account) for i in (1, 2)]
    c_text, c_quantity, c_unit = industry.corrected_line
    credit = rnd.randint(4, 12) * 1_000
    r_text, r_cents = industry.repair_line
    return [
        bill(plain, date(2026, 3, 18), [Line(text.format(q=quantity), quantity, unit + rnd.randint(-20, 20) * 50,
                                             plain.expense_account)],
             approved_by=controller, memo="Only in mail so far; approved in #ap-approvals"),
        bill(dup, date(2026, 3, 20), dup_lines, approved_by=controller, resent_duplicate=True,
             memo="Vendor re-sent the same invoice; enter it once"),
        bill(corrected, date(2026, 3, 23), [Line(c_text, c_quantity, c_unit, corrected.expense_account),
                                            Line("Volume credit per agreement", 1, -credit, corrected.expense_account)],
             approved_by=controller, mailed_total_cents=c_quantity * c_unit,
             memo=f"Mailed PDF omits the {money(credit)} volume credit; corrected in chat"),
        bill(held, date(2026, 3, 24), [Line(f"{held.category} services, unsolicited", rnd.randint(20, 300),
                                            rnd.randint(150, 900), held.expense_account)],
             approved_by=None, memo="Near-duplicate vendor name; not approved yet"),
        bill(repair, date(2026, 3, 26), [Line(r_text, 1, r_cents + rnd.randint(-40, 40) * 100, repair.expense_account)],
             approved_by=ops),
    ]


def onboardings(fake: Faker, rnd: random.Random, industry: Industry, roles: dict, lookalike_of: Vendor, area: int,
                tz) -> tuple[VendorOnboarding, ...]:
    """Two vendors asking to be set up: one approved with a first invoice (named like an existing vendor), one on hold."""
    kind = next(k for k in industry.vendors if k.category == lookalike_of.category)
    ending = next(s for s in ("Solutions", "Partners Group", "Services Co.") if s not in lookalike_of.name)
    first_word = lookalike_of.name.split()[0]
    approved = make_vendor(fake, rnd, kind, f"{first_word} {kind.category} {ending}", area)
    other = rnd.choice([k for k in industry.vendors if k.billing != "monthly" and k.category != "Utilities"])
    held = make_vendor(fake, rnd, other, f"{fake.unique.last_name()} {other.suffixes[0]}", area)
    quantity, unit = rnd.randint(10, 60), rnd.randint(20, 90) * 100
    first = Bill(key=f"bill-onboard-{approved.key}"[:40], vendor_key=approved.key,
                 vendor_invoice_number=f"{approved.name[:3].upper()}-{rnd.randint(100, 9999):04d}",
                 date=date(2026, 3, 27), due_date=date(2026, 3, 27) + timedelta(days=approved.terms_days),
                 lines=(Line(f"{kind.description or kind.category} - first order", quantity, unit, approved.expense_account),),
                 in_books=False, approved_by=roles["controller"], memo="First invoice of a vendor not set up yet")
    return (
        VendorOnboarding(approved, tax_id=fake.ein(), requested_by=roles["purchasing"],
                         requested_at=at(date(2026, 3, 26), 9, 40, tz), approved_by=roles["controller"],
                         approved_at=at(date(2026, 3, 26), 11, 5, tz), first_invoice=first),
        VendorOnboarding(held, tax_id=fake.ein(), requested_by=roles["purchasing"],
                         requested_at=at(date(2026, 3, 27), 14, 15, tz), approved_by=None, approved_at=None,
                         hold_reason="no signed W-9 yet and pricing still under review"),
    )


def mailed_expense_reports(rnd: random.Random, roles: dict, customers) -> tuple[Expense, ...]:
    """March card charges employees mailed receipts for; one meal is over the per-person limit."""
    client = customers[rnd.randrange(len(customers))]
    rows = [  # date, merchant, account, cents, role, attendees, memo
        (date(2026, 3, 12), "Delta Air Lines", "Travel", rnd.randint(28_000, 52_000), "sales_lead", 0, "Flight to the industry conference"),
        (date(2026, 3, 17), "Marriott", "Travel", rnd.randint(14_000, 26_000), "seller", 0, f"Hotel for the {client.name} visit"),
        (date(2026, 3, 17), "Panera Bread", "Meals", rnd.randint(2_400, 9_800), "seller", 2, f"Lunch with {client.contact_name}"),
        (date(2026, 3, 19), "The Capital Grille", "Meals", rnd.randint(32_000, 46_000), "seller2", 3, f"Dinner with {client.name}"),
        (date(2026, 3, 20), "Shell Oil", "Travel", rnd.randint(4_000, 8_000), "seller2", 0, "Fuel for client visits"),
        (date(2026, 3, 24), "Amazon Business", "Office Supplies", rnd.randint(6_000, 18_000), "ops", 0, "Label printer for the front desk"),
        (date(2026, 3, 25), "Panera Bread", "Meals", rnd.randint(16_000, 30_000), "sales_lead", 5, "Team lunch, Q1 review"),
    ]
    result = []
    for n, (day, merchant, account, cents, role, attendees, memo) in enumerate(rows, start=1):
        issue = None
        if account == "Meals" and cents > MEAL_LIMIT_CENTS * max(attendees, 1):
            issue = (f"meal of ${cents / 100:,.2f} for {attendees} is ${cents / attendees / 100:,.2f} per person, "
                     f"over the ${MEAL_LIMIT_CENTS / 100:,.2f} limit")
        result.append(Expense(key=f"exr-{n:02d}", date=day, payee=merchant, account=account, amount_cents=cents,
                              paid_from="Company Visa", memo=memo, submitted_by=roles[role], attendees=attendees,
                              policy_issue=issue))
    return tuple(result)
