"""People's payroll numbers finance carries into Books: an off-cycle pay run's general-ledger distribution and
the accrued PTO liability at month end, each computed as People computes it (mock_apps/people)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from mock_apps.people import absence, payroll
from mock_apps.scenarios.facts import Facts, HRFacts, WorkerRecord
from mock_apps.scenarios.history import month_end
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import dollars


def quarter(day: date) -> str:
    """The calendar quarter of a day, "Q1"."""
    return f"Q{(day.month - 1) // 3 + 1}"


def unbooked_off_cycle_runs(facts: Facts) -> list[Instance]:
    """Each off-cycle pay run People has paid and the books lack (the quarter's commissions): post its GL lines."""
    today = facts.now.date()
    runs = require((r for r in (facts.hr.pay_runs if facts.hr else ())
                    if r.kind == "Off-Cycle" and r.payroll_key is None and r.pay_date <= today),
                   "hr.pay_runs: an off-cycle pay run paid and not yet in the books (payroll_key None)")
    instances = []
    for run in runs:
        # People's own distribution of the run (its page shows these lines); only the memo reads the run's id
        lines = payroll.gl_distribution(SimpleNamespace(id=run.number, kind=run.kind, pay_date=run.pay_date),
                                        list(run.slips))
        signed = {line.account: line.debit_cents - line.credit_cents for line in lines}
        instances.append(Instance(slug(run.number), {
            "run": run.number, "quarter": quarter(run.period_end), "date": run.pay_date.isoformat(),
            "paid": f"{run.pay_date:%B %-d}", "total_cents": sum(line.debit_cents for line in lines),
            "gross_cents": signed[payroll.WAGES], "gross": dollars(signed[payroll.WAGES]),
            "employer_taxes_cents": signed[payroll.EMPLOYER_TAXES], "employer_taxes": dollars(signed[payroll.EMPLOYER_TAXES]),
            "net_cents": signed[payroll.CASH], "due_cents": signed[payroll.LIABILITIES]}))
    return instances


def regular_runs_this_year(hr: HRFacts, today: date) -> int:
    """The regular pay runs paid this year: a Paid Time Off accrual each, for employees."""
    return sum(1 for r in hr.pay_runs if r.kind == "Regular" and today.replace(month=1, day=1) <= r.pay_date <= today)


def pto_taken_x100(hr: HRFacts, worker: WorkerRecord, today: date) -> int:
    """The approved Paid Time Off a worker requested this year (hours x 100)."""
    return sum(t.hours_x100 for t in hr.time_off
               if t.worker_key == worker.key and t.plan == "pto" and t.status == "Approved" and t.start.year == today.year)


def pto_balance_x100(hr: HRFacts, worker: WorkerRecord, today: date) -> int:
    """A worker's Paid Time Off balance today, as People's absence.balances_of counts it: carryover, plus the
    accrual of each regular pay run paid this year (employees only), less the approved PTO requested this year."""
    accrued = hr.pto_accrual_x100 * regular_runs_this_year(hr, today) if worker.worker_type == "Employee" else 0
    return hr.pto_carryover_x100.get(worker.key, 0) + accrued - pto_taken_x100(hr, worker, today)


def pto_liability(facts: Facts) -> list[Instance]:
    """The month's accrued PTO liability, the total of People's report: one journal entry at month end."""
    hr, today = facts.hr, facts.now.date()
    if hr is None:
        raise MissingFact("hr (People's workers, PTO carryover and pay runs)")
    total = 0
    for worker in hr.workers:  # the report's rows: active employees with a positive balance
        hours = pto_balance_x100(hr, worker, today) if (worker.status, worker.worker_type) == ("Active", "Employee") else 0
        if hours > 0:
            total += round(hours * absence.hourly_rate_cents(worker) / 100)  # the report's rounding, row by row
    if not total:
        raise MissingFact("hr.pto_carryover_x100 / hr.pay_runs: an active employee with a Paid Time Off balance")
    journal = f"PTO-{today.year}-{quarter(today)}"
    return [Instance(slug(journal), {
        "journal": journal, "month": f"{today:%B}", "date": month_end(today.year, today.month).isoformat(),
        "total": dollars(total), "total_cents": total, "credit_cents": -total})]
