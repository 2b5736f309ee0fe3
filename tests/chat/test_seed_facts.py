"""The seeded workspace states the scenario's facts exactly: later tasks check chat against them."""

import os
import re
from collections import defaultdict
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from mock_apps.chat.models import Conversation, File, FileShare, Membership, Message, Pin, Reaction, User
from mock_apps.chat.mrkdwn import plain_text
from mock_apps.core.shell import money
from mock_apps.core.world import WorldRegistry
from mock_apps.scenarios import get_scenario

FACTS = get_scenario("meridian").facts
MONEY = re.compile(r"-?\$[\d,]+\.\d\d")


@pytest.fixture(scope="module")
def ws(sandbox):
    registry = WorldRegistry.for_settings(sandbox.settings)
    world_id = f"chat-facts-{os.getpid()}"  # read-only: one world serves the whole module
    registry.reset(world_id)
    with registry.session(world_id, "chat") as db:
        users = {u.id: u for u in db.exec(select(User))}
        convs = {c.id: c for c in db.exec(select(Conversation))}
        messages = list(db.exec(select(Message).order_by(Message.ts)))
        pins = list(db.exec(select(Pin)))
        reactions = list(db.exec(select(Reaction)))
        files = list(db.exec(select(File)))
        shares = list(db.exec(select(FileShare)))
        members = list(db.exec(select(Membership)))
    by_name = {u.name: u for u in users.values()}
    channel = {c.name: c for c in convs.values()}
    return dict(users=users, by_name=by_name, convs=convs, channel=channel, messages=messages, pins=pins,
                reactions=reactions, files=files, shares=shares, members=members)


def _in(ws, name):
    return [m for m in ws["messages"] if m.conversation_id == ws["channel"][name].id]


def _thread(ws, parent):
    return [m for m in ws["messages"] if m.thread_ts == parent.ts and m.ts != parent.ts]


def test_people_render_with_titles_and_timezones(ws):
    assert len(ws["users"]) == len(FACTS.people)
    for person in FACTS.people:
        user = ws["by_name"][person.key]
        assert (user.real_name, user.title, user.tz, user.email) == (person.name, person.title, person.timezone, person.email)


def test_history_spans_months_with_threads_reactions_and_files(ws):
    msgs = ws["messages"]
    assert len(msgs) >= 350
    months = {datetime.fromtimestamp(int(m.ts[:10]), tz=timezone.utc).astimezone(FACTS.now.tzinfo).month for m in msgs}
    assert months == {1, 2, 3}
    assert sum(1 for m in msgs if m.reply_count) >= 20 and len(ws["reactions"]) >= 80 and len(ws["files"]) >= 4
    assert all(m.ts < f"{int(FACTS.now.timestamp()):010d}.999999" for m in msgs)
    assert {"general", "finance", "ap-approvals", "sales", "random"} <= set(ws["channel"])
    owner = ws["by_name"][FACTS.mailbox_owner].id
    dms = [c for c in ws["convs"].values() if c.kind == "im"]
    assert len(dms) >= 4 and all(any(m.conversation_id == c.id and m.user_id == owner for m in ws["members"]) for c in dms)


@pytest.mark.parametrize("bill", [b for b in FACTS.bills if b.approved_by], ids=lambda b: b.vendor_invoice_number)
def test_each_approved_bill_has_its_approval_thread(ws, bill):
    vendor = FACTS.vendor(bill.vendor_key)
    approver = ws["by_name"][bill.approved_by]
    parents = [m for m in _in(ws, "ap-approvals") if bill.vendor_invoice_number in m.text and m.reply_count
               and m.text.startswith(("Approval needed", vendor.name))]
    assert len(parents) == 1
    parent = parents[0]
    assert vendor.name in parent.text
    shown = bill.mailed_total_cents if bill.mailed_total_cents is not None else bill.total_cents
    assert money(shown) in parent.text
    replies = _thread(ws, parent)
    approvals = [m for m in replies if m.user_id == approver.id and m.text.startswith("Approved")]
    assert len(approvals) == 1
    event = next(e for e in FACTS.events if e.kind == "bill_approval" and e.refs == (bill.key,))
    assert int(approvals[0].ts[:10]) == int(event.at.timestamp())
    stated = {a for m in [parent, *replies] for a in MONEY.findall(m.text)}
    allowed = {money(bill.total_cents)} | ({money(bill.mailed_total_cents),
                                           money(-sum(l.amount_cents for l in bill.lines if l.amount_cents < 0))}
                                          if bill.mailed_total_cents is not None else set())
    assert stated <= allowed and money(bill.total_cents) in stated


def test_unapproved_bill_is_held_not_approved(ws):
    bill = next(b for b in FACTS.bills if not b.in_books and not b.approved_by)
    mentioned = [m for m in ws["messages"] if bill.vendor_invoice_number in m.text]
    assert mentioned and all(not m.text.startswith("Approved") for m in mentioned)
    assert any(money(bill.total_cents) in m.text and FACTS.vendor(bill.vendor_key).name in m.text for m in mentioned)


def test_amount_correction_and_duplicate(ws):
    corr = next(e for e in FACTS.events if e.kind == "amount_correction")
    priya = ws["by_name"][corr.actor]
    note = next(m for m in ws["messages"] if m.user_id == priya.id and "volume credit" in m.text)
    assert money(corr.data["mailed_cents"]) in note.text and money(corr.data["correct_cents"]) in note.text
    assert int(note.ts[:10]) == int(corr.at.timestamp())
    dup = next(b for b in FACTS.bills if b.resent_duplicate)
    warning = next(m for m in ws["messages"] if m.reply_broadcast and dup.vendor_invoice_number in m.text)
    assert "duplicate" in warning.text and money(dup.total_cents) in warning.text


def test_bank_change_request_flagged_and_pinned(ws):
    event = next(e for e in FACTS.events if e.kind == "bank_change_request")
    flagger = ws["by_name"][event.data["flagged_by"]]
    flag = next(m for m in _in(ws, "finance") if m.user_id == flagger.id and event.data["spoof_domain"] in m.text)
    assert event.data["new_bank"] in flag.text and event.data["new_account_last4"] in flag.text
    assert "phishing" in flag.text and "BL-20931" in flag.text
    assert any(p.message_pk == flag.pk for p in ws["pins"])
    summary = next(f for f in ws["files"] if any(s.file_id == f.id and s.message_pk == flag.pk for s in ws["shares"]))
    assert event.data["spoof_domain"].encode() in summary.content and b"9921" in summary.content


def test_close_kickoff_lists_the_bills_to_enter(ws):
    event = next(e for e in FACTS.events if e.kind == "close_kickoff")
    kickoff = next(m for m in _in(ws, "finance") if int(m.ts[:10]) == int(event.at.timestamp()))
    for bill in (b for b in FACTS.bills if not b.in_books and b.approved_by):
        line = next(l for l in kickoff.text.splitlines() if bill.vendor_invoice_number in l)
        assert MONEY.findall(line)[0] == money(bill.total_cents)
    assert "SPS-1107" not in kickoff.text
    for e in (e for e in FACTS.events if e.kind == "collections_reminder"):
        assert e.refs[0] in kickoff.text


def test_collections_and_partial_payment(ws):
    owner = ws["by_name"][FACTS.mailbox_owner]
    reminder = next(m for m in ws["messages"] if "past due" in m.text and "INV-1009" in m.text)
    assert ws["convs"][reminder.conversation_id].kind == "im"
    for e in (e for e in FACTS.events if e.kind == "collections_reminder"):
        inv = FACTS.invoice(e.refs[0])
        line = next(l for l in reminder.text.splitlines() if inv.number in l)
        assert FACTS.customer(inv.customer_key).name in plain_text(line)
        assert money(inv.total_cents - FACTS.invoice_paid_cents(inv.number)) in line
    partial = next(e for e in FACTS.events if e.kind == "partial_payment_note")
    inv = FACTS.invoice(partial.refs[0])
    note = next(m for m in ws["messages"] if inv.number in m.text and f"<@{owner.id}>" in m.text)
    assert money(FACTS.invoice_paid_cents(inv.number)) in note.text and money(inv.total_cents) in note.text


def test_filler_numbers_come_from_the_facts(ws):
    invoices = {i.number: i for i in FACTS.invoices}
    sent = [m for m in _in(ws, "sales") if m.text.startswith("Invoiced")]
    assert len(sent) >= 40
    for m in sent:
        number = re.search(r"INV-\d+", m.text).group(0)
        inv = invoices[number]
        assert FACTS.customer(inv.customer_key).name in plain_text(m.text) and MONEY.findall(m.text) == [money(inv.total_cents)]
    bills = {(b.vendor_key, b.vendor_invoice_number): b for b in FACTS.bills}
    vendor_names = {v.name: v.key for v in FACTS.vendors}
    paid = defaultdict(list)
    for bp in FACTS.bill_payments:
        paid[bp.reference].append(bp)
    runs = [m for m in _in(ws, "ap-approvals") if m.text.startswith("Payment run")]
    assert sum(len(r.text.splitlines()) - 1 for r in runs) == len(FACTS.bill_payments)
    for run in runs:
        for line in run.text.splitlines()[1:]:
            match = re.match(r"• (.+): (\S+), (\$[\d,]+\.\d\d) by (?:check )?(\S+)$", line)
            assert match, line
            vendor, number, amount, ref = match.groups()
            bill = bills[(vendor_names[vendor.replace("&amp;", "&")], number)]
            (bp,) = paid[ref]
            assert bp.applications == ((bill.key, bill.total_cents),) and amount == money(bp.amount_cents)
    received = [m for m in _in(ws, "finance") if m.text.startswith("Payment received")]
    assert len(received) == len([p for p in FACTS.customer_payments])
    for m in received:
        pay = next(p for p in FACTS.customer_payments if f"({p.reference})" in m.text)
        assert MONEY.findall(m.text)[0] == money(pay.amount_cents) and FACTS.customer(pay.customer_key).name in plain_text(m.text)


def test_unread_state_of_the_accountant(ws):
    owner = ws["by_name"][FACTS.mailbox_owner]
    marks = {m.conversation_id: m.last_read for m in ws["members"] if m.user_id == owner.id}
    unread = {ws["convs"][cid].name for cid, last in marks.items()
              if any(m.conversation_id == cid and m.in_channel and m.ts > last and m.user_id != owner.id
                     for m in ws["messages"])}
    assert {"finance", "general", "random"} <= unread and "ap-approvals" not in unread
