"""The portal's Export form (exactly the filtered selection, as a download; empty selections and bad formats
re-show the page) and its Record button (starts `mockapps record` only for the trainer's own machine)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import requests

from mock_apps.core.server import Sandbox
from mock_apps.core.settings import Settings
from mock_apps.export import FORMATS
from mock_apps.portal import create_app
from mock_apps.portal.accounts import AccountStore
from mock_apps.portal.reviews import ReviewStore
from mock_apps.tasks.demos import GOLDEN
from trajectories.store import TrajectoryDir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "recorder"))
from test_trajectory_cli import _free_base  # noqa: E402

FINANCE, LUNCH, EIN = "announce-close-start-in-finance", "announce-lunch-in-general", "answer-crestview-ein"


def _id(folder: Path) -> str:
    return json.loads((folder / "trajectory.json").read_text())["id"]


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A portal (alone, ephemeral port) over copies of three golden trajectories, one incomplete copy, one
    unreadable folder, and its own review database: FINANCE accepted, LUNCH rejected, EIN unreviewed."""
    root = tmp_path_factory.mktemp("portal-export")
    folder = root / "trajectories"
    for name in (FINANCE, LUNCH, EIN):
        shutil.copytree(GOLDEN / name, folder / name)
    shutil.copytree(GOLDEN / FINANCE, folder / "finance-unfinished")
    meta = json.loads((folder / "finance-unfinished" / "trajectory.json").read_text())
    meta.update(id="unfinished0001", status="incomplete", trainer="ben")
    (folder / "finance-unfinished" / "trajectory.json").write_text(json.dumps(meta))
    (folder / "garbage").mkdir()
    (folder / "garbage" / "trajectory.json").write_text("{not json")
    settings = replace(Settings(), data_dir=root / "data", host="127.0.0.1", trajectory_dirs=(folder,))
    reviews = ReviewStore.for_settings(settings)
    reviews.review(_id(folder / FINANCE), "accepted", "rita", "clean")
    reviews.review(_id(folder / LUNCH), "rejected", "rita", "wrong channel")
    with Sandbox(settings, ("portal",), ephemeral=True) as running:
        yield running.url("portal"), folder


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder the portal's exports work in during this test (to see they clean up)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def _export(url: str, **form) -> requests.Response:
    return requests.post(f"{url}/trajectories/export", data=form, timeout=120)


def test_export_form_lists_every_format_and_keeps_the_filters(page, portal):
    url, _ = portal
    page.goto(f"{url}/trajectories?task={FINANCE}&sort=trainer")
    form = page.get_by_test_id("export-form")
    assert form.locator("select[name=format] option").evaluate_all("os => os.map(o => o.value)") == list(FORMATS)
    assert form.locator("input[name=task]").get_attribute("value") == FINANCE
    assert form.locator("input[name=sort]").get_attribute("value") == "trainer"
    assert "Export these 2 as" in form.inner_text()  # the golden copy and its incomplete copy
    assert form.get_by_label("include every complete one, not only accepted").is_checked() is False


def test_exports_accepted_ones_of_the_filtered_selection_as_one_jsonl_file(portal, private_tmp):
    url, folder = portal
    response = _export(url, format="sft-jsonl")  # no filter: every trajectory; only FINANCE is accepted
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=mockapps-sft-jsonl-")
    assert response.headers["Content-Disposition"].endswith('.jsonl')
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert {line["trajectory_id"] for line in lines} == {_id(folder / FINANCE)}
    summary = response.headers["X-Mockapps-Export"]
    assert summary.startswith(f"exported 1 of 5 trajectories as sft-jsonl ({len(lines)} lines, 2 not accepted")
    assert "1 incomplete, 1 unreadable" in summary

    everything = _export(url, format="chat-jsonl", all="1")
    assert {json.loads(line)["id"] for line in everything.text.splitlines()} == \
        {_id(folder / name) for name in (FINANCE, LUNCH, EIN)}

    only_lunch = _export(url, format="chat-jsonl", all="1", task=LUNCH)  # the filter decides what is exported
    assert [json.loads(line)["id"] for line in only_lunch.text.splitlines()] == [_id(folder / LUNCH)]
    unreviewed = _export(url, format="sft-jsonl", all="1", review="unreviewed")
    assert {json.loads(line)["trajectory_id"] for line in unreviewed.text.splitlines()} == {_id(folder / EIN)}
    assert list(private_tmp.iterdir()) == []  # the temporary folders are gone once sent


@pytest.mark.parametrize("fmt", ["hf", "playwright", "devtools"])
def test_folder_formats_download_as_a_zip_of_the_folder(portal, private_tmp, fmt):
    url, folder = portal
    response = _export(url, format=fmt, all="1", trainer="reference", sort="task")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    top = {name.split("/")[0] for name in bundle.namelist()}
    assert len(top) == 1 and top.pop().startswith(f"mockapps-{fmt}-")
    manifest = json.loads(next(bundle.read(n) for n in bundle.namelist() if n.endswith("/.mockapps-export")))
    assert sorted(t["task"] for t in manifest["trajectories"]) == [FINANCE, LUNCH, EIN]
    if fmt == "hf":
        parquet = next(n for n in bundle.namelist() if n.endswith(".parquet"))
        table = pq.read_table(io.BytesIO(bundle.read(parquet)))
        assert set(table.column("trajectory_id").to_pylist()) == {_id(folder / n) for n in (FINANCE, LUNCH, EIN)}
    if fmt == "playwright":
        assert sum(n.endswith(".py") and "/test_" in n for n in bundle.namelist()) == 3
    assert list(private_tmp.iterdir()) == []


def test_nothing_to_export_re_shows_the_page_with_the_reason(page, portal, private_tmp):
    url, _ = portal
    page.goto(f"{url}/trajectories?task={EIN}")
    page.get_by_label("Export these 1 as").select_option("sft-jsonl")
    page.get_by_role("button", name="Export").click()
    error = page.get_by_test_id("export-error")
    assert error.inner_text() == ("nothing to export: 1 trajectories found, 0 accepted (tick \u201cinclude every "
                                  "complete one\u201d to export every complete one: 1 complete)")
    assert page.get_by_test_id("counts").inner_text().startswith("1 of ")  # the same filtered page, not a 500
    assert page.get_by_test_id("export-form").locator("input[name=task]").get_attribute("value") == EIN

    empty = _export(url, format="sft-jsonl", all="1", task=FINANCE, trainer="nobody")
    assert empty.status_code == 400 and "nothing to export: no trajectories match these filters" in empty.text
    unknown = _export(url, format="csv", task=FINANCE)
    assert unknown.status_code == 400
    assert "unknown export format &#39;csv&#39;; known formats: sft-jsonl, chat-jsonl, playwright, hf, devtools" \
        in unknown.text
    bad_filter = _export(url, format="sft-jsonl", review="maybe")
    assert bad_filter.status_code == 400 and "unknown review state &#39;maybe&#39;" in bad_filter.text
    assert list(private_tmp.iterdir()) == []  # nothing written


def test_record_is_refused_to_remote_clients_and_to_a_portal_others_can_reach(tmp_path):
    local = replace(Settings(), data_dir=tmp_path / "data", host="127.0.0.1", base_port=8000,
                    trajectory_dirs=(tmp_path / "recordings",))
    client = create_app({"settings": local}).test_client()
    page = client.get("/tasks", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
    assert f'aria-label="Record {FINANCE}"' in page and "recordings go to" in page
    for environ, headers in (({"REMOTE_ADDR": "10.2.3.4"}, {}), ({"REMOTE_ADDR": "127.0.0.1"},
                                                                  {"X-Forwarded-For": "10.2.3.4"})):
        page = client.get("/tasks", environ_base=environ, headers=headers).get_data(as_text=True)
        assert f'aria-label="Record {FINANCE}"' not in page and "The Record buttons are off" in page
        refused = client.post(f"/tasks/{FINANCE}/record", environ_base=environ, headers=headers)
        assert refused.status_code == 403
        assert "recordings start only for requests from this machine" in refused.get_data(as_text=True)
    # beyond loopback people sign in (accounts are forced on): even a signed-in admin's form post is refused
    shared = create_app({"settings": replace(local, host="0.0.0.0")}).test_client()
    refused = shared.post(f"/tasks/{FINANCE}/record", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert refused.status_code == 403 and "security token" in refused.get_data(as_text=True)
    AccountStore.for_settings(local).create("recadmin", "Rec Admin", "admin", "a long admin password")
    token = re.search(r'name="csrf_token" value="([^"]+)"', shared.get("/signin").get_data(as_text=True)).group(1)
    assert shared.post("/signin", data={"username": "recadmin", "password": "a long admin password",
                                        "csrf_token": token}).status_code == 302
    token = re.search(r'name="csrf_token" value="([^"]+)"', shared.get("/tasks").get_data(as_text=True)).group(1)
    refused = shared.post(f"/tasks/{FINANCE}/record", data={"csrf_token": token},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert refused.status_code == 403 and "reachable from other machines" in refused.get_data(as_text=True)
    cross_site = client.post(f"/tasks/{FINANCE}/record", headers={"Origin": "http://evil.example"})
    # refused by the portal's check of every cross-site form post, before the recorder's own
    assert cross_site.status_code == 403 and "form post from http://evil.example" in cross_site.get_data(
        as_text=True)
    unknown = client.post("/tasks/no-such-task/record", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert unknown.status_code in (400, 404) and "unknown task" in unknown.get_data(as_text=True)
    assert not (tmp_path / "recordings").exists() and not (tmp_path / "data" / "recorder-logs").exists()


def _wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_record_button_starts_the_recorder_and_stop_finishes_it(page, sandbox, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)  # as in CI: the recorder must run headless, and the page say so
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    settings = replace(sandbox.settings, ports={}, base_port=_free_base(), trajectory_dirs=(tmp_path / "rec",))
    with Sandbox(settings) as running:
        url = running.url("portal")
        page.goto(f"{url}/tasks")
        assert "There is no display here, so the recorder runs headless" in page.get_by_test_id("record-here") \
            .inner_text()
        row = page.locator(f"tr[data-task={LUNCH}]")
        row.get_by_label(f"Trainer for {LUNCH}").fill("ana")
        row.get_by_role("button", name=f"Record {LUNCH}").click()
        assert f"Recording {LUNCH} into {tmp_path / 'rec'}/{LUNCH}-" in page.locator(".flash-info").inner_text()
        assert "(headless: there is no display here)" in page.locator(".flash-info").inner_text()
        recorder = page.get_by_test_id("recorders").locator("tbody tr")
        assert recorder.count() == 1 and recorder.get_by_test_id("recorder-state").inner_text() == "recording"
        page.screenshot(path=str(tmp_path / "tasks-recording.png"))
        assert (tmp_path / "tasks-recording.png").stat().st_size > 40_000
        out = Path(recorder.get_by_test_id("recorder-out").inner_text())
        pid = int(recorder.get_by_test_id("recorder-pid").inner_text())
        assert os.getpgid(pid) == pid  # detached: its own process group and session
        meta = _wait(lambda: (out / "trajectory.json").exists() and TrajectoryDir(out).load_meta(), 120,
                     "the recorder to create trajectory.json")
        assert meta.task == LUNCH and meta.trainer == "ana" and meta.status == "incomplete"  # until it ends
        log = settings.data_dir / "recorder-logs" / f"{out.name}.log"
        _wait(lambda: "recording into" in log.read_text(), 60, "the recorder's first line in its log")

        recorder.get_by_role("button", name="Stop").click()

        def finished():
            page.goto(f"{url}/tasks")
            state = page.get_by_test_id("recorders").get_by_test_id("recorder-state").inner_text()
            return state if state.startswith("finished") else None
        assert _wait(finished, 60, "the recorder to finish") == "finished (exit 0)", log.read_text()
        assert TrajectoryDir(out).load_meta().status == "abandoned"  # Ctrl+C semantics: kept, marked
        assert "abandoned" in log.read_text()
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # reaped: no zombie left behind
