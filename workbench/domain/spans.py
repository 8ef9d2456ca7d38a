"""Lengths of time, read as a person writes them and written as a person says them.

A target in the settings is written ``"90m"``, ``"4h"``, ``"2 days"`` or ``"1d 12h"``
(:func:`parse_span`) and shown back exactly (:func:`span_words`); a measured length, such
as how late a case is, is rounded to two units (:func:`duration_words`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from workbench.domain.errors import DomainError
from workbench.domain.text import visible

SHORTEST = timedelta(minutes=5)
LONGEST = timedelta(days=365)
"""A target runs from five minutes to a year."""

UNITS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(days=7),
}
"""A length's unit by its first letter: minutes, hours, days, weeks."""
_SPAN = re.compile(
    r"(\d{1,5})\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)(?![a-z])",
    re.IGNORECASE | re.ASCII,
)


def parse_span(text: str) -> timedelta:
    """A target as written: ``"90m"``, ``"4h"``, ``"2 days"``, ``"1w"``, or several
    (``"1d 12h"``); from :data:`SHORTEST` to :data:`LONGEST`."""
    words = text.strip()
    parts = list(_SPAN.finditer(words))
    if not parts or _SPAN.sub("", words).strip(" ,") or not words:
        raise DomainError(
            f"“{visible(text)}” is not a length of time; write it like 90m, 4h, 2d or 1w."
        )
    total = timedelta(0)
    for part in parts:
        number, unit = int(part.group(1)), part.group(2)[0].lower()
        total += number * UNITS[unit]
    if not SHORTEST <= total <= LONGEST:
        raise DomainError("A target runs from 5 minutes to 365 days.")
    return total


def span_words(span: timedelta) -> str:
    """A target's length as a person says it, exactly: "1h", "4h", "2d", "1d 12h", "90m"."""
    minutes = int(span.total_seconds()) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return " ".join(part for part in parts if part) or "0m"


def duration_words(span: timedelta | None) -> str:
    """A duration the way a person says it, two units at most: "45m", "2h 10m", "3d 4h".

    Rounded down to the minute; under a minute is "0m"; None (no data) is "—".
    """
    if span is None:
        return "—"
    minutes = max(0, int(span.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m"
