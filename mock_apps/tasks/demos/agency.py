"""Demonstrations of an agency's billing: a project's logged time invoiced one line per service."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.books_forms import sales_form
from mock_apps.tasks.demos.pages import open_mail, switch_to
from mock_apps.tasks.demos.report import log_sheet, report
from mock_apps.tasks.model import Task


@demo("agency-bill-project-time")
def bill_project_time(page, task: Task) -> None:
    """Read the producer's time log, then invoice the client the hours per service at the standard rates."""
    p, c = task.params, company_of(task)
    open_mail(page, p["project"], "Time to bill")
    switch_to(page, "books")
    sales_form(page, "Invoice", customer=p["client"], date=c["today"], memo=p["project"],
               lines=[{"item": line["item"], "qty": line["hours"], "rate": line["rate"]} for line in p["lines"]])


@demo("agency-bill-time-and-send")
def bill_time_and_send(page, task: Task) -> None:
    """The time invoiced, the client mailed the total, a Billing Log row, the controller told."""
    p, c = task.params, company_of(task)
    bill_project_time(page, task)
    report(page, c, mails=[(p["email"], f"Invoice for {p['project']}",
                            f"Hi {p['contact_first']},\n\nOur invoice for the time on {p['project']} is on its way: "
                            f"${p['total_plain']} ({p['services']}).")],
           sheet="Billing Log", header=["Date", "Client", "Project", "Total"],
           rows=[[c["today"], p["client"], p["project"], str(p["total_number"])]],
           told=f"{p['project']} is billed to {p['client']} ({p['total']}) and logged.")


@demo("agency-bill-both-projects")
def bill_both_projects(page, task: Task) -> None:
    """Each project's time invoiced from the producer's mail, then each client mailed its total."""
    from mock_apps.tasks.demos.pages import send_mail

    c = company_of(task)
    for item in task.params["projects"]:
        switch_to(page, "mail")
        bill_project_time(page, task.model_copy(update={"params": item}))
    switch_to(page, "mail")
    for item in task.params["projects"]:
        send_mail(page, to=item["email"], subject=f"Invoice for {item['project']}",
                  body=f"Hi {item['contact_first']},\n\nOur invoice for the time on {item['project']} is on its "
                       f"way: ${item['total_plain']}.\n\nBest regards,\n{c['owner_name']}")


@demo("agency-project-hours-question")
def project_hours_question(page, task: Task) -> str:
    """Read the producer's time log and add up its hours."""
    p = task.params
    open_mail(page, p["project"], "Time to bill")
    return p["hours_total"]


@demo("agency-time-summary-to-sheet")
def time_summary_to_sheet(page, task: Task) -> None:
    """Read the time log, look the services' rates up in Books, then type the summary on a new sheet."""
    p, c = task.params, company_of(task)
    open_mail(page, p["project"], "Time to bill")
    read_rates(page)
    rows = [[line["item"], line["hours"], line["rate"], str(amount)] for line, amount in zip(p["lines"], p["amounts"])]
    log_sheet(page, c["close_workbook"], p["project"], ["Service", "Hours", "Rate", "Amount"], rows)


@demo("agency-bill-time-reply-producer")
def bill_time_reply_producer(page, task: Task) -> None:
    """The time invoiced, then a reply in the producer's conversation with the invoice's number and total."""
    p, c = task.params, company_of(task)
    bill_project_time(page, task)
    switch_to(page, "mail")
    open_mail(page, p["project"], "Time to bill")
    page.get_by_test_id("reply").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("compose-body").fill(
        f"Hi {p['producer_first']},\n\n{p['project']} is invoiced: {p['next_invoice']} to {p['client']}, "
        f"${p['total_plain']}.\n\nThanks,\n{c['owner_name']}")
    page.get_by_test_id("send").click()
    page.wait_for_load_state()


@demo("agency-project-invoice-total-question")
def project_invoice_total_question(page, task: Task) -> str:
    """Read the time log, look the services' rates up in Books, and total hours times rate."""
    p = task.params
    open_mail(page, p["project"], "Time to bill")
    read_rates(page)
    return p["total"]


def read_rates(page) -> None:
    """Books' products and services: the standard rate of each service."""
    switch_to(page, "books")
    page.get_by_test_id("nav-sales").click()
    page.wait_for_load_state()
    page.get_by_test_id("nav-products-and-services").click()
    page.wait_for_load_state()


@demo("agency-bill-next-retainer")
def bill_next_retainer(page, task: Task) -> None:
    """Look the client's retainer invoice up in Books, then invoice next month's retainer."""
    from mock_apps.tasks.demos.questions import search_books

    p, c = task.params, company_of(task)
    search_books(page, p["last_invoice"])
    sales_form(page, "Invoice", customer=p["client"], date=c["today"], memo=f"{p['next_month']} retainer",
               lines=[{"item": p["item"], "qty": "1", "rate": p["rate"]}])
