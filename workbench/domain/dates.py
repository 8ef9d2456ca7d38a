"""Reading the dates agents type, and showing dates back to them.

:func:`parse_when` turns what an agent types ("tomorrow 10am", "in 3 days", "fri 2pm") into an
exact, timezone-aware time. :func:`describe`, :func:`relative` and :func:`age` turn times back
into short text for previews, case lists and timelines.

What you can type
-----------------
Upper or lower case, extra spaces and commas are fine.

* Right now: ``now``.
* A time on its own: ``10am``, ``2:30pm``, ``10:30``, ``14:00``, ``noon``, ``midnight``,
  ``eod`` or ``end of day`` (17:00).
* A day: ``today``, ``tomorrow``, ``yesterday``, a weekday (``friday``, ``fri``,
  ``this friday``, ``next friday``, ``last monday``), a day and a month (``dec 3``, ``3 dec``,
  ``december 3rd``, ``3rd of december``), with a year (``dec 3 2026``), ``2026-12-01``,
  ``1/12``, ``1/12/2027`` or ``1/12/27``.
* A day and a time, with or without "at": ``tomorrow 10am``, ``dec 3 at 10am``,
  ``fri 14:30``, ``2026-12-01 09:30``, ``2026-12-01T09:30``. The time may come first:
  ``10am tomorrow``, ``3pm on friday``. After a day, a number on its own is an hour on the
  24-hour clock: ``mon 9`` is Monday 09:00, ``mon 21`` is Monday 21:00.
* An amount of time from now: ``in 30 minutes``, ``in 2 hours``, ``in 3 days``, ``in a week``,
  ``in three weeks``, ``in 2 months``, ``2 days from now``, or short: ``+30m``, ``+3h``,
  ``+2d``, ``+1w``. The count is a number, "a"/"an" or a word from one to twelve.
  Into the past, where past dates are allowed: ``2 days ago``, ``-3d``, ``3 hours ago``.

Rules
-----
1. A day without a time gets the default time (09:00 unless the settings say otherwise).
2. Minutes and hours from now are exact: "in 2 hours" is 120 real minutes later, even across a
   clock change. Days, weeks and months count days on the calendar and get the default time:
   "in 3 days" said on Monday afternoon is Thursday 09:00; "in 1 month" on 31 January is the
   last day of February.
3. A weekday means the next such day. If it names today, today is used when the time is still
   ahead, otherwise the same day next week. "this friday" is the same as "friday".
   "next friday" is always the first Friday after today (on a Monday, the coming Friday);
   "last friday" is the latest Friday before today.
4. A day and month without a year ("dec 3", "1/12") is this year, or next year if that time has
   already passed this year (29 February: the next one to come). Where past dates are allowed
   it stays in this year.
5. A time on its own is today if it is still ahead, otherwise tomorrow.
6. "1/12" is read day/month (1 December) unless the settings say month/day (then 12 January).
   A two-digit year is in this century: "1/12/27" is in 2027.
7. "noon" is 12:00. "midnight" is the end of the day named, that is 00:00 of the next day:
   "midnight" alone is tonight's, "fri midnight" is where Friday ends. "12am" is 00:00 at the
   start of the day. "eod" and "end of day" are 17:00.
8. Day arithmetic keeps the wall clock: "tomorrow 10am" is 10:00 local even when the clocks
   change overnight. A time skipped by the clocks going forward moves forward by the gap
   (01:30 on a night the clocks jump from 01:00 to 02:00 becomes 02:30).
9. A time more than a minute before now is refused, naming the time understood, unless past
   dates are allowed (as for export date ranges).
10. Impossible dates and times ("2026-02-30", "32/1", "25pm", "13:75") are refused, naming the
    wrong part; so are years before 1900 or after 2199 (:mod:`limits`), typed or reached.
11. Every refusal says what was not understood and gives two examples that work.

The result is always in the time zone of ``now``, with seconds and microseconds zero.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TypeVar

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from workbench.domain import limits

__all__ = ["DateParseError", "DateSettings", "age", "describe", "parse_when", "relative"]


class DateParseError(ValueError):
    """A date that could not be read, or that is in the past.

    Its str() is a full sentence for a person: what was not understood, then two examples that
    work, e.g.: 'Could not read "tomorow" as a date: "tomorow" is not a word I know (did you
    mean tomorrow?). Try "tomorrow 10am" or "in 3 days".'
    """


@dataclass(frozen=True)
class DateSettings:
    """How to read ambiguous dates and what time a bare day gets."""

    day_first: bool = True  # "1/12" is 1 December; with False it is 12 January
    default_hour: int = 9  # a day given without a time gets this time
    default_minute: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.default_hour <= 23:
            raise ValueError(f"default_hour must be 0 to 23, not {self.default_hour}")
        if not 0 <= self.default_minute <= 59:
            raise ValueError(f"default_minute must be 0 to 59, not {self.default_minute}")


_DEFAULT_SETTINGS = DateSettings()

# ---------------------------------------------------------------------------------------------
# Words and limits

_GRACE = timedelta(seconds=60)  # a time this close behind now is not "in the past"
_MAX_LENGTH = 100
_MIN_YEAR, _MAX_YEAR = limits.EARLIEST_YEAR, limits.LATEST_YEAR

_EXAMPLES = ("tomorrow 10am", "in 3 days")
_TIME_EXAMPLES = ("10am", "14:30")
_DAY_EXAMPLES = ("3 dec", "3/12")
_AMOUNT_EXAMPLES = ("in 3 days", "+2h")
_WEEKDAY_EXAMPLES = ("next friday", "mon 9am")
_PAST_EXAMPLES = ("tomorrow 10am", "in 2 hours")

_MONTH_NAMES = (
    "jan january",
    "feb february",
    "mar march",
    "apr april",
    "may",
    "jun june",
    "jul july",
    "aug august",
    "sep sept september",
    "oct october",
    "nov november",
    "dec december",
)
_MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}

_WEEKDAY_NAMES = (
    (MO, "mon monday"),
    (TU, "tue tues tuesday"),
    (WE, "wed weds wednesday"),
    (TH, "thu thur thurs thursday"),
    (FR, "fri friday"),
    (SA, "sat saturday"),
    (SU, "sun sunday"),
)
_WEEKDAYS: dict[str, weekday] = {
    name: day for day, names in _WEEKDAY_NAMES for name in names.split()
}

_NUMBER_WORDS = (
    *("one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)
_COUNT_WORDS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)}

# What one of each unit adds. Minutes and hours are exact spans; the rest are calendar steps.
_TIME_STEPS = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1)}
_DAY_STEPS = {
    "days": relativedelta(days=1),
    "weeks": relativedelta(weeks=1),
    "months": relativedelta(months=1),
}
_UNIT_NAMES = {
    "minutes": "m min mins minute minutes",
    "hours": "h hr hrs hour hours",
    "days": "d day days",
    "weeks": "w wk wks week weeks",
    "months": "mo month months",
}
_UNITS = {name: unit for unit, names in _UNIT_NAMES.items() for name in names.split()}

_NAMED_DAYS = {
    "today": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "yesterday": -1,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}


@dataclass(frozen=True)
class _Clock:
    """A time of day; ``next_day`` for midnight, which ends the day it is said with."""

    hour: int
    minute: int
    next_day: bool = False


_NAMED_CLOCKS = {
    "noon": _Clock(12, 0),
    "midday": _Clock(12, 0),
    "midnight": _Clock(0, 0, next_day=True),
    "eod": _Clock(17, 0),
    "end of day": _Clock(17, 0),
    "end of the day": _Clock(17, 0),
}

_CONNECTORS = "in at on of the next last this ago from now right end day after am pm"
_VOCABULARY = frozenset(
    [*_MONTHS, *_WEEKDAYS, *_COUNT_WORDS, *_UNITS, *_CONNECTORS.split()]
    + [word for phrase in [*_NAMED_DAYS, *_NAMED_CLOCKS] for word in phrase.split()]
)

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_TITLES = tuple(names.split()[-1].title() for names in _MONTH_NAMES)


# ---------------------------------------------------------------------------------------------
# Internal plumbing


class _Unreadable(Exception):
    """Raised inside the parser; parse_when turns it into a DateParseError sentence."""

    def __init__(self, reason: str, examples: tuple[str, str] = _EXAMPLES) -> None:
        super().__init__(reason)
        self.reason = reason
        self.examples = examples


@dataclass(frozen=True)
class _Context:
    now: datetime
    settings: DateSettings
    allow_past: bool

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def zone(self) -> tzinfo | None:
        return self.now.tzinfo

    @property
    def default_clock(self) -> _Clock:
        return _Clock(self.settings.default_hour, self.settings.default_minute)


_InstantReader = Callable[[re.Match[str], _Context], datetime]
_DayReader = Callable[[re.Match[str], _Context, _Clock], datetime]
_ClockReader = Callable[[re.Match[str]], _Clock]
_Reader = TypeVar("_Reader")


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


class _LazyPattern:
    """A regex compiled the first time it is used.

    The grammar below is about twenty large patterns; compiling them all when the module
    loads cost every command (most of which never read a date) about 40 ms.
    """

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, re.ASCII)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern().search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._pattern().sub(replacement, text)


def _compile(pattern: str) -> _LazyPattern:
    return _LazyPattern(pattern)


def _is_past(when: datetime, now: datetime) -> bool:
    return when < now - _GRACE


def _on(day: date, clock: _Clock, ctx: _Context) -> datetime:
    """The wall-clock time ``clock`` on ``day`` in now's zone, moved past any clock-change gap."""
    if clock.next_day:
        day += timedelta(days=1)
    from dateutil.tz import resolve_imaginary  # loaded when a date is first read: 40 ms

    return resolve_imaginary(datetime.combine(day, time(clock.hour, clock.minute), tzinfo=ctx.zone))


def _first_not_past(days: Sequence[date], clock: _Clock, ctx: _Context) -> datetime:
    """The first of ``days`` whose time is not past, else the last (the caller refuses it)."""
    times = [_on(day, clock, ctx) for day in days]
    return next((when for when in times if not _is_past(when, ctx.now)), times[-1])


# ---------------------------------------------------------------------------------------------
# Amounts of time: "in 3 days", "+2h", "2 days ago", "-3d"

_COUNT = rf"(?:(?P<n>\d{{1,4}})\s*|(?P<word>{_alternatives(_COUNT_WORDS)})\s+)"


def _amount_forms(units: Collection[str]) -> list[str]:
    unit = rf"(?P<unit>{_alternatives(name for name, u in _UNITS.items() if u in units)})"
    return [
        rf"in\s+{_COUNT}{unit}",
        rf"{_COUNT}{unit}\s+from\s+now",
        rf"\+\s*{_COUNT}{unit}",
        rf"{_COUNT}{unit}\s+ago",
        rf"-\s*{_COUNT}{unit}",
    ]


def _signed_count(match: re.Match[str]) -> int:
    count = int(match["n"]) if match["n"] is not None else _COUNT_WORDS[match["word"]]
    backwards = match[0].startswith("-") or match[0].endswith("ago")
    return -count if backwards else count


def _read_now(match: re.Match[str], ctx: _Context) -> datetime:
    return ctx.now.replace(second=0, microsecond=0)


def _read_time_amount(match: re.Match[str], ctx: _Context) -> datetime:
    span = _TIME_STEPS[_UNITS[match["unit"]]] * _signed_count(match)
    exact = (ctx.now.astimezone(UTC) + span).astimezone(ctx.zone)
    return exact.replace(second=0, microsecond=0)


def _read_day_amount(match: re.Match[str], ctx: _Context, clock: _Clock) -> datetime:
    step = _DAY_STEPS[_UNITS[match["unit"]]] * _signed_count(match)
    return _on(ctx.today + step, clock, ctx)


# ---------------------------------------------------------------------------------------------
# Days: "tomorrow", "next fri", "dec 3", "3rd of december", "2026-12-01", "1/12/27"


def _read_named_day(match: re.Match[str], ctx: _Context, clock: _Clock) -> datetime:
    return _on(ctx.today + timedelta(days=_NAMED_DAYS[match[0]]), clock, ctx)


def _read_weekday(match: re.Match[str], ctx: _Context, clock: _Clock) -> datetime:
    day = _WEEKDAYS[match["weekday"]]
    if match["which"] == "next":
        return _on(ctx.today + relativedelta(days=+1, weekday=day(+1)), clock, ctx)
    if match["which"] == "last":
        return _on(ctx.today + relativedelta(days=-1, weekday=day(-1)), clock, ctx)
    coming = ctx.today + relativedelta(weekday=day(+1))  # today, if today is that day
    return _first_not_past([coming, coming + timedelta(weeks=1)], clock, ctx)


def _days_in(month: int, year: int | None) -> int:
    """Days in a month; February has 29 when no year is given."""
    if month == 2:
        leap = year is None or (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_day(day: int, month: int, year: int | None) -> None:
    if not 1 <= month <= 12:
        raise _Unreadable(f"there is no month {month}", _DAY_EXAMPLES)
    if day < 1:
        raise _Unreadable(f"there is no day {day}", _DAY_EXAMPLES)
    if day > (most := _days_in(month, year)):
        name = _MONTH_TITLES[month - 1] + ("" if year is None else f" {year}")
        raise _Unreadable(f"{name} has only {most} days", _DAY_EXAMPLES)


def _read_year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text) + (2000 if len(text) == 2 else 0)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _Unreadable(
            f"I only handle the years {_MIN_YEAR} to {_MAX_YEAR}, not {year}", _DAY_EXAMPLES
        )
    return year


def _year_meant(month: int, ctx: _Context) -> int:
    """The year a day of ``month`` named without one falls in: this year's, or next year's
    once the month is past (this year's where past dates are allowed)."""
    if ctx.allow_past or month >= ctx.today.month:
        return ctx.today.year
    return ctx.today.year + 1


def _calendar_day(day: int, month: int, year: int | None, ctx: _Context, clock: _Clock) -> datetime:
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


def _read_day_month(match: re.Match[str], ctx: _Context, clock: _Clock) -> datetime:
    month = _MONTHS.get(match["month"]) or int(match["month"])
    return _calendar_day(int(match["day"]), month, _read_year(match["year"]), ctx, clock)


def _read_numeric_date(match: re.Match[str], ctx: _Context, clock: _Clock) -> datetime:
    first, second = int(match["first"]), int(match["second"])
    day_first = ctx.settings.day_first
    day, month = (first, second) if day_first else (second, first)
    try:
        return _calendar_day(day, month, _read_year(match["year"]), ctx, clock)
    except _Unreadable as problem:
        order = "day/month" if day_first else "month/day"
        reason = f'{problem.reason} (I read "{match[0]}" as {order})'
        raise _Unreadable(reason, problem.examples) from None


# ---------------------------------------------------------------------------------------------
# Times of day: "10am", "2:30pm", "14:00", "noon", "midnight", "eod"


def _checked_clock(hour: int, minute: int) -> _Clock:
    if not 0 <= hour <= 23:
        raise _Unreadable(f"there is no hour {hour} (hours run from 0 to 23)", _TIME_EXAMPLES)
    if not 0 <= minute <= 59:
        raise _Unreadable(
            f"there is no minute {minute} (minutes run from 00 to 59)", _TIME_EXAMPLES
        )
    return _Clock(hour, minute)


def _read_12_hour(match: re.Match[str]) -> _Clock:
    hour, half = int(match["hour"]), match["half"]
    if not 1 <= hour <= 12:
        raise _Unreadable(
            f"there is no {hour}{half}m (with am or pm the hour runs from 1 to 12)",
            _TIME_EXAMPLES,
        )
    return _checked_clock(hour % 12 + (12 if half == "p" else 0), int(match["minute"] or 0))


def _read_24_hour(match: re.Match[str]) -> _Clock:
    if match["second"] is not None and int(match["second"]) > 59:
        raise _Unreadable(f"there is no second {match['second']}", _TIME_EXAMPLES)
    return _checked_clock(int(match["hour"]), int(match["minute"]))


def _read_bare_hour(match: re.Match[str]) -> _Clock:
    return _checked_clock(int(match["hour"]), 0)


def _read_named_clock(match: re.Match[str]) -> _Clock:
    return _NAMED_CLOCKS[match[0]]


# ---------------------------------------------------------------------------------------------
# The pattern tables. Each pattern must match a whole part of the (normalised) text.

_DAY = r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH_WORDS = _alternatives(_MONTHS)
_MONTH = rf"(?P<month>{_MONTH_WORDS})"
_YEAR = r"(?:\s+(?P<year>\d{4}))?"

_INSTANTS: tuple[tuple[_LazyPattern, _InstantReader], ...] = (
    (_compile(r"(?:right\s+)?now"), _read_now),
    *((_compile(form), _read_time_amount) for form in _amount_forms(_TIME_STEPS)),
)

_DAYS: tuple[tuple[_LazyPattern, _DayReader], ...] = (
    (_compile(_alternatives(_NAMED_DAYS)), _read_named_day),
    (
        _compile(rf"(?:(?P<which>next|last|this)\s+)?(?P<weekday>{_alternatives(_WEEKDAYS)})"),
        _read_weekday,
    ),
    (_compile(rf"{_MONTH}\s*{_DAY}{_YEAR}"), _read_day_month),
    (_compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}"), _read_day_month),
    (_compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"), _read_day_month),
    (
        _compile(r"(?P<first>\d{1,2})/(?P<second>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?"),
        _read_numeric_date,
    ),
    *((_compile(form), _read_day_amount) for form in _amount_forms(_DAY_STEPS)),
)

_CLOCKS: tuple[tuple[_LazyPattern, _ClockReader], ...] = (
    (_compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m"), _read_12_hour),
    (_compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"), _read_24_hour),
    (_compile(_alternatives(_NAMED_CLOCKS)), _read_named_clock),
)

# After a day, a bare number is an hour: "mon 9". Never on its own: "3" alone is refused.
_HOURS_AFTER_A_DAY: tuple[tuple[_LazyPattern, _ClockReader], ...] = (
    (_compile(r"(?P<hour>\d{1,2})"), _read_bare_hour),
)

_ISO_T = _compile(r"(?<![\w-])(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")


def _first_match(
    table: Sequence[tuple[_LazyPattern, _Reader]], text: str
) -> tuple[re.Match[str], _Reader] | None:
    for pattern, reader in table:
        if (match := pattern.fullmatch(text)) is not None:
            return match, reader
    return None


def _find_day(text: str) -> tuple[re.Match[str], _DayReader] | None:
    return _first_match(_DAYS, text.removeprefix("on "))


def _find_clock(text: str, after_day: bool) -> tuple[re.Match[str], _ClockReader] | None:
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


def _interpret(text: str, ctx: _Context) -> datetime:
    instant = _first_match(_INSTANTS, text)
    if instant is not None:
        match, read_instant = instant
        return read_instant(match, ctx)
    for day_text, clock_text, after_day in _readings(text):
        day = _find_day(day_text) if day_text else None
        clock = _find_clock(clock_text, after_day) if clock_text else None
        if (day_text and day is None) or (clock_text and clock is None):
            continue
        time_of_day = ctx.default_clock if clock is None else clock[1](clock[0])
        if day is None:  # a time on its own: today if still ahead, else tomorrow
            return _first_not_past([ctx.today, ctx.today + timedelta(days=1)], time_of_day, ctx)
        return day[1](day[0], ctx, time_of_day)
    raise _diagnose(text)


# ---------------------------------------------------------------------------------------------
# Explaining what went wrong


def _unknown_word(text: str) -> _Unreadable | None:
    for word in text.split(" "):
        if word.isalpha() and word not in _VOCABULARY:
            close = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return _Unreadable(f'"{word}" is not a word I know{hint}')
    return None


def _two_of_a_kind(text: str) -> _Unreadable | None:
    """Text that names two days ("fri fri") or two times ("10am 11am")."""
    words = text.split(" ")
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        if _find_day(head) and _find_day(tail):
            return _Unreadable(f'it names two days, "{head}" and "{tail}"')
        if _find_clock(head, False) and _find_clock(tail, True):
            return _Unreadable(f'it names two times, "{head}" and "{tail}"', _TIME_EXAMPLES)
    return None


_AMOUNT_HELP = "I need a number and a unit, such as 3 days or 2 hours"

# Hints searched for before anything else: a bad number spoils any reading.
_NUMBER_HINTS: tuple[tuple[_LazyPattern, str, tuple[str, str]], ...] = (
    (_compile(r"(?P<part>\d{5,})"), "{part} is too big a number for a date", _EXAMPLES),
    (
        _compile(r"^(?:in\s+|[+-]\s*)(?P<part>-\s*\d+)"),
        '"{part}" cannot be negative (for the past, say ago)',
        _AMOUNT_EXAMPLES,
    ),
)

# Hints for a whole text that is only the start or the end of a phrase.
_PARTIAL_HINTS: tuple[tuple[_LazyPattern, str, tuple[str, str]], ...] = (
    (_compile(r"(?P<part>in|\+|-)\s*\w*"), f'after "{{part}}" {_AMOUNT_HELP}', _AMOUNT_EXAMPLES),
    (
        _compile(r"(?:\w+\s+)?(?P<part>ago|from now)"),
        f'before "{{part}}" {_AMOUNT_HELP}',
        _AMOUNT_EXAMPLES,
    ),
    (
        _compile(r"(?P<part>next|last|this)\b.*"),
        '"{part}" must be followed by a day of the week',
        _WEEKDAY_EXAMPLES,
    ),
    (
        _compile(rf"(?:on\s+)?(?P<part>{_MONTH_WORDS})"),
        '"{part}" needs a day of the month',
        _DAY_EXAMPLES,
    ),
    (
        _compile(r"(?:at\s+)?(?P<part>\d{1,4})"),
        "{part} on its own could be a day, a month or an hour",
        ("10am", "3 dec"),
    ),
)


def _diagnose(text: str) -> _Unreadable:
    """Why text that matched no pattern could not be read: the most specific reason found."""
    if (problem := _unknown_word(text)) is not None:
        return problem
    for pattern, reason, examples in _NUMBER_HINTS:
        if (match := pattern.search(text)) is not None:
            return _Unreadable(reason.format(**match.groupdict()), examples)
    if (problem := _two_of_a_kind(text)) is not None:
        return problem
    for pattern, reason, examples in _PARTIAL_HINTS:
        if (match := pattern.fullmatch(text)) is not None:
            return _Unreadable(reason.format(**match.groupdict()), examples)
    for word in text.split(" "):
        if re.search(r"[^a-z0-9:/+.\-]", word):
            return _Unreadable(f'"{word}" is not part of a date or a time')
    return _Unreadable("I could not put these words together into a date and time")


# ---------------------------------------------------------------------------------------------
# Public functions


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else "?" for char in text)


def _normalise(text: str) -> str:
    """Lower case, single spaces, no commas or trailing dots, and "2026-12-01T09:30" split."""
    words = _printable(text.lower().replace(",", " ")).split()
    text = " ".join(stripped for word in words if (stripped := word.rstrip(".")))
    return _ISO_T.sub(r"\1 ", text)


def _shown(text: str) -> str:
    """The agent's text as quoted back in a message: one line, not too long."""
    shown = _printable(" ".join(text.split()))
    return shown if len(shown) <= 40 else shown[:39] + "…"


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def parse_when(
    text: str,
    now: datetime,
    *,
    settings: DateSettings = _DEFAULT_SETTINGS,
    allow_past: bool = False,
) -> datetime:
    """The time ``text`` names, read relative to ``now`` (see the module docstring for rules).

    The result is in now's time zone with seconds and microseconds zero. Raises
    DateParseError, and nothing else, for any text that cannot be read or is in the past
    (unless ``allow_past``). ``now`` must be timezone-aware (ValueError otherwise).
    """
    _require_aware(now)
    ctx = _Context(now=now, settings=settings, allow_past=allow_past)
    normal = _normalise(text)
    if not normal:
        first, second = _EXAMPLES
        raise DateParseError(f'Please enter a date, for example "{first}" or "{second}".')
    try:
        if len(normal) > _MAX_LENGTH:
            raise _Unreadable(f"it is too long for a date ({len(normal)} characters)")
        when = _interpret(normal, ctx)
    except _Unreadable as problem:
        first, second = problem.examples
        raise DateParseError(
            f'Could not read "{_shown(text)}" as a date: {problem.reason}. '
            f'Try "{first}" or "{second}".'
        ) from None
    except (OverflowError, ValueError):  # arithmetic that runs off the calendar
        first, second = _EXAMPLES
        raise DateParseError(
            f'Could not read "{_shown(text)}" as a date: it is too far away. '
            f'Try "{first}" or "{second}".'
        ) from None
    if not limits.year_in_bounds(when):
        first, second = _EXAMPLES
        raise DateParseError(
            f'"{_shown(text)}" is in the year {when.year}: dates must fall between '
            f'{limits.EARLIEST_YEAR} and {limits.LATEST_YEAR}. Try "{first}" or "{second}".'
        )
    if _is_past(when, now) and not allow_past:
        first, second = _PAST_EXAMPLES
        raise DateParseError(
            f'"{_shown(text)}" is in the past: that is {describe(when, now)}, '
            f'which has already passed. Try "{first}" or "{second}".'
        )
    return when


def _local(when: datetime, now: datetime) -> datetime:
    """``when`` on now's wall clock; a naive ``when`` is taken to be on it already."""
    _require_aware(now)
    if when.tzinfo is None:
        return when.replace(tzinfo=now.tzinfo)
    return when.astimezone(now.tzinfo)


def describe(when: datetime, now: datetime) -> str:
    """``when`` for a live preview, in now's time zone: "Tue 24 Nov, 10:00".

    The year is added only when it differs from now's: "Fri 1 Jan 2027, 09:00".
    """
    local = _local(when, now)
    year = f" {local.year}" if local.year != now.year else ""
    day = f"{_DAY_NAMES[local.weekday()]} {local.day} {_MONTH_TITLES[local.month - 1][:3]}"
    return f"{day}{year}, {local:%H:%M}"


def _span(days: int) -> str:
    """A count of days, short: "2d" up to 13 days, then whole weeks "3w", then years "1y"."""
    if days < 14:
        return f"{days}d"
    if days < 365:
        return f"{days // 7}w"
    return f"{days // 365}y"


def relative(when: datetime, now: datetime) -> str:
    """``when`` for a case-list column, short, counted in now's time zone.

    * Due this minute or later today: "today 15:00"; tomorrow: "tomorrow 10:00".
    * Later, by calendar days: "in 2d" up to "in 13d", then whole weeks "in 2w" .. "in 52w",
      then whole years "in 1y".
    * Before this minute: "overdue " and the time since, as :func:`age` gives it:
      "overdue 5m", "overdue 2h", "overdue 1d", "overdue 3w", "overdue 1y".
    """
    local = _local(when, now)
    due = local.replace(second=0, microsecond=0)
    if due < now.replace(second=0, microsecond=0):
        return f"overdue {age(due, now)}"
    days = (local.date() - now.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"tomorrow {local:%H:%M}"
    return f"in {_span(days)}"


def age(since: datetime, now: datetime) -> str:
    """Time elapsed since ``since``, short and rounded down.

    "5m" under an hour, "3h" under a day, "2d" up to 13 days, then whole weeks "6w" under a
    year, then whole years "1y". A ``since`` in the future counts as "0m".
    """
    elapsed = now.astimezone(UTC) - _local(since, now).astimezone(UTC)
    minutes = max(0, int(elapsed.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        return f"{minutes // 60}h"
    return _span(minutes // (24 * 60))
