"""The business-process inbox: approve, send back or deny the step a task is for, or complete a to-do."""

from __future__ import annotations

from mock_apps.core.database import WorldSession
from mock_apps.people import absence, expenses, fields, onboarding, processes, timesheets
from mock_apps.people.errors import PeopleError
from mock_apps.people.models import InboxTask, Worker

ACTIONS = ("approve", "send_back", "deny")
_DECIDE = {"expense_report": expenses.decide, "time_off": absence.decide, "timesheet": timesheets.decide}


def act(db: WorldSession, actor: Worker, task_id: str, action: str, comment: str = "") -> InboxTask:
    """Do a task: the assignee approves / sends back / denies (a comment is required for the last two),
    or completes an onboarding to-do ("approve" on a to-do means done)."""
    task = processes.open_task(db, task_id)
    if task.assignee_id != actor.id:
        raise PeopleError(f"Task {task.id} is in someone else's inbox; act as its assignee to do it.",
                          status=403, code="forbidden")
    if action not in ACTIONS:
        raise PeopleError(f"Action must be one of approve, send_back, deny; not {str(action)[:30]!r}.", field="type")
    comment = fields.text(comment, "comment", "Comment", required=action != "approve", limit=1000)
    process = processes.get(db, task.process_id)
    if task.kind == "to_do" and action != "approve":
        raise PeopleError("An onboarding to-do is completed, not sent back or denied.", field="type")
    with db.operation(f"people.inbox.{action}", task=task.id, process=process.id, subject=process.subject_id,
                      step=task.step, comment=comment):
        if process.subject_kind == "onboarding":
            onboarding.complete(db, actor, task, comment)
        else:
            _DECIDE[process.subject_kind](db, actor, task, action, comment)
        return task
