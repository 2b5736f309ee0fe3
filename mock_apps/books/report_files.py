"""Reports as files and wire formats: CSV, XLSX (openpyxl) and QuickBooks' report JSON."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from mock_apps.books.reports import Report, Row

MONEY_FORMAT = '#,##0.00;-#,##0.00'


def _cell_text(report: Report, index: int, value) -> str:
    if value is None or value == "":
        return ""
    if index in report.money_columns and isinstance(value, int):
        return f"{value / 100:.2f}"
    return str(value)


def to_csv(report: Report, company: str) -> bytes:
    """The report as CSV: title lines, a header row, then one row per report row (amounts as 1234.56)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([report.title])
    writer.writerow([company])
    writer.writerow([report.period])
    writer.writerow([])
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow(["  " * row.depth + row.label, *(_cell_text(report, i, v) for i, v in enumerate(row.cells))])
    return out.getvalue().encode("utf-8")


def to_xlsx(report: Report, company: str) -> bytes:
    """The report as an XLSX workbook with numbers as numbers (currency format) and bold totals."""
    # write-only mode streams rows out: a general ledger of 50,000 splits costs seconds, not minutes
    wb = Workbook(write_only=True)
    # Excel refuses sheet names with []:*?/\\ ("A/R Aging Summary") or longer than 31 characters
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", report.title)[:31])
    ws.column_dimensions["A"].width = 44
    bold = Font(bold=True)
    indents: dict[int, Alignment] = {}  # one style object per depth: openpyxl hashes every style it meets

    def cell(value, font: Font | None = None, number_format: str | None = None,
             alignment: Alignment | None = None):
        if font is None and number_format is None and not (alignment and alignment.indent):
            return value  # a plain value costs a fraction of a styled cell
        out = WriteOnlyCell(ws, value=value)
        if font is not None:
            out.font = font
        if number_format is not None:
            out.number_format = number_format
        if alignment is not None:
            out.alignment = alignment
        return out

    ws.append([cell(report.title, Font(bold=True, size=14))])
    ws.append([company])
    ws.append([report.period])
    ws.append([])
    ws.append([cell(title, bold) for title in report.columns])
    for row in report.rows:
        font = bold if row.kind in ("section", "total", "grand") else None
        alignment = indents.setdefault(row.depth, Alignment(indent=row.depth))
        cells = [cell(row.label, font, alignment=alignment)]
        for i, v in enumerate(row.cells):
            if i in report.money_columns:
                cells.append(cell(v / 100 if isinstance(v, int) else ("" if v is None else v), font, MONEY_FORMAT))
            else:
                cells.append(cell("" if v is None else v, font))
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _coldata(report: Report, row: Row) -> list[dict]:
    cells = [{"value": row.label}]
    if row.account_id:
        cells[0]["id"] = str(row.account_id)
    if row.txn_id:
        cells[0]["id"] = str(row.txn_id)
    width = len(report.columns) - 1
    values = list(row.cells) + [""] * (width - len(row.cells))
    cells += [{"value": _cell_text(report, i, v)} for i, v in enumerate(values)]
    return cells


def qbo_report(report: Report, name: str, time: str) -> dict:
    """QuickBooks' report JSON: Header, Columns, and Rows nested into Sections with Summaries."""
    root: list[dict] = []
    stack: list[tuple[int, dict]] = []  # (depth, section)

    def container() -> list[dict]:
        return stack[-1][1]["Rows"]["Row"] if stack else root

    for row in report.rows:
        if row.kind == "section":
            section = {"Header": {"ColData": _coldata(report, Row(row.label, [], row.depth, account_id=row.account_id))},
                       "Rows": {"Row": []}, "type": "Section", "group": row.label.replace(" ", "")}
            container().append(section)
            stack.append((row.depth, section))
        elif row.kind == "data":
            container().append({"ColData": _coldata(report, row), "type": "Data"})
        else:
            while stack and stack[-1][0] > row.depth:
                stack.pop()
            if stack and stack[-1][0] == row.depth:
                stack.pop()[1]["Summary"] = {"ColData": _coldata(report, row)}
            else:
                container().append({"Summary": {"ColData": _coldata(report, row)}, "type": "Section",
                                    "group": row.label.replace(" ", "")})
    header = {"Time": time, "ReportName": name, "ReportBasis": "Accrual", "Currency": "USD",
              "Option": [{"Name": "NoReportData", "Value": "false" if report.rows else "true"}]}
    if report.start:
        header["StartPeriod"] = report.start.isoformat()
    if report.end:
        header["EndPeriod"] = report.end.isoformat()
    columns = [{"ColTitle": title, "ColType": "Account" if i == 0 else
                ("Money" if i - 1 in report.money_columns else "String")} for i, title in enumerate(report.columns)]
    return {"Header": header, "Columns": {"Column": columns}, "Rows": {"Row": root}}
