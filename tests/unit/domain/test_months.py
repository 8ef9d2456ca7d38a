"""Tests for workbench.domain.months: the calendar's names, month lengths and month moves."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import pairwise

import pytest

from workbench.domain.months import (
    DAY_NAMES,
    GRID_DAYS,
    MONTH_NAMES,
    days_in_month,
    grid_days,
    shift_month,
)


def test_names() -> None:
    assert DAY_NAMES == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert MONTH_NAMES[0] == "January" and MONTH_NAMES[-1] == "December"
    assert [date(2026, 11, day).weekday() for day in (23, 29)] == [0, 6]  # Monday is 0
    assert len(MONTH_NAMES) == 12


@pytest.mark.parametrize("year", [1900, 1999, 2000, 2024, 2026, 2100, 2199])
def test_days_in_month_agrees_with_the_calendar(year: int) -> None:
    for month in range(1, 13):
        assert days_in_month(year, month) == calendar.monthrange(year, month)[1]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 23), 1, date(2026, 12, 23)),
        (date(2026, 11, 23), 2, date(2027, 1, 23)),
        (date(2026, 11, 23), -11, date(2025, 12, 23)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month's length
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
        (date(2026, 5, 15), 120, date(2036, 5, 15)),
        (date(9999, 11, 30), 1, date(9999, 12, 30)),
    ],
)
def test_shift_month(day: date, months: int, expected: date) -> None:
    assert shift_month(day, months) == expected


@pytest.mark.parametrize(("day", "months"), [(date(9999, 12, 1), 1), (date(1, 1, 1), -1)])
def test_shift_month_off_the_calendar_is_a_value_error(day: date, months: int) -> None:
    with pytest.raises(ValueError):
        shift_month(day, months)


@pytest.mark.parametrize("first_weekday", range(7))
@pytest.mark.parametrize(("year", "month"), [(2026, 11), (2026, 2), (2027, 2), (2026, 8)])
def test_grid_days(year: int, month: int, first_weekday: int) -> None:
    days = grid_days(year, month, first_weekday)
    assert len(days) == GRID_DAYS == 42
    assert days[0].weekday() == first_weekday
    assert all(b - a == timedelta(days=1) for a, b in pairwise(days))
    assert date(year, month, 1) in days[:7]  # the month starts in the first week
    assert date(year, month, days_in_month(year, month)) in days


def test_grid_days_of_november_2026() -> None:
    # 1 November 2026 is a Sunday: a Monday grid starts on 26 October, a Sunday grid on the 1st.
    assert grid_days(2026, 11, 0)[0] == date(2026, 10, 26)
    assert grid_days(2026, 11, 6)[0] == date(2026, 11, 1)
    assert grid_days(2026, 11, 0)[-1] == date(2026, 12, 6)
