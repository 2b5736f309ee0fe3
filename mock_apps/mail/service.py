"""Mail's rules: the only code that changes the mailbox. UI views and the Gmail API both call it.

Every change runs inside `db.operation(name, ...)`, so it is one transaction, one clock step and one
change-log entry, named after what the user did (`mail.send`, `mail.archive`, `mail.label.add` ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import formataddr, make_msgid

from sqlalchemy import text
from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.mail import mime
from mock_apps.mail.models import (
    SYSTEM_LABELS,
    Attachment,
    Contact,
    Draft,
    Label,
    Mailbox,
    Message,
    MessageLabel,
)
from mock_apps.mail.search import compile_query

# labels a user (or API client) may not add or remove through modify, as in Gmail
_IMMUTABLE = {"DRAFT", "SENT"}
UNDO_SEND_SECONDS = 30  # Gmail's longest "Undo send" cancellation period
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
_LABEL_NAME = re.compile(r"^[^\x00-\x1f]{1,225}$")
LABEL_COLORS = ("#fad165", "#a4c2f4", "#b6cff5", "#98d7e4", "#e3d7ff", "#fbd3e0", "#f2b2a8", "#c2c2c2",
                "#4986e7", "#16a765", "#ffad47", "#e66550")


@dataclass
class ThreadSummary:
    """One row of a message list: a conversation with what the list shows about it."""

    id: str
    subject: str
    snippet: str
    senders: list[str]
    count: int
    unread: bool
    starred: bool
    has_attachment: bool
    last_ms: int
    label_ids: set[str] = field(default_factory=set)
    attachment_names: list[str] = field(default_factory=list)

    @property
    def date(self) -> datetime:
        """The latest message's time (aware UTC)."""
        return datetime.fromtimestamp(self.last_ms / 1000, tz=timezone.utc)


# ---- reading ---------------------------------------------------------------------------------

def mailbox(db: WorldSession) -> Mailbox:
    """The mailbox owner."""
    box = db.get(Mailbox, 1)
    if box is None:
        raise NotFound("this world has no mailbox; reset it from a scenario")
    return box


def labels(db: WorldSession) -> list[Label]:
    """All labels: system first (in Gmail's order), then user labels by name."""
    rows = db.exec(select(Label)).all()
    order = {name: i for i, name in enumerate(SYSTEM_LABELS)}
    return sorted(rows, key=lambda l: (l.type != "system", order.get(l.id, 99), l.name.lower()))


def label_by_id(db: WorldSession, label_id: str) -> Label:
    """A label by id, or NotFound."""
    label = db.get(Label, label_id)
    if label is None:
        raise NotFound(f"Invalid label: {label_id}", code="invalid_label")
    return label


def label_by_name(db: WorldSession, name: str) -> Label | None:
    """A label by exact name (case-insensitive), or None."""
    return db.exec(select(Label).where(Label.name.ilike(name.replace("%", r"\%")))).first()  # type: ignore[attr-defined]


def unread_counts(db: WorldSession) -> dict[str, int]:
    """Unread conversation count per label (trash and spam counted only in themselves)."""
    rows = db.execute(text(
        "SELECT ml.label_id, count(DISTINCT m.thread_id) FROM mail_message m "
        "JOIN mail_message_label ml ON ml.message_pk = m.pk "
        "JOIN mail_message_label u ON u.message_pk = m.pk AND u.label_id = 'UNREAD' "
        "WHERE ml.label_id IN ('TRASH', 'SPAM') OR NOT EXISTS (SELECT 1 FROM mail_message_label x "
        "WHERE x.message_pk = m.pk AND x.label_id IN ('TRASH', 'SPAM')) GROUP BY ml.label_id"
    )).all()
    return {label_id: count for label_id, count in rows}


def draft_count(db: WorldSession) -> int:
    """How many drafts exist (Gmail shows the total, not unread, next to Drafts)."""
    return db.execute(text("SELECT count(*) FROM mail_draft")).scalar_one()


def message_labels(db: WorldSession, message_pks: list[int]) -> dict[int, set[str]]:
    """Label ids of each message."""
    result: dict[int, set[str]] = {pk: set() for pk in message_pks}
    if not message_pks:
        return result
    for pk, label_id in db.execute(select(MessageLabel.message_pk, MessageLabel.label_id)
                                   .where(MessageLabel.message_pk.in_(message_pks))).all():  # type: ignore[attr-defined]
        result[pk].add(label_id)
    return result


def get_message(db: WorldSession, message_id: str) -> Message:
    """A message by its Gmail id, or NotFound."""
    msg = db.exec(select(Message).where(Message.id == message_id)).first()
    if msg is None:
        raise NotFound(f"Requested entity was not found: message {message_id!r}", code="message_not_found")
    return msg


def thread_messages(db: WorldSession, thread_id: str) -> list[Message]:
    """All messages of a thread, oldest first, or NotFound."""
    rows = db.exec(select(Message).where(Message.thread_id == thread_id).order_by(Message.internal_ms, Message.pk)).all()
    if not rows:
        raise NotFound(f"Requested entity was not found: thread {thread_id!r}", code="thread_not_found")
    return list(rows)


def attachments_of(db: WorldSession, message_pks: list[int]) -> dict[int, list[Attachment]]:
    """Attachments of each message, in part order."""
    result: dict[int, list[Attachment]] = {pk: [] for pk in message_pks}
    if message_pks:
        for att in db.exec(select(Attachment).where(Attachment.message_pk.in_(message_pks))  # type: ignore[attr-defined]
                           .order_by(Attachment.pk)).all():
            result[att.message_pk].append(att)
    return result


def get_attachment(db: WorldSession, message_id: str, attachment_id: str) -> tuple[Attachment, bytes]:
    """An attachment's row and bytes, or NotFound."""
    msg = get_message(db, message_id)
    att = db.exec(select(Attachment).where(Attachment.message_pk == msg.pk,
                                           Attachment.attachment_id == attachment_id)).first()
    if att is None:
        raise NotFound(f"Requested entity was not found: attachment {attachment_id!r}", code="attachment_not_found")
    for part in mime.parse_message(msg.raw).attachments:
        if part.part_id == att.part_id:
            return att, part.data
    raise NotFound(f"attachment {attachment_id!r} has no data in the message source", code="attachment_not_found")


def query_condition(db: WorldSession, q: str | None, *, label_ids: list[str] | None = None,
                    include_spam_trash: bool = False) -> tuple[str, dict]:
    """The SQL condition for a Gmail query plus required label ids (raises QueryError when malformed)."""
    from mock_apps.mail.query import And, Term, parse

    ast = parse(q or "")
    parts = [Term("labelid", label_id) for label_id in (label_ids or [])]
    if ast is not None:
        parts.append(ast)
    node = None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))
    return compile_query(node, now=db.now(), tz=db.timezone(), me=mailbox(db).email,
                         include_spam_trash=include_spam_trash)


def search_messages(db: WorldSession, q: str | None, *, label_ids: list[str] | None = None,
                    include_spam_trash: bool = False, offset: int = 0, limit: int = 100) -> tuple[list[tuple[str, str]], int]:
    """(message id, thread id) pairs matching, newest first, and the total count."""
    cond, params = query_condition(db, q, label_ids=label_ids, include_spam_trash=include_spam_trash)
    total = db.execute(text(f"SELECT count(*) FROM mail_message m WHERE {cond}"), params).scalar_one()
    rows = db.execute(text(f"SELECT m.id, m.thread_id FROM mail_message m WHERE {cond} "
                           f"ORDER BY m.internal_ms DESC, m.pk DESC LIMIT :lim OFFSET :off"),
                      {**params, "lim": limit, "off": offset}).all()
    return [(r[0], r[1]) for r in rows], total


def search_threads(db: WorldSession, q: str | None, *, label_ids: list[str] | None = None,
                   include_spam_trash: bool = False, offset: int = 0, limit: int = 50) -> tuple[list[ThreadSummary], int]:
    """Conversations with a matching message, newest first (by their latest matching message), and the total."""
    cond, params = query_condition(db, q, label_ids=label_ids, include_spam_trash=include_spam_trash)
    total = db.execute(text(f"SELECT count(DISTINCT m.thread_id) FROM mail_message m WHERE {cond}"), params).scalar_one()
    rows = db.execute(text(
        f"SELECT m.thread_id, max(m.internal_ms) AS last FROM mail_message m WHERE {cond} "
        f"GROUP BY m.thread_id ORDER BY last DESC, m.thread_id DESC LIMIT :lim OFFSET :off"),
        {**params, "lim": limit, "off": offset}).all()
    return summarize_threads(db, [(r[0], r[1]) for r in rows], trash_view="TRASH" in (label_ids or [])), total


def summarize_threads(db: WorldSession, threads: list[tuple[str, int]], *, trash_view: bool = False) -> list[ThreadSummary]:
    """List rows for the given (thread id, latest matching time) pairs, in that order."""
    if not threads:
        return []
    ids = [t for t, _ in threads]
    msgs = db.exec(select(Message).where(Message.thread_id.in_(ids))  # type: ignore[attr-defined]
                   .order_by(Message.internal_ms, Message.pk)).all()
    labels_of = message_labels(db, [m.pk for m in msgs])
    me = mailbox(db).email.lower()
    by_thread: dict[str, list[Message]] = {}
    for m in msgs:
        in_trash = "TRASH" in labels_of[m.pk]
        if in_trash != trash_view and not ("DRAFT" in labels_of[m.pk]):
            continue  # Gmail hides trashed messages of a thread outside Trash (and vice versa)
        by_thread.setdefault(m.thread_id, []).append(m)
    names: dict[str, list[str]] = {}
    for att_thread, filename in db.execute(text(
            "SELECT m.thread_id, a.filename FROM mail_attachment a JOIN mail_message m ON m.pk = a.message_pk "
            f"WHERE m.thread_id IN ({','.join(':t%d' % i for i in range(len(ids)))}) ORDER BY a.pk"),
            {f"t{i}": t for i, t in enumerate(ids)}).all():
        names.setdefault(att_thread, []).append(filename)
    result = []
    for thread_id, last_ms in threads:
        items = by_thread.get(thread_id) or []
        if not items:
            continue
        all_labels: set[str] = set().union(*(labels_of[m.pk] for m in items))
        senders: list[str] = []
        for m in items:
            who = "me" if m.from_email.lower() == me else (m.from_name.split(" ")[0] if m.from_name else m.from_email)
            if "DRAFT" in labels_of[m.pk]:
                who = "Draft"
            if who not in senders:
                senders.append(who)
        latest = items[-1]
        result.append(ThreadSummary(
            id=thread_id, subject=items[0].subject or "(no subject)", snippet=latest.snippet, senders=senders,
            count=len(items), unread="UNREAD" in all_labels, starred="STARRED" in all_labels,
            has_attachment=any(m.has_attachment for m in items), last_ms=last_ms, label_ids=all_labels,
            attachment_names=names.get(thread_id, []),
        ))
    return result


def suggest_contacts(db: WorldSession, prefix: str, limit: int = 8) -> list[Contact]:
    """Contacts whose name or address starts with (or contains a word starting with) the prefix."""
    prefix = prefix.strip().lower()
    if not prefix:
        return []
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(text(
        "SELECT pk FROM mail_contact WHERE lower(email) LIKE :p ESCAPE '\\' OR lower(name) LIKE :p ESCAPE '\\' "
        "OR lower(name) LIKE :w ESCAPE '\\' ORDER BY (lower(name) LIKE :p ESCAPE '\\') DESC, name LIMIT :lim"),
        {"p": like + "%", "w": "% " + like + "%", "lim": limit}).all()
    return [db.get(Contact, pk) for (pk,) in rows]


def history_id(db: WorldSession) -> int:
    """The mailbox's current history id (Gmail's change counter)."""
    return db.execute(text("SELECT coalesce(max(history_id), 1) FROM mail_message")).scalar_one()


# ---- storing messages ------------------------------------------------------------------------

def _next_pk(db: WorldSession) -> int:
    return db.execute(text("SELECT coalesce(max(pk), 0) + 1 FROM mail_message")).scalar_one()


def gmail_id(internal_ms: int, pk: int) -> str:
    """A 16-hex-digit Gmail-style id that sorts by time and is unique by pk."""
    return f"{internal_ms:011x}{pk % 0x100000:05x}"


def attachment_id_for(message_id: str, part_id: str) -> str:
    """The opaque attachment id the API serves a message part under."""
    return f"ANGjdJ_{message_id}_{part_id.replace('.', '_') or 'root'}"


def store_message(db: WorldSession, raw: bytes, *, label_ids: set[str] | list[str], internal_ms: int | None = None,
                  thread_id: str | None = None, documents: dict[str, str] | None = None) -> Message:
    """Store RFC 822 bytes as a message with labels; derive its columns; join its thread."""
    parsed = mime.parse_message(raw)
    if internal_ms is None:
        moment = parsed.date or db.now()
        internal_ms = int(moment.timestamp() * 1000)
    if thread_id is None:
        thread_id = _thread_for(db, parsed)
    pk = _next_pk(db)
    msg_id = gmail_id(internal_ms, pk)
    body_text = parsed.text if parsed.text.strip() else mime.html_to_text(parsed.html or "")
    msg = Message(
        pk=pk, id=msg_id, thread_id=thread_id or msg_id, internal_ms=internal_ms, history_id=history_id(db) + 1,
        rfc_message_id=parsed.message_id, from_name=parsed.sender_name, from_email=parsed.sender_email,
        to_addrs=parsed.header("To"), cc_addrs=parsed.header("Cc"), bcc_addrs=parsed.header("Bcc"),
        subject=parsed.subject, snippet=parsed.snippet, size=len(raw), has_attachment=bool(parsed.attachments),
        raw=raw, body_text=body_text[:200_000],
        people=" ".join([parsed.sender, parsed.header("To"), parsed.header("Cc")]),
        filenames=" ".join(a.filename for a in parsed.attachments),
    )
    db.add(msg)
    db.flush()
    for label_id in sorted(set(label_ids)):
        db.add(MessageLabel(message_pk=pk, label_id=label_id))
    for part in parsed.attachments:
        db.add(Attachment(message_pk=pk, attachment_id=attachment_id_for(msg_id, part.part_id), part_id=part.part_id,
                          filename=part.filename, mime_type=part.mime_type, size=part.size,
                          document_json=(documents or {}).get(part.filename)))
    db.flush()
    return msg


def _thread_for(db: WorldSession, parsed: mime.ParsedMessage) -> str | None:
    refs = re.findall(r"<[^>]+>", f"{parsed.in_reply_to} {parsed.references}")
    if not refs:
        return None
    row = db.exec(select(Message.thread_id).where(Message.rfc_message_id.in_(refs))).first()  # type: ignore[attr-defined]
    return row


def remember_contact(db: WorldSession, name: str, email: str, organization: str = "") -> None:
    """Add an address to the contacts (autocomplete) unless it is known."""
    email = email.strip().lower()
    if not email or db.exec(select(Contact).where(Contact.email == email)).first() is not None:
        return
    db.add(Contact(email=email, name=name.strip(), organization=organization))
    db.flush()


# ---- labels ----------------------------------------------------------------------------------

def create_label(db: WorldSession, name: str, *, color: str | None = None) -> Label:
    """Create a user label ("Finance/Invoices" nests under "Finance"; missing parents are created too)."""
    name = "/".join(part.strip() for part in (name or "").strip().split("/"))
    if not name or not _LABEL_NAME.match(name) or "" in name.split("/"):
        raise BadRequest("Invalid label name: a label needs a name of 1 to 225 characters, without empty '/' parts",
                         code="invalid_label_name")
    if name.upper() in SYSTEM_LABELS or name.upper() in ("INBOX", "SENT", "DRAFTS", "TRASH", "SPAM"):
        raise BadRequest(f"Invalid label name: {name!r} is reserved for a system label", code="invalid_label_name")
    if label_by_name(db, name) is not None:
        raise BadRequest(f"Label name exists or conflicts: {name!r}", code="label_exists", status=409)
    with db.operation("mail.label.create", label_name=name):
        parts = name.split("/")
        created = None
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            if label_by_name(db, path) is None:
                created = _new_label(db, path, color)
        return created  # type: ignore[return-value]


def _new_label(db: WorldSession, name: str, color: str | None) -> Label:
    n = db.execute(text("SELECT count(*) FROM mail_label WHERE type = 'user'")).scalar_one()
    existing = {row for (row,) in db.execute(text("SELECT id FROM mail_label"))}
    num = n + 1
    while f"Label_{num}" in existing:
        num += 1
    label = Label(id=f"Label_{num}", name=name, type="user", color=color or LABEL_COLORS[num % len(LABEL_COLORS)],
                  position=num)
    db.add(label)
    db.flush()
    return label


def delete_label(db: WorldSession, label_id: str) -> None:
    """Delete a user label and remove it from every message (its nested labels stay)."""
    label = label_by_id(db, label_id)
    if label.type == "system":
        raise BadRequest(f"Invalid label: {label_id} is a system label and cannot be deleted", code="invalid_label")
    with db.operation("mail.label.delete", label_id=label_id, label_name=label.name):
        for link in db.exec(select(MessageLabel).where(MessageLabel.label_id == label_id)).all():
            db.delete(link)
        db.flush()
        db.delete(label)


# ---- modifying -------------------------------------------------------------------------------

def operation_name(add: set[str], remove: set[str]) -> str:
    """The semantic name of a label change, identical for the UI and the API."""
    if add == {"TRASH"} and not remove:
        return "mail.trash"
    if remove == {"TRASH"} and not add:
        return "mail.untrash"
    if remove == {"INBOX"} and not add:
        return "mail.archive"
    if add == {"INBOX"} and not remove:
        return "mail.move_to_inbox"
    if add == {"SPAM"}:
        return "mail.spam"
    if remove == {"SPAM"}:
        return "mail.not_spam"
    if add == {"STARRED"} and not remove:
        return "mail.star"
    if remove == {"STARRED"} and not add:
        return "mail.unstar"
    if remove == {"UNREAD"} and not add:
        return "mail.mark_read"
    if add == {"UNREAD"} and not remove:
        return "mail.mark_unread"
    system = set(SYSTEM_LABELS)
    if add and not remove and not add & system:
        return "mail.label.add"
    if remove and not add and not remove & system:
        return "mail.label.remove"
    if add and not add & system and remove == {"INBOX"}:
        return "mail.label.move"
    return "mail.modify"


def _validate_labels(db: WorldSession, add: set[str], remove: set[str]) -> None:
    for label_id in add | remove:
        label_by_id(db, label_id)
    bad = (add | remove) & _IMMUTABLE
    if bad:
        raise BadRequest(f"Invalid label: {sorted(bad)[0]} cannot be added or removed by a modify request",
                         code="invalid_label")


def modify_messages(db: WorldSession, message_ids: list[str], *, add: list[str] | set[str] = (),
                    remove: list[str] | set[str] = (), op: str | None = None) -> list[Message]:
    """Add and remove labels on messages (archive, star, read, label ...), as one operation."""
    add_set, remove_set = set(add), set(remove) - set(add)
    if not message_ids:
        raise BadRequest("no messages selected", code="invalid_argument")
    _validate_labels(db, add_set, remove_set)
    msgs = [get_message(db, mid) for mid in message_ids]
    name = op or operation_name(add_set, remove_set)
    with db.operation(name, message_ids=list(message_ids), add=sorted(add_set), remove=sorted(remove_set)):
        _apply_labels(db, msgs, add_set, remove_set)
    return msgs


def modify_threads(db: WorldSession, thread_ids: list[str], *, add: list[str] | set[str] = (),
                   remove: list[str] | set[str] = (), op: str | None = None) -> list[Message]:
    """Add and remove labels on every message of the threads, as one operation."""
    add_set, remove_set = set(add), set(remove) - set(add)
    if not thread_ids:
        raise BadRequest("no conversations selected", code="invalid_argument")
    _validate_labels(db, add_set, remove_set)
    msgs = [m for tid in thread_ids for m in thread_messages(db, tid)]
    name = op or operation_name(add_set, remove_set)
    with db.operation(name, thread_ids=list(thread_ids), add=sorted(add_set), remove=sorted(remove_set)):
        _apply_labels(db, msgs, add_set, remove_set)
    return msgs


def _apply_labels(db: WorldSession, msgs: list[Message], add: set[str], remove: set[str]) -> None:
    current = message_labels(db, [m.pk for m in msgs])
    next_history = history_id(db) + 1
    for msg in msgs:
        have = current[msg.pk]
        changed = False
        for label_id in sorted(add - have):
            db.add(MessageLabel(message_pk=msg.pk, label_id=label_id))
            changed = True
        for label_id in sorted(remove & have):
            link = db.get(MessageLabel, (msg.pk, label_id))
            if link is not None:
                db.delete(link)
                changed = True
        if changed:
            msg.history_id = next_history
            db.add(msg)
    db.flush()


def trash_messages(db: WorldSession, message_ids: list[str]) -> list[Message]:
    """Move messages to Trash (they keep their other labels, so untrash restores them)."""
    return modify_messages(db, message_ids, add={"TRASH"}, op="mail.trash")


def untrash_messages(db: WorldSession, message_ids: list[str]) -> list[Message]:
    """Take messages out of Trash."""
    return modify_messages(db, message_ids, remove={"TRASH"}, op="mail.untrash")


# ---- sending and drafts ----------------------------------------------------------------------

@dataclass
class Outgoing:
    """A message the owner composes: recipients, subject, body, attachments, and what it answers."""

    to: list[str]
    subject: str
    body: str
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    attachments: list[mime.OutgoingAttachment] = field(default_factory=list)
    reply_to: str | None = None  # message id answered (reply, reply-all)
    forward_of: str | None = None  # message id forwarded
    thread_id: str | None = None

    @property
    def kind(self) -> str:
        """"reply", "forward" or "new"."""
        return "reply" if self.reply_to else "forward" if self.forward_of else "new"


def parse_recipients(value: str | list[str], field_name: str) -> list[str]:
    """Validated, header-ready recipients from a comma-separated string; BadRequest names the bad one."""
    items = value if isinstance(value, list) else re.split(r"[,;]\s*(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", value or "")
    result = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        pairs = mime.split_addresses(item)
        if len(pairs) != 1 or not _EMAIL.match(pairs[0][1]):
            raise BadRequest(f"Invalid {field_name} header: {item!r} is not an email address", code="invalid_recipient",
                             field=field_name.lower())
        result.append(mime.format_address(*pairs[0]))
    return result


def _compose_raw(db: WorldSession, out: Outgoing, when: datetime) -> tuple[bytes, str | None]:
    box = mailbox(db)
    in_reply_to = references = None
    thread_id = out.thread_id
    answered = out.reply_to or out.forward_of
    if answered:
        # replies and forwards stay in the original's conversation, as in Gmail's web UI
        original = get_message(db, answered)
        parsed = mime.parse_message(original.raw)
        in_reply_to = parsed.message_id or None
        references = " ".join(x for x in (parsed.references, parsed.message_id) if x) or None
        thread_id = original.thread_id
    body = out.body
    if box.signature and box.signature not in body:
        body = f"{body}\n\n--\n{box.signature}"
    domain = box.email.split("@")[-1]
    raw = mime.build_message(
        sender=formataddr((box.name, box.email)), to=out.to, cc=out.cc, bcc=out.bcc, subject=out.subject,
        text=body, date=when, message_id=_message_id(db, when, domain), in_reply_to=in_reply_to,
        references=references, attachments=out.attachments,
    )
    return raw, thread_id


def _message_id(db: WorldSession, when: datetime, domain: str) -> str:
    return f"<{int(when.timestamp() * 1000):x}.{_next_pk(db)}@mail.{domain}>"


def _check_outgoing(out: Outgoing) -> None:
    if not (out.to or out.cc or out.bcc):
        raise BadRequest("Recipient address required: add at least one recipient in To, Cc or Bcc",
                         code="invalid_recipient", field="to")
    total = sum(len(a.data) for a in out.attachments)
    if total > 25 * 1024 * 1024:
        raise BadRequest("Attachments are larger than 25 MB in total", code="too_large", field="attachments")


def send(db: WorldSession, out: Outgoing, *, draft_id: str | None = None) -> Message:
    """Send a message from the owner (new, reply or forward): stored with SENT, in its thread."""
    _check_outgoing(out)
    with db.operation("mail.send", kind=out.kind, to=out.to, cc=out.cc, bcc=out.bcc, subject=out.subject,
                      attachments=[a.filename for a in out.attachments], reply_to=out.reply_to,
                      forward_of=out.forward_of, draft_id=draft_id):
        when = db.now()
        raw, thread_id = _compose_raw(db, out, when)
        msg = _store_sent(db, raw, when, thread_id)
        if draft_id:  # after storing, so the sent message never reuses the draft's row
            _delete_draft_rows(db, draft_id)
    return msg


def _store_sent(db: WorldSession, raw: bytes, when: datetime, thread_id: str | None) -> Message:
    box = mailbox(db)
    parsed = mime.parse_message(raw)
    labels_ = {"SENT"}
    everyone = parsed.to + parsed.cc + parsed.bcc
    if any(email.lower() == box.email.lower() for _, email in everyone):
        labels_ |= {"INBOX", "UNREAD"}  # mail to oneself arrives too
    msg = store_message(db, raw, label_ids=labels_, internal_ms=int(when.timestamp() * 1000), thread_id=thread_id)
    for name, email in everyone:
        remember_contact(db, name, email)
    return msg


def send_raw(db: WorldSession, raw: bytes, *, thread_id: str | None = None) -> Message:
    """Send RFC 822 bytes from an API client (messages.send): From, Date and Message-ID are filled in."""
    parsed = mime.parse_message(raw)
    if not (parsed.to or parsed.cc or parsed.bcc):
        raise BadRequest("Recipient address required", code="invalid_recipient")
    box = mailbox(db)
    kind = "reply" if parsed.in_reply_to else "forward" if parsed.subject.lower().startswith(("fwd:", "fw:")) else "new"
    with db.operation("mail.send", kind=kind, to=[e for _, e in parsed.to], cc=[e for _, e in parsed.cc],
                      bcc=[e for _, e in parsed.bcc], subject=parsed.subject,
                      attachments=[a.filename for a in parsed.attachments], via="api"):
        when = db.now()
        raw = _fill_headers(raw, box, when, _message_id(db, when, box.email.split("@")[-1]))
        if thread_id is not None:
            thread_messages(db, thread_id)  # NotFound for an unknown thread
        msg = _store_sent(db, raw, when, thread_id)
    return msg


def _fill_headers(raw: bytes, box: Mailbox, when: datetime, message_id: str) -> bytes:
    from email import policy
    from email.parser import BytesParser
    from email.utils import format_datetime

    msg = BytesParser(policy=policy.SMTP).parsebytes(raw)
    # Gmail always sends as the authenticated user, whatever From the client wrote
    del msg["From"]
    msg["From"] = formataddr((box.name, box.email))
    if msg["Date"] is None:
        msg["Date"] = format_datetime(when)
    if msg["Message-ID"] is None:
        msg["Message-ID"] = message_id
    try:
        return msg.as_bytes()
    except Exception as exc:  # a structure the generator cannot serialise
        raise BadRequest(f"the raw message cannot be re-encoded: {exc}") from None


def save_draft(db: WorldSession, out: Outgoing, *, draft_id: str | None = None) -> Draft:
    """Create or update a draft (autosave calls this repeatedly; an unchanged draft logs nothing)."""
    for value, name in ((out.to, "To"), (out.cc, "Cc"), (out.bcc, "Bcc")):
        parse_recipients(value, name)
    existing = _get_draft(db, draft_id) if draft_id else None
    with db.operation("mail.draft.save", draft_id=draft_id, to=out.to, subject=out.subject):
        when = db.now()
        raw, thread_id = _compose_raw(db, out, when)
        if existing is None:
            msg = store_message(db, raw, label_ids={"DRAFT"}, internal_ms=int(when.timestamp() * 1000),
                                thread_id=thread_id)
            draft = Draft(id=f"r-{msg.id}", message_pk=msg.pk)
            db.add(draft)
            db.flush()
            return draft
        msg = db.get(Message, existing.message_pk)
        old = mime.parse_message(msg.raw)
        new = mime.parse_message(raw)
        if (old.subject, old.header("To"), old.header("Cc"), old.header("Bcc"), old.text) == (
                new.subject, new.header("To"), new.header("Cc"), new.header("Bcc"), new.text) and not out.attachments:
            return existing
        for att in db.exec(select(Attachment).where(Attachment.message_pk == msg.pk)).all():
            db.delete(att)
        db.flush()
        msg.raw = raw
        msg.subject, msg.snippet, msg.size = new.subject, new.snippet, len(raw)
        msg.to_addrs, msg.cc_addrs, msg.bcc_addrs = new.header("To"), new.header("Cc"), new.header("Bcc")
        msg.body_text, msg.has_attachment = new.text, bool(new.attachments)
        msg.people = " ".join([new.sender, new.header("To"), new.header("Cc")])
        msg.filenames = " ".join(a.filename for a in new.attachments)
        msg.internal_ms = int(when.timestamp() * 1000)
        msg.history_id = history_id(db) + 1
        db.add(msg)
        for part in new.attachments:
            db.add(Attachment(message_pk=msg.pk, attachment_id=attachment_id_for(msg.id, part.part_id),
                              part_id=part.part_id, filename=part.filename, mime_type=part.mime_type, size=part.size))
        db.flush()
        return existing


def insert_raw(db: WorldSession, raw: bytes, *, label_ids: list[str] | None = None,
               thread_id: str | None = None) -> Message:
    """Put RFC 822 bytes into the mailbox as they are, like IMAP APPEND (messages.insert); sends nothing."""
    wanted = set(label_ids or ["INBOX", "UNREAD"])
    for label_id in wanted:
        label_by_id(db, label_id)
    if thread_id is not None:
        thread_messages(db, thread_id)
    parsed = mime.parse_message(raw)
    with db.operation("mail.insert", subject=parsed.subject[:200], sender=parsed.sender_email, labels=sorted(wanted)):
        msg = store_message(db, raw, label_ids=wanted, internal_ms=int(db.now().timestamp() * 1000), thread_id=thread_id)
        if parsed.sender_email:
            remember_contact(db, parsed.sender_name, parsed.sender_email)
    return msg


def save_raw_draft(db: WorldSession, raw: bytes, *, thread_id: str | None = None) -> Draft:
    """Create a draft from RFC 822 bytes (drafts.create)."""
    box = mailbox(db)
    with db.operation("mail.draft.save", via="api"):
        when = db.now()
        raw = _fill_headers(raw, box, when, _message_id(db, when, box.email.split("@")[-1]))
        msg = store_message(db, raw, label_ids={"DRAFT"}, internal_ms=int(when.timestamp() * 1000), thread_id=thread_id)
        draft = Draft(id=f"r-{msg.id}", message_pk=msg.pk)
        db.add(draft)
        db.flush()
        return draft


def _get_draft(db: WorldSession, draft_id: str) -> Draft:
    draft = db.get(Draft, draft_id)
    if draft is None:
        raise NotFound(f"Requested entity was not found: draft {draft_id!r}", code="draft_not_found")
    return draft


def get_draft(db: WorldSession, draft_id: str) -> tuple[Draft, Message]:
    """A draft and its message, or NotFound."""
    draft = _get_draft(db, draft_id)
    return draft, db.get(Message, draft.message_pk)


def list_drafts(db: WorldSession) -> list[tuple[Draft, Message]]:
    """All drafts, newest first."""
    rows = db.exec(select(Draft, Message).where(Message.pk == Draft.message_pk)
                   .order_by(Message.internal_ms.desc())).all()  # type: ignore[attr-defined]
    return list(rows)


def delete_draft(db: WorldSession, draft_id: str) -> None:
    """Discard a draft."""
    _get_draft(db, draft_id)
    with db.operation("mail.draft.delete", draft_id=draft_id):
        _delete_draft_rows(db, draft_id)


def _delete_draft_rows(db: WorldSession, draft_id: str) -> None:
    draft = _get_draft(db, draft_id)
    msg = db.get(Message, draft.message_pk)
    db.delete(draft)
    db.flush()
    _delete_message_rows(db, msg)


def _delete_message_rows(db: WorldSession, msg: Message) -> None:
    for row in db.exec(select(MessageLabel).where(MessageLabel.message_pk == msg.pk)).all():
        db.delete(row)
    for row in db.exec(select(Attachment).where(Attachment.message_pk == msg.pk)).all():
        db.delete(row)
    db.flush()
    db.delete(msg)
    db.flush()


def send_draft(db: WorldSession, draft_id: str) -> Message:
    """Send a draft as it is (drafts.send): it leaves Drafts and appears in Sent."""
    draft, msg = get_draft(db, draft_id)
    parsed = mime.parse_message(msg.raw)
    if not (parsed.to or parsed.cc or parsed.bcc):
        raise BadRequest("Recipient address required: the draft has no recipients", code="invalid_recipient")
    raw, thread_id = msg.raw, msg.thread_id
    with db.operation("mail.send", kind="draft", draft_id=draft_id, to=[e for _, e in parsed.to],
                      subject=parsed.subject, attachments=[a.filename for a in parsed.attachments]):
        when = db.now()
        own_thread = thread_id == msg.id
        sent = _store_sent(db, _fill_headers(_strip_date(raw), mailbox(db), when, parsed.message_id or
                                             _message_id(db, when, "mail")), when, None if own_thread else thread_id)
        _delete_draft_rows(db, draft_id)
    return sent


def unsend(db: WorldSession, message_id: str) -> Draft:
    """Undo send: within UNDO_SEND_SECONDS of world time a sent message goes back to Drafts, unreceived."""
    msg = get_message(db, message_id)
    if "SENT" not in message_labels(db, [msg.pk]).get(msg.pk, set()):
        raise BadRequest(f"Message {message_id!r} was not sent from this mailbox", code="not_sent")
    sent_at = datetime.fromtimestamp(msg.internal_ms / 1000, tz=timezone.utc)
    if (db.now() - sent_at).total_seconds() > UNDO_SEND_SECONDS:
        raise BadRequest(f"Too late to undo: the message was sent more than {UNDO_SEND_SECONDS} seconds ago",
                         code="undo_expired")
    parsed = mime.parse_message(msg.raw)
    with db.operation("mail.unsend", message_id=message_id, subject=parsed.subject):
        raw, thread_id, own_thread = msg.raw, msg.thread_id, msg.thread_id == msg.id
        _delete_message_rows(db, msg)
        draft_msg = store_message(db, raw, label_ids={"DRAFT"}, internal_ms=int(db.now().timestamp() * 1000),
                                  thread_id=None if own_thread else thread_id)
        draft = Draft(id=f"r-{draft_msg.id}", message_pk=draft_msg.pk)
        db.add(draft)
        db.flush()
        return draft


def _strip_date(raw: bytes) -> bytes:
    from email import policy
    from email.parser import BytesParser

    msg = BytesParser(policy=policy.SMTP).parsebytes(raw)
    del msg["Date"]
    return msg.as_bytes()


def forwardable_attachments(db: WorldSession, message_id: str) -> list[mime.OutgoingAttachment]:
    """The attachments of a message, as files to attach to a forward."""
    msg = get_message(db, message_id)
    return [mime.OutgoingAttachment(a.filename, a.mime_type, a.data) for a in mime.parse_message(msg.raw).attachments]
