"""Onboarding a new hire or a contractor: a business process of steps, each a to-do in someone's inbox."""

from __future__ import annotations

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people import processes, workers
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import BusinessProcess, InboxTask, OnboardingStep, Worker


def all_processes(db: WorldSession) -> list[BusinessProcess]:
    """Every onboarding process, newest first."""
    return list(db.exec(select(BusinessProcess).where(BusinessProcess.subject_kind == "onboarding")
                        .order_by(BusinessProcess.created_at.desc())))


def get(db: WorldSession, process_id: str) -> BusinessProcess:
    """The onboarding process with this id, else a 404."""
    found = db.get(BusinessProcess, process_id)
    if found is None or found.subject_kind != "onboarding":
        raise not_found("onboarding", process_id)
    return found


def steps(db: WorldSession, process_id: str) -> list[OnboardingStep]:
    """The process's steps in order."""
    return list(db.exec(select(OnboardingStep).where(OnboardingStep.process_id == process_id)
                        .order_by(OnboardingStep.position)))


def complete(db: WorldSession, actor: Worker, task: InboxTask, comment: str) -> OnboardingStep:
    """Complete the step a to-do is for; the next step goes to its assignee (inside the caller's operation)."""
    process = processes.get(db, task.process_id)
    found = steps(db, process.id)
    current = next((s for s in found if s.status == "Awaiting"), None)
    if current is None or current.title != task.step:
        raise PeopleError(f"Step {task.step!r} is not the one {process.id} waits on.", status=409, code="conflict")
    current.status = "Completed"
    current.completed_at = db.now()
    current.comment = comment
    db.add(current)
    processes.close_tasks(db, process)
    processes.record(db, process, actor, "Completed step", current.title, comment)
    later = [s for s in found if s.position > current.position and s.status != "Completed"]
    worker = workers.get(db, process.worker_id)
    if later:
        nxt = later[0]
        nxt.status = "Awaiting"
        db.add(nxt)
        processes.await_step(db, process, nxt.title, workers.get(db, nxt.assignee_id),
                             f"Onboarding: {nxt.title} for {worker.name}", kind="to_do")
    else:
        processes.finish(db, process, "Successfully Completed")
        processes.notify(db, process.initiator_id, f"Onboarding of {worker.name} is complete.", "onboarding",
                         process.id)
    return current
