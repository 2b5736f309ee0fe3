"""Criteria of SUMIF/COUNTIF/AVERAGEIF(S): ">=100", "<>", "Acme*", 42, TRUE."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .errors import ERROR_CODES, ExcelError
from .values import COMPARATORS, Value, compare, is_number, parse_number

Predicate = Callable[[Value], bool]


@lru_cache(maxsize=1024)
def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """Excel wildcards (* ? and ~ escapes) as a case-insensitive full-match regex."""
    out, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out += re.escape(pattern[i + 1])
            i += 2
            continue
        out += ".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
        i += 1
    return re.compile(out, re.IGNORECASE | re.DOTALL)


def has_wildcards(text: str) -> bool:
    """True when text uses * or ? (not escaped)."""
    return bool(re.search(r"(?<!~)[*?]", text))


def make_predicate(criterion: Value) -> Predicate:
    """A test for cells against one criterion, with Excel's COUNTIF rules."""
    if criterion is None:
        criterion = 0.0  # an empty criterion cell means 0 in Excel's COUNTIF
    if isinstance(criterion, bool):
        return lambda v: isinstance(v, bool) and v == criterion
    if is_number(criterion):
        n = float(criterion)
        return lambda v: _as_number(v) == n
    if isinstance(criterion, ExcelError):
        return lambda v: isinstance(v, ExcelError) and v.code == criterion.code
    text: str = criterion
    op = "="
    for candidate in ("<=", ">=", "<>", "=", "<", ">"):
        if text.startswith(candidate):
            op, text = candidate, text[len(candidate):]
            break
    if text == "":
        if op == "=":
            return lambda v: v is None or v == ""
        if op == "<>":
            return lambda v: not (v is None or v == "")
        return lambda v: False
    num = parse_number(text)
    if num is not None:
        cmp = COMPARATORS[op]
        if op in ("=", "<>"):
            want = op == "="
            return lambda v: (_as_number(v) == num) == want
        return lambda v: is_number(v) and cmp(compare(float(v), num))
    upper = text.upper()
    if upper in ("TRUE", "FALSE"):
        b = upper == "TRUE"
        cmp = COMPARATORS[op]
        return lambda v: isinstance(v, bool) and cmp(compare(v, b))
    if upper in ERROR_CODES:
        want = op == "="
        return lambda v: (isinstance(v, ExcelError) and v.code == upper) == want
    if op in ("=", "<>"):
        want = op == "="
        if has_wildcards(text):
            rx = wildcard_regex(text)
            return lambda v: (isinstance(v, str) and rx.fullmatch(v) is not None) == want
        low = text.lower()
        return lambda v: (isinstance(v, str) and v.lower() == low) == want
    cmp = COMPARATORS[op]
    return lambda v: isinstance(v, str) and cmp(compare(v, text))


def _as_number(v: Value) -> float | None:
    if is_number(v):
        return float(v)
    if isinstance(v, str):
        return parse_number(v)
    return None
