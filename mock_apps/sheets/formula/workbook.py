"""The calculation engine: cells of a workbook, the dependency graph, dependants-only recalculation."""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterable

from . import errors as E
from .errors import ExcelError
from .evaluator import Formula, compile_formula
from .values import Value, input_to_value

CellKey = tuple[Any, int, int]  # (sheet key, row, column), 1-based
_WIDE = 64  # ranges wider than this many columns are indexed once, not per column
_INF = 1 << 30


class _Sheet:
    __slots__ = ("key", "name", "values", "max_row", "max_col")

    def __init__(self, key: Any, name: str) -> None:
        self.key = key
        self.name = name
        self.values: dict[tuple[int, int], Value] = {}
        self.max_row = 0
        self.max_col = 0


class Engine:
    """A workbook's computed state; also the Context formulas evaluate in."""

    def __init__(self, today: Callable[[], int]) -> None:
        self._today = today
        self.sheets: dict[Any, _Sheet] = {}
        self._names: dict[str, Any] = {}
        self.inputs: dict[CellKey, str] = {}
        self.formulas: dict[CellKey, Formula] = {}
        self._precedents: dict[CellKey, list[tuple[Any, int, int, int, int]]] = {}
        self._single: dict[CellKey, set[CellKey]] = {}
        self._by_col: dict[tuple[Any, int], dict[CellKey, list[tuple[int, int]]]] = {}
        self._wide: dict[CellKey, list[tuple[Any, int, int, int, int]]] = {}
        self.volatile: set[CellKey] = set()
        # Context state: the cell being evaluated.
        self.sheet: Any = None
        self.row = 0
        self.col = 0

    # ---- Context protocol ------------------------------------------------------------------------

    def resolve_sheet(self, name: str | None) -> Any | None:
        """Key of a sheet by (case-insensitive) name."""
        if name is None:
            return self.sheet
        return self._names.get(name.lower())

    def cell(self, sheet: Any, row: int, col: int) -> Value:
        """The value of one cell."""
        return self.sheets[sheet].values.get((row, col))

    def block(self, sheet: Any, r1: int, c1: int, r2: int, c2: int) -> list[list[Value]]:
        """Values of a rectangle, row by row."""
        vals = self.sheets[sheet].values
        get = vals.get
        return [[get((r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    def extent(self, sheet: Any) -> tuple[int, int]:
        """(last used row, last used column) of a sheet."""
        s = self.sheets[sheet]
        return (s.max_row, s.max_col)

    def today(self) -> int:
        """Today's date serial from the world's clock."""
        return self._today()

    # ---- sheets ----------------------------------------------------------------------------------

    def add_sheet(self, key: Any, name: str) -> None:
        """Register a sheet."""
        self.sheets[key] = _Sheet(key, name)
        self._names[name.lower()] = key

    def sheet_named(self, name: str) -> Any | None:
        """Key of the sheet with this name."""
        return self._names.get(name.lower())

    # ---- loading and editing ---------------------------------------------------------------------

    def load(self, cells: Iterable[tuple[Any, int, int, str]], values: dict[CellKey, Value] | None = None) -> None:
        """Fill the engine from stored inputs; with stored values only volatile cells are recalculated."""
        for key_sheet, r, c, raw in cells:
            key = (key_sheet, r, c)
            self._store_input(key, raw)
        for key in self.formulas:
            self._index(key)
        if values is None:
            self._recalc(set(self.formulas), full=True)
        else:
            for key in self.formulas:
                if key in values:
                    self._put(key, values[key])
            self._recalc(set(self.volatile))

    def set_inputs(self, updates: Iterable[tuple[CellKey, str | None]]) -> dict[CellKey, Value]:
        """Change cell inputs (None or "" clears) and recalculate what depends on them; returns changed values."""
        seeds: set[CellKey] = set()
        changed: dict[CellKey, Value] = {}
        for key, raw in updates:
            before = self.value(key)
            self._unindex(key)
            self._store_input(key, raw or "")
            if key in self.formulas:
                self._index(key)
            seeds.add(key)
            after = self.value(key)
            if not same_value(before, after):
                changed[key] = after
        changed.update(self._recalc(seeds | self.volatile))
        return changed

    def _store_input(self, key: CellKey, raw: str) -> None:
        sheet = self.sheets[key[0]]
        self.formulas.pop(key, None)
        self.volatile.discard(key)
        if not raw:
            self.inputs.pop(key, None)
            sheet.values.pop((key[1], key[2]), None)
            return
        self.inputs[key] = raw
        if key[1] > sheet.max_row:
            sheet.max_row = key[1]
        if key[2] > sheet.max_col:
            sheet.max_col = key[2]
        if raw.startswith("=") and len(raw) > 1:
            f = compile_formula(raw)
            self.formulas[key] = f
            if f.volatile:
                self.volatile.add(key)
        else:
            value, _fmt = input_to_value(raw)
            self._put(key, value)

    def _put(self, key: CellKey, value: Value) -> None:
        vals = self.sheets[key[0]].values
        if value is None:
            vals.pop((key[1], key[2]), None)
        else:
            vals[(key[1], key[2])] = value

    def value(self, key: CellKey) -> Value:
        """A cell's current value."""
        return self.sheets[key[0]].values.get((key[1], key[2]))

    # ---- dependency graph ------------------------------------------------------------------------

    def _index(self, key: CellKey) -> None:
        f = self.formulas[key]
        resolved = []
        for ref in f.refs:
            sid = key[0] if ref.sheet is None else self._names.get(ref.sheet.lower())
            if sid is None:
                continue
            r1 = ref.r1 or 1
            c1 = ref.c1 or 1
            r2 = ref.r2 if ref.r2 is not None else _INF
            c2 = ref.c2 if ref.c2 is not None else _INF
            resolved.append((sid, r1, c1, r2, c2))
            if r1 == r2 and c1 == c2:
                self._single.setdefault((sid, r1, c1), set()).add(key)
            elif c2 - c1 < _WIDE:
                for c in range(c1, c2 + 1):
                    self._by_col.setdefault((sid, c), {}).setdefault(key, []).append((r1, r2))
            else:
                self._wide.setdefault(key, []).append((sid, r1, c1, r2, c2))
        self._precedents[key] = resolved

    def _unindex(self, key: CellKey) -> None:
        for sid, r1, c1, r2, c2 in self._precedents.pop(key, ()):
            if r1 == r2 and c1 == c2:
                deps = self._single.get((sid, r1, c1))
                if deps:
                    deps.discard(key)
            elif c2 - c1 < _WIDE:
                for c in range(c1, c2 + 1):
                    bucket = self._by_col.get((sid, c))
                    if bucket:
                        bucket.pop(key, None)
        self._wide.pop(key, None)

    def dependents(self, key: CellKey) -> set[CellKey]:
        """Formula cells that read this cell directly."""
        sid, r, c = key
        out = set(self._single.get(key, ()))
        bucket = self._by_col.get((sid, c))
        if bucket:
            for dep, spans in bucket.items():
                for r1, r2 in spans:
                    if r1 <= r <= r2:
                        out.add(dep)
                        break
        for dep, ranges in self._wide.items():
            for s, r1, c1, r2, c2 in ranges:
                if s == sid and r1 <= r <= r2 and c1 <= c <= c2:
                    out.add(dep)
                    break
        return out

    # ---- recalculation ---------------------------------------------------------------------------

    def _recalc(self, seeds: set[CellKey], full: bool = False) -> dict[CellKey, Value]:
        """Recalculate formula seeds and everything downstream, in dependency order; cycles get #REF!."""
        succ: dict[CellKey, set[CellKey]] = {}
        affected: set[CellKey] = set()
        queue = deque(seeds)
        visited: set[CellKey] = set()
        while queue:
            k = queue.popleft()
            if k in visited:
                continue
            visited.add(k)
            if k in self.formulas:
                affected.add(k)
            deps = self.dependents(k)
            succ[k] = deps
            for d in deps:
                if d not in visited:
                    queue.append(d)
        indeg = dict.fromkeys(affected, 0)
        for k in affected:
            for d in succ.get(k, ()):
                if d in indeg:
                    indeg[d] += 1
        ready = deque(k for k, n in indeg.items() if n == 0)
        changed: dict[CellKey, Value] = {}
        done = 0
        while True:
            while ready:
                k = ready.popleft()
                done += 1
                self._evaluate(k, changed)
                for d in succ.get(k, ()):
                    if d in indeg:
                        indeg[d] -= 1
                        if indeg[d] == 0:
                            ready.append(d)
            if done >= len(affected):
                break
            # Whatever is left waits on a cycle: mark the cells on cycles, then release what follows them.
            left = {k for k, n in indeg.items() if n > 0}
            cyclic = _cyclic_nodes(left, succ)
            for k in cyclic:
                done += 1
                indeg[k] = -1
                before = self.value(k)
                self._put(k, E.CIRCULAR)
                if not same_value(before, E.CIRCULAR):
                    changed[k] = E.CIRCULAR
            for k in cyclic:
                for d in succ.get(k, ()):
                    if d in indeg and indeg[d] > 0:
                        indeg[d] -= 1
                        if indeg[d] == 0:
                            ready.append(d)
            if not ready:
                break
        return changed

    def _evaluate(self, key: CellKey, changed: dict[CellKey, Value]) -> None:
        f = self.formulas[key]
        self.sheet, self.row, self.col = key
        value = f.evaluate(self)
        before = self.sheets[key[0]].values.get((key[1], key[2]))
        if not same_value(before, value):
            self._put(key, value)
            changed[key] = value


def same_value(a: Value, b: Value) -> bool:
    """Equality that tells 1 from TRUE and compares errors by code."""
    return type(a) is type(b) and a == b


def _cyclic_nodes(nodes: set[CellKey], succ: dict[CellKey, set[CellKey]]) -> set[CellKey]:
    """Nodes on a cycle (strongly connected components of size > 1, or self-loops); iterative Tarjan."""
    index: dict[CellKey, int] = {}
    low: dict[CellKey, int] = {}
    on_stack: set[CellKey] = set()
    stack: list[CellKey] = []
    out: set[CellKey] = set()
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter([d for d in succ.get(root, ()) if d in nodes]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter([d for d in succ.get(w, ()) if d in nodes])))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in succ.get(v, ()):
                    out.update(comp)
    return out


__all__ = ["Engine", "CellKey", "same_value", "ExcelError"]
