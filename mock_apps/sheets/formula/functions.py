"""The function library: Excel's behaviour for each supported function, errors included."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from . import errors as E
from .criteria import has_wildcards, make_predicate, wildcard_regex
from .dates import MAX_SERIAL, make_serial, serial_to_date, serial_to_ymd
from .errors import ExcelError
from .evaluator import MISSING, Context, Range, scalar
from .numberformat import format_value, round_half_up
from .values import Array, Grid, Value, compare, is_number, to_bool, to_number, to_text


@dataclass(frozen=True)
class FunctionSpec:
    """A function's implementation and how many arguments it takes."""

    fn: Callable[..., Any]
    min_args: int
    max_args: int | None
    lazy: bool = False


FUNCTIONS: dict[str, FunctionSpec] = {}


def register(name: str, min_args: int, max_args: int | None, lazy: bool = False) -> Callable:
    """Add a function to the library under an Excel name."""
    def deco(fn: Callable) -> Callable:
        FUNCTIONS[name] = FunctionSpec(fn, min_args, max_args, lazy)
        return fn
    return deco


class _Fail(Exception):
    """Carries an Excel error out of argument conversion."""

    def __init__(self, err: ExcelError) -> None:
        self.err = err


def _guard(fn: Callable) -> Callable:
    def run(ctx: Context, *args: Any) -> Any:
        try:
            return fn(ctx, *args)
        except _Fail as f:
            return f.err
    run.__name__ = fn.__name__
    return run


def _num(ctx: Context, v: Any) -> float:
    v = scalar(ctx, v)
    if v is MISSING or v is None:
        return 0.0
    n = to_number(v)
    if type(n) is ExcelError:
        raise _Fail(n)
    return n


def _text(ctx: Context, v: Any) -> str:
    v = scalar(ctx, v)
    if v is MISSING:
        return ""
    t = to_text(v)
    if type(t) is ExcelError:
        raise _Fail(t)
    return t


def _bool(ctx: Context, v: Any) -> bool:
    v = scalar(ctx, v)
    b = to_bool(v)
    if type(b) is ExcelError:
        raise _Fail(b)
    return b


def _grid(v: Any) -> Grid:
    if isinstance(v, Grid):
        return v
    if isinstance(v, ExcelError):
        raise _Fail(v)
    return Array([[None if v is MISSING else v]])


# ---- aggregates ------------------------------------------------------------------------------------


def _numbers(args: tuple) -> list[float]:
    """Numbers of SUM-like arguments: ranges give their numbers; typed values are coerced."""
    out: list[float] = []
    for a in args:
        if isinstance(a, Grid):
            for v in a.flat():
                t = type(v)
                if t is float or t is int:
                    out.append(v)
                elif t is ExcelError:
                    raise _Fail(v)
        elif a is MISSING or a is None:
            continue
        else:
            n = to_number(a)
            if type(n) is ExcelError:
                raise _Fail(n)
            out.append(n)
    return out


@register("SUM", 1, None)
@_guard
def SUM(ctx: Context, *args: Any) -> Value:
    """SUM(number1, ...)."""
    return math.fsum(_numbers(args)) + 0.0


@register("PRODUCT", 1, None)
@_guard
def PRODUCT(ctx: Context, *args: Any) -> Value:
    """PRODUCT(number1, ...)."""
    nums = _numbers(args)
    return math.prod(nums) if nums else 0.0


@register("AVERAGE", 1, None)
@_guard
def AVERAGE(ctx: Context, *args: Any) -> Value:
    """AVERAGE(number1, ...)."""
    nums = _numbers(args)
    return math.fsum(nums) / len(nums) if nums else E.DIV0


@register("MIN", 1, None)
@_guard
def MIN(ctx: Context, *args: Any) -> Value:
    """MIN(number1, ...)."""
    nums = _numbers(args)
    return min(nums) if nums else 0.0


@register("MAX", 1, None)
@_guard
def MAX(ctx: Context, *args: Any) -> Value:
    """MAX(number1, ...)."""
    nums = _numbers(args)
    return max(nums) if nums else 0.0


@register("COUNT", 1, None)
def COUNT(ctx: Context, *args: Any) -> Value:
    """COUNT(value1, ...): numbers in ranges; typed numbers, booleans and numeric text."""
    n = 0
    for a in args:
        if isinstance(a, Grid):
            n += sum(1 for v in a.flat() if is_number(v))
        elif a is MISSING:
            continue
        elif is_number(a) or isinstance(a, bool) or (isinstance(a, str) and type(to_number(a)) is float):
            n += 1
    return float(n)


@register("COUNTA", 1, None)
def COUNTA(ctx: Context, *args: Any) -> Value:
    """COUNTA(value1, ...): everything that is not empty."""
    n = 0
    for a in args:
        if isinstance(a, Grid):
            n += sum(1 for v in a.flat() if v is not None)
        elif a is not MISSING:
            n += 1
    return float(n)


@register("COUNTBLANK", 1, 1)
@_guard
def COUNTBLANK(ctx: Context, rng: Any) -> Value:
    """COUNTBLANK(range): empty cells and empty text."""
    return float(sum(1 for v in _grid(rng).flat() if v is None or v == ""))


def _criteria_pairs(ctx: Context, args: tuple, first: Grid | None) -> list[bool]:
    shape = first.shape if first is not None else None
    mask: list[bool] | None = None
    for i in range(0, len(args), 2):
        rng = _grid(args[i])
        if shape is None:
            shape = rng.shape
        elif rng.shape != shape:
            raise _Fail(E.VALUE.with_message("All ranges must be the same size."))
        pred = make_predicate(scalar(ctx, args[i + 1]))
        hits = [pred(v) for v in rng.flat()]
        mask = hits if mask is None else [a and b for a, b in zip(mask, hits)]
    return mask or []


def _sum_range(rng: Grid, sum_rng: Any) -> Grid:
    if sum_rng is MISSING or sum_rng is None:
        return rng
    g = _grid(sum_rng)
    if isinstance(g, Range) and g.shape != rng.shape:
        return g.resized(*rng.shape)  # Excel sizes sum_range like range, from its top-left cell
    return g


@register("SUMIF", 2, 3)
@_guard
def SUMIF(ctx: Context, rng: Any, crit: Any, sum_rng: Any = MISSING) -> Value:
    """SUMIF(range, criterion, [sum_range])."""
    g = _grid(rng)
    pred = make_predicate(scalar(ctx, crit))
    values = list(_sum_range(g, sum_rng).flat())
    total = []
    for hit, v in zip((pred(x) for x in g.flat()), values):
        if hit:
            if type(v) is ExcelError:
                return v
            if is_number(v):
                total.append(v)
    return math.fsum(total) + 0.0


@register("SUMIFS", 3, None)
@_guard
def SUMIFS(ctx: Context, sum_rng: Any, *pairs: Any) -> Value:
    """SUMIFS(sum_range, criteria_range1, criterion1, ...)."""
    if len(pairs) % 2:
        return E.VALUE.with_message("SUMIFS needs criteria ranges and criteria in pairs.")
    g = _grid(sum_rng)
    mask = _criteria_pairs(ctx, pairs, g)
    total = []
    for hit, v in zip(mask, g.flat()):
        if hit:
            if type(v) is ExcelError:
                return v
            if is_number(v):
                total.append(v)
    return math.fsum(total) + 0.0


@register("COUNTIF", 2, 2)
@_guard
def COUNTIF(ctx: Context, rng: Any, crit: Any) -> Value:
    """COUNTIF(range, criterion)."""
    pred = make_predicate(scalar(ctx, crit))
    return float(sum(1 for v in _grid(rng).flat() if pred(v)))


@register("COUNTIFS", 2, None)
@_guard
def COUNTIFS(ctx: Context, *pairs: Any) -> Value:
    """COUNTIFS(criteria_range1, criterion1, ...)."""
    if len(pairs) % 2:
        return E.VALUE.with_message("COUNTIFS needs criteria ranges and criteria in pairs.")
    return float(sum(_criteria_pairs(ctx, pairs, None)))


@register("AVERAGEIF", 2, 3)
@_guard
def AVERAGEIF(ctx: Context, rng: Any, crit: Any, avg_rng: Any = MISSING) -> Value:
    """AVERAGEIF(range, criterion, [average_range])."""
    g = _grid(rng)
    pred = make_predicate(scalar(ctx, crit))
    nums = []
    for hit, v in zip((pred(x) for x in g.flat()), _sum_range(g, avg_rng).flat()):
        if hit:
            if type(v) is ExcelError:
                return v
            if is_number(v):
                nums.append(v)
    return math.fsum(nums) / len(nums) if nums else E.DIV0


@register("AVERAGEIFS", 3, None)
@_guard
def AVERAGEIFS(ctx: Context, avg_rng: Any, *pairs: Any) -> Value:
    """AVERAGEIFS(average_range, criteria_range1, criterion1, ...)."""
    if len(pairs) % 2:
        return E.VALUE.with_message("AVERAGEIFS needs criteria ranges and criteria in pairs.")
    g = _grid(avg_rng)
    mask = _criteria_pairs(ctx, pairs, g)
    nums = []
    for hit, v in zip(mask, g.flat()):
        if hit:
            if type(v) is ExcelError:
                return v
            if is_number(v):
                nums.append(v)
    return math.fsum(nums) / len(nums) if nums else E.DIV0


def _ifs_numbers(ctx: Context, target: Any, pairs: tuple) -> list[float]:
    if len(pairs) % 2:
        raise _Fail(E.VALUE.with_message("Criteria ranges and criteria must come in pairs."))
    g = _grid(target)
    mask = _criteria_pairs(ctx, pairs, g)
    out = []
    for hit, v in zip(mask, g.flat()):
        if hit:
            if type(v) is ExcelError:
                raise _Fail(v)
            if is_number(v):
                out.append(v)
    return out


@register("MINIFS", 3, None)
@_guard
def MINIFS(ctx: Context, target: Any, *pairs: Any) -> Value:
    """MINIFS(min_range, criteria_range1, criterion1, ...): 0 when nothing matches."""
    nums = _ifs_numbers(ctx, target, pairs)
    return min(nums) if nums else 0.0


@register("MAXIFS", 3, None)
@_guard
def MAXIFS(ctx: Context, target: Any, *pairs: Any) -> Value:
    """MAXIFS(max_range, criteria_range1, criterion1, ...): 0 when nothing matches."""
    nums = _ifs_numbers(ctx, target, pairs)
    return max(nums) if nums else 0.0


@register("SUMPRODUCT", 1, None)
@_guard
def SUMPRODUCT(ctx: Context, *arrays: Any) -> Value:
    """SUMPRODUCT(array1, ...): non-numbers count as 0; arrays must share a shape."""
    grids = [_grid(a) for a in arrays]
    shape = grids[0].shape
    if any(g.shape != shape for g in grids):
        return E.VALUE.with_message("SUMPRODUCT's arrays must be the same size.")
    cols = [list(g.flat()) for g in grids]
    total = []
    for items in zip(*cols):
        p = 1.0
        for v in items:
            if type(v) is ExcelError:
                return v
            p *= v if is_number(v) else 0.0
        total.append(p)
    return math.fsum(total) + 0.0


# ---- math ------------------------------------------------------------------------------------------


@register("ROUND", 2, 2)
@_guard
def ROUND(ctx: Context, x: Any, digits: Any) -> Value:
    """ROUND(number, digits): half away from zero."""
    return round_half_up(_num(ctx, x), int(_num(ctx, digits))) + 0.0


@register("ROUNDUP", 2, 2)
@_guard
def ROUNDUP(ctx: Context, x: Any, digits: Any) -> Value:
    """ROUNDUP(number, digits): away from zero."""
    n, d = _num(ctx, x), int(_num(ctx, digits))
    f = 10.0 ** d
    r = math.ceil(round(abs(n) * f, 9)) / f
    return math.copysign(r, n) + 0.0


@register("ROUNDDOWN", 2, 2)
@_guard
def ROUNDDOWN(ctx: Context, x: Any, digits: Any) -> Value:
    """ROUNDDOWN(number, digits): toward zero."""
    n, d = _num(ctx, x), int(_num(ctx, digits))
    f = 10.0 ** d
    r = math.floor(round(abs(n) * f, 9)) / f
    return math.copysign(r, n) + 0.0


@register("INT", 1, 1)
@_guard
def INT(ctx: Context, x: Any) -> Value:
    """INT(number): down to the next integer."""
    return float(math.floor(_num(ctx, x)))


@register("MOD", 2, 2)
@_guard
def MOD(ctx: Context, x: Any, d: Any) -> Value:
    """MOD(number, divisor): the result has the divisor's sign."""
    n, m = _num(ctx, x), _num(ctx, d)
    if m == 0:
        return E.DIV0
    return n - m * math.floor(n / m)


@register("ABS", 1, 1)
@_guard
def ABS(ctx: Context, x: Any) -> Value:
    """ABS(number)."""
    return abs(_num(ctx, x))


@register("SQRT", 1, 1)
@_guard
def SQRT(ctx: Context, x: Any) -> Value:
    """SQRT(number)."""
    n = _num(ctx, x)
    return E.NUM if n < 0 else math.sqrt(n)


@register("POWER", 2, 2)
@_guard
def POWER(ctx: Context, x: Any, y: Any) -> Value:
    """POWER(number, power)."""
    from .evaluator import _arith
    return _arith("^", _num(ctx, x), _num(ctx, y))


# ---- logic -----------------------------------------------------------------------------------------


@register("IF", 2, 3, lazy=True)
def IF(ctx: Context, args: list) -> Value:
    """IF(condition, value_if_true, [value_if_false])."""
    cond = scalar(ctx, args[0](ctx))
    b = to_bool(cond)
    if type(b) is ExcelError:
        return b
    if b:
        v = args[1](ctx)
        return 0.0 if v is MISSING else v
    if len(args) < 3:
        return False
    v = args[2](ctx)
    return 0.0 if v is MISSING else v


@register("IFS", 2, None, lazy=True)
def IFS(ctx: Context, args: list) -> Value:
    """IFS(condition1, value1, ...): #N/A when no condition holds."""
    if len(args) % 2:
        return E.VALUE.with_message("IFS needs conditions and values in pairs.")
    for i in range(0, len(args), 2):
        b = to_bool(scalar(ctx, args[i](ctx)))
        if type(b) is ExcelError:
            return b
        if b:
            return args[i + 1](ctx)
    return E.NA.with_message("No condition in IFS was true.")


@register("IFERROR", 2, 2, lazy=True)
def IFERROR(ctx: Context, args: list) -> Value:
    """IFERROR(value, value_if_error)."""
    v = args[0](ctx)
    if isinstance(v, Grid):
        v = scalar(ctx, v)
    if type(v) is ExcelError:
        alt = args[1](ctx)
        return 0.0 if alt is MISSING else alt
    return v


@register("IFNA", 2, 2, lazy=True)
def IFNA(ctx: Context, args: list) -> Value:
    """IFNA(value, value_if_na)."""
    v = scalar(ctx, args[0](ctx))
    if type(v) is ExcelError and v.code == "#N/A":
        return args[1](ctx)
    return v


def _logical_values(ctx: Context, args: tuple) -> list[bool]:
    out = []
    for a in args:
        if isinstance(a, Grid):
            for v in a.flat():
                if type(v) is ExcelError:
                    raise _Fail(v)
                if isinstance(v, bool) or is_number(v):
                    out.append(bool(v))
        elif a is MISSING:
            continue
        else:
            out.append(_bool(ctx, a))
    if not out:
        raise _Fail(E.VALUE.with_message("No logical values were given."))
    return out


@register("AND", 1, None)
@_guard
def AND(ctx: Context, *args: Any) -> Value:
    """AND(logical1, ...)."""
    return all(_logical_values(ctx, args))


@register("OR", 1, None)
@_guard
def OR(ctx: Context, *args: Any) -> Value:
    """OR(logical1, ...)."""
    return any(_logical_values(ctx, args))


@register("NOT", 1, 1)
@_guard
def NOT(ctx: Context, x: Any) -> Value:
    """NOT(logical)."""
    return not _bool(ctx, x)


@register("TRUE", 0, 0)
def TRUE_(ctx: Context) -> Value:
    """TRUE()."""
    return True


@register("FALSE", 0, 0)
def FALSE_(ctx: Context) -> Value:
    """FALSE()."""
    return False


# ---- information -----------------------------------------------------------------------------------


def _is(test: Callable[[Value], bool]) -> Callable:
    def fn(ctx: Context, x: Any) -> Value:
        return test(scalar(ctx, x))
    return fn


register("ISBLANK", 1, 1)(_is(lambda v: v is None))
register("ISNUMBER", 1, 1)(_is(is_number))
register("ISTEXT", 1, 1)(_is(lambda v: isinstance(v, str)))
register("ISERROR", 1, 1)(_is(lambda v: isinstance(v, ExcelError)))
register("ISERR", 1, 1)(_is(lambda v: isinstance(v, ExcelError) and v.code != "#N/A"))
register("ISNA", 1, 1)(_is(lambda v: isinstance(v, ExcelError) and v.code == "#N/A"))
register("ISLOGICAL", 1, 1)(_is(lambda v: isinstance(v, bool)))


@register("NA", 0, 0)
def NA_(ctx: Context) -> Value:
    """NA()."""
    return E.NA


@register("N", 1, 1)
def N(ctx: Context, x: Any) -> Value:
    """N(value): numbers stay, booleans become 1/0, the rest 0."""
    v = scalar(ctx, x)
    if type(v) is ExcelError:
        return v
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    return float(v) if is_number(v) else 0.0


# ---- lookup ----------------------------------------------------------------------------------------


def _same_kind(a: Value, b: Value) -> bool:
    return (is_number(a) and is_number(b)) or (isinstance(a, str) and isinstance(b, str)) or (
        isinstance(a, bool) and isinstance(b, bool))


def _exact_index(key: Value, items: list[Value], wildcards: bool = True, reverse: bool = False) -> int:
    order = range(len(items) - 1, -1, -1) if reverse else range(len(items))
    if isinstance(key, str) and wildcards and has_wildcards(key):
        rx = wildcard_regex(key)
        for i in order:
            v = items[i]
            if isinstance(v, str) and rx.fullmatch(v):
                return i
        return -1
    for i in order:
        v = items[i]
        if _same_kind(key, v) and compare(key, v) == 0:
            return i
    return -1


def _approx_index(key: Value, items: list[Value], descending: bool = False) -> int:
    """Last position whose value is <= key in ascending data (>= key in descending data)."""
    found = -1
    for i, v in enumerate(items):
        if not _same_kind(key, v):
            continue
        c = compare(v, key)
        if (c <= 0) if not descending else (c >= 0):
            found = i
        else:
            break
    return found


def _lookup_key(ctx: Context, v: Any) -> Value:
    key = scalar(ctx, v)
    if type(key) is ExcelError:
        raise _Fail(key)
    return 0.0 if key is None else key


@register("VLOOKUP", 3, 4)
@_guard
def VLOOKUP(ctx: Context, key: Any, table: Any, col: Any, approx: Any = MISSING) -> Value:
    """VLOOKUP(key, table, column, [approximate=TRUE])."""
    k = _lookup_key(ctx, key)
    rows = _grid(table).rows()
    c = int(_num(ctx, col))
    if c < 1:
        return E.VALUE.with_message("VLOOKUP's column index must be at least 1.")
    if c > (len(rows[0]) if rows else 0):
        return E.REF.with_message("VLOOKUP's column index is beyond the table.")
    use_approx = True if approx is MISSING else _bool(ctx, approx)
    first = [r[0] for r in rows]
    i = _approx_index(k, first) if use_approx else _exact_index(k, first)
    if i < 0:
        return E.NA.with_message(f"Did not find value '{to_text(k)}' in VLOOKUP evaluation.")
    return rows[i][c - 1]


@register("HLOOKUP", 3, 4)
@_guard
def HLOOKUP(ctx: Context, key: Any, table: Any, row: Any, approx: Any = MISSING) -> Value:
    """HLOOKUP(key, table, row, [approximate=TRUE])."""
    k = _lookup_key(ctx, key)
    rows = _grid(table).rows()
    r = int(_num(ctx, row))
    if r < 1:
        return E.VALUE.with_message("HLOOKUP's row index must be at least 1.")
    if r > len(rows):
        return E.REF.with_message("HLOOKUP's row index is beyond the table.")
    use_approx = True if approx is MISSING else _bool(ctx, approx)
    i = _approx_index(k, rows[0]) if use_approx else _exact_index(k, rows[0])
    if i < 0:
        return E.NA.with_message(f"Did not find value '{to_text(k)}' in HLOOKUP evaluation.")
    return rows[r - 1][i]


def _vector(g: Grid) -> list[Value] | None:
    rows = g.rows()
    if len(rows) == 1:
        return list(rows[0])
    if rows and len(rows[0]) == 1:
        return [r[0] for r in rows]
    return None


@register("MATCH", 2, 3)
@_guard
def MATCH(ctx: Context, key: Any, arr: Any, kind: Any = MISSING) -> Value:
    """MATCH(key, range, [match_type=1]): a 1-based position."""
    k = _lookup_key(ctx, key)
    items = _vector(_grid(arr))
    if items is None:
        return E.NA.with_message("MATCH needs a single row or column.")
    t = 1 if kind is MISSING else int(_num(ctx, kind))
    if t == 0:
        i = _exact_index(k, items)
    elif t > 0:
        i = _approx_index(k, items)
    else:
        i = _approx_index(k, items, descending=True)
    if i < 0:
        return E.NA.with_message(f"Did not find value '{to_text(k)}' in MATCH evaluation.")
    return float(i + 1)


@register("INDEX", 2, 3)
@_guard
def INDEX(ctx: Context, arr: Any, row: Any, col: Any = MISSING) -> Value:
    """INDEX(range, row, [column]); 0 selects a whole column or row."""
    g = _grid(arr)
    rows = g.rows()
    h, w = len(rows), len(rows[0]) if rows else 0
    r = int(_num(ctx, row))
    c = None if col is MISSING else int(_num(ctx, col))
    if c is None:
        if h == 1:
            r, c = 1, r  # a single row: the one number picks a column
        elif w == 1:
            c = 1
        else:
            c = 0 if r else 1
    if r < 0 or c < 0:
        return E.VALUE
    if r > h or c > w:
        return E.REF.with_message("INDEX is out of the range's bounds.")
    if r == 0 and c == 0:
        return g
    if r == 0:
        return Array([[rows[i][c - 1]] for i in range(h)])
    if c == 0:
        return Array([list(rows[r - 1])])
    return rows[r - 1][c - 1]


@register("XLOOKUP", 3, 6)
@_guard
def XLOOKUP(ctx: Context, key: Any, look: Any, ret: Any, if_not_found: Any = MISSING,
            match_mode: Any = MISSING, search_mode: Any = MISSING) -> Value:
    """XLOOKUP(key, lookup_array, return_array, [if_not_found], [match_mode], [search_mode])."""
    k = _lookup_key(ctx, key)
    items = _vector(_grid(look))
    if items is None:
        return E.VALUE.with_message("XLOOKUP's lookup array must be a single row or column.")
    ret_rows = _grid(ret).rows()
    look_rows = _grid(look).rows()
    vertical = len(look_rows) > 1 or len(look_rows[0]) == 1
    mm = 0 if match_mode is MISSING else int(_num(ctx, match_mode))
    sm = 1 if search_mode is MISSING else int(_num(ctx, search_mode))
    reverse = sm in (-1, -2)
    idx = -1
    if mm in (0, 2):
        idx = _exact_index(k, items, wildcards=mm == 2, reverse=reverse)
    elif mm in (-1, 1):
        idx = _exact_index(k, items, wildcards=False, reverse=reverse)
        if idx < 0:
            best = None
            for i, v in enumerate(items):
                if not _same_kind(k, v):
                    continue
                c = compare(v, k)
                if (mm == -1 and c < 0 and (best is None or compare(v, items[best]) > 0)) or (
                        mm == 1 and c > 0 and (best is None or compare(v, items[best]) < 0)):
                    best = i
            idx = -1 if best is None else best
    else:
        return E.VALUE.with_message("XLOOKUP's match mode must be 0, -1, 1 or 2.")
    if idx < 0:
        if if_not_found is not MISSING:
            return if_not_found
        return E.NA.with_message(f"Did not find value '{to_text(k)}' in XLOOKUP evaluation.")
    if vertical:
        if len(ret_rows) != len(items):
            return E.VALUE.with_message("XLOOKUP's arrays must be the same size.")
        row = ret_rows[idx]
        return row[0] if len(row) == 1 else Array([list(row)])
    if not ret_rows or len(ret_rows[0]) != len(items):
        return E.VALUE.with_message("XLOOKUP's arrays must be the same size.")
    if len(ret_rows) == 1:
        return ret_rows[0][idx]
    return Array([[r[idx]] for r in ret_rows])


@register("CHOOSE", 2, None, lazy=True)
def CHOOSE(ctx: Context, args: list) -> Value:
    """CHOOSE(index, value1, ...)."""
    n = to_number(scalar(ctx, args[0](ctx)))
    if type(n) is ExcelError:
        return n
    i = int(n)
    if i < 1 or i >= len(args):
        return E.VALUE
    return args[i](ctx)


# ---- dates -----------------------------------------------------------------------------------------


@register("TODAY", 0, 0)
def TODAY(ctx: Context) -> Value:
    """TODAY(): the world's simulated date."""
    return float(ctx.today())


@register("DATE", 3, 3)
@_guard
def DATE(ctx: Context, y: Any, m: Any, d: Any) -> Value:
    """DATE(year, month, day), with month and day overflow."""
    serial = make_serial(int(_num(ctx, y)), int(_num(ctx, m)), int(_num(ctx, d)))
    return E.NUM if serial is None else float(serial)


def _serial(ctx: Context, v: Any) -> float:
    n = _num(ctx, v)
    if n < 0 or n > MAX_SERIAL:
        raise _Fail(E.NUM)
    return n


@register("YEAR", 1, 1)
@_guard
def YEAR(ctx: Context, v: Any) -> Value:
    """YEAR(date)."""
    return float(serial_to_ymd(_serial(ctx, v))[0])


@register("MONTH", 1, 1)
@_guard
def MONTH(ctx: Context, v: Any) -> Value:
    """MONTH(date)."""
    return float(serial_to_ymd(_serial(ctx, v))[1])


@register("DAY", 1, 1)
@_guard
def DAY(ctx: Context, v: Any) -> Value:
    """DAY(date)."""
    return float(serial_to_ymd(_serial(ctx, v))[2])


def _add_months(serial: float, months: int, end_of_month: bool) -> Value:
    d = serial_to_date(serial)
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    if end_of_month:
        out = make_serial(y, m + 1, 1)
        return E.NUM if out is None else float(out - 1)
    import calendar
    if y < 1900 or y > 9999:
        return E.NUM
    day = min(d.day, calendar.monthrange(y, m)[1])
    return float(make_serial(y, m, day) or 0)


@register("EOMONTH", 2, 2)
@_guard
def EOMONTH(ctx: Context, start: Any, months: Any) -> Value:
    """EOMONTH(start_date, months): the last day of the month, months away."""
    return _add_months(_serial(ctx, start), int(_num(ctx, months)), True)


@register("EDATE", 2, 2)
@_guard
def EDATE(ctx: Context, start: Any, months: Any) -> Value:
    """EDATE(start_date, months): the same day, months away (clamped to the month's end)."""
    return _add_months(_serial(ctx, start), int(_num(ctx, months)), False)


@register("WEEKDAY", 1, 2)
@_guard
def WEEKDAY(ctx: Context, v: Any, kind: Any = MISSING) -> Value:
    """WEEKDAY(date, [type=1]): 1 = Sunday for type 1, 1 = Monday for type 2."""
    wd = serial_to_date(_serial(ctx, v)).weekday()  # Monday = 0
    t = 1 if kind is MISSING else int(_num(ctx, kind))
    if t == 1:
        return float((wd + 1) % 7 + 1)
    if t == 2:
        return float(wd + 1)
    if t == 3:
        return float(wd)
    return E.NUM


# ---- text ------------------------------------------------------------------------------------------


@register("TEXT", 2, 2)
@_guard
def TEXT(ctx: Context, v: Any, fmt: Any) -> Value:
    """TEXT(value, format_text)."""
    value = scalar(ctx, v)
    if type(value) is ExcelError:
        return value
    f = _text(ctx, fmt)
    if isinstance(value, str):
        n = to_number(value)
        if type(n) is ExcelError:
            return format_value(value, f) if "@" in f else value
        value = n
    if value is None:
        value = 0.0
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return format_value(float(value), f)


@register("CONCATENATE", 1, None)
@_guard
def CONCATENATE(ctx: Context, *args: Any) -> Value:
    """CONCATENATE(text1, ...)."""
    return "".join(_text(ctx, a) for a in args)


def _flat_texts(ctx: Context, args: tuple, skip_empty: bool) -> list[str]:
    out = []
    for a in args:
        values = a.flat() if isinstance(a, Grid) else [None if a is MISSING else a]
        for v in values:
            if type(v) is ExcelError:
                raise _Fail(v)
            t = to_text(v)
            if skip_empty and t == "":
                continue
            out.append(t)  # type: ignore[arg-type]
    return out


@register("CONCAT", 1, None)
@_guard
def CONCAT(ctx: Context, *args: Any) -> Value:
    """CONCAT(text1, ...): ranges are joined cell by cell."""
    return "".join(_flat_texts(ctx, args, False))


@register("TEXTJOIN", 3, None)
@_guard
def TEXTJOIN(ctx: Context, delim: Any, ignore_empty: Any, *args: Any) -> Value:
    """TEXTJOIN(delimiter, ignore_empty, text1, ...)."""
    d = _text(ctx, delim)
    return d.join(_flat_texts(ctx, args, _bool(ctx, ignore_empty)))


@register("LEFT", 1, 2)
@_guard
def LEFT(ctx: Context, s: Any, n: Any = MISSING) -> Value:
    """LEFT(text, [count=1])."""
    k = 1 if n is MISSING else int(_num(ctx, n))
    if k < 0:
        return E.VALUE
    return _text(ctx, s)[:k]


@register("RIGHT", 1, 2)
@_guard
def RIGHT(ctx: Context, s: Any, n: Any = MISSING) -> Value:
    """RIGHT(text, [count=1])."""
    k = 1 if n is MISSING else int(_num(ctx, n))
    if k < 0:
        return E.VALUE
    t = _text(ctx, s)
    return t[len(t) - k:] if k else ""


@register("MID", 3, 3)
@_guard
def MID(ctx: Context, s: Any, start: Any, n: Any) -> Value:
    """MID(text, start, count)."""
    a, k = int(_num(ctx, start)), int(_num(ctx, n))
    if a < 1 or k < 0:
        return E.VALUE
    return _text(ctx, s)[a - 1:a - 1 + k]


@register("LEN", 1, 1)
@_guard
def LEN(ctx: Context, s: Any) -> Value:
    """LEN(text)."""
    return float(len(_text(ctx, s)))


@register("TRIM", 1, 1)
@_guard
def TRIM(ctx: Context, s: Any) -> Value:
    """TRIM(text): no leading/trailing spaces, single spaces inside."""
    return " ".join(p for p in _text(ctx, s).split(" ") if p)


@register("UPPER", 1, 1)
@_guard
def UPPER(ctx: Context, s: Any) -> Value:
    """UPPER(text)."""
    return _text(ctx, s).upper()


@register("LOWER", 1, 1)
@_guard
def LOWER(ctx: Context, s: Any) -> Value:
    """LOWER(text)."""
    return _text(ctx, s).lower()


@register("PROPER", 1, 1)
@_guard
def PROPER(ctx: Context, s: Any) -> Value:
    """PROPER(text): capitalise each word."""
    import re
    return re.sub(r"[A-Za-z]+", lambda m: m.group().capitalize(), _text(ctx, s))


@register("SUBSTITUTE", 3, 4)
@_guard
def SUBSTITUTE(ctx: Context, s: Any, old: Any, new: Any, instance: Any = MISSING) -> Value:
    """SUBSTITUTE(text, old, new, [instance])."""
    t, o, n = _text(ctx, s), _text(ctx, old), _text(ctx, new)
    if o == "":
        return t
    if instance is MISSING:
        return t.replace(o, n)
    k = int(_num(ctx, instance))
    if k < 1:
        return E.VALUE
    pos = -1
    for _ in range(k):
        pos = t.find(o, pos + 1)
        if pos < 0:
            return t
    return t[:pos] + n + t[pos + len(o):]


@register("FIND", 2, 3)
@_guard
def FIND(ctx: Context, needle: Any, hay: Any, start: Any = MISSING) -> Value:
    """FIND(find_text, within_text, [start=1]): case-sensitive."""
    a = 1 if start is MISSING else int(_num(ctx, start))
    t = _text(ctx, hay)
    if a < 1 or a > len(t) + 1:
        return E.VALUE
    i = t.find(_text(ctx, needle), a - 1)
    return E.VALUE.with_message("FIND did not find the text.") if i < 0 else float(i + 1)


@register("SEARCH", 2, 3)
@_guard
def SEARCH(ctx: Context, needle: Any, hay: Any, start: Any = MISSING) -> Value:
    """SEARCH(find_text, within_text, [start=1]): case-insensitive, wildcards allowed."""
    a = 1 if start is MISSING else int(_num(ctx, start))
    t = _text(ctx, hay)
    if a < 1 or a > len(t) + 1:
        return E.VALUE
    rx = wildcard_regex(_text(ctx, needle))
    m = rx.pattern
    import re
    found = re.compile(m.replace(".*", ".*?"), re.IGNORECASE | re.DOTALL).search(t, a - 1)
    return E.VALUE.with_message("SEARCH did not find the text.") if not found else float(found.start() + 1)


@register("VALUE", 1, 1)
@_guard
def VALUE(ctx: Context, s: Any) -> Value:
    """VALUE(text): a number from text such as "$1,000", "10%" or a date."""
    v = scalar(ctx, s)
    if type(v) is ExcelError:
        return v
    if is_number(v):
        return float(v)
    if isinstance(v, bool):
        return E.VALUE
    n = to_number(_text(ctx, v) if v is not None else "")
    if v is None:
        return 0.0
    return n


@register("EXACT", 2, 2)
@_guard
def EXACT(ctx: Context, a: Any, b: Any) -> Value:
    """EXACT(text1, text2): case-sensitive equality."""
    return _text(ctx, a) == _text(ctx, b)


@register("REPT", 2, 2)
@_guard
def REPT(ctx: Context, s: Any, n: Any) -> Value:
    """REPT(text, times)."""
    k = int(_num(ctx, n))
    return E.VALUE if k < 0 else _text(ctx, s) * k

