"""Render a scenario's facts into months of the accountant's mail.

Vendor invoices arrive as PDF attachments whose numbers and amounts are the facts' (the mailed total
where the vendor's PDF was wrong), a re-sent duplicate arrives twice, the bank-change phish comes from
the spoof domain; around them: customer invoices sent and remittances received, bank statements with
CSV exports, payroll summaries (XLSX), receipts (PNG), internal threads, newsletters and spam.
Everything is derived from the facts and a seeded Random: identical on every build.
"""

from __future__ import annotations

import csv
import io
import re
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.utils import formataddr
from zoneinfo import ZoneInfo

from mock_apps.mail import mime, work_mail
from mock_apps.mail.invoice_document import InvoiceDocument, InvoiceLine, dollars
from mock_apps.mail.models import SYSTEM_LABELS, Contact, Draft, Label, Mailbox
from mock_apps.mail.service import LABEL_COLORS, store_message
from mock_apps.scenarios.facts import Bill, CustomerPayment, Facts, Vendor, VendorOnboarding

USER_LABELS = ("Finance", "Finance/Invoices", "Finance/Receipts", "Finance/Statements", "Customers",
               "Payroll", "Vendors", "Newsletters")


@dataclass
class _Mail:
    when: datetime
    sender: tuple[str, str]
    to: list[tuple[str, str]]
    subject: str
    body: str
    labels: set[str]
    key: str
    cc: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[mime.OutgoingAttachment] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)
    reply_to: str | None = None  # key of the mail this answers or forwards (same thread)
    html: str | None = None
    draft: bool = False


class _Builder:
    """Collects mails, then stores them in time order with threads resolved."""

    def __init__(self, facts: Facts, rnd: random.Random):
        self.facts = facts
        self.rnd = rnd
        self.tz = ZoneInfo(facts.company.timezone)
        self.me = (facts.owner.name, facts.owner.email)
        self.mails: list[_Mail] = []

    def at(self, day: date, hour: int, minute: int | None = None) -> datetime:
        minute = self.rnd.randint(0, 59) if minute is None else minute
        moment = datetime.combine(day, time(hour, minute), self.tz)
        return min(moment, self.facts.now - timedelta(minutes=7))

    def add(self, mail: _Mail) -> _Mail:
        if mail.when <= self.facts.now:
            self.mails.append(mail)
        return mail

    def unread_if_recent(self, when: datetime, days: int = 4) -> set[str]:
        return {"UNREAD"} if self.facts.now - when < timedelta(days=days) else set()


def seed(db, scenario) -> None:
    """Fill the mailbox of the scenario's accountant."""
    facts: Facts = scenario.facts
    rnd = random.Random(scenario.seed * 31 + 3)
    owner = facts.owner
    db.add(Mailbox(id=1, email=owner.email, name=owner.name,
                   signature=f"{owner.name}\n{owner.title}, {facts.company.name}\n{owner.phone}"))
    for i, label_id in enumerate(SYSTEM_LABELS):
        db.add(Label(id=label_id, name=label_id, type="system", position=i))
    for i, name in enumerate(USER_LABELS, start=1):
        db.add(Label(id=f"Label_{i}", name=name, type="user", color=LABEL_COLORS[i % len(LABEL_COLORS)], position=i))
    _contacts(db, facts)
    db.flush()
    label_ids = {name: f"Label_{i}" for i, name in enumerate(USER_LABELS, start=1)}

    b = _Builder(facts, rnd)
    _vendor_invoices(b, label_ids)
    _customer_invoices(b, label_ids)
    _remittances(b, label_ids)
    _bank_statements(b, label_ids)
    _payroll(b, label_ids)
    _receipts(b, label_ids)
    _narrative(b, label_ids)
    _internal_filler(b)
    _newsletters(b, label_ids)
    _spam(b)
    _draft(b)
    _later_narrative(b, label_ids)
    work_mail.render(b, label_ids, _Mail)  # the industry's own work, drawn last
    _store(db, b)


def _contacts(db, facts: Facts) -> None:
    seen = set()
    rows = [(p.name, p.email, facts.company.name) for p in facts.people if p.key != facts.mailbox_owner]
    rows += [(v.contact_name if v.contact_name.split()[0] not in {"Customer", "Billing", "Accounts"} else v.name,
              v.email, v.name) for v in facts.vendors]
    rows += [(c.contact_name, c.email, c.name) for c in facts.customers]
    for name, email, org in rows:
        if email not in seen:
            seen.add(email)
            db.add(Contact(email=email, name=name, organization=org))


def _store(db, b: _Builder) -> None:
    by_key: dict[str, tuple[str, str]] = {}  # mail key -> (thread id, Message-ID)
    domain = b.facts.company.domain
    for n, mail in enumerate(sorted(b.mails, key=lambda m: (m.when, m.key))):
        msgid = f"<{mail.key}.{n}@{mail.sender[1].split('@')[-1] or domain}>"
        thread_id = in_reply_to = None
        if mail.reply_to and mail.reply_to in by_key:
            thread_id, in_reply_to = by_key[mail.reply_to]
        raw = mime.build_message(
            sender=formataddr(mail.sender), to=[formataddr(t) for t in mail.to],
            cc=[formataddr(c) for c in mail.cc] or None, subject=mail.subject, text=mail.body,
            html_body=mail.html, date=mail.when, message_id=msgid, in_reply_to=in_reply_to,
            references=in_reply_to, attachments=mail.attachments,
        )
        labels = set(mail.labels)
        if mail.sender[1] == b.me[1] and not mail.draft:
            labels.add("SENT")
        msg = store_message(db, raw, label_ids=labels, internal_ms=int(mail.when.timestamp() * 1000),
                            thread_id=thread_id, documents=mail.documents)
        if mail.draft:
            db.add(Draft(id=f"r-{msg.id}", message_pk=msg.pk))
        by_key[mail.key] = (msg.thread_id, msgid)
    db.flush()


# ---- vendor invoices -------------------------------------------------------------------------

def _vendor_document(facts: Facts, bill: Bill, vendor: Vendor | None = None) -> InvoiceDocument:
    vendor = vendor or facts.vendor(bill.vendor_key)
    lines = [InvoiceLine(l.description, l.quantity, l.unit_cents, l.amount_cents) for l in bill.lines]
    total = bill.total_cents
    if bill.mailed_total_cents is not None and bill.mailed_total_cents != total:
        # the vendor's PDF left out the credit lines: it shows the (wrong) mailed total
        lines = [l for l in lines if l.amount_cents >= 0]
        total = bill.mailed_total_cents
    terms = "Due on receipt" if vendor.terms_days == 0 else f"Net {vendor.terms_days}"
    company = facts.company
    return InvoiceDocument(
        vendor_name=vendor.name, vendor_address=vendor.address, vendor_email=vendor.email, vendor_phone=vendor.phone,
        bill_to_name=company.legal_name,
        bill_to_address=f"Attn: Accounts Payable\n{company.address}\n{company.city}, {company.state} {company.postal_code}",
        number=bill.vendor_invoice_number, issue_date=bill.date, due_date=bill.due_date, terms=terms,
        lines=tuple(lines), total_cents=total, remit_bank=vendor.bank_name, remit_account_last4=vendor.bank_account_last4,
    )


def mailed_amount_cents(bill: Bill) -> int:
    """The amount a vendor's mail and PDF show for a bill."""
    return bill.mailed_total_cents if bill.mailed_total_cents is not None else bill.total_cents


def _vendor_invoices(b: _Builder, label_ids: dict[str, str]) -> None:
    facts, rnd = b.facts, b.rnd
    dana_first = facts.owner.first_name
    priya = facts.role("ap")
    for bill in facts.bills:
        if not bill.mailed:
            continue
        vendor = facts.vendor(bill.vendor_key)
        doc = _vendor_document(facts, bill)
        pdf = doc.to_pdf()
        filename = f"Invoice_{bill.vendor_invoice_number}.pdf"
        amount = dollars(mailed_amount_cents(bill))
        sender_name = vendor.contact_name if vendor.contact_name.split()[0] not in {"Customer", "Billing", "Accounts"} \
            else f"{vendor.name} {vendor.contact_name}"
        when = b.at(bill.date, rnd.randint(7, 16))
        greeting = rnd.choice([f"Hi {dana_first},", f"Hello {dana_first},", "Hello,", "Good morning,"])
        body = (f"{greeting}\n\nPlease find attached invoice {bill.vendor_invoice_number} from {vendor.name} "
                f"for {amount}, dated {bill.date:%B %-d, %Y} and due {bill.due_date:%B %-d, %Y}.\n\n"
                f"{rnd.choice(['Let us know if you have any questions.', 'Thank you for your business!', 'Payment details are on the invoice.'])}\n\n"
                f"{sender_name}\n{vendor.name}\n{vendor.phone}")
        archived = bill.in_books and bill.date < facts.now.date() - timedelta(days=10)
        # processed invoices are filed under Finance/Invoices and archived; new ones wait in the inbox
        labels = {label_ids["Finance/Invoices"], "CATEGORY_UPDATES"} if archived else {"INBOX", "CATEGORY_UPDATES"}
        labels |= b.unread_if_recent(when, days=8 if not bill.in_books else 3)
        subject = rnd.choice([f"Invoice {bill.vendor_invoice_number} from {vendor.name}",
                              f"{vendor.name} - Invoice {bill.vendor_invoice_number}",
                              f"New invoice {bill.vendor_invoice_number}"])
        att = mime.OutgoingAttachment(filename, "application/pdf", pdf)
        key = f"bill-mail-{bill.key}"
        b.add(_Mail(when, (sender_name, vendor.email), [b.me], subject, body, labels, key,
                    attachments=[att], documents={filename: doc.to_json()}))
        if bill.resent_duplicate:
            ev = next((e for e in facts.events if e.kind == "duplicate_invoice" and bill.key in e.refs), None)
            again = ev.at if ev else when + timedelta(days=4)
            b.add(_Mail(again, (sender_name, vendor.email), [b.me],
                        f"Reminder: Invoice {bill.vendor_invoice_number} from {vendor.name}",
                        f"{greeting}\n\nFollowing up on invoice {bill.vendor_invoice_number} for {amount}, due "
                        f"{bill.due_date:%B %-d, %Y}. I have attached it again in case it was missed.\n\n"
                        f"{sender_name}\n{vendor.name}",
                        {"INBOX", "CATEGORY_UPDATES"} | b.unread_if_recent(again, 8), f"{key}-resent",
                        attachments=[att], documents={filename: doc.to_json()}))
        # the accountant forwards some booked invoices to AP, who confirm; the conversation stays one thread.
        if priya and bill.in_books and rnd.random() < 0.22 and bill.date < facts.now.date() - timedelta(days=6):
            fwd_at = when + timedelta(hours=rnd.randint(1, 20))
            b.add(_Mail(fwd_at, b.me, [(priya.name, priya.email)], f"Fwd: {subject}",
                        f"{priya.first_name}, can you enter this one? Coded to {bill.lines[0].account}.\n\n"
                        f"---------- Forwarded message ---------\nFrom: {sender_name} <{vendor.email}>\n"
                        f"Subject: {subject}\n\n{body}", set(), f"{key}-fwd", attachments=[att], reply_to=key))
            b.add(_Mail(fwd_at + timedelta(hours=rnd.randint(1, 6)), (priya.name, priya.email), [b.me],
                        f"Re: Fwd: {subject}",
                        f"Entered {bill.vendor_invoice_number} for {amount}, due {bill.due_date:%-m/%-d}.\n\n"
                        f"{priya.first_name}",
                        set(), f"{key}-ack", reply_to=f"{key}-fwd"))


# ---- receivables -----------------------------------------------------------------------------

def _customer_invoices(b: _Builder, label_ids: dict[str, str]) -> None:
    facts, rnd = b.facts, b.rnd
    company = facts.company
    for inv in facts.invoices:
        customer = facts.customer(inv.customer_key)
        doc = InvoiceDocument(
            vendor_name=company.name, vendor_address=f"{company.address}, {company.city}, {company.state} {company.postal_code}",
            vendor_email=f"ar@{company.domain}", vendor_phone=company.phone, bill_to_name=customer.name,
            bill_to_address=f"Attn: {customer.contact_name}\n{customer.address}", number=inv.number,
            issue_date=inv.date, due_date=inv.due_date, terms=f"Net {customer.terms_days}",
            lines=tuple(InvoiceLine(l.description, l.quantity, l.unit_cents, l.amount_cents) for l in inv.lines),
            total_cents=inv.total_cents, remit_bank=company.bank_name, remit_account_last4=company.bank_account_last4,
            notes=inv.memo,
        )
        filename = f"{company.name.split()[0]}_{inv.number}.pdf"
        first = customer.contact_name.replace("Dr. ", "").replace("Pastor ", "").split()[0]
        b.add(_Mail(b.at(inv.date, rnd.randint(9, 17)), b.me, [(customer.contact_name, customer.email)],
                    f"Invoice {inv.number} from {company.name}",
                    f"Hi {first},\n\nAttached is invoice {inv.number} for {dollars(inv.total_cents)}, due "
                    f"{inv.due_date:%B %-d, %Y}.{' Reference: ' + inv.memo + '.' if inv.memo else ''}\n\n"
                    f"Thank you,\n{facts.owner.name}",
                    {label_ids["Customers"]}, f"inv-mail-{inv.number}",
                    attachments=[mime.OutgoingAttachment(filename, "application/pdf", doc.to_pdf())],
                    documents={filename: doc.to_json()}))


def _remittance_body(facts: Facts, pmt: CustomerPayment, note: str = "") -> str:
    """A customer's remittance advice: amount, method, reference, date and the invoices it pays."""
    customer = facts.customer(pmt.customer_key)
    lines = "\n".join(f"  {n}: {dollars(c)}" for n, c in pmt.applications)
    return (f"Hello,\n\nThis is to let you know that a payment of {dollars(pmt.amount_cents)} was sent by "
            f"{pmt.method} (reference {pmt.reference}) on {pmt.date:%B %-d, %Y}.{note}\n\nApplied to:\n{lines}\n\n"
            f"{customer.contact_name}\n{customer.name}")


def _remittances(b: _Builder, label_ids: dict[str, str]) -> None:
    facts, rnd = b.facts, b.rnd
    for pmt in facts.customer_payments:
        customer = facts.customer(pmt.customer_key)
        invoices = ", ".join(n for n, _ in pmt.applications)
        when = b.at(pmt.date, rnd.randint(8, 16))
        body = _remittance_body(facts, pmt)
        attachments = []
        if pmt.method == "ACH" and rnd.random() < 0.5:
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(["Payer", "Invoice", "Amount", "Method", "Reference", "Date"])
            for n, c in pmt.applications:
                writer.writerow([customer.name, n, f"{c / 100:.2f}", pmt.method, pmt.reference, pmt.date.isoformat()])
            attachments.append(mime.OutgoingAttachment(f"remittance_{pmt.reference}.csv", "text/csv",
                                                       buf.getvalue().encode()))
        b.add(_Mail(when, (customer.contact_name, customer.email), [b.me], f"Remittance advice - {invoices}", body,
                    {"INBOX", label_ids["Customers"]} | b.unread_if_recent(when), f"remit-{pmt.key}",
                    attachments=attachments))
    for ev in facts.events:
        if ev.kind == "collections_reminder":
            inv = facts.invoice(ev.refs[0])
            customer = facts.customer(inv.customer_key)
            boss = facts.person(ev.actor)
            b.add(_Mail(ev.at, (boss.name, boss.email), [b.me], f"Past due: {inv.number} ({customer.name})",
                        f"{facts.owner.first_name},\n\n{inv.number} for {dollars(inv.total_cents)} was due {inv.due_date:%B %-d}. "
                        f"Please follow up with {customer.contact_name} this week.\n\nThanks,\n{boss.first_name}",
                        {"INBOX"}, f"collect-{inv.number}"))
            b.add(_Mail(ev.at + timedelta(hours=3), b.me, [(customer.contact_name, customer.email)],
                        f"Past due invoice {inv.number}",
                        f"Hello,\n\nOur records show invoice {inv.number} for {dollars(inv.total_cents)} was due on "
                        f"{inv.due_date:%B %-d, %Y}. Could you let me know when we can expect payment?\n\n"
                        f"Thank you,\n{facts.owner.name}", {label_ids["Customers"]}, f"collect-out-{inv.number}"))


# ---- statements, payroll, receipts -----------------------------------------------------------

def _bank_statements(b: _Builder, label_ids: dict[str, str]) -> None:
    facts = b.facts
    company = facts.company
    bank = (company.bank_name, f"statements@{company.bank_name.lower().replace(' ', '')}.com")
    for st in facts.statements:
        if st.period_end >= facts.now.date():
            continue  # the current month's statement is not out yet
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["Date", "Description", "Amount"])
        for line in facts.bank_lines:
            if line.account == st.account and st.period_start <= line.date <= st.period_end:
                writer.writerow([line.date.isoformat(), line.description, f"{line.amount_cents / 100:.2f}"])
        when = b.at(st.period_end + timedelta(days=2), 6, 15)
        month = f"{st.period_start:%B %Y}"
        b.add(_Mail(when, bank, [b.me], f"Your {month} statement for account ending {company.bank_account_last4}",
                    f"Your statement for {st.account} (account ending {company.bank_account_last4}) for {month} is "
                    f"ready.\n\nBeginning balance: {dollars(st.beginning_balance_cents)}\nEnding balance: "
                    f"{dollars(st.ending_balance_cents)}\n\nA CSV export of the period's transactions is attached.\n\n"
                    f"{company.bank_name} Business Banking",
                    {label_ids["Finance/Statements"], "CATEGORY_UPDATES"} | b.unread_if_recent(when),
                    f"stmt-{st.period_start:%Y%m}",
                    attachments=[mime.OutgoingAttachment(f"statement_{st.period_start:%Y_%m}.csv", "text/csv",
                                                         buf.getvalue().encode())]))


def _payroll(b: _Builder, label_ids: dict[str, str]) -> None:
    from openpyxl import Workbook

    facts = b.facts
    hr = facts.role("hr")
    for run in facts.payroll_runs:
        wb = Workbook()
        ws = wb.active
        ws.title = "Summary"
        ws.append(["Pay date", run.date.isoformat()])
        ws.append(["Gross wages", run.gross_cents / 100])
        ws.append(["Employee withholding", run.withholding_cents / 100])
        ws.append(["Net pay", run.net_cents / 100])
        ws.append(["Employer taxes", run.employer_taxes_cents / 100])
        stamp = datetime.combine(run.date, time(11, 0))
        wb.properties.created = wb.properties.modified = stamp
        buf = io.BytesIO()
        wb.save(buf)
        when = b.at(run.date, 11)
        b.add(_Mail(when, (hr.name, hr.email), [b.me], f"Payroll summary - {run.date:%m/%d/%Y}",
                    f"Hi {facts.owner.first_name},\n\nPayroll for {run.date:%B %-d} is processed. Gross {dollars(run.gross_cents)}, "
                    f"net {dollars(run.net_cents)}, employer taxes {dollars(run.employer_taxes_cents)}. The summary "
                    f"is attached for the journal entry.\n\n{hr.first_name}",
                    {label_ids["Payroll"]} | ({"INBOX"} | b.unread_if_recent(when) if facts.now - when < timedelta(days=14) else set()),
                    f"payroll-{run.key}",
                    attachments=[mime.OutgoingAttachment(f"payroll_summary_{run.date:%Y%m%d}.xlsx",
                                                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                         _fixed_zip(buf.getvalue(), stamp))]))


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Re-pack a zip (XLSX) with fixed entry times: zipfile stamps entries with the wall clock."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the wall clock at save time, whatever the properties say
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                              data)
            dst.writestr(fixed, data)
    return out.getvalue()


def _receipt_png(merchant: str, amount: str, day: date) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("L", (240, 120), 255)
    draw = ImageDraw.Draw(img)
    draw.text((10, 10), merchant[:30], fill=0)
    draw.text((10, 40), f"Date: {day:%m/%d/%Y}", fill=0)
    draw.text((10, 70), f"TOTAL {amount}", fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _receipts(b: _Builder, label_ids: dict[str, str]) -> None:
    facts, rnd = b.facts, b.rnd
    for exp in facts.expenses:
        if exp.paid_from == "Operating Checking" or rnd.random() > 0.35:
            continue
        when = b.at(exp.date, rnd.randint(12, 20))
        amount = dollars(exp.amount_cents)
        slug = "".join(c for c in exp.payee.lower() if c.isalnum())
        b.add(_Mail(when, (exp.payee, f"receipts@{slug}.com"), [b.me], f"Your receipt from {exp.payee}",
                    f"Thanks for your purchase.\n\nTotal charged: {amount}\nCard: Company Visa\nDate: {exp.date:%B %-d, %Y}"
                    f"\n\n{exp.payee}", {label_ids["Finance/Receipts"], "CATEGORY_UPDATES"},
                    f"receipt-{exp.key}",
                    attachments=[mime.OutgoingAttachment(f"receipt_{exp.date:%Y%m%d}.png", "image/png",
                                                         _receipt_png(exp.payee, amount, exp.date))]))


# ---- narrative and filler --------------------------------------------------------------------

def _narrative(b: _Builder, label_ids: dict[str, str]) -> None:
    facts = b.facts
    for ev in facts.events:
        if ev.kind == "bank_change_request":
            vendor = facts.vendor(ev.actor)
            spoof = ev.data["spoof_domain"]
            local = vendor.email.split("@")[0]
            ref = next((x for x in facts.bills if x.vendor_key == vendor.key and not x.in_books), None)
            refline = (f" before you pay invoice {ref.vendor_invoice_number} ({dollars(mailed_amount_cents(ref))})"
                       if ref else "")
            b.add(_Mail(ev.at, (vendor.contact_name, f"{local}@{spoof}"), [b.me],
                        f"URGENT: Updated remittance details for {vendor.name}",
                        f"Hello {facts.owner.first_name},\n\nPlease note that {vendor.name} has changed banks. Effective "
                        f"immediately, all payments must be sent to our new account at {ev.data['new_bank']} (account "
                        f"ending {ev.data['new_account_last4']}). Please update your vendor records{refline}.\n\n"
                        f"Reply to this email with confirmation once updated. This is time sensitive.\n\n"
                        f"{vendor.contact_name}\nAccounts Receivable, {vendor.name}",
                        {"INBOX", "UNREAD", "IMPORTANT"}, f"event-{ev.key}"))
        elif ev.kind == "close_kickoff":
            boss = facts.person(ev.actor)
            team = [p for p in facts.people if p.department == "Finance" and p.key != ev.actor]
            b.add(_Mail(ev.at, (boss.name, boss.email), [(p.name, p.email) for p in team],
                        f"{facts.now:%B} close - what is left",
                        f"Team,\n\nWe close {facts.now:%B} this week. Still open:\n"
                        "  1. Enter the vendor bills that are only in mail (check #ap-approvals for approvals)\n"
                        f"  2. Reconcile Operating Checking against the {facts.now:%B} statement\n"
                        "  3. Follow up on past-due receivables\n"
                        "  4. Update the reconciliation workbook\n\n"
                        f"Watch for duplicates and for any request to change vendor bank details.\n\n{boss.first_name}",
                        {"INBOX", "STARRED", "IMPORTANT"} | b.unread_if_recent(ev.at), f"event-{ev.key}"))
        elif ev.kind == "partial_payment_note":
            who = facts.person(ev.actor)
            inv = facts.invoice(ev.refs[0])
            customer = facts.customer(inv.customer_key)
            paid = facts.invoice_paid_cents(inv.number)
            b.add(_Mail(ev.at, (who.name, who.email), [b.me], f"{inv.number} - {customer.name} paying in two parts",
                        f"Hi {facts.owner.first_name},\n\n{customer.contact_name} at {customer.name} told me they paid {dollars(paid)} of "
                        f"{inv.number} ({dollars(inv.total_cents)}) and will pay the remaining "
                        f"{dollars(inv.total_cents - paid)} in {facts.now + timedelta(days=5):%B}. Please leave the balance open.\n\n{who.first_name}",
                        {"INBOX"}, f"event-{ev.key}"))


_REPLIES = ["Thanks, noted.", "Sounds good.", "Got it, thank you!", "Will do.", "Thanks for the heads-up."]


def _internal_filler(b: _Builder) -> None:
    facts, rnd = b.facts, b.rnd
    people = {p.key: p for p in facts.people}
    start = facts.now.date() - timedelta(days=88)
    n = 0
    day = start
    while day < facts.now.date():
        if day.weekday() < 5 and rnd.random() < 0.45:
            internal = facts.backdrop.internal_mail
            key, subject, body = internal[rnd.randrange(len(internal))]
            who = people.get(key)
            if who is None or who.key == facts.mailbox_owner:
                day += timedelta(days=1)
                continue
            later = day + timedelta(days=rnd.randint(2, 6))
            when = b.at(day, rnd.randint(8, 17))
            label = {"INBOX"} | b.unread_if_recent(when, 3) if facts.now - when < timedelta(days=21) else set()
            mail_key = f"internal-{n}"
            b.add(_Mail(when, (who.name, who.email), [b.me], subject.format(day=f"{later:%A, %B %-d}"),
                        f"Hi all,\n\n{body.format(day=f'{later:%A, %B %-d}')}\n\n{who.first_name}", label, mail_key))
            if rnd.random() < 0.3:
                b.add(_Mail(when + timedelta(minutes=rnd.randint(10, 200)), b.me, [(who.name, who.email)],
                            "Re: " + subject.format(day=f"{later:%A, %B %-d}"),
                            rnd.choice(_REPLIES) + f"\n\n{facts.owner.first_name}",
                            set(), f"{mail_key}-re", reply_to=mail_key))
            n += 1
        day += timedelta(days=1)


def _newsletters(b: _Builder, label_ids: dict[str, str]) -> None:
    facts, rnd = b.facts, b.rnd
    start = facts.now.date() - timedelta(days=90)
    for name, email, subject, topics in facts.backdrop.newsletters:
        day = start + timedelta(days=rnd.randint(0, 6))
        i = 0
        while day < facts.now.date():
            topic = topics[i % len(topics)]
            when = b.at(day, 6, rnd.randint(0, 59))
            recent = facts.now - when < timedelta(days=12)
            html = (f"<html><body><h1>{name}</h1><p>This week: <b>{topic}</b>.</p>"
                    f"<p><a href=\"https://{email.split('@')[1]}/read/{i}\">Read online</a></p>"
                    f"<p style=\"font-size:small\">You are receiving this because you subscribed. "
                    f"<a href=\"https://{email.split('@')[1]}/unsubscribe\">Unsubscribe</a></p></body></html>")
            category = "CATEGORY_PROMOTIONS" if "deals" in email else "CATEGORY_UPDATES"
            b.add(_Mail(when, (name, email), [b.me], subject.format(topic=topic.capitalize()),
                        f"{name}\n\nThis week: {topic}.\n\nRead online: https://{email.split('@')[1]}/read/{i}\n",
                        {label_ids["Newsletters"], category} | ({"INBOX", "UNREAD"} if recent and rnd.random() < 0.7 else set()),
                        f"news-{email}-{i}", html=html))
            day += timedelta(days=rnd.choice([7, 7, 14]))
            i += 1


def _spam(b: _Builder) -> None:
    facts = b.facts
    spam = [
        ("Prize Center", "winner@prize-center.biz", "You have been selected!", "Claim your gift card now."),
        ("Invoice Dept", "billing@secure-invoices.top", "Overdue invoice #99812 - action required",
         "Open the attached link to view your overdue invoice."),
        ("Crypto Desk", "desk@fastcoins.io", "Double your treasury returns", "Guaranteed returns for corporate accounts."),
    ]
    for i, (name, email, subject, body) in enumerate(spam):
        when = b.at(facts.now.date() - timedelta(days=3 + i * 9), 3)
        b.add(_Mail(when, (name, email), [b.me], subject, body, {"SPAM", "UNREAD"}, f"spam-{i}"))


def _draft(b: _Builder) -> None:
    facts = b.facts
    kickoff = next((e for e in facts.events if e.kind == "close_kickoff"), None)
    if kickoff is None:
        return
    boss = facts.person(kickoff.actor)
    b.add(_Mail(kickoff.at + timedelta(hours=2), b.me, [(boss.name, boss.email)],
                f"Re: {facts.now:%B} close - what is left", f"{boss.first_name},\n\nI will start with the bills in mail, then the bank reconciliation.", {"DRAFT"},
                "draft-kickoff", reply_to=f"event-{kickoff.key}", draft=True))


# ---- onboarding, expense reports, pending remittances, vendor queries ------------------------
# Rendered last with their own random generator, so the mail generated before them stays identical.

def _later_narrative(b: _Builder, label_ids: dict[str, str]) -> None:
    facts = b.facts
    rnd = random.Random(f"{facts.company.realm_id}-later-narrative")
    for onboarding in facts.onboardings:
        _onboarding_mails(b, label_ids, onboarding, rnd)
    by_person: dict[str, list] = {}
    for expense in facts.expense_reports:
        by_person.setdefault(expense.submitted_by, []).append(expense)
    for key, expenses in by_person.items():
        _expense_report_mail(b, label_ids, key, expenses, rnd)
    for pmt in facts.pending_remittances:
        customer = facts.customer(pmt.customer_key)
        when = b.at(pmt.date, rnd.randint(8, 14), rnd.randint(0, 59))
        b.add(_Mail(when, (customer.contact_name, customer.email), [b.me],
                    f"Remittance advice - {', '.join(n for n, _ in pmt.applications)}",
                    _remittance_body(facts, pmt, " The check is in the mail to your remit-to address." if pmt.method == "Check"
                                     else " The funds should reach your account within two business days."),
                    {"INBOX", "UNREAD", label_ids["Customers"]}, f"remit-{pmt.key}"))
    for ev in facts.events:
        if ev.kind == "vendor_payment_query":
            vendor = facts.vendor(ev.actor)
            bill = facts.bill(ev.refs[0])
            sender = vendor.contact_name if vendor.contact_name.split()[0] not in {"Customer", "Billing", "Accounts"} \
                else f"{vendor.name} {vendor.contact_name}"
            b.add(_Mail(ev.at, (sender, vendor.email), [b.me], f"Payment status - our {bill.date:%B} invoice",
                        f"Hi {facts.owner.first_name},\n\nOur records still show invoice {bill.vendor_invoice_number} "
                        f"({dollars(bill.total_cents)}, dated {bill.date:%B %-d, %Y}) as open. Could you confirm "
                        f"whether it was paid, and if so on what date and with which check or ACH reference?\n\n"
                        f"Thank you,\n{sender}\n{vendor.name}\n{vendor.phone}",
                        {"INBOX", "UNREAD", label_ids["Vendors"]}, f"event-{ev.key}"))


def _onboarding_mails(b: _Builder, label_ids: dict[str, str], onboarding: VendorOnboarding, rnd: random.Random) -> None:
    """The new vendor's introduction with its details (and W-9 when signed), then its first invoice."""
    facts, vendor = b.facts, onboarding.vendor
    w9 = onboarding.approved_by is not None
    when = onboarding.requested_at - timedelta(hours=rnd.randint(15, 20))
    details = (f"Legal name: {vendor.name}\nContact: {vendor.contact_name}\nEmail: {vendor.email}\n"
               f"Phone: {vendor.phone}\nRemit-to address: {vendor.address}\nPayment terms: Net {vendor.terms_days}\n"
               f"Bank for ACH: {vendor.bank_name}, account ending {vendor.bank_account_last4}\n"
               + (f"Tax ID (EIN): {onboarding.tax_id}\n" if w9 else ""))
    body = (f"Hello {facts.owner.first_name},\n\n{facts.person(onboarding.requested_by).name} asked us to send our "
            f"details so you can set us up as a vendor. Here they are:\n\n{details}\n"
            + ("Our signed W-9 is attached.\n\n" if w9 else "The signed W-9 will follow next week.\n\n")
            + f"Best regards,\n{vendor.contact_name}\n{vendor.name}")
    attachments = [mime.OutgoingAttachment(f"W-9_{vendor.name.replace(' ', '_')}.pdf", "application/pdf",
                                           _w9_pdf(vendor, onboarding.tax_id, when.date()))] if w9 else []
    b.add(_Mail(when, (vendor.contact_name, vendor.email), [b.me], f"New vendor setup - {vendor.name}", body,
                {"INBOX", label_ids["Vendors"]}, f"onboard-{vendor.key}", attachments=attachments))
    bill = onboarding.first_invoice
    if bill is None:
        return
    doc = _vendor_document(facts, bill, vendor)
    filename = f"Invoice_{bill.vendor_invoice_number}.pdf"
    when = b.at(bill.date, rnd.randint(9, 15), rnd.randint(0, 59))
    b.add(_Mail(when, (vendor.contact_name, vendor.email), [b.me],
                f"Invoice {bill.vendor_invoice_number} from {vendor.name}",
                f"Hi {facts.owner.first_name},\n\nAttached is our first invoice, {bill.vendor_invoice_number}, for "
                f"{dollars(bill.total_cents)}, dated {bill.date:%B %-d, %Y} and due {bill.due_date:%B %-d, %Y}.\n\n"
                f"Thank you for the order!\n\n{vendor.contact_name}\n{vendor.name}\n{vendor.phone}",
                {"INBOX", "UNREAD", "CATEGORY_UPDATES"}, f"bill-mail-{bill.key}",
                attachments=[mime.OutgoingAttachment(filename, "application/pdf", doc.to_pdf())],
                documents={filename: doc.to_json()}))


def _w9_pdf(vendor: Vendor, tax_id: str, signed: date) -> bytes:
    """A one-page W-9 summary (name, address, classification, EIN, signature date)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=letter, pageCompression=1, invariant=1)
    pdf.setTitle(f"Form W-9 {vendor.name}")
    pdf.setAuthor(vendor.name)
    y = letter[1] - 60
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(50, y, "Form W-9  Request for Taxpayer Identification Number and Certification")
    pdf.setFont("Helvetica", 11)
    rows = [("1 Name (as shown on your income tax return)", vendor.name),
            ("2 Business name", vendor.name),
            ("3 Federal tax classification", "Limited liability company (S corporation)"),
            ("5 Address", vendor.address),
            ("Part I Employer identification number", tax_id),
            ("Part II Signature of U.S. person", vendor.contact_name),
            ("Date", signed.strftime("%m/%d/%Y"))]
    for label, value in rows:
        y -= 34
        pdf.setFont("Helvetica", 8)
        pdf.drawString(50, y + 12, label)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(50, y, value)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _expense_report_mail(b: _Builder, label_ids: dict[str, str], person_key: str, expenses: list,
                         rnd: random.Random) -> None:
    """An employee's March expense report: one line per card charge, each receipt attached."""
    facts = b.facts
    person = facts.person(person_key)
    lines = []
    for e in expenses:
        people = f", {e.attendees} people" if e.attendees else ""
        lines.append(f"  {e.date:%m/%d} {e.payee}: {dollars(e.amount_cents)} on the Company Visa ({e.memo}{people})")
    when = b.at(max(e.date for e in expenses) + timedelta(days=1), rnd.randint(8, 17), rnd.randint(0, 59))
    b.add(_Mail(when, (person.name, person.email), [b.me], f"Expense report - {facts.now:%B %Y} - {person.name}",
                f"Hi {facts.owner.first_name},\n\nHere are my {facts.now:%B} card charges with the receipts attached:\n\n"
                + "\n".join(lines) + f"\n\nThanks,\n{person.first_name}",
                {"INBOX", label_ids["Finance/Receipts"]}, f"expense-report-{person_key}",
                attachments=[mime.OutgoingAttachment(f"receipt_{e.date:%Y%m%d}_{i}.png", "image/png",
                                                     _receipt_png(e.payee, dollars(e.amount_cents), e.date))
                             for i, e in enumerate(expenses, start=1)]))
