"""Slack-style message timestamps ("1774990200.000001"): ids derived from the world's clock.

A message's `ts` is its id within the workspace. Slack's are "<unix seconds>.<6 digits>"; the mock
takes the seconds from the simulated clock (`db.now()` or a seeded instant) and numbers messages
within one second with the 6-digit suffix, so ids are unique, sortable as text of equal length, and
identical on every replay. The wall clock is never read.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from mock_apps.core.errors import BadRequest

TS_PATTERN = re.compile(r"^\d{10}\.\d{6}$")
_MAX_SEQ = 999_999


def ts_seconds(moment: datetime) -> int:
    """Whole unix seconds of an aware instant."""
    if moment.tzinfo is None:
        raise ValueError("a message time must be timezone-aware")
    return int(moment.timestamp())


def make_ts(moment: datetime, latest_in_second: str | None) -> str:
    """The next ts at this instant, given the largest ts already taken in the same second (or None)."""
    seconds = ts_seconds(moment)
    seq = 1
    if latest_in_second is not None:
        taken_seconds, taken_seq = parse_ts(latest_in_second)
        if taken_seconds != seconds:
            raise ValueError(f"{latest_in_second!r} is not in second {seconds}")
        seq = taken_seq + 1
    if seq > _MAX_SEQ:
        raise ValueError(f"more than {_MAX_SEQ} messages in second {seconds}")
    return f"{seconds:010d}.{seq:06d}"


def second_prefix(moment: datetime) -> str:
    """The "<seconds>." prefix all ts values of this instant's second share (for a LIKE lookup)."""
    return f"{ts_seconds(moment):010d}."


def parse_ts(ts: str) -> tuple[int, int]:
    """(seconds, sequence) of a well-formed ts; BadRequest ("invalid_ts") otherwise."""
    if not isinstance(ts, str) or not TS_PATTERN.match(ts):
        raise BadRequest(f"{str(ts)[:40]!r} is not a message timestamp like 1774990200.000001", code="invalid_ts")
    seconds, seq = ts.split(".")
    return int(seconds), int(seq)


def ts_time(ts: str) -> datetime:
    """The aware UTC instant a ts stands for (its second)."""
    return datetime.fromtimestamp(parse_ts(ts)[0], tz=timezone.utc)
