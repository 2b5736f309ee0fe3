"""Compiles a formula AST into Python closures and evaluates them with Excel's semantics."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Callable, Protocol

from . import errors as E
from .errors import ExcelError, FormulaSyntaxError
from .parser import Node, parse, references
from .references import Ref
from .values import COMPARATORS, Array, Grid, Value, compare, to_number, to_text


class Context(Protocol):
    """What a formula can see: the cell it lives in, other cells, and the world's date."""

    sheet: Any  # the key of the formula's own sheet
    row: int
    col: int

    def resolve_sheet(self, name: str | None) -> Any | None:
        """Key of a sheet by name (None: the formula's own sheet); None when it does not exist."""

    def cell(self, sheet: Any, row: int, col: int) -> Value:
        """The value of one cell."""

    def block(self, sheet: Any, r1: int, c1: int, r2: int, c2: int) -> list[list[Value]]:
        """Values of a rectangle, row by row."""

    def extent(self, sheet: Any) -> tuple[int, int]:
        """(last used row, last used column) of a sheet."""

    def today(self) -> int:
        """Today's date serial from the world's clock."""


Compiled = Callable[[Context], Any]


class Range(Grid):
    """A rectangle of a sheet, read lazily (functions like SUMIF need its shape and position)."""

    __slots__ = ("ctx", "sheet", "r1", "c1", "r2", "c2", "_rows")

    def __init__(self, ctx: Context, sheet: Any, r1: int, c1: int, r2: int, c2: int) -> None:
        self.ctx, self.sheet, self.r1, self.c1, self.r2, self.c2 = ctx, sheet, r1, c1, r2, c2
        self._rows: list[list[Value]] | None = None

    def rows(self) -> list[list[Value]]:
        """The values, row by row."""
        if self._rows is None:
            self._rows = self.ctx.block(self.sheet, self.r1, self.c1, self.r2, self.c2)
        return self._rows

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1)

    def resized(self, height: int, width: int) -> "Range":
        """The same top-left corner with another size (SUMIF's sum_range rule)."""
        return Range(self.ctx, self.sheet, self.r1, self.c1, self.r1 + height - 1, self.c1 + width - 1)


class Missing:
    """An omitted argument, as in IF(A1,,1)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def scalar(ctx: Context, v: Any) -> Value:
    """One value from an argument: a 1x1 grid's cell, the implicit intersection with the formula's row/column."""
    if isinstance(v, Grid):
        if isinstance(v, Range):
            h, w = v.shape
            if h == 1 and w == 1:
                return ctx.cell(v.sheet, v.r1, v.c1)
            if w == 1 and v.r1 <= ctx.row <= v.r2 and v.sheet == ctx.sheet:
                return ctx.cell(v.sheet, ctx.row, v.c1)
            if h == 1 and v.c1 <= ctx.col <= v.c2 and v.sheet == ctx.sheet:
                return ctx.cell(v.sheet, v.r1, ctx.col)
            return E.VALUE
        rows = v.rows()
        return rows[0][0] if rows and rows[0] else None
    if v is MISSING:
        return None
    return v


# ---- operators -------------------------------------------------------------------------------------


def _arith(op: str, a: Value, b: Value) -> Value:
    if type(a) is ExcelError:
        return a
    if type(b) is ExcelError:
        return b
    x = to_number(a)
    if type(x) is ExcelError:
        return x
    y = to_number(b)
    if type(y) is ExcelError:
        return y
    try:
        if op == "+":
            r = x + y
        elif op == "-":
            r = x - y
        elif op == "*":
            r = x * y
        elif op == "/":
            if y == 0:
                return E.DIV0
            r = x / y
        else:
            if x == 0 and y == 0:
                return E.NUM
            if x == 0 and y < 0:
                return E.DIV0
            r = x ** y
            if isinstance(r, complex):
                return E.NUM
    except OverflowError:
        return E.NUM
    if math.isinf(r) or math.isnan(r):
        return E.NUM
    return r + 0.0


def _concat(a: Value, b: Value) -> Value:
    if type(a) is ExcelError:
        return a
    if type(b) is ExcelError:
        return b
    return to_text(a) + to_text(b)  # type: ignore[operator]


def _comparison(op: str) -> Callable[[Value, Value], Value]:
    test = COMPARATORS[op]

    def run(a: Value, b: Value) -> Value:
        if type(a) is ExcelError:
            return a
        if type(b) is ExcelError:
            return b
        return test(compare(a, b))
    return run


_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    op: (lambda o: (lambda a, b: _arith(o, a, b)))(op) for op in "+-*/^"
}
_BINARY["&"] = _concat
for _op in COMPARATORS:
    _BINARY[_op] = _comparison(_op)


def _grid_rows(v: Any) -> list[list[Value]]:
    return v.rows() if isinstance(v, Grid) else [[v]]


def elementwise(fn: Callable[..., Value], *operands: Any) -> Any:
    """Apply a scalar function across grids with Excel's broadcasting (1-row/1-column stretch, else #N/A)."""
    grids = [_grid_rows(o) for o in operands]
    h = max(len(g) for g in grids)
    w = max(len(g[0]) if g else 0 for g in grids)
    out = []
    for i in range(h):
        row = []
        for j in range(w):
            args = []
            for g in grids:
                gh, gw = len(g), len(g[0]) if g else 0
                ii = 0 if gh == 1 else i
                jj = 0 if gw == 1 else j
                args.append(g[ii][jj] if ii < gh and jj < gw else E.NA)
            row.append(fn(*args))
        out.append(row)
    return Array(out)


# ---- compiler --------------------------------------------------------------------------------------


def compile_node(node: Node, as_ref: bool = False) -> Compiled:
    """A closure computing a node; function arguments that are references stay ranges (as_ref)."""
    kind = node[0]
    if kind in ("num", "str", "bool", "err"):
        const = node[1]
        return lambda ctx: const
    if kind == "missing":
        return lambda ctx: MISSING
    if kind == "badref":
        return lambda ctx: E.REF
    if kind == "name":
        err = E.NAME.with_message(f"Unknown name '{node[1]}'.")
        return lambda ctx: err
    if kind == "ref":
        return _compile_ref(node[1], as_ref)
    if kind == "array":
        rows = [[c[1] for c in row] for row in node[1]]
        arr = Array(rows)
        return lambda ctx: arr
    if kind == "neg" or kind == "pos" or kind == "pct":
        inner = compile_node(node[1])

        def unary(ctx: Context) -> Value:
            v = inner(ctx)
            if isinstance(v, Grid):
                return elementwise(lambda x: _unary(kind, x), v)
            return _unary(kind, v)
        return unary
    if kind == "bin":
        op = node[1]
        fn = _BINARY[op]
        left, right = compile_node(node[2]), compile_node(node[3])

        def binary(ctx: Context) -> Value:
            a, b = left(ctx), right(ctx)
            if isinstance(a, Grid) or isinstance(b, Grid):
                return elementwise(fn, a, b)
            return fn(a, b)
        return binary
    if kind == "func":
        return _compile_call(node[1], node[2])
    raise FormulaSyntaxError(f"cannot compile node {kind}")


def _unary(kind: str, v: Value) -> Value:
    if type(v) is ExcelError:
        return v
    x = to_number(v)
    if type(x) is ExcelError:
        return x
    if kind == "neg":
        return -x + 0.0
    if kind == "pct":
        return x / 100
    return v if v is not None else 0.0


def _compile_ref(ref: Ref, as_ref: bool) -> Compiled:
    sheet_name = ref.sheet
    if ref.is_cell and not as_ref:
        r, c = ref.r1, ref.c1

        def cell(ctx: Context) -> Value:
            sid = ctx.sheet if sheet_name is None else ctx.resolve_sheet(sheet_name)
            if sid is None:
                return E.REF.with_message(f"Unresolved sheet name '{sheet_name}'.")
            return ctx.cell(sid, r, c)
        return cell

    def rng(ctx: Context) -> Value:
        sid = ctx.sheet if sheet_name is None else ctx.resolve_sheet(sheet_name)
        if sid is None:
            return E.REF.with_message(f"Unresolved sheet name '{sheet_name}'.")
        r1, c1, r2, c2 = ref.r1, ref.c1, ref.r2, ref.c2
        if r1 is None or c1 is None or r2 is None or c2 is None:
            max_r, max_c = ctx.extent(sid)
            r1 = 1 if r1 is None else r1
            c1 = 1 if c1 is None else c1
            r2 = max(max_r, r1) if r2 is None else r2
            c2 = max(max_c, c1) if c2 is None else c2
        return Range(ctx, sid, r1, c1, r2, c2)
    return rng


def _compile_call(name: str, arg_nodes: list[Node]) -> Compiled:
    from .functions import FUNCTIONS
    spec = FUNCTIONS.get(name)
    if spec is None:
        err = E.NAME.with_message(f"Unknown function: '{name}'.")
        return lambda ctx: err
    n = len(arg_nodes)
    if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
        expect = (f"{spec.min_args}" if spec.max_args == spec.min_args
                  else f"{spec.min_args} to {spec.max_args}" if spec.max_args is not None
                  else f"at least {spec.min_args}")
        raise FormulaSyntaxError(
            f"Wrong number of arguments to {name}. Expected {expect} arguments, but got {n}.")
    args = [compile_node(a, as_ref=a[0] == "ref") for a in arg_nodes]
    impl = spec.fn
    if spec.lazy:
        return lambda ctx: impl(ctx, args)
    if n == 1:
        a0 = args[0]
        return lambda ctx: impl(ctx, a0(ctx))
    if n == 2:
        a0, a1 = args
        return lambda ctx: impl(ctx, a0(ctx), a1(ctx))
    return lambda ctx: impl(ctx, *[a(ctx) for a in args])


class Formula:
    """A parsed and compiled formula: run it in a context; list what it reads."""

    __slots__ = ("text", "run", "refs", "volatile", "error")

    def __init__(self, text: str) -> None:
        self.text = text
        self.error: ExcelError | None = None
        self.volatile = False
        try:
            ast = parse(text)
            self.run: Compiled = compile_node(ast)
            self.refs: list[Ref] = references(ast)
            self.volatile = _is_volatile(ast)
        except FormulaSyntaxError as exc:
            err = E.PARSE.with_message(str(exc))
            self.error = err
            self.run = lambda ctx: err
            self.refs = []
        except RecursionError:
            err = E.PARSE.with_message("The formula is nested too deeply.")
            self.error = err
            self.run = lambda ctx: err
            self.refs = []

    def evaluate(self, ctx: Context) -> Value:
        """The formula's value as a cell shows it (grids reduce to one value; empty becomes 0)."""
        try:
            v = self.run(ctx)
        except RecursionError:
            return E.NUM.with_message("The calculation is nested too deeply.")
        if isinstance(v, Grid):
            v = scalar(ctx, v) if isinstance(v, Range) else scalar(ctx, v)
        if v is None or v is MISSING:
            return 0.0
        if type(v) is int:
            return float(v)
        return v


def _is_volatile(ast: Node) -> bool:
    stack = [ast]
    while stack:
        n = stack.pop()
        if n[0] == "func":
            if n[1] in ("TODAY", "NOW"):
                return True
            stack.extend(n[2])
        elif n[0] == "bin":
            stack.extend(n[2:4])
        elif n[0] in ("neg", "pos", "pct"):
            stack.append(n[1])
    return False


@lru_cache(maxsize=20000)
def compile_formula(text: str) -> Formula:
    """The compiled formula for a text (cached: the same text compiles once per process)."""
    return Formula(text)
