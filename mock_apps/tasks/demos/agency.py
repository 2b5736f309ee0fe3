"""Demonstrations of an agency's billing: a project's logged time invoiced one line per service."""

from __future__ import annotations

from mock_apps.tasks.demos import company_of, demo
from mock_apps.tasks.demos.books_forms import sales_form
from mock_apps.tasks.demos.pages import open_mail, switch_to
from mock_apps.tasks.model import Task


@demo("agency-bill-project-time")
def bill_project_time(page, task: Task) -> None:
    """Read the producer's time log, then invoice the client the hours per service at the standard rates."""
    p, c = task.params, company_of(task)
    open_mail(page, p["project"], "Time to bill")
    switch_to(page, "books")
    sales_form(page, "Invoice", customer=p["client"], date=c["today"], memo=p["project"],
               lines=[{"item": line["item"], "qty": line["hours"], "rate": line["rate"]} for line in p["lines"]])
