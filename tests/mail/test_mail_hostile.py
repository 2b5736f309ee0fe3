"""Hostile mail is shown safely: nothing runs, nothing breaks (asserted in a real browser)."""

import base64

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

PWN = "window.__pwned = (window.__pwned || 0) + 1"

HTML_ATTACK = (
    "From: =?utf-8?Q?=22<img_src=3Dx_onerror=3Dwindow.__pwned=3D5>=22?= <evil@attacker.test>\r\n"
    "To: dana.whitfield@meridiansupply.com\r\n"
    "Subject: <script>" + PWN + "</script> Invoice update\r\n"
    "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<p>Hello</p><script>" + PWN + "</script>"
    "<img src=x onerror=\"" + PWN + "\"><a href=\"javascript:" + PWN + "\">pay here</a>"
    "<svg onload=\"" + PWN + "\"></svg><iframe srcdoc=\"<script>parent.__pwned=9</script>\"></iframe>"
    "<form action=\"javascript:alert(1)\"><button>Go</button></form>"
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">"
    "<style>body { display: none }</style><div style=\"background:url(javascript:alert(1))\">styled</div>"
    "<a href=\"https://example.test/ok\">safe link</a>\r\n"
).encode()

ODD_ENCODING = (
    b"From: =?windows-1252?Q?Jos=E9_M=FCller?= <jose@vendor.test>\r\n"
    b"To: dana.whitfield@meridiansupply.com\r\n"
    b"Subject: =?iso-8859-1?Q?Caf=E9_cr=E8me_invoice?=\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    b"Total =E2=82=AC 12,50 due =\r\nsoon\r\n"
)

MALFORMED = (
    b"From: broken@vendor.test\r\nTo: dana.whitfield@meridiansupply.com\r\nSubject: Broken MIME\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
    b"--b1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@ not base64 @@@\r\n"
    b"--b1\r\nContent-Type: text/html; name=\"<script>x</script>.html\"\r\n"
    b"Content-Disposition: attachment; filename=\"<script>x</script>.html\"\r\n\r\n"
    b"<script>" + PWN.encode() + b"</script>\r\n"
    b"--b1\r\nContent-Type: multipart/alternative; boundary=\"never-closed\"\r\n\r\n--never-closed\r\n"
)


def _insert(world, raw: bytes) -> dict:
    resp = requests.post(world.api_url("mail") + "/gmail/v1/users/me/messages",
                         json={"raw": base64.urlsafe_b64encode(raw).decode(), "labelIds": ["INBOX", "UNREAD"]})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _big() -> bytes:
    body = ("Line of a very long statement. " * 40 + "\r\n") * 1700  # about 2 MB
    return (b"From: bank@bank.test\r\nTo: dana.whitfield@meridiansupply.com\r\nSubject: Huge statement\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode())


def test_hostile_messages_render_inert(world_page, world):
    page = world_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    attack = _insert(world, HTML_ATTACK)
    odd = _insert(world, ODD_ENCODING)
    broken = _insert(world, MALFORMED)
    big = _insert(world, _big())
    base = world.url("mail")

    page.goto(base + "/")
    expect(page.get_by_role("row").filter(has_text="Invoice update")).to_have_count(1)
    expect(page.get_by_role("row").filter(has_text="Café crème invoice")).to_have_count(1)

    page.goto(f"{base}/thread/{attack['threadId']}")
    body = page.get_by_test_id("message-body")
    expect(body).to_contain_text("Hello")
    expect(body.get_by_role("link", name="safe link")).to_have_attribute("href", "https://example.test/ok")
    assert body.locator("script, iframe, svg, form, meta, style").count() == 0
    assert page.locator("[onerror], [onload], [onclick]").count() == 0
    assert page.locator("a[href^='javascript'], [href*='javascript:']").count() == 0
    expect(page.get_by_test_id("thread-subject")).to_contain_text("<script>")  # shown as text, not run

    page.goto(f"{base}/thread/{odd['threadId']}")
    expect(page.get_by_test_id("thread-subject")).to_contain_text("Café crème invoice")
    expect(page.get_by_test_id("message-from")).to_have_text("José Müller")
    expect(page.get_by_test_id("message-body")).to_contain_text("12,50 due soon")

    page.goto(f"{base}/thread/{broken['threadId']}")
    expect(page.get_by_test_id("thread-subject")).to_contain_text("Broken MIME")
    attachment = page.get_by_test_id("attachment-<script>x<_script>.html")  # "/" never reaches a file name
    expect(attachment).to_be_visible()
    href = attachment.get_by_role("link", name="Download").get_attribute("href")
    served = page.request.get(base + href.replace(base, ""))
    assert served.status == 200 and "attachment" in served.headers["content-disposition"]
    assert served.headers["content-type"] == "application/octet-stream"
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_test_id("attachment-name")).to_contain_text("<script>x<_script>.html")

    page.goto(f"{base}/thread/{big['threadId']}")
    expect(page.get_by_test_id("clipped")).to_contain_text("Message clipped")

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
