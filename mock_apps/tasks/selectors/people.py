"""People's business processes waiting on someone: a time-off request in its approver's inbox."""

from __future__ import annotations

from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, slug


def time_off_for_sales_lead(facts: Facts) -> list[Instance]:
    """The pending PTO request the sales lead approves (the accountant acting for them), announced in #sales."""
    hr, lead = facts.hr, facts.roles.get("sales_lead")
    pending = [t for t in (hr.time_off if hr else ()) if t.status == "In Progress" and t.plan == "pto"]
    mine = [t for t in pending if hr.worker(t.worker_key).manager_key == lead]
    if not mine:
        raise MissingFact("hr.time_off: a pending PTO request of someone the sales lead (roles['sales_lead']) manages")
    request, approver = mine[0], hr.worker(lead)
    worker = hr.worker(request.worker_key)
    return [Instance(slug(request.number), {
        "worker": worker.name, "first": worker.first_name, "worker_id": worker.employee_id,
        "approver": approver.name, "approver_first": approver.first_name, "approver_key": approver.key,
        "start": request.start.isoformat(), "end_day": str(request.end.day),
        "dates": f"{request.start:%B %-d} to {request.end:%B %-d}",
        "others": [hr.worker(t.worker_key).employee_id for t in pending if t is not request]})]
