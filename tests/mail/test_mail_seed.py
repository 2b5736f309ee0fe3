"""The seeded mailbox renders the scenario's facts exactly (what later tasks check)."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from pypdf import PdfReader

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, to_us
from mock_apps.core.template import seed_app
from mock_apps.mail import SPEC, mime
from mock_apps.mail.invoice_document import InvoiceDocument, dollars
from mock_apps.mail.seed import mailed_amount_cents
from mock_apps.scenarios import get_scenario


def _seed(folder):
    scenario = get_scenario()
    conn = sqlite3.connect(folder / "world.db")
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)", (to_us(scenario.now), 5_000_000, scenario.facts.company.timezone))
    conn.commit()
    conn.close()
    seed_app(folder / "mail.db", folder / "world.db", SPEC, scenario)
    return sqlite3.connect(folder / "mail.db")


@pytest.fixture(scope="module")
def mail_db(tmp_path_factory):
    conn = _seed(tmp_path_factory.mktemp("seed"))
    yield conn
    conn.close()


def _messages(conn):
    rows = conn.execute("SELECT pk, subject, from_email, raw, internal_ms FROM mail_message").fetchall()
    return [(pk, subject, sender, mime.parse_message(raw), ms) for pk, subject, sender, raw, ms in rows]


def test_size_and_dates(mail_db):
    facts = get_scenario().facts
    count, first, last = mail_db.execute("SELECT count(*), min(internal_ms), max(internal_ms) FROM mail_message").one() \
        if hasattr(mail_db, "one") else mail_db.execute("SELECT count(*), min(internal_ms), max(internal_ms) FROM mail_message").fetchone()
    assert 250 <= count <= 600
    assert last <= facts.now.timestamp() * 1000
    assert (facts.now.timestamp() * 1000 - first) > 80 * 86_400_000  # months of mail, not days


def test_every_vendor_mail_shows_the_facts_number_and_amount(mail_db):
    facts = get_scenario().facts
    msgs = _messages(mail_db)
    docs = dict(mail_db.execute("SELECT filename, document_json FROM mail_attachment WHERE document_json IS NOT NULL"))
    for bill in facts.bills:
        if not bill.mailed:
            continue
        vendor = facts.vendor(bill.vendor_key)
        amount = dollars(mailed_amount_cents(bill))
        mails = [m for m in msgs if m[2] == vendor.email and bill.vendor_invoice_number in m[1]]
        assert len(mails) == (2 if bill.resent_duplicate else 1), bill.key
        for _, _, _, parsed, _ in mails:
            assert amount in parsed.text and bill.vendor_invoice_number in parsed.text
            [pdf] = [a for a in parsed.attachments if a.mime_type == "application/pdf"]
            assert pdf.filename == f"Invoice_{bill.vendor_invoice_number}.pdf" and len(pdf.data) < 8_000
            text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
            assert bill.vendor_invoice_number in text and amount in text
        doc = InvoiceDocument.from_json(docs[f"Invoice_{bill.vendor_invoice_number}.pdf"])
        assert doc.total_cents == mailed_amount_cents(bill) and doc.number == bill.vendor_invoice_number


def test_corrected_amount_mail_shows_the_wrong_mailed_total(mail_db):
    facts = get_scenario().facts
    bill = next(b for b in facts.bills if b.mailed_total_cents is not None)
    assert bill.mailed_total_cents != bill.total_cents
    bodies = [p.text for _, s, _, p, _ in _messages(mail_db) if bill.vendor_invoice_number in s]
    assert bodies and all(dollars(bill.mailed_total_cents) in b and dollars(bill.total_cents) not in b for b in bodies)


def test_bank_change_request_comes_from_the_spoof_domain(mail_db):
    facts = get_scenario().facts
    event = next(e for e in facts.events if e.kind == "bank_change_request")
    msgs = [m for m in _messages(mail_db) if m[2].endswith("@" + event.data["spoof_domain"])]
    assert len(msgs) == 1
    _, _, _, parsed, ms = msgs[0]
    assert event.data["new_account_last4"] in parsed.text and event.data["new_bank"] in parsed.text
    assert ms == int(event.at.timestamp() * 1000)
    real = facts.vendor(event.actor).email.split("@")[1]
    assert real != event.data["spoof_domain"]


def test_seed_is_deterministic(mail_db, tmp_path):
    again = _seed(tmp_path)
    digest = lambda c: hashlib.sha256(b"".join(r[0] for r in c.execute("SELECT raw FROM mail_message ORDER BY pk"))).hexdigest()
    assert digest(again) == digest(mail_db)
    labels = lambda c: c.execute("SELECT * FROM mail_message_label ORDER BY 1, 2").fetchall()
    assert labels(again) == labels(mail_db)
    again.close()


def test_attachment_kinds_and_threads(mail_db):
    kinds = {row[0] for row in mail_db.execute("SELECT mime_type FROM mail_attachment")}
    assert {"application/pdf", "text/csv", "image/png",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= kinds
    multi = mail_db.execute("SELECT count(*) FROM (SELECT thread_id FROM mail_message GROUP BY thread_id "
                            "HAVING count(*) > 1)").fetchone()[0]
    assert multi >= 10
    assert json.loads(json.dumps(mail_db.execute("SELECT count(*) FROM mail_draft").fetchone()))[0] == 1


def test_xlsx_attachments_do_not_depend_on_lxml_being_installed():
    # openpyxl serializes through lxml when it can, into other bytes; with lxml installed by an optional extra,
    # seeded XLSX attachments (and so every recorded final state) would differ between machines
    code = "import mock_apps.mail.seed, openpyxl.xml; print(openpyxl.xml.LXML)"
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip() == "False"
