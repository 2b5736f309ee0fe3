"""Every task proves itself: its golden trajectory replays with final-state equality and passes the checks;
the untouched world fails them; checks never read page text; collateral damage is caught by name."""

from __future__ import annotations

import pytest
from sqlmodel import select

from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES
from mock_apps.core.world import WorldRegistry
from mock_apps.tasks import all_tasks
from mock_apps.tasks.checks import score_world
from mock_apps.tasks.demos import GOLDEN
from trajectories.app_url import AppUrls
from recorder.replay import Replayer
from trajectories.store import load

TASKS = [t for t in all_tasks() if (GOLDEN / t.id / "trajectory.json").exists()]


@pytest.fixture
def urls(sandbox) -> dict[str, str]:
    return {app: sandbox.url(app) for app in APP_NAMES}


def replay(browser, urls, task, world_id, prepare=None):
    control = ControlClient(urls, world_id)
    report = Replayer(browser, AppUrls(urls), control, GOLDEN / task.id, prepare=prepare).run()
    return report, control


def test_every_task_has_a_golden_trajectory():
    assert {t.id for t in TASKS} == {t.id for t in all_tasks()}


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_golden_replays_and_passes_and_doing_nothing_fails(browser, urls, task, world):
    report, control = replay(browser, urls, task, f"{world.id}-golden")
    assert report.reproduced, report.summary()
    answer = load(GOLDEN / task.id)[0].final_answer
    assert (answer is not None) == task.needs_answer, "a golden gives a final answer exactly when its task asks"
    result = score_world(task, control, answer=answer)
    assert result.passed and result.score == 1.0, result.reasons()
    nothing = score_world(task, ControlClient(urls, world.id))  # no work done and no answer given
    assert not nothing.passed and nothing.score < 1.0


@pytest.mark.slow
def test_checks_do_not_read_page_text(browser, urls, world):
    task = next(t for t in TASKS if t.id == "enter-summit-invoice-once")
    relabel = "document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('button')" \
              ".forEach(b => { if (b.textContent.trim() === 'Save') b.textContent = 'Store'; }))"
    report, control = replay(browser, urls, task, f"{world.id}-relabel",
                             prepare=lambda context, _control: context.add_init_script(relabel))
    assert report.reproduced, report.summary()  # the Save button is found by its test id
    assert score_world(task, control).passed


@pytest.mark.slow
def test_collateral_damage_fails_with_a_reason_naming_it(browser, urls, sandbox, world):
    from mock_apps.books import service
    from mock_apps.books.models import Txn

    task = next(t for t in TASKS if t.id == "enter-bill-brightline-bl-20931")
    world_id = f"{world.id}-damage"
    report, control = replay(browser, urls, task, world_id)
    assert report.reproduced
    with WorldRegistry.for_settings(sandbox.settings).session(world_id, "books") as db:
        victim = next(t for t in db.exec(select(Txn).where(Txn.type == "Bill")).all()
                      if t.balance_cents == t.total_cents and t.doc_number != "BL-20931")
        service.delete_txn(db, victim.id)
    result = score_world(task, control)
    assert not result.passed
    reasons = " ".join(result.reasons())
    assert "no other transaction changed" in reasons and victim.doc_number in reasons and "deleted" in reasons
    assert "nothing but the bill was done" in reasons
