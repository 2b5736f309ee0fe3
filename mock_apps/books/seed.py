"""Render the scenario's facts into the books: the chart of accounts with opening balances, contacts,
products, three months of invoices, payments, bills, bill payments, expenses and payroll, the bank feed
(prior months reconciled, the current month for review) and the prior months' reconciliations.

Bills with `in_books=False` stay out: they exist only as mail attachments until a task enters them.
"""

from __future__ import annotations

from sqlmodel import select

from mock_apps.books import ledger, service
from mock_apps.books.models import Account, BankLine, Company, Contact, Item, Reconciliation, Split
from mock_apps.books.service import LineInput
from mock_apps.core.database import WorldSession


def seed(db: WorldSession, scenario) -> None:
    """Write the scenario's books (no operations are logged while seeding)."""
    facts = scenario.facts
    now = db.now()
    c = facts.company
    db.add(Company(name=c.name, legal_name=c.legal_name, realm_id=c.realm_id,
                   address=f"{c.address}, {c.city}, {c.state} {c.postal_code}", closing_date=None,
                   next_invoice_number=1001))
    accounts: dict[str, Account] = {}
    for fact in facts.accounts:
        acc = Account(number=fact.number, name=fact.name, type=fact.type, detail_type=fact.detail_type,
                      created_at=now, updated_at=now)
        db.add(acc)
        accounts[fact.name] = acc
    db.flush()
    vendors: dict[str, Contact] = {}
    for v in facts.vendors:
        contact = Contact(kind="vendor", key=v.key, display_name=v.name, company_name=v.name,
                          contact_name=v.contact_name, email=v.email, phone=v.phone, address=v.address,
                          terms_days=v.terms_days, default_account_id=accounts[v.expense_account].id,
                          created_at=now, updated_at=now)
        db.add(contact)
        vendors[v.key] = contact
    customers: dict[str, Contact] = {}
    for cu in facts.customers:
        contact = Contact(kind="customer", key=cu.key, display_name=cu.name, company_name=cu.name,
                          contact_name=cu.contact_name, email=cu.email, phone=cu.phone, address=cu.address,
                          terms_days=cu.terms_days, created_at=now, updated_at=now)
        db.add(contact)
        customers[cu.key] = contact
    db.flush()
    items: dict[str, Item] = {}
    for p in facts.products:
        item = Item(sku=p.sku, name=p.name, description=p.description,
                    type="Service" if p.unit_cost_cents == 0 else "NonInventory",  # nothing bought: a service
                    unit_price_cents=p.unit_price_cents, unit_cost_cents=p.unit_cost_cents,
                    income_account_id=accounts[p.income_account].id,
                    expense_account_id=accounts[p.expense_account].id, vendor_id=vendors[p.vendor_key].id if p.vendor_key else None,
                    created_at=now, updated_at=now)
        db.add(item)
        items[p.sku] = item
    db.flush()

    def lines_of(fact_lines) -> list[LineInput]:
        return [LineInput(account_id=accounts[line.account].id, item_id=items[line.sku].id if line.sku else None,
                          description=line.description, quantity_milli=line.quantity * 1000,
                          unit_cents=line.unit_cents) for line in fact_lines]

    # Opening balances: one journal entry on the opening date.
    opening = []
    for fact in facts.accounts:
        if fact.opening_balance_cents:
            debit = fact.opening_balance_cents if ledger.is_debit_normal(fact.type) else -fact.opening_balance_cents
            opening.append(LineInput(account_id=accounts[fact.name].id, description="Opening balance",
                                     debit_cents=max(debit, 0), credit_cents=max(-debit, 0)))
    opening_txn = service.create_txn(db, "JournalEntry", source="seed", txn_date=facts.opening_date,
                                     lines=opening, doc_number="OPENING", memo="Opening balances")

    sources: dict[str, int] = {}  # fact key -> transaction id (for the bank feed)
    invoice_ids: dict[str, int] = {}
    bill_ids: dict[str, int] = {}
    events = []
    for inv in facts.invoices:
        events.append((inv.date, 0, "invoice", inv))
    for bill in facts.bills:
        if bill.in_books:
            events.append((bill.date, 1, "bill", bill))
    for pmt in facts.customer_payments:
        events.append((pmt.date, 2, "payment", pmt))
    for bp in facts.bill_payments:
        events.append((bp.date, 3, "billpayment", bp))
    for exp in facts.expenses:
        events.append((exp.date, 4, "expense", exp))
    for run in facts.payroll_runs:
        events.append((run.date, 5, "payroll", run))
    events.sort(key=lambda e: (e[0], e[1]))
    merchants: dict[str, Contact] = {}
    checking = accounts["Operating Checking"]
    for _day, _order, kind, fact in events:
        if kind == "invoice":
            txn = service.create_txn(db, "Invoice", source="seed", customer_id=customers[fact.customer_key].id,
                                     txn_date=fact.date, due_date=fact.due_date, lines=lines_of(fact.lines),
                                     doc_number=fact.number, memo=fact.memo)
            invoice_ids[fact.number] = txn.id
        elif kind == "bill":
            txn = service.create_txn(db, "Bill", source="seed", vendor_id=vendors[fact.vendor_key].id,
                                     txn_date=fact.date, due_date=fact.due_date, lines=lines_of(fact.lines),
                                     doc_number=fact.vendor_invoice_number, memo=fact.memo)
            bill_ids[fact.key] = txn.id
        elif kind == "payment":
            txn = service.create_txn(db, "Payment", source="seed", customer_id=customers[fact.customer_key].id,
                                     txn_date=fact.date, deposit_account_id=checking.id,
                                     applications=[(invoice_ids[n], c) for n, c in fact.applications],
                                     method=fact.method, doc_number=fact.reference)
            sources[fact.key] = txn.id
        elif kind == "billpayment":
            txn = service.create_txn(db, "BillPayment", source="seed", vendor_id=vendors[fact.vendor_key].id,
                                     txn_date=fact.date, pay_account_id=checking.id,
                                     applications=[(bill_ids[k], c) for k, c in fact.applications],
                                     method=fact.method, doc_number=fact.reference)
            sources[fact.key] = txn.id
        elif kind == "expense":
            payee = vendors.get(fact.payee) or merchants.get(fact.payee)
            if payee is None:
                payee = Contact(kind="vendor", key="", display_name=fact.payee, company_name=fact.payee,
                                terms_days=0, default_account_id=accounts[fact.account].id,
                                created_at=now, updated_at=now)
                db.add(payee)
                db.flush()
                merchants[fact.payee] = payee
            txn = service.create_txn(db, "Purchase", source="seed", pay_account_id=accounts[fact.paid_from].id,
                                     payee_id=payee.id, txn_date=fact.date, memo=fact.memo,
                                     lines=[LineInput(account_id=accounts[fact.account].id,
                                                      amount_cents=fact.amount_cents,
                                                      description=fact.memo or fact.payee)])
            sources[fact.key] = txn.id
        else:
            taxes = fact.withholding_cents + fact.employer_taxes_cents
            txn = service.create_txn(db, "JournalEntry", source="seed", txn_date=fact.date,
                                     doc_number=fact.journal_number, memo="Payroll", lines=[
                LineInput(account_id=accounts["Payroll Expenses"].id, debit_cents=fact.gross_cents,
                          description="Gross wages"),
                LineInput(account_id=accounts["Payroll Taxes"].id, debit_cents=fact.employer_taxes_cents,
                          description="Employer payroll taxes"),
                LineInput(account_id=checking.id, credit_cents=fact.net_cents, description="Net pay"),
                LineInput(account_id=accounts["Payroll Liabilities"].id, credit_cents=taxes,
                          description="Withholding and employer taxes due")])
            sources[fact.key] = txn.id
            tax = service.create_txn(db, "JournalEntry", source="seed", txn_date=fact.date,
                                     doc_number=f"TAX-{fact.date:%Y%m%d}", memo="Payroll tax deposit (EFTPS)",
                                     lines=[LineInput(account_id=accounts["Payroll Liabilities"].id, debit_cents=taxes,
                                                      description="Payroll tax deposit"),
                                            LineInput(account_id=checking.id, credit_cents=taxes,
                                                      description="EFTPS")])
            sources[fact.key + "-tax"] = tax.id

    _bank_feed(db, facts, accounts, sources, opening_txn.id)
    comp = db.exec(select(Company)).one()
    comp.closing_date = facts.opening_date
    comp.next_invoice_number = 1001 + len(facts.invoices)
    db.add(comp)
    db.flush()
    _expense_reports(db, facts, accounts)


def _expense_reports(db: WorldSession, facts, accounts: dict[str, Account]) -> None:
    """Employees' card charges from their mailed expense reports, written last so no earlier id moves."""
    for fact in facts.expense_reports:
        payee = db.exec(select(Contact).where(Contact.display_name == fact.payee)).first()
        if payee is None:
            payee = Contact(kind="vendor", key="", display_name=fact.payee, company_name=fact.payee, terms_days=0,
                            default_account_id=accounts[fact.account].id, created_at=db.now(), updated_at=db.now())
            db.add(payee)
            db.flush()
        service.create_txn(db, "Purchase", source="seed", pay_account_id=accounts[fact.paid_from].id,
                           payee_id=payee.id, txn_date=fact.date, memo=fact.memo,
                           lines=[LineInput(account_id=accounts[fact.account].id, amount_cents=fact.amount_cents,
                                            description=fact.memo)])


def _bank_feed(db: WorldSession, facts, accounts: dict[str, Account], sources: dict[str, int],
               opening_txn_id: int) -> None:
    """Prior months: categorized and reconciled; current month: for review."""
    checking = accounts["Operating Checking"]
    for split in db.exec(select(Split).where(Split.txn_id == opening_txn_id, Split.account_id == checking.id)).all():
        split.cleared = "R"  # the opening balance is where the first statement begins
        db.add(split)
    recs: dict[tuple, Reconciliation] = {}
    for st in facts.statements:
        if st.reconciled:
            rec = Reconciliation(account_id=accounts[st.account].id, statement_date=st.period_end,
                                 beginning_balance_cents=st.beginning_balance_cents,
                                 ending_balance_cents=st.ending_balance_cents, finished_at=db.now())
            db.add(rec)
            recs[(st.account, st.period_start, st.period_end)] = rec
    db.flush()

    def rec_for(line) -> Reconciliation | None:
        for (account, start, end), rec in recs.items():
            if account == line.account and start <= line.date <= end:
                return rec
        return None

    for fact in facts.bank_lines:
        acc = accounts[fact.account]
        line = BankLine(account_id=acc.id, key=fact.key, date=fact.date, description=fact.description,
                        amount_cents=fact.amount_cents)
        if fact.in_feed:
            db.add(line)  # for review; its transaction (if any) is in the books, waiting to be matched
            continue
        if fact.source is not None:
            txn_id, action = sources[fact.source], "matched"
        else:
            txn_id, action = _categorize_unsourced(db, fact, accounts), "added"
        split = db.exec(select(Split).where(Split.txn_id == txn_id, Split.account_id == acc.id,
                                            Split.amount_cents == fact.amount_cents)).first()
        rec = rec_for(fact) if fact.reconciled else None
        split.cleared = "R" if rec else "C"
        split.reconciliation_id = rec.id if rec else None
        db.add(split)
        line.status, line.txn_id, line.action = "categorized", txn_id, action
        db.add(line)
    db.flush()
    for (account, _start, end), rec in recs.items():
        total = sum(s.amount_cents for s in db.exec(select(Split).where(
            Split.account_id == accounts[account].id, Split.cleared == "R")).all()
            if s.reconciliation_id is None or db.get(Reconciliation, s.reconciliation_id).statement_date <= end)
        if total != rec.ending_balance_cents:  # the facts and the books must tell the same story
            raise AssertionError(f"seeded reconciliation of {account} through {end} is off by "
                                 f"{rec.ending_balance_cents - total} cents")


def _categorize_unsourced(db: WorldSession, fact, accounts: dict[str, Account]) -> int:
    """A prior-month bank line the books learned of from the feed: card autopay or interest."""
    checking = accounts[fact.account]
    if "VISA" in fact.description.upper():
        draft = service.draft_transfer(db, from_account_id=checking.id, to_account_id=accounts["Company Visa"].id,
                                       amount_cents=-fact.amount_cents, txn_date=fact.date,
                                       memo=fact.description)
    else:
        draft = service.draft_deposit(db, bank_account_id=checking.id, txn_date=fact.date, memo=fact.description,
                                      lines=[LineInput(account_id=accounts["Interest Income"].id,
                                                       amount_cents=fact.amount_cents, description=fact.description)])
    return service._write(db, None, draft, "bank-feed").id
