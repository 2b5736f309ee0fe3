"""People's facts for a generated company: workers (the cast, hourly field workers, a pre-hire and a
contractor), expense reports at every stage, time off, timesheets, pay runs that agree with the books'
payroll to the cent, onboarding and a leaver."""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker

from mock_apps.scenarios.facts import (
    ExpenseLineFact,
    ExpenseReportFact,
    HRFacts,
    OnboardingFact,
    PayRunFact,
    TimeOffFact,
    TimesheetFact,
    WorkerRecord,
)
from mock_apps.scenarios.generator.cast import handle, mailing_address
from mock_apps.scenarios.expense_history import paid_and_card_reports
from mock_apps.scenarios.history import at, regular_pay_runs, slips
from mock_apps.scenarios.policy import EXPENSE_ITEMS

PAY_HOURS_X100 = 8_000  # hours paid per pay period for an hourly worker
# role -> semi-monthly gross range in cents (hourly roles: the hourly rate's range)
_PAY = {"ceo": (520_000, 760_000), "controller": (300_000, 360_000), "ops": (240_000, 290_000),
        "sales_lead": (280_000, 340_000), "hr": (170_000, 200_000), "owner": (195_000, 230_000),
        "ap": (175_000, 200_000), "seller": (190_000, 240_000), "seller2": (180_000, 220_000),
        "purchasing": (190_000, 225_000), "it": (180_000, 210_000), "field_lead": (2_200, 2_900)}
_COST_CENTERS = {"Executive": "CC-100", "Finance": "CC-300", "Operations": "CC-400"}


class _Ids:
    def __init__(self):
        self.next = 21001

    def __call__(self) -> str:
        self.next += 1
        return str(self.next - 1)


def workers(fake: Faker, rnd: random.Random, people, roles: dict, industry, domain: str, city: str):
    """Every worker People knows, the leaver's key and the company's locations."""
    by_role = {role: next(p for p in people if p.key == key) for role, key in roles.items()}
    main, second = f"{city} {industry.sites[0]}", f"{city} {industry.sites[1]}"
    remote = "Remote"
    ids = _Ids()
    result = []
    centers: dict[str, str] = {}
    for role, p in by_role.items():
        center = centers.setdefault(p.department, _COST_CENTERS.get(p.department, f"CC-{500 + 100 * len(centers)}"))
        hourly = role == "field_lead"
        amount = rnd.randint(*_PAY[role]) // 100 * 100 if not hourly else rnd.randint(*_PAY[role])
        location = second if role in {"field_lead", "purchasing"} else remote if p.timezone != by_role["owner"].timezone else main
        result.append(WorkerRecord(
            key=p.key, employee_id=ids(), first_name=p.first_name, last_name=p.last_name, email=p.email, title=p.title,
            department=p.department, manager_key=p.manager_key, cost_center=f"{center} {p.department}",
            location=location, hire_date=fake.date_between(date(2012, 1, 1), date(2024, 12, 31)),
            pay_type="Hourly" if hourly else "Salaried", semimonthly_cents=0 if hourly else amount,
            hourly_rate_cents=amount if hourly else 0, phone=p.phone, timezone=p.timezone,
            termination_date=date(2026, 3, 31) if role == "seller" else None))
    lead = by_role["field_lead"]
    for n in range(2):
        first, last = fake.first_name(), fake.unique.last_name()
        key = handle(first, last)
        result.append(WorkerRecord(
            key=key, employee_id=ids(), first_name=first, last_name=last, email=f"{key}@{domain}",
            title=industry.field_title, department=lead.department, manager_key=lead.key,
            cost_center=next(w.cost_center for w in result if w.key == lead.key), location=second,
            hire_date=fake.date_between(date(2022, 1, 1), date(2025, 6, 30)), pay_type="Hourly",
            hourly_rate_cents=rnd.randint(1_700, 2_300), phone=f"{lead.phone[:10]}{2180 + n:04d}"))
    controller, it = by_role["controller"], by_role["it"]
    first, last = fake.first_name(), fake.unique.last_name()
    key = handle(first, last)
    result.append(WorkerRecord(
        key=key, employee_id=ids(), first_name=first, last_name=last, email=f"{key}@{domain}", title="AR Specialist",
        department="Finance", manager_key=controller.key, cost_center="CC-300 Finance", location=main,
        hire_date=date(2026, 4, 6), semimonthly_cents=rnd.randint(185_000, 205_000) // 100 * 100, status="Pre-Hire",
        phone=f"{controller.phone[:10]}2190"))
    first, last = fake.first_name(), fake.unique.last_name()
    contractor_domain = f"{handle(last, '').rstrip('.')}consulting.com"
    result.append(WorkerRecord(
        key=handle(first, last), employee_id="C-3001", first_name=first, last_name=last,
        email=f"{handle(first, '').rstrip('.')}@{contractor_domain}", title="Systems Consultant (Contractor)",
        department=it.department, manager_key=it.key, cost_center=next(w.cost_center for w in result if w.key == it.key),
        location=main, hire_date=date(2026, 4, 1), worker_type="Contingent Worker", pay_type="Hourly",
        hourly_rate_cents=rnd.randint(85, 125) * 100, status="Pre-Hire", phone=f"{it.phone[:10]}7720"))
    return tuple(result), (main, second, remote)


def payroll_gross(workers) -> int:
    """A regular pay run's gross: the active employees' salaries and hourly pay for a full period."""
    return sum(w.semimonthly_cents if w.pay_type == "Salaried" else w.hourly_rate_cents * PAY_HOURS_X100 // 100
               for w in _paid(workers))


def _paid(workers):
    return [w for w in workers if w.status == "Active" and w.worker_type == "Employee"]


def hr_facts(fake: Faker, rnd: random.Random, workers, locations, roles: dict, payroll, mailed, tz, company_name: str,
             tenant: str) -> HRFacts:
    """Everything People shows for the company."""
    owner = roles["owner"]
    hourly = [w.key for w in workers if w.pay_type == "Hourly" and w.worker_type == "Employee"]
    active = [w for w in workers if w.status == "Active"]
    return HRFacts(
        tenant=tenant, workers=workers, expense_items=EXPENSE_ITEMS, receipt_required_over_cents=2_500,
        late_after_days=60, expense_auditor=owner,
        expense_reports=_expense_reports(rnd, workers, roles, mailed, tz),
        pto_carryover_x100={w.key: rnd.randint(0, 10) * 800 for w in active},
        pto_accrual_x100=667, sick_grant_x100=4_000, time_off=_time_off(rnd, active, roles, tz),
        timesheets=_timesheets(rnd, hourly, tz), pay_runs=_pay_runs(rnd, workers, roles, payroll),
        onboardings=_onboardings(workers, roles, fake, tz, company_name), leaver=roles["seller"], locations=locations,
        leaver_reason="Resigned: joining a client's in-house team; last day March 31",
        leaver_initiated=at(date(2026, 3, 16), 10, 30, tz))


def _expense_reports(rnd: random.Random, workers, roles: dict, mailed, tz) -> tuple[ExpenseReportFact, ...]:
    managers = {w.key: w.manager_key for w in workers}
    owner = roles["owner"]
    number = iter(range(1001, 2000))
    travellers = [roles[r] for r in ("sales_lead", "seller", "seller2", "ops", "purchasing", "controller", "it", "ap")]
    pool = [("Marriott", "hotel", (12_000, 21_000)), ("Panera Bread", "meals", (1_200, 6_000)),
            ("Uber", "rideshare", (900, 4_200)), ("Staples", "supplies", (1_500, 9_000)),
            ("Shell", "fuel", (3_000, 6_500)), ("SP+ Parking", "parking", (800, 2_400))]
    reports = paid_and_card_reports(rnd, number, travellers, pool, ["Client visit", "Supplier visit", "Conference", ""],
                                    managers, owner, mailed, tz)
    cents = rnd.randint
    pending = [  # out-of-pocket reports awaiting the manager: within policy, alcohol, no receipt, a duplicate, late
        (roles["ap"], "Client meeting mileage", date(2026, 3, 26), [
            ExpenseLineFact(date(2026, 3, 26), "Mileage: office to client", "mileage", 2_412, "36 miles at $0.67"),
            ExpenseLineFact(date(2026, 3, 26), "SP+ Parking", "parking", cents(900, 2_400), "Downtown garage")]),
        (roles["purchasing"], "Supplier visit", date(2026, 3, 24), [
            ExpenseLineFact(date(2026, 3, 24), "Hilton Garden Inn", "hotel", cents(14_000, 19_000), "One night"),
            ExpenseLineFact(date(2026, 3, 24), "Main Street Bistro", "meals", cents(5_000, 9_000), "Dinner with the supplier",
                            attendees=2),
            ExpenseLineFact(date(2026, 3, 24), "Main Street Bistro", "alcohol", cents(2_400, 4_800), "Wine with dinner")]),
        (roles["it"], "Network gear", date(2026, 3, 25), [
            ExpenseLineFact(date(2026, 3, 25), "Best Buy", "equipment", cents(6_000, 12_000), "Two USB-C hubs",
                            receipt=False)]),
        (roles["seller2"], "Client follow-up", date(2026, 3, 20), [
            ExpenseLineFact(date(2026, 3, 20), "Uber", "rideshare", 2_340, "To the client's office"),
            ExpenseLineFact(date(2026, 3, 20), "Uber", "rideshare", 2_340, "To the client's office"),
            ExpenseLineFact(date(2026, 3, 20), "Starbucks", "meals", 1_275, "Coffee with the client", attendees=2)]),
        (roles["seller"], "January client lunches (late)", date(2026, 1, 14), [
            ExpenseLineFact(date(2026, 1, 14), "Downtown Chophouse", "meals", cents(7_000, 9_900), "Client lunch",
                            attendees=2),
            ExpenseLineFact(date(2026, 1, 21), "SP+ Parking", "parking", 1_600, "Client visit")]),
    ]
    for n, (who, memo, _day, lines) in enumerate(pending):
        submitted = at(date(2026, 3, 30) if who != roles["seller"] else date(2026, 3, 31), 9 + n, 15, tz)
        reports.append(ExpenseReportFact(
            f"ER-{next(number)}", who, memo, submitted - timedelta(minutes=30), tuple(lines), "In Progress",
            awaiting="manager", submitted=submitted, history=((submitted, who, "Submitted", ""),)))
    reports.append(ExpenseReportFact(  # the accountant's own draft (she may not approve it herself)
        f"ER-{next(number)}", owner, "Professional seminar", at(date(2026, 3, 27), 16, 10, tz),
        (ExpenseLineFact(date(2026, 3, 27), "State Society of CPAs", "software", 19_500, "Q1 tax update seminar"),),
        "Draft"))
    return tuple(reports)


def _time_off(rnd: random.Random, active, roles: dict, tz) -> tuple[TimeOffFact, ...]:
    r = roles
    hourly = next(w.key for w in active if w.pay_type == "Hourly" and w.key != r["field_lead"])
    rows = [  # worker, plan, start, end, hours x100, status, requested, comment
        (r["controller"], "pto", date(2026, 1, 2), date(2026, 1, 2), 800, "Approved", date(2025, 12, 15), ""),
        (r["sales_lead"], "pto", date(2026, 2, 16), date(2026, 2, 20), 4000, "Approved", date(2026, 1, 20), "Ski trip"),
        (r["owner"], "sick", date(2026, 2, 9), date(2026, 2, 9), 800, "Approved", date(2026, 2, 9), "Flu"),
        (r["field_lead"], "pto", date(2026, 3, 6), date(2026, 3, 6), 800, "Approved", date(2026, 2, 24), ""),
        (r["purchasing"], "pto", date(2026, 3, 12), date(2026, 3, 13), 1600, "Approved", date(2026, 2, 27), ""),
        (r["ops"], "pto", date(2026, 3, 23), date(2026, 3, 24), 1600, "Approved", date(2026, 3, 2), ""),
        (r["owner"], "pto", date(2026, 4, 17), date(2026, 4, 17), 800, "Approved", date(2026, 3, 18), ""),
        (r["seller2"], "pto", date(2026, 4, 6), date(2026, 4, 10), 4000, "In Progress", date(2026, 3, 30),
         rnd.choice(["Family visit", "Spring break trip", "Wedding"])),
        (r["field_lead"], "pto", date(2026, 4, 3), date(2026, 4, 3), 800, "In Progress", date(2026, 3, 31), "Moving day"),
        (hourly, "pto", date(2026, 4, 13), date(2026, 4, 14), 1600, "In Progress", date(2026, 3, 31), ""),
    ]
    return tuple(TimeOffFact(f"TOR-{2001 + i}", who, plan, start, end, hours, status, at(asked, 11, 0, tz), comment)
                 for i, (who, plan, start, end, hours, status, asked, comment) in enumerate(rows))


def _timesheets(rnd: random.Random, hourly: list[str], tz) -> tuple[TimesheetFact, ...]:
    full = (800, 800, 800, 800, 800, 0, 0)
    rows = []
    for week, status in ((date(2026, 3, 16), "Approved"), (date(2026, 3, 23), "Submitted")):
        for key in hourly:
            hours = tuple(h + rnd.choice([0, 0, 0, 50, -50]) if h else 0 for h in full)
            rows.append((key, week, hours, status))
    rows.append((hourly[-1], date(2026, 3, 30), (800, 800, 0, 0, 0, 0, 0), "Draft"))
    return tuple(TimesheetFact(f"TS-{3001 + i}", who, week, hours, status,
                               at(week + timedelta(days=4), 16, 30, tz) if status != "Draft" else None)
                 for i, (who, week, hours, status) in enumerate(rows))


def _pay_runs(rnd: random.Random, workers, roles: dict, payroll) -> tuple[PayRunFact, ...]:
    paid_workers = _paid(workers)
    runs = regular_pay_runs(paid_workers, payroll, PAY_HOURS_X100)
    # Q1 bonuses: an off-cycle run paid today that the books do not have yet
    # (the sales lead's the largest; each a multiple of $125, as commission plans round)
    bonus = {roles["sales_lead"]: rnd.randint(32, 48) * 12_500, roles["seller"]: rnd.randint(20, 31) * 12_500,
             roles["seller2"]: rnd.randint(16, 31) * 12_500}
    paid = [(w, 0, bonus[w.key]) for w in paid_workers if w.key in bonus]
    gross = sum(bonus.values())
    runs.append(PayRunFact("PR-2026-Q1C", date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31), "Off-Cycle",
                           slips(paid, round(gross * 0.0765), round(gross * 0.31))))
    return tuple(runs)


def _onboardings(workers, roles: dict, fake: Faker, tz, company_name: str) -> tuple[OnboardingFact, ...]:
    hire = next(w for w in workers if w.status == "Pre-Hire" and w.worker_type == "Employee")
    contractor = next(w for w in workers if w.worker_type == "Contingent Worker")
    r = roles
    return (
        OnboardingFact("ONB-4001", hire.key, r["hr"], at(date(2026, 3, 20), 10, 0, tz), (
            ("Review offer and hire details", r["hr"], at(date(2026, 3, 20), 10, 30, tz)),
            ("Provide personal information", hire.key, at(date(2026, 3, 23), 19, 5, tz)),
            ("Complete Form I-9 verification", r["hr"], None),
            ("Set up laptop and accounts", r["it"], None),
            ("Enter payroll and direct deposit", r["owner"], None),
            ("Welcome and first-week plan", r["controller"], None),
        )),
        OnboardingFact("ONB-4002", contractor.key, r["it"], at(date(2026, 3, 27), 13, 20, tz), (
            ("Review contract and rate", r["ops"], at(date(2026, 3, 27), 15, 0, tz)),
            ("Upload Form W-9", contractor.key, at(date(2026, 3, 30), 8, 45, tz)),
            ("Set up as a supplier for payment", r["owner"], None),
            ("Grant network access", r["it"], None),
        ), tax_id=fake.ein(), company_name=f"{contractor.last_name} Consulting LLC",
            address=mailing_address(fake)),
    )
