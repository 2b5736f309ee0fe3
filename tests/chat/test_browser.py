"""Chat in a real browser: a trainer's thread-approval workflow, and hostile text rendered inert."""

import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "&lt;img src=x onerror=\"window.__pwned=2\"&gt;",
    "<javascript:window.__pwned=3|click me>",
    "<data:text/html,<script>alert(4)</script>|data link>",
    "*<iframe src=javascript:alert(5)>*",
    "```</pre><script>window.__pwned=6</script>```",
    "`</code><svg onload=alert(7)>`",
    "<https://example.com/\" onmouseover=\"alert(8)|hover>",
    "_<b>not bold</b>_ ~<u>x</u>~ &lt;/div&gt;&lt;/article&gt;",
]


def _api(world, method, **data):
    response = requests.post(world.api_url + method, headers={"Authorization": "Bearer xoxp-marcus.reyes"}, data=data)
    body = response.json()
    assert body["ok"], body
    return body


def _channel_id(world, name):
    listed = requests.get(world.api_url + "conversations.list", params={"limit": 100},
                          headers={"Authorization": "Bearer xoxp-dana.whitfield"}).json()
    return next(c["id"] for c in listed["channels"] if c["name"] == name)


def test_trainer_finds_approval_replies_reacts_uploads_and_pins(world_page, chat_world, tmp_path):
    page = world_page
    page.goto(chat_world.url + "/")
    expect(page.get_by_test_id("channel-title")).to_have_text("#general")

    # 1. find the thread where BL-20931 was approved, through search (the query lands in the URL)
    page.get_by_test_id("search-input").fill("BL-20931 approved in:#ap-approvals")
    page.get_by_test_id("search-submit").click()
    expect(page).to_have_url(re.compile(r"/search\?q=BL-20931\+approved\+in%3A%23ap-approvals"))
    results = page.get_by_test_id("results")
    expect(results).to_contain_text("Go ahead and enter BL-20931 for $4,249.00")
    expect(results.locator("mark.chat-hit", has_text="BL-20931").first).to_be_visible()
    expect(page.get_by_test_id("search-input")).to_have_value("BL-20931 approved in:#ap-approvals")
    results.get_by_role("link", name="View thread").first.click()
    panel = page.get_by_test_id("thread-panel")
    expect(panel).to_contain_text("Approval needed: Brightline Logistics invoice BL-20931, $4,249.00")
    expect(panel).to_contain_text("Approved")
    # the thread's messages are also in the channel list: their test ids must still be unique on the page
    dupes = page.evaluate("""() => { const seen = {}; for (const e of document.querySelectorAll('[data-testid]')) {
        const id = e.dataset.testid; seen[id] = (seen[id] || 0) + 1; }
        return Object.keys(seen).filter(id => seen[id] > 1 && /\\d{10}/.test(id)); }""")
    assert dupes == []

    # 2. reply in the thread mentioning a colleague, picked from the @ completion
    box = panel.get_by_test_id("thread-input")
    box.click()
    box.press_sequentially("Entered BL-20931 in Books at $4,249.00, thanks @marc")
    panel.get_by_role("listbox", name="Suggestions").get_by_role("option", name=re.compile("Marcus Reyes")).click()
    expect(box).to_have_value("Entered BL-20931 in Books at $4,249.00, thanks @marcus.reyes ")
    box.press("Enter")
    panel = page.get_by_test_id("thread-panel")
    reply = panel.locator("article").last
    expect(reply).to_contain_text("Entered BL-20931 in Books at $4,249.00, thanks @Marcus")
    expect(reply.locator("a.mention")).to_have_text("@Marcus")

    # 3. react with a checkmark on Marcus's approval
    approval = panel.locator("article", has_text="Go ahead and enter BL-20931")
    approval.get_by_text("Add reaction").click()
    approval.get_by_role("button", name="React with :white_check_mark:").click()
    approval = page.get_by_test_id("thread-panel").locator("article", has_text="Go ahead and enter BL-20931")
    expect(approval.get_by_role("button", name=re.compile(r":white_check_mark: 1, remove your reaction"))).to_be_visible()

    # 4. upload a file to #finance, with a preview and a download
    page.get_by_test_id("side-finance").click()
    expect(page.get_by_test_id("channel-title")).to_have_text("#finance")
    upload = tmp_path / "bl-20931-entry.txt"
    upload.write_text("BL-20931 Brightline Logistics 4249.00 entered 2026-03-31\n")
    page.get_by_test_id("composer-file").set_input_files(str(upload))
    page.get_by_test_id("composer-input").fill("Entry confirmation for BL-20931")
    page.get_by_test_id("send").click()
    latest = page.get_by_test_id("history").locator("article").last
    expect(latest).to_contain_text("Entry confirmation for BL-20931")
    expect(latest.get_by_role("link", name="bl-20931-entry.txt", exact=True)).to_be_visible()
    with page.expect_download() as download:
        latest.get_by_role("link", name="Download bl-20931-entry.txt").click()
    assert download.value.suggested_filename == "bl-20931-entry.txt"
    assert open(download.value.path(), encoding="utf-8").read() == upload.read_text()

    # 5. pin that message
    latest.get_by_text("More").click()
    latest.get_by_role("button", name="Pin to channel").click()
    expect(page.get_by_test_id("toast")).to_have_text("Pinned to the channel.")
    latest = page.get_by_test_id("history").locator("article").last
    expect(latest.get_by_test_id("pinned-note")).to_contain_text("Pinned by Dana Whitfield")
    page.get_by_test_id("pins-button").click()
    expect(page.get_by_test_id("pins-panel")).to_contain_text("Entry confirmation for BL-20931")

    # the change log names each change; the state holds it
    changes = [c for c in chat_world.changes() if c["op"] != "chat.mark"]
    assert [c["op"] for c in changes] == ["chat.thread.reply", "chat.react", "chat.file.share", "chat.pin"]
    state = chat_world.state()
    users = {u["name"]: u["id"] for u in state["chat_user"]}
    reply_row = next(m for m in state["chat_message"] if m["text"].startswith("Entered BL-20931"))
    assert f"<@{users['marcus.reyes']}>" in reply_row["text"] and reply_row["user_id"] == users["dana.whitfield"]
    assert changes[0]["args"]["thread_ts"] == reply_row["thread_ts"]
    assert changes[1]["args"]["emoji"] == "white_check_mark" and changes[1]["args"]["user"] == users["dana.whitfield"]
    assert [m["user_id"] for m in state["chat_mention"] if m["ts"] == reply_row["ts"]] == [users["marcus.reyes"]]
    uploaded = next(f for f in state["chat_file"] if f["name"] == "bl-20931-entry.txt")
    assert uploaded["status"] == "complete" and uploaded["size"] == len(upload.read_bytes())
    pinned = next(m for m in state["chat_message"] if m["text"] == "Entry confirmation for BL-20931")
    assert any(p["message_pk"] == pinned["pk"] for p in state["chat_pin"])


def test_hostile_text_renders_as_text(world_page, chat_world):
    page = world_page
    channel = _channel_id(chat_world, "random")
    for text in HOSTILE:
        _api(chat_world, "chat.postMessage", channel=channel, text=text)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{chat_world.url}/archives/{channel}")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("<script>window.__pwned = 1</script>")
    expect(history).to_contain_text('<img src=x onerror="window.__pwned=2">')
    expect(history).to_contain_text("<javascript:window.__pwned=3|click me>")
    for link in history.locator("article a").all():  # hover and click every link: none may run script
        href = link.get_attribute("href") or ""
        assert href.startswith(("/", "http://", "https://", "mailto:")), href
    expect(history).to_contain_text('<https://example.com/" onmouseover="alert(8)|hover>')
    for link in history.locator("article .mrkdwn a").all():
        link.hover()
    assert page.evaluate("window.__pwned === undefined") and dialogs == []
    assert history.locator("script, iframe, svg, img[onerror], b, u").count() == 0
    assert page.evaluate("[...document.querySelectorAll('#chat-history *')].every(e => "
                         "![...e.attributes].some(a => a.name.startsWith('on')))")
    # a hostile file name and an SVG with script: listed, previewed and downloaded without running anything
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(9)"><script>alert(10)</script></svg>'
    client = requests.Session()
    client.headers["Authorization"] = "Bearer xoxp-marcus.reyes"
    name = '<img src=x onerror="alert(11)">.svg'
    got = client.post(chat_world.api_url + "files.getUploadURLExternal", data={"filename": name, "length": len(svg)}).json()
    assert requests.post(got["upload_url"], data=svg).status_code == 200
    done = client.post(chat_world.api_url + "files.completeUploadExternal",
                       data={"files": f'[{{"id": "{got["file_id"]}"}}]', "channel_id": channel}).json()
    assert done["ok"]
    page.goto(f"{chat_world.url}/archives/{channel}")
    expect(page.get_by_test_id("history")).to_contain_text(name)
    page.get_by_test_id("history").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_test_id("file-page")).to_contain_text(name)
    view = requests.get(f"{chat_world.url}/files/{got['file_id']}/view")
    assert view.headers["Content-Type"] == "application/octet-stream" and "attachment" in view.headers["Content-Disposition"]
    assert dialogs == [] and page.evaluate("window.__pwned === undefined")
    # the same text stays inert in search results and the thread panel
    page.goto(f"{chat_world.url}/search?q=pwned")
    expect(page.get_by_test_id("result-count")).to_have_text("4 results")
    assert page.locator("#main script").count() == 0 and page.evaluate("window.__pwned === undefined")


def test_unread_badges_load_older_join_and_errors_inline(world_page, chat_world):
    page = world_page
    page.goto(chat_world.url + "/")
    finance = page.get_by_test_id("side-finance")
    expect(finance).to_have_class(re.compile("unread"))
    expect(page.get_by_test_id("badge-finance")).to_have_text("1")
    finance.click()
    expect(page.get_by_test_id("new-divider")).to_be_visible()
    expect(page.get_by_test_id("side-finance")).not_to_have_class(re.compile("unread"))
    expect(page.get_by_test_id("badge-finance")).to_have_count(0)
    first = page.get_by_test_id("history").locator("article").first.get_attribute("data-ts")
    page.get_by_test_id("load-older").click()
    older_last = page.get_by_test_id("history").locator("article").last.get_attribute("data-ts")
    assert older_last < first
    # a public channel you are not in: read it, then join it
    page.goto(chat_world.url + "/browse-channels")
    page.get_by_test_id("join-operations").click()
    expect(page.get_by_test_id("toast")).to_have_text("You joined #operations.")
    expect(page.get_by_test_id("composer-input")).to_be_visible()
    # an empty message is refused in the form, nothing changes
    before = len(chat_world.changes())
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("needs some text")
    assert len(chat_world.changes()) == before
    # channel creation with a bad name shows the error in the form
    page.goto(chat_world.url + "/browse-channels")
    page.get_by_test_id("new-channel-name").fill("Q2 Budget!")
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("lowercase")
    page.get_by_test_id("new-channel-name").fill("q2-budget")
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("channel-title")).to_have_text("#q2-budget")


def test_edit_delete_topic_profile_and_dm(world_page, chat_world):
    page = world_page
    channel = _channel_id(chat_world, "general")
    page.goto(f"{chat_world.url}/archives/{channel}")
    page.get_by_test_id("composer-input").fill("Lunch is at *noon* in #random")
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()  # "#random" is being completed
    page.get_by_test_id("composer-input").press("Escape")
    page.get_by_test_id("composer-input").press("Enter")
    mine = page.get_by_test_id("history").locator("article").last
    expect(mine.locator("strong")).to_have_text("noon")
    expect(mine.locator("a.channel-link")).to_have_text("#random")
    mine.get_by_text("More").click()
    mine.get_by_role("link", name="Edit message").click()
    editor = page.get_by_test_id("edit-form").locator("textarea")
    expect(editor).to_have_value("Lunch is at *noon* in #random")
    editor.fill("Lunch is at 12:30 in #random")
    page.get_by_test_id("save-edit").click()
    mine = page.get_by_test_id("history").locator("article").last
    expect(mine).to_contain_text("Lunch is at 12:30 in #random (edited)")
    page.on("dialog", lambda d: d.accept())
    mine.get_by_text("More").click()
    mine.get_by_role("button", name="Delete message").click()
    expect(page.get_by_test_id("toast")).to_have_text("Message deleted.")
    expect(page.get_by_test_id("history")).not_to_contain_text("Lunch is at 12:30")
    page.get_by_test_id("topic").click()
    page.get_by_test_id("topic-input").fill("Quarter-end lunch Wednesday")
    page.get_by_test_id("topic-save").click()
    expect(page.get_by_test_id("topic")).to_have_text("Quarter-end lunch Wednesday")
    ops = [c["op"] for c in chat_world.changes() if c["op"] != "chat.mark"]
    assert ops == ["chat.post", "chat.update", "chat.delete", "chat.channel.topic"]
    page.get_by_test_id("members-button").click()
    expect(page.get_by_test_id("invite-form")).to_have_count(0)  # everyone is in #general
    page.get_by_test_id("members-panel").get_by_test_id("member-helen.park").click()
    expect(page.get_by_test_id("profile-title")).to_have_text("Chief Executive Officer")
    expect(page.get_by_test_id("profile-time")).to_contain_text("America/New_York")
    page.get_by_test_id("message-person").click()
    expect(page.get_by_test_id("channel-title")).to_have_text("Helen Park")
    # a group DM from the directory
    page.get_by_test_id("nav-people").click()
    page.get_by_test_id("new-dm-submit").click()
    expect(page.get_by_test_id("form-error")).to_have_text("Tick at least one person to message.")
    page.get_by_test_id("pick-tom.becker").check()
    page.get_by_test_id("pick-raj.patel").check()
    page.get_by_test_id("new-dm-submit").click()
    expect(page.get_by_test_id("channel-title")).to_have_text("Raj Patel, Tom Becker")
    page.get_by_test_id("composer-input").fill("Can we move the cycle count to Sunday?")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("history")).to_contain_text("Can we move the cycle count to Sunday?")
    assert [c["op"] for c in chat_world.changes()][-2:] == ["chat.dm.open", "chat.post"]


def test_broadcast_reply_file_preview_switch_user_and_leave(world_page, chat_world):
    page = world_page
    finance = _channel_id(chat_world, "finance")
    page.goto(f"{chat_world.url}/archives/{finance}")
    kickoff = page.get_by_test_id("history").locator("article", has_text="March close kickoff")
    kickoff.get_by_role("link", name="1 reply").click()
    panel = page.get_by_test_id("thread-panel")
    expect(panel).to_contain_text("On it. I'll start with the bills this morning.")
    panel.get_by_test_id("thread-input").fill("BL-20931 and FP-7781 are entered")
    panel.get_by_test_id("broadcast").check()
    panel.get_by_test_id("thread-send").click()
    expect(page.get_by_test_id("thread-panel")).to_contain_text("BL-20931 and FP-7781 are entered")
    in_channel = page.get_by_test_id("history").locator("article").last
    expect(in_channel).to_contain_text("replied to a thread")
    expect(in_channel).to_contain_text("BL-20931 and FP-7781 are entered")
    page.get_by_test_id("nav-activity").click()
    expect(page.get_by_test_id("mentions")).to_contain_text("how is the bill entry going?")
    expect(page.get_by_test_id("reactions")).to_contain_text("bank rec is done")
    page.goto(f"{chat_world.url}/archives/{finance}")
    page.get_by_test_id("files-button").click()
    expect(page.get_by_test_id("channel-files")).to_contain_text("Suspicious bank-change request (summary)")
    page.go_back()
    kickoff = page.get_by_test_id("history").locator("article", has_text="March close kickoff")
    # the checklist attached to the kickoff previews as text
    kickoff.get_by_role("link", name="March close checklist").click()
    expect(page.get_by_test_id("preview-text")).to_contain_text("Enter CC-55107 (Clearwater Chemical Inc.) at $2,040.00")
    # act as Marcus: his sidebar, his own messages to edit
    page.get_by_test_id("user-switcher").select_option("marcus.reyes")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_test_id("file-page")).to_be_visible()
    expect(page.get_by_test_id("side-leadership")).to_be_visible()
    page.goto(f"{chat_world.url}/archives/{finance}")
    page.get_by_test_id("members-button").click()
    page.get_by_test_id("invite-user").select_option(label="Raj Patel (Warehouse Lead)")
    page.get_by_test_id("invite-submit").click()
    expect(page.get_by_test_id("toast")).to_have_text("Added Raj Patel to #finance.")
    expect(page.get_by_test_id("members-panel").get_by_test_id("member-raj.patel")).to_be_visible()
    page.get_by_test_id("leave").click()
    expect(page.get_by_test_id("toast")).to_have_text("You left #finance.")
    expect(page.get_by_test_id("side-finance")).to_have_count(0)
    ops = [(c["op"], c["args"].get("user")) for c in chat_world.changes() if c["op"] != "chat.mark"]
    users = {u["name"]: u["id"] for u in chat_world.state()["chat_user"]}
    assert ops == [("chat.thread.reply", users["dana.whitfield"]), ("chat.channel.invite", users["marcus.reyes"]),
                   ("chat.channel.leave", users["marcus.reyes"])]
    reply = next(c for c in chat_world.changes() if c["op"] == "chat.thread.reply")
    assert reply["args"]["reply_broadcast"] is True
