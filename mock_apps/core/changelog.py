"""The change log: row-level diffs captured from SQLAlchemy session events, one entry per operation."""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm.base import PASSIVE_NO_INITIALIZE

CHANGE_DDL = (
    "CREATE TABLE IF NOT EXISTS {schema}change (seq INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, "
    "app TEXT NOT NULL, op TEXT NOT NULL, args TEXT NOT NULL, changes TEXT NOT NULL)"
)


def jsonable(value: Any) -> Any:
    """A JSON-safe, deterministic rendering of a column value (bytes become their hash and size)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        return {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=json.dumps) if isinstance(value, (set, frozenset)) else items
    return str(value)


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON of a jsonable value."""
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"))


@dataclass
class Operation:
    """An operation in progress: its name, arguments, time, and the row changes so far."""

    name: str
    args: dict
    time_us: int = 0
    # (table, key) -> {"kind", "before", "after"}; merged so flush timing never shows in the log
    rows: dict[tuple[str, str], dict] = field(default_factory=dict)

    def record(self, table: str, key: Any, kind: str, before: dict | None, after: dict | None) -> None:
        """Merge one row change into the operation's diff."""
        # str() of an int is its JSON: the common integer key skips the encoder (big recalculations record thousands)
        slot = (table, str(key) if type(key) is int else dumps(key))
        prev = self.rows.get(slot)
        if prev is None:
            self.rows[slot] = {"table": table, "key": jsonable(key), "kind": kind, "before": before, "after": after}
            return
        if kind == "delete":
            if prev["kind"] == "insert":
                del self.rows[slot]  # created and removed within one operation: no net change
                return
            before_full = {**(row_or_empty(before)), **row_or_empty(prev["before"])}
            self.rows[slot] = {**prev, "kind": "delete", "before": before_full, "after": None}
        elif prev["kind"] == "insert":
            prev["after"] = {**prev["after"], **(after or {})}
        else:  # update after update (or after a re-insert)
            merged_before = {**(before or {}), **(prev["before"] or {})}
            merged_after = {**(prev["after"] or {}), **(after or {})}
            changed = {k for k in merged_after if merged_before.get(k) != merged_after[k]}
            prev["before"] = {k: merged_before.get(k) for k in sorted(changed)}
            prev["after"] = {k: merged_after[k] for k in sorted(changed)}
            if not changed:
                del self.rows[slot]

    def diff(self) -> list[dict]:
        """The operation's row changes, in a stable order."""
        return [self.rows[slot] for slot in sorted(self.rows)]


def row_or_empty(row: dict | None) -> dict:
    """A row dict, or an empty one."""
    return row or {}


_COLUMNS: dict[Any, list[tuple[str, str]]] = {}


def _columns(mapper):
    cols = _COLUMNS.get(mapper)
    if cols is None:
        cols = _COLUMNS[mapper] = [(attr.key, attr.columns[0].name) for attr in mapper.column_attrs]
    return cols


def _key(mapper, obj):
    values = [jsonable(v) for v in mapper.primary_key_from_instance(obj)]
    return values[0] if len(values) == 1 else values


def _row(mapper, obj) -> dict:
    return {col: jsonable(getattr(obj, key)) for key, col in _columns(mapper)}


def capture_flush(session, operation: Operation) -> None:
    """Record the rows a flush just wrote (called from the session's after_flush event)."""
    for obj in session.new:
        mapper = inspect(obj).mapper
        operation.record(mapper.local_table.name, _key(mapper, obj), "insert", None, _row(mapper, obj))
    for obj in session.dirty:
        state = inspect(obj)
        mapper = state.mapper
        committed = state.committed_state
        before, after = {}, {}
        for key, col in _columns(mapper):
            if key not in committed:  # SQLAlchemy keeps no history for attributes not set since loading
                continue
            history = state.get_history(key, PASSIVE_NO_INITIALIZE)
            if not history.has_changes():
                continue
            old = jsonable(history.deleted[0]) if history.deleted else None
            new = jsonable(history.added[0]) if history.added else None
            if old != new:
                before[col], after[col] = old, new
        if after:
            operation.record(mapper.local_table.name, _key(mapper, obj), "update", before, after)
    for obj in session.deleted:
        mapper = inspect(obj).mapper
        operation.record(mapper.local_table.name, _key(mapper, obj), "delete", _row(mapper, obj), None)


def entry_from_row(row) -> dict:
    """A change-log entry as the control API returns it, from a (seq, time_us, app, op, args, changes) row."""
    from mock_apps.core.clock import from_us

    seq, time_us, app, op, args, changes = row
    return {
        "seq": seq,
        "time": from_us(time_us).isoformat().replace("+00:00", "Z"),
        "app": app,
        "op": op,
        "args": json.loads(args),
        "changes": json.loads(changes),
    }
