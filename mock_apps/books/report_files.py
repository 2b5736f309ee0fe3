"""Reports as files and wire formats: CSV, XLSX (xlsxwriter) and QuickBooks' report JSON."""

from __future__ import annotations

import csv
import io
import re

import xlsxwriter

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
    # xlsxwriter rather than openpyxl: openpyxl without lxml (see mock_apps/__init__.py) spent 150 us a row,
    # over 100 ms for the scenario's general ledger; constant_memory streams rows to disk as they come
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": False, "constant_memory": True})
    # Excel refuses sheet names with []:*?/\\ ("A/R Aging Summary") or longer than 31 characters
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", report.title)[:31])
    sheet.set_column(0, 0, 44)
    formats: dict[tuple[bool, bool, int], object] = {}  # (bold, money, indent): one format object each

    def fmt(bold: bool = False, money: bool = False, indent: int = 0):
        key = (bold, money, indent)
        if key == (False, False, 0):
            return None  # a plain cell: no style record to look up
        if key not in formats:
            formats[key] = book.add_format({"bold": bold, "num_format": MONEY_FORMAT if money else 0,
                                            "indent": indent})
        return formats[key]

    sheet.write_string(0, 0, report.title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, company)
    sheet.write_string(2, 0, report.period)
    for col, title in enumerate(report.columns):
        sheet.write_string(4, col, title, fmt(bold=True))
    for r, row in enumerate(report.rows, start=5):
        bold = row.kind in ("section", "total", "grand")
        sheet.write_string(r, 0, row.label, fmt(bold, indent=row.depth))
        for i, v in enumerate(row.cells):
            money = i in report.money_columns and isinstance(v, int)
            if money:
                sheet.write_number(r, i + 1, v / 100, fmt(bold, money=True))
            elif isinstance(v, (int, float)):
                sheet.write_number(r, i + 1, v, fmt(bold))
            elif v not in (None, ""):
                sheet.write_string(r, i + 1, str(v), fmt(bold))
    book.close()
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


# the reports whose Header options name their report_date in QuickBooks' samples
_DATED = ("ar-aging-summary", "ap-aging-summary", "ar-aging-detail", "ap-aging-detail", "customer-balances",
          "vendor-balances")


def _group(row: Row) -> str:
    """QuickBooks' group name of a section or summary row."""
    return row.group or row.label.replace(" ", "")


def qbo_report(report: Report, name: str, time: str, summarize: str | None = None) -> dict:
    """QuickBooks' report JSON: Header, Columns, and Rows nested into Sections with Summaries. summarize: the
    report's SummarizeColumnsBy (Total, Month) for the reports that take it."""
    root: list[dict] = []
    stack: list[tuple[int, dict]] = []  # (depth, section)

    def container() -> list[dict]:
        return stack[-1][1]["Rows"]["Row"] if stack else root

    for row in report.rows:
        if row.kind == "section":
            section = {"Header": {"ColData": _coldata(report, Row(row.label, [], row.depth, account_id=row.account_id))},
                       "Rows": {"Row": []}, "type": "Section", "group": _group(row)}
            container().append(section)
            stack.append((row.depth, section))
        elif row.kind == "data":
            data = {"ColData": _coldata(report, row), "type": "Data"}
            if row.group:  # e.g. the balance sheet's computed Net Income row
                data["group"] = row.group
            container().append(data)
        else:
            while stack and stack[-1][0] > row.depth:
                stack.pop()
            if stack and stack[-1][0] == row.depth:
                stack.pop()[1]["Summary"] = {"ColData": _coldata(report, row)}
            else:
                container().append({"Summary": {"ColData": _coldata(report, row)}, "type": "Section",
                                    "group": _group(row)})
    options = [{"Name": "NoReportData", "Value": "false" if report.rows else "true"}]
    if report.key in _DATED and report.end is not None:  # as QuickBooks' aging and balance reports do
        options.insert(0, {"Name": "report_date", "Value": report.end.isoformat()})
    header = {"Time": time, "ReportName": name, "ReportBasis": "Accrual", "Currency": "USD", "Option": options}
    if report.start:
        header["StartPeriod"] = report.start.isoformat()
    if report.end:
        header["EndPeriod"] = report.end.isoformat()
    if summarize:
        header["SummarizeColumnsBy"] = summarize
    columns = [{"ColTitle": title, "ColType": "Account" if i == 0 else
                ("Money" if i - 1 in report.money_columns else "String")} for i, title in enumerate(report.columns)]
    return {"Header": header, "Columns": {"Column": columns}, "Rows": {"Row": root}}
