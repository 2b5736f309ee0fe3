"""Statistics per task and per trainer from real trajectory folders, reviews and replay results: the numbers, the
page, and its chart in Chromium."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import requests

from mock_apps.core.server import Sandbox
from mock_apps.portal.replays import ReplayStore
from mock_apps.portal.reviews import ReviewStore
from mock_apps.portal.statistics import compute, duration_words
from recorder.replay import ReplayReport, StepResult
from trajectories.model import Trajectory
from trajectories.store import TrajectoryDir

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
# (folder, task, trainer, status, seconds taken, verdict, last replay: None, "reproduced" or "diverged")
RECORDINGS = [
    ("b1", "enter-bill", "ben", "complete", 60, "accepted", "reproduced"),
    ("b2", "enter-bill", "ben", "complete", 120, "rejected", "diverged"),
    ("b3", "announce", "ben", "complete", 300, "accepted", None),
    ("c1", "enter-bill", "cy", "complete", 30, "needs-fix", "reproduced"),
    ("c2", "enter-bill", "cy", "complete", 50, None, None),
    ("d1", "announce", "dan", "incomplete", None, None, None),
    ("f1", None, "ben", "abandoned", 90, "rejected", None),
]


def _replay_report(folder, outcome: str) -> dict:
    report = ReplayReport(trajectory=str(folder), steps=[StepResult(0, "click", "ok"), StepResult(
        1, "fill", "diverged" if outcome == "diverged" else "recovered", reason="no selector matches")])
    report.final_state_equal = True if outcome == "reproduced" else None
    return {**report.to_dict(), "checks": {"passed": True, "score": 1.0, "reasons": []} if outcome == "reproduced"
            else None, "checks_expected": True}


@pytest.fixture
def recorded(tmp_path):
    """Trajectory folders as the recorder leaves them, reviewed and replayed as RECORDINGS says."""
    folder, data = tmp_path / "trajectories", tmp_path / "data"
    reviews, replays = ReviewStore(data / "portal.sqlite"), ReplayStore(data / "portal.sqlite")
    for n, (name, task, trainer, status, seconds, verdict, replay) in enumerate(RECORDINGS):
        start = START + timedelta(hours=n)
        TrajectoryDir(folder / name).create(Trajectory(
            id=f"stat{name}", task=task, scenario="meridian", world=f"w-{name}", start_clock="2026-03-31T20:30:00Z",
            trainer=trainer, start=start, end=start + timedelta(seconds=seconds) if seconds else None, status=status))
        if verdict:
            # an earlier, overruled verdict: only the latest counts
            reviews.review(f"stat{name}", "needs-fix" if verdict != "needs-fix" else "accepted", "rita")
            reviews.review(f"stat{name}", verdict, "sam", "final word")
            reviews.review(f"stat{name}", "rejected", "sam", "one step only", step=0)
        if replay:
            record = replays.start(f"stat{name}")
            replays.finish(record.id, report=_replay_report(folder / name, replay))
    return folder, data


def test_numbers_per_task_and_trainer(recorded):
    folder, data = recorded
    metas = [TrajectoryDir(p).load_meta() for p in sorted(folder.iterdir())]
    stats = compute(metas, ReviewStore(data / "portal.sqlite").verdicts(),
                    ReplayStore(data / "portal.sqlite").last_finished())
    tasks = {g.name: g for g in stats.tasks}
    trainers = {g.name: g for g in stats.trainers}
    assert [g.name for g in stats.tasks] == ["enter-bill", "announce", "(free session)"]
    bill = tasks["enter-bill"]
    assert (bill.recordings, bill.reviewed, bill.verdicts) == (4, 3, {"accepted": 1, "rejected": 1, "needs-fix": 1})
    assert bill.acceptance_rate == pytest.approx(1 / 3)
    assert bill.median_duration == 55  # 30, 50, 60, 120
    assert (bill.replays, bill.replays_succeeded) == (3, 2)
    announce = tasks["announce"]
    assert (announce.recordings, announce.acceptance_rate, announce.median_duration) == (2, 1.0, 300)
    assert announce.replay_success_rate is None  # never replayed: no rate, not 0%
    ben = trainers["ben"]
    assert (ben.recordings, ben.reviewed, ben.verdicts["accepted"], ben.median_duration) == (4, 4, 2, 105)
    assert (ben.acceptance_rate, ben.replays, ben.replay_success_rate) == (0.5, 2, 0.5)
    assert (trainers["cy"].acceptance_rate, trainers["cy"].unreviewed, trainers["cy"].replay_success_rate) == (0, 1, 1)
    dan = trainers["dan"]
    assert (dan.recordings, dan.acceptance_rate, dan.median_duration) == (1, None, None)  # incomplete: no duration
    assert (stats.total.recordings, stats.total.reviewed, stats.total.verdicts["accepted"]) == (7, 5, 2)
    assert duration_words(55) == "55 s" and duration_words(105) == "1 min 45 s" and duration_words(3725) == "1 h 02 min"


def test_a_replay_still_running_or_stopped_counts_for_nothing(recorded):
    _, data = recorded
    replays = ReplayStore(data / "portal.sqlite")
    assert replays.start("statb1") is not None and replays.start("statb1") is None  # one at a time per trajectory
    stopped = replays.start("statc2")
    replays.finish(stopped.id, error="the browser would not start")
    last = replays.last_finished()
    assert set(last) == {"statb1", "statb2", "statc1"} and last["statb1"].succeeded  # the earlier finished one
    assert replays.last("statb1").state == "queued" and replays.last("statc2").error == "the browser would not start"


@pytest.mark.slow
def test_statistics_page_shows_the_numbers_and_a_chart(page, recorded, tmp_path):
    folder, data = recorded
    settings = replace(Sandbox().settings, data_dir=data, trajectory_dirs=(folder,), host="127.0.0.1",
                       control_token=None)
    with Sandbox(settings, ("portal",), ephemeral=True) as running:
        url = running.url("portal")
        page.goto(f"{url}/")
        page.get_by_role("link", name="Statistics").click()
        assert page.get_by_role("link", name="Statistics").get_attribute("aria-current") == "page"
        per_task = page.get_by_test_id("per-task")
        bill = per_task.locator("tr[data-group=enter-bill]")
        assert [bill.locator(f"[data-col={c}]").inner_text() for c in
                ("recordings", "reviewed", "acceptance", "duration", "replay")] == \
            ["4", "3", "33% (1/3)", "55 s", "67% (2/3)"]
        ben = page.get_by_test_id("per-trainer").locator("tr[data-group=ben]")
        assert [ben.locator(f"[data-col={c}]").inner_text() for c in ("recordings", "acceptance", "duration", "replay")] \
            == ["4", "50% (2/4)", "1 min 45 s", "50% (1/2)"]
        dan = page.get_by_test_id("per-trainer").locator("tr[data-group=dan]")
        assert dan.locator("[data-col=acceptance]").inner_text() == "-"
        assert page.get_by_test_id("total-recordings").inner_text() == "7"
        assert page.get_by_test_id("total-acceptance").inner_text() == "40%"
        # the chart: one bar group per task, split by review state with the right counts
        chart = page.get_by_test_id("chart").first
        bars = {r.get_attribute("data-state"): r.get_attribute("data-count")
                for r in chart.locator("g[data-group=enter-bill] rect").all()}
        assert bars == {"accepted": "1", "needs-fix": "1", "rejected": "1", "unreviewed": "1"}
        widths = [float(r.get_attribute("width")) for r in chart.locator("g[data-group=enter-bill] rect").all()]
        assert widths[0] == pytest.approx(520 / 4)  # the busiest task spans the whole bar width
        bill.get_by_role("link", name="enter-bill").click()
        assert page.get_by_test_id("counts").inner_text().startswith("4 of 7")
        page.goto(f"{url}/statistics")
        page.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)
        assert (tmp_path / "statistics.png").stat().st_size > 20_000
        assert requests.get(f"{url}/statistics", timeout=30).status_code == 200
