"""Demonstrations of entering mailed vendor invoices as bills (and tracking and reporting them)."""

from __future__ import annotations

import re
from pathlib import Path

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import post_in_channel, switch_to, type_cell
from mock_apps.tasks.model import Task

BILL_TASKS = {  # task id -> (invoice, vendor, date, account, amount as typed, visit chat first)
    "enter-corrected-clearwater-bill": ("CC-55107", "Clearwater Chemical Inc.", "2026-03-23", "Inventory Asset",
                                        "2040.00", True),
    "enter-summit-invoice-once": ("SP-88412", "Summit Packaging Co.", "2026-03-20", "Inventory Asset", "1555.50",
                                  False),
    "enter-bill-track-and-report": ("BL-20931", "Brightline Logistics", "2026-03-18", "Freight In", "4249.00",
                                    False),
}


def _bill_params(task: Task) -> tuple:
    if task.template == "enter-mailed-bill":
        p = task.params
        return p["invoice"], p["vendor"], p["date"], p["account"], f"{p['total_cents'] / 100:.2f}", False
    return BILL_TASKS[task.id]


@demo("enter-mailed-bill", "enter-corrected-clearwater-bill", "enter-summit-invoice-once")
def enter_bill_from_mail(page, task: Task) -> None:
    """Find the invoice mail, download its PDF, (read the approvals in Chat,) enter the bill with the PDF."""
    invoice, vendor, date, account, amount, visit_chat = _bill_params(task)
    search = page.get_by_role("searchbox", name="Search mail")
    search.fill(invoice)
    search.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=re.compile(re.escape(invoice))).first.click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    pdf = Path(download.value.path()).read_bytes()
    if visit_chat:
        switch_to(page, "chat")
        page.get_by_test_id("side-ap-approvals").click()
        page.wait_for_load_state()
    switch_to(page, "books")
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Bill", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Vendor").select_option(label=vendor)
    page.get_by_label("Bill date").fill(date)
    page.get_by_label("Bill no.").fill(invoice)
    category = page.get_by_label("Category, line 1")
    category.select_option(category.locator("option", has_text=account).first.get_attribute("value"))
    page.get_by_label("Amount, line 1").fill(amount)
    page.get_by_label("Attachment").set_input_files(
        files=[{"name": f"Invoice_{invoice}.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    page.get_by_test_id("save").click()
    page.wait_for_load_state()


@demo("enter-bill-track-and-report")
def enter_track_and_report(page, task: Task) -> None:
    """The bill from the mail into Books, a new row on the Open Bills sheet, a word in #finance."""
    enter_bill_from_mail(page, task)
    switch_to(page, "sheets")
    page.get_by_role("link", name="AP Reconciliation March 2026").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    row = 2
    while page.get_by_role("gridcell", name=f"A{row}", exact=True).inner_text().strip():
        row += 1  # the first empty row under the open bills
    type_cell(page, f"A{row}", "Brightline Logistics")
    type_cell(page, f"B{row}", "BL-20931")
    type_cell(page, f"E{row}", "4249")
    switch_to(page, "chat")
    post_in_channel(page, "finance",
                    "BL-20931 from Brightline Logistics ($4,249.00) is entered in Books and on the Open Bills sheet.")
