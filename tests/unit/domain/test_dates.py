"""Tests for workbench.domain.dates: reading typed dates and showing them back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.dates import (
    DateParseError,
    DateSettings,
    age,
    describe,
    parse_when,
    relative,
)

# Monday 23 November 2026, 14:30 UTC.
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
MONTH_FIRST = DateSettings(day_first=False)
EXAMPLES_AT_END = re.compile(r'"([^"]+)" or "([^"]+)"\.$')


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_frozen_now_is_a_monday_afternoon() -> None:
    assert NOW.weekday() == 0
    assert (NOW.hour, NOW.minute) == (14, 30)


# --- parse_when: phrases that work ----------------------------------------------------------

GOOD_PHRASES: list[tuple[str, datetime]] = [
    ("now", at(2026, 11, 23, 14, 30)),
    ("right now", at(2026, 11, 23, 14, 30)),
    ("today 4pm", at(2026, 11, 23, 16)),
    ("tomorrow 10am", at(2026, 11, 24, 10)),
    ("tomorrow", at(2026, 11, 24)),
    ("tmrw 10am", at(2026, 11, 24, 10)),
    ("day after tomorrow", at(2026, 11, 25)),
    ("in 3 days", at(2026, 11, 26)),
    ("in 2 weeks", at(2026, 12, 7)),
    ("in 1 week", at(2026, 11, 30)),
    ("in 30 minutes", at(2026, 11, 23, 15, 0)),
    ("in 2 hours", at(2026, 11, 23, 16, 30)),
    ("in a week", at(2026, 11, 30)),
    ("in an hour", at(2026, 11, 23, 15, 30)),
    ("in three days", at(2026, 11, 26)),
    ("in twelve hours", at(2026, 11, 24, 2, 30)),
    ("in 2 months", at(2027, 1, 23)),
    ("in 3 days at 2pm", at(2026, 11, 26, 14)),
    ("2 days from now", at(2026, 11, 25)),
    ("+2d", at(2026, 11, 25)),
    ("+3h", at(2026, 11, 23, 17, 30)),
    ("+30m", at(2026, 11, 23, 15, 0)),
    ("+1w", at(2026, 11, 30)),
    ("+ 2 days", at(2026, 11, 25)),
    ("next friday", at(2026, 11, 27)),
    ("next monday", at(2026, 11, 30)),
    ("next mon 4pm", at(2026, 11, 30, 16)),
    ("this friday", at(2026, 11, 27)),
    ("fri 2pm", at(2026, 11, 27, 14)),
    ("friday 14:30", at(2026, 11, 27, 14, 30)),
    ("friday", at(2026, 11, 27)),
    ("monday", at(2026, 11, 30)),  # today, but 09:00 has passed: a week ahead
    ("mon 4pm", at(2026, 11, 23, 16)),  # today, and 16:00 is still ahead
    ("mon 9", at(2026, 11, 30, 9)),
    ("tue", at(2026, 11, 24)),
    ("sun 21", at(2026, 11, 29, 21)),
    ("dec 3", at(2026, 12, 3)),
    ("3 dec", at(2026, 12, 3)),
    ("december 3rd", at(2026, 12, 3)),
    ("the 3rd of december", at(2026, 12, 3)),
    ("dec. 3", at(2026, 12, 3)),
    ("dec 3 2026", at(2026, 12, 3)),
    ("dec 3, 2027", at(2027, 12, 3)),
    ("dec 3 10am", at(2026, 12, 3, 10)),
    ("dec 3 at 10am", at(2026, 12, 3, 10)),
    ("nov 1", at(2027, 11, 1)),  # already passed this year: next year
    ("nov 23 4pm", at(2026, 11, 23, 16)),  # today, still ahead
    ("nov 23", at(2027, 11, 23)),  # today, but 09:00 has passed: next year
    ("feb 29", at(2028, 2, 29)),  # the next 29 February there is
    ("2026-12-01 09:30", at(2026, 12, 1, 9, 30)),
    ("2026-12-01", at(2026, 12, 1)),
    ("2026-12-01T09:30", at(2026, 12, 1, 9, 30)),
    ("2026-12-01t09:30:59", at(2026, 12, 1, 9, 30)),
    ("10am", at(2026, 11, 24, 10)),  # passed today: tomorrow
    ("10 a.m.", at(2026, 11, 24, 10)),
    ("3pm", at(2026, 11, 23, 15)),  # still ahead: today
    ("10:30", at(2026, 11, 24, 10, 30)),
    ("14:00", at(2026, 11, 24, 14)),
    ("2:30pm", at(2026, 11, 23, 14, 30)),  # this very minute is not past
    ("at 6pm", at(2026, 11, 23, 18)),
    ("12am", at(2026, 11, 24, 0)),
    ("12pm", at(2026, 11, 24, 12)),
    ("noon", at(2026, 11, 24, 12)),
    ("midnight", at(2026, 11, 24, 0)),
    ("tomorrow midnight", at(2026, 11, 25, 0)),  # the end of tomorrow
    ("tomorrow noon", at(2026, 11, 24, 12)),
    ("eod", at(2026, 11, 23, 17)),
    ("end of day", at(2026, 11, 23, 17)),
    ("tomorrow eod", at(2026, 11, 24, 17)),
    ("tomorrow at 3pm", at(2026, 11, 24, 15)),
    ("10am tomorrow", at(2026, 11, 24, 10)),
    ("3pm on friday", at(2026, 11, 27, 15)),
    ("on friday at 3pm", at(2026, 11, 27, 15)),
    ("  TOMORROW    10AM  ", at(2026, 11, 24, 10)),
    ("Next Friday", at(2026, 11, 27)),
]


@pytest.mark.parametrize(("phrase", "expected"), GOOD_PHRASES)
def test_parse_when_reads_phrase(phrase: str, expected: datetime) -> None:
    result = parse_when(phrase, NOW)
    assert result == expected
    assert result.tzinfo is NOW.tzinfo


NUMERIC_DATES: list[tuple[str, bool, datetime]] = [
    ("1/12", True, at(2026, 12, 1)),
    ("1/12", False, at(2027, 1, 12)),
    ("1/12 9:30", True, at(2026, 12, 1, 9, 30)),
    ("1/12 9:30", False, at(2027, 1, 12, 9, 30)),
    ("1/12/2027", True, at(2027, 12, 1)),
    ("1/12/2027", False, at(2027, 1, 12)),
    ("1/12/27", True, at(2027, 12, 1)),
    ("1/12/27", False, at(2027, 1, 12)),
    ("25/12", True, at(2026, 12, 25)),
    ("12/25", False, at(2026, 12, 25)),
]


@pytest.mark.parametrize(("phrase", "day_first", "expected"), NUMERIC_DATES)
def test_parse_when_reads_numeric_dates_in_either_order(
    phrase: str, day_first: bool, expected: datetime
) -> None:
    assert parse_when(phrase, NOW, settings=DateSettings(day_first=day_first)) == expected


PAST_PHRASES: list[tuple[str, datetime]] = [
    ("yesterday", at(2026, 11, 22)),
    ("yesterday 4pm", at(2026, 11, 22, 16)),
    ("2 days ago", at(2026, 11, 21)),
    ("-3d", at(2026, 11, 20)),
    ("3 hours ago", at(2026, 11, 23, 11, 30)),
    ("-30m", at(2026, 11, 23, 14, 0)),
    ("a week ago", at(2026, 11, 16)),
    ("last monday", at(2026, 11, 16)),
    ("last friday", at(2026, 11, 20)),
    ("today 9am", at(2026, 11, 23, 9)),
    ("nov 1", at(2026, 11, 1)),  # stays in this year
    ("1/11", at(2026, 11, 1)),
    ("dec 3 2025", at(2025, 12, 3)),
    ("tomorrow", at(2026, 11, 24)),  # the future still works
]


@pytest.mark.parametrize(("phrase", "expected"), PAST_PHRASES)
def test_parse_when_allows_the_past_when_asked(phrase: str, expected: datetime) -> None:
    assert parse_when(phrase, NOW, allow_past=True) == expected


# --- parse_when: phrases that are refused ---------------------------------------------------

BAD_INPUTS: list[tuple[str, str]] = [
    ("tomorow", '"tomorow" is not a word I know (did you mean tomorrow?)'),
    ("banana", '"banana" is not a word I know'),
    ("banana 3", '"banana" is not a word I know'),
    ("", "Please enter a date"),
    ("   ", "Please enter a date"),
    ("in days", 'after "in" I need a number and a unit'),
    ("in 3", 'after "in" I need a number and a unit'),
    ("+d", 'after "+" I need a number and a unit'),
    ("days ago", 'before "ago" I need a number and a unit'),
    ("in -3 days", '"-3" cannot be negative'),
    ("in 99999 days", "99999 is too big a number"),
    ("2026-02-30", "February 2026 has only 28 days"),
    ("2026-13-01", "there is no month 13"),
    ("feb 30", "February 2027 has only 28 days"),  # the next February, not any February
    ("31/02", 'February 2027 has only 28 days (I read "31/02" as day/month)'),
    ("dec 0", "there is no day 0"),
    ("32/13", 'there is no month 13 (I read "32/13" as day/month)'),
    ("32/1", 'January has only 31 days (I read "32/1" as day/month)'),
    ("12/25", 'there is no month 25 (I read "12/25" as day/month)'),
    ("25pm", "there is no 25pm (with am or pm the hour runs from 1 to 12)"),
    ("0am", "there is no 0am"),
    ("13:75", "there is no minute 75"),
    ("24:00", "there is no hour 24"),
    ("mon 24", "there is no hour 24"),
    ("dec 3 1850", "years 1900 to 2199, not 1850"),
    ("dec 3 2500", "years 1900 to 2199, not 2500"),
    ("in 9999 weeks", "is in the year 2218: dates must fall between 1900 and 2199"),
    ("next", '"next" must be followed by a day of the week'),
    ("next week", '"next" must be followed by a day of the week'),
    ("dec", '"dec" needs a day of the month'),
    ("3", "3 on its own could be a day, a month or an hour"),
    ("=1+1", '"=1+1" is not part of a date or a time'),
    ("fri fri", 'it names two days, "fri" and "fri"'),
    ("tomorrow friday", 'it names two days, "tomorrow" and "friday"'),
    ("10am 11am", 'it names two times, "10am" and "11am"'),
    ("tomorrow10am", "could not put these words together"),
    ("in 2 hours 3pm", "could not put these words together"),
    ("x" * 150, "too long for a date (150 characters)"),
    ("today 9am", "that is Mon 23 Nov, 09:00, which has already passed"),
    ("today", "that is Mon 23 Nov, 09:00, which has already passed"),
    ("yesterday", "that is Sun 22 Nov, 09:00, which has already passed"),
    ("2 days ago", "that is Sat 21 Nov, 09:00, which has already passed"),
    ("-3h", "that is Mon 23 Nov, 11:30, which has already passed"),
    ("last monday", "that is Mon 16 Nov, 09:00, which has already passed"),
    ("dec 3 2025", "that is Wed 3 Dec 2025, 09:00, which has already passed"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD_INPUTS)
def test_parse_when_refuses_with_a_helpful_message(text: str, fragment: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, NOW)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("now", "allow_past", "said"),
    [
        (at(2026, 11, 23), False, "February 2027 has only 28 days"),
        (at(2027, 3, 1), False, "February 2028 has only 29 days"),  # this year's is past
        (at(2028, 1, 10), False, "February 2028 has only 29 days"),
        (at(2027, 2, 10), False, "February 2027 has only 28 days"),  # still to come
        (at(2027, 6, 1), True, "February 2027 has only 28 days"),  # a bound may be past
    ],
)
@pytest.mark.parametrize("text", ["31/02", "30/02", "feb 30", "30th of february"])
def test_a_february_day_too_many_names_the_february_meant(
    text: str, now: datetime, allow_past: bool, said: str
) -> None:
    with pytest.raises(DateParseError, match=said):
        parse_when(text, now, allow_past=allow_past)


_LENGTH_SAID = re.compile(r"(\w+)(?: (\d{4}))? has only (\d+) days")
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august"]
_MONTH_NAMES += ["september", "october", "november", "december"]


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 31)),
    day=st.integers(1, 35),
    month=st.integers(1, 12),
    form=st.sampled_from(["{d}/{m}", "{d} {name}", "{name} {d}"]),
    allow_past=st.booleans(),
)
def test_a_month_length_in_a_refusal_is_true_for_the_year_it_names(
    now: datetime, day: int, month: int, form: str, allow_past: bool
) -> None:
    """Whatever the date today: "X has only N days" is true of X, and a February named
    without a year is the one the date would fall in."""
    text = form.format(d=day, m=month, name=_MONTH_NAMES[month - 1])
    try:
        parse_when(text, now.replace(tzinfo=UTC), allow_past=allow_past)
    except DateParseError as refused:
        found = _LENGTH_SAID.search(str(refused))
        if found is None:
            return
        name, year, length = found.group(1).lower(), found.group(2), int(found.group(3))
        assert name == _MONTH_NAMES[month - 1]
        if year is None:
            assert month != 2, str(refused)  # only February's length depends on the year
            year = "2001"
        following = datetime(int(year) + month // 12, month % 12 + 1, 1)
        assert length == (following - datetime(int(year), month, 1)).days, str(refused)
        assert day > length
        if month == 2:
            meant = now.year if allow_past or now.month <= 2 else now.year + 1
            assert int(year) == meant, (str(refused), now)


@pytest.mark.parametrize("text", [text for text, _ in BAD_INPUTS])
def test_every_refusal_ends_with_two_examples_that_work(text: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when(text, NOW)
    message = str(caught.value)
    found = EXAMPLES_AT_END.search(message)
    assert found is not None, message
    for example in found.groups():
        parse_when(example, NOW)  # raises if the example does not work
        parse_when(example, NOW, settings=MONTH_FIRST)


def test_refusal_is_one_sentence_quoting_the_text_as_typed() -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when("  Banana   3 ", NOW)
    assert str(caught.value) == (
        'Could not read "Banana 3" as a date: "banana" is not a word I know. '
        'Try "tomorrow 10am" or "in 3 days".'
    )


def test_refusal_shortens_long_text() -> None:
    with pytest.raises(DateParseError) as caught:
        parse_when("y" * 60, NOW)
    assert str(caught.value).startswith(f'Could not read "{"y" * 39}…" as a date:')


def test_past_time_within_a_minute_is_not_past() -> None:
    now = NOW.replace(second=59)
    assert parse_when("14:30", now) == at(2026, 11, 23, 14, 30)
    assert parse_when("now", now) == at(2026, 11, 23, 14, 30)
    assert parse_when("today 14:30", now) == at(2026, 11, 23, 14, 30)
    with pytest.raises(DateParseError, match="already passed"):
        parse_when("today 14:29", now)


def test_date_parse_error_is_a_value_error() -> None:
    assert issubclass(DateParseError, ValueError)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("tomorrow", NOW.replace(tzinfo=None))


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("tomorrow", at(2026, 11, 24, 16, 45)),
        ("dec 3", at(2026, 12, 3, 16, 45)),
        ("in 3 days", at(2026, 11, 26, 16, 45)),
        ("monday", at(2026, 11, 23, 16, 45)),  # today, since 16:45 is still ahead
        ("1/12", at(2026, 12, 1, 16, 45)),
        ("tomorrow 10am", at(2026, 11, 24, 10)),  # a time given wins
    ],
)
def test_default_time_setting_is_used_for_days_without_a_time(
    phrase: str, expected: datetime
) -> None:
    late = DateSettings(default_hour=16, default_minute=45)
    assert parse_when(phrase, NOW, settings=late) == expected


@pytest.mark.parametrize(("hour", "minute"), [(24, 0), (-1, 0), (9, 60), (9, -1)])
def test_settings_refuse_impossible_default_times(hour: int, minute: int) -> None:
    with pytest.raises(ValueError, match="default_"):
        DateSettings(default_hour=hour, default_minute=minute)


# --- time zones and clock changes -----------------------------------------------------------

DATEUTIL_LONDON = tz.gettz("Europe/London")
assert DATEUTIL_LONDON is not None
LONDON_ZONES: list[tzinfo] = [DATEUTIL_LONDON, ZoneInfo("Europe/London")]


@pytest.mark.parametrize("london", LONDON_ZONES, ids=["dateutil", "zoneinfo"])
def test_tomorrow_keeps_the_wall_clock_across_the_spring_change(london: tzinfo) -> None:
    now = datetime(2027, 3, 27, 12, 0, tzinfo=london)  # clocks go forward on 28 March 2027
    result = parse_when("tomorrow 10am", now)
    assert result.replace(tzinfo=None) == datetime(2027, 3, 28, 10, 0)
    assert result.utcoffset() == timedelta(hours=1)
    assert result == datetime(2027, 3, 28, 9, 0, tzinfo=UTC)
    assert result.tzinfo is london


@pytest.mark.parametrize("london", LONDON_ZONES, ids=["dateutil", "zoneinfo"])
def test_clock_change_rules(london: tzinfo) -> None:
    now = datetime(2027, 3, 27, 12, 0, tzinfo=london)
    # Hours are exact: 24 real hours later is 13:00 on the new clock.
    assert parse_when("in 24 hours", now) == datetime(2027, 3, 28, 12, 0, tzinfo=UTC)
    # Days keep the wall clock.
    assert parse_when("+1d", now) == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    # 01:30 does not exist that night: it moves forward by the hour skipped.
    skipped = parse_when("tomorrow 1:30", now)
    assert (skipped.hour, skipped.minute) == (2, 30)
    assert skipped.utcoffset() == timedelta(hours=1)


def test_result_keeps_a_fixed_offset_zone() -> None:
    new_york_winter = timezone(timedelta(hours=-5))
    now = datetime(2026, 11, 23, 14, 30, tzinfo=new_york_winter)
    result = parse_when("tomorrow 10am", now)
    assert result == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert result.tzinfo is new_york_winter


def test_result_keeps_the_local_zone() -> None:
    now = datetime.now(tz.tzlocal())
    result = parse_when("+2d", now)
    assert result.tzinfo is now.tzinfo
    assert (result.hour, result.minute, result.second, result.microsecond) == (9, 0, 0, 0)


def test_seconds_are_dropped() -> None:
    now = NOW.replace(second=42, microsecond=123456)
    result = parse_when("in 30 minutes", now)
    assert result == at(2026, 11, 23, 15, 0)
    assert (result.second, result.microsecond) == (0, 0)


# --- describe, relative, age ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(2026, 11, 24, 10), "Tue 24 Nov, 10:00"),
        (at(2026, 11, 23, 14, 30), "Mon 23 Nov, 14:30"),
        (at(2027, 1, 1), "Fri 1 Jan 2027, 09:00"),
        (at(2025, 12, 31, 23, 59), "Wed 31 Dec 2025, 23:59"),
        (datetime(2026, 11, 24, 10, tzinfo=timezone(timedelta(hours=2))), "Tue 24 Nov, 08:00"),
        (datetime(2026, 12, 5, 7, 5), "Sat 5 Dec, 07:05"),  # naive: taken as now's zone
    ],
)
def test_describe(when: datetime, expected: str) -> None:
    assert describe(when, NOW) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (at(2026, 11, 23, 15), "today 15:00"),
        (at(2026, 11, 23, 14, 30), "today 14:30"),
        (at(2026, 11, 23, 23, 59), "today 23:59"),
        (at(2026, 11, 24, 0, 5), "tomorrow 00:05"),
        (at(2026, 11, 24, 10), "tomorrow 10:00"),
        (at(2026, 11, 25, 9), "in 2d"),
        (at(2026, 12, 6), "in 13d"),
        (at(2026, 12, 7), "in 2w"),
        (at(2026, 12, 14), "in 3w"),
        (at(2027, 11, 23), "in 1y"),
        (datetime(2026, 11, 23, 14, 29, 30, tzinfo=UTC), "overdue 1m"),
        (at(2026, 11, 23, 14, 25), "overdue 5m"),
        (at(2026, 11, 23, 12, 30), "overdue 2h"),
        (at(2026, 11, 22, 14, 30), "overdue 1d"),
        (at(2026, 11, 2, 14, 30), "overdue 3w"),
        (at(2025, 11, 1), "overdue 1y"),
    ],
)
def test_relative(when: datetime, expected: str) -> None:
    assert relative(when, NOW) == expected


def test_relative_counts_days_in_nows_zone() -> None:
    tokyo = timezone(timedelta(hours=9))
    now = datetime(2026, 11, 23, 23, 0, tzinfo=tokyo)
    assert relative(datetime(2026, 11, 23, 15, 30, tzinfo=UTC), now) == "tomorrow 00:30"


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (at(2026, 11, 23, 14, 25), "5m"),
        (datetime(2026, 11, 23, 14, 29, 1, tzinfo=UTC), "0m"),
        (at(2026, 11, 23, 13, 31), "59m"),
        (at(2026, 11, 23, 11, 30), "3h"),
        (at(2026, 11, 22, 14, 31), "23h"),
        (at(2026, 11, 21, 14, 30), "2d"),
        (at(2026, 11, 10, 14, 30), "13d"),
        (at(2026, 11, 9, 14, 30), "2w"),
        (at(2026, 10, 12, 14, 30), "6w"),
        (at(2025, 11, 23, 14, 30), "1y"),
        (at(2023, 11, 1), "3y"),
        (at(2026, 11, 23, 15), "0m"),  # in the future
    ],
)
def test_age(since: datetime, expected: str) -> None:
    assert age(since, NOW) == expected


# --- property: any text gives a datetime or a DateParseError --------------------------------

# Words and numbers the parser knows, to reach deeper than random text does.
TOKEN_TEXT = """
    in at on of the next last this ago from now a an three eod noon midnight end day
    today tomorrow yesterday fri monday dec feb 3rd 1st days d h m w weeks hours
    0 3 9 12 24 29 31 32 99 2026 1850 99999 10am 25pm 2:30pm 13:75 14:00 1/12 31/2
    12/25/27 2026-02-29 2026-12-01t09:30 +2d -3h + - / : . , t am pm
"""
TOKENS = TOKEN_TEXT.split()
TEXTS = st.one_of(st.text(), st.lists(st.sampled_from(TOKENS), max_size=6).map(" ".join))


@settings(max_examples=400)
@given(text=TEXTS, allow_past=st.booleans(), day_first=st.booleans())
def test_parse_when_gives_a_datetime_or_a_date_parse_error(
    text: str, allow_past: bool, day_first: bool
) -> None:
    try:
        result = parse_when(
            text, NOW, settings=DateSettings(day_first=day_first), allow_past=allow_past
        )
    except DateParseError as error:
        assert EXAMPLES_AT_END.search(str(error)) is not None
        return
    assert result.tzinfo is NOW.tzinfo
    assert (result.second, result.microsecond) == (0, 0)
    if not allow_past:
        assert result >= NOW - timedelta(seconds=60)
