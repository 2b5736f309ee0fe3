"""Demonstration of copying Books' aging report totals onto a new sheet of a close workbook."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import add_sheet, figure, open_sheet, switch_to, type_cell
from mock_apps.tasks.model import Task

BUCKETS = ("Current", "1 - 30", "31 - 60", "61 - 90", "91 and over", "Total")


def report_totals(page, report_key: str) -> list[str]:
    """Open a Books report from Reports and read its TOTAL row's figures as displayed."""
    page.get_by_test_id("nav-reports").click()
    page.wait_for_load_state()
    page.get_by_test_id(f"report-{report_key}").click()
    page.wait_for_load_state()
    total = page.locator("tr[data-label='TOTAL']").last
    return [cell.inner_text().strip() for cell in total.locator("td").all()]


@demo("aging-totals-to-sheet")
def aging_totals_to_sheet(page, task: Task) -> None:
    """Read the aging summary's totals in Books, then type them on a new, renamed sheet."""
    p = task.params
    figures = report_totals(page, "ar-aging-summary" if p["side"] == "A/R" else "ap-aging-summary")
    switch_to(page, "sheets")
    open_sheet(page, p["workbook"])
    add_sheet(page, p["tab"])
    type_cell(page, "A1", "Aging column")
    type_cell(page, "B1", "Total")
    for row, (bucket, shown) in enumerate(zip(BUCKETS, figures), start=2):
        type_cell(page, f"A{row}", bucket)
        type_cell(page, f"B{row}", figure(shown) or "0")
