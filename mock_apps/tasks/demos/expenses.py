"""Demonstration of the March expense review: policy in Chat, reports in Mail, charges in Books, flag in Sheets."""

from __future__ import annotations

from mock_apps.tasks.demos import demo
from mock_apps.tasks.demos.pages import open_channel, open_mail, open_sheet, reply_in_thread, switch_to, type_cell
from mock_apps.tasks.model import Task


@demo("review-march-expense-reports")
def review_expense_reports(page, task: Task) -> None:
    """Read the request and the pinned policy, the mailed reports and the card charges; flag and reply."""
    open_channel(page, "finance")
    request = page.locator("[data-ts]", has_text="review the March expense reports").first
    thread_ts = request.get_attribute("data-ts")
    switch_to(page, "mail")
    open_mail(page, "Expense report - March 2026", "Sophie Lindqvist")
    switch_to(page, "books")
    page.get_by_role("searchbox", name="Search books").fill("Columbus Chophouse")
    page.get_by_role("searchbox", name="Search books").press("Enter")
    page.wait_for_load_state()
    switch_to(page, "sheets")
    open_sheet(page, "Expense Review March 2026")
    type_cell(page, "F5", "Out of policy")  # the Columbus Chophouse dinner: $412.80 for 3 people
    switch_to(page, "chat")
    reply_in_thread(page, "finance", thread_ts,
                    "Reviewed all seven March charges against Books. Flagged one: Sophie's Columbus Chophouse dinner "
                    "on 3/19, $412.80 for 3 people ($137.60 each, over the $75.00 meal limit). Everything else is "
                    "within policy.")
