"""Excel value model: coercion between numbers, text and booleans, comparison, grids of values."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from .dates import parse_date
from .errors import VALUE, ExcelError

# A cell value: None (empty), float, str, bool or ExcelError.
Value = Any

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


class Grid:
    """A rectangle of values: a range read from the sheet or an array computed by a formula."""

    __slots__ = ()

    def rows(self) -> list[list[Value]]:
        """The values, row by row."""
        raise NotImplementedError

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        r = self.rows()
        return (len(r), len(r[0]) if r else 0)

    def flat(self) -> Iterator[Value]:
        """All values, row by row."""
        for row in self.rows():
            yield from row


class Array(Grid):
    """An array computed by a formula or typed as a constant ({1,2;3,4})."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[list[Value]]) -> None:
        self._rows = rows

    def rows(self) -> list[list[Value]]:
        """The values, row by row."""
        return self._rows


def parse_number(text: str) -> float | None:
    """The number a text spells the way Excel reads it (1,234.5  $12  15%  (3)  a date), else None."""
    s = text.strip()
    if not s:
        return None
    if _NUMBER.match(s):
        return float(s)
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1].strip()
    if s.startswith("-"):
        neg, s = not neg, s[1:].strip()
    pct = s.endswith("%")
    if pct:
        s = s[:-1].strip()
    if s.startswith("$"):
        s = s[1:].strip()
    if s.startswith("-") and not neg:
        neg, s = True, s[1:]
    if _NUMBER.match(s):
        n = float(s)
    elif _GROUPED.match(s):
        n = float(s.replace(",", ""))
    else:
        if pct or neg:
            return None
        serial = parse_date(text)
        return float(serial) if serial is not None else None
    if pct:
        n /= 100
    return -n if neg else n


def to_number(v: Value) -> float | ExcelError:
    """Coerce a scalar to a number like Excel's arithmetic does."""
    if v is None:
        return 0.0
    t = type(v)
    if t is float:
        return v
    if t is bool:
        return 1.0 if v else 0.0
    if t is int:
        return float(v)
    if t is str:
        n = parse_number(v)
        return VALUE if n is None else n
    if t is ExcelError:
        return v
    return VALUE


def format_general(n: float) -> str:
    """A number as Excel's General format writes it in text (at most 15 significant digits)."""
    if n == 0:
        return "0"
    if n == int(n) and abs(n) < 1e15:
        return str(int(n))
    s = "%.15g" % n
    if "e" in s:
        mant, exp = s.split("e")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        sign = exp[0]
        digits = exp[1:].lstrip("0").rjust(2, "0")
        return f"{mant}E{sign}{digits}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def to_text(v: Value) -> str | ExcelError:
    """Coerce a scalar to text like Excel's & operator does."""
    if v is None:
        return ""
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is float or t is int:
        return format_general(float(v))
    if t is ExcelError:
        return v
    return VALUE


def to_bool(v: Value) -> bool | ExcelError:
    """Coerce a scalar to a boolean like IF's condition does."""
    if v is None:
        return False
    t = type(v)
    if t is bool:
        return v
    if t is float or t is int:
        return v != 0
    if t is str:
        u = v.strip().upper()
        if u == "TRUE":
            return True
        if u == "FALSE":
            return False
        return VALUE
    if t is ExcelError:
        return v
    return VALUE


_TYPE_RANK = {float: 0, int: 0, str: 1, bool: 2}


def compare(a: Value, b: Value) -> int:
    """Excel's ordering: numbers < text < booleans; text case-insensitive; empty adapts to the other side."""
    if a is None and b is None:
        return 0
    if a is None:
        a = _blank_like(b)
    if b is None:
        b = _blank_like(a)
    ra, rb = _TYPE_RANK[type(a)], _TYPE_RANK[type(b)]
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()
    elif ra == 0 and a != b:
        # Excel compares numbers at its 15 significant digits: =0.1+0.2=0.3 is TRUE.
        a, b = float(f"{a:.15g}"), float(f"{b:.15g}")
    return 0 if a == b else (-1 if a < b else 1)


def _blank_like(v: Value) -> Value:
    t = type(v)
    if t is str:
        return ""
    if t is bool:
        return False
    return 0.0


COMPARATORS: dict[str, Callable[[int], bool]] = {
    "=": lambda c: c == 0,
    "<>": lambda c: c != 0,
    "<": lambda c: c < 0,
    ">": lambda c: c > 0,
    "<=": lambda c: c <= 0,
    ">=": lambda c: c >= 0,
}


def is_number(v: Value) -> bool:
    """True for numbers (not booleans)."""
    t = type(v)
    return t is float or t is int


def input_to_value(raw: str) -> tuple[Value, str | None]:
    """What a typed (non-formula) entry becomes: value plus the number format it implies, if any.

    Mirrors Sheets' USER_ENTERED parsing: numbers, 1,234.50, $12, 15%, dates, TRUE/FALSE; else text.
    """
    s = raw.strip()
    if s == "":
        return None, None
    if s.startswith("'"):
        return raw[1:] if raw.startswith("'") else s[1:], None
    u = s.upper()
    if u in ("TRUE", "FALSE"):
        return u == "TRUE", None
    if _NUMBER.match(s):
        return float(s), None
    from .errors import ERROR_CODES
    if u in ERROR_CODES:
        return ERROR_CODES[u], None
    serial = parse_date(s)
    if serial is not None:
        return float(serial), "yyyy-mm-dd" if re.match(r"^\d{4}-", s) else "m/d/yyyy"
    n = parse_number(s)
    if n is None:
        return raw, None
    fmt = None
    if "%" in s:
        fmt = "0.00%" if "." in s else "0%"
    elif "$" in s:
        fmt = "$#,##0.00"
    elif "," in s:
        fmt = "#,##0.00" if "." in s else "#,##0"
    return n, fmt
