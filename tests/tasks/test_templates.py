"""Templates: on meridian the selectors reproduce the library's instances exactly (ids, parameters and the whole
rendered task, as recorded in data/meridian_instances.json before the hand-written lists were replaced); a
template whose facts a scenario lacks is skipped with the fact named; generated ids are safe in URLs and files."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from mock_apps.tasks import all_tasks, get_task
from mock_apps.tasks.registry import TaskError, load_library, scenario_tasks
from mock_apps.tasks.selectors import MissingFact

SNAPSHOT = json.loads((Path(__file__).parent / "data" / "meridian_instances.json").read_text())


def _digest(task) -> str:
    body = json.dumps(task.model_dump(exclude={"template", "params"}), sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def test_meridian_instances_are_exactly_the_recorded_ones():
    tasks = {t.id: t for t in all_tasks()}
    assert sorted(tasks) == sorted(SNAPSHOT)
    for task_id, recorded in SNAPSHOT.items():
        task = tasks[task_id]
        if recorded["template"] is not None:  # an instance of a template: same template, same parameters
            assert task.template == recorded["template"], task_id
            assert {k: task.params.get(k) for k in recorded["params"]} == recorded["params"], task_id
        assert _digest(task) == recorded["sha256"], f"{task_id} renders differently from the recorded task"


def _lean(monkeypatch, **missing):
    """A scenario 'lean-1': meridian's facts without some of them (as a generated company may be)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from mock_apps.scenarios import get_scenario
    from mock_apps.tasks import registry, template

    real = get_scenario
    lean = SimpleNamespace(name="lean-1", facts=replace(real().facts, **missing))
    fake = lambda name=None: lean if name == "lean-1" else real(name)  # noqa: E731
    monkeypatch.setattr(template, "get_scenario", fake)
    monkeypatch.setattr(registry, "get_scenario", fake)


def test_a_template_lacking_a_fact_is_skipped_with_the_fact_named(monkeypatch):
    from mock_apps.tasks.registry import collect, templates

    _lean(monkeypatch, pending_remittances=(), onboardings=(), signed_customer=None)
    found, skipped = collect(templates(), "lean-1")
    reasons = {s.template: s.missing for s in skipped}
    assert "pending_remittances" in reasons["record-remittance"]
    assert "onboardings" in reasons["reply-vendor-on-hold"]
    assert "signed_customer" in reasons["warmup-add-signed-customer"]
    assert {t.template for t in found.values()} >= {"enter-mailed-bill", "chase-overdue-invoice", "pay-approved-bill"}
    assert all(t.scenario == "lean-1" for t in found.values())


def test_hand_written_instances_exist_on_meridian_only(monkeypatch, tmp_path):
    from mock_apps.tasks.registry import collect
    from mock_apps.tasks.template import Template

    _lean(monkeypatch)
    body = {"title": "Say hi", "instruction": "Post hi in #general.", "difficulty": "easy", "apps": ["chat"],
            "checks": [{"name": "posted", "only_ops": ["chat.post"]}]}
    written = Template.from_data(tmp_path / "hi.yaml", {"template": body, "instances": [{"id": "say-hi"}]})
    assert not written.select and [t.id for t in collect([written], "meridian")[0].values()] == ["say-hi"]
    found, skipped = collect([written], "lean-1")
    assert not found and "meridian only" in skipped[0].missing


def test_every_library_template_chooses_its_instances_from_the_facts():
    from mock_apps.tasks.registry import templates

    assert [t.name for t in templates() if not t.select] == []


def test_generated_ids_name_template_scenario_and_fact_and_are_safe_in_urls_and_files(monkeypatch):
    from mock_apps.tasks.registry import collect, templates

    _lean(monkeypatch)
    found, _ = collect(templates(), "lean-1")
    assert "record-remittance.lean-1.chk-40417" in found
    task = found["record-remittance.lean-1.chk-40417"]
    assert task.params["check"] == "CHK 40417" and task.template == "record-remittance"
    assert all(re.fullmatch(r"[a-z0-9-]+\.lean-1\.[a-z0-9-]+", task_id) for task_id in found)
    # on the scenario's own facts the instances are the same work as meridian's, under the generated ids
    meridian = {t.template: t for t in all_tasks() if t.id == "record-remittance-pinecrest-chk-40417"}
    assert task.checks == meridian["record-remittance"].checks


LIBRARY_FILE = """
template:
  title: "Record ${customer}'s check ${check}"
  instruction: Record it.
  difficulty: easy
  apps: [mail, books]
  checks:
    - name: recorded
      exists: {app: books, table: txn, where: {type: Payment, doc_number: "${check}"}}
select: %s
meridian:
%s
"""


@pytest.mark.parametrize("select, meridian, message", [
    ("remittances.pendng", "  chk-2291: r1", "no selector 'remittances.pendng'"),
    ("remittances", "  chk-2291: r1", "is not <module>.<function>"),
    ("remittances.pending", "  chk-2291: r1", "chooses ['chk-118734', 'chk-2291', 'chk-40417', 'chk-77012'] on meridian"),
])
def test_a_broken_template_file_fails_to_load_naming_what_is_wrong(tmp_path, select, meridian, message):
    (tmp_path / "remit.yaml").write_text(LIBRARY_FILE % (select, meridian))
    with pytest.raises(TaskError) as error:
        load_library(tmp_path)
    assert "remit.yaml" in error.value.message and message in error.value.message


def test_selectors_report_the_fact_they_lack():
    from dataclasses import replace

    from mock_apps.scenarios import get_scenario
    from mock_apps.tasks.selectors import bills, collections, people, questions, remittances

    facts = get_scenario().facts
    for select, missing, fact in ((remittances.pending, {"pending_remittances": ()}, "pending_remittances"),
                                  (bills.resent, {"bills": ()}, "resent_duplicate"),
                                  (collections.reminders, {"events": ()}, "collections_reminder"),
                                  (people.contractor_supplier_step, {"hr": None}, "hr.onboardings"),
                                  (questions.people_lookups, {"hr": None}, "hr.time_off")):
        with pytest.raises(MissingFact, match=fact):
            select(replace(facts, **missing))


@pytest.mark.parametrize("company", [[], ["--scenario", "law", "--seed", "1"]], ids=["meridian", "law-1"])
def test_instantiate_writes_yaml_that_loads_back_as_the_same_task(tmp_path, capsys, company):
    from mock_apps.cli import main

    assert main(["tasks", "instantiate", *company, "--template", "record-remittance", "--out", str(tmp_path)]) == 0
    scenario = "law-1" if company else "meridian"
    written = sorted(p.name for p in tmp_path.glob("*.yaml"))
    assert written == sorted(f"{t.id}.yaml" for t in scenario_tasks(scenario)[0] if t.template == "record-remittance")
    assert f"{len(written)} tasks of 1 templates" in capsys.readouterr().out and written
    loaded = load_library(tmp_path)
    assert sorted(loaded) == [name[:-len(".yaml")] for name in written]
    for task_id, task in loaded.items():
        assert task == get_task(task_id) and task.scenario == scenario


@pytest.mark.parametrize("argv, message", [
    (["tasks", "list", "--scenario", "nosuch", "--seed", "1"], "nosuch"),
    (["tasks", "list", "--scenario", "law"], "--seed"),
    (["tasks", "list", "--scenario", "meridian", "--seed", "3"], "meridian is one fixed company"),
    (["tasks", "instantiate", "--seed", "x7"], "--seed 'x7'"),
    (["tasks", "instantiate", "--scenario", "law", "--seed", "\u00b2"], "--seed '\u00b2'"),
    (["tasks", "list", "--template", "record-remitance"], "did you mean 'record-remittance'"),
    (["tasks", "prove", "--sample", "0"], "--sample 0"),
    (["tasks", "prove", "--workers", "0"], "--workers 0"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    from mock_apps.cli import main

    assert main(argv) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1 and message in out.err, out.err


def test_each_repeats_an_item_per_element_of_a_list_parameter():
    from mock_apps.tasks.template import fill

    body = [{"each": "bills", "name": "${invoice} for ${vendor}"},
            {"each": "bills", "do": [{"name": "${invoice} entered"}, {"name": "${invoice} has its PDF"}]},
            {"each": "none", "name": "dropped"}, {"name": "${vendor} alone"}]
    params = {"vendor": "Acme", "bills": [{"invoice": "A-1"}, {"invoice": "B-2", "vendor": "Brio"}], "none": []}
    assert fill(body, params) == [
        {"name": "A-1 for Acme"}, {"name": "B-2 for Brio"},
        {"name": "A-1 entered"}, {"name": "A-1 has its PDF"}, {"name": "B-2 entered"}, {"name": "B-2 has its PDF"},
        {"name": "Acme alone"}]
    with pytest.raises(ValueError, match="each: 'vendor'"):
        fill([{"each": "vendor", "name": "x"}], params)
