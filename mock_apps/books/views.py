"""Books' UI: QuickBooks-Online-like pages (Dashboard, Banking, Sales, Expenses, Reports, Accounting and a
"+ New" menu) over the same service layer the API uses."""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from sqlmodel import func, select

from mock_apps.books import banking, ledger, report_files, reports, service
from mock_apps.books.ledger import LedgerError
from mock_apps.books.models import (
    Account, Application, Attachment, BankLine, BankRule, Contact, DocLine, Item, Reconciliation, Split, Txn,
)
from mock_apps.books.service import UI_LABEL, LineInput
from mock_apps.core.errors import MockAppsError, NotFound
from mock_apps.core.request import db

bp = Blueprint("books", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/books")
TOAST_COOKIE = "books_toast"

# The transaction forms: kind -> (type, title, contact kind, line style)
FORMS = {
    "invoice": ("Invoice", "Invoice", "customer", "sales"),
    "creditmemo": ("CreditMemo", "Credit memo", "customer", "sales"),
    "bill": ("Bill", "Bill", "vendor", "expense"),
    "vendorcredit": ("VendorCredit", "Vendor credit", "vendor", "expense"),
    "expense": ("Purchase", "Expense", "vendor", "expense"),
    "check": ("Purchase", "Check", "vendor", "expense"),
    "deposit": ("Deposit", "Deposit", None, "deposit"),
    "journal": ("JournalEntry", "Journal entry", None, "journal"),
    "transfer": ("Transfer", "Transfer", None, None),
}
NEW_MENU = [("Customers", [("Invoice", "books.new_txn", {"kind": "invoice"}),
                           ("Receive payment", "books.receive_payment", {}),
                           ("Credit memo", "books.new_txn", {"kind": "creditmemo"}),
                           ("Customer", "books.new_contact", {"kind": "customer"})]),
            ("Vendors", [("Bill", "books.new_txn", {"kind": "bill"}), ("Pay bills", "books.pay_bills", {}),
                         ("Expense", "books.new_txn", {"kind": "expense"}), ("Check", "books.new_txn", {"kind": "check"}),
                         ("Vendor credit", "books.new_txn", {"kind": "vendorcredit"}),
                         ("Vendor", "books.new_contact", {"kind": "vendor"})]),
            ("Other", [("Bank deposit", "books.new_txn", {"kind": "deposit"}),
                       ("Transfer", "books.new_txn", {"kind": "transfer"}),
                       ("Journal entry", "books.new_txn", {"kind": "journal"}),
                       ("Account", "books.new_account", {}), ("Product or service", "books.new_item", {})])]


# --- page plumbing -------------------------------------------------------------------------------------

def _toast() -> dict | None:
    raw = request.cookies.get(TOAST_COOKIE)
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode())) if raw else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _page(template: str, section: str, http_status: int = 200, **context) -> Response:
    toast = _toast()
    html = render_template(template, section=section, toast=toast, new_menu=NEW_MENU, today=service.today(db()),
                           company=service.company(db()), **context)
    resp = Response(html, status=http_status, mimetype="text/html")
    if toast is not None:
        resp.delete_cookie(TOAST_COOKIE, path="/")
    return resp


def _done(target: str, text: str, error: bool = False) -> Response:
    resp = redirect(target, code=303)
    # base64url keeps the value a plain cookie token for every client's cookie parser
    value = base64.urlsafe_b64encode(json.dumps({"text": text, "error": error}).encode()).decode()
    resp.set_cookie(TOAST_COOKIE, value, path="/", httponly=True, samesite="Lax")
    return resp


def _feed_action(action):
    """Bank-feed actions return to the feed; a refusal comes back as an error message there."""
    from functools import wraps

    @wraps(action)
    def run(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except MockAppsError as exc:
            back = url_for("books.banking_home", account=request.form.get("account_id", ""),
                           tab=request.form.get("tab", "review"))
            return _done(back, exc.message, error=True)
    return run


def _date_arg(name: str, default: date | None = None, source=None) -> date | None:
    raw = (source or request.args).get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise MockAppsError(f"{name.replace('_', ' ')}: {raw!r} is not a date (use YYYY-MM-DD)", status=400,
                            code="bad_date") from None


def _accounts(*types: str) -> list[Account]:
    stmt = select(Account).where(Account.active).order_by(Account.number, Account.name)
    if types:
        stmt = stmt.where(Account.type.in_(types))
    return list(db().exec(stmt).all())


def _contacts(kind: str | None) -> list[Contact]:
    stmt = select(Contact).where(Contact.active).order_by(Contact.display_name)
    if kind:
        stmt = stmt.where(Contact.kind == kind)
    return list(db().exec(stmt).all())


def _status(txn: Txn) -> str:
    if txn.type not in ("Invoice", "Bill"):
        return "Voided" if txn.voided else ("Closed" if txn.balance_cents == 0 and txn.type in ("CreditMemo", "VendorCredit") else "")
    return ledger.document_status(txn.total_cents, txn.balance_cents, txn.due_date, service.today(db()), txn.voided)


# --- dashboard -----------------------------------------------------------------------------------------

@bp.get("/")
def dashboard():
    """Bank balances, money owed to and by the company, this month's profit and loss."""
    session = db()
    today = service.today(session)
    banks = [(a, ledger.natural_balance(a.type, service.account_balance(session, a.id)),
              session.exec(select(func.count()).select_from(BankLine).where(BankLine.account_id == a.id,
                                                                             BankLine.status == "review")).one())
             for a in _accounts(*ledger.FEED_TYPES)]
    invoices = session.exec(select(Txn).where(Txn.type == "Invoice", Txn.balance_cents > 0)).all()
    bills = session.exec(select(Txn).where(Txn.type == "Bill", Txn.balance_cents > 0)).all()
    month = reports.profit_and_loss(session, today.replace(day=1), today)
    return _page("books/dashboard.html", "dashboard", banks=banks,
                 open_invoices=sum(t.balance_cents for t in invoices),
                 overdue_invoices=sum(t.balance_cents for t in invoices if t.due_date and t.due_date < today),
                 overdue_count=sum(1 for t in invoices if t.due_date and t.due_date < today),
                 open_bills=sum(t.balance_cents for t in bills),
                 overdue_bills=sum(t.balance_cents for t in bills if t.due_date and t.due_date < today),
                 month=month)


# --- lists ---------------------------------------------------------------------------------------------

PAGE_SIZE = 50


def _txn_list(types: tuple[str, ...], status: str = "", contact_id: int | None = None,
              page: int | None = None) -> tuple[list, int]:
    """(rows of (txn, contact name, status), total count), newest first; status filters run in SQL."""
    session = db()
    today = service.today(session)
    stmt = select(Txn, Contact.display_name).outerjoin(Contact, Contact.id == Txn.contact_id).where(Txn.type.in_(types))
    if contact_id:
        stmt = stmt.where(Txn.contact_id == contact_id)
    not_due = (Txn.due_date == None) | (Txn.due_date >= today)  # noqa: E711
    live = Txn.voided == False  # noqa: E712
    filters = {"voided": Txn.voided == True, "paid": live & (Txn.balance_cents == 0),  # noqa: E712
               "unpaid": live & (Txn.balance_cents > 0),
               "overdue": live & (Txn.balance_cents > 0) & (Txn.due_date < today),
               "open": live & (Txn.balance_cents > 0) & (Txn.balance_cents == Txn.total_cents) & not_due,
               "partial": live & (Txn.balance_cents > 0) & (Txn.balance_cents < Txn.total_cents) & not_due}
    if status.lower() in filters:
        stmt = stmt.where(filters[status.lower()])
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    stmt = stmt.order_by(Txn.txn_date.desc(), Txn.id.desc())
    if page is not None:
        stmt = stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    return [(t, name, _status(t)) for t, name in session.exec(stmt).all()], total


def _page_arg() -> int:
    raw = request.args.get("page", "1")
    return min(max(1, int(raw)), 1_000_000) if raw.isdecimal() and len(raw) < 8 else 1


def _list_page(title: str, section: str, types: tuple[str, ...], statuses: list[str], new_kind: str, who: str,
               endpoint: str) -> Response:
    status = request.args.get("status", "")
    page = _page_arg()
    rows, total = _txn_list(types, status, page=page)
    return _page("books/txn_list.html", section, title=title, rows=rows, status=status, statuses=statuses,
                 new_kind=new_kind, who=who, endpoint=endpoint, page=page, total=total, page_size=PAGE_SIZE)


DOC_STATUSES = ["", "unpaid", "Open", "Partial", "Overdue", "Paid", "Voided"]


@bp.get("/sales/invoices")
def invoices():
    """All invoices with their status from the world clock."""
    return _list_page("Invoices", "invoices", ("Invoice",), DOC_STATUSES, "invoice", "Customer", "books.invoices")


@bp.get("/expenses/bills")
def bills():
    """All bills with their status."""
    return _list_page("Bills", "bills", ("Bill",), DOC_STATUSES, "bill", "Vendor", "books.bills")


@bp.get("/expenses/transactions")
def expenses():
    """Expenses, checks, bill payments and vendor credits."""
    return _list_page("Expense transactions", "expenses", ("Purchase", "BillPayment", "VendorCredit"), [],
                      "expense", "Payee", "books.expenses")


@bp.get("/sales/transactions")
def sales():
    """Payments, credit memos and deposits."""
    return _list_page("Sales transactions", "sales", ("Payment", "CreditMemo", "Deposit"), [], "deposit",
                      "Customer", "books.sales")


@bp.get("/accounting/journal")
def journal_entries():
    """Journal entries and transfers."""
    return _list_page("Journal entries and transfers", "journal", ("JournalEntry", "Transfer"), [], "journal", "Name",
                      "books.journal_entries")


@bp.get("/search")
def search():
    """Find transactions by number, name, memo or amount, and customers, vendors and accounts by name."""
    session = db()
    q = request.args.get("q", "").strip()
    txns, contacts, accounts = [], [], []
    if q:
        like = f"%{q.lower()}%"
        cond = (func.lower(Txn.doc_number).like(like) | func.lower(Txn.memo).like(like)
                | func.lower(Contact.display_name).like(like))
        try:
            cents = abs(ledger.parse_money(q))
            cond = cond | (Txn.total_cents == cents)
        except LedgerError:
            pass  # not an amount: search text only
        txns = session.exec(select(Txn, Contact.display_name).outerjoin(Contact, Contact.id == Txn.contact_id)
                            .where(cond).order_by(Txn.txn_date.desc(), Txn.id.desc()).limit(100)).all()
        contacts = session.exec(select(Contact).where(func.lower(Contact.display_name).like(like))
                                .order_by(Contact.display_name).limit(50)).all()
        accounts = session.exec(select(Account).where(func.lower(Account.name).like(like) | (Account.number == q))
                                .order_by(Account.number).limit(50)).all()
    return _page("books/search.html", "search", q=q, txns=[(t, n, _status(t)) for t, n in txns],
                 contacts=contacts, accounts=accounts, label=UI_LABEL)


@bp.route("/contacts/<int(max=9223372036854775807):contact_id>/edit", methods=["GET", "POST"])
def edit_contact(contact_id: int):
    """Change a customer's or vendor's details."""
    session = db()
    c = session.get(Contact, contact_id)
    if c is None:
        raise NotFound(f"there is no customer or vendor {contact_id}")
    error = None
    if request.method == "POST":
        form = request.form
        try:
            terms = form.get("terms_days", "").strip() or str(c.terms_days)
            if not terms.isdecimal():
                raise LedgerError("Terms: enter a number of days (for example 30)")
            service.update_contact(session, c.id, c.kind, form.get("sync_token"),
                                   display_name=form.get("display_name", ""), company_name=form.get("company_name", ""),
                                   contact_name=form.get("contact_name", ""), email=form.get("email", ""),
                                   phone=form.get("phone", ""), address=form.get("address", ""),
                                   terms_days=int(terms), active=form.get("active") == "on",
                                   default_account_id=form.get("default_account_id") or None)
            return _done(url_for("books.contact", contact_id=c.id), f"{form.get('display_name', '').strip()} saved")
        except MockAppsError as exc:
            error = exc.message
    else:
        form = {"display_name": c.display_name, "company_name": c.company_name, "contact_name": c.contact_name,
                "email": c.email, "phone": c.phone, "address": c.address, "terms_days": str(c.terms_days),
                "default_account_id": str(c.default_account_id or ""), "active": "on" if c.active else ""}
    return _page("books/contact_form.html", "customers" if c.kind == "customer" else "vendors",
                 http_status=422 if error else 200, kind=c.kind, form=form, error=error, accounts=_accounts(),
                 editing=c, sync_token=request.form.get("sync_token", c.sync_token))


def _contact_rows(kind: str):
    session = db()
    types = ("Invoice", "CreditMemo") if kind == "customer" else ("Bill", "VendorCredit")
    balances: dict[int, int] = {}
    for contact_id, txn_type, total in session.exec(select(Txn.contact_id, Txn.type, func.sum(Txn.balance_cents))
                                                    .where(Txn.type.in_(types)).group_by(Txn.contact_id, Txn.type)).all():
        balances[contact_id] = balances.get(contact_id, 0) + (total if txn_type in ("Invoice", "Bill") else -total)
    q = request.args.get("q", "").strip().lower()
    return [(c, balances.get(c.id, 0)) for c in session.exec(select(Contact).where(Contact.kind == kind)
                                                             .order_by(Contact.display_name)).all()
            if not q or q in c.display_name.lower() or q in (c.email or "").lower()]


@bp.get("/customers")
def customers():
    """Customers with open balances."""
    return _page("books/contacts.html", "customers", kind="customer", title="Customers", rows=_contact_rows("customer"),
                 q=request.args.get("q", ""))


@bp.get("/vendors")
def vendors():
    """Vendors with open balances."""
    return _page("books/contacts.html", "vendors", kind="vendor", title="Vendors", rows=_contact_rows("vendor"),
                 q=request.args.get("q", ""))


@bp.get("/contacts/<int(max=9223372036854775807):contact_id>")
def contact(contact_id: int):
    """A customer's or vendor's page: details, open balance, transactions."""
    session = db()
    c = session.get(Contact, contact_id)
    if c is None:
        raise NotFound(f"there is no customer or vendor {contact_id}")
    rows, _total = _txn_list(service.TXN_TYPES, contact_id=c.id)
    docs = ("Invoice", "CreditMemo") if c.kind == "customer" else ("Bill", "VendorCredit")
    open_balance = sum(t.balance_cents if t.type in ("Invoice", "Bill") else -t.balance_cents
                       for t, _n, _s in rows if t.type in docs)
    overdue = sum(t.balance_cents for t, _n, s in rows if s == "Overdue")
    return _page("books/contact.html", "customers" if c.kind == "customer" else "vendors", c=c, rows=rows,
                 open_balance=open_balance, overdue=overdue)


@bp.get("/items")
def items():
    """Products and services."""
    rows = db().exec(select(Item).order_by(Item.name)).all()
    return _page("books/items.html", "items", rows=rows, accounts={a.id: a for a in _accounts()})


# --- creating things -----------------------------------------------------------------------------------

@bp.route("/new/<kind>", methods=["GET", "POST"], endpoint="new_txn")
def new_entry(kind: str):
    """Dispatch "+ New" entries: customer and vendor forms, or a transaction form."""
    if kind in ("customer", "vendor"):
        return _new_contact(kind)
    return _new_txn(kind)


bp.add_url_rule("/new/<kind>", "new_contact", new_entry, methods=["GET", "POST"])


def _new_contact(kind: str):
    """Add a customer or vendor."""
    form = request.form if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            terms = form.get("terms_days", "30").strip() or "30"
            if not terms.isdecimal():
                raise LedgerError("Terms: enter a number of days (for example 30)")
            c = service.create_contact(db(), kind, display_name=form.get("display_name", ""),
                                       company_name=form.get("company_name", ""), email=form.get("email", ""),
                                       phone=form.get("phone", ""), address=form.get("address", ""),
                                       contact_name=form.get("contact_name", ""), terms_days=int(terms),
                                       default_account_id=form.get("default_account_id") or None)
            return _done(url_for("books.contact", contact_id=c.id), f"{kind.capitalize()} {c.display_name} added")
        except MockAppsError as exc:
            error = exc.message
    return _page("books/contact_form.html", "customers" if kind == "customer" else "vendors",
                 http_status=422 if error else 200, kind=kind, form=form, error=error, accounts=_accounts())


def _contact_field(value: str, n: int) -> int | None:
    if not value:
        return None
    contact_id = service.row_id(value)
    if contact_id is None:
        raise LedgerError(f"Line {n}: choose a name from the list")
    return contact_id


def _lines_from_form(form, style: str) -> list[LineInput]:
    accounts = form.getlist("line_account")
    items_ = form.getlist("line_item")
    descriptions = form.getlist("line_description")
    qtys = form.getlist("line_qty")
    rates = form.getlist("line_rate")
    amounts = form.getlist("line_amount")
    debits = form.getlist("line_debit")
    credits = form.getlist("line_credit")
    contacts = form.getlist("line_contact")
    count = max(len(accounts), len(items_), len(descriptions), len(amounts), len(debits), len(rates))

    def at(values, i):
        return values[i].strip() if i < len(values) and values[i] is not None else ""

    lines = []
    for i in range(count):
        n = i + 1
        account, item, desc = at(accounts, i), at(items_, i), at(descriptions, i)
        if style == "journal":
            debit, credit = at(debits, i), at(credits, i)
            if not (account or debit or credit):
                continue
            lines.append(LineInput(account_id=account or None, description=desc,
                                   debit_cents=ledger.parse_money(debit, f"Line {n} debit") if debit else 0,
                                   credit_cents=ledger.parse_money(credit, f"Line {n} credit") if credit else 0,
                                   contact_id=_contact_field(at(contacts, i), n)))
            continue
        qty, rate, amount = at(qtys, i), at(rates, i), at(amounts, i)
        if not (account or item or amount or rate):
            continue
        lines.append(LineInput(
            account_id=account or None, item_id=item or None, description=desc,
            quantity_milli=ledger.parse_quantity(qty, f"Line {n} quantity") if qty else 1000,
            unit_cents=ledger.parse_money(rate, f"Line {n} rate") if rate else None,
            amount_cents=ledger.parse_money(amount, f"Line {n} amount") if amount and not rate else None,
            contact_id=_contact_field(at(contacts, i), n)))
    return lines


def _txn_kwargs(kind: str, form) -> dict:
    txn_type, _title, contact_kind, style = FORMS[kind]
    txn_date = _date_arg("txn_date", None, form)
    if txn_date is None:
        raise LedgerError("Date: enter the transaction date")
    memo = form.get("memo", "").strip()
    if kind == "transfer":
        return dict(from_account_id=form.get("from_account_id"), to_account_id=form.get("to_account_id"),
                    amount_cents=ledger.parse_money(form.get("amount", ""), "Amount"), txn_date=txn_date, memo=memo)
    lines = _lines_from_form(form, style)
    doc = form.get("doc_number", "").strip()
    if txn_type in ("Invoice", "CreditMemo"):
        kwargs = dict(customer_id=form.get("contact_id"), txn_date=txn_date, lines=lines, doc_number=doc or None,
                      memo=memo)
    elif txn_type in ("Bill", "VendorCredit"):
        kwargs = dict(vendor_id=form.get("contact_id"), txn_date=txn_date, lines=lines, doc_number=doc, memo=memo)
    elif txn_type == "Purchase":
        kwargs = dict(pay_account_id=form.get("account_id"), txn_date=txn_date, lines=lines,
                      payee_id=form.get("contact_id") or None, doc_number=doc, memo=memo,
                      payment_type="Check" if kind == "check" else "")
    elif txn_type == "Deposit":
        kwargs = dict(bank_account_id=form.get("account_id"), txn_date=txn_date, lines=lines, memo=memo)
    else:
        kwargs = dict(txn_date=txn_date, lines=lines, doc_number=doc, memo=memo)
    if txn_type in ("Invoice", "Bill"):
        kwargs["due_date"] = _date_arg("due_date", None, form)
        terms = form.get("terms_days", "").strip()
        if terms:
            if not terms.isdecimal():
                raise LedgerError("Terms: enter a number of days")
            kwargs["terms_days"] = int(terms)
    return kwargs


def _new_txn(kind: str):
    """A transaction form ("+ New" → Invoice, Bill, Expense, Check, ... ) with an optional attachment."""
    if kind not in FORMS:
        raise NotFound(f"there is no form for {kind!r}")
    txn_type, title, contact_kind, style = FORMS[kind]
    session = db()
    form = request.form if request.method == "POST" else request.args
    error = duplicate = None
    if request.method == "POST":
        upload = request.files.get("attachment")
        try:
            kwargs = _txn_kwargs(kind, form)
            if txn_type == "Bill" and not form.get("allow_duplicate"):
                # QuickBooks warns before a vendor's bill number is used twice (a re-sent invoice)
                duplicate = service.find_duplicate_bill(session, kwargs["vendor_id"], kwargs["doc_number"])
                if duplicate is not None:
                    raise LedgerError(f"Bill no. {duplicate.doc_number} is already used for this vendor "
                                      f"(dated {duplicate.txn_date:%m/%d/%Y}, {ledger.fmt(duplicate.total_cents)}). "
                                      "If this is a different bill, tick “Save anyway” and save again.")
            attachment = (upload.filename, upload.mimetype, upload.read()) if upload and upload.filename else None
            txn = service.create_txn(session, txn_type, source="ui", attachment=attachment, **kwargs)
            label = f"{title} {txn.doc_number}".strip()
            return _done(url_for("books.txn", txn_id=txn.id), f"{label} saved")
        except MockAppsError as exc:
            error = exc.message
    rows = max(4, len(form.getlist("line_account")) if hasattr(form, "getlist") else 0)
    return _page("books/txn_form.html", "new", http_status=422 if error else 200, kind=kind, txn_type=txn_type,
                 title=title, contact_kind=contact_kind, style=style, form=form, error=error, rows=rows,
                 duplicate=duplicate,
                 contacts=_contacts(contact_kind) if contact_kind else [],
                 all_contacts=_contacts(None), items=db().exec(select(Item).where(Item.active).order_by(Item.name)).all(),
                 accounts=_accounts(), pay_accounts=_accounts(*ledger.FEED_TYPES),
                 banks=_accounts("Bank", "Other current asset"))


def _form_of(txn: Txn) -> MultiDict:
    """A transaction as the values its form would post (to edit it)."""
    session = db()
    form = MultiDict({"txn_date": txn.txn_date.isoformat(), "memo": txn.memo, "doc_number": txn.doc_number,
                      "contact_id": str(txn.contact_id or ""), "account_id": str(txn.account_id or ""),
                      "due_date": txn.due_date.isoformat() if txn.due_date else "",
                      "terms_days": "" if txn.terms_days is None else str(txn.terms_days)})
    if txn.type == "Transfer":
        form.update({"from_account_id": str(txn.account_id), "to_account_id": str(txn.other_account_id),
                     "amount": f"{txn.total_cents / 100:.2f}"})
    for line in session.exec(select(DocLine).where(DocLine.txn_id == txn.id).order_by(DocLine.line_no)).all():
        form.add("line_account", str(line.account_id or ""))
        form.add("line_item", str(line.item_id or ""))
        form.add("line_description", line.description)
        form.add("line_contact", str(line.contact_id or ""))
        if txn.type == "JournalEntry":
            form.add("line_debit", f"{line.amount_cents / 100:.2f}" if line.posting == "Debit" else "")
            form.add("line_credit", f"{line.amount_cents / 100:.2f}" if line.posting == "Credit" else "")
        elif txn.type in ("Invoice", "CreditMemo") or line.item_id:
            form.add("line_qty", f"{line.quantity_milli / 1000:g}")
            form.add("line_rate", f"{line.unit_cents / 100:.2f}")
            form.add("line_amount", f"{line.amount_cents / 100:.2f}")
        else:
            form.add("line_qty", "")
            form.add("line_rate", "")
            form.add("line_amount", f"{line.amount_cents / 100:.2f}")
    return form


_KIND_OF = {"Invoice": "invoice", "CreditMemo": "creditmemo", "Bill": "bill", "VendorCredit": "vendorcredit",
            "Deposit": "deposit", "JournalEntry": "journal", "Transfer": "transfer"}


@bp.route("/txn/<int(max=9223372036854775807):txn_id>/edit", methods=["GET", "POST"])
def edit_txn(txn_id: int):
    """Edit a transaction in its form (payments are changed by voiding and re-entering them)."""
    session = db()
    txn = service.get_txn(session, txn_id)
    kind = _KIND_OF.get(txn.type) or ("check" if txn.payment_method == "Check" else "expense"
                                      if txn.type == "Purchase" else None)
    if kind is None:
        raise MockAppsError(f"a {UI_LABEL[txn.type].lower()} cannot be edited here; void it and enter it again",
                            status=400, code="not_editable")
    txn_type, title, contact_kind, style = FORMS[kind]
    error = None
    if request.method == "POST":
        form = request.form
        try:
            kwargs = _txn_kwargs(kind, form)
            service.update_txn(session, txn.id, form.get("sync_token"), source="ui", **kwargs)
            return _done(url_for("books.txn", txn_id=txn.id), f"{title} {txn.doc_number} saved".replace("  ", " "))
        except MockAppsError as exc:
            error = exc.message
    else:
        form = _form_of(txn)
    rows = max(4, len(form.getlist("line_account")) + 1)
    return _page("books/txn_form.html", "new", http_status=422 if error else 200, kind=kind, txn_type=txn_type,
                 title=f"Edit {title.lower()} {txn.doc_number}".strip(), contact_kind=contact_kind, style=style,
                 form=form, error=error, rows=rows, sync_token=request.form.get("sync_token", txn.sync_token),
                 contacts=_contacts(contact_kind) if contact_kind else [], all_contacts=_contacts(None),
                 items=session.exec(select(Item).where(Item.active).order_by(Item.name)).all(),
                 accounts=_accounts(), pay_accounts=_accounts(*ledger.FEED_TYPES),
                 banks=_accounts("Bank", "Other current asset"), editing=True)


@bp.route("/receive-payment", methods=["GET", "POST"])
def receive_payment():
    """Receive a payment from a customer against one or several invoices (partial amounts allowed)."""
    session = db()
    form = request.form if request.method == "POST" else request.args
    customer_id = form.get("customer_id", "")
    error = None
    if request.method == "POST":
        try:
            apps = _applications(form)
            txn_date = _date_arg("txn_date", None, form) or service.today(session)
            amount = form.get("amount", "").strip()
            txn = service.create_txn(session, "Payment", source="ui", customer_id=customer_id, txn_date=txn_date,
                                     deposit_account_id=form.get("deposit_account_id"), applications=apps,
                                     amount_cents=ledger.parse_money(amount, "Amount received") if amount else None,
                                     method=form.get("method", ""), doc_number=form.get("reference", "").strip(),
                                     memo=form.get("memo", "").strip())
            return _done(url_for("books.txn", txn_id=txn.id), f"Payment of {ledger.fmt(txn.total_cents)} received")
        except MockAppsError as exc:
            error = exc.message
    docs = service.open_documents(session, int(customer_id), ("Invoice", "CreditMemo")) \
        if customer_id.isdecimal() else []
    return _page("books/apply_payment.html", "invoices", http_status=422 if error else 200, mode="receive",
                 title="Receive payment", contacts=_contacts("customer"), contact_id=customer_id, docs=docs,
                 form=form, error=error, accounts=_accounts("Bank", "Other current asset"), status_of=_status)


def _applications(form) -> list[tuple[int, int]]:
    apps = []
    for key in form:
        if key.startswith("apply_") and key[6:].isdecimal():
            raw = form.get(key, "").strip()
            if raw:
                cents = ledger.parse_money(raw, "Payment")
                if cents:
                    apps.append((int(key[6:]), cents))
    if not apps:
        raise LedgerError("enter an amount against at least one open document")
    return sorted(apps)


@bp.route("/pay-bills", methods=["GET", "POST"])
def pay_bills():
    """Pay several bills at once: one bill payment per vendor, all in one operation."""
    session = db()
    form = request.form if request.method == "POST" else request.args
    error = None
    if request.method == "POST":
        try:
            apps = _applications(form)
            txn_date = _date_arg("txn_date", None, form) or service.today(session)
            by_vendor: dict[int, list[tuple[int, int]]] = {}
            for bill_id, cents in apps:
                bill = service.get_txn(session, bill_id)
                by_vendor.setdefault(bill.contact_id, []).append((bill_id, cents))
            check = form.get("reference", "").strip()
            # one vendor: exactly the API's operation; several: one operation around one payment each
            with session.operation("books.bill.pay", bills=[b for b, _c in apps], txn_date=txn_date,
                                   pay_account_id=form.get("pay_account_id")) if len(by_vendor) > 1 \
                    else contextlib.nullcontext():
                for n, (vendor_id, vendor_apps) in enumerate(sorted(by_vendor.items())):
                    ref = str(int(check) + n) if check.isdecimal() else check
                    service.create_txn(session, "BillPayment", source="ui", vendor_id=vendor_id, txn_date=txn_date,
                                       pay_account_id=form.get("pay_account_id"), applications=vendor_apps,
                                       method=form.get("method", "Check"), doc_number=ref)
            total = sum(c for _b, c in apps)
            return _done(url_for("books.bills", status="unpaid"),
                         f"{len(apps)} bill{'s' if len(apps) != 1 else ''} paid ({ledger.fmt(total)})")
        except MockAppsError as exc:
            error = exc.message
    vendor_id = form.get("vendor_id", "")
    stmt = select(Txn).where(Txn.type.in_(("Bill", "VendorCredit")), Txn.balance_cents > 0).order_by(Txn.due_date, Txn.id)
    if vendor_id.isdecimal():
        stmt = stmt.where(Txn.contact_id == int(vendor_id))
    docs = session.exec(stmt).all()
    names = {c.id: c.display_name for c in _contacts("vendor")}
    return _page("books/apply_payment.html", "bills", http_status=422 if error else 200, mode="pay",
                 title="Pay bills", contacts=_contacts("vendor"), contact_id=vendor_id, docs=docs, names=names,
                 form=form, error=error, accounts=_accounts(*ledger.FEED_TYPES), status_of=_status)


# --- one transaction -----------------------------------------------------------------------------------

@bp.get("/txn/<int(max=9223372036854775807):txn_id>")
def txn(txn_id: int):
    """A transaction: header, lines, what it posted, payments applied, attachments, actions."""
    session = db()
    t = service.get_txn(session, txn_id)
    lines = session.exec(select(DocLine).where(DocLine.txn_id == t.id).order_by(DocLine.line_no)).all()
    splits = session.exec(select(Split, Account).join(Account, Account.id == Split.account_id)
                          .where(Split.txn_id == t.id).order_by(Split.id)).all()
    paid_by = session.exec(select(Application, Txn).join(Txn, Txn.id == Application.txn_id)
                           .where(Application.target_id == t.id).order_by(Application.id)).all()
    applied_to = session.exec(select(Application, Txn).join(Txn, Txn.id == Application.target_id)
                              .where(Application.txn_id == t.id).order_by(Application.id)).all()
    attachments = session.exec(select(Attachment.id, Attachment.filename, Attachment.size, Attachment.content_type)
                               .where(Attachment.txn_id == t.id).order_by(Attachment.id)).all()
    accounts = {a.id: a for a in session.exec(select(Account)).all()}
    items_ = {i.id: i for i in session.exec(select(Item)).all()}
    return _page("books/txn.html", "txn", t=t, label=UI_LABEL[t.type], lines=lines, splits=splits, paid_by=paid_by,
                 applied_to=applied_to, attachments=attachments, status=_status(t),
                 contact=session.get(Contact, t.contact_id) if t.contact_id else None,
                 account=session.get(Account, t.account_id) if t.account_id else None,
                 other_account=session.get(Account, t.other_account_id) if t.other_account_id else None,
                 accounts=accounts, items=items_, reconciled=any(s.cleared == "R" for s, _a in splits))


@bp.get("/txn/<int(max=9223372036854775807):txn_id>/pdf")
def txn_pdf(txn_id: int):
    """Print or download an invoice or credit memo as PDF."""
    from mock_apps.books import document_pdf

    txn = service.get_txn(db(), txn_id)
    data = document_pdf.render(db(), txn)
    name = f"{UI_LABEL[txn.type].replace(' ', '_')}_{txn.doc_number or txn.id}.pdf"
    disposition = "inline" if request.args.get("inline") else "attachment"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@bp.post("/txn/<int(max=9223372036854775807):txn_id>/void")
def void(txn_id: int):
    """Void a transaction."""
    t = service.void_txn(db(), txn_id)
    return _done(url_for("books.txn", txn_id=t.id), f"{UI_LABEL[t.type]} voided")


@bp.post("/txn/<int(max=9223372036854775807):txn_id>/delete")
def delete(txn_id: int):
    """Delete a transaction."""
    t = service.get_txn(db(), txn_id)
    label = UI_LABEL[t.type]
    target = {"Invoice": "books.invoices", "Bill": "books.bills"}.get(t.type, "books.dashboard")
    service.delete_txn(db(), txn_id)
    return _done(url_for(target), f"{label} deleted")


@bp.post("/txn/<int(max=9223372036854775807):txn_id>/attachments")
def attach(txn_id: int):
    """Attach a file to a transaction."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise MockAppsError("choose a file to attach", status=400)
    att = service.add_attachment(db(), txn_id, upload.filename, upload.mimetype, upload.read())
    return _done(url_for("books.txn", txn_id=txn_id), f"Attached {att.filename}")


@bp.get("/attachments/<int(max=9223372036854775807):attachment_id>")
def attachment(attachment_id: int):
    """Download (or view inline) an attachment."""
    att = db().get(Attachment, attachment_id)
    if att is None:
        raise NotFound(f"there is no attachment {attachment_id}")
    disposition = "inline" if request.args.get("inline") else "attachment"
    safe = att.filename.replace('"', "")
    return Response(att.data, mimetype=att.content_type,
                    headers={"Content-Disposition": f'{disposition}; filename="{safe}"'})


# --- accounting ----------------------------------------------------------------------------------------

@bp.get("/accounts")
def chart_of_accounts():
    """The chart of accounts with QuickBooks balances."""
    session = db()
    totals = reports.balances(session)
    rows = [(a, ledger.natural_balance(a.type, totals.get(a.id, 0)))
            for a in session.exec(select(Account).order_by(Account.number, Account.name)).all()]
    return _page("books/accounts.html", "accounts", rows=rows, ledger=ledger)


@bp.route("/accounts/new", methods=["GET", "POST"])
def new_account():
    """Add an account."""
    form = request.form if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            acc = service.create_account(db(), name=form.get("name", ""), number=form.get("number", "").strip(),
                                         type=form.get("type", ""), detail_type=form.get("detail_type", "").strip(),
                                         description=form.get("description", "").strip(),
                                         parent_id=form.get("parent_id") or None)
            return _done(url_for("books.register", account_id=acc.id), f"Account {acc.name} added")
        except MockAppsError as exc:
            error = exc.message
    return _page("books/account_form.html", "accounts", http_status=422 if error else 200, form=form, error=error,
                 types=list(ledger.ACCOUNT_TYPES), accounts=_accounts())


@bp.route("/accounts/<int(max=9223372036854775807):account_id>/edit", methods=["GET", "POST"])
def edit_account(account_id: int):
    """Rename, renumber or (in)activate an account."""
    session = db()
    acc = service.get_account(session, account_id)
    error = None
    if request.method == "POST":
        form = request.form
        try:
            service.update_account(session, acc.id, form.get("sync_token"), name=form.get("name", ""),
                                   number=form.get("number", "").strip(), type=form.get("type", acc.type),
                                   detail_type=form.get("detail_type", "").strip(),
                                   description=form.get("description", "").strip(),
                                   parent_id=form.get("parent_id") or None, active=form.get("active") == "on")
            return _done(url_for("books.chart_of_accounts"), f"Account {form.get('name', '').strip()} saved")
        except MockAppsError as exc:
            error = exc.message
    else:
        form = {"name": acc.name, "number": acc.number, "type": acc.type, "detail_type": acc.detail_type,
                "description": acc.description, "parent_id": str(acc.parent_id or ""),
                "active": "on" if acc.active else ""}
    return _page("books/account_form.html", "accounts", http_status=422 if error else 200, form=form, error=error,
                 types=list(ledger.ACCOUNT_TYPES), accounts=[a for a in _accounts() if a.id != acc.id], editing=acc,
                 sync_token=request.form.get("sync_token", acc.sync_token))


@bp.route("/items/new", methods=["GET", "POST"])
def new_item():
    """Add a product or service."""
    form = request.form if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            item = service.create_item(
                db(), name=form.get("name", ""), sku=form.get("sku", "").strip(), type=form.get("type", "Service"),
                description=form.get("description", "").strip(),
                unit_price_cents=ledger.parse_money(form.get("price") or "0", "Sales price"),
                unit_cost_cents=ledger.parse_money(form.get("cost") or "0", "Cost"),
                income_account_id=form.get("income_account_id") or None,
                expense_account_id=form.get("expense_account_id") or None)
            return _done(url_for("books.items"), f"{item.name} added")
        except MockAppsError as exc:
            error = exc.message
    return _page("books/item_form.html", "items", http_status=422 if error else 200, form=form, error=error,
                 accounts=_accounts())


@bp.get("/accounts/<int(max=9223372036854775807):account_id>/register")
def register(account_id: int):
    """An account's register with a running balance."""
    session = db()
    acc = service.get_account(session, account_id)
    start = _date_arg("start")
    end = _date_arg("end")
    # newest first, as QuickBooks shows registers; a page of 500 costs the same in any size of books
    opening, entries, count = reports.recent_register(session, acc.id, start, end, 500)
    return _page("books/register.html", "accounts", acc=acc, opening=opening, entries=entries,
                 more=max(0, count - len(entries)), start=start, end=end, label=UI_LABEL)


# --- banking -------------------------------------------------------------------------------------------

@bp.get("/banking")
def banking_home():
    """The bank feed of one account: For review / Categorized / Excluded."""
    session = db()
    feed_accounts = _accounts(*ledger.FEED_TYPES)
    account_id = request.args.get("account", "")
    acc = next((a for a in feed_accounts if str(a.id) == account_id), feed_accounts[0] if feed_accounts else None)
    tab = request.args.get("tab", "review")
    if tab not in ("review", "categorized", "excluded"):
        tab = "review"
    counts, lines, candidates, suggestions = {}, [], {}, {}
    if acc is not None:
        for status, n in session.exec(select(BankLine.status, func.count()).where(BankLine.account_id == acc.id)
                                      .group_by(BankLine.status)).all():
            counts[status] = n
        lines = session.exec(select(BankLine).where(BankLine.account_id == acc.id, BankLine.status == tab)
                             .order_by(BankLine.date.desc(), BankLine.id.desc())).all()
        if tab == "review":
            rules = list(session.exec(select(BankRule).where(BankRule.active)).all())
            for line in lines:
                candidates[line.id] = banking.match_candidates(session, line)
                suggestions[line.id] = banking.suggest(session, line, rules)
    books_balance = ledger.natural_balance(acc.type, service.account_balance(session, acc.id)) if acc else 0
    bank = banking.bank_balance(session, acc.id) if acc else None
    bank_balance = ledger.natural_balance(acc.type, bank) if bank is not None else None
    names = {c.id: c.display_name for c in _contacts(None)}
    return _page("books/banking.html", "banking", feed_accounts=feed_accounts, acc=acc, tab=tab, counts=counts,
                 bank_balance=bank_balance,
                 lines=lines, candidates=candidates, suggestions=suggestions, books_balance=books_balance,
                 categories=_accounts(), payees=_contacts(None), names=names, label=UI_LABEL,
                 rules=session.exec(select(BankRule).order_by(BankRule.id)).all(),
                 linked={t.id: t for t in session.exec(select(Txn).where(Txn.id.in_(
                     [line.txn_id for line in lines if line.txn_id]))).all()})


def _back_to_feed(line: BankLine, text: str) -> Response:
    return _done(url_for("books.banking_home", account=line.account_id, tab=request.form.get("tab", "review")), text)


@bp.post("/banking/lines/<int(max=9223372036854775807):line_id>/match")
@_feed_action
def bank_match(line_id: int):
    """Match a feed line to an existing transaction."""
    txn_id = request.form.get("txn_id", "")
    if not txn_id:
        raise MockAppsError("choose the transaction to match", status=400)
    line = banking.match_line(db(), line_id, txn_id)
    return _back_to_feed(line, f"Matched {line.description}")


@bp.post("/banking/lines/<int(max=9223372036854775807):line_id>/categorize")
@_feed_action
def bank_categorize(line_id: int):
    """Add a feed line as a new transaction in a category."""
    line = banking.categorize_line(db(), line_id, request.form.get("category_id") or None,
                                   request.form.get("contact_id") or None, request.form.get("memo", "").strip())
    return _back_to_feed(line, f"Added {line.description}")


@bp.post("/banking/lines/<int(max=9223372036854775807):line_id>/exclude")
@_feed_action
def bank_exclude(line_id: int):
    """Exclude a feed line."""
    line = banking.exclude_line(db(), line_id)
    return _back_to_feed(line, f"Excluded {line.description}")


@bp.post("/banking/lines/<int(max=9223372036854775807):line_id>/undo")
@_feed_action
def bank_undo(line_id: int):
    """Send a line back to review."""
    line = banking.undo_line(db(), line_id)
    return _done(url_for("books.banking_home", account=line.account_id, tab="review"), f"{line.description} is back for review")


@bp.post("/banking/import")
@_feed_action
def bank_import():
    """Upload a bank statement CSV into an account's feed."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise MockAppsError("choose a CSV file to upload", status=400)
    account_id = request.form.get("account_id")
    added = banking.import_csv(db(), account_id, upload.filename, upload.read())
    return _done(url_for("books.banking_home", account=account_id), f"Imported {added} new line{'s' if added != 1 else ''}")


@bp.post("/banking/rules")
@_feed_action
def bank_rule():
    """Create a bank rule."""
    form = request.form
    banking.create_rule(db(), name=form.get("name", ""), contains=form.get("contains", ""),
                        category_id=form.get("category_id") or None, direction=form.get("direction", "any"),
                        account_id=form.get("account_id") or None, contact_id=form.get("contact_id") or None)
    return _done(url_for("books.banking_home", account=form.get("account_id", "")), "Rule saved")


@bp.post("/banking/apply-rules")
@_feed_action
def bank_apply_rules():
    """Categorize every line for review that a rule covers."""
    account_id = request.form.get("account_id")
    done = banking.apply_rules(db(), account_id)
    return _done(url_for("books.banking_home", account=account_id), f"Rules added {done} line{'s' if done != 1 else ''}")


# --- reconcile -----------------------------------------------------------------------------------------

@bp.get("/reconcile")
def reconcile_start():
    """Choose an account and enter the statement's ending date and balance."""
    session = db()
    if request.args.get("account", "").isdecimal() and request.args.get("statement_date"):
        # without JavaScript the start form lands here: go on to the chosen account's worksheet
        args = {k: v for k, v in request.args.items() if k != "account"}
        return redirect(url_for("books.reconcile", account_id=int(request.args["account"]), **args), code=303)
    accounts = _accounts(*ledger.FEED_TYPES)
    history = session.exec(select(Reconciliation, Account).join(Account, Account.id == Reconciliation.account_id)
                           .order_by(Reconciliation.statement_date.desc())).all()
    beginning = {a.id: banking.beginning_balance(session, a.id) for a in accounts}
    return _page("books/reconcile_start.html", "reconcile", accounts=accounts, history=history, beginning=beginning,
                 last={a.id: banking.last_reconciliation(session, a.id) for a in accounts})


@bp.route("/reconcile/<int(max=9223372036854775807):account_id>", methods=["GET", "POST"])
def reconcile(account_id: int):
    """The reconciliation worksheet: tick cleared items until the difference is 0.00, then finish."""
    session = db()
    form = request.form if request.method == "POST" else request.args
    error = None
    statement_date = _date_arg("statement_date", None, form)
    if statement_date is None:
        raise MockAppsError("enter the statement ending date", status=400)
    ending = ledger.parse_money(form.get("ending_balance", ""), "Ending balance")
    checked = None
    if request.method == "POST":
        checked = {int(v) for v in form.getlist("cleared") if v.isdecimal()}
        try:
            banking.finish_reconciliation(session, account_id, statement_date, ending, checked)
            acc = session.get(Account, account_id)
            return _done(url_for("books.reconcile_start"),
                         f"{acc.name} reconciled through {statement_date:%b %-d, %Y}")
        except MockAppsError as exc:
            error = exc.message
    sheet = banking.worksheet(session, account_id, statement_date, ending, checked)
    sign = 1 if ledger.is_debit_normal(sheet.account.type) else -1
    return _page("books/reconcile.html", "reconcile", http_status=422 if error else 200, sheet=sheet, sign=sign,
                 error=error, ending_text=form.get("ending_balance", ""), label=UI_LABEL,
                 names={c.id: c.display_name for c in _contacts(None)})


@bp.post("/reconcile/<int(max=9223372036854775807):account_id>/undo")
def reconcile_undo(account_id: int):
    """Undo the account's latest reconciliation."""
    rec = banking.undo_reconciliation(db(), account_id)
    return _done(url_for("books.reconcile_start"), f"Reconciliation through {rec.statement_date:%b %-d, %Y} undone")


# --- reports -------------------------------------------------------------------------------------------

@bp.route("/settings/close-books", methods=["GET", "POST"])
def close_books():
    """Close the books through a date (QuickBooks' Advanced settings → Close the books)."""
    session = db()
    error = None
    if request.method == "POST":
        try:
            closing = _date_arg("closing_date", None, request.form)
            service.set_closing_date(session, closing)
            text = f"Books closed through {closing:%b %-d, %Y}" if closing else "Books reopened"
            return _done(url_for("books.close_books"), text)
        except MockAppsError as exc:
            error = exc.message
    return _page("books/close_books.html", "close", http_status=422 if error else 200, error=error)


@bp.get("/reports")
def reports_home():
    """The list of reports."""
    return _page("books/reports.html", "reports", reports=reports.REPORTS)


REPORT_PAGE_ROWS = 5000


@bp.get("/reports/<key>")
def report(key: str):
    """One report, with its period in the URL; `?format=csv|xlsx` downloads it."""
    session = db()
    if key not in reports.REPORTS:
        raise NotFound(f"there is no report {key!r}")
    account = request.args.get("account", "")
    fmt = request.args.get("format", "")
    built = reports.build(session, key, _date_arg("start"), _date_arg("end"), service.row_id(account),
                          by_month=request.args.get("columns") == "months",
                          limit=None if fmt in ("csv", "xlsx") else REPORT_PAGE_ROWS)
    company = service.company(session).name
    if fmt in ("csv", "xlsx"):
        data = report_files.to_csv(built, company) if fmt == "csv" else report_files.to_xlsx(built, company)
        mime = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"{built.title.replace(' ', '_').replace('/', '')}.{fmt}"
        return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    query = {k: v for k, v in request.args.items() if k != "format"}
    total_rows = built.totals.get("all_rows", len(built.rows))
    if len(built.rows) > REPORT_PAGE_ROWS:  # a page stays usable; the exports carry every row
        built.rows = built.rows[:REPORT_PAGE_ROWS]
    return _page("books/report.html", "reports", report=built, key=key, query=query, total_rows=total_rows,
                 row_limit=REPORT_PAGE_ROWS,
                 csv_url=url_for("books.report", key=key, **query, format="csv"),
                 xlsx_url=url_for("books.report", key=key, **query, format="xlsx"),
                 accounts=_accounts(), account=account, urlencode=urlencode)

