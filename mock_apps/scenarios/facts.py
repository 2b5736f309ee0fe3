"""The facts of a scenario's company: one source of truth that every app's seeder renders.

Every app renders the same facts, so a vendor's invoice in mail, its bill in books, its approval in
chat and its row in the reconciliation sheet agree on names, numbers, amounts and dates.
Money is integer cents; dates are `datetime.date` in the company's timezone; instants are aware
`datetime`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from mock_apps.scenarios.backdrop import Backdrop
from mock_apps.scenarios.work import Work

# The roles every company's cast fills (role -> one person key in `Facts.roles`): the seeders address people
# by role, never by a particular company's names.
ROLES = ("owner", "controller", "ceo", "ap", "ops", "sales_lead", "seller", "seller2", "field_lead", "purchasing",
         "it", "hr")


@dataclass(frozen=True)
class Company:
    """The scenario's company."""

    name: str
    legal_name: str
    domain: str  # mail domain, e.g. "meridiansupply.com"
    address: str
    city: str
    state: str
    postal_code: str
    phone: str
    timezone: str  # IANA name
    realm_id: str  # QuickBooks company id used in books' API paths
    bank_name: str
    bank_account_last4: str


@dataclass(frozen=True)
class Person:
    """An employee: a mail correspondent, a chat member, maybe a task's colleague."""

    key: str  # stable handle, e.g. "dana.whitfield"
    first_name: str
    last_name: str
    email: str
    title: str
    department: str
    timezone: str
    phone: str
    manager_key: str | None = None

    @property
    def name(self) -> str:
        """Full display name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Account:
    """A chart-of-accounts entry (QuickBooks account type names)."""

    number: str
    name: str
    type: str  # "Bank", "Accounts receivable", "Expense", ...
    detail_type: str
    opening_balance_cents: int = 0  # as of the opening date; debit-positive for assets/expenses

    @property
    def option(self) -> str:
        """How Books' account pickers list it: "6200 Payroll Expenses"."""
        return f"{self.number} {self.name}"


@dataclass(frozen=True)
class Product:
    """A product or service sold to customers (and bought from a vendor)."""

    sku: str
    name: str
    description: str
    unit_price_cents: int
    unit_cost_cents: int
    income_account: str  # account name
    expense_account: str  # account name (cost of goods sold)
    vendor_key: str


@dataclass(frozen=True)
class Vendor:
    """A supplier the company buys from."""

    key: str
    name: str
    contact_name: str
    email: str
    phone: str
    address: str
    terms_days: int
    expense_account: str  # default account for its bills
    category: str
    bank_name: str
    bank_account_last4: str
    routing_last4: str


@dataclass(frozen=True)
class Customer:
    """A customer the company sells to."""

    key: str
    name: str
    contact_name: str
    email: str
    phone: str
    address: str
    terms_days: int
    kind: str = "customer"  # what the company calls it: a customer, a client, a payer, a patient


@dataclass(frozen=True)
class Line:
    """One line of an invoice or a bill."""

    description: str
    quantity: int
    unit_cents: int
    account: str  # account name the line posts to
    sku: str | None = None

    @property
    def amount_cents(self) -> int:
        """Quantity times unit price."""
        return self.quantity * self.unit_cents


@dataclass(frozen=True)
class Invoice:
    """A sales invoice to a customer (accounts receivable)."""

    number: str  # "INV-1042"
    customer_key: str
    date: date
    due_date: date
    lines: tuple[Line, ...]
    memo: str = ""

    @property
    def total_cents(self) -> int:
        """Sum of the lines."""
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True)
class Bill:
    """A vendor's invoice to the company (accounts payable).

    `in_books` is False for bills whose invoice so far exists only as a mail attachment: tasks ask
    a trainer to find and enter them. `approved_by` names the person who approved it in chat.
    `mailed_total_cents` differs from the true total when a chat message corrected the amount.
    """

    key: str  # "bill-007"
    vendor_key: str
    vendor_invoice_number: str  # the number printed on the vendor's PDF
    date: date
    due_date: date
    lines: tuple[Line, ...]
    in_books: bool = True
    mailed: bool = True
    approved_by: str | None = None
    resent_duplicate: bool = False  # the vendor mailed this invoice twice
    mailed_total_cents: int | None = None  # when the mailed PDF shows a different (wrong) total
    memo: str = ""

    @property
    def total_cents(self) -> int:
        """Sum of the lines: the amount owed."""
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True)
class CustomerPayment:
    """Money received from a customer, applied to one or more invoices."""

    key: str  # "pmt-003"
    customer_key: str
    date: date
    amount_cents: int
    method: str  # "Check", "ACH", "Credit card"
    reference: str  # check number or ACH trace
    applications: tuple[tuple[str, int], ...]  # (invoice number, cents)


@dataclass(frozen=True)
class BillPayment:
    """Money paid to a vendor, applied to one or more bills."""

    key: str  # "bp-004"
    vendor_key: str
    date: date
    amount_cents: int
    method: str  # "Check" or "ACH"
    reference: str  # check number or ACH id
    applications: tuple[tuple[str, int], ...]  # (bill key, cents)


@dataclass(frozen=True)
class Expense:
    """A direct expense (card or bank), not through a bill."""

    key: str
    date: date
    payee: str  # vendor key or a merchant name
    account: str  # expense account name
    amount_cents: int
    paid_from: str  # bank or credit-card account name
    memo: str
    submitted_by: str | None = None  # person key when an employee mailed the receipt in an expense report
    attendees: int = 0  # people a meal was for (expense reports only)
    policy_issue: str | None = None  # why an expense breaks the expense policy (None: within policy)


@dataclass(frozen=True)
class VendorOnboarding:
    """A new vendor known so far only from its mail (details, W-9) and a request in chat, not in the books.

    `approved_by` is None while the setup is on hold. `first_invoice` is a bill the vendor already mailed
    (never in `Facts.bills`: it cannot be entered before the vendor exists).
    """

    vendor: Vendor
    tax_id: str  # the EIN on the W-9
    requested_by: str  # person key
    requested_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    hold_reason: str = ""
    first_invoice: Bill | None = None


@dataclass(frozen=True)
class PayrollRun:
    """A payroll run, booked as a journal entry."""

    key: str
    date: date
    gross_cents: int
    employer_taxes_cents: int
    withholding_cents: int

    @property
    def net_cents(self) -> int:
        """What leaves the bank account to employees."""
        return self.gross_cents - self.withholding_cents

    @property
    def journal_number(self) -> str:
        """The number of its journal entry in Books: "PR-20260315"."""
        return f"PR-{self.date:%Y%m%d}"


@dataclass(frozen=True)
class BankLine:
    """A line of the operating account's bank statement / feed.

    `source` is the key of the transaction it corresponds to (customer payment, bill payment,
    expense, payroll run) or None for lines that are not in the books yet (fees, interest, an
    unknown deposit). `reconciled` lines were cleared in the prior month's reconciliation;
    `in_feed` lines are the current month's unreviewed feed.
    """

    key: str
    account: str
    date: date
    description: str
    amount_cents: int  # positive: money in; negative: money out
    source: str | None
    reconciled: bool
    in_feed: bool


@dataclass(frozen=True)
class Statement:
    """A bank statement for one month of the operating account."""

    account: str
    period_start: date
    period_end: date
    beginning_balance_cents: int
    ending_balance_cents: int
    reconciled: bool


@dataclass(frozen=True)
class Event:
    """A narrative event that apps render (a chat approval, a correction, a suspicious request).

    kind: "bill_approval", "amount_correction", "bank_change_request", "duplicate_invoice",
    "partial_payment_note", "collections_reminder", "close_kickoff", "expense_policy",
    "expense_review_request", "vendor_payment_query".
    `refs` names the facts it is about (bill keys, invoice numbers, vendor keys ...).
    """

    key: str
    kind: str
    at: datetime
    actor: str  # person key, or a vendor key for outside senders
    refs: tuple[str, ...]
    summary: str  # one sentence of what happened, for rendering and task authors
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """Everything a scenario knows about its company and its recent months."""

    company: Company
    now: datetime  # the world's frozen "now" (aware)
    opening_date: date  # books' opening-balance date
    people: tuple[Person, ...]
    mailbox_owner: str  # person key of the accountant whose mailbox and chat seat the apps show
    accounts: tuple[Account, ...]
    products: tuple[Product, ...]
    vendors: tuple[Vendor, ...]
    customers: tuple[Customer, ...]
    invoices: tuple[Invoice, ...]
    bills: tuple[Bill, ...]
    customer_payments: tuple[CustomerPayment, ...]
    bill_payments: tuple[BillPayment, ...]
    expenses: tuple[Expense, ...]
    payroll_runs: tuple[PayrollRun, ...]
    bank_lines: tuple[BankLine, ...]
    statements: tuple[Statement, ...]
    events: tuple[Event, ...]
    onboardings: tuple[VendorOnboarding, ...] = ()
    expense_reports: tuple[Expense, ...] = ()  # employees' card charges, mailed as receipts, in the books
    pending_remittances: tuple[CustomerPayment, ...] = ()  # remittance advices mailed, payment not in the books
    expense_meal_limit_cents: int = 0  # the expense policy's limit per person for a meal
    hr: "HRFacts | None" = None  # People's facts (workers, expense reports, time off, payroll)
    roles: dict = field(default_factory=dict)  # role (one of ROLES) -> person key
    backdrop: Backdrop | None = None  # the company's chatter and context (chat channels, announcements, mail)
    signed_customer: Customer | None = None  # a customer just signed, in no app yet (the add-a-customer warm-up)
    work: Work | None = None  # the industry's own work: trust ledger, remittances, project time (scenarios/work.py)

    def role(self, name: str) -> Person:
        """The person who holds a role (one of ROLES)."""
        return self.person(self.roles[name])

    def person(self, key: str) -> Person:
        """The person with this key."""
        return _index(self.people, key, "person")

    def vendor(self, key: str) -> Vendor:
        """The vendor with this key."""
        return _index(self.vendors, key, "vendor")

    def customer(self, key: str) -> Customer:
        """The customer with this key."""
        return _index(self.customers, key, "customer")

    def bill(self, key: str) -> Bill:
        """The bill with this key."""
        return _index(self.bills, key, "bill")

    def invoice(self, number: str) -> Invoice:
        """The invoice with this number."""
        for invoice in self.invoices:
            if invoice.number == number:
                return invoice
        raise KeyError(f"no invoice {number!r}")

    def account(self, name: str) -> Account:
        """The account with this name."""
        for account in self.accounts:
            if account.name == name:
                return account
        raise KeyError(f"no account {name!r}")

    @property
    def owner(self) -> Person:
        """The accountant whose mailbox and chat seat the apps show."""
        return self.person(self.mailbox_owner)

    def invoice_paid_cents(self, number: str) -> int:
        """How much of an invoice the customer payments cover."""
        return sum(c for p in self.customer_payments for n, c in p.applications if n == number)

    def bill_paid_cents(self, key: str) -> int:
        """How much of a bill the bill payments cover."""
        return sum(c for p in self.bill_payments for k, c in p.applications if k == key)


def _index(items, key: str, what: str):
    for item in items:
        if item.key == key:
            return item
    raise KeyError(f"no {what} {key!r}")


# ---- People (HR and expenses): facts only the People app renders -------------------------------------
# They sit in one optional field of Facts (`hr`), so nothing the other apps read changes.


@dataclass(frozen=True)
class WorkerRecord:
    """A worker's HR record: a Person of the company (same key) or a worker only People knows."""

    key: str
    employee_id: str  # Workday's employee id, e.g. "21004"
    first_name: str
    last_name: str
    email: str
    title: str  # business title
    department: str  # the supervisory organization's name
    manager_key: str | None
    cost_center: str  # "CC-300 Finance"
    location: str
    hire_date: date
    worker_type: str = "Employee"  # or "Contingent Worker"
    pay_type: str = "Salaried"  # or "Hourly"
    semimonthly_cents: int = 0  # a salaried worker's gross per semi-monthly pay period
    hourly_rate_cents: int = 0  # an hourly worker's (or a contractor's) rate
    status: str = "Active"  # "Active", "Pre-Hire"
    termination_date: date | None = None
    phone: str = ""
    timezone: str = "America/Chicago"
    pronoun: str = ""  # "he" or "she" where the company's records say; "" (generated workers): prose says "they"

    @property
    def name(self) -> str:
        """Full display name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class ExpenseItemType:
    """An expense item of the expense policy (Workday's "expense item"), with its Books account and limit."""

    key: str
    name: str
    account: str  # Books account name the item posts to
    limit_cents: int = 0  # 0: no limit; per person when `per_person`
    per_person: bool = False
    alcohol: bool = False  # never reimbursable


@dataclass(frozen=True)
class ExpenseLineFact:
    """One line of an expense report."""

    date: date
    merchant: str
    item: str  # ExpenseItemType key
    amount_cents: int
    memo: str = ""
    attendees: int = 0
    receipt: bool = True  # a receipt image is attached


@dataclass(frozen=True)
class ExpenseReportFact:
    """An expense report and where its business process stands.

    status: "Draft", "In Progress" (awaiting `awaiting`: "manager" or "audit"), "Sent Back", "Denied",
    "Approved", "Paid". `card` reports were charged to the company card (nothing to reimburse).
    `mailed` links a card report to the `Facts.expense_reports` receipts mailed today.
    """

    number: str  # "ER-1004"
    worker_key: str
    memo: str
    created: datetime
    lines: tuple[ExpenseLineFact, ...]
    status: str
    awaiting: str | None = None
    submitted: datetime | None = None
    card: bool = False
    mailed: tuple[str, ...] = ()
    history: tuple[tuple[datetime, str, str, str], ...] = ()  # (when, actor key, action, comment)

    @property
    def total_cents(self) -> int:
        """Sum of the lines."""
        return sum(line.amount_cents for line in self.lines)


@dataclass(frozen=True)
class TimeOffFact:
    """A time-off request (hours in hundredths)."""

    number: str  # "TOR-2003"
    worker_key: str
    plan: str  # "pto" or "sick"
    start: date
    end: date
    hours_x100: int
    status: str  # "Approved", "In Progress", "Denied"
    requested: datetime
    comment: str = ""


@dataclass(frozen=True)
class TimesheetFact:
    """A weekly timesheet of an hourly worker: hours per day (hundredths), Monday first."""

    number: str
    worker_key: str
    week_start: date
    hours_x100: tuple[int, ...]  # seven days
    status: str  # "Draft", "Submitted", "Approved"
    submitted: datetime | None = None


class PayAmounts:
    """What a pay slip's withholding and net pay are, for the scenario's slips and People's stored ones alike."""

    @property
    def withholding_cents(self) -> int:
        """Everything withheld from the gross (taxes and deductions)."""
        return (self.federal_tax_cents + self.social_security_cents + self.medicare_cents
                + self.state_tax_cents + self.retirement_cents)

    @property
    def net_cents(self) -> int:
        """What the worker is paid."""
        return self.gross_cents - self.withholding_cents


@dataclass(frozen=True)
class PaySlipFact(PayAmounts):
    """One worker's pay in a pay run."""

    worker_key: str
    hours_x100: int  # hours paid (hourly workers); 0 for salaried
    gross_cents: int
    federal_tax_cents: int
    social_security_cents: int
    medicare_cents: int
    state_tax_cents: int
    retirement_cents: int  # 401(k) deferral
    employer_taxes_cents: int


@dataclass(frozen=True)
class PayRunFact:
    """A pay run of the semi-monthly pay group. `payroll_key` names the Books payroll run it agrees with."""

    number: str  # "PR-2026-06"
    pay_date: date
    period_start: date
    period_end: date
    kind: str  # "Regular" or "Off-Cycle"
    slips: tuple[PaySlipFact, ...]
    payroll_key: str | None = None

    @property
    def gross_cents(self) -> int:
        """Sum of the slips' gross."""
        return sum(s.gross_cents for s in self.slips)


@dataclass(frozen=True)
class OnboardingFact:
    """A new hire's or contractor's onboarding: steps (title, assignee key, done at or None)."""

    number: str
    worker_key: str
    initiated_by: str
    initiated: datetime
    steps: tuple[tuple[str, str, datetime | None], ...]
    tax_id: str = ""  # a contractor's EIN (from the W-9 uploaded to the onboarding)
    company_name: str = ""  # a contractor's business name
    address: str = ""  # a contractor's business address (on the W-9)


@dataclass(frozen=True)
class HRFacts:
    """Everything People knows: workers, the expense policy, reports, time off, timesheets, payroll, onboarding."""

    tenant: str  # the Workday tenant in API paths
    workers: tuple[WorkerRecord, ...]
    expense_items: tuple[ExpenseItemType, ...]
    receipt_required_over_cents: int
    late_after_days: int
    expense_auditor: str  # worker key of finance's expense partner
    expense_reports: tuple[ExpenseReportFact, ...]
    pto_carryover_x100: dict  # worker key -> hours carried into the year (hundredths)
    pto_accrual_x100: int  # hours accrued per pay period
    sick_grant_x100: int
    time_off: tuple[TimeOffFact, ...]
    timesheets: tuple[TimesheetFact, ...]
    pay_runs: tuple[PayRunFact, ...]
    onboardings: tuple[OnboardingFact, ...]
    leaver: str  # worker key of the worker leaving
    locations: tuple[str, ...] = ()
    leaver_reason: str = ""  # the termination's reason, as the manager entered it
    leaver_initiated: datetime | None = None  # when the manager started the termination

    def worker(self, key: str) -> WorkerRecord:
        """The worker with this key."""
        return _index(self.workers, key, "worker")
