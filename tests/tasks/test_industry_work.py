"""The templates of the industries' own work (a law firm's trust, a medical practice's ERAs, an agency's project
time): each is skipped, naming the fact it needs, on a company of another industry; one instance of each family
proves on a generated company of its industry (its demonstration passes, an untouched world fails)."""

from __future__ import annotations

import pytest

from mock_apps.core.settings import APP_NAMES
from mock_apps.tasks.proof import prove_one
from mock_apps.tasks.registry import scenario_tasks, templates

FAMILIES = {"law": "work.retainers", "medical": "work.eras", "agency": "work.projects"}
NEEDS = {"law-trust-deposit-retainer": "work.retainers", "law-trust-retainer-receipt": "work.retainers",
         "law-trust-day": "work.retainers", "law-trust-apply-earned-fee": "work.earned_fees",
         "law-trust-earned-fee-notice": "work.earned_fees", "law-trust-balance-question": "work.earned_fees",
         "medical-post-era": "work.eras", "medical-era-bill-patient": "work.eras", "medical-post-all-eras": "work.eras",
         "medical-era-allowed-question": "work.eras", "medical-era-to-sheet": "work.eras",
         "agency-bill-project-time": "work.projects", "agency-bill-time-and-send": "work.projects",
         "agency-bill-both-projects": "work.projects", "agency-project-hours-question": "work.projects",
         "agency-time-summary-to-sheet": "work.projects", "agency-bill-time-reply-producer": "work.projects",
         "agency-project-invoice-total-question": "work.projects", "medical-era-patient-question": "work.eras",
         "law-trust-deposit-all-retainers": "work.retainers", "law-trust-three-way-check": "work.ledger_error",
         "agency-bill-next-retainer": "a monthly retainer"}


def test_every_industry_template_is_listed_here():
    names = {t.name for t in templates() if t.name.split("-")[0] in FAMILIES}
    assert names == set(NEEDS)


@pytest.mark.parametrize("industry, other", [("law", "medical-1"), ("medical", "agency-1"), ("agency", "wholesale-1")])
def test_a_template_is_skipped_naming_its_fact_on_another_industry(industry, other):
    tasks, skipped = scenario_tasks(other)
    mine = {name: fact for name, fact in NEEDS.items() if name.startswith(industry)}
    assert not [t.id for t in tasks if t.template in mine]
    missing = {s.template: s.missing for s in skipped if s.template in mine}
    assert set(missing) == set(mine)
    for name, fact in mine.items():
        assert missing[name].startswith(fact), missing[name]


@pytest.mark.slow
@pytest.mark.parametrize("template, scenario", [("law-trust-deposit-retainer", "law-1"),
                                                ("medical-post-era", "medical-1"),
                                                ("agency-bill-project-time", "agency-1")])
def test_one_instance_of_each_family_proves(browser, sandbox, template, scenario):
    tasks, _ = scenario_tasks(scenario)
    task = next(t for t in tasks if t.template == template)
    proof = prove_one(task, browser, {app: sandbox.url(app) for app in APP_NAMES}, f"work-{scenario}")
    assert proof.proved, proof.line()
