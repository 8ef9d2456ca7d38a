"""The calendar's days as plain data: the follow-ups by day, a day's cell and heading."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from workbench.ui.widgets.calendar.days import (
    NO_DAY,
    AgendaByDay,
    AgendaEntry,
    cell_text,
    day_states,
    heading_forms,
)

TOKYO = timezone(timedelta(hours=9))


def entry(case_id: str, due: datetime, followup_id: int = 1, *, done: bool = False) -> AgendaEntry:
    return AgendaEntry(case_id, "Ana Chen", "Charged twice", followup_id, due, "Call", done)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_entries_fall_on_the_day_of_the_zone_given() -> None:
    late = entry("C-0001", at(23, 20))  # 20:00 UTC is 05:00 the next day in Tokyo
    book = AgendaByDay()
    book.load([late], UTC)
    assert book.day(date(2026, 11, 23)).entries == (late,)
    book.load([late], TOKYO)
    assert book.day(date(2026, 11, 23)) == NO_DAY
    assert book.day(date(2026, 11, 24)).due[0].hour == 5


def test_a_day_is_sorted_by_time_then_case_then_follow_up() -> None:
    a, b, c = entry("C-0002", at(24, 9)), entry("C-0001", at(24, 9), 2), entry("C-0001", at(24, 8))
    book = AgendaByDay()
    book.load([a, b, c], UTC)
    day = book.day(date(2026, 11, 24))
    assert day.entries == (c, b, a)
    assert (day.total, day.open) == (3, 3)


def test_replace_case_touches_the_days_it_had_and_has() -> None:
    book = AgendaByDay()
    other = entry("C-0002", at(24, 9))
    book.load([entry("C-0001", at(23, 9)), other], UTC)
    moved = entry("C-0001", at(25, 9))
    assert book.replace_case("C-0001", [moved], UTC) == {date(2026, 11, 23), date(2026, 11, 25)}
    assert book.day(date(2026, 11, 23)) == NO_DAY
    assert book.day(date(2026, 11, 25)).entries == (moved,)
    assert book.day(date(2026, 11, 24)).entries == (other,)
    assert book.replace_case("C-0001", [moved], UTC) == set()  # the same: nothing to redraw
    assert book.replace_case("C-0001", [], UTC) == {date(2026, 11, 25)}
    assert book.day(date(2026, 11, 25)) == NO_DAY


def test_cell_text() -> None:
    day = date(2026, 11, 3)
    assert cell_text(day, 2, 3, tall=False) == " 3²"
    assert cell_text(day, 12, 12, tall=False) == " 3⁺"
    assert cell_text(day, 0, 3, tall=False) == " 3✓"
    assert cell_text(day, 0, 0, tall=False) == " 3 "
    assert cell_text(day, 12, 12, tall=True) == " 3\n•12"
    assert cell_text(day, 0, 1, tall=True) == " 3\n ✓"
    assert cell_text(day, 0, 0, tall=True) == " 3"


def test_day_states() -> None:
    today, selected = date(2026, 11, 23), date(2026, 11, 24)

    def states(day: date, open_count: int, total: int) -> set[str]:
        return set(
            day_states(day, today=today, selected=selected, open_count=open_count, total=total)
        )

    assert states(date(2026, 11, 20), 1, 1) == {"-overdue"}
    assert states(today, 1, 2) == {"-today"}
    assert states(selected, 1, 1) == {"-upcoming", "-selected"}
    assert states(date(2026, 12, 1), 0, 2) == {"-done", "-other-month"}


def test_heading_forms() -> None:
    book = AgendaByDay()
    book.load([entry("C-0001", at(24, 9)), entry("C-0002", at(24, 10), done=True)], UTC)
    day = book.day(date(2026, 11, 24))
    assert heading_forms(day, "Tue 24 Nov") == (
        "Tue 24 Nov — 2 follow-ups, 1 open",
        "Tue 24 Nov — 2 follow-ups",
        "Tue 24 Nov: 2 follow-ups",
        "Tue 24 Nov (2)",
    )
    assert heading_forms(NO_DAY, "Wed 25 Nov") == (
        "Nothing due on Wed 25 Nov.",
        "Wed 25 Nov: nothing due",
    )
