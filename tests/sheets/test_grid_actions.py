"""The grid's actions over HTTP (what the page's script sends), undo/redo, and bad input."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
import requests


class Grid:
    """Drives one sheet's edit endpoint and reads cells back through the Sheets API."""

    def __init__(self, base: str, spreadsheet: str, sheet_id: int, title: str) -> None:
        self.base, self.spreadsheet, self.sheet_id, self.title = base, spreadsheet, sheet_id, title

    def act(self, expect: int = 200, **body) -> dict:
        r = requests.post(f"{self.base}/d/{self.spreadsheet}/s/{self.sheet_id}/edit", json=body)
        assert r.status_code == expect, r.text
        return r.json()

    def values(self, a1: str, render: str = "UNFORMATTED_VALUE") -> list:
        q = "'" + self.title.replace("'", "''") + "'!" + a1
        r = requests.get(f"{self.base}/v4/spreadsheets/{self.spreadsheet}/values/{q}",
                         params={"valueRenderOption": render})
        assert r.status_code == 200, r.text
        return r.json().get("values", [])


@pytest.fixture
def grid(sheets_url) -> Grid:
    r = requests.post(f"{sheets_url}/v4/spreadsheets", json={"properties": {"title": "Scratch"}})
    sid = r.json()["spreadsheetId"]
    return Grid(sheets_url, sid, 0, "Sheet1")


def test_edit_returns_the_cell_and_its_dependants(grid, world) -> None:
    grid.act(action="paste_text", cell="A1", text="10\t=A1*2\n20\t=A2*2\n=SUM(A1:A2)\t=SUM(B1:B2)\n")
    out = grid.act(action="set", cell="A1", input="15")
    shown = {c["a1"]: c["display"] for c in out["cells"]}
    assert shown == {"A1": "15", "B1": "30", "A3": "35", "B3": "70"}
    last = world.changes(app="sheets")[-1]
    assert last["op"] == "sheets.cell.set" and last["args"]["range"] == "A1:A1"
    changed = {tuple(ch["after"].get(k) for k in ("num",)) for ch in last["changes"] if ch["kind"] == "update"}
    assert (70.0,) in changed  # dependants' new values are in the same change-log entry


def test_undo_and_redo_cover_edits_formats_and_row_inserts(grid) -> None:
    grid.act(action="paste_text", cell="A1", text="1\n2\n=SUM(A1:A2)")
    grid.act(action="set", cell="A1", input="5")
    grid.act(action="format", range="A1:A3", bold=True, number_format="$#,##0.00")
    grid.act(action="insert_rows", at=2, count=1)
    assert grid.values("A1:A4", "FORMULA") == [[5], [], [2], ["=SUM(A1:A3)"]]
    grid.act(action="undo")
    assert grid.values("A1:A3", "FORMULA") == [[5], [2], ["=SUM(A1:A2)"]]
    assert grid.values("A3", "FORMATTED_VALUE") == [["$7.00"]]
    grid.act(action="undo")  # the format
    assert grid.values("A3", "FORMATTED_VALUE") == [["7"]]
    grid.act(action="undo")  # the edit
    assert grid.values("A1:A3") == [[1], [2], [3]]
    grid.act(action="redo")
    grid.act(action="redo")
    assert grid.values("A3", "FORMATTED_VALUE") == [["$7.00"]]
    grid.act(action="set", cell="C1", input="x")  # a new change ends the redo history
    assert grid.act(expect=409, action="redo")["error"] == "There is nothing to redo."


def test_adding_a_tab_keeps_the_undo_history(grid, sheets_url) -> None:
    grid.act(action="set", cell="A1", input="1")
    grid.act(action="set", cell="A1", input="2")
    r = requests.post(f"{sheets_url}/d/{grid.spreadsheet}/sheets", data={"title": "Notes"})
    assert r.status_code == 200
    grid.act(action="undo")
    assert grid.values("A1") == [[1]]
    grid.act(action="redo")
    assert grid.values("A1") == [[2]]


def test_fill_down_and_paste_shift_relative_references(grid) -> None:
    grid.act(action="paste_text", cell="A1", text="1\t10\n2\t20\n3\t30")
    grid.act(action="set", cell="C1", input="=A1*B1+$A$1")
    grid.act(action="fill_down", range="C1:C3")
    assert grid.values("C1:C3", "FORMULA") == [["=A1*B1+$A$1"], ["=A2*B2+$A$1"], ["=A3*B3+$A$1"]]
    assert grid.values("C1:C3") == [[11], [41], [91]]
    grid.act(action="paste_cells", source_sheet=0, source="C2", cell="E5")
    assert grid.values("E5", "FORMULA") == [["=C5*D5+$A$1"]]


def test_text_pasted_from_another_app_is_split_on_tabs_and_newlines(grid) -> None:
    grid.act(action="paste_text", cell="B2", text="Vendor\tAmount\r\nAcme\t$1,200.00\r\nGlobex\t15%\r\n")
    assert grid.values("B2:C4") == [["Vendor", "Amount"], ["Acme", 1200], ["Globex", 0.15]]
    assert grid.values("C3:C4", "FORMATTED_VALUE") == [["$1,200.00"], ["15%"]]


def test_sort_filter_freeze_and_width(grid, sheets_url) -> None:
    grid.act(action="paste_text", cell="A1", text="Name\tScore\nCy\t3\nAl\t10\nBo\t7\n\t\nDi\t")
    grid.act(action="set", cell="D1", input="=INDEX(A2:A6,MATCH(MAX(B2:B6),B2:B6,0))")
    grid.act(action="sort", range="A2:B6", column=2, ascending=False)
    assert grid.values("A2:B6") == [["Al", 10], ["Bo", 7], ["Cy", 3], [], ["Di"]]  # blanks last, stable
    assert grid.values("D1") == [["Al"]]
    grid.act(action="filter", range="A1:B6", column=2, criterion=">5")
    page = requests.get(f"{sheets_url}/d/{grid.spreadsheet}/s/0").text
    assert 'data-r="4" hidden' in page and 'aria-rowindex="3" data-r="2">' in page and "rows hidden" in page
    grid.act(action="filter", clear=True)
    grid.act(action="freeze", rows=1)
    grid.act(action="width", column=1, width=180)
    page = requests.get(f"{sheets_url}/d/{grid.spreadsheet}/s/0").text
    assert 'class="frozen-row"' in page and "width:180px" in page and " hidden" not in page


def test_deleting_rows_turns_references_into_ref_errors(grid) -> None:
    grid.act(action="paste_text", cell="A1", text="1\n2\n3\n=A2*10\n=SUM(A1:A3)")
    grid.act(action="delete_rows", at=2, count=1)
    assert grid.values("A3:A4", "FORMULA") == [["=#REF!*10"], ["=SUM(A1:A2)"]]
    assert grid.values("A3:A4", "FORMATTED_VALUE") == [["#REF!"], ["4"]]


@pytest.mark.parametrize("formula,shown", [
    ("=SUM(A1:A3", "#ERROR!"), ("=1+*2", "#ERROR!"), ("=FOO(1)", "#NAME?"), ('="open', "#ERROR!"),
    ("=A1:", "#ERROR!"), ("=ZZZZ1", "#NAME?"), ("=" + "(" * 300 + "1" + ")" * 300, "1"),
])
def test_malformed_formulas_show_an_error_and_a_message(grid, formula: str, shown: str) -> None:
    out = grid.act(action="set", cell="A1", input=formula)
    cell = out["cells"][0]
    assert cell["display"] == shown and cell["input"] == formula
    if shown.startswith("#"):
        assert cell["note"]


def test_circular_references_are_reported_and_can_be_fixed(grid) -> None:
    grid.act(action="set", cell="A1", input="=B1+1")
    out = grid.act(action="set", cell="B1", input="=A1")
    notes = {c["a1"]: c["note"] for c in out["cells"]}
    assert "Circular" in notes["A1"] and "Circular" in notes["B1"]
    out = grid.act(action="set", cell="B1", input="4")
    assert {c["a1"]: c["display"] for c in out["cells"]} == {"A1": "5", "B1": "4"}


def test_bad_actions_are_clear_errors_not_500s(grid) -> None:
    assert "not a cell" in grid.act(expect=400, action="set", cell="Q", input="1")["error"]
    assert "Unknown action" in grid.act(expect=400, action="explode")["error"]
    assert grid.act(expect=400, action="format", range="A1", fill="red")["error"].startswith("'red'")
    assert grid.act(expect=400, action="insert_rows", at="x")["error"]
    assert "delete all" in grid.act(expect=400, action="delete_rows", at=1, count=1000)["error"]


def test_sheet_names_with_quotes_work_in_formulas_and_tabs(sheets_url, grid) -> None:
    r = requests.post(f"{sheets_url}/d/{grid.spreadsheet}/sheets", data={"title": "Bob's Q1"})
    assert r.status_code == 200 and "Bob&#39;s Q1" in r.text
    bobs = Grid(sheets_url, grid.spreadsheet, 1, "Bob's Q1")
    bobs.act(action="set", cell="A1", input="42")
    grid.act(action="set", cell="A1", input="='Bob''s Q1'!A1*2")
    assert grid.values("A1") == [[84]]
    r = requests.post(f"{sheets_url}/d/{grid.spreadsheet}/s/1/tab", data={"action": "rename", "title": "O'Hara"})
    assert r.status_code == 200
    assert grid.values("A1", "FORMULA") == [["='O''Hara'!A1*2"]]
    r = requests.post(f"{sheets_url}/d/{grid.spreadsheet}/s/1/tab", data={"action": "rename", "title": "'quoted'"})
    assert r.status_code == 400 and "apostrophe" in r.text


def test_corrupt_xlsx_and_oversized_csv_are_refused_and_nothing_is_written(sheets_url, world) -> None:
    before = requests.get(f"{sheets_url}/").text.count('data-testid="workbook-')
    n_changes = len(world.changes(app="sheets"))
    bad = io.BytesIO(b"PK\x03\x04 this is not really a zip archive")
    r = requests.post(f"{sheets_url}/import", files={"file": ("invoice.xlsx", bad)})
    assert r.status_code == 400 and "not a valid XLSX" in r.text
    big = "id,amount,memo\n" + "".join(f"{i},{i * 1.25},row {i}\n" for i in range(50_000))
    r = requests.post(f"{sheets_url}/import", files={"file": ("export.csv", big.encode())})
    assert r.status_code == 400 and "150,003 cells" in r.text and "at most 50,000" in r.text
    r = requests.post(f"{sheets_url}/import", files={"file": ("notes.pdf", b"%PDF-1.4")})
    assert r.status_code == 400 and "not a CSV or XLSX" in r.text
    assert requests.get(f"{sheets_url}/").text.count('data-testid="workbook-') == before
    assert len(world.changes(app="sheets")) == n_changes


def test_bad_files_imported_into_a_workbook_leave_it_untouched(sheets_url, world) -> None:
    sheets_before = requests.get(f"{sheets_url}/v4/spreadsheets/ss1003").json()["sheets"]
    n_changes = len(world.changes(app="sheets"))
    truncated = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["a", 1])
    book.save(truncated)
    for name, data, message in (
            ("statement.xlsx", truncated.getvalue()[:-200], "not a valid XLSX"),
            ("ledger.csv", ("a,b\n" + "1,2\n" * 30_000).encode(), "at most 50,000"),
            ("empty.csv", b"", "is empty"),
            ("photo.png", b"\x89PNG\r\n", "not a CSV or XLSX")):
        r = requests.post(f"{sheets_url}/d/ss1003/import", data={"sheet_id": "0"}, files={"file": (name, data)})
        assert r.status_code == 400 and message in r.text, (name, r.status_code)
        assert 'role="alert"' in r.text and 'role="grid"' in r.text  # the error is shown on the sheet page
    assert requests.get(f"{sheets_url}/v4/spreadsheets/ss1003").json()["sheets"] == sheets_before
    assert len(world.changes(app="sheets")) == n_changes


def test_csv_and_xlsx_import_round_trip(sheets_url) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bills"
    ws.append(["Vendor", "Amount"])
    ws.append(["Acme", 120.5])
    ws.append(["Globex", 79.5])
    ws["B4"] = "=SUM(B2:B3)"
    ws["B2"].number_format = "$#,##0.00"
    ws["A1"].font = openpyxl.styles.Font(bold=True)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    r = requests.post(f"{sheets_url}/import", files={"file": ("bills.xlsx", buf.getvalue())})
    assert r.status_code == 200
    spreadsheet = r.url.split("/d/")[1].split("/")[0]
    got = requests.get(f"{sheets_url}/v4/spreadsheets/{spreadsheet}/values/Bills!A1:B4").json()["values"]
    assert got == [["Vendor", "Amount"], ["Acme", "$120.50"], ["Globex", "79.5"], ["", "200"]]
    meta = requests.get(f"{sheets_url}/v4/spreadsheets/{spreadsheet}").json()
    assert meta["sheets"][0]["properties"]["gridProperties"]["frozenRowCount"] == 1
    # and back out: CSV of formatted values, XLSX with formulas and cached values
    csv_text = requests.get(f"{sheets_url}/d/{spreadsheet}/s/0/export.csv").text
    assert csv_text.splitlines() == ["Vendor,Amount", "Acme,$120.50", "Globex,79.5", ",200"]
    data = requests.get(f"{sheets_url}/d/{spreadsheet}/export.xlsx").content
    back = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Bills"]
    assert back["B4"].value == 200 and back["B2"].number_format == "$#,##0.00" and back["A1"].font.b


def test_seeded_workbooks_export_values_pandas_can_read(sheets_url) -> None:
    import pandas as pd
    data = requests.get(f"{sheets_url}/d/ss1002/export.xlsx").content
    variance = pd.read_excel(io.BytesIO(data), sheet_name="Variance")
    total = variance[variance["Account"] == "Total"].iloc[0]
    assert total["Budget"] > 0 and round(total["Variance"], 2) == round(total["Actual"] - total["Budget"], 2)


def test_today_comes_from_the_world_clock(sheets_url) -> None:
    r = requests.get(f"{sheets_url}/v4/spreadsheets/ss1003/values/Reconciliation!B7")
    assert r.json()["values"] == [["2026-03-31"]]


def test_openapi_document_lists_the_implemented_methods(sheets_url) -> None:
    doc = requests.get(f"{sheets_url}/v4/openapi.json").json()
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert {"spreadsheets.create", "spreadsheets.get", "spreadsheets.batchUpdate", "spreadsheets.values.get",
            "spreadsheets.values.update", "spreadsheets.values.append", "spreadsheets.values.clear",
            "spreadsheets.values.batchGet", "spreadsheets.values.batchUpdate"} <= ops
    assert json.dumps(doc)
