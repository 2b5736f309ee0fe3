"""RFC 822 messages: building them with the stdlib `email` package, and parsing them robustly.

Messages are stored as their real bytes; everything the app shows (headers, bodies, attachments,
Gmail API `payload` trees) is derived from those bytes by this module. Parsing never raises on
hostile or malformed input: broken parts degrade to text, unknown charsets to replacement chars.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, parseaddr

SNIPPET_CHARS = 200
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_STYLE_SCRIPT = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class OutgoingAttachment:
    """A file to attach when building a message."""

    filename: str
    mime_type: str
    data: bytes


@dataclass
class ParsedAttachment:
    """An attachment found in a parsed message, with its Gmail part id."""

    part_id: str
    filename: str
    mime_type: str
    data: bytes
    content_id: str | None = None

    @property
    def size(self) -> int:
        """Decoded size in bytes."""
        return len(self.data)


@dataclass
class ParsedMessage:
    """The parts of a message the app shows and indexes."""

    headers: list[tuple[str, str]]
    subject: str
    sender: str  # the whole From header, decoded
    sender_name: str
    sender_email: str
    to: list[tuple[str, str]]  # (name, email)
    cc: list[tuple[str, str]]
    bcc: list[tuple[str, str]]
    date: datetime | None
    message_id: str
    in_reply_to: str
    references: str
    text: str
    html: str | None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The first header with this name (case-insensitive), or ''."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return ""

    @property
    def snippet(self) -> str:
        """Gmail-style snippet: the start of the plain text, whitespace collapsed."""
        text = self.text if self.text.strip() else html_to_text(self.html or "")
        return _WS.sub(" ", text).strip()[:SNIPPET_CHARS]


def format_address(name: str, email: str) -> str:
    """A header-ready address ("Dana Whitfield <dana@x.com>"), safely quoted."""
    if not name:
        return email
    try:
        return str(Address(display_name=name, addr_spec=email))
    except (ValueError, IndexError):
        return email


def split_addresses(value: str | list[str] | None) -> list[tuple[str, str]]:
    """Parse a comma-separated address list (or a list of them) into (name, email) pairs."""
    if not value:
        return []
    items = [value] if isinstance(value, str) else list(value)
    pairs = getaddresses([str(v) for v in items])
    return [(name.strip(), email.strip()) for name, email in pairs if email and "@" in email]


def build_message(
    *,
    sender: str,
    to: list[str],
    subject: str,
    text: str,
    date: datetime,
    message_id: str,
    cc: list[str] | None = None,
    bcc: list[str] | None = None,
    html_body: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    attachments: list[OutgoingAttachment] | None = None,
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    """Build an RFC 822 message (multipart when it has HTML or attachments) and return its bytes."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if bcc:
        msg["Bcc"] = ", ".join(bcc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (extra_headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html_body is not None:
        msg.add_alternative(html_body, subtype="html")
    for att in attachments or []:
        maintype, _, subtype = att.mime_type.partition("/")
        msg.add_attachment(att.data, maintype=maintype or "application", subtype=subtype or "octet-stream",
                           filename=att.filename)
    # the stdlib picks random boundaries; derive them from the Message-ID so bytes are reproducible
    token = hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_mock_{token}_{i}")
    return msg.as_bytes()


# RFC 5322 allows 998 characters a line; a field far beyond that is refused where messages come in, since the
# stdlib's header parser and folder take time quadratic in a field's length (5 MB: minutes, holding the world)
HEADER_FIELD_LIMIT = 100_000


def longest_header_field(raw: bytes) -> int:
    """The length in bytes of the longest header field (its folded lines together) of RFC 822 bytes."""
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=len(raw))
    longest = current = 0
    for line in raw[:end].splitlines():
        current = current + len(line) if line[:1] in (b" ", b"\t") else len(line)
        longest = max(longest, current)
    return longest


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse message bytes into headers, bodies and attachments; never raises on bad input."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    headers = [(k, _header_str(v)) for k, v in _raw_items(msg)]
    get = _getter(headers)
    sender = get("From")
    sender_name, sender_email = parseaddr(sender)
    text_parts: list[str] = []
    html_parts: list[str] = []
    attachments: list[ParsedAttachment] = []
    for part_id, part in walk_parts(msg):
        if part.is_multipart():
            continue
        ctype = _safe_content_type(part)
        filename = _safe_filename(part)
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if filename or disposition == "attachment" or not ctype.startswith(("text/", "multipart/")):
            if ctype == "message/rfc822" or ctype.startswith("multipart/"):
                continue
            attachments.append(ParsedAttachment(
                part_id=part_id, filename=filename or f"attachment-{part_id or '0'}",
                mime_type=ctype, data=decoded_bytes(part),
                content_id=(part.get("Content-ID") or "").strip("<> ") or None,
            ))
        elif ctype == "text/html":
            html_parts.append(decoded_text(part).replace("\r\n", "\n"))
        else:
            text_parts.append(decoded_text(part).replace("\r\n", "\n"))
    return ParsedMessage(
        headers=headers,
        subject=get("Subject"),
        sender=sender,
        sender_name=sender_name.strip(),
        sender_email=sender_email.strip().lower(),
        to=split_addresses(get("To")),
        cc=split_addresses(get("Cc")),
        bcc=split_addresses(get("Bcc")),
        date=_parse_date(get("Date")),
        message_id=get("Message-ID").strip(),
        in_reply_to=get("In-Reply-To").strip(),
        references=get("References").strip(),
        text="\n".join(text_parts),
        html="\n".join(html_parts) if html_parts else None,
        attachments=attachments,
        defects=[type(d).__name__ for _, p in walk_parts(msg) for d in getattr(p, "defects", [])],
    )


def walk_parts(msg: Message, part_id: str = ""):
    """Yield (gmail part id, part) depth-first: root is "", its children "0", "1", grandchildren "1.0"."""
    yield part_id, msg
    if msg.is_multipart():
        payload = msg.get_payload()
        if isinstance(payload, list):
            for i, child in enumerate(payload):
                child_id = str(i) if part_id == "" else f"{part_id}.{i}"
                yield from walk_parts(child, child_id)


def decoded_bytes(part: Message) -> bytes:
    """The part's body with its transfer encoding removed."""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # malformed base64/quoted-printable: fall back to the raw text
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "replace") if isinstance(payload, str) else b""
    return data


def decoded_text(part: Message) -> str:
    """The part's body as text, honouring its charset and replacing what cannot be decoded."""
    data = decoded_bytes(part)
    charset = "utf-8"
    try:
        charset = part.get_content_charset() or "utf-8"
    except Exception:
        pass
    try:
        return data.decode(charset, "replace")
    except (LookupError, TypeError):  # unknown charset name
        return data.decode("utf-8", "replace")


def html_to_text(markup: str) -> str:
    """A rough plain-text rendering of HTML for snippets and the search index."""
    return html.unescape(_TAG.sub(" ", _STYLE_SCRIPT.sub(" ", markup)))


def b64url(data: bytes) -> str:
    """Base64url without stripping padding, as the Gmail API sends it."""
    return base64.urlsafe_b64encode(data).decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raises ValueError on garbage."""
    cleaned = "".join(str(text).split())
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, altchars=b"-_", validate=True)
    except Exception as exc:
        raise ValueError("not valid base64url data") from exc


def gmail_payload(raw: bytes, attachment_id: Callable[[str], str], *, include_bodies: bool = True) -> dict:
    """The Gmail API `payload` tree of a message: partId, mimeType, filename, headers, body, parts.

    `attachment_id(part_id)` names the attachment id the API serves an attachment part under.
    """
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    return _payload_of(msg, "", attachment_id, include_bodies)


def _payload_of(part: Message, part_id: str, attachment_id, include_bodies: bool) -> dict:
    filename = _safe_filename(part)
    node: dict = {
        "partId": part_id,
        "mimeType": _safe_content_type(part),
        "filename": filename,
        "headers": [{"name": k, "value": _header_str(v)} for k, v in _raw_items(part)],
    }
    if part.is_multipart():
        node["body"] = {"size": 0}
        children = part.get_payload() if isinstance(part.get_payload(), list) else []
        node["parts"] = [
            _payload_of(child, str(i) if part_id == "" else f"{part_id}.{i}", attachment_id, include_bodies)
            for i, child in enumerate(children)
        ]
        return node
    data = decoded_bytes(part)
    if filename:
        node["body"] = {"attachmentId": attachment_id(part_id), "size": len(data)}
    elif include_bodies:
        node["body"] = {"size": len(data), "data": b64url(data)}
    else:
        node["body"] = {"size": len(data)}
    return node


def _raw_items(msg: Message) -> list[tuple[str, object]]:
    try:
        return list(msg.items())
    except Exception:  # a header the policy cannot parse: read the raw strings instead
        return [(k, v) for k, v in msg._headers]  # noqa: SLF001 - the only lossless fallback


def _header_str(value: object) -> str:
    try:
        return str(value)
    except Exception:
        return repr(value)


def _getter(headers: list[tuple[str, str]]):
    index: dict[str, str] = {}
    for key, value in headers:
        index.setdefault(key.lower(), value)
    return lambda name: index.get(name.lower(), "")


def _safe_content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _safe_filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    # path separators and control characters never reach a download header or a file system
    return re.sub(r"[\x00-\x1f/\\]+", "_", str(name)).strip()


def _parse_date(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if moment is not None and moment.tzinfo is None:
        return None
    return moment
