"""Amounts as templates show them: "$1,234.56" in prose, "1,234.56" in a mail, 1234.56 in a sheet cell."""

from __future__ import annotations


def dollars(cents: int) -> str:
    """"$1,234.56"."""
    return f"-${-cents / 100:,.2f}" if cents < 0 else f"${cents / 100:,.2f}"


def plain(cents: int) -> str:
    """"1,234.56" (as written after a dollar sign a template already has)."""
    return f"{cents / 100:,.2f}"


def number(cents: int) -> int | float:
    """The amount as a sheet stores a typed number: 1555.5, or 2040 when whole."""
    return cents // 100 if cents % 100 == 0 else cents / 100
