"""A trainer's session in a real browser: import a CSV, write a cross-sheet SUMIF in the formula bar,
fill it down, sort, watch dependants update without a reload, export XLSX and read it with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

CSV = "Region,Amount\nEast,100\nWest,250\nEast,300\nNorth,75\nWest,50\n"


def _cell(page, a1: str):
    return page.get_by_role("gridcell", name=a1, exact=True)


def _type_into(page, a1: str, text: str) -> None:
    saved = int(page.locator("#sheet-page").get_attribute("data-saved") or 0)
    _cell(page, a1).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")


@pytest.mark.slow
def test_trainer_imports_csv_writes_sumif_fills_sorts_and_exports(world, world_page, tmp_path) -> None:
    page = world_page
    page.goto(world.url("sheets") + "/")
    csv_path = tmp_path / "sales data.csv"
    csv_path.write_text(CSV)
    page.get_by_label("Import a CSV or XLSX file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    assert page.get_by_role("tab", name="sales data").get_attribute("aria-selected") == "true"
    assert _cell(page, "B3").inner_text() == "250"

    # a second tab, renamed to "Summary"
    page.get_by_role("button", name="Add sheet").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    page.get_by_text("Sheet options").click()
    page.get_by_label("Rename sheet").fill("Summary")
    page.get_by_role("button", name="Rename", exact=True).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    assert page.get_by_role("tab", name="Summary").get_attribute("aria-selected") == "true"

    for a1, text in (("A1", "West"), ("A2", "East"), ("A3", "North")):
        _type_into(page, a1, text)

    # the SUMIF goes in through the formula bar
    _cell(page, "B1").click()
    bar = page.get_by_label("Formula bar")
    bar.fill("=SUMIF('sales data'!A:A,A1,'sales data'!B:B)")
    bar.press("Enter")
    page.wait_for_function("document.getElementById('c-B1').textContent === '300'")

    # fill down B1:B3 (shift-click extends the selection)
    _cell(page, "B1").click()
    _cell(page, "B3").click(modifiers=["Shift"])
    assert page.get_by_label("Name box").input_value() == "B1:B3"
    page.get_by_role("button", name="Fill down").click()
    page.wait_for_function("document.getElementById('c-B3').textContent === '75'")
    assert _cell(page, "B2").inner_text() == "400"
    _cell(page, "B2").click()
    assert bar.input_value() == "=SUMIF('sales data'!A:A,A2,'sales data'!B:B)"

    _type_into(page, "B4", "=SUM(B1:B3)")
    assert _cell(page, "B4").inner_text() == "775"

    # sort A1:B3 by region, A to Z (the page reloads after a sort)
    _cell(page, "A1").click()
    _cell(page, "B3").click(modifiers=["Shift"])
    page.get_by_role("button", name="Sort range A to Z").click()
    page.wait_for_function("document.getElementById('c-A1').textContent === 'East'")
    page.wait_for_selector("#sheet-page[data-ready='1']")
    assert [_cell(page, f"A{r}").inner_text() for r in (1, 2, 3)] == ["East", "North", "West"]
    assert [_cell(page, f"B{r}").inner_text() for r in (1, 2, 3)] == ["400", "75", "300"]
    _cell(page, "B3").click()
    assert bar.input_value() == "=SUMIF('sales data'!A:A,A3,'sales data'!B:B)"

    # dependants update in place: no page load happens
    page.evaluate("window.__stillHere = true")
    _type_into(page, "A2", "West")
    page.wait_for_function("document.getElementById('c-B2').textContent === '300'")
    assert _cell(page, "B4").inner_text() == "1000"
    assert page.evaluate("window.__stillHere") is True

    # keyboard: arrows move, F2 edits the formula in place, Escape cancels
    _cell(page, "A1").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert page.get_by_label("Name box").input_value() == "B2"
    page.keyboard.press("F2")
    page.keyboard.press("Escape")
    assert _cell(page, "B2").inner_text() == "300"

    # export: openpyxl reads the same values, formulas and cached results
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .xlsx").click()
    data = open(download.value.path(), "rb").read()
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)["Summary"]
    assert [[values.cell(r, c).value for c in (1, 2)] for r in range(1, 5)] == [
        ["East", 400], ["West", 300], ["West", 300], [None, 1000]]
    formulas = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    assert formulas["B1"].value == "=SUMIF('sales data'!A:A,A1,'sales data'!B:B)"
    assert formulas["B4"].value == "=SUM(B1:B3)"

    ops = [c["op"] for c in world.changes(app="sheets")]
    for op in ("sheets.workbook.import", "sheets.sheet.add", "sheets.sheet.update", "sheets.cell.set",
               "sheets.fill.down", "sheets.sort"):
        assert op in ops
