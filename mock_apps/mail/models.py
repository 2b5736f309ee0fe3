"""Mail's tables: the mailbox owner's messages (as RFC 822 bytes), labels, attachments, drafts, contacts.

One database per world holds one mailbox (the scenario's accountant). Columns other than `raw` are
derived from the raw bytes when a message is stored, so lists and searches never parse MIME.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

SYSTEM_LABELS = ("INBOX", "STARRED", "IMPORTANT", "SENT", "DRAFT", "TRASH", "SPAM", "UNREAD",
                 "CATEGORY_PERSONAL", "CATEGORY_UPDATES", "CATEGORY_PROMOTIONS", "CATEGORY_SOCIAL", "CATEGORY_FORUMS")


class MailModel(SQLModel, registry=registry()):
    """Base of mail's tables (own metadata: never collides with other apps)."""


class Label(MailModel, table=True):
    """A system label (INBOX, STARRED, ...) or a user label; nesting is by '/' in the name."""

    __tablename__ = "mail_label"

    id: str = Field(primary_key=True)  # "INBOX" or "Label_12"
    name: str = Field(index=True, unique=True)
    type: str = "user"  # "system" or "user"
    color: str | None = None  # background colour of a user label
    position: int = 0


class Message(MailModel, table=True):
    """One message in the mailbox: its RFC 822 bytes plus columns derived from them."""

    __tablename__ = "mail_message"
    __table_args__ = (
        Index("ix_mail_message_thread_date", "thread_id", "internal_ms"),
        {"info": {"state_exclude": ["body_text", "people", "filenames"]}},
    )

    pk: int | None = Field(default=None, primary_key=True)
    id: str = Field(index=True, unique=True)  # Gmail-style hex id
    thread_id: str = Field(index=True)
    internal_ms: int = Field(index=True)  # epoch milliseconds (Gmail's internalDate)
    history_id: int = 0
    rfc_message_id: str = Field(default="", index=True)
    from_name: str = ""
    from_email: str = Field(default="", index=True)
    to_addrs: str = ""  # "Name <email>, ..." as sent
    cc_addrs: str = ""
    bcc_addrs: str = ""
    subject: str = ""
    snippet: str = ""
    size: int = 0
    has_attachment: bool = False
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # derived, for the full-text index only (excluded from the state dump)
    body_text: str = ""
    people: str = ""
    filenames: str = ""


class MessageLabel(MailModel, table=True):
    """A label on a message (Gmail labels messages; a thread has the union of its messages' labels)."""

    __tablename__ = "mail_message_label"

    message_pk: int = Field(foreign_key="mail_message.pk", primary_key=True)
    label_id: str = Field(foreign_key="mail_label.id", primary_key=True, index=True)


class Attachment(MailModel, table=True):
    """An attachment part of a message (its bytes stay in the message's raw source)."""

    __tablename__ = "mail_attachment"

    pk: int | None = Field(default=None, primary_key=True)
    message_pk: int = Field(foreign_key="mail_message.pk", index=True)
    attachment_id: str = Field(index=True, unique=True)
    part_id: str
    filename: str
    mime_type: str
    size: int
    # the structured facts an invoice PDF was generated from (InvoiceDocument JSON), if any
    document_json: str | None = None


class Draft(MailModel, table=True):
    """A draft: a message carrying the DRAFT label, under a stable draft id."""

    __tablename__ = "mail_draft"

    id: str = Field(primary_key=True)  # "r-<message id>"
    message_pk: int = Field(foreign_key="mail_message.pk", unique=True)


class Contact(MailModel, table=True):
    """Someone the owner corresponds with: powers recipient autocomplete."""

    __tablename__ = "mail_contact"

    pk: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True)
    name: str = ""
    organization: str = ""


FTS_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS mail_message_fts USING fts5("
    "subject, body_text, people, filenames, content='mail_message', content_rowid='pk', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS mail_message_ai AFTER INSERT ON mail_message BEGIN "
    "INSERT INTO mail_message_fts(rowid, subject, body_text, people, filenames) "
    "VALUES (new.pk, new.subject, new.body_text, new.people, new.filenames); END",
    "CREATE TRIGGER IF NOT EXISTS mail_message_ad AFTER DELETE ON mail_message BEGIN "
    "INSERT INTO mail_message_fts(mail_message_fts, rowid, subject, body_text, people, filenames) "
    "VALUES ('delete', old.pk, old.subject, old.body_text, old.people, old.filenames); END",
    "CREATE TRIGGER IF NOT EXISTS mail_message_au AFTER UPDATE OF subject, body_text, people, filenames "
    "ON mail_message BEGIN "
    "INSERT INTO mail_message_fts(mail_message_fts, rowid, subject, body_text, people, filenames) "
    "VALUES ('delete', old.pk, old.subject, old.body_text, old.people, old.filenames); "
    "INSERT INTO mail_message_fts(rowid, subject, body_text, people, filenames) "
    "VALUES (new.pk, new.subject, new.body_text, new.people, new.filenames); END",
]


class Mailbox(MailModel, table=True):
    """The mailbox's owner (one row): whose address "me" and sent mail use."""

    __tablename__ = "mail_mailbox"

    id: int = Field(default=1, primary_key=True)
    email: str
    name: str
    signature: str = ""
