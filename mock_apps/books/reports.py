"""Reports computed from the ledger with a few grouped queries: profit and loss, balance sheet, trial
balance, A/R and A/P aging (summary and detail), general ledger, account register, contact balances.

Every report is a `Report` (title, columns, rows) that the UI renders, the exporter writes to CSV/XLSX
and the API turns into QuickBooks' report JSON.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import func, select

from mock_apps.books import ledger, service
from mock_apps.books.ledger import AccountInfo
from mock_apps.books.models import Account, Application, Contact, Split, Txn
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest


@dataclass
class Row:
    """One report row: a label and its cells (cents as int, text as str); kind drives the styling."""

    label: str
    cells: list = field(default_factory=list)
    depth: int = 0
    kind: str = "data"  # "section", "data", "total", "grand"
    account_id: int | None = None
    txn_id: int | None = None
    # QuickBooks' name for the row's group in its report JSON (`TotalAssets`, `COGS`, `GrandTotal`); None: the
    # label without spaces, which is QuickBooks' own name for most groups
    group: str | None = None


@dataclass
class Report:
    """A computed report."""

    key: str
    title: str
    period: str
    columns: list[str]
    rows: list[Row]
    start: date | None = None
    end: date | None = None
    money_columns: tuple[int, ...] = ()  # indexes of cells holding cents
    totals: dict = field(default_factory=dict)


REPORTS = {
    "profit-and-loss": "Profit and Loss",
    "balance-sheet": "Balance Sheet",
    "trial-balance": "Trial Balance",
    "ar-aging-summary": "A/R Aging Summary",
    "ar-aging-detail": "A/R Aging Detail",
    "ap-aging-summary": "A/P Aging Summary",
    "ap-aging-detail": "A/P Aging Detail",
    "general-ledger": "General Ledger",
    "customer-balances": "Customer Balance Summary",
    "vendor-balances": "Vendor Balance Summary",
}


def accounts_info(db: WorldSession) -> list[AccountInfo]:
    """All accounts in chart order (by number, then name)."""
    rows = db.exec(select(Account.id, Account.number, Account.name, Account.type)
                   .order_by(Account.number, Account.name)).all()
    return [AccountInfo(*row) for row in rows]


def balances(db: WorldSession, *, start: date | None = None, end: date | None = None) -> dict[int, int]:
    """Debit-positive sum of splits per account over dates [start, end] (either side open)."""
    stmt = select(Split.account_id, func.sum(Split.amount_cents))
    if start is not None:
        stmt = stmt.where(Split.txn_date >= start)
    if end is not None:
        stmt = stmt.where(Split.txn_date <= end)
    return {acc: total for acc, total in db.exec(stmt.group_by(Split.account_id)).all()}


def _fy_start(db: WorldSession, day: date) -> date:
    return ledger.fiscal_year_start(day, service.company(db).fiscal_year_start_month)


def _range_label(start: date, end: date) -> str:
    return f"{start:%B %-d, %Y} - {end:%B %-d, %Y}"


def month_periods(start: date, end: date) -> list[tuple[date, date, str]]:
    """The calendar months (clipped to the range) from start to end, labelled "Jan 2026"."""
    periods = []
    first = start
    while first <= end:
        next_month = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        last = min(end, next_month - timedelta(days=1))
        periods.append((first, last, f"{first:%b %Y}"))
        first = next_month
    return periods


def profit_and_loss(db: WorldSession, start: date, end: date, by_month: bool = False) -> Report:
    """Income and expenses over a date range, accrual basis; optionally a column per month plus the total."""
    if start > end:
        raise BadRequest("the start date is after the end date")
    accounts = accounts_info(db)
    periods = month_periods(start, end) if by_month else []
    if len(periods) > 36:
        raise BadRequest("show at most 36 months in columns; narrow the date range")
    activities = [balances(db, start=s, end=e) for s, e, _label in periods] + [balances(db, start=start, end=end)]
    pls = [ledger.profit_and_loss(accounts, act) for act in activities]
    rows: list[Row] = []
    titles = {"Income": "Income", "Cost of goods sold": "Cost of Goods Sold", "Expense": "Expenses",
              "Other income": "Other Income", "Other expense": "Other Expenses"}
    groups = {"Cost of goods sold": "COGS"}  # QuickBooks' group names where they are not the title
    for n, acc_type in enumerate(ledger.PROFIT_AND_LOSS_TYPES):
        rows.append(Row(titles[acc_type], [], 0, "section", group=groups.get(acc_type)))
        for a in accounts:
            if a.type == acc_type and any(act.get(a.id) for act in activities):
                rows.append(Row(a.label, [ledger.natural_balance(a.type, act.get(a.id, 0)) for act in activities],
                                1, "data", account_id=a.id))
        rows.append(Row(f"Total {titles[acc_type]}", [pl["sections"][n][2] for pl in pls], 0, "total"))
        if acc_type == "Cost of goods sold":
            rows.append(Row("Gross Profit", [pl["gross_profit"] for pl in pls], 0, "total"))
        if acc_type == "Expense":
            rows.append(Row("Net Operating Income", [pl["net_operating_income"] for pl in pls], 0, "total"))
    rows.append(Row("Net Other Income", [pl["net_other_income"] for pl in pls], 0, "total"))
    rows.append(Row("Net Income", [pl["net_income"] for pl in pls], 0, "grand"))
    columns = ["", *(label for _s, _e, label in periods), "Total"]
    return Report("profit-and-loss", "Profit and Loss", _range_label(start, end), columns, rows, start, end,
                  tuple(range(len(columns) - 1)),
                  {"net_income": pls[-1]["net_income"], "gross_profit": pls[-1]["gross_profit"]})


def balance_sheet(db: WorldSession, as_of: date) -> Report:
    """Assets, liabilities and equity as of a date; retained earnings and net income computed."""
    accounts = accounts_info(db)
    fy = _fy_start(db, as_of)
    to_date = balances(db, end=as_of)
    prior = balances(db, end=fy - timedelta(days=1))
    current = balances(db, start=fy, end=as_of)
    sheet = ledger.balance_sheet(accounts, to_date, ledger.net_income(accounts, prior),
                                 ledger.net_income(accounts, current))
    # the group names are QuickBooks': code reading totals by group looks for these
    rows = [Row("Assets", [], 0, "section", group="TotalAssets")]
    rows += [Row(a.label or a.name, [v], 1, account_id=a.id or None) for a, v in sheet["assets"]]
    rows.append(Row("Total Assets", [sheet["total_assets"]], 0, "grand"))
    rows.append(Row("Liabilities and Equity", [], 0, "section", group="TotalLiabilitiesAndEquity"))
    rows.append(Row("Liabilities", [], 1, "section"))
    rows += [Row(a.label or a.name, [v], 2, account_id=a.id or None) for a, v in sheet["liabilities"]]
    rows.append(Row("Total Liabilities", [sheet["total_liabilities"]], 1, "total"))
    rows.append(Row("Equity", [], 1, "section"))
    rows += [Row(a.label or a.name, [v], 2, account_id=a.id or None,
                 group="NetIncome" if a.id == 0 and a.name == "Net Income" else None) for a, v in sheet["equity"]]
    rows.append(Row("Total Equity", [sheet["total_equity"]], 1, "total"))
    rows.append(Row("Total Liabilities and Equity", [sheet["total_liabilities_and_equity"]], 0, "grand"))
    net_income = next(v for a, v in sheet["equity"] if a.name == "Net Income" and a.id == 0)
    return Report("balance-sheet", "Balance Sheet", f"As of {as_of:%B %-d, %Y}", ["", "Total"], rows, None, as_of,
                  (0,), {"total_assets": sheet["total_assets"], "total_liabilities": sheet["total_liabilities"],
                         "total_equity": sheet["total_equity"], "net_income": net_income,
                         "total_liabilities_and_equity": sheet["total_liabilities_and_equity"]})


def trial_balance(db: WorldSession, as_of: date) -> Report:
    """Debit and credit balances as of a date; P&L accounts show this fiscal year, earlier years sit in
    retained earnings, so the columns agree."""
    accounts = accounts_info(db)
    fy = _fy_start(db, as_of)
    to_date = balances(db, end=as_of)
    prior = balances(db, end=fy - timedelta(days=1))
    shown = {}
    for a in accounts:
        this_year = to_date.get(a.id, 0) - prior.get(a.id, 0)
        shown[a.id] = this_year if ledger.is_profit_and_loss(a.type) else to_date.get(a.id, 0)
    retained = next((a for a in accounts if a.type == "Equity" and a.name == "Retained Earnings"), None)
    prior_income = ledger.net_income(accounts, prior)
    if retained is not None:
        shown[retained.id] = shown.get(retained.id, 0) - prior_income
    rows_, debits, credits = ledger.trial_balance(accounts, shown)
    rows = [Row(a.label, [d or None, c or None], 0, account_id=a.id) for a, d, c in rows_]
    rows.append(Row("TOTAL", [debits, credits], 0, "grand", group="GrandTotal"))
    return Report("trial-balance", "Trial Balance", f"As of {as_of:%B %-d, %Y}", ["", "Debit", "Credit"], rows,
                  None, as_of, (0, 1), {"debits": debits, "credits": credits})


@dataclass(frozen=True)
class OpenDoc:
    """An open document as the aging reports need it."""

    id: int
    type: str
    doc_number: str
    txn_date: date
    due_date: date | None


def open_documents_as_of(db: WorldSession, side: str, as_of: date) -> list[tuple[OpenDoc, str, int]]:
    """(document, contact name, open balance) as of a date; credits are negative.

    Only documents still open on that date are read. When no payment is dated after `as_of` (the usual
    "as of today"), the stored open balances are exact; otherwise applied amounts are summed to the date.
    """
    types = ("Invoice", "CreditMemo") if side == "ar" else ("Bill", "VendorCredit")
    payer = aliased(Txn)
    later = db.exec(select(Application.id).join(payer, payer.id == Application.txn_id)
                    .where(payer.txn_date > as_of).limit(1)).first()
    columns = (Txn.id, Txn.type, Txn.doc_number, Txn.txn_date, Txn.due_date, Contact.display_name)
    if later is None:
        open_cents = Txn.balance_cents
        stmt = select(*columns, open_cents).join(Contact, Contact.id == Txn.contact_id)
    else:
        applied = (select(Application.target_id.label("target_id"),
                          func.sum(Application.amount_cents).label("cents"))
                   .join(payer, payer.id == Application.txn_id).where(payer.txn_date <= as_of)
                   .group_by(Application.target_id).subquery())
        open_cents = Txn.total_cents - func.coalesce(applied.c.cents, 0)
        stmt = (select(*columns, open_cents).join(Contact, Contact.id == Txn.contact_id)
                .outerjoin(applied, applied.c.target_id == Txn.id))
    rows = db.exec(stmt.where(Txn.type.in_(types), Txn.txn_date <= as_of, Txn.voided == False,  # noqa: E712
                              open_cents != 0).order_by(Contact.display_name, Txn.txn_date, Txn.id)).all()
    return [(OpenDoc(i, t, n, d, due), name, cents if t in ("Invoice", "Bill") else -cents)
            for i, t, n, d, due, name, cents in rows]


def aging_summary(db: WorldSession, side: str, as_of: date) -> Report:
    """Open balances per customer (ar) or vendor (ap) in the aging columns."""
    per: dict[str, list[int]] = defaultdict(lambda: [0] * (len(ledger.AGING_BUCKETS) + 1))
    for txn, name, amount in open_documents_as_of(db, side, as_of):
        bucket = ledger.aging_bucket(txn.due_date or txn.txn_date, as_of)
        cells = per[name]
        cells[ledger.AGING_BUCKETS.index(bucket)] += amount
        cells[-1] += amount
    rows = [Row(name, cells) for name, cells in sorted(per.items())]
    totals = [sum(r.cells[i] for r in rows) for i in range(len(ledger.AGING_BUCKETS) + 1)]
    rows.append(Row("TOTAL", totals, 0, "grand", group="GrandTotal"))
    key, title = ("ar-aging-summary", "A/R Aging Summary") if side == "ar" else ("ap-aging-summary", "A/P Aging Summary")
    return Report(key, title, f"As of {as_of:%B %-d, %Y}", ["", *ledger.AGING_BUCKETS, "Total"], rows, None, as_of,
                  tuple(range(len(ledger.AGING_BUCKETS) + 1)), {"total": totals[-1]})


def aging_detail(db: WorldSession, side: str, as_of: date) -> Report:
    """Open documents grouped by aging column, with dates, numbers, days past due and open balances."""
    groups: dict[str, list[Row]] = {b: [] for b in ledger.AGING_BUCKETS}
    for txn, name, amount in open_documents_as_of(db, side, as_of):
        due = txn.due_date or txn.txn_date
        bucket = ledger.aging_bucket(due, as_of)
        groups[bucket].append(Row(txn.txn_date.isoformat(), [
            service.UI_LABEL[txn.type], txn.doc_number, name, due.isoformat(), max(0, (as_of - due).days), amount],
            1, txn_id=txn.id))
    rows, grand = [], 0
    for bucket in reversed(ledger.AGING_BUCKETS):
        items = groups[bucket]
        if not items:
            continue
        rows.append(Row(bucket, [], 0, "section"))
        rows += items
        subtotal = sum(r.cells[-1] for r in items)
        grand += subtotal
        rows.append(Row(f"Total for {bucket}", ["", "", "", "", "", subtotal], 0, "total"))
    rows.append(Row("TOTAL", ["", "", "", "", "", grand], 0, "grand", group="GrandTotal"))
    key, title = ("ar-aging-detail", "A/R Aging Detail") if side == "ar" else ("ap-aging-detail", "A/P Aging Detail")
    who = "Customer" if side == "ar" else "Vendor"
    return Report(key, title, f"As of {as_of:%B %-d, %Y}",
                  ["Date", "Transaction Type", "Num", who, "Due Date", "Past Due", "Open Balance"], rows, None, as_of,
                  (5,), {"total": grand})


@dataclass
class Entry:
    """One line of an account register: a split with its transaction's facts and the running balance."""

    txn_id: int
    txn_type: str
    txn_date: date
    doc_number: str
    memo: str
    contact: str
    amount: int  # natural sign: increases the account's balance when positive
    cleared: str
    balance: int = 0


def _entries(db: WorldSession, account_ids: list[int] | None, start: date | None, end: date | None,
             newest_first: bool = False, limit: int | None = None) -> list[tuple[int, Entry]]:
    """(account id, entry) for splits in the range, read as plain columns (no ORM objects)."""
    stmt = (select(Split.account_id, Txn.id, Txn.type, Txn.txn_date, Txn.doc_number, Split.memo, Txn.memo,
                   Contact.display_name, Split.amount_cents, Split.cleared)
            .join(Txn, Txn.id == Split.txn_id).outerjoin(Contact, Contact.id == Txn.contact_id))
    if account_ids is not None:
        stmt = stmt.where(Split.account_id.in_(account_ids))
    if start is not None:
        stmt = stmt.where(Split.txn_date >= start)
    if end is not None:
        stmt = stmt.where(Split.txn_date <= end)
    order = (Split.txn_date.desc(), Txn.id.desc(), Split.id.desc()) if newest_first else \
        (Split.txn_date, Txn.id, Split.id)
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(acc, Entry(tid, ttype, tdate, num or "", smemo or tmemo or "", name or "", amount, cleared or ""))
            for acc, tid, ttype, tdate, num, smemo, tmemo, name, amount, cleared in db.exec(stmt).all()]


def register(db: WorldSession, account_id: int, start: date | None = None,
             end: date | None = None) -> tuple[int, list[Entry]]:
    """An account's register, oldest first: (balance before start, entries with a running balance)."""
    acc = service.get_account(db, account_id)
    sign = 1 if ledger.is_debit_normal(acc.type) else -1
    opening = sign * service.account_balance(db, acc.id, start - timedelta(days=1)) if start else 0
    running = opening
    entries = []
    for _acc, entry in _entries(db, [acc.id], start, end):
        entry.amount *= sign
        running += entry.amount
        entry.balance = running
        entries.append(entry)
    return opening, entries


def recent_register(db: WorldSession, account_id: int, start: date | None, end: date | None,
                    limit: int) -> tuple[int, list[Entry], int]:
    """The newest `limit` register entries, newest first, with running balances computed back from the
    closing balance (so a long register costs only the page); also the balance before start and the count."""
    acc = service.get_account(db, account_id)
    sign = 1 if ledger.is_debit_normal(acc.type) else -1
    balance = sign * service.account_balance(db, acc.id, end)
    opening = sign * service.account_balance(db, acc.id, start - timedelta(days=1)) if start else 0
    entries = []
    for _acc, entry in _entries(db, [acc.id], start, end, newest_first=True, limit=limit):
        entry.amount *= sign
        entry.balance = balance
        balance -= entry.amount
        entries.append(entry)
    count_stmt = select(func.count()).select_from(Split).where(Split.account_id == acc.id)
    if start is not None:
        count_stmt = count_stmt.where(Split.txn_date >= start)
    if end is not None:
        count_stmt = count_stmt.where(Split.txn_date <= end)
    return opening, entries, db.exec(count_stmt).one()


def general_ledger(db: WorldSession, start: date, end: date, account_id: int | None = None,
                   limit: int | None = None) -> Report:
    """Every split per account over the range, with beginning balance, running balance and totals.

    With `limit`, detail rows stop after that many (a page); `totals["all_rows"]` then says how many there are.
    """
    accounts = [a for a in accounts_info(db) if account_id in (None, a.id)]
    openings = balances(db, end=start - timedelta(days=1))
    movements = balances(db, start=start, end=end)
    counts = dict(db.exec(select(Split.account_id, func.count()).where(Split.txn_date >= start, Split.txn_date <= end)
                          .group_by(Split.account_id)).all())
    rows: list[Row] = []
    details = 0
    everything: dict[int, list[Entry]] = defaultdict(list)
    if limit is None:  # an export: every split, read in one query (a query per account cost 0.8 ms each)
        for acc_id, entry in _entries(db, None if account_id is None else [account_id], start, end):
            everything[acc_id].append(entry)
    for acc in accounts:
        sign = 1 if ledger.is_debit_normal(acc.type) else -1
        opening = sign * openings.get(acc.id, 0)
        if not counts.get(acc.id) and not opening:
            continue
        if limit is not None and details >= limit:
            break
        rows.append(Row(acc.label, [], 0, "section", account_id=acc.id))
        rows.append(Row("Beginning Balance", ["", "", "", "", "", opening], 1))
        running = opening
        # a page reads one account at a time, only as many splits as it still shows: a page of a large ledger
        # costs the page, and the account's total comes from a sum rather than from every split
        if limit is None:
            entries = everything[acc.id]
        elif counts.get(acc.id):
            entries = [entry for _acc, entry in _entries(db, [acc.id], start, end, limit=limit - details)]
        else:
            entries = []
        for entry in entries:
            running += sign * entry.amount
            rows.append(Row(entry.txn_date.isoformat(), [service.UI_LABEL[entry.txn_type], entry.doc_number,
                                                         entry.contact, entry.memo, sign * entry.amount, running],
                            1, txn_id=entry.txn_id))
            details += 1
        closing = opening + sign * movements.get(acc.id, 0)
        rows.append(Row(f"Total for {acc.label}", ["", "", "", "", closing - opening, closing], 0, "total",
                        account_id=acc.id))
    all_details = sum(counts.get(a.id, 0) for a in accounts)
    totals = {"all_rows": all_details} if limit is not None and all_details > details else {}
    return Report("general-ledger", "General Ledger", _range_label(start, end),
                  ["Date", "Transaction Type", "Num", "Name", "Memo/Description", "Amount", "Balance"], rows,
                  start, end, (4, 5), totals)


def contact_balances(db: WorldSession, side: str, as_of: date) -> Report:
    """Open balance per customer (ar) or vendor (ap) as of a date."""
    per: dict[str, int] = defaultdict(int)
    for _txn, name, amount in open_documents_as_of(db, side, as_of):
        per[name] += amount
    rows = [Row(name, [amount]) for name, amount in sorted(per.items()) if amount]
    total = sum(per.values())
    rows.append(Row("TOTAL", [total], 0, "grand", group="GrandTotal"))
    key, title = ("customer-balances", "Customer Balance Summary") if side == "ar" else \
        ("vendor-balances", "Vendor Balance Summary")
    return Report(key, title, f"As of {as_of:%B %-d, %Y}", ["", "Total"], rows, None, as_of, (0,), {"total": total})


def build(db: WorldSession, key: str, start: date | None = None, end: date | None = None,
          account_id: int | None = None, by_month: bool = False, limit: int | None = None) -> Report:
    """Any report by its key, with the default period QuickBooks uses (this year to date / today)."""
    today = service.today(db)
    end = end or today
    start = start or _fy_start(db, end)
    if key == "profit-and-loss":
        return profit_and_loss(db, start, end, by_month)
    if key == "balance-sheet":
        return balance_sheet(db, end)
    if key == "trial-balance":
        return trial_balance(db, end)
    if key in ("ar-aging-summary", "ap-aging-summary"):
        return aging_summary(db, key[:2], end)
    if key in ("ar-aging-detail", "ap-aging-detail"):
        return aging_detail(db, key[:2], end)
    if key == "general-ledger":
        return general_ledger(db, start, end, account_id, limit)
    if key == "customer-balances":
        return contact_balances(db, "ar", end)
    if key == "vendor-balances":
        return contact_balances(db, "ap", end)
    raise BadRequest(f"unknown report {key!r}; reports: {', '.join(REPORTS)}", code="unknown_report")
