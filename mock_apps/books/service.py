"""Books' service layer: the only writer. Every transaction is built by a posting rule, checked to
balance, and written with its splits, document lines and applications inside one named operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import func, select

from mock_apps.books import ledger
from mock_apps.books.ledger import LedgerError, Posting, fmt
from mock_apps.books.models import (
    Account, Application, Attachment, Company, Contact, DocLine, Item, Split, Txn,
)
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest, Conflict, NotFound

TXN_TYPES = ("Invoice", "Payment", "Bill", "BillPayment", "Purchase", "JournalEntry", "Deposit", "Transfer",
             "CreditMemo", "VendorCredit")
# The change-log noun of each transaction type (`books.<noun>.<verb>`).
OP_NOUN = {"Invoice": "invoice", "Payment": "payment", "Bill": "bill", "BillPayment": "billpayment",
           "Purchase": "expense", "JournalEntry": "journal", "Deposit": "deposit", "Transfer": "transfer",
           "CreditMemo": "creditmemo", "VendorCredit": "vendorcredit"}
# Documents whose open balance payments reduce, and which side of the ledger they are on.
CUSTOMER_DOCS = ("Invoice", "CreditMemo")
VENDOR_DOCS = ("Bill", "VendorCredit")
UI_LABEL = {"Invoice": "Invoice", "Payment": "Payment", "Bill": "Bill", "BillPayment": "Bill Payment",
            "Purchase": "Expense", "JournalEntry": "Journal Entry", "Deposit": "Deposit", "Transfer": "Transfer",
            "CreditMemo": "Credit Memo", "VendorCredit": "Vendor Credit"}


def op_name(txn_type: str, verb: str) -> str:
    """The change-log operation for a verb on a transaction type (paying a bill is `books.bill.pay`)."""
    if txn_type == "BillPayment" and verb == "create":
        return "books.bill.pay"
    if txn_type == "Payment" and verb == "create":
        return "books.payment.receive"
    return f"books.{OP_NOUN[txn_type]}.{verb}"


# --- lookups ----------------------------------------------------------------------------------------

def row_id(value) -> int | None:
    """An id as typed (digits, within SQLite's integer range), else None."""
    text = str(value if value is not None else "").strip()
    if not text.isdecimal() or len(text) > 18:
        return None
    return int(text)


def company(db: WorldSession) -> Company:
    """The company row."""
    row = db.exec(select(Company)).first()
    if row is None:
        raise NotFound("this world has no books company; reset the world from a scenario")
    return row


def today(db: WorldSession) -> date:
    """The world's current date in the company's timezone."""
    return db.now().astimezone(db.timezone()).date()


def get_account(db: WorldSession, account_id: int | str | None, what: str = "account") -> Account:
    """An account by id (or exact name / number), or a clear NotFound."""
    if account_id in (None, ""):
        raise BadRequest(f"choose {what}")
    acc = None
    if row_id(account_id) is not None:
        acc = db.get(Account, row_id(account_id))
    if acc is None and isinstance(account_id, str):
        acc = db.exec(select(Account).where((Account.name == account_id) | (Account.number == account_id))).first()
    if acc is None:
        raise NotFound(f"there is no account {account_id!r} ({what}); see the chart of accounts",
                       code="unknown_account")
    return acc


def account_of_type(db: WorldSession, acc_type: str) -> Account:
    """The first active account of a type (the A/R or A/P control account)."""
    acc = db.exec(select(Account).where(Account.type == acc_type, Account.active).order_by(Account.id)).first()
    if acc is None:
        raise LedgerError(f"the chart of accounts has no {acc_type} account; add one first")
    return acc


def get_contact(db: WorldSession, contact_id: int | str | None, kind: str) -> Contact:
    """A customer or vendor by id, or a clear NotFound."""
    if contact_id in (None, ""):
        raise BadRequest(f"choose a {kind}")
    contact = db.get(Contact, row_id(contact_id)) if row_id(contact_id) is not None else None
    if contact is None or contact.kind != kind:
        raise NotFound(f"there is no {kind} with id {contact_id!r}", code=f"unknown_{kind}")
    return contact


def get_contact_any(db: WorldSession, contact_id) -> Contact:
    """A customer or a vendor by id, or a clear NotFound."""
    contact = db.get(Contact, row_id(contact_id)) if row_id(contact_id) is not None else None
    if contact is None:
        raise NotFound(f"there is no customer or vendor with id {contact_id!r}", code="unknown_customer")
    return contact


def get_txn(db: WorldSession, txn_id: int | str, txn_type: str | None = None) -> Txn:
    """A transaction by id (of a type, when given), or a clear NotFound."""
    txn = db.get(Txn, row_id(txn_id)) if row_id(txn_id) is not None else None
    if txn is None or (txn_type and txn.type != txn_type):
        label = UI_LABEL.get(txn_type, "transaction") if txn_type else "transaction"
        raise NotFound(f"there is no {label.lower()} with id {txn_id!r}", code="unknown_txn")
    return txn


def get_item(db: WorldSession, item_id: int | str) -> Item:
    """A product or service by id, or a clear NotFound."""
    item = db.get(Item, row_id(item_id)) if row_id(item_id) is not None else None
    if item is None:
        raise NotFound(f"there is no product or service with id {item_id!r}", code="unknown_item")
    return item


def check_period(db: WorldSession, day: date) -> None:
    """Refuse dates in the closed period or beyond next fiscal year (outside any open period)."""
    if not isinstance(day, date):
        raise BadRequest("a transaction needs a date (YYYY-MM-DD)")
    comp = company(db)
    if comp.closing_date and day <= comp.closing_date:
        raise LedgerError(f"{day.isoformat()} is in a closed period: the books are closed through "
                          f"{comp.closing_date.isoformat()}", code="closed_period")
    limit = date(today(db).year + 1, 12, 31)
    if day > limit:
        raise LedgerError(f"{day.isoformat()} is outside any open period (dates up to {limit.isoformat()} "
                          "are accepted)", code="outside_period")


def check_sync_token(obj, sync_token: int | str | None, what: str) -> None:
    """Optimistic concurrency: the caller must have read the current version."""
    if sync_token is None or str(sync_token) == "":
        raise Conflict(f"updating {what} needs its SyncToken", code="stale_object")
    if str(sync_token) != str(obj.sync_token):
        raise Conflict(f"{what} was changed since you read it (SyncToken {sync_token} is stale; "
                       f"the current one is {obj.sync_token}); read it again and retry", code="stale_object")


# --- transaction drafts -----------------------------------------------------------------------------

@dataclass
class LineInput:
    """A document line as entered: an item or an account, quantity (thousandths) and rate, or an amount."""

    account_id: int | str | None = None
    item_id: int | str | None = None
    description: str = ""
    quantity_milli: int = 1000
    unit_cents: int | None = None
    amount_cents: int | None = None
    contact_id: int | None = None  # journal lines / deposit lines
    debit_cents: int = 0  # journal lines
    credit_cents: int = 0


@dataclass
class Draft:
    """A transaction ready to write: header fields, document lines, postings and applications."""

    type: str
    fields: dict
    lines: list[dict] = field(default_factory=list)
    postings: list[Posting] = field(default_factory=list)
    applications: list[tuple[int, int]] = field(default_factory=list)


def _doc_lines(db: WorldSession, lines: list[LineInput], side: str) -> tuple[list[dict], list[tuple[int, int]]]:
    """Resolve lines to (stored line dicts, (account id, amount) pairs); side is "sales" or "purchase"."""
    if not lines:
        raise LedgerError("add at least one line")
    stored, pairs = [], []
    for n, line in enumerate(lines, 1):
        item = get_item(db, line.item_id) if line.item_id not in (None, "") else None
        if line.account_id not in (None, ""):
            acc = get_account(db, line.account_id, f"the account on line {n}")
        elif item is not None:
            acc_id = item.income_account_id if side == "sales" else item.expense_account_id
            if acc_id is None:
                raise LedgerError(f"{item.name} has no {'income' if side == 'sales' else 'expense'} account")
            acc = db.get(Account, acc_id)
        else:
            raise LedgerError(f"line {n} needs a product/service or an account")
        if not acc.active:
            raise LedgerError(f"account {acc.name} is inactive")
        if acc.type in ("Accounts receivable", "Accounts payable"):
            raise LedgerError(f"line {n} cannot post to {acc.name}: A/R and A/P move only through "
                              "invoices, bills, payments and credits")
        ledger.check_quantity(line.quantity_milli)
        if line.unit_cents is not None:
            unit = line.unit_cents
            amount = ledger.line_amount(line.quantity_milli, unit)
            if line.amount_cents is not None and line.amount_cents != amount:
                raise LedgerError(f"line {n}: quantity x rate is {fmt(amount)}, not {fmt(line.amount_cents)}")
        elif line.amount_cents is not None:
            amount = line.amount_cents
            unit = amount * 1000 // line.quantity_milli if line.quantity_milli else amount
        elif item is not None:
            unit = item.unit_price_cents if side == "sales" else item.unit_cost_cents
            amount = ledger.line_amount(line.quantity_milli, unit)
        else:
            raise LedgerError(f"line {n} needs an amount")
        stored.append(dict(line_no=n, item_id=item.id if item else None, account_id=acc.id,
                           description=line.description or (item.description or item.name if item else ""),
                           quantity_milli=line.quantity_milli, unit_cents=unit, amount_cents=amount))
        pairs.append((acc.id, amount))
    return stored, pairs


def _terms(contact: Contact, txn_date: date, due: date | None, terms_days: int | None) -> tuple[date, int]:
    days = contact.terms_days if terms_days is None else terms_days
    if due is None:
        due = ledger.due_date(txn_date, days)
    if due < txn_date:
        raise LedgerError(f"the due date {due.isoformat()} is before the date {txn_date.isoformat()}")
    return due, days


def draft_invoice(db, *, customer_id, txn_date: date, lines: list[LineInput], due_date: date | None = None,
                  terms_days: int | None = None, doc_number: str | None = None, memo: str = "",
                  credit: bool = False) -> Draft:
    """An invoice (or, with `credit`, a credit memo) to a customer."""
    customer = get_contact(db, customer_id, "customer")
    ar = account_of_type(db, "Accounts receivable")
    stored, pairs = _doc_lines(db, lines, "sales")
    rule = ledger.post_credit_memo if credit else ledger.post_invoice
    postings = rule(ar.id, customer.id, pairs)
    total = sum(a for _acc, a in pairs)
    fields = dict(contact_id=customer.id, account_id=ar.id, txn_date=txn_date, memo=memo, total_cents=total,
                  doc_number=doc_number or "")
    if not credit:
        fields["due_date"], fields["terms_days"] = _terms(customer, txn_date, due_date, terms_days)
    return Draft("CreditMemo" if credit else "Invoice", fields, stored, postings)


def draft_bill(db, *, vendor_id, txn_date: date, lines: list[LineInput], due_date: date | None = None,
               terms_days: int | None = None, doc_number: str = "", memo: str = "", credit: bool = False) -> Draft:
    """A vendor's bill (or, with `credit`, a vendor credit)."""
    vendor = get_contact(db, vendor_id, "vendor")
    ap = account_of_type(db, "Accounts payable")
    stored, pairs = _doc_lines(db, lines, "purchase")
    rule = ledger.post_vendor_credit if credit else ledger.post_bill
    postings = rule(ap.id, vendor.id, pairs)
    fields = dict(contact_id=vendor.id, account_id=ap.id, txn_date=txn_date, memo=memo,
                  total_cents=sum(a for _acc, a in pairs), doc_number=doc_number or "")
    if not credit:
        fields["due_date"], fields["terms_days"] = _terms(vendor, txn_date, due_date, terms_days)
    return Draft("VendorCredit" if credit else "Bill", fields, stored, postings)


def _applications(db, contact: Contact, applications: list[tuple[int, int]], doc_types: tuple[str, str],
                  own_txn_id: int | None) -> tuple[list[tuple[int, int]], int]:
    """Check applications against open balances; returns them and the money amount they imply."""
    if not applications:
        raise LedgerError("apply the payment to at least one open document")
    seen: set[int] = set()
    amount = 0
    checked = []
    for target_id, cents in applications:
        target = get_txn(db, target_id)
        label = f"{UI_LABEL[target.type].lower()} {target.doc_number or '#' + str(target.id)}"
        if target.type not in doc_types or target.contact_id != contact.id:
            raise LedgerError(f"{label} is not an open {' or '.join(UI_LABEL[t].lower() for t in doc_types)} "
                              f"of {contact.display_name}")
        if target.voided:
            raise LedgerError(f"{label} is void")
        if target.id in seen:
            raise LedgerError(f"{label} is listed twice")
        seen.add(target.id)
        already = 0
        if own_txn_id is not None:  # an update: this payment's own earlier application is available again
            already = db.exec(select(func.coalesce(func.sum(Application.amount_cents), 0)).where(
                Application.txn_id == own_txn_id, Application.target_id == target.id)).one()
        ledger.check_application(label, target.balance_cents + already, cents)
        amount += cents if target.type == doc_types[0] else -cents
        checked.append((target.id, cents))
    if amount < 0:
        raise LedgerError(f"the credits applied exceed the documents paid by {fmt(-amount)}")
    return checked, amount


def draft_payment(db, *, customer_id, txn_date: date, deposit_account_id, applications: list[tuple[int, int]],
                  amount_cents: int | None = None, method: str = "", doc_number: str = "", memo: str = "",
                  own_txn_id: int | None = None) -> Draft:
    """A customer payment applied to invoices (and credit memos used)."""
    customer = get_contact(db, customer_id, "customer")
    ar = account_of_type(db, "Accounts receivable")
    bank = get_account(db, deposit_account_id, "the account to deposit to")
    if bank.type not in ("Bank", "Other current asset"):
        raise LedgerError(f"deposit to a bank account, not {bank.name} ({bank.type})")
    checked, amount = _applications(db, customer, applications, CUSTOMER_DOCS, own_txn_id)
    if amount_cents is not None and amount_cents != amount:
        raise LedgerError(f"the payment amount {fmt(amount_cents)} must equal the amounts applied "
                          f"({fmt(amount)}); unapplied payments are not supported")
    postings = ledger.post_payment(bank.id, ar.id, customer.id, amount)
    fields = dict(contact_id=customer.id, account_id=bank.id, txn_date=txn_date, total_cents=amount,
                  payment_method=method, doc_number=doc_number, memo=memo)
    return Draft("Payment", fields, [], postings, checked)


def draft_bill_payment(db, *, vendor_id, txn_date: date, pay_account_id, applications: list[tuple[int, int]],
                       amount_cents: int | None = None, method: str = "Check", doc_number: str = "",
                       memo: str = "", own_txn_id: int | None = None) -> Draft:
    """A payment to a vendor applied to bills (and vendor credits used)."""
    vendor = get_contact(db, vendor_id, "vendor")
    ap = account_of_type(db, "Accounts payable")
    pay = get_account(db, pay_account_id, "the account to pay from")
    if pay.type not in ("Bank", "Credit card"):
        raise LedgerError(f"pay bills from a bank or credit-card account, not {pay.name} ({pay.type})")
    checked, amount = _applications(db, vendor, applications, VENDOR_DOCS, own_txn_id)
    if amount_cents is not None and amount_cents != amount:
        raise LedgerError(f"the payment amount {fmt(amount_cents)} must equal the amounts applied "
                          f"({fmt(amount)}); unapplied payments are not supported")
    postings = ledger.post_bill_payment(pay.id, ap.id, vendor.id, amount)
    fields = dict(contact_id=vendor.id, account_id=pay.id, txn_date=txn_date, total_cents=amount,
                  payment_method=method, doc_number=doc_number, memo=memo)
    return Draft("BillPayment", fields, [], postings, checked)


def draft_purchase(db, *, pay_account_id, txn_date: date, lines: list[LineInput], payee_id=None,
                   payment_type: str = "", doc_number: str = "", memo: str = "", credit: bool = False) -> Draft:
    """An expense, check or card charge (not through a bill)."""
    pay = get_account(db, pay_account_id, "the payment account")
    if pay.type not in ("Bank", "Credit card"):
        raise LedgerError(f"pay an expense from a bank or credit-card account, not {pay.name} ({pay.type})")
    payee = db.get(Contact, row_id(payee_id)) if row_id(payee_id) is not None else None
    if payee_id not in (None, "") and payee is None:
        raise NotFound(f"there is no payee with id {payee_id!r}", code="unknown_vendor")
    stored, pairs = _doc_lines(db, lines, "purchase")
    postings = ledger.post_purchase(pay.id, payee.id if payee else None, pairs, credit=credit)
    payment_type = payment_type or ("CreditCard" if pay.type == "Credit card" else "Check" if doc_number else "Cash")
    fields = dict(contact_id=payee.id if payee else None, account_id=pay.id, txn_date=txn_date,
                  total_cents=sum(a for _acc, a in pairs), payment_method=payment_type, doc_number=doc_number,
                  memo=memo)
    return Draft("Purchase", fields, stored, postings)


def draft_deposit(db, *, bank_account_id, txn_date: date, lines: list[LineInput], memo: str = "",
                  doc_number: str = "") -> Draft:
    """A deposit into a bank account from income or other sources."""
    bank = get_account(db, bank_account_id, "the account to deposit to")
    if bank.type not in ("Bank", "Other current asset"):
        raise LedgerError(f"deposit to a bank account, not {bank.name} ({bank.type})")
    stored, pairs = _doc_lines(db, lines, "sales")
    for line, original in zip(stored, lines):
        line["contact_id"] = get_contact_any(db, original.contact_id).id if original.contact_id is not None else None
    postings = ledger.post_deposit(bank.id, pairs)
    fields = dict(account_id=bank.id, txn_date=txn_date, total_cents=sum(a for _acc, a in pairs), memo=memo,
                  doc_number=doc_number)
    return Draft("Deposit", fields, stored, postings)


def draft_transfer(db, *, from_account_id, to_account_id, amount_cents: int, txn_date: date,
                   memo: str = "") -> Draft:
    """Money moved between two balance-sheet accounts (for example paying the credit card)."""
    src = get_account(db, from_account_id, "the account to transfer from")
    dst = get_account(db, to_account_id, "the account to transfer to")
    for acc in (src, dst):
        if ledger.is_profit_and_loss(acc.type) or acc.type in ("Accounts receivable", "Accounts payable"):
            raise LedgerError(f"transfers move money between bank, card, asset, liability or equity accounts, "
                              f"not {acc.name} ({acc.type})")
    postings = ledger.post_transfer(src.id, dst.id, amount_cents)
    fields = dict(account_id=src.id, other_account_id=dst.id, txn_date=txn_date, total_cents=amount_cents, memo=memo)
    return Draft("Transfer", fields, [], postings)


def draft_journal(db, *, txn_date: date, lines: list[LineInput], doc_number: str = "", memo: str = "") -> Draft:
    """A journal entry: debit and credit lines that must balance."""
    if not lines:
        raise LedgerError("a journal entry needs lines")
    stored, raw = [], []
    for n, line in enumerate(lines, 1):
        acc = get_account(db, line.account_id, f"the account on line {n}")
        if acc.type in ("Accounts receivable", "Accounts payable"):
            raise LedgerError(f"line {n} cannot post to {acc.name}: use invoices, bills, payments and credits "
                              "for A/R and A/P")
        contact_id = get_contact_any(db, line.contact_id).id if line.contact_id is not None else None
        raw.append((acc.id, line.debit_cents, line.credit_cents, contact_id, line.description))
        stored.append(dict(line_no=n, account_id=acc.id, description=line.description,
                           amount_cents=line.debit_cents or line.credit_cents,
                           posting="Debit" if line.debit_cents else "Credit", contact_id=line.contact_id,
                           unit_cents=line.debit_cents or line.credit_cents))
    postings = ledger.post_journal(raw)
    total = sum(p.amount_cents for p in postings if p.amount_cents > 0)
    fields = dict(txn_date=txn_date, total_cents=total, doc_number=doc_number, memo=memo)
    return Draft("JournalEntry", fields, stored, postings)


DRAFTERS = {"Invoice": draft_invoice, "Bill": draft_bill, "Payment": draft_payment,
            "BillPayment": draft_bill_payment, "Purchase": draft_purchase, "Deposit": draft_deposit,
            "Transfer": draft_transfer, "JournalEntry": draft_journal,
            "CreditMemo": lambda db, **kw: draft_invoice(db, credit=True, **kw),
            "VendorCredit": lambda db, **kw: draft_bill(db, credit=True, **kw)}


# --- writing ----------------------------------------------------------------------------------------

def _write(db: WorldSession, txn: Txn | None, draft: Draft, source: str) -> Txn:
    ledger.check_balanced(draft.postings) if draft.postings else None
    check_period(db, draft.fields["txn_date"])
    now = db.now()
    if txn is None:
        txn = Txn(type=draft.type, created_at=now, updated_at=now, source=source, txn_date=draft.fields["txn_date"])
        if draft.type == "Invoice" and not draft.fields.get("doc_number"):
            comp = company(db)
            draft.fields["doc_number"] = f"INV-{comp.next_invoice_number}"
            comp.next_invoice_number += 1
            db.add(comp)
    else:
        txn.sync_token += 1
        txn.updated_at = now
        if not draft.fields.get("doc_number"):
            draft.fields.pop("doc_number", None)  # an update that omits the number keeps it
    for key, value in draft.fields.items():
        setattr(txn, key, value)
    if draft.type in ("Invoice", "Bill", "CreditMemo", "VendorCredit"):
        used = 0
        if txn.id is not None:
            used = db.exec(select(func.coalesce(func.sum(Application.amount_cents), 0)).where(
                Application.target_id == txn.id)).one()
        if used > txn.total_cents:
            raise LedgerError(f"{fmt(used)} is already applied to this {UI_LABEL[txn.type].lower()}; "
                              f"its total cannot drop to {fmt(txn.total_cents)}")
        txn.balance_cents = txn.total_cents - used
    db.add(txn)
    db.flush()
    for line in draft.lines:
        db.add(DocLine(txn_id=txn.id, **line))
    for posting in draft.postings:
        db.add(Split(txn_id=txn.id, account_id=posting.account_id, amount_cents=posting.amount_cents,
                     txn_date=txn.txn_date,
                     contact_id=posting.contact_id, memo=posting.memo))
    for target_id, cents in draft.applications:
        target = db.get(Txn, target_id)
        target.balance_cents -= cents
        db.add(target)
        db.add(Application(txn_id=txn.id, target_id=target_id, amount_cents=cents))
    db.flush()
    return txn


def _check_open_period(db: WorldSession, txn: Txn, verb: str) -> None:
    comp = company(db)
    if comp.closing_date and txn.txn_date <= comp.closing_date:
        raise LedgerError(f"this {UI_LABEL[txn.type].lower()} is dated in a closed period (the books are closed "
                          f"through {comp.closing_date.isoformat()}); you cannot {verb} it", code="closed_period")


def _check_not_reconciled(db: WorldSession, txn: Txn, verb: str) -> None:
    reconciled = db.exec(select(Split).where(Split.txn_id == txn.id, Split.cleared == "R")).first()
    if reconciled is not None:
        raise LedgerError(f"this {UI_LABEL[txn.type].lower()} was reconciled; undo the reconciliation "
                          f"before you {verb} it", code="reconciled")


def _check_no_payments(db: WorldSession, txn: Txn, verb: str) -> None:
    if db.exec(select(Application).where(Application.target_id == txn.id)).first() is not None:
        raise LedgerError(f"payments or credits are applied to this {UI_LABEL[txn.type].lower()}; "
                          f"void or delete them before you {verb} it", code="has_payments")


def _unwrite(db: WorldSession, txn: Txn, keep_lines: bool = False) -> None:
    """Remove a transaction's splits, applications (restoring document balances) and lines."""
    for app in db.exec(select(Application).where(Application.txn_id == txn.id)).all():
        target = db.get(Txn, app.target_id)
        target.balance_cents += app.amount_cents
        db.add(target)
        db.delete(app)
    for split in db.exec(select(Split).where(Split.txn_id == txn.id)).all():
        db.delete(split)
    if not keep_lines:
        for line in db.exec(select(DocLine).where(DocLine.txn_id == txn.id)).all():
            db.delete(line)
    db.flush()


def create_txn(db: WorldSession, txn_type: str, *, source: str = "ui",
               attachment: tuple[str, str, bytes] | None = None, **kwargs) -> Txn:
    """Create a transaction of any type from the drafter's keyword arguments (one named operation),
    optionally with a file (name, content type, bytes) attached in the same operation."""
    if txn_type not in DRAFTERS:
        raise BadRequest(f"unknown transaction type {txn_type!r}")
    args = {k: v for k, v in kwargs.items() if k != "lines"}
    if attachment is not None:
        args["attachment"] = attachment[0]
    with db.operation(op_name(txn_type, "create"), type=txn_type, **_op_args(args)):
        draft = DRAFTERS[txn_type](db, **kwargs)
        txn = _write(db, None, draft, source)
        if attachment is not None:
            add_attachment(db, txn.id, *attachment)
        return txn


def update_txn(db: WorldSession, txn_id: int, sync_token, *, source: str = "ui", **kwargs) -> Txn:
    """Replace a transaction's content (its SyncToken must be current; reconciled ones are locked)."""
    txn = get_txn(db, txn_id)
    check_sync_token(txn, sync_token, f"{UI_LABEL[txn.type].lower()} {txn.id}")
    if txn.voided:
        raise LedgerError("a voided transaction cannot be changed")
    args = {k: v for k, v in kwargs.items() if k != "lines"}
    with db.operation(op_name(txn.type, "update"), id=txn.id, **_op_args(args)):
        _check_open_period(db, txn, "change")
        _check_not_reconciled(db, txn, "change")
        if txn.type in ("Payment", "BillPayment"):
            kwargs["own_txn_id"] = txn.id
        draft = DRAFTERS[txn.type](db, **kwargs)
        if draft.type != txn.type:
            raise BadRequest("a transaction's type cannot change")
        _unwrite(db, txn)
        return _write(db, txn, draft, source)


def void_txn(db: WorldSession, txn_id: int, sync_token=None) -> Txn:
    """Void: amounts become zero, the record stays (marked Voided); payments release their documents."""
    txn = get_txn(db, txn_id)
    if sync_token is not None:
        check_sync_token(txn, sync_token, f"{UI_LABEL[txn.type].lower()} {txn.id}")
    if txn.voided:
        raise LedgerError("this transaction is already void")
    with db.operation(op_name(txn.type, "void"), id=txn.id):
        _check_open_period(db, txn, "void")
        _check_not_reconciled(db, txn, "void")
        _check_no_payments(db, txn, "void")
        _unwrite(db, txn, keep_lines=True)
        _release_bank_lines(db, txn)
        txn.voided = True
        txn.total_cents = 0
        txn.balance_cents = 0
        txn.memo = ("Voided" + (f": {txn.memo}" if txn.memo else ""))[:500]
        txn.sync_token += 1
        txn.updated_at = db.now()
        db.add(txn)
        return txn


def delete_txn(db: WorldSession, txn_id: int, sync_token=None) -> None:
    """Delete a transaction and everything hanging off it."""
    txn = get_txn(db, txn_id)
    if sync_token is not None:
        check_sync_token(txn, sync_token, f"{UI_LABEL[txn.type].lower()} {txn.id}")
    with db.operation(op_name(txn.type, "delete"), id=txn.id):
        _check_open_period(db, txn, "delete")
        _check_not_reconciled(db, txn, "delete")
        _check_no_payments(db, txn, "delete")
        _unwrite(db, txn)
        _release_bank_lines(db, txn)
        for att in db.exec(select(Attachment).where(Attachment.txn_id == txn.id)).all():
            db.delete(att)
        db.flush()
        db.delete(txn)


def _release_bank_lines(db: WorldSession, txn: Txn) -> None:
    from mock_apps.books.models import BankLine

    for line in db.exec(select(BankLine).where(BankLine.txn_id == txn.id)).all():
        line.status, line.txn_id, line.action = "review", None, ""
        db.add(line)


def _op_args(args: dict) -> dict:
    """Operation arguments kept semantic and JSON-friendly (ids, dates, amounts)."""
    out = {}
    for key, value in args.items():
        key = "new_name" if key == "name" else key  # `name` is the operation's own parameter
        if key == "applications":
            out[key] = [[int(t), int(c)] for t, c in value]
        elif isinstance(value, (str, int, float, bool, date)) or value is None:
            out[key] = value
    return out


# --- contacts, accounts, items -----------------------------------------------------------------------

CONTACT_FIELDS = ("display_name", "company_name", "contact_name", "email", "phone", "address", "terms_days",
                  "default_account_id", "active")


_CONTACT_TEXT = {"display_name": "display name", "company_name": "company name", "contact_name": "contact name",
                 "email": "email address", "phone": "phone number", "address": "address"}


def _check_contact(db, kind: str, values: dict, own_id: int | None) -> None:
    for field, label in _CONTACT_TEXT.items():
        # an API body can put an object, a list or a number where text belongs: refused here, before SQLite sees it
        if values.get(field) is not None and not isinstance(values[field], str):
            raise BadRequest(f"the {kind}'s {label} must be text, not {type(values[field]).__name__}",
                             code="invalid_line")
    name = (values.get("display_name") or "").strip()
    if not name:
        raise BadRequest(f"a {kind} needs a display name")
    values["display_name"] = name
    clash = db.exec(select(Contact).where(func.lower(Contact.display_name) == name.lower())).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(f"the name {name!r} is already used by a {clash.kind} (Id {clash.id}); names must be "
                       "unique across customers and vendors", code="duplicate_name")
    if not 0 <= int(values.get("terms_days") or 0) <= 3650:
        raise BadRequest("payment terms run from 0 to 3650 days")
    if values.get("default_account_id") not in (None, ""):
        get_account(db, values["default_account_id"], "the default expense account")


def create_contact(db: WorldSession, kind: str, **values) -> Contact:
    """Add a customer or vendor (display names are unique across both)."""
    if kind not in ("customer", "vendor"):
        raise BadRequest(f"unknown contact kind {kind!r}")
    values = {k: v for k, v in values.items() if k in CONTACT_FIELDS and v is not None}
    with db.operation(f"books.{kind}.create", display_name=values.get("display_name")):
        _check_contact(db, kind, values, None)
        now = db.now()
        contact = Contact(kind=kind, created_at=now, updated_at=now, **values)
        db.add(contact)
        db.flush()
        return contact


def update_contact(db: WorldSession, contact_id: int, kind: str, sync_token, **values) -> Contact:
    """Change a customer's or vendor's details (SyncToken must be current)."""
    contact = get_contact(db, contact_id, kind)
    check_sync_token(contact, sync_token, f"{kind} {contact.id}")
    values = {k: v for k, v in values.items() if k in CONTACT_FIELDS and v is not None}
    with db.operation(f"books.{kind}.update", id=contact.id, **_op_args(values)):
        merged = {f: getattr(contact, f) for f in CONTACT_FIELDS} | values
        _check_contact(db, kind, merged, contact.id)
        for key, value in merged.items():
            setattr(contact, key, value)
        contact.sync_token += 1
        contact.updated_at = db.now()
        db.add(contact)
        return contact


ACCOUNT_FIELDS = ("number", "name", "type", "detail_type", "description", "parent_id", "active")


def _check_account(db, values: dict, own_id: int | None) -> None:
    name = (values.get("name") or "").strip()
    if not name:
        raise BadRequest("an account needs a name")
    if ":" in name or '"' in name:
        raise BadRequest("account names cannot contain ':' or '\"'")
    values["name"] = name
    ledger.account_class(values.get("type") or "")
    for column, label in ((Account.name, "name"), (Account.number, "number")):
        wanted = values.get(label)
        if not wanted:
            continue
        clash = db.exec(select(Account).where(column == wanted)).first()
        if clash is not None and clash.id != own_id:
            raise Conflict(f"an account with the {label} {wanted!r} already exists", code="duplicate_name")
    if values.get("parent_id") not in (None, ""):
        parent = get_account(db, values["parent_id"], "the parent account")
        if parent.type != values["type"]:
            raise BadRequest(f"a sub-account must have its parent's type ({parent.type})")
        if parent.id == own_id:
            raise BadRequest("an account cannot be its own parent")


def create_account(db: WorldSession, **values) -> Account:
    """Add an account to the chart of accounts."""
    values = {k: v for k, v in values.items() if k in ACCOUNT_FIELDS and v is not None}
    with db.operation("books.account.create", account=values.get("name"), type=values.get("type")):
        _check_account(db, values, None)
        now = db.now()
        acc = Account(created_at=now, updated_at=now, **values)
        db.add(acc)
        db.flush()
        return acc


def update_account(db: WorldSession, account_id: int, sync_token, **values) -> Account:
    """Rename, renumber, re-describe or (de)activate an account; its type is fixed once used."""
    acc = get_account(db, account_id)
    check_sync_token(acc, sync_token, f"account {acc.id}")
    values = {k: v for k, v in values.items() if k in ACCOUNT_FIELDS and v is not None}
    with db.operation("books.account.update", id=acc.id, **_op_args(values)):
        merged = {f: getattr(acc, f) for f in ACCOUNT_FIELDS} | values
        _check_account(db, merged, acc.id)
        used = db.exec(select(Split.id).where(Split.account_id == acc.id).limit(1)).first() is not None
        if merged["type"] != acc.type and used:
            raise LedgerError(f"{acc.name} has transactions; its type cannot change from {acc.type}")
        if not merged["active"] and acc.active and account_balance(db, acc.id) != 0:
            raise LedgerError(f"{acc.name} has a balance; move it before you make the account inactive")
        for key, value in merged.items():
            setattr(acc, key, value)
        acc.sync_token += 1
        acc.updated_at = db.now()
        db.add(acc)
        return acc


ITEM_FIELDS = ("sku", "name", "description", "type", "unit_price_cents", "unit_cost_cents", "income_account_id",
               "expense_account_id", "vendor_id", "active")


def _check_item(db, values: dict, own_id: int | None) -> None:
    name = (values.get("name") or "").strip()
    if not name:
        raise BadRequest("a product or service needs a name")
    values["name"] = name
    if values.get("type", "NonInventory") not in ("Service", "NonInventory", "Inventory"):
        raise BadRequest("an item's type is Service, NonInventory or Inventory")
    clash = db.exec(select(Item).where(Item.name == name)).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(f"a product or service named {name!r} already exists", code="duplicate_name")
    if values.get("income_account_id") in (None, "") and values.get("expense_account_id") in (None, ""):
        raise BadRequest("a product or service needs an income account or an expense account")
    for key in ("income_account_id", "expense_account_id"):
        if values.get(key) not in (None, ""):
            values[key] = get_account(db, values[key], key.replace("_id", "").replace("_", " ")).id
    for key in ("unit_price_cents", "unit_cost_cents"):
        if int(values.get(key) or 0) < 0:
            raise BadRequest("prices and costs cannot be negative")


def create_item(db: WorldSession, **values) -> Item:
    """Add a product or service."""
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS and v is not None}
    with db.operation("books.item.create", item=values.get("name")):
        _check_item(db, values, None)
        now = db.now()
        item = Item(created_at=now, updated_at=now, **values)
        db.add(item)
        db.flush()
        return item


def update_item(db: WorldSession, item_id: int, sync_token, **values) -> Item:
    """Change a product or service (SyncToken must be current)."""
    item = get_item(db, item_id)
    check_sync_token(item, sync_token, f"item {item.id}")
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS and v is not None}
    with db.operation("books.item.update", id=item.id, **_op_args(values)):
        merged = {f: getattr(item, f) for f in ITEM_FIELDS} | values
        _check_item(db, merged, item.id)
        for key, value in merged.items():
            setattr(item, key, value)
        item.sync_token += 1
        item.updated_at = db.now()
        db.add(item)
        return item


# --- attachments ------------------------------------------------------------------------------------

def add_attachment(db: WorldSession, txn_id: int, filename: str, content_type: str, data: bytes) -> Attachment:
    """Attach a file (for example the vendor's PDF invoice) to a transaction."""
    txn = get_txn(db, txn_id)
    filename = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not filename:
        raise BadRequest("choose a file to attach")
    if not data:
        raise BadRequest(f"{filename} is empty")
    with db.operation("books.attachment.add", txn_id=txn.id, filename=filename, size=len(data)):
        att = Attachment(txn_id=txn.id, filename=filename[:200], content_type=content_type or
                         "application/octet-stream", size=len(data), data=data, created_at=db.now())
        db.add(att)
        db.flush()
        return att


def delete_attachment(db: WorldSession, attachment_id: int) -> None:
    """Remove an attachment."""
    att = db.get(Attachment, attachment_id)
    if att is None:
        raise NotFound(f"there is no attachment {attachment_id}")
    with db.operation("books.attachment.delete", id=att.id, txn_id=att.txn_id):
        db.delete(att)


# --- balances ---------------------------------------------------------------------------------------

def account_balance(db: WorldSession, account_id: int, as_of: date | None = None) -> int:
    """An account's debit-positive balance (to a date, inclusive)."""
    stmt = select(func.coalesce(func.sum(Split.amount_cents), 0)).where(Split.account_id == account_id)
    if as_of is not None:
        stmt = stmt.where(Split.txn_date <= as_of)
    return db.exec(stmt).one()


def find_duplicate_bill(db: WorldSession, vendor_id, doc_number: str) -> Txn | None:
    """A live bill of the vendor with the same bill number (case-insensitive), if any."""
    if not doc_number or not str(vendor_id or "").isdecimal():
        return None
    return db.exec(select(Txn).where(Txn.type == "Bill", Txn.contact_id == int(vendor_id), Txn.voided == False,  # noqa: E712
                                     func.lower(Txn.doc_number) == doc_number.strip().lower())).first()


def open_documents(db: WorldSession, contact_id: int, types: tuple[str, ...]) -> list[Txn]:
    """A contact's documents with an open balance, oldest first."""
    return list(db.exec(select(Txn).where(Txn.contact_id == contact_id, Txn.type.in_(types), Txn.balance_cents > 0,
                                          Txn.voided == False).order_by(Txn.txn_date, Txn.id)).all())  # noqa: E712


def set_closing_date(db: WorldSession, closing: date | None) -> Company:
    """Close the books through a date (no transaction on or before it can be entered or changed)."""
    comp = company(db)
    if closing is not None and closing > today(db):
        raise LedgerError(f"the closing date {closing.isoformat()} is in the future; close only past periods")
    with db.operation("books.company.close_books", closing_date=closing):
        comp.closing_date = closing
        db.add(comp)
        return comp
