"""Reading the workspace: messages with their reactions, files and pins, in Slack's JSON and for the UI.

All lookups for a page of messages are batched (one query per related table), so a channel view costs
a handful of queries however many messages it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import select

from mock_apps.chat import mrkdwn
from mock_apps.chat.emoji import emoji_char
from mock_apps.chat.ids import slack_id
from mock_apps.chat.models import Conversation, File, FileShare, Membership, Mention, Message, Pin, Reaction, User
from mock_apps.core.database import WorldSession

TEAM_ID = slack_id("team", "workspace")


@dataclass
class Directory:
    """Users and conversations by id, loaded once per request (a workspace is small)."""

    users: dict[str, User]
    conversations: dict[str, Conversation]

    @classmethod
    def load(cls, db: WorldSession) -> "Directory":
        """Every user and conversation."""
        users = {u.id: u for u in db.exec(select(User))}
        convs = {c.id: c for c in db.exec(select(Conversation))}
        return cls(users, convs)

    def resolver(self, user_href=None, channel_href=None) -> mrkdwn.Resolver:
        """A mention resolver over this directory (hrefs built by the given callables, if any)."""
        def user(uid: str):
            u = self.users.get(uid)
            return (u.display_name or u.real_name, user_href(u) if user_href else None) if u else None

        def channel(cid: str):
            c = self.conversations.get(cid)
            if c is None or c.kind in ("im", "mpim"):
                return None
            return c.name, channel_href(c) if channel_href else None

        return mrkdwn.Resolver(user=user, channel=channel)


@dataclass
class ReactionView:
    """One emoji on a message: who reacted and whether the viewer did."""

    name: str
    char: str | None
    users: list[str]
    mine: bool

    @property
    def count(self) -> int:
        """How many people reacted."""
        return len(self.users)


@dataclass
class Extras:
    """What belongs to a page of messages: reactions, files, pins."""

    reactions: dict[int, list[ReactionView]] = field(default_factory=dict)
    files: dict[int, list[File]] = field(default_factory=dict)
    pins: dict[int, Pin] = field(default_factory=dict)
    file_channels: dict[str, list[str]] = field(default_factory=dict)


def extras(db: WorldSession, messages: list[Message], viewer_id: str | None = None) -> Extras:
    """Reactions, shared files and pins of these messages, in three queries."""
    pks = [m.pk for m in messages]
    out = Extras()
    if not pks:
        return out
    order: dict[int, dict[str, ReactionView]] = {}
    for r in db.exec(select(Reaction).where(Reaction.message_pk.in_(pks)).order_by(Reaction.seq, Reaction.pk)):
        views = order.setdefault(r.message_pk, {})
        view = views.get(r.name)
        if view is None:
            view = views[r.name] = ReactionView(r.name, emoji_char(r.name), [], False)
        view.users.append(r.user_id)
        view.mine = view.mine or r.user_id == viewer_id
    out.reactions = {pk: list(v.values()) for pk, v in order.items()}
    shares = list(db.exec(select(FileShare).where(FileShare.message_pk.in_(pks)).order_by(FileShare.pk)))
    if shares:
        files = {f.id: f for f in db.exec(select(File).options(defer(File.content))
                                          .where(File.id.in_([s.file_id for s in shares])))}
        for share in shares:
            if share.file_id in files:
                out.files.setdefault(share.message_pk, []).append(files[share.file_id])
        for share in db.exec(select(FileShare).where(FileShare.file_id.in_(list(files)))):
            out.file_channels.setdefault(share.file_id, []).append(share.conversation_id)
    out.pins = {p.message_pk: p for p in db.exec(select(Pin).where(Pin.message_pk.in_(pks)))}
    return out


# ---- Slack JSON -------------------------------------------------------------------------------

def _tz_label(tz_name: str, now: datetime | None) -> str:
    """"Central Daylight Time"-style label at the world's now (falls back to the zone name)."""
    moment = (now or datetime(2026, 1, 1, tzinfo=timezone.utc)).astimezone(ZoneInfo(tz_name))
    return moment.tzname() or tz_name


def user_json(user: User, now: datetime | None = None) -> dict:
    """A user object as users.list / users.info return it."""
    tz = ZoneInfo(user.tz)
    offset = int((now or datetime(2026, 1, 1, tzinfo=timezone.utc)).astimezone(tz).utcoffset().total_seconds())
    first, _, last = user.real_name.partition(" ")
    return {
        "id": user.id, "team_id": TEAM_ID, "name": user.name, "deleted": user.deleted, "color": user.color,
        "real_name": user.real_name, "tz": user.tz, "tz_label": _tz_label(user.tz, now),
        "tz_offset": offset, "is_admin": user.is_admin, "is_owner": False, "is_bot": user.is_bot,
        "is_app_user": False, "updated": 0,
        "profile": {
            "title": user.title, "phone": user.phone, "real_name": user.real_name,
            "real_name_normalized": user.real_name, "display_name": user.display_name,
            "display_name_normalized": user.display_name, "email": user.email, "first_name": first,
            "last_name": last, "status_text": user.status_text, "status_emoji": user.status_emoji,
            "team": TEAM_ID, "fields": {"department": {"value": user.department, "alt": ""}},
        },
    }


def conversation_json(conv: Conversation, *, is_member: bool | None = None, num_members: int | None = None,
                      im_user: str | None = None, last_read: str | None = None) -> dict:
    """A conversation object as conversations.list / info return it."""
    data = {
        "id": conv.id, "created": conv.created, "is_archived": conv.is_archived, "is_org_shared": False,
        "context_team_id": TEAM_ID,
    }
    if conv.kind == "im":
        data.update(is_im=True, is_channel=False, is_group=False, is_mpim=False, is_private=True, user=im_user,
                    is_user_deleted=False, priority=0)
    else:
        data.update(
            name=conv.name, name_normalized=conv.name, is_channel=conv.kind in ("public", "private"),
            is_group=False, is_im=False, is_mpim=conv.kind == "mpim", is_private=conv.kind != "public",
            is_general=conv.is_general, is_shared=False, is_ext_shared=False, creator=conv.creator,
            unlinked=0, is_pending_ext_shared=False, pending_shared=[], parent_conversation=None,
            topic={"value": conv.topic, "creator": conv.topic_creator, "last_set": conv.topic_last_set},
            purpose={"value": conv.purpose, "creator": conv.purpose_creator, "last_set": conv.purpose_last_set},
            previous_names=[],
        )
        if is_member is not None:
            data["is_member"] = is_member
        if num_members is not None:
            data["num_members"] = num_members
    if last_read is not None:
        data["last_read"] = last_read
    return data


def file_json(f: File, base_url: str, channels: list[str] | None = None, directory: Directory | None = None) -> dict:
    """A file object (files.info, message.files, files.completeUploadExternal)."""
    channels = channels or []
    public, private, ims = [], [], []
    for cid in channels:
        conv = directory.conversations.get(cid) if directory else None
        kind = conv.kind if conv else "public"
        (ims if kind in ("im", "mpim") else private if kind == "private" else public).append(cid)
    return {
        "id": f.id, "created": f.created, "timestamp": f.created, "name": f.name, "title": f.title,
        "mimetype": f.mimetype, "filetype": f.filetype, "pretty_type": f.filetype.upper(), "user": f.user_id,
        "user_team": TEAM_ID, "editable": False, "size": f.size, "mode": "hosted", "is_external": False,
        "external_type": "", "is_public": bool(public), "public_url_shared": False, "display_as_bot": False,
        "username": "", "alt_txt": f.alt_txt or None,
        "url_private": f"{base_url}/files/{f.id}/view", "url_private_download": f"{base_url}/files/{f.id}/download",
        "permalink": f"{base_url}/files/{f.id}", "permalink_public": "",
        "channels": public, "groups": private, "ims": ims, "comments_count": 0,
        "is_starred": False, "has_rich_preview": False, "file_access": "visible",
    }


def message_json(msg: Message, ex: Extras, base_url: str, directory: Directory | None = None) -> dict:
    """A message object as conversations.history / replies return it."""
    data: dict = {"type": "message", "user": msg.user_id, "text": msg.text, "ts": msg.ts, "team": TEAM_ID}
    if msg.subtype:
        data["subtype"] = msg.subtype
    if msg.thread_ts:
        data["thread_ts"] = msg.thread_ts
    if msg.thread_ts == msg.ts and msg.reply_count:
        users = [u for u in msg.reply_users.split(",") if u]
        data.update(reply_count=msg.reply_count, reply_users_count=len(users), latest_reply=msg.latest_reply,
                    reply_users=users, is_locked=False, subscribed=False)
    if msg.reply_broadcast:
        data["subtype"] = "thread_broadcast"
    if msg.edited_ts:
        data["edited"] = {"user": msg.edited_by, "ts": msg.edited_ts}
    reactions = ex.reactions.get(msg.pk)
    if reactions:
        data["reactions"] = [{"name": r.name, "users": r.users, "count": r.count} for r in reactions]
    files = ex.files.get(msg.pk)
    if files:
        data["files"] = [file_json(f, base_url, ex.file_channels.get(f.id), directory) for f in files]
        data["upload"] = True
    pin = ex.pins.get(msg.pk)
    if pin:
        data["pinned_to"] = [msg.conversation_id]
        data["pinned_info"] = {"channel": msg.conversation_id, "pinned_by": pin.pinned_by, "pinned_ts": pin.pinned_at}
    return data


def permalink(base_url: str, msg: Message) -> str:
    """A message's permalink in Slack's shape: /archives/<channel>/p<ts without the dot>."""
    link = f"{base_url}/archives/{msg.conversation_id}/p{msg.ts.replace('.', '')}"
    if msg.thread_ts and msg.thread_ts != msg.ts:
        link += f"?thread_ts={msg.thread_ts}&cid={msg.conversation_id}"
    return link


# ---- queries ----------------------------------------------------------------------------------

def channel_page(db: WorldSession, conversation_id: str, *, before: str | None = None, after: str | None = None,
                 limit: int = 50, inclusive: bool = False) -> tuple[list[Message], bool]:
    """A conversation's history (no thread replies unless broadcast), newest first, and whether older exist."""
    query = select(Message).where(Message.conversation_id == conversation_id, Message.in_channel == True)  # noqa: E712
    if before:
        query = query.where(Message.ts <= before if inclusive else Message.ts < before)
    if after:
        query = query.where(Message.ts >= after if inclusive else Message.ts > after)
    rows = list(db.exec(query.order_by(Message.ts.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def thread(db: WorldSession, conversation_id: str, parent_ts: str) -> list[Message]:
    """A thread: the parent first, then its replies oldest first."""
    parent = db.exec(select(Message).where(Message.conversation_id == conversation_id, Message.ts == parent_ts)).first()
    if parent is None:
        return []
    if parent.thread_ts and parent.thread_ts != parent.ts:  # a reply was named: show its whole thread
        return thread(db, conversation_id, parent.thread_ts)
    replies = list(db.exec(select(Message).where(Message.conversation_id == conversation_id,
                                                 Message.thread_ts == parent.ts, Message.ts != parent.ts)
                           .order_by(Message.ts)))
    return [parent, *replies]


@dataclass
class SidebarEntry:
    """A conversation in the viewer's sidebar."""

    conv: Conversation
    label: str
    unread: int
    mentions: int
    partner: User | None = None


def sidebar(db: WorldSession, viewer: User, directory: Directory) -> dict[str, list[SidebarEntry]]:
    """The viewer's channels and DMs with unread counts and mention badges (two grouped queries)."""
    mine = {m.conversation_id: m for m in db.exec(select(Membership).where(Membership.user_id == viewer.id))}
    unread = dict(db.exec(
        select(Message.conversation_id, func.count()).join(
            Membership, (Membership.conversation_id == Message.conversation_id) & (Membership.user_id == viewer.id))
        .where(Message.in_channel == True, Message.ts > Membership.last_read,  # noqa: E712
               Message.user_id != viewer.id).group_by(Message.conversation_id)).all())
    mentions = dict(db.exec(
        select(Mention.conversation_id, func.count()).join(
            Membership, (Membership.conversation_id == Mention.conversation_id) & (Membership.user_id == viewer.id))
        .where(Mention.user_id == viewer.id, Mention.ts > Membership.last_read).group_by(Mention.conversation_id)).all())
    members_by_conv: dict[str, list[str]] = {}
    dm_ids = [cid for cid in mine if directory.conversations[cid].kind in ("im", "mpim")]
    if dm_ids:
        for m in db.exec(select(Membership).where(Membership.conversation_id.in_(dm_ids))):
            members_by_conv.setdefault(m.conversation_id, []).append(m.user_id)
    channels, dms = [], []
    for cid in mine:
        conv = directory.conversations[cid]
        if conv.is_archived:
            continue
        if conv.kind in ("public", "private"):
            channels.append(SidebarEntry(conv, conv.name, unread.get(cid, 0), mentions.get(cid, 0)))
        else:
            others = sorted((directory.users[u] for u in members_by_conv.get(cid, []) if u != viewer.id),
                            key=lambda u: u.real_name) or [viewer]
            label = ", ".join(u.real_name for u in others)
            # a DM's every message is for you: each unread one counts as a mention badge
            dms.append(SidebarEntry(conv, label, unread.get(cid, 0), unread.get(cid, 0),
                                    others[0] if len(others) == 1 else None))
    channels.sort(key=lambda e: e.label)
    dms.sort(key=lambda e: e.label)
    return {"channels": channels, "dms": dms}
