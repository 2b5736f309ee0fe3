"""UI moves the demonstrations share: switching apps, mail (search, download, send), Books (bills and their
payments), sheets (open, add, type rows) and chat (posts, thread replies)."""

from __future__ import annotations


def switch_to(page, app: str) -> None:
    """Open another app from the shell's app switcher."""
    page.get_by_role("navigation", name="Apps").get_by_test_id(f"switch-{app}").click()
    page.wait_for_load_state()


def type_cell(page, a1: str, text: str) -> None:
    """Type into a sheet cell and wait until the server saved it."""
    saved = int(page.locator("#sheet-page").get_attribute("data-saved") or 0)
    page.get_by_role("gridcell", name=a1, exact=True).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(f"+document.getElementById('sheet-page').dataset.saved > {saved}")


def open_channel(page, channel: str) -> None:
    """Open a chat channel (or DM) from the sidebar."""
    page.get_by_test_id(f"side-{channel}").click()
    page.wait_for_load_state()


def post_in_channel(page, channel: str, text: str) -> None:
    """Open a chat channel from the sidebar and post a message with Enter."""
    open_channel(page, channel)
    composer = page.get_by_test_id("composer-input")
    composer.fill(text)
    composer.press("Enter")
    page.wait_for_load_state()


def figure(text: str) -> str:
    """A money amount as a page shows it, as a form or a cell takes it: "$1,234.56" -> "1234.56" (blank stays blank)."""
    return text.strip().replace("$", "").replace(",", "")


def search_mail(page, query: str) -> None:
    """Search the mailbox (Gmail operators work) and wait for the results."""
    search = page.get_by_role("searchbox", name="Search mail")
    search.fill(query)
    search.press("Enter")
    page.wait_for_load_state()


def open_mail(page, query: str, subject: str) -> None:
    """Search the mailbox and open the first conversation whose subject contains `subject`."""
    import re

    search_mail(page, query)
    page.get_by_role("link", name=re.compile(re.escape(subject))).first.click()
    page.wait_for_load_state()


def download_attachment(page) -> bytes:
    """Download the first attachment of the open conversation and return its bytes."""
    import re
    from pathlib import Path

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    return Path(download.value.path()).read_bytes()


def enter_bill(page, *, vendor: str, date: str, invoice: str, account: str, amount: str, pdf: bytes) -> None:
    """Enter a one-line bill from Books' "+ New" menu with the invoice PDF attached, and save it."""
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


def pay_open_bill(page, invoice: str, method: str = "ACH", bank: str = "1000 Operating Checking") -> None:
    """From a saved bill's page: pay it in full today from the bank account (its option label)."""
    page.get_by_test_id("pay-bill").click()
    page.wait_for_load_state()
    pay_in_full(page, invoice, method, bank)


def pay_in_full(page, invoice: str, method: str = "ACH", bank: str = "1000 Operating Checking") -> None:
    """On Books' Pay bills page: pay one open bill in full today from the bank account (its option label)."""
    page.get_by_label(f"Pay {invoice} in full").check()
    page.get_by_label("Payment account").select_option(label=bank)
    page.get_by_label("Payment method").select_option(method)
    page.get_by_role("button", name="Pay selected bills").click()
    page.wait_for_load_state()


def row_of(page, text: str) -> int:
    """The row number of the grid cell showing exactly `text` on the open sheet."""
    cell = page.locator("td[role=gridcell]").filter(has_text=text).first
    return int(cell.get_attribute("data-r"))


def open_sheet(page, workbook: str, sheet: str | None = None) -> None:
    """Open a workbook from the Sheets home (and one of its tabs) and wait until the grid is ready."""
    page.get_by_role("link", name=workbook).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    if sheet is not None:
        page.get_by_role("tab", name=sheet).click()
        page.wait_for_selector("#sheet-page[data-ready='1']")


def first_empty_row(page, column: str = "A", start: int = 2) -> int:
    """The first row at or below `start` whose cell in `column` is empty."""
    row = start
    while page.get_by_role("gridcell", name=f"{column}{row}", exact=True).inner_text().strip():
        row += 1
    return row


def type_row(page, row: int, values: dict[str, str]) -> None:
    """Type values into one row, keyed by column letter."""
    for column, text in values.items():
        type_cell(page, f"{column}{row}", text)


def reply_in_thread(page, channel: str, thread_ts: str, text: str) -> None:
    """Open a channel, open the thread of the message sent at `thread_ts`, and reply in it."""
    page.get_by_test_id(f"side-{channel}").click()
    page.wait_for_load_state()
    while not page.get_by_test_id(f"replies-{thread_ts}").count():
        page.get_by_test_id("load-older").click()  # an older thread: page back through the history
        page.wait_for_load_state()
    page.get_by_test_id(f"replies-{thread_ts}").click()
    page.wait_for_load_state()
    composer = page.get_by_test_id("thread-input")
    composer.fill(text)
    page.get_by_test_id("thread-send").click()
    page.wait_for_load_state()


def send_mail(page, *, to: str, subject: str, body: str, cc: str = "") -> None:
    """Compose and send a new mail (fields filled at once and sent, so no draft autosave runs in between)."""
    page.get_by_test_id("compose").click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-to").fill(to)
    if cc:
        page.get_by_test_id("compose-cc").fill(cc)
    page.get_by_test_id("compose-subject").fill(subject)
    page.get_by_test_id("compose-body").fill(body)
    page.get_by_test_id("send").click()
    page.wait_for_load_state()


def add_sheet(page, title: str) -> None:
    """Add a sheet to the open workbook and rename it from the sheet options."""
    page.get_by_role("button", name="Add sheet").click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
    page.locator("details.tab-menu > summary").click()
    page.get_by_label("Rename sheet").fill(title)
    page.get_by_role("button", name="Rename", exact=True).click()
    page.wait_for_selector("#sheet-page[data-ready='1']")
