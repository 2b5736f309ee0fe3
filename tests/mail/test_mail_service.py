"""The service layer: every change is one named operation in the change log; bad input changes nothing."""

import json

import pytest
from sqlalchemy import text

from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.mail import mime, service

from .mailbox_fixture import build_mailbox


@pytest.fixture
def box(tmp_path):
    session, ids = build_mailbox(tmp_path)
    yield session, ids
    session.close()


def changes(session) -> list[tuple[str, dict, list]]:
    rows = session.execute(text("SELECT op, args, changes FROM world.change ORDER BY seq")).all()
    return [(op, json.loads(args), json.loads(diff)) for op, args, diff in rows]


def labels_of(session, message_id):
    msg = service.get_message(session, message_id)
    return service.message_labels(session, [msg.pk])[msg.pk]


def test_label_changes_are_named_by_what_they_do(box):
    session, ids = box
    service.modify_threads(session, [ids["a"]], remove={"INBOX"})
    service.modify_messages(session, [ids["b"]], add={"STARRED"})
    service.modify_messages(session, [ids["b"]], add={"Label_2"})
    service.modify_messages(session, [ids["a"]], remove={"UNREAD"})
    service.trash_messages(session, [ids["c"]])
    service.untrash_messages(session, [ids["c"]])
    ops = [op for op, _, _ in changes(session)]
    assert ops == ["mail.archive", "mail.star", "mail.label.add", "mail.mark_read", "mail.trash", "mail.untrash"]
    assert "INBOX" not in labels_of(session, ids["a"]) and "Label_2" in labels_of(session, ids["b"])
    _, args, diff = changes(session)[0]
    assert args["remove"] == ["INBOX"]
    assert ("mail_message_label", "delete") in {(d["table"], d["kind"]) for d in diff}


def test_no_op_modify_logs_nothing(box):
    session, ids = box
    service.modify_messages(session, [ids["b"]], remove={"STARRED"})  # not starred: nothing changes
    assert changes(session) == []


def test_invalid_labels_rejected_without_change(box):
    session, ids = box
    with pytest.raises(NotFound):
        service.modify_messages(session, [ids["a"]], add={"Label_99"})
    with pytest.raises(BadRequest):
        service.modify_messages(session, [ids["a"]], add={"SENT"})
    assert changes(session) == []


def test_send_with_attachment_and_reply_threads(box):
    session, ids = box
    out = service.Outgoing(to=["Priya Nair <priya@meridian.test>"], subject="Re: Invoice NP-100 from Northwind",
                           body="Thanks, entering it.", reply_to=ids["a"],
                           attachments=[mime.OutgoingAttachment("notes.csv", "text/csv", b"a,b\n1,2\n")])
    sent = service.send(session, out)
    assert sent.thread_id == service.get_message(session, ids["a"]).thread_id
    assert labels_of(session, sent.id) == {"SENT"}
    parsed = mime.parse_message(sent.raw)
    assert parsed.sender_email == "dana@meridian.test" and parsed.in_reply_to == "<a.0@test>"
    assert [(a.filename, a.data) for a in parsed.attachments] == [("notes.csv", b"a,b\n1,2\n")]
    [(op, args, _)] = changes(session)
    assert op == "mail.send" and args["kind"] == "reply" and args["attachments"] == ["notes.csv"]
    assert service.suggest_contacts(session, "pri")[0].email == "priya@meridian.test"


def test_send_rejects_missing_or_bad_recipients(box):
    session, _ = box
    with pytest.raises(BadRequest):
        service.send(session, service.Outgoing(to=[], subject="x", body="y"))
    with pytest.raises(BadRequest, match="not an email address"):
        service.parse_recipients("priya@, bob", "To")
    assert changes(session) == []


def test_draft_autosave_update_and_send(box):
    session, _ = box
    out = service.Outgoing(to=["marcus@meridian.test"], subject="Close notes", body="first")
    draft = service.save_draft(session, out)
    assert service.save_draft(session, out, draft_id=draft.id).id == draft.id  # unchanged: no new entry
    out.body = "second"
    service.save_draft(session, out, draft_id=draft.id)
    _, msg = service.get_draft(session, draft.id)
    assert mime.parse_message(msg.raw).text.strip().startswith("second")
    sent = service.send_draft(session, draft.id)
    assert labels_of(session, sent.id) == {"SENT"}
    with pytest.raises(NotFound):
        service.get_draft(session, draft.id)
    assert [op for op, _, _ in changes(session)] == ["mail.draft.save", "mail.draft.save", "mail.send"]


def test_nested_label_creation_and_deletion(box):
    session, ids = box
    label = service.create_label(session, "Vendors/Freight")
    names = {l.name for l in service.labels(session)}
    assert {"Vendors", "Vendors/Freight"} <= names and label.name == "Vendors/Freight"
    with pytest.raises(BadRequest):
        service.create_label(session, "vendors/freight")
    with pytest.raises(BadRequest):
        service.create_label(session, "INBOX")
    service.modify_messages(session, [ids["b"]], add={label.id})
    service.delete_label(session, label.id)
    assert label.id not in labels_of(session, ids["b"])
    assert [op for op, _, _ in changes(session)] == ["mail.label.create", "mail.label.add", "mail.label.delete"]


def test_send_raw_forces_from_and_keeps_attachments(box):
    session, _ = box
    from email.message import EmailMessage

    m = EmailMessage()
    m["From"] = "someone-else@evil.test"
    m["To"] = "priya@meridian.test"
    m["Subject"] = "Fwd: statement"
    m.set_content("see attached")
    m.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="s.pdf")
    sent = service.send_raw(session, m.as_bytes())
    parsed = mime.parse_message(sent.raw)
    assert parsed.sender_email == "dana@meridian.test" and parsed.attachments[0].filename == "s.pdf"
    [(op, args, _)] = changes(session)
    assert op == "mail.send" and args["kind"] == "forward"


def test_undo_send_reopens_a_reply_as_a_draft_in_its_thread(box):
    session, ids = box
    out = service.Outgoing(to=["priya@meridian.test"], subject="Re: Invoice NP-100 from Northwind",
                           body="Entering it today.", reply_to=ids["a"],
                           attachments=[mime.OutgoingAttachment("notes.csv", "text/csv", b"a,b\n1,2\n")])
    sent = service.send(session, out)
    draft = service.unsend(session, sent.id)
    with pytest.raises(NotFound):
        service.get_message(session, sent.id)
    _, msg = service.get_draft(session, draft.id)
    parsed = mime.parse_message(msg.raw)
    assert msg.thread_id == service.get_message(session, ids["a"]).thread_id
    assert labels_of(session, msg.id) == {"DRAFT"}
    assert parsed.text.strip() == "Entering it today." and [a.filename for a in parsed.attachments] == ["notes.csv"]
    assert [op for op, _, _ in changes(session)] == ["mail.send", "mail.unsend"]


def test_undo_send_refused_for_received_or_old_messages(box):
    session, ids = box
    with pytest.raises(BadRequest, match="was not sent"):
        service.unsend(session, ids["a"])
    sent = service.send(session, service.Outgoing(to=["priya@meridian.test"], subject="Hi", body="x"))
    session.execute(text("UPDATE world.clock SET now_us = now_us + :step WHERE id = 1"),
                    {"step": (service.UNDO_SEND_SECONDS + 1) * 1_000_000})
    with pytest.raises(BadRequest, match="Too late to undo"):
        service.unsend(session, sent.id)
    assert labels_of(session, sent.id) == {"SENT"}
    assert [op for op, _, _ in changes(session)] == ["mail.send"]
