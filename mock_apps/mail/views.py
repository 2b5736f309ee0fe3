"""Mail's UI: label sidebar, conversation lists, thread view, compose, attachment preview, search."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from mock_apps.core.errors import BadRequest, MockAppsError
from mock_apps.core.request import db
from mock_apps.mail import mime, service
from mock_apps.mail.invoice_document import InvoiceDocument
from mock_apps.mail.query import QueryError
from mock_apps.mail.sanitizer import sanitize_html, text_to_html

bp = Blueprint("mail", __name__, template_folder="templates", static_folder="static", static_url_path="/static/mail")

PAGE_SIZE = 50
TOAST_COOKIE = "mail_toast"
# views: path -> (label id, title); "all" is everything but Trash and Spam
BOXES = {
    "inbox": ("INBOX", "Inbox"), "starred": ("STARRED", "Starred"), "sent": ("SENT", "Sent"),
    "all": (None, "All Mail"), "spam": ("SPAM", "Spam"), "trash": ("TRASH", "Trash"),
}
# bulk actions: name -> (labels to add, labels to remove, toast text, inverse action)
ACTIONS = {
    "archive": ((), ("INBOX",), "Conversation archived", "inbox"),
    "inbox": (("INBOX",), (), "Conversation moved to Inbox", "archive"),
    "trash": (("TRASH",), (), "Conversation moved to Trash", "untrash"),
    "untrash": ((), ("TRASH",), "Conversation restored from Trash", "trash"),
    "read": ((), ("UNREAD",), "Marked as read", "unread"),
    "unread": (("UNREAD",), (), "Marked as unread", "read"),
    "star": (("STARRED",), (), "Starred", "unstar"),
    "unstar": ((), ("STARRED",), "Star removed", "star"),
    "spam": (("SPAM",), ("INBOX",), "Conversation marked as spam", "notspam"),
    "notspam": (("INBOX",), ("SPAM",), "Conversation moved to Inbox", "spam"),
}
_INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}


# ---- shared page context ---------------------------------------------------------------------

def _sidebar(current: str | None) -> dict:
    session = db()
    labels = service.labels(session)
    counts = service.unread_counts(session)
    user = [l for l in labels if l.type == "user"]
    tree = []
    for label in user:
        depth = label.name.count("/")
        tree.append({"label": label, "depth": depth, "short": label.name.rsplit("/", 1)[-1],
                     "unread": counts.get(label.id, 0), "url": url_for("mail.label_view", name=label.name)})
    boxes = [
        {"key": "inbox", "title": "Inbox", "url": url_for("mail.inbox"), "count": counts.get("INBOX", 0)},
        {"key": "starred", "title": "Starred", "url": url_for("mail.box", box="starred"), "count": 0},
        {"key": "sent", "title": "Sent", "url": url_for("mail.box", box="sent"), "count": 0},
        {"key": "drafts", "title": "Drafts", "url": url_for("mail.drafts"), "count": service.draft_count(session)},
        {"key": "all", "title": "All Mail", "url": url_for("mail.box", box="all"), "count": 0},
        {"key": "spam", "title": "Spam", "url": url_for("mail.box", box="spam"), "count": counts.get("SPAM", 0)},
        {"key": "trash", "title": "Trash", "url": url_for("mail.box", box="trash"), "count": 0},
    ]
    return {"boxes": boxes, "user_labels": tree, "current": current, "all_user_labels": user,
            "label_names": {l.id: l.name for l in labels}, "label_colors": {l.id: l.color for l in user}}


def _toast() -> dict | None:
    raw = request.cookies.get(TOAST_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _page(template: str, status: int = 200, current: str | None = None, **context) -> Response:
    toast = _toast()
    html = render_template(template, side=_sidebar(current), toast=toast, q=context.pop("q", ""), **context)
    resp = Response(html, status=status, mimetype="text/html")
    if toast is not None:
        resp.delete_cookie(TOAST_COOKIE, path="/")
    return resp


def _redirect_with_toast(target: str, text: str, undo: dict | None = None, link: dict | None = None) -> Response:
    resp = redirect(target, code=303)
    resp.set_cookie(TOAST_COOKIE, json.dumps({"text": text, "undo": undo, "link": link}), path="/", httponly=True,
                    samesite="Lax")
    return resp


def _safe_next(default: str) -> str:
    target = request.form.get("next") or request.args.get("next") or default
    # only same-site relative paths: never an open redirect
    if not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def _list(title: str, current: str | None, *, label_ids: list[str] | None = None, q: str = "",
          status: int = 200, error: str | None = None) -> Response:
    page = _page_number()
    threads, total = [], 0
    if error is None:
        try:
            threads, total = service.search_threads(db(), q, label_ids=label_ids, offset=(page - 1) * PAGE_SIZE,
                                                    limit=PAGE_SIZE, include_spam_trash=False)
        except QueryError as exc:
            error, status = exc.message, 400
    first = (page - 1) * PAGE_SIZE + 1 if threads else 0
    last = (page - 1) * PAGE_SIZE + len(threads)
    args = {k: v for k, v in request.args.items() if k != "page"}
    newer = f"{request.path}?{urlencode({**args, 'page': page - 1})}" if page > 1 else None
    older = f"{request.path}?{urlencode({**args, 'page': page + 1})}" if last < total else None
    return _page("mail/list.html", status=status, current=current, title=title, threads=threads, total=total,
                 first=first, last=last, newer=newer, older=older, q=q, error=error,
                 in_trash=current == "trash", in_spam=current == "spam", in_inbox=current == "inbox",
                 here=request.full_path.rstrip("?"))


# ---- lists -----------------------------------------------------------------------------------

@bp.get("/")
def inbox():
    """The inbox."""
    return _list("Inbox", "inbox", label_ids=["INBOX"])


@bp.get("/box/<box>")
def box(box: str):
    """Starred, Sent, All Mail, Spam, Trash."""
    if box not in BOXES:
        raise MockAppsError(f"There is no mailbox called {box!r}.", status=404, code="not_found")
    label_id, title = BOXES[box]
    return _list(title, box, label_ids=[label_id] if label_id else None)


@bp.get("/label/<path:name>")
def label_view(name: str):
    """Conversations with a user label."""
    label = service.label_by_name(db(), name)
    if label is None:
        raise MockAppsError(f"There is no label called {name!r}.", status=404, code="not_found")
    return _list(label.name, f"label:{label.id}", label_ids=[label.id])


@bp.get("/search")
def search():
    """Search with Gmail operators; the query round-trips through ?q=."""
    q = request.args.get("q", "").strip()
    if not q:
        return redirect(url_for("mail.inbox"))
    return _list("Search results", None, q=q)


@bp.get("/drafts")
def drafts():
    """Drafts, newest first; each opens in compose."""
    rows = service.list_drafts(db())
    items = [{"draft": d, "message": m, "date": datetime.fromtimestamp(m.internal_ms / 1000, tz=timezone.utc),
              "to": m.to_addrs} for d, m in rows]
    return _page("mail/drafts.html", current="drafts", title="Drafts", items=items)


# ---- actions ---------------------------------------------------------------------------------

@bp.post("/actions")
def actions():
    """Bulk (or single) actions on selected conversations, with an Undo toast."""
    back = _safe_next(url_for("mail.inbox"))
    thread_ids = request.form.getlist("t")
    single = request.form.get("toggle_star")
    if single:
        threads = service.summarize_threads(db(), [(single, 0)])
        starred = bool(threads) and threads[0].starred
        action, thread_ids = ("unstar" if starred else "star"), [single]
    else:
        action = request.form.get("action", "")
    if action == "unsend":  # the "Message sent" toast's Undo: reopen the message as a draft
        try:
            draft = service.unsend(db(), request.form.get("m", ""))
        except BadRequest as exc:
            return _redirect_with_toast(back, exc.message)
        return _redirect_with_toast(url_for("mail.compose", draft=draft.id, next=back), "Sending undone.")
    if not thread_ids:
        return _redirect_with_toast(back, "Select at least one conversation first.")
    if action in ("label", "unlabel", "move", "unmove"):
        label_id = request.form.get("label_id", "")
        if not label_id:
            return _redirect_with_toast(back, "Choose a label first.")
        label = service.label_by_id(db(), label_id)
        if action == "label":
            service.modify_threads(db(), thread_ids, add={label_id})
            return _redirect_with_toast(back, f"Conversation added to \"{label.name}\"",
                                        {"action": "unlabel", "t": thread_ids, "label_id": label_id})
        if action == "move":
            service.modify_threads(db(), thread_ids, add={label_id}, remove={"INBOX"})
            return _redirect_with_toast(back, f"Conversation moved to \"{label.name}\"",
                                        {"action": "unmove", "t": thread_ids, "label_id": label_id})
        if action == "unmove":  # Undo of "Move to": back in the Inbox, without the label
            service.modify_threads(db(), thread_ids, add={"INBOX"}, remove={label_id})
            return _redirect_with_toast(back, "Conversation moved to Inbox",
                                        {"action": "move", "t": thread_ids, "label_id": label_id})
        service.modify_threads(db(), thread_ids, remove={label_id})
        return _redirect_with_toast(back, f"Conversation removed from \"{label.name}\"",
                                    {"action": "label", "t": thread_ids, "label_id": label_id})
    if action not in ACTIONS:
        raise BadRequest(f"unknown action {action!r}")
    add, remove, text, inverse = ACTIONS[action]
    service.modify_threads(db(), thread_ids, add=set(add), remove=set(remove))
    if len(thread_ids) > 1:
        text = text.replace("Conversation", f"{len(thread_ids)} conversations")
    return _redirect_with_toast(back, text, {"action": inverse, "t": thread_ids})


@bp.post("/labels")
def labels_create():
    """Create a user label (nested with '/'), optionally applying it to conversations at once."""
    back = _safe_next(url_for("mail.inbox"))
    name = request.form.get("name", "")
    try:
        label = service.create_label(db(), name)
    except MockAppsError as exc:
        return _redirect_with_toast(back, exc.message)
    thread_ids = request.form.getlist("t")
    if thread_ids:
        service.modify_threads(db(), thread_ids, add={label.id})
        return _redirect_with_toast(back, f"Label \"{label.name}\" created and applied")
    return _redirect_with_toast(back, f"Label \"{label.name}\" created")


@bp.post("/labels/<label_id>/delete")
def labels_delete(label_id: str):
    """Delete a user label (conversations keep their other labels)."""
    label = service.label_by_id(db(), label_id)
    service.delete_label(db(), label_id)
    return _redirect_with_toast(url_for("mail.inbox"), f"Label \"{label.name}\" deleted")


# ---- thread ----------------------------------------------------------------------------------

@bp.get("/thread/<thread_id>")
def thread(thread_id: str):
    """A conversation: every message expanded, attachments, reply/forward; opening marks it read."""
    session = db()
    msgs = service.thread_messages(session, thread_id)
    labels = service.message_labels(session, [m.pk for m in msgs])
    if any("UNREAD" in labels[m.pk] for m in msgs):
        service.modify_threads(session, [thread_id], remove={"UNREAD"})
        labels = service.message_labels(session, [m.pk for m in msgs])
    in_trash_view = request.args.get("trash") == "1"
    shown = [m for m in msgs if ("TRASH" in labels[m.pk]) == in_trash_view] or msgs
    atts = service.attachments_of(session, [m.pk for m in shown])
    items = []
    for m in shown:
        parsed = mime.parse_message(m.raw)
        if parsed.html is not None:
            body, clipped = sanitize_html(parsed.html)
            is_html = True
        else:
            body, clipped = text_to_html(parsed.text)
            is_html = False
        items.append({
            "m": m, "parsed": parsed, "body": body, "clipped": clipped, "is_html": is_html,
            "date": datetime.fromtimestamp(m.internal_ms / 1000, tz=timezone.utc), "labels": labels[m.pk],
            "attachments": atts[m.pk], "draft": "DRAFT" in labels[m.pk],
        })
    all_labels = set().union(*(labels[m.pk] for m in msgs))
    return _page("mail/thread.html", title=msgs[0].subject or "(no subject)", thread_id=thread_id, items=items,
                 thread_labels=all_labels, starred="STARRED" in all_labels, in_inbox="INBOX" in all_labels,
                 in_trash="TRASH" in all_labels, back=_safe_next(url_for("mail.inbox")),
                 here=request.full_path.rstrip("?"))


@bp.get("/message/<message_id>/original")
def original(message_id: str):
    """"Show original": the RFC 822 source as plain text."""
    msg = service.get_message(db(), message_id)
    resp = Response(msg.raw.decode("utf-8", "replace"), mimetype="text/plain")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


# ---- attachments -----------------------------------------------------------------------------

@bp.get("/message/<message_id>/attachment/<attachment_id>")
def attachment_view(message_id: str, attachment_id: str):
    """Attachment preview page: the PDF or image in the page, invoices also as HTML, tables for CSV/XLSX."""
    session = db()
    att, data = service.get_attachment(session, message_id, attachment_id)
    msg = service.get_message(session, message_id)
    document = Markup(InvoiceDocument.from_json(att.document_json).to_html()) if att.document_json else None
    table = _table_preview(att.filename, att.mime_type, data)
    text = data[:200_000].decode("utf-8", "replace") if att.mime_type == "text/plain" else None
    return _page("mail/attachment.html", title=att.filename, att=att, msg=msg, document=document, table=table,
                 text=text, inline=att.mime_type in _INLINE_TYPES,
                 back=url_for("mail.thread", thread_id=msg.thread_id))


def _table_preview(filename: str, mime_type: str, data: bytes) -> list[list[str]] | None:
    name = filename.lower()
    try:
        if name.endswith(".csv") or mime_type == "text/csv":
            return [row for _, row in zip(range(200), csv.reader(io.StringIO(data.decode("utf-8", "replace"))))]
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [["" if v is None else str(v) for v in row] for _, row in zip(range(200), ws.iter_rows(values_only=True))]
    except Exception:  # a broken spreadsheet still downloads; the preview just says it cannot show it
        return None
    return None


@bp.get("/message/<message_id>/attachment/<attachment_id>/raw")
def attachment_raw(message_id: str, attachment_id: str):
    """The attachment's bytes: inline for safe types (PDF, images, text), otherwise or on ?download=1 a download."""
    att, data = service.get_attachment(db(), message_id, attachment_id)
    download = request.args.get("download") == "1" or att.mime_type not in _INLINE_TYPES
    mimetype = att.mime_type if att.mime_type in _INLINE_TYPES else "application/octet-stream"
    resp = Response(data, mimetype=mimetype)
    disposition = "attachment" if download else "inline"
    resp.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(att.filename)}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    # even if a browser rendered it as a document, nothing in it may run
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
    if att.mime_type == "application/pdf":
        resp.headers["Content-Security-Policy"] = "sandbox allow-scripts allow-same-origin"  # the PDF viewer needs them
    return resp


# ---- compose ---------------------------------------------------------------------------------

def _quote_block(parsed: mime.ParsedMessage, when: datetime) -> str:
    local = service_localtime(when)
    quoted = "\n".join(f"> {line}" for line in (parsed.text or mime.html_to_text(parsed.html or "")).strip().splitlines())
    return f"\n\nOn {local}, {parsed.sender} wrote:\n{quoted}"


def service_localtime(when: datetime) -> str:
    """A time in the company's timezone, as Gmail writes it in quotes."""
    return when.astimezone(db().timezone()).strftime("%a, %b %-d, %Y at %-I:%M %p")


def _prefill() -> dict:
    """The compose form's initial values for new, reply, reply-all, forward and draft."""
    session = db()
    box = service.mailbox(session)
    form = {"to": request.args.get("to", ""), "cc": "", "bcc": "", "subject": "", "body": "", "reply_to": "",
            "forward_of": "", "draft_id": "", "kind": "new", "fwd_attachments": []}
    draft_id = request.args.get("draft")
    if draft_id:
        _draft, msg = service.get_draft(session, draft_id)
        parsed = mime.parse_message(msg.raw)
        form.update(to=parsed.header("To"), cc=parsed.header("Cc"), bcc=parsed.header("Bcc"), subject=parsed.subject,
                    body=parsed.text.rstrip("\n"), draft_id=draft_id)
        return form
    source_id = request.args.get("reply") or request.args.get("forward")
    if not source_id:
        return form
    msg = service.get_message(session, source_id)
    parsed = mime.parse_message(msg.raw)
    when = datetime.fromtimestamp(msg.internal_ms / 1000, tz=timezone.utc)
    if request.args.get("forward"):
        subject = parsed.subject if parsed.subject.lower().startswith(("fwd:", "fw:")) else f"Fwd: {parsed.subject}"
        header = (f"\n\n---------- Forwarded message ---------\nFrom: {parsed.sender}\nDate: {service_localtime(when)}\n"
                  f"Subject: {parsed.subject}\nTo: {parsed.header('To')}\n\n")
        form.update(subject=subject, body=header + (parsed.text or mime.html_to_text(parsed.html or "")).strip(),
                    forward_of=source_id, kind="forward",
                    fwd_attachments=service.attachments_of(session, [msg.pk])[msg.pk])
        return form
    me = box.email.lower()
    sender = mime.format_address(parsed.sender_name, parsed.sender_email)
    if parsed.sender_email == me:  # replying to one's own message goes to its recipients
        to = [mime.format_address(n, e) for n, e in parsed.to]
    else:
        to = [sender]
    cc: list[str] = []
    if request.args.get("all") == "1":
        seen = {e.lower() for e in [me, parsed.sender_email]} | {mime.split_addresses(t)[0][1].lower() for t in to if mime.split_addresses(t)}
        for name, email in parsed.to + parsed.cc:
            if email.lower() not in seen:
                seen.add(email.lower())
                cc.append(mime.format_address(name, email))
    subject = parsed.subject if parsed.subject.lower().startswith("re:") else f"Re: {parsed.subject}"
    form.update(to=", ".join(to), cc=", ".join(cc), subject=subject, body=_quote_block(parsed, when), reply_to=source_id,
                kind="reply-all" if request.args.get("all") == "1" else "reply")
    return form


@bp.get("/compose")
def compose():
    """The compose window (new message, reply, reply all, forward, or an existing draft)."""
    return _page("mail/compose.html", current=None, title="New message", form=_prefill(), errors={},
                 back=_safe_next(url_for("mail.inbox")))


def _outgoing_from_form() -> service.Outgoing:
    form = request.form
    errors = {}
    recipients = {}
    for field, header in (("to", "To"), ("cc", "Cc"), ("bcc", "Bcc")):
        try:
            recipients[field] = service.parse_recipients(form.get(field, ""), header)
        except MockAppsError as exc:
            errors[field] = exc.message
            recipients[field] = []
    attachments = []
    for upload in request.files.getlist("files"):
        if upload and upload.filename:
            attachments.append(mime.OutgoingAttachment(upload.filename.replace("/", "_").replace("\\", "_"),
                                                       upload.mimetype or "application/octet-stream", upload.read()))
    forward_of = form.get("forward_of") or None
    if forward_of:
        wanted = set(form.getlist("fwd_att"))
        msg = service.get_message(db(), forward_of)
        by_part = {a.part_id: a for a in mime.parse_message(msg.raw).attachments}
        for att in service.attachments_of(db(), [msg.pk])[msg.pk]:
            if att.attachment_id in wanted and att.part_id in by_part:
                part = by_part[att.part_id]
                attachments.append(mime.OutgoingAttachment(part.filename, part.mime_type, part.data))
    if errors:
        raise _FormErrors(errors)
    return service.Outgoing(to=recipients["to"], cc=recipients["cc"], bcc=recipients["bcc"],
                            subject=form.get("subject", ""), body=form.get("body", ""), attachments=attachments,
                            reply_to=form.get("reply_to") or None, forward_of=forward_of)


class _FormErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("form errors")
        self.errors = errors


@bp.post("/compose")
def compose_submit():
    """Send (or save as draft, or discard) the compose form; errors re-render it with messages."""
    back = _safe_next(url_for("mail.inbox"))
    action = request.form.get("action", "send")
    draft_id = request.form.get("draft_id") or None
    if action == "discard":
        if draft_id:
            service.delete_draft(db(), draft_id)
        return _redirect_with_toast(back, "Draft discarded")
    form_values = {k: request.form.get(k, "") for k in ("to", "cc", "bcc", "subject", "body", "reply_to",
                                                        "forward_of", "draft_id")}
    form_values["kind"] = request.form.get("kind", "new")
    form_values["fwd_attachments"] = []
    if form_values["forward_of"]:
        msg = service.get_message(db(), form_values["forward_of"])
        form_values["fwd_attachments"] = service.attachments_of(db(), [msg.pk])[msg.pk]
    try:
        out = _outgoing_from_form()
        if action == "draft":
            draft = service.save_draft(db(), out, draft_id=draft_id)
            return _redirect_with_toast(url_for("mail.drafts"), "Draft saved",
                                        link={"text": "Open draft", "href": url_for("mail.compose", draft=draft.id)})
        msg = service.send(db(), out, draft_id=draft_id)
    except _FormErrors as exc:
        return _page("mail/compose.html", status=422, title="New message", form=form_values, errors=exc.errors,
                     back=back)
    except MockAppsError as exc:
        if exc.status >= 500 or exc.status == 404:
            raise
        field = exc.details.get("field", "form")
        return _page("mail/compose.html", status=422, title="New message", form=form_values,
                     errors={field: exc.message}, back=back)
    return _redirect_with_toast(back, "Message sent", {"action": "unsend", "m": msg.id, "t": []},
                                link={"text": "View message", "href": url_for("mail.thread", thread_id=msg.thread_id)})


@bp.post("/drafts/autosave")
def autosave():
    """Autosave from the compose window (text fields only): returns the draft id as JSON."""
    try:
        out = _outgoing_from_form()
    except _FormErrors as exc:
        return jsonify(saved=False, errors=exc.errors), 422
    out.attachments = [a for a in out.attachments if False]  # files are attached when the form is sent
    if not (out.to or out.cc or out.bcc or out.subject.strip() or out.body.strip()):
        return jsonify(saved=False, draft_id=None)
    draft = service.save_draft(db(), out, draft_id=request.form.get("draft_id") or None)
    return jsonify(saved=True, draft_id=draft.id)


@bp.get("/contacts/suggest")
def contacts_suggest():
    """Recipient autocomplete: contacts matching the typed prefix."""
    contacts = service.suggest_contacts(db(), request.args.get("q", ""))
    return jsonify([{"name": c.name, "email": c.email, "organization": c.organization,
                     "address": mime.format_address(c.name, c.email)} for c in contacts])


@bp.app_template_filter("msdate")
def msdate(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (for the shell's date filters)."""
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """Bytes as Gmail shows them ("24 KB")."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"
