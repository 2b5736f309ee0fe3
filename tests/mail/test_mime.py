"""RFC 822 building and robust parsing."""

from datetime import datetime, timezone

from mock_apps.mail import mime

WHEN = datetime(2026, 3, 1, 15, 0, tzinfo=timezone.utc)


def _build(**kw) -> bytes:
    base = dict(sender="Dana Whitfield <dana@meridian.test>", to=["Bob Li <bob@vendor.test>"], subject="Invoice",
                text="Hello\nsecond line", date=WHEN, message_id="<m1@meridian.test>")
    base.update(kw)
    return mime.build_message(**base)


def test_round_trip_headers_bodies_and_attachment():
    raw = _build(cc=["carol@x.test"], html_body="<p>Hello</p>",
                 attachments=[mime.OutgoingAttachment("inv.pdf", "application/pdf", b"%PDF-1.4 data")])
    parsed = mime.parse_message(raw)
    assert parsed.subject == "Invoice"
    assert (parsed.sender_name, parsed.sender_email) == ("Dana Whitfield", "dana@meridian.test")
    assert parsed.to == [("Bob Li", "bob@vendor.test")]
    assert parsed.cc == [("", "carol@x.test")]
    assert parsed.date == WHEN
    assert parsed.text.strip() == "Hello\nsecond line"
    assert parsed.html.strip() == "<p>Hello</p>"
    [att] = parsed.attachments
    assert (att.filename, att.mime_type, att.data, att.part_id) == ("inv.pdf", "application/pdf", b"%PDF-1.4 data", "1")
    assert parsed.snippet == "Hello second line"


def test_build_is_deterministic():
    kw = dict(html_body="<p>x</p>", attachments=[mime.OutgoingAttachment("a.csv", "text/csv", b"a,b\n1,2\n")])
    assert _build(**kw) == _build(**kw)


def test_gmail_payload_tree_has_part_ids_and_attachment_ids():
    raw = _build(attachments=[mime.OutgoingAttachment("a.csv", "text/csv", b"a,b\n")])
    payload = mime.gmail_payload(raw, lambda part_id: f"att-{part_id}")
    assert payload["partId"] == "" and payload["mimeType"] == "multipart/mixed"
    text, csv = payload["parts"]
    assert text["partId"] == "0" and mime.b64url_decode(text["body"]["data"]).startswith(b"Hello")
    assert csv["filename"] == "a.csv" and csv["body"] == {"attachmentId": "att-1", "size": 4}
    assert {"name": "Subject", "value": "Invoice"} in payload["headers"]


def test_malformed_input_never_raises():
    nasty = (b"From: =?bogus-charset?Q?x?= <a@b>\r\nSubject: =?utf-8?B?!!!?=\r\n"
             b"Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\n"
             b"Content-Type: text/plain; charset=klingon\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             b"@@@not base64@@@\r\n--zz\r\nContent-Type: application/pdf; name=\"../../etc/passwd\"\r\n"
             b"Content-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nabc\r\n")  # no closing boundary
    parsed = mime.parse_message(nasty)
    assert parsed.sender_email == "a@b"
    assert all("/" not in a.filename for a in parsed.attachments)
    mime.gmail_payload(nasty, lambda p: p)


def test_latin1_body_decodes():
    raw = (b"From: a@b.test\r\nSubject: caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 cr\xe8me\r\n")
    assert mime.parse_message(raw).text.strip() == "Café crème"


def test_b64url_decode_accepts_unpadded_and_rejects_garbage():
    assert mime.b64url_decode(mime.b64url(b"\xff\xfe hi").rstrip("=")) == b"\xff\xfe hi"
    try:
        mime.b64url_decode("***")
    except ValueError:
        pass
    else:
        raise AssertionError("garbage accepted")
