"""Gmail API v1 subset under /gmail/v1/users/<userId>/ in Gmail's wire format.

Shapes follow the real service (and google-api-python-client's discovery document): message
resources with `id`, `threadId`, `labelIds`, `snippet`, `payload`, `sizeEstimate`, `historyId`,
`internalDate`; `raw` as base64url; opaque page tokens; errors as
`{"error": {"code", "message", "errors": [...], "status"}}`.
"""

from __future__ import annotations

import base64
import json
from email import policy
from email.parser import BytesParser

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import text

from mock_apps.core.errors import BadRequest, Forbidden, MockAppsError
from mock_apps.core.request import db
from mock_apps.mail import mime, service
from mock_apps.mail.models import Label, Message
from mock_apps.mail.openapi import openapi_document

bp = Blueprint("gmail_api", __name__)

API = "/gmail/v1/users/<user_id>"
UPLOAD = "/upload/gmail/v1/users/<user_id>"
_STATUS = {400: ("INVALID_ARGUMENT", "invalidArgument"), 401: ("UNAUTHENTICATED", "authError"),
           403: ("PERMISSION_DENIED", "forbidden"), 404: ("NOT_FOUND", "notFound"),
           405: ("METHOD_NOT_ALLOWED", "methodNotAllowed"), 409: ("ALREADY_EXISTS", "duplicate"),
           413: ("INVALID_ARGUMENT", "uploadTooLarge"), 500: ("INTERNAL", "backendError")}
_FORMATS = ("full", "metadata", "minimal", "raw")


def error_response(error: MockAppsError) -> Response:
    """A MockAppsError as Gmail's error body."""
    status_name, reason = _STATUS.get(error.status, ("UNKNOWN", "unknown"))
    if error.code == "invalid_query":
        reason = "invalidArgument"
    body = {"error": {"code": error.status, "message": error.message,
                      "errors": [{"message": error.message, "domain": "global", "reason": reason}],
                      "status": status_name}}
    return Response(json.dumps(body), status=error.status, mimetype="application/json")


# ---- helpers ---------------------------------------------------------------------------------

def _check_user(user_id: str) -> None:
    if user_id not in ("me", service.mailbox(db()).email):
        raise Forbidden(f"Delegation denied for {user_id}", code="delegation_denied")


def _json() -> dict:
    if not request.data:
        return {}
    try:
        data = json.loads(request.data)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
        raise BadRequest("Invalid JSON payload received.") from None
    if not isinstance(data, dict):
        raise BadRequest("Invalid JSON payload received: expected an object.")
    return data


def _max_results(default: int, cap: int = 500) -> int:
    value = request.args.get("maxResults", str(default))
    try:
        n = int(value)
    except ValueError:
        raise BadRequest(f"Invalid value for maxResults: {value!r}") from None
    if n < 1:
        raise BadRequest(f"Invalid value for maxResults: {n}; it must be at least 1")
    return min(n, cap)


def _offset() -> int:
    token = request.args.get("pageToken")
    if not token:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().removeprefix("o:"))
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(f"Invalid pageToken: {token!r}") from None
    if offset < 0:
        raise BadRequest(f"Invalid pageToken: {token!r}")
    return offset


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _bool_arg(name: str) -> bool:
    return request.args.get(name, "false").lower() in ("1", "true", "yes")


def message_resource(msg: Message, labels: set[str], fmt: str = "full", metadata_headers: list[str] | None = None) -> dict:
    """A Gmail `Message` resource in the requested format."""
    if fmt not in _FORMATS:
        raise BadRequest(f"Invalid value for format: {fmt!r}; use one of {', '.join(_FORMATS)}")
    res: dict = {"id": msg.id, "threadId": msg.thread_id, "labelIds": sorted(labels)}
    if fmt == "minimal":
        res.update(snippet=msg.snippet, sizeEstimate=msg.size, historyId=str(msg.history_id),
                   internalDate=str(msg.internal_ms))
        return res
    res.update(snippet=msg.snippet, sizeEstimate=msg.size, historyId=str(msg.history_id),
               internalDate=str(msg.internal_ms))
    if fmt == "raw":
        res["raw"] = mime.b64url(msg.raw)
        return res
    payload = mime.gmail_payload(msg.raw, lambda part_id: service.attachment_id_for(msg.id, part_id))
    if fmt == "metadata":
        wanted = {h.lower() for h in metadata_headers or []}
        headers = [h for h in payload["headers"] if not wanted or h["name"].lower() in wanted]
        res["payload"] = {"partId": "", "mimeType": payload["mimeType"], "filename": "", "headers": headers,
                          "body": {"size": 0}}
    else:
        res["payload"] = payload
    return res


def _message_json(msg: Message, fmt: str = "full") -> dict:
    labels = service.message_labels(db(), [msg.pk])[msg.pk]
    return message_resource(msg, labels, fmt, request.args.getlist("metadataHeaders"))


def _label_resource(label: Label, counts: bool = False) -> dict:
    res = {"id": label.id, "name": label.name, "type": label.type}
    if label.type == "user":
        res.update(messageListVisibility="show", labelListVisibility="labelShow")
        if label.color:
            res["color"] = {"backgroundColor": label.color, "textColor": "#000000"}
    if counts:
        row = db().execute(text(
            "SELECT count(*), count(DISTINCT m.thread_id), "
            "sum(EXISTS (SELECT 1 FROM mail_message_label u WHERE u.message_pk = m.pk AND u.label_id = 'UNREAD')) "
            "FROM mail_message m JOIN mail_message_label ml ON ml.message_pk = m.pk WHERE ml.label_id = :l"),
            {"l": label.id}).one()
        unread_threads = service.unread_counts(db()).get(label.id, 0)
        res.update(messagesTotal=row[0], threadsTotal=row[1], messagesUnread=int(row[2] or 0), threadsUnread=unread_threads)
    return res


def _raw_from_request() -> tuple[bytes, dict]:
    """The RFC 822 bytes and JSON metadata of a send/create request (JSON `raw` or a media upload)."""
    raw, meta = _raw_and_metadata()
    if mime.longest_header_field(raw) > mime.HEADER_FIELD_LIMIT:
        raise BadRequest(f"Invalid raw message: a header field is longer than {mime.HEADER_FIELD_LIMIT:,} characters "
                         "(is the blank line between the headers and the body missing?)")
    return raw, meta


def _raw_and_metadata() -> tuple[bytes, dict]:
    ctype = request.content_type or ""
    if request.path.startswith("/upload/"):
        upload = request.args.get("uploadType", "media")
        if ctype.startswith("message/"):
            return request.get_data(), {}
        if upload == "media":  # Gmail's discovery document accepts message/* media only
            raise BadRequest(f"Media type '{ctype or 'none'}' is not supported. Valid media types: [message/*]")
        if upload == "multipart" or ctype.startswith("multipart/"):
            parsed = BytesParser(policy=policy.default).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + request.get_data())
            parts = [p for p in parsed.iter_parts()] if parsed.is_multipart() else []
            if len(parts) != 2:
                raise BadRequest("A multipart upload needs a JSON metadata part and a message/rfc822 media part")
            try:
                meta = json.loads(mime.decoded_bytes(parts[0]) or b"{}")
            except (ValueError, RecursionError):
                raise BadRequest("Invalid JSON payload in the upload's metadata part") from None
            return mime.decoded_bytes(parts[1]), meta if isinstance(meta, dict) else {}
        raise BadRequest(f"uploadType={upload!r} is not supported here; use media or multipart")
    data = _json()
    holder = data.get("message", data) if isinstance(data.get("message"), dict) else data
    raw = holder.get("raw")
    if not raw:
        raise BadRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required")
    try:
        return mime.b64url_decode(raw), holder
    except ValueError:
        raise BadRequest("Invalid value for ByteString: the raw field is not base64url") from None


# ---- messages --------------------------------------------------------------------------------

@bp.get(f"{API}/profile")
def profile(user_id: str):
    """users.getProfile."""
    _check_user(user_id)
    box = service.mailbox(db())
    total = db().execute(text("SELECT count(*), count(DISTINCT thread_id) FROM mail_message")).one()
    return jsonify(emailAddress=box.email, messagesTotal=total[0], threadsTotal=total[1],
                   historyId=str(service.history_id(db())))


@bp.get(f"{API}/messages")
def messages_list(user_id: str):
    """messages.list with q, labelIds, maxResults, pageToken, includeSpamTrash."""
    _check_user(user_id)
    limit, offset = _max_results(100), _offset()
    for label_id in request.args.getlist("labelIds"):
        service.label_by_id(db(), label_id)
    rows, total = service.search_messages(db(), request.args.get("q"), label_ids=request.args.getlist("labelIds"),
                                          include_spam_trash=_bool_arg("includeSpamTrash"),
                                          offset=offset, limit=limit)
    body: dict = {"resultSizeEstimate": total}
    if rows:
        body["messages"] = [{"id": mid, "threadId": tid} for mid, tid in rows]
    if offset + len(rows) < total:
        body["nextPageToken"] = _token(offset + len(rows))
    return jsonify(body)


@bp.get(f"{API}/messages/<message_id>")
def messages_get(user_id: str, message_id: str):
    """messages.get in format full (default), metadata, minimal or raw."""
    _check_user(user_id)
    return jsonify(_message_json(service.get_message(db(), message_id), request.args.get("format", "full")))


@bp.post(f"{API}/messages/send")
@bp.post(f"{UPLOAD}/messages/send")
def messages_send(user_id: str):
    """messages.send: raw RFC 822 (base64url in JSON, or a media upload)."""
    _check_user(user_id)
    raw, meta = _raw_from_request()
    msg = service.send_raw(db(), raw, thread_id=meta.get("threadId"))
    return jsonify(_message_json(msg, "minimal"))


@bp.post(f"{API}/messages")
@bp.post(f"{UPLOAD}/messages")
def messages_insert(user_id: str):
    """messages.insert: store a raw message as it is (no sending), with labelIds (default INBOX, UNREAD)."""
    _check_user(user_id)
    raw, meta = _raw_from_request()
    label_ids = meta.get("labelIds")
    if label_ids is not None and (not isinstance(label_ids, list) or not all(isinstance(x, str) for x in label_ids)):
        raise BadRequest("'labelIds' must be a list of label ids")
    msg = service.insert_raw(db(), raw, label_ids=label_ids, thread_id=meta.get("threadId"))
    return jsonify(_message_json(msg, "minimal"))


@bp.post(f"{API}/messages/<message_id>/modify")
def messages_modify(user_id: str, message_id: str):
    """messages.modify: addLabelIds / removeLabelIds."""
    _check_user(user_id)
    data = _json()
    add, remove = _label_list(data, "addLabelIds"), _label_list(data, "removeLabelIds")
    if not add and not remove:
        raise BadRequest("No label add or removes specified")
    [msg] = service.modify_messages(db(), [message_id], add=add, remove=remove)
    return jsonify(_message_json(msg, "minimal"))


@bp.post(f"{API}/messages/batchModify")
def messages_batch_modify(user_id: str):
    """messages.batchModify: empty 204 response, as in Gmail."""
    _check_user(user_id)
    data = _json()
    ids = data.get("ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise BadRequest("'ids' must be a non-empty list of message ids")
    if len(ids) > 1000:
        raise BadRequest("Too many ids: at most 1000 per batchModify request")
    service.modify_messages(db(), ids, add=_label_list(data, "addLabelIds"), remove=_label_list(data, "removeLabelIds"))
    return Response(status=204)


def _label_list(data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"'{key}' must be a list of label ids")
    return value


@bp.post(f"{API}/messages/<message_id>/trash")
def messages_trash(user_id: str, message_id: str):
    """messages.trash."""
    _check_user(user_id)
    [msg] = service.trash_messages(db(), [message_id])
    return jsonify(_message_json(msg, "minimal"))


@bp.post(f"{API}/messages/<message_id>/untrash")
def messages_untrash(user_id: str, message_id: str):
    """messages.untrash."""
    _check_user(user_id)
    [msg] = service.untrash_messages(db(), [message_id])
    return jsonify(_message_json(msg, "minimal"))


@bp.get(f"{API}/messages/<message_id>/attachments/<attachment_id>")
def attachments_get(user_id: str, message_id: str, attachment_id: str):
    """messages.attachments.get: the part's bytes, base64url."""
    _check_user(user_id)
    att, data = service.get_attachment(db(), message_id, attachment_id)
    return jsonify(attachmentId=att.attachment_id, size=len(data), data=mime.b64url(data))


# ---- threads ---------------------------------------------------------------------------------

@bp.get(f"{API}/threads")
def threads_list(user_id: str):
    """threads.list with q, labelIds, maxResults, pageToken, includeSpamTrash."""
    _check_user(user_id)
    limit, offset = _max_results(100), _offset()
    for label_id in request.args.getlist("labelIds"):
        service.label_by_id(db(), label_id)
    threads, total = service.search_threads(db(), request.args.get("q"), label_ids=request.args.getlist("labelIds"),
                                            include_spam_trash=_bool_arg("includeSpamTrash"),
                                            offset=offset, limit=limit)
    body: dict = {"resultSizeEstimate": total}
    if threads:
        hist = _thread_history([t.id for t in threads])
        body["threads"] = [{"id": t.id, "snippet": t.snippet, "historyId": str(hist.get(t.id, 1))} for t in threads]
    if offset + limit < total:
        body["nextPageToken"] = _token(offset + limit)
    return jsonify(body)


def _thread_history(thread_ids: list[str]) -> dict[str, int]:
    if not thread_ids:
        return {}
    params = {f"t{i}": t for i, t in enumerate(thread_ids)}
    rows = db().execute(text(
        f"SELECT thread_id, max(history_id) FROM mail_message WHERE thread_id IN ({','.join(':' + k for k in params)}) "
        "GROUP BY thread_id"), params).all()
    return dict(rows)


def _thread_json(thread_id: str, fmt: str) -> dict:
    msgs = service.thread_messages(db(), thread_id)
    labels = service.message_labels(db(), [m.pk for m in msgs])
    headers = request.args.getlist("metadataHeaders")
    return {"id": thread_id, "historyId": str(max(m.history_id for m in msgs)),
            "messages": [message_resource(m, labels[m.pk], fmt, headers) for m in msgs]}


@bp.get(f"{API}/threads/<thread_id>")
def threads_get(user_id: str, thread_id: str):
    """threads.get in format full, metadata or minimal."""
    _check_user(user_id)
    fmt = request.args.get("format", "full")
    if fmt == "raw":
        raise BadRequest("Invalid value for format: 'raw' is not supported for threads")
    return jsonify(_thread_json(thread_id, fmt))


@bp.post(f"{API}/threads/<thread_id>/modify")
def threads_modify(user_id: str, thread_id: str):
    """threads.modify: labels on every message of the thread."""
    _check_user(user_id)
    data = _json()
    add, remove = _label_list(data, "addLabelIds"), _label_list(data, "removeLabelIds")
    if not add and not remove:
        raise BadRequest("No label add or removes specified")
    service.modify_threads(db(), [thread_id], add=add, remove=remove)
    return jsonify(_thread_json(thread_id, "minimal"))


@bp.post(f"{API}/threads/<thread_id>/trash")
def threads_trash(user_id: str, thread_id: str):
    """threads.trash."""
    _check_user(user_id)
    service.modify_threads(db(), [thread_id], add={"TRASH"}, op="mail.trash")
    return jsonify(_thread_json(thread_id, "minimal"))


@bp.post(f"{API}/threads/<thread_id>/untrash")
def threads_untrash(user_id: str, thread_id: str):
    """threads.untrash."""
    _check_user(user_id)
    service.modify_threads(db(), [thread_id], remove={"TRASH"}, op="mail.untrash")
    return jsonify(_thread_json(thread_id, "minimal"))


# ---- labels ----------------------------------------------------------------------------------

@bp.get(f"{API}/labels")
def labels_list(user_id: str):
    """labels.list."""
    _check_user(user_id)
    return jsonify(labels=[_label_resource(label) for label in service.labels(db())])


@bp.get(f"{API}/labels/<label_id>")
def labels_get(user_id: str, label_id: str):
    """labels.get, with message and thread counts."""
    _check_user(user_id)
    return jsonify(_label_resource(service.label_by_id(db(), label_id), counts=True))


@bp.post(f"{API}/labels")
def labels_create(user_id: str):
    """labels.create."""
    _check_user(user_id)
    data = _json()
    name = data.get("name")
    if not isinstance(name, str):
        raise BadRequest("Invalid label name: 'name' is required")
    color = (data.get("color") or {}).get("backgroundColor") if isinstance(data.get("color"), dict) else None
    label = service.create_label(db(), name, color=color)
    return jsonify(_label_resource(label))


@bp.delete(f"{API}/labels/<label_id>")
def labels_delete(user_id: str, label_id: str):
    """labels.delete: empty 204 response."""
    _check_user(user_id)
    service.delete_label(db(), label_id)
    return Response(status=204)


# ---- drafts ----------------------------------------------------------------------------------

def _draft_json(draft_id: str, fmt: str = "full") -> dict:
    draft, msg = service.get_draft(db(), draft_id)
    return {"id": draft.id, "message": _message_json(msg, fmt)}


@bp.post(f"{API}/drafts")
@bp.post(f"{UPLOAD}/drafts")
def drafts_create(user_id: str):
    """drafts.create from {"message": {"raw": ...}} or a media upload."""
    _check_user(user_id)
    raw, meta = _raw_from_request()
    draft = service.save_raw_draft(db(), raw, thread_id=meta.get("threadId"))
    return jsonify(_draft_json(draft.id, "minimal"))


@bp.get(f"{API}/drafts")
def drafts_list(user_id: str):
    """drafts.list."""
    _check_user(user_id)
    limit, offset = _max_results(100), _offset()
    rows = service.list_drafts(db())
    page = rows[offset:offset + limit]
    body: dict = {"resultSizeEstimate": len(rows)}
    if page:
        body["drafts"] = [{"id": d.id, "message": {"id": m.id, "threadId": m.thread_id}} for d, m in page]
    if offset + limit < len(rows):
        body["nextPageToken"] = _token(offset + limit)
    return jsonify(body)


@bp.get(f"{API}/drafts/<draft_id>")
def drafts_get(user_id: str, draft_id: str):
    """drafts.get."""
    _check_user(user_id)
    return jsonify(_draft_json(draft_id, request.args.get("format", "full")))


@bp.delete(f"{API}/drafts/<draft_id>")
def drafts_delete(user_id: str, draft_id: str):
    """drafts.delete."""
    _check_user(user_id)
    service.delete_draft(db(), draft_id)
    return Response(status=204)


@bp.post(f"{API}/drafts/send")
@bp.post(f"{UPLOAD}/drafts/send")
def drafts_send(user_id: str):
    """drafts.send: {"id": draftId}."""
    _check_user(user_id)
    data = _json() if not request.path.startswith("/upload/") else {}
    draft_id = data.get("id")
    if not isinstance(draft_id, str) or not draft_id:
        raise BadRequest("drafts.send needs the draft's 'id'")
    msg = service.send_draft(db(), draft_id)
    return jsonify(_message_json(msg, "minimal"))


# ---- OpenAPI ---------------------------------------------------------------------------------

@bp.get("/gmail/v1/openapi.json")
def openapi():
    """The OpenAPI 3 document of the implemented subset."""
    return jsonify(openapi_document())
