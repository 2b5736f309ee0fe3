"""Questions a person answers by looking facts up (in one app or across several), each of its own kind."""

from __future__ import annotations

from mock_apps.people.fields import hours_label
from mock_apps.scenarios.facts import Facts
from mock_apps.tasks.selectors import Instance, MissingFact, slug
from mock_apps.tasks.selectors.expenses import meal_word
from mock_apps.tasks.selectors.money import dollars
from mock_apps.tasks.selectors.names import listing, possessive, pronouns
from mock_apps.tasks.selectors.payroll import pto_balance_x100, pto_taken_x100, regular_runs_this_year
from mock_apps.tasks.selectors.remittances import open_cents

MONEY = "an amount of money like $1,234.56"


def _question(kind: str, key: str, title: str, question: str, form: str, difficulty: str, apps: list[str],
              start: str, answer_type: str, value, hint: str) -> Instance:
    return Instance(f"{kind}-{slug(key)}" if key else kind, {
        "title": title, "question": question, "form": form, "difficulty": difficulty, "apps": apps,
        "start_pages": [start], "type": answer_type, "value": value, "hint": hint, "kind": kind, "about": key})


def _open_balance(facts: Facts) -> list[Instance]:
    notes = [e for e in facts.events if e.kind == "partial_payment_note" and e.refs]
    if not notes:
        return []
    number = notes[0].refs[0]
    invoice = facts.invoice(number)
    return [_question(
        "open-balance", number, f"How much of {number} is still open?",
        f"{facts.person(notes[0].actor).first_name} posted in #finance about {facts.customer(invoice.customer_key).name} "
        f"paying {number} in two parts. How much of {number} is still open in Books?", MONEY, "easy",
        ["chat", "books"], "chat:/", "money", open_cents(facts, number),
        f"{number} is {dollars(invoice.total_cents)} and {dollars(facts.invoice_paid_cents(number))} of it was paid")]


def _vendor_payments(facts: Facts) -> list[Instance]:
    queries = [e for e in facts.events if e.kind == "vendor_payment_query"]
    if not queries:
        return []
    found = []
    for kind, event in (("payment-reference", queries[0]), ("payment-date", queries[-1])):
        vendor = facts.vendor(event.actor)
        month = f"{facts.bill(event.refs[0]).date:%B}"
        short = " ".join(vendor.name.split()[:-1]) or vendor.name
        invoice, data = event.data["invoice"], event.data
        if kind == "payment-reference":
            found.append(_question(
                kind, invoice, f"Which payment settled {possessive(short)} {month} invoice?",
                f"{vendor.name} emailed about their {month} invoice. Which check number or ACH reference paid it, "
                "according to Books?", "the reference exactly as Books shows it", "medium", ["mail", "books"],
                "mail:/", "string", data["reference"], f"{invoice} was paid by {data['reference']}"))
        else:
            found.append(_question(
                kind, invoice, f"When did we pay {possessive(short)} {month} invoice?",
                f"{vendor.name} emailed about their {month} invoice. On what date was it paid, according to Books?",
                f"a date like {facts.now.date().isoformat()}", "medium", ["mail", "books"], "mail:/", "date",
                data["paid_on"], f"{invoice} was paid on {data['paid_on']}"))
    return found


def _meal_policy(facts: Facts) -> list[Instance]:
    meals = [e for e in facts.expense_reports if e.attendees and e.submitted_by]
    breaking = [e for e in meals if e.policy_issue]
    if not breaking or not facts.expense_meal_limit_cents:
        return []
    names = sorted({facts.person(e.submitted_by).name for e in breaking})

    def said(e, verdict: str) -> str:
        return (f"{facts.person(e.submitted_by).first_name}'s {dollars(e.amount_cents)} {meal_word(e.memo, team=False)} "
                f"for {e.attendees} {verdict}")

    within = [e for e in meals if not e.policy_issue and e.amount_cents > facts.expense_meal_limit_cents]
    hint = "; ".join([said(e, f"is over {dollars(facts.expense_meal_limit_cents)} per person") for e in breaking]
                     + [said(e, "is not") for e in within])
    return [_question(
        "meal-policy", "", f"Whose {facts.now:%B} expenses break the meal policy?",
        f"Several employees mailed their {facts.now:%B} expense reports. Against the expense policy pinned in #finance, "
        "which employees submitted an expense that breaks it?", "the employees' full names, separated by commas",
        "medium", ["mail", "chat"], "mail:/", "set", names, hint)]


def _remittances_total(facts: Facts) -> list[Instance]:
    if not facts.pending_remittances:
        return []
    return [_question(
        "unrecorded-remittances", "", "How much is on its way in customer checks not yet in Books?",
        "Customers have emailed remittance advices for checks that are not recorded in Books yet. What is the "
        "total of those checks?", MONEY, "hard", ["mail", "books"], "mail:/", "money",
        sum(r.amount_cents for r in facts.pending_remittances),
        " + ".join(f"{r.reference} {dollars(r.amount_cents)}" for r in facts.pending_remittances))]


def _new_vendor_ein(facts: Facts) -> list[Instance]:
    approved = [o for o in facts.onboardings if o.approved_by and o.tax_id]
    if not approved:
        return []
    vendor, ein = approved[0].vendor.name, approved[0].tax_id
    return [_question(
        "new-vendor-ein", vendor, f"What is {possessive(vendor)} EIN?",
        f"We need the tax ID of the new vendor {vendor} for the 1099 file. What EIN is on the W-9 they emailed?",
        "the EIN like 12-3456789", "easy", ["mail"], "mail:/", "string", ein, f"the W-9 and the setup mail give {ein}")]


def _open_invoice_count(facts: Facts) -> list[Instance]:
    # the trap: a customer whose mailed check is not recorded yet still has those invoices open in Books
    today = facts.now.date()
    mailed = {r.customer_key for r in facts.pending_remittances}
    counts = {key: [i for i in facts.invoices if i.customer_key == key and i.date <= today and open_cents(facts, i.number) > 0]
              for key in mailed}
    if not counts:
        return []
    key = max(counts, key=lambda k: (len(counts[k]), max((i.number for i in counts[k]), default="")))
    name, numbers = facts.customer(key).name, [i.number for i in counts[key]]
    return [_question(
        "open-invoice-count", name, f"How many invoices does {name} have open?",
        f"How many invoices of {name} are open (not fully paid) in Books?", "a number", "easy", ["books"], "books:/",
        "number", len(numbers), f"{listing(numbers)} are open")]


def lookups(facts: Facts) -> list[Instance]:
    """Every kind of question the facts can answer: an open balance, a vendor's payment reference and date, the
    meal-policy breakers, the checks on their way, a new vendor's EIN, a customer's open invoices."""
    found = [q for kind in (_open_balance, _vendor_payments, _meal_policy, _remittances_total, _new_vendor_ein,
                            _open_invoice_count) for q in kind(facts)]
    if not found:
        raise MissingFact("any fact a question can be asked about (a partial payment, a vendor query, ...)")
    return found


def _pto_balance(facts: Facts) -> list[Instance]:
    # the worker of the first pending PTO request: the question must leave that request out
    hr = facts.hr
    pending = [t for t in (hr.time_off if hr else ()) if t.status == "In Progress" and t.plan == "pto"]
    if not pending:
        return []
    worker, today = hr.worker(pending[0].worker_key), facts.now.date()
    runs, carried = regular_runs_this_year(hr, today), hr.pto_carryover_x100.get(worker.key, 0)
    taken, balance = pto_taken_x100(hr, worker, today), pto_balance_x100(hr, worker, today)
    return [_question(
        "pto-balance", worker.name, f"How many hours of PTO does {worker.first_name} have?",
        f"What is {possessive(worker.name)} Paid Time Off balance in People today, in hours (approved time off taken "
        f"out, {pronouns(worker)['their']} pending request not)?", "a number of hours like 12.5", "easy", ["people"],
        "people:/", "number", balance / 100 if balance % 100 else balance // 100,
        f"{hours_label(carried)} hours carried over plus {runs} accruals of {hours_label(hr.pto_accrual_x100)} hours, "
        + (f"{hours_label(taken)} hours taken" if taken else "nothing taken yet"))]


def _payroll_gross(facts: Facts) -> list[Instance]:
    # the latest regular pay run, against the payroll journal entry Books has for the same run
    runs = [r for r in (facts.hr.pay_runs if facts.hr else ()) if r.kind == "Regular" and r.payroll_key
            and r.pay_date <= facts.now.date()]
    if not runs:
        return []
    run = max(runs, key=lambda r: r.pay_date)
    payroll = next(p for p in facts.payroll_runs if p.key == run.payroll_key)
    journal, day = payroll.journal_number, f"{payroll.date:%B %-d}"
    found = _question(
        "payroll-gross", run.number, f"What gross pay did the {day} payroll post to Books?",
        f"Check that the {day} regular pay run in People agrees with the payroll journal entry in Books: how much "
        f"gross pay did Books' {day} payroll entry debit to Payroll Expenses?", MONEY, "medium", ["people", "books"],
        "people:/", "money", payroll.gross_cents,
        f"{journal} debits {dollars(payroll.gross_cents)} of gross wages, the same as pay run {run.number}")
    return [Instance(found.key, {**found.params, "journal": journal})]


def people_lookups(facts: Facts) -> list[Instance]:
    """Questions People answers (with Books): a worker's PTO balance, the gross pay the latest payroll posted."""
    found = _pto_balance(facts) + _payroll_gross(facts)
    if not found:
        raise MissingFact("hr.time_off (a pending PTO request) or hr.pay_runs (a regular run Books has)")
    return found
