"""Tests for workbench.domain.moments: every form a date or a time is shown in.

describe, relative and age have their cases in test_dates.py (where they were first
written); the fixed forms are checked here, each with its exact text, and against the
format it replaced over two years of days and times, so no screen, export or timeline line
changes by a byte.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz

from workbench.domain import dates, moments
from workbench.domain.moments import (
    agenda_day,
    agenda_moment,
    backup_stamp,
    compact_moment,
    day_label,
    describe,
    heading_day,
    long_moment,
    month_title,
    moved_moment,
    opened_day,
    report_moment,
    short_moment,
    span_moment,
    step_moment,
    time_of_day,
    wall_clock,
)

EARLY = datetime(2026, 11, 3, 9, 5, 7, tzinfo=UTC)  # Tuesday 3 November 2026, 09:05:07
LATE = datetime(2026, 11, 24, 17, 45, tzinfo=UTC)  # Tuesday 24 November 2026, 17:45

Form = Callable[[datetime], str]


@pytest.mark.parametrize(
    ("form", "early", "late"),
    [
        (time_of_day, "09:05", "17:45"),
        (long_moment, "Tue 03 Nov 2026, 09:05", "Tue 24 Nov 2026, 17:45"),
        (short_moment, "Tue 03 Nov 09:05", "Tue 24 Nov 17:45"),
        (moved_moment, "Tue 03 Nov, 09:05", "Tue 24 Nov, 17:45"),
        (compact_moment, "03 Nov 09:05", "24 Nov 17:45"),
        (step_moment, "3 Nov 09:05", "24 Nov 17:45"),
        (span_moment, "Tue 3 Nov 09:05", "Tue 24 Nov 17:45"),
        (report_moment, "Tue 3 Nov 2026, 09:05", "Tue 24 Nov 2026, 17:45"),
        (agenda_moment, "Tue  3 Nov 09:05", "Tue 24 Nov 17:45"),
        (backup_stamp, "2026-11-03 09:05:07", "2026-11-24 17:45:00"),
    ],
)
def test_moment_forms(form: Form, early: str, late: str) -> None:
    assert form(EARLY) == early
    assert form(LATE) == late


@pytest.mark.parametrize(
    ("form", "early", "late"),
    [
        (agenda_day, "Tue 3 Nov", "Tue 24 Nov"),
        (heading_day, "Tue 3 Nov 2026", "Tue 24 Nov 2026"),
        (opened_day, "03 Nov 2026", "24 Nov 2026"),
    ],
)
def test_day_forms(form: Callable[[date], str], early: str, late: str) -> None:
    assert form(EARLY.date()) == early
    assert form(LATE.date()) == late
    assert form(EARLY) == early  # a datetime is a date: its time is left out


# What each form was written as before it had a name; the same text, byte for byte.
_BEFORE: list[tuple[Callable[[datetime], str], Callable[[datetime], str]]] = [
    (time_of_day, lambda m: f"{m:%H:%M}"),
    (long_moment, lambda m: f"{m:%a %d %b %Y, %H:%M}"),
    (short_moment, lambda m: f"{m:%a %d %b %H:%M}"),
    (moved_moment, lambda m: f"{m:%a %d %b, %H:%M}"),
    (compact_moment, lambda m: f"{m:%d %b %H:%M}"),
    (step_moment, lambda m: f"{m:%-d %b %H:%M}"),
    (span_moment, lambda m: f"{m:%a} {m.day} {m:%b %H:%M}"),
    (report_moment, lambda m: f"{m:%a} {m.day} {m:%b %Y, %H:%M}"),
    (agenda_moment, lambda m: f"{m:%a} {m.day:>2} {m:%b %H:%M}"),
    (agenda_day, lambda m: f"{m:%a} {m.day} {m:%b}"),
    (heading_day, lambda m: f"{m:%a} {m.day} {m:%b %Y}"),
    (opened_day, lambda m: f"{m:%d %b %Y}"),
    (backup_stamp, lambda m: f"{m:%Y-%m-%d %H:%M:%S}"),
]


@pytest.mark.parametrize(("form", "before"), _BEFORE, ids=[f.__name__ for f, _ in _BEFORE])
def test_each_form_is_the_format_it_replaced(
    form: Callable[[datetime], str], before: Callable[[datetime], str]
) -> None:
    start = datetime(2026, 1, 1, 0, 0, 59, tzinfo=ZoneInfo("Europe/London"))
    for n in range(0, 2 * 366 * 24, 7):  # every seventh hour, at every minute of the hour
        moment = start + timedelta(hours=n, minutes=n % 60)
        assert form(moment) == before(moment), moment


def test_forms_write_the_moment_on_its_own_wall_clock() -> None:
    tokyo = EARLY.astimezone(timezone(timedelta(hours=9)))
    assert long_moment(tokyo) == "Tue 03 Nov 2026, 18:05"
    assert long_moment(EARLY.replace(tzinfo=None)) == "Tue 03 Nov 2026, 09:05"


# --- calendar labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 23), "Tue 24 Nov"),
        (date(2026, 11, 3), date(2026, 1, 1), "Tue 3 Nov"),
        (date(2027, 1, 1), date(2026, 11, 23), "Fri 1 Jan 2027"),
        (date(2025, 12, 28), date(2026, 11, 23), "Sun 28 Dec 2025"),
    ],
)
def test_day_label(day: date, today: date, expected: str) -> None:
    assert day_label(day, today) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2026, 11, "November 2026"), (2027, 1, "January 2027"), (1999, 12, "December 1999")],
)
def test_month_title(year: int, month: int, expected: str) -> None:
    assert month_title(year, month) == expected


def test_describe_is_day_label_and_time() -> None:
    now = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    for when in (datetime(2026, 11, 24, 10, tzinfo=UTC), datetime(2027, 1, 1, 9, tzinfo=UTC)):
        assert describe(when, now) == f"{day_label(when.date(), now.date())}, {when:%H:%M}"


# --- wall clocks ----------------------------------------------------------------------------


def test_wall_clock_converts_to_the_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    local = wall_clock(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), berlin)
    assert (local.date(), local.hour, local.tzinfo) == (date(2026, 7, 2), 0, berlin)


def test_wall_clock_takes_a_naive_time_as_on_the_zone_already() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert wall_clock(datetime(2026, 7, 1, 22, 30), berlin) == datetime(
        2026, 7, 1, 22, 30, tzinfo=berlin
    )


def test_wall_clock_without_a_zone_keeps_the_clock_and_drops_the_zone() -> None:
    assert wall_clock(datetime(2026, 7, 1, 22, 30, tzinfo=UTC), None) == datetime(
        2026, 7, 1, 22, 30
    )


def test_wall_clock_of_the_machines_zone_is_dateutils_wall_clock() -> None:
    zone = tz.tzlocal()
    when = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    local = wall_clock(when, zone)
    assert local.replace(tzinfo=None) == when.astimezone(zone).replace(tzinfo=None)
    assert local == when


def test_dates_still_names_what_its_callers_import() -> None:
    """describe, relative and age moved here; workbench.domain.dates still names them."""
    assert dates.describe is moments.describe
    assert dates.relative is moments.relative
    assert dates.age is moments.age
    assert {"DateParseError", "DateSettings", "parse_when"} <= set(dates.__all__)


def test_now_must_have_a_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        moments.relative(EARLY, EARLY.replace(tzinfo=None))


def test_short_relative_is_relative_with_tmrw_and_never_wider_than_its_width() -> None:
    now = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    assert moments.short_relative(now + timedelta(days=1), now) == "tmrw 14:30"
    steps = [timedelta(minutes=m) for m in range(-60 * 24 * 3, 60 * 24 * 3, 7)]
    steps += [timedelta(days=d) for d in range(-9 * 365, 9 * 365, 3)]
    for step in steps:
        long, short = moments.relative(now + step, now), moments.short_relative(now + step, now)
        assert short == long.replace("tomorrow ", "tmrw ")
        assert len(short) <= moments.SHORT_RELATIVE_WIDTH, short
    assert moments.short_relative(now - timedelta(days=12), now) == "overdue 12d"
