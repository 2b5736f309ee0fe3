"""Time off: plans, balances (carryover + grant + accrual per pay period - time taken), requests and approvals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people import days, fields, processes, workers
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import AbsenceCarryover, AbsencePlan, InboxTask, PayRun, TimeOffRequest, Worker

STEP = "Manager Approval"


@dataclass(frozen=True)
class Balance:
    """A worker's balance on a plan, in hundredths of hours."""

    plan: AbsencePlan
    carryover_x100: int
    accrued_x100: int
    taken_x100: int
    pending_x100: int

    @property
    def balance_x100(self) -> int:
        """Hours left (approved time off taken out)."""
        return self.carryover_x100 + self.accrued_x100 - self.taken_x100

    @property
    def available_x100(self) -> int:
        """Hours that can still be requested (pending requests taken out too)."""
        return self.balance_x100 - self.pending_x100


def plans(db: WorldSession) -> list[AbsencePlan]:
    """The time-off plans."""
    return list(db.exec(select(AbsencePlan).order_by(AbsencePlan.name)))


def plan(db: WorldSession, plan_id: str) -> AbsencePlan:
    """The plan with this id or name, else a field error."""
    found = db.get(AbsencePlan, plan_id) or db.exec(select(AbsencePlan).where(AbsencePlan.name == plan_id)).first()
    if found is None:
        raise PeopleError(f"There is no time-off plan {str(plan_id)[:40]!r}.", field="timeOffType")
    return found


def balances(db: WorldSession, worker: Worker) -> list[Balance]:
    """The worker's balance on every plan as of today (accrual per completed regular pay run this year)."""
    return balances_of(db, [worker])[worker.id]


def balances_of(db: WorldSession, found: list[Worker]) -> dict[str, list[Balance]]:
    """Balances of many workers by worker id, in a handful of queries (for reports over the company)."""
    today = days.today(db)
    runs = len(db.exec(select(PayRun.id).where(PayRun.kind == "Regular", PayRun.pay_date <= today,
                                               PayRun.pay_date >= today.replace(month=1, day=1))).all())
    ids = [w.id for w in found]
    carry: dict[tuple[str, str], int] = {
        (c.worker_id, c.plan_id): c.hours_x100
        for c in db.exec(select(AbsenceCarryover).where(AbsenceCarryover.worker_id.in_(ids)))}
    requests: dict[str, list[TimeOffRequest]] = {}
    for r in db.exec(select(TimeOffRequest).where(TimeOffRequest.worker_id.in_(ids))):
        if r.start.year == today.year:
            requests.setdefault(r.worker_id, []).append(r)
    all_plans = plans(db)
    result = {}
    for worker in found:
        rows = []
        for p in all_plans:
            mine = [r for r in requests.get(worker.id, []) if r.plan_id == p.id]
            accrued = p.grant_x100 + (p.accrual_x100 * runs if worker.worker_type == "Employee" else 0)
            rows.append(Balance(p, carry.get((worker.id, p.id), 0), accrued,
                                sum(r.hours_x100 for r in mine if r.status == "Approved"),
                                sum(r.hours_x100 for r in mine if r.status == "In Progress")))
        result[worker.id] = rows
    return result


def requests_of(db: WorldSession, worker: Worker) -> list[TimeOffRequest]:
    """The worker's time-off requests, latest first."""
    return list(db.exec(select(TimeOffRequest).where(TimeOffRequest.worker_id == worker.id)
                        .order_by(TimeOffRequest.start.desc())))


def get(db: WorldSession, request_id: str) -> TimeOffRequest:
    """The request with this id, else a 404."""
    found = db.get(TimeOffRequest, request_id)
    if found is None:
        raise not_found("time-off request", request_id)
    return found


def calendar(db: WorldSession, team: list[Worker], start, end) -> list[TimeOffRequest]:
    """Approved and pending time off of a team overlapping [start, end]."""
    ids = [w.id for w in team]
    return list(db.exec(select(TimeOffRequest).where(TimeOffRequest.worker_id.in_(ids),
                                                     TimeOffRequest.status.in_(("Approved", "In Progress")),
                                                     TimeOffRequest.start <= end, TimeOffRequest.end >= start)
                        .order_by(TimeOffRequest.start)))


def request(db: WorldSession, actor: Worker, data: dict) -> TimeOffRequest:
    """Request time off: 8 hours a business day unless hours are given, within the available balance."""
    chosen = plan(db, fields.text(data.get("plan") or data.get("timeOffType"), "timeOffType", "Time-off type"))
    start = fields.day(data.get("start"), "start", "First day")
    end = fields.day(data.get("end") or data.get("start"), "end", "Last day")
    if end < start:
        raise PeopleError("The last day is before the first day.", field="end")
    if start < days.today(db):
        raise PeopleError(f"{start.isoformat()} has passed; request time off from today on.", field="start")
    if (end - start).days > 60:
        raise PeopleError("A request can cover at most 60 days.", field="end")
    workdays = days.business_days(start, end)
    if not workdays:
        raise PeopleError("Those days are a weekend; there is nothing to take off.", field="start")
    asked = fields.hours(data.get("hours"), "hours", "Hours") or 800 * len(workdays)
    if asked <= 0 or asked > 2400 * len(workdays):
        raise PeopleError(f"Hours must be more than 0 and at most 24 per day ({len(workdays)} business days).",
                          field="hours")
    overlap = [r for r in requests_of(db, actor) if r.status != "Denied" and r.start <= end and r.end >= start]
    if overlap:
        raise PeopleError(f"You already requested time off on those days ({overlap[0].id}).", field="start",
                          status=409, code="conflict")
    balance = next(b for b in balances(db, actor) if b.plan.id == chosen.id)
    if asked > balance.available_x100:
        raise PeopleError(f"{fields.hours_label(asked)} hours of {chosen.name} is more than your available balance "
                          f"of {fields.hours_label(balance.available_x100)} hours.", field="hours")
    comment = fields.text(data.get("comment"), "comment", "Comment", required=False)
    with db.operation("people.time_off.request", worker=actor.id, plan=chosen.id, start=start, end=end,
                      hours_x100=asked):
        found = TimeOffRequest(id=processes.next_id(db, TimeOffRequest, "TOR", 2001), worker_id=actor.id,
                               plan_id=chosen.id, start=start, end=end, hours_x100=asked, comment=comment,
                               requested_at=db.now())
        db.add(found)
        db.flush()
        process = processes.start(db, type_="Request Time Off", subject_kind="time_off", subject_id=found.id,
                                  worker=actor, initiator=actor, comment=comment)
        if actor.manager_id:
            processes.await_step(db, process, STEP, workers.get(db, actor.manager_id),
                                 f"Time Off Request: {actor.name}, {start:%b %-d}–{end:%b %-d} "
                                 f"({fields.hours_label(asked)} h {chosen.name})")
        else:
            found.status = "Approved"
            processes.finish(db, process, "Successfully Completed")
        return found


def decide(db: WorldSession, actor: Worker, task: InboxTask, action: str, comment: str) -> TimeOffRequest:
    """The manager approves or denies a request (inside the caller's operation)."""
    process = processes.get(db, task.process_id)
    found = get(db, process.subject_id)
    if action == "send_back":
        raise PeopleError("A time-off request can be approved or denied, not sent back.", field="type")
    processes.record(db, process, actor, "Approved" if action == "approve" else "Denied", task.step, comment)
    found.status = "Approved" if action == "approve" else "Denied"
    processes.finish(db, process, "Successfully Completed" if action == "approve" else "Denied")
    processes.notify(db, found.worker_id, f"{actor.name} {found.status.lower()} your time off "
                     f"{found.start:%b %-d}–{found.end:%b %-d}" + (f": {comment}" if comment else "."),
                     "time_off", found.id)
    db.add(found)
    return found


@dataclass(frozen=True)
class Liability:
    """What a worker's unused Paid Time Off is worth today: hours at the worker's hourly rate."""

    worker: Worker
    hours_x100: int
    rate_cents: int  # hourly rate; a salaried worker's is the salary over 2,080 hours, to the cent
    amount_cents: int


def hourly_rate_cents(worker: Worker) -> int:
    """The worker's pay per hour in cents (salaried: 24 semi-monthly periods over 2,080 hours, rounded)."""
    if worker.pay_type == "Hourly":
        return worker.hourly_rate_cents
    return round(worker.semimonthly_cents * 24 / 2080)


def pto_liability(db: WorldSession) -> list[Liability]:
    """The accrued PTO liability by employee (active employees with a balance), as finance books it."""
    employees = list(db.exec(select(Worker).where(Worker.worker_type == "Employee", Worker.status == "Active")
                             .order_by(Worker.last_name, Worker.first_name)))
    by_worker = balances_of(db, employees)
    found = []
    for worker in employees:
        hours = next((b.balance_x100 for b in by_worker[worker.id] if b.plan.id == "pto"), 0)
        if hours <= 0:
            continue
        rate = hourly_rate_cents(worker)
        found.append(Liability(worker, hours, rate, round(hours * rate / 100)))
    return found
