"""Follow-ups to be reminded of: those falling due within a window from now, and those
already overdue, whatever the case's status (the call to check a resolved case stays
fixed is a promise too, and a closed case may keep one). A reminder is known by its database, case,
follow-up and due time, so one moved to a new time is reminded of again, and one
reminded of once is not repeated (:func:`reminder_key`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from workbench.domain.errors import DomainError
from workbench.domain.model import Case
from workbench.domain.moments import relative
from workbench.domain.spans import UNITS
from workbench.domain.text import visible

MOST_WINDOW = timedelta(days=7)
"""The widest window a reminder looks ahead."""
_WINDOW = re.compile(r"(\d{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?)", re.IGNORECASE)


@dataclass(frozen=True)
class Reminder:
    case_id: str
    customer: str
    followup: int
    due: datetime
    action: str

    def overdue(self, now: datetime) -> bool:
        return self.due < now


def parse_window(text: str) -> timedelta:
    """``15m``, ``1h``, ``2 days``: how far ahead to look, a minute to a week."""
    found = _WINDOW.fullmatch(text.strip())
    if found is None:
        raise DomainError(f"“{visible(text)}” is not a time ahead; write it like 15m, 2h or 1d.")
    window = int(found.group(1)) * UNITS[found.group(2)[0].lower()]
    if not timedelta(minutes=1) <= window <= MOST_WINDOW:
        raise DomainError("Look ahead between one minute and a week (1m to 7d).")
    return window


_EVERY = re.compile(r"(?:every\s+)?(?:(\d{1,3})\s*)?(d|days?|w|weeks?|daily|weekly)", re.IGNORECASE)


def parse_every(text: str) -> int:
    """``every week``, ``3d``, ``2 weeks``, ``daily``: a series' gap, in days."""
    found = _EVERY.fullmatch(text.strip())
    if found is None:
        raise DomainError(
            f"“{visible(text)}” is not a repeat; write it like every week, 3d or 2 weeks."
        )
    number = int(found.group(1) or 1)
    if number == 0:
        raise DomainError("Repeat every day or more: 0 would be no gap at all.")
    unit = found.group(2).lower()
    return number * (7 if unit.startswith("w") else 1)


_TIMES = re.compile(r"(.*?)[\s,]+(?:(\d{1,3})\s*(?:times|x)|x\s*(\d{1,3}))", re.IGNORECASE)


def gap_words(days: int) -> str:
    """A series' gap as said after "every": "day", "3 days", "week", "2 weeks"."""
    if days % 7 == 0:
        weeks = days // 7
        return "week" if weeks == 1 else f"{weeks} weeks"
    return "day" if days == 1 else f"{days} days"


def parse_series(text: str) -> tuple[int, int | None]:
    """A series as typed in the follow-up form: ``every week``, ``3d, 4 times``, ``every
    2 weeks x6``: the gap in days, and how many follow-ups in all (None: until the case
    is resolved)."""
    found = _TIMES.fullmatch(text.strip())
    if found is None:
        return parse_every(text), None
    times = int(found.group(2) or found.group(3))
    return parse_every(found.group(1)), times


def due_reminders(cases: Iterable[Case], now: datetime, within: timedelta) -> list[Reminder]:
    """Every follow-up not done or cancelled, due before ``now + within`` (overdue ones
    too), the soonest first."""
    return _due_between(cases, None, now + within)


def fell_due(cases: Iterable[Case], since: datetime, now: datetime) -> list[Reminder]:
    """Follow-ups not done or cancelled that fell due after ``since``, up to ``now``, the
    soonest first."""
    return _due_between(cases, since, now)


def _due_between(cases: Iterable[Case], since: datetime | None, until: datetime) -> list[Reminder]:
    """Open follow-ups due after ``since`` (None: any time) up to ``until``, the soonest
    first: one pass over every case's follow-ups, no sorting of each case's (the screen
    asks every few seconds)."""
    found = [
        Reminder(case.id, case.customer, item.id, item.due, item.action)
        for case in cases
        for item in case.followups
        if item.due <= until and (since is None or since < item.due) and item.is_open
    ]
    return sorted(found, key=lambda r: (r.due, r.case_id, r.followup))


def reminder_key(database: str, reminder: Reminder) -> str:
    """What a reminder is remembered by: a moved follow-up is a new reminder."""
    return f"{database}\n{reminder.case_id}\nF{reminder.followup}\n{reminder.due.isoformat()}"


def when_words(reminder: Reminder, now: datetime) -> str:
    """ "due today 15:00" or "overdue 2h", in now's time zone."""
    said = relative(reminder.due, now)
    return said if said.startswith("overdue") else f"due {said}"


def notification(reminders: list[Reminder], now: datetime) -> tuple[str, str]:
    """A desktop notification's title and body (plain text, one line each reminder): one
    reminder is named in the title; several are counted there and listed, five at most."""
    if len(reminders) == 1:
        only = reminders[0]
        title = f"{only.case_id} {visible(only.customer)}: {when_words(only, now)}"
        return title, visible(only.action)
    title = f"{len(reminders)} follow-ups due or overdue"
    lines = [
        f"{r.case_id} {visible(r.customer)}: {visible(r.action)} ({when_words(r, now)})"
        for r in reminders[:5]
    ]
    if len(reminders) > 5:
        lines.append(f"and {len(reminders) - 5} more: workbench remind shows them all")
    return title, "\n".join(lines)
