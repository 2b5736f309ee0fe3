"""Render the scenario into a Slack workspace: people, channels, DMs and months of history.

The narrative (bill approvals, the CC-55107 correction, the re-sent SP-88412, the flagged bank-change
request, the close kickoff, collections and a partial payment) is hand-written from the scenario's
events and states only numbers and names taken from the facts. Filler around it (invoices sent,
payments received, payment runs, deliveries, chatter) is generated from the facts and a seeded
random generator, never the wall clock.
"""

from __future__ import annotations

import csv
import io
import random
import struct
import zlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from mock_apps.chat import service
from mock_apps.chat.ids import slack_id
from mock_apps.chat.models import Conversation, FileShare, Membership, Message, Pin, Reaction, User
from mock_apps.chat.mrkdwn import escape_text
from mock_apps.core.shell import money
from mock_apps.scenarios.history import business_days

_COLORS = ["4a154b", "2eb67d", "e01e5a", "36c5f0", "ecb22e", "1264a3", "9d5b1d", "3f0e40", "0b4c8c", "d35400",
           "16a085", "8e44ad"]

_REPLIES = ["Thanks!", "On it.", "Sounds good :+1:", "Got it, thanks.", "Will do.", ":raised_hands:",
            "Count me in!", "Thanks for the heads up.", "Noted.", "Perfect, thank you!"]
_REACTIONS = ["+1", "eyes", "raised_hands", "white_check_mark", "joy", "tada", "pray", "heart", "100"]


class _Workspace:
    """Seeding helpers: post messages at given instants with replies, reactions, pins and files."""

    def __init__(self, db, facts, rnd: random.Random):
        self.db, self.facts, self.rnd = db, facts, rnd
        self.tz = ZoneInfo(facts.company.timezone)
        self.users: dict[str, User] = {}
        self.convs: dict[str, Conversation] = {}
        self.file_count = 0

    def u(self, key: str) -> str:
        """A mention of a person."""
        return f"<@{self.users[key].id}>"

    def ch(self, name: str) -> str:
        """A link to a channel."""
        return f"<#{self.convs[name].id}|{name}>"

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An instant in the company's timezone."""
        return datetime.combine(day, time(hour, minute), self.tz)

    def post(self, conv: str, who: str, text: str, when: datetime, *, thread: Message | None = None,
             broadcast: bool = False, reactions: dict[str, list[str]] | None = None, pin_by: str | None = None,
             files: list[tuple[str, bytes, str]] = ()) -> Message:
        """A message (text already in Slack's stored form) posted at an instant."""
        conversation = self.convs[conv]
        user = self.users[who]
        msg = service.insert_message(self.db, conversation, user, text, ts=service.next_ts(self.db, when),
                                     thread_ts=thread.ts if thread else None, broadcast=broadcast)
        for seq, (name, people) in enumerate((reactions or {}).items(), start=1):
            for person in people:
                self.db.add(Reaction(message_pk=msg.pk, name=name, user_id=self.users[person].id, seq=seq))
        if pin_by:
            self.db.add(Pin(message_pk=msg.pk, conversation_id=conversation.id, pinned_by=self.users[pin_by].id,
                            pinned_at=int(when.timestamp()) + 600))
        for name, data, title in files:
            row = service.new_file(self.db, user, name, content=data, title=title, created=int(when.timestamp()))
            row.status = "complete"
            self.db.add(FileShare(file_id=row.id, message_pk=msg.pk, conversation_id=conversation.id, ts=msg.ts))
        self.db.flush()
        return msg

    def t(self, text: str) -> str:
        """Plain prose in stored form (escapes &, <, >)."""
        return escape_text(text)


def seed(db, scenario) -> None:
    """Fill chat's tables for one scenario (runs once, when templates are built)."""
    facts = scenario.facts
    backdrop = facts.backdrop
    rnd = random.Random(scenario.seed * 7 + 2)
    ws = _Workspace(db, facts, rnd)
    start = datetime.combine(date(2026, 1, 2), time(8, 0), ws.tz)
    created = int(start.timestamp())
    for i, person in enumerate(facts.people):
        user = User(id=slack_id("user", person.key), name=person.key, real_name=person.name,
                    display_name=person.first_name, email=person.email, title=person.title,
                    department=person.department, phone=person.phone, tz=person.timezone,
                    is_admin=person.key in backdrop.chat_admins, color=_COLORS[i % len(_COLORS)])
        db.add(user)
        ws.users[person.key] = user
    for key, text, emoji in backdrop.statuses:
        ws.users[key].status_text, ws.users[key].status_emoji = text, emoji
    everyone = [p.key for p in facts.people]
    roles = facts.roles
    for channel in backdrop.channels:
        kind, name = channel.kind, channel.name
        conv = Conversation(id=slack_id("private" if kind == "private" else "channel", name), kind=kind, name=name,
                            topic=channel.topic, purpose=channel.purpose, creator=ws.users[roles["it"]].id,
                            created=created, topic_creator=ws.users[roles["controller"]].id, topic_last_set=created,
                            purpose_creator=ws.users[roles["it"]].id, purpose_last_set=created,
                            is_general=channel.general)
        db.add(conv)
        ws.convs[name] = conv
        for key in channel.members or everyone:
            db.add(Membership(conversation_id=conv.id, user_id=ws.users[key].id, joined=created))
    owner = facts.mailbox_owner
    for role in ("controller", "ap", "seller", "it", "ops"):
        _dm(ws, [owner, roles[role]], created)
    _dm(ws, [owner, roles["controller"], roles["ap"]], created)
    db.flush()

    _filler(ws)
    _narrative(ws)
    _later_narrative(ws)
    _read_markers(ws)


def _dm(ws: _Workspace, keys: list[str], created: int) -> None:
    ids = sorted(ws.users[k].id for k in keys)
    kind = "im" if len(ids) == 2 else "mpim"
    name = f"mpdm-{'--'.join(sorted(keys))}-1" if kind == "mpim" else f"dm-{'--'.join(ids)}"
    conv = Conversation(id=slack_id(kind, "--".join(ids)), kind=kind, name=name, creator=ws.users[keys[0]].id,
                        created=created)
    ws.db.add(conv)
    ws.convs["dm:" + "+".join(sorted(k for k in keys if k != ws.facts.mailbox_owner))] = conv
    for uid in ids:
        ws.db.add(Membership(conversation_id=conv.id, user_id=uid, joined=created))


def _maybe_thread(ws: _Workspace, conv: str, parent: Message, members: list[str], when: datetime) -> None:
    """Some filler messages get a short thread of replies and a reaction or two."""
    rnd = ws.rnd
    if rnd.random() < 0.18:
        for i in range(rnd.randint(1, 3)):
            who = rnd.choice([m for m in members if ws.users[m].id != parent.user_id] or members)
            ws.post(conv, who, ws.t(rnd.choice(_REPLIES)), when + timedelta(minutes=4 + 7 * i), thread=parent)
    if rnd.random() < 0.3:
        name = rnd.choice(_REACTIONS)
        people = rnd.sample(members, min(len(members), rnd.randint(1, 3)))
        for seq, person in enumerate(people):
            if ws.users[person].id != parent.user_id:
                ws.db.add(Reaction(message_pk=parent.pk, name=name, user_id=ws.users[person].id, seq=1))


def _members(ws: _Workspace, conv: str) -> list[str]:
    ids = set(ws.db.exec(select(Membership.user_id).where(Membership.conversation_id == ws.convs[conv].id)))
    return [k for k, u in ws.users.items() if u.id in ids]


def _filler(ws: _Workspace) -> None:
    facts, rnd = ws.facts, ws.rnd
    now = facts.now
    vendors = {v.key: v for v in facts.vendors}
    customers = {c.key: c for c in facts.customers}
    roles, backdrop = facts.roles, facts.backdrop
    sellers = [roles["seller"], roles["seller2"], roles["sales_lead"]]
    sales_members = _members(ws, "sales")
    for invoice in facts.invoices:
        when = ws.at(invoice.date, rnd.randint(9, 16), rnd.randint(0, 59))
        if when >= now:
            continue
        customer = customers[invoice.customer_key]
        text = (f"Invoiced *{customer.name}*: {invoice.number} for {money(invoice.total_cents)}, "
                f"due {invoice.due_date:%b %-d}.")
        msg = ws.post("sales", rnd.choice(sellers), ws.t(text), when)
        _maybe_thread(ws, "sales", msg, sales_members, when)
    finance_members = _members(ws, "finance")
    for payment in facts.customer_payments:
        when = ws.at(payment.date, rnd.randint(10, 16), rnd.randint(0, 59))
        if when >= now:
            continue
        applied = ", ".join(f"{n} ({money(c)})" for n, c in payment.applications)
        text = (f"Payment received: {customers[payment.customer_key].name} paid {money(payment.amount_cents)} "
                f"by {payment.method} ({payment.reference}), applied to {applied}.")
        msg = ws.post("finance", roles["owner"], ws.t(text), when)
        _maybe_thread(ws, "finance", msg, finance_members, when)
    for expense in facts.expenses:
        when = ws.at(expense.date, rnd.randint(9, 17), rnd.randint(0, 59))
        if when >= now:
            continue
        memo = f" ({expense.memo})" if expense.memo else ""
        text = (f"Coded {expense.paid_from} charge: {expense.payee}, {money(expense.amount_cents)} to "
                f"{expense.account}{memo}.")
        msg = ws.post("finance", roles["owner"], ws.t(text), when)
        _maybe_thread(ws, "finance", msg, finance_members, when)
    bills = {b.key: b for b in facts.bills}
    runs: dict[date, list] = {}
    for bp in facts.bill_payments:
        runs.setdefault(bp.date, []).append(bp)
    ap_members = _members(ws, "ap-approvals")
    busiest = max(runs, key=lambda d: (len(runs[d]), d))
    for day, payments in sorted(runs.items()):
        when = ws.at(day, 15, rnd.randint(0, 40))
        if when >= now:
            continue
        lines = []
        for bp in payments:
            numbers = ", ".join(bills[k].vendor_invoice_number for k, _ in bp.applications)
            ref = f"check {bp.reference}" if bp.method == "Check" else bp.reference
            lines.append(f"• {vendors[bp.vendor_key].name}: {numbers}, {money(bp.amount_cents)} by {ref}")
        total = sum(bp.amount_cents for bp in payments)
        text = f"Payment run for {day:%b %-d} sent ({money(total)} total):\n" + "\n".join(lines)
        files = []
        if day == busiest:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["Vendor", "Invoice", "Method", "Reference", "Amount"])
            for bp in payments:
                for key, cents in bp.applications:
                    writer.writerow([vendors[bp.vendor_key].name, bills[key].vendor_invoice_number, bp.method,
                                     bp.reference, f"{cents / 100:.2f}"])
            files = [(f"payment-run-{day.isoformat()}.csv", out.getvalue().encode(), f"Payment run {day:%b %-d}")]
        msg = ws.post("ap-approvals", roles["ap"], ws.t(text), when, files=files)
        _maybe_thread(ws, "ap-approvals", msg, ap_members, when)
    ops_members = _members(ws, "operations")
    for bill in facts.bills:
        if not any(line.sku for line in bill.lines) or not bill.in_books:
            continue
        when = ws.at(bill.date, rnd.randint(7, 11), rnd.randint(0, 59))
        if when >= now:
            continue
        items = "; ".join(f"{line.quantity} × {line.description}" for line in bill.lines if line.sku)
        text = f"{vendors[bill.vendor_key].name} delivery checked in at {backdrop.receiving_place}: {items}."
        msg = ws.post("operations", rnd.choice(list(backdrop.receivers)), ws.t(text), when)
        _maybe_thread(ws, "operations", msg, ops_members, when)
    for run in facts.payroll_runs:
        when = ws.at(run.date, 11, rnd.randint(0, 30))
        text = (f"Payroll for {run.date:%b %-d} submitted: gross {money(run.gross_cents)}, employer taxes "
                f"{money(run.employer_taxes_cents)}, net pay {money(run.net_cents)}.")
        ws.post("payroll-hr", roles["hr"], ws.t(text), when, reactions={"white_check_mark": [roles["controller"]]})
    for statement in facts.statements:
        if not statement.reconciled:
            continue
        close_day = statement.period_end + timedelta(days=6)
        while close_day.weekday() >= 5:
            close_day += timedelta(days=1)
        text = (f"{statement.period_start:%B} bank rec is done: {statement.account} ends at "
                f"{money(statement.ending_balance_cents)} (began at {money(statement.beginning_balance_cents)}), "
                "difference $0.00. :white_check_mark:")
        msg = ws.post("finance", roles["owner"], ws.t(text), ws.at(close_day, 16, 5),
                      reactions={"tada": [roles["controller"], roles["ap"]]})
        ws.post("finance", roles["controller"], ws.t("Nice work, thank you!"), ws.at(close_day, 16, 12), thread=msg)
    days = business_days(date(2026, 1, 5), now.astimezone(ws.tz).date() - timedelta(days=1))
    general_members = _members(ws, "general")
    general_order = list(backdrop.announcements)
    rnd.shuffle(general_order)  # each announcement once, in a seeded order
    for i, day in enumerate(days[::2][:len(general_order)]):
        who, text = general_order[i]
        when = ws.at(day, 8, rnd.randint(30, 59))
        msg = ws.post("general", who, ws.t(text), when)
        _maybe_thread(ws, "general", msg, general_members, when)
    random_order = list(backdrop.chatter)
    rnd.shuffle(random_order)
    for day in days:
        if rnd.random() < 0.85:
            when = ws.at(day, rnd.randint(11, 16), rnd.randint(0, 59))
            text = random_order.pop() if random_order else rnd.choice(backdrop.chatter)
            msg = ws.post("random", rnd.choice(general_members), ws.t(text), when)
            _maybe_thread(ws, "random", msg, general_members, when)
    pool = {f"dm:{other}": lines for other, lines in backdrop.direct_messages}
    for i, day in enumerate(days[1::4]):
        conv = list(pool)[i % len(pool)]
        lines = pool[conv]
        first = (i // len(pool)) % (len(lines) // 2) * 2
        base = ws.at(day, 13, rnd.randint(0, 40))
        for j, (who, text) in enumerate(lines[first:first + 2]):
            ws.post(conv, who, ws.t(text), base + timedelta(minutes=3 * j))


def _png(width: int = 160, height: int = 96) -> bytes:
    """A small real PNG (a dock-B layout sketch: two colour bands), for the image preview."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes((46, 182, 125) if (x // 20 + y // 16) % 2 else (18, 100, 163))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _narrative(ws: _Workspace) -> None:
    facts = ws.facts
    roles = facts.roles
    vendor = {v.key: v for v in facts.vendors}
    local = lambda e: e.at.astimezone(ws.tz)  # noqa: E731
    owner, controller, ap = facts.mailbox_owner, roles["controller"], roles["ap"]

    # a seller: a partial payment
    for e in (e for e in facts.events if e.kind == "partial_payment_note"):
        inv = facts.invoice(e.refs[0])
        pay = next(p for p in facts.customer_payments if any(n == inv.number for n, _ in p.applications))
        customer = facts.customer(inv.customer_key)
        ws.post("finance", e.actor, ws.t(
            "FYI ") + ws.u(owner) + ws.t(
            f" {customer.name} paid {money(facts.invoice_paid_cents(inv.number))} of {inv.number} "
            f"({money(inv.total_cents)}) by {pay.method} on {pay.date:%b %-d}, about half. {customer.contact_name} "
            f"says they will pay the remaining {money(inv.total_cents - facts.invoice_paid_cents(inv.number))} in "
            f"{facts.now + timedelta(days=5):%B}."),
            local(e), reactions={"eyes": [owner]})

    # the controller: collections (a DM to the accountant)
    reminders = [e for e in facts.events if e.kind == "collections_reminder"]
    numbers = [e.refs[0] for e in reminders]
    e = reminders[0]
    lines = []
    for number in numbers:
        inv = facts.invoice(number)
        due = inv.total_cents - facts.invoice_paid_cents(number)
        lines.append(f"• {number}: {facts.customer(inv.customer_key).name}, {money(due)} open, due {inv.due_date:%b %-d}")
    msg = ws.post(f"dm:{e.actor}", e.actor, ws.t(
        "Can you chase these today? They are past due or about to be:\n" + "\n".join(lines)), local(e))
    ws.post(f"dm:{e.actor}", owner, ws.t(f"Will do, I'll email {_all_of(len(numbers))} this morning."),
            local(e) + timedelta(minutes=6))

    # the bills only in mail, each with its thread in #ap-approvals, in time order
    threads = []
    for b in facts.bills:
        if b.in_books or not b.mailed:
            continue
        approval = next((x for x in facts.events if x.kind == "bill_approval" and b.key in x.refs), None)
        threads.append((local(approval) if approval else ws.at(b.date + timedelta(days=1), 10, 30), b, approval))
    for when, b, approval in sorted(threads, key=lambda t: t[0]):
        _bill_thread(ws, b, approval, when)

    # The spoofed bank-change request, flagged and pinned
    e = next(x for x in facts.events if x.kind == "bank_change_request")
    v = vendor[e.actor]
    target = next(x for x in facts.bills if x.vendor_key == v.key and not x.in_books).vendor_invoice_number
    short = v.name.split()[0]
    real_domain = v.email.split("@", 1)[1]
    summary = (f"From: {v.name} Billing <accounts@{e.data['spoof_domain']}>\n"
               f"Received: {local(e):%b %-d, %Y %-I:%M %p}\n"
               f"Asks: send all future payments to a new account at {e.data['new_bank']} "
               f"(account ending {e.data['new_account_last4']}) before paying {target}.\n"
               f"Real vendor domain: {real_domain}; bank on file: {v.bank_name} (account ending "
               f"{v.bank_account_last4}).\nStatus: suspected phishing; do not act on it.\n")
    flag = ws.post("finance", e.data["flagged_by"], ws.t(
        f":rotating_light: Heads up: a mail claiming to be from {v.name} came from {e.data['spoof_domain']} "
        f"(their real domain is {real_domain}). It asks us to send all future payments to a new account at "
        f"{e.data['new_bank']} (account ending {e.data['new_account_last4']}) before paying {target}. "
        f"This looks like phishing: do *not* change their bank details. Verify by phone with {v.contact_name} "
        f"at {v.phone}."), local(e) + timedelta(minutes=42),
        reactions={"rotating_light": [controller], "+1": [owner, ap]}, pin_by=controller,
        files=[(f"{short.lower()}-bank-change-request.txt", summary.encode(), "Suspicious bank-change request (summary)")])
    ws.post("finance", controller, ws.t(
        f"Agreed. Nobody updates vendor bank details from an email. {target} gets paid to the account on file "
        f"({v.bank_name}, ending {v.bank_account_last4}) only."), local(e) + timedelta(minutes=55), thread=flag)

    # The close kickoff
    e = next(x for x in facts.events if x.kind == "close_kickoff")
    month = f"{facts.now:%B}"
    approved = [b for b in facts.bills if not b.in_books and b.approved_by]
    items = []
    for b in approved:
        note = ""
        if b.resent_duplicate:
            note = ", enter it once: the re-send is a duplicate"
        if b.mailed_total_cents is not None:
            note = f", not the {money(b.mailed_total_cents)} on the PDF"
        items.append(f"   • {b.vendor_invoice_number}: {vendor[b.vendor_key].name}, {money(b.total_cents)}{note}")
    overdue = ", ".join(numbers)
    text = (ws.t(f":calendar: {month} close kickoff. Here's what's left, ") + ws.u(owner) + ws.t(
        ":\n1. Enter the approved bills that are only in mail so far:\n" + "\n".join(items) +
        f"\n2. Review the {month} bank feed and reconcile Operating Checking.\n"
        f"3. Follow up on {overdue}.\n4. Do not change {short}'s bank details (see ") + ws.ch("finance") +
        ws.t(" pins).\nChecklist attached."))
    checklist = f"# {facts.now:%B %Y} close checklist\n\n" + "\n".join(
        f"- [ ] Enter {b.vendor_invoice_number} ({vendor[b.vendor_key].name}) at {money(b.total_cents)}"
        for b in approved) + "\n- [ ] Review the bank feed and reconcile Operating Checking\n" + "".join(
        f"- [ ] Follow up on {n}\n" for n in numbers)
    kickoff = ws.post("finance", e.actor, text, local(e), pin_by=e.actor,
                      reactions={"white_check_mark": [owner], "muscle": [ap]},
                      files=[(f"{month.lower()}-close-checklist.md", checklist.encode(), f"{month} close checklist")])
    ws.post("finance", owner, ws.t("On it. I'll start with the bills this morning."), local(e) + timedelta(minutes=7),
            thread=kickoff)
    today = facts.now.astimezone(ws.tz).date()
    cc = next(b for b in facts.bills if b.mailed_total_cents is not None)
    ws.post("finance", controller, ws.u(owner) + ws.t(
        f" how is the bill entry going? Remember {cc.vendor_invoice_number} goes in at {money(cc.total_cents)}."),
        ws.at(today, 14, 50))
    seller = roles["seller"]
    ws.post(f"dm:{seller}", seller, ws.t(
        f"Hi {facts.owner.first_name}, {facts.customer(facts.backdrop.statement_request).name} asked for a statement "
        "of their account. Could you send one this week?"), ws.at(today, 15, 12))
    ws.post("general", roles["hr"], ws.t("Quarter-end lunch tomorrow at noon, on the company :pizza:"),
            ws.at(today, 13, 30))


def _all_of(n: int) -> str:
    """How the accountant says "every one of them" for n items."""
    return {1: "them", 2: "both"}.get(n, "all three" if n == 3 else f"all {n}")


def _bill_thread(ws: _Workspace, b, approval, when: datetime) -> None:
    """A bill only in mail, in #ap-approvals: a plain approval, a duplicate re-send, a corrected amount,
    a hold (a near-duplicate vendor nobody ordered from) or an operations repair the operations lead approves."""
    facts = ws.facts
    roles = facts.roles
    owner, controller, ap = facts.mailbox_owner, roles["controller"], roles["ap"]
    v = facts.vendor(b.vendor_key)
    local = lambda e: e.at.astimezone(ws.tz)  # noqa: E731
    if approval is None:  # the near-duplicate vendor, not approved
        similar = next(x.name for x in facts.vendors
                       if x.key != v.key and x.name.split()[0] == v.name.split()[0])
        purchasing = roles["purchasing"]
        sps = ws.post("ap-approvals", ap, ws.t(
            f"Also got {b.vendor_invoice_number} from *{v.name}* ({money(b.total_cents)}, "
            f"{b.lines[0].description.lower()}). That's a different company from {similar.rstrip('.')}. ") + ws.u(purchasing)
            + ws.t(" did we order these?"), when)
        ws.post("ap-approvals", purchasing, ws.t("I don't see a PO for that. Please hold it until I check."),
                when + timedelta(minutes=32), thread=sps)
        ws.post("ap-approvals", controller, ws.t(f"Holding {b.vendor_invoice_number}: not approved."),
                when + timedelta(minutes=45), thread=sps)
        return
    e = approval
    if b.resent_duplicate:  # approval, then the vendor's re-send flagged as a duplicate (also sent to the channel)
        items = "; ".join(f"{line.quantity} × {line.description}" for line in b.lines)
        request = ws.post("ap-approvals", ap, ws.t(
            f"Approval needed: *{v.name}* invoice *{b.vendor_invoice_number}*, {money(b.total_cents)} ({items}), "
            f"due {b.due_date:%b %-d}. ") + ws.u(e.actor), when - timedelta(minutes=9))
        ws.post("ap-approvals", e.actor, ws.t(f"Approved, {b.vendor_invoice_number} for {money(b.total_cents)}."),
                when, thread=request)
        ws.db.add(Reaction(message_pk=request.pk, name="white_check_mark", user_id=ws.users[e.actor].id, seq=1))
        dup = next(x for x in facts.events if x.kind == "duplicate_invoice" and b.key in x.refs)
        ws.post("ap-approvals", ap, ws.t(
            f"Heads up: {v.name} re-sent {b.vendor_invoice_number} this morning as a \"reminder\" (same number, same "
            f"{money(b.total_cents)}). It's a duplicate of the approved invoice: enter it once."),
            local(dup) + timedelta(minutes=28), thread=request, broadcast=True, reactions={"+1": [owner, controller]})
    elif b.mailed_total_cents is not None:  # approval, then the correction and the controller's confirmation
        corr = next(x for x in facts.events if x.kind == "amount_correction" and b.key in x.refs)
        request = ws.post("ap-approvals", ap, ws.t(
            f"Approval needed: *{v.name}* invoice *{b.vendor_invoice_number}*, PDF total "
            f"{money(corr.data['mailed_cents'])} ({b.lines[0].quantity} × {b.lines[0].description}), due "
            f"{b.due_date:%b %-d}. ") + ws.u(e.actor), when - timedelta(minutes=8))
        ws.post("ap-approvals", e.actor, ws.t(f"Approved {b.vendor_invoice_number}."), when, thread=request)
        credit = -sum(line.amount_cents for line in b.lines if line.amount_cents < 0)
        ws.post("ap-approvals", corr.actor, ws.t(
            f"Careful: the PDF says {money(corr.data['mailed_cents'])}, but it leaves out our agreed volume credit of "
            f"{money(credit)}. The correct amount is {money(corr.data['correct_cents'])}."),
            local(corr), thread=request, reactions={"eyes": [controller]})
        ws.post("ap-approvals", controller, ws.t(
            f"Good catch. Enter {b.vendor_invoice_number} at {money(corr.data['correct_cents'])}, not "
            f"{money(corr.data['mailed_cents'])}. ") + ws.u(owner) + ws.t(" FYI."),
            local(corr) + timedelta(minutes=3), thread=request, reactions={"white_check_mark": [owner]})
    elif e.actor != controller:  # an operations repair: the incident the day before, the lead's approval
        incident = facts.backdrop.incident
        ws.post("operations", incident.poster, ws.t(incident.text), ws.at(when.date() - timedelta(days=1), 7, 40),
                files=[(incident.file_name, _png(), incident.file_title)])
        request = ws.post("ap-approvals", ap, ws.t(
            f"{v.name} invoice {b.vendor_invoice_number}: {money(b.total_cents)} for the "
            f"{b.lines[0].description.lower()}. ") + ws.u(e.actor) + ws.t(" this is an ops expense, can you approve?"),
            when - timedelta(minutes=15))
        ws.post("ap-approvals", e.actor, ws.t(
            f"Approved :white_check_mark: {incident.resolution} "
            f"{b.vendor_invoice_number} is good to enter at {money(b.total_cents)}."),
            when, thread=request, reactions={"pray": [ap]})
    else:  # a plain approval in the request's thread
        request = ws.post("ap-approvals", ap, ws.t(
            f"Approval needed: *{v.name}* invoice *{b.vendor_invoice_number}*, {money(b.total_cents)} "
            f"({b.lines[0].description}), due {b.due_date:%b %-d}. The PDF is in the AP inbox. ") + ws.u(e.actor),
            when - timedelta(minutes=10), reactions={"white_check_mark": [e.actor], "eyes": [owner]})
        ws.post("ap-approvals", e.actor, ws.t(
            f"Approved :white_check_mark: Go ahead and enter {b.vendor_invoice_number} for {money(b.total_cents)}."),
            when, thread=request)
        ws.post("ap-approvals", owner, ws.t(f"Thanks! I'll get it into Books with the other {facts.now:%B} bills."),
                when + timedelta(minutes=8), thread=request)


def _later_narrative(ws: _Workspace) -> None:
    """The expense policy and review request, vendor setup requests with their approval or hold."""
    facts = ws.facts
    ev = {e.key: e for e in facts.events}
    local = lambda e: e.at.astimezone(ws.tz)  # noqa: E731
    owner, controller = facts.mailbox_owner, facts.roles["controller"]
    limit = money(facts.expense_meal_limit_cents)

    e = ev["ev-expense-policy"]
    ws.post("finance", e.actor, ws.t(
        f":memo: Expense policy reminder for 2026: meals are reimbursable up to {limit} per person (say who "
        "attended), every charge needs an itemized receipt, and no alcohol-only charges. Anything over the "
        "limit gets flagged in the monthly review and goes back to the employee."), local(e), pin_by=e.actor,
        reactions={"+1": [owner, facts.roles["ap"]]})
    e = ev["ev-expense-review"]
    names = sorted({facts.person(x.submitted_by).first_name for x in facts.expense_reports})
    review = ws.post("finance", e.actor, ws.u(owner) + ws.t(
        f" can you review the March expense reports ({', '.join(names)} mailed theirs)? They are listed on the "
        "Expense Review March 2026 workbook. Check them against the card charges in Books and the policy "
        f"({limit} per person for meals), put \"Out of policy\" in the Flag column for anything that breaks it, "
        "and reply here in the thread with what you flagged."), local(e))
    ws.post("finance", owner, ws.t("Will do."), local(e) + timedelta(minutes=9), thread=review)

    for onboarding in facts.onboardings:
        vendor = onboarding.vendor
        asker = onboarding.requested_by
        text = (f"New vendor setup request: *{vendor.name}* ({vendor.category.lower()}, {vendor.contact_name}, "
                f"Net {vendor.terms_days}). Their details are in {facts.owner.first_name}'s mail. ")
        similar = [v.name for v in facts.vendors if v.name.split()[0] == vendor.name.split()[0]]
        if similar:
            text += f"Not to be confused with {', '.join(similar)}: a different company. "
        if onboarding.first_invoice:
            bill = onboarding.first_invoice
            text += f"Their first invoice {bill.vendor_invoice_number} ({money(bill.total_cents)}) is in the mail too. "
        request = ws.post("ap-approvals", asker, ws.t(text) + ws.u(controller) + ws.t(" OK to set them up?"),
                          onboarding.requested_at.astimezone(ws.tz))
        if onboarding.approved_by:
            reply = (f"Approved :white_check_mark: Set up {vendor.name} in Books (Net {vendor.terms_days}, "
                     f"default account {vendor.expense_account})")
            if onboarding.first_invoice:
                bill = onboarding.first_invoice
                reply += f", then enter {bill.vendor_invoice_number} for {money(bill.total_cents)}"
            ws.post("ap-approvals", onboarding.approved_by, ws.t(reply + "."),
                    onboarding.approved_at.astimezone(ws.tz), thread=request,
                    reactions={"white_check_mark": [owner]})
            ws.db.add(Reaction(message_pk=request.pk, name="white_check_mark",
                               user_id=ws.users[onboarding.approved_by].id, seq=1))
        else:
            ws.post("ap-approvals", controller, ws.t(
                f"Hold off on {vendor.name}: {onboarding.hold_reason}. Do not set them up in Books yet."),
                onboarding.requested_at.astimezone(ws.tz) + timedelta(minutes=47), thread=request,
                reactions={"+1": [asker]})


def _read_markers(ws: _Workspace) -> None:
    """Where the owner stopped reading: everything before these times is read, the rest is unread."""
    owner = ws.users[ws.facts.mailbox_owner]
    cutoffs = {"general": ws.at(date(2026, 3, 31), 12, 0), "random": ws.at(date(2026, 3, 26), 17, 0),
               "finance": ws.at(date(2026, 3, 31), 14, 0), f"dm:{ws.facts.roles['seller']}": ws.at(date(2026, 3, 31), 15, 0)}
    for mine in ws.db.exec(select(Membership).where(Membership.user_id == owner.id)):
        conv_name = next(k for k, c in ws.convs.items() if c.id == mine.conversation_id)
        cutoff = cutoffs.get(conv_name, ws.facts.now)
        latest = ws.db.exec(select(Message.ts).where(Message.conversation_id == mine.conversation_id,
                                                     Message.in_channel == True,  # noqa: E712
                                                     Message.ts < f"{int(cutoff.timestamp()):010d}.999999")
                            .order_by(Message.ts.desc())).first()
        mine.last_read = latest or mine.last_read
        ws.db.add(mine)
    for mine in ws.db.exec(select(Membership).where(Membership.user_id != owner.id)):
        latest = ws.db.exec(select(Message.ts).where(Message.conversation_id == mine.conversation_id)
                            .order_by(Message.ts.desc())).first()
        mine.last_read = latest or mine.last_read
        ws.db.add(mine)
