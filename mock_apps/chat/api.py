"""The Slack Web API subset under `/api/<method>` in Slack's wire format.

Arguments come from the query string, a form body or a JSON body (merged, body wins), the token
from `Authorization: Bearer xoxp-<handle>` or a `token` argument. Answers are `{"ok": true, ...}` or
`{"ok": false, "error": "<code>"}` with HTTP 200, as Slack does; lists page with
`response_metadata.next_cursor`. The external upload flow (`files.getUploadURLExternal`, a POST of
the bytes to the returned URL, `files.completeUploadExternal`) is what slack_sdk's `files_upload_v2`
calls. The methods and their parameters are declared once in `METHODS`, which the OpenAPI document
is generated from.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Callable

from flask import Blueprint, Response, g, jsonify, request
from sqlmodel import select

from mock_apps.chat import TOKEN_PREFIX, history, service
from mock_apps.chat.blocks import BlocksError, blocks_text
from mock_apps.chat.history import Directory, TEAM_ID
from mock_apps.chat.models import Conversation, File, FileShare, Membership, Message, Pin, User
from mock_apps.chat.query import QueryError
from mock_apps.chat.search import search_files, search_messages
from mock_apps.chat.service import ChatError, FileSpec
from mock_apps.core.errors import MockAppsError
from mock_apps.core.request import db

bp = Blueprint("chat_api", __name__)


@dataclass
class Method:
    """One Web API method: its handler, what it does, and its parameters (name -> description)."""

    name: str
    handler: Callable
    summary: str
    params: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    auth: bool = True


METHODS: dict[str, Method] = {}


def method(name: str, summary: str, params: dict[str, str] | None = None, required: tuple[str, ...] = (),
           auth: bool = True):
    """Register a handler as a Web API method."""
    def register(fn):
        """Add the handler to METHODS."""
        METHODS[name] = Method(name, fn, summary, params or {}, required, auth)
        return fn
    return register


def error_response(error: MockAppsError) -> Response:
    """A MockAppsError as Slack's error body (HTTP 200 like Slack, except unknown paths and server errors)."""
    code = {"not_found": "unknown_method", "method_not_allowed": "method_not_allowed",
            "internal_error": "internal_error", "too_large": "request_too_large"}.get(error.code, error.code)
    status = 200
    if code == "unknown_method":
        status = 404
    elif error.status >= 500 or code in ("unknown_world", "malformed_world_id"):
        status = error.status
    body = {"ok": False, "error": code}
    if error.message and code not in ("ok",):
        body["response_metadata"] = {"messages": [f"[ERROR] {error.message}"]}
    return Response(json.dumps(body), status=status, mimetype="application/json")


# ---- arguments ----------------------------------------------------------------------------------

class Args:
    """The merged arguments of one call, with Slack's loose typing."""

    def __init__(self):
        data: dict = dict(request.args.items())
        if request.form:
            data.update(request.form.items())
        elif request.is_json or (request.data and request.data.lstrip()[:1] == b"{"):
            try:
                body = json.loads(request.get_data(as_text=True) or "{}")
            except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
                raise ChatError("The JSON body could not be parsed.", code="invalid_json") from None
            if not isinstance(body, dict):
                raise ChatError("The JSON body must be an object.", code="invalid_json")
            data.update(body)
        self.data = data

    def str(self, name: str, default: str | None = None) -> str | None:
        """A text argument."""
        value = self.data.get(name, default)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)

    def need(self, name: str, code: str = "invalid_arguments") -> str:
        """A required text argument."""
        value = self.str(name)
        if value is None or value == "":
            raise ChatError(f"The {name!r} argument is required.", code=code)
        return value

    def bool(self, name: str, default: bool = False) -> bool:
        """A boolean argument ("true", "1", true)."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes")

    def int(self, name: str, default: int, low: int, high: int) -> int:
        """An integer argument clamped to [low, high] (Slack clamps rather than failing)."""
        value = self.data.get(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ChatError(f"{name} must be a whole number.", code="invalid_arguments") from None
        return max(low, min(high, number))

    def list(self, name: str) -> list[str]:
        """A comma-separated (or JSON array) list argument."""
        value = self.data.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return [v.strip() for v in str(value).split(",") if v.strip()]


def _actor() -> User:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    token = token or request.args.get("token") or request.form.get("token")
    if not token:
        raise ChatError("No token was sent: use Authorization: Bearer xoxp-<handle>.", code="not_authed")
    if not token.startswith(TOKEN_PREFIX):
        raise ChatError("The token is not valid.", code="invalid_auth")
    user = service.user_by_name(db(), token[len(TOKEN_PREFIX):])
    if user is None or user.deleted:
        raise ChatError("The token is not valid.", code="invalid_auth")
    return user


def _base() -> str:
    """The app's base URL in this world (the world prefix always included, so links work cookieless)."""
    return f"{request.host_url.rstrip('/')}/w/{g.world_id}"


def _cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode()


def _offset(args: Args) -> int:
    cursor = args.str("cursor")
    if not cursor:
        return 0
    try:
        kind, _, value = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind != "next":
            raise ValueError(kind)
        return max(0, int(value))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ChatError("The cursor is not one this API gave out.", code="invalid_cursor") from None


def _page(items: list, args: Args, default: int = 100, high: int = 1000) -> tuple[list, dict]:
    offset = _offset(args)
    limit = args.int("limit", default, 1, high)
    chunk = items[offset:offset + limit]
    nxt = _cursor(offset + limit) if offset + limit < len(items) else ""
    return chunk, {"next_cursor": nxt}


def _ok(**data) -> Response:
    return Response(json.dumps({"ok": True, **data}), status=200, mimetype="application/json")


def _resolve_channel(actor: User, value: str) -> str:
    """A channel argument as an id: ids pass through, '#name'/'name' are looked up, a user id or '@handle' opens a DM."""
    if not value:
        raise ChatError("The 'channel' argument is required.", code="channel_not_found")
    session = db()
    if value.startswith("@"):  # Slack's legacy "@handle" channel: the DM with that person
        user = service.user_by_name(session, value[1:])
        if user is None:
            raise ChatError(f"There is no member {value!r}.", code="channel_not_found")
        conv, _ = service.open_dm(session, actor, [user.id])
        return conv.id
    if value.startswith("#") or (not value[:1].isupper()):
        conv = service.conversation_by_name(session, value)
        if conv is None:
            raise ChatError(f"There is no channel {value!r}.", code="channel_not_found")
        return conv.id
    if value.startswith("U") or value.startswith("W"):
        user = session.exec(select(User).where(User.id == value)).first()
        if user is not None:
            conv, _ = service.open_dm(session, actor, [user.id])
            return conv.id
    return value


def _member_count(conv_id: str) -> int:
    return len(service.member_ids(db(), conv_id))


def _conv_json(conv: Conversation, actor: User, directory: Directory | None = None) -> dict:
    session = db()
    mine = service.membership(session, conv.id, actor.id)
    im_user = None
    if conv.kind == "im":
        others = [u for u in service.member_ids(session, conv.id) if u != actor.id]
        im_user = others[0] if others else actor.id
    return history.conversation_json(conv, is_member=mine is not None, num_members=_member_count(conv.id),
                                     im_user=im_user, last_read=mine.last_read if mine else None)


def _messages_json(messages: list[Message], actor: User) -> list[dict]:
    session = db()
    ex = history.extras(session, messages, actor.id)
    directory = Directory.load(session)
    return [history.message_json(m, ex, _base(), directory) for m in messages]


# ---- dispatch -----------------------------------------------------------------------------------

@bp.route("/api/<name>", methods=["GET", "POST"])
def call(name: str):
    """Dispatch one Web API call."""
    spec = METHODS.get(name)
    if spec is None:
        raise ChatError(f"There is no API method {name!r}.", code="unknown_method", status=404)
    args = Args()
    actor = _actor() if spec.auth else None
    for param in spec.required:
        if args.str(param) in (None, ""):
            code = {"channel": "channel_not_found", "text": "no_text", "query": "no_query", "name": "invalid_name",
                    "email": "users_not_found", "user": "user_not_found", "file": "file_not_found",
                    "ts": "message_not_found", "timestamp": "message_not_found"}.get(param, "invalid_arguments")
            raise ChatError(f"The {param!r} argument is required.", code=code)
    return spec.handler(actor, args)


@bp.route("/upload/v1/<file_id>", methods=["POST", "PUT"])
def upload(file_id: str):
    """Step 2 of the external upload flow: the file's bytes, posted raw (or as a multipart 'file')."""
    # urllib posts raw bytes labelled as a form; read the body before anything parses it as one
    if request.mimetype == "multipart/form-data":
        data = request.files["file"].read() if "file" in request.files else b""
    else:
        data = request.get_data(cache=False)
    service.store_upload(db(), file_id, data)
    return Response(f"OK - {len(data)}", status=200, mimetype="text/plain")


# ---- methods ------------------------------------------------------------------------------------

@method("api.test", "Echo the arguments back (no token needed).", auth=False)
def api_test(_actor, args: Args):
    """`api.test`: echo the arguments back (no token needed)."""
    return _ok(args={k: v for k, v in args.data.items() if k != "token"})


@method("auth.test", "Who the token belongs to.")
def auth_test(actor: User, args: Args):
    """`auth.test`: who the token belongs to."""
    return _ok(url=_base() + "/", team="Meridian Supply Co.", user=actor.name, team_id=TEAM_ID, user_id=actor.id,
               is_enterprise_install=False)


@method("conversations.list", "Channels and conversations the caller can see, paged with cursors.",
        {"types": "comma-separated: public_channel, private_channel, mpim, im (default public_channel)",
         "exclude_archived": "true to leave archived channels out", "limit": "page size (default 100, max 1000)",
         "cursor": "next_cursor of the previous page"})
def conversations_list(actor: User, args: Args):
    """`conversations.list`: channels and conversations the caller can see, paged with cursors."""
    types = set(args.list("types") or ["public_channel"])
    unknown = types - {"public_channel", "private_channel", "mpim", "im"}
    if unknown:
        raise ChatError(f"Unknown conversation type {sorted(unknown)[0]!r}.", code="invalid_types")
    kinds = {"public_channel": "public", "private_channel": "private", "mpim": "mpim", "im": "im"}
    wanted = {kinds[t] for t in types}
    session = db()
    mine = set(session.exec(select(Membership.conversation_id).where(Membership.user_id == actor.id)))
    convs = [c for c in session.exec(select(Conversation).order_by(Conversation.kind, Conversation.name, Conversation.pk))
             if c.kind in wanted and (c.kind == "public" or c.id in mine)
             and not (args.bool("exclude_archived") and c.is_archived)]
    chunk, meta = _page(convs, args)
    return _ok(channels=[_conv_json(c, actor) for c in chunk], response_metadata=meta)


@method("users.conversations", "Conversations the caller (or `user`) is a member of, paged with cursors.",
        {"types": "comma-separated: public_channel, private_channel, mpim, im (default public_channel)",
         "user": "another member (only conversations the caller can see too)", "exclude_archived": "true to skip archived",
         "limit": "page size (default 100, max 1000)", "cursor": "next_cursor of the previous page"})
def users_conversations(actor: User, args: Args):
    """`users.conversations`: conversations the caller (or `user`) is a member of, paged with cursors."""
    types = set(args.list("types") or ["public_channel"])
    unknown = types - {"public_channel", "private_channel", "mpim", "im"}
    if unknown:
        raise ChatError(f"Unknown conversation type {sorted(unknown)[0]!r}.", code="invalid_types")
    kinds = {"public_channel": "public", "private_channel": "private", "mpim": "mpim", "im": "im"}
    wanted = {kinds[t] for t in types}
    session = db()
    subject = service.user_by_id(session, args.str("user")) if args.str("user") else actor
    theirs = set(session.exec(select(Membership.conversation_id).where(Membership.user_id == subject.id)))
    mine = set(session.exec(select(Membership.conversation_id).where(Membership.user_id == actor.id)))
    convs = [c for c in session.exec(select(Conversation).order_by(Conversation.kind, Conversation.name, Conversation.pk))
             if c.id in theirs and c.kind in wanted and (c.kind == "public" or c.id in mine)
             and not (args.bool("exclude_archived") and c.is_archived)]
    chunk, meta = _page(convs, args)
    return _ok(channels=[_conv_json(c, actor) for c in chunk], response_metadata=meta)


@method("team.info", "The workspace.")
def team_info(actor: User, args: Args):
    """`team.info`: the workspace."""
    return _ok(team={"id": TEAM_ID, "name": "Meridian Supply Co.", "domain": "meridiansupply",
                     "email_domain": "meridiansupply.com", "url": _base() + "/"})


@method("conversations.info", "One conversation.", {"channel": "conversation id"}, ("channel",))
def conversations_info(actor: User, args: Args):
    """`conversations.info`: one conversation."""
    conv = service.visible_conversation(db(), actor, _resolve_channel(actor, args.need("channel")))
    return _ok(channel=_conv_json(conv, actor))


@method("conversations.history", "A conversation's messages, newest first (thread replies only when broadcast).",
        {"channel": "conversation id", "limit": "page size (default 100, max 1000)", "cursor": "next_cursor",
         "latest": "only messages before this ts", "oldest": "only messages after this ts",
         "inclusive": "include messages at exactly latest/oldest"}, ("channel",))
def conversations_history(actor: User, args: Args):
    """`conversations.history`: a conversation's messages, newest first (thread replies only when broadcast)."""
    session = db()
    conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
    limit = args.int("limit", 100, 1, 1000)
    before = args.str("latest") or None
    cursor = args.str("cursor")
    if cursor:
        try:
            kind, _, value = base64.b64decode(cursor, validate=True).decode().partition(":")
            if kind != "before":
                raise ValueError(kind)
            before, inclusive = value, False
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise ChatError("The cursor is not one this API gave out.", code="invalid_cursor") from None
    else:
        inclusive = args.bool("inclusive")
    rows, more = history.channel_page(session, conv.id, before=before, after=args.str("oldest") or None,
                                      limit=limit, inclusive=inclusive)
    pins = session.exec(select(Pin).where(Pin.conversation_id == conv.id)).all()
    nxt = base64.b64encode(f"before:{rows[-1].ts}".encode()).decode() if more and rows else ""
    return _ok(messages=_messages_json(rows, actor), has_more=more, pin_count=len(pins),
               channel_actions_ts=None, channel_actions_count=0, response_metadata={"next_cursor": nxt})


@method("conversations.replies", "A thread: its first message, then the replies oldest first.",
        {"channel": "conversation id", "ts": "the thread's (or any reply's) ts", "limit": "page size",
         "cursor": "next_cursor"}, ("channel", "ts"))
def conversations_replies(actor: User, args: Args):
    """`conversations.replies`: a thread: its first message, then the replies oldest first."""
    session = db()
    conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
    rows = history.thread(session, conv.id, args.need("ts"))
    if not rows:
        raise ChatError("There is no such thread.", code="thread_not_found")
    chunk, meta = _page(rows, args, default=1000)
    return _ok(messages=_messages_json(chunk, actor), has_more=bool(meta["next_cursor"]), response_metadata=meta)


@method("conversations.create", "Create a channel.", {"name": "channel name (lowercase, - and _)",
                                                      "is_private": "true for a private channel"}, ("name",))
def conversations_create(actor: User, args: Args):
    """`conversations.create`: create a channel."""
    conv = service.create_channel(db(), actor, args.need("name"), is_private=args.bool("is_private"))
    return _ok(channel=_conv_json(conv, actor))


@method("conversations.join", "Join a public channel.", {"channel": "channel id"}, ("channel",))
def conversations_join(actor: User, args: Args):
    """`conversations.join`: join a public channel."""
    conv, already = service.join_channel(db(), actor, _resolve_channel(actor, args.need("channel")))
    extra = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}} if already else {}
    return _ok(channel=_conv_json(conv, actor), **extra)


@method("conversations.leave", "Leave a channel.", {"channel": "channel id"}, ("channel",))
def conversations_leave(actor: User, args: Args):
    """`conversations.leave`: leave a channel."""
    service.leave_channel(db(), actor, _resolve_channel(actor, args.need("channel")))
    return _ok()


@method("conversations.members", "A conversation's member ids, paged.",
        {"channel": "conversation id", "limit": "page size", "cursor": "next_cursor"}, ("channel",))
def conversations_members(actor: User, args: Args):
    """`conversations.members`: a conversation's member ids, paged."""
    conv = service.visible_conversation(db(), actor, _resolve_channel(actor, args.need("channel")))
    chunk, meta = _page(service.member_ids(db(), conv.id), args)
    return _ok(members=chunk, response_metadata=meta)


@method("conversations.setTopic", "Set a channel's topic.", {"channel": "channel id", "topic": "new topic"},
        ("channel",))
def conversations_set_topic(actor: User, args: Args):
    """`conversations.setTopic`: set a channel's topic."""
    conv = service.set_topic(db(), actor, _resolve_channel(actor, args.need("channel")), args.str("topic", ""))
    return _ok(channel=_conv_json(conv, actor))


@method("conversations.setPurpose", "Set a channel's purpose.", {"channel": "channel id", "purpose": "new purpose"},
        ("channel",))
def conversations_set_purpose(actor: User, args: Args):
    """`conversations.setPurpose`: set a channel's purpose."""
    conv = service.set_topic(db(), actor, _resolve_channel(actor, args.need("channel")), args.str("purpose", ""),
                             purpose=True)
    return _ok(channel=_conv_json(conv, actor), purpose=conv.purpose)


@method("conversations.invite", "Add people to a channel.", {"channel": "channel id", "users": "comma-separated user ids"},
        ("channel", "users"))
def conversations_invite(actor: User, args: Args):
    """`conversations.invite`: add people to a channel."""
    conv = service.invite(db(), actor, _resolve_channel(actor, args.need("channel")), args.list("users"))
    return _ok(channel=_conv_json(conv, actor))


@method("conversations.open", "Open (or find) a DM or group DM.", {"users": "comma-separated user ids",
                                                                     "return_im": "ignored"}, ("users",))
def conversations_open(actor: User, args: Args):
    """`conversations.open`: open (or find) a DM or group DM."""
    conv, existed = service.open_dm(db(), actor, args.list("users"))
    extra = {"already_open": True, "no_op": True} if existed else {}
    return _ok(channel=_conv_json(conv, actor), **extra)


@method("conversations.mark", "Move your read marker in a conversation.", {"channel": "conversation id",
                                                                          "ts": "last read ts"}, ("channel", "ts"))
def conversations_mark(actor: User, args: Args):
    """`conversations.mark`: move your read marker in a conversation."""
    service.mark_read(db(), actor, _resolve_channel(actor, args.need("channel")), args.need("ts"))
    return _ok()


def _text_or_blocks(args: Args) -> str:
    """The message text: `text`, or the text of `blocks` when only blocks were sent (as Slack allows)."""
    text = args.str("text", "") or ""
    raw = args.data.get("blocks")
    if not text.strip() and raw not in (None, "", "[]", []):
        try:
            return blocks_text(raw)
        except BlocksError as err:
            raise ChatError(err.message, code="invalid_blocks") from None
    return text


@method("chat.postMessage", "Post a message, or a reply in a thread.",
        {"channel": "conversation id, #name or a user id (opens a DM)", "text": "Slack mrkdwn text",
         "blocks": "Block Kit JSON; its text is stored when no text is given",
         "thread_ts": "reply in this thread", "reply_broadcast": "true to also send the reply to the channel"},
        ("channel",))
def chat_post_message(actor: User, args: Args):
    """`chat.postMessage`: post a message, or a reply in a thread."""
    channel = _resolve_channel(actor, args.need("channel"))
    msg = service.post_message(db(), actor, channel, _text_or_blocks(args), thread_ts=args.str("thread_ts") or None,
                               broadcast=args.bool("reply_broadcast"))
    return _ok(channel=msg.conversation_id, ts=msg.ts, message=_messages_json([msg], actor)[0])


@method("chat.update", "Edit one of your messages.", {"channel": "conversation id", "ts": "the message's ts",
                                                     "text": "new text"}, ("channel", "ts"))
def chat_update(actor: User, args: Args):
    """`chat.update`: edit one of your messages."""
    channel = _resolve_channel(actor, args.need("channel"))
    msg = service.update_message(db(), actor, channel, args.need("ts"), _text_or_blocks(args))
    return _ok(channel=msg.conversation_id, ts=msg.ts, text=msg.text, message=_messages_json([msg], actor)[0])


@method("chat.delete", "Delete one of your messages.", {"channel": "conversation id", "ts": "the message's ts"},
        ("channel", "ts"))
def chat_delete(actor: User, args: Args):
    """`chat.delete`: delete one of your messages."""
    channel = _resolve_channel(actor, args.need("channel"))
    ts = args.need("ts")
    service.delete_message(db(), actor, channel, ts)
    return _ok(channel=channel, ts=ts)


@method("chat.getPermalink", "A message's permalink.", {"channel": "conversation id", "message_ts": "the message's ts"},
        ("channel", "message_ts"))
def chat_get_permalink(actor: User, args: Args):
    """`chat.getPermalink`: a message's permalink."""
    session = db()
    conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
    msg = service.message(session, conv.id, args.need("message_ts"))
    return _ok(channel=conv.id, permalink=history.permalink(_base(), msg))


@method("reactions.add", "React to a message with an emoji.",
        {"channel": "conversation id", "timestamp": "the message's ts", "name": "emoji name, e.g. white_check_mark"},
        ("channel", "timestamp", "name"))
def reactions_add(actor: User, args: Args):
    """`reactions.add`: react to a message with an emoji."""
    service.add_reaction(db(), actor, _resolve_channel(actor, args.need("channel")), args.need("timestamp"),
                         args.need("name"))
    return _ok()


@method("reactions.remove", "Take back a reaction.",
        {"channel": "conversation id", "timestamp": "the message's ts", "name": "emoji name"},
        ("channel", "timestamp", "name"))
def reactions_remove(actor: User, args: Args):
    """`reactions.remove`: take back a reaction."""
    service.remove_reaction(db(), actor, _resolve_channel(actor, args.need("channel")), args.need("timestamp"),
                            args.need("name"))
    return _ok()


@method("reactions.get", "A message with its reactions.", {"channel": "conversation id", "timestamp": "the message's ts",
                                                          "full": "ignored (always full)"}, ("channel", "timestamp"))
def reactions_get(actor: User, args: Args):
    """`reactions.get`: a message with its reactions."""
    session = db()
    conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
    msg = service.message(session, conv.id, args.need("timestamp"))
    data = _messages_json([msg], actor)[0]
    data["permalink"] = history.permalink(_base(), msg)
    return _ok(type="message", channel=conv.id, message=data)


@method("pins.add", "Pin a message.", {"channel": "conversation id", "timestamp": "the message's ts"},
        ("channel", "timestamp"))
def pins_add(actor: User, args: Args):
    """`pins.add`: pin a message."""
    service.pin_message(db(), actor, _resolve_channel(actor, args.need("channel")), args.need("timestamp"))
    return _ok()


@method("pins.remove", "Unpin a message.", {"channel": "conversation id", "timestamp": "the message's ts"},
        ("channel", "timestamp"))
def pins_remove(actor: User, args: Args):
    """`pins.remove`: unpin a message."""
    service.unpin_message(db(), actor, _resolve_channel(actor, args.need("channel")), args.need("timestamp"))
    return _ok()


@method("pins.list", "A conversation's pinned messages, newest pin first.", {"channel": "conversation id"}, ("channel",))
def pins_list(actor: User, args: Args):
    """`pins.list`: a conversation's pinned messages, newest pin first."""
    session = db()
    conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
    pins = list(session.exec(select(Pin).where(Pin.conversation_id == conv.id).order_by(Pin.pinned_at.desc(), Pin.pk)))
    msgs = {m.pk: m for m in session.exec(select(Message).where(Message.pk.in_([p.message_pk for p in pins])))}
    rendered = dict(zip([p.message_pk for p in pins], _messages_json([msgs[p.message_pk] for p in pins], actor)))
    items = [{"type": "message", "created": p.pinned_at, "created_by": p.pinned_by, "channel": conv.id,
              "message": rendered[p.message_pk]} for p in pins]
    return _ok(items=items)


@method("users.list", "Everyone in the workspace, paged.", {"limit": "page size", "cursor": "next_cursor"})
def users_list(actor: User, args: Args):
    """`users.list`: everyone in the workspace, paged."""
    session = db()
    now = session.now()
    users = list(session.exec(select(User).order_by(User.pk)))
    chunk, meta = _page(users, args, default=200)
    return _ok(members=[history.user_json(u, now) for u in chunk], cache_ts=int(now.timestamp()), response_metadata=meta)


@method("users.info", "One user.", {"user": "user id"}, ("user",))
def users_info(actor: User, args: Args):
    """`users.info`: one user."""
    session = db()
    return _ok(user=history.user_json(service.user_by_id(session, args.need("user")), session.now()))


@method("users.lookupByEmail", "The user with an email address.", {"email": "email address"}, ("email",))
def users_lookup_by_email(actor: User, args: Args):
    """`users.lookupByEmail`: the user with an email address."""
    session = db()
    return _ok(user=history.user_json(service.user_by_email(session, args.need("email")), session.now()))


def _paging(results, count: int) -> dict:
    return {"count": count, "total": results.total, "page": results.page, "pages": results.pages}


def _pagination(results, count: int) -> dict:
    first = (results.page - 1) * count + 1 if results.total else 0
    return {"total_count": results.total, "page": results.page, "per_page": count, "page_count": results.pages,
            "first": first, "last": min(results.total, results.page * count)}


@method("search.messages", "Search messages with Slack's modifiers (in:, from:, has:, before:, after:, on:, during:).",
        {"query": "search query", "count": "results per page (default 20, max 100)", "page": "page number (1-100)",
         "sort": "timestamp or score (both newest first)", "sort_dir": "desc (default) or asc"}, ("query",))
def search_messages_method(actor: User, args: Args):
    """`search.messages`: search messages with Slack's modifiers (in:, from:, has:, before:, after:, on:, during:)."""
    count = args.int("count", 20, 1, 100)
    page = args.int("page", 1, 1, 100)
    session = db()
    text = args.need("query")
    try:
        _, results = search_messages(session, actor, text, page=page, per_page=count,
                                     oldest_first=args.str("sort_dir", "desc") == "asc")
    except QueryError as err:
        raise ChatError(err.message, code="invalid_query") from None
    directory = Directory.load(session)
    ex = history.extras(session, results.items, actor.id)
    matches = []
    for i, msg in enumerate(results.items):
        conv = directory.conversations[msg.conversation_id]
        user = directory.users.get(msg.user_id)
        data = history.message_json(msg, ex, _base(), directory)
        data.update(iid=f"{msg.conversation_id}-{msg.ts}", username=user.name if user else "", permalink=history.permalink(_base(), msg),
                    channel={"id": conv.id, "is_channel": conv.kind in ("public", "private"), "is_group": False,
                             "is_im": conv.kind == "im", "is_mpim": conv.kind == "mpim",
                             "is_private": conv.kind != "public", "name": conv.name if conv.kind != "im" else msg.user_id,
                             "is_shared": False, "is_org_shared": False, "is_ext_shared": False, "pending_shared": []},
                    score=0)
        matches.append(data)
    return _ok(query=text, messages={"total": results.total, "matches": matches,
                                     "pagination": _pagination(results, count), "paging": _paging(results, count)})


@method("search.files", "Search files by name and title with Slack's modifiers.",
        {"query": "search query", "count": "results per page", "page": "page number"}, ("query",))
def search_files_method(actor: User, args: Args):
    """`search.files`: search files by name and title with Slack's modifiers."""
    count = args.int("count", 20, 1, 100)
    page = args.int("page", 1, 1, 100)
    session = db()
    text = args.need("query")
    try:
        _, results = search_files(session, actor, text, page=page, per_page=count)
    except QueryError as err:
        raise ChatError(err.message, code="invalid_query") from None
    directory = Directory.load(session)
    matches = [history.file_json(f, _base(), _file_channels(f.id), directory) for f in results.items]
    return _ok(query=text, files={"total": results.total, "matches": matches,
                                  "pagination": _pagination(results, count), "paging": _paging(results, count)})


@method("search.all", "Search messages and files at once.",
        {"query": "search query", "count": "results per page (default 20, max 100)", "page": "page number"}, ("query",))
def search_all(actor: User, args: Args):
    """`search.all`: search messages and files at once."""
    messages = json.loads(search_messages_method(actor, args).get_data())["messages"]
    files = json.loads(search_files_method(actor, args).get_data())["files"]
    return _ok(query=args.need("query"), messages=messages, files=files)


def _file_channels(file_id: str) -> list[str]:
    return list(dict.fromkeys(db().exec(select(FileShare.conversation_id).where(FileShare.file_id == file_id))))


@method("files.list", "Files visible to the caller, newest first, paged.",
        {"channel": "only files shared here", "user": "only files by this user", "count": "per page (default 100)",
         "page": "page number"})
def files_list(actor: User, args: Args):
    """`files.list`: files visible to the caller, newest first, paged."""
    from sqlalchemy.orm import defer

    session = db()
    query = select(File).options(defer(File.content)).where(File.status == "complete").order_by(File.created.desc(), File.pk.desc())
    if args.str("user"):
        query = query.where(File.user_id == args.str("user"))
    if args.str("channel"):
        conv = service.visible_conversation(session, actor, _resolve_channel(actor, args.need("channel")))
        query = query.where(File.id.in_(select(FileShare.file_id).where(FileShare.conversation_id == conv.id)))
    rows = [f for f in session.exec(query) if service.can_see_file(session, actor, f)]
    count = args.int("count", 100, 1, 1000)
    page = args.int("page", 1, 1, 1000)
    chunk = rows[(page - 1) * count: page * count]
    directory = Directory.load(session)
    return _ok(files=[history.file_json(f, _base(), _file_channels(f.id), directory) for f in chunk],
               paging={"count": count, "total": len(rows), "page": page, "pages": max(1, -(-len(rows) // count))})


@method("files.info", "One file.", {"file": "file id"}, ("file",))
def files_info(actor: User, args: Args):
    """`files.info`: one file."""
    session = db()
    row = service.file_by_id(session, args.need("file"))
    if not service.can_see_file(session, actor, row):
        raise ChatError("There is no such file you can see.", code="file_not_found")
    directory = Directory.load(session)
    return _ok(file=history.file_json(row, _base(), _file_channels(row.id), directory), comments=[],
               response_metadata={"next_cursor": ""})


@method("files.getUploadURLExternal", "Step 1 of an upload: reserve a file id and get the URL to POST the bytes to.",
        {"filename": "file name", "length": "size in bytes", "alt_txt": "description of an image",
         "snippet_type": "ignored"}, ("filename", "length"))
def files_get_upload_url(actor: User, args: Args):
    """`files.getUploadURLExternal`: step 1 of an upload: reserve a file id and get the URL to POST the bytes to."""
    row = service.reserve_upload(db(), actor, args.need("filename"), args.need("length"), args.str("alt_txt") or "")
    return _ok(upload_url=f"{_base()}/upload/v1/{row.id}", file_id=row.id)


@method("files.completeUploadExternal", "Step 3 of an upload: finish the files and share them in a channel.",
        {"files": 'JSON array of {"id", "title"}', "channel_id": "share here", "channels": "comma-separated (first used)",
         "initial_comment": "message text posted with the files", "thread_ts": "share as a reply in this thread"},
        ("files",))
def files_complete_upload(actor: User, args: Args):
    """`files.completeUploadExternal`: step 3 of an upload: finish the files and share them in a channel."""
    raw = args.data.get("files")
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
        specs = [FileSpec(id=str(item["id"]), title=item.get("title")) for item in items]
    except (ValueError, TypeError, KeyError):
        raise ChatError('files must be a JSON array of {"id": ..., "title": ...}.', code="invalid_arguments") from None
    channel = args.str("channel_id") or (args.list("channels") or [None])[0]
    if channel:
        channel = _resolve_channel(actor, channel)
    rows = service.complete_upload(db(), actor, specs, channel_id=channel, initial_comment=args.str("initial_comment", ""),
                                   thread_ts=args.str("thread_ts") or None)
    directory = Directory.load(db())
    return _ok(files=[history.file_json(r, _base(), _file_channels(r.id), directory) for r in rows])


@bp.route("/api/openapi.json")
def openapi_document():
    """The OpenAPI document of the implemented Web API subset."""
    from mock_apps.chat.openapi import build_document

    return jsonify(build_document(METHODS, request.host_url.rstrip("/")))
