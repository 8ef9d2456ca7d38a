"""What a case cost in time: a timer to start and stop, and minutes logged by hand.

One timer runs per case, and an agent runs one timer at a time: starting one on another
case stops theirs first (:func:`running_for`, which the screen and the command line
ask). The timer lives in the case (``timer_started_at``, ``timer_by``), so it survives a
restart, a crash and another machine: stopped later, it counts from when it started. An
entry holds at most :data:`~workbench.domain.limits.MAX_MINUTES`; a timer left running
overnight is stopped at that and says so on the timeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from workbench.domain.errors import DomainError
from workbench.domain.limits import MAX_MINUTES
from workbench.domain.model import Case, Event, EventKind, TimeSpent
from workbench.domain.moments import time_of_day


def minutes_words(minutes: int) -> str:
    """``25m``, ``1h 05m``, ``12h``: time spent, short."""
    hours, rest = divmod(max(0, minutes), 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest:02d}m" if rest else f"{hours}h"


def elapsed_between(start: datetime, end: datetime) -> timedelta:
    """Real time from ``start`` to ``end``: counted in UTC, so a clock change for summer
    time in between adds or takes no hour (two times of one zone object subtract as wall
    clocks)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _log(case: Case, now: datetime, text: str) -> None:
    case.timeline.append(Event(now, EventKind.TIME, text))


def running_for(cases: Iterable[Case], agent: str) -> Case | None:
    """The case ``agent``'s timer runs on, if any."""
    for case in cases:
        if case.timer_started_at is not None and case.timer_by == agent:
            return case
    return None


def start_timer(case: Case, now: datetime, agent: str) -> datetime:
    """Start ``agent``'s timer on ``case`` (returns when it started); refused when a timer
    already runs on it."""
    if case.timer_started_at is not None:
        whose = "your" if case.timer_by == agent else f"{case.timer_by or 'another'}'s"
        raise DomainError(
            f"{case.id} already has {whose} timer running, since "
            f"{time_of_day(case.timer_started_at)}."
        )
    case.timer_started_at = now
    case.timer_by = agent
    _log(case, now, "Timer started")
    return now


def stop_timer(case: Case, now: datetime, step: str = "") -> TimeSpent:
    """Stop the case's timer and keep what it timed (at least a minute; at most
    :data:`MAX_MINUTES`). Refused when no timer runs on it."""
    started = case.timer_started_at
    if started is None:
        raise DomainError(f"No timer runs on {case.id}.")
    elapsed = max(elapsed_between(started, now), timedelta(0))
    minutes = max(1, round(elapsed.total_seconds() / 60))
    capped = minutes > MAX_MINUTES
    entry = TimeSpent(started, min(minutes, MAX_MINUTES), case.timer_by, step)
    case.time_spent.append(entry)
    case.timer_started_at = None
    case.timer_by = ""
    text = f"Timer stopped: {minutes_words(entry.minutes)}"
    if capped:
        text += f" (it ran {minutes_words(minutes)}; one entry holds at most {MAX_MINUTES // 60} h)"
    _log(case, now, text)
    return entry


def log_time(case: Case, minutes: int, now: datetime, agent: str, step: str = "") -> TimeSpent:
    """Keep ``minutes`` spent on ``case`` (on one of its steps, by key), just now."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise DomainError(
            f"Log from 1 to {MAX_MINUTES} minutes at a time ({MAX_MINUTES // 60} h), not {minutes}."
        )
    if step and not any(item.key == step for item in case.steps):
        raise DomainError(f"{case.id} has no step “{step}”.")
    began = (now.astimezone(UTC) - timedelta(minutes=minutes)).astimezone(now.tzinfo)
    entry = TimeSpent(began, minutes, agent, step)
    case.time_spent.append(entry)
    title = next((item.title for item in case.steps if item.key == step), "")
    on = f" on “{title}”" if title else ""
    _log(case, now, f"Time logged{on}: {minutes_words(minutes)}")
    return entry


_MINUTES = re.compile(
    r"(?P<minutes>[0-9]{1,4})\s*(?:m|min|mins|minutes?)?"
    r"|(?P<hours>[0-9]{1,2}(?:\.[0-9]{1,2})?)\s*h(?:ours?|rs?)?"
    r"(?:\s*(?P<and>[0-9]{1,2})\s*(?:m|min|mins|minutes?)?)?"
    r"|(?P<clock_h>[0-9]{1,2}):(?P<clock_m>[0-5][0-9])",
    re.ASCII,
)


def parse_minutes(text: str) -> int:
    """Minutes as typed: ``25``, ``25m``, ``1h``, ``1h 30m``, ``1.5h``, ``1:30``. ASCII
    digits only, minutes after hours below 60; anything else is refused in words."""
    found = _MINUTES.fullmatch(text.strip().lower())
    if found is None:
        raise DomainError(
            f"“{text.strip()}” is not a number of minutes; write 25, 25m, 1h 30m or 1:30."
        )
    if found["minutes"] is not None:
        return int(found["minutes"])
    if found["hours"] is not None:
        extra = int(found["and"]) if found["and"] else 0
        if extra >= 60:
            raise DomainError(f"“{text.strip()}”: after the hours, write fewer than 60 minutes.")
        return round(float(found["hours"]) * 60) + extra
    return int(found["clock_h"]) * 60 + int(found["clock_m"])
