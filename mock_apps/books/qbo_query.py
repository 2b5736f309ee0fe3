"""Run a parsed QuickBooks query against the books: conditions, ordering and paging become SQL, so a
query over tens of thousands of transactions reads only the page it returns."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func as sa_func
from sqlmodel import func, select

from mock_apps.books import ledger
from mock_apps.books.models import Account, Attachment, Contact, Item, Txn
from mock_apps.books.qbql import Query, QueryError
from mock_apps.books.qbo_json import QUERY_LOWER, to_cents, to_date
from mock_apps.core.database import WorldSession


def _contact_balance():
    inner = select(func.coalesce(func.sum(
        sa_func.iif(Txn.type.in_(("Invoice", "Bill")), Txn.balance_cents, -Txn.balance_cents)), 0)).where(
        Txn.contact_id == Contact.id, Txn.type.in_(("Invoice", "CreditMemo", "Bill", "VendorCredit")),
        Txn.voided == False)  # noqa: E712
    return inner.scalar_subquery()


_TXN_FIELDS = {
    "Id": (Txn.id, "int"), "TxnDate": (Txn.txn_date, "date"), "DueDate": (Txn.due_date, "date"),
    "DocNumber": (Txn.doc_number, "str"), "TotalAmt": (Txn.total_cents, "money"), "Amount": (Txn.total_cents, "money"),
    "Balance": (Txn.balance_cents, "money"), "PrivateNote": (Txn.memo, "str"),
    "CustomerRef": (Txn.contact_id, "int"), "VendorRef": (Txn.contact_id, "int"), "EntityRef": (Txn.contact_id, "int"),
    "PaymentRefNum": (Txn.doc_number, "str"),
    "MetaData.CreateTime": (Txn.created_at, "datetime"), "MetaData.LastUpdatedTime": (Txn.updated_at, "datetime"),
}
_CONTACT_FIELDS = {
    "Id": (Contact.id, "int"), "DisplayName": (Contact.display_name, "str"), "CompanyName": (Contact.company_name, "str"),
    "PrimaryEmailAddr": (Contact.email, "str"), "PrimaryEmailAddr.Address": (Contact.email, "str"),
    "Active": (Contact.active, "bool"), "Balance": (None, "money"),
    "MetaData.CreateTime": (Contact.created_at, "datetime"), "MetaData.LastUpdatedTime": (Contact.updated_at, "datetime"),
}
_ACCOUNT_FIELDS = {
    "Id": (Account.id, "int"), "Name": (Account.name, "str"), "FullyQualifiedName": (Account.name, "str"),
    "AcctNum": (Account.number, "str"), "AccountType": (Account.type, "account_type"),
    "AccountSubType": (Account.detail_type, "str"), "Active": (Account.active, "bool"),
    "MetaData.CreateTime": (Account.created_at, "datetime"), "MetaData.LastUpdatedTime": (Account.updated_at, "datetime"),
}
_ITEM_FIELDS = {
    "Id": (Item.id, "int"), "Name": (Item.name, "str"), "FullyQualifiedName": (Item.name, "str"),
    "Sku": (Item.sku, "str"), "Type": (Item.type, "str"), "Active": (Item.active, "bool"),
    "UnitPrice": (Item.unit_price_cents, "money"),
    "MetaData.CreateTime": (Item.created_at, "datetime"), "MetaData.LastUpdatedTime": (Item.updated_at, "datetime"),
}


_ATTACHABLE_FIELDS = {
    "Id": (Attachment.id, "int"), "FileName": (Attachment.filename, "str"), "ContentType": (Attachment.content_type, "str"),
    "AttachableRef.EntityRef.Value": (Attachment.txn_id, "int"), "AttachableRef.EntityRef": (Attachment.txn_id, "int"),
    "MetaData.CreateTime": (Attachment.created_at, "datetime"),
}


def _target(entity: str):
    """(model, base conditions, field map) of an entity."""
    if entity == "Attachable":
        return Attachment, [], _ATTACHABLE_FIELDS
    if entity == "Account":
        return Account, [], _ACCOUNT_FIELDS
    if entity == "Item":
        return Item, [], _ITEM_FIELDS
    if entity in ("Customer", "Vendor"):
        fields = dict(_CONTACT_FIELDS)
        fields["Balance"] = (_contact_balance(), "money")
        # QuickBooks lists only active names unless the query asks about Active.
        return Contact, [Contact.kind == entity.lower()], fields
    return Txn, [Txn.type == entity], _TXN_FIELDS


def _value(kind: str, raw, field: str):
    try:
        if kind == "int":
            text = str(raw)
            if not text.lstrip("-").isdecimal() or len(text.lstrip("-")) > 18:
                raise ValueError
            return int(text)
        if kind == "money":
            return to_cents(raw, field)
        if kind == "date":
            return to_date(raw, field)
        if kind == "datetime":
            moment = datetime.fromisoformat(str(raw))
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in ("true", "false"):
                return str(raw).lower() == "true"
            raise ValueError
        if kind == "account_type":
            if raw not in ledger.API_TO_TYPE:
                raise ValueError
            return ledger.API_TO_TYPE[raw]
        return str(raw)
    except (ValueError, Exception) as exc:  # noqa: BLE001 - every conversion failure is the caller's query
        if isinstance(exc, QueryError):
            raise
        raise QueryError(f"QueryValidationError: {raw!r} is not a valid value for {field}") from None


def run(db: WorldSession, query: Query) -> tuple[str, list, int | None]:
    """Execute: returns (entity name, rows of the page, total count when COUNT(*) was asked)."""
    entity = QUERY_LOWER.get(query.entity.lower())
    if entity is None:
        raise QueryError(f"QueryValidationError: unknown entity {query.entity!r}; queryable entities: "
                         f"{', '.join(QUERY_LOWER.values())}")
    model, conditions, fields = _target(entity)
    stmt_conditions = list(conditions)
    asks_active = any(c.field == "Active" for c in query.where)
    if "Active" in fields and not asks_active:
        stmt_conditions.append(fields["Active"][0] == True)  # noqa: E712
    for cond in query.where:
        if cond.field not in fields:
            raise QueryError(f"QueryValidationError: property {cond.field!r} is not queryable on {entity}; "
                             f"use one of {', '.join(sorted(fields))}")
        column, kind = fields[cond.field]
        if cond.op == "in":
            stmt_conditions.append(column.in_([_value(kind, v, cond.field) for v in cond.value]))
            continue
        if cond.op == "like":
            if kind != "str":
                raise QueryError(f"QueryValidationError: LIKE works on text properties, not {cond.field}")
            stmt_conditions.append(sa_func.lower(column).like(cond.value.lower()))
            continue
        value = _value(kind, cond.value, cond.field)
        if kind == "bool" and cond.op not in ("=", "!="):
            raise QueryError(f"QueryValidationError: {cond.field} is true or false; compare it with =")
        ops = {"=": lambda: column == value, "!=": lambda: column != value, "<": lambda: column < value,
               ">": lambda: column > value, "<=": lambda: column <= value, ">=": lambda: column >= value}
        stmt_conditions.append(ops[cond.op]())
    if query.count:
        total = db.exec(select(func.count()).select_from(model).where(*stmt_conditions)).one()
        return entity, [], total
    stmt = select(model).where(*stmt_conditions)
    for name, desc in query.order_by:
        if name not in fields:
            raise QueryError(f"QueryValidationError: cannot order {entity} by {name!r}")
        column = fields[name][0]
        stmt = stmt.order_by(column.desc() if desc else column.asc())
    stmt = stmt.order_by(model.id).offset(query.start_position - 1).limit(query.max_results)
    return entity, list(db.exec(stmt).all()), None
