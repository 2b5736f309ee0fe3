"""Reviews of trajectories: the store (verdicts, history, bad input) and the viewer's review panel in Chromium."""

from __future__ import annotations

import html
import json
import shutil
import sqlite3
from dataclasses import replace

import pytest
import requests

from mock_apps.core.errors import MockAppsError
from mock_apps.core.server import Sandbox
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


# --- the viewer's review panel, the list's review filter, the tasks page and Replay now, in Chromium -------------

TASK = "announce-close-start-in-finance"


def _copy(folder, source: str, name: str, **changes) -> str:
    shutil.copytree(folder / source, folder / name)
    meta = json.loads((folder / name / "trajectory.json").read_text())
    meta.update(changes)
    (folder / name / "trajectory.json").write_text(json.dumps(meta))
    return meta["id"]


@pytest.fixture(scope="module")
def review_portal(record_demo, sandbox, tmp_path_factory):
    """A real recording of the task and copies of it (some reviewed already), and a portal of its own (its own
    portal.sqlite) that lists them and replays on the session's apps."""
    folder = tmp_path_factory.mktemp("review-trajectories")
    data = tmp_path_factory.mktemp("review-portal-data")
    record_demo(TASK, folder / "ana-finance", "review-rec")
    ids = {"ana-finance": json.loads((folder / "ana-finance" / "trajectory.json").read_text())["id"]}
    ids["to-accept"] = _copy(folder, "ana-finance", "to-accept", id="revaccept001")
    ids["to-fix"] = _copy(folder, "ana-finance", "to-fix", id="revfix000001")
    ids["ben-good"] = _copy(folder, "ana-finance", "ben-good", id="revbengood01", trainer="ben")
    ids["ben-bad"] = _copy(folder, "ana-finance", "ben-bad", id="revbenbad001", trainer="ben")
    ids["cy-unsure"] = _copy(folder, "ana-finance", "cy-unsure", id="revcyunsure1", trainer="cy")
    ids["unfinished"] = _copy(folder, "ana-finance", "unfinished", id="revunfinish1", trainer="cy",
                              status="incomplete", end=None)
    ids["ana-moved"] = _copy(folder, "ana-finance", "ana-moved", id="revanamoved1")
    # the UI changed under this one: step 2's link is no longer found by any recorded selector
    steps = [json.loads(line) for line in (folder / "ana-moved" / "steps.jsonl").read_text().splitlines()]
    steps[2]["target"]["selectors"] = [{"kind": "testid", "value": "channel-that-moved"}]
    (folder / "ana-moved" / "steps.jsonl").write_text("".join(json.dumps(s) + "\n" for s in steps))
    (folder / "garbage").mkdir()
    (folder / "garbage" / "trajectory.json").write_text("{not json")
    reviews = ReviewStore(data / "portal.sqlite")
    reviews.review(ids["ben-good"], "accepted", "sam", "clean")
    reviews.review(ids["ben-bad"], "rejected", "sam", "posted twice")
    reviews.review(ids["cy-unsure"], "needs-fix", "sam", "typo in the message")
    settings = replace(sandbox.settings, data_dir=data, trajectory_dirs=(folder,),
                       ports={app: port for app, port in sandbox.settings.ports.items() if app != "portal"})
    with Sandbox(settings, ("portal",), ephemeral=True) as running:
        yield running.url("portal"), ids, reviews


def _open(page, url: str, name: str):
    page.goto(f"{url}/trajectories")
    page.get_by_test_id("trajectories").get_by_role("link", name=name, exact=True).click()
    page.get_by_test_id("timeline").wait_for()


@pytest.mark.slow
def test_accept_with_a_comment_and_see_who_reviewed(page, review_portal, tmp_path):
    url, ids, reviews = review_portal
    page.goto(f"{url}/tasks")
    assert page.get_by_test_id(f"accepted-{TASK}").inner_text() == "1"  # ben's, accepted before
    _open(page, url, "to-accept")
    panel = page.locator("#review")
    assert "ana" in panel.get_by_test_id("recorded-by").inner_text()
    assert panel.get_by_test_id("verdict").inner_text() == "not reviewed yet"
    panel.get_by_role("button", name="Accept").click()  # no name given yet: refused, nothing stored
    assert page.locator("#review").get_by_role("alert").inner_text() == "give your name as reviewer"
    assert reviews.history(ids["to-accept"]) == []
    panel = page.locator("#review")
    panel.get_by_label("Your name").fill("Rita Gomez")
    panel.get_by_label("Comment", exact=True).fill("Clear demonstration; the message names the date.")
    panel.get_by_role("button", name="Accept").click()
    page.get_by_text("Review saved.").wait_for()
    verdict = page.locator("#review").get_by_test_id("verdict").inner_text()
    assert verdict.startswith("accepted by Rita Gomez") and "the message names the date" in verdict
    assert "Rita Gomez" in page.get_by_test_id("history").inner_text()
    assert page.get_by_test_id("summary").get_by_text("accepted").count() == 1
    assert reviews.verdict(ids["to-accept"]) == "accepted"
    # the name is remembered: the next review does not ask for it again
    page.reload()
    assert page.locator("#review").get_by_label("Your name").count() == 0
    assert "Reviewing as Rita Gomez" in page.locator("#review").inner_text()
    page.locator(".shot img").first.scroll_into_view_if_needed()
    page.wait_for_function("() => { const i = document.querySelector('.shot img'); "
                           "return i && i.complete && i.naturalWidth > 0; }")
    page.screenshot(path=str(tmp_path / "viewer-review.png"))  # the step with its screenshot, the panel beside
    assert (tmp_path / "viewer-review.png").stat().st_size > 40_000
    page.goto(f"{url}/tasks")
    assert page.get_by_test_id(f"accepted-{TASK}").inner_text() == "2"


@pytest.mark.slow
def test_needs_fix_on_one_step(page, review_portal):
    url, ids, reviews = review_portal
    _open(page, url, "to-fix")
    step = page.get_by_test_id("step").nth(2)
    step.get_by_text("Review step 2").click()
    form = step.get_by_role("form", name="Review step 2")
    form.get_by_label("Your name").fill("Sam")
    form.get_by_role("button", name="Save step review").click()  # neither verdict nor comment
    step = page.locator("#step-2")
    assert step.get_by_role("alert").inner_text() == "a step review needs a verdict or a comment"
    assert reviews.history(ids["to-fix"]) == []
    form = step.get_by_role("form", name="Review step 2")
    form.get_by_label("Verdict on this step").select_option("needs-fix")
    form.get_by_label("Comment", exact=True).fill("Types the message before opening #finance")
    form.get_by_role("button", name="Save step review").click()
    page.get_by_text("Comment on step 2 saved.").wait_for()
    assert page.evaluate("location.hash") == "#step-2"
    noted = page.locator("#step-2").get_by_test_id("step-reviews").inner_text()
    assert "needs-fix" in noted and "Sam" in noted and "before opening #finance" in noted
    assert "on step 2" in page.get_by_test_id("history").inner_text()
    # a step's verdict is not the trajectory's
    assert page.locator("#review").get_by_test_id("verdict").inner_text() == "not reviewed yet"
    assert reviews.verdict(ids["to-fix"]) is None and reviews.history(ids["to-fix"])[0].step == 2
    # a step that does not exist, an unknown verdict, an unknown trajectory: errors, nothing stored
    for data, status, message in (({"step": "99", "comment": "x"}, 400, "there is no step '99'"),
                                  ({"step": "\u00b2", "comment": "x"}, 400, "there is no step '\u00b2'"),
                                  ({"verdict": "approved"}, 400, "unknown verdict 'approved'")):
        answer = requests.post(f"{url}/trajectories/{ids['to-fix']}/reviews", timeout=30,
                               data={"reviewer": "Sam", **data})
        assert answer.status_code == status and message in html.unescape(answer.text)
    answer = requests.post(f"{url}/trajectories/nosuchone/reviews", data={"reviewer": "Sam", "verdict": "accepted"},
                           timeout=30)
    assert answer.status_code == 404 and "no trajectory 'nosuchone'" in html.unescape(answer.text)
    assert len(reviews.history(ids["to-fix"])) == 1 and reviews.history("nosuchone") == []


@pytest.mark.slow
def test_filter_the_list_by_review_state(page, review_portal, tmp_path):
    url, ids, _ = review_portal
    page.goto(f"{url}/trajectories")
    tabs = page.get_by_test_id("review-counts")
    listing = page.get_by_test_id("trajectories")
    assert listing.get_by_role("row", name="ben-bad").get_by_test_id("review-state").inner_text() == "rejected"
    assert tabs.locator("a[data-review=rejected] .count").inner_text() == "1"
    assert tabs.locator("a[data-review=needs-fix] .count").inner_text() == "1"
    tabs.locator("a[data-review=rejected]").click()
    assert page.get_by_test_id("counts").inner_text() == "1 of 9"
    assert page.get_by_test_id("trajectories").get_by_role("link").all_inner_texts() == ["ben-bad"]
    page.get_by_label("Review", exact=True).select_option("needs-fix")
    page.get_by_label("Trainer").select_option("cy")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_test_id("counts").inner_text() == "1 of 9"
    assert page.get_by_test_id("trajectories").get_by_role("link").all_inner_texts() == ["cy-unsure"]
    # within trainer cy: one needs-fix, one unreviewed
    assert page.get_by_test_id("review-counts").inner_text().split() == [
        "All", "2", "Unreviewed", "1", "Accepted", "0", "Rejected", "0", "Needs-fix", "1"]
    page.get_by_label("Review", exact=True).select_option("unreviewed")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_test_id("trajectories").get_by_role("link").all_inner_texts() == ["unfinished"]
    page.goto(f"{url}/trajectories?review=approved")
    assert "unknown review state 'approved'" in page.get_by_role("alert").inner_text()
    assert page.get_by_test_id("counts").inner_text() == "9 of 9"
    assert "unreadable" in page.get_by_test_id("trajectories").get_by_role("row", name="garbage").inner_text()
    page.goto(f"{url}/trajectories")
    page.screenshot(path=str(tmp_path / "trajectories.png"), full_page=True)
    assert (tmp_path / "trajectories.png").stat().st_size > 20_000


@pytest.mark.slow
def test_replay_now_shows_the_result_and_counts_in_statistics(page, review_portal, tmp_path):
    url, ids, _ = review_portal
    _open(page, url, "unfinished")
    assert "the recording is incomplete" in page.get_by_test_id("cannot-replay").inner_text()
    assert page.get_by_role("button", name="Replay now").count() == 0
    answer = requests.post(f"{url}/trajectories/{ids['unfinished']}/replay", timeout=30)
    assert answer.status_code == 200 and "Cannot replay: the recording is incomplete" in answer.text

    _open(page, url, "ana-finance")
    replay = page.get_by_test_id("replay")
    assert replay.get_by_test_id("replay-result").inner_text() == "Never replayed from the portal."
    replay.get_by_role("button", name="Replay now").click()
    page.wait_for_selector("[data-testid=replay][data-state=running], [data-testid=replay][data-state=queued], "
                           "[data-testid=replay][data-state=finished]")
    if page.get_by_test_id("replay").get_attribute("data-state") != "finished":
        assert "replaying…" in page.get_by_test_id("replay").inner_text() or \
            "waiting for the browser" in page.get_by_test_id("replay").inner_text()
    # the page polls and shows the result by itself
    page.wait_for_selector("[data-testid=replay][data-state=finished]", timeout=120_000)
    replay = page.get_by_test_id("replay")
    assert replay.get_by_test_id("replay-result").inner_text().startswith("reproduced")
    assert replay.get_by_test_id("final-state").inner_text() == "Final state: equal to the recording"
    assert replay.get_by_test_id("replay-checks").inner_text().startswith("Checks: passed (score 100%)")
    steps = page.get_by_test_id("step").count()
    assert page.get_by_test_id("step-replay").count() == steps
    assert f"{steps} of {steps} steps replayed" in replay.inner_text()
    page.locator(".shot img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "viewer-replay.png"))
    assert (tmp_path / "viewer-replay.png").stat().st_size > 40_000

    # a trajectory whose page changed: the replay stops at the step it cannot do, and says why
    _open(page, url, "ana-moved")
    page.get_by_test_id("replay").get_by_role("button", name="Replay now").click()
    page.wait_for_selector("[data-testid=replay][data-state=finished]", timeout=120_000)
    replay = page.get_by_test_id("replay")
    assert replay.get_by_test_id("replay-result").inner_text().startswith("not reproduced")
    assert "3 of 5 steps replayed: 2 ok, 0 recovered, 1 diverged" in replay.inner_text()
    reason = replay.get_by_test_id("replay-reason").inner_text()
    assert reason.startswith("Step 2 (click) diverged: no selector matches") and "channel-that-moved" in reason
    assert page.locator("#step-2").get_by_test_id("step-replay").inner_text() == "replay diverged"
    assert page.locator("#step-3").get_by_test_id("step-replay").count() == 0  # never reached

    # an unreadable one: a clear message, not an error page
    page.goto(f"{url}/trajectories")
    page.get_by_test_id("trajectories").get_by_role("link", name="garbage").click()
    assert "damaged" in page.get_by_role("alert").inner_text()
    key = page.url.rsplit("/", 1)[1]
    answer = requests.post(f"{url}/trajectories/{key}/replay", timeout=30)
    assert answer.status_code == 200 and "Cannot replay: this trajectory cannot be read" in answer.text

    page.goto(f"{url}/statistics")
    ana = page.get_by_test_id("per-trainer").locator("tr[data-group=ana]")
    assert ana.locator("[data-col=recordings]").inner_text() == "4"
    assert ana.locator("[data-col=replay]").inner_text() == "50% (1/2)"
