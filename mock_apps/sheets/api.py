"""Google Sheets API v4 subset under /v4/spreadsheets, in Google's wire format."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Iterator

from flask import Blueprint, Response, jsonify, request, url_for

from mock_apps.core.errors import BadRequest, MockAppsError
from mock_apps.core.request import db
from mock_apps.sheets import calc, display, service
from mock_apps.sheets.formula import cell_name, quote_sheet
from mock_apps.sheets.models import Cell, Sheet, Workbook

bp = Blueprint("sheets_api", __name__)

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}
_FORMAT_PATTERNS = {"NUMBER": "#,##0.00", "CURRENCY": "$#,##0.00", "PERCENT": "0.00%", "DATE": "yyyy-mm-dd",
                    "TIME": "h:mm:ss AM/PM", "DATE_TIME": "yyyy-mm-dd h:mm:ss", "SCIENTIFIC": "0.00E+00",
                    "TEXT": "@"}


def error_response(error: MockAppsError) -> Response:
    """Google's error body: {"error": {"code", "message", "status"}}."""
    status = error.status if error.status in _STATUS else (400 if error.status < 500 else 500)
    code = error.code if error.code and error.code.isupper() else _STATUS.get(status, "INVALID_ARGUMENT")
    body = {"error": {"code": status, "message": error.message, "status": code}}
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _bad(message: str) -> BadRequest:
    return BadRequest(message, code="INVALID_ARGUMENT")


def _body() -> dict:
    if not request.data:
        return {}
    try:
        data = json.loads(request.data)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        raise _bad("Invalid JSON payload received.") from None
    if not isinstance(data, dict):
        raise _bad("Invalid JSON payload received. Expected an object.")
    return data


def _user_entered(option: str | None) -> bool:
    if not option:
        raise _bad("'valueInputOption' is required but not specified")
    if option not in ("RAW", "USER_ENTERED"):
        raise _bad(f"Invalid value at 'value_input_option' ({option}): use RAW or USER_ENTERED")
    return option == "USER_ENTERED"


# ---- resources -------------------------------------------------------------------------------------


def _sheet_properties(sheet: Sheet) -> dict:
    grid: dict[str, Any] = {"rowCount": sheet.row_count, "columnCount": sheet.column_count}
    if sheet.frozen_rows:
        grid["frozenRowCount"] = sheet.frozen_rows
    if sheet.frozen_cols:
        grid["frozenColumnCount"] = sheet.frozen_cols
    return {"sheetId": sheet.sheet_id, "title": sheet.title, "index": sheet.position, "sheetType": "GRID",
            "gridProperties": grid}


def _hex_to_color(hex_colour: str) -> dict:
    h = hex_colour.lstrip("#")
    return {k: round(int(h[i:i + 2], 16) / 255, 4) for k, i in (("red", 0), ("green", 2), ("blue", 4))}


def _color_to_hex(color: dict) -> str:
    def part(k: str) -> str:
        return f"{max(0, min(255, round(float(color.get(k, 0)) * 255))):02x}"
    return "#" + part("red") + part("green") + part("blue")


def _typed(value: Any, error_message: str | None = None) -> dict:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return {"stringValue": value}


def _cell_data(cell: Cell) -> dict:
    out: dict[str, Any] = {}
    if cell.input:
        if cell.input.startswith("=") and len(cell.input) > 1:
            out["userEnteredValue"] = {"formulaValue": cell.input}
        elif cell.kind != "error":
            out["userEnteredValue"] = _typed(display.unformatted(cell))
        else:
            out["userEnteredValue"] = {"stringValue": cell.input}
        if cell.kind == "error":
            out["effectiveValue"] = {"errorValue": {"type": display.ERROR_TYPES.get(cell.text or "", "ERROR"),
                                                    "message": cell.note or ""}}
        elif cell.kind != "empty":
            out["effectiveValue"] = _typed(display.unformatted(cell))
        out["formattedValue"] = display.formatted(cell)
    fmt: dict[str, Any] = {}
    if cell.number_format:
        fmt["numberFormat"] = {"type": _format_type(cell.number_format), "pattern": cell.number_format}
    if cell.bold:
        fmt["textFormat"] = {"bold": True}
    if cell.fill:
        fmt["backgroundColor"] = _hex_to_color(cell.fill)
    if fmt:
        out["userEnteredFormat"] = fmt
    return out


def _format_type(pattern: str) -> str:
    from mock_apps.sheets.formula import is_date_format
    if "%" in pattern:
        return "PERCENT"
    if "$" in pattern:
        return "CURRENCY"
    if is_date_format(pattern):
        return "DATE"
    if "E+" in pattern.upper():
        return "SCIENTIFIC"
    return "NUMBER"


def _grid_data(session, sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> dict:
    """GridData of a rectangle (0-based start; rows and values stop at the last one holding anything)."""
    last_r, last_c = service.used_extent(session, sheet)
    r2, c2 = min(r2, last_r), min(c2, last_c)
    cells = service.cells_in(session, sheet, r1, c1, r2, c2) if r2 >= r1 and c2 >= c1 else {}
    rows = []
    for r in range(r1, r2 + 1):
        rows.append({"values": [_cell_data(cells[(r, c)]) if (r, c) in cells else {} for c in range(c1, c2 + 1)]})
    while rows and not any(rows[-1]["values"]):
        rows.pop()
    out: dict[str, Any] = {"startRow": r1 - 1, "startColumn": c1 - 1}
    if rows:
        out["rowData"] = rows
    return out


def spreadsheet_resource(wb: Workbook, include_grid: bool = False, ranges: list[str] | None = None) -> dict:
    """The Spreadsheet resource; with ranges, only the sheets (and grid data) they intersect."""
    session = db()
    wanted: dict[int, list[tuple[int, int, int, int]]] | None = None
    if ranges:
        wanted = {}
        for a1 in ranges:
            sheet, r1, c1, r2, c2 = service.resolve_range(session, wb, a1)
            wanted.setdefault(sheet.id, []).append((r1, c1, r2, c2))
    sheets = []
    for sheet in service.sheets_of(session, wb):
        if wanted is not None and sheet.id not in wanted:
            continue
        entry: dict[str, Any] = {"properties": _sheet_properties(sheet)}
        if include_grid:
            boxes = wanted[sheet.id] if wanted is not None else [(1, 1, sheet.row_count, sheet.column_count)]
            entry["data"] = [_grid_data(session, sheet, *box) for box in boxes]
        sheets.append(entry)
    return {
        "spreadsheetId": wb.spreadsheet_id,
        "properties": {"title": wb.title, "locale": wb.locale, "autoRecalc": "ON_CHANGE", "timeZone": wb.time_zone,
                       "defaultFormat": {"backgroundColor": {"red": 1, "green": 1, "blue": 1}}},
        "sheets": sheets,
        "spreadsheetUrl": url_for("sheets.workbook", spreadsheet_id=wb.spreadsheet_id, _external=True),
    }


# ---- values ----------------------------------------------------------------------------------------


def _range_text(sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{quote_sheet(sheet.title)}!{cell_name(r1, c1)}:{cell_name(r2, c2)}"


def read_values(wb: Workbook, a1: str, render: str, major: str) -> dict:
    """A ValueRange for an A1 range."""
    if render not in ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"):
        raise _bad(f"Invalid value at 'value_render_option' ({render})")
    if major not in ("ROWS", "COLUMNS"):
        raise _bad(f"Invalid value at 'major_dimension' ({major})")
    session = db()
    sheet, r1, c1, r2, c2 = service.resolve_range(session, wb, a1)
    last_r, last_c = service.used_extent(session, sheet)
    cells = service.cells_in(session, sheet, r1, c1, min(r2, last_r), min(c2, last_c))
    render_fn = {"FORMATTED_VALUE": display.formatted, "UNFORMATTED_VALUE": display.unformatted,
                 "FORMULA": display.formula_or_value}[render]
    grid: dict[tuple[int, int], Any] = {}
    for (r, c), cell in cells.items():
        if cell.input:
            grid[(r - r1, c - c1)] = render_fn(cell)
    out: dict[str, Any] = {"range": _range_text(sheet, r1, c1, r2, c2), "majorDimension": major}
    if grid:
        if major == "COLUMNS":
            grid = {(c, r): v for (r, c), v in grid.items()}
        height = max(k[0] for k in grid) + 1
        rows = []
        for i in range(height):
            width = max((k[1] for k in grid if k[0] == i), default=-1) + 1
            rows.append([grid.get((i, j), "") for j in range(width)])
        out["values"] = rows
    return out


def _write(wb: Workbook, value_range: dict, a1: str, user_entered: bool, op: str = "sheets.cell.set") -> dict:
    values = value_range.get("values") or []
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        raise _bad("Invalid value at 'data.values': expected a list of lists")
    if value_range.get("majorDimension", "ROWS") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    for row in values:
        for v in row:
            if v is not None and not isinstance(v, (str, int, float, bool)):
                raise _bad("Invalid values: each value must be a string, number or boolean")
    session = db()
    sheet, r1, c1, r2, c2 = service.resolve_range(session, wb, a1)
    height = len(values)
    width = max((len(r) for r in values), default=0)
    service.set_values(session, wb, sheet, r1, c1, values, user_entered=user_entered, op=op)
    if height == 0 or width == 0:
        return {"spreadsheetId": wb.spreadsheet_id, "updatedRange": _range_text(sheet, r1, c1, r1, c1)}
    return {"spreadsheetId": wb.spreadsheet_id,
            "updatedRange": _range_text(sheet, r1, c1, r1 + height - 1, c1 + width - 1),
            "updatedRows": height, "updatedColumns": width,
            "updatedCells": sum(len(r) for r in values)}


@contextmanager
def _atomic(wb: Workbook, op: str, **args: Any) -> Iterator[None]:
    """One operation around several service calls: all of them or none."""
    session = db()
    try:
        with session.operation(op, **args):
            yield
    except BaseException:
        calc.forget(session, wb)
        raise


# ---- routes ----------------------------------------------------------------------------------------


_SPREADSHEET_FIELDS = {"spreadsheetId", "properties", "sheets", "namedRanges", "spreadsheetUrl",
                       "developerMetadata", "dataSources", "dataSourceSchedules"}


@bp.post("/v4/spreadsheets")
def create() -> Response:
    """spreadsheets.create."""
    body = _body()
    # Google rejects fields a Spreadsheet resource does not have (a typo would otherwise create a blank workbook)
    unknown = sorted(set(body) - _SPREADSHEET_FIELDS)
    if unknown:
        raise _bad(f'Invalid JSON payload received. Unknown name "{unknown[0]}": Cannot find field.')
    title = (body.get("properties") or {}).get("title") or "Untitled spreadsheet"
    titles = [((s.get("properties") or {}).get("title") or f"Sheet{i + 1}")
              for i, s in enumerate(body.get("sheets") or [])]
    wb = service.create_workbook(db(), title, titles or None)
    return jsonify(spreadsheet_resource(wb))


@bp.route("/v4/spreadsheets/<path:rest>", methods=["GET", "POST", "PUT"])
def dispatch(rest: str) -> Response:
    """Route the colon-verb paths of the Sheets API."""
    ident, _, tail = rest.partition("/")
    if not tail:
        sid, _, verb = ident.partition(":")
        wb = service.get_workbook(db(), sid)
        if verb == "" and request.method == "GET":
            include = request.args.get("includeGridData", "false").lower() == "true"
            return jsonify(spreadsheet_resource(wb, include, request.args.getlist("ranges")))
        if verb == "batchUpdate" and request.method == "POST":
            return jsonify(batch_update(wb, _body()))
        raise MockAppsError(f"Method not found: {request.method} {request.path}", status=404, code="NOT_FOUND")
    wb = service.get_workbook(db(), ident)
    if tail.startswith("values:"):
        verb = tail[len("values:"):]
        if verb == "batchGet" and request.method == "GET":
            render = request.args.get("valueRenderOption", "FORMATTED_VALUE")
            major = request.args.get("majorDimension", "ROWS")
            ranges = request.args.getlist("ranges")
            return jsonify({"spreadsheetId": wb.spreadsheet_id,
                            "valueRanges": [read_values(wb, r, render, major) for r in ranges]})
        if verb == "batchUpdate" and request.method == "POST":
            body = _body()
            ue = _user_entered(body.get("valueInputOption"))
            data = body.get("data") or []
            responses = []
            with _atomic(wb, "sheets.cell.set", spreadsheet_id=wb.spreadsheet_id,
                         ranges=[d.get("range") for d in data]):
                for vr in data:
                    if not vr.get("range"):
                        raise _bad("Each ValueRange in data needs a range")
                    responses.append(_write(wb, vr, vr["range"], ue))
            return jsonify({"spreadsheetId": wb.spreadsheet_id,
                            "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in responses),
                            "totalUpdatedColumns": sum(r.get("updatedColumns", 0) for r in responses),
                            "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
                            "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in responses}),
                            "responses": responses})
        if verb == "batchClear" and request.method == "POST":
            ranges = _body().get("ranges") or []
            cleared = []
            with _atomic(wb, "sheets.range.clear", spreadsheet_id=wb.spreadsheet_id, ranges=ranges):
                for a1 in ranges:
                    cleared.append(_clear(wb, a1))
            return jsonify({"spreadsheetId": wb.spreadsheet_id, "clearedRanges": cleared})
        raise MockAppsError(f"Method not found: {request.method} {request.path}", status=404, code="NOT_FOUND")
    if not tail.startswith("values/"):
        raise MockAppsError(f"Method not found: {request.method} {request.path}", status=404, code="NOT_FOUND")
    a1 = tail[len("values/"):]
    verb = ""
    head, sep, last = a1.rpartition(":")
    if sep and last in ("append", "clear"):
        a1, verb = head, last
    if verb == "" and request.method == "GET":
        return jsonify(read_values(wb, a1, request.args.get("valueRenderOption", "FORMATTED_VALUE"),
                                   request.args.get("majorDimension", "ROWS")))
    if verb == "" and request.method == "PUT":
        ue = _user_entered(request.args.get("valueInputOption"))
        result = _write(wb, _body(), a1, ue)
        if request.args.get("includeValuesInResponse", "false").lower() == "true":
            result["updatedData"] = read_values(
                wb, result["updatedRange"], request.args.get("responseValueRenderOption", "FORMATTED_VALUE"), "ROWS")
        return jsonify(result)
    if verb == "append" and request.method == "POST":
        return jsonify(_append(wb, a1, _body()))
    if verb == "clear" and request.method == "POST":
        return jsonify({"spreadsheetId": wb.spreadsheet_id, "clearedRange": _clear(wb, a1)})
    raise MockAppsError(f"Method not found: {request.method} {request.path}", status=404, code="NOT_FOUND")


def _clear(wb: Workbook, a1: str) -> str:
    session = db()
    sheet, r1, c1, r2, c2 = service.resolve_range(session, wb, a1)
    service.clear_range(session, wb, sheet, r1, c1, r2, c2)
    return _range_text(sheet, r1, c1, r2, c2)


def _append(wb: Workbook, a1: str, body: dict) -> dict:
    ue = _user_entered(request.args.get("valueInputOption"))
    option = request.args.get("insertDataOption", "OVERWRITE")
    if option not in ("OVERWRITE", "INSERT_ROWS"):
        raise _bad(f"Invalid value at 'insert_data_option' ({option})")
    values = body.get("values") or []
    if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
        raise _bad("Invalid value at 'values': expected a list of lists")
    session = db()
    sheet, r1, c1, r2, c2 = service.resolve_range(session, wb, a1)
    last_r, _ = service.used_extent(session, sheet)
    table_end = r1 - 1
    for (r, _c), cell in service.cells_in(session, sheet, r1, c1, max(last_r, r1), c2).items():
        if cell.input:
            table_end = max(table_end, r)
    start = table_end + 1
    height = len(values)
    width = max((len(r) for r in values), default=0)
    with _atomic(wb, "sheets.rows.append", spreadsheet_id=wb.spreadsheet_id, sheet=sheet.title,
                 range=a1, rows=height):
        if option == "INSERT_ROWS" and height and start <= last_r:
            service.change_dimension(session, wb, sheet, "row", start, height)
        service.set_values(session, wb, sheet, start, c1, values, user_entered=ue, op="sheets.rows.append")
    table_range = _range_text(sheet, r1, c1, max(table_end, r1), c2) if table_end >= r1 else None
    updates: dict[str, Any] = {"spreadsheetId": wb.spreadsheet_id}
    if height and width:
        updates.update({"updatedRange": _range_text(sheet, start, c1, start + height - 1, c1 + width - 1),
                        "updatedRows": height, "updatedColumns": width,
                        "updatedCells": sum(len(r) for r in values)})
    out: dict[str, Any] = {"spreadsheetId": wb.spreadsheet_id, "updates": updates}
    if table_range:
        out["tableRange"] = table_range
    return out


# ---- batchUpdate -----------------------------------------------------------------------------------

_KNOWN = ("addSheet", "deleteSheet", "updateSheetProperties", "insertDimension", "deleteDimension", "sortRange",
          "repeatCell", "updateDimensionProperties", "updateSpreadsheetProperties")


def batch_update(wb: Workbook, body: dict) -> dict:
    """spreadsheets.batchUpdate: all requests apply, or none."""
    requests_ = body.get("requests")
    if not isinstance(requests_, list) or not requests_:
        raise _bad("Must specify at least one request.")
    for i, req in enumerate(requests_):
        if not isinstance(req, dict) or len(req) != 1 or next(iter(req)) not in _KNOWN:
            name = next(iter(req)) if isinstance(req, dict) and req else "?"
            raise _bad(f"Invalid requests[{i}]: unsupported request '{name}'. Supported: {', '.join(_KNOWN)}")
    replies = []
    with _atomic(wb, "sheets.batch_update", spreadsheet_id=wb.spreadsheet_id,
                 requests=[next(iter(r)) for r in requests_]):
        for i, req in enumerate(requests_):
            kind, args = next(iter(req.items()))
            try:
                replies.append(_apply_request(wb, kind, args or {}))
            except MockAppsError as exc:
                raise BadRequest(f"Invalid requests[{i}].{kind}: {exc.message}", code="INVALID_ARGUMENT") from None
    out: dict[str, Any] = {"spreadsheetId": wb.spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        out["updatedSpreadsheet"] = spreadsheet_resource(wb)
    return out


def field_mask(mask: str) -> list[str]:
    """Expand a Google field mask ("a(b,c.d),e") into dotted paths (["a.b", "a.c.d", "e"])."""
    out: list[str] = []

    def parse(text: str, prefix: str) -> None:
        depth, start = 0, 0
        for i, ch in enumerate(text + ","):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                part = text[start:i].strip()
                start = i + 1
                if not part:
                    continue
                if "(" in part and part.endswith(")"):
                    head, inner = part.split("(", 1)
                    parse(inner[:-1], prefix + head.strip() + ".")
                else:
                    out.append(prefix + part)
        if depth != 0:
            raise _bad(f"Invalid field mask '{mask}'")

    parse(mask.replace(" ", ""), "")
    return out


def _grid_bounds(sheet: Sheet, gr: dict) -> tuple[int, int, int, int]:
    r1 = int(gr.get("startRowIndex", 0)) + 1
    r2 = int(gr.get("endRowIndex", sheet.row_count))
    c1 = int(gr.get("startColumnIndex", 0)) + 1
    c2 = int(gr.get("endColumnIndex", sheet.column_count))
    if r1 > r2 or c1 > c2:
        raise _bad("The range is empty.")
    return r1, c1, r2, c2


def _apply_request(wb: Workbook, kind: str, args: dict) -> dict:
    session = db()
    if kind == "addSheet":
        props = args.get("properties") or {}
        grid = props.get("gridProperties") or {}
        sheet = service.add_sheet(session, wb, props.get("title"), props.get("index"),
                                  int(grid.get("rowCount", 1000)), int(grid.get("columnCount", 26)))
        if grid.get("frozenRowCount"):
            service.update_sheet(session, wb, sheet, frozen_rows=int(grid["frozenRowCount"]))
        return {"addSheet": {"properties": _sheet_properties(sheet)}}
    if kind == "deleteSheet":
        service.delete_sheet(session, wb, service.sheet_by_id(session, wb, int(args.get("sheetId", -1))))
        return {}
    if kind == "updateSheetProperties":
        props = args.get("properties") or {}
        fields = field_mask(args.get("fields") or "")
        if not fields:
            raise _bad("'fields' is required")
        sheet = service.sheet_by_id(session, wb, int(props.get("sheetId", 0)))
        grid = props.get("gridProperties") or {}
        kw: dict[str, Any] = {}
        for f in fields:
            if f == "*":
                kw.update(title=props.get("title"), index=props.get("index"),
                          frozen_rows=grid.get("frozenRowCount", 0), frozen_cols=grid.get("frozenColumnCount", 0))
            elif f == "title":
                kw["title"] = props.get("title")
            elif f == "index":
                kw["index"] = props.get("index")
            elif f == "gridProperties.frozenRowCount":
                kw["frozen_rows"] = grid.get("frozenRowCount", 0)
            elif f == "gridProperties.frozenColumnCount":
                kw["frozen_cols"] = grid.get("frozenColumnCount", 0)
            else:
                raise _bad(f"Unsupported field '{f}' in updateSheetProperties")
        kw = {k: v for k, v in kw.items() if v is not None}
        service.update_sheet(session, wb, sheet, **kw)
        return {}
    if kind in ("insertDimension", "deleteDimension"):
        rng = args.get("range") or {}
        sheet = service.sheet_by_id(session, wb, int(rng.get("sheetId", 0)))
        dim = rng.get("dimension")
        if dim not in ("ROWS", "COLUMNS"):
            raise _bad("range.dimension must be ROWS or COLUMNS")
        start, end = int(rng.get("startIndex", 0)), int(rng.get("endIndex", 0))
        if start < 0 or end <= start:
            raise _bad("endIndex must be greater than startIndex")
        count = end - start
        service.change_dimension(session, wb, sheet, "row" if dim == "ROWS" else "col", start + 1,
                                 count if kind == "insertDimension" else -count)
        return {}
    if kind == "sortRange":
        gr = args.get("range") or {}
        sheet = service.sheet_by_id(session, wb, int(gr.get("sheetId", 0)))
        r1, c1, r2, c2 = _grid_bounds(sheet, gr)
        specs = []
        for spec in args.get("sortSpecs") or [{"dimensionIndex": c1 - 1}]:
            order = spec.get("sortOrder", "ASCENDING")
            if order not in ("ASCENDING", "DESCENDING"):
                raise _bad("sortOrder must be ASCENDING or DESCENDING")
            specs.append((int(spec.get("dimensionIndex", 0)) + 1, order == "ASCENDING"))
        service.sort_range(session, wb, sheet, r1, c1, r2, c2, specs)
        return {}
    if kind == "repeatCell":
        gr = args.get("range") or {}
        sheet = service.sheet_by_id(session, wb, int(gr.get("sheetId", 0)))
        r1, c1, r2, c2 = _grid_bounds(sheet, gr)
        fmt = ((args.get("cell") or {}).get("userEnteredFormat") or {})
        fields = field_mask(args.get("fields") or "userEnteredFormat")
        style: dict[str, Any] = {}

        def wants(name: str) -> bool:
            return any(f in ("*", "userEnteredFormat", f"userEnteredFormat.{name}") or
                       f.startswith(f"userEnteredFormat.{name}.") for f in fields)
        if wants("numberFormat"):
            nf = fmt.get("numberFormat")
            if nf:
                t = nf.get("type", "NUMBER")
                style["number_format"] = nf.get("pattern") or _FORMAT_PATTERNS.get(t)
                if style["number_format"] is None:
                    raise _bad(f"Unknown numberFormat type '{t}'")
            else:
                style["number_format"] = None
        if wants("textFormat"):
            style["bold"] = bool((fmt.get("textFormat") or {}).get("bold", False))
        if wants("backgroundColor"):
            bg = fmt.get("backgroundColor")
            style["fill"] = _color_to_hex(bg) if bg else None
        if not style:
            raise _bad("repeatCell supports userEnteredFormat.numberFormat, textFormat.bold and backgroundColor")
        service.set_format(session, wb, sheet, r1, c1, r2, c2, **style)
        return {}
    if kind == "updateDimensionProperties":
        rng = args.get("range") or {}
        sheet = service.sheet_by_id(session, wb, int(rng.get("sheetId", 0)))
        if rng.get("dimension") != "COLUMNS" or "pixelSize" not in (args.get("properties") or {}):
            raise _bad("Only column widths (dimension COLUMNS, properties.pixelSize) are supported")
        for col in range(int(rng.get("startIndex", 0)) + 1, int(rng.get("endIndex", 0)) + 1):
            service.set_column_width(session, wb, sheet, col, int(args["properties"]["pixelSize"]))
        return {}
    if kind == "updateSpreadsheetProperties":
        title = (args.get("properties") or {}).get("title")
        if title is not None:
            service.rename_workbook(session, wb, title)
        return {}
    raise _bad(f"unsupported request {kind}")


@bp.get("/v4/openapi.json")
def openapi() -> Response:
    """The OpenAPI document of the implemented subset."""
    from mock_apps.sheets.openapi import document
    return jsonify(document())


