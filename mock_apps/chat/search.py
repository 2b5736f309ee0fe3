"""Search over messages and files the viewer can see, from a parsed Slack query (see `query.py`).

Free text is matched case-insensitively as substrings of the stored text (every word or phrase must
match, no excluded word may); modifiers become SQL conditions. A workspace holds thousands of
messages, not millions, so a LIKE scan over the visible conversations answers in a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_
from sqlalchemy.orm import defer
from sqlmodel import select

from mock_apps.chat.ids import slack_id
from mock_apps.chat.models import Conversation, File, FileShare, Membership, Message, Pin, Reaction, User
from mock_apps.chat.query import SearchQuery, parse_query
from mock_apps.core.database import WorldSession


@dataclass
class Results:
    """One page of results and the total."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_ts(day: date, tz: ZoneInfo) -> str:
    """The smallest ts of a day in the company's timezone."""
    return f"{int(datetime.combine(day, time(0), tz).timestamp()):010d}.000000"


def _person(db: WorldSession, handle: str, viewer: User) -> User | None:
    """A person by handle, `me`, first name or display name (as Slack's from:@ accepts)."""
    if handle == "me":
        return viewer
    users = list(db.exec(select(User)))
    for match in (lambda u: u.name == handle, lambda u: u.display_name.lower() == handle,
                  lambda u: u.real_name.lower().replace(" ", ".") == handle, lambda u: u.name.startswith(handle)):
        found = [u for u in users if match(u)]
        if len(found) == 1:
            return found[0]
    return None


def visible_ids(db: WorldSession, viewer: User) -> list[str]:
    """Ids of conversations the viewer can search: public channels and every conversation they are in."""
    member = set(db.exec(select(Membership.conversation_id).where(Membership.user_id == viewer.id)))
    public = set(db.exec(select(Conversation.id).where(Conversation.kind == "public")))
    return sorted(member | public)


def search_messages(db: WorldSession, viewer: User, text: str, *, page: int = 1, per_page: int = 20,
                    oldest_first: bool = False) -> tuple[SearchQuery, Results]:
    """Messages matching a Slack query, newest first (or oldest first)."""
    tz = db.timezone()
    query = parse_query(text, db.now().astimezone(tz).date())
    if query.is_empty:
        return query, Results([], 0, page, per_page)
    conds = [Message.conversation_id.in_(visible_ids(db, viewer)), Message.subtype.is_(None)]
    nothing = False
    for word in query.words:
        conds.append(func.lower(Message.text).like(_like(word), escape="\\"))
    for word in query.excluded:
        conds.append(~func.lower(Message.text).like(_like(word), escape="\\"))
    for name in query.in_channels:
        conv = db.exec(select(Conversation).where(Conversation.name == name,
                                                  Conversation.kind.in_(("public", "private")))).first()
        nothing |= conv is None
        conds.append(Message.conversation_id == (conv.id if conv else ""))
    for handle in query.in_people:
        person = _person(db, handle, viewer)
        nothing |= person is None
        if person is not None:
            ids = sorted({viewer.id, person.id})
            conds.append(Message.conversation_id == slack_id("im", "--".join(ids)))
    for handle in query.from_people:
        person = _person(db, handle, viewer)
        nothing |= person is None
        conds.append(Message.user_id == (person.id if person else ""))
    if "link" in query.has:
        conds.append(Message.has_link == True)  # noqa: E712
    if "pin" in query.has:
        conds.append(exists().where(Pin.message_pk == Message.pk))
    if "file" in query.has:
        conds.append(exists().where(FileShare.message_pk == Message.pk))
    if "reaction" in query.has:
        conds.append(exists().where(Reaction.message_pk == Message.pk))
    if "star" in query.has or "saved" in query.is_:
        nothing = True  # saved items are not modelled: nothing is saved
    for name in query.has_reactions:
        conds.append(exists().where(Reaction.message_pk == Message.pk, Reaction.name == name))
    if "thread" in query.is_:
        conds.append(Message.thread_ts.is_not(None))
    if "dm" in query.is_:
        dms = select(Conversation.id).where(Conversation.kind.in_(("im", "mpim")))
        conds.append(Message.conversation_id.in_(dms))
    if query.after:
        conds.append(Message.ts >= _day_ts(query.after + timedelta(days=1), tz))
    if query.before:
        conds.append(Message.ts < _day_ts(query.before, tz))
    if nothing:
        return query, Results([], 0, page, per_page)
    total = db.exec(select(func.count()).select_from(Message).where(*conds)).one()
    order = Message.ts.asc() if oldest_first else Message.ts.desc()
    rows = list(db.exec(select(Message).where(*conds).order_by(order).offset((page - 1) * per_page).limit(per_page)))
    return query, Results(rows, total, page, per_page)


def search_files(db: WorldSession, viewer: User, text: str, *, page: int = 1,
                 per_page: int = 20) -> tuple[SearchQuery, Results]:
    """Files shared where the viewer can see them, matching the query's words by name or title."""
    tz = db.timezone()
    query = parse_query(text, db.now().astimezone(tz).date())
    if query.is_empty:
        return query, Results([], 0, page, per_page)
    visible = visible_ids(db, viewer)
    shared = select(FileShare.file_id).where(FileShare.conversation_id.in_(visible))
    conds = [File.status == "complete", or_(File.id.in_(shared), File.user_id == viewer.id)]
    haystack = func.lower(File.name + " " + File.title)
    for word in query.words:
        conds.append(haystack.like(_like(word), escape="\\"))
    for word in query.excluded:
        conds.append(~haystack.like(_like(word), escape="\\"))
    for name in query.in_channels:
        conv = db.exec(select(Conversation).where(Conversation.name == name)).first()
        conds.append(File.id.in_(select(FileShare.file_id).where(FileShare.conversation_id == (conv.id if conv else ""))))
    for handle in query.from_people:
        person = _person(db, handle, viewer)
        conds.append(File.user_id == (person.id if person else ""))
    if query.after:
        conds.append(File.created >= int(datetime.combine(query.after + timedelta(days=1), time(0), tz).timestamp()))
    if query.before:
        conds.append(File.created < int(datetime.combine(query.before, time(0), tz).timestamp()))
    total = db.exec(select(func.count()).select_from(File).where(*conds)).one()
    rows = list(db.exec(select(File).options(defer(File.content)).where(*conds)
                        .order_by(File.created.desc(), File.pk.desc()).offset((page - 1) * per_page).limit(per_page)))
    return query, Results(rows, total, page, per_page)
