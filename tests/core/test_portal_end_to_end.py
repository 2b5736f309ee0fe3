"""Issue 10's Done-when, end to end: a trainer records a task with `mockapps record` (task panel Submit), a
reviewer finds it in the portal, steps through the viewer, accepts it, and exports it from the portal and with
`mockapps export`; the JSONL validates against its schema, the Parquet loads with `datasets`, and the exported
Playwright script reproduces the recorded final state in a fresh world. Screenshots of the tasks page, the
trajectories page and the viewer are kept in the test's folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mock_apps.core.browser import find_chromium
from mock_apps.core.control_client import ControlClient
from mock_apps.core.server import Sandbox
from mock_apps.core.settings import APP_NAMES
from mock_apps.export.schemas import load_schema
from mock_apps.tasks import get_task
from mock_apps.tasks.demos.chat import announce_in_channel
from recorder.panel import PANEL_URL
from recorder.replay import read_state, state_differences
from trajectories.store import load

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "recorder"))
from test_trajectory_cli import _free_base  # noqa: E402

pytestmark = pytest.mark.slow
TASK = get_task("announce-close-start-in-finance")


def _mockapps(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mock_apps.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, **kwargs)


@pytest.fixture(scope="module")
def recorded(playwright, sandbox, tmp_path_factory):
    """The whole sandbox on consecutive ports (as `mockapps serve` runs it), its portal listing one folder, and
    one recording of TASK made there by `mockapps record` driven over CDP and submitted in the task panel."""
    root = tmp_path_factory.mktemp("end-to-end")
    # the session's data folder: its scenario templates are built already
    settings = replace(sandbox.settings, ports={}, base_port=_free_base(), trajectory_dirs=(root / "recordings",))
    out, cdp = root / "recordings" / "ana-close-start", _free_base()
    with Sandbox(settings) as running:
        recorder = _mockapps("record", TASK.id, "--headless", "--out", str(out), "--base-port",
                             str(settings.base_port), "--cdp-port", str(cdp), "--trainer", "ana")
        assert "recording into" in recorder.stdout.readline()
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
        pages = browser.contexts[0].pages
        panel = next(p for p in pages if p.url.startswith(PANEL_URL))
        work = next(p for p in pages if not p.url.startswith(PANEL_URL))
        work.wait_for_load_state()
        announce_in_channel(work, TASK)
        panel.get_by_role("button", name="Submit").click()
        output = recorder.communicate(timeout=180)[0]
        assert recorder.returncode == 0 and "complete, passed (score 1.00)" in output, output
        yield running, out


def _look(page, path: Path, at_least: int) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > at_least, f"{path.name} looks empty"


def _download(page, fmt: str, path: Path, include_all: bool = False) -> Path:
    form = page.get_by_test_id("export-form")
    form.locator("select[name=format]").select_option(fmt)
    form.get_by_label("include every complete one, not only accepted").set_checked(include_all)
    with page.expect_download() as started:
        form.get_by_role("button", name="Export").click()
    started.value.save_as(path)
    return path


def test_record_find_view_accept_and_export(page, recorded, tmp_path):
    running, out = recorded
    portal, settings = running.url("portal"), running.settings
    meta, steps = load(out)
    page.set_default_timeout(20_000)

    # the tasks page counts the new recording; nothing accepted yet
    page.goto(f"{portal}/tasks")
    row = page.locator(f"tr[data-task={TASK.id}]")
    assert row.locator("td").nth(3).inner_text() == "1"
    assert page.get_by_test_id(f"accepted-{TASK.id}").inner_text() == "0"
    assert row.get_by_role("button", name=f"Record {TASK.id}").is_visible()  # loopback: the portal may start it
    _look(page, tmp_path / "tasks.png", 60_000)

    # find it on the trajectories page by its task
    page.goto(f"{portal}/trajectories")
    page.get_by_label("Task").select_option(TASK.id)
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_test_id("counts").inner_text() == "1 of 1"
    listing = page.get_by_test_id("trajectories")
    assert "ana" in listing.inner_text() and "unreviewed" in listing.get_by_test_id("review-state").inner_text()
    _look(page, tmp_path / "trajectories.png", 20_000)
    listing.get_by_role("link", name=out.name).click()
    page.get_by_test_id("step").first.wait_for()  # count() does not wait: the click's navigation may not be done

    # step through the viewer: every step in words, screenshots loaded, the target boxed
    assert page.get_by_test_id("step").count() == len(steps) >= 3
    assert "Pressed Enter in the textbox 'Message #finance' in Chat" in page.get_by_test_id("timeline").inner_text()
    for index in range(len(steps)):
        page.keyboard.press("j")
        assert page.evaluate("location.hash") == f"#step-{index}"
    shown = page.locator(".shot img")
    assert shown.count() >= 1  # the recorder may skip a shot when the page is still busy (one CI run had one)
    page.wait_for_function("() => [...document.querySelectorAll('.shot img')].slice(0, 2).every("
                           "i => i.complete && i.naturalWidth >= 1000)")  # the lazy ones near the end loaded
    highlights = page.get_by_test_id("highlight")
    assert highlights.count() >= 1
    highlights.first.scroll_into_view_if_needed()
    box = highlights.first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 5 and highlights.first.is_visible()  # a box one sees
    assert "✓ message posted in #finance" in page.locator(".checks").inner_text()
    page.keyboard.press("k")
    page.get_by_test_id("step").nth(len(steps) - 2).scroll_into_view_if_needed()
    _look(page, tmp_path / "viewer.png", 80_000)

    # accept it with a comment
    review = page.locator("#review")
    review.get_by_label("Your name").fill("Rita Gomez")
    review.get_by_label("Comment", exact=True).fill("Posted in #finance with the date; clean run.")
    review.get_by_role("button", name="Accept").click()
    page.get_by_text("Review saved.").wait_for()
    assert page.locator("#review").get_by_test_id("verdict").inner_text().startswith("accepted by Rita Gomez")

    # export the filtered selection from the portal (accepted ones only: the box stays unticked)
    page.goto(f"{portal}/trajectories?task={TASK.id}")
    assert page.get_by_test_id("review-state").inner_text() == "accepted"
    sft = _download(page, "sft-jsonl", tmp_path / "portal-sft.jsonl")
    lines = [json.loads(line) for line in sft.read_text().splitlines()]
    assert len(lines) == len(steps) and {line["trajectory_id"] for line in lines} == {meta.id}
    _validate(lines, "sft-jsonl")
    assert lines[0]["goal"] == TASK.instruction and any(line["changes"] == ["chat:chat.post"] for line in lines)

    hf = _unzip(_download(page, "hf", tmp_path / "portal-hf.zip"), tmp_path / "portal-hf")
    _load_dataset(hf, len(steps), tmp_path)

    scripts = _unzip(_download(page, "playwright", tmp_path / "portal-playwright.zip"), tmp_path / "portal-pw")
    _run_script(scripts, running, out, f"e2e-portal-{os.getpid()}", tmp_path)

    # and the same with `mockapps export` (no --all: the portal's acceptance is what selects it)
    env = {**os.environ, "MOCKAPPS_DATA": str(settings.data_dir)}
    for fmt, target in (("sft-jsonl", tmp_path / "cli-sft.jsonl"), ("chat-jsonl", tmp_path / "cli-chat.jsonl"),
                        ("hf", tmp_path / "cli-hf"), ("playwright", tmp_path / "cli-pw")):
        run = _mockapps("export", "--format", fmt, "--out", str(target), str(out.parent), env=env)
        output = run.communicate(timeout=180)[0]
        assert run.returncode == 0 and f"exported 1 of 1 trajectories as {fmt}" in output, output
    assert [json.loads(line) for line in (tmp_path / "cli-sft.jsonl").read_text().splitlines()] == lines
    _validate([json.loads(line) for line in (tmp_path / "cli-chat.jsonl").read_text().splitlines()], "chat-jsonl")
    # the command line wrote what the portal sent (the script ran above; running it again would prove nothing new)
    assert _files(tmp_path / "cli-pw") == _files(scripts)
    assert _tables(tmp_path / "cli-hf") == _tables(hf)

    page.goto(f"{portal}/tasks")
    assert page.get_by_test_id(f"accepted-{TASK.id}").inner_text() == "1"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of an export folder but its manifest (which holds the time of the export)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != ".mockapps-export"}


def _tables(folder: Path) -> dict[str, list]:
    """The rows of every Parquet file of an hf export."""
    import pyarrow.parquet as pq

    return {p.relative_to(folder).as_posix(): pq.read_table(p).to_pylist() for p in folder.rglob("*.parquet")}


def _validate(lines: list[dict], schema: str) -> None:
    validator = Draft202012Validator(load_schema(schema))
    assert lines and all(not list(validator.iter_errors(line)) for line in lines), \
        [e.message for line in lines for e in validator.iter_errors(line)][:5]


def _unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(into)
    (folder,) = list(into.iterdir())  # one top-level folder, as the command line would have written
    return folder


def _load_dataset(folder: Path, steps: int, tmp_path: Path) -> None:
    import datasets

    rows = datasets.load_dataset(str(folder), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert len(rows) == steps and rows[0]["task"] == TASK.id
    shots = [row["screenshot_after"] for row in rows if row["screenshot_after"] is not None]
    assert shots and all(shot.size == (1400, 900) for shot in shots)  # the recorded screenshots, as images


def _run_script(folder: Path, running, out: Path, world: str, tmp_path: Path) -> None:
    (script,) = sorted(folder.glob("test_*.py"))
    urls = {app: running.url(app) for app in APP_NAMES}
    env = {**os.environ, "MOCKAPPS_CHROMIUM": find_chromium(), "MOCKAPPS_WORLD": world,
           "MOCKAPPS_APP_URLS": ",".join(f"{app}={url}" for app, url in urls.items())}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)], env=env,
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    # the fresh world the script reset now holds the recorded final state: the announcement in #finance
    assert state_differences(read_state(out / "state.json.gz"), ControlClient(urls, world).states()) == []
