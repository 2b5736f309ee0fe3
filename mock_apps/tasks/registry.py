"""The task library: YAML files under library/, validated against the apps' tables when loaded."""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES
from mock_apps.tasks.answers import expected_value
from mock_apps.scenarios import DEFAULT_SCENARIO, get_scenario
from mock_apps.tasks.model import RowQuery, Task
from mock_apps.tasks.selectors import MissingFact
from mock_apps.tasks.template import Skip, Template

LIBRARY = Path(__file__).resolve().parent / "library"
CHECK_KINDS = ("exists", "absent", "only_ops", "untouched", "answer")


class TaskError(MockAppsError):
    """A task file is malformed, or a task id is unknown."""

    code = "bad_task"


def _columns(app: str, table: str) -> set[str]:
    from mock_apps.core.registry import app_spec

    tables = app_spec(app).load_metadata().tables
    if table not in tables:
        raise KeyError(f"no table {table!r} in {app} (tables: {', '.join(sorted(tables))})")
    return {c.name for c in tables[table].columns}


def _check_query(query: RowQuery, where: str, extra_fields: dict | None = None) -> None:
    if query.app not in APP_NAMES:
        raise ValueError(f"{where}.app: unknown app {query.app!r}; apps are {', '.join(APP_NAMES)}")
    try:
        columns = _columns(query.app, query.table)
    except KeyError as error:
        raise ValueError(f"{where}.table: {error.args[0]}") from None
    for name, fields in (("where", query.where), ("expect", extra_fields or {})):
        for column, value in fields.items():
            if column not in columns:
                close = difflib.get_close_matches(column, columns, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"{where}.{name}: no field {column!r} in {query.app} {query.table}{hint}")
            if isinstance(value, dict) and "ref" in value:
                _check_query(RowQuery.model_validate(value["ref"]), f"{where}.{name}.{column}.ref")


def validate(task: Task) -> None:
    """Check a task against the apps: known apps, tables and fields, a known scenario."""
    get_scenario(task.scenario)
    for app in task.apps:
        if app not in APP_NAMES:
            raise ValueError(f"apps: unknown app {app!r}; apps are {', '.join(APP_NAMES)}")
    for i, check in enumerate(task.checks):
        kinds = [k for k in CHECK_KINDS if getattr(check, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"checks[{i}] ({check.name}): give exactly one of {', '.join(CHECK_KINDS)}")
        if check.answer is not None:
            try:
                expected_value(check.answer.type, check.answer.value)
            except ValueError as error:
                raise ValueError(f"checks[{i}].answer.value: {error}") from None
        query = check.exists or check.absent or check.untouched
        if query is not None:
            _check_query(query, f"checks[{i}].{kinds[0]}", check.expect)
        if check.untouched is not None and check.unless:
            _check_query(RowQuery(app=query.app, table=query.table, where=check.unless), f"checks[{i}].unless")


def read_template(path: Path) -> Template:
    """The template (or single task) one YAML file defines, or a TaskError naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TaskError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TaskError(f"{path}: expected a mapping (a task, or a template with instances)")
    try:
        return Template.from_data(path, data)
    except ValueError as error:
        raise TaskError(f"{path.name}: {error}") from None


def instantiate(template: Template, scenario: str = DEFAULT_SCENARIO) -> list[Task]:
    """A template's validated tasks on a scenario; MissingFact when the scenario lacks what it needs."""
    try:
        raw = template.raw_instances(scenario)
    except ValueError as error:
        raise TaskError(f"{template.path.name}: {error}") from None
    tasks = []
    for item in raw:
        label = f"{template.path.name}: task {item.get('id', '?')!r}"
        try:
            task = Task.model_validate(item)
            validate(task)
        except ValidationError as error:
            first = error.errors()[0]
            raise TaskError(f"{label}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
        except MissingFact:
            raise
        except (ValueError, MockAppsError) as error:
            raise TaskError(f"{label}: {getattr(error, 'message', None) or error}") from None
        tasks.append(task)
    return tasks


def load_file(path: Path) -> list[Task]:
    """The meridian tasks one YAML file defines: a task, or a template's instances."""
    return instantiate(read_template(path))


def read_templates(folder: Path = LIBRARY) -> list[Template]:
    """Every template (and single task) of a folder of YAML files, by name."""
    return [read_template(path) for path in sorted(folder.glob("*.yaml"))]


def load_library(folder: Path = LIBRARY, scenario: str = DEFAULT_SCENARIO) -> dict[str, Task]:
    """Every task of a folder on a scenario (templates lacking a fact skipped); duplicate ids are an error."""
    return collect(read_templates(folder), scenario)[0]


def collect(templates: list[Template], scenario: str) -> tuple[dict[str, Task], list[Skip]]:
    """The templates' tasks on a scenario by id, and the templates skipped with the fact they lack."""
    found: dict[str, Task] = {}
    origin: dict[str, Path] = {}
    skipped: list[Skip] = []
    for template in templates:
        try:
            tasks = instantiate(template, scenario)
        except MissingFact as missing:
            skipped.append(Skip(template.name, scenario, missing.message))
            continue
        for task in tasks:
            if task.id in found:
                raise TaskError(f"{template.path.name}: task id {task.id!r} is already defined in "
                                f"{origin[task.id].name}")
            found[task.id], origin[task.id] = task, template.path
    return found, skipped


@lru_cache(maxsize=1)
def templates() -> list[Template]:
    """Every template of the library (single tasks included), by name."""
    return read_templates()


@lru_cache(maxsize=16)
def _scenario_library(scenario: str) -> tuple[dict[str, Task], tuple[Skip, ...]]:
    found, skipped = collect(templates(), scenario)
    return found, tuple(skipped)


def _library() -> dict[str, Task]:
    return _scenario_library(DEFAULT_SCENARIO)[0]


def all_tasks() -> list[Task]:
    """Every task of the library on meridian (the tasks with golden trajectories), by id."""
    return sorted(_library().values(), key=lambda t: t.id)


def scenario_tasks(scenario: str = DEFAULT_SCENARIO) -> tuple[list[Task], list[Skip]]:
    """Every template's instances on a scenario, by id, and the templates skipped with the fact they lack."""
    found, skipped = _scenario_library(get_scenario(scenario).name)
    return sorted(found.values(), key=lambda t: t.id), list(skipped)


def get_task(task_id: str) -> Task:
    """A task by id, or a TaskError with the closest ids."""
    tasks = _library()
    parts = task_id.split(".")
    if len(parts) == 3 and task_id not in tasks:  # <template>.<scenario>.<fact key>: instantiate on demand
        tasks = _scenario_library(get_scenario(parts[1]).name)[0]
    if task_id not in tasks:
        close = difflib.get_close_matches(task_id, tasks, n=2)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise TaskError(f"unknown task {task_id!r}{hint}", status=404, code="unknown_task")
    return tasks[task_id]
