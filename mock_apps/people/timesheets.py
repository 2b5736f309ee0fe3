"""Weekly timesheets of hourly workers: enter hours per day (24 at most), submit, the manager approves."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people import days, fields, processes, workers
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import InboxTask, TimeEntry, Timesheet, Worker

STEP = "Manager Approval"
EDITABLE = ("Draft", "Sent Back")


def get(db: WorldSession, timesheet_id: str) -> Timesheet:
    """The timesheet with this id, else a 404."""
    found = db.get(Timesheet, timesheet_id)
    if found is None:
        raise not_found("timesheet", timesheet_id)
    return found


def of_worker(db: WorldSession, worker: Worker) -> list[Timesheet]:
    """The worker's timesheets, latest week first."""
    return list(db.exec(select(Timesheet).where(Timesheet.worker_id == worker.id)
                        .order_by(Timesheet.week_start.desc())))


def entries(db: WorldSession, timesheet: Timesheet) -> list[tuple[date, int]]:
    """(day, hours x100) for the seven days of the week."""
    have = {e.date: e.hours_x100 for e in db.exec(select(TimeEntry).where(TimeEntry.timesheet_id == timesheet.id))}
    return [(timesheet.week_start + timedelta(days=i), have.get(timesheet.week_start + timedelta(days=i), 0))
            for i in range(7)]


def total(db: WorldSession, timesheet: Timesheet) -> int:
    """Hours of the week, x100."""
    return sum(h for _, h in entries(db, timesheet))


def _check_version(timesheet: Timesheet, version) -> None:
    if version not in (None, "") and str(version) != str(timesheet.version):
        raise PeopleError(f"Timesheet {timesheet.id} was changed since you opened it; reload it and try again.",
                          field="version", status=409, code="conflict")


def for_week(db: WorldSession, actor: Worker, week: date) -> Timesheet:
    """The worker's timesheet for a week, started as a draft when there is none."""
    if actor.pay_type != "Hourly":
        raise PeopleError(f"{actor.name} is salaried; timesheets are for hourly workers.", status=403,
                          code="forbidden")
    monday = days.week_start(week)
    if monday > days.today(db):
        raise PeopleError("That week has not started yet.", field="week")
    found = db.exec(select(Timesheet).where(Timesheet.worker_id == actor.id, Timesheet.week_start == monday)).first()
    if found is not None:
        return found
    with db.operation("people.timesheet.create", worker=actor.id, week=monday):
        found = Timesheet(id=processes.next_id(db, Timesheet, "TS", 3001), worker_id=actor.id, week_start=monday)
        db.add(found)
        db.flush()
        return found


def enter(db: WorldSession, actor: Worker, timesheet_id: str, hours_by_day: dict, version=None) -> Timesheet:
    """Set the hours of some days of a draft week (hours_by_day: ISO date -> hours)."""
    timesheet = get(db, timesheet_id)
    _check_version(timesheet, version)
    if timesheet.worker_id != actor.id:
        raise PeopleError("You can only enter time on your own timesheet.", status=403, code="forbidden")
    if timesheet.status not in EDITABLE:
        raise PeopleError(f"Timesheet {timesheet.id} is {timesheet.status}; it can no longer be changed.",
                          status=409, code="conflict")
    week = {d.isoformat(): d for d, _ in entries(db, timesheet)}
    parsed = {}
    for key, value in hours_by_day.items():
        if key not in week:
            raise PeopleError(f"{str(key)[:20]} is not a day of the week of {timesheet.week_start.isoformat()}.",
                              field="date")
        amount = fields.hours(value, f"hours-{key}", f"Hours on {week[key]:%A}")
        if amount > 2400:
            raise PeopleError(f"{fields.hours_label(amount)} hours on {week[key]:%A %b %-d} is more than the 24 "
                              f"hours a day has.", field=f"hours-{key}")
        if amount and week[key] > days.today(db):
            raise PeopleError(f"{week[key]:%A %b %-d} is in the future.", field=f"hours-{key}")
        parsed[week[key]] = amount
    with db.operation("people.timesheet.enter", timesheet=timesheet.id,
                      hours={d.isoformat(): h for d, h in parsed.items()}):
        for d, amount in parsed.items():
            entry = db.get(TimeEntry, (timesheet.id, d))
            if entry is None and amount:
                db.add(TimeEntry(timesheet_id=timesheet.id, date=d, hours_x100=amount))
            elif entry is not None and amount:
                entry.hours_x100 = amount
                db.add(entry)
            elif entry is not None:
                db.delete(entry)
        timesheet.version += 1
        db.add(timesheet)
        return timesheet


def submit(db: WorldSession, actor: Worker, timesheet_id: str, version=None) -> Timesheet:
    """Submit a week to the manager."""
    timesheet = get(db, timesheet_id)
    _check_version(timesheet, version)
    if timesheet.worker_id != actor.id:
        raise PeopleError("You can only submit your own timesheet.", status=403, code="forbidden")
    if timesheet.status not in EDITABLE:
        raise PeopleError(f"Timesheet {timesheet.id} is already {timesheet.status}.", status=409, code="conflict")
    hours = total(db, timesheet)
    if hours == 0:
        raise PeopleError("The timesheet has no hours; enter the hours you worked before submitting.",
                          field="hours")
    with db.operation("people.timesheet.submit", timesheet=timesheet.id, hours_x100=hours):
        timesheet.status = "Submitted"
        timesheet.submitted_at = db.now()
        timesheet.version += 1
        db.add(timesheet)
        process = processes.for_subject(db, "timesheet", timesheet.id)
        if process is None or process.status != "Sent Back":
            process = processes.start(db, type_="Timesheet", subject_kind="timesheet", subject_id=timesheet.id,
                                      worker=actor, initiator=actor)
        else:
            processes.record(db, process, actor, "Resubmitted", "Initiation")
        manager = workers.get(db, actor.manager_id)
        processes.await_step(db, process, STEP, manager, f"Timesheet: {actor.name}, week of "
                             f"{timesheet.week_start:%b %-d} ({fields.hours_label(hours)} h)")
        return timesheet


def decide(db: WorldSession, actor: Worker, task: InboxTask, action: str, comment: str) -> Timesheet:
    """The manager approves, sends back or denies a week (inside the caller's operation)."""
    process = processes.get(db, task.process_id)
    timesheet = get(db, process.subject_id)
    if action == "deny":
        raise PeopleError("A timesheet can be approved or sent back for correction, not denied.", field="type")
    processes.record(db, process, actor, "Approved" if action == "approve" else "Sent Back", task.step, comment)
    timesheet.status = "Approved" if action == "approve" else "Sent Back"
    timesheet.version += 1
    processes.finish(db, process, "Successfully Completed" if action == "approve" else "Sent Back")
    if action != "approve":
        processes.notify(db, timesheet.worker_id, f"{actor.name} sent back your timesheet for the week of "
                         f"{timesheet.week_start:%b %-d}: {comment}", "timesheet", timesheet.id)
    db.add(timesheet)
    return timesheet
