"""People's tables: workers and their organizations, the expense policy and expense reports with receipts,
business processes (their inbox tasks and history), notifications, time off, timesheets, payroll, onboarding.

Money is integer cents; hours are integer hundredths (`*_x100`), so 7.5 hours is 750.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from mock_apps.scenarios.facts import PayAmounts


class PeopleModel(SQLModel, registry=registry()):
    """Base of People's tables (own metadata: never collides with other apps)."""


class Organization(PeopleModel, table=True):
    """A supervisory organization: a manager's team."""

    __tablename__ = "people_org"

    id: str = Field(primary_key=True)  # "SUP-FIN"
    name: str
    manager_id: str | None = None  # worker id
    superior_id: str | None = None  # the organization above


class Worker(PeopleModel, table=True):
    """An employee or a contingent worker (a pre-hire until the hire date)."""

    __tablename__ = "people_worker"

    id: str = Field(primary_key=True)  # the employee id, "21006"
    key: str = Field(index=True, unique=True)  # the company-wide handle, "dana.whitfield"
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    title: str
    org_id: str = Field(index=True)
    manager_id: str | None = Field(default=None, index=True)
    cost_center: str
    location: str
    hire_date: dt.date
    termination_date: dt.date | None = None
    worker_type: str = "Employee"
    pay_type: str = "Salaried"
    semimonthly_cents: int = 0
    hourly_rate_cents: int = 0
    status: str = "Active"
    timezone: str = "America/Chicago"
    tax_id: str = ""  # a contractor's EIN
    company_name: str = ""  # a contractor's business

    @property
    def name(self) -> str:
        """Full display name."""
        return f"{self.first_name} {self.last_name}"


class ExpenseItem(PeopleModel, table=True):
    """An expense item of the policy: its Books account, limit and rules."""

    __tablename__ = "people_expense_item"

    id: str = Field(primary_key=True)  # "meals"
    name: str
    account: str
    limit_cents: int = 0
    per_person: bool = False
    alcohol: bool = False


class ExpenseReport(PeopleModel, table=True):
    """An expense report; its lines are ExpenseLine rows, its approvals a BusinessProcess."""

    __tablename__ = "people_expense_report"

    id: str = Field(primary_key=True)  # "ER-1004"
    worker_id: str = Field(index=True)
    memo: str = ""
    status: str = "Draft"  # Draft, In Progress, Sent Back, Denied, Approved, Paid
    card: bool = False  # charged to the company card: approved, nothing is reimbursed
    created_at: dt.datetime
    submitted_at: dt.datetime | None = None
    version: int = 1  # bumped on every change, so a stale edit is refused
    total_cents: int = 0


class ExpenseLine(PeopleModel, table=True):
    """One line of an expense report."""

    __tablename__ = "people_expense_line"

    pk: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(index=True)
    position: int
    date: dt.date
    merchant: str
    item_id: str
    amount_cents: int
    attendees: int = 0
    memo: str = ""
    receipt_id: int | None = None


class Receipt(PeopleModel, table=True):
    """An uploaded receipt or document (image or PDF bytes)."""

    __tablename__ = "people_receipt"

    id: int | None = Field(default=None, primary_key=True)
    filename: str
    content_type: str
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: str  # worker id
    uploaded_at: dt.datetime


class BusinessProcess(PeopleModel, table=True):
    """A business process (expense report, time off, timesheet, onboarding) with its status."""

    __tablename__ = "people_process"

    id: str = Field(primary_key=True)  # "BP-5001"
    type: str  # "Expense Report", "Request Time Off", "Timesheet", "Onboarding", "Termination"
    subject_kind: str  # "expense_report", "time_off", "timesheet", "onboarding", "worker"
    subject_id: str = Field(index=True)
    worker_id: str  # whom it is about
    initiator_id: str
    status: str = "In Progress"  # In Progress, Successfully Completed, Denied, Sent Back, Canceled
    step: str = ""  # the step it waits on: "Manager Approval", "Finance Audit", ...
    created_at: dt.datetime
    completed_at: dt.datetime | None = None


class ProcessEvent(PeopleModel, table=True):
    """One entry of a business process's history: who did what, when, with what comment."""

    __tablename__ = "people_process_event"

    pk: int | None = Field(default=None, primary_key=True)
    process_id: str = Field(index=True)
    at: dt.datetime
    actor_id: str
    action: str  # "Submitted", "Approved", "Sent Back", "Denied", "Completed step", "Paid"
    step: str = ""
    comment: str = ""


class InboxTask(PeopleModel, table=True):
    """A task in a worker's inbox: approve a step, or a to-do of an onboarding."""

    __tablename__ = "people_inbox_task"

    id: str = Field(primary_key=True)  # "T-6001"
    process_id: str = Field(index=True)
    assignee_id: str = Field(index=True)
    kind: str = "approval"  # "approval" or "to_do"
    title: str
    step: str
    status: str = "Open"  # Open, Completed
    created_at: dt.datetime
    completed_at: dt.datetime | None = None


class Notification(PeopleModel, table=True):
    """A notification for a worker, pointing at an object."""

    __tablename__ = "people_notification"

    pk: int | None = Field(default=None, primary_key=True)
    worker_id: str = Field(index=True)
    at: dt.datetime
    text: str
    subject_kind: str
    subject_id: str
    read: bool = False


class AbsencePlan(PeopleModel, table=True):
    """A time-off plan (Paid Time Off, Sick) in hours."""

    __tablename__ = "people_absence_plan"

    id: str = Field(primary_key=True)  # "pto"
    name: str
    accrual_x100: int = 0  # per pay period
    grant_x100: int = 0  # granted at the start of the year


class AbsenceCarryover(PeopleModel, table=True):
    """Hours a worker carried into the year on a plan."""

    __tablename__ = "people_absence_carryover"

    worker_id: str = Field(primary_key=True)
    plan_id: str = Field(primary_key=True)
    hours_x100: int = 0


class TimeOffRequest(PeopleModel, table=True):
    """A request for time off on a plan."""

    __tablename__ = "people_time_off"

    id: str = Field(primary_key=True)  # "TOR-2001"
    worker_id: str = Field(index=True)
    plan_id: str
    start: dt.date
    end: dt.date
    hours_x100: int
    status: str = "In Progress"  # In Progress, Approved, Denied
    comment: str = ""
    requested_at: dt.datetime


class Timesheet(PeopleModel, table=True):
    """An hourly worker's week of time entries."""

    __tablename__ = "people_timesheet"

    id: str = Field(primary_key=True)  # "TS-3001"
    worker_id: str = Field(index=True)
    week_start: dt.date
    status: str = "Draft"  # Draft, Submitted, Approved, Sent Back
    submitted_at: dt.datetime | None = None
    version: int = 1


class TimeEntry(PeopleModel, table=True):
    """Hours worked on one day of a timesheet."""

    __tablename__ = "people_time_entry"

    timesheet_id: str = Field(primary_key=True)
    date: dt.date = Field(primary_key=True)
    hours_x100: int = 0


class PayRun(PeopleModel, table=True):
    """A pay run of the semi-monthly pay group."""

    __tablename__ = "people_pay_run"

    id: str = Field(primary_key=True)  # "PR-2026-06"
    pay_group: str = "Semi-Monthly"
    kind: str = "Regular"
    pay_date: dt.date
    period_start: dt.date
    period_end: dt.date
    status: str = "Complete"


class PaySlip(PeopleModel, PayAmounts, table=True):
    """One worker's pay in a run."""

    __tablename__ = "people_pay_slip"

    pay_run_id: str = Field(primary_key=True)
    worker_id: str = Field(primary_key=True)
    hours_x100: int = 0
    gross_cents: int
    federal_tax_cents: int
    social_security_cents: int
    medicare_cents: int
    state_tax_cents: int
    retirement_cents: int
    employer_taxes_cents: int


class OnboardingStep(PeopleModel, table=True):
    """One step of an onboarding business process."""

    __tablename__ = "people_onboarding_step"

    pk: int | None = Field(default=None, primary_key=True)
    process_id: str = Field(index=True)
    position: int
    title: str
    assignee_id: str
    status: str = "Not Started"  # Not Started, Awaiting, Completed
    completed_at: dt.datetime | None = None
    comment: str = ""
    document_id: int | None = None  # a document uploaded by the step (a contractor's W-9)


class Tenant(PeopleModel, table=True):
    """The company's tenant and its policy settings (one row)."""

    __tablename__ = "people_tenant"

    id: str = Field(primary_key=True)  # the tenant in API paths, "meridian"
    name: str
    owner_id: str  # the worker the UI acts as by default (the scenario's accountant)
    auditor_id: str  # finance's expense partner, who audits every expense report
    receipt_required_over_cents: int = 2_500
    late_after_days: int = 60
