"""Per-process cache of workbook calculation engines, keyed by each workbook's content token."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlalchemy.orm.attributes import set_attribute
from sqlmodel import select

from mock_apps.sheets.formula import Engine, ExcelError
from mock_apps.sheets.formula.dates import date_to_serial
from mock_apps.sheets.formula.errors import ERROR_CODES
from mock_apps.sheets.formula.values import Value
from mock_apps.sheets.models import Cell, Sheet, Workbook

_MAX_ENGINES = 48
_cache: OrderedDict[tuple[str, int], tuple[str, Engine]] = OrderedDict()
_lock = threading.Lock()


class _Today:
    """TODAY() for an engine: the world's date, updated before each use."""

    def __init__(self) -> None:
        self.serial = 0

    def __call__(self) -> int:
        return self.serial


def stored_value(cell: Cell) -> Value:
    """A cell's computed value as stored in its row."""
    kind = cell.kind
    if kind == "number":
        return cell.num
    if kind == "text":
        return cell.text
    if kind == "bool":
        return bool(cell.num)
    if kind == "error":
        base = ERROR_CODES.get(cell.text or "", ExcelError(cell.text or "#ERROR!"))
        return ExcelError(base.code, cell.note or base.message)
    return None


def store_value(cell: Cell, value: Value) -> None:
    """Write a computed value into a cell's columns (only columns that change, to keep diffs small)."""
    if value is None:
        new = ("empty", None, None, None)
    elif isinstance(value, bool):
        new = ("bool", 1.0 if value else 0.0, None, None)
    elif isinstance(value, (int, float)):
        new = ("number", float(value), None, None)
    elif isinstance(value, ExcelError):
        new = ("error", None, value.code, value.message or None)
    else:
        new = ("text", None, str(value), None)
    old = (cell.kind, cell.num, cell.text, cell.note)
    if old != new:
        # set_attribute skips pydantic's __setattr__: recalculation writes thousands of these.
        for name, before, after in zip(("kind", "num", "text", "note"), old, new):
            if before != after or type(before) is not type(after):
                set_attribute(cell, name, after)


def _key(db, workbook: Workbook) -> tuple[str, int]:
    return (str(db.get_bind().url), workbook.id)


def engine_for(db, workbook: Workbook, today: date) -> Engine:
    """The workbook's engine, from the cache when its token matches, else built from stored cells."""
    key = _key(db, workbook)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == workbook.calc_token:
            _cache.move_to_end(key)
            engine = hit[1]
            engine._today.serial = date_to_serial(today)  # type: ignore[attr-defined]
            return engine
    engine = build_engine(db, workbook, today, recalc_all=False)
    remember(db, workbook, engine)
    return engine


def build_engine(db, workbook: Workbook, today: date, recalc_all: bool) -> Engine:
    """A fresh engine from the database (recalc_all recomputes every formula instead of trusting stored values)."""
    clock = _Today()
    clock.serial = date_to_serial(today)
    engine = Engine(clock)
    engine._today = clock  # type: ignore[attr-defined]
    sheets = db.exec(select(Sheet).where(Sheet.workbook_id == workbook.id).order_by(Sheet.position)).all()
    for sheet in sheets:
        engine.add_sheet(sheet.id, sheet.title)
    if not sheets:
        return engine
    ids = [s.id for s in sheets]
    rows = db.connection().execute(
        select(Cell.sheet_pk, Cell.row, Cell.col, Cell.input, Cell.kind, Cell.num, Cell.text, Cell.note)
        .where(Cell.sheet_pk.in_(ids)).where(Cell.input != "")
    ).all()
    inputs = [(r[0], r[1], r[2], r[3]) for r in rows]
    if recalc_all:
        engine.load(inputs)
    else:
        values = {}
        probe = Cell()
        for r in rows:
            if r[3].startswith("="):
                probe.kind, probe.num, probe.text, probe.note = r[4], r[5], r[6], r[7]
                values[(r[0], r[1], r[2])] = stored_value(probe)
        engine.load(inputs, values)
    return engine


def remember(db, workbook: Workbook, engine: Engine) -> None:
    """Cache an engine under the workbook's current token."""
    with _lock:
        _cache[_key(db, workbook)] = (workbook.calc_token, engine)
        _cache.move_to_end(_key(db, workbook))
        while len(_cache) > _MAX_ENGINES:
            _cache.popitem(last=False)


def forget(db, workbook: Workbook) -> None:
    """Drop a workbook's cached engine (after a failed change mutated it)."""
    with _lock:
        _cache.pop(_key(db, workbook), None)
