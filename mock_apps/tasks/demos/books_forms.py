"""Books forms the industries' demonstrations fill: a bank deposit, a journal entry, a credit memo and an
invoice of account or product lines, each opened from "+ New" and saved."""

from __future__ import annotations


def new_form(page, entry: str) -> None:
    """Open one of Books' "+ New" forms by its menu entry."""
    page.get_by_role("button", name="+ New").click()
    page.get_by_role("menuitem", name=entry, exact=True).click()
    page.wait_for_load_state()


def choose(select, label: str) -> None:
    """Choose the option of a select whose text is `label` (an account's "number name", a contact's name)."""
    select.select_option(label=label)


def save(page) -> None:
    """Save the open form and wait for the saved transaction's page."""
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    error = page.get_by_test_id("form-error")
    if error.count():
        raise AssertionError(f"Books refused the form: {error.inner_text()}")


def deposit(page, *, to: str, date: str, source: str, account: str, amount: str, description: str) -> None:
    """A bank deposit of one line received from a customer on an account."""
    new_form(page, "Bank deposit")
    choose(page.get_by_label("Deposit to"), to)
    page.get_by_label("Date", exact=True).fill(date)
    choose(page.get_by_label("Received from, line 1"), source)
    choose(page.get_by_label("Account, line 1"), account)
    page.get_by_label("Description, line 1").fill(description)
    page.get_by_label("Amount, line 1").fill(amount)
    save(page)


def journal(page, *, date: str, memo: str, lines: list[tuple[str, str, str, str]], number: str = "") -> None:
    """A journal entry of (account, debit, credit, name) lines, with a journal no. when given."""
    new_form(page, "Journal entry")
    page.get_by_label("Date", exact=True).fill(date)
    if number:
        page.get_by_label("Journal no.").fill(number)
    for n, (account, debit, credit, name) in enumerate(lines, start=1):
        choose(page.get_by_label(f"Account, line {n}"), account)
        if debit:
            page.get_by_label(f"Debit, line {n}").fill(debit)
        if credit:
            page.get_by_label(f"Credit, line {n}").fill(credit)
        page.get_by_label(f"Description, line {n}").fill(memo)
        if name:
            choose(page.get_by_label(f"Name, line {n}"), name)
    page.get_by_label("Memo").fill(memo)
    save(page)


def sales_form(page, entry: str, *, customer: str, date: str, lines: list[dict], number: str = "",
               memo: str = "") -> None:
    """An invoice or credit memo; each line is {item, qty, rate} or {account, description, amount}."""
    new_form(page, entry)
    choose(page.get_by_label("Customer", exact=True), customer)
    page.get_by_label("Invoice date" if entry == "Invoice" else "Date", exact=True).fill(date)
    if number:
        page.get_by_label("Credit memo no." if entry == "Credit memo" else "Invoice no.").fill(number)
    for n, line in enumerate(lines, start=1):
        if "item" in line:
            choose(page.get_by_label(f"Product/service, line {n}"), line["item"])
            page.get_by_label(f"Qty, line {n}").fill(line["qty"])
            page.get_by_label(f"Rate, line {n}").fill(line["rate"])
        else:
            choose(page.get_by_label(f"Account, line {n}"), line["account"])
            page.get_by_label(f"Description, line {n}").fill(line["description"])
            page.get_by_label(f"Amount, line {n}").fill(line["amount"])
    if memo:
        page.get_by_label("Message / memo" if entry == "Invoice" else "Memo").fill(memo)
    save(page)


def receive(page, *, customer: str, date: str, reference: str, method: str, bank: str, full: list[str] = (),
            amounts: dict[str, str] | None = None) -> None:
    """Receive payment: documents in `full` paid (or credits used) in full, others for the amount given."""
    new_form(page, "Receive payment")
    choose(page.get_by_label("Customer", exact=True), customer)
    page.get_by_role("button", name="Show open invoices").click()
    page.wait_for_load_state()
    page.get_by_label("Payment date").fill(date)
    choose(page.get_by_label("Deposit to"), bank)
    page.get_by_label("Payment method").select_option(method)
    page.get_by_label("Reference no.").fill(reference)
    for number in full:
        page.get_by_label(f"Pay {number} in full").check()
    for number, amount in (amounts or {}).items():
        page.get_by_label(f"Payment for {number}").fill(amount)
    save(page)
