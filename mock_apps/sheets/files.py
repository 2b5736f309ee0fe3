"""CSV and XLSX import and export (XLSX written by hand so formulas carry their cached results)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any
from xml.sax.saxutils import escape

from mock_apps.core.errors import BadRequest
from mock_apps.sheets import service
from mock_apps.sheets.calc import stored_value
from mock_apps.sheets.display import effective_format
from mock_apps.sheets.formula import ExcelError, cell_name
from mock_apps.sheets.formula.dates import date_to_serial
from mock_apps.sheets.formula.errors import FormulaSyntaxError
from mock_apps.sheets.formula.tokenizer import tokenize
from mock_apps.sheets.formula.values import format_general
from mock_apps.sheets.models import Sheet, Workbook

MAX_IMPORT_CELLS = 50_000  # every imported cell is a captured row change; bigger files would take minutes
MAX_IMPORT_BYTES = 32 * 1024 * 1024


class ImportedTable:
    """One sheet read from a file: title, rows of inputs, and per-cell looks."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[list[str]] = []
        self.styles: dict[tuple[int, int], dict[str, Any]] = {}
        self.widths: dict[int, int] = {}
        self.frozen_rows = 0


def read_csv(data: bytes, title: str) -> ImportedTable:
    """Parse CSV bytes (UTF-8 with or without BOM, else Latin-1; comma, semicolon or tab separated)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise BadRequest("The file is too large to import (32 MB at most).")
    if b"\x00" in data[:4096]:
        raise BadRequest("This file is not a CSV text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    table = ImportedTable(title)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            table.rows.append(row)
    except csv.Error as exc:
        raise BadRequest(f"The CSV file could not be read: {exc}.") from None
    _check_size(table)
    return table


def _check_size(table: ImportedTable) -> None:
    cells = sum(len(r) for r in table.rows)
    if cells > MAX_IMPORT_CELLS:
        raise BadRequest(f"The file has {cells:,} cells; a sheet can import at most {MAX_IMPORT_CELLS:,}.")


def read_xlsx(data: bytes) -> list[ImportedTable]:
    """Parse an XLSX file's sheets: formulas, values, number formats, bold, fills, widths, frozen rows."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if len(data) > MAX_IMPORT_BYTES:
        raise BadRequest("The file is too large to import (32 MB at most).")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise BadRequest(f"This file is not a valid XLSX workbook ({type(exc).__name__}).") from None
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged files
        raise BadRequest(f"This XLSX file is damaged and cannot be read ({type(exc).__name__}).") from None
    tables = []
    for ws in book.worksheets:
        table = ImportedTable(ws.title)
        for row in ws.iter_rows():
            out_row = []
            for cell in row:
                r, c = cell.row, cell.column
                out_row.append(_xlsx_input(cell.value))
                style: dict[str, Any] = {}
                fmt = cell.number_format
                if fmt and fmt != "General":
                    style["number_format"] = fmt
                if cell.font is not None and cell.font.b:
                    style["bold"] = True
                fill = cell.fill
                if fill is not None and fill.fill_type == "solid":
                    rgb = getattr(fill.fgColor, "rgb", None)
                    if isinstance(rgb, str) and len(rgb) == 8 and rgb[2:].lower() != "ffffff":
                        style["fill"] = "#" + rgb[2:].lower()
                if style:
                    table.styles[(r, c)] = style
            table.rows.append(out_row)
        while table.rows and not any(table.rows[-1]):
            table.rows.pop()
        for letter, dim in ws.column_dimensions.items():
            if dim.width and dim.customWidth:
                from openpyxl.utils import column_index_from_string
                table.widths[column_index_from_string(letter)] = max(20, min(1000, int(dim.width * 7)))
        pane = ws.freeze_panes
        if pane:
            m = re.match(r"^[A-Z]+(\d+)$", str(pane))
            if m:
                table.frozen_rows = max(0, int(m.group(1)) - 1)
        _check_size(table)
        tables.append(table)
    if not tables:
        raise BadRequest("The workbook has no sheets.")
    return tables


def _xlsx_input(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_general(float(value))
    if isinstance(value, datetime):
        serial = date_to_serial(value.date()) + (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return format_general(serial)
    if isinstance(value, date):
        return str(date_to_serial(value))
    if isinstance(value, time):
        return format_general((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    text = getattr(value, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    s = str(value)
    if s.startswith("="):
        return s
    return s if service.input_for(s, user_entered=False)[0] == s else "'" + s


def import_tables(db, tables: list[ImportedTable], *, workbook: Workbook | None, title: str) -> Workbook:
    """Create a workbook (or add sheets to one) from imported tables, in one operation."""
    names = [t.title for t in tables]
    op_args = {"title": title, "sheets": names, "cells": sum(sum(1 for v in r if v) for t in tables for r in t.rows)}
    with db.operation("sheets.workbook.import", **op_args):
        if workbook is None:
            workbook = service._new_workbook(db, title, [_safe_title(t.title, i) for i, t in enumerate(tables)])
            sheets = service.sheets_of(db, workbook)
        else:
            existing = {s.title.lower() for s in service.sheets_of(db, workbook)}
            sheets = []
            for i, t in enumerate(tables):
                base = _safe_title(t.title, i)
                name, n = base, 2
                while name.lower() in existing:
                    name, n = f"{base} ({n})", n + 1
                existing.add(name.lower())
                sheets.append(service.add_sheet(db, workbook, name))
        for sheet, table in zip(sheets, tables):
            width = max((len(r) for r in table.rows), default=0)
            if table.rows and width:
                sheet.row_count = max(sheet.row_count, len(table.rows))
                sheet.column_count = max(sheet.column_count, width)
                service.set_values(db, workbook, sheet, 1, 1, [[v for v in r] for r in table.rows],
                                   user_entered=True, op="sheets.workbook.import", grow=False, fresh=True)
            by_style: dict[tuple, list[tuple[int, int]]] = {}
            for (r, c), style in table.styles.items():
                by_style.setdefault(tuple(sorted(style.items())), []).append((r, c))
            for style_items, coords in by_style.items():
                for r, c in coords:
                    service.set_format(db, workbook, sheet, r, c, r, c, **dict(style_items))
            for col, px in table.widths.items():
                service.set_column_width(db, workbook, sheet, col, px)
            if table.frozen_rows:
                service.update_sheet(db, workbook, sheet, frozen_rows=min(table.frozen_rows, 100))
    return workbook


def _safe_title(title: str, i: int) -> str:
    t = re.sub(r"[\[\]*?/\\:]", " ", title or "").strip().strip("'").strip() or f"Sheet{i + 1}"
    return t[:service.MAX_TITLE]


# ---- export ----------------------------------------------------------------------------------------


def export_csv(db, sheet: Sheet) -> bytes:
    """A sheet as CSV of its formatted values (what Sheets' "Download as CSV" gives)."""
    from mock_apps.sheets.display import formatted
    last_r, last_c = service.used_extent(db, sheet)
    cells = service.cells_in(db, sheet, 1, 1, last_r, last_c) if last_r else {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for r in range(1, last_r + 1):
        writer.writerow([formatted(cells.get((r, c))) for c in range(1, last_c + 1)])
    return buf.getvalue().encode("utf-8")


_XLFN = {"XLOOKUP", "IFS", "TEXTJOIN", "CONCAT", "MINIFS", "MAXIFS", "IFNA"}


def _excel_formula(text: str) -> str | None:
    body = text[1:]
    try:
        tokens = tokenize(body)
    except FormulaSyntaxError:
        return None
    out, last = [], 0
    for tok in tokens:
        if tok.kind == "func" and tok.text.upper() in _XLFN:
            out.append(body[last:tok.pos])
            out.append("_xlfn." + tok.text.upper())
            last = tok.pos + len(tok.text)
    out.append(body[last:])
    return "".join(out)


class _Styles:
    """Collects distinct cell looks into styles.xml's cellXfs."""

    def __init__(self) -> None:
        self.numfmts: dict[str, int] = {}
        self.fills: dict[str, int] = {}
        self.xfs: dict[tuple, int] = {(0, 0, 0): 0}

    def index(self, fmt: str | None, bold: bool, fill: str | None) -> int:
        fmt_id = 0
        if fmt and fmt.lower() != "general":
            fmt_id = self.numfmts.setdefault(fmt, 164 + len(self.numfmts))
        fill_id = self.fills.setdefault(fill, 2 + len(self.fills)) if fill else 0
        return self.xfs.setdefault((fmt_id, 1 if bold else 0, fill_id), len(self.xfs))

    def xml(self) -> str:
        numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(f, {chr(34): "&quot;"})}"/>'
                          for f, i in self.numfmts.items())
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        for colour in self.fills:
            rgb = "FF" + colour.lstrip("#").upper()
            fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                         f'<bgColor indexed="64"/></patternFill></fill>')
        xfs = []
        for (fmt_id, font_id, fill_id) in self.xfs:
            attrs = f'numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0"'
            if fmt_id:
                attrs += ' applyNumberFormat="1"'
            if font_id:
                attrs += ' applyFont="1"'
            if fill_id:
                attrs += ' applyFill="1"'
            xfs.append(f"<xf {attrs}/>")
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<numFmts count="{len(self.numfmts)}">{numfmts}</numFmts>' if self.numfmts else "")
                + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
                  '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
                + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                  '</styleSheet>')


def _text_xml(s: str) -> str:
    # XML 1.0 cannot carry most control characters.
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", s)
    return escape(s)


def _cell_xml(cell, styles: _Styles) -> str:
    ref = cell_name(cell.row, cell.col)
    s = styles.index(effective_format(cell), bool(cell.bold), cell.fill)
    s_attr = f' s="{s}"' if s else ""
    value = stored_value(cell)
    if cell.input.startswith("=") and len(cell.input) > 1:
        f = _excel_formula(cell.input)
        if f is not None:
            f_xml = f"<f>{_text_xml(f)}</f>"
            if isinstance(value, bool):
                return f'<c r="{ref}"{s_attr} t="b">{f_xml}<v>{int(value)}</v></c>'
            if isinstance(value, (int, float)):
                return f'<c r="{ref}"{s_attr}>{f_xml}<v>{repr(float(value))}</v></c>'
            if isinstance(value, ExcelError):
                code = value.code if value.code != "#ERROR!" else "#NAME?"
                return f'<c r="{ref}"{s_attr} t="e">{f_xml}<v>{code}</v></c>'
            return f'<c r="{ref}"{s_attr} t="str">{f_xml}<v>{_text_xml(str(value or ""))}</v></c>'
        value = cell.input  # an unparseable formula travels as its text
    if value is None or value == "":
        return f'<c r="{ref}"{s_attr}/>' if s else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s_attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s_attr}><v>{repr(float(value))}</v></c>'
    if isinstance(value, ExcelError):
        return f'<c r="{ref}"{s_attr} t="e"><v>{value.code}</v></c>'
    return f'<c r="{ref}"{s_attr} t="inlineStr"><is><t xml:space="preserve">{_text_xml(str(value))}</t></is></c>'


def export_xlsx(db, wb: Workbook) -> bytes:
    """The workbook as XLSX: formulas with cached results, number formats, bold, fills, widths, frozen rows."""
    import json

    styles = _Styles()
    sheets = service.sheets_of(db, wb)
    sheet_xml = []
    for sheet in sheets:
        last_r, last_c = service.used_extent(db, sheet)
        cells = service.cells_in(db, sheet, 1, 1, last_r, last_c) if last_r else {}
        rows: dict[int, list] = {}
        for (r, c), cell in sorted(cells.items()):
            rows.setdefault(r, []).append(cell)
        parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
        if last_r:
            parts.append(f'<dimension ref="A1:{cell_name(last_r, max(last_c, 1))}"/>')
        if sheet.frozen_rows:
            n = sheet.frozen_rows
            parts.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{n}" topLeftCell="A{n + 1}" '
                         f'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
        widths = json.loads(sheet.col_widths or "{}")
        if widths:
            cols = "".join(f'<col min="{c}" max="{c}" width="{round(int(w) / 7, 2)}" customWidth="1"/>'
                           for c, w in sorted(((int(k), v) for k, v in widths.items())))
            parts.append(f"<cols>{cols}</cols>")
        parts.append("<sheetData>")
        for r, row_cells in rows.items():
            body = "".join(_cell_xml(c, styles) for c in row_cells)
            if body:
                parts.append(f'<row r="{r}">{body}</row>')
        parts.append("</sheetData></worksheet>")
        sheet_xml.append("".join(parts))
    names = "".join(f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                    for i, s in enumerate(sheets))
    workbook_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    f'<sheets>{names}</sheets><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>')
    rels = "".join(f'<Relationship Id="rId{i + 1}" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
    rels += (f'<Relationship Id="rId{len(sheets) + 1}" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(len(sheets)))
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/styles.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                     f'{overrides}</Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                 'Target="xl/workbook.xml"/></Relationships>')
    buf = io.BytesIO()
    # A fixed timestamp keeps exports byte-identical across replays.
    stamp = (2020, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, text: str) -> None:
            z.writestr(zipfile.ZipInfo(name, stamp), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        put("[Content_Types].xml", content_types)
        put("_rels/.rels", root_rels)
        put("xl/workbook.xml", workbook_xml)
        put("xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, xml in enumerate(sheet_xml):
            put(f"xl/worksheets/sheet{i + 1}.xml", xml)
        put("xl/styles.xml", styles.xml())
    return buf.getvalue()


