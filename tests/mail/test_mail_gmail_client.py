"""The official google-api-python-client drives the mock Gmail API unchanged."""

import base64
import re
from email.message import EmailMessage

import pytest
import requests
from googleapiclient.errors import HttpError

from mock_apps.mail import mime


def test_list_with_query_and_get_full_raw_and_attachment(gmail):
    listed = gmail.users().messages().list(userId="me", q="from:brightline has:attachment after:2026/03/01").execute()
    ids = [m["id"] for m in listed["messages"]]
    assert listed["resultSizeEstimate"] == len(ids) >= 2
    found_bl = None
    for mid in ids:
        msg = gmail.users().messages().get(userId="me", id=mid).execute()
        headers = {h["name"]: h["value"] for h in msg["payload"]["headers"]}
        assert "brightline" in headers["From"].lower()
        assert set(msg) >= {"id", "threadId", "labelIds", "snippet", "payload", "sizeEstimate", "historyId", "internalDate"}
        if "BL-20931" in headers["Subject"]:
            found_bl = msg
    assert found_bl is not None and "$4,249.00" in found_bl["snippet"]
    pdf_part = next(p for p in found_bl["payload"]["parts"] if p["filename"])
    assert pdf_part["filename"] == "Invoice_BL-20931.pdf" and pdf_part["mimeType"] == "application/pdf"
    att = gmail.users().messages().attachments().get(
        userId="me", messageId=found_bl["id"], id=pdf_part["body"]["attachmentId"]).execute()
    data = base64.urlsafe_b64decode(att["data"])
    assert data.startswith(b"%PDF") and att["size"] == len(data) == pdf_part["body"]["size"]
    raw = gmail.users().messages().get(userId="me", id=found_bl["id"], format="raw").execute()
    parsed = mime.parse_message(base64.urlsafe_b64decode(raw["raw"]))
    assert parsed.attachments[0].data == data and "payload" not in raw
    minimal = gmail.users().messages().get(userId="me", id=found_bl["id"], format="minimal").execute()
    assert "payload" not in minimal and minimal["threadId"] == found_bl["threadId"]
    meta = gmail.users().messages().get(userId="me", id=found_bl["id"], format="metadata",
                                        metadataHeaders=["Subject"]).execute()
    assert [h["name"] for h in meta["payload"]["headers"]] == ["Subject"]


def test_pagination_with_page_tokens(gmail):
    first = gmail.users().messages().list(userId="me", maxResults=50).execute()
    second = gmail.users().messages().list(userId="me", maxResults=50, pageToken=first["nextPageToken"]).execute()
    assert len(first["messages"]) == 50 and first["resultSizeEstimate"] > 100
    assert not {m["id"] for m in first["messages"]} & {m["id"] for m in second["messages"]}


def test_send_with_attachment_modify_trash_and_change_log(gmail, world):
    msg = EmailMessage()
    msg["To"] = "Priya Nair <priya.nair@meridiansupply.com>"
    msg["Subject"] = "March accruals"
    msg.set_content("Priya, the accrual schedule is attached.")
    msg.add_attachment(b"account,amount\n2200,1250.00\n", maintype="text", subtype="csv", filename="accruals.csv")
    sent = gmail.users().messages().send(
        userId="me", body={"raw": base64.urlsafe_b64encode(msg.as_bytes()).decode()}).execute()
    assert sent["labelIds"] == ["SENT"]
    full = gmail.users().messages().get(userId="me", id=sent["id"]).execute()
    headers = {h["name"]: h["value"] for h in full["payload"]["headers"]}
    assert headers["From"] == "Dana Whitfield <dana.whitfield@meridiansupply.com>"
    assert [p["filename"] for p in full["payload"]["parts"]] == ["", "accruals.csv"]
    found = gmail.users().messages().list(userId="me", q="in:sent filename:accruals.csv").execute()
    assert [m["id"] for m in found["messages"]] == [sent["id"]]

    label = gmail.users().labels().create(userId="me", body={"name": "Finance/Accruals"}).execute()
    modified = gmail.users().messages().modify(userId="me", id=sent["id"],
                                               body={"addLabelIds": [label["id"], "STARRED"]}).execute()
    assert {label["id"], "STARRED", "SENT"} == set(modified["labelIds"])
    trashed = gmail.users().messages().trash(userId="me", id=sent["id"]).execute()
    assert "TRASH" in trashed["labelIds"]
    assert gmail.users().messages().list(userId="me", q="filename:accruals.csv").execute()["resultSizeEstimate"] == 0
    gmail.users().messages().untrash(userId="me", id=sent["id"]).execute()

    ops = [c["op"] for c in world.changes(after=0) if c["app"] == "mail"]
    assert ops == ["mail.send", "mail.label.create", "mail.modify", "mail.trash", "mail.untrash"]
    state = world.state("mail")["tables"]
    row = next(r for r in state["mail_message"] if r["id"] == sent["id"])
    assert row["subject"] == "March accruals" and "body_text" not in row


def test_threads_labels_and_drafts(gmail):
    threads = gmail.users().threads().list(userId="me", q="SP-88412", maxResults=10).execute()
    assert threads["resultSizeEstimate"] >= 2  # the invoice and its re-sent duplicate
    thread = gmail.users().threads().get(userId="me", id=threads["threads"][0]["id"]).execute()
    assert thread["messages"] and all(m["threadId"] == thread["id"] for m in thread["messages"])
    gmail.users().threads().modify(userId="me", id=thread["id"], body={"removeLabelIds": ["INBOX"]}).execute()
    labels = {l["name"]: l for l in gmail.users().labels().list(userId="me").execute()["labels"]}
    assert {"INBOX", "SENT", "TRASH", "Finance/Invoices"} <= set(labels)
    inbox = gmail.users().labels().get(userId="me", id="INBOX").execute()
    assert inbox["messagesTotal"] > 0 and "threadsUnread" in inbox

    draft_msg = EmailMessage()
    draft_msg["To"] = "marcus.reyes@meridiansupply.com"
    draft_msg["Subject"] = "Close status"
    draft_msg.set_content("Bills are in.")
    draft = gmail.users().drafts().create(
        userId="me", body={"message": {"raw": base64.urlsafe_b64encode(draft_msg.as_bytes()).decode()}}).execute()
    assert draft["id"] in [d["id"] for d in gmail.users().drafts().list(userId="me").execute()["drafts"]]
    got = gmail.users().drafts().get(userId="me", id=draft["id"]).execute()
    assert "DRAFT" in got["message"]["labelIds"]
    sent = gmail.users().drafts().send(userId="me", body={"id": draft["id"]}).execute()
    assert sent["labelIds"] == ["SENT"]
    with pytest.raises(HttpError) as err:
        gmail.users().drafts().get(userId="me", id=draft["id"]).execute()
    assert err.value.resp.status == 404


def test_errors_use_gmail_error_body(gmail, world):
    with pytest.raises(HttpError) as err:
        gmail.users().messages().get(userId="me", id="0000000000000000").execute()
    assert err.value.resp.status == 404
    with pytest.raises(HttpError) as err:
        gmail.users().messages().list(userId="me", q="from:x (").execute()
    assert err.value.resp.status == 400
    body = requests.get(world.api_url("mail") + "/gmail/v1/users/me/messages", params={"q": "is:bogus"}).json()
    assert body["error"]["code"] == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert "is:bogus" in body["error"]["message"]
    resp = requests.post(world.api_url("mail") + "/gmail/v1/users/me/messages/send", json={"raw": "!!!"})
    assert resp.status_code == 400 and resp.json()["error"]["status"] == "INVALID_ARGUMENT"
    resp = requests.post(world.api_url("mail") + "/gmail/v1/users/me/messages/0/modify",
                         json={"addLabelIds": ["INBOX"]})
    assert resp.status_code == 404
    assert world.changes(after=0) == []


def test_media_upload_send_and_openapi(world):
    msg = EmailMessage()
    msg["To"] = "priya.nair@meridiansupply.com"
    msg["Subject"] = "Uploaded"
    msg.set_content("via media upload")
    base = world.api_url("mail")
    resp = requests.post(base + "/upload/gmail/v1/users/me/messages/send?uploadType=media", data=msg.as_bytes(),
                         headers={"Content-Type": "message/rfc822"})
    assert resp.status_code == 200 and resp.json()["labelIds"] == ["SENT"]
    doc = requests.get(base + "/gmail/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/gmail/v1/users/{userId}/messages/send" in doc["paths"]


def test_openapi_document_lists_every_api_route(sandbox):
    from mock_apps.mail import create_app

    app = create_app({"settings": sandbox.settings, "TESTING": True})
    served = set()
    for rule in app.url_map.iter_rules():
        if "/gmail/v1/users/" not in rule.rule or rule.rule.startswith("/w/"):
            continue
        path = re.sub(r"<(?:\w+:)?user_id>", "{userId}", rule.rule)
        path = re.sub(r"<(?:\w+:)?message_id>", "{messageId}" if "attachments" in path else "{id}", path)
        path = re.sub(r"<(?:\w+:)?(\w+)_id>", "{id}", path)
        served |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    doc = app.test_client().get("/gmail/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert served and served == documented
