"""The generator builds whole, consistent companies of every industry, the same ones on every run and
machine, different ones for different seeds, and bad names get one clear line."""

import os
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta

import pytest

from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.scenarios import get_scenario, industries, scenario_name
from mock_apps.scenarios.facts import ROLES

MERIDIAN = get_scenario("meridian").facts
DEBIT_TYPES = {"Bank", "Accounts receivable", "Other current asset", "Fixed asset", "Other asset"}


def facts_of(industry: str, seed: int = 3):
    return get_scenario(scenario_name(industry, seed)).facts


def test_four_industries_whose_books_differ_in_kind():
    assert set(industries()) >= {"wholesale", "law", "medical", "agency"}
    charts = {industry: {a.name for a in facts_of(industry).accounts} for industry in industries()}
    assert "Client Trust Account (IOLTA)" in charts["law"] and "Client Trust Liability" in charts["law"]
    assert "Patient Service Revenue" in charts["medical"] and "Inventory Asset" in charts["wholesale"]
    assert "Media Pass-Through Revenue" in charts["agency"]
    assert len({frozenset(chart) for chart in charts.values()}) == len(charts)


@pytest.mark.parametrize("industry", ["wholesale", "law", "medical", "agency"])
def test_a_company_is_whole_and_consistent(industry):
    facts = facts_of(industry)
    keys = lambda items: [i.key for i in items]  # noqa: E731
    for items in (facts.people, facts.vendors, facts.customers, facts.bills, facts.hr.workers):
        assert len(set(keys(items))) == len(items)
    assert set(facts.roles) == set(ROLES) and facts.roles["owner"] == facts.mailbox_owner
    people = set(keys(facts.people))
    assert set(facts.roles.values()) <= people
    # opening balances balance, and every line posts to an account of the chart
    accounts = {a.name: a for a in facts.accounts}
    debits = sum(a.opening_balance_cents for a in facts.accounts if a.type in DEBIT_TYPES)
    credits = sum(a.opening_balance_cents for a in facts.accounts if a.type not in DEBIT_TYPES)
    assert debits == credits > 0
    for doc in (*facts.invoices, *facts.bills):
        assert all(line.account in accounts for line in doc.lines)
    assert {e.account for e in (*facts.expenses, *facts.expense_reports)} <= set(accounts)
    assert {p.income_account for p in facts.products} <= set(accounts)
    # money applied is money owed: payments never exceed the invoices and bills they pay
    vendors, customers = set(keys(facts.vendors)), set(keys(facts.customers))
    assert {b.vendor_key for b in facts.bills} <= vendors and {i.customer_key for i in facts.invoices} <= customers
    for inv in facts.invoices:
        assert 0 <= facts.invoice_paid_cents(inv.number) <= inv.total_cents
    for bill in facts.bills:
        assert facts.bill_paid_cents(bill.key) in (0, bill.total_cents)
    # the bank's statements chain, and People's pay runs agree with the books' payroll to the cent
    for before, after in zip(facts.statements, facts.statements[1:]):
        assert before.ending_balance_cents == after.beginning_balance_cents
    runs = {r.key: r for r in facts.payroll_runs}
    for run in facts.hr.pay_runs:
        if run.payroll_key:
            assert run.gross_cents == runs[run.payroll_key].gross_cents
            assert sum(s.employer_taxes_cents for s in run.slips) == runs[run.payroll_key].employer_taxes_cents
    assert len([r for r in facts.hr.pay_runs if r.payroll_key]) == len(facts.payroll_runs) == 6


@pytest.mark.parametrize("industry", ["wholesale", "law", "medical", "agency"])
def test_parties_are_local_with_plain_names_and_full_addresses(industry):
    import re

    from mock_apps.scenarios.generator.cast import handle

    facts = facts_of(industry)
    company = facts.company
    # the company's state is its phone area's, and every ZIP code is one of that state's
    zips = {"OH": "4[3-5]", "IL": "6[0-2]", "CO": "8[01]", "TX": "7[5-9]|88", "GA": "3[01]|39", "OR": "97",
            "NC": "2[78]"}[company.state]
    assert re.fullmatch(rf"({zips})\d{{3}}", company.postal_code), (company.state, company.postal_code)
    for party in (*facts.vendors, *facts.customers, facts.signed_customer):
        street, city, state_zip = party.address.rsplit(", ", 2)
        assert re.fullmatch(rf"{company.state} ({zips})\d{{3}}", state_zip), party.address
        assert not re.search(r"^(Mr|Mrs|Ms|Dr|Miss)\. | (MD|DDS|PhD|DVM|Jr\.|II|III|IV|V)$", party.contact_name)
        if not party.email.startswith("billing@") and not party.email.endswith("@gmail.com"):
            assert party.email.split("@")[0] == handle(party.contact_name.split()[0], "").rstrip("."), party.email
    assert facts.signed_customer.kind == {"wholesale": "customer", "law": "client", "medical": "payer",
                                          "agency": "client"}[industry]


@pytest.mark.parametrize("industry", ["wholesale", "law", "medical", "agency"])
def test_the_loose_ends_that_make_tasks_exist(industry):
    facts = facts_of(industry)
    only_in_mail = [b for b in facts.bills if not b.in_books]
    assert sum(b.resent_duplicate for b in only_in_mail) == 1
    corrected = next(b for b in only_in_mail if b.mailed_total_cents is not None)
    assert corrected.mailed_total_cents > corrected.total_cents
    held = next(b for b in only_in_mail if b.approved_by is None)
    lookalike = facts.vendor(held.vendor_key).name.split()[0]
    assert sum(v.name.split()[0] == lookalike for v in facts.vendors) == 2  # a near-duplicate vendor name
    phish = next(e for e in facts.events if e.kind == "bank_change_request")
    assert phish.data["spoof_domain"] != facts.vendor(phish.actor).email.split("@")[1]
    today = facts.now.date()
    assert any(b.in_books and b.due_date < today and facts.bill_paid_cents(b.key) == 0 for b in facts.bills)
    recorded = {n for p in facts.customer_payments for n, _ in p.applications}
    assert len(facts.pending_remittances) == 4
    for pmt in facts.pending_remittances:
        for number, cents in pmt.applications:
            invoice = facts.invoice(number)
            assert number not in recorded and invoice.customer_key == pmt.customer_key and cents == invoice.total_cents
    assert any(len(p.applications) > 1 for p in facts.pending_remittances)
    assert len(facts.onboardings) == 2 and facts.onboardings[0].first_invoice is not None
    assert any(e.policy_issue for e in facts.expense_reports)
    assert {r.status for r in facts.hr.expense_reports} >= {"Paid", "In Progress", "Draft"}
    assert facts.hr.time_off and facts.hr.timesheets and facts.hr.onboardings and facts.hr.leaver
    overdue = [facts.invoice(e.refs[0]) for e in facts.events if e.kind == "collections_reminder"]
    assert len(overdue) == 3 and all(i.due_date < today - timedelta(days=10) for i in overdue)


@pytest.mark.parametrize("industry", ["law", "medical"])
def test_events_have_meridians_kinds_and_data_keys(industry):
    def shapes(facts):
        found = defaultdict(set)
        for event in facts.events:
            found[event.kind].add(frozenset(event.data))
        return dict(found)

    assert shapes(facts_of(industry)) == shapes(MERIDIAN)


def test_medical_remittances_come_from_payers_and_pay_several_claims():
    facts = facts_of("medical", 1)
    payer = facts.pending_remittances[0]
    assert payer.method == "ACH" and payer.reference.startswith("EFT")


def test_the_same_seed_gives_the_same_company_in_another_process():
    script = ("from mock_apps.scenarios.generator import build; import hashlib; "
              "print(hashlib.sha256(repr(build('agency', 11)).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(hashseed)}).stdout for hashseed in (1, 2)}
    assert len(digests) == 1


def test_different_seeds_give_different_companies():
    first, second = facts_of("law", 1), facts_of("law", 2)
    assert first.company.name != second.company.name
    assert {p.name for p in first.people}.isdisjoint({p.name for p in second.people})
    assert [i.total_cents for i in first.invoices] != [i.total_cents for i in second.invoices]


def test_names_validate_in_one_line():
    assert scenario_name("law", 7) == "law-7" == scenario_name("law", "7")
    assert get_scenario("law-7") is get_scenario("law-7")
    with pytest.raises(NotFound, match=r"unknown industry 'lwa'; did you mean 'law'\?"):
        scenario_name("lwa", 7)
    for seed in ("x", "1.5", "", -1, True):
        with pytest.raises(BadRequest, match="seed"):
            scenario_name("law", seed)
    with pytest.raises(BadRequest, match="write it 'law-7'"):
        get_scenario("law-007")
    with pytest.raises(NotFound, match="did you mean 'meridian'"):
        get_scenario("meridain")
    with pytest.raises(NotFound, match="industry one of"):
        get_scenario("bakery-3")


@pytest.mark.parametrize("args, message", [
    (["--scenario", "law", "--seed", "x"], "malformed seed 'x'"),
    (["--scenario", "lwa", "--seed", "7"], "did you mean 'law'"),
    (["--scenario", "law", "--seed", "-2"], "seed -2 out of range"),
    (["--seed", "7"], "--seed goes with an industry"),
    (["--scenario", "medical-x"], "malformed seed"),
])
def test_the_cli_says_what_is_wrong_in_one_line_and_exits_2(tmp_path, args, message):
    mockapps = os.path.join(os.path.dirname(sys.executable), "mockapps")
    done = subprocess.run([mockapps, "--data", str(tmp_path), "world", "create", "w1", *args], capture_output=True,
                          text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "worlds" / "w1").exists()


def test_templates_are_told_apart_by_scenario_and_rebuilt_when_the_generator_changes(tmp_path, monkeypatch):
    import shutil

    from mock_apps.core import template

    assert template.template_dir(tmp_path, "law-3") != template.template_dir(tmp_path, "law-4")
    copy = tmp_path / "mock_apps"
    shutil.copytree(template.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "golden"))
    monkeypatch.setattr(template, "PACKAGE_ROOT", copy)
    template.source_fingerprint.cache_clear()
    try:
        before = template.source_fingerprint()
        with open(copy / "scenarios" / "generator" / "law.py", "a") as source:
            source.write("\n# a change to one industry\n")
        template.source_fingerprint.cache_clear()
        assert template.source_fingerprint() != before
    finally:
        template.source_fingerprint.cache_clear()
