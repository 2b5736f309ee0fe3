"""The task library: YAML files under library/, validated against the apps' tables when loaded."""

from __future__ import annotations

import difflib
import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mock_apps.core.errors import MockAppsError
from mock_apps.core.settings import APP_NAMES
from mock_apps.tasks.answers import expected_value
from mock_apps.tasks.model import RowQuery, Task

LIBRARY = Path(__file__).resolve().parent / "library"
_WHOLE = re.compile(r"^\$\{(\w+)\}$")
CHECK_KINDS = ("exists", "absent", "only_ops", "untouched", "answer")


class TaskError(MockAppsError):
    """A task file is malformed, or a task id is unknown."""

    code = "bad_task"


def _fill(value: Any, params: dict[str, Any]) -> Any:
    """Substitute ${param} in a template (a lone placeholder keeps the parameter's type)."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole and whole.group(1) in params:
            return params[whole.group(1)]
        return string.Template(value).safe_substitute({k: str(v) for k, v in params.items()})
    if isinstance(value, list):
        return [_fill(v, params) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, params) for k, v in value.items()}
    return value


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
    from mock_apps.scenarios import get_scenario

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


def load_file(path: Path) -> list[Task]:
    """The tasks one YAML file defines: a task, or a template with instances."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TaskError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TaskError(f"{path}: expected a mapping (a task, or a template with instances)")
    if "template" in data:
        template, instances = data["template"], data.get("instances") or []
        raw = [{**_fill(template, inst.get("params", {})), "id": inst["id"], "template": path.stem,
                "params": inst.get("params", {})} for inst in instances]
    else:
        raw = [data]
    tasks = []
    for item in raw:
        label = f"{path.name}: task {item.get('id', '?')!r}"
        try:
            task = Task.model_validate(item)
            validate(task)
        except ValidationError as error:
            first = error.errors()[0]
            raise TaskError(f"{label}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
        except (ValueError, MockAppsError) as error:
            raise TaskError(f"{label}: {getattr(error, 'message', None) or error}") from None
        tasks.append(task)
    return tasks


def load_library(folder: Path = LIBRARY) -> dict[str, Task]:
    """Every task in a folder of YAML files; duplicate ids are an error naming both files."""
    found: dict[str, Task] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        for task in load_file(path):
            if task.id in found:
                raise TaskError(f"{path.name}: task id {task.id!r} is already defined in {origin[task.id].name}")
            found[task.id], origin[task.id] = task, path
    return found


@lru_cache(maxsize=1)
def _library() -> dict[str, Task]:
    return load_library()


def all_tasks() -> list[Task]:
    """Every task of the library, by id."""
    return sorted(_library().values(), key=lambda t: t.id)


def get_task(task_id: str) -> Task:
    """A task by id, or a TaskError with the closest ids."""
    tasks = _library()
    if task_id not in tasks:
        close = difflib.get_close_matches(task_id, tasks, n=2)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise TaskError(f"unknown task {task_id!r}{hint}", status=404, code="unknown_task")
    return tasks[task_id]
