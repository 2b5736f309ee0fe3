"""A1 references: parsing, formatting, and shifting them for fill, copy and row/column edits."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .errors import FormulaSyntaxError

MAX_ROWS = 1048576
MAX_COLS = 16384

_CELL = r"(\$?)([A-Za-z]{1,3})(\$?)(\d+)"
_REF_BODY = re.compile(
    r"^(?:" + _CELL + r"(?::" + _CELL + r")?"
    r"|(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})"
    r"|(\$?)(\d+):(\$?)(\d+)"
    r"|(\$?)([A-Za-z]{1,3})(\$?)(\d+):(\$?)([A-Za-z]{1,3})"  # A2:B (open-ended, Sheets API style)
    r")$"
)
_PLAIN_SHEET = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_LOOKS_LIKE_CELL = re.compile(r"^[A-Za-z]{1,3}\d+$|^[Rr]\d*[Cc]\d*$")


def col_to_index(letters: str) -> int:
    """Column letters to a 1-based index (A -> 1, AA -> 27)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def index_to_col(index: int) -> str:
    """1-based column index to letters (1 -> A, 28 -> AB)."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_name(row: int, col: int) -> str:
    """A1 name of a cell from 1-based row and column."""
    return f"{index_to_col(col)}{row}"


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear before `!` (quoted when needed, quotes doubled)."""
    if _PLAIN_SHEET.match(name) and not _LOOKS_LIKE_CELL.match(name) and name.upper() not in ("TRUE", "FALSE"):
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class Ref:
    """A reference: an optional sheet and a rectangle; None bounds mean a whole row/column extent."""

    sheet: str | None
    r1: int | None
    c1: int | None
    r2: int | None
    c2: int | None
    ar1: bool = False
    ac1: bool = False
    ar2: bool = False
    ac2: bool = False

    @property
    def is_cell(self) -> bool:
        """True for a single-cell reference."""
        return self.r1 is not None and self.c1 is not None and self.r1 == self.r2 and self.c1 == self.c2

    def body(self) -> str:
        """The reference without its sheet prefix."""
        def part(r: int | None, c: int | None, ar: bool, ac: bool) -> str:
            s = ""
            if c is not None:
                s += ("$" if ac else "") + index_to_col(c)
            if r is not None:
                s += ("$" if ar else "") + str(r)
            return s
        first = part(self.r1, self.c1, self.ar1, self.ac1)
        if self.is_cell:
            return first
        return first + ":" + part(self.r2, self.c2, self.ar2, self.ac2)

    def text(self) -> str:
        """The reference as written in a formula."""
        prefix = quote_sheet(self.sheet) + "!" if self.sheet is not None else ""
        return prefix + self.body()


def parse_ref_body(sheet: str | None, body: str) -> Ref:
    """Parse `A1`, `$A$1:B2`, `A:C`, `2:5` or `A2:C` into a Ref."""
    m = _REF_BODY.match(body)
    if not m:
        raise FormulaSyntaxError(f"'{body}' is not a cell reference")
    g = m.groups()
    if g[1] is not None:
        r1, c1 = int(g[3]), col_to_index(g[1])
        ar1, ac1 = bool(g[2]), bool(g[0])
        if g[5] is not None:
            r2, c2, ar2, ac2 = int(g[7]), col_to_index(g[5]), bool(g[6]), bool(g[4])
        else:
            r2, c2, ar2, ac2 = r1, c1, ar1, ac1
        ref = Ref(sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2), ar1, ac1, ar2, ac2)
    elif g[9] is not None:
        c1, c2 = col_to_index(g[9]), col_to_index(g[11])
        ref = Ref(sheet, None, min(c1, c2), None, max(c1, c2), False, bool(g[8]), False, bool(g[10]))
    elif g[13] is not None:
        r1, r2 = int(g[13]), int(g[15])
        ref = Ref(sheet, min(r1, r2), None, max(r1, r2), None, bool(g[12]), False, bool(g[14]), False)
    else:
        c1, r1, c2 = col_to_index(g[17]), int(g[19]), col_to_index(g[21])
        ref = Ref(sheet, r1, min(c1, c2), None, max(c1, c2), bool(g[18]), bool(g[16]), False, bool(g[20]))
    for r in (ref.r1, ref.r2):
        if r is not None and not 1 <= r <= MAX_ROWS:
            raise FormulaSyntaxError(f"row {r} is out of range")
    for c in (ref.c1, ref.c2):
        if c is not None and not 1 <= c <= MAX_COLS:
            raise FormulaSyntaxError(f"column {index_to_col(c)} is out of range")
    return ref


def unquote_sheet(text: str) -> str:
    """Sheet name from its written form ('Jan 2026' -> Jan 2026, 'It''s' -> It's)."""
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    return text


def split_sheet(a1: str) -> tuple[str | None, str]:
    """Split `'Jan 2026'!B4` into ("Jan 2026", "B4"); no `!` gives (None, a1)."""
    s = a1.strip()
    if s.startswith("'"):
        i = 1
        while i < len(s):
            if s[i] == "'":
                if i + 1 < len(s) and s[i + 1] == "'":
                    i += 2
                    continue
                break
            i += 1
        name = s[1:i].replace("''", "'")
        rest = s[i + 1:]
        if rest.startswith("!"):
            return name, rest[1:]
        if rest == "":
            return name, ""
        raise FormulaSyntaxError(f"cannot parse range '{a1}'")
    if "!" in s:
        name, _, body = s.rpartition("!")
        return name, body
    return None, s


def parse_a1(a1: str) -> Ref:
    """Parse an A1 range as the API and name box accept it; a bare sheet name means the whole sheet."""
    sheet, body = split_sheet(a1)
    if body == "":
        return Ref(sheet, None, None, None, None)
    try:
        return parse_ref_body(sheet, body)
    except FormulaSyntaxError:
        if sheet is None and not any(ch in body for ch in ":$"):
            return Ref(body, None, None, None, None)  # a bare sheet name
        raise


# ---- shifting -------------------------------------------------------------------------------------


def offset_ref(ref: Ref, dr: int, dc: int) -> Ref | None:
    """A reference as it reads after copying its formula dr rows down and dc columns right (None: off-sheet)."""
    def mv(v: int | None, absolute: bool, d: int, limit: int) -> int | None | bool:
        if v is None or absolute:
            return v
        nv = v + d
        return nv if 1 <= nv <= limit else False
    r1 = mv(ref.r1, ref.ar1, dr, MAX_ROWS)
    r2 = mv(ref.r2, ref.ar2, dr, MAX_ROWS)
    c1 = mv(ref.c1, ref.ac1, dc, MAX_COLS)
    c2 = mv(ref.c2, ref.ac2, dc, MAX_COLS)
    if False in (r1, r2, c1, c2):
        return None
    return replace(ref, r1=r1, r2=r2, c1=c1, c2=c2)


def shift_ref(ref: Ref, axis: str, at: int, count: int) -> Ref | None:
    """Adjust a reference to rows (axis "row") or columns ("col") inserted (count > 0) or deleted (count < 0) at `at`.

    Absolute and relative parts move alike; a reference wholly inside deleted lines becomes None (#REF!).
    """
    lo_name, hi_name = ("r1", "r2") if axis == "row" else ("c1", "c2")
    lo, hi = getattr(ref, lo_name), getattr(ref, hi_name)
    if lo is None:  # whole-column reference when rows move (or whole-row when columns move)
        return ref
    if hi is None:
        hi_open = True
        hi = MAX_ROWS if axis == "row" else MAX_COLS
    else:
        hi_open = False
    if count > 0:
        if lo >= at:
            lo += count
        if hi >= at:
            hi += count
    else:
        n = -count
        end = at + n - 1  # last deleted line
        if lo >= at and hi <= end:
            return None
        new_lo = lo if lo < at else (at if lo <= end else lo - n)
        new_hi = hi if hi < at else (at - 1 if hi <= end else hi - n)
        lo, hi = new_lo, new_hi
    if hi_open:
        hi = None
    return replace(ref, **{lo_name: lo, hi_name: hi})
