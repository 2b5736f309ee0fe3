"""The rules of the spreadsheet: every state change of Sheets goes through these functions."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Iterable

from sqlalchemy import func, tuple_
from sqlalchemy.orm.attributes import set_attribute
from sqlmodel import select

from mock_apps.core.changelog import dumps
from mock_apps.core.errors import BadRequest, Conflict, NotFound
from mock_apps.sheets import calc
from mock_apps.sheets.formula import (
    CellKey, Engine, Ref, cell_name, drop_sheet_in_formula, input_to_value, offset_formula, parse_a1,
    rename_sheet_in_formula, shift_formula,
)
from mock_apps.sheets.formula.errors import FormulaSyntaxError
from mock_apps.sheets.formula.references import MAX_COLS, MAX_ROWS
from mock_apps.sheets.formula.values import compare, format_general
from mock_apps.sheets.models import Cell, Revision, Sheet, Workbook

STYLE_FIELDS = ("number_format", "bold", "fill")
EMPTY: dict[str, Any] = {"input": "", "number_format": None, "bold": False, "fill": None}
SHEET_PROPS = ("title", "position", "row_count", "column_count", "frozen_rows", "frozen_cols", "col_widths",
               "filter_spec")
MAX_TITLE = 100
_FORBIDDEN_TITLE_CHARS = set("[]*?/\\:")


# ---- lookups ---------------------------------------------------------------------------------------


def list_workbooks(db) -> list[Workbook]:
    """All workbooks, most recently changed first."""
    return list(db.exec(select(Workbook).order_by(Workbook.updated_at.desc(), Workbook.id.desc())).all())


def get_workbook(db, spreadsheet_id: str) -> Workbook:
    """The workbook with this spreadsheetId."""
    wb = db.exec(select(Workbook).where(Workbook.spreadsheet_id == spreadsheet_id)).first()
    if wb is None:
        raise NotFound(f"Requested entity was not found: no spreadsheet '{spreadsheet_id}'.", code="NOT_FOUND")
    return wb


def sheets_of(db, wb: Workbook) -> list[Sheet]:
    """A workbook's sheets in tab order."""
    return list(db.exec(select(Sheet).where(Sheet.workbook_id == wb.id).order_by(Sheet.position)).all())


def sheet_by_id(db, wb: Workbook, sheet_id: int) -> Sheet:
    """A sheet by its sheetId."""
    sheet = db.exec(select(Sheet).where(Sheet.workbook_id == wb.id, Sheet.sheet_id == sheet_id)).first()
    if sheet is None:
        raise NotFound(f"No grid with id: {sheet_id}", code="INVALID_ARGUMENT", status=400)
    return sheet


def sheet_by_title(db, wb: Workbook, title: str) -> Sheet | None:
    """A sheet by its (case-insensitive) title."""
    for sheet in sheets_of(db, wb):
        if sheet.title.lower() == title.lower():
            return sheet
    return None


def resolve_range(db, wb: Workbook, a1: str) -> tuple[Sheet, int, int, int, int]:
    """Sheet and bounds (r1, c1, r2, c2) of an A1 range; open ends stop at the sheet's grid size."""
    try:
        ref = parse_a1(a1)
    except FormulaSyntaxError:
        raise BadRequest(f"Unable to parse range: {a1}", code="INVALID_ARGUMENT") from None
    if ref.sheet is None:
        sheet = sheets_of(db, wb)[0]
    else:
        sheet = sheet_by_title(db, wb, ref.sheet)
        if sheet is None:
            raise BadRequest(f"Unable to parse range: {a1}", code="INVALID_ARGUMENT")
    r1 = ref.r1 or 1
    c1 = ref.c1 or 1
    r2 = ref.r2 if ref.r2 is not None else max(sheet.row_count, r1)
    c2 = ref.c2 if ref.c2 is not None else max(sheet.column_count, c1)
    return sheet, r1, c1, r2, c2


# What reading a cell needs; read paths get plain rows with these names (no ORM objects to build and track).
_CELL_READ = (Cell.row, Cell.col, Cell.input, Cell.kind, Cell.num, Cell.text, Cell.note, Cell.number_format,
              Cell.bold, Cell.fill)


def cells_in(db, sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> dict[tuple[int, int], Any]:
    """Stored cells of a rectangle by (row, col), as read-only rows with Cell's column names.

    Rendering a grid reads thousands of cells: rows skip the ORM's identity map and change tracking,
    which cost more than the rendering itself. The session flushes pending changes first, as for any query.
    """
    rows = db.execute(select(*_CELL_READ).where(Cell.sheet_pk == sheet.id, Cell.row >= r1, Cell.row <= r2,
                                                Cell.col >= c1, Cell.col <= c2)).all()
    return {(c.row, c.col): c for c in rows}


def used_extent(db, sheet: Sheet) -> tuple[int, int]:
    """(last row, last column) holding anything."""
    row = db.exec(select(func.max(Cell.row), func.max(Cell.col)).where(Cell.sheet_pk == sheet.id)).first()
    return (row[0] or 0, row[1] or 0)


def company_today(db) -> date:
    """The world's date in the company's timezone (what TODAY() returns)."""
    return db.now().astimezone(db.timezone()).date()


def content_of(cell: Cell | None) -> dict[str, Any] | None:
    """What a user put in a cell (input and look), or None for nothing."""
    if cell is None:
        return None
    c = {"input": cell.input, "number_format": cell.number_format, "bold": bool(cell.bold), "fill": cell.fill}
    return None if c == EMPTY else c


def sheet_props(sheet: Sheet) -> dict[str, Any]:
    """A sheet's properties as the undo history stores them."""
    return {k: getattr(sheet, k) for k in SHEET_PROPS}


def changed_cells(db, keys: list[CellKey]) -> dict[CellKey, Cell]:
    """The rows of cells the last change on this session touched (fetching any it did not hold)."""
    held = db.info.get("sheets.changed_cells", {})
    out = {k: held[k] for k in keys if held.get(k) is not None}
    missing = [k for k in keys if k not in held]
    if missing:
        out.update(fetch_cells(db, missing))
    return out


def fetch_cells(db, keys: Iterable[CellKey]) -> dict[CellKey, Cell]:
    """Stored cells for a set of (sheet_pk, row, col) keys; dense runs down a column load as one range scan."""
    by_sheet: dict[int, dict[int, list[int]]] = {}
    for sheet_pk, r, c in keys:
        by_sheet.setdefault(sheet_pk, {}).setdefault(c, []).append(r)
    found: dict[CellKey, Cell] = {}
    for sheet_pk, by_col in by_sheet.items():
        scattered: list[tuple[int, int]] = []
        for c, rows in by_col.items():
            lo, hi = min(rows), max(rows)
            if len(rows) >= 8 and len(rows) * 2 >= hi - lo + 1:
                wanted = set(rows)
                for cell in db.exec(select(Cell).where(
                        Cell.sheet_pk == sheet_pk, Cell.col == c, Cell.row >= lo, Cell.row <= hi)).all():
                    if cell.row in wanted:
                        found[(sheet_pk, cell.row, cell.col)] = cell
            else:
                scattered.extend((r, c) for r in rows)
        for i in range(0, len(scattered), 400):
            chunk = scattered[i:i + 400]
            for cell in db.exec(select(Cell).where(
                    Cell.sheet_pk == sheet_pk, tuple_(Cell.row, Cell.col).in_(chunk))).all():
                found[(sheet_pk, cell.row, cell.col)] = cell
    return found


# ---- input conversion ------------------------------------------------------------------------------


def input_for(value: Any, user_entered: bool) -> tuple[str, str | None]:
    """The stored input (and implied number format) for a value sent by the API or typed in the grid."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, (int, float)):
        return format_general(float(value)) if float(value) == float(value) else "", None
    text = str(value)
    if user_entered:
        if text.startswith("="):
            return text, None
        return text, input_to_value(text)[1]
    # RAW: keep text as text even when it looks like a number, a date or a formula.
    parsed = input_to_value(text)[0]
    if text == "" or (isinstance(parsed, str) and parsed == text and not text.startswith(("=", "'"))):
        return text, None
    return "'" + text, None


def check_title(title: str) -> str:
    """A valid sheet title, or BadRequest saying what is wrong."""
    t = (title or "").strip()
    if not t:
        raise BadRequest("A sheet name cannot be empty.", code="INVALID_ARGUMENT")
    if len(t) > MAX_TITLE:
        raise BadRequest(f"A sheet name can have at most {MAX_TITLE} characters.", code="INVALID_ARGUMENT")
    bad = sorted(set(t) & _FORBIDDEN_TITLE_CHARS)
    if bad:
        raise BadRequest(f"A sheet name cannot contain {' '.join(bad)}.", code="INVALID_ARGUMENT")
    if t.startswith("'") or t.endswith("'"):
        raise BadRequest("A sheet name cannot begin or end with an apostrophe (').", code="INVALID_ARGUMENT")
    return t


# ---- the change machinery --------------------------------------------------------------------------

_CELL_MANAGER = Cell._sa_class_manager  # type: ignore[attr-defined]


def new_cell(**values: Any) -> Cell:
    """A new Cell row without pydantic validation (SQLModel's constructor dominates big imports).

    Every column is given explicitly; values come from the service layer, already validated.
    """
    cell = _CELL_MANAGER.new_instance()
    object.__setattr__(cell, "__pydantic_fields_set__", set(values))
    object.__setattr__(cell, "__pydantic_extra__", None)
    object.__setattr__(cell, "__pydantic_private__", None)
    for name, value in values.items():
        set_attribute(cell, name, value)
    return cell



class Change:
    """One change of a workbook in progress: engine, touched cells, and the revision to record."""

    def __init__(self, db, wb: Workbook, op: str, record: bool = True) -> None:
        self.db, self.wb, self.op = db, wb, op
        self.record = record and not getattr(db, "seeding", False)  # seeded content is not undoable
        self.engine: Engine = calc.engine_for(db, wb, company_today(db))
        self.cells: dict[CellKey, Cell | None] = {}
        self.before: dict[CellKey, dict | None] = {}
        self.sheet_before: dict[int, dict] = {}
        self.sheets: dict[int, Sheet] = {}
        self.structural = False
        self.changed: set[CellKey] = set()

    # cells -------------------------------------------------------------------------------------
    def load(self, keys: Iterable[CellKey]) -> None:
        """Fetch the stored rows of cells not loaded yet."""
        missing = [k for k in keys if k not in self.cells]
        for k in missing:
            self.cells[k] = None
        self.cells.update(fetch_cells(self.db, missing))

    def load_workbook(self) -> None:
        """Fetch every stored cell of the workbook (structural changes need them all)."""
        ids = [s.id for s in sheets_of(self.db, self.wb)]
        for cell in self.db.exec(select(Cell).where(Cell.sheet_pk.in_(ids))).all():
            self.cells[(cell.sheet_pk, cell.row, cell.col)] = cell

    def touch_sheet(self, sheet: Sheet) -> None:
        """Remember a sheet's properties before changing them."""
        self.sheets[sheet.id] = sheet
        self.sheet_before.setdefault(sheet.id, sheet_props(sheet))

    def write(self, items: list[tuple[CellKey, dict[str, Any]]], assume_empty: bool = False) -> None:
        """Set cells' input and/or look (partial dicts); recalculates dependants unless structural.

        assume_empty skips looking up stored rows (a sheet created in this change has none).
        """
        if assume_empty:
            for k, _ in items:
                self.cells.setdefault(k, None)
        else:
            self.load(k for k, _ in items)
        input_updates: list[tuple[CellKey, str]] = []
        new_cells: list[Cell] = []
        for key, fields in items:
            if key not in self.before:
                self.before[key] = content_of(self.cells.get(key))
            cell = self.cells.get(key)
            if cell is None:
                if all(fields.get(f, EMPTY[f]) == EMPTY[f] for f in EMPTY):
                    continue
                raw = fields.get("input", "")
                fmt = fields.get("number_format") or (fields.get("implied_format") if raw else None)
                # One constructor call: SQLModel's per-attribute assignment is the cost of big imports.
                cell = new_cell(sheet_pk=key[0], row=key[1], col=key[2], input=raw, kind="empty", num=None,
                                text=None, note=None, number_format=fmt, bold=bool(fields.get("bold", False)),
                                fill=fields.get("fill"))
                new_cells.append(cell)
                self.cells[key] = cell
                if raw:
                    input_updates.append((key, raw))
                self.changed.add(key)
                continue
            if "input" in fields and fields["input"] != cell.input:
                cell.input = fields["input"]
                input_updates.append((key, cell.input))
                implied = fields.get("implied_format")
                if implied and not cell.number_format and "number_format" not in fields:
                    cell.number_format = implied
            for f in STYLE_FIELDS:
                if f in fields and getattr(cell, f) != fields[f]:
                    setattr(cell, f, fields[f])
            self.changed.add(key)
        if new_cells:
            # Ids given here (what SQLite would pick: after the largest) let the flush insert them all in one
            # executemany; left to the database, SQLAlchemy inserts one row per statement to read each id back.
            # The query flushes what earlier steps of the operation left pending, so the maximum is current.
            first = (self.db.execute(select(func.max(Cell.id))).scalar() or 0) + 1
            for i, cell in enumerate(new_cells):
                set_attribute(cell, "id", first + i)
            self.db.add_all(new_cells)
        if input_updates and not self.structural:
            self.store_values(self.engine.set_inputs(input_updates))

    def store_values(self, values: dict[CellKey, Any]) -> None:
        """Write recalculated values into their rows."""
        self.load(values)
        for key, value in values.items():
            cell = self.cells.get(key)
            if cell is not None:
                calc.store_value(cell, value)
                self.changed.add(key)

    def finish(self) -> None:
        """Recalculate after structural edits, drop empty rows, record the revision and the new token."""
        if self.structural:
            self.db.flush()
            self.engine = calc.build_engine(self.db, self.wb, company_today(self.db), recalc_all=True)
            self.load_workbook()
            for key, cell in self.cells.items():
                if cell is not None and cell.input:
                    before = (cell.kind, cell.num, cell.text, cell.note)
                    calc.store_value(cell, self.engine.value(key))
                    if (cell.kind, cell.num, cell.text, cell.note) != before:
                        self.changed.add(key)
        for key, cell in list(self.cells.items()):
            if cell is not None and key in self.before and content_of(cell) is None:
                if cell.id is not None:
                    self.db.delete(cell)
                else:
                    self.db.expunge(cell)
                self.cells[key] = None
        cells_diff = []
        for key, before in self.before.items():
            after = content_of(self.cells.get(key))
            if before != after:
                cells_diff.append([key[0], key[1], key[2], before, after])
        sheets_diff = []
        for pk, before in self.sheet_before.items():
            after = sheet_props(self.sheets[pk])
            if before != after:
                sheets_diff.append([pk, before, after])
        # The caller (the grid's edit endpoint) answers with these rows without fetching them again.
        self.db.info["sheets.changed_cells"] = {k: self.cells.get(k) for k in self.changed}
        now = self.db.now()
        if self.record and (cells_diff or sheets_diff):
            for old in self.db.exec(select(Revision).where(Revision.workbook_id == self.wb.id,
                                                           Revision.seq > self.wb.undo_seq)).all():
                self.db.delete(old)  # a new change ends the redo history
            self.db.flush()  # deletes first: the new revision may reuse an undone revision's seq
            self.wb.undo_seq += 1
            self.db.add(Revision(workbook_id=self.wb.id, seq=self.wb.undo_seq, op=self.op, at=now,
                                 structural=self.structural,
                                 payload=json.dumps({"cells": cells_diff, "sheets": sheets_diff},
                                                    separators=(",", ":"))))
        self.wb.updated_at = now
        bump_token(self.wb, self.op, cells_diff, now)


def bump_token(wb: Workbook, op: str, detail: Any, now) -> None:
    """Advance the workbook's content token (a hash chain: different histories never share a token)."""
    digest = hashlib.sha1(f"{wb.calc_token}|{op}|{now.isoformat()}|{dumps(detail)}".encode()).hexdigest()
    wb.calc_token = digest[:20]


class _Mutation:
    """Context manager: an operation plus a Change, caching the engine only when the commit succeeds."""

    def __init__(self, db, wb: Workbook, op: str, record: bool = True, **args: Any) -> None:
        self.db, self.wb, self.op, self.record, self.args = db, wb, op, record, args

    def __enter__(self) -> Change:
        self._op = self.db.operation(self.op, **self.args)
        self._op.__enter__()
        try:
            self.change = Change(self.db, self.wb, self.op, self.record)
        except BaseException as exc:
            self._op.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self.change

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            if exc_type is None:
                self.change.finish()
        except BaseException as inner:
            calc.forget(self.db, self.wb)
            self._op.__exit__(type(inner), inner, inner.__traceback__)
            raise
        if exc_type is not None:
            calc.forget(self.db, self.wb)
            self._op.__exit__(exc_type, exc, tb)
            return False
        try:
            self._op.__exit__(None, None, None)
        except BaseException:
            calc.forget(self.db, self.wb)
            raise
        calc.remember(self.db, self.wb, self.change.engine)
        return False


def mutation(db, wb: Workbook, op: str, record: bool = True, **args: Any) -> _Mutation:
    """Open a named, undoable change of a workbook."""
    return _Mutation(db, wb, op, record, **args)


# ---- workbooks and sheets --------------------------------------------------------------------------


def _new_workbook(db, title: str, sheet_titles: list[str]) -> Workbook:
    title = (title or "").strip() or "Untitled spreadsheet"
    titles = [check_title(t) for t in (sheet_titles or ["Sheet1"])]
    if len({t.lower() for t in titles}) != len(titles):
        raise BadRequest("Sheet names must be unique.", code="INVALID_ARGUMENT")
    next_id = (db.exec(select(func.max(Workbook.id))).first() or 0) + 1
    now = db.now()
    wb = Workbook(spreadsheet_id=f"ss{1000 + next_id}", title=title[:200], created_at=now, updated_at=now,
                  time_zone=str(db.timezone()), next_sheet_id=len(titles))
    wb.calc_token = hashlib.sha1(f"new|{wb.spreadsheet_id}|{now.isoformat()}".encode()).hexdigest()[:20]
    db.add(wb)
    db.flush()
    for i, t in enumerate(titles):
        db.add(Sheet(workbook_id=wb.id, sheet_id=i, title=t, position=i))
    db.flush()
    return wb


def create_workbook(db, title: str, sheet_titles: list[str] | None = None) -> Workbook:
    """Create a workbook with the given sheets (default: one "Sheet1")."""
    with db.operation("sheets.workbook.create", title=title, sheets=sheet_titles or ["Sheet1"]):
        return _new_workbook(db, title, sheet_titles or ["Sheet1"])


def rename_workbook(db, wb: Workbook, title: str) -> None:
    """Change a workbook's title."""
    t = (title or "").strip()
    if not t:
        raise BadRequest("A spreadsheet title cannot be empty.", code="INVALID_ARGUMENT")
    with db.operation("sheets.workbook.rename", spreadsheet_id=wb.spreadsheet_id, title=t):
        wb.title = t[:200]


def add_sheet(db, wb: Workbook, title: str | None = None, index: int | None = None,
              rows: int = 1000, cols: int = 26) -> Sheet:
    """Add a tab (default title "SheetN"), at the end or at index."""
    sheets = sheets_of(db, wb)
    if title is None or not str(title).strip():
        n = len(sheets) + 1
        while any(s.title.lower() == f"sheet{n}" for s in sheets):
            n += 1
        title = f"Sheet{n}"
    title = check_title(title)
    if any(s.title.lower() == title.lower() for s in sheets):
        raise BadRequest(f'A sheet with the name "{title}" already exists. Please enter another name.',
                         code="INVALID_ARGUMENT")
    if not (1 <= rows <= MAX_ROWS and 1 <= cols <= MAX_COLS):
        raise BadRequest("The grid size is out of range.", code="INVALID_ARGUMENT")
    index = len(sheets) if index is None else max(0, min(int(index), len(sheets)))
    with mutation(db, wb, "sheets.sheet.add", record=False, spreadsheet_id=wb.spreadsheet_id, title=title) as ch:
        for s in sheets:
            if s.position >= index:
                s.position += 1
        sheet = Sheet(workbook_id=wb.id, sheet_id=wb.next_sheet_id, title=title, position=index,
                      row_count=rows, column_count=cols)
        wb.next_sheet_id += 1
        db.add(sheet)
        db.flush()
        ch.structural = True
        if index < len(sheets):
            # Tabs moved to make room; older revisions hold their old positions. A tab added at the end moves
            # nothing, so the edits before it stay undoable (the new tab itself is not).
            _clear_history(db, wb)
        return sheet


def _clear_history(db, wb: Workbook) -> None:
    # Deleting a tab is not undoable, and older revisions could name the sheet that no longer exists.
    for rev in db.exec(select(Revision).where(Revision.workbook_id == wb.id)).all():
        db.delete(rev)
    wb.undo_seq = 0


def update_sheet(db, wb: Workbook, sheet: Sheet, *, title: str | None = None, index: int | None = None,
                 frozen_rows: int | None = None, frozen_cols: int | None = None,
                 op: str = "sheets.sheet.update") -> Sheet:
    """Rename, move or freeze a sheet (formulas that name it follow a rename)."""
    sheets = sheets_of(db, wb)
    args: dict[str, Any] = {"spreadsheet_id": wb.spreadsheet_id, "sheet": sheet.title}
    if title is not None:
        title = check_title(title)
        if any(s.id != sheet.id and s.title.lower() == title.lower() for s in sheets):
            raise BadRequest(f'A sheet with the name "{title}" already exists. Please enter another name.',
                             code="INVALID_ARGUMENT")
        args["title"] = title
    for name, v in (("frozen_rows", frozen_rows), ("frozen_cols", frozen_cols)):
        if v is not None:
            if not 0 <= int(v) <= 100:
                raise BadRequest(f"{name} must be between 0 and 100.", code="INVALID_ARGUMENT")
            args[name] = int(v)
    if index is not None:
        args["index"] = int(index)
    with mutation(db, wb, op, **args) as ch:
        ch.touch_sheet(sheet)
        if title is not None and title != sheet.title:
            old = sheet.title
            ch.load_workbook()
            rewrites = []
            for key, cell in ch.cells.items():
                if cell is not None and cell.input.startswith("="):
                    new = rename_sheet_in_formula(cell.input, old, title)
                    if new != cell.input:
                        rewrites.append((key, {"input": new}))
            sheet.title = title
            ch.structural = True
            ch.write(rewrites)
        if frozen_rows is not None:
            sheet.frozen_rows = int(frozen_rows)
        if frozen_cols is not None:
            sheet.frozen_cols = int(frozen_cols)
        if index is not None:
            index = max(0, min(int(index), len(sheets) - 1))
            order = [s for s in sheets if s.id != sheet.id]
            order.insert(index, sheet)
            for i, s in enumerate(order):
                if s.position != i:
                    ch.touch_sheet(s)
                    s.position = i
    return sheet


def delete_sheet(db, wb: Workbook, sheet: Sheet) -> None:
    """Delete a tab and its cells; formulas that pointed at it show #REF!."""
    sheets = sheets_of(db, wb)
    if len(sheets) <= 1:
        raise BadRequest("You can't remove all the sheets in a document.", code="INVALID_ARGUMENT")
    with mutation(db, wb, "sheets.sheet.delete", record=False, spreadsheet_id=wb.spreadsheet_id,
                  sheet=sheet.title) as ch:
        ch.load_workbook()
        rewrites = []
        for key, cell in ch.cells.items():
            if cell is None:
                continue
            if key[0] == sheet.id:
                db.delete(cell)
            elif cell.input.startswith("="):
                new = drop_sheet_in_formula(cell.input, sheet.title)
                if new != cell.input:
                    rewrites.append((key, {"input": new}))
        ch.cells = {k: v for k, v in ch.cells.items() if k[0] != sheet.id}
        ch.structural = True
        ch.write(rewrites)
        db.delete(sheet)
        for s in sheets:
            if s.position > sheet.position:
                s.position -= 1
        _clear_history(db, wb)
        ch.before = {k: v for k, v in ch.before.items() if k[0] != sheet.id}


# ---- cell edits ------------------------------------------------------------------------------------


def _check_bounds(sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
    if r1 < 1 or c1 < 1 or r2 > MAX_ROWS or c2 > MAX_COLS:
        raise BadRequest("The range is outside the sheet.", code="INVALID_ARGUMENT")


def set_values(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, values: list[list[Any]], *,
               user_entered: bool = True, op: str = "sheets.cell.set", grow: bool = True,
               fresh: bool = False) -> list[CellKey]:
    """Write a block of values/formulas with its top-left at (r1, c1); returns the cells whose display changed."""
    height = len(values)
    width = max((len(r) for r in values), default=0)
    if height == 0 or width == 0:
        return []
    _check_bounds(sheet, r1, c1, r1 + height - 1, c1 + width - 1)
    a1 = f"{cell_name(r1, c1)}:{cell_name(r1 + height - 1, c1 + width - 1)}"
    items = []
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            raw, fmt = input_for(v, user_entered)
            fields: dict[str, Any] = {"input": raw}
            if fmt:
                fields["implied_format"] = fmt
            items.append(((sheet.id, r1 + i, c1 + j), fields))
    args: dict[str, Any] = {"spreadsheet_id": wb.spreadsheet_id, "sheet": sheet.title, "range": a1,
                            "cells": len(items)}
    if len(items) == 1:
        args["input"] = items[0][1]["input"]
    with mutation(db, wb, op, record=not fresh, **args) as ch:
        if grow:
            _grow(ch, sheet, r1 + height - 1, c1 + width - 1)
        ch.write(items, assume_empty=fresh)
        return sorted(ch.changed)


def _grow(ch: Change, sheet: Sheet, last_row: int, last_col: int) -> None:
    if last_row > sheet.row_count or last_col > sheet.column_count:
        ch.touch_sheet(sheet)
        sheet.row_count = max(sheet.row_count, last_row)
        sheet.column_count = max(sheet.column_count, last_col)


def clear_range(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, r2: int, c2: int,
                op: str = "sheets.range.clear", formats: bool = False) -> list[CellKey]:
    """Clear the values (and with formats=True the look) of a rectangle."""
    existing = cells_in(db, sheet, r1, c1, r2, c2)
    with mutation(db, wb, op, spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  range=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}") as ch:
        fields = dict(EMPTY) if formats else {"input": ""}
        ch.write([((sheet.id, r, c), fields) for (r, c) in sorted(existing)])
        return sorted(ch.changed)


def append_rows(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, r2: int, c2: int,
                values: list[list[Any]], user_entered: bool) -> tuple[int, int, int, int]:
    """Append rows after the table found in a range (Sheets' values.append); returns the written bounds."""
    existing = cells_in(db, sheet, r1, c1, max(r2, sheet.row_count), c2)
    last = r1 - 1
    for (r, c), cell in existing.items():
        if cell.input:
            last = max(last, r)
    start = last + 1
    height = len(values)
    width = max((len(r) for r in values), default=0)
    set_values(db, wb, sheet, start, c1, values, user_entered=user_entered, op="sheets.rows.append")
    return start, c1, start + height - 1, c1 + max(width, 1) - 1


def set_format(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, r2: int, c2: int, **style: Any) -> list[CellKey]:
    """Set number format, bold and/or fill colour on a rectangle."""
    style = {k: v for k, v in style.items() if k in STYLE_FIELDS}
    if not style:
        raise BadRequest("Nothing to format: give number_format, bold or fill.", code="INVALID_ARGUMENT")
    if "fill" in style and style["fill"] is not None:
        f = str(style["fill"]).lower()
        if not (len(f) == 7 and f.startswith("#") and all(ch in "0123456789abcdef" for ch in f[1:])):
            raise BadRequest(f"'{style['fill']}' is not a colour like #ffcc00.", code="INVALID_ARGUMENT")
        style["fill"] = None if f == "#ffffff" else f
    if (r2 - r1 + 1) * (c2 - c1 + 1) > 50_000:
        raise BadRequest("Format at most 50,000 cells at once.", code="INVALID_ARGUMENT")
    _check_bounds(sheet, r1, c1, r2, c2)
    with mutation(db, wb, "sheets.format.set", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  range=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}", **style) as ch:
        ch.write([((sheet.id, r, c), dict(style)) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)])
        return sorted(ch.changed)


def set_column_width(db, wb: Workbook, sheet: Sheet, col: int, width: int) -> None:
    """Set one column's width in pixels."""
    if not 20 <= int(width) <= 1000:
        raise BadRequest("A column width must be between 20 and 1000 pixels.", code="INVALID_ARGUMENT")
    with mutation(db, wb, "sheets.column.resize", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  column=col, width=int(width)) as ch:
        ch.touch_sheet(sheet)
        widths = json.loads(sheet.col_widths or "{}")
        widths[str(col)] = int(width)
        sheet.col_widths = json.dumps(widths, sort_keys=True)


def fill_down(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> list[CellKey]:
    """Copy the top row of a range into the rows below it, shifting relative references."""
    if r2 <= r1:
        raise BadRequest("Select at least two rows to fill down.", code="INVALID_ARGUMENT")
    top = cells_in(db, sheet, r1, c1, r1, c2)
    items = []
    for r in range(r1 + 1, r2 + 1):
        for c in range(c1, c2 + 1):
            src = content_of(top.get((r1, c))) or dict(EMPTY)
            fields = dict(src)
            if fields["input"].startswith("="):
                fields["input"] = offset_formula(fields["input"], r - r1, 0)
            items.append(((sheet.id, r, c), fields))
    with mutation(db, wb, "sheets.fill.down", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  range=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}") as ch:
        ch.write(items)
        return sorted(ch.changed)


def paste_cells(db, wb: Workbook, src_sheet: Sheet, sr1: int, sc1: int, sr2: int, sc2: int,
                sheet: Sheet, r1: int, c1: int) -> list[CellKey]:
    """Paste a copied range (inputs and looks; formulas shift by the distance moved)."""
    src = cells_in(db, src_sheet, sr1, sc1, sr2, sc2)
    dr, dc = r1 - sr1, c1 - sc1
    items = []
    for r in range(sr1, sr2 + 1):
        for c in range(sc1, sc2 + 1):
            fields = dict(content_of(src.get((r, c))) or EMPTY)
            if fields["input"].startswith("="):
                fields["input"] = offset_formula(fields["input"], dr, dc)
            items.append(((sheet.id, r + dr, c + dc), fields))
    r2, c2 = r1 + sr2 - sr1, c1 + sc2 - sc1
    _check_bounds(sheet, r1, c1, r2, c2)
    with mutation(db, wb, "sheets.paste", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  range=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}",
                  source=f"{src_sheet.title}!{cell_name(sr1, sc1)}:{cell_name(sr2, sc2)}") as ch:
        _grow(ch, sheet, r2, c2)
        ch.write(items)
        return sorted(ch.changed)


def paste_text(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, text: str) -> list[CellKey]:
    """Paste text from another app: rows split on newlines, columns on tabs, each typed as entered."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return []
    if len(lines) * max(len(line.split("\t")) for line in lines) > 50_000:
        raise BadRequest("Paste at most 50,000 cells at once.", code="INVALID_ARGUMENT")
    return set_values(db, wb, sheet, r1, c1, [line.split("\t") for line in lines], user_entered=True,
                      op="sheets.paste")


# ---- structure: rows, columns, sort ----------------------------------------------------------------


def _title_of(db, wb: Workbook) -> dict[int, str]:
    return {s.id: s.title for s in sheets_of(db, wb)}


def change_dimension(db, wb: Workbook, sheet: Sheet, axis: str, at: int, count: int) -> None:
    """Insert (count > 0) or delete (count < 0) rows (axis "row") or columns ("col") at 1-based `at`."""
    if axis not in ("row", "col") or count == 0 or at < 1:
        raise BadRequest("Invalid dimension change.", code="INVALID_ARGUMENT")
    size = sheet.row_count if axis == "row" else sheet.column_count
    if count < 0 and at - count - 1 > size:
        raise BadRequest(f"Cannot delete beyond the sheet's last {'row' if axis == 'row' else 'column'}.",
                         code="INVALID_ARGUMENT")
    if count < 0 and -count >= size:
        raise BadRequest(f"You can't delete all the {'rows' if axis == 'row' else 'columns'} on the sheet.",
                         code="INVALID_ARGUMENT")
    if count > 0 and size + count > (MAX_ROWS if axis == "row" else MAX_COLS):
        raise BadRequest("The sheet would become too large.", code="INVALID_ARGUMENT")
    noun = "rows" if axis == "row" else "columns"
    op = f"sheets.{noun}.{'insert' if count > 0 else 'delete'}"
    titles = _title_of(db, wb)
    with mutation(db, wb, op, spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title, at=at, count=abs(count)) as ch:
        ch.structural = True
        ch.touch_sheet(sheet)
        ch.load_workbook()
        old = {k: content_of(c) for k, c in ch.cells.items() if c is not None}
        new: dict[CellKey, dict] = {}
        for key, cont in old.items():
            if cont is None:
                continue
            s, r, c = key
            if cont["input"].startswith("="):
                cont = {**cont, "input": shift_formula(cont["input"], titles[s], sheet.title, axis, at, count)}
            if s == sheet.id:
                pos = r if axis == "row" else c
                if count > 0 and pos >= at:
                    pos += count
                elif count < 0 and at <= pos < at - count:
                    continue
                elif count < 0 and pos >= at - count:
                    pos += count
                key = (s, pos, c) if axis == "row" else (s, r, pos)
            new[key] = cont
        items = []
        for key in set(old) | set(new):
            target = new.get(key)
            if target != old.get(key):
                items.append((key, dict(target or EMPTY)))
        ch.write(sorted(items))
        if axis == "row":
            sheet.row_count += count
        else:
            sheet.column_count += count
            widths = json.loads(sheet.col_widths or "{}")
            moved = {}
            for k, w in widths.items():
                c = int(k)
                if count > 0 and c >= at:
                    c += count
                elif count < 0 and at <= c < at - count:
                    continue
                elif count < 0 and c >= at - count:
                    c += count
                moved[str(c)] = w
            sheet.col_widths = json.dumps(moved, sort_keys=True)


def _sort_key(value: Any) -> tuple:
    # Excel's sort order: numbers, text, booleans, errors; blanks always last.
    from mock_apps.sheets.formula import ExcelError
    if value is None or value == "":
        return (4, 0)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, ExcelError):
        return (3, value.code)
    return (1, str(value).lower())


def sort_range(db, wb: Workbook, sheet: Sheet, r1: int, c1: int, r2: int, c2: int,
               specs: list[tuple[int, bool]]) -> list[CellKey]:
    """Sort the rows of a range by columns [(column, ascending)], moving whole rows of the range."""
    if not specs:
        raise BadRequest("Say which column to sort by.", code="INVALID_ARGUMENT")
    for col, _asc in specs:
        if not c1 <= col <= c2:
            raise BadRequest("The sort column must be inside the range.", code="INVALID_ARGUMENT")
    with mutation(db, wb, "sheets.sort", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                  range=f"{cell_name(r1, c1)}:{cell_name(r2, c2)}",
                  by=[{"column": cell_name(1, c)[:-1], "ascending": a} for c, a in specs]) as ch:
        keys = [(sheet.id, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        ch.load(keys)
        rows = list(range(r1, r2 + 1))

        def row_key(r: int) -> tuple:
            parts = []
            for col, asc in specs:
                k = _sort_key(ch.engine.value((sheet.id, r, col)))
                parts.append((k[0] == 4, k if asc else _Reverse(k)))  # blanks last either way
            return tuple(parts)
        order = sorted(rows, key=row_key)
        items = []
        for new_r, old_r in zip(rows, order):
            for c in range(c1, c2 + 1):
                cont = dict(content_of(ch.cells.get((sheet.id, old_r, c))) or EMPTY)
                if cont["input"].startswith("="):
                    cont["input"] = offset_formula(cont["input"], new_r - old_r, 0)
                items.append(((sheet.id, new_r, c), cont))
        ch.structural = True
        ch.write(items)
        return sorted(ch.changed)


class _Reverse:
    """Inverts ordering for descending sort keys (blanks still last)."""

    __slots__ = ("k",)

    def __init__(self, k: tuple) -> None:
        self.k = k

    def __lt__(self, other: "_Reverse") -> bool:
        return other.k < self.k

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reverse) and other.k == self.k


# ---- filter ----------------------------------------------------------------------------------------


def set_filter(db, wb: Workbook, sheet: Sheet, a1_range: str | None, column: int | None,
               criterion: str | None) -> None:
    """Filter a range's rows by a criterion on one column (COUNTIF syntax: East, >100, <>Paid); None clears."""
    if a1_range is None:
        spec = ""
    else:
        try:
            ref = parse_a1(a1_range)
        except FormulaSyntaxError:
            raise BadRequest(f"Unable to parse range: {a1_range}", code="INVALID_ARGUMENT") from None
        if ref.r1 is None or ref.c1 is None or ref.r2 is None or ref.c2 is None:
            raise BadRequest("Give the filter's full range, like A1:D40.", code="INVALID_ARGUMENT")
        if column is not None and not ref.c1 <= column <= ref.c2:
            raise BadRequest("The filter column must be inside the range.", code="INVALID_ARGUMENT")
        spec = json.dumps({"r1": ref.r1, "c1": ref.c1, "r2": ref.r2, "c2": ref.c2, "column": column,
                           "criterion": criterion or ""}, sort_keys=True)
    with mutation(db, wb, "sheets.filter.set" if spec else "sheets.filter.clear",
                  spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title, range=a1_range, column=column,
                  criterion=criterion) as ch:
        ch.touch_sheet(sheet)
        sheet.filter_spec = spec


def hidden_rows(db, wb: Workbook, sheet: Sheet, engine: Engine | None = None) -> set[int]:
    """Rows the sheet's filter hides (the header row of the filter range always shows)."""
    if not sheet.filter_spec:
        return set()
    spec = json.loads(sheet.filter_spec)
    if not spec.get("column") or spec.get("criterion", "") == "":
        return set()
    from mock_apps.sheets.formula.criteria import make_predicate
    from mock_apps.sheets.formula.values import parse_number
    crit: Any = spec["criterion"]
    if parse_number(crit) is not None and not any(crit.startswith(p) for p in "<>="):
        crit = parse_number(crit)
    pred = make_predicate(crit)
    engine = engine or calc.engine_for(db, wb, company_today(db))
    hide = set()
    for r in range(spec["r1"] + 1, spec["r2"] + 1):
        if not pred(engine.value((sheet.id, r, spec["column"]))):
            hide.add(r)
    return hide


# ---- undo / redo -----------------------------------------------------------------------------------


def undo(db, wb: Workbook) -> list[CellKey]:
    """Revert the latest applied change."""
    rev = db.exec(select(Revision).where(Revision.workbook_id == wb.id, Revision.seq == wb.undo_seq)).first()
    if rev is None:
        raise Conflict("There is nothing to undo.", code="nothing_to_undo")
    return _apply_revision(db, wb, rev, backwards=True)


def redo(db, wb: Workbook) -> list[CellKey]:
    """Re-apply the latest undone change."""
    rev = db.exec(select(Revision).where(Revision.workbook_id == wb.id, Revision.seq == wb.undo_seq + 1)).first()
    if rev is None:
        raise Conflict("There is nothing to redo.", code="nothing_to_redo")
    return _apply_revision(db, wb, rev, backwards=False)


def _apply_revision(db, wb: Workbook, rev: Revision, backwards: bool) -> list[CellKey]:
    payload = json.loads(rev.payload)
    op = "sheets.undo" if backwards else "sheets.redo"
    with mutation(db, wb, op, record=False, spreadsheet_id=wb.spreadsheet_id, change=rev.op, seq=rev.seq) as ch:
        sheets = {s.id: s for s in sheets_of(db, wb)}
        titles_change = False
        for pk, before, after in payload["sheets"]:
            sheet = sheets.get(pk)
            if sheet is None:
                continue
            ch.touch_sheet(sheet)
            target = before if backwards else after
            for k, v in target.items():
                if k == "title" and v != sheet.title:
                    titles_change = True
                setattr(sheet, k, v)
        ch.structural = rev.structural or titles_change
        items = []
        for pk, r, c, before, after in payload["cells"]:
            if pk in sheets:
                items.append(((pk, r, c), dict((before if backwards else after) or EMPTY)))
        ch.write(items)
        wb.undo_seq = rev.seq - 1 if backwards else rev.seq
        return sorted(ch.changed)


def history(db, wb: Workbook) -> tuple[bool, bool]:
    """(can undo, can redo)."""
    seqs = set(db.exec(select(Revision.seq).where(Revision.workbook_id == wb.id,
                                                  Revision.seq.in_((wb.undo_seq, wb.undo_seq + 1)))).all())
    return (wb.undo_seq in seqs, (wb.undo_seq + 1) in seqs)


def engine(db, wb: Workbook) -> Engine:
    """The workbook's calculation engine (read-only use)."""
    return calc.engine_for(db, wb, company_today(db))


__all__ = ["Ref"]
