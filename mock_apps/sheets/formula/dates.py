"""Excel date serial numbers (1900 date system, including its fictitious 29 Feb 1900)."""

from __future__ import annotations

import re
from datetime import date, timedelta

_EPOCH = date(1899, 12, 30)  # serial 0 for dates after the fictitious 1900-02-29
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MAX_SERIAL = 2958465  # 9999-12-31


def date_to_serial(d: date) -> int:
    """Excel serial of a date (1 = 1900-01-01; 60 is the non-existent 1900-02-29)."""
    serial = (d - _EPOCH).days
    if serial < 61:
        serial -= 1  # dates before 1 March 1900 sit before Excel's phantom leap day
    return serial


def serial_to_ymd(serial: float) -> tuple[int, int, int]:
    """Year, month and day of a serial (60 gives 1900-02-29 like Excel)."""
    n = int(serial)
    if n == 60:
        return (1900, 2, 29)
    if n == 0:
        return (1900, 1, 0)
    d = serial_to_date(n)
    return (d.year, d.month, d.day)


def serial_to_date(serial: float) -> date:
    """The calendar date of a serial (serial 60 maps to 1900-02-28)."""
    n = int(serial)
    if n < 61:
        n += 1
    return _EPOCH + timedelta(days=n)


def make_serial(year: int, month: int, day: int) -> int | None:
    """DATE(year, month, day) with Excel's overflow rules; None when out of range."""
    if 0 <= year < 1900:
        year += 1900
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if year < 1900 or year > 9999:
        return None
    serial = date_to_serial(date(year, month, 1)) + day - 1
    if serial < 0 or serial > MAX_SERIAL:
        return None
    return serial


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_NAMED = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{2}|\d{4})$")


def parse_date(text: str) -> int | None:
    """Serial of a date typed as text (2026-01-31, 1/31/2026, Jan 31, 2026, 31-Jan-2026), else None."""
    s = text.strip()
    y = m = d = None
    if mt := _ISO.match(s):
        y, m, d = int(mt[1]), int(mt[2]), int(mt[3])
    elif mt := _US.match(s):
        m, d, y = int(mt[1]), int(mt[2]), int(mt[3])
    elif mt := _NAMED.match(s):
        m, d, y = _MONTHS.get(mt[1][:3].lower()), int(mt[2]), int(mt[3])
    elif mt := _DMY.match(s):
        d, m, y = int(mt[1]), _MONTHS.get(mt[2][:3].lower()), int(mt[3])
    if y is None or m is None or d is None:
        return None
    if y < 100:
        y += 2000 if y < 30 else 1900  # Excel's two-digit-year window
    try:
        return date_to_serial(date(y, m, d))
    except ValueError:
        return None
