"""The date reader's grammar: the forms of a date and a time it knows, and how each is read.

A normalised text (lower case, single spaces: :func:`workbench.domain.dates.parse_when` does
that) is tried whole against the instants ("now", "in 2 hours"), then cut into a day part
and a time part every way it can be, each part matched whole against the tables below.
What matches nothing is for :mod:`workbench.domain.dates` to explain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeVar

from dateutil.relativedelta import relativedelta

from workbench.domain import limits
from workbench.domain.date_words import (
    COUNT_WORDS,
    DAY_EXAMPLES,
    DAY_STEPS,
    MONTHS,
    NAMED_CLOCKS,
    NAMED_DAYS,
    TIME_EXAMPLES,
    TIME_STEPS,
    UNITS,
    WEEKDAYS,
    Clock,
    LazyPattern,
    Unreadable,
    alternatives,
)
from workbench.domain.months import MONTH_NAMES, days_in_month

_GRACE = timedelta(seconds=60)  # a time this close behind now is not "in the past"
_MIN_YEAR, _MAX_YEAR = limits.EARLIEST_YEAR, limits.LATEST_YEAR


@dataclass(frozen=True)
class Context:
    """What a text is read against: now, and the reader's settings."""

    now: datetime
    allow_past: bool
    day_first: bool  # "1/12" is 1 December; with False it is 12 January
    default_clock: Clock  # a day given without a time gets this time

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def zone(self) -> tzinfo | None:
        return self.now.tzinfo


_InstantReader = Callable[[re.Match[str], Context], datetime]
_DayReader = Callable[[re.Match[str], Context, Clock], datetime]
_ClockReader = Callable[[re.Match[str]], Clock]
_Reader = TypeVar("_Reader")


def is_past(when: datetime, now: datetime) -> bool:
    """Whether ``when`` is behind ``now``, by more than a minute's grace."""
    return when < now - _GRACE


def _on(day: date, clock: Clock, ctx: Context) -> datetime:
    """The wall-clock time ``clock`` on ``day`` in now's zone, moved past any clock-change gap."""
    if clock.next_day:
        day += timedelta(days=1)
    from dateutil.tz import resolve_imaginary  # loaded when a date is first read: 40 ms

    return resolve_imaginary(datetime.combine(day, time(clock.hour, clock.minute), tzinfo=ctx.zone))


def _first_not_past(days: Sequence[date], clock: Clock, ctx: Context) -> datetime:
    """The first of ``days`` whose time is not past, else the last (the caller refuses it)."""
    times = [_on(day, clock, ctx) for day in days]
    return next((when for when in times if not is_past(when, ctx.now)), times[-1])


# ---------------------------------------------------------------------------------------------
# Amounts of time: "in 3 days", "+2h", "2 days ago", "-3d"

_COUNT = rf"(?:(?P<n>\d{{1,4}})\s*|(?P<word>{alternatives(COUNT_WORDS)})\s+)"


def _amount_forms(units: Collection[str]) -> list[str]:
    unit = rf"(?P<unit>{alternatives(name for name, u in UNITS.items() if u in units)})"
    return [
        rf"in\s+{_COUNT}{unit}",
        rf"{_COUNT}{unit}\s+from\s+now",
        rf"\+\s*{_COUNT}{unit}",
        rf"{_COUNT}{unit}\s+ago",
        rf"-\s*{_COUNT}{unit}",
    ]


def _signed_count(match: re.Match[str]) -> int:
    count = int(match["n"]) if match["n"] is not None else COUNT_WORDS[match["word"]]
    backwards = match[0].startswith("-") or match[0].endswith("ago")
    return -count if backwards else count


def _read_now(match: re.Match[str], ctx: Context) -> datetime:
    return ctx.now.replace(second=0, microsecond=0)


def _read_time_amount(match: re.Match[str], ctx: Context) -> datetime:
    span = TIME_STEPS[UNITS[match["unit"]]] * _signed_count(match)
    exact = (ctx.now.astimezone(UTC) + span).astimezone(ctx.zone)
    return exact.replace(second=0, microsecond=0)


def _read_day_amount(match: re.Match[str], ctx: Context, clock: Clock) -> datetime:
    step = DAY_STEPS[UNITS[match["unit"]]] * _signed_count(match)
    return _on(ctx.today + step, clock, ctx)


# ---------------------------------------------------------------------------------------------
# Days: "tomorrow", "next fri", "dec 3", "3rd of december", "2026-12-01", "1/12/27"


def _read_named_day(match: re.Match[str], ctx: Context, clock: Clock) -> datetime:
    return _on(ctx.today + timedelta(days=NAMED_DAYS[match[0]]), clock, ctx)


def _read_weekday(match: re.Match[str], ctx: Context, clock: Clock) -> datetime:
    day = WEEKDAYS[match["weekday"]]
    if match["which"] == "next":
        return _on(ctx.today + relativedelta(days=+1, weekday=day(+1)), clock, ctx)
    if match["which"] == "last":
        return _on(ctx.today + relativedelta(days=-1, weekday=day(-1)), clock, ctx)
    coming = ctx.today + relativedelta(weekday=day(+1))  # today, if today is that day
    return _first_not_past([coming, coming + timedelta(weeks=1)], clock, ctx)


def _days_in(month: int, year: int | None) -> int:
    """Days in a month; February has 29 when no year is given."""
    return days_in_month(2000 if year is None else year, month)  # 2000 had a 29 February


def _check_day(day: int, month: int, year: int | None) -> None:
    if not 1 <= month <= 12:
        raise Unreadable(f"there is no month {month}", DAY_EXAMPLES)
    if day < 1:
        raise Unreadable(f"there is no day {day}", DAY_EXAMPLES)
    if day > (most := _days_in(month, year)):
        name = MONTH_NAMES[month - 1] + ("" if year is None else f" {year}")
        raise Unreadable(f"{name} has only {most} days", DAY_EXAMPLES)


def _read_year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text) + (2000 if len(text) == 2 else 0)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise Unreadable(
            f"I only handle the years {_MIN_YEAR} to {_MAX_YEAR}, not {year}", DAY_EXAMPLES
        )
    return year


def _year_meant(month: int, ctx: Context) -> int:
    """The year a day of ``month`` named without one falls in: this year's, or next year's
    once the month is past (this year's where past dates are allowed)."""
    if ctx.allow_past or month >= ctx.today.month:
        return ctx.today.year
    return ctx.today.year + 1


def _calendar_day(day: int, month: int, year: int | None, ctx: Context, clock: Clock) -> datetime:
    if year is None and month == 2 and day > _days_in(month, None):
        # "31/02": no February has it; the refusal names the February that was meant
        # (February 2027 has 28 days, not 29).
        _check_day(day, month, _year_meant(month, ctx))
    _check_day(day, month, year)
    if year is not None:
        return _on(date(year, month, day), clock, ctx)
    years = range(ctx.today.year, ctx.today.year + 9)  # nine years always hold a 29 February
    candidates = [date(y, month, day) for y in years if day <= _days_in(month, y)]
    return _first_not_past(candidates[:1] if ctx.allow_past else candidates, clock, ctx)


def _read_day_month(match: re.Match[str], ctx: Context, clock: Clock) -> datetime:
    month = MONTHS.get(match["month"]) or int(match["month"])
    return _calendar_day(int(match["day"]), month, _read_year(match["year"]), ctx, clock)


def _read_numeric_date(match: re.Match[str], ctx: Context, clock: Clock) -> datetime:
    first, second = int(match["first"]), int(match["second"])
    day_first = ctx.day_first
    day, month = (first, second) if day_first else (second, first)
    try:
        return _calendar_day(day, month, _read_year(match["year"]), ctx, clock)
    except Unreadable as problem:
        order = "day/month" if day_first else "month/day"
        reason = f'{problem.reason} (I read "{match[0]}" as {order})'
        raise Unreadable(reason, problem.examples) from None


# ---------------------------------------------------------------------------------------------
# Times of day: "10am", "2:30pm", "14:00", "noon", "midnight", "eod"


def _checked_clock(hour: int, minute: int) -> Clock:
    if not 0 <= hour <= 23:
        raise Unreadable(f"there is no hour {hour} (hours run from 0 to 23)", TIME_EXAMPLES)
    if not 0 <= minute <= 59:
        raise Unreadable(f"there is no minute {minute} (minutes run from 00 to 59)", TIME_EXAMPLES)
    return Clock(hour, minute)


def _read_12_hour(match: re.Match[str]) -> Clock:
    hour, half = int(match["hour"]), match["half"]
    if not 1 <= hour <= 12:
        raise Unreadable(
            f"there is no {hour}{half}m (with am or pm the hour runs from 1 to 12)",
            TIME_EXAMPLES,
        )
    return _checked_clock(hour % 12 + (12 if half == "p" else 0), int(match["minute"] or 0))


def _read_24_hour(match: re.Match[str]) -> Clock:
    if match["second"] is not None and int(match["second"]) > 59:
        raise Unreadable(f"there is no second {match['second']}", TIME_EXAMPLES)
    return _checked_clock(int(match["hour"]), int(match["minute"]))


def _read_bare_hour(match: re.Match[str]) -> Clock:
    return _checked_clock(int(match["hour"]), 0)


def _read_named_clock(match: re.Match[str]) -> Clock:
    return NAMED_CLOCKS[match[0]]


# ---------------------------------------------------------------------------------------------
# The pattern tables. Each pattern must match a whole part of the (normalised) text.

_DAY = r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?"
MONTH_WORDS = alternatives(MONTHS)
_MONTH = rf"(?P<month>{MONTH_WORDS})"
_YEAR = r"(?:\s+(?P<year>\d{4}))?"

_INSTANTS: tuple[tuple[LazyPattern, _InstantReader], ...] = (
    (LazyPattern(r"(?:right\s+)?now"), _read_now),
    *((LazyPattern(form), _read_time_amount) for form in _amount_forms(TIME_STEPS)),
)

_DAYS: tuple[tuple[LazyPattern, _DayReader], ...] = (
    (LazyPattern(alternatives(NAMED_DAYS)), _read_named_day),
    (
        LazyPattern(rf"(?:(?P<which>next|last|this)\s+)?(?P<weekday>{alternatives(WEEKDAYS)})"),
        _read_weekday,
    ),
    (LazyPattern(rf"{_MONTH}\s*{_DAY}{_YEAR}"), _read_day_month),
    (LazyPattern(rf"{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}"), _read_day_month),
    (LazyPattern(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"), _read_day_month),
    (
        LazyPattern(r"(?P<first>\d{1,2})/(?P<second>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?"),
        _read_numeric_date,
    ),
    *((LazyPattern(form), _read_day_amount) for form in _amount_forms(DAY_STEPS)),
)

_CLOCKS: tuple[tuple[LazyPattern, _ClockReader], ...] = (
    (LazyPattern(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m"), _read_12_hour),
    (LazyPattern(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"), _read_24_hour),
    (LazyPattern(alternatives(NAMED_CLOCKS)), _read_named_clock),
)

# After a day, a bare number is an hour: "mon 9". Never on its own: "3" alone is refused.
_HOURS_AFTER_A_DAY: tuple[tuple[LazyPattern, _ClockReader], ...] = (
    (LazyPattern(r"(?P<hour>\d{1,2})"), _read_bare_hour),
)


def _first_match(
    table: Sequence[tuple[LazyPattern, _Reader]], text: str
) -> tuple[re.Match[str], _Reader] | None:
    for pattern, reader in table:
        if (match := pattern.fullmatch(text)) is not None:
            return match, reader
    return None


def find_day(text: str) -> tuple[re.Match[str], _DayReader] | None:
    """The day form ``text`` is, whole ("on" before it allowed), and its reader."""
    return _first_match(_DAYS, text.removeprefix("on "))


def find_clock(text: str, after_day: bool) -> tuple[re.Match[str], _ClockReader] | None:
    """The time form ``text`` is, whole ("at" before it allowed; a bare hour only
    ``after_day``), and its reader."""
    text = text.removeprefix("at ")
    found = _first_match(_CLOCKS, text)
    if found is None and after_day:
        found = _first_match(_HOURS_AFTER_A_DAY, text)
    return found


def _readings(text: str) -> Iterator[tuple[str, str, bool]]:
    """Ways to cut the text into (day part, time part, time comes after the day), best first."""
    yield text, "", False
    yield "", text, False
    words = text.split(" ")
    cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    for head, tail in cuts:
        yield head, tail, True
    for head, tail in cuts:
        yield tail, head, False


def interpret(text: str, ctx: Context) -> datetime | None:
    """The time a normalised text names, or None when it is none of the forms known."""
    instant = _first_match(_INSTANTS, text)
    if instant is not None:
        match, read_instant = instant
        return read_instant(match, ctx)
    for day_text, clock_text, after_day in _readings(text):
        day = find_day(day_text) if day_text else None
        clock = find_clock(clock_text, after_day) if clock_text else None
        if (day_text and day is None) or (clock_text and clock is None):
            continue
        time_of_day = ctx.default_clock if clock is None else clock[1](clock[0])
        if day is None:  # a time on its own: today if still ahead, else tomorrow
            return _first_not_past([ctx.today, ctx.today + timedelta(days=1)], time_of_day, ctx)
        return day[1](day[0], ctx, time_of_day)
    return None
