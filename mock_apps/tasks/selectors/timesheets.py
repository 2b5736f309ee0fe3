"""Hourly workers' weekly timesheets in People, waiting for their managers' approval."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.names import listing, pronouns


def submitted_week(facts: Facts) -> list[Instance]:
    """The week of submitted timesheets: each approved by the worker's manager (the accountant acting for them)."""
    hr = facts.hr
    submitted = require((t for t in (hr.timesheets if hr else ()) if t.status == "Submitted"),
                        "hr.timesheets: a submitted timesheet")
    drafts = require((t for t in hr.timesheets if t.status == "Draft"), "hr.timesheets: a draft timesheet")
    if len({t.week_start for t in submitted}) != 1:
        raise MissingFact("hr.timesheets: submitted timesheets of a single week")
    workers = [hr.worker(t.worker_key) for t in submitted]
    # a manager whose own week waits too comes first, so the prose names them before they approve the others
    approvers = {w.manager_key for w in workers}
    workers.sort(key=lambda w: (w.key not in approvers, w.employee_id))
    week, draft = submitted[0].week_start, drafts[0]
    sites = {w.location.removeprefix(f"{facts.company.city} ") for w in workers}
    return [Instance(slug(f"week of {week.isoformat()}"), {
        "approvals": _approvals(hr, workers, f"{week:%B %-d}"),
        "team": f"the {sites.pop().lower()}'s" if len(sites) == 1 else "the hourly workers'",
        "submitted": [{"first": w.first_name, "name": w.name, "worker_id": w.employee_id, "week": week.isoformat(),
                       "manager_key": w.manager_key} for w in workers],
        "draft_first": hr.worker(draft.worker_key).first_name, "draft_week": draft.week_start.isoformat()})]


def _approvals(hr, workers, week: str) -> str:
    """"A's timesheet for the week of March 23 as his manager B C, and D's and E's for the same week as their
    manager A": the workers grouped by manager, a manager named in full once and by first name after."""
    groups: dict[str, list] = {}
    for w in workers:
        groups.setdefault(w.manager_key, []).append(w)
    named: set[str] = set()
    parts = []
    for manager_key, group in groups.items():
        manager = hr.worker(manager_key)
        whose = listing([f"{w.name}'s" for w in group])
        what = (f"timesheet{'s' if len(group) > 1 else ''} for the week of {week}" if not parts
                else "for the same week")
        their = pronouns(group[0])["their"] if len(group) == 1 else "their"
        parts.append(f"{whose} {what} as {their} manager "
                     f"{manager.first_name if manager.key in named else manager.name}")
        named |= {manager.key, *(w.key for w in group)}
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])}, and {parts[-1]}"
