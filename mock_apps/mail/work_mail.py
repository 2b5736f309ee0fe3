"""The industry's own work in the accountant's mailbox (mock_apps/scenarios/work.py): retainer checks and
a partner's earned-fee approvals at a law firm, payers' ERAs at a medical practice, a producer's project
time to bill at an agency. Rendered after the rest of the mailbox with their own random generator, so the
mail of every other fact stays identical."""

from __future__ import annotations

import csv
import io
import random

from mock_apps.mail import mime
from mock_apps.mail.invoice_document import dollars


def render(b, label_ids: dict[str, str], mail) -> None:
    """Add the work's mails to a mailbox builder (`mail` is the builder's mail record type)."""
    facts = b.facts
    work = facts.work
    if work is None:
        return
    rnd = random.Random(f"{facts.company.realm_id}-work-mail")
    _trust(b, label_ids, mail, rnd)
    _eras(b, label_ids, mail, rnd)
    _projects(b, mail)


def _table(rows: list[tuple[str, ...]]) -> tuple[str, bytes]:
    """Rows as a mail body's aligned text and as a CSV attachment's bytes."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return "\n".join("  " + " | ".join(row) for row in rows), buf.getvalue().encode()


def _trust(b, label_ids: dict[str, str], mail, rnd: random.Random) -> None:
    """A law firm's retainer checks, the partners' earned-fee approvals and the trust account's statement."""
    facts, work = b.facts, b.facts.work
    inbox = {"INBOX", "UNREAD"}
    for retainer in work.retainers:
        client = facts.customer(retainer.customer_key)
        when = b.at(retainer.date, rnd.randint(9, 16))
        b.add(mail(when, (client.contact_name, client.email), [b.me], f"Retainer - {retainer.matter}",
                   f"Hello {facts.owner.first_name},\n\nAs agreed in our engagement letter for {retainer.matter}, "
                   f"enclosed is our retainer check ({retainer.reference}, dated {retainer.date:%B %-d, %Y}) for "
                   f"{dollars(retainer.amount_cents)}, to be held in trust until it is earned.\n\n"
                   f"Best regards,\n{client.contact_name}\n{client.name}",
                   inbox | {label_ids["Customers"]}, f"work-{retainer.key}"))
    for fee in work.earned_fees:
        partner = facts.person(fee.approved_by)
        client = facts.customer(fee.customer_key)
        invoice = facts.invoice(fee.invoice_number)
        b.add(mail(fee.approved_at, (partner.name, partner.email), [b.me],
                   f"Apply trust funds to {invoice.number} ({client.name})",
                   f"{facts.owner.first_name},\n\nI reviewed and approved {invoice.number} for {client.name} "
                   f"({dollars(invoice.total_cents)}, dated {invoice.date:%B %-d}). The client agreed we pay it "
                   f"from the retainer we hold in trust for them ({dollars(work.trust_cents(client.key))} on the "
                   f"trust ledger). Please move the earned fee from the trust account to operating today and mark "
                   f"the invoice paid.\n\nThanks,\n{partner.first_name}", set(inbox), f"work-fee-{invoice.number}"))
    if work.trust_balances:
        trust = next(a for a in facts.accounts if a.detail_type == "TrustAccounts")
        bank = facts.company.bank_name
        held = trust.opening_balance_cents  # no trust activity has cleared the bank this quarter
        when = b.at(facts.now.date(), 7, rnd.randint(0, 59))
        b.add(mail(when, (bank, f"statements@{bank.lower().replace(' ', '')}.com"), [b.me],
                   f"Your {trust.name} statement for {facts.now:%B %Y}",
                   f"{facts.company.legal_name}\n{trust.name}\n\n"
                   f"Statement period: {facts.now:%B} 1 - {facts.now:%B %-d, %Y}\nBeginning balance: {dollars(held)}\n"
                   f"Deposits: $0.00\nWithdrawals: $0.00\nEnding balance: {dollars(held)}\n\n"
                   f"Interest on this IOLTA account is remitted to the state bar foundation.\n",
                   {"INBOX", label_ids["Finance/Statements"]}, "work-trust-statement"))


def _eras(b, label_ids: dict[str, str], mail, rnd: random.Random) -> None:
    """A medical practice's remittance advices, each with its claims as a table and a CSV."""
    facts = b.facts
    for era in facts.work.eras:
        payer = facts.customer(era.payer_key)
        rows = [("Claim", "Patient", "Billed", "Allowed", "Contractual adj. (CO-45)", "Patient resp. (PR)", "Paid")]
        rows += [(c.invoice_number, facts.customer(c.patient_key).name, f"{c.billed_cents / 100:.2f}",
                  f"{c.allowed_cents / 100:.2f}", f"{c.adjustment_cents / 100:.2f}", f"{c.patient_cents / 100:.2f}",
                  f"{c.paid_cents / 100:.2f}") for c in era.claims]
        table, data = _table(rows)
        when = b.at(era.date, rnd.randint(6, 9))
        b.add(mail(when, (f"{payer.name} Remittance", payer.email), [b.me],
                   f"Electronic remittance advice - EFT {era.trace}",
                   f"Electronic remittance advice (835) for {facts.company.legal_name}\n\nPayer: {payer.name}\n"
                   f"EFT trace number: {era.trace}\nPayment date: {era.date:%B %-d, %Y}\n"
                   f"Payment amount: {dollars(era.paid_cents)}\n\nClaims paid:\n{table}\n\n"
                   f"Total contractual adjustments (CO-45): {dollars(era.adjustment_cents)}\n"
                   f"Patient responsibility (PR) is the patient's to pay; please bill the patient.\n",
                   {"INBOX", "UNREAD", label_ids["Customers"]}, f"work-{era.key}",
                   attachments=[mime.OutgoingAttachment(f"ERA_{era.trace}.csv", "text/csv", data)]))


def _projects(b, mail) -> None:
    """An agency's producers' time logs to bill, as a table and a CSV."""
    facts = b.facts
    for project in facts.work.projects:
        producer = facts.person(project.requested_by)
        client = facts.customer(project.customer_key)
        names = {e.person_key: facts.person(e.person_key).name for e in project.entries}
        services = {p.sku: p.name for p in facts.products}
        rows = [("Date", "Person", "Service", "Hours", "Note")]
        rows += [(e.date.isoformat(), names[e.person_key], services[e.sku], f"{e.hours_x100 / 100:.2f}", e.note)
                 for e in project.entries]
        table, data = _table(rows)
        b.add(mail(project.requested_at, (producer.name, producer.email), [b.me],
                   f"Time to bill: {project.project} ({client.name})",
                   f"Hi {facts.owner.first_name},\n\nHere is the unbilled time on {project.project} for "
                   f"{client.name}. Please invoice it at our standard rates, one line per service.\n\n{table}\n\n"
                   f"The log is attached too.\n\nThanks,\n{producer.first_name}", {"INBOX", "UNREAD"},
                   f"work-{project.key}",
                   attachments=[mime.OutgoingAttachment(f"time_{project.key}.csv", "text/csv", data)]))
