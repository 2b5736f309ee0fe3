"""Final answers: the text a trainer or an agent gives when a task asks a question only a person can answer
(`send_msg_to_user`), read as a typed value and compared exactly — never a fuzzy judge.

Types: money (compared in cents), number (tolerance 0), date, string (exact after whitespace
normalisation), set (of strings separated by commas, semicolons or lines; order and duplicates ignored). The answer is the value alone: "$8,301.40",
"2026-03-11", "ACH-700494", "Sophie Lindqvist, Lena Ortiz"; a sentence around it is not an answer.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

AnswerType = Literal["money", "number", "date", "string", "set"]
ANSWER_TYPES: tuple[str, ...] = ("money", "number", "date", "string", "set")

_MONEY = re.compile(r"^(?P<sign>-)?\$?\s*(?P<sign2>-)?(?P<units>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?"
                    r"(?:\s*USD)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")
_SET_SEPARATORS = re.compile(r"[,;\n]")


class AnswerError(ValueError):
    """The answer cannot be read as the type the task asks for (the message says why)."""


def normalize_space(text: str) -> str:
    """Runs of whitespace become one space; the ends are trimmed."""
    return " ".join(text.split())


def parse_answer(kind: str, text: str) -> Any:
    """Read an answer as its type: cents (int), Decimal, date, normalised str, or frozenset of str."""
    shown = normalize_space(text)
    if not shown:
        raise AnswerError("the answer is empty")
    if kind == "money":
        match = _MONEY.match(shown)
        if not match or (match.group("sign") and match.group("sign2")):
            raise AnswerError(f"{shown!r} is not an amount of money (write it like $1,234.56)")
        cents = int(match.group("units").replace(",", "")) * 100 + int((match.group("cents") or "0").ljust(2, "0"))
        return -cents if match.group("sign") or match.group("sign2") else cents
    if kind == "number":
        if not _NUMBER.match(shown):
            raise AnswerError(f"{shown!r} is not a number")
        try:
            return Decimal(shown.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            raise AnswerError(f"{shown!r} is not a number") from None
    if kind == "date":
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(shown, fmt).date()
            except ValueError:
                continue
        raise AnswerError(f"{shown!r} is not a date (write it like 2026-03-11 or March 11, 2026)")
    if kind == "string":
        return shown
    if kind == "set":
        items = frozenset(normalize_space(part) for part in _SET_SEPARATORS.split(text) if part.strip())
        if not items:
            raise AnswerError("the answer names nothing")
        return items
    raise AnswerError(f"unknown answer type {kind!r}; types are {', '.join(ANSWER_TYPES)}")


def expected_value(kind: str, value: Any) -> Any:
    """The answer key of a task as the typed value answers are compared with (ValueError when it is not one)."""
    if kind == "money":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"a money answer key is whole cents (an integer), not {value!r}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"a number answer key must be a number, not {value!r}")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"a number answer key must be a number, not {value!r}") from None
    if kind == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise ValueError(f"a date answer key is an ISO date (YYYY-MM-DD), not {value!r}") from None
    if kind == "string":
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"a string answer key must be non-empty text, not {value!r}")
        return normalize_space(value)
    if kind == "set":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"a set answer key is a non-empty list of strings, not {value!r}")
        return frozenset(normalize_space(v) for v in value)
    raise ValueError(f"unknown answer type {kind!r}; types are {', '.join(ANSWER_TYPES)}")


def show(kind: str, value: Any) -> str:
    """A typed value as a person reads it."""
    if kind == "money":
        return f"{'-' if value < 0 else ''}${abs(value) / 100:,.2f}"
    if kind == "date":
        return value.isoformat()
    if kind == "set":
        return "{" + ", ".join(sorted(value)) + "}"
    return str(value)


def compare(kind: str, expected: Any, given: str | None) -> str | None:
    """None when the answer equals the key; otherwise why it does not (missing, unreadable or different)."""
    if given is None or not given.strip():
        return "no final answer was given (this task asks for one)"
    try:
        value = parse_answer(kind, given)
    except AnswerError as error:
        return f"the answer is not a {kind}: {error}"
    wanted = expected_value(kind, expected)
    if value == wanted:
        return None
    if kind == "set":
        missing, extra = sorted(wanted - value), sorted(value - wanted)
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"not expected {', '.join(extra)}"] if extra else [])
        return f"the answer {show(kind, value)} is wrong: {'; '.join(parts)}"
    return f"the answer {show(kind, value)} is wrong"
