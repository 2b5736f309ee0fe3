"""The answer keys of the payment, onboarding, expense and question tasks agree with the scenario's facts
(a wrong key would pass wrong work: the keys are derived here independently and compared)."""

from __future__ import annotations

from mock_apps.scenarios import get_scenario
from mock_apps.tasks import all_tasks, get_task

FACTS = get_scenario().facts


def _answer(task_id: str):
    return next(c.answer.value for c in get_task(task_id).checks if c.answer)


def test_remittance_tasks_match_the_pending_remittances():
    pending = {p.reference: p for p in FACTS.pending_remittances}
    tasks = [t for t in all_tasks() if t.template == "record-remittance"]
    assert {t.params["check"] for t in tasks} == set(pending)  # one task per mailed check, none invented
    for task in tasks:
        pmt = pending[task.params["check"]]
        assert task.params["total_cents"] == pmt.amount_cents
        assert task.params["date"] == pmt.date.isoformat()
        assert task.params["paid"] == [n for n, _ in pmt.applications]
        assert task.params["customer"] == FACTS.customer(pmt.customer_key).name


def test_question_answers_match_the_facts():
    inv = FACTS.invoice("INV-1021")
    assert _answer("answer-inv-1021-open-balance") == inv.total_cents - FACTS.invoice_paid_cents("INV-1021")
    assert _answer("answer-unrecorded-remittances-total") == sum(p.amount_cents for p in FACTS.pending_remittances)
    assert _answer("answer-out-of-policy-employees") == sorted(
        FACTS.person(e.submitted_by).name for e in FACTS.expense_reports if e.policy_issue)
    crestview = next(o for o in FACTS.onboardings if o.vendor.name == "Crestview Packaging Solutions")
    assert _answer("answer-crestview-ein") == crestview.tax_id
    queries = {e.data["invoice"]: e.data for e in FACTS.events if e.kind == "vendor_payment_query"}
    assert _answer("answer-pioneer-payment-reference") == queries["PI-38798"]["reference"]
    assert _answer("answer-hale-payment-date") == queries["HA-85511"]["paid_on"]
    pinecrest = [i for i in FACTS.invoices if i.customer_key == "pinecrest-clinic"
                 and FACTS.invoice_paid_cents(i.number) < i.total_cents]
    assert _answer("answer-pinecrest-open-invoice-count") == len(pinecrest)


def test_vendor_query_replies_match_the_payments():
    queries = {e.data["invoice"]: e.data for e in FACTS.events if e.kind == "vendor_payment_query"}
    for task in (t for t in all_tasks() if t.template == "answer-vendor-payment-query"):
        data = queries[task.params["invoice"]]
        assert (task.params["reference"], task.params["paid_on"], task.params["method"]) == (
            data["reference"], data["paid_on"], data["method"])


def test_onboarding_tasks_match_the_approved_vendor_and_skip_the_one_on_hold():
    approved = [o for o in FACTS.onboardings if o.approved_by]
    held = [o for o in FACTS.onboardings if not o.approved_by]
    assert [o.vendor.name for o in approved] == ["Crestview Packaging Solutions"] and held
    vendor = approved[0].vendor
    for task_id in ("onboard-approved-vendor", "onboard-vendor-and-enter-first-bill"):
        created = next(c for c in get_task(task_id).checks if c.exists and c.exists.table == "contact")
        assert created.exists.where["display_name"] == vendor.name
        assert {k: created.expect[k] for k in ("email", "phone", "address", "terms_days")} == {
            "email": vendor.email, "phone": vendor.phone, "address": vendor.address, "terms_days": vendor.terms_days}
    hold = next(c for c in get_task("onboard-approved-vendor").checks if c.absent)
    assert hold.absent.where["display_name"]["contains"] in held[0].vendor.name


def test_the_flagged_expense_row_is_the_out_of_policy_one():
    rows = sorted(FACTS.expense_reports, key=lambda e: (e.date, e.key))
    flagged = [i for i, e in enumerate(rows, start=2) if e.policy_issue]  # the sheet's data starts on row 2
    check = next(c for c in get_task("review-march-expense-reports").checks if c.exists and c.exists.app == "sheets")
    assert flagged == [check.exists.where["row"]]
    assert rows[flagged[0] - 2].payee in next(
        c for c in get_task("review-march-expense-reports").checks if c.exists and c.exists.app == "chat"
    ).exists.where["text"]["contains"]
