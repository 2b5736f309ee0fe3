"""Employees' mailed expense reports, as the expense review workbook lists them, against the meal policy."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, slug
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import count_word, possessive


def meal_word(memo: str, team: bool = True) -> str:
    """"dinner", "lunch" or "meal" (or "team lunch" when `team`): what a memo says the meal was."""
    words = memo.lower().replace(",", " ").split()
    meal = next((w for w in words if w in ("dinner", "lunch", "breakfast")), "meal")
    return f"team {meal}" if team and "team" in words else meal


def one_out_of_policy(facts: Facts) -> list[Instance]:
    """The review where exactly one mailed expense breaks the meal policy: flag its row, name its merchant."""
    rows = {e.key: row for row, e in enumerate(sorted(facts.expense_reports, key=lambda e: (e.date, e.key)), start=2)}
    breaking = [e for e in facts.expense_reports if e.policy_issue]
    if len(breaking) != 1 or not facts.expense_meal_limit_cents:
        raise MissingFact("expense_reports with exactly one expense breaking the meal policy (policy_issue)")
    bad, limit = breaking[0], facts.expense_meal_limit_cents
    near = [e for e in facts.expense_reports if e.attendees and not e.policy_issue and e.amount_cents > limit]
    ok_hint = "; ".join(
        f"{facts.person(e.submitted_by).first_name}'s {dollars(e.amount_cents)} {meal_word(e.memo)} was for "
        f"{e.attendees} people ({dollars(e.amount_cents // e.attendees)} each): within the limit" for e in near) \
        or "every other expense is within the policy"
    return [Instance(slug(bad.payee), {
        "merchant": bad.payee, "meal": meal_word(bad.memo), "row": rows[bad.key],
        "others": sorted(r for k, r in rows.items() if k != bad.key),
        "flag_hint": f"{dollars(bad.amount_cents)} for {bad.attendees} people is "
                     f"{dollars(bad.amount_cents // max(bad.attendees, 1))} per person, over the {dollars(limit)} meal limit",
        "ok_hint": ok_hint, "month": f"{facts.now:%B}", "workbook": f"Expense Review {facts.now:%B %Y}"})]


def report_over_policy(facts: Facts) -> list[Instance]:
    """The mailed expense report holding the charge over the meal policy: forwarded, receipts and all, to the
    controller (who decides on exceptions)."""
    breaking = [e for e in facts.expense_reports if e.policy_issue and e.submitted_by]
    if not breaking:
        raise MissingFact("expense_reports: a mailed expense breaking the meal policy (policy_issue)")
    worker = facts.person(breaking[0].submitted_by)
    receipts = sum(1 for e in facts.expense_reports if e.submitted_by == worker.key)
    return [Instance(slug(worker.key), {
        "worker": worker.name, "worker_s": possessive(worker.name), "first_s": possessive(worker.first_name),
        "month": f"{facts.now:%B}", "subject": f"Expense report - {facts.now:%B %Y} - {worker.name}",
        "receipts": count_word(receipts)})]
