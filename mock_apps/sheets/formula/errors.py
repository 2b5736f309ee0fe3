"""Excel error values (results) and the formula package's exceptions (failures to parse)."""

from __future__ import annotations


class ExcelError:
    """An Excel error value such as `#DIV/0!`; a value that flows through formulas, not an exception."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str = "") -> None:
        self.code = code
        self.message = message

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExcelError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return self.code

    __str__ = __repr__

    def with_message(self, message: str) -> "ExcelError":
        """The same error carrying an explanation for the user."""
        return ExcelError(self.code, message)


DIV0 = ExcelError("#DIV/0!", "Division by zero.")
NA = ExcelError("#N/A", "Value not available.")
VALUE = ExcelError("#VALUE!", "A value has the wrong type.")
REF = ExcelError("#REF!", "Reference does not exist.")
NAME = ExcelError("#NAME?", "Unknown name.")
NUM = ExcelError("#NUM!", "Invalid number.")
NULL = ExcelError("#NULL!", "Empty intersection.")
# Google Sheets' code for a formula that cannot be parsed; Excel refuses such input instead.
PARSE = ExcelError("#ERROR!", "Formula parse error.")
CIRCULAR = ExcelError("#REF!", "Circular dependency detected.")

ERROR_CODES: dict[str, ExcelError] = {
    e.code: e for e in (DIV0, NA, VALUE, REF, NAME, NUM, NULL, PARSE)
}


class FormulaError(Exception):
    """Root of the formula package's exceptions."""


class FormulaSyntaxError(FormulaError):
    """A formula that cannot be parsed; the message says where and why."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position
