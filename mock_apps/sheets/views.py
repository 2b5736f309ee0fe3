"""Sheets' UI: workbook list, the grid page, tab management, import and export."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from mock_apps.core.errors import BadRequest, MockAppsError
from mock_apps.core.request import db
from mock_apps.sheets import files, grid, service
from mock_apps.sheets.formula import cell_name, parse_a1
from mock_apps.sheets.formula.errors import FormulaSyntaxError
from mock_apps.sheets.models import Sheet, Workbook

bp = Blueprint("sheets", __name__, template_folder="templates", static_folder="static/sheets",
               static_url_path="/static/sheets")

NUMBER_FORMATS = [("General", ""), ("Number", "#,##0.00"), ("Currency", "$#,##0.00"), ("Percent", "0.00%"),
                  ("Date", "yyyy-mm-dd"), ("Plain text", "@")]


@bp.get("/")
def workbooks() -> str:
    """The workbook list."""
    return render_template("sheets/workbooks.html", workbooks=service.list_workbooks(db()), error=None)


@bp.post("/new")
def new_workbook() -> Response:
    """Create a blank workbook and open it."""
    wb = service.create_workbook(db(), request.form.get("title", "").strip() or "Untitled spreadsheet")
    return redirect(url_for("sheets.workbook", spreadsheet_id=wb.spreadsheet_id))


def _uploaded() -> tuple[bytes, str, str]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("Choose a CSV or XLSX file to import.")
    name = upload.filename
    data = upload.read()
    if not data:
        raise BadRequest(f"'{name}' is empty.")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("csv", "tsv", "txt", "xlsx", "xlsm"):
        raise BadRequest(f"'{name}' is not a CSV or XLSX file.")
    return data, name, ext


def _tables(data: bytes, name: str, ext: str) -> list[files.ImportedTable]:
    base = re.sub(r"\.[^.]+$", "", name) or "Imported"
    if ext in ("xlsx", "xlsm"):
        return files.read_xlsx(data)
    return [files.read_csv(data, base)]


@bp.post("/import")
def import_file():
    """Import a CSV or XLSX file into a new workbook."""
    try:
        data, name, ext = _uploaded()
        tables = _tables(data, name, ext)
        title = request.form.get("title", "").strip() or re.sub(r"\.[^.]+$", "", name)
        wb = files.import_tables(db(), tables, workbook=None, title=title)
    except MockAppsError as exc:
        return render_template("sheets/workbooks.html", workbooks=service.list_workbooks(db()),
                               error=exc.message), 400
    return redirect(url_for("sheets.workbook", spreadsheet_id=wb.spreadsheet_id))


@bp.get("/d/<spreadsheet_id>")
def workbook(spreadsheet_id: str) -> Response:
    """Open a workbook at its first sheet."""
    wb = service.get_workbook(db(), spreadsheet_id)
    first = service.sheets_of(db(), wb)[0]
    return redirect(url_for("sheets.sheet", spreadsheet_id=wb.spreadsheet_id, sheet_id=first.sheet_id,
                            **({"cell": request.args["cell"]} if "cell" in request.args else {})))


def _load(spreadsheet_id: str, sheet_id: int) -> tuple[Workbook, Sheet]:
    wb = service.get_workbook(db(), spreadsheet_id)
    return wb, service.sheet_by_id(db(), wb, sheet_id)


@bp.get("/d/<spreadsheet_id>/s/<int:sheet_id>")
def sheet(spreadsheet_id: str, sheet_id: int, error: str | None = None, status: int = 200):
    """The grid page of one sheet."""
    session = db()
    wb, sh = _load(spreadsheet_id, sheet_id)
    last_r, last_c = service.used_extent(session, sh)
    rows = min(max(last_r + 30, 60), sh.row_count if sh.row_count >= last_r else last_r)
    rows = max(rows, last_r)
    cols = min(max(last_c + 3, 26), max(sh.column_count, last_c))
    start_cell = request.args.get("cell", "A1")
    try:
        wanted = parse_a1(start_cell)
    except FormulaSyntaxError:
        wanted = None
    if wanted is not None and wanted.sheet is None and wanted.r1 and wanted.c1:
        # The name box jumped beyond the rendered rows or columns: render far enough to show the target.
        rows = max(rows, min(wanted.r2 or wanted.r1, sh.row_count))
        cols = max(cols, min(wanted.c2 or wanted.c1, sh.column_count))
    cells = service.cells_in(session, sh, 1, 1, rows, cols)
    hidden = service.hidden_rows(session, wb, sh)
    can_undo, can_redo = service.history(session, wb)
    filter_spec = json.loads(sh.filter_spec) if sh.filter_spec else None
    return render_template(
        "sheets/sheet.html", wb=wb, sheet=sh, sheets=service.sheets_of(session, wb),
        grid_html=grid.render(sh, cells, rows, cols, hidden), can_undo=can_undo, can_redo=can_redo,
        number_formats=NUMBER_FORMATS, filter_spec=filter_spec, hidden_count=len(hidden), error=error,
        start_cell=start_cell, used_rows=last_r, used_cols=last_c,
        filter_range=(f"{cell_name(filter_spec['r1'], filter_spec['c1'])}:{cell_name(filter_spec['r2'], filter_spec['c2'])}"
                      if filter_spec else ""),
    ), status


def _bounds(a1: str, sh: Sheet) -> tuple[int, int, int, int]:
    try:
        ref = parse_a1(a1)
    except FormulaSyntaxError:
        raise BadRequest(f"'{a1}' is not a cell or range.") from None
    if ref.sheet is not None:
        if ref.r1 is None and ref.c1 is None:
            raise BadRequest(f"'{a1}' is not a cell or range.")
        raise BadRequest("Give a range on this sheet, like B2:D9.")
    r1, c1 = ref.r1 or 1, ref.c1 or 1
    r2 = ref.r2 if ref.r2 is not None else sh.row_count
    c2 = ref.c2 if ref.c2 is not None else sh.column_count
    return r1, c1, r2, c2


def _int(value: Any) -> int:
    """An integer from a JSON field, or a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BadRequest(f"'{value}' is not a whole number.")
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"'{value}' is not a whole number.") from None


@bp.post("/d/<spreadsheet_id>/s/<int:sheet_id>/edit")
def edit(spreadsheet_id: str, sheet_id: int) -> Response:
    """The grid's actions (JSON in, changed cells out): the same service calls the API makes."""
    session = db()
    wb, sh = _load(spreadsheet_id, sheet_id)
    body: dict[str, Any] = request.get_json(silent=True) or {}
    action = body.get("action")
    reload = False
    try:
        changed: list = []
        if action == "set":
            r1, c1, _r2, _c2 = _bounds(str(body.get("cell", "")), sh)
            raw = str(body.get("input", ""))
            if len(raw) > 50_000:
                raise BadRequest("A cell can hold at most 50,000 characters.")
            changed = service.set_values(session, wb, sh, r1, c1, [[raw]], user_entered=True)
        elif action == "clear":
            changed = service.clear_range(session, wb, sh, *_bounds(str(body.get("range", "")), sh))
        elif action == "paste_text":
            r1, c1, _r2, _c2 = _bounds(str(body.get("cell", "")), sh)
            changed = service.paste_text(session, wb, sh, r1, c1, str(body.get("text", "")))
        elif action == "paste_cells":
            src = service.get_workbook(session, str(body.get("source_spreadsheet", spreadsheet_id)))
            if src.id != wb.id:
                raise BadRequest("Copying between workbooks pastes values; use paste_text.")
            src_sheet = service.sheet_by_id(session, wb, _int(body.get("source_sheet", sheet_id)))
            sr1, sc1, sr2, sc2 = _bounds(str(body.get("source", "")), src_sheet)
            r1, c1, _r2, _c2 = _bounds(str(body.get("cell", "")), sh)
            changed = service.paste_cells(session, wb, src_sheet, sr1, sc1, sr2, sc2, sh, r1, c1)
        elif action == "fill_down":
            changed = service.fill_down(session, wb, sh, *_bounds(str(body.get("range", "")), sh))
        elif action == "format":
            style = {k: body[k] for k in ("number_format", "bold", "fill") if k in body}
            if "number_format" in style and not style["number_format"]:
                style["number_format"] = None
            changed = service.set_format(session, wb, sh, *_bounds(str(body.get("range", "")), sh), **style)
        elif action in ("insert_rows", "delete_rows", "insert_cols", "delete_cols"):
            at, count = _int(body.get("at", 0)), _int(body.get("count", 1))
            if count < 1 or count > 1000:
                raise BadRequest("Insert or delete between 1 and 1,000 rows or columns at once.")
            axis = "row" if action.endswith("rows") else "col"
            service.change_dimension(session, wb, sh, axis, at, count if action.startswith("insert") else -count)
            reload = True
        elif action == "sort":
            r1, c1, r2, c2 = _bounds(str(body.get("range", "")), sh)
            col = _int(body.get("column", c1))
            service.sort_range(session, wb, sh, r1, c1, r2, c2, [(col, bool(body.get("ascending", True)))])
            reload = True
        elif action == "filter":
            if body.get("clear"):
                service.set_filter(session, wb, sh, None, None, None)
            else:
                service.set_filter(session, wb, sh, str(body.get("range", "")), _int(body.get("column", 0)) or None,
                                   str(body.get("criterion", "")))
            reload = True
        elif action == "freeze":
            service.update_sheet(session, wb, sh, frozen_rows=_int(body.get("rows", 0)))
            reload = True
        elif action == "width":
            service.set_column_width(session, wb, sh, _int(body.get("column", 0)), _int(body.get("width", 0)))
            reload = True
        elif action in ("undo", "redo"):
            (service.undo if action == "undo" else service.redo)(session, wb)
            reload = True
        else:
            raise BadRequest(f"Unknown action '{action}'.")
    except MockAppsError as exc:
        return jsonify({"ok": False, "error": exc.message}), exc.status if exc.status < 500 else 500
    if reload:
        return jsonify({"ok": True, "reload": True})
    mine = [k for k in changed if k[0] == sh.id]
    stored = service.changed_cells(session, mine)
    can_undo, can_redo = service.history(session, wb)
    return jsonify({"ok": True, "cells": [grid.cell_payload(stored.get(k), cell_name(k[1], k[2])) for k in mine],
                    "can_undo": can_undo, "can_redo": can_redo})


@bp.post("/d/<spreadsheet_id>/sheets")
def add_sheet(spreadsheet_id: str) -> Response:
    """Add a tab."""
    wb = service.get_workbook(db(), spreadsheet_id)
    sh = service.add_sheet(db(), wb, request.form.get("title") or None)
    return redirect(url_for("sheets.sheet", spreadsheet_id=spreadsheet_id, sheet_id=sh.sheet_id))


@bp.post("/d/<spreadsheet_id>/s/<int:sheet_id>/tab")
def tab(spreadsheet_id: str, sheet_id: int):
    """Rename, move or delete a tab."""
    session = db()
    wb, sh = _load(spreadsheet_id, sheet_id)
    action = request.form.get("action")
    try:
        if action == "rename":
            service.update_sheet(session, wb, sh, title=request.form.get("title", ""))
        elif action in ("left", "right"):
            service.update_sheet(session, wb, sh, index=sh.position + (-1 if action == "left" else 1))
        elif action == "delete":
            service.delete_sheet(session, wb, sh)
            first = service.sheets_of(session, wb)[0]
            return redirect(url_for("sheets.sheet", spreadsheet_id=spreadsheet_id, sheet_id=first.sheet_id))
        else:
            raise BadRequest(f"Unknown tab action '{action}'.")
    except MockAppsError as exc:
        return sheet(spreadsheet_id, sheet_id, error=exc.message, status=400)
    return redirect(url_for("sheets.sheet", spreadsheet_id=spreadsheet_id, sheet_id=sheet_id))


@bp.post("/d/<spreadsheet_id>/import")
def import_into(spreadsheet_id: str):
    """Import a CSV or XLSX file as new sheet(s) of this workbook."""
    session = db()
    wb = service.get_workbook(session, spreadsheet_id)
    current_raw = request.form.get("sheet_id", "0")
    current = int(current_raw) if current_raw.isdecimal() else 0
    try:
        data, name, ext = _uploaded()
        before = {s.id for s in service.sheets_of(session, wb)}
        files.import_tables(session, _tables(data, name, ext), workbook=wb, title=wb.title)
    except MockAppsError as exc:
        fallback = service.sheets_of(session, wb)[0].sheet_id
        try:
            service.sheet_by_id(session, wb, current)
        except MockAppsError:
            current = fallback
        return sheet(spreadsheet_id, current, error=exc.message, status=400)
    new = [s for s in service.sheets_of(session, wb) if s.id not in before]
    return redirect(url_for("sheets.sheet", spreadsheet_id=spreadsheet_id, sheet_id=new[0].sheet_id))


def _download_name(title: str, ext: str) -> str:
    safe = re.sub(r'[^A-Za-z0-9 ._-]+', "_", title).strip() or "spreadsheet"
    return f"{safe}.{ext}"


@bp.get("/d/<spreadsheet_id>/export.xlsx")
def export_xlsx(spreadsheet_id: str) -> Response:
    """Download the workbook as XLSX."""
    wb = service.get_workbook(db(), spreadsheet_id)
    data = files.export_xlsx(db(), wb)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(wb.title, "xlsx")}"'})


@bp.get("/d/<spreadsheet_id>/s/<int:sheet_id>/export.csv")
def export_csv(spreadsheet_id: str, sheet_id: int) -> Response:
    """Download one sheet as CSV."""
    wb, sh = _load(spreadsheet_id, sheet_id)
    return Response(files.export_csv(db(), sh), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_download_name(wb.title + " - " + sh.title, "csv")}"'})
