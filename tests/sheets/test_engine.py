"""The formula engine beyond single formulas: reference shifting, dependants-only recalculation, cycles."""

from __future__ import annotations

import pytest

from mock_apps.sheets.formula import (
    Engine, ExcelError, drop_sheet_in_formula, offset_formula, rename_sheet_in_formula, shift_formula,
)
from mock_apps.sheets.formula.values import input_to_value


@pytest.mark.parametrize("formula,dr,dc,expected", [
    ("=A1+B1", 1, 0, "=A2+B2"),
    ("=$A$1+A1", 3, 2, "=$A$1+C4"),
    ("=$A1+A$1", 1, 1, "=$A2+B$1"),
    ("=SUM(A1:B2)*2", 2, 0, "=SUM(A3:B4)*2"),
    ("=SUMIF('Jan 2026'!A:A,A2,'Jan 2026'!B:B)", 1, 0, "=SUMIF('Jan 2026'!A:A,A3,'Jan 2026'!B:B)"),
    ("=A1", -1, 0, "=#REF!"),
    ('="A1"&A1', 1, 0, '="A1"&A2'),
])
def test_offset_formula_moves_relative_parts(formula: str, dr: int, dc: int, expected: str) -> None:
    assert offset_formula(formula, dr, dc) == expected


@pytest.mark.parametrize("formula,host,axis,at,count,expected", [
    ("=A5", "S", "row", 3, 2, "=A7"),            # insert above: moves down
    ("=A5", "S", "row", 6, 2, "=A5"),            # insert below: unchanged
    ("=$A$5", "S", "row", 5, 1, "=$A$6"),        # absolute refs move with their cells too
    ("=SUM(A1:A10)", "S", "row", 5, 3, "=SUM(A1:A13)"),  # insert inside: range grows
    ("=SUM(A1:A10)", "S", "row", 3, -2, "=SUM(A1:A8)"),  # delete inside: range shrinks
    ("=A5+1", "S", "row", 5, -1, "=#REF!+1"),    # deleted cell: #REF!
    ("=S!A5", "T", "row", 1, 1, "=S!A6"),        # formula on another sheet pointing at S
    ("=A5", "T", "row", 1, 1, "=A5"),            # formula on T: its own A5 does not move
    ("=C1", "S", "col", 2, 1, "=D1"),
    ("=SUM(A1:C1)", "S", "col", 2, -1, "=SUM(A1:B1)"),
])
def test_shift_formula_for_inserted_and_deleted_lines(formula, host, axis, at, count, expected) -> None:
    assert shift_formula(formula, host, "S", axis, at, count) == expected


def test_rename_and_drop_sheet_rewrite_references() -> None:
    assert rename_sheet_in_formula("='Jan 2026'!B4+B4", "Jan 2026", "It's") == "='It''s'!B4+B4"
    assert drop_sheet_in_formula("=Data!A1+1", "data") == "=#REF!+1"


def _engine() -> Engine:
    e = Engine(lambda: 46053)
    e.add_sheet(1, "Sheet1")
    return e


def test_recalculates_only_dependants() -> None:
    e = _engine()
    cells = [(1, r, 1, str(r)) for r in range(1, 101)]           # A1:A100 values
    cells += [(1, r, 2, f"=A{r}*2") for r in range(1, 101)]     # B = A*2
    cells += [(1, 1, 3, "=SUM(B1:B100)")]
    e.load(cells)
    assert e.value((1, 1, 3)) == 10100.0
    changed = e.set_inputs([((1, 50, 1), "1000")])
    # only A50, B50 and the total change
    assert set(changed) == {(1, 50, 1), (1, 50, 2), (1, 1, 3)}
    assert e.value((1, 1, 3)) == 10100.0 + (1000 - 50) * 2


def test_long_chain_recalculates_in_order() -> None:
    e = _engine()
    e.load([(1, 1, 1, "1")] + [(1, r, 1, f"=A{r - 1}+1") for r in range(2, 2001)])
    assert e.value((1, 2000, 1)) == 2000.0
    e.set_inputs([((1, 1, 1), "101")])
    assert e.value((1, 2000, 1)) == 2100.0


def test_circular_reference_is_detected_and_recovers() -> None:
    e = _engine()
    e.load([(1, 1, 1, "=B1"), (1, 1, 2, "=A1"), (1, 1, 3, "=A1+1"), (1, 1, 4, "=D1")])
    for col in (1, 2, 4):
        v = e.value((1, 1, col))
        assert isinstance(v, ExcelError) and "Circular" in v.message
    assert isinstance(e.value((1, 1, 3)), ExcelError)
    e.set_inputs([((1, 1, 2), "5")])   # break the cycle
    assert e.value((1, 1, 1)) == 5.0 and e.value((1, 1, 3)) == 6.0


@pytest.mark.parametrize("formula,message", [
    ("=SUM(A1", "Expected"), ("=1+", "ends too early"), ('="abc', "closing quote"),
    ("=IF(1,2,3,4)", "Wrong number of arguments"), ("=A1 B1", "Unexpected"), ("=@", "Unexpected character"),
])
def test_malformed_formulas_give_error_values_with_messages(formula: str, message: str) -> None:
    e = _engine()
    e.load([(1, 1, 1, formula)])
    v = e.value((1, 1, 1))
    assert isinstance(v, ExcelError) and v.code == "#ERROR!" and message in v.message


def test_unknown_function_is_name_error_with_message() -> None:
    e = _engine()
    e.load([(1, 1, 1, "=VLOKUP(1,A2:B3,2)")])
    v = e.value((1, 1, 1))
    assert v.code == "#NAME?" and "VLOKUP" in v.message


@pytest.mark.parametrize("raw,value,fmt", [
    ("1,234.50", 1234.5, "#,##0.00"), ("$12", 12.0, "$#,##0.00"), ("15%", 0.15, "0%"),
    ("2026-01-31", 46053.0, "yyyy-mm-dd"), ("1/31/2026", 46053.0, "m/d/yyyy"), ("TRUE", True, None),
    ("'123", "123", None), ("abc", "abc", None), ("-3.5", -3.5, None),
])
def test_typed_input_is_parsed_like_user_entered(raw: str, value: object, fmt: str | None) -> None:
    assert input_to_value(raw) == (value, fmt)
