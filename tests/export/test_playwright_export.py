"""Exports of a trajectory recorded in this test (real sandbox, real Chromium, screenshots on): the Playwright
script reproduces the recorded final state in a fresh world, and the per-step formats carry the screenshots and
accessibility snapshots."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from golden_copies import rewrite_steps
from mock_apps.core.browser import find_chromium
from mock_apps.core.control_client import ControlClient
from mock_apps.core.settings import APP_NAMES
from mock_apps.export import export_trajectories
from mock_apps.export.schemas import load_schema
from recorder.replay import read_state, state_differences
from recorder.session import begin

# the recorder tests' trainer flow: mail search and download, a bill in books with the PDF attached, the balance
# copied into a workbook in a second tab, typed keys in the grid, a typed visit to chat and a post
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "recorder"))
from recording_flows import trainer_files_invoice  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def recording(browser, sandbox, tmp_path_factory) -> Path:
    """A trajectory recorded with screenshots in a fresh world of the session's sandbox."""
    urls = {app: sandbox.url(app) for app in APP_NAMES}
    out = tmp_path_factory.mktemp("export-recording") / "traj"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    recorder = begin(context, out, urls, f"exp-rec-{os.getpid()}", start_pages=("mail:/",), shots=True,
                     trainer="ana")
    trainer_files_invoice(recorder, context.pages[0])  # ends settled on the chat channel, the post observed
    context.pages[0].get_by_test_id("composer-input").click()  # a step whose page-before was observed
    recorder.stop()
    context.close()
    return out


def _urls(sandbox) -> dict[str, str]:
    return {app: sandbox.url(app) for app in APP_NAMES}


def _environment(sandbox, **extra) -> dict[str, str]:
    return {**os.environ, "MOCKAPPS_CHROMIUM": find_chromium(), **extra,
            "MOCKAPPS_APP_URLS": ",".join(f"{app}={url}" for app, url in _urls(sandbox).items())}


def _script(folder: Path, settings, out: Path) -> Path:
    export_trajectories([folder], "playwright", out, include_all=True, settings=settings)
    scripts = sorted(out.glob("test_*.py"))
    assert len(scripts) == 1
    return scripts[0]


def test_the_exported_script_reproduces_the_recorded_final_state(recording, sandbox, settings, tmp_path):
    script = _script(recording, settings, tmp_path / "scripts")
    assert sorted(p.name for p in (tmp_path / "scripts" / "files").iterdir()) == \
        sorted(p.name for p in (recording / "files").iterdir())  # the upload's bytes travel with the script
    world = f"exp-script-{os.getpid()}"
    run = subprocess.run([sys.executable, str(script), "--world", world], env=_environment(sandbox),
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.strip().endswith("REPRODUCED"), run.stdout + run.stderr[-3000:]
    recorded = read_state(recording / "state.json.gz")
    assert state_differences(recorded, ControlClient(_urls(sandbox), world).states()) == []
    untouched = ControlClient(_urls(sandbox), f"{world}-untouched")
    untouched.reset("meridian")
    assert state_differences(recorded, untouched.states()) == ["books", "chat", "sheets"]


def test_a_script_that_no_longer_reaches_the_recorded_state_fails_under_pytest(recording, sandbox, settings,
                                                                                tmp_path):
    changed = tmp_path / "changed"
    shutil.copytree(recording, changed)

    def another_amount(step):
        if step["action"]["type"] == "fill" and step["action"]["args"].get("value") == "4249.00":
            step["action"]["args"]["value"] = "4250.00"
    rewrite_steps(changed, another_amount)
    script = _script(changed, settings, tmp_path / "scripts")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)],
                         env=_environment(sandbox, MOCKAPPS_WORLD=f"exp-changed-{os.getpid()}"),
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    assert "final state differs from the recording" in run.stdout


def test_step_formats_carry_the_recorded_screenshots_and_snapshots(recording, settings, reviews, tmp_path):
    import datasets

    reviews.review(json.loads((recording / "trajectory.json").read_text())["id"], "accepted", "rita")
    out = tmp_path / "sft.jsonl"
    export_trajectories([recording], "sft-jsonl", out, settings=settings)  # accepted: taken without --all
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    validator = Draft202012Validator(load_schema("sft-jsonl"))
    assert all(not list(validator.iter_errors(line)) for line in lines)
    actions = [line["action"] for line in lines]
    assert 'press("testid=search-input", "Enter")' in actions and 'goto("chat:/archives/CUDZWP1C7MK")' in actions
    assert 'press("css=#grid-wrap", "Control+v")' in actions and 'press("testid=balance", "Control+c")' in actions
    assert "new_tab()" in actions and "tab_focus(0)" in actions
    post = next(line for line in lines if line["changes"] == ["chat:chat.post"])
    last = lines[-1]
    assert last["action"] == 'click("testid=composer-input")' and last["observation"]["from_step"] == post["step"]
    # what the person saw before the last click is what the recorder stored after the post: the posted message
    assert last["observation"]["screenshot"] == post["observation_after"]["screenshot"] is not None
    assert "Entered BL-20931 in Books." in last["observation"]["accessibility"]
    shots = [line for line in lines if line["observation_after"]["screenshot"]]
    assert all((recording / line["observation_after"]["screenshot"]).is_file() for line in shots)

    hf = tmp_path / "hf"
    export_trajectories([recording], "hf", hf, settings=settings)
    rows = datasets.load_dataset(str(hf), split="train", cache_dir=str(tmp_path / "cache"))
    assert len(rows) == len(lines)
    assert rows[len(rows) - 1]["screenshot"].size == (1400, 900)
    assert sum(row["screenshot_after"] is not None for row in rows) == len(shots)
