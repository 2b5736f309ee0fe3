"""Task templates: a task body with ${params}, and where its instances come from.

A library file is one of three kinds. A template with `select:` names a selector (mock_apps/tasks/selectors)
that chooses its instances from any scenario's facts; on `meridian` its instances keep the ids their golden
trajectories were recorded under (`meridian:`, fact key -> id), and the selector must choose exactly those. A
template with hand-written `instances:` and a single task (a file without `template:`) exist on `meridian`
only. Every instance is filled with the scenario-wide parameters (selectors/company.py) and its own. A list
item `{each: <param>, ...}` is repeated once per element of that list parameter, each element's keys being
parameters of its copy (`{each: <param>, do: [...]}` repeats several items together): one checkpoint per
past-due invoice, however many a company has.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_apps.scenarios import DEFAULT_SCENARIO, get_scenario
from mock_apps.tasks.selectors import Instance, MissingFact, selector
from mock_apps.tasks.selectors.company import company

_WHOLE = re.compile(r"^\$\{(\w+)\}$")


@dataclass(frozen=True)
class Skip:
    """A template that has no instance on a scenario, and the fact the scenario lacks."""

    template: str
    scenario: str
    missing: str


@dataclass
class Template:
    """One library file: its name (the file's stem), task body, and how instances are chosen."""

    name: str
    path: Path
    body: dict[str, Any]
    select: str | None = None
    meridian: dict[str, str] = field(default_factory=dict)  # fact key -> the meridian instance's id
    written: list[dict[str, Any]] = field(default_factory=list)  # hand-written meridian instances
    single: bool = False  # a single task: its id is the body's, it is no template's instance

    @classmethod
    def from_data(cls, path: Path, data: dict[str, Any]) -> "Template":
        """The template a parsed library file defines (ValueError when its shape is wrong)."""
        if not isinstance(data.get("template"), dict):  # a single task (`template:` may name its origin)
            return cls(path.stem, path, data, written=[{"id": data.get("id"), "params": data.get("params", {})}],
                       single=True)
        unknown = set(data) - {"template", "select", "meridian", "instances"}
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))}; a template file has template, "
                             "select, meridian and instances")
        if "select" in data:
            selector(data["select"])  # a typo in the selector's name fails when the library loads
            if data.get("instances"):
                raise ValueError("give either select (instances chosen from the facts) or instances, not both")
        return cls(path.stem, path, data["template"], data.get("select"), dict(data.get("meridian") or {}),
                   list(data.get("instances") or []))

    def raw_instances(self, scenario: str) -> list[dict[str, Any]]:
        """The instances on a scenario as task data (not yet validated); MissingFact when it has none."""
        facts = get_scenario(scenario).facts
        shared = company(facts)
        if self.select is None:
            if scenario != DEFAULT_SCENARIO:
                raise MissingFact(f"a selector: the instances of {self.name} are written for meridian only")
            return [self._task(inst["id"], inst.get("params", {}), shared, scenario) for inst in self.written]
        try:
            chosen = selector(self.select)(facts)
        except (KeyError, IndexError, StopIteration) as error:  # a fact refers to one the scenario does not have
            raise MissingFact(f"{error.args[0] if error.args else 'a fact'} (which {self.select} reads)") from None
        if scenario == DEFAULT_SCENARIO:
            keys = [inst.key for inst in chosen]
            if sorted(keys) != sorted(self.meridian):
                raise ValueError(f"{self.select} chooses {sorted(keys)} on meridian; meridian: names "
                                 f"{sorted(self.meridian)} (the instances with golden trajectories)")
            return [self._task(self.meridian[inst.key], inst.params, shared, scenario) for inst in chosen]
        return [self._task(instance_id(self.name, scenario, inst.key), inst.params, shared, scenario)
                for inst in chosen]

    def _task(self, task_id: str, params: dict[str, Any], shared: dict[str, Any], scenario: str) -> dict[str, Any]:
        task = fill(self.body, {**shared, **params})
        task.update(id=task_id, params=params)
        if not self.single:
            task["template"] = self.name
        if scenario != DEFAULT_SCENARIO:
            task["scenario"] = scenario
        return task


def instance_id(template: str, scenario: str, key: str) -> str:
    """A generated instance's id: `<template>.<scenario>.<fact key>`, e.g. record-remittance.law-7.chk-40417."""
    return f"{template}.{scenario}.{key}"


def fill(value: Any, params: dict[str, Any]) -> Any:
    """Substitute ${param} in a template (a lone placeholder keeps the parameter's type; `each:` repeats an item)."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole and whole.group(1) in params:
            return params[whole.group(1)]
        return string.Template(value).safe_substitute({k: str(v) for k, v in params.items()})
    if isinstance(value, list):
        return [filled for item in value for filled in _each(item, params)]
    if isinstance(value, dict):
        return {k: fill(v, params) for k, v in value.items()}
    return value


def _each(item: Any, params: dict[str, Any]) -> list[Any]:
    """A list item filled, or `{each: name, ...}` (or the items of `{each: name, do: [...]}`) filled once per
    element of the list parameter `name`: none when it is empty, so a checkpoint the company has no fact for
    drops out."""
    if not (isinstance(item, dict) and "each" in item):
        return [fill(item, params)]
    rows = params.get(item["each"])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError(f"each: {item['each']!r} is not a parameter listing one mapping per copy")
    body = {k: v for k, v in item.items() if k != "each"}
    items = body["do"] if set(body) == {"do"} else [body]
    return [filled for row in rows for filled in fill(items, {**params, **row})]


__all__ = ["Instance", "MissingFact", "Skip", "Template", "fill", "instance_id"]
