"""The month-end close checklist every company keeps: its tasks, who owns each, when each is due and how far
it is, as the Sheets workbook shows them and as tasks about that workbook name them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mock_apps.scenarios.facts import Facts

FIRST_ROW = 2  # row 1 is the header


@dataclass(frozen=True)
class ChecklistTask:
    """One line of the checklist: a short handle, the task's text, its owner's person key, due date and status."""

    key: str  # "card-reconciliation"
    task: str
    owner: str
    due: date
    status: str  # "Done", "In progress" or "Not started"


def title(facts: Facts) -> str:
    """The checklist workbook's title: "Month-End Close Checklist March 2026"."""
    return f"Month-End Close Checklist {facts.now:%B %Y}"


def close_checklist(facts: Facts) -> tuple[ChecklistTask, ...]:
    """The checklist of the month that ends this month, in its rows' order (the first on FIRST_ROW)."""
    today = facts.now.date()
    month_end = (date(today.year, today.month, 1) + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    owner, controller, ap = facts.mailbox_owner, facts.roles["controller"], facts.roles["ap"]
    card = next(a.name for a in facts.accounts if a.type == "Credit card")

    def workday(n: int) -> date:  # the n-th business day after the month's end
        d = month_end
        while n > 0:
            d += timedelta(days=1)
            if d.weekday() < 5:
                n -= 1
        return d
    return (
        ChecklistTask("bills", "Enter all vendor bills received by mail", ap, month_end - timedelta(days=2), "Done"),
        ChecklistTask("deposits", "Record customer payments and deposits", owner, month_end - timedelta(days=1), "Done"),
        ChecklistTask("bank-feed", "Review bank feed and categorize transactions", owner, month_end, "In progress"),
        ChecklistTask("bank-reconciliation", "Reconcile Operating Checking to the bank statement", owner, workday(1),
                      "Not started"),
        ChecklistTask("card-reconciliation", f"Reconcile {card} statement", owner, workday(1), "Not started"),
        ChecklistTask("ap-reconciliation", "Reconcile A/P subledger to general ledger", ap, workday(2), "Not started"),
        ChecklistTask("ar-follow-up", "Review A/R aging and follow up on overdue invoices", owner, workday(2),
                      "Not started"),
        ChecklistTask("accruals", "Accrue unbilled expenses", owner, workday(2), "Not started"),
        ChecklistTask("payroll", "Record payroll journal entries", controller, month_end - timedelta(days=3), "Done"),
        ChecklistTask("depreciation", "Book depreciation entry", controller, workday(3), "Not started"),
        ChecklistTask("budget", "Update budget vs. actuals", owner, workday(3), "Not started"),
        ChecklistTask("sign-off", "Controller review and sign-off", controller, workday(4), "Not started"),
    )


def row_of(facts: Facts, key: str) -> int:
    """The sheet row of the checklist task with this key."""
    return next(row for row, item in enumerate(close_checklist(facts), start=FIRST_ROW) if item.key == key)
