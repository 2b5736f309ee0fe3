"""Typed input of People's forms and API bodies: amounts, hours, dates and counts, with the field at fault."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from mock_apps.people.errors import PeopleError

MAX_CENTS = 100_000_000  # $1,000,000.00: more on one line is a typing mistake


def _decimal(value, field: str, label: str) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "").lstrip("$")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise PeopleError(f"{label} must be a number; {str(value)[:40]!r} is not.", field=field) from None
    if not number.is_finite():
        raise PeopleError(f"{label} must be a number; {str(value)[:40]!r} is not.", field=field)
    return number


def cents(value, field: str = "amount", label: str = "Amount") -> int:
    """A positive amount of money ("129.99", 129.99) in integer cents."""
    number = _decimal(value, field, label)
    if number <= 0:
        raise PeopleError(f"{label} must be greater than zero.", field=field)
    if number.as_tuple().exponent < -2:
        raise PeopleError(f"{label} can have at most 2 decimal places.", field=field)
    result = int(number * 100)
    if result > MAX_CENTS:
        raise PeopleError(f"{label} of {number:,.2f} is more than the $1,000,000.00 a line allows.", field=field)
    return result


def hours(value, field: str = "hours", label: str = "Hours") -> int:
    """Hours worked or requested ("7.5") in hundredths; empty is zero."""
    if value is None or str(value).strip() == "":
        return 0
    number = _decimal(value, field, label)
    if number < 0:
        raise PeopleError(f"{label} cannot be negative.", field=field)
    if number.as_tuple().exponent < -2:
        raise PeopleError(f"{label} can have at most 2 decimal places.", field=field)
    return int(number * 100)


def day(value, field: str = "date", label: str = "Date") -> date:
    """A date as YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise PeopleError(f"{label} must be a date as YYYY-MM-DD; {str(value)[:40]!r} is not.", field=field) from None


def count(value, field: str, label: str, minimum: int = 0) -> int:
    """A whole number of at least `minimum`; empty is the minimum."""
    if value is None or str(value).strip() == "":
        return minimum
    try:
        number = int(str(value).strip())
    except ValueError:
        raise PeopleError(f"{label} must be a whole number; {str(value)[:40]!r} is not.", field=field) from None
    if number < minimum or number > 1000:
        raise PeopleError(f"{label} must be between {minimum} and 1000.", field=field)
    return number


def text(value, field: str, label: str, required: bool = True, limit: int = 500) -> str:
    """Trimmed text, required unless told otherwise."""
    found = str(value if value is not None else "").strip()
    if required and not found:
        raise PeopleError(f"{label} is required.", field=field)
    if len(found) > limit:
        raise PeopleError(f"{label} is longer than {limit} characters.", field=field)
    return found


def hours_label(x100: int) -> str:
    """Hundredths of hours as "7.5" / "8"."""
    return f"{x100 / 100:g}" if x100 % 100 else str(x100 // 100)
