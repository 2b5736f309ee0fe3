"""People's JSON shapes in Workday's REST style: references {"id", "descriptor", "href"}, camelCase fields,
money as {"value", "currency"} with the value a decimal string."""

from __future__ import annotations

from flask import request, url_for

from mock_apps.people import absence, fields, payroll, timesheets
from mock_apps.people.models import BusinessProcess, ExpenseReport, InboxTask, PayRun, TimeOffRequest, Timesheet, Worker


def href(path: str) -> str:
    """An absolute URL of an API path under this tenant's service (keeps the world prefix)."""
    return request.host_url.rstrip("/") + request.script_root + path


def api_path(service: str, version: str, tenant: str, rest: str) -> str:
    """/ccx/api/<service>/<version>/<tenant>/<rest>."""
    return f"/ccx/api/{service}/{version}/{tenant}/{rest}"


def ref(ident: str, descriptor: str, path: str) -> dict:
    """A Workday reference."""
    return {"id": ident, "descriptor": descriptor, "href": href(path)}


def amount(cents: int) -> dict:
    """Money as Workday sends it."""
    return {"value": f"{cents / 100:.2f}", "currency": "USD"}


def instant(moment) -> str:
    """An instant as ISO 8601 UTC with a Z (stored instants come back without their zone)."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def hours(x100: int) -> str:
    """Hours as a decimal string."""
    return f"{x100 / 100:.2f}"


class Shapes:
    """Serializers bound to one tenant (for the hrefs)."""

    def __init__(self, tenant: str, people: dict[str, Worker]):
        self.tenant = tenant
        self.people = people

    def worker_ref(self, worker_id: str | None) -> dict | None:
        """A worker reference."""
        if worker_id is None or worker_id not in self.people:
            return None
        w = self.people[worker_id]
        return ref(w.id, w.name, api_path("staffing", "v7", self.tenant, f"workers/{w.id}"))

    def worker(self, w: Worker, show_pay: bool) -> dict:
        """A worker."""
        data = {
            "id": w.id, "descriptor": w.name, "href": href(api_path("staffing", "v7", self.tenant, f"workers/{w.id}")),
            "workerId": w.id, "workerType": {"id": w.worker_type, "descriptor": w.worker_type},
            "businessTitle": w.title, "primaryWorkEmail": w.email, "primaryWorkPhone": w.phone,
            "location": {"id": w.location, "descriptor": w.location},
            "supervisoryOrganization": ref(w.org_id, w.org_id, api_path("staffing", "v7", self.tenant,
                                                                         f"supervisoryOrganizations/{w.org_id}")),
            "manager": self.worker_ref(w.manager_id), "costCenter": {"id": w.cost_center.split()[0],
                                                                      "descriptor": w.cost_center},
            "jobProfile": ref(job_profile_id(w.title), w.title,
                              api_path("staffing", "v7", self.tenant, f"jobProfiles/{job_profile_id(w.title)}")),
            "hireDate": w.hire_date.isoformat(),
            "terminationDate": w.termination_date.isoformat() if w.termination_date else None,
            "status": w.status, "payType": w.pay_type, "isManager": any(p.manager_id == w.id for p in self.people.values()),
        }
        if show_pay:
            data["compensation"] = ({"annualSalary": amount(w.semimonthly_cents * 24), "frequency": "Semi-Monthly"}
                                    if w.pay_type == "Salaried" else {"hourlyRate": amount(w.hourly_rate_cents)})
        return data

    def report(self, r: ExpenseReport, lines=None, flags=None, process: BusinessProcess | None = None) -> dict:
        """An expense report (with its lines when given)."""
        data = {"id": r.id, "descriptor": f"{r.id} {r.memo}",
                "href": href(api_path("expense", "v1", self.tenant, f"reports/{r.id}")),
                "worker": self.worker_ref(r.worker_id), "memo": r.memo, "status": r.status,
                "paidBy": "Corporate Card" if r.card else "Employee", "totalAmount": amount(r.total_cents),
                "createdOn": instant(r.created_at), "version": r.version,
                "submittedOn": instant(r.submitted_at) if r.submitted_at else None,
                "businessProcess": self.process_ref(process)}
        if lines is not None:
            data["lines"] = [self.line(r, line) for line in lines]
            data["auditFlags"] = [{"line": f.line, "code": f.code, "message": f.message} for f in flags or []]
        return data

    def line(self, r: ExpenseReport, line) -> dict:
        """One expense line."""
        return {"id": f"{r.id}-{line.position}", "lineNumber": line.position, "date": line.date.isoformat(),
                "merchant": line.merchant, "expenseItem": {"id": line.item_id, "descriptor": line.item_id},
                "amount": amount(line.amount_cents), "attendees": line.attendees, "memo": line.memo,
                "receiptAttached": line.receipt_id is not None}

    def process_ref(self, process: BusinessProcess | None) -> dict | None:
        """A business-process event reference."""
        if process is None:
            return None
        return ref(process.id, f"{process.type}: {process.subject_id}",
                   api_path("businessProcess", "v1", self.tenant, f"events/{process.id}"))

    def process(self, process: BusinessProcess, history) -> dict:
        """A business process with its history."""
        return {**self.process_ref(process), "type": process.type, "status": process.status,
                "awaitingStep": process.step or None, "subject": {"id": process.subject_id,
                                                                  "type": process.subject_kind},
                "worker": self.worker_ref(process.worker_id), "initiator": self.worker_ref(process.initiator_id),
                "initiatedOn": instant(process.created_at),
                "completedOn": instant(process.completed_at) if process.completed_at else None,
                "history": [{"when": instant(e.at), "person": self.worker_ref(e.actor_id),
                             "action": e.action, "step": e.step, "comment": e.comment} for e in history]}

    def task(self, t: InboxTask, process: BusinessProcess) -> dict:
        """An inbox task."""
        return {"id": t.id, "descriptor": t.title,
                "href": href(api_path("common", "v1", self.tenant, f"inboxTasks/{t.id}")),
                "stepType": {"id": t.kind, "descriptor": "To Do" if t.kind == "to_do" else "Approval"},
                "step": t.step, "status": t.status, "assigned": instant(t.created_at),
                "assignedTo": self.worker_ref(t.assignee_id), "overallProcess": self.process_ref(process),
                "subject": {"id": process.subject_id, "type": process.subject_kind}}

    def time_off(self, r: TimeOffRequest) -> dict:
        """A time-off request."""
        return {"id": r.id, "descriptor": f"{r.id} {r.start.isoformat()}–{r.end.isoformat()}",
                "worker": self.worker_ref(r.worker_id), "timeOffType": {"id": r.plan_id, "descriptor": r.plan_id},
                "start": r.start.isoformat(), "end": r.end.isoformat(), "quantity": hours(r.hours_x100),
                "unit": "Hours", "status": r.status, "comment": r.comment}

    def balance(self, worker: Worker, b: absence.Balance) -> dict:
        """A balance on a plan."""
        return {"id": f"{worker.id}-{b.plan.id}", "descriptor": f"{b.plan.name}: {fields.hours_label(b.balance_x100)} h",
                "worker": self.worker_ref(worker.id), "absencePlan": {"id": b.plan.id, "descriptor": b.plan.name},
                "unitOfTime": "Hours", "carryover": hours(b.carryover_x100), "accrued": hours(b.accrued_x100),
                "taken": hours(b.taken_x100), "quantity": hours(b.balance_x100), "pending": hours(b.pending_x100),
                "available": hours(b.available_x100)}

    def timesheet(self, db, t: Timesheet) -> dict:
        """A weekly timesheet with its entries."""
        entries = timesheets.entries(db, t)
        return {"id": t.id, "descriptor": f"{t.id} week of {t.week_start.isoformat()}",
                "href": href(api_path("timeTracking", "v1", self.tenant, f"timesheets/{t.id}")),
                "worker": self.worker_ref(t.worker_id), "weekStart": t.week_start.isoformat(), "status": t.status,
                "version": t.version, "totalHours": hours(sum(h for _, h in entries)),
                "timeEntries": [{"date": d.isoformat(), "hours": hours(h)} for d, h in entries]}

    def pay_run(self, run: PayRun, slips=None) -> dict:
        """A pay run; with its slips, the summary and the GL distribution too."""
        data = {"id": run.id, "descriptor": f"{run.kind} {run.pay_date.isoformat()}",
                "href": href(api_path("payroll", "v1", self.tenant, f"payRuns/{run.id}")),
                "payGroup": {"id": "SEMI-MONTHLY", "descriptor": run.pay_group}, "runCategory": run.kind,
                "periodStart": run.period_start.isoformat(), "periodEnd": run.period_end.isoformat(),
                "paymentDate": run.pay_date.isoformat(), "status": run.status}
        if slips is not None:
            total = payroll.summary(slips)
            data["summary"] = {"workers": total.workers, "gross": amount(total.gross_cents),
                               "withholding": amount(total.withholding_cents), "net": amount(total.net_cents),
                               "employerTaxes": amount(total.employer_taxes_cents)}
            data["glDistribution"] = [{"account": g.account, "debit": amount(g.debit_cents),
                                       "credit": amount(g.credit_cents), "memo": g.memo}
                                      for g in payroll.gl_distribution(run, slips)]
            data["paySlips"] = [self.slip(run, s) for s in slips]
        return data

    def slip(self, run: PayRun, s) -> dict:
        """One worker's pay slip."""
        return {"id": f"{run.id}-{s.worker_id}", "descriptor": f"{run.id} {self.people[s.worker_id].name}",
                "worker": self.worker_ref(s.worker_id), "payRun": {"id": run.id}, "paymentDate": run.pay_date.isoformat(),
                "hours": hours(s.hours_x100), "gross": amount(s.gross_cents),
                "federalIncomeTax": amount(s.federal_tax_cents), "socialSecurity": amount(s.social_security_cents),
                "medicare": amount(s.medicare_cents), "stateIncomeTax": amount(s.state_tax_cents),
                "retirement401k": amount(s.retirement_cents), "net": amount(s.net_cents),
                "employerTaxes": amount(s.employer_taxes_cents)}


def job_profile_id(title: str) -> str:
    """A job profile's id from its title ("Staff Accountant" -> "JP-STAFF-ACCOUNTANT")."""
    return "JP-" + "-".join("".join(c for c in word if c.isalnum()) for word in title.upper().split()
                            if any(c.isalnum() for c in word))


def expense_items(items) -> list[dict]:
    """The policy's expense items."""
    return [{"id": i.id, "descriptor": i.name, "account": i.account,
             "limit": amount(i.limit_cents) if i.limit_cents else None, "perPerson": i.per_person,
             "reimbursable": not i.alcohol} for i in items]


__all__ = ["Shapes", "ref", "amount", "href", "api_path", "instant", "job_profile_id", "expense_items"]
