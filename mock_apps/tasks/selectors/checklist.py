"""The month-end close checklist's lines (scenarios/checklist.py): a status to move on."""

from __future__ import annotations

from mock_apps.scenarios import checklist
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance
from mock_apps.tasks.selectors.names import listing


def card_reconciliation_started(facts: Facts) -> list[Instance]:
    """The credit card's reconciliation, not started yet, set to In progress; no other line may say so."""
    lines = list(enumerate(checklist.close_checklist(facts), start=checklist.FIRST_ROW))
    row, task = next((row, t) for row, t in lines if t.key == "card-reconciliation")
    busy = [(r, t.key) for r, t in lines if t.status == "In progress"]
    before = (f"only the {listing([key for _, key in busy])} row{'s' * (len(busy) > 1)} "
              f"({listing([str(r) for r, _ in busy])}) {'were' if len(busy) > 1 else 'was'} in progress before"
              if busy else "no line was in progress before")
    return [Instance(task.key, {
        "task": task.task, "card": next(a.name for a in facts.accounts if a.type == "Credit card"), "row": row,
        "others": [r for r, t in lines if r != row and t.status != "In progress"], "before": before})]
