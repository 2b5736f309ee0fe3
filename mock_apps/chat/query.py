"""Slack search queries: modifiers, quoted phrases and exclusions parsed into a SearchQuery.

Supported (as in Slack): `in:#channel`, `in:@person` (a DM), `from:@person` (also `from:me`),
`has:link`, `has:pin`, `has:file`, `has:reaction`, `has::emoji:`, `is:thread`, `before:`, `after:`,
`on:` (YYYY-MM-DD, `today`, `yesterday`), `during:` (YYYY-MM, YYYY, a month name like `march`,
`today`, `yesterday`), free words, "quoted phrases", and `-word` to exclude. Dates are days in the
company's timezone; `before:` and `after:` are exclusive, like Slack's.
Modifier values are resolved (names to ids) by `mock_apps.chat.search`, not here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from mock_apps.core.errors import BadRequest

_TOKEN = re.compile(r'(-?)(?:(\w+):("[^"]*"|\S*)|"([^"]*)"|(\S+))')
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
HAS_VALUES = {"link", "pin", "file", "reaction", "star"}
IS_VALUES = {"thread", "dm", "saved"}
MODIFIERS = {"in", "from", "has", "is", "before", "after", "on", "during", "to", "with"}


class QueryError(BadRequest):
    """A search query that cannot be understood; the message names the bad part."""

    code = "invalid_query"


@dataclass
class SearchQuery:
    """A parsed query: text terms and modifiers, each still as the person typed it (minus sigils)."""

    words: list[str] = field(default_factory=list)  # free words and phrases, all must match
    excluded: list[str] = field(default_factory=list)  # -word: none may match
    in_channels: list[str] = field(default_factory=list)  # channel names (without '#')
    in_people: list[str] = field(default_factory=list)  # DMs with these people (handles, without '@')
    from_people: list[str] = field(default_factory=list)
    has: set[str] = field(default_factory=set)
    has_reactions: list[str] = field(default_factory=list)  # has::white_check_mark:
    is_: set[str] = field(default_factory=set)
    after: date | None = None  # strictly after this day
    before: date | None = None  # strictly before this day (on: and during: narrow both bounds)

    @property
    def is_empty(self) -> bool:
        """True when nothing at all was asked for."""
        return not (self.words or self.excluded or self.in_channels or self.in_people or self.from_people
                    or self.has or self.has_reactions or self.is_ or self.after or self.before)


def _day(value: str, today: date, modifier: str) -> date:
    lowered = value.lower()
    if lowered == "today":
        return today
    if lowered == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise QueryError(f"{modifier}:{value} is not a date; use YYYY-MM-DD, 'today' or 'yesterday'") from None


def _during(value: str, today: date) -> tuple[date, date]:
    """The first and last day of a `during:` period."""
    lowered = value.lower()
    if lowered in {"today", "yesterday"}:
        day = _day(lowered, today, "during")
        return day, day
    if lowered in _MONTHS:  # a month name: its most recent occurrence up to today
        month = _MONTHS[lowered]
        year = today.year if month <= today.month else today.year - 1
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2}))?", value)
    if match:
        year = int(match.group(1))
        if match.group(2):
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise QueryError(f"during:{value} has no month {month}")
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    raise QueryError(f"during:{value} is not a period; use YYYY-MM, YYYY, a month name, 'today' or 'yesterday'")


def _merge_after(current: date | None, new: date) -> date:
    return new if current is None or new > current else current


def _merge_before(current: date | None, new: date) -> date:
    return new if current is None or new < current else current


def parse_query(text: str, today: date) -> SearchQuery:
    """Parse a Slack search query; `today` (the company's date on the world clock) anchors relative dates."""
    query = SearchQuery()
    for match in _TOKEN.finditer(text or ""):
        negated, key, value, phrase, word = match.groups()
        if key is not None and key.lower() in MODIFIERS:
            key = key.lower()
            value = value.strip('"')
            if not value:
                raise QueryError(f"{key}: needs a value, for example {key}:#finance")
            if negated:
                raise QueryError(f"-{key}: is not supported; only words can be excluded with '-'")
            _apply(query, key, value, today)
            continue
        term = phrase if phrase is not None else (f"{key}:{value}" if key is not None else word)
        if term is None or not term.strip():
            continue
        (query.excluded if negated else query.words).append(term.strip())
    return query


def _apply(query: SearchQuery, key: str, value: str, today: date) -> None:
    if key in {"in", "to", "with"}:
        if value.startswith("@"):
            query.in_people.append(value[1:].lower())
        else:
            query.in_channels.append(value.lstrip("#").lower())
    elif key == "from":
        query.from_people.append(value.lstrip("@").lower())
    elif key == "has":
        lowered = value.lower()
        if lowered.startswith(":") and lowered.endswith(":") and len(lowered) > 2:
            query.has_reactions.append(lowered.strip(":"))
        elif lowered in HAS_VALUES:
            query.has.add(lowered)
        else:
            raise QueryError(f"has:{value} is not supported; use has:link, has:pin, has:file, has:reaction "
                             "or has::emoji_name:")
    elif key == "is":
        lowered = value.lower()
        if lowered not in IS_VALUES:
            raise QueryError(f"is:{value} is not supported; use is:thread, is:dm or is:saved")
        query.is_.add(lowered)
    elif key == "after":
        query.after = _merge_after(query.after, _day(value, today, key))
    elif key == "before":
        query.before = _merge_before(query.before, _day(value, today, key))
    elif key == "on":
        day = _day(value, today, key)
        query.after = _merge_after(query.after, day - timedelta(days=1))
        query.before = _merge_before(query.before, day + timedelta(days=1))
    elif key == "during":
        first, last = _during(value, today)
        query.after = _merge_after(query.after, first - timedelta(days=1))
        query.before = _merge_before(query.before, last + timedelta(days=1))
