"""Reference demonstrations: each task done through the UI as a trainer would, recorded into golden
trajectories (`mockapps tasks record-golden`) that CI replays and checks."""

from __future__ import annotations

import re
from pathlib import Path

from mock_apps.tasks.model import Task

GOLDEN = Path(__file__).resolve().parent / "golden"
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
    switcher = page.get_by_role("navigation", name="Apps")
    if visit_chat:
        switcher.get_by_test_id("switch-chat").click()
        page.wait_for_load_state()
        page.get_by_test_id("side-ap-approvals").click()
        page.wait_for_load_state()
    switcher.get_by_test_id("switch-books").click()
    page.wait_for_load_state()
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


def _type_cell(page, a1: str, text: str) -> None:
    saved = int(page.locator("#sheet-page").get_attribute("data-saved") or 0)
    page.get_by_role("gridcell", name=a1, exact=True).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")


def enter_track_and_report(page, task: Task) -> None:
    """The bill from the mail into Books, a new row on the Open Bills sheet, a word in #finance."""
    enter_bill_from_mail(page, task)
    switcher = page.get_by_role("navigation", name="Apps")
    switcher.get_by_test_id("switch-sheets").click()
    page.get_by_role("link", name="AP Reconciliation March 2026").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    row = 2
    while page.get_by_role("gridcell", name=f"A{row}", exact=True).inner_text().strip():
        row += 1  # the first empty row under the open bills
    _type_cell(page, f"A{row}", "Brightline Logistics")
    _type_cell(page, f"B{row}", "BL-20931")
    _type_cell(page, f"E{row}", "4249")
    switcher.get_by_test_id("switch-chat").click()
    page.wait_for_load_state()
    page.get_by_test_id("side-finance").click()
    page.wait_for_load_state()
    composer = page.get_by_test_id("composer-input")
    composer.fill("BL-20931 from Brightline Logistics ($4,249.00) is entered in Books and on the Open Bills sheet.")
    composer.press("Enter")
    page.wait_for_load_state()


def announce_in_channel(page, task: Task) -> None:
    """Open the channel from the sidebar and post the message with Enter."""
    page.get_by_test_id(f"side-{task.params['channel']}").click()
    page.wait_for_load_state()
    composer = page.get_by_test_id("composer-input")
    composer.fill(f"Heads up: {task.params['what']} ({task.params['words']}).")
    composer.press("Enter")
    page.wait_for_load_state()


def demo_for(task: Task):
    """The reference demonstration of a task, or None."""
    if task.id == "enter-bill-track-and-report":
        return enter_track_and_report
    if task.template == "enter-mailed-bill" or task.id in BILL_TASKS:
        return enter_bill_from_mail
    if task.template == "announce-in-channel":
        return announce_in_channel
    return None


def record_golden(task: Task, browser, app_urls: dict[str, str], world_id: str, out: Path) -> Path:
    """Perform a task's demonstration through the recorder into `out` (no screenshots: it lives in git)."""
    from recorder.session import begin

    demo = demo_for(task)
    if demo is None:
        raise ValueError(f"task {task.id!r} has no reference demonstration")
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        recorder = begin(context, out, app_urls, world_id, scenario=task.scenario, task=task.id,
                         trainer="reference", start_pages=tuple(task.start_pages[:1]), shots=False)
        demo(context.pages[0], task)
        recorder.settle()
        recorder.stop()
    finally:
        context.close()
    return out
