"""List pages and compose in a real browser: pagination, bulk selection with Undo, form errors, upload."""

import base64
import re
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


def _thread_labels(world, thread_id: str) -> set[str]:
    """Every label on any message of a thread, read through the control API."""
    tables = world.state("mail")["tables"]
    pks = {m["pk"] for m in tables["mail_message"] if m["thread_id"] == thread_id}
    return {link["label_id"] for link in tables["mail_message_label"] if link["message_pk"] in pks}


def test_pagination_and_bulk_delete_with_undo(world_page, world):
    page = world_page
    page.goto(world.url("mail") + "/box/all")
    first_range = page.get_by_test_id("page-range").inner_text()
    total = int(re.fullmatch(r"1–50 of (\d+)", first_range).group(1))
    assert total > 100
    first_ids = page.locator("[data-thread-id]").evaluate_all("rows => rows.map(r => r.dataset.threadId)")
    assert len(first_ids) == 50
    page.get_by_role("link", name="Older").first.click()
    expect(page.get_by_test_id("page-range")).to_have_text(f"51–100 of {total}")
    second_ids = page.locator("[data-thread-id]").evaluate_all("rows => rows.map(r => r.dataset.threadId)")
    assert len(second_ids) == 50 and not set(first_ids) & set(second_ids)
    page.get_by_role("link", name="Newer").first.click()
    expect(page.get_by_test_id("page-range")).to_have_text(first_range)

    page.goto(world.url("mail") + "/")
    rows = page.locator("[data-thread-id]")
    picked = [rows.nth(i).get_attribute("data-thread-id") for i in (1, 2)]
    for thread_id in picked:
        page.get_by_test_id(f"thread-{thread_id}").get_by_role("checkbox").check()
    page.get_by_test_id("bulk-trash").click()
    expect(page.get_by_test_id("toast")).to_contain_text("2 conversations moved to Trash")
    for thread_id in picked:
        expect(page.get_by_test_id(f"thread-{thread_id}")).to_have_count(0)
        assert "TRASH" in _thread_labels(world, thread_id)
    trash_seq = [c for c in world.changes(after=0, app="mail")]
    assert [c["op"] for c in trash_seq] == ["mail.trash"] * len(trash_seq) and trash_seq

    page.get_by_test_id("undo").click()
    for thread_id in picked:
        expect(page.get_by_test_id(f"thread-{thread_id}")).to_have_count(1)
        assert "TRASH" not in _thread_labels(world, thread_id)
    ops = {c["op"] for c in world.changes(after=trash_seq[-1]["seq"], app="mail")}
    assert ops == {"mail.untrash"}


def test_compose_rejects_a_bad_recipient_then_sends_an_upload(world_page, world):
    page = world_page
    page.goto(world.url("mail") + "/compose")
    page.get_by_role("combobox", name="To").fill("not an address")
    page.get_by_test_id("compose-subject").fill("March accruals")
    page.get_by_test_id("compose-body").fill("Marcus, the accrual schedule is attached.")
    page.get_by_test_id("send").click()
    expect(page.locator("#err-to")).to_be_visible()
    expect(page.get_by_test_id("compose-subject")).to_have_value("March accruals")  # nothing typed is lost
    assert [c for c in world.changes(after=0, app="mail") if c["op"] == "mail.send"] == []

    page.get_by_role("combobox", name="To").fill("marcus.reyes@meridiansupply.com")
    csv_bytes = b"account,amount\nFreight In,3398.85\n"
    page.get_by_test_id("compose-files").set_input_files(
        files=[{"name": "accruals_march.csv", "mimeType": "text/csv", "buffer": csv_bytes}])
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Message sent")

    tables = world.state("mail")["tables"]
    sent = [m for m in tables["mail_message"] if m["subject"] == "March accruals"]
    assert len(sent) == 1 and "marcus.reyes@meridiansupply.com" in sent[0]["to_addrs"]
    attachments = [a for a in tables["mail_attachment"] if a["message_pk"] == sent[0]["pk"]]
    assert [(a["filename"], a["size"]) for a in attachments] == [("accruals_march.csv", len(csv_bytes))]
    page.get_by_role("link", name="View message").click()
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("table").first).to_contain_text("3398.85")


def test_move_to_label_archives_and_undo_returns_to_inbox(world_page, world):
    page = world_page
    page.goto(world.url("mail") + "/")
    thread_id = page.locator("[data-thread-id]").nth(3).get_attribute("data-thread-id")
    page.get_by_test_id(f"thread-{thread_id}").get_by_role("checkbox").check()
    page.get_by_label("Label", exact=True).select_option(label="Vendors")
    page.get_by_test_id("move-to-label").click()
    expect(page.get_by_test_id("toast")).to_contain_text('Conversation moved to "Vendors"')
    expect(page.get_by_test_id(f"thread-{thread_id}")).to_have_count(0)
    vendors = next(l["id"] for l in world.state("mail")["tables"]["mail_label"] if l["name"] == "Vendors")
    labels = _thread_labels(world, thread_id)
    assert vendors in labels and "INBOX" not in labels
    assert [c["op"] for c in world.changes(after=0, app="mail")] == ["mail.label.move"]

    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id(f"thread-{thread_id}")).to_have_count(1)
    labels = _thread_labels(world, thread_id)
    assert vendors not in labels and "INBOX" in labels


def test_reply_all_addresses_everyone_but_me_and_stays_in_the_thread(world_page, world, gmail):
    incoming = EmailMessage()
    incoming["From"] = "Marcus Reyes <marcus.reyes@meridiansupply.com>"
    incoming["To"] = "Dana Whitfield <dana.whitfield@meridiansupply.com>, Priya Nair <priya.nair@meridiansupply.com>"
    incoming["Cc"] = "Raj Patel <raj@example.com>"
    incoming["Subject"] = "Freight accrual"
    incoming["Message-ID"] = "<accrual-1@meridiansupply.com>"
    incoming.set_content("Can someone confirm the March freight accrual?")
    inserted = gmail.users().messages().insert(userId="me", body={
        "raw": base64.urlsafe_b64encode(incoming.as_bytes()).decode(), "labelIds": ["INBOX", "UNREAD"]}).execute()

    page = world_page
    page.goto(world.url("mail") + f"/thread/{inserted['threadId']}")
    page.get_by_test_id("reply-all").click()
    expect(page.get_by_role("combobox", name="To")).to_have_value("Marcus Reyes <marcus.reyes@meridiansupply.com>")
    cc = page.get_by_role("combobox", name="Cc", exact=True).input_value()
    assert "priya.nair@meridiansupply.com" in cc and "raj@example.com" in cc and "dana.whitfield" not in cc
    expect(page.get_by_test_id("compose-subject")).to_have_value("Re: Freight accrual")
    page.get_by_test_id("compose-body").press("Control+Home")
    page.get_by_test_id("compose-body").press_sequentially("Confirmed: $3,398.85. ")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Message sent")

    thread = gmail.users().threads().get(userId="me", id=inserted["threadId"]).execute()
    assert len(thread["messages"]) == 2
    reply = thread["messages"][1]
    headers = {h["name"]: h["value"] for h in reply["payload"]["headers"]}
    assert headers["In-Reply-To"] == "<accrual-1@meridiansupply.com>"
    assert "priya.nair@meridiansupply.com" in headers["Cc"] and "SENT" in reply["labelIds"]
    assert reply["snippet"].startswith("Confirmed: $3,398.85.")


def test_undo_send_reopens_the_message_as_a_draft(world_page, world):
    page = world_page
    page.goto(world.url("mail") + "/compose")
    page.get_by_role("combobox", name="To").fill("marcus.reyes@meridiansupply.com")
    page.get_by_test_id("compose-subject").fill("Wrong numbers")
    page.get_by_test_id("compose-body").fill("The accrual is $3,398.85.")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Message sent")
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("toast")).to_contain_text("Sending undone.")
    expect(page.get_by_test_id("compose-subject")).to_have_value("Wrong numbers")
    expect(page.get_by_test_id("compose-body")).to_have_value(re.compile(r"^The accrual is \$3,398\.85\."))
    ops = [c["op"] for c in world.changes(after=0, app="mail") if c["op"] != "mail.draft.save"]
    assert ops == ["mail.send", "mail.unsend"]
    tables = world.state("mail")["tables"]
    assert [m["subject"] for m in tables["mail_message"] if m["subject"] == "Wrong numbers"] == ["Wrong numbers"]
    page.goto(world.url("mail") + "/box/sent")
    expect(page.get_by_role("row").filter(has_text="Wrong numbers")).to_have_count(0)
