"""Companies at scale: a whole consistent company's `Facts` from (industry, seed).

Every company closes March 2026 like Meridian (the same frozen instant in its own timezone, the same
calendar of loose ends), but its people, vendors, customers, chart of accounts, what it sells, its
amounts and its chatter are its industry's and its seed's. Names come from Faker, seeded per
(industry, seed) on a local instance with fixed date bounds: never the global seed, never the clock.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime
from importlib import import_module
from zoneinfo import ZoneInfo

from faker import Faker

from mock_apps.scenarios.facts import Facts
from mock_apps.scenarios.generator import cast, chatter, events, hr, ledger, loose_ends, parties, work
from mock_apps.scenarios.generator.industry import Industry
from mock_apps.scenarios.history import bank_history, bill_payments

INDUSTRIES = ("wholesale", "law", "medical", "agency")
OPENING = date(2025, 12, 31)


def industry(name: str) -> Industry:
    """The profile of one of INDUSTRIES."""
    return import_module(f"mock_apps.scenarios.generator.{name}").INDUSTRY


def now(timezone: str) -> datetime:
    """The frozen instant every company's world starts at: March 31, 2026, 3:30 PM in its timezone."""
    return datetime(2026, 3, 31, 15, 30, tzinfo=ZoneInfo(timezone))


def number_seed(industry_name: str, seed: int) -> int:
    """The integer every random stream of one company derives from (stable across processes and machines)."""
    return zlib.crc32(f"{industry_name}-{seed}".encode())


def build(industry_name: str, seed: int) -> Facts:
    """Generate the company of an industry and a seed."""
    profile = industry(industry_name)
    base = number_seed(industry_name, seed)
    fake = Faker("en_US")
    fake.seed_instance(base)
    rnd = random.Random(base)
    firm = cast.company(fake, rnd, profile)
    tz = ZoneInfo(firm.timezone)
    frozen = now(firm.timezone)
    area = int(firm.phone[1:4])
    people, roles = cast.people(fake, rnd, profile, firm)
    by_kind = parties.vendors(fake, rnd, profile, area)
    customers, kinds = parties.customers(fake, rnd, profile, area)
    cost_account = next(a.name for a in profile.accounts if a.number == "5000")
    products = parties.products(profile, by_kind, cost_account)
    persons = {key for key, kind in kinds.items() if kind == "person"}
    payers = {key for key, kind in kinds.items() if kind == "payer"}
    invoices = ledger.invoices(rnd, profile, customers, products, persons, rnd.randint(42, 54))
    paid = ledger.paid_on(rnd, invoices)
    collections, partial, groups, asks_statement = loose_ends.receivables(rnd, invoices, paid, frozen, payers)
    payments = ledger.customer_payments(rnd, invoices, paid, frozen, {i.number for i in collections}, partial.number)
    bills = ledger.bills(rnd, profile, by_kind, products, frozen)
    # the loose ends' vendors: distinct vendors of the industry's kinds, and a near-duplicate of the duplicate's
    used: set[str] = set()

    def pick(category: str):
        vendor = next(v for v in by_kind[category] if v.key not in used)
        used.add(vendor.key)
        return vendor

    roles_cast = {"plain": pick(profile.plain_vendor), "duplicate": pick(profile.duplicate_vendor),
                  "corrected": pick(profile.corrected_vendor), "repair": pick(profile.repair_vendor)}
    roles_cast["held"] = loose_ends.near_duplicate(fake, rnd, profile, roles_cast["duplicate"], area)
    vendors = tuple(v for vs in by_kind.values() for v in vs) + (roles_cast["held"],)
    narrative = loose_ends.narrative_bills(rnd, profile, roles, len(bills), roles_cast)
    bills = tuple(bills + narrative)
    paid_bills = bill_payments(bills)
    expenses = ledger.expenses(rnd, profile, firm.bank_name)
    workers, locations = hr.workers(fake, rnd, people, roles, profile, firm.domain, firm.city)
    payroll = ledger.payroll(hr.payroll_gross(workers), frozen)
    bank = {"autopay_cents": rnd.randint(120, 240) * 1_000, "unknown_deposit_cents": rnd.randint(20, 90) * 1_000}
    # the operating account opens with enough to stay in funds all quarter (what the quarter's bank lines dip to)
    _, trial = bank_history(0, payments, paid_bills, expenses, payroll, frozen, **bank)
    low = min(0, *(s.ending_balance_cents for s in trial))
    accounts = ledger.chart(rnd, profile, (-low // 1_000_000 + 1) * 1_000_000)
    opening = next(a for a in accounts if a.name == "Operating Checking").opening_balance_cents
    bank_lines, statements = bank_history(opening, payments, paid_bills, expenses, payroll, frozen, **bank)
    onboardings = loose_ends.onboardings(fake, rnd, profile, roles, roles_cast["repair"], area, tz)
    mailed = loose_ends.mailed_expense_reports(rnd, roles, customers)
    pending = loose_ends.pending_remittances(rnd, groups, payers)
    plain = roles_cast["plain"]
    spoof = (f"{plain.email.split('@')[1].removesuffix('.com')}-billing.com", rnd.choice(loose_ends.SPOOF_BANKS),
             f"{rnd.randint(0, 9999):04d}")
    by_key = {p.key: p for p in people}
    story = events.events({"bills": bills, "vendors": vendors, "narrative": narrative, "partial": partial,
                           "payments": payments, "collections": collections, "bill_payments": paid_bills},
                          roles, by_key, tz, spoof)
    tenant = f"{industry_name}{seed}"
    return work.extend(industry_name, Facts(
        company=firm, now=frozen, opening_date=OPENING, people=people, mailbox_owner=roles["owner"], accounts=accounts,
        products=products, vendors=vendors, customers=customers, invoices=invoices, bills=bills,
        customer_payments=payments, bill_payments=paid_bills, expenses=expenses, payroll_runs=payroll,
        bank_lines=bank_lines, statements=statements, events=story, onboardings=onboardings,
        expense_reports=mailed, pending_remittances=pending, expense_meal_limit_cents=loose_ends.MEAL_LIMIT_CENTS,
        hr=hr.hr_facts(fake, rnd, workers, locations, roles, payroll, mailed, tz, firm.name, tenant),
        roles=roles, backdrop=chatter.backdrop(profile, people, roles, asks_statement),
        # drawn last, so that adding it left every other fact of a seed as it was
        signed_customer=parties.signed_customer(fake, rnd, profile, area, customers),
    ), base, kinds)

