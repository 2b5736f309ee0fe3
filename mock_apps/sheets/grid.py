"""Server-side rendering of a sheet as an accessible DOM grid (`<table role="grid">`, no canvas)."""

from __future__ import annotations

import json
from html import escape as _esc  # stdlib's str-to-str escape: the grid escapes thousands of strings
from typing import Any

from markupsafe import Markup, escape

from mock_apps.sheets.display import effective_format, formatted
from mock_apps.sheets.formula import index_to_col
from mock_apps.sheets.models import Sheet

ROW_HEIGHT = 24
DEFAULT_WIDTH = 100
HEADER_WIDTH = 46


def cell_payload(cell, a1: str) -> dict:
    """What the page's script needs to update one cell in place."""
    if cell is None:
        return {"a1": a1, "display": "", "input": "", "bold": False, "fill": None, "kind": "empty", "format": None,
                "note": None}
    return {"a1": a1, "display": formatted(cell), "input": cell.input, "bold": bool(cell.bold), "fill": cell.fill,
            "kind": cell.kind, "format": effective_format(cell), "note": cell.note}


def _td(cell, r: int, c: int, a1: str, frozen: bool) -> str:
    if cell is None:
        return (f'<td role="gridcell" id="c-{a1}" aria-label="{a1}" data-r="{r}" data-c="{c}"'
                f'{" class=frozen" if frozen else ""}></td>')
    kind = cell.kind
    cls = "cell n" if kind == "number" else "cell b" if kind == "bool" else "cell err" if kind == "error" else "cell"
    title = f' title="{_esc(cell.note or cell.text or "")}"' if kind == "error" else ""
    if cell.bold:
        cls += " bold"
    if frozen:
        cls += " frozen"
    fill = cell.fill
    style = f' style="background:{_esc(fill)}"' if fill else ""
    raw = cell.input
    data_input = f' data-input="{_esc(raw)}"' if raw else ""
    return (f'<td role="gridcell" id="c-{a1}" aria-label="{a1}" data-r="{r}" data-c="{c}" class="{cls}"'
            f'{style}{title}{data_input}>{_esc(formatted(cell))}</td>')


def render(sheet: Sheet, cells: dict[tuple[int, int], Any], rows: int, cols: int, hidden: set[int]) -> Markup:
    """The grid's HTML: column headers, row headers and every cell up to rows x cols."""
    widths = {int(k): int(v) for k, v in json.loads(sheet.col_widths or "{}").items()}
    frozen = sheet.frozen_rows
    letters = [index_to_col(c) for c in range(1, cols + 1)]
    total = HEADER_WIDTH + sum(widths.get(c, DEFAULT_WIDTH) for c in range(1, cols + 1))
    out = [f'<table role="grid" id="grid" class="grid" aria-label="{escape(sheet.title)}" style="width:{total}px" '
           f'aria-rowcount="{rows + 1}" aria-colcount="{cols + 1}" data-rows="{rows}" data-cols="{cols}" '
           f'data-frozen="{frozen}">']
    out.append("<colgroup><col style=\"width:%dpx\">" % HEADER_WIDTH)
    out.extend(f'<col style="width:{widths.get(c, DEFAULT_WIDTH)}px">' for c in range(1, cols + 1))
    out.append("</colgroup><thead><tr role=\"row\"><th class=\"corner\" aria-label=\"Select all\"></th>")
    out.extend(f'<th role="columnheader" scope="col" data-c="{c}" id="h-{letters[c - 1]}">{letters[c - 1]}'
               f'<span class="col-resize" data-c="{c}" aria-hidden="true" title="Drag to resize"></span></th>'
               for c in range(1, cols + 1))
    out.append("</tr></thead><tbody>")
    get = cells.get
    for r in range(1, rows + 1):
        is_frozen = r <= frozen
        attrs = f' data-r="{r}"'
        if r in hidden:
            attrs += " hidden"
        if is_frozen:
            attrs += f' class="frozen-row" style="--frozen-top:{ROW_HEIGHT * r}px"'  # sticky cells read it
        row = [f'<tr role="row" aria-rowindex="{r + 1}"{attrs}><th role="rowheader" scope="row" data-r="{r}">{r}</th>']
        for c in range(1, cols + 1):
            row.append(_td(get((r, c)), r, c, f"{letters[c - 1]}{r}", is_frozen))
        row.append("</tr>")
        out.append("".join(row))
    out.append("</tbody></table>")
    return Markup("".join(out))
