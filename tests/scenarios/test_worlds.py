"""Every app seeds a generated company of every industry: the books balance, mail and books tell the same
bills and invoices, the loose ends are where tasks look for them, People shows the workers, and a
company's template databases are the same bytes however often and wherever they are built."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
from sqlmodel import select

from mock_apps.books.models import Contact, Txn
from mock_apps.books.reports import trial_balance
from mock_apps.chat.models import Message
from mock_apps.chat.mrkdwn import plain_text
from mock_apps.core.shell import money
from mock_apps.core.template import template_dir
from mock_apps.core.world import WorldRegistry
from mock_apps.mail.models import Attachment, Message as Mail
from mock_apps.people.models import Worker
from mock_apps.scenarios import get_scenario

pytestmark = pytest.mark.slow
COMPANIES = ["wholesale-1", "law-1", "medical-1", "agency-1"]  # the companies the task tests build too


@pytest.fixture(scope="module")
def worlds(sandbox):
    """One read-only world per generated company (building their templates is the slow part)."""
    registry = WorldRegistry.for_settings(sandbox.settings)
    for name in COMPANIES:
        registry.reset(f"gen-{name}-{os.getpid()}", name)
    return registry


@pytest.fixture(params=COMPANIES)
def company(request, worlds):
    """(registry, world id, facts) of one generated company's world."""
    return worlds, f"gen-{request.param}-{os.getpid()}", get_scenario(request.param).facts


def test_books_balance_and_hold_the_booked_facts(company):
    registry, world_id, facts = company
    with registry.session(world_id, "books") as db:
        report = trial_balance(db, facts.now.date())
        assert report.totals["debits"] == report.totals["credits"] > 0
        docs = {(t.type, t.doc_number): t.total_cents for t in db.exec(select(Txn))}
        names = {c.display_name for c in db.exec(select(Contact))}
    assert {("Invoice", i.number): i.total_cents for i in facts.invoices}.items() <= docs.items()
    for bill in facts.bills:
        assert (docs.get(("Bill", bill.vendor_invoice_number)) == bill.total_cents) is bill.in_books
    assert facts.company.name not in names and {v.name for v in facts.vendors} <= names


def test_every_invoice_mailed_matches_the_books(company):
    registry, world_id, facts = company
    with registry.session(world_id, "mail") as db:
        documents = [json.loads(a.document_json) for a in db.exec(select(Attachment)) if a.document_json]
    with registry.session(world_id, "books") as db:
        booked = {t.doc_number: t.total_cents for t in db.exec(select(Txn).where(Txn.type.in_(["Bill", "Invoice"])))}
    mailed_bills = {b.vendor_invoice_number: b for b in facts.bills} | {
        o.first_invoice.vendor_invoice_number: o.first_invoice for o in facts.onboardings if o.first_invoice}
    seen = set()
    for doc in documents:
        seen.add(doc["number"])
        bill = mailed_bills.get(doc["number"])
        if bill is not None and not bill.in_books:
            assert doc["number"] not in booked  # a task enters it
            assert doc["total_cents"] == (bill.mailed_total_cents or bill.total_cents)
        else:
            assert booked[doc["number"]] == doc["total_cents"] == sum(line["amount_cents"] for line in doc["lines"])
    assert {i.number for i in facts.invoices} <= seen and {b.vendor_invoice_number for b in facts.bills} <= seen


def test_the_loose_ends_are_where_tasks_look(company):
    registry, world_id, facts = company
    with registry.session(world_id, "mail") as db:
        mails = list(db.exec(select(Mail)))
    senders = [m.from_email for m in mails]
    phish = next(e for e in facts.events if e.kind == "bank_change_request")
    assert any(phish.data["spoof_domain"] in s for s in senders)
    duplicate = next(b for b in facts.bills if b.resent_duplicate)
    assert sum(duplicate.vendor_invoice_number in (m.filenames or "") for m in mails) == 2
    subjects = [m.subject for m in mails]
    for pmt in facts.pending_remittances:
        assert f"Remittance advice - {', '.join(n for n, _ in pmt.applications)}" in subjects
    with registry.session(world_id, "books") as db:
        references = {t.doc_number for t in db.exec(select(Txn).where(Txn.type == "Payment"))}
    assert not references & {p.reference for p in facts.pending_remittances}
    with registry.session(world_id, "chat") as db:
        texts = [plain_text(m.text) for m in db.exec(select(Message))]
    corrected = next(b for b in facts.bills if b.mailed_total_cents is not None)
    assert any(f"Enter {corrected.vendor_invoice_number} at {money(corrected.total_cents)}" in t for t in texts)
    meridian = ("Dana", "Marcus", "Priya", "Meridian", "Brightline", "Hilltop", "Summit Packaging")
    assert not [t for t in texts for name in meridian if name in t]


def test_people_shows_the_workers(company):
    registry, world_id, facts = company
    with registry.session(world_id, "people") as db:
        workers = {w.key: w for w in db.exec(select(Worker))}
    assert set(workers) == {w.key for w in facts.hr.workers}
    owner = workers[facts.mailbox_owner]
    assert (owner.first_name, owner.last_name) == (facts.owner.first_name, facts.owner.last_name)


def test_templates_are_the_same_bytes_when_built_again_in_another_process(worlds, sandbox, tmp_path):
    built = template_dir(sandbox.settings.templates_dir, "law-1")  # built for the fixture (maybe by another worker)
    script = ("import sys; from pathlib import Path; from mock_apps.core.template import build_world; "
              "build_world(Path(sys.argv[1]), sys.argv[2])")
    subprocess.run([sys.executable, "-c", script, str(tmp_path), "law-1"], check=True,
                   env={**os.environ, "PYTHONHASHSEED": "12345"})
    digest = lambda folder: {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.glob("*.db"))}  # noqa: E731
    assert len(digest(built)) == 6 and digest(built) == digest(tmp_path)
