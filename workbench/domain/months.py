"""The calendar's months and weeks: their names, their lengths, moving by whole months, and
the six weeks a month view shows.

Plain arithmetic on :class:`~datetime.date`; writing dates for people is
:mod:`workbench.domain.moments`' work, reading what they type :mod:`workbench.domain.dates`'.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = [
    "DAY_NAMES",
    "GRID_DAYS",
    "MONTH_NAMES",
    "days_in_month",
    "grid_days",
    "shift_month",
]

MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
"""The months' names in English, January first (``MONTH_NAMES[month - 1]``)."""

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The weekdays' short names in English, Monday first (``DAY_NAMES[day.weekday()]``)."""

GRID_DAYS = 42
"""Six weeks: a month view of this many days keeps its height whatever the month."""


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has: 28 to 31."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def shift_month(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the length of that month.

    Raises ValueError past year 1 or 9999, as :class:`~datetime.date` does.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def grid_days(year: int, month: int, first_weekday: int) -> list[date]:
    """The 42 days (six weeks) a month grid shows, starting on ``first_weekday`` (0 = Monday)."""
    first = date(year, month, 1)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    return [start + timedelta(days=n) for n in range(GRID_DAYS)]
