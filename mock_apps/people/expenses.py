"""Expense reports: lines with receipts, submit, the manager's approval, finance's audit with policy flags,
and payment. Every change happens here, inside one operation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from mock_apps.core.database import WorldSession
from mock_apps.people import days, fields, processes, workers
from mock_apps.people.errors import PeopleError, not_found
from mock_apps.people.models import ExpenseItem, ExpenseLine, ExpenseReport, InboxTask, Receipt, Worker

EDITABLE = ("Draft", "Sent Back")
RECEIPT_TYPES = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8", "image/gif": b"GIF8", "application/pdf": b"%PDF"}
MAX_RECEIPT_BYTES = 10 * 1024 * 1024
MANAGER_STEP = "Manager Approval"
AUDIT_STEP = "Finance Audit"


@dataclass(frozen=True)
class Flag:
    """A policy breach the audit shows on a line (or on the report when `line` is None)."""

    line: int | None  # the line's position
    code: str  # over_limit, missing_receipt, duplicate, alcohol, weekend, late
    message: str


@dataclass(frozen=True)
class Upload:
    """An uploaded file."""

    filename: str
    content_type: str
    data: bytes


def items(db: WorldSession) -> list[ExpenseItem]:
    """The expense items of the policy."""
    return list(db.exec(select(ExpenseItem).order_by(ExpenseItem.name)))


def get(db: WorldSession, report_id: str) -> ExpenseReport:
    """The expense report with this id, else a 404."""
    report = db.get(ExpenseReport, report_id)
    if report is None:
        raise not_found("expense report", report_id)
    return report


def lines(db: WorldSession, report_id: str) -> list[ExpenseLine]:
    """A report's lines in order."""
    return list(db.exec(select(ExpenseLine).where(ExpenseLine.report_id == report_id).order_by(ExpenseLine.position)))


def reports(db: WorldSession, *, worker: Worker | None = None, status: str | None = None) -> list[ExpenseReport]:
    """Expense reports, newest first, of one worker and/or in one status."""
    query = select(ExpenseReport)
    if worker is not None:
        query = query.where(ExpenseReport.worker_id == worker.id)
    if status:
        query = query.where(ExpenseReport.status == status)
    return list(db.exec(query.order_by(ExpenseReport.created_at.desc(), ExpenseReport.id.desc())))


def receipt(db: WorldSession, receipt_id: int) -> Receipt:
    """A stored receipt, else a 404."""
    found = db.get(Receipt, receipt_id)
    if found is None:
        raise not_found("receipt", str(receipt_id))
    return found


def _check_version(report: ExpenseReport, version) -> None:
    if version in (None, ""):
        return
    try:
        wanted = int(version)
    except (TypeError, ValueError):
        raise PeopleError("version must be a whole number.", field="version") from None
    if wanted != report.version:
        raise PeopleError(f"Expense report {report.id} was changed since you opened it (it is at version "
                          f"{report.version}, you had {wanted}); reload it and try again.", field="version",
                          status=409, code="conflict")


def _editable(db: WorldSession, actor: Worker, report: ExpenseReport, version) -> None:
    _check_version(report, version)
    if report.worker_id != actor.id:
        raise PeopleError(f"Only {workers.get(db, report.worker_id).name} can change expense report {report.id}.",
                          status=403, code="forbidden")
    if report.status not in EDITABLE:
        raise PeopleError(f"Expense report {report.id} is {report.status}; only a draft or a report sent back "
                          f"can be changed.", status=409, code="conflict")


def _touch(db: WorldSession, report: ExpenseReport) -> None:
    report.version += 1
    report.total_cents = sum(line.amount_cents for line in lines(db, report.id))
    db.add(report)


def _store_receipt(db: WorldSession, actor: Worker, upload: Upload) -> Receipt:
    kind = (upload.content_type or "").split(";")[0].strip().lower()
    if kind not in RECEIPT_TYPES:
        raise PeopleError(f"A receipt must be a PDF, PNG, JPEG or GIF file; {upload.filename!r} is {kind or 'unknown'}.",
                          field="receipt")
    if not upload.data:
        raise PeopleError(f"The receipt file {upload.filename!r} is empty.", field="receipt")
    if len(upload.data) > MAX_RECEIPT_BYTES:
        raise PeopleError("A receipt can be at most 10 MB.", field="receipt")
    if not upload.data.startswith(RECEIPT_TYPES[kind]):
        raise PeopleError(f"{upload.filename!r} is not a real {kind} file.", field="receipt")
    found = Receipt(filename=(upload.filename or "receipt")[-120:], content_type=kind, size=len(upload.data),
                    data=upload.data, uploaded_by=actor.id, uploaded_at=db.now())
    db.add(found)
    db.flush()
    return found


def create(db: WorldSession, actor: Worker, memo: str, line_data: list[dict] | None = None) -> ExpenseReport:
    """Start a draft expense report for the acting worker, with its lines (all valid, or nothing is written)."""
    memo = fields.text(memo, "memo", "Report memo", limit=200)
    parsed = []
    for n, data in enumerate(line_data or [], start=1):
        if not isinstance(data, dict):
            raise PeopleError(f"Line {n} must be an object.", field=f"lines[{n}]")
        try:
            parsed.append(parse_line(db, data))
        except PeopleError as error:
            raise PeopleError(f"Line {n}: {error.message}", field=f"lines[{n}].{error.field}") from None
    with db.operation("people.expense_report.create", worker=actor.id, memo=memo, lines=len(parsed)):
        report = ExpenseReport(id=processes.next_id(db, ExpenseReport, "ER", 1001), worker_id=actor.id, memo=memo,
                               created_at=db.now())
        db.add(report)
        db.flush()
        for position, values in enumerate(parsed, start=1):
            db.add(ExpenseLine(report_id=report.id, position=position, **values))
        db.flush()
        report.total_cents = sum(v["amount_cents"] for v in parsed)
        db.add(report)
        return report


def parse_line(db: WorldSession, data: dict) -> dict:
    """An expense line's fields from form or JSON input, validated (raises on the first bad field)."""
    item_id = fields.text(data.get("item"), "item", "Expense item")
    item = db.get(ExpenseItem, item_id) or db.exec(select(ExpenseItem).where(ExpenseItem.name == item_id)).first()
    if item is None:
        raise PeopleError(f"There is no expense item {item_id[:40]!r}.", field="item")
    when = fields.day(data.get("date"), "date", "Date")
    today = days.today(db)
    if when > today:
        raise PeopleError(f"Date {when.isoformat()} is in the future; expenses are for spend already made.",
                          field="date")
    if when < today - timedelta(days=366):
        raise PeopleError(f"Date {when.isoformat()} is more than a year ago.", field="date")
    return {"date": when, "merchant": fields.text(data.get("merchant"), "merchant", "Merchant", limit=120),
            "item_id": item.id, "amount_cents": fields.cents(data.get("amount")),
            "attendees": fields.count(data.get("attendees"), "attendees", "Attendees",
                                      minimum=1 if item.per_person else 0),
            "memo": fields.text(data.get("memo"), "memo", "Memo", required=False, limit=300)}


def add_line(db: WorldSession, actor: Worker, report_id: str, data: dict, upload: Upload | None = None,
             version=None) -> ExpenseLine:
    """Add a line (with an optional receipt) to a draft or sent-back report."""
    report = get(db, report_id)
    _editable(db, actor, report, version)
    values = parse_line(db, data)
    with db.operation("people.expense_report.add_line", report=report.id, item=values["item_id"],
                      amount_cents=values["amount_cents"], merchant=values["merchant"]):
        existing = lines(db, report.id)
        line = ExpenseLine(report_id=report.id, position=max((x.position for x in existing), default=0) + 1,
                           **values)
        if upload is not None:
            line.receipt_id = _store_receipt(db, actor, upload).id
        db.add(line)
        db.flush()
        _touch(db, report)
        return line


def _line(db: WorldSession, report: ExpenseReport, position) -> ExpenseLine:
    for line in lines(db, report.id):
        if str(line.position) == str(position):
            return line
    raise not_found(f"line on expense report {report.id}", str(position))


def attach_receipt(db: WorldSession, actor: Worker, report_id: str, position, upload: Upload,
                   version=None) -> ExpenseLine:
    """Attach (or replace) a line's receipt."""
    report = get(db, report_id)
    _editable(db, actor, report, version)
    line = _line(db, report, position)
    with db.operation("people.expense_report.attach_receipt", report=report.id, line=line.position,
                      filename=upload.filename):
        line.receipt_id = _store_receipt(db, actor, upload).id
        db.add(line)
        _touch(db, report)
        return line


def remove_line(db: WorldSession, actor: Worker, report_id: str, position, version=None) -> None:
    """Remove a line from a draft or sent-back report."""
    report = get(db, report_id)
    _editable(db, actor, report, version)
    line = _line(db, report, position)
    with db.operation("people.expense_report.remove_line", report=report.id, line=line.position):
        db.delete(line)
        db.flush()
        _touch(db, report)


def submit(db: WorldSession, actor: Worker, report_id: str, version=None, comment: str = "") -> ExpenseReport:
    """Submit a report: it goes to the worker's manager (or straight to finance when there is none)."""
    report = get(db, report_id)
    _editable(db, actor, report, version)
    found = lines(db, report.id)
    if not found:
        raise PeopleError(f"Expense report {report.id} has no lines; add at least one expense before submitting.",
                          field="lines")
    comment = fields.text(comment, "comment", "Comment", required=False)
    with db.operation("people.expense_report.submit", report=report.id, total_cents=report.total_cents):
        report.status = "In Progress"
        report.submitted_at = db.now()
        report.version += 1
        db.add(report)
        process = processes.for_subject(db, "expense_report", report.id)
        if process is None or process.status != "Sent Back":
            process = processes.start(db, type_="Expense Report", subject_kind="expense_report",
                                      subject_id=report.id, worker=actor, initiator=actor, comment=comment)
        else:
            processes.record(db, process, actor, "Resubmitted", "Initiation", comment)
        manager = workers.get(db, actor.manager_id) if actor.manager_id else None
        if manager is not None:
            processes.await_step(db, process, MANAGER_STEP, manager,
                                 f"Expense Report: {report.id} {actor.name} ({money(report.total_cents)})")
        else:
            _to_audit(db, process, report, actor)
        return report


def money(cents: int) -> str:
    """$1,234.56."""
    return f"${cents / 100:,.2f}"


def _auditor(db: WorldSession, worker: Worker) -> Worker:
    auditor = workers.get(db, workers.tenant(db).auditor_id)
    if auditor.id == worker.id and auditor.manager_id:  # nobody audits their own report
        return workers.get(db, auditor.manager_id)
    return auditor


def _to_audit(db: WorldSession, process, report: ExpenseReport, worker: Worker) -> None:
    processes.await_step(db, process, AUDIT_STEP, _auditor(db, worker),
                         f"Audit Expense Report: {report.id} {worker.name} ({money(report.total_cents)})")


def decide(db: WorldSession, actor: Worker, task: InboxTask, action: str, comment: str) -> ExpenseReport:
    """The manager's or finance's decision on a report's step (inside the caller's operation)."""
    process = processes.get(db, task.process_id)
    report = get(db, process.subject_id)
    worker = workers.get(db, report.worker_id)
    if worker.id == actor.id:
        raise PeopleError(f"You cannot approve your own expense report {report.id}.", status=403, code="forbidden")
    processes.close_tasks(db, process)
    processes.record(db, process, actor, {"approve": "Approved", "send_back": "Sent Back", "deny": "Denied"}[action],
                     task.step, comment)
    report.version += 1
    if action == "approve" and task.step == MANAGER_STEP:
        _to_audit(db, process, report, worker)
    elif action == "approve":
        report.status = "Approved"
        processes.finish(db, process, "Successfully Completed")
        processes.notify(db, worker.id, f"Your expense report {report.id} was approved"
                         + ("" if report.card else f"; {money(report.total_cents)} will be reimbursed") + ".",
                         "expense_report", report.id)
    elif action == "send_back":
        report.status = "Sent Back"
        processes.finish(db, process, "Sent Back")
        processes.notify(db, worker.id, f"{actor.name} sent back expense report {report.id}: {comment}",
                         "expense_report", report.id)
    else:
        report.status = "Denied"
        processes.finish(db, process, "Denied")
        processes.notify(db, worker.id, f"{actor.name} denied expense report {report.id}: {comment}",
                         "expense_report", report.id)
    db.add(report)
    return report


def mark_paid(db: WorldSession, actor: Worker, report_id: str) -> ExpenseReport:
    """Finance records that an approved out-of-pocket report was reimbursed."""
    report = get(db, report_id)
    if actor.id != workers.tenant(db).auditor_id:
        raise PeopleError("Only finance's expense partner can record a reimbursement.", status=403, code="forbidden")
    if report.status != "Approved" or report.card:
        raise PeopleError(f"Expense report {report.id} is {report.status}"
                          + (" and was charged to the company card" if report.card else "")
                          + "; only an approved out-of-pocket report is paid.", status=409, code="conflict")
    with db.operation("people.expense_report.pay", report=report.id, total_cents=report.total_cents):
        report.status = "Paid"
        report.version += 1
        db.add(report)
        process = processes.for_subject(db, "expense_report", report.id)
        if process is not None:
            processes.record(db, process, actor, "Paid", "Reimbursement", "")
        processes.notify(db, report.worker_id, f"Expense report {report.id} was reimbursed "
                         f"({money(report.total_cents)}).", "expense_report", report.id)
        return report


def flags(db: WorldSession, report: ExpenseReport, report_lines: list[ExpenseLine] | None = None) -> list[Flag]:
    """The policy breaches finance's audit shows: over the limit, missing receipt, duplicate line, alcohol,
    weekend, and expenses older than the policy allows when the report was submitted."""
    policy = workers.tenant(db)
    report_lines = lines(db, report.id) if report_lines is None else report_lines
    by_id = {i.id: i for i in items(db)}
    on = days.local_date(db, report.submitted_at or db.now())
    others = _other_lines(db, report)
    found: list[Flag] = []
    seen: dict[tuple, int] = {}
    for line in report_lines:
        item = by_id.get(line.item_id)
        key = (line.date, line.merchant.strip().lower(), line.amount_cents)
        if item is not None and item.alcohol:
            found.append(Flag(line.position, "alcohol", f"Line {line.position}: alcohol is not reimbursable."))
        if item is not None and item.limit_cents:
            limit = item.limit_cents * (max(line.attendees, 1) if item.per_person else 1)
            if line.amount_cents > limit:
                per = (f" for {line.attendees} ({money(line.amount_cents // max(line.attendees, 1))} per person)"
                       if item.per_person else "")
                found.append(Flag(line.position, "over_limit", f"Line {line.position}: {item.name} of "
                                  f"{money(line.amount_cents)}{per} is over the {money(item.limit_cents)}"
                                  f"{' per person' if item.per_person else ''} limit."))
        if line.receipt_id is None and line.amount_cents > policy.receipt_required_over_cents:
            found.append(Flag(line.position, "missing_receipt", f"Line {line.position}: no receipt for "
                              f"{money(line.amount_cents)} (required over {money(policy.receipt_required_over_cents)})."))
        if key in seen or key in others:
            where = f"line {seen[key]}" if key in seen else f"expense report {others[key]}"
            found.append(Flag(line.position, "duplicate", f"Line {line.position}: same date, merchant and amount "
                              f"as {where}."))
        seen.setdefault(key, line.position)
        if line.date.weekday() >= 5:
            found.append(Flag(line.position, "weekend", f"Line {line.position}: spent on a "
                              f"{line.date:%A} ({line.date.isoformat()})."))
        if (on - line.date).days > policy.late_after_days:
            found.append(Flag(line.position, "late", f"Line {line.position}: {(on - line.date).days} days old when "
                              f"submitted (the policy allows {policy.late_after_days})."))
    return found


def _other_lines(db: WorldSession, report: ExpenseReport) -> dict[tuple, str]:
    """(date, merchant, amount) of the worker's other live reports' lines, to spot a double claim."""
    query = (select(ExpenseLine, ExpenseReport.id).join(ExpenseReport, ExpenseReport.id == ExpenseLine.report_id)
             .where(ExpenseReport.worker_id == report.worker_id, ExpenseReport.id != report.id,
                    ExpenseReport.status != "Denied"))
    return {(line.date, line.merchant.strip().lower(), line.amount_cents): rid for line, rid in db.exec(query)}


def overdue_cutoff(db: WorldSession) -> date:
    """Expenses dated before this were late if submitted today."""
    return days.today(db) - timedelta(days=workers.tenant(db).late_after_days)
