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
