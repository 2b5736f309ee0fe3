"""Scenarios: deterministic generators of a whole company's facts, rendered by each app's seeder."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from importlib import import_module
from pathlib import Path
from zoneinfo import ZoneInfo

from mock_apps.core.errors import NotFound
from mock_apps.scenarios.facts import Facts

# name -> module that defines SEED, NOW and build()
_MODULES = {"meridian": "mock_apps.scenarios.meridian"}
DEFAULT_SCENARIO = "meridian"


@dataclass(frozen=True)
class Scenario:
    """A named, seeded company world."""

    name: str
    module: str

    @cached_property
    def _mod(self):
        return import_module(self.module)

    @property
    def seed(self) -> int:
        """The fixed seed every seeder derives its randomness from."""
        return self._mod.SEED

    @property
    def now(self) -> datetime:
        """The world's frozen starting time (aware)."""
        return self._mod.NOW

    @property
    def timezone(self) -> ZoneInfo:
        """The company's timezone."""
        return ZoneInfo(self.facts.company.timezone)

    @cached_property
    def facts(self) -> Facts:
        """The company's facts, generated once per process."""
        return self._mod.build()

    def fingerprint(self) -> str:
        """A hash of the scenario's source, so templates rebuild when it changes."""
        here = Path(__file__).parent
        digest = hashlib.sha256()
        for path in sorted(here.glob("*.py")):
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def scenario_names() -> list[str]:
    """The known scenario names."""
    return sorted(_MODULES)


def get_scenario(name: str | None = None) -> Scenario:
    """The scenario with this name (the default when None), or a NotFound naming the known ones."""
    name = name or DEFAULT_SCENARIO
    if name not in _MODULES:
        close = difflib.get_close_matches(name, _MODULES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NotFound(f"unknown scenario {name!r}{hint}; known scenarios: {', '.join(scenario_names())}",
                       code="unknown_scenario")
    return _SCENARIOS.setdefault(name, Scenario(name, _MODULES[name]))


_SCENARIOS: dict[str, Scenario] = {}
