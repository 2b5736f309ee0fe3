"""People's business processes waiting on someone: a time-off request in its approver's inbox, expense reports
in a manager's or finance's, a contractor's onboarding step."""

from __future__ import annotations

from mock_apps.scenarios.facts import ExpenseLineFact, ExpenseReportFact, Facts, HRFacts
from mock_apps.tasks.selectors import Instance, MissingFact, require, slug
from mock_apps.tasks.selectors.expenses import meal_word
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import pronouns, short_name

CONTRACTOR_ACCOUNT = "Professional Fees"  # where a contractor's invoices are booked (the task names it)
CONTRACTOR_TERMS_DAYS = 30


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
        "approver_them": pronouns(approver)["them"],
        "start": request.start.isoformat(), "end_day": str(request.end.day),
        "dates": f"{request.start:%B %-d} to {request.end:%B %-d}",
        "others": [hr.worker(t.worker_key).employee_id for t in pending if t is not request]})]


def leaver_late_report(facts: Facts) -> list[Instance]:
    """The leaver's report past the policy's age limit, awaiting their manager: deny it, tell #sales."""
    hr = facts.hr
    if hr is None or not hr.leaver:
        raise MissingFact("hr.leaver (a worker leaving today)")
    pending = [r for r in hr.expense_reports if r.status == "In Progress"]
    late = [r for r in pending if r.worker_key == hr.leaver and r.awaiting == "manager"
            and (facts.now.date() - min(line.date for line in r.lines)).days > hr.late_after_days]
    if not late:
        raise MissingFact("hr.expense_reports: a report of the leaver past late_after_days, awaiting the manager")
    report, leaver = late[0], hr.worker(hr.leaver)
    manager = hr.worker(leaver.manager_key)
    others = sorted((r for r in pending if r is not report), key=lambda r: (r.awaiting != "manager", r.number))
    return [Instance(slug(report.number), {
        "leaver": leaver.name, "leaver_first": leaver.first_name, "report": report.number,
        "manager": manager.name, "manager_first": manager.first_name, "manager_key": manager.key,
        "manager_id": manager.employee_id, "days": str(hr.late_after_days),
        "leaver_they": pronouns(leaver)["they"], "leaver_their": pronouns(leaver)["their"],
        "manager_them": pronouns(manager)["them"],
        "period": f"{min(line.date for line in report.lines):%B}", "others": [r.number for r in others]})]


def awaiting_controller(facts: Facts) -> list[Instance]:
    """Each report waiting for the controller's approval: approve it as the controller, then audit it as finance."""
    hr, controller = facts.hr, facts.roles.get("controller")
    waiting = [r for r in (hr.expense_reports if hr else ()) if r.status == "In Progress" and r.awaiting == "manager"
               and hr.worker(r.worker_key).manager_key == controller]
    if not waiting:
        raise MissingFact("hr.expense_reports: a report awaiting the controller's (roles['controller']) approval")
    return [Instance(slug(r.number), {
        "worker": hr.worker(r.worker_key).name, "first": hr.worker(r.worker_key).first_name, "report": r.number,
        "memo": r.memo,
        "kind": r.lines[0].item, "manager_id": hr.worker(controller).employee_id,
        "auditor_id": hr.worker(hr.expense_auditor).employee_id, "auditor_key": hr.expense_auditor})
        for r in waiting]


def card_audit(facts: Facts) -> list[Instance]:
    """The four company-card reports awaiting finance's audit, one with a meal over the per-person limit."""
    from mock_apps.tasks.selectors.money import dollars, plain

    hr, limit = facts.hr, facts.expense_meal_limit_cents
    card = [r for r in (hr.expense_reports if hr else ())
            if r.card and r.status == "In Progress" and r.awaiting == "audit"]
    over = [(r, line) for r in card for line in r.lines if line.attendees and line.amount_cents > limit * line.attendees]
    if len(card) != 4 or len(over) != 1 or not limit:
        raise MissingFact("hr.expense_reports: four card reports awaiting audit, exactly one with a meal over the limit")
    (bad, meal), clean = over[0], [r for r in card if r is not over[0][0]]
    near = next((line for line in clean[0].lines if line.attendees and line.amount_cents > limit), None)
    per = meal.amount_cents // meal.attendees
    return [Instance(slug(bad.number), {
        "bad": bad.number, "bad_first": hr.worker(bad.worker_key).first_name, "merchant": meal.merchant,
        "meal": meal_word(meal.memo), "month": f"{facts.now:%B}",
        "auditor_id": hr.worker(hr.expense_auditor).employee_id, "auditor_key": hr.expense_auditor,
        "per_person": plain(per), "limit": dollars(limit),
        "bad_hint": f"{dollars(meal.amount_cents)} for {meal.attendees} people is {dollars(per)} per person",
        **{f"ok{i}": r.number for i, r in enumerate(clean, start=1)},
        **{f"ok{i}_first": hr.worker(r.worker_key).first_name for i, r in enumerate(clean, start=1)},
        "ok1_hint": (f"the {dollars(near.amount_cents)} team lunch was for {near.attendees} people, "
                     f"{dollars(near.amount_cents // near.attendees)} each") if near else "within policy"})]


def contractor_supplier_step(facts: Facts) -> list[Instance]:
    """Each contractor's onboarding waiting on the accountant's step: their business set up as a vendor, introduced."""
    hr, today, taken = facts.hr, facts.now.date(), {v.name for v in facts.vendors}
    waiting = []
    for onboarding in hr.onboardings if hr else ():
        step = next(((title, who) for title, who, done in onboarding.steps if done is None), None)
        # a business already among the vendors could not be created again as the task asks
        if onboarding.company_name and step and step[1] == facts.mailbox_owner and onboarding.company_name not in taken:
            waiting.append((onboarding, step[0]))
    account = next((a for a in facts.accounts if a.name == CONTRACTOR_ACCOUNT), None)
    if not waiting or account is None:
        raise MissingFact("hr.onboardings: a contractor's (company_name) waiting on the mailbox owner's step, and a "
                          f"{CONTRACTOR_ACCOUNT} account")
    instances = []
    for onboarding, step in waiting:
        worker = hr.worker(onboarding.worker_key)
        days = (worker.hire_date - today).days
        instances.append(Instance(slug(onboarding.number), {
            "contractor": worker.name, "first": worker.first_name, "worker_key": worker.key, "step": step,
            "when": "tomorrow" if days == 1 else f"on {worker.hire_date:%B %-d}",
            # "Network Consultant (Contractor)" -> "network contractor"
            "role": f"{worker.title.split()[0].lower()} contractor", **pronouns(worker),
            "vendor": onboarding.company_name, "business": short_name(onboarding.company_name),
            "contact": worker.name, "email": worker.email, "phone": worker.phone, "address": onboarding.address,
            "terms": CONTRACTOR_TERMS_DAYS, "account": account.name,
            "account_option": account.option,
            "manager_first": hr.worker(worker.manager_key).first_name}))
    return instances


# People's audit flags: the word a comment naming the flag contains, and how an instruction names the problem
_FLAG_WORDS = {"alcohol": ("alcohol", "alcohol"), "over_limit": ("limit", "over the limit"),
               "missing_receipt": ("receipt", "missing receipt"), "duplicate": ("duplicate", "duplicate"),
               "weekend": ("weekend", "weekend"), "late": ("late", "late")}


def audit_flags(hr: HRFacts, report: ExpenseReportFact) -> list[tuple[str, ExpenseLineFact]]:
    """The audit flags People shows on a report, each (code, line), as mock_apps/people/expenses.flags finds them."""
    items = {i.key: i for i in hr.expense_items}
    submitted = (report.submitted or report.created).date()
    others = {(line.date, line.merchant.strip().lower(), line.amount_cents) for r in hr.expense_reports
              if r.worker_key == report.worker_key and r is not report and r.status != "Denied" for line in r.lines}
    found, seen = [], set()
    for line in report.lines:
        item, key = items.get(line.item), (line.date, line.merchant.strip().lower(), line.amount_cents)
        limit = item.limit_cents * (max(line.attendees, 1) if item.per_person else 1) if item else 0
        found += [(code, line) for code, hit in (
            ("alcohol", item is not None and item.alcohol), ("over_limit", bool(limit) and line.amount_cents > limit),
            ("missing_receipt", not line.receipt and line.amount_cents > hr.receipt_required_over_cents),
            ("duplicate", key in seen or key in others), ("weekend", line.date.weekday() >= 5),
            ("late", (submitted - line.date).days > hr.late_after_days)) if hit]
        seen.add(key)
    return found


def ops_inbox(facts: Facts) -> list[Instance]:
    """The operations manager's expense reports (the accountant acting for them): each flagged one sent back
    naming its flag, each clean one approved, their own report (in finance's inbox) left alone."""
    hr, ops = facts.hr, facts.roles.get("ops")
    pending = [r for r in (hr.expense_reports if hr else ()) if r.status == "In Progress"]
    waiting = sorted((r for r in pending if r.awaiting == "manager" and hr.worker(r.worker_key).manager_key == ops),
                     key=lambda r: r.number)
    flags = {r.number: audit_flags(hr, r) for r in waiting}
    flagged = [(r, *flags[r.number][0]) for r in waiting if flags[r.number]]
    if not flagged:
        raise MissingFact("hr.expense_reports: a flagged report awaiting the ops manager's (roles['ops']) approval")
    own = require((r for r in pending if r.worker_key == ops and r.awaiting == "audit"),
                  "hr.expense_reports: the ops manager's own report awaiting finance's audit")[0]
    manager = hr.worker(ops)
    return [Instance(slug(manager.key), {
        "manager": manager.name, "manager_first": manager.first_name, "manager_key": manager.key,
        "manager_id": manager.employee_id, "his": pronouns(manager)["their"],
        "problems": ", ".join(dict.fromkeys(_FLAG_WORDS[code][1] for _, code, _ in flagged)),
        "flagged": [_sent_back(hr, *found) for found in flagged],
        "clean": [{"report": r.number, "first": hr.worker(r.worker_key).first_name} for r in waiting
                  if not flags[r.number]],
        "own": own.number, "own_what": "card report" if own.card else "report"})]


def _sent_back(hr: HRFacts, report: ExpenseReportFact, code: str, line: ExpenseLineFact) -> dict:
    """A flagged report's parameters: its check's name, the word its comment must contain, a comment naming it."""
    first, amount, day = hr.worker(report.worker_key).first_name, dollars(line.amount_cents), f"{line.date:%-m/%-d}"
    thing = (line.memo.split() or [line.merchant])[0].lower()  # "Wine with dinner" -> "wine"
    title, comment = {
        "alcohol": (f"{first}'s report with the {thing} is sent back for alcohol",
                    f"Please remove the {thing}: alcohol is not reimbursable."),
        "over_limit": (f"{first}'s report over the {line.item} limit is sent back",
                       f"The {amount} {line.merchant} line is over the policy's {line.item} limit."),
        "missing_receipt": (f"{first}'s report without a receipt is sent back",
                            f"Please attach the receipt for the {amount} {line.merchant} purchase."),
        "duplicate": (f"{first}'s report with a duplicate line is sent back",
                      f"The {amount} {line.merchant} line of {day} is a duplicate: please remove it."),
        "weekend": (f"{first}'s {line.date:%A} purchase is sent back",
                    f"Bought on a weekend ({line.date:%A} {day}): please explain why it was a business expense."),
        "late": (f"{first}'s late report is sent back",
                 f"These expenses are late: older than the policy's {hr.late_after_days}-day limit."),
    }[code]
    return {"report": report.number, "first": first, "word": _FLAG_WORDS[code][0], "title": title, "comment": comment}
