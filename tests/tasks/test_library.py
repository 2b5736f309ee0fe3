"""The task library loads, its answer keys agree with the scenario, and malformed task files fail precisely."""

from __future__ import annotations

import pytest

from mock_apps.scenarios import get_scenario
from mock_apps.tasks import all_tasks, get_task
from mock_apps.tasks.checks import World
from mock_apps.tasks.model import RowQuery
from mock_apps.tasks.registry import TaskError, load_library

GOOD = """
id: t1
title: T
instruction: Do it.
difficulty: easy
apps: [chat]
checks:
  - name: posted
    exists: {app: chat, table: chat_message, where: {text: {contains: hi}}}
"""


def test_library_loads_and_counts():
    tasks = all_tasks()
    assert len(tasks) >= 7
    assert sum(len(t.apps) >= 2 for t in tasks) >= 5
    assert all(t.instruction and t.checks for t in tasks)


def test_bill_answer_keys_match_the_scenario_facts():
    facts = get_scenario().facts
    first_invoices = [o.first_invoice for o in facts.onboardings if o.first_invoice]  # of vendors not set up yet
    bills = {b.vendor_invoice_number: b for b in (*facts.bills, *first_invoices)}
    vendors = {v.key: v for v in (*facts.vendors, *(o.vendor for o in facts.onboardings))}
    for task in all_tasks():
        for check in task.checks:
            query = check.exists
            if not (query and query.table == "txn" and query.where.get("type") == "Bill"):
                continue
            bill = bills[query.where["doc_number"]]
            assert not bill.in_books, f"{task.id}: {bill.vendor_invoice_number} is already in the books"
            assert check.expect["total_cents"] == bill.total_cents, task.id
            assert check.expect["txn_date"] == bill.date.isoformat(), task.id
            vendor_name = check.expect["contact_id"]["ref"]["where"]["display_name"]
            assert vendor_name == vendors[bill.vendor_key].name, task.id


def _refs(value):
    if isinstance(value, dict) and "ref" in value:
        yield RowQuery.model_validate(value["ref"])
    elif isinstance(value, dict):
        for v in value.values():
            yield from _refs(v)


def test_every_reference_finds_exactly_one_row_in_a_fresh_world(world):
    tasks = all_tasks()
    apps = {q.app for t in tasks for c in t.checks for q in _refs(c.model_dump())}
    fresh = World({app: world.state(app) for app in apps}, [])
    for task in tasks:
        created = [c.exists for c in task.checks if c.exists]  # what the task makes need not exist before
        for check in task.checks:
            for query in _refs(check.model_dump()):
                if any(query.table == c.table and query.where == c.where for c in created):
                    continue
                assert len(fresh.rows(query)) == 1, f"{task.id} / {check.name}: {query} finds {len(fresh.rows(query))}"


def _write(folder, name, text):
    (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize("broken, message", [
    (GOOD.replace("apps: [chat]", "apps: [calendar]"), "unknown app 'calendar'"),
    (GOOD.replace("table: chat_message", "table: chat_msg"), "no table 'chat_msg' in chat"),
    (GOOD.replace("where: {text:", "where: {body:"), "no field 'body' in chat chat_message"),
    (GOOD.replace("difficulty: easy", "difficulty: trivial"), "difficulty"),
    (GOOD.replace("apps: [chat]", "apps: [chat]\nscenario: atlantis"), "unknown scenario 'atlantis'"),
])
def test_malformed_task_files_fail_at_load_naming_file_task_and_field(tmp_path, broken, message):
    _write(tmp_path, "bad.yaml", broken)
    with pytest.raises(TaskError) as error:
        load_library(tmp_path)
    assert error.value.message.startswith("bad.yaml: task 't1'") and message in error.value.message


def test_duplicate_task_id_names_both_files(tmp_path):
    _write(tmp_path, "a.yaml", GOOD)
    _write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(TaskError, match="b.yaml: task id 't1' is already defined in a.yaml"):
        load_library(tmp_path)


def test_unknown_task_suggests_the_closest():
    with pytest.raises(TaskError, match="did you mean 'enter-summit-invoice-once'"):
        get_task("enter-sumit-invoice-once")


def test_task_docs_page_is_current():
    from pathlib import Path

    from mock_apps.tasks.docs import docs

    page = Path(__file__).resolve().parents[2] / "docs" / "TASKS.md"
    assert page.read_text() == docs() + "\n", "regenerate with: mockapps tasks docs > docs/TASKS.md"
