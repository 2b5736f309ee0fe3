"""Books' tables: accounts, contacts, items, transactions with splits and document lines, applications,
bank-feed lines and rules, reconciliations, attachments. Money is integer cents, debit-positive in splits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class BooksModel(SQLModel, registry=registry()):
    """Base of books' tables (own metadata)."""


class Company(BooksModel, table=True):
    """The company's settings: one row."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    legal_name: str = ""
    realm_id: str
    address: str = ""
    fiscal_year_start_month: int = 1
    closing_date: date | None = None  # books are closed through this date
    next_invoice_number: int = 1001


class Account(BooksModel, table=True):
    """A chart-of-accounts entry."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(default="", index=True)
    name: str = Field(index=True)
    type: str  # UI name, e.g. "Bank", "Accounts receivable" (ledger.ACCOUNT_TYPES)
    detail_type: str = ""
    description: str = ""
    parent_id: int | None = Field(default=None, foreign_key="account.id")
    active: bool = True
    sync_token: int = 0
    created_at: datetime
    updated_at: datetime


class Contact(BooksModel, table=True):
    """A customer or a vendor."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)  # "customer" or "vendor"
    key: str = ""  # scenario key, stable across resets
    display_name: str = Field(index=True)
    company_name: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    terms_days: int = 30
    default_account_id: int | None = Field(default=None, foreign_key="account.id")
    active: bool = True
    sync_token: int = 0
    created_at: datetime
    updated_at: datetime


class Item(BooksModel, table=True):
    """A product or service (its income and expense accounts are what document lines post to)."""

    id: int | None = Field(default=None, primary_key=True)
    sku: str = ""
    name: str = Field(index=True)
    description: str = ""
    type: str = "NonInventory"  # Service, NonInventory, Inventory
    unit_price_cents: int = 0
    unit_cost_cents: int = 0
    income_account_id: int | None = Field(default=None, foreign_key="account.id")
    expense_account_id: int | None = Field(default=None, foreign_key="account.id")
    vendor_id: int | None = Field(default=None, foreign_key="contact.id")
    active: bool = True
    sync_token: int = 0
    created_at: datetime
    updated_at: datetime


class Txn(BooksModel, table=True):
    """A transaction: Invoice, Payment, Bill, BillPayment, Purchase, JournalEntry, Deposit, Transfer,
    CreditMemo or VendorCredit."""

    __table_args__ = (Index("ix_txn_type_date", "type", "txn_date"),)

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(index=True)
    doc_number: str = Field(default="", index=True)
    txn_date: date = Field(index=True)
    due_date: date | None = None
    terms_days: int | None = None
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")  # A/R, A/P, bank, card, from-account
    other_account_id: int | None = Field(default=None, foreign_key="account.id")  # transfer's to-account
    payment_method: str = ""  # "Check", "ACH", "Cash", "CreditCard"
    memo: str = ""
    total_cents: int = 0
    balance_cents: int = 0  # open balance of an invoice/bill/credit, unapplied amount of a payment
    voided: bool = False
    source: str = ""  # "ui", "api", "seed", "bank-feed"
    sync_token: int = 0
    created_at: datetime
    updated_at: datetime


class Split(BooksModel, table=True):
    """One side of a transaction: debit-positive cents on one account."""

    # (account, date, amount) covers the balance and report sums without touching the transactions
    __table_args__ = (Index("ix_split_account_txn", "account_id", "txn_id"),
                      Index("ix_split_account_date_amount", "account_id", "txn_date", "amount_cents"))

    id: int | None = Field(default=None, primary_key=True)
    txn_id: int = Field(foreign_key="txn.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    amount_cents: int
    txn_date: date  # the transaction's date, copied so balances as of a date need no join
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    memo: str = ""
    cleared: str = ""  # "" uncleared, "C" cleared (matched in the feed), "R" reconciled
    reconciliation_id: int | None = Field(default=None, foreign_key="reconciliation.id", index=True)


class DocLine(BooksModel, table=True):
    """A line as the user entered it on an invoice, bill, expense, deposit, credit or journal entry."""

    id: int | None = Field(default=None, primary_key=True)
    txn_id: int = Field(foreign_key="txn.id", index=True)
    line_no: int
    item_id: int | None = Field(default=None, foreign_key="item.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")
    description: str = ""
    quantity_milli: int = 1000
    unit_cents: int = 0
    amount_cents: int = 0
    posting: str = ""  # journal entries: "Debit" or "Credit"
    contact_id: int | None = Field(default=None, foreign_key="contact.id")


class Application(BooksModel, table=True):
    """Part of a payment (or a credit) applied to a document."""

    id: int | None = Field(default=None, primary_key=True)
    txn_id: int = Field(foreign_key="txn.id", index=True)  # the Payment / BillPayment
    target_id: int = Field(foreign_key="txn.id", index=True)  # Invoice, Bill, CreditMemo, VendorCredit
    amount_cents: int


class BankLine(BooksModel, table=True):
    """A line from the bank feed or an imported statement."""

    __table_args__ = (Index("ix_bankline_account_status", "account_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    key: str = ""
    date: date
    description: str
    amount_cents: int  # positive: money in; negative: money out
    status: str = "review"  # review, categorized, excluded
    txn_id: int | None = Field(default=None, foreign_key="txn.id")  # matched or created transaction
    action: str = ""  # "matched" or "added" once categorized
    imported_from: str = ""  # file name of an imported CSV


class BankRule(BooksModel, table=True):
    """A bank rule: lines whose description contains the text are suggested a category and payee."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    contains: str
    direction: str = "any"  # "in", "out", "any"
    account_id: int | None = Field(default=None, foreign_key="account.id")  # feed account; None = all
    category_id: int = Field(foreign_key="account.id")
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    active: bool = True


class Reconciliation(BooksModel, table=True):
    """A finished reconciliation of one account against a statement."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    statement_date: date
    beginning_balance_cents: int
    ending_balance_cents: int
    finished_at: datetime


class Attachment(BooksModel, table=True):
    """A file attached to a transaction (for example the vendor's PDF invoice)."""

    id: int | None = Field(default=None, primary_key=True)
    txn_id: int = Field(foreign_key="txn.id", index=True)
    filename: str
    content_type: str = "application/octet-stream"
    size: int = 0
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime
