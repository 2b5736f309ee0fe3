"""Payroll: pay runs, pay slips, a run's summary and its general-ledger distribution by account (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people.errors import not_found
from mock_apps.people.models import PayRun, PaySlip, Worker

# the Books accounts a pay run posts to (the same the books' payroll journal entries use)
WAGES, EMPLOYER_TAXES, CASH, LIABILITIES = "Payroll Expenses", "Payroll Taxes", "Operating Checking", "Payroll Liabilities"


@dataclass(frozen=True)
class Summary:
    """A run's totals, in cents."""

    gross_cents: int
    withholding_cents: int
    employer_taxes_cents: int
    net_cents: int
    federal_tax_cents: int
    social_security_cents: int
    medicare_cents: int
    state_tax_cents: int
    retirement_cents: int
    workers: int


@dataclass(frozen=True)
class GLLine:
    """One line of the general-ledger distribution: an account with a debit or a credit."""

    account: str
    debit_cents: int
    credit_cents: int
    memo: str


def runs(db: WorldSession) -> list[PayRun]:
    """Every pay run, latest first."""
    return list(db.exec(select(PayRun).order_by(PayRun.pay_date.desc(), PayRun.id.desc())))


def get(db: WorldSession, run_id: str) -> PayRun:
    """The pay run with this id, else a 404."""
    found = db.get(PayRun, run_id)
    if found is None:
        raise not_found("pay run", run_id)
    return found


def slips(db: WorldSession, run: PayRun) -> list[PaySlip]:
    """The run's pay slips."""
    return list(db.exec(select(PaySlip).where(PaySlip.pay_run_id == run.id).order_by(PaySlip.worker_id)))


def slips_of(db: WorldSession, worker: Worker) -> list[tuple[PayRun, PaySlip]]:
    """A worker's pay slips, latest first."""
    query = (select(PayRun, PaySlip).join(PaySlip, PaySlip.pay_run_id == PayRun.id)
             .where(PaySlip.worker_id == worker.id).order_by(PayRun.pay_date.desc(), PayRun.id.desc()))
    return list(db.exec(query))


def summary(found: list[PaySlip]) -> Summary:
    """Totals of some pay slips."""
    def add(attr):
        return sum(getattr(s, attr) for s in found)

    return Summary(add("gross_cents"), add("withholding_cents"), add("employer_taxes_cents"), add("net_cents"),
                   add("federal_tax_cents"), add("social_security_cents"), add("medicare_cents"),
                   add("state_tax_cents"), add("retirement_cents"), len(found))


def gl_distribution(run: PayRun, found: list[PaySlip]) -> list[GLLine]:
    """The journal entry finance posts to Books for the run: wages and employer taxes against net pay and the
    liabilities still to remit. Debits equal credits."""
    total = summary(found)
    label = f"{run.kind} pay run {run.id}, paid {run.pay_date.isoformat()}"
    return [GLLine(WAGES, total.gross_cents, 0, f"Gross wages, {label}"),
            GLLine(EMPLOYER_TAXES, total.employer_taxes_cents, 0, "Employer payroll taxes"),
            GLLine(CASH, 0, total.net_cents, "Net pay"),
            GLLine(LIABILITIES, 0, total.withholding_cents + total.employer_taxes_cents,
                   "Withholding and employer taxes due")]
