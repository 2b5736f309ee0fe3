"""The bank feed: lines for review, match to an existing transaction or add as new, exclude, undo,
CSV statement import and bank rules; and reconciliation of an account against a statement.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import func, select

from mock_apps.books import ledger, service
from mock_apps.books.ledger import LedgerError, fmt
from mock_apps.books.models import Account, Attachment, BankLine, BankRule, Reconciliation, Split, Txn
from mock_apps.core.database import WorldSession
from mock_apps.core.errors import BadRequest, NotFound

MATCH_WINDOW_DAYS = 10


def feed_account(db: WorldSession, account_id) -> Account:
    """A bank or credit-card account (the only kinds with a feed and reconciliations)."""
    acc = service.get_account(db, account_id, "a bank or credit-card account")
    if acc.type not in ledger.FEED_TYPES:
        raise BadRequest(f"{acc.name} is a {acc.type} account; banking works on bank and credit-card accounts")
    return acc


def get_line(db: WorldSession, line_id) -> BankLine:
    """A bank-feed line by id."""
    line = db.get(BankLine, service.row_id(line_id)) if service.row_id(line_id) is not None else None
    if line is None:
        raise NotFound(f"there is no bank line {line_id!r}", code="unknown_bank_line")
    return line


def match_candidates(db: WorldSession, line: BankLine) -> list[tuple[Txn, Split]]:
    """Unmatched, unreconciled transactions on the line's account with the same amount, near its date."""
    lo, hi = line.date - timedelta(days=MATCH_WINDOW_DAYS), line.date + timedelta(days=MATCH_WINDOW_DAYS)
    taken = select(BankLine.txn_id).where(BankLine.txn_id.is_not(None))
    rows = db.exec(select(Txn, Split).join(Split, Split.txn_id == Txn.id).where(
        Split.account_id == line.account_id, Split.amount_cents == line.amount_cents,  # money in is a debit on bank and card alike
        Split.cleared != "R", Txn.txn_date >= lo, Txn.txn_date <= hi, Txn.voided == False,  # noqa: E712
        Txn.id.not_in(taken)).order_by(Txn.txn_date, Txn.id)).all()
    return sorted(rows, key=lambda r: (abs((r[0].txn_date - line.date).days), r[0].id))


def _must_be_for_review(line: BankLine) -> None:
    if line.status != "review":
        raise LedgerError(f"this bank line is already {line.status}; undo it first", code="bank_line_done")


def match_line(db: WorldSession, line_id, txn_id) -> BankLine:
    """Match a feed line to an existing transaction: the transaction's bank split becomes cleared."""
    line = get_line(db, line_id)
    with db.operation("books.bank.match", line_id=line.id, txn_id=service.row_id(txn_id)):
        _must_be_for_review(line)
        txn = service.get_txn(db, txn_id)
        candidates = {t.id: s for t, s in match_candidates(db, line)}
        split = candidates.get(txn.id)
        if split is None:
            raise LedgerError(f"{service.UI_LABEL[txn.type].lower()} {txn.doc_number or txn.id} does not match this "
                              f"line: it needs a {fmt(line.amount_cents)} entry on the same account within "
                              f"{MATCH_WINDOW_DAYS} days, not matched or reconciled yet")
        split.cleared = "C"
        db.add(split)
        line.status, line.txn_id, line.action = "categorized", txn.id, "matched"
        db.add(line)
        return line


def categorize_line(db: WorldSession, line_id, category_id, contact_id=None, memo: str = "") -> BankLine:
    """Add a feed line as a new transaction: an expense (money out), a deposit (money in) or a transfer."""
    line = get_line(db, line_id)
    with db.operation("books.bank.categorize", line_id=line.id, category_id=category_id, contact_id=contact_id):
        _must_be_for_review(line)
        category = service.get_account(db, category_id, "a category")
        acc = db.get(Account, line.account_id)
        amount = abs(line.amount_cents)
        memo = memo or line.description
        if category.type in ("Bank", "Credit card", "Other current asset", "Other current liability",
                             "Long-term liability", "Fixed asset", "Other asset", "Equity"):
            src, dst = (category.id, acc.id) if line.amount_cents > 0 else (acc.id, category.id)
            txn = service._write(db, None, service.draft_transfer(
                db, from_account_id=src, to_account_id=dst, amount_cents=amount, txn_date=line.date, memo=memo),
                "bank-feed")
        elif line.amount_cents > 0 and acc.type == "Credit card":  # a card refund
            draft = service.draft_purchase(db, pay_account_id=acc.id, txn_date=line.date, payee_id=contact_id,
                                           memo=memo, credit=True, lines=[service.LineInput(
                                               account_id=category.id, amount_cents=amount,
                                               description=line.description)])
            txn = service._write(db, None, draft, "bank-feed")
        elif line.amount_cents > 0:
            draft = service.draft_deposit(db, bank_account_id=acc.id, txn_date=line.date, memo=memo, lines=[
                service.LineInput(account_id=category.id, amount_cents=amount, description=line.description,
                                  contact_id=service.row_id(contact_id))])
            txn = service._write(db, None, draft, "bank-feed")
        else:
            draft = service.draft_purchase(db, pay_account_id=acc.id, txn_date=line.date, payee_id=contact_id,
                                           memo=memo, lines=[service.LineInput(
                                               account_id=category.id, amount_cents=amount,
                                               description=line.description)])
            txn = service._write(db, None, draft, "bank-feed")
        for split in db.exec(select(Split).where(Split.txn_id == txn.id, Split.account_id == acc.id)).all():
            split.cleared = "C"
            db.add(split)
        line.status, line.txn_id, line.action = "categorized", txn.id, "added"
        db.add(line)
        return line


def exclude_line(db: WorldSession, line_id) -> BankLine:
    """Exclude a feed line (a duplicate or a personal charge): it never reaches the books."""
    line = get_line(db, line_id)
    with db.operation("books.bank.exclude", line_id=line.id):
        _must_be_for_review(line)
        line.status = "excluded"
        db.add(line)
        return line


def undo_line(db: WorldSession, line_id) -> BankLine:
    """Send a categorized or excluded line back to review (a transaction it added is deleted)."""
    line = get_line(db, line_id)
    with db.operation("books.bank.undo", line_id=line.id):
        if line.status == "review":
            raise LedgerError("this bank line is already for review")
        if line.txn_id is not None:
            txn = db.get(Txn, line.txn_id)
            if db.exec(select(Split).where(Split.txn_id == txn.id, Split.cleared == "R")).first() is not None:
                raise LedgerError("the transaction was reconciled; undo the reconciliation first")
            line.status, line.txn_id, prior = "review", None, line.action
            line.action = ""
            db.add(line)
            db.flush()
            if prior == "added":  # the transaction existed only because of this line: it goes with the undo
                service._unwrite(db, txn)
                for att in db.exec(select(Attachment).where(Attachment.txn_id == txn.id)).all():
                    db.delete(att)
                db.flush()
                db.delete(txn)
            else:
                for split in db.exec(select(Split).where(Split.txn_id == txn.id,
                                                         Split.account_id == line.account_id)).all():
                    split.cleared = ""
                    db.add(split)
        else:
            line.status = "review"
            db.add(line)
        return line


def suggest(db: WorldSession, line: BankLine, rules: list[BankRule] | None = None) -> BankRule | None:
    """The first active bank rule that applies to the line."""
    if rules is None:
        rules = list(db.exec(select(BankRule).where(BankRule.active)).all())
    direction = "in" if line.amount_cents > 0 else "out"
    for rule in rules:
        if rule.account_id not in (None, line.account_id) or rule.direction not in ("any", direction):
            continue
        if rule.contains.lower() in line.description.lower():
            return rule
    return None


def create_rule(db: WorldSession, *, name: str, contains: str, category_id, direction: str = "any",
                account_id=None, contact_id=None) -> BankRule:
    """A bank rule: lines whose description contains the text get the category (and payee) suggested."""
    if not (name or "").strip() or not (contains or "").strip():
        raise BadRequest("a bank rule needs a name and the text to look for")
    if direction not in ("any", "in", "out"):
        raise BadRequest("a rule's direction is any, in or out")
    with db.operation("books.bank.rule.create", rule=name, contains=contains):
        category = service.get_account(db, category_id, "a category")
        rule = BankRule(name=name.strip(), contains=contains.strip(), direction=direction, category_id=category.id,
                        account_id=feed_account(db, account_id).id if account_id else None,
                        contact_id=service.get_contact_any(db, contact_id).id if contact_id else None)
        db.add(rule)
        db.flush()
        return rule


def apply_rules(db: WorldSession, account_id) -> int:
    """Categorize every line for review that a rule covers; returns how many were added."""
    acc = feed_account(db, account_id)
    with db.operation("books.bank.rules.apply", account_id=acc.id):
        rules = list(db.exec(select(BankRule).where(BankRule.active)).all())
        done = 0
        for line in db.exec(select(BankLine).where(BankLine.account_id == acc.id, BankLine.status == "review")
                            .order_by(BankLine.date, BankLine.id)).all():
            rule = suggest(db, line, rules)
            if rule is not None:
                categorize_line(db, line.id, rule.category_id, rule.contact_id)
                done += 1
        return done


def _parse_amount(text: str) -> int:
    raw = (text or "").strip().replace("$", "").replace(",", "")
    negative = raw.startswith("(") and raw.endswith(")")
    raw = raw.strip("()")
    if not raw:
        return 0
    whole, _, frac = raw.lstrip("-").partition(".")
    if not whole.isdecimal() and whole != "" or (frac and (not frac.isdecimal() or len(frac) > 2)):
        raise ValueError(text)
    cents = int(whole or 0) * 100 + int((frac + "00")[:2])
    return -cents if negative or raw.startswith("-") else cents


def _parse_date(text: str) -> date:
    text = (text or "").strip()
    for fmt_ in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"):
        try:
            return datetime.strptime(text, fmt_).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_csv(db: WorldSession, account_id, filename: str, data: bytes) -> int:
    """Import a bank statement CSV (Date, Description, Amount or Debit/Credit columns) into the feed.

    Lines already in the feed (same date, amount and description) are skipped; returns how many were added.
    """
    acc = feed_account(db, account_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(f"{filename} is not a UTF-8 CSV file") from None
    reader = csv.DictReader(io.StringIO(text))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    if "date" not in headers or "description" not in headers or not (
            "amount" in headers or "debit" in headers or "credit" in headers):
        raise BadRequest(f"{filename} needs a header row with Date, Description and Amount (or Debit and Credit) "
                         f"columns; found {', '.join(reader.fieldnames or []) or 'none'}")
    parsed = []
    for n, row in enumerate(reader, 2):
        try:
            day = _parse_date(row[headers["date"]])
            if "amount" in headers:
                amount = _parse_amount(row[headers["amount"]])
            else:
                amount = (_parse_amount(row.get(headers.get("credit", ""), "") or "")
                          - abs(_parse_amount(row.get(headers.get("debit", ""), "") or "")))
        except (ValueError, KeyError, TypeError):
            raise BadRequest(f"{filename} line {n}: cannot read the date or the amount") from None
        description = (row[headers["description"]] or "").strip()
        if amount == 0:
            raise BadRequest(f"{filename} line {n}: the amount is zero")
        parsed.append((day, description, amount))
    if not parsed:
        raise BadRequest(f"{filename} has no lines")
    with db.operation("books.bank.import", account_id=acc.id, filename=filename, lines=len(parsed)):
        added = 0
        for day, description, amount in parsed:
            exists = db.exec(select(BankLine).where(BankLine.account_id == acc.id, BankLine.date == day,
                                                    BankLine.amount_cents == amount,
                                                    BankLine.description == description)).first()
            if exists is None:
                db.add(BankLine(account_id=acc.id, date=day, description=description, amount_cents=amount,
                                imported_from=filename[:200]))
                added += 1
        return added


# --- reconciliation -------------------------------------------------------------------------------------

def last_reconciliation(db: WorldSession, account_id: int) -> Reconciliation | None:
    """The latest finished reconciliation of the account."""
    return db.exec(select(Reconciliation).where(Reconciliation.account_id == account_id)
                   .order_by(Reconciliation.statement_date.desc(), Reconciliation.id.desc())).first()


def beginning_balance(db: WorldSession, account_id: int) -> int:
    """What the next statement starts from: the last reconciliation's ending balance (else reconciled items)."""
    last = last_reconciliation(db, account_id)
    if last is not None:
        return last.ending_balance_cents
    return db.exec(select(func.coalesce(func.sum(Split.amount_cents), 0)).where(
        Split.account_id == account_id, Split.cleared == "R")).one()


def bank_balance(db: WorldSession, account_id: int) -> int | None:
    """What the bank says: the last reconciled statement's ending balance plus the feed lines dated after it
    (None before any reconciliation). In the account's debit-positive terms."""
    last = last_reconciliation(db, account_id)
    if last is None:
        return None
    later = db.exec(select(func.coalesce(func.sum(BankLine.amount_cents), 0)).where(
        BankLine.account_id == account_id, BankLine.date > last.statement_date)).one()
    return last.ending_balance_cents + later


@dataclass
class Worksheet:
    """A reconciliation in progress: the items and the running figures."""

    account: Account
    statement_date: date
    beginning_cents: int
    ending_cents: int
    items: list[tuple[Txn, Split]]
    checked: set[int]

    @property
    def cleared_cents(self) -> int:
        """Beginning balance plus the checked items (in the account's debit-positive terms)."""
        return self.beginning_cents + sum(s.amount_cents for _t, s in self.items if s.id in self.checked)

    @property
    def difference_cents(self) -> int:
        """Statement ending balance minus the cleared balance: must be zero to finish."""
        return self.ending_cents - self.cleared_cents


def worksheet(db: WorldSession, account_id, statement_date: date, ending_cents: int,
              checked: set[int] | None = None) -> Worksheet:
    """The items to tick for a statement: unreconciled splits on the account up to the statement date.

    Amounts are debit-positive; for a credit card the statement balance is entered as owed (positive) and
    turned into the account's credit balance here.
    """
    acc = feed_account(db, account_id)
    items = list(db.exec(select(Txn, Split).join(Split, Split.txn_id == Txn.id).where(
        Split.account_id == acc.id, Split.cleared != "R", Split.amount_cents != 0,
        Txn.txn_date <= statement_date).order_by(Txn.txn_date, Txn.id)).all())
    if checked is None:  # items matched in the bank feed start ticked, as in QuickBooks
        checked = {s.id for _t, s in items if s.cleared == "C"}
    sign = 1 if ledger.is_debit_normal(acc.type) else -1
    return Worksheet(acc, statement_date, beginning_balance(db, acc.id), sign * ending_cents, items,
                     {i for i in checked if any(s.id == i for _t, s in items)})


def finish_reconciliation(db: WorldSession, account_id, statement_date: date, ending_cents: int,
                          checked: set[int]) -> Reconciliation:
    """Finish when the difference is 0.00: the checked items become reconciled."""
    acc = feed_account(db, account_id)
    with db.operation("books.reconcile.finish", account_id=acc.id, statement_date=statement_date,
                      ending_cents=ending_cents, items=len(checked)):
        last = last_reconciliation(db, acc.id)
        if last is not None and statement_date <= last.statement_date:
            raise LedgerError(f"{acc.name} is reconciled through {last.statement_date.isoformat()}; the statement "
                              "date must be later")
        sheet = worksheet(db, acc.id, statement_date, ending_cents, checked)
        unknown = set(checked) - {s.id for _t, s in sheet.items}
        if unknown:
            raise LedgerError("some ticked items are not open items of this account up to the statement date")
        if sheet.difference_cents != 0:
            raise LedgerError(f"the difference is {fmt(abs(sheet.difference_cents))}; it must be $0.00 to finish",
                              code="reconcile_difference")
        rec = Reconciliation(account_id=acc.id, statement_date=statement_date,
                             beginning_balance_cents=sheet.beginning_cents, ending_balance_cents=sheet.ending_cents,
                             finished_at=db.now())
        db.add(rec)
        db.flush()
        for _txn, split in sheet.items:
            if split.id in checked:
                split.cleared, split.reconciliation_id = "R", rec.id
                db.add(split)
        return rec


def undo_reconciliation(db: WorldSession, account_id) -> Reconciliation:
    """Undo the account's latest reconciliation: its items go back to cleared."""
    acc = feed_account(db, account_id)
    last = last_reconciliation(db, acc.id)
    if last is None:
        raise LedgerError(f"{acc.name} has no reconciliation to undo")
    with db.operation("books.reconcile.undo", account_id=acc.id, reconciliation_id=last.id):
        for split in db.exec(select(Split).where(Split.reconciliation_id == last.id)).all():
            split.cleared, split.reconciliation_id = "C", None
            db.add(split)
        db.flush()
        db.delete(last)
        return last
