"""Demonstrations of the month-end close's payables work: an approved invoice from the mailbox entered, paid,
tracked on the A/P workbook and reported in its approval thread."""

from __future__ import annotations

from datetime import date

from mock_apps.tasks.demos import company_of, demo, facts_of, pages
from mock_apps.tasks.model import Task
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import listing

AP_WORKBOOK = "AP Reconciliation March 2026"


def track_and_reply(page, row: dict[str, str], channel: str, thread_ts: str, reply: str,
                    workbook: str = AP_WORKBOOK) -> None:
    """A new row on the Open Bills sheet of the A/P workbook, then a reply in a chat thread."""
    pages.switch_to(page, "sheets")
    pages.open_sheet(page, workbook)
    pages.type_row(page, pages.first_empty_row(page), row)
    pages.switch_to(page, "chat")
    pages.reply_in_thread(page, channel, thread_ts, reply)


@demo("pay-approved-bill")
def pay_approved_bill(page, task: Task) -> None:
    """PDF from the mail, the approval thread read, bill entered and paid, a row on Open Bills, a thread reply."""
    p, c = task.params, company_of(task)
    invoice, amount = p["invoice"], f"{p['total_cents'] / 100:.2f}"
    due = next(b.due_date for b in facts_of(task).bills if b.vendor_invoice_number == invoice)  # as on the invoice
    pages.open_mail(page, invoice, invoice)
    pdf = pages.download_attachment(page)
    pages.switch_to(page, "chat")
    pages.open_channel(page, "ap-approvals")
    pages.switch_to(page, "books")
    pages.enter_bill(page, vendor=p["vendor"], date=p["date"], invoice=invoice, account=p["account"], amount=amount,
                     pdf=pdf)
    pages.pay_open_bill(page, invoice, bank=c["bank_option"])
    track_and_reply(page, {"A": p["vendor"], "B": invoice, "C": p["date"], "D": due.isoformat(),
                           "E": amount, "F": amount},
                    "ap-approvals", p["thread_ts"],
                    f"{invoice} is entered and paid in full today (${float(amount):,.2f} by ACH from "
                    f"{c['bank']}).", workbook=c["ap_workbook"])


@demo("pay-past-due-bill")
def pay_past_due_bill(page, task: Task) -> None:
    """Pay bills in Books, the Paid cell of the bill's Open Bills row, a remittance advice, a payment-run post."""
    p, c = task.params, company_of(task)
    invoice, amount = p["invoice"], p["amount_text"]
    page.get_by_test_id("nav-bills").click()
    page.wait_for_load_state()
    page.get_by_test_id("pay-bills").click()
    page.wait_for_load_state()
    pages.pay_in_full(page, invoice, bank=c["bank_option"])
    pages.switch_to(page, "sheets")
    pages.open_sheet(page, c["ap_workbook"])
    pages.type_cell(page, f"F{pages.row_of(page, invoice)}", amount)
    pages.switch_to(page, "mail")
    pages.send_mail(page, to=p["email"], subject=f"Remittance advice: {invoice} paid",
                    body=f"Hello,\n\nWe paid invoice {invoice} in full today: ${amount} by ACH to the account on "
                         f"file.\n\n{c['owner_name']}\n{c['company']}")
    pages.switch_to(page, "chat")
    pages.post_in_channel(page, "ap-approvals", f"Payment run for {date.fromisoformat(c['today']):%b %-d} sent "
                                                f"(${amount} total):\n"
                                                f"• {p['vendor']}: {invoice}, ${amount} by ACH")


def add_feed_line(page, description: str, category: str) -> None:
    """On the bank feed's For review tab: add one line as a new transaction in a category."""
    form = page.get_by_role("form", name=f"Add {description}")
    form.get_by_label("Category").select_option(label=category)
    form.get_by_role("button", name="Add").click()
    page.wait_for_load_state()


@demo("close-bank-feed-unmatched-lines")
def bank_feed_unmatched_lines(page, task: Task) -> None:
    """Interest and the card autopay added from the feed, the unknown deposit asked about, the checklist updated."""
    p, c = task.params, company_of(task)
    page.get_by_test_id("nav-banking").click()
    page.wait_for_load_state()
    add_feed_line(page, "INTEREST PAID", p["income_option"])
    add_feed_line(page, "COMPANY VISA AUTOPAY", p["card_option"])
    pages.switch_to(page, "chat")
    pages.post_in_channel(page, "finance", f"Does anyone know whose deposit the {p['deposit']} MOBILE DEPOSIT on "
                                           f"{p['deposit_date']} is? It is in the {p['month']} bank feed and matches "
                                           "nothing in Books.")
    pages.switch_to(page, "sheets")
    pages.open_sheet(page, c["close_workbook"])
    pages.type_cell(page, f"D{p['checklist_row']}", "Waiting on info")


@demo("close-enter-kickoff-bills")
def enter_kickoff_bills(page, task: Task) -> None:
    """The kickoff read, each listed bill entered from its mailed PDF, item 1 reported in the kickoff thread."""
    p = task.params
    pages.open_channel(page, "finance")
    for bill in p["bills"]:
        invoice = bill["invoice"]
        pages.switch_to(page, "mail")
        # the vendor's own mail: a bank-change request from a look-alike domain may name the same invoice
        pages.open_mail(page, f"{invoice} from:{bill['domain']}", invoice)
        pdf = pages.download_attachment(page)
        pages.switch_to(page, "books")
        pages.enter_bill(page, vendor=bill["vendor"], date=bill["date"], invoice=invoice, account=bill["account"],
                         amount=f"{bill['total_cents'] / 100:.2f}", pdf=pdf)
    pages.switch_to(page, "chat")
    done = listing([f"{b['invoice']} (once)" if b["resent"] else
                    f"{b['invoice']} at {dollars(b['total_cents'])}" if b["corrected"] else b["invoice"]
                    for b in p["bills"]])
    pages.reply_in_thread(page, "finance", p["thread_ts"],
                          f"Item 1 is done: {done} are entered in Books with their PDFs. Nothing paid yet.")
