"""Rewriting formulas when they are copied, filled, or when rows, columns or sheets change."""

from __future__ import annotations

from typing import Callable

from .errors import FormulaSyntaxError
from .references import Ref, offset_ref, parse_ref_body, shift_ref, split_sheet
from .tokenizer import tokenize

RefMap = Callable[[Ref], "Ref | None"]


def rewrite_refs(formula: str, fn: RefMap) -> str:
    """Apply fn to every reference of a formula; None makes it #REF!. Unparseable text is returned as is."""
    if not formula.startswith("="):
        return formula
    body = formula[1:]
    try:
        tokens = tokenize(body)
    except FormulaSyntaxError:
        return formula
    out, last = [], 0
    for tok in tokens:
        if tok.kind != "ref":
            continue
        sheet, ref_body = split_sheet(tok.text)
        if ref_body.upper() == "#REF!":
            continue
        try:
            ref = parse_ref_body(sheet, ref_body)
        except FormulaSyntaxError:
            continue
        new = fn(ref)
        if new == ref:
            continue
        out.append(body[last:tok.pos])
        out.append("#REF!" if new is None else new.text())
        last = tok.pos + len(tok.text)
    if not out:
        return formula
    out.append(body[last:])
    return "=" + "".join(out)


def offset_formula(formula: str, dr: int, dc: int) -> str:
    """The formula as it reads when copied dr rows down and dc columns right (relative parts move)."""
    if dr == 0 and dc == 0:
        return formula
    return rewrite_refs(formula, lambda ref: offset_ref(ref, dr, dc))


def _same_sheet(ref: Ref, host: str, target: str) -> bool:
    name = host if ref.sheet is None else ref.sheet
    return name.lower() == target.lower()


def shift_formula(formula: str, host: str, target: str, axis: str, at: int, count: int) -> str:
    """Adjust a formula living on sheet `host` for `count` rows/columns inserted (>0) or deleted (<0) at `at` of `target`."""
    return rewrite_refs(
        formula, lambda ref: shift_ref(ref, axis, at, count) if _same_sheet(ref, host, target) else ref)


def rename_sheet_in_formula(formula: str, old: str, new: str) -> str:
    """Point references to sheet `old` at its new name."""
    def fn(ref: Ref) -> Ref:
        if ref.sheet is not None and ref.sheet.lower() == old.lower():
            return Ref(new, ref.r1, ref.c1, ref.r2, ref.c2, ref.ar1, ref.ac1, ref.ar2, ref.ac2)
        return ref
    return rewrite_refs(formula, fn)


def drop_sheet_in_formula(formula: str, name: str) -> str:
    """References to a deleted sheet become #REF!."""
    return rewrite_refs(
        formula, lambda ref: None if ref.sheet is not None and ref.sheet.lower() == name.lower() else ref)
