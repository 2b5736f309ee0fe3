"""The bookkeeping rules as pure functions over plain data: account classes, posting, balancing,
document status and aging.

Amounts are integer cents. A split's amount is debit-positive: +100 debits an account by $1.00,
-100 credits it. A transaction balances when its splits sum to zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mock_apps.core.errors import BadRequest


class LedgerError(BadRequest):
    """A bookkeeping rule was broken (unbalanced entry, overpayment, closed period ...)."""

    code = "ledger_rule"


# QuickBooks account types, with the class each belongs to and QBO's API names.
ACCOUNT_TYPES: dict[str, tuple[str, str]] = {
    # UI name: (class, API AccountType)
    "Bank": ("Asset", "Bank"),
    "Accounts receivable": ("Asset", "Accounts Receivable"),
    "Other current asset": ("Asset", "Other Current Asset"),
    "Fixed asset": ("Asset", "Fixed Asset"),
    "Other asset": ("Asset", "Other Asset"),
    "Credit card": ("Liability", "Credit Card"),
    "Accounts payable": ("Liability", "Accounts Payable"),
    "Other current liability": ("Liability", "Other Current Liability"),
    "Long-term liability": ("Liability", "Long Term Liability"),
    "Equity": ("Equity", "Equity"),
    "Income": ("Revenue", "Income"),
    "Cost of goods sold": ("Expense", "Cost of Goods Sold"),
    "Expense": ("Expense", "Expense"),
    "Other income": ("Revenue", "Other Income"),
    "Other expense": ("Expense", "Other Expense"),
}
API_TO_TYPE = {api: ui for ui, (_cls, api) in ACCOUNT_TYPES.items()}
# Also accept the API's no-space spellings ("AccountsReceivable").
API_TO_TYPE.update({api.replace(" ", ""): ui for ui, (_cls, api) in ACCOUNT_TYPES.items()})

# Order of sections in the balance sheet and the profit and loss.
BALANCE_SHEET_TYPES = ("Bank", "Accounts receivable", "Other current asset", "Fixed asset", "Other asset",
                       "Accounts payable", "Credit card", "Other current liability", "Long-term liability",
                       "Equity")
PROFIT_AND_LOSS_TYPES = ("Income", "Cost of goods sold", "Expense", "Other income", "Other expense")
# Accounts whose register a bank feed and a reconciliation apply to.
FEED_TYPES = ("Bank", "Credit card")


def account_class(account_type: str) -> str:
    """Asset, Liability, Equity, Revenue or Expense for a QuickBooks account type."""
    try:
        return ACCOUNT_TYPES[account_type][0]
    except KeyError:
        raise LedgerError(f"unknown account type {account_type!r}; use one of: {', '.join(ACCOUNT_TYPES)}") from None


def is_debit_normal(account_type: str) -> bool:
    """Whether the account's balance grows with debits (assets and expenses)."""
    return account_class(account_type) in ("Asset", "Expense")


def natural_balance(account_type: str, debit_balance_cents: int) -> int:
    """The balance as users read it: debit-positive for assets/expenses, credit-positive otherwise."""
    return debit_balance_cents if is_debit_normal(account_type) else -debit_balance_cents


def is_profit_and_loss(account_type: str) -> bool:
    """Whether the account closes into retained earnings at year end."""
    return account_class(account_type) in ("Revenue", "Expense")


@dataclass(frozen=True)
class Posting:
    """One split to be written: account id, debit-positive amount, optional contact and memo."""

    account_id: int
    amount_cents: int
    contact_id: int | None = None
    memo: str = ""


def check_balanced(postings: list[Posting]) -> None:
    """Raise a LedgerError unless the postings are a non-empty set that sums to zero."""
    if not postings:
        raise LedgerError("a transaction needs at least one line")
    total = sum(p.amount_cents for p in postings)
    if total != 0:
        debits = sum(p.amount_cents for p in postings if p.amount_cents > 0)
        credits = -sum(p.amount_cents for p in postings if p.amount_cents < 0)
        raise LedgerError(
            f"the transaction does not balance: debits {fmt(debits)} and credits {fmt(credits)} "
            f"differ by {fmt(abs(total))}")


def fmt(cents: int) -> str:
    """Cents as a plain dollar string for messages ("$1,234.56", "-$5.00")."""
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


MAX_CENTS = 10**13  # $100 billion: far beyond any real document, far below SQLite's integer limit
MAX_QUANTITY_MILLI = 10**12


def check_magnitude(cents: int, what: str = "amount") -> int:
    """Refuse amounts no business document has (and that would overflow storage)."""
    if abs(cents) > MAX_CENTS:
        raise LedgerError(f"{what} {fmt(cents)} is too large (at most {fmt(MAX_CENTS)})")
    return cents


def line_amount(quantity_milli: int, unit_cents: int) -> int:
    """Quantity (in thousandths) times unit price, rounded half away from zero to a cent."""
    product = quantity_milli * unit_cents
    sign = -1 if product < 0 else 1
    return check_magnitude(sign * ((abs(product) + 500) // 1000), "a line amount")


def check_quantity(quantity_milli: int) -> None:
    """Document lines take a positive quantity (credits go on their own line with a negative rate)."""
    if quantity_milli <= 0:
        raise LedgerError(f"quantity must be positive (got {quantity_milli / 1000:g}); "
                          "enter a credit as its own line with a negative rate")


# --- posting rules: (lines as (account id, amount)) -> balanced postings -----------------------------

def _lines(lines: list[tuple[int, int]], sign: int, contact_id: int | None = None,
           memos: list[str] | None = None) -> list[Posting]:
    memos = memos or [""] * len(lines)
    return [Posting(acc, sign * amt, contact_id, memo) for (acc, amt), memo in zip(lines, memos) if amt]


def _need_total(lines: list[tuple[int, int]], what: str) -> int:
    if not lines:
        raise LedgerError(f"{what} needs at least one line")
    total = sum(amount for _acc, amount in lines)
    if total <= 0:
        raise LedgerError(f"{what} total must be more than zero (got {fmt(total)})")
    return total


def post_invoice(ar_account: int, customer_id: int, lines: list[tuple[int, int]]) -> list[Posting]:
    """Invoice: debit A/R for the total, credit each line's income account."""
    total = _need_total(lines, "an invoice")
    return [Posting(ar_account, total, customer_id), *_lines(lines, -1, customer_id)]


def post_credit_memo(ar_account: int, customer_id: int, lines: list[tuple[int, int]]) -> list[Posting]:
    """Credit memo: debit the income lines back, credit A/R."""
    total = _need_total(lines, "a credit memo")
    return [Posting(ar_account, -total, customer_id), *_lines(lines, 1, customer_id)]


def post_bill(ap_account: int, vendor_id: int, lines: list[tuple[int, int]]) -> list[Posting]:
    """Bill: debit each expense (or asset) line, credit A/P for the total."""
    total = _need_total(lines, "a bill")
    return [Posting(ap_account, -total, vendor_id), *_lines(lines, 1, vendor_id)]


def post_vendor_credit(ap_account: int, vendor_id: int, lines: list[tuple[int, int]]) -> list[Posting]:
    """Vendor credit: debit A/P, credit the expense lines."""
    total = _need_total(lines, "a vendor credit")
    return [Posting(ap_account, total, vendor_id), *_lines(lines, -1, vendor_id)]


def post_payment(deposit_account: int, ar_account: int, customer_id: int, amount: int) -> list[Posting]:
    """Customer payment: debit the deposit account, credit A/R."""
    if amount < 0:
        raise LedgerError(f"a payment amount cannot be negative (got {fmt(amount)})")
    if amount == 0:
        return []  # a credit applied to an invoice moves no money
    return [Posting(deposit_account, amount, customer_id), Posting(ar_account, -amount, customer_id)]


def post_bill_payment(pay_account: int, ap_account: int, vendor_id: int, amount: int) -> list[Posting]:
    """Bill payment: debit A/P, credit the bank or credit-card account."""
    if amount < 0:
        raise LedgerError(f"a bill payment amount cannot be negative (got {fmt(amount)})")
    if amount == 0:
        return []
    return [Posting(ap_account, amount, vendor_id), Posting(pay_account, -amount, vendor_id)]


def post_purchase(pay_account: int, payee_id: int | None, lines: list[tuple[int, int]],
                  credit: bool = False) -> list[Posting]:
    """Expense or check: debit the lines, credit the bank/card (a card refund, `credit`, reverses it)."""
    total = _need_total(lines, "an expense")
    sign = -1 if credit else 1
    return [Posting(pay_account, -sign * total, payee_id), *_lines(lines, sign, payee_id)]


def post_deposit(bank_account: int, lines: list[tuple[int, int]]) -> list[Posting]:
    """Deposit: debit the bank for the total, credit each source line."""
    total = _need_total(lines, "a deposit")
    return [Posting(bank_account, total), *_lines(lines, -1)]


def post_transfer(from_account: int, to_account: int, amount: int) -> list[Posting]:
    """Transfer: credit the source account, debit the destination."""
    if from_account == to_account:
        raise LedgerError("a transfer needs two different accounts")
    if amount <= 0:
        raise LedgerError(f"a transfer amount must be more than zero (got {fmt(amount)})")
    return [Posting(from_account, -amount), Posting(to_account, amount)]


def post_journal(lines: list[tuple[int, int, int, int | None, str]]) -> list[Posting]:
    """Journal entry lines (account, debit, credit, contact, memo): each line one side; must balance."""
    postings = []
    for account_id, debit, credit, contact_id, memo in lines:
        if debit < 0 or credit < 0:
            raise LedgerError("journal entry debits and credits must not be negative")
        if debit and credit:
            raise LedgerError("a journal entry line takes a debit or a credit, not both")
        if debit or credit:
            postings.append(Posting(account_id, debit - credit, contact_id, memo))
    if len(postings) < 2:
        raise LedgerError("a journal entry needs at least one debit line and one credit line")
    check_balanced(postings)
    return postings


# --- documents: status, due dates, applications ------------------------------------------------------

def due_date(txn_date: date, terms_days: int) -> date:
    """Net-N terms: the due date is N days after the document date."""
    from datetime import timedelta

    if not 0 <= terms_days <= 3650:
        raise LedgerError(f"payment terms run from 0 to 3650 days (got {terms_days})")
    return txn_date + timedelta(days=terms_days)


def document_status(total_cents: int, balance_cents: int, due: date | None, today: date,
                    voided: bool = False) -> str:
    """Open, Partial, Paid, Overdue or Voided, as QuickBooks shows invoices and bills."""
    if voided:
        return "Voided"
    if balance_cents <= 0:
        return "Paid"
    if due is not None and due < today:
        return "Overdue"
    if balance_cents < total_cents:
        return "Partial"
    return "Open"


def check_application(doc_label: str, open_balance_cents: int, amount_cents: int) -> None:
    """A payment applied to a document must be positive and at most its open balance."""
    if amount_cents <= 0:
        raise LedgerError(f"the amount applied to {doc_label} must be more than zero (got {fmt(amount_cents)})")
    if amount_cents > open_balance_cents:
        raise LedgerError(
            f"{fmt(amount_cents)} is more than the open balance of {doc_label} ({fmt(open_balance_cents)})")


AGING_BUCKETS = ("Current", "1 - 30", "31 - 60", "61 - 90", "91 and over")


def aging_bucket(due: date, as_of: date) -> str:
    """The aging column a document due on `due` falls in as of `as_of`."""
    days = (as_of - due).days
    if days <= 0:
        return "Current"
    if days <= 30:
        return "1 - 30"
    if days <= 60:
        return "31 - 60"
    if days <= 90:
        return "61 - 90"
    return "91 and over"


def fiscal_year_start(day: date, first_month: int = 1) -> date:
    """The first day of the fiscal year that contains `day`."""
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


# --- reports over plain data ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AccountInfo:
    """What a report needs of an account."""

    id: int
    number: str
    name: str
    type: str

    @property
    def label(self) -> str:
        """Number and name, as the chart of accounts shows it."""
        return f"{self.number} {self.name}".strip()


def trial_balance(accounts: list[AccountInfo], balances: dict[int, int]) -> tuple[list[tuple[AccountInfo, int, int]], int, int]:
    """Rows (account, debit, credit) for non-zero debit-positive balances, with the two column totals."""
    rows = []
    for acc in accounts:
        bal = balances.get(acc.id, 0)
        if bal:
            rows.append((acc, max(bal, 0), max(-bal, 0)))
    return rows, sum(r[1] for r in rows), sum(r[2] for r in rows)


def profit_and_loss(accounts: list[AccountInfo], activity: dict[int, int]) -> dict:
    """Sections of the P&L from each account's debit-positive activity over the period.

    Returns {"sections": [(type, [(account, amount)], total)], "gross_profit", "net_operating_income",
    "net_other_income", "net_income"}, amounts credit-positive for income and debit-positive for costs.
    """
    sections = []
    totals: dict[str, int] = {}
    for acc_type in PROFIT_AND_LOSS_TYPES:
        rows = [(a, natural_balance(a.type, activity.get(a.id, 0))) for a in accounts
                if a.type == acc_type and activity.get(a.id, 0)]
        totals[acc_type] = sum(amount for _a, amount in rows)
        sections.append((acc_type, rows, totals[acc_type]))
    gross = totals["Income"] - totals["Cost of goods sold"]
    operating = gross - totals["Expense"]
    other = totals["Other income"] - totals["Other expense"]
    return {"sections": sections, "gross_profit": gross, "net_operating_income": operating,
            "net_other_income": other, "net_income": operating + other}


def net_income(accounts: list[AccountInfo], activity: dict[int, int]) -> int:
    """Income minus expenses over the activity (credit-positive)."""
    return -sum(activity.get(a.id, 0) for a in accounts if is_profit_and_loss(a.type))


def balance_sheet(accounts: list[AccountInfo], balances: dict[int, int], prior_years_income: int,
                  current_year_income: int) -> dict:
    """Assets, liabilities and equity as of a date, with retained earnings and net income computed.

    `balances` are debit-positive balances to the date; the P&L accounts' balances are not shown:
    what they earned before this fiscal year goes to Retained Earnings, this year's to Net Income.
    """
    def rows_of(types):
        return [(a, natural_balance(a.type, balances.get(a.id, 0))) for a in accounts
                if a.type in types and balances.get(a.id, 0)]

    assets = rows_of(("Bank", "Accounts receivable", "Other current asset", "Fixed asset", "Other asset"))
    liabilities = rows_of(("Accounts payable", "Credit card", "Other current liability", "Long-term liability"))
    equity = rows_of(("Equity",))
    retained = next((a for a in accounts if a.type == "Equity" and a.name == "Retained Earnings"), None)
    if retained is not None:
        equity = [(a, amt + prior_years_income if a.id == retained.id else amt) for a, amt in equity]
        if not any(a.id == retained.id for a, _ in equity) and prior_years_income:
            equity.append((retained, prior_years_income))
    else:
        equity.append((AccountInfo(0, "", "Retained Earnings", "Equity"), prior_years_income))
    equity.append((AccountInfo(0, "", "Net Income", "Equity"), current_year_income))
    total_assets = sum(v for _a, v in assets)
    total_liabilities = sum(v for _a, v in liabilities)
    total_equity = sum(v for _a, v in equity)
    return {"assets": assets, "liabilities": liabilities, "equity": equity, "total_assets": total_assets,
            "total_liabilities": total_liabilities, "total_equity": total_equity,
            "total_liabilities_and_equity": total_liabilities + total_equity}


def parse_money(text: str, what: str = "amount") -> int:
    """A typed amount ("1,234.56", "$12", "(5.00)", "-5") in cents, or a LedgerError naming the field."""
    raw = str(text or "").strip().replace("$", "").replace(",", "").replace(" ", "")
    negative = raw.startswith("(") and raw.endswith(")") or raw.startswith("-")
    raw = raw[1:-1] if raw.startswith("(") and raw.endswith(")") else raw
    raw = raw[1:] if raw.startswith("-") else raw
    whole, dot, frac = raw.partition(".")
    if not raw or not (whole.isdecimal() or (whole == "" and frac)) or (dot and not frac.isdecimal()) or len(frac) > 2:
        raise LedgerError(f"{what}: {str(text).strip()!r} is not an amount (use a number like 1234.56)")
    cents = int(whole or 0) * 100 + int((frac + "00")[:2])
    return check_magnitude(-cents if negative else cents, what)


def parse_quantity(text: str, what: str = "quantity") -> int:
    """A typed quantity ("3", "2.5") in thousandths."""
    raw = str(text or "").strip().replace(",", "")
    whole, dot, frac = raw.lstrip("-").partition(".")
    if not raw or not whole.isdecimal() and whole != "" or (dot and not frac.isdecimal()) or len(frac) > 3:
        raise LedgerError(f"{what}: {str(text).strip()!r} is not a number")
    milli = int(whole or 0) * 1000 + int((frac + "000")[:3])
    if milli > MAX_QUANTITY_MILLI:
        raise LedgerError(f"{what}: {str(text).strip()!r} is too large")
    return -milli if raw.startswith("-") else milli
