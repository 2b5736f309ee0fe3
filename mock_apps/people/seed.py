"""Render the scenario's HR facts into People: workers and supervisory organizations, the expense policy,
expense reports with receipts and their business processes, time off, timesheets, pay runs, onboarding."""

from __future__ import annotations

from datetime import timedelta

from mock_apps.core.database import WorldSession
from mock_apps.people import expenses, fields
from mock_apps.people.models import (
    AbsenceCarryover,
    AbsencePlan,
    BusinessProcess,
    ExpenseItem,
    ExpenseLine,
    ExpenseReport,
    InboxTask,
    Notification,
    OnboardingStep,
    Organization,
    PayRun,
    PaySlip,
    ProcessEvent,
    Receipt,
    Tenant,
    TimeEntry,
    Timesheet,
    TimeOffRequest,
    Worker,
)
from mock_apps.people.receipt_pdf import render, w9


class _Numbers:
    """Deterministic ids for seeded processes and tasks."""

    def __init__(self):
        self.process, self.task = 5001, 6001

    def next_process(self) -> str:
        self.process += 1
        return f"BP-{self.process - 1}"

    def next_task(self) -> str:
        self.task += 1
        return f"T-{self.task - 1}"


def seed(db: WorldSession, scenario) -> None:
    """Write the scenario's People data (no operations are logged while seeding)."""
    facts = scenario.facts
    hr = facts.hr
    if hr is None:
        return
    ids = {w.key: w.employee_id for w in hr.workers}
    db.add(Tenant(id=hr.tenant, name=facts.company.name, owner_id=ids[facts.mailbox_owner],
                  auditor_id=ids[hr.expense_auditor], receipt_required_over_cents=hr.receipt_required_over_cents,
                  late_after_days=hr.late_after_days))
    managers = {w.manager_key for w in hr.workers if w.manager_key}
    by_key = {w.key: w for w in hr.workers}
    for key in sorted(managers, key=lambda k: ids[k]):
        m = by_key[key]
        db.add(Organization(id=f"SUP-{m.employee_id}", name=f"{m.department} ({m.name})", manager_id=m.employee_id,
                            superior_id=f"SUP-{ids[m.manager_key]}" if m.manager_key else None))
    for w in hr.workers:
        onboarding = next((o for o in hr.onboardings if o.worker_key == w.key), None)
        db.add(Worker(id=w.employee_id, key=w.key, first_name=w.first_name, last_name=w.last_name, email=w.email,
                      phone=w.phone, title=w.title, org_id=f"SUP-{ids[w.manager_key] if w.manager_key else w.employee_id}",
                      manager_id=ids[w.manager_key] if w.manager_key else None, cost_center=w.cost_center,
                      location=w.location, hire_date=w.hire_date, termination_date=w.termination_date,
                      worker_type=w.worker_type, pay_type=w.pay_type, semimonthly_cents=w.semimonthly_cents,
                      hourly_rate_cents=w.hourly_rate_cents, status=w.status, timezone=w.timezone,
                      tax_id=onboarding.tax_id if onboarding else "",
                      company_name=onboarding.company_name if onboarding else ""))
    for item in hr.expense_items:
        db.add(ExpenseItem(id=item.key, name=item.name, account=item.account, limit_cents=item.limit_cents,
                           per_person=item.per_person, alcohol=item.alcohol))
    db.flush()
    numbers = _Numbers()
    _expense_reports(db, hr, ids, numbers, facts.now)
    _time_off(db, hr, ids, numbers)
    _timesheets(db, hr, ids, numbers)
    _payroll(db, hr, ids)
    _onboardings(db, hr, ids, numbers, by_key)
    _termination(db, hr, ids, numbers, by_key)
    db.flush()


def _process(db, numbers, type_, kind, subject, worker_id, created, history, ids, *, status, step="",
             assignee=None, title="", task_kind="approval"):
    process = BusinessProcess(id=numbers.next_process(), type=type_, subject_kind=kind, subject_id=subject,
                              worker_id=worker_id, initiator_id=ids[history[0][1]] if kind in ("onboarding", "worker") else worker_id,
                              status=status, step=step, created_at=created,
                              completed_at=history[-1][0] if status in ("Successfully Completed", "Denied") else None)
    db.add(process)
    for at, actor, action, step_name, comment in history:
        db.add(ProcessEvent(process_id=process.id, at=at, actor_id=ids[actor], action=action, step=step_name,
                            comment=comment))
    if assignee:
        db.add(InboxTask(id=numbers.next_task(), process_id=process.id, assignee_id=ids[assignee], kind=task_kind,
                         title=title, step=step, created_at=history[-1][0]))
    return process


def _expense_reports(db, hr, ids, numbers, now) -> None:
    by_key = {w.key: w for w in hr.workers}
    items = {i.key: i for i in hr.expense_items}
    for report in hr.expense_reports:
        worker = by_key[report.worker_key]
        db.add(ExpenseReport(id=report.number, worker_id=worker.employee_id, memo=report.memo, status=report.status,
                             card=report.card, created_at=report.created, submitted_at=report.submitted,
                             total_cents=report.total_cents))
        for position, line in enumerate(report.lines, start=1):
            receipt_id = None
            if line.receipt:
                receipt = Receipt(filename=f"receipt-{report.number}-{position}.pdf", content_type="application/pdf",
                                  data=render(line.merchant, [("Date", line.date.isoformat()),
                                                              ("Item", items[line.item].name),
                                                              ("Memo", line.memo or "-"),
                                                              ("Total", expenses.money(line.amount_cents))],
                                              footer="Thank you" if not report.card else "Paid with Visa ...4417"),
                                  size=0, uploaded_by=worker.employee_id, uploaded_at=report.created)
                receipt.size = len(receipt.data)
                db.add(receipt)
                db.flush()
                receipt_id = receipt.id
            db.add(ExpenseLine(report_id=report.number, position=position, date=line.date, merchant=line.merchant,
                               item_id=line.item, amount_cents=line.amount_cents, attendees=line.attendees,
                               memo=line.memo, receipt_id=receipt_id))
        if report.status == "Draft":
            continue
        history = [(at, actor, action, _step(action, n), comment)
                   for n, (at, actor, action, comment) in enumerate(report.history)]
        title = f"Expense Report: {report.number} {worker.name} ({expenses.money(report.total_cents)})"
        if report.awaiting == "manager":
            _process(db, numbers, "Expense Report", "expense_report", report.number, worker.employee_id,
                     report.submitted, history, ids, status="In Progress", step=expenses.MANAGER_STEP,
                     assignee=worker.manager_key, title=title)
        elif report.awaiting == "audit":
            _process(db, numbers, "Expense Report", "expense_report", report.number, worker.employee_id,
                     report.submitted, history, ids, status="In Progress", step=expenses.AUDIT_STEP,
                     assignee=hr.expense_auditor, title="Audit " + title)
        else:
            _process(db, numbers, "Expense Report", "expense_report", report.number, worker.employee_id,
                     report.submitted, history, ids, status="Successfully Completed")
        if report.mailed:  # the receipts in today's mail: finance is told where the report is
            db.add(Notification(worker_id=ids[hr.expense_auditor], at=now - timedelta(minutes=40 - len(report.mailed)),
                                text=f"{worker.name} submitted {report.number} ({expenses.money(report.total_cents)}) "
                                     f"for the card receipts mailed today; it awaits your audit.",
                                subject_kind="expense_report", subject_id=report.number))


def _step(action: str, n: int) -> str:
    if action == "Submitted":
        return "Initiation"
    if action == "Paid":
        return "Reimbursement"
    return expenses.MANAGER_STEP if n == 1 else expenses.AUDIT_STEP


def _time_off(db, hr, ids, numbers) -> None:
    by_key = {w.key: w for w in hr.workers}
    db.add(AbsencePlan(id="pto", name="Paid Time Off", accrual_x100=hr.pto_accrual_x100))
    db.add(AbsencePlan(id="sick", name="Sick", grant_x100=hr.sick_grant_x100))
    for key, hours in hr.pto_carryover_x100.items():
        db.add(AbsenceCarryover(worker_id=ids[key], plan_id="pto", hours_x100=hours))
    for req in hr.time_off:
        worker = by_key[req.worker_key]
        db.add(TimeOffRequest(id=req.number, worker_id=worker.employee_id, plan_id=req.plan, start=req.start,
                              end=req.end, hours_x100=req.hours_x100, status=req.status, comment=req.comment,
                              requested_at=req.requested))
        history = [(req.requested, req.worker_key, "Submitted", "Initiation", req.comment)]
        plan = "Paid Time Off" if req.plan == "pto" else "Sick"
        if req.status == "In Progress":
            _process(db, numbers, "Request Time Off", "time_off", req.number, worker.employee_id, req.requested,
                     history, ids, status="In Progress", step="Manager Approval", assignee=worker.manager_key,
                     title=f"Time Off Request: {worker.name}, {req.start:%b %-d}–{req.end:%b %-d} "
                           f"({fields.hours_label(req.hours_x100)} h {plan})")
        else:
            history.append((req.requested + timedelta(hours=3), worker.manager_key, req.status, "Manager Approval", ""))
            _process(db, numbers, "Request Time Off", "time_off", req.number, worker.employee_id, req.requested,
                     history, ids, status="Successfully Completed" if req.status == "Approved" else "Denied")


def _timesheets(db, hr, ids, numbers) -> None:
    by_key = {w.key: w for w in hr.workers}
    for sheet in hr.timesheets:
        worker = by_key[sheet.worker_key]
        db.add(Timesheet(id=sheet.number, worker_id=worker.employee_id, week_start=sheet.week_start,
                         status=sheet.status, submitted_at=sheet.submitted))
        for offset, hours in enumerate(sheet.hours_x100):
            if hours:
                db.add(TimeEntry(timesheet_id=sheet.number, date=sheet.week_start + timedelta(days=offset),
                                 hours_x100=hours))
        if sheet.status == "Draft":
            continue
        history = [(sheet.submitted, sheet.worker_key, "Submitted", "Initiation", "")]
        total = fields.hours_label(sum(sheet.hours_x100))
        if sheet.status == "Submitted":
            _process(db, numbers, "Timesheet", "timesheet", sheet.number, worker.employee_id, sheet.submitted,
                     history, ids, status="In Progress", step="Manager Approval", assignee=worker.manager_key,
                     title=f"Timesheet: {worker.name}, week of {sheet.week_start:%b %-d} ({total} h)")
        else:
            history.append((sheet.submitted + timedelta(days=3), worker.manager_key, "Approved", "Manager Approval", ""))
            _process(db, numbers, "Timesheet", "timesheet", sheet.number, worker.employee_id, sheet.submitted,
                     history, ids, status="Successfully Completed")


def _payroll(db, hr, ids) -> None:
    for run in hr.pay_runs:
        db.add(PayRun(id=run.number, kind=run.kind, pay_date=run.pay_date, period_start=run.period_start,
                      period_end=run.period_end))
        for slip in run.slips:
            db.add(PaySlip(pay_run_id=run.number, worker_id=ids[slip.worker_key], hours_x100=slip.hours_x100,
                           gross_cents=slip.gross_cents, federal_tax_cents=slip.federal_tax_cents,
                           social_security_cents=slip.social_security_cents, medicare_cents=slip.medicare_cents,
                           state_tax_cents=slip.state_tax_cents, retirement_cents=slip.retirement_cents,
                           employer_taxes_cents=slip.employer_taxes_cents))


def _onboardings(db, hr, ids, numbers, by_key) -> None:
    for onb in hr.onboardings:
        worker = by_key[onb.worker_key]
        history = [(onb.initiated, onb.initiated_by, "Initiated", "Initiation", "")]
        history += [(done, who, "Completed step", title, "") for title, who, done in onb.steps if done]
        waiting = next(((title, who) for title, who, done in onb.steps if done is None), None)
        process = _process(db, numbers, "Onboarding", "onboarding", worker.employee_id, worker.employee_id,
                           onb.initiated, history, ids, status="In Progress" if waiting else "Successfully Completed",
                           step=waiting[0] if waiting else "", assignee=waiting[1] if waiting else None,
                           title=f"Onboarding: {waiting[0]} for {worker.name}" if waiting else "", task_kind="to_do")
        for position, (title, who, done) in enumerate(onb.steps, start=1):
            status = "Completed" if done else ("Awaiting" if waiting and title == waiting[0] else "Not Started")
            document = None
            if done and "W-9" in title:
                data = w9(worker.name, onb.company_name, onb.tax_id, onb.address)
                receipt = Receipt(filename=f"W-9 {onb.company_name}.pdf", content_type="application/pdf",
                                  size=len(data), data=data, uploaded_by=worker.employee_id, uploaded_at=done)
                db.add(receipt)
                db.flush()
                document = receipt.id
            db.add(OnboardingStep(process_id=process.id, position=position, title=title, assignee_id=ids[who],
                                  status=status, completed_at=done, document_id=document))


def _termination(db, hr, ids, numbers, by_key) -> None:
    """The leaver's termination: initiated by the manager, approved by HR, complete."""
    if not hr.leaver or hr.leaver_initiated is None:
        return
    worker = by_key[hr.leaver]
    hr_partner = next((w.key for w in hr.workers if "HR" in w.title), worker.manager_key)
    history = [(hr.leaver_initiated, worker.manager_key, "Initiated", "Initiation", hr.leaver_reason),
               (hr.leaver_initiated + timedelta(hours=4), hr_partner, "Approved", "HR Partner Review", "")]
    _process(db, numbers, "Termination", "worker", worker.employee_id, worker.employee_id, hr.leaver_initiated,
             history, ids, status="Successfully Completed")
