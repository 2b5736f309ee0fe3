"""Chat's service layer: the rules, the operation names, atomicity and clock-derived ids."""

import pytest
from sqlmodel import select

from mock_apps.chat import service
from mock_apps.chat.models import Conversation, Mention, Message, Reaction
from mock_apps.chat.service import ChatError


@pytest.fixture
def env(chat_world):
    db = chat_world.session()
    people = {name: service.user_by_name(db, name) for name in ("dana.whitfield", "marcus.reyes", "priya.nair", "raj.patel")}
    channels = {c.name: c for c in db.exec(select(Conversation).where(Conversation.kind.in_(("public", "private"))))}
    yield db, people, channels, chat_world
    db.close()


def test_ids_come_from_the_clock_and_stay_unique_within_an_operation(env):
    db, p, ch, world = env
    now = int(db.now().timestamp())
    conv = service.create_channel(db, p["dana.whitfield"], "month-end")
    service.invite(db, p["dana.whitfield"], conv.id, [p["marcus.reyes"].id, p["priya.nair"].id])
    joins = list(db.exec(select(Message).where(Message.conversation_id == conv.id).order_by(Message.ts)))
    assert [m.ts for m in joins] == [f"{now + 5}.000001", f"{now + 10}.000001", f"{now + 10}.000002"]
    assert [c["op"] for c in world.changes()] == ["chat.channel.create", "chat.channel.invite"]


def test_deleting_a_parent_with_replies_leaves_a_tombstone_and_cleans_up(env):
    db, p, ch, world = env
    dana, marcus = p["dana.whitfield"], p["marcus.reyes"]
    parent = service.post_message(db, dana, ch["finance"].id, "Which account for the forklift repair, <@%s>?" % marcus.id)
    reply = service.post_message(db, marcus, ch["finance"].id, "Repairs & Maintenance", thread_ts=parent.ts)
    service.add_reaction(db, marcus, ch["finance"].id, parent.ts, ":eyes:")
    service.delete_message(db, dana, ch["finance"].id, parent.ts)
    tomb = service.message(db, ch["finance"].id, parent.ts)
    assert tomb.subtype == "tombstone" and tomb.reply_count == 1 and tomb.text == "This message was deleted."
    assert db.exec(select(Reaction).where(Reaction.message_pk == tomb.pk)).all() == []
    assert db.exec(select(Mention).where(Mention.message_pk == tomb.pk)).all() == []
    service.delete_message(db, marcus, ch["finance"].id, reply.ts)  # the last reply goes: so does the tombstone
    assert db.exec(select(Message).where(Message.ts.in_([parent.ts, reply.ts]))).all() == []
    assert [c["op"] for c in world.changes()] == ["chat.post", "chat.thread.reply", "chat.react", "chat.delete", "chat.delete"]


def test_reply_bookkeeping_and_broadcast(env):
    db, p, ch, world = env
    dana, marcus, priya = p["dana.whitfield"], p["marcus.reyes"], p["priya.nair"]
    parent = service.post_message(db, dana, ch["finance"].id, "March accruals?")
    service.post_message(db, marcus, ch["finance"].id, "Yes", thread_ts=parent.ts)
    last = service.post_message(db, priya, ch["finance"].id, "Done", thread_ts=parent.ts, broadcast=True)
    service.post_message(db, marcus, ch["finance"].id, "Thanks", thread_ts=parent.ts)
    parent = service.message(db, ch["finance"].id, parent.ts)
    assert parent.reply_count == 3 and parent.reply_users == f"{marcus.id},{priya.id}"
    assert last.in_channel and last.reply_broadcast
    with pytest.raises(ChatError) as err:
        service.post_message(db, dana, ch["finance"].id, "nested", thread_ts=last.ts)
    assert err.value.code == "thread_not_found"


def test_mentions_follow_edits_and_reactions_toggle(env):
    db, p, ch, world = env
    dana, marcus, priya = p["dana.whitfield"], p["marcus.reyes"], p["priya.nair"]
    msg = service.post_message(db, dana, ch["finance"].id, f"<@{marcus.id}> please review")
    mentioned = lambda: [m.user_id for m in db.exec(select(Mention).where(Mention.message_pk == msg.pk))]  # noqa: E731
    assert mentioned() == [marcus.id]
    service.update_message(db, dana, ch["finance"].id, msg.ts, f"<@{priya.id}> please review")
    assert mentioned() == [priya.id]
    service.add_reaction(db, priya, ch["finance"].id, msg.ts, "+1")
    with pytest.raises(ChatError) as err:
        service.add_reaction(db, priya, ch["finance"].id, msg.ts, "thumbsup::skin-tone-2")
    assert err.value.code == "already_reacted"  # an alias with a skin tone is the same reaction
    service.remove_reaction(db, priya, ch["finance"].id, msg.ts, "+1")
    with pytest.raises(ChatError) as err:
        service.remove_reaction(db, priya, ch["finance"].id, msg.ts, "+1")
    assert err.value.code == "no_reaction"


@pytest.mark.parametrize("action, code", [
    (lambda db, p, ch: service.invite(db, p["dana.whitfield"], ch["finance"].id, [p["raj.patel"].id, "U0NOBODY"]), "user_not_found"),
    (lambda db, p, ch: service.post_message(db, p["raj.patel"], ch["payroll-hr"].id, "hi"), "channel_not_found"),
    (lambda db, p, ch: service.set_topic(db, p["dana.whitfield"], ch["finance"].id, "x" * 251), "too_long"),
    (lambda db, p, ch: service.pin_message(db, p["dana.whitfield"], ch["finance"].id, "1770000000.000001"), "message_not_found"),
    (lambda db, p, ch: service.create_channel(db, p["dana.whitfield"], "a" * 81), "invalid_name_maxlength"),
    (lambda db, p, ch: service.upload_and_share(db, p["dana.whitfield"], ch["finance"].id, "empty.txt", b""), "file_upload_empty"),
    (lambda db, p, ch: service.complete_upload(db, p["dana.whitfield"], [service.FileSpec("F0NOPE")]), "file_not_found"),
])
def test_refused_changes_leave_no_trace(env, action, code):
    db, p, ch, world = env
    before = world.state()
    clock = db.now()
    with pytest.raises(ChatError) as err:
        action(db, p, ch)
    assert err.value.code == code
    db.rollback()
    assert world.changes() == [] and world.state() == before and db.now() == clock


def test_dm_open_is_idempotent_and_mark_read_moves_once(env):
    db, p, ch, world = env
    dana, raj = p["dana.whitfield"], p["raj.patel"]
    dm, existed = service.open_dm(db, dana, [raj.id])
    again, existed_again = service.open_dm(db, raj, [dana.id])
    assert dm.id == again.id and dm.kind == "im" and (existed, existed_again) == (False, True)
    msg = service.post_message(db, raj, dm.id, "Pallets arrived")
    service.mark_read(db, dana, dm.id)
    service.mark_read(db, dana, dm.id)  # nothing new: no second entry
    assert service.membership(db, dm.id, dana.id).last_read == msg.ts
    assert [c["op"] for c in world.changes()] == ["chat.dm.open", "chat.post", "chat.mark"]
