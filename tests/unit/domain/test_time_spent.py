"""What a case cost in time: the timer, minutes logged, their bounds, the record, and the
insight figures by outcome and playbook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError, open_case
from workbench.domain.insight import Period, compute
from workbench.domain.limits import MAX_MINUTES
from workbench.domain.model import Case, Outcome, TimeSpent
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import Targets
from workbench.domain.time_spent import (
    log_time,
    minutes_words,
    parse_minutes,
    running_for,
    start_timer,
    stop_timer,
)
from workbench.storage.record_reader import case_from_record
from workbench.storage.records import case_to_record


def a_case(library: PlaybookLibrary, number: int = 1, playbook: str = "unhappy") -> Case:
    return open_case(
        CaseDraft("Charged twice", "Ana Chen"), f"C-{number:04d}", library.get(playbook), NOW
    )


def test_the_timer_keeps_what_it_timed_in_whole_minutes(library: PlaybookLibrary) -> None:
    case = a_case(library)
    start_timer(case, NOW, "cleo")
    assert (case.timer_started_at, case.timer_by) == (NOW, "cleo")
    entry = stop_timer(case, NOW + timedelta(minutes=24, seconds=40))
    assert entry == TimeSpent(NOW, 25, "cleo", "")
    assert case.timer_started_at is None and case.timer_by == ""
    assert [e.text for e in case.timeline[-2:]] == ["Timer started", "Timer stopped: 25m"]
    start_timer(case, NOW, "cleo")
    assert stop_timer(case, NOW + timedelta(seconds=5)).minutes == 1  # never zero
    assert case.minutes_spent == 26


def test_a_timer_left_overnight_is_stopped_at_the_most_one_entry_holds(
    library: PlaybookLibrary,
) -> None:
    case = a_case(library)
    start_timer(case, NOW, "cleo")
    entry = stop_timer(case, NOW + timedelta(hours=15))
    assert entry.minutes == MAX_MINUTES
    assert case.timeline[-1].text == (
        "Timer stopped: 12h (it ran 15h; one entry holds at most 12 h)"
    )


def test_one_timer_a_case_and_none_to_stop_are_refused(library: PlaybookLibrary) -> None:
    case = a_case(library)
    with pytest.raises(DomainError, match="No timer runs on C-0001"):
        stop_timer(case, NOW)
    start_timer(case, NOW, "bo")
    with pytest.raises(DomainError, match="C-0001 already has bo's timer running, since 14:30"):
        start_timer(case, NOW, "cleo")
    with pytest.raises(DomainError, match="already has your timer"):
        start_timer(case, NOW, "bo")


def test_running_for_finds_the_agents_one_timer(library: PlaybookLibrary) -> None:
    first, second = a_case(library, 1), a_case(library, 2)
    start_timer(second, NOW, "cleo")
    start_timer(first, NOW, "bo")
    assert running_for([first, second], "cleo") is second
    assert running_for([first, second], "dee") is None


def test_minutes_logged_on_a_call(library: PlaybookLibrary) -> None:
    case = a_case(library)
    entry = log_time(case, 25, NOW, "cleo", "empathise")
    assert entry == TimeSpent(NOW - timedelta(minutes=25), 25, "cleo", "empathise")
    assert case.timeline[-1].text == "Time logged on “Empathise — say you're sorry”: 25m"
    with pytest.raises(DomainError, match="has no step “nope”"):
        log_time(case, 5, NOW, "cleo", "nope")
    for wrong in (0, -3, MAX_MINUTES + 1):
        with pytest.raises(DomainError, match="Log from 1 to 720 minutes"):
            log_time(case, wrong, NOW, "cleo")
    assert case.minutes_spent == 25


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        *[("25", 25), ("25m", 25), (" 25 min ", 25), ("1h", 60), ("1h 30m", 90)],
        *[("1:30", 90), ("1.5h", 90), ("2h5", 125)],
    ],
)
def test_minutes_as_typed(typed: str, minutes: int) -> None:
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["", "soon", "1h x", "1:xx", "½h"])
def test_what_is_not_minutes_is_said(typed: str) -> None:
    with pytest.raises(DomainError, match="is not a number of minutes"):
        parse_minutes(typed)


def test_minutes_words() -> None:
    assert [minutes_words(m) for m in (0, 5, 60, 65, 720)] == ["0m", "5m", "1h", "1h 05m", "12h"]


def test_time_and_a_running_timer_survive_the_record(library: PlaybookLibrary) -> None:
    case = a_case(library)
    log_time(case, 25, NOW, "cleo", "empathise")
    log_time(case, 5, NOW, "")
    start_timer(case, NOW, "bo")
    record = case_to_record(case)
    assert record["time_spent"][1] == {
        "started_at": record["time_spent"][1]["started_at"],
        "minutes": 5,
    }
    assert case_from_record(record) == case
    assert "time_spent" not in case_to_record(a_case(library))  # absent when none


@pytest.mark.parametrize("minutes", [0, -1, MAX_MINUTES + 1, 10**30])
def test_an_absurd_entry_in_a_file_is_refused_in_words(
    library: PlaybookLibrary, minutes: int
) -> None:
    record = case_to_record(a_case(library))
    record["time_spent"] = [{"started_at": NOW.isoformat(), "minutes": minutes}]
    with pytest.raises(ValueError, match=r"minutes|number"):
        case_from_record(record)


def test_handling_time_by_outcome_and_playbook(library: PlaybookLibrary) -> None:
    kept = a_case(library, 1)
    log_time(kept, 30, NOW - timedelta(days=1), "cleo")
    actions.close_case(kept, Outcome.RETAINED, NOW, allow_open_steps=True)
    lost = a_case(library, 2, "blame")
    log_time(lost, 45, NOW - timedelta(days=1), "cleo")
    actions.close_case(lost, Outcome.LOST, NOW, allow_open_steps=True)
    still_open = a_case(library, 3)
    log_time(still_open, 10, NOW - timedelta(days=40), "cleo")  # outside this month
    log_time(still_open, 5, NOW - timedelta(hours=1), "cleo")
    insight = compute([kept, lost, still_open], Period.MONTH, NOW, week_start=0, targets=Targets())
    assert insight.outcome(Outcome.RETAINED).minutes == 30
    assert insight.outcome(Outcome.LOST).minutes == 45
    assert insight.minutes == 75
    assert {row.key: row.minutes for row in insight.playbooks} == {"unhappy": 30, "blame": 45}
    assert insight.minutes_logged == 30 + 45 + 5


def test_time_across_a_clock_change_is_real_time(library: PlaybookLibrary) -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    case = a_case(library)
    start = datetime(2026, 3, 29, 1, 30, tzinfo=berlin)  # half an hour before 02:00 → 03:00
    start_timer(case, start, "cleo")
    entry = stop_timer(case, datetime(2026, 3, 29, 3, 30, tzinfo=berlin))
    assert entry.minutes == 60  # one real hour, not two on the wall clock
    logged = log_time(case, 90, datetime(2026, 3, 29, 3, 30, tzinfo=berlin), "cleo")
    assert logged.started_at.astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed", ["1h-5m", "1:-30", "-1:90", "١٢", "1_0", "infh", "1e400h", "99999", "1:30:00"]
)
def test_minutes_typed_oddly_are_refused_not_guessed(typed: str) -> None:
    with pytest.raises(DomainError, match="is not a number of minutes"):
        parse_minutes(typed)


def test_minutes_after_hours_stay_under_sixty() -> None:
    with pytest.raises(DomainError, match="fewer than 60 minutes"):
        parse_minutes("1h 75m")
