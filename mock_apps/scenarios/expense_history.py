"""The expense reports every company's People shows before the tasks' own: January and February's reimbursed
reports, and the card charges mailed today as reports awaiting finance's audit."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mock_apps.scenarios.facts import ExpenseLineFact, ExpenseReportFact
from mock_apps.scenarios.history import at, business_days, next_business, submitted_history
from mock_apps.scenarios.policy import ACCOUNT_ITEM


def paid_and_card_reports(rnd: random.Random, number, travellers: list[str], pool: list, purposes: list[str],
                          managers: dict, auditor: str, mailed, tz) -> list[ExpenseReportFact]:
    """Reimbursed reports every fourth business day of January and February (lines drawn from `pool` of
    (merchant, item, cents range)), then one approved card report per employee who mailed receipts today."""
    reports = []
    for i, day in enumerate(business_days(date(2026, 1, 9), date(2026, 2, 27))[::4]):
        who = travellers[i % len(travellers)]
        lines = []
        for j in range(rnd.randint(1, 3)):
            merchant, item, (lo, hi) = pool[(i + j * 2 + rnd.randint(0, 1)) % len(pool)]
            lines.append(ExpenseLineFact(day - timedelta(days=j), merchant, item, rnd.randint(lo, hi),
                                         rnd.choice(purposes), attendees=1 if item == "meals" else 0))
        submitted = at(day + timedelta(days=1), 10, 5, tz)
        approved = submitted + timedelta(hours=20)
        audited = approved + timedelta(hours=4)
        paid = at(next_business(audited.date() + timedelta(days=3)), 9, 0, tz)
        reports.append(ExpenseReportFact(
            f"ER-{next(number)}", who, f"{day:%B} expenses", submitted - timedelta(hours=2), tuple(lines), "Paid",
            submitted=submitted, history=submitted_history(auditor, who, managers[who], submitted, approved, audited,
                                                           paid)))
    # the card charges whose receipts were mailed today: approved by the managers, awaiting finance's audit
    by_worker: dict[str, list] = {}
    for exp in mailed:
        by_worker.setdefault(exp.submitted_by, []).append(exp)
    for who, charges in by_worker.items():
        submitted = at(date(2026, 3, 30), 8, 40 + len(reports) % 15, tz)
        approved = submitted + timedelta(hours=3)
        lines = tuple(ExpenseLineFact(e.date, e.payee, ACCOUNT_ITEM[e.account], e.amount_cents, e.memo,
                                      attendees=e.attendees) for e in charges)
        reports.append(ExpenseReportFact(
            f"ER-{next(number)}", who, "March company card charges", submitted - timedelta(hours=1), lines,
            "In Progress", awaiting="audit", submitted=submitted, card=True, mailed=tuple(e.key for e in charges),
            history=submitted_history(auditor, who, managers[who], submitted, approved)))
    return reports
