"""How a cell shows: the effective number format and the formatted text of its value."""

from __future__ import annotations

import re
from typing import Any

from mock_apps.sheets.calc import stored_value
from mock_apps.sheets.formula import ExcelError, format_value
from mock_apps.sheets.models import Cell

_DATE_RESULT = re.compile(r"^=\s*(DATE|TODAY|EOMONTH|EDATE)\s*\(", re.IGNORECASE)
DEFAULT_DATE = "yyyy-mm-dd"

ERROR_TYPES = {"#NULL!": "NULL_VALUE", "#DIV/0!": "DIVIDE_BY_ZERO", "#VALUE!": "VALUE", "#REF!": "REF",
               "#NAME?": "NAME", "#NUM!": "NUM", "#N/A": "N_A", "#ERROR!": "ERROR"}


def effective_format(cell: Cell | None) -> str | None:
    """The cell's number format, or a date format for formulas that return dates (as Sheets infers)."""
    if cell is None:
        return None
    if cell.number_format:
        return cell.number_format
    if cell.input and _DATE_RESULT.match(cell.input) and cell.kind == "number":
        return DEFAULT_DATE
    return None


def formatted(cell: Cell | None) -> str:
    """The text the grid shows for a cell."""
    if cell is None:
        return ""
    return format_value(stored_value(cell), effective_format(cell))


def unformatted(cell: Cell | None) -> Any:
    """The cell's value as JSON: numbers, booleans, text; errors as their code."""
    if cell is None:
        return ""
    v = stored_value(cell)
    if v is None:
        return ""
    if isinstance(v, ExcelError):
        return v.code
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def formula_or_value(cell: Cell | None) -> Any:
    """What FORMULA rendering returns: the formula text, else the unformatted value."""
    if cell is not None and cell.input.startswith("=") and len(cell.input) > 1:
        return cell.input
    return unformatted(cell)
