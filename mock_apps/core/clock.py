"""The simulated clock of a world: frozen at the scenario's "now", stepped once per state change."""

from __future__ import annotations

from datetime import datetime, timezone

from mock_apps.core.errors import BadRequest

DEFAULT_STEP_SECONDS = 5
CLOCK_DDL = (
    "CREATE TABLE IF NOT EXISTS {schema}clock (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "now_us INTEGER NOT NULL, step_us INTEGER NOT NULL, timezone TEXT NOT NULL)"
)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    if moment.tzinfo is None:
        raise BadRequest("the clock needs a timezone-aware time (for example 2026-03-31T15:30:00-05:00)")
    return int(moment.timestamp() * 1_000_000)


def from_us(us: int) -> datetime:
    """An aware UTC datetime from microseconds since the epoch."""
    return datetime.fromtimestamp(us / 1_000_000, tz=timezone.utc)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant given to the control API, with a clear error."""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"'now' must be an ISO 8601 time such as 2026-03-31T15:30:00-05:00, not {text!r}") from None
    if moment.tzinfo is None:
        raise BadRequest(f"'now' must include a timezone offset, for example {text}Z")
    return moment


def read_clock(conn, schema: str = "world.") -> tuple[datetime, int, str]:
    """The clock's (now, step seconds, timezone) through a DB-API or SQLAlchemy connection."""
    row = conn.execute(f"SELECT now_us, step_us, timezone FROM {schema}clock WHERE id = 1").fetchone()
    return from_us(row[0]), row[1] // 1_000_000, row[2]
