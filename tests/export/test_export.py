"""`mockapps export` on copies of golden trajectories: every format's structure, selection by review, bad input."""

from __future__ import annotations

import ast
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from PIL import Image

from golden_copies import BILL, LUNCH, REPORT, rewrite_steps, trajectory_id
from mock_apps.cli import main
from mock_apps.evaluation.actions import SPECS, parse_action
from mock_apps.export import FORMATS, ExportError, export_trajectories
from mock_apps.export.action_text import TabTracker, action_text
from mock_apps.export.chat_jsonl import tool_name
from mock_apps.export.hf_dataset import COLUMNS
from mock_apps.export.schemas import load_schema
from mock_apps.tasks import get_task
from trajectories.model import Step
from trajectories.store import load

DOCS = Path(__file__).resolve().parents[2] / "docs" / "EXPORT.md"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _problems(validator: Draft202012Validator, document: dict) -> list[str]:
    return [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(document)]


def _with_observation(folder: Path, index: int, accessibility: str, size=(40, 30)) -> None:
    """Give step `index` of a copy a recorded screenshot and ARIA snapshot (goldens are recorded without)."""
    (folder / "shots").mkdir(exist_ok=True)
    Image.new("RGB", size, (200, 30, 30)).save(folder / "shots" / f"{index:04d}.jpg")

    def change(step):
        if step["index"] == index:
            step["observation"] = {"screenshot": f"shots/{index:04d}.jpg", "accessibility": accessibility}
    rewrite_steps(folder, change)


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sft_jsonl_lines_validate_and_carry_actions_in_the_action_language(library, settings, tmp_path):
    out = tmp_path / "sft.jsonl"
    result = export_trajectories([library], "sft-jsonl", out, include_all=True, settings=settings)
    lines = _lines(out)
    total = sum(len(load(library / name)[1]) for name in (BILL, REPORT, LUNCH))
    assert result.items == len(lines) == total and len(result.exported) == 3
    validator = _validator("sft-jsonl")
    assert all(not _problems(validator, line) for line in lines), _problems(validator, lines[0])

    bill = {line["step"]: line for line in lines if line["trajectory_id"] == trajectory_id(library / BILL)}
    assert bill[0]["action"] == "new_tab()" and bill[1]["action"] == 'goto("mail:/")'
    assert bill[2]["action"] == 'fill("testid=search-input", "BL-20931")'
    assert bill[3]["action"] == 'press("testid=search-input", "Enter")'
    assert bill[9]["action"] == 'select_option("role=combobox[name=\\"Vendor\\"]", "5")'
    assert bill[14]["action"] == 'upload_file("label=Attachment", "Invoice_BL-20931.pdf")'
    assert bill[15]["action"] == 'click("testid=save")' and bill[15]["changes"] == ["books:books.bill.create"]
    assert bill[15]["goal"] == get_task(BILL).instruction and bill[15]["url"] == "books:/new/bill"
    assert bill[15]["element"]["role"] == "button" and bill[15]["element"]["name"] == "Save"
    report = [line for line in lines if line["task"] == REPORT]
    assert 'press("css=#grid-wrap", "B")' in [line["action"] for line in report]

    # the schema is a real check: a line without its action, or with an action outside the language, fails
    broken = {k: v for k, v in bill[15].items() if k != "action"}
    assert _problems(validator, broken)
    assert _problems(validator, {**bill[15], "action": "exec('rm -rf /')"})


def _with_live_ids(action: str) -> str:
    """The action with its selector-string element ids swapped for live-style ids ("a1", "a2" ...)."""
    call = ast.parse(action, mode="eval").body
    params = SPECS[call.func.id].params
    for position, (param, node) in enumerate(zip(params, call.args), start=1):
        if param.kind == "element":
            assert isinstance(node.value, str) and "=" in node.value  # a selector string such as testid=save
            call.args[position - 1] = ast.Constant(f"a{position}")
    return ast.unparse(call)


def test_every_exported_action_is_in_the_evaluation_action_language(library, settings, tmp_path):
    out = tmp_path / "sft.jsonl"
    export_trajectories([library], "sft-jsonl", out, include_all=True, settings=settings)
    actions = [line["action"] for line in _lines(out)]
    parsed = [parse_action(_with_live_ids(action)) for action in actions]
    assert {action.name for action in parsed} >= {"new_tab", "goto", "fill", "press", "click", "select_option",
                                                  "upload_file"}
    assert parse_action(_with_live_ids('click("testid=save")')).args == {"element": "a1", "button": "left"}


def test_sft_observation_is_the_page_before_the_action(library, settings, tmp_path):
    _with_observation(library / BILL, 13, '- textbox "Amount, line 1": "4249.00"')
    out = tmp_path / "sft.jsonl"
    export_trajectories([library / BILL], "sft-jsonl", out, include_all=True, settings=settings)
    steps = {line["step"]: line for line in _lines(out)}
    # step 14 acts on what step 13 left on the page; step 13's own snapshot is not what it saw before acting
    assert steps[14]["observation"] == {"accessibility": '- textbox "Amount, line 1": "4249.00"',
                                        "screenshot": "shots/0013.jpg", "from_step": 13}
    assert steps[13]["observation"]["accessibility"] is None and steps[13]["observation"]["from_step"] == 12
    assert steps[13]["observation_after"] == {"accessibility": '- textbox "Amount, line 1": "4249.00"',
                                              "screenshot": "shots/0013.jpg"}
    assert (Path(steps[14]["trajectory_dir"]) / steps[14]["observation"]["screenshot"]).is_file()
    assert steps[0]["observation"]["from_step"] is None


def test_chat_jsonl_tool_calls_are_the_operations_each_step_caused(library, settings, tmp_path):
    out = tmp_path / "chat.jsonl"
    result = export_trajectories([library], "chat-jsonl", out, include_all=True, settings=settings)
    lines = _lines(out)
    assert result.items == len(lines) == 3
    validator = _validator("chat-jsonl")
    for line in lines:
        assert not _problems(validator, line), _problems(validator, line)

    for name in (BILL, REPORT, LUNCH):
        meta, steps = load(library / name)
        line = next(line for line in lines if line["id"] == meta.id)
        messages = line["messages"]
        assert messages[0]["role"] == "system" and messages[1] == {"role": "user",
                                                                     "content": get_task(name).instruction}
        calls = [call for m in messages if m.get("tool_calls") for call in m["tool_calls"]]
        entries = [entry for step in steps for entry in step.changes]
        assert [(c["function"]["name"], json.loads(c["function"]["arguments"])) for c in calls] == \
            [(tool_name(e.op), e.args) for e in entries]
        results = {m["tool_call_id"]: json.loads(m["content"]) for m in messages if m["role"] == "tool"}
        for call, entry in zip(calls, entries):
            assert results[call["id"]]["rows"] == [json.loads(row.model_dump_json()) for row in entry.changes]
        assert {t["function"]["name"] for t in line["tools"]} == {tool_name(e.op) for e in entries}
        assert messages[-1]["role"] == "assistant" and messages[-1]["content"]
    bill = next(line for line in lines if line["task"] == BILL)
    created = [m for m in bill["messages"] if m["role"] == "tool" and "books.bill.create" in m["content"]]
    assert len(created) == 1 and '"BL-20931"' in created[0]["content"]
    assert _problems(validator, {**bill, "messages": bill["messages"][1:]})  # no system message: invalid


def test_hf_folder_loads_with_datasets_one_row_per_step(library, settings, tmp_path):
    import datasets

    _with_observation(library / BILL, 14, '- button "Save"', size=(64, 48))
    out = tmp_path / "hf"
    result = export_trajectories([library], "hf", out, include_all=True, settings=settings)
    cache = tmp_path / "hf-cache"
    by_files = datasets.load_dataset("parquet", data_files=str(out / "data" / "*.parquet"), split="train",
                                     cache_dir=str(cache))
    by_card = datasets.load_dataset(str(out), split="train", cache_dir=str(cache))
    total = sum(len(load(library / name)[1]) for name in (BILL, REPORT, LUNCH))
    assert len(by_files) == len(by_card) == result.items == total
    assert isinstance(by_files.features["screenshot"], datasets.Image)
    rows = {(row["task"], row["step"]): row for row in by_card}
    save = rows[(BILL, 15)]
    assert save["action"] == 'click("testid=save")' and save["changes"] == ["books:books.bill.create"]
    assert save["accessibility"] == '- button "Save"' and save["observation_from_step"] == 14
    assert save["screenshot"].size == (64, 48)
    assert rows[(BILL, 14)]["screenshot"] is None and rows[(BILL, 14)]["element_id"] == "label=Attachment"
    assert rows[(BILL, 14)]["screenshot_after"].size == (64, 48)
    card = (out / "README.md").read_text()
    assert card.startswith("---\n") and "data/train-00000-of-00001.parquet" in card and f"{total} steps" in card


def test_devtools_recordings_have_the_recorder_structure(library, settings, tmp_path):
    settings = replace(settings, base_port=18000)
    out = tmp_path / "devtools"
    result = export_trajectories([library], "devtools", out, include_all=True, settings=settings)
    validator = _validator("devtools")
    files = sorted(out.glob("*.json"))
    assert len(files) == result.items == 3
    for file in files:
        document = json.loads(file.read_text())
        assert not _problems(validator, document), _problems(validator, document)
    bill = json.loads(next(f for f in files if f.name.startswith(BILL)).read_text())
    steps = bill["steps"]
    assert steps[0] == {"type": "setViewport", "width": 1400, "height": 900, "deviceScaleFactor": 1,
                        "isMobile": False, "hasTouch": False, "isLandscape": False}
    assert steps[1] == {"type": "navigate", "target": "main", "url": "http://127.0.0.1:18001/"}
    search = steps[2]
    assert search["type"] == "change" and search["value"] == "BL-20931"
    assert ["aria/Search mail"] in search["selectors"] and ['[data-testid="search-input"]'] in search["selectors"]
    assert [s["type"] for s in steps[3:5]] == ["keyDown", "keyUp"] and steps[3]["key"] == "Enter"
    save = next(s for s in steps if s.get("selectors") and ["aria/Save"] in s["selectors"])
    assert save["type"] == "click" and save["offsetX"] > 0 and save["offsetY"] > 0
    assert ['[data-testid="save"]'] in save["selectors"]
    assert any("upload" in note for note in result.notes)  # the Recorder has no upload step: said, not hidden
    assert _problems(validator, {"title": "x", "steps": [{"type": "click", "selectors": []}]})


def test_only_accepted_trajectories_by_default(library, settings, reviews, tmp_path):
    reviews.review(trajectory_id(library / BILL), "accepted", "rita")
    reviews.review(trajectory_id(library / LUNCH), "rejected", "rita", "wrong channel")
    reviews.review(trajectory_id(library / REPORT), "accepted", "rita")
    reviews.review(trajectory_id(library / REPORT), "needs-fix", "sam", "row 80 is wrong")  # the latest decides
    out = tmp_path / "chat.jsonl"
    result = export_trajectories([library], "chat-jsonl", out, settings=settings)
    assert result.exported == [trajectory_id(library / BILL)] and len(result.not_accepted) == 2
    assert [line["id"] for line in _lines(out)] == [trajectory_id(library / BILL)]
    everything = export_trajectories([library], "chat-jsonl", out, include_all=True, settings=settings)
    assert len(everything.exported) == 3


def test_incomplete_and_unreadable_trajectories_are_skipped_with_a_count(library, settings, capsys, tmp_path):
    meta_path = library / LUNCH / "trajectory.json"
    meta_path.write_text(meta_path.read_text().replace('"status": "complete"', '"status": "incomplete"'))
    (library / REPORT / "trajectory.json").write_text('{"id": "torn"')
    shutil.copytree(library / BILL, library / "a-copy-of-the-bill")
    out = tmp_path / "sft.jsonl"
    code, stdout, stderr = _run(capsys, "--data", settings.data_dir, "export", "--format", "sft-jsonl",
                                "--out", out, library, "--all")
    assert code == 0
    assert "skipped 3 trajectories: 1 incomplete, 1 unreadable, 1 a copy of one already exported" in stderr
    assert "not valid JSON" in stderr and "exported 1 of 4 trajectories as sft-jsonl" in stdout
    assert {line["task"] for line in _lines(out)} == {BILL}


def test_bad_input_is_one_clear_line_and_writes_nothing(library, settings, capsys, tmp_path):
    out = tmp_path / "out.jsonl"
    common = ("--data", settings.data_dir, "export", "--out", out, library)

    code, _, stderr = _run(capsys, *common, "--format", "parquet")
    assert code == 2 and "unknown export format 'parquet'" in stderr
    assert all(name in stderr for name in FORMATS) and not out.exists()

    code, _, stderr = _run(capsys, *common, "--format", "sft-jsonl")
    assert code == 1 and not out.exists()
    assert stderr.strip() == ("mockapps: nothing to export: 3 trajectories found, 0 accepted "
                              "(use --all to export every complete one: 3 complete)")

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, _, stderr = _run(capsys, "--data", settings.data_dir, "export", "--format", "sft-jsonl",
                           "--out", blocker / "out.jsonl", library, "--all")
    assert code == 2 and stderr.startswith("mockapps: error: cannot write") and len(stderr.splitlines()) == 1

    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    code, _, stderr = _run(capsys, "--data", settings.data_dir, "export", "--format", "hf", "--out", precious,
                           library, "--all")
    assert code == 2 and "not an earlier export" in stderr and (precious / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in precious.iterdir()) == ["notes.txt"]

    code, _, stderr = _run(capsys, "--data", settings.data_dir, "export", "--format", "hf", "--out", precious,
                           tmp_path / "nowhere", "--all")
    assert code == 2 and "no such directory" in stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir() if ".partial-" in p.name) == []


def test_a_failing_export_leaves_the_previous_output_whole(library, settings, tmp_path, monkeypatch):
    out_file, out_folder = tmp_path / "sft.jsonl", tmp_path / "devtools"
    export_trajectories([library], "sft-jsonl", out_file, include_all=True, settings=settings)
    export_trajectories([library], "devtools", out_folder, include_all=True, settings=settings)
    before_file = out_file.read_bytes()
    before_folder = {p.name: p.read_bytes() for p in out_folder.iterdir()}

    def half_then_fail(sources, path, settings):
        (path / "half.json" if path.is_dir() else path).write_text("{")
        raise RuntimeError("disk trouble")

    for name, out in (("sft-jsonl", out_file), ("devtools", out_folder)):
        monkeypatch.setitem(FORMATS, name, replace(FORMATS[name], write=half_then_fail))
        with pytest.raises(RuntimeError):
            export_trajectories([library], name, out, include_all=True, settings=settings)
    assert out_file.read_bytes() == before_file
    assert {p.name: p.read_bytes() for p in out_folder.iterdir()} == before_folder
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []


def test_without_folders_the_configured_trajectory_folders_are_exported(library, settings, tmp_path):
    result = export_trajectories([], "sft-jsonl", tmp_path / "all.jsonl", include_all=True, settings=settings)
    assert result.found == 3 and len(result.exported) == 3
    with pytest.raises(ExportError, match="0 accepted"):
        export_trajectories([], "sft-jsonl", tmp_path / "none.jsonl", settings=settings)


def test_docs_publish_each_schema_exactly():
    text = DOCS.read_text(encoding="utf-8")
    for name in ("sft-jsonl", "chat-jsonl", "devtools"):
        assert json.dumps(load_schema(name), indent=2) in text, f"docs/EXPORT.md: {name} schema out of date"
    for name in [*FORMATS, *COLUMNS]:
        assert f"`{name}`" in text, f"docs/EXPORT.md does not mention {name}"


def _step(index: int, kind: str, page: str = "p0", target: dict | None = None, **args) -> Step:
    return Step.model_validate({"index": index, "sim_time": "2026-03-31T20:30:00Z",
                                "wall_time": "2026-11-22T13:21:48Z", "app": "mail", "page": page,
                                "url_before": "mail:/", "action": {"type": kind, "args": args}, "target": target})


def test_actions_for_every_kind_of_recorded_step():
    save = {"tag": "button", "role": "button", "name": "Save",
            "selectors": [{"kind": "role", "value": "button", "name": "Save"}, {"kind": "css", "value": "#s"}]}
    grid = {"tag": "body", "selectors": []}
    box = {"tag": "input", "selectors": [{"kind": "label", "value": "Paid"}]}
    steps = [_step(0, "tab_open"), _step(1, "click", target=save, button="right", modifiers=["Shift"]),
             _step(2, "click", target=save, click_count=2), _step(3, "press", target=grid, key="Escape"),
             _step(4, "paste", target=grid, text="4,249.00"), _step(5, "check", target=box),
             _step(6, "uncheck", target=box), _step(7, "drag", target=save, to=box),
             _step(8, "tab_open", page="p1"), _step(9, "tab_switch"), _step(10, "tab_close", page="p0"),
             _step(11, "tab_switch", page="p1"), _step(12, "download", name="a.pdf"),
             _step(13, "select", target=box, values=["a", "b"]), _step(14, "submit", target=box)]
    tabs, actions = TabTracker(), []
    for step in steps:
        actions.append(action_text(step, tabs))
        tabs.after(step)
    assert actions == ["new_tab()", 'click("role=button[name=\\"Save\\"]", "right")',
                       'dblclick("role=button[name=\\"Save\\"]")', 'keyboard_press("Escape")',
                       'keyboard_press("Control+v")', 'check("label=Paid")', 'uncheck("label=Paid")',
                       'drag_and_drop("role=button[name=\\"Save\\"]", "label=Paid")', "new_tab()", "tab_focus(0)",
                       "tab_close()", "tab_focus(0)", "noop()", 'select_option("label=Paid", ["a", "b"])',
                       'press("label=Paid", "Enter")']
    for action in actions:
        parse_action(_with_live_ids(action))
