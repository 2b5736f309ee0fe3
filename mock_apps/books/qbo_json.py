"""QuickBooks Online v3 JSON: entities rendered from the books' rows, and request bodies parsed into
service-layer arguments.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlmodel import func, select

from mock_apps.books import ledger, service
from mock_apps.books.models import Account, Application, Contact, DocLine, Item, Split, Txn
from mock_apps.books.service import LineInput
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest

ENTITIES = ("Account", "Item", "Customer", "Vendor", *service.TXN_TYPES)
# Attachable is read, queried and deleted like an entity but created through the upload endpoint.
QUERYABLE = (*ENTITIES, "Attachable")
BY_LOWER = {name.lower(): name for name in ENTITIES}
QUERY_LOWER = {name.lower(): name for name in QUERYABLE}


# --- scalar conversions -----------------------------------------------------------------------------

def money(cents: int | None) -> float:
    """Cents as QuickBooks' decimal number."""
    return round((cents or 0) / 100, 2)


def to_cents(value, what: str) -> int:
    """A QuickBooks amount (number or numeric string) in cents, refusing more than two decimals."""
    if isinstance(value, bool) or value is None or value == "":
        raise BadRequest(f"{what} must be a number", code="invalid_number")
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        raise BadRequest(f"{what} must be a number, not {str(value)[:40]!r}", code="invalid_number") from None
    if not dec.is_finite() or abs(dec) > ledger.MAX_CENTS // 100:
        raise BadRequest(f"{what} is out of range (got {str(value)[:40]})", code="invalid_number")
    if dec != dec.quantize(Decimal("0.01")):
        raise BadRequest(f"{what} takes at most two decimals (got {value})", code="invalid_number")
    return int(dec * 100)


def to_milli(value, what: str) -> int:
    """A quantity in thousandths."""
    try:
        dec = Decimal(str(value))
    except InvalidOperation:
        raise BadRequest(f"{what} must be a number, not {str(value)[:40]!r}", code="invalid_number") from None
    if not dec.is_finite() or abs(dec) > ledger.MAX_QUANTITY_MILLI // 1000:
        raise BadRequest(f"{what} is out of range (got {str(value)[:40]})", code="invalid_number")
    return int((dec * 1000).to_integral_value())


def to_date(value, what: str) -> date:
    """A YYYY-MM-DD date."""
    try:
        return date.fromisoformat(str(value)[:10]) if len(str(value)) >= 10 else date.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"{what} must be a date as YYYY-MM-DD, not {str(value)[:40]!r}", code="invalid_date") from None


def stamp(moment: datetime, tz) -> str:
    """QuickBooks' timestamp format in the company's timezone."""
    return moment.astimezone(tz).isoformat(timespec="seconds")


def ref(body: dict, key: str, required: str | None = None):
    """The `value` of a `...Ref` object (or None), with a clear error when a required one is missing."""
    obj = body.get(key)
    if isinstance(obj, dict) and obj.get("value") not in (None, ""):
        return str(obj["value"])
    if isinstance(obj, (str, int)) and str(obj):
        return str(obj)
    if required:
        raise BadRequest(f"{key} is required: {required}", code="required_param")
    return None


def _ref(value, name: str | None = None) -> dict | None:
    if value is None:
        return None
    out = {"value": str(value)}
    if name is not None:
        out["name"] = name
    return out


# --- rendering ----------------------------------------------------------------------------------------

class Renderer:
    """Renders rows to QuickBooks JSON, caching the lookups one request needs."""

    def __init__(self, db: WorldSession):
        self.db = db
        self.tz = db.timezone()
        self._accounts: dict[int, Account] | None = None
        self._contacts: dict[int, Contact] = {}
        self._items: dict[int, Item] = {}
        self._acc_balances: dict[int, int] | None = None
        self._contact_balances: dict[int, int] | None = None
        self._lines: dict[int, list[DocLine]] = {}
        self._links: dict[int, list[dict]] = {}

    def prefetch(self, txns: list[Txn]) -> None:
        """Read the lines and payment links of a page of transactions in two queries, not two per row."""
        ids = [t.id for t in txns]
        if not ids:
            return
        for txn_id in ids:
            self._lines[txn_id] = []
            self._links[txn_id] = []
        for line in self.db.exec(select(DocLine).where(DocLine.txn_id.in_(ids))
                                 .order_by(DocLine.txn_id, DocLine.line_no)).all():
            self._lines[line.txn_id].append(line)
        for target_id, pid, ptype in self.db.exec(
                select(Application.target_id, Application.txn_id, Txn.type).join(Txn, Txn.id == Application.txn_id)
                .where(Application.target_id.in_(ids)).order_by(Application.id)).all():
            self._links[target_id].append({"TxnId": str(pid), "TxnType": ptype})

    def account(self, account_id: int | None) -> Account | None:
        """The account with this id (all accounts read once per request)."""
        if account_id is None:
            return None
        if self._accounts is None:
            self._accounts = {a.id: a for a in self.db.exec(select(Account)).all()}
        return self._accounts.get(account_id)

    def contact(self, contact_id: int | None) -> Contact | None:
        """The customer or vendor with this id (cached)."""
        if contact_id is None:
            return None
        if contact_id not in self._contacts:
            self._contacts[contact_id] = self.db.get(Contact, contact_id)
        return self._contacts[contact_id]

    def item(self, item_id: int | None) -> Item | None:
        """The product or service with this id (cached)."""
        if item_id is None:
            return None
        if item_id not in self._items:
            self._items[item_id] = self.db.get(Item, item_id)
        return self._items[item_id]

    def acc_ref(self, account_id: int | None) -> dict | None:
        """An AccountRef ({value, name}) or None."""
        acc = self.account(account_id)
        return _ref(acc.id, acc.name) if acc else None

    def contact_ref(self, contact_id: int | None, with_type: bool = False) -> dict | None:
        """A CustomerRef/VendorRef/EntityRef ({value, name[, type]}) or None."""
        contact = self.contact(contact_id)
        if contact is None:
            return None
        out = _ref(contact.id, contact.display_name)
        if with_type:
            out["type"] = contact.kind.capitalize()
        return out

    def meta(self, row) -> dict:
        """QuickBooks' MetaData (create and update times in company time)."""
        return {"CreateTime": stamp(row.created_at, self.tz), "LastUpdatedTime": stamp(row.updated_at, self.tz)}

    def render(self, entity: str, row) -> dict:
        """Any entity's JSON."""
        if entity == "Account":
            return self.render_account(row)
        if entity == "Item":
            return self.render_item(row)
        if entity in ("Customer", "Vendor"):
            return self.render_contact(row)
        if entity == "Attachable":
            return self.render_attachable(row)
        return self.render_txn(row)

    def render_attachable(self, att) -> dict:
        """An attachment as QuickBooks' Attachable (the download URI is the app's own download link)."""
        from flask import url_for

        txn = self.db.get(Txn, att.txn_id)
        uri = url_for("books.attachment", attachment_id=att.id, _external=True)
        created = stamp(att.created_at, self.tz)
        return {"Id": str(att.id), "SyncToken": "0", "FileName": att.filename, "ContentType": att.content_type,
                "Size": att.size, "FileAccessUri": uri, "TempDownloadUri": uri,
                "AttachableRef": [{"EntityRef": {"type": txn.type, "value": str(txn.id)}, "IncludeOnSend": False}],
                "domain": "QBO", "sparse": False, "MetaData": {"CreateTime": created, "LastUpdatedTime": created}}

    def render_account(self, acc: Account) -> dict:
        """An Account with its current balance."""
        if self._acc_balances is None:
            self._acc_balances = dict(self.db.exec(select(Split.account_id, func.sum(Split.amount_cents))
                                                   .group_by(Split.account_id)).all())
        balance = ledger.natural_balance(acc.type, self._acc_balances.get(acc.id, 0))
        parent = self.account(acc.parent_id)
        return {k: v for k, v in {
            "Id": str(acc.id), "SyncToken": str(acc.sync_token), "Name": acc.name, "AcctNum": acc.number,
            "FullyQualifiedName": f"{parent.name}:{acc.name}" if parent else acc.name,
            "SubAccount": parent is not None, "ParentRef": self.acc_ref(acc.parent_id),
            "AccountType": ledger.ACCOUNT_TYPES[acc.type][1], "AccountSubType": acc.detail_type,
            "Classification": ledger.account_class(acc.type), "Description": acc.description,
            "Active": acc.active, "CurrentBalance": money(balance),
            "CurrentBalanceWithSubAccounts": money(balance), "CurrencyRef": {"value": "USD", "name": "United States Dollar"},
            "domain": "QBO", "sparse": False, "MetaData": self.meta(acc),
        }.items() if v is not None}

    def contact_balance(self, contact: Contact) -> int:
        """A customer's or vendor's open balance (all balances read once per request)."""
        if self._contact_balances is None:
            rows = self.db.exec(select(Txn.contact_id, Txn.type, func.sum(Txn.balance_cents)).where(
                Txn.type.in_(("Invoice", "CreditMemo", "Bill", "VendorCredit")), Txn.voided == False)  # noqa: E712
                .group_by(Txn.contact_id, Txn.type)).all()
            balances: dict[int, int] = {}
            for contact_id, txn_type, total in rows:
                sign = 1 if txn_type in ("Invoice", "Bill") else -1
                balances[contact_id] = balances.get(contact_id, 0) + sign * (total or 0)
            self._contact_balances = balances
        return self._contact_balances.get(contact.id, 0)

    def render_contact(self, c: Contact) -> dict:
        """A Customer or Vendor."""
        out = {
            "Id": str(c.id), "SyncToken": str(c.sync_token), "DisplayName": c.display_name,
            "CompanyName": c.company_name, "PrintOnCheckName": c.company_name or c.display_name,
            "Active": c.active, "Balance": money(self.contact_balance(c)),
            "PrimaryEmailAddr": {"Address": c.email} if c.email else None,
            "PrimaryPhone": {"FreeFormNumber": c.phone} if c.phone else None,
            "BillAddr": {"Line1": c.address} if c.address else None,
            "domain": "QBO", "sparse": False, "MetaData": self.meta(c),
        }
        if c.contact_name:
            first, _, last = c.contact_name.partition(" ")
            out["GivenName"], out["FamilyName"] = first, last
        if c.kind == "vendor":
            out["TermRef"] = {"value": str(c.terms_days), "name": f"Net {c.terms_days}"} if c.terms_days else None
        else:
            out["SalesTermRef"] = {"value": str(c.terms_days), "name": f"Net {c.terms_days}"}
        return {k: v for k, v in out.items() if v is not None}

    def render_item(self, item: Item) -> dict:
        """An Item."""
        return {k: v for k, v in {
            "Id": str(item.id), "SyncToken": str(item.sync_token), "Name": item.name, "Sku": item.sku,
            "Description": item.description, "Type": item.type, "Active": item.active,
            "UnitPrice": money(item.unit_price_cents), "PurchaseCost": money(item.unit_cost_cents),
            "IncomeAccountRef": self.acc_ref(item.income_account_id),
            "ExpenseAccountRef": self.acc_ref(item.expense_account_id),
            "FullyQualifiedName": item.name, "domain": "QBO", "sparse": False, "MetaData": self.meta(item),
        }.items() if v is not None}

    def render_txn(self, txn: Txn) -> dict:
        """Any transaction type with its Line array and type-specific fields."""
        db = self.db
        lines = self._lines.get(txn.id)
        if lines is None:
            lines = list(db.exec(select(DocLine).where(DocLine.txn_id == txn.id).order_by(DocLine.line_no)).all())
        out: dict = {"Id": str(txn.id), "SyncToken": str(txn.sync_token), "TxnDate": txn.txn_date.isoformat(),
                     "domain": "QBO", "sparse": False, "MetaData": self.meta(txn),
                     "CurrencyRef": {"value": "USD", "name": "United States Dollar"}}
        if txn.doc_number:
            out["DocNumber"] = txn.doc_number
        if txn.memo:
            out["PrivateNote"] = txn.memo
        t = txn.type
        if t in ("Invoice", "CreditMemo"):
            out["CustomerRef"] = self.contact_ref(txn.contact_id)
            out["Line"] = [self._sales_line(n) for n in lines] + [
                {"Amount": money(txn.total_cents), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}]
            out["TotalAmt"] = money(txn.total_cents)
            out["Balance"] = money(txn.balance_cents)
            if t == "Invoice":
                out["DueDate"] = txn.due_date.isoformat() if txn.due_date else None
                out["SalesTermRef"] = {"value": str(txn.terms_days or 0), "name": f"Net {txn.terms_days or 0}"}
                out["ARAccountRef"] = self.acc_ref(txn.account_id)
            else:
                out["RemainingCredit"] = money(txn.balance_cents)
            out["LinkedTxn"] = self._linked_payments(txn)
        elif t in ("Bill", "VendorCredit"):
            out["VendorRef"] = self.contact_ref(txn.contact_id)
            out["APAccountRef"] = self.acc_ref(txn.account_id)
            out["Line"] = [self._expense_line(n) for n in lines]
            out["TotalAmt"] = money(txn.total_cents)
            out["Balance"] = money(txn.balance_cents)
            if t == "Bill":
                out["DueDate"] = txn.due_date.isoformat() if txn.due_date else None
            out["LinkedTxn"] = self._linked_payments(txn)
        elif t in ("Payment", "BillPayment"):
            apps = db.exec(select(Application, Txn.type).join(Txn, Txn.id == Application.target_id)
                           .where(Application.txn_id == txn.id).order_by(Application.id)).all()
            out["Line"] = [{"Amount": money(a.amount_cents),
                            "LinkedTxn": [{"TxnId": str(a.target_id), "TxnType": target_type}]} for a, target_type in apps]
            out["TotalAmt"] = money(txn.total_cents)
            if t == "Payment":
                out["CustomerRef"] = self.contact_ref(txn.contact_id)
                out["DepositToAccountRef"] = self.acc_ref(txn.account_id)
                out["UnappliedAmt"] = 0.0
                out["PaymentRefNum"] = txn.doc_number
                if txn.payment_method:
                    out["PaymentMethodRef"] = {"value": txn.payment_method, "name": txn.payment_method}
            else:
                out["VendorRef"] = self.contact_ref(txn.contact_id)
                acc = self.account(txn.account_id)
                if acc and acc.type == "Credit card":
                    out["PayType"] = "CreditCard"
                    out["CreditCardPayment"] = {"CCAccountRef": self.acc_ref(acc.id)}
                else:
                    out["PayType"] = "Check"
                    out["CheckPayment"] = {"BankAccountRef": self.acc_ref(txn.account_id), "PrintStatus": "NotSet"}
        elif t == "Purchase":
            out["AccountRef"] = self.acc_ref(txn.account_id)
            out["PaymentType"] = txn.payment_method or "Cash"
            if txn.contact_id:
                out["EntityRef"] = self.contact_ref(txn.contact_id, with_type=True)
            out["Line"] = [self._expense_line(n) for n in lines]
            out["TotalAmt"] = money(txn.total_cents)
            splits = db.exec(select(Split).where(Split.txn_id == txn.id, Split.account_id == txn.account_id)).all()
            out["Credit"] = any(s.amount_cents > 0 for s in splits)
        elif t == "JournalEntry":
            out["Line"] = [{
                "Id": str(n.line_no), "Description": n.description, "Amount": money(n.amount_cents),
                "DetailType": "JournalEntryLineDetail",
                "JournalEntryLineDetail": {k: v for k, v in {
                    "PostingType": n.posting, "AccountRef": self.acc_ref(n.account_id),
                    "Entity": {"EntityRef": self.contact_ref(n.contact_id), "Type": self.contact(n.contact_id).kind.capitalize()}
                    if n.contact_id else None}.items() if v is not None}} for n in lines]
            out["TotalAmt"] = money(txn.total_cents)
            out["Adjustment"] = False
        elif t == "Deposit":
            out["DepositToAccountRef"] = self.acc_ref(txn.account_id)
            out["Line"] = [{
                "Id": str(n.line_no), "LineNum": n.line_no, "Description": n.description,
                "Amount": money(n.amount_cents), "DetailType": "DepositLineDetail",
                "DepositLineDetail": {k: v for k, v in {
                    "AccountRef": self.acc_ref(n.account_id),
                    "Entity": self.contact_ref(n.contact_id, with_type=True)}.items() if v is not None}} for n in lines]
            out["TotalAmt"] = money(txn.total_cents)
        elif t == "Transfer":
            out["FromAccountRef"] = self.acc_ref(txn.account_id)
            out["ToAccountRef"] = self.acc_ref(txn.other_account_id)
            out["Amount"] = money(txn.total_cents)
        if txn.voided:
            out["PrivateNote"] = txn.memo
        return {k: v for k, v in out.items() if v is not None}

    def _sales_line(self, n: DocLine) -> dict:
        detail = {"Qty": n.quantity_milli / 1000, "UnitPrice": money(n.unit_cents),
                  "ItemAccountRef": self.acc_ref(n.account_id)}
        item = self.item(n.item_id)
        if item is not None:
            detail["ItemRef"] = _ref(item.id, item.name)
        return {"Id": str(n.line_no), "LineNum": n.line_no, "Description": n.description,
                "Amount": money(n.amount_cents), "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}

    def _expense_line(self, n: DocLine) -> dict:
        item = self.item(n.item_id)
        base = {"Id": str(n.line_no), "LineNum": n.line_no, "Description": n.description,
                "Amount": money(n.amount_cents)}
        if item is not None:
            return base | {"DetailType": "ItemBasedExpenseLineDetail", "ItemBasedExpenseLineDetail": {
                "ItemRef": _ref(item.id, item.name), "Qty": n.quantity_milli / 1000, "UnitPrice": money(n.unit_cents),
                "BillableStatus": "NotBillable"}, "AccountRef": self.acc_ref(n.account_id)}
        return base | {"DetailType": "AccountBasedExpenseLineDetail", "AccountBasedExpenseLineDetail": {
            "AccountRef": self.acc_ref(n.account_id), "BillableStatus": "NotBillable"}}

    def _linked_payments(self, txn: Txn) -> list[dict]:
        if txn.id in self._links:
            return self._links[txn.id]
        rows = self.db.exec(select(Application.txn_id, Txn.type).join(Txn, Txn.id == Application.txn_id)
                            .where(Application.target_id == txn.id).order_by(Application.id)).all()
        return [{"TxnId": str(pid), "TxnType": ptype} for pid, ptype in rows]


# --- parsing request bodies ---------------------------------------------------------------------------

def _lines(body: dict) -> list[dict]:
    lines = body.get("Line")
    if lines is None:
        return []
    if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
        raise BadRequest("Line must be a list of line objects", code="invalid_line")
    return lines


def _doc_line(line: dict, n: int, detail_types: tuple[str, ...]) -> LineInput | None:
    detail_type = line.get("DetailType")
    if detail_type in ("SubTotalLineDetail",):
        return None
    if detail_type not in detail_types:
        raise BadRequest(f"Line {n}: DetailType must be one of {', '.join(detail_types)} (got {detail_type!r})",
                         code="invalid_line")
    detail = line.get(detail_type) or {}
    if not isinstance(detail, dict):
        raise BadRequest(f"Line {n}: {detail_type} must be an object", code="invalid_line")
    amount = to_cents(line["Amount"], f"Line {n} Amount") if line.get("Amount") not in (None, "") else None
    qty = to_milli(detail["Qty"], f"Line {n} Qty") if detail.get("Qty") not in (None, "") else 1000
    if qty == 0 and amount is not None:
        qty = 1000  # clients send Qty 0 for "no quantity"; the Amount is the line
    unit = to_cents(detail["UnitPrice"], f"Line {n} UnitPrice") if detail.get("UnitPrice") not in (None, "") else None
    if unit is not None and amount is not None and ledger.line_amount(qty, unit) != amount:
        unit = None  # QuickBooks keeps Amount when Qty x UnitPrice rounds differently
    if unit is None and amount is None and ref(detail, "ItemRef") is None:
        raise BadRequest(f"Line {n} needs an Amount", code="required_param")
    return LineInput(item_id=ref(detail, "ItemRef"),
                     account_id=ref(detail, "AccountRef") or ref(detail, "ItemAccountRef"),
                     description=str(line.get("Description") or ""), quantity_milli=qty, unit_cents=unit,
                     amount_cents=amount if unit is None else None)


def _entity_id(value: str | None, n: int) -> int | None:
    if value is None:
        return None
    if service.row_id(value) is None:
        raise BadRequest(f"Line {n}: the entity reference {value!r} is not an id", code="unknown_customer")
    return service.row_id(value)


def _date(body: dict, key: str, default: date | None) -> date | None:
    value = body.get(key)
    return to_date(value, key) if value not in (None, "") else default


def _terms(body: dict, key: str) -> int | None:
    """Net-N terms from a term reference whose value is the number of days (the mock's term ids)."""
    value = ref(body, key)
    if value is None:
        return None
    if not value.isdecimal():
        raise BadRequest(f"{key} value is the number of days of the terms (for example 30 for Net 30)",
                         code="invalid_enum")
    return int(value)


def _links(body: dict, allowed: tuple[str, ...]) -> list[tuple[int, int]]:
    apps = []
    for n, line in enumerate(_lines(body), 1):
        linked = line.get("LinkedTxn") or []
        if isinstance(linked, dict):
            linked = [linked]
        if not linked:
            raise BadRequest(f"Line {n} needs LinkedTxn naming the document it pays", code="required_param")
        for link in linked:
            if link.get("TxnType") not in allowed:
                raise BadRequest(f"Line {n}: LinkedTxn TxnType must be {' or '.join(allowed)}", code="invalid_line")
            txn_id = str(link.get("TxnId") or "")
            if not txn_id.isdecimal():
                raise BadRequest(f"Line {n}: LinkedTxn needs a TxnId", code="required_param")
            apps.append((int(txn_id), to_cents(line.get("Amount"), f"Line {n} Amount")))
    return apps


def txn_kwargs(db: WorldSession, entity: str, body: dict) -> dict:
    """Service-layer keyword arguments for a transaction from its QuickBooks JSON."""
    today = service.today(db)
    txn_date = _date(body, "TxnDate", today)
    memo = str(body.get("PrivateNote") or (body.get("CustomerMemo") or {}).get("value", "") or "")[:4000]
    doc = str(body.get("DocNumber") or "")[:21]
    if entity in ("Invoice", "CreditMemo"):
        lines = [x for n, ln in enumerate(_lines(body), 1) if (x := _doc_line(ln, n, ("SalesItemLineDetail",)))]
        kwargs = dict(customer_id=ref(body, "CustomerRef", "the customer"), txn_date=txn_date, lines=lines,
                      doc_number=doc or None, memo=memo)
        if entity == "Invoice":
            kwargs["due_date"] = _date(body, "DueDate", None)
            kwargs["terms_days"] = _terms(body, "SalesTermRef")
        return kwargs
    if entity in ("Bill", "VendorCredit"):
        lines = [x for n, ln in enumerate(_lines(body), 1)
                 if (x := _doc_line(ln, n, ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail")))]
        kwargs = dict(vendor_id=ref(body, "VendorRef", "the vendor"), txn_date=txn_date, lines=lines,
                      doc_number=doc, memo=memo)
        if entity == "Bill":
            kwargs["due_date"] = _date(body, "DueDate", None)
            kwargs["terms_days"] = _terms(body, "SalesTermRef")
        return kwargs
    if entity == "Payment":
        deposit = ref(body, "DepositToAccountRef") or service.account_of_type(db, "Bank").id
        return dict(customer_id=ref(body, "CustomerRef", "the customer"), txn_date=txn_date,
                    deposit_account_id=deposit, applications=_links(body, ("Invoice", "CreditMemo")),
                    amount_cents=to_cents(body["TotalAmt"], "TotalAmt") if body.get("TotalAmt") is not None else None,
                    method=str(ref(body, "PaymentMethodRef") or ""), doc_number=str(body.get("PaymentRefNum") or doc),
                    memo=memo)
    if entity == "BillPayment":
        pay_type = body.get("PayType") or "Check"
        if pay_type == "CreditCard":
            account = ref(body.get("CreditCardPayment") or {}, "CCAccountRef", "the credit-card account")
        else:
            account = ref(body.get("CheckPayment") or {}, "BankAccountRef", "the bank account")
        return dict(vendor_id=ref(body, "VendorRef", "the vendor"), txn_date=txn_date, pay_account_id=account,
                    applications=_links(body, ("Bill", "VendorCredit")),
                    amount_cents=to_cents(body["TotalAmt"], "TotalAmt") if body.get("TotalAmt") is not None else None,
                    method="Check" if pay_type == "Check" else "CreditCard", doc_number=doc, memo=memo)
    if entity == "Purchase":
        lines = [x for n, ln in enumerate(_lines(body), 1)
                 if (x := _doc_line(ln, n, ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail")))]
        payment_type = body.get("PaymentType") or ""
        if payment_type not in ("", "Cash", "Check", "CreditCard"):
            raise BadRequest("PaymentType must be Cash, Check or CreditCard", code="invalid_enum")
        return dict(pay_account_id=ref(body, "AccountRef", "the bank or credit-card account"), txn_date=txn_date,
                    lines=lines, payee_id=ref(body, "EntityRef"), payment_type=payment_type, doc_number=doc,
                    memo=memo, credit=bool(body.get("Credit")))
    if entity == "JournalEntry":
        lines = []
        for n, line in enumerate(_lines(body), 1):
            if line.get("DetailType") != "JournalEntryLineDetail":
                raise BadRequest(f"Line {n}: DetailType must be JournalEntryLineDetail", code="invalid_line")
            detail = line.get("JournalEntryLineDetail") or {}
            posting = detail.get("PostingType")
            if posting not in ("Debit", "Credit"):
                raise BadRequest(f"Line {n}: PostingType must be Debit or Credit", code="invalid_enum")
            amount = to_cents(line.get("Amount"), f"Line {n} Amount")
            entity_ref = ref((detail.get("Entity") or {}), "EntityRef")
            lines.append(LineInput(account_id=ref(detail, "AccountRef", f"line {n}'s account"),
                                   debit_cents=amount if posting == "Debit" else 0,
                                   credit_cents=amount if posting == "Credit" else 0,
                                   contact_id=_entity_id(entity_ref, n),
                                   description=str(line.get("Description") or "")))
        return dict(txn_date=txn_date, lines=lines, doc_number=doc, memo=memo)
    if entity == "Deposit":
        lines = []
        for n, line in enumerate(_lines(body), 1):
            if line.get("DetailType") != "DepositLineDetail":
                raise BadRequest(f"Line {n}: DetailType must be DepositLineDetail "
                                 "(linking payments from Undeposited Funds is not supported)", code="invalid_line")
            detail = line.get("DepositLineDetail") or {}
            entity_ref = ref(detail, "Entity")
            lines.append(LineInput(account_id=ref(detail, "AccountRef", f"line {n}'s account"),
                                   amount_cents=to_cents(line.get("Amount"), f"Line {n} Amount"),
                                   description=str(line.get("Description") or ""),
                                   contact_id=_entity_id(entity_ref, n)))
        return dict(bank_account_id=ref(body, "DepositToAccountRef", "the bank account"), txn_date=txn_date,
                    lines=lines, memo=memo, doc_number=doc)
    if entity == "Transfer":
        return dict(from_account_id=ref(body, "FromAccountRef", "the account to transfer from"),
                    to_account_id=ref(body, "ToAccountRef", "the account to transfer to"),
                    amount_cents=to_cents(body.get("Amount"), "Amount"), txn_date=txn_date, memo=memo)
    raise BadRequest(f"unsupported entity {entity}")


def _text(body: dict, key: str) -> str | None:
    """A text property (numbers are taken as text; objects and lists are refused)."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise BadRequest(f"{key} must be text", code="invalid_line")
    return str(value)[:500]


def contact_values(body: dict, kind: str) -> dict:
    """Service-layer fields of a customer or vendor from its QuickBooks JSON."""
    name = body.get("DisplayName") or body.get("CompanyName") or " ".join(
        p for p in (body.get("GivenName"), body.get("FamilyName")) if p)
    values = {"display_name": str(name or "").strip()[:500] or None,
              "company_name": _text(body, "CompanyName"),
              "contact_name": " ".join(p for p in (body.get("GivenName"), body.get("FamilyName")) if p) or None,
              "email": (body.get("PrimaryEmailAddr") or {}).get("Address"),
              "phone": (body.get("PrimaryPhone") or {}).get("FreeFormNumber"),
              "address": ", ".join(str(v) for k, v in sorted((body.get("BillAddr") or {}).items())
                                   if k.startswith("Line") and v) or None,
              "active": body.get("Active") if isinstance(body.get("Active"), bool) else None}
    term = ref(body, "TermRef" if kind == "vendor" else "SalesTermRef")
    if term is not None:
        if not term.isdecimal():
            raise BadRequest("the terms reference is the number of days (for example 30 for Net 30)")
        values["terms_days"] = int(term)
    return values


def account_values(body: dict) -> dict:
    """Service-layer fields of an account from its QuickBooks JSON."""
    acc_type = body.get("AccountType")
    if acc_type is not None and (not isinstance(acc_type, str) or acc_type not in ledger.API_TO_TYPE):
        raise BadRequest(f"AccountType {acc_type!r} is not a QuickBooks account type", code="invalid_enum")
    return {"name": _text(body, "Name"), "number": _text(body, "AcctNum"),
            "type": ledger.API_TO_TYPE.get(acc_type) if acc_type else None,
            "detail_type": _text(body, "AccountSubType"), "description": _text(body, "Description"),
            "parent_id": ref(body, "ParentRef"),
            "active": body.get("Active") if isinstance(body.get("Active"), bool) else None}


def item_values(body: dict) -> dict:
    """Service-layer fields of a product or service from its QuickBooks JSON."""
    return {"name": _text(body, "Name"), "sku": _text(body, "Sku"), "description": _text(body, "Description"),
            "type": _text(body, "Type"),
            "unit_price_cents": to_cents(body["UnitPrice"], "UnitPrice") if body.get("UnitPrice") is not None else None,
            "unit_cost_cents": to_cents(body["PurchaseCost"], "PurchaseCost") if body.get("PurchaseCost") is not None else None,
            "income_account_id": ref(body, "IncomeAccountRef"), "expense_account_id": ref(body, "ExpenseAccountRef"),
            "active": body.get("Active") if isinstance(body.get("Active"), bool) else None}
