"""Books' aging summaries as of today: the open balances of invoices (A/R) or bills (A/P) by days past due."""

from __future__ import annotations

from datetime import date

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact
from mock_apps.tasks.selectors.company import company
from mock_apps.tasks.selectors.money import number


def buckets(today: date, items: list[tuple[date, int]]) -> list[int]:
    """Open balances (due date, cents) summed into Current, 1 - 30, 31 - 60, 61 - 90 and 91 and over."""
    sums = [0] * 5
    for due, balance in items:
        if balance > 0:
            late = (today - due).days
            sums[0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4] += balance
    return sums


def totals(facts: Facts) -> list[Instance]:
    """The A/R totals onto the close checklist workbook, the A/P totals onto the A/P reconciliation workbook."""
    today, shared = facts.now.date(), company(facts)
    receivable = buckets(today, [(i.due_date, i.total_cents - facts.invoice_paid_cents(i.number))
                                 for i in facts.invoices if i.date <= today])
    payable = buckets(today, [(b.due_date, b.total_cents - facts.bill_paid_cents(b.key))
                              for b in facts.bills if b.in_books])
    instances = []
    for key, side, tab, workbook, sums in (("ar", "A/R", "AR Aging", shared["close_workbook"], receivable),
                                           ("ap", "A/P", "AP Aging", shared["ap_workbook"], payable)):
        if not sum(sums):
            continue
        instances.append(Instance(key, {
            "side": side, "report": f"{side} Aging Summary", "tab": tab, "workbook": workbook,
            "current": number(sums[0]), "days_30": number(sums[1]), "days_60": number(sums[2]),
            "total": number(sum(sums))}))
    if not instances:
        raise MissingFact("open invoices or bills (an aging report with a balance)")
    return instances
