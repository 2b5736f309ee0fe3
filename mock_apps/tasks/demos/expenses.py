"""Demonstration of the month's expense review: policy in Chat, reports in Mail, charges in Books, flag in Sheets."""

from __future__ import annotations

from mock_apps.tasks.demos import demo, facts_of
from mock_apps.tasks.demos.pages import open_channel, open_mail, open_sheet, reply_in_thread, switch_to, type_cell
from mock_apps.tasks.model import Task


@demo("review-expense-reports")
def review_expense_reports(page, task: Task) -> None:
    """Read the request and the pinned policy, the mailed reports and the card charges; flag and reply."""
    from mock_apps.tasks.selectors.money import dollars

    p, facts = task.params, facts_of(task)
    bad = next(e for e in facts.expense_reports if e.policy_issue)
    who = facts.person(bad.submitted_by)
    open_channel(page, "finance")
    request = page.locator("[data-ts]", has_text=f"review the {p['month']} expense reports").first
    thread_ts = request.get_attribute("data-ts")
    switch_to(page, "mail")
    open_mail(page, f"Expense report - {facts.now:%B %Y}", who.name)
    switch_to(page, "books")
    page.get_by_role("searchbox", name="Search books").fill(p["merchant"])
    page.get_by_role("searchbox", name="Search books").press("Enter")
    page.wait_for_load_state()
    switch_to(page, "sheets")
    open_sheet(page, p["workbook"])
    type_cell(page, f"F{p['row']}", "Out of policy")
    switch_to(page, "chat")
    reply_in_thread(page, "finance", thread_ts,
                    f"Reviewed all {len(facts.expense_reports)} {p['month']} charges against Books. Flagged one: "
                    f"{who.first_name}'s {p['merchant']} {p['meal']} on {bad.date:%-m/%-d}, {dollars(bad.amount_cents)} "
                    f"for {bad.attendees} people ({dollars(bad.amount_cents // max(bad.attendees, 1))} each, over the "
                    f"{dollars(facts.expense_meal_limit_cents)} meal limit). Everything else is within policy.")
