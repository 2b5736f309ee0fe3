"""`tasks prove`: each instance's reference demonstration, run on a fresh world, passes its checks with score 1.0
and the untouched world fails them; a demonstration that misses a check, or checks an untouched world passes,
fail the proof with the reason."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mock_apps.core.settings import APP_NAMES
from mock_apps.tasks import get_task
from mock_apps.tasks.proof import prove_one, sample


@pytest.mark.slow
def test_prove_a_deterministic_sample_of_meridian_passes(tmp_path):
    # A process of its own, as a user runs it: the test process may already hold a Playwright (sync API) loop.
    run = subprocess.run([sys.executable, "-m", "mock_apps.cli", "--data", str(tmp_path), "tasks", "prove",
                          "--sample", "2"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "proving 2 of" in run.stdout and "2 proved, 0 failed" in run.stdout, run.stdout


def test_the_sample_is_deterministic_and_spread_over_the_library():
    from mock_apps.tasks import all_tasks

    tasks = all_tasks()
    assert [t.id for t in sample(tasks, 5)] == [t.id for t in sample(list(reversed(tasks)), 5)]
    assert len({t.id for t in sample(tasks, 5)}) == 5 and sample(tasks, 500) == sorted(tasks, key=lambda t: t.id)


def test_a_sample_moves_only_by_the_tasks_a_growing_library_adds():
    from mock_apps.tasks import all_tasks

    tasks = sorted(all_tasks(), key=lambda t: t.id)
    added = {t.id for t in tasks[::8]}  # new templates' ids fall anywhere in id order
    before = {t.id for t in sample([t for t in tasks if t.id not in added], 10)}
    after = {t.id for t in sample(tasks, 10)}
    assert after - before <= added and len(before) == len(after) == 10  # only added tasks come in
    assert {t.id for t in sample(tasks, 10, seed=1)} != after  # another seed, another sample


@pytest.mark.slow
def test_a_proof_fails_on_a_missed_check_and_on_checks_an_untouched_world_passes(browser, sandbox):
    urls = {app: sandbox.url(app) for app in APP_NAMES}
    task = get_task("record-remittance-union-station-chk-2291")
    wrong = task.model_copy(update={"checks": [task.checks[0].model_copy(update={"expect": {"total_cents": 1}}),
                                               *task.checks[1:]]})
    proof = prove_one(wrong, browser, urls, "prove-wrong")
    assert not proof.proved and proof.reason.startswith("check failed: payment of $1,881.00 recorded"), proof.reason
    lax = task.model_copy(update={"checks": [c for c in task.checks if c.only_ops]})  # nothing done passes it too
    proof = prove_one(lax, browser, urls, "prove-lax")
    assert not proof.proved and "untouched world passes" in proof.reason


@pytest.mark.slow
def test_a_sampled_instance_proves_on_a_generated_company(browser, sandbox):
    """On wholesale-1: law, medical and agency instances are proved in tests/tasks/test_industry_work.py."""
    from mock_apps.scenarios import scenario_name
    from mock_apps.tasks.registry import scenario_tasks

    scenario = scenario_name("wholesale", 1)
    tasks, skipped = scenario_tasks(scenario)
    assert len(tasks) >= 20 and all(t.scenario == scenario and f".{scenario}." in t.id for t in tasks)
    urls = {app: sandbox.url(app) for app in APP_NAMES}
    (task,) = sample(tasks, 1, seed=0)
    proof = prove_one(task, browser, urls, f"prove-{scenario}")
    assert proof.proved, proof.line()
