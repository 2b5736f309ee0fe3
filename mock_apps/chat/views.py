"""Chat's UI: a Slack-shaped workspace (sidebar, channel, threads, search, browser, profiles, files).

Server-rendered; every view is a URL (channel `/archives/<id>`, a thread `?thread_ts=`, search
`/search?q=`), every action a form POST that redirects back (errors re-render the page with the
message inline and status 400). The UI acts as the scenario's accountant unless the user switcher
(cookie `chatuser`) picks someone else.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, g, make_response, redirect, render_template, request, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import defer
from sqlmodel import select

from mock_apps.chat import history, service
from mock_apps.chat.emoji import PICKER, emoji_char
from mock_apps.chat.history import Directory
from mock_apps.chat.models import Conversation, File, FileShare, Membership, Mention, Message, Pin, Reaction, User
from mock_apps.chat.mrkdwn import render as render_mrkdwn
from mock_apps.chat.mrkdwn import to_composer
from mock_apps.chat.query import QueryError
from mock_apps.chat.search import search_files, search_messages
from mock_apps.chat.service import ChatError
from mock_apps.chat.slack_ts import TS_PATTERN, ts_time
from mock_apps.core.request import db

bp = Blueprint("chat", __name__, template_folder="templates", static_folder="static", static_url_path="/static/chat")

USER_COOKIE = "chatuser"
TOAST_COOKIE = "chat_toast"
PAGE = 50
GROUP_MINUTES = 5


# ---- the viewer and the page context --------------------------------------------------------------

def viewer() -> User:
    """Who the UI acts as: the switcher's choice, else the scenario's mailbox owner."""
    cached = g.get("_chat_viewer")
    if cached is not None:
        return cached
    session = db()
    chosen = request.cookies.get(USER_COOKIE)
    user = service.user_by_name(session, chosen) if chosen else None
    if user is None:
        from flask import current_app

        from mock_apps.scenarios import get_scenario

        registry = current_app.extensions["mockapps.worlds"]
        owner = get_scenario(registry.scenario_of(g.world_id)).facts.mailbox_owner
        user = service.user_by_name(session, owner) or session.exec(select(User).order_by(User.pk)).first()
    g._chat_viewer = user
    return user


def directory() -> Directory:
    """The request's user and conversation directory."""
    cached = g.get("_chat_directory")
    if cached is None:
        cached = g._chat_directory = Directory.load(db())
    return cached


def _user_href(user: User) -> str:
    return _profile_url(user.id)


def _channel_href(conv: Conversation) -> str:
    return _conv_url(conv.id)


def render_text(text: str):
    """A message's stored text as safe HTML with links to profiles and channels."""
    resolver = g.get("_chat_resolver")
    if resolver is None:
        resolver = g._chat_resolver = directory().resolver(_user_href, _channel_href)
    return render_mrkdwn(text, resolver)


_TAG = re.compile(r"(<[^>]*>)")


def highlight(markup, words: list[str]):
    """Rendered message HTML with the search words marked (only in text, never inside tags)."""
    if not words:
        return markup
    alternatives = "|".join(re.escape(str(escape(w))) for w in sorted(words, key=len, reverse=True))
    # entities are matched first and kept whole, so a hit never splits "&amp;"
    pattern = re.compile(f"(&#?\\w+;)|({alternatives})", re.IGNORECASE)

    def mark(match: re.Match) -> str:
        return match.group(0) if match.group(1) else f'<mark class="chat-hit">{match.group(0)}</mark>'

    parts = _TAG.split(str(markup))
    out = [part if i % 2 else pattern.sub(mark, part) for i, part in enumerate(parts)]
    return Markup("".join(out))


def composer_text(text: str) -> str:
    """A stored message as the edit box shows it."""
    return to_composer(text, {u.id: u.name for u in directory().users.values()})


def _tz() -> ZoneInfo:
    """The company's timezone, read once per request."""
    tz = g.get("_chat_tz")
    if tz is None:
        tz = g._chat_tz = db().timezone()
    return tz


def _local(ts: str) -> datetime:
    return ts_time(ts).astimezone(_tz())


def _day_label(day) -> str:
    today = g.get("_chat_today")
    if today is None:
        today = g._chat_today = db().now().astimezone(_tz()).date()
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%A, %B} {day.day}"


def _take_toast() -> str | None:
    return request.cookies.get(TOAST_COOKIE)


def _done(target: str, toast: str | None = None) -> Response:
    response = redirect(target, code=303)
    if toast:
        response.set_cookie(TOAST_COOKIE, quote(toast), max_age=30, samesite="Lax")
    return response


def _page(template: str, status: int = 200, **context) -> Response:
    me = viewer()
    toast = _take_toast()
    html = render_template(
        template, me=me, side=history.sidebar(db(), me, directory()), users=directory().users,
        convs=directory().conversations, render_text=render_text, composer_text=composer_text, mark_hits=highlight, emoji_char=emoji_char, picker=PICKER,
        toast=_unquote(toast) if toast else None, switch_users=service.all_users(db()),
        completion=_completion_data(), q=context.pop("q", ""), **context)
    response = make_response(html, status)
    if toast:
        response.delete_cookie(TOAST_COOKIE)
    return response


def _unquote(text: str) -> str:
    return unquote(text)[:300]


def _completion_data() -> dict:
    """People and channels for the composer's @ and # completion (JSON, escaped by tojson in the page)."""
    d = directory()
    me = viewer()
    mine = set(db().exec(select(Membership.conversation_id).where(Membership.user_id == me.id)))
    return {
        "users": [{"handle": u.name, "name": u.real_name, "title": u.title} for u in d.users.values() if not u.deleted],
        "channels": [{"name": c.name} for c in d.conversations.values()
                     if c.kind == "public" or (c.kind == "private" and c.id in mine)],
    }


# ---- message views ----------------------------------------------------------------------------------

class MessageView:
    """A message as the templates show it."""

    def __init__(self, msg: Message, ex: history.Extras, me: User, show_header: bool, day_label: str | None):
        d = directory()
        self.msg = msg
        self.ts = msg.ts
        self.author = d.users.get(msg.user_id)
        self.time = _local(msg.ts)
        self.reactions = ex.reactions.get(msg.pk, [])
        self.files = ex.files.get(msg.pk, [])
        self.pin = ex.pins.get(msg.pk)
        self.mine = msg.user_id == me.id
        self.show_header = show_header
        self.day_label = day_label
        self.is_system = msg.subtype in ("channel_join", "channel_leave", "channel_topic", "channel_purpose")
        self.repliers = [d.users[u] for u in msg.reply_users.split(",") if u in d.users][:5]
        self.latest_reply_time = _local(msg.latest_reply) if msg.latest_reply else None
        self.channel_url = _conv_url(msg.conversation_id)
        base = f"{self.channel_url}/messages/{msg.ts}"
        self.react_url, self.pin_url = f"{base}/reactions", f"{base}/pin"
        self.edit_url, self.delete_url = f"{base}/edit", f"{base}/delete"
        self.permalink = f"{self.channel_url}/p{msg.ts.replace('.', '')}"
        self.author_url = _profile_url(self.author.id) if self.author else None


def _conv_url(conversation_id: str) -> str:
    """The channel's URL, built once per request (pages link to it many times)."""
    cache = g.setdefault("_chat_conv_urls", {})
    url = cache.get(conversation_id)
    if url is None:
        url = cache[conversation_id] = url_for("chat.channel", conversation_id=conversation_id)
    return url


def _profile_url(user_id: str) -> str:
    """A profile URL, built once per request."""
    cache = g.setdefault("_chat_profile_urls", {})
    url = cache.get(user_id)
    if url is None:
        url = cache[user_id] = url_for("chat.profile", user_id=user_id)
    return url


def message_views(messages: list[Message], me: User, *, group: bool = True) -> list[MessageView]:
    """Views of messages in time order, with day dividers and same-author grouping."""
    ex = history.extras(db(), messages, me.id)
    out: list[MessageView] = []
    prev: Message | None = None
    prev_day = None
    for msg in messages:
        local = _local(msg.ts)
        # day dividers belong to a channel's flow, not to threads or search results
        day_label = _day_label(local.date()) if group and local.date() != prev_day else None
        same_author = (group and prev is not None and day_label is None and prev.user_id == msg.user_id
                       and prev.subtype is None and msg.subtype is None and not prev.reply_count
                       and local - _local(prev.ts) < timedelta(minutes=GROUP_MINUTES))
        out.append(MessageView(msg, ex, me, not same_author, day_label))
        prev, prev_day = msg, local.date()
    return out


def _conv_title(conv: Conversation, me: User) -> str:
    if conv.kind in ("public", "private"):
        return conv.name
    return ", ".join(u.real_name for u in service.dm_partner(db(), conv, me))


# ---- routes -----------------------------------------------------------------------------------------

@bp.route("/")
def home():
    """The workspace opens on #general (or the first channel you are in)."""
    session = db()
    general = session.exec(select(Conversation).where(Conversation.is_general == True)).first()  # noqa: E712
    if general is None:
        general = session.exec(select(Conversation).order_by(Conversation.pk)).first()
    if general is None:
        abort(404)
    return redirect(url_for("chat.channel", conversation_id=general.id))


@bp.route("/archives/<conversation_id>")
def channel(conversation_id: str, error: str | None = None, draft: str = "", status: int = 200, thread_draft: str = ""):
    """A conversation: header, history page, composer, and the thread or details panel."""
    session = db()
    me = viewer()
    conv = service.visible_conversation(session, me, conversation_id)
    mine = service.membership(session, conv.id, me.id)
    before = request.args.get("before")
    if before and not TS_PATTERN.match(before):
        before = None
    rows, has_older = history.channel_page(session, conv.id, before=before, limit=PAGE)
    rows.reverse()
    last_read = mine.last_read if mine else None
    if mine is not None and not before and rows and rows[-1].ts > mine.last_read and request.method == "GET":
        service.mark_read(session, me, conv.id, rows[-1].ts)
        g.pop("_chat_directory", None)
    views = message_views(rows, me)
    first_unread = next((v.ts for v in views if last_read and v.ts > last_read and not v.mine), None)
    thread_ts = request.args.get("thread_ts")
    thread_views = None
    if thread_ts and TS_PATTERN.match(thread_ts):
        thread_rows = history.thread(session, conv.id, thread_ts)
        if thread_rows:
            thread_views = message_views(thread_rows, me, group=False)
            thread_ts = thread_rows[0].ts
    panel = request.args.get("panel") if not thread_views else None
    members = pins = invitable = None
    if panel == "members":
        ids = service.member_ids(session, conv.id)
        members = [directory().users[u] for u in ids if u in directory().users]
        invitable = [u for u in service.all_users(session) if u.id not in set(ids) and not u.deleted]
    elif panel == "pins":
        pin_rows = list(session.exec(select(Pin).where(Pin.conversation_id == conv.id).order_by(Pin.pinned_at.desc())))
        msgs = {m.pk: m for m in session.exec(select(Message).where(Message.pk.in_([p.message_pk for p in pin_rows])))}
        pins = message_views([msgs[p.message_pk] for p in pin_rows if p.message_pk in msgs], me, group=False)
    return _page("chat/channel.html", status=status, conv=conv, title=_conv_title(conv, me), is_member=mine is not None,
                 messages=views, has_older=has_older, oldest=rows[0].ts if rows else None, first_unread=first_unread,
                 thread=thread_views, thread_ts=thread_ts if thread_views else None, panel=panel, members=members,
                 pins=pins, invitable=invitable, member_count=len(service.member_ids(session, conv.id)), error=error, draft=draft,
                 thread_draft=thread_draft, editing=request.args.get("edit"), reacting=request.args.get("react"),
                 highlight=request.args.get("highlight"), partners=service.dm_partner(session, conv, me)
                 if conv.kind in ("im", "mpim") else [])


@bp.route("/archives/<conversation_id>/p<digits>")
def permalink(conversation_id: str, digits: str):
    """A Slack-style message permalink: the channel scrolled to the message (and its thread)."""
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 16:
        abort(404)
    ts = f"{digits[:10]}.{digits[10:]}"
    params = {"highlight": ts}
    thread_ts = request.args.get("thread_ts")
    msg = service.message(db(), conversation_id, ts)
    if thread_ts or msg.thread_ts:  # a reply, or a message with replies: open its thread beside it
        params["thread_ts"] = thread_ts or msg.thread_ts
    if msg.in_channel:  # open the page of history that contains the message
        newer = db().exec(select(Message.ts).where(Message.conversation_id == conversation_id,
                                                   Message.in_channel == True, Message.ts > ts)  # noqa: E712
                          .order_by(Message.ts).limit(PAGE)).all()
        if len(newer) >= PAGE // 2:
            params["before"] = newer[PAGE // 2 - 1]
    return redirect(url_for("chat.channel", conversation_id=conversation_id, **params) + f"#m-{ts}")


def _back(conv_id: str, thread_ts: str | None = None, anchor: str | None = None) -> str:
    url = url_for("chat.channel", conversation_id=conv_id, **({"thread_ts": thread_ts} if thread_ts else {}))
    return url + (f"#m-{anchor}" if anchor else "")


def _form_error(conv_id: str, err: ChatError, *, draft: str = "", thread_draft: str = "") -> Response:
    return channel(conv_id, error=err.message, draft=draft, thread_draft=thread_draft, status=400)


@bp.route("/archives/<conversation_id>/messages", methods=["POST"])
def post(conversation_id: str):
    """Post from the composer (channel or thread), with an optional file."""
    session = db()
    me = viewer()
    text = request.form.get("text", "")
    thread_ts = request.form.get("thread_ts") or None
    broadcast = request.form.get("broadcast") == "1"
    upload = request.files.get("file")
    try:
        stored = service.encode_composer_text(session, text)
        if upload is not None and upload.filename:
            msg = service.upload_and_share(session, me, conversation_id, upload.filename, upload.read(),
                                           comment=stored, thread_ts=thread_ts)
        else:
            msg = service.post_message(session, me, conversation_id, stored, thread_ts=thread_ts, broadcast=broadcast)
    except ChatError as err:
        return _form_error(conversation_id, err, draft="" if thread_ts else text, thread_draft=text if thread_ts else "")
    return _done(_back(conversation_id, thread_ts, msg.ts))


def _message_action(conversation_id: str, ts: str, action, toast: str | None = None) -> Response:
    thread_ts = request.form.get("thread_ts") or None
    try:
        action()
    except ChatError as err:
        return _form_error(conversation_id, err)
    return _done(_back(conversation_id, thread_ts, ts), toast)


@bp.route("/archives/<conversation_id>/messages/<ts>/edit", methods=["POST"])
def edit(conversation_id: str, ts: str):
    """Save an edit of one of your messages."""
    session = db()
    text = request.form.get("text", "")

    def act():
        service.update_message(session, viewer(), conversation_id, ts, service.encode_composer_text(session, text))
    return _message_action(conversation_id, ts, act)


@bp.route("/archives/<conversation_id>/messages/<ts>/delete", methods=["POST"])
def delete(conversation_id: str, ts: str):
    """Delete one of your messages."""
    return _message_action(conversation_id, ts, lambda: service.delete_message(db(), viewer(), conversation_id, ts),
                           "Message deleted.")


@bp.route("/archives/<conversation_id>/messages/<ts>/reactions", methods=["POST"])
def react(conversation_id: str, ts: str):
    """Toggle your reaction with an emoji."""
    name = request.form.get("name", "")
    session = db()
    me = viewer()

    def act():
        msg = service.message(session, conversation_id, ts)
        mine = {r.name for r in history.extras(session, [msg], me.id).reactions.get(msg.pk, []) if r.mine}
        from mock_apps.chat.emoji import normalize_name

        if normalize_name(name) in mine:
            service.remove_reaction(session, me, conversation_id, ts, name)
        else:
            service.add_reaction(session, me, conversation_id, ts, name)
    return _message_action(conversation_id, ts, act)


@bp.route("/archives/<conversation_id>/messages/<ts>/pin", methods=["POST"])
def pin(conversation_id: str, ts: str):
    """Pin or unpin a message."""
    session = db()
    me = viewer()
    pinned = request.form.get("pinned") == "1"

    def act():
        if pinned:
            service.unpin_message(session, me, conversation_id, ts)
        else:
            service.pin_message(session, me, conversation_id, ts)
    return _message_action(conversation_id, ts, act, "Unpinned." if pinned else "Pinned to the channel.")


@bp.route("/archives/<conversation_id>/join", methods=["POST"])
def join(conversation_id: str):
    """Join a public channel."""
    try:
        conv, _ = service.join_channel(db(), viewer(), conversation_id)
    except ChatError as err:
        return _form_error(conversation_id, err)
    return _done(_back(conv.id), f"You joined #{conv.name}.")


@bp.route("/archives/<conversation_id>/leave", methods=["POST"])
def leave(conversation_id: str):
    """Leave a channel."""
    try:
        conv = service.conversation(db(), conversation_id)
        service.leave_channel(db(), viewer(), conversation_id)
    except ChatError as err:
        return _form_error(conversation_id, err)
    return _done(url_for("chat.browse"), f"You left #{conv.name}.")


@bp.route("/archives/<conversation_id>/invite", methods=["POST"])
def invite(conversation_id: str):
    """Add a person to the channel from the members panel."""
    try:
        conv = service.invite(db(), viewer(), conversation_id, [request.form.get("user", "")])
        added = service.user_by_id(db(), request.form.get("user", ""))
    except ChatError as err:
        return _form_error(conversation_id, err)
    return _done(url_for("chat.channel", conversation_id=conv.id, panel="members"),
                 f"Added {added.real_name} to #{conv.name}.")


@bp.route("/archives/<conversation_id>/topic", methods=["POST"])
def topic(conversation_id: str):
    """Set the channel's topic or purpose."""
    field = request.form.get("field", "topic")
    try:
        service.set_topic(db(), viewer(), conversation_id, request.form.get("value", ""), purpose=field == "purpose")
    except ChatError as err:
        return _form_error(conversation_id, err)
    return _done(_back(conversation_id), f"Channel {'purpose' if field == 'purpose' else 'topic'} updated.")


@bp.route("/browse-channels")
def browse():
    """All channels you can see, with join/leave and a form to create one."""
    session = db()
    me = viewer()
    mine = set(session.exec(select(Membership.conversation_id).where(Membership.user_id == me.id)))
    counts: dict[str, int] = {}
    for cid in session.exec(select(Membership.conversation_id)):
        counts[cid] = counts.get(cid, 0) + 1
    q = request.args.get("q", "").strip().lower()
    channels = [c for c in session.exec(select(Conversation).order_by(Conversation.name))
                if c.kind == "public" or (c.kind == "private" and c.id in mine)]
    if q:
        channels = [c for c in channels if q in c.name or q in c.purpose.lower() or q in c.topic.lower()]
    return _page("chat/browse.html", channels=channels, mine=mine, counts=counts, browse_q=q,
                 error=g.get("_chat_error"), form=g.get("_chat_form") or {})


@bp.route("/channels", methods=["POST"])
def create():
    """Create a channel from the browser's form."""
    form = {"name": request.form.get("name", ""), "purpose": request.form.get("purpose", ""),
            "is_private": request.form.get("is_private") == "1"}
    try:
        conv = service.create_channel(db(), viewer(), form["name"], is_private=form["is_private"],
                                      purpose=form["purpose"].strip())
    except ChatError as err:
        g._chat_error, g._chat_form = err.message, form
        response = browse()
        response.status_code = 400
        return response
    return _done(_back(conv.id), f"Created #{conv.name}.")


@bp.route("/team/<user_id>")
def profile(user_id: str):
    """A person's profile: title, department, local time, contact."""
    session = db()
    user = service.user_by_id(session, user_id)
    now = session.now().astimezone(ZoneInfo(user.tz))
    return _page("chat/profile.html", person=user, local_time=now)


@bp.route("/team/<user_id>/message", methods=["POST"])
def message_person(user_id: str):
    """Open (or create) the DM with this person."""
    conv, _ = service.open_dm(db(), viewer(), [user_id])
    return _done(_back(conv.id))


@bp.route("/people")
def people():
    """The member directory, with a form to start a DM or group DM."""
    return _page("chat/people.html", everyone=service.all_users(db()), error=None)


@bp.route("/dm", methods=["POST"])
def new_dm():
    """Open a DM (one person) or group DM (several) with the people ticked in the directory."""
    chosen = request.form.getlist("user")
    if not chosen:
        return _page("chat/people.html", status=400, everyone=service.all_users(db()),
                     error="Tick at least one person to message.")
    try:
        conv, _ = service.open_dm(db(), viewer(), chosen)
    except ChatError as err:
        return _page("chat/people.html", status=400, everyone=service.all_users(db()), error=err.message)
    return _done(_back(conv.id))


@bp.route("/search")
def search():
    """Search messages or files; the query lives in the URL."""
    session = db()
    me = viewer()
    q = request.args.get("q", "")
    tab = request.args.get("tab", "messages")
    try:
        page = max(1, min(100, int(request.args.get("page", "1"))))
    except ValueError:
        page = 1
    error = None
    results = None
    views = []
    words: list[str] = []
    try:
        if tab == "files":
            _, results = search_files(session, me, q, page=page)
        else:
            tab = "messages"
            parsed, results = search_messages(session, me, q, page=page)
            views = message_views(results.items, me, group=False)
            words = parsed.words
    except QueryError as err:
        error = err.message
    status = 400 if error else 200
    return _page("chat/search.html", status=status, q=q, tab=tab, results=results, views=views, error=error,
                 hit_words=words)


@bp.route("/activity")
def activity():
    """Mentions of you, newest first."""
    session = db()
    me = viewer()
    rows = list(session.exec(select(Message).join(Mention, Mention.message_pk == Message.pk)
                             .where(Mention.user_id == me.id).order_by(Message.ts.desc()).limit(50)))
    reacted = list(session.exec(
        select(Message).where(Message.user_id == me.id, Message.pk.in_(
            select(Reaction.message_pk).where(Reaction.user_id != me.id))).order_by(Message.ts.desc()).limit(30)))
    return _page("chat/activity.html", views=message_views(rows, me, group=False),
                 reacted=message_views(reacted, me, group=False))


@bp.route("/archives/<conversation_id>/files")
def channel_files(conversation_id: str):
    """Files shared in a conversation, newest first."""
    session = db()
    conv = service.visible_conversation(session, viewer(), conversation_id)
    shares = list(session.exec(select(FileShare).where(FileShare.conversation_id == conv.id).order_by(FileShare.ts.desc())))
    files = {f.id: f for f in session.exec(select(File).options(defer(File.content))
                                           .where(File.id.in_([s.file_id for s in shares])))}
    items = [(files[s.file_id], s) for s in shares if s.file_id in files]
    return _page("chat/files.html", conv=conv, title=_conv_title(conv, viewer()), items=items)


def _file_for_viewer(file_id: str) -> File:
    session = db()
    row = service.file_by_id(session, file_id)
    if not service.can_see_file(session, viewer(), row) or row.status != "complete":
        raise ChatError("There is no such file you can see.", code="file_not_found", status=404)
    return row


@bp.route("/files/<file_id>")
def file_page(file_id: str):
    """A file's preview page (image inline, text shown escaped, PDF embedded) with a download link."""
    row = _file_for_viewer(file_id)
    text = None
    if row.mimetype.startswith("text/") or row.filetype in ("csv", "markdown", "json", "text"):
        text = row.content.decode("utf-8", errors="replace")[:200_000]
    shares = db().exec(select(Message).join(FileShare, FileShare.message_pk == Message.pk)
                       .where(FileShare.file_id == row.id)).all()
    return _page("chat/file.html", file=row, text=text, shared_in=shares)


_INLINE = {"image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain", "text/csv", "text/markdown"}


@bp.route("/files/<file_id>/view")
def file_view(file_id: str):
    """The file's bytes for in-page preview (only safe types inline; anything else downloads)."""
    row = _file_for_viewer(file_id)
    mimetype = row.mimetype if row.mimetype in _INLINE else "application/octet-stream"
    if mimetype.startswith("text/"):
        mimetype += "; charset=utf-8"
    response = Response(row.content, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # a sandboxed document cannot load Chromium's PDF viewer; PDFs get a no-script policy instead
    response.headers["Content-Security-Policy"] = ("default-src 'none'; object-src 'self'; plugin-types application/pdf"
                                                   if mimetype == "application/pdf" else
                                                   "sandbox; default-src 'none'; img-src 'self'")
    if row.mimetype not in _INLINE:
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.name)}"
    return response


@bp.route("/files/<file_id>/download")
def file_download(file_id: str):
    """Download the file under its name."""
    row = _file_for_viewer(file_id)
    response = Response(row.content, mimetype=row.mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/switch-user", methods=["POST"])
def switch_user():
    """The user switcher: act as another workspace member (a cookie)."""
    handle = request.form.get("user", "")
    if service.user_by_name(db(), handle) is None:
        raise ChatError(f"There is no member {handle[:40]!r}.", code="user_not_found", status=404)
    target = request.form.get("next") or url_for("chat.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("chat.home")
    response = _done(target)
    response.set_cookie(USER_COOKIE, handle, samesite="Lax")
    return response


@bp.app_template_filter("chat_time")
def chat_time(moment: datetime) -> str:
    """"3:05 PM" for a message's time."""
    return moment.strftime("%-I:%M %p")


@bp.app_template_filter("ts_date")
def ts_date(ts: str) -> str:
    """"Mar 30, 2026" for a message ts, in company time."""
    return _local(ts).strftime("%b %-d, %Y")


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """"12 KB"-style size."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


__all__ = ["bp", "viewer"]
