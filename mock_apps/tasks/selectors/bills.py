"""Vendor invoices in the mailbox that are not in Books yet: plain ones, a corrected one, a re-sent one, the
close kickoff's list of the approved ones."""

from __future__ import annotations

from datetime import timedelta

from mock_apps.scenarios.facts import Bill, Event, Facts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.money import dollars, number
from mock_apps.tasks.selectors.names import count_word, listing, nickname, possessive, pronouns, short_name


def _unentered(facts: Facts) -> list[Bill]:
    return [b for b in facts.bills if not b.in_books and b.mailed]


def _bill_params(facts: Facts, bill: Bill) -> dict:
    return {"vendor": facts.vendor(bill.vendor_key).name, "invoice": bill.vendor_invoice_number,
            "account": bill.lines[0].account, "total_cents": bill.total_cents, "date": bill.date.isoformat()}


def _short(facts: Facts, bill: Bill) -> dict:
    """The vendor's short name (without generic words) and its possessive, for titles."""
    short = short_name(facts.vendor(bill.vendor_key).name)
    return {"short": short, "short_s": possessive(short)}


def mailed(facts: Facts) -> list[Instance]:
    """Each mailed invoice not in Books whose PDF is right and arrived once: enter it as it reads."""
    bills = require([b for b in _unentered(facts) if not b.resent_duplicate and b.mailed_total_cents is None],
                    "bills (a mailed vendor invoice not in Books, with no correction and no re-send)")
    return [Instance(slug(b.vendor_invoice_number), _bill_params(facts, b)) for b in bills]


def corrected(facts: Facts) -> list[Instance]:
    """Each mailed invoice whose amount a chat message corrected: enter the corrected amount."""
    bills = require([b for b in _unentered(facts) if b.mailed_total_cents not in (None, b.total_cents)],
                    "bills with mailed_total_cents (an invoice whose amount was corrected in chat)")
    return [Instance(slug(b.vendor_invoice_number), {
        **_bill_params(facts, b), **_short(facts, b), "mailed": dollars(b.mailed_total_cents), "amount": dollars(b.total_cents)}) for b in bills]


def _not_alike(facts: Facts, bill: Bill) -> str:
    """" (not Summit Packaging Supply)": the vendors a re-sent invoice could be mistaken for, or ""."""
    vendor = facts.vendor(bill.vendor_key)
    alike = [v.name for v in facts.vendors if v.key != vendor.key and v.name.startswith(short_name(vendor.name))]
    return f" (not {' or '.join(alike)})" if alike else ""


def resent(facts: Facts) -> list[Instance]:
    """Each invoice the vendor mailed twice: enter it once, for the right one of similarly named vendors."""
    bills = require([b for b in _unentered(facts) if b.resent_duplicate],
                    "bills with resent_duplicate (an invoice the vendor mailed twice)")
    return [Instance(slug(b.vendor_invoice_number), {
        **_bill_params(facts, b), **_short(facts, b), "not_alike": _not_alike(facts, b)}) for b in bills]


# How long before the approval Chat's seeder posts a bill's approval request (mock_apps/chat/seed.py,
# _bill_thread): the request is the thread the approval, and the task's reply, go in.
_REQUEST_BEFORE = {"resent": 9, "corrected": 8, "operations": 15, "plain": 10}


def _kind(bill: Bill, approval: Event, controller: str) -> str:
    if bill.resent_duplicate:
        return "resent"
    if bill.mailed_total_cents is not None:
        return "corrected"
    return "plain" if approval.actor == controller else "operations"


def approved(facts: Facts) -> list[Instance]:
    """Each approved invoice not in Books (of a vendor nobody asked to change bank details): enter, pay, track."""
    controller = facts.roles.get("controller") or facts.owner.manager_key
    phished = {ref for e in facts.events if e.kind == "bank_change_request" for ref in e.refs}
    approvals = {ref: e for e in facts.events if e.kind == "bill_approval" for ref in e.refs}
    bills = require([b for b in _unentered(facts) if b.key in approvals and b.vendor_key not in phished],
                    "bill_approval events for bills not in Books (an approved invoice to enter and pay)")
    instances = []
    for bill in bills:
        approval = approvals[bill.key]
        kind = _kind(bill, approval, controller)
        vendor = facts.vendor(bill.vendor_key)
        amount, date = dollars(bill.total_cents), bill.date.isoformat()
        twist = {"resent": f" {vendor.name.split()[0]} sent it twice; it is owed once.",
                 "corrected": " Read the whole approval thread before you enter it.",
                 "operations": f" {facts.person(approval.actor).name} approved it, as it is an operations expense.",
                 "plain": ""}[kind]
        hint = {"resent": f"{bill.vendor_invoice_number} is owed once, to {vendor.name}{_not_alike(facts, bill)}, "
                          f"{amount} dated {date}, paid in full",
                "corrected": f"the PDF says {dollars(bill.mailed_total_cents or 0)} but the approval thread corrects "
                             f"it to {amount}; dated {date}, paid in full"}.get(
            kind, f"{bill.vendor_invoice_number} is {amount} for {vendor.name} dated {date}, paid in full")
        requested = approval.at - timedelta(minutes=_REQUEST_BEFORE[kind])
        instances.append(Instance(slug(bill.vendor_invoice_number), {
            "vendor": vendor.name, "vendor_s": possessive(vendor.name), "invoice": bill.vendor_invoice_number,
            "account": bill.lines[0].account, "total_cents": bill.total_cents, "amount": number(bill.total_cents), "date": date,
            "thread_ts": f"{int(requested.timestamp())}.000001", "twist": twist, "hint": hint}))
    return instances


def oldest_mailed(facts: Facts) -> list[Instance]:
    """The oldest plain invoice waiting in the mailbox: enter it, track it on the A/P workbook, tell #finance."""
    bills = require([b for b in _unentered(facts) if not b.resent_duplicate and b.mailed_total_cents is None],
                    "bills (a mailed vendor invoice not in Books, with no correction and no re-send)")
    bill = min(bills, key=lambda b: (b.date, b.key))
    return [Instance(slug(bill.vendor_invoice_number), {
        **_bill_params(facts, bill), "short": facts.vendor(bill.vendor_key).name.split()[0],
        "short_s": possessive(facts.vendor(bill.vendor_key).name.split()[0]),
        "vendor_s": possessive(facts.vendor(bill.vendor_key).name),
        "amount_num": number(bill.total_cents), "amount": dollars(bill.total_cents)})]


def kickoff(facts: Facts) -> list[Instance]:
    """The close kickoff's item 1: every approved invoice only in mail entered (once, at the approved amount),
    nothing else, reported in the kickoff's thread."""
    event = next((e for e in facts.events if e.kind == "close_kickoff"), None)
    if event is None:
        raise MissingFact("a close_kickoff event (the controller's list of approved bills in #finance)")
    listed = [b for b in facts.bills if not b.in_books and b.approved_by]  # as Chat's seeder lists them
    if not listed or not all(b.mailed for b in listed):
        raise MissingFact("approved bills not in Books, each mailed (the close kickoff's item 1)")
    names = [v.name for v in facts.vendors]
    bills = []
    for bill in listed:
        vendor = facts.vendor(bill.vendor_key)
        corrected = bill.mailed_total_cents not in (None, bill.total_cents)
        hint = None  # a plain bill's checkpoint needs none
        if bill.resent_duplicate:
            hint = (f"{bill.vendor_invoice_number} was mailed twice but is owed once, to {vendor.name}"
                    f"{_not_alike(facts, bill)}")
        elif corrected:
            hint = (f"the PDF says {dollars(bill.mailed_total_cents)}; the kickoff (and the approval thread) say "
                    f"{dollars(bill.total_cents)}")
        bills.append({**_bill_params(facts, bill), "nickname": nickname(vendor.name, names), "hint": hint,
                      "domain": vendor.email.split("@", 1)[1], "resent": bill.resent_duplicate, "corrected": corrected})
    # "Freight In (Brightline), Inventory Asset (Summit Packaging, Clearwater) or Repairs & Maintenance (...)"
    accounts = list(dict.fromkeys(b["account"] for b in bills))
    coding = listing([f"{a} ({', '.join(b['nickname'] for b in bills if b['account'] == a)})" for a in accounts], "or")
    # what must stay out: the mailed invoices nobody approved (the look-alike vendor's) and the re-sends
    out = [f"{b.vendor_invoice_number} (not approved)" for b in _unentered(facts) if not b.approved_by]
    out += [f"any second {b['invoice']}" for b in bills if b["resent"]]
    return [Instance(slug(f"kickoff-{event.at.date().isoformat()}"), {
        "bills": bills, "bill_count": len(bills), "bill_word": count_word(len(bills)), "coding": coding,
        "month": f"{event.at:%B}", "boss_pronoun": pronouns(facts.hr and facts.hr.worker(event.actor))["their"],
        "boss": facts.person(event.actor).first_name,
        "stay_out": f"{listing(out)} stay out" if out else "nothing else goes in",
        "thread_ts": f"{int(event.at.timestamp())}.000001"})]  # the kickoff's ts: Chat's seeder posts it at the event
