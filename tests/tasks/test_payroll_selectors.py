"""The payroll selectors' amounts are People's own: on a generated company seeded into People alone, the PTO
liability report's total and the off-cycle run's general-ledger distribution equal the instance's parameters."""

from __future__ import annotations

import sqlite3

import pytest

from mock_apps.core.changelog import CHANGE_DDL
from mock_apps.core.clock import CLOCK_DDL, DEFAULT_STEP_SECONDS, to_us
from mock_apps.core.database import WorldSession, open_engine
from mock_apps.core.template import seed_app
from mock_apps.people import SPEC, absence, payroll
from mock_apps.scenarios import get_scenario
from mock_apps.tasks.selectors.payroll import pto_liability, unbooked_off_cycle_runs


@pytest.mark.parametrize("name", ["meridian", "medical-2"])
def test_pto_liability_and_gl_distribution_agree_with_people(tmp_path, name):
    scenario = get_scenario(name)
    conn = sqlite3.connect(tmp_path / "world.db")
    conn.execute(CLOCK_DDL.format(schema=""))
    conn.execute(CHANGE_DDL.format(schema=""))
    conn.execute("INSERT INTO clock VALUES (1, ?, ?, ?)",
                 (to_us(scenario.now), DEFAULT_STEP_SECONDS * 1_000_000, scenario.facts.company.timezone))
    conn.commit()
    conn.close()
    seed_app(tmp_path / "people.db", tmp_path / "world.db", SPEC, scenario)
    engine = open_engine(tmp_path / "people.db", tmp_path / "world.db")
    try:
        [pto] = pto_liability(scenario.facts)
        [run] = unbooked_off_cycle_runs(scenario.facts)
        with WorldSession(engine, app="people", world_id="test") as db:
            assert sum(row.amount_cents for row in absence.pto_liability(db)) == pto.params["total_cents"]
            found = payroll.get(db, run.params["run"])
            lines = payroll.gl_distribution(found, payroll.slips(db, found))
    finally:
        engine.dispose()
    p = run.params
    assert {g.account: g.debit_cents - g.credit_cents for g in lines} == {
        payroll.WAGES: p["gross_cents"], payroll.EMPLOYER_TAXES: p["employer_taxes_cents"],
        payroll.CASH: p["net_cents"], payroll.LIABILITIES: p["due_cents"]}
    assert sum(g.debit_cents for g in lines) == p["total_cents"]
