"""Business processes: their steps as inbox tasks, their history, and the notifications they send."""

from __future__ import annotations

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import BusinessProcess, InboxTask, Notification, ProcessEvent, Worker


def next_id(db: WorldSession, model, prefix: str, start: int) -> str:
    """The next readable id of a table whose ids are `<prefix>-<number>` (deterministic, never random)."""
    column = model.id
    numbers = [int(i.rsplit("-", 1)[1]) for i in db.exec(select(column).where(column.like(f"{prefix}-%")))
               if i.rsplit("-", 1)[1].isdecimal()]
    return f"{prefix}-{max(numbers, default=start - 1) + 1}"


def start(db: WorldSession, *, type_: str, subject_kind: str, subject_id: str, worker: Worker,
          initiator: Worker, comment: str = "") -> BusinessProcess:
    """Open a business process and record who initiated it."""
    process = BusinessProcess(id=next_id(db, BusinessProcess, "BP", 5001), type=type_, subject_kind=subject_kind,
                              subject_id=subject_id, worker_id=worker.id, initiator_id=initiator.id,
                              created_at=db.now())
    db.add(process)
    db.flush()
    record(db, process, initiator, "Submitted" if subject_kind != "onboarding" else "Initiated", "Initiation",
           comment)
    return process


def for_subject(db: WorldSession, subject_kind: str, subject_id: str) -> BusinessProcess | None:
    """The latest business process about an object."""
    return db.exec(select(BusinessProcess).where(BusinessProcess.subject_kind == subject_kind,
                                                 BusinessProcess.subject_id == subject_id)
                   .order_by(BusinessProcess.created_at.desc(), BusinessProcess.id.desc())).first()


def get(db: WorldSession, process_id: str) -> BusinessProcess:
    """The business process with this id, else a 404."""
    process = db.get(BusinessProcess, process_id)
    if process is None:
        raise not_found("business process", process_id)
    return process


def record(db: WorldSession, process: BusinessProcess, actor: Worker, action: str, step: str = "",
           comment: str = "") -> ProcessEvent:
    """Append an entry to the process's history."""
    event = ProcessEvent(process_id=process.id, at=db.now(), actor_id=actor.id, action=action, step=step,
                         comment=comment)
    db.add(event)
    return event


def history(db: WorldSession, process_id: str) -> list[ProcessEvent]:
    """The process's history, oldest first."""
    return list(db.exec(select(ProcessEvent).where(ProcessEvent.process_id == process_id)
                        .order_by(ProcessEvent.at, ProcessEvent.pk)))


def await_step(db: WorldSession, process: BusinessProcess, step: str, assignee: Worker, title: str,
               kind: str = "approval") -> InboxTask:
    """Put the process on a step: an open task in the assignee's inbox."""
    process.step = step
    process.status = "In Progress"
    db.add(process)
    task = InboxTask(id=next_id(db, InboxTask, "T", 6001), process_id=process.id, assignee_id=assignee.id,
                     kind=kind, title=title, step=step, created_at=db.now())
    db.add(task)
    db.flush()
    return task


def close_tasks(db: WorldSession, process: BusinessProcess) -> None:
    """Complete every open task of the process (its step is decided)."""
    for task in db.exec(select(InboxTask).where(InboxTask.process_id == process.id, InboxTask.status == "Open")):
        task.status = "Completed"
        task.completed_at = db.now()
        db.add(task)


def finish(db: WorldSession, process: BusinessProcess, status: str) -> None:
    """End the process with a status (Successfully Completed, Denied, Sent Back, Canceled)."""
    close_tasks(db, process)
    process.status = status
    process.step = ""
    process.completed_at = db.now() if status != "Sent Back" else None
    db.add(process)


def open_task(db: WorldSession, task_id: str) -> InboxTask:
    """An open inbox task, else a 404 (unknown) or 409 (already done)."""
    task = db.get(InboxTask, task_id)
    if task is None:
        raise not_found("inbox task", task_id)
    if task.status != "Open":
        raise PeopleError(f"Task {task.id} was already completed; reload to see where its process stands.",
                          status=409, code="conflict")
    return task


def inbox(db: WorldSession, worker: Worker) -> list[InboxTask]:
    """The worker's open tasks, oldest first."""
    return list(db.exec(select(InboxTask).where(InboxTask.assignee_id == worker.id, InboxTask.status == "Open")
                        .order_by(InboxTask.created_at, InboxTask.id)))


def notify(db: WorldSession, worker_id: str, text: str, subject_kind: str, subject_id: str) -> None:
    """Send a worker a notification about an object."""
    db.add(Notification(worker_id=worker_id, at=db.now(), text=text, subject_kind=subject_kind,
                        subject_id=subject_id))


def notifications(db: WorldSession, worker: Worker, limit: int = 20) -> list[Notification]:
    """The worker's latest notifications."""
    return list(db.exec(select(Notification).where(Notification.worker_id == worker.id)
                        .order_by(Notification.at.desc(), Notification.pk.desc()).limit(limit)))


def of_worker(db: WorldSession, worker: Worker) -> list[BusinessProcess]:
    """The processes about or initiated by a worker, newest first."""
    return list(db.exec(select(BusinessProcess).where((BusinessProcess.worker_id == worker.id)
                                                      | (BusinessProcess.initiator_id == worker.id))
                        .order_by(BusinessProcess.created_at.desc())))
