"""Selectors: functions that choose a template's instances from a scenario's facts.

A template names its selector as `<module>.<function>` of this package (`select: remittances.pending`). The
function takes the scenario's `Facts` and returns the instances it supports, each an `Instance` keyed by a slug
of the fact it chose (`chk-40417`) with the template's parameters filled from the facts. When the facts lack
what the template needs it raises `MissingFact` naming that fact, and the template is skipped on that scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable

from mock_apps.core.errors import MockAppsError
from mock_apps.scenarios.facts import Facts


class MissingFact(MockAppsError):
    """A scenario's facts lack what a template needs (the message names the fact)."""

    code = "missing_fact"


@dataclass(frozen=True)
class Instance:
    """One instance a selector chose: the slug of its fact (unique within the template) and its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


Selector = Callable[[Facts], list[Instance]]


def slug(text: str) -> str:
    """A fact's name as an id part safe in URLs and file names: lower case, runs of other characters as '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def selector(name: str) -> Selector:
    """The selector `<module>.<function>` of this package, or a ValueError naming what is wrong."""
    module, _, function = name.partition(".")
    if not re.fullmatch(r"[a-z_]+", module) or not re.fullmatch(r"[a-z_0-9]+", function):
        raise ValueError(f"select: {name!r} is not <module>.<function> of mock_apps.tasks.selectors")
    try:
        found = getattr(import_module(f"{__name__}.{module}"), function, None)
    except ModuleNotFoundError:
        found = None
    if not callable(found):
        raise ValueError(f"select: no selector {name!r} (a function in mock_apps/tasks/selectors/{module}.py)")
    return found


def require(items, fact: str) -> list:
    """The items as a list, or MissingFact naming the fact when there are none."""
    items = list(items)
    if not items:
        raise MissingFact(fact)
    return items
