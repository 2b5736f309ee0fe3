"""Chat's rules: the only code that changes chat state, each change a named operation.

Errors carry Slack's error codes (`channel_not_found`, `not_in_channel`, `no_text`, ...) as their
`code`, so the Web API returns them verbatim and the UI shows their message.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from mock_apps.chat import mrkdwn
from mock_apps.chat.emoji import normalize_name
from mock_apps.chat.ids import slack_id
from mock_apps.chat.models import (
    Conversation, File, FileShare, Membership, Mention, Message, Pin, Reaction, User,
)
from mock_apps.chat.slack_ts import make_ts, parse_ts, second_prefix
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import MockAppsError

MAX_TEXT = 40_000  # Slack's limit for a message's text
MAX_TOPIC = 250
MAX_CHANNEL_NAME = 80
MAX_FILE_BYTES = 20 * 1024 * 1024
_CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LINK = re.compile(r"<(?:https?|mailto):|\bhttps?://", re.IGNORECASE)


class ChatError(MockAppsError):
    """A Slack API error: `code` is Slack's error string."""


def _err(code: str, message: str, status: int = 400) -> ChatError:
    return ChatError(message, status=status, code=code)


# ---- lookups ------------------------------------------------------------------------------------

def user_by_id(db: WorldSession, user_id: str) -> User:
    """The user with this id, or `user_not_found`."""
    user = db.exec(select(User).where(User.id == user_id)).first() if user_id else None
    if user is None:
        raise _err("user_not_found", f"There is no user {str(user_id)[:40]!r}.", 404)
    return user


def user_by_name(db: WorldSession, name: str) -> User | None:
    """The user with this handle ("dana.whitfield"), or None."""
    return db.exec(select(User).where(User.name == name.lower())).first()


def user_by_email(db: WorldSession, email: str) -> User:
    """The user with this email address, or `users_not_found` (Slack's code for lookupByEmail)."""
    user = db.exec(select(User).where(func.lower(User.email) == (email or "").strip().lower())).first()
    if user is None:
        raise _err("users_not_found", f"No user has the email address {str(email)[:80]!r}.", 404)
    return user


def all_users(db: WorldSession) -> list[User]:
    """Every user, people first by name, bots last."""
    return list(db.exec(select(User).order_by(User.is_bot, User.real_name)))


def conversation(db: WorldSession, conversation_id: str) -> Conversation:
    """The conversation with this id, or `channel_not_found`."""
    conv = db.exec(select(Conversation).where(Conversation.id == conversation_id)).first() if conversation_id else None
    if conv is None:
        raise _err("channel_not_found", f"There is no channel {str(conversation_id)[:40]!r}.", 404)
    return conv


def conversation_by_name(db: WorldSession, name: str) -> Conversation | None:
    """The channel (public or private) with this name, or None."""
    return db.exec(select(Conversation).where(Conversation.name == name.lstrip("#").lower(),
                                              Conversation.kind.in_(("public", "private")))).first()


def membership(db: WorldSession, conversation_id: str, user_id: str) -> Membership | None:
    """The user's membership of a conversation, or None."""
    return db.exec(select(Membership).where(Membership.conversation_id == conversation_id,
                                            Membership.user_id == user_id)).first()


def member_ids(db: WorldSession, conversation_id: str) -> list[str]:
    """Ids of a conversation's members, in join order."""
    return list(db.exec(select(Membership.user_id).where(Membership.conversation_id == conversation_id)
                        .order_by(Membership.joined, Membership.pk)))


def visible_conversation(db: WorldSession, actor: User, conversation_id: str) -> Conversation:
    """A conversation the actor may see: public channels, or any they are a member of."""
    conv = conversation(db, conversation_id)
    if conv.kind != "public" and membership(db, conv.id, actor.id) is None:
        # Slack hides private conversations from non-members entirely
        raise _err("channel_not_found", f"There is no channel {conversation_id!r} that you can see.", 404)
    return conv


def member_conversation(db: WorldSession, actor: User, conversation_id: str) -> Conversation:
    """A conversation the actor is a member of (`not_in_channel` for a public one they have not joined)."""
    conv = visible_conversation(db, actor, conversation_id)
    if membership(db, conv.id, actor.id) is None:
        raise _err("not_in_channel", f"You are not a member of #{conv.name}; join it first.", 403)
    if conv.is_archived:
        raise _err("is_archived", f"#{conv.name} is archived.", 400)
    return conv


def message(db: WorldSession, conversation_id: str, ts: str) -> Message:
    """The message with this ts in this conversation, or `message_not_found`."""
    if not isinstance(ts, str) or not ts:
        raise _err("message_not_found", "No message timestamp was given.", 404)
    msg = db.exec(select(Message).where(Message.conversation_id == conversation_id, Message.ts == ts)).first()
    if msg is None:
        raise _err("message_not_found", f"There is no message {ts[:40]!r} in this conversation.", 404)
    return msg


def file_by_id(db: WorldSession, file_id: str) -> File:
    """The file with this id, or `file_not_found`."""
    found = db.exec(select(File).where(File.id == file_id)).first() if file_id else None
    if found is None:
        raise _err("file_not_found", f"There is no file {str(file_id)[:40]!r}.", 404)
    return found


def dm_partner(db: WorldSession, conv: Conversation, actor: User) -> list[User]:
    """The other members of a DM or group DM by name (the actor alone for a self-DM)."""
    ids = [uid for uid in member_ids(db, conv.id) if uid != actor.id] or [actor.id]
    users = {u.id: u for u in db.exec(select(User).where(User.id.in_(ids)))}
    return sorted((users[uid] for uid in ids if uid in users), key=lambda u: u.real_name)


# ---- helpers ------------------------------------------------------------------------------------

def _now_s(db: WorldSession) -> int:
    return int(db.now().timestamp())


def next_ts(db: WorldSession, moment=None) -> str:
    """A fresh ts at this instant (the world clock by default), unique across the workspace."""
    moment = moment or db.now()
    prefix = second_prefix(moment)
    latest = db.exec(select(func.max(Message.ts)).where(Message.ts.like(prefix + "%"))).first()
    return make_ts(moment, latest)


def _check_text(text, *, allow_empty: bool = False) -> str:
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise _err("invalid_arguments", "text must be a string.")
    if not text.strip() and not allow_empty:
        raise _err("no_text", "A message needs some text.")
    if len(text) > MAX_TEXT:
        raise _err("msg_too_long", f"A message can be at most {MAX_TEXT:,} characters; this one has {len(text):,}.")
    return text


def _index_mentions(db: WorldSession, msg: Message) -> None:
    """Rebuild the message's mention rows from its text (only for users who exist)."""
    for old in db.exec(select(Mention).where(Mention.message_pk == msg.pk)):
        db.delete(old)
    db.flush()
    ids = mrkdwn.mentioned_user_ids(msg.text)
    if not ids:
        return
    known = set(db.exec(select(User.id).where(User.id.in_(ids))))
    for uid in ids:
        if uid in known:
            db.add(Mention(message_pk=msg.pk, user_id=uid, conversation_id=msg.conversation_id, ts=msg.ts))


def encode_composer_text(db: WorldSession, text: str) -> str:
    """Text typed in the UI composer in Slack's stored form (@handles and #channels become links)."""
    users = {u.name: u.id for u in db.exec(select(User))}
    channels = {c.name: (c.id, c.name) for c in db.exec(select(Conversation).where(
        Conversation.kind.in_(("public", "private"))))}
    return mrkdwn.from_composer(text, users, channels)


# ---- messages -----------------------------------------------------------------------------------

def insert_message(db: WorldSession, conv: Conversation, user: User, text: str, *, ts: str,
                   thread_ts: str | None = None, broadcast: bool = False, subtype: str | None = None) -> Message:
    """Add a message row (and its thread bookkeeping and mentions); callers hold an operation or seed."""
    parent = None
    if thread_ts:
        parent = message(db, conv.id, thread_ts)
        if parent.thread_ts and parent.thread_ts != parent.ts:
            raise _err("thread_not_found", "Replies go on the thread's first message, not on a reply.", 404)
        if parent.subtype not in (None, "tombstone"):
            raise _err("cannot_reply_to_message", "You cannot reply to this kind of message.")
    msg = Message(ts=ts, conversation_id=conv.id, user_id=user.id, text=text, subtype=subtype,
                  thread_ts=parent.ts if parent else None, reply_broadcast=bool(parent and broadcast),
                  in_channel=parent is None or broadcast, has_link=bool(_LINK.search(text)))
    db.add(msg)
    if parent is not None:
        parent.thread_ts = parent.ts
        parent.reply_count += 1
        parent.latest_reply = ts
        repliers = [u for u in parent.reply_users.split(",") if u]
        if user.id not in repliers:
            repliers.append(user.id)
        parent.reply_users = ",".join(repliers)
        db.add(parent)
    db.flush()
    if subtype is None:  # "X has joined" notices name people without notifying them
        _index_mentions(db, msg)
    return msg


def post_message(db: WorldSession, actor: User, conversation_id: str, text: str, *, thread_ts: str | None = None,
                 broadcast: bool = False, allow_empty: bool = False) -> Message:
    """Post a message (or a thread reply) as the actor: `chat.post` / `chat.thread.reply`."""
    text = _check_text(text, allow_empty=allow_empty)
    conv = member_conversation(db, actor, conversation_id)
    if thread_ts:
        try:
            message(db, conv.id, thread_ts)  # validate before the operation opens
        except ChatError:
            raise _err("thread_not_found", f"There is no thread {str(thread_ts)[:40]!r} in this channel.", 404) from None
    op = "chat.thread.reply" if thread_ts else "chat.post"
    args = {"channel": conv.id, "user": actor.id, "text": text}
    if thread_ts:
        args.update(thread_ts=thread_ts, reply_broadcast=bool(broadcast))
    with db.operation(op, **args):
        msg = insert_message(db, conv, actor, text, ts=next_ts(db), thread_ts=thread_ts, broadcast=broadcast)
        mine = membership(db, conv.id, actor.id)
        if mine is not None and msg.in_channel and msg.ts > mine.last_read:
            mine.last_read = msg.ts  # your own message is read by definition
            db.add(mine)
        return msg


def update_message(db: WorldSession, actor: User, conversation_id: str, ts: str, text: str) -> Message:
    """Edit one of the actor's own messages: `chat.update`."""
    text = _check_text(text)
    conv = visible_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    if msg.user_id != actor.id or msg.subtype is not None:
        raise _err("cant_update_message", "You can only edit your own messages.", 403)
    if msg.text == text:
        return msg
    with db.operation("chat.update", channel=conv.id, ts=ts, user=actor.id, text=text):
        msg.text = text
        msg.has_link = bool(_LINK.search(text))
        msg.edited_ts = f"{_now_s(db):010d}.000000"
        msg.edited_by = actor.id
        db.add(msg)
        db.flush()
        _index_mentions(db, msg)
        return msg


def delete_message(db: WorldSession, actor: User, conversation_id: str, ts: str) -> None:
    """Delete one of the actor's own messages: `chat.delete` (a parent with replies becomes a tombstone)."""
    conv = visible_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    if msg.user_id != actor.id or msg.subtype == "tombstone":
        raise _err("cant_delete_message", "You can only delete your own messages.", 403)
    with db.operation("chat.delete", channel=conv.id, ts=ts, user=actor.id):
        _remove_message(db, msg)


def _remove_message(db: WorldSession, msg: Message) -> None:
    if msg.reply_count > 0 and msg.thread_ts == msg.ts:
        msg.text = "This message was deleted."
        msg.subtype = "tombstone"
        msg.has_link = False
        db.add(msg)
        for row in (*db.exec(select(Reaction).where(Reaction.message_pk == msg.pk)),
                    *db.exec(select(Pin).where(Pin.message_pk == msg.pk)),
                    *db.exec(select(Mention).where(Mention.message_pk == msg.pk))):
            db.delete(row)
        return
    for model in (Reaction, Pin, Mention, FileShare):
        for row in db.exec(select(model).where(model.message_pk == msg.pk)):
            db.delete(row)
    parent_ts = msg.thread_ts if msg.thread_ts and msg.thread_ts != msg.ts else None
    conv_id = msg.conversation_id
    db.delete(msg)
    db.flush()
    if parent_ts:
        parent = message(db, conv_id, parent_ts)
        replies = list(db.exec(select(Message).where(Message.conversation_id == conv_id,
                                                     Message.thread_ts == parent_ts, Message.ts != parent_ts)
                               .order_by(Message.ts)))
        parent.reply_count = len(replies)
        parent.latest_reply = replies[-1].ts if replies else None
        repliers: list[str] = []
        for reply in replies:
            if reply.user_id not in repliers:
                repliers.append(reply.user_id)
        parent.reply_users = ",".join(repliers)
        if not replies:
            parent.thread_ts = None
        db.add(parent)
        if not replies and parent.subtype == "tombstone":
            db.delete(parent)


# ---- reactions and pins -------------------------------------------------------------------------

def add_reaction(db: WorldSession, actor: User, conversation_id: str, ts: str, name: str) -> Reaction:
    """React to a message: `chat.react`."""
    emoji = normalize_name(name)
    if emoji is None:
        raise _err("invalid_name", f"{str(name)[:40]!r} is not an emoji name (for example white_check_mark).")
    conv = visible_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    if msg.subtype == "tombstone":
        raise _err("message_not_found", "That message was deleted.", 404)
    existing = db.exec(select(Reaction).where(Reaction.message_pk == msg.pk, Reaction.name == emoji,
                                              Reaction.user_id == actor.id)).first()
    if existing is not None:
        raise _err("already_reacted", f"You already reacted with :{emoji}:.")
    with db.operation("chat.react", channel=conv.id, ts=ts, emoji=emoji, user=actor.id):
        seq = (db.exec(select(func.max(Reaction.seq)).where(Reaction.message_pk == msg.pk)).first() or 0) + 1
        reaction = Reaction(message_pk=msg.pk, name=emoji, user_id=actor.id, seq=seq)
        db.add(reaction)
        return reaction


def remove_reaction(db: WorldSession, actor: User, conversation_id: str, ts: str, name: str) -> None:
    """Take back one's reaction: `chat.unreact`."""
    emoji = normalize_name(name)
    conv = visible_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    existing = db.exec(select(Reaction).where(Reaction.message_pk == msg.pk, Reaction.name == emoji,
                                              Reaction.user_id == actor.id)).first() if emoji else None
    if existing is None:
        raise _err("no_reaction", f"You have not reacted with :{emoji or name}:.")
    with db.operation("chat.unreact", channel=conv.id, ts=ts, emoji=emoji, user=actor.id):
        db.delete(existing)


def pin_message(db: WorldSession, actor: User, conversation_id: str, ts: str) -> Pin:
    """Pin a message to its conversation: `chat.pin`."""
    conv = member_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    if msg.subtype is not None:
        raise _err("not_pinnable", "This kind of message cannot be pinned.")
    if db.exec(select(Pin).where(Pin.message_pk == msg.pk)).first() is not None:
        raise _err("already_pinned", "That message is already pinned.")
    with db.operation("chat.pin", channel=conv.id, ts=ts, user=actor.id):
        pin = Pin(message_pk=msg.pk, conversation_id=conv.id, pinned_by=actor.id, pinned_at=_now_s(db))
        db.add(pin)
        return pin


def unpin_message(db: WorldSession, actor: User, conversation_id: str, ts: str) -> None:
    """Unpin a message: `chat.unpin`."""
    conv = member_conversation(db, actor, conversation_id)
    msg = message(db, conv.id, ts)
    pin = db.exec(select(Pin).where(Pin.message_pk == msg.pk)).first()
    if pin is None:
        raise _err("no_pin", "That message is not pinned.")
    with db.operation("chat.unpin", channel=conv.id, ts=ts, user=actor.id):
        db.delete(pin)


# ---- conversations ------------------------------------------------------------------------------

def check_channel_name(name) -> str:
    """A valid new channel name, or Slack's error for what is wrong with it."""
    if not isinstance(name, str) or not name.strip():
        raise _err("invalid_name_required", "A channel needs a name.")
    name = name.strip().lstrip("#")
    if len(name) > MAX_CHANNEL_NAME:
        raise _err("invalid_name_maxlength", f"Channel names can be at most {MAX_CHANNEL_NAME} characters.")
    if name != name.lower():
        raise _err("invalid_name_specials", "Channel names must be lowercase, for example month-end-close.")
    if not _CHANNEL_NAME.match(name):
        raise _err("invalid_name_specials",
                   "Channel names can only contain lowercase letters, numbers, hyphens and underscores.")
    return name


def create_channel(db: WorldSession, actor: User, name: str, *, is_private: bool = False,
                   purpose: str = "") -> Conversation:
    """Create a channel with the actor as its first member: `chat.channel.create`."""
    name = check_channel_name(name)
    if conversation_by_name(db, name) is not None:
        raise _err("name_taken", f"A channel named #{name} already exists.", 409)
    if len(purpose or "") > MAX_TOPIC:
        raise _err("too_long", f"A purpose can be at most {MAX_TOPIC} characters.")
    with db.operation("chat.channel.create", channel_name=name, is_private=bool(is_private), user=actor.id):
        now = _now_s(db)
        conv = Conversation(id=slack_id("private" if is_private else "channel", name), kind="private" if is_private else "public",
                            name=name, creator=actor.id, created=now, purpose=purpose or "",
                            purpose_creator=actor.id if purpose else "", purpose_last_set=now if purpose else 0)
        db.add(conv)
        db.add(Membership(conversation_id=conv.id, user_id=actor.id, joined=now))
        insert_message(db, conv, actor, f"<@{actor.id}> has joined the channel", ts=next_ts(db), subtype="channel_join")
        return conv


def join_channel(db: WorldSession, actor: User, conversation_id: str) -> tuple[Conversation, bool]:
    """Join a public channel: `chat.channel.join`; returns (channel, already a member)."""
    conv = visible_conversation(db, actor, conversation_id)
    if conv.kind in ("im", "mpim"):
        raise _err("method_not_supported_for_channel_type", "You cannot join a direct message.")
    if conv.is_archived:
        raise _err("is_archived", f"#{conv.name} is archived.")
    if membership(db, conv.id, actor.id) is not None:
        return conv, True
    with db.operation("chat.channel.join", channel=conv.id, user=actor.id):
        db.add(Membership(conversation_id=conv.id, user_id=actor.id, joined=_now_s(db)))
        msg = insert_message(db, conv, actor, f"<@{actor.id}> has joined the channel", ts=next_ts(db),
                             subtype="channel_join")
        db.flush()
        mine = membership(db, conv.id, actor.id)
        mine.last_read = msg.ts
        db.add(mine)
    return conv, False


def leave_channel(db: WorldSession, actor: User, conversation_id: str) -> None:
    """Leave a channel: `chat.channel.leave`."""
    conv = visible_conversation(db, actor, conversation_id)
    if conv.kind in ("im", "mpim"):
        raise _err("method_not_supported_for_channel_type", "You cannot leave a direct message.")
    if conv.is_general:
        raise _err("cant_leave_general", f"Everyone stays in #{conv.name}.")
    mine = membership(db, conv.id, actor.id)
    if mine is None:
        raise _err("not_in_channel", f"You are not a member of #{conv.name}.")
    with db.operation("chat.channel.leave", channel=conv.id, user=actor.id):
        db.delete(mine)
        insert_message(db, conv, actor, f"<@{actor.id}> has left the channel", ts=next_ts(db), subtype="channel_leave")


def set_topic(db: WorldSession, actor: User, conversation_id: str, topic: str, *, purpose: bool = False) -> Conversation:
    """Set a channel's topic (`chat.channel.topic`) or purpose (`chat.channel.purpose`)."""
    if not isinstance(topic, str):
        raise _err("invalid_arguments", "The topic must be text.")
    topic = topic.strip()
    if len(topic) > MAX_TOPIC:
        raise _err("too_long", f"A {'purpose' if purpose else 'topic'} can be at most {MAX_TOPIC} characters.")
    conv = member_conversation(db, actor, conversation_id)
    field = "purpose" if purpose else "topic"
    if getattr(conv, field) == topic:
        return conv
    with db.operation(f"chat.channel.{field}", channel=conv.id, user=actor.id, **{field: topic}):
        now = _now_s(db)
        setattr(conv, field, topic)
        setattr(conv, f"{field}_creator", actor.id)
        setattr(conv, f"{field}_last_set", now)
        db.add(conv)
        words = f"set the channel {field}: {topic}" if topic else f"cleared the channel {field}"
        insert_message(db, conv, actor, f"<@{actor.id}> {mrkdwn.escape_text(words)}", ts=next_ts(db),
                       subtype=f"channel_{field}")
        return conv


def invite(db: WorldSession, actor: User, conversation_id: str, user_ids: list[str]) -> Conversation:
    """Add people to a channel the actor is in: `chat.channel.invite`."""
    conv = member_conversation(db, actor, conversation_id)
    if conv.kind in ("im", "mpim"):
        raise _err("method_not_supported_for_channel_type", "People cannot be added to a direct message.")
    if not user_ids:
        raise _err("no_user", "Name at least one person to invite.")
    users = [user_by_id(db, uid) for uid in user_ids]
    new = [u for u in users if membership(db, conv.id, u.id) is None]
    if not new:
        raise _err("already_in_channel", "Everyone named is already in the channel.")
    with db.operation("chat.channel.invite", channel=conv.id, user=actor.id, users=[u.id for u in new]):
        now = _now_s(db)
        for user in new:
            db.add(Membership(conversation_id=conv.id, user_id=user.id, joined=now))
            insert_message(db, conv, user, f"<@{user.id}> has joined the channel", ts=next_ts(db),
                           subtype="channel_join")
    return conv


def open_dm(db: WorldSession, actor: User, user_ids: list[str]) -> tuple[Conversation, bool]:
    """The DM (one other person) or group DM with these people, created if needed: `chat.dm.open`."""
    others = sorted({uid for uid in user_ids if uid} - {actor.id}) or [actor.id]
    users = [user_by_id(db, uid) for uid in others]
    if len(users) > 8:
        raise _err("too_many_users", "A group DM can have at most 9 people.")
    everyone = sorted({actor.id, *others})
    key = "--".join(everyone)
    kind = "im" if len(everyone) <= 2 else "mpim"
    conv_id = slack_id(kind, key)
    existing = db.exec(select(Conversation).where(Conversation.id == conv_id)).first()
    if existing is not None:
        return existing, True
    with db.operation("chat.dm.open", users=everyone, user=actor.id):
        now = _now_s(db)
        handles = sorted(u.name for u in [*users, actor] if u)
        name = f"mpdm-{'--'.join(handles)}-1" if kind == "mpim" else f"dm-{key}"
        conv = Conversation(id=conv_id, kind=kind, name=name, creator=actor.id, created=now)
        db.add(conv)
        for uid in everyone:
            db.add(Membership(conversation_id=conv_id, user_id=uid, joined=now))
        return conv, False


def mark_read(db: WorldSession, actor: User, conversation_id: str, ts: str | None = None) -> None:
    """Move the actor's read marker (to the latest message when ts is None): `chat.mark`."""
    conv = visible_conversation(db, actor, conversation_id)
    mine = membership(db, conv.id, actor.id)
    if mine is None:
        return
    if ts is None:
        ts = db.exec(select(func.max(Message.ts)).where(Message.conversation_id == conv.id,
                                                        Message.in_channel == True)).first()  # noqa: E712
        if ts is None:
            return
    else:
        parse_ts(ts)
    if ts == mine.last_read:
        return
    with db.operation("chat.mark", channel=conv.id, ts=ts, user=actor.id):
        mine.last_read = ts
        db.add(mine)


# ---- files --------------------------------------------------------------------------------------

_FILETYPES = {"text/plain": "text", "text/csv": "csv", "application/pdf": "pdf", "image/png": "png",
              "image/jpeg": "jpg", "image/gif": "gif", "application/json": "json", "text/markdown": "markdown",
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
              "application/zip": "zip", "text/html": "html"}


def guess_type(filename: str) -> tuple[str, str]:
    """(mimetype, Slack filetype) from a file name."""
    mime = mimetypes.guess_type(filename)[0]
    if mime is None and filename.lower().endswith(".md"):
        mime = "text/markdown"
    mime = mime or "application/octet-stream"
    return mime, _FILETYPES.get(mime, filename.rsplit(".", 1)[-1].lower() if "." in filename else "binary")


def _check_filename(filename) -> str:
    if not isinstance(filename, str) or not filename.strip():
        raise _err("invalid_arguments", "A file needs a name.")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 255 or any(ord(c) < 32 for c in name):
        raise _err("invalid_arguments", "That file name is not allowed.")
    return name


def new_file(db: WorldSession, user: User, filename: str, *, content: bytes | None, title: str = "",
             alt_txt: str = "", expected_size: int = 0, created: int | None = None) -> File:
    """A File row (pending until shared or completed); callers hold an operation or seed."""
    count = db.exec(select(func.count()).select_from(File)).one()
    created = created if created is not None else _now_s(db)
    mime, filetype = guess_type(filename)
    data = content or b""
    row = File(id=slack_id("file", f"{created}:{count}:{filename}"), user_id=user.id, name=filename,
               title=title or filename, mimetype=mime, filetype=filetype, size=len(data), created=created,
               alt_txt=alt_txt or "", expected_size=expected_size, uploaded=content is not None, content=data)
    db.add(row)
    return row


def reserve_upload(db: WorldSession, actor: User, filename: str, length, alt_txt: str = "") -> File:
    """Step 1 of the external upload flow: reserve a file id (`chat.file.reserve`)."""
    filename = _check_filename(filename)
    try:
        size = int(length)
    except (TypeError, ValueError):
        raise _err("invalid_arguments", "length must be the file's size in bytes.") from None
    if size <= 0:
        raise _err("invalid_arguments", "length must be at least 1 byte.")
    if size > MAX_FILE_BYTES:
        raise _err("file_too_large", f"Files can be at most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    with db.operation("chat.file.reserve", filename=filename, length=size, user=actor.id):
        return new_file(db, actor, filename, content=None, alt_txt=alt_txt, expected_size=size)


def store_upload(db: WorldSession, file_id: str, data: bytes) -> File:
    """Step 2: the bytes posted to the upload URL (`chat.file.upload`)."""
    row = file_by_id(db, file_id)
    if row.status != "pending":
        raise _err("file_already_completed", "That upload is already complete.")
    if not data:
        raise _err("file_upload_empty", "The upload had no content.")
    if len(data) > MAX_FILE_BYTES:
        raise _err("file_too_large", f"Files can be at most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    with db.operation("chat.file.upload", file=row.id, size=len(data)):
        row.content = data
        row.size = len(data)
        row.uploaded = True
        db.add(row)
        return row


@dataclass
class FileSpec:
    """One file in a completeUploadExternal call."""

    id: str
    title: str | None = None


def complete_upload(db: WorldSession, actor: User, files: list[FileSpec], *, channel_id: str | None = None,
                    initial_comment: str = "", thread_ts: str | None = None) -> list[File]:
    """Step 3: finish uploads and share them into a channel (`chat.file.share`)."""
    if not files:
        raise _err("invalid_arguments", "files must name at least one uploaded file.")
    rows = [file_by_id(db, spec.id) for spec in files]
    for row in rows:
        if row.user_id != actor.id:
            raise _err("file_not_found", f"There is no file {row.id!r} of yours.", 404)
        if not row.uploaded:
            raise _err("file_upload_incomplete", f"Nothing was uploaded to {row.id}'s upload URL yet.")
        if row.status == "complete":
            raise _err("file_already_completed", f"{row.id} is already complete.")
    conv = None
    if channel_id:
        conv = member_conversation(db, actor, channel_id)
        if thread_ts:
            message(db, conv.id, thread_ts)
    comment = _check_text(initial_comment, allow_empty=True)
    with db.operation("chat.file.share", files=[r.id for r in rows], channel=channel_id, user=actor.id,
                      thread_ts=thread_ts):
        for row, spec in zip(rows, files):
            row.status = "complete"
            if spec.title:
                row.title = spec.title
            db.add(row)
        if conv is not None:
            msg = insert_message(db, conv, actor, comment, ts=next_ts(db), thread_ts=thread_ts or None)
            for row in rows:
                db.add(FileShare(file_id=row.id, message_pk=msg.pk, conversation_id=conv.id, ts=msg.ts))
        return rows


def upload_and_share(db: WorldSession, actor: User, conversation_id: str, filename: str, content: bytes, *,
                     comment: str = "", thread_ts: str | None = None, title: str = "") -> Message:
    """The UI's upload: store a file and share it in one step (`chat.file.share`)."""
    filename = _check_filename(filename)
    if not content:
        raise _err("file_upload_empty", "Choose a file that is not empty.")
    if len(content) > MAX_FILE_BYTES:
        raise _err("file_too_large", f"Files can be at most {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    comment = _check_text(comment, allow_empty=True)
    conv = member_conversation(db, actor, conversation_id)
    if thread_ts:
        message(db, conv.id, thread_ts)
    with db.operation("chat.file.share", filename=filename, size=len(content), channel=conv.id, user=actor.id,
                      thread_ts=thread_ts):
        row = new_file(db, actor, filename, content=content, title=title)
        row.status = "complete"
        msg = insert_message(db, conv, actor, comment, ts=next_ts(db), thread_ts=thread_ts or None)
        db.add(FileShare(file_id=row.id, message_pk=msg.pk, conversation_id=conv.id, ts=msg.ts))
        return msg


def can_see_file(db: WorldSession, actor: User, row: File) -> bool:
    """Whether the actor may see a file: their own, or shared somewhere they can see."""
    if row.user_id == actor.id:
        return True
    for conv_id in db.exec(select(FileShare.conversation_id).where(FileShare.file_id == row.id)):
        conv = db.exec(select(Conversation).where(Conversation.id == conv_id)).first()
        if conv and (conv.kind == "public" or membership(db, conv.id, actor.id) is not None):
            return True
    return False

