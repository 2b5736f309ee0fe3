"""What makes an industry's company different in kind: its roles' titles, chart of accounts, what it sells,
whom it buys from and sells to, and the words of its chat and mail."""

from __future__ import annotations

from dataclasses import dataclass

from mock_apps.scenarios.facts import Account


@dataclass(frozen=True)
class VendorKind:
    """A kind of supplier: how it is named, where its bills post and how it bills."""

    category: str  # "Facilities", "Software", ...
    suffixes: tuple[str, ...]  # name endings after a surname ("Properties LLC")
    account: str  # the account its bills post to
    terms_days: int
    billing: str  # "monthly" (a fixed amount each month), "usage" (varies monthly), "goods" (sells us products)
    amount_cents: tuple[int, int]  # a bill's range (monthly and usage billing)
    description: str  # a bill line's text ("Office rent")
    count: int = 1


@dataclass(frozen=True)
class Offering:
    """A product or service the company sells: a line of its invoices."""

    sku: str
    name: str
    description: str
    price_cents: int
    cost_cents: int  # 0: a service (nothing bought)
    income_account: str
    quantity: tuple[int, int]  # a line's quantity range (hours, units, claims)
    supplier: str = ""  # the vendor category that sells it to us (goods only)


@dataclass(frozen=True)
class CustomerKind:
    """A kind of customer (client, payer, patient): how many, how named, on what terms."""

    pattern: str  # "company", "person", "payer", or a format with {last} / {city}
    count: int
    terms_days: tuple[int, ...]
    noun: str = "customer"  # what the company calls one ("client", "payer", "patient")


@dataclass(frozen=True)
class Industry:
    """An industry's profile, from which the generator builds any number of companies."""

    name: str  # "law"
    description: str  # "a small law firm"
    company_patterns: tuple[str, ...]  # formats with {last}, {last2}, {city}
    legal_suffix: str  # appended to the name for the legal name ("LLC", "LLP", "PC")
    titles: dict  # role -> (title, department)
    accounts: tuple[Account, ...]  # the industry's own accounts (besides every company's common ones)
    offerings: tuple[Offering, ...]
    vendors: tuple[VendorKind, ...]
    customers: tuple[CustomerKind, ...]
    invoice_lines: tuple[int, int]  # lines per invoice
    invoice_memo: str  # "PO {n}", "Matter {n}"
    # the loose ends: which vendor categories play them, and their lines
    plain_vendor: str  # the approved bill only in mail (and the bank-change phish's target)
    plain_line: tuple[str, int, int]  # (description, quantity, unit cents)
    duplicate_vendor: str
    corrected_vendor: str
    corrected_line: tuple[str, int, int]
    repair_vendor: str
    repair_line: tuple[str, int]  # (description, cents)
    card_merchants: tuple[tuple[str, str, tuple[int, int]], ...]  # (merchant, account, cents range)
    field_title: str  # the hourly workers' title
    sites: tuple[str, str]  # (main office, second site) location suffixes
    # the backdrop
    ops_topic: str  # #operations' topic
    sales_topic: str
    receiving_place: str
    incident: tuple[str, str, str, str]  # (text, file name, file title, resolution)
    announcements: tuple[tuple[str, str], ...]  # (role, text) with {names} of roles' first names
    chatter: tuple[str, ...]
    newsletters: tuple[tuple[str, str, str, tuple[str, ...]], ...]


def common_accounts(income: str, income_detail: str = "ServiceFeeIncome") -> tuple[Account, ...]:
    """The accounts every company keeps (the apps post payroll, card charges, bank fees and interest to them)."""
    return (
        Account("1000", "Operating Checking", "Bank", "Checking"),
        Account("1010", "Savings", "Bank", "Savings"),
        Account("1200", "Accounts Receivable", "Accounts receivable", "AccountsReceivable"),
        Account("1400", "Prepaid Expenses", "Other current asset", "PrepaidExpenses"),
        Account("2000", "Accounts Payable", "Accounts payable", "AccountsPayable"),
        Account("2100", "Company Visa", "Credit card", "CreditCard"),
        Account("2200", "Accrued Liabilities", "Other current liability", "AccruedLiabilities"),
        Account("2300", "Payroll Liabilities", "Other current liability", "PayrollTaxPayable"),
        Account("3000", "Owner's Equity", "Equity", "OwnersEquity"),
        Account("3100", "Retained Earnings", "Equity", "RetainedEarnings"),
        Account("4000", income, "Income", income_detail),
        Account("6000", "Rent", "Expense", "RentOrLeaseOfBuildings"),
        Account("6100", "Utilities", "Expense", "Utilities"),
        Account("6200", "Payroll Expenses", "Expense", "PayrollExpenses"),
        Account("6210", "Payroll Taxes", "Expense", "PayrollExpenses"),
        Account("6300", "Office Supplies", "Expense", "OfficeGeneralAdministrativeExpenses"),
        Account("6400", "Software Subscriptions", "Expense", "OtherMiscellaneousServiceCost"),
        Account("6500", "Insurance", "Expense", "Insurance"),
        Account("6600", "Professional Fees", "Expense", "LegalProfessionalFees"),
        Account("6700", "Travel", "Expense", "Travel"),
        Account("6710", "Meals", "Expense", "EntertainmentMeals"),
        Account("6800", "Advertising", "Expense", "AdvertisingPromotional"),
        Account("6900", "Repairs & Maintenance", "Expense", "RepairMaintenance"),
        Account("6950", "Bank Fees", "Expense", "BankCharges"),
        Account("7000", "Interest Income", "Other income", "InterestEarned"),
        Account("8000", "Interest Expense", "Other expense", "InterestPaid"),
    )
