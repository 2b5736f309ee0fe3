"""Reviews of trajectories: the store (verdicts, history, bad input) and the viewer's review panel in Chromium."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import Settings
from mock_apps.portal.reviews import ReviewStore


def test_review_store_keeps_history_and_the_latest_trajectory_verdict(tmp_path):
    store = ReviewStore.for_settings(replace(Settings(), data_dir=tmp_path / "data"))
    assert store.verdict("t1") is None and store.history("t1") == [] and store.verdicts() == {}
    store.review("t1", "needs-fix", "rita", "step 3 clicks the wrong row")
    store.review("t1", "needs-fix", "rita", "the amount is typed twice", step=2)
    store.review("t1", "accepted", "sam", "fixed by re-recording")
    store.review("t1", "rejected", "sam", "typo", step=4)  # a step's verdict is not the trajectory's
    store.review("t2", "rejected", "rita")
    assert (tmp_path / "data" / "portal.sqlite").is_file()
    assert store.verdict("t1") == "accepted" and store.verdict("t2") == "rejected"
    assert store.verdicts() == {"t1": "accepted", "t2": "rejected"}
    history = store.history("t1")
    assert [(r.verdict, r.reviewer, r.step) for r in history] == [
        ("rejected", "sam", 4), ("accepted", "sam", None), ("needs-fix", "rita", 2), ("needs-fix", "rita", None)]
    assert history[1].comment == "fixed by re-recording" and history[0].time >= history[-1].time
    assert store.latest("t1").reviewer == "sam"
    # a second store on the same file (another process: the exporter) sees the same reviews
    assert ReviewStore(tmp_path / "data" / "portal.sqlite").verdicts() == store.verdicts()


@pytest.mark.parametrize("verdict, reviewer, step, comment, message", [
    ("approved", "rita", None, "", "unknown verdict 'approved'"),
    ("accepted", "  ", None, "", "give your name as reviewer"),
    (None, "rita", None, "fine", "choose a verdict"),
    (None, "rita", 1, "", "needs a verdict or a comment"),
    ("accepted", "rita", -1, "", "step must be a step number"),
    ("accepted", "x" * 81, None, "", "longer than 80"),
])
def test_bad_reviews_are_refused_and_store_nothing(tmp_path, verdict, reviewer, step, comment, message):
    store = ReviewStore(tmp_path / "portal.sqlite")
    with pytest.raises(MockAppsError, match=message):
        store.review("t1", verdict, reviewer, comment, step=step)
    assert store.history("t1") == []
    assert sqlite3.connect(tmp_path / "portal.sqlite").execute("SELECT COUNT(*) FROM reviews").fetchone() == (0,)


def test_a_step_review_may_be_a_comment_without_verdict(tmp_path):
    store = ReviewStore(tmp_path / "portal.sqlite")
    store.review("t1", None, "rita", "hesitates here", step=0)
    assert store.verdict("t1") is None and store.verdicts() == {}
    assert store.history("t1")[0].to_dict()["comment"] == "hesitates here"
