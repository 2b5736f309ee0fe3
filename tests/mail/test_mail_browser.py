"""A trainer's session in a real browser: search, open, preview, download, forward, label, archive."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def test_trainer_files_a_vendor_invoice(world_page, world, tmp_path):
    page = world_page
    base = world.url("mail")
    page.goto(base + "/")
    page.get_by_role("searchbox", name="Search mail").fill("from:brightline has:attachment after:2026/03/01")
    page.get_by_role("searchbox", name="Search mail").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=from%3Abrightline"))
    row = page.get_by_role("row").filter(has_text="BL-20931")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("BL-20931")).click()
    expect(page.get_by_test_id("thread-subject")).to_contain_text("BL-20931")

    # preview: the PDF in the page plus the invoice's contents as HTML
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_test_id("invoice-html")).to_contain_text("BL-20931")
    expect(page.get_by_test_id("invoice-total")).to_have_text("$4,249.00")
    pdf_url = page.get_by_test_id("pdf-preview").evaluate("el => el.data")  # absolute URL
    pdf = page.request.get(pdf_url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    download = info.value
    assert download.suggested_filename == "Invoice_BL-20931.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes() == pdf.body()

    # forward with a note to a colleague, picking her from the autocomplete
    page.get_by_test_id("back-to-thread").click()
    page.get_by_role("link", name="Forward").first.click()
    to = page.get_by_role("combobox", name="To")
    to.press_sequentially("Priya")
    page.get_by_role("option", name=re.compile("Priya Nair")).click()
    expect(to).to_have_value(re.compile(r"priya\.nair@meridiansupply\.com"))
    body = page.get_by_label("Message")
    body.press("Control+Home")
    body.press_sequentially("Priya, approved by Marcus; please enter it. ")
    expect(page.get_by_role("checkbox", name=re.compile("Invoice_BL-20931.pdf"))).to_be_checked()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Message sent")

    # label the conversation Finance/Invoices, then archive it
    page.get_by_label("Label", exact=True).first.select_option(label="Finance/Invoices")
    page.get_by_role("button", name="Apply label").first.click()
    expect(page.get_by_test_id("toast")).to_contain_text("Finance/Invoices")
    expect(page.get_by_test_id("thread-label")).to_contain_text(["Finance/Invoices"])
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Conversation archived")
    expect(page.get_by_role("button", name="Undo")).to_be_visible()

    # the state shows every change ...
    tables = world.state("mail")["tables"]
    msgs = {m["pk"]: m for m in tables["mail_message"]}
    labels = {}
    for link in tables["mail_message_label"]:
        labels.setdefault(link["message_pk"], set()).add(link["label_id"])
    finance = next(l["id"] for l in tables["mail_label"] if l["name"] == "Finance/Invoices")
    original = next(m for m in msgs.values() if m["subject"].startswith("Invoice BL-20931"))
    forward = next(m for m in msgs.values() if m["subject"] == f"Fwd: {original['subject']}")
    assert forward["thread_id"] == original["thread_id"] and "priya.nair@meridiansupply.com" in forward["to_addrs"]
    assert "SENT" in labels[forward["pk"]]
    assert [a["filename"] for a in tables["mail_attachment"] if a["message_pk"] == forward["pk"]] == ["Invoice_BL-20931.pdf"]
    for pk, m in msgs.items():
        if m["thread_id"] == original["thread_id"]:
            assert finance in labels[pk] and "INBOX" not in labels[pk] and "UNREAD" not in labels[pk]
    assert len(tables["mail_draft"]) == 1  # only the seeded draft: autosave left nothing behind

    # ... and the change log names each operation
    entries = [c for c in world.changes(after=0) if c["app"] == "mail"]
    ops = [c["op"] for c in entries if c["op"] != "mail.draft.save"]
    assert ops == ["mail.send", "mail.label.add", "mail.archive"]
    send = next(c for c in entries if c["op"] == "mail.send")
    assert send["args"]["kind"] == "forward" and send["args"]["attachments"] == ["Invoice_BL-20931.pdf"]

    # Undo brings it back to the inbox
    page.get_by_role("button", name="Undo").click()
    assert [c["op"] for c in world.changes(after=entries[-1]["seq"])] == ["mail.move_to_inbox"]


def test_malformed_search_shows_a_message_not_an_error_page(world_page, world):
    page = world_page
    page.goto(world.url("mail") + "/search?q=" + "from%3Aalicia%20(")
    expect(page.get_by_test_id("search-error")).to_contain_text("missing a closing )")
    expect(page.get_by_role("searchbox", name="Search mail")).to_have_value("from:alicia (")
