"""The shape every company's quarter shares: its calendar, bill payment runs, the operating account's bank
lines and statements, and pay slips that add up to a payroll run to the cent.

The quarter is January to March 2026 for every scenario (the worlds freeze at March 31, 2026); the amounts,
names and counts are each scenario's own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from mock_apps.scenarios.facts import BankLine, BillPayment, PayRunFact, PaySlipFact, Statement, WorkerRecord

QUARTER = (1, 2, 3)  # the months of history, in 2026


def slug_domain(name: str) -> str:
    """A mail domain from a company name ("Summit Packaging Co." -> "summitpackaging.com")."""
    words = [w for w in "".join(c if c.isalnum() or c == " " else " " for c in name.lower()).split()
             if w not in {"co", "inc", "llc", "the", "and", "llp"}]
    return "".join(words[:2]) + ".com"


def business_days(start: date, end: date) -> list[date]:
    """The weekdays from start to end (inclusive)."""
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def last_business_day(year: int, month: int) -> int:
    """The day of the month of its last weekday."""
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d.day


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def next_business(d: date) -> date:
    """The day itself when a weekday, else the Monday after."""
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def at(d: date, hour: int, minute: int, tz) -> datetime:
    """An instant on a day in a timezone."""
    return datetime.combine(d, time(hour, minute), tz)


def bill_payments(bills) -> tuple[BillPayment, ...]:
    """Every booked bill due before March 20 paid on its due date (or the next weekday), checks and ACH."""
    payments = []
    check = 5101
    for bill in bills:
        if not bill.in_books:
            continue
        due = bill.due_date
        # bills due before March 20 were paid on their due date (or the next weekday)
        if due >= date(2026, 3, 20):
            continue
        pay_day = due
        while pay_day.weekday() >= 5:
            pay_day += timedelta(days=1)
        method = "Check" if len(payments) % 3 == 0 else "ACH"
        ref = f"{check}" if method == "Check" else f"ACH-{700000 + len(payments) * 13}"
        if method == "Check":
            check += 1
        payments.append(BillPayment(
            key=f"bp-{len(payments) + 1:03d}", vendor_key=bill.vendor_key, date=pay_day,
            amount_cents=bill.total_cents, method=method, reference=ref,
            applications=((bill.key, bill.total_cents),),
        ))
    return tuple(sorted(payments, key=lambda p: (p.date, p.key)))


def bank_history(opening: int, payments, bill_payments, expenses, payroll, now: datetime, autopay_cents: int = 180_000,
                 unknown_deposit_cents: int = 45_000):
    """The operating account's statement lines: what the bank saw, whether the books know it or not."""
    lines = []
    for p in payments:
        lines.append((p.date + timedelta(days=1 if p.method == "Check" else 0), f"DEPOSIT {p.reference}", p.amount_cents, p.key))
    for bp in bill_payments:
        label = f"CHECK {bp.reference}" if bp.method == "Check" else f"ACH DEBIT {bp.reference}"
        lines.append((bp.date + timedelta(days=2 if bp.method == "Check" else 0), label, -bp.amount_cents, bp.key))
    for e in expenses:
        if e.paid_from == "Operating Checking":
            lines.append((e.date, "SERVICE FEE", -e.amount_cents, e.key))
    for r in payroll:
        lines.append((r.date, "PAYROLL DIRECT DEP", -r.net_cents, r.key))
        lines.append((r.date, "EFTPS TAX PAYMENT", -(r.withholding_cents + r.employer_taxes_cents), r.key + "-tax"))
    for month in QUARTER:  # card payments and interest: not in the books until categorized
        lines.append((date(2026, month, 25), "COMPANY VISA AUTOPAY", -(autopay_cents + month * 23_417), None))
        lines.append((month_end(2026, month), "INTEREST PAID", 1_210 + month * 37, None))
    lines.append((date(2026, 3, 27), "MOBILE DEPOSIT UNKNOWN", unknown_deposit_cents, None))

    lines = [row for row in lines if row[0] <= now.date()]
    lines.sort(key=lambda row: (row[0], row[1]))
    bank_lines, statements = [], []
    balance = opening
    for month in QUARTER:
        start, end = date(2026, month, 1), month_end(2026, month)
        begin = balance
        for d, desc, amount, source in lines:
            if start <= d <= end:
                bank_lines.append(BankLine(
                    key=f"bank-{len(bank_lines) + 1:04d}", account="Operating Checking", date=d,
                    description=desc, amount_cents=amount, source=source,
                    reconciled=month < 3, in_feed=month == 3,
                ))
                balance += amount
        statements.append(Statement("Operating Checking", start, min(end, now.date()), begin, balance, reconciled=month < 3))
    return tuple(bank_lines), tuple(statements)


def submitted_history(auditor, worker_key, manager_key, submitted, approved=None, audited=None, paid=None):
    """An expense report's business-process history: submitted, approved, audited by finance, paid."""
    history = [(submitted, worker_key, "Submitted", "")]
    if approved:
        history.append((approved, manager_key, "Approved", ""))
    if audited:
        history.append((audited, auditor, "Approved", "Audited: within policy"))
    if paid:
        history.append((paid, auditor, "Paid", "Reimbursed by ACH"))
    return tuple(history)


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights`, in whole cents that add up to it exactly."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -((total * weights[i]) % whole))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def slips(paid: list[tuple[WorkerRecord, int, int]], employer_taxes: int, withholding: int) -> tuple:
    """Pay slips whose employer taxes and withholding add up exactly to the run's totals."""
    grosses = [g for _, _, g in paid]
    employer = largest_remainder(employer_taxes, grosses)
    withheld = largest_remainder(withholding, grosses)
    slips = []
    for (worker, hours, gross), er, wh in zip(paid, employer, withheld):
        ss, medicare = round(gross * 0.062), round(gross * 0.0145)
        retirement = round(gross * 0.03) if worker.pay_type == "Salaried" else 0
        income = wh - ss - medicare - retirement
        state = income * 3 // 10
        slips.append(PaySlipFact(worker.key, hours, gross, income - state, ss, medicare, state, retirement, er))
    return tuple(slips)


def regular_pay_runs(paid_workers, payroll, hours_x100: int) -> list[PayRunFact]:
    """One regular pay run per books payroll run, its slips adding up to the run's gross, taxes and withholding."""
    runs = []
    for n, run in enumerate(payroll, start=1):
        start = run.date.replace(day=1) if run.date.day == 15 else run.date.replace(day=16)
        end = run.date.replace(day=15) if run.date.day == 15 else month_end(run.date.year, run.date.month)
        paid = [(w, hours_x100 if w.pay_type == "Hourly" else 0,
                 w.hourly_rate_cents * hours_x100 // 100 if w.pay_type == "Hourly" else w.semimonthly_cents)
                for w in paid_workers]
        run_slips = slips(paid, run.employer_taxes_cents, run.withholding_cents)
        runs.append(PayRunFact(f"PR-2026-{n:02d}", run.date, start, end, "Regular", run_slips, payroll_key=run.key))
        assert runs[-1].gross_cents == run.gross_cents, "a pay run must agree with the books' payroll"
    return runs
