"""A compact Excel-compatible formula engine: parse, evaluate, shift references, recalculate dependants."""

from .errors import ExcelError, FormulaError, FormulaSyntaxError
from .evaluator import Formula, compile_formula
from .numberformat import format_value, is_date_format
from .references import Ref, cell_name, col_to_index, index_to_col, parse_a1, quote_sheet
from .shifting import drop_sheet_in_formula, offset_formula, rename_sheet_in_formula, shift_formula
from .values import input_to_value
from .workbook import CellKey, Engine, same_value

__all__ = [
    "CellKey", "Engine", "ExcelError", "Formula", "FormulaError", "FormulaSyntaxError", "Ref",
    "cell_name", "col_to_index", "compile_formula", "drop_sheet_in_formula", "format_value",
    "index_to_col", "input_to_value", "is_date_format", "offset_formula", "parse_a1", "quote_sheet",
    "rename_sheet_in_formula", "same_value", "shift_formula",
]
