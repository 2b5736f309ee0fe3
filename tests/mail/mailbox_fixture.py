"""A small hand-built mailbox on real SQLite (core engine + mail tables + FTS5), for service-level tests."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, to_us
from mock_apps.core.database import WorldSession, open_engine
from mock_apps.mail import mime
from mock_apps.mail.models import FTS_DDL, SYSTEM_LABELS, Label, MailModel, Mailbox
from mock_apps.mail.service import store_message

TZ = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 31, 15, 30, tzinfo=TZ)
ME = ("Dana Whitfield", "dana@meridian.test")
PDF = mime.OutgoingAttachment("Invoice_NP-100.pdf", "application/pdf", b"%PDF-1.4 invoice")

# key: (sender, to, cc, subject, body, html, when, labels, attachments)
MAILS = {
    "a": (("Alicia Grant", "alicia@northwindpaper.com"), [ME], [], "Invoice NP-100 from Northwind",
          "Please find attached invoice NP-100 for $1,250.00.", None, datetime(2026, 3, 10, 9, 0, tzinfo=TZ),
          {"INBOX", "UNREAD", "Label_2"}, [PDF]),
    "b": (("Kara Jensen", "kara@brightlinelogistics.com"), [ME], [], "Invoice BL-20931",
          "Invoice BL-20931 for $4,249.00 is attached.", None, datetime(2026, 3, 18, 10, 0, tzinfo=TZ),
          {"INBOX"}, [mime.OutgoingAttachment("Invoice_BL-20931.pdf", "application/pdf", b"%PDF-1.4 bl")]),
    "c": (("Kara Jensen", "kara@brightline-logistics-billing.com"), [ME], [], "URGENT: Updated remittance details",
          "Send all future payments to Coastline Federal.", None, datetime(2026, 3, 27, 7, 58, tzinfo=TZ),
          {"INBOX", "UNREAD", "IMPORTANT"}, []),
    "d": (ME, [("Priya Nair", "priya@meridian.test")], [("Marcus Reyes", "marcus@meridian.test")],
          "Fwd: Invoice NP-100 from Northwind", "Priya, can you enter this one?", None,
          datetime(2026, 3, 11, 8, 0, tzinfo=TZ), {"SENT"}, [PDF]),
    "e": (("CFO Brief", "newsletter@cfobrief.com"), [ME], [], "CFO Brief: collections",
          "", "<p>Closing the books in <b>five days</b></p>", datetime(2026, 1, 5, 6, 0, tzinfo=TZ),
          {"CATEGORY_UPDATES"}, []),
    "f": (("Marcus Reyes", "marcus@meridian.test"), [ME, ("Priya Nair", "priya@meridian.test")], [],
          "March close - what is left", "Reconcile the bank account and enter the bills.", None,
          datetime(2026, 3, 30, 9, 5, tzinfo=TZ), {"INBOX", "STARRED"}, []),
    "g": (("Prize Center", "winner@prize-center.biz"), [ME], [], "You have been selected", "Claim your invoice prize",
          None, datetime(2026, 3, 20, 3, 0, tzinfo=TZ), {"SPAM", "UNREAD"}, []),
    "h": (("Tom Becker", "tom@meridian.test"), [ME], [], "Warehouse inventory count", "Dock closed Friday invoice",
          None, datetime(2026, 3, 5, 14, 0, tzinfo=TZ), {"TRASH", "INBOX"}, []),
    "i": (("Grace Kim", "grace@meridian.test"), [ME], [], "Payroll summary", "Summary attached.", None,
          datetime(2025, 12, 20, 11, 0, tzinfo=TZ), {"Label_3"},
          [mime.OutgoingAttachment("payroll_summary.xlsx", "application/octet-stream", bytes(range(256)) * 2400)]),
    "j": (ME, [("Marcus Reyes", "marcus@meridian.test")], [], "Re: March close", "I will start with the bills.", None,
          datetime(2026, 3, 30, 11, 0, tzinfo=TZ), {"DRAFT"}, []),
}


def build_mailbox(folder: Path) -> tuple[WorldSession, dict[str, str]]:
    """Create world.db + mail.db in a folder, store MAILS; return a session and key -> message id."""
    world_db, mail_db = folder / "world.db", folder / "mail.db"
    conn = sqlite3.connect(world_db)
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)", (to_us(NOW), 5_000_000, "America/Chicago"))
    conn.commit()
    conn.close()
    engine = open_engine(mail_db, world_db)
    MailModel.metadata.create_all(engine)
    with engine.begin() as c:
        for statement in FTS_DDL:
            c.exec_driver_sql(statement)
    ids = {}
    with WorldSession(engine, app="mail", world_id="t", seeding=True) as db:
        db.add(Mailbox(id=1, email=ME[1], name=ME[0]))
        for i, label_id in enumerate(SYSTEM_LABELS):
            db.add(Label(id=label_id, name=label_id, type="system", position=i))
        for i, name in enumerate(("Finance", "Finance/Invoices", "Payroll"), start=1):
            db.add(Label(id=f"Label_{i}", name=name, type="user", position=i))
        db.flush()
        for n, (key, (sender, to, cc, subject, body, html, when, labels, atts)) in enumerate(sorted(MAILS.items())):
            raw = mime.build_message(sender=mime.format_address(*sender), to=[mime.format_address(*t) for t in to],
                                     cc=[mime.format_address(*c) for c in cc] or None, subject=subject, text=body,
                                     html_body=html, date=when, message_id=f"<{key}.{n}@test>", attachments=atts)
            ids[key] = store_message(db, raw, label_ids=labels).id
        db.commit()
    return WorldSession(engine, app="mail", world_id="t"), ids
