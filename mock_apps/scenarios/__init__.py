"""Scenarios: deterministic generators of a whole company's facts, rendered by each app's seeder.

`meridian` is hand-written (and the default); any `<industry>-<seed>` (e.g. `law-7`) is a company the
generator builds from its industry and seed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from importlib import import_module
from pathlib import Path
from zoneinfo import ZoneInfo

from mock_apps.core.errors import BadRequest, NotFound
from mock_apps.scenarios.facts import Facts
from mock_apps.scenarios.generator import INDUSTRIES

# name -> module that defines SEED, NOW and build()
_MODULES = {"meridian": "mock_apps.scenarios.meridian"}
DEFAULT_SCENARIO = "meridian"
_GENERATED = re.compile(r"^([a-z]+)-(.*)$")
MAX_SEED = 10**9


@dataclass(frozen=True)
class Scenario:
    """A named, seeded company world: a hand-written module's, or a generated industry's at a seed."""

    name: str
    module: str = ""
    industry: str = ""
    number: int = 0  # the generated company's seed

    @cached_property
    def _mod(self):
        return import_module(self.module)

    @property
    def seed(self) -> int:
        """The fixed seed every seeder derives its randomness from."""
        if self.industry:
            from mock_apps.scenarios.generator import number_seed

            return number_seed(self.industry, self.number)
        return self._mod.SEED

    @property
    def now(self) -> datetime:
        """The world's frozen starting time (aware)."""
        return self.facts.now if self.industry else self._mod.NOW

    @property
    def timezone(self) -> ZoneInfo:
        """The company's timezone."""
        return ZoneInfo(self.facts.company.timezone)

    @cached_property
    def facts(self) -> Facts:
        """The company's facts, generated once per process."""
        if self.industry:
            from mock_apps.scenarios.generator import build

            return build(self.industry, self.number)
        return self._mod.build()

    def fingerprint(self) -> str:
        """A hash of the scenarios' source (the generator's too), so templates rebuild when it changes."""
        here = Path(__file__).parent
        digest = hashlib.sha256()
        for path in sorted(here.rglob("*.py")):
            digest.update(str(path.relative_to(here)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def industries() -> list[str]:
    """The industries the generator builds companies of."""
    return list(INDUSTRIES)


def scenario_names() -> list[str]:
    """The hand-written scenario names (any `<industry>-<seed>` is a scenario too)."""
    return sorted(_MODULES)


def scenario_name(industry: str, seed) -> str:
    """The name of the generated company of an industry and a seed (`law-7`), or a NotFound / BadRequest
    saying in one line what is wrong (an unknown industry, with the closest one; a malformed or negative seed)."""
    if industry not in INDUSTRIES:
        close = difflib.get_close_matches(str(industry), INDUSTRIES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise NotFound(f"unknown industry {str(industry)[:40]!r}{hint}; industries: {', '.join(INDUSTRIES)}",
                       code="unknown_industry")
    text = str(seed).strip()
    if isinstance(seed, bool) or not re.fullmatch(r"-?[0-9]+", text):
        raise BadRequest(f"malformed seed {text[:40]!r} for industry {industry!r}: use a whole number 0-{MAX_SEED}",
                         code="malformed_seed")
    number = int(text)
    if number < 0 or number > MAX_SEED:
        raise BadRequest(f"seed {number} out of range for industry {industry!r}: use a whole number 0-{MAX_SEED}",
                         code="malformed_seed")
    return f"{industry}-{number}"


def get_scenario(name: str | None = None) -> Scenario:
    """The scenario with this name (the default when None, or `<industry>-<seed>`), or a NotFound / BadRequest
    naming what is known."""
    name = name or DEFAULT_SCENARIO
    found = _SCENARIOS.get(name)
    if found is not None:
        return found
    if name in _MODULES:
        return _SCENARIOS.setdefault(name, Scenario(name, _MODULES[name]))
    generated = _GENERATED.match(name)
    if generated and generated.group(1) in INDUSTRIES:
        industry, seed = generated.groups()
        canonical = scenario_name(industry, seed)
        if canonical != name:  # "law-007" is law-7: one company, one name
            raise BadRequest(f"malformed scenario {name!r}: write it {canonical!r}", code="malformed_seed")
        return _SCENARIOS.setdefault(name, Scenario(name, industry=industry, number=int(seed)))
    candidates = [*_MODULES, *INDUSTRIES]
    close = difflib.get_close_matches(generated.group(1) if generated else name, candidates, n=1)
    hint = f"; did you mean {close[0] + ('-<seed>' if close[0] in INDUSTRIES else '')!r}?" if close else ""
    raise NotFound(f"unknown scenario {name[:60]!r}{hint}; known scenarios: {', '.join(scenario_names())}, or "
                   f"<industry>-<seed> with industry one of {', '.join(INDUSTRIES)}", code="unknown_scenario")


_SCENARIOS: dict[str, Scenario] = {}
