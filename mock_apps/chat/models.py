"""Chat's tables: users, conversations, memberships with read markers, messages, reactions, pins, files.

Ids are Slack-shaped and deterministic: users "U...", channels "C...", DMs "D...", files "F..." (derived
from stable keys by `mock_apps.chat.ids`), messages by their `ts` (see `mock_apps.chat.slack_ts`).
Times are unix seconds (Slack's `created`) or ts strings, both from the world clock; fixed-width ts
strings compare in time order, so date filters are string comparisons.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

KINDS = ("public", "private", "im", "mpim")
NEVER_READ = "0000000000.000000"


class ChatModel(SQLModel, registry=registry()):
    """Base of chat's tables (own metadata: never collides with other apps)."""


class User(ChatModel, table=True):
    """A workspace member: a scenario person (or a bot)."""

    __tablename__ = "chat_user"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(index=True, unique=True)  # "U..."
    name: str = Field(index=True, unique=True)  # handle, e.g. "dana.whitfield"
    real_name: str
    display_name: str = ""
    email: str = Field(default="", index=True)
    title: str = ""
    department: str = ""
    phone: str = ""
    tz: str = "America/Chicago"
    status_text: str = ""
    status_emoji: str = ""
    is_bot: bool = False
    is_admin: bool = False
    deleted: bool = False
    color: str = "4a154b"  # avatar colour (hex, no '#')


class Conversation(ChatModel, table=True):
    """A public or private channel, a DM ("im") or a group DM ("mpim")."""

    __tablename__ = "chat_conversation"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(index=True, unique=True)  # "C..." / "D..." / "G..."
    kind: str = Field(index=True)  # one of KINDS
    name: str = Field(index=True)  # channel name; for DMs a stable "dm-<a>--<b>" handle
    topic: str = ""
    topic_creator: str = ""
    topic_last_set: int = 0
    purpose: str = ""
    purpose_creator: str = ""
    purpose_last_set: int = 0
    creator: str = ""  # user id
    created: int = 0  # unix seconds
    is_general: bool = False
    is_archived: bool = False


class Membership(ChatModel, table=True):
    """A user in a conversation, with their read marker (the ts of the last message they have seen)."""

    __tablename__ = "chat_membership"
    __table_args__ = (UniqueConstraint("conversation_id", "user_id"),)

    pk: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(index=True)
    user_id: str = Field(index=True)
    joined: int = 0
    last_read: str = NEVER_READ


class Message(ChatModel, table=True):
    """A message in a conversation; replies carry their parent's ts in `thread_ts`."""

    __tablename__ = "chat_message"
    __table_args__ = (
        Index("ix_chat_message_conv_ts", "conversation_id", "ts"),
        Index("ix_chat_message_thread", "conversation_id", "thread_ts", "ts"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    ts: str = Field(index=True, unique=True)
    conversation_id: str
    user_id: str = Field(index=True)
    text: str = ""
    subtype: str | None = None  # None, "channel_join", "channel_leave", "channel_topic", "channel_purpose", "tombstone"
    thread_ts: str | None = None  # parent's ts for replies and for a parent itself once it has replies
    reply_broadcast: bool = False  # a reply also sent to the channel
    in_channel: bool = True  # shown in the channel's history (parents, plain messages, broadcast replies)
    reply_count: int = 0
    latest_reply: str | None = None
    reply_users: str = ""  # comma-separated user ids, first repliers first
    edited_ts: str | None = None
    edited_by: str | None = None
    has_link: bool = False


class Mention(ChatModel, table=True):
    """A user mentioned in a message (`<@U...>`): drives mention badges and the mentions view."""

    __tablename__ = "chat_mention"
    __table_args__ = (UniqueConstraint("message_pk", "user_id"),)

    pk: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="chat_message.pk", index=True)
    user_id: str = Field(index=True)
    conversation_id: str = Field(index=True)
    ts: str


class Reaction(ChatModel, table=True):
    """One user's emoji reaction on a message."""

    __tablename__ = "chat_reaction"
    __table_args__ = (UniqueConstraint("message_pk", "name", "user_id"),)

    pk: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="chat_message.pk", index=True)
    name: str
    user_id: str
    seq: int = 0  # order of arrival, so reactions show in the order they were added


class Pin(ChatModel, table=True):
    """A message pinned to its conversation."""

    __tablename__ = "chat_pin"
    __table_args__ = (UniqueConstraint("message_pk"),)

    pk: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="chat_message.pk", index=True)
    conversation_id: str = Field(index=True)
    pinned_by: str
    pinned_at: int


class File(ChatModel, table=True):
    """An uploaded file (bytes in the database); `complete` once shared or finished by the upload flow."""

    __tablename__ = "chat_file"

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(index=True, unique=True)  # "F..."
    user_id: str = Field(index=True)
    name: str  # file name
    title: str = ""
    mimetype: str = "application/octet-stream"
    filetype: str = "binary"
    size: int = 0
    expected_size: int = 0  # the length announced by files.getUploadURLExternal
    created: int = 0
    alt_txt: str = ""
    status: str = "pending"  # "pending" (reserved, maybe uploaded) or "complete"
    uploaded: bool = False
    content: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))


class FileShare(ChatModel, table=True):
    """A file shared into a conversation by a message."""

    __tablename__ = "chat_file_share"
    __table_args__ = (UniqueConstraint("file_id", "message_pk"),)

    pk: int | None = Field(default=None, primary_key=True)
    file_id: str = Field(index=True)
    message_pk: int = Field(foreign_key="chat_message.pk", index=True)
    conversation_id: str = Field(index=True)
    ts: str
