"""The grid's UI in a real browser: tabs, selection, keyboard, clipboard, rows and columns, undo/redo,
formats, widths, freeze, filter and sort, each checked on the page and in the stored workbook."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import requests

pytestmark = pytest.mark.slow


class Sheet:
    """One workbook open in the browser, with the API to seed and read it."""

    def __init__(self, page, sheets_url: str, world, titles: list[str]) -> None:
        self.page, self.base, self.world = page, sheets_url, world
        r = requests.post(f"{sheets_url}/v4/spreadsheets", json={
            "properties": {"title": "UI check"}, "sheets": [{"properties": {"title": t}} for t in titles]})
        r.raise_for_status()
        self.id = r.json()["spreadsheetId"]

    def put(self, a1: str, rows: list[list]) -> None:
        r = requests.put(f"{self.base}/v4/spreadsheets/{self.id}/values/{a1}",
                         params={"valueInputOption": "USER_ENTERED"}, json={"values": rows})
        r.raise_for_status()

    def get(self, a1: str, render: str = "UNFORMATTED_VALUE") -> list:
        r = requests.get(f"{self.base}/v4/spreadsheets/{self.id}/values/{a1}", params={"valueRenderOption": render})
        r.raise_for_status()
        return r.json().get("values", [])

    def open(self, sheet_id: int = 0) -> None:
        self.page.goto(f"{self.world.url('sheets')}/d/{self.id}/s/{sheet_id}")
        self.page.wait_for_selector("#sheet-page[data-ready='1']")

    def cell(self, a1: str):
        return self.page.get_by_role("gridcell", name=a1, exact=True)

    def text(self, a1: str) -> str:
        return self.cell(a1).inner_text()

    @contextmanager
    def saved(self):
        """Wait for the edit the block starts to be saved and painted in place (no page load)."""
        before = int(self.page.locator("#sheet-page").get_attribute("data-saved") or 0)
        yield
        self.page.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {before}")

    @contextmanager
    def reloaded(self):
        """Wait for the page the block's structural action reloads."""
        with self.page.expect_navigation():
            yield
        self.page.wait_for_selector("#sheet-page[data-ready='1']")

    def select(self, first: str, last: str | None = None) -> None:
        self.cell(first).click()
        if last:
            self.cell(last).click(modifiers=["Shift"])

    def tabs(self) -> list[str]:
        return self.page.get_by_role("tablist").get_by_role("tab").all_inner_texts()

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)


@pytest.fixture
def sheet(world_page, sheets_url, world) -> Sheet:
    return Sheet(world_page, sheets_url, world, ["Data", "Summary"])


def test_tabs_are_added_renamed_reordered_and_deleted(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["21"]])
    sheet.put("Summary!A1", [["=Data!A1*2"]])
    sheet.open(1)
    assert sheet.text("A1") == "42"
    page = sheet.page
    with sheet.reloaded():
        sheet.button("Add sheet").click()
    assert sheet.tabs() == ["Data", "Summary", "Sheet3"]
    page.get_by_text("Sheet options").click()
    page.get_by_label("Rename sheet").fill("Bob's notes")
    with sheet.reloaded():
        sheet.button("Rename").click()
    page.get_by_text("Sheet options").click()
    with sheet.reloaded():
        sheet.button("Move left").click()
    assert sheet.tabs() == ["Data", "Bob's notes", "Summary"]
    assert page.get_by_role("tab", name="Bob's notes").get_attribute("aria-selected") == "true"
    # a bad name is refused in the page, nothing renamed
    page.get_by_text("Sheet options").click()
    page.get_by_label("Rename sheet").fill("Summary")
    sheet.button("Rename").click()
    assert "already exists" in page.get_by_role("alert").inner_text()
    assert sheet.tabs() == ["Data", "Bob's notes", "Summary"]

    # delete "Data" (after the confirmation): the formula that read it shows #REF!
    page.get_by_role("tab", name="Data").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    page.get_by_text("Sheet options").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with sheet.reloaded():
        sheet.button("Delete sheet").click()
    assert sheet.tabs() == ["Bob's notes", "Summary"]
    assert sheet.get("Summary!A1", "FORMATTED_VALUE") == [["#REF!"]]
    ops = [c["op"] for c in sheet.world.changes(app="sheets")]
    assert {"sheets.sheet.add", "sheets.sheet.update", "sheets.sheet.delete"} <= set(ops)


def test_selection_keyboard_editing_and_name_box(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["1", "2", "3"], ["4", "5", "6"], ["=SUM(A1:C2)"]])
    sheet.open()
    page = sheet.page
    name_box = page.get_by_label("Name box")
    bar = page.get_by_label("Formula bar")

    # drag selects a range, shift+arrow extends it
    box_a, box_b = sheet.cell("A1").bounding_box(), sheet.cell("B2").bounding_box()
    page.mouse.move(box_a["x"] + 5, box_a["y"] + 5)
    page.mouse.down()
    page.mouse.move(box_b["x"] + 5, box_b["y"] + 5, steps=4)
    page.mouse.up()
    assert name_box.input_value() == "A1:B2"
    page.keyboard.press("Shift+ArrowRight")
    assert name_box.input_value() == "A1:C2"
    assert page.locator("td.sel").count() == 6
    assert page.locator("td[aria-selected=true]").count() == 6  # what an accessibility tree reads

    # Tab moves right, Enter opens the editor, Enter saves and moves down; dependants update in place
    sheet.cell("A1").click()
    page.keyboard.press("Tab")
    assert name_box.input_value() == "B1"
    assert page.locator("td[aria-selected=true]").count() == 1 and sheet.cell("B1").get_attribute("aria-selected")
    with sheet.saved():
        page.keyboard.press("Enter")
        page.get_by_label("Edit B1").fill("20")
        page.keyboard.press("Enter")
    assert name_box.input_value() == "B2"
    assert sheet.text("A3") == "39"

    # typing replaces, Tab in the editor saves and moves right; F2 then Escape keeps the old content
    sheet.cell("C1").click()
    with sheet.saved():
        page.keyboard.type("=A1*100")
        page.keyboard.press("Tab")
    assert name_box.input_value() == "D1"
    assert sheet.text("C1") == "100"
    page.keyboard.press("ArrowLeft")
    assert bar.input_value() == "=A1*100"
    page.keyboard.press("F2")
    page.keyboard.type("0")
    page.keyboard.press("Escape")
    assert sheet.text("C1") == "100" and bar.input_value() == "=A1*100"

    # Delete clears the selection
    sheet.select("A2", "B2")
    with sheet.saved():
        page.keyboard.press("Delete")
    assert sheet.text("A2") == "" and sheet.text("A3") == "127"

    # the name box jumps to a cell, also one beyond the rendered grid
    name_box.fill("E7")
    name_box.press("Enter")
    assert "active" in sheet.cell("E7").get_attribute("class")
    name_box.fill("C250")
    with sheet.reloaded():
        name_box.press("Enter")
    assert page.get_by_label("Name box").input_value() == "C250"
    assert sheet.cell("C250").is_visible()
    assert sheet.get("Data!A1:C3") == [[1, 20, 100], ["", "", 6], [127]]


def test_copy_paste_inside_the_grid_and_from_another_app(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["1", "=A1*10"], ["2", "=A2*10"]])
    sheet.open()
    page = sheet.page
    bar = page.get_by_label("Formula bar")

    # a range copied inside the workbook pastes formulas with relative references moved
    sheet.select("B1", "B2")
    page.keyboard.press("Control+C")
    sheet.cell("D5").click()
    with sheet.saved():
        page.keyboard.press("Control+V")
    sheet.cell("D5").click()
    assert bar.input_value() == "=C5*10"
    assert sheet.get("Data!D5:D6", "FORMULA") == [["=C5*10"], ["=C6*10"]]

    # text copied in another application: split on tabs and newlines, each value typed as entered
    other = page.context.new_page()
    other.set_content("<textarea id=t rows=4>Vendor\tAmount\nAcme\t$1,200.00\nGlobex\t15%</textarea>")
    other.locator("#t").focus()
    other.keyboard.press("Control+A")
    other.keyboard.press("Control+C")
    other.close()
    page.bring_to_front()
    sheet.cell("A10").click()
    with sheet.saved():
        page.keyboard.press("Control+V")
    assert [sheet.text(a1) for a1 in ("A10", "B10", "A11", "B11", "B12")] == [
        "Vendor", "Amount", "Acme", "$1,200.00", "15%"]
    assert sheet.get("Data!B11:B12") == [[1200], [0.15]]


def test_rows_and_columns_inserted_deleted_and_undone(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["1", "x"], ["2", "y"], ["3", "z"], ["=SUM(A1:A3)"]])
    sheet.open()
    page = sheet.page

    sheet.cell("A2").click()
    with sheet.reloaded():
        sheet.button("Insert row above").click()
    assert [sheet.text(f"A{r}") for r in range(1, 6)] == ["1", "", "2", "3", "6"]
    assert sheet.get("Data!A5", "FORMULA") == [["=SUM(A1:A4)"]]
    with sheet.saved():  # typing into the new row feeds the total
        sheet.cell("A2").click()
        page.keyboard.type("10")
        page.keyboard.press("Enter")
    assert sheet.text("A5") == "16"

    with sheet.reloaded():
        page.keyboard.press("Control+Z")  # the typing
    assert sheet.text("A5") == "6"
    with sheet.reloaded():
        sheet.button("Undo").click()  # the inserted row
    assert [sheet.text(f"A{r}") for r in range(1, 5)] == ["1", "2", "3", "6"]
    with sheet.reloaded():
        page.keyboard.press("Control+Y")
    assert sheet.text("A5") == "6" and sheet.text("A2") == ""
    with sheet.reloaded():
        sheet.button("Redo").click()
    assert sheet.text("A5") == "16"
    assert page.get_by_role("button", name="Redo").is_disabled()

    # delete the two middle rows: the total shrinks with them
    sheet.select("A2", "A3")
    with sheet.reloaded():
        sheet.button("Delete rows").click()
    assert sheet.get("Data!A1:A3", "FORMULA") == [[1], [3], ["=SUM(A1:A2)"]]

    # a column inserted left of A moves everything right; deleting it moves it back
    sheet.cell("A1").click()
    with sheet.reloaded():
        sheet.button("Insert column left").click()
    assert sheet.get("Data!B3", "FORMULA") == [["=SUM(B1:B2)"]] and sheet.text("C1") == "x"
    sheet.cell("A1").click()
    with sheet.reloaded():
        sheet.button("Delete columns").click()
    assert sheet.get("Data!A1:B3", "FORMULA") == [[1, "x"], [3, "z"], ["=SUM(A1:A2)"]]
    ops = [c["op"] for c in sheet.world.changes(app="sheets")]
    assert {"sheets.rows.insert", "sheets.rows.delete", "sheets.columns.insert", "sheets.columns.delete",
            "sheets.undo", "sheets.redo"} <= set(ops)


def test_formats_width_freeze_filter_and_sort(sheet: Sheet) -> None:
    march_0 = 46081  # the date serial of 2026-02-28
    rows = [["Region", "Amount", "Due"]] + [[region, str(amount), str(march_0 + day)] for region, amount, day in (
        ("East", 100, 5), ("West", 250, 9), ("East", 300, 2), ("North", 75, 30), ("West", 50, 14))]
    rows += [[f"Filler {i}", str(i), ""] for i in range(1, 60)]  # enough rows to scroll
    sheet.put("Data!A1", rows)
    sheet.open()
    page = sheet.page

    # number formats from the menu
    sheet.select("B2", "B6")
    with sheet.saved():
        page.get_by_label("Number format").select_option(label="Currency")
    assert [sheet.text(f"B{r}") for r in (2, 3)] == ["$100.00", "$250.00"]
    assert sheet.text("C2") == "46086"
    sheet.select("C2", "C6")
    with sheet.saved():
        page.get_by_label("Number format").select_option(label="Date")
    assert sheet.text("C2") == "2026-03-05"
    sheet.cell("D2").click()
    with sheet.saved():
        page.keyboard.type("0.25")
        page.keyboard.press("Enter")
    sheet.cell("D2").click()
    with sheet.saved():
        page.get_by_label("Number format").select_option(label="Percent")
    assert sheet.text("D2") == "25.00%"
    assert sheet.get("Data!D2") == [[0.25]]

    # bold and fill colour on the header row
    sheet.select("A1", "C1")
    with sheet.saved():
        page.keyboard.press("Control+B")
    assert "bold" in sheet.cell("B1").get_attribute("class")
    assert page.get_by_role("button", name="Bold").get_attribute("aria-pressed") == "true"
    page.get_by_label("Fill colour", exact=True).fill("#ffcc00")
    with sheet.saved():
        sheet.button("Apply fill colour").click()
    assert sheet.cell("C1").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 204, 0)"

    # column width
    sheet.cell("A4").click()
    page.get_by_label("Column width", exact=True).fill("180")
    with sheet.reloaded():
        sheet.button("Set column width").click()
    assert round(page.locator("#h-A").bounding_box()["width"]) == 180

    # freeze the header row: it stays on screen when the grid scrolls
    with sheet.reloaded():
        sheet.button("Freeze header row").click()
    page.locator("#grid-wrap").evaluate("el => el.scrollTop = 900")
    wrap_top = page.locator("#grid-wrap").bounding_box()["y"]
    header_top = sheet.cell("A1").bounding_box()["y"]
    assert wrap_top <= header_top < wrap_top + 60
    assert sheet.button("Unfreeze header row").get_attribute("aria-pressed") == "true"
    page.locator("#grid-wrap").evaluate("el => el.scrollTop = 0")

    # filter the amounts: rows at or under 100 are hidden, the header stays
    sheet.cell("B2").click()
    page.get_by_label("Filter selected column by").fill(">100")
    with sheet.reloaded():
        page.get_by_role("button", name="Apply filter").click()
    assert sheet.cell("B3").is_visible() and not sheet.cell("B2").is_visible() and sheet.cell("A1").is_visible()
    assert "rows hidden" in page.get_by_test_id("filter-status").inner_text()
    with sheet.reloaded():
        sheet.button("Clear filter").click()
    assert sheet.cell("B2").is_visible()

    # sort the table Z to A on the amount column; the frozen header stays on top, formats travel with values
    sheet.cell("B2").click()
    with sheet.reloaded():
        sheet.button("Sort range Z to A").click()
    assert [sheet.text(f"B{r}") for r in range(1, 4)] == ["Amount", "$300.00", "$250.00"]
    assert sheet.text("A2") == "East" and sheet.text("C2") == "2026-03-02"
    assert sheet.get("Data!A1:B2") == [["Region", "Amount"], ["East", 300]]


def test_bad_formulas_typed_in_the_grid_explain_themselves(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["5"]])
    sheet.open()
    page = sheet.page
    note = page.get_by_test_id("cell-note")
    for a1, typed, shown, explained in (
            ("B1", "=SUM(A1", "#ERROR!", "Expected"),
            ("B2", "=VLOKUP(1,A1:A2,1)", "#NAME?", "VLOKUP"),
            ("B3", "=B3+A1", "#REF!", "Circular")):
        sheet.cell(a1).click()
        with sheet.saved():
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
        assert sheet.text(a1) == shown
        sheet.cell(a1).click()
        assert explained in note.inner_text() and note.inner_text().startswith(a1)
        assert page.get_by_label("Formula bar").input_value() == typed
    sheet.cell("A1").click()
    assert not note.is_visible()
    # fixing the formula clears the error in place
    sheet.cell("B1").click()
    with sheet.saved():
        page.keyboard.type("=SUM(A1)")
        page.keyboard.press("Enter")
    assert sheet.text("B1") == "5"
    assert sheet.get("Data!B1:B3", "FORMULA") == [["=SUM(A1)"], ["=VLOKUP(1,A1:A2,1)"], ["=B3+A1"]]


def test_headers_select_whole_lines_and_drag_column_widths(sheet: Sheet) -> None:
    sheet.put("Data!A1", [["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]])
    sheet.open()
    page = sheet.page
    name_box = page.get_by_label("Name box")
    rows = int(page.locator("#grid").get_attribute("data-rows"))
    cols = int(page.locator("#grid").get_attribute("data-cols"))

    page.locator("#h-B").click()
    assert name_box.input_value() == f"B1:B{rows}"
    page.locator("#h-C").click(modifiers=["Shift"])
    assert name_box.input_value() == f"B1:C{rows}"
    page.locator("tbody th[role=rowheader][data-r='2']").click()
    last_col = page.locator(f"thead th[role=columnheader][data-c='{cols}']").inner_text()
    assert name_box.input_value() == f"A2:{last_col}2"

    # a selected column is deleted as a whole
    page.locator("#h-B").click()
    with sheet.reloaded():
        sheet.button("Delete columns").click()
    assert sheet.get("Data!A1:B3") == [["a", "c"], [1, 3], [4, 6]]

    # dragging a column's right edge sets its width
    box = page.locator("#h-A").bounding_box()
    assert round(box["width"]) == 100
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] + 60, box["y"] + box["height"] / 2, steps=5)
    with sheet.reloaded():
        page.mouse.up()
    assert 155 <= round(page.locator("#h-A").bounding_box()["width"]) <= 165
    resize = [c for c in sheet.world.changes(app="sheets") if c["op"] == "sheets.column.resize"]
    assert resize and resize[-1]["args"]["column"] == 1 and 155 <= resize[-1]["args"]["width"] <= 165
