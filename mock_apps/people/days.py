"""Days on the world's clock in the company's timezone: today, a stored instant's date, business days, weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from mock_apps.core.database import WorldSession


def local_date(db: WorldSession, moment: datetime) -> date:
    """The company-time date of an instant (SQLite hands stored instants back without their UTC zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(db.timezone()).date()


def today(db: WorldSession) -> date:
    """The world's date in company time."""
    return local_date(db, db.now())


def business_days(start: date, end: date) -> list[date]:
    """Monday-to-Friday days from start to end, both included."""
    days, d = [], start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def week_start(d: date) -> date:
    """The Monday of d's week."""
    return d - timedelta(days=d.weekday())
