"""Trainer flows the recorder tests perform in the recorded browser, as a person would."""

from __future__ import annotations

import re


def trainer_files_invoice(recorder, page) -> None:
    """Mail: find the invoice and download it; Books: enter the bill with it attached; Chat: say so."""
    search = page.get_by_role("searchbox", name="Search mail")
    search.click()
    search.press_sequentially("BL-20931")
    search.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=re.compile("BL-20931")).first.click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    invoice_pdf = download.value.path()
    page.get_by_role("navigation", name="Apps").get_by_test_id("switch-books").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name="Bill", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Vendor").select_option(label="Brightline Logistics")
    page.get_by_label("Bill date").fill("2026-03-18")
    page.get_by_label("Bill no.").fill("BL-20931")
    page.get_by_label("Category, line 1").select_option(label="5100 Freight In")
    page.get_by_label("Amount, line 1").fill("4249.00")
    page.get_by_label("Attachment").set_input_files(
        files=[{"name": "Invoice_BL-20931.pdf", "mimeType": "application/pdf", "buffer": open(invoice_pdf, "rb").read()}])
    page.get_by_test_id("save").click()
    page.wait_for_load_state()

    # the bill's balance copied with the keyboard, for the workbook
    page.get_by_test_id("balance").select_text()
    page.keyboard.press("Control+C")

    # a second tab: the A/P reconciliation workbook; the amount pasted into K2, a note typed into K3
    sheets = page.context.new_page()
    sheets.goto(recorder.urls.absolute("sheets:/"))
    sheets.get_by_role("link", name="AP Reconciliation March 2026").click()
    sheets.wait_for_selector("#sheet-page[data-ready='1']")
    saved = int(sheets.locator("#sheet-page").get_attribute("data-saved") or 0)
    sheets.get_by_role("gridcell", name="K2", exact=True).click()
    sheets.keyboard.press("Control+V")
    sheets.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")
    saved = int(sheets.locator("#sheet-page").get_attribute("data-saved") or 0)
    sheets.get_by_role("gridcell", name="K3", exact=True).click()
    sheets.keyboard.type("BL-20931")
    sheets.keyboard.press("Enter")
    sheets.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")
    page.bring_to_front()
    recorder.settle()  # what the recorder's idle tick does once the page is quiet
    page.wait_for_timeout(3_100)  # past the recorder's grace period: the next document is the trainer's own doing
    page.goto(recorder.urls.absolute("chat:/"))  # typed into the address bar
    page.get_by_test_id("composer-input").fill("Entered BL-20931 in Books.")
    page.get_by_test_id("composer-input").press("Enter")
    page.wait_for_load_state()
    recorder.settle()
