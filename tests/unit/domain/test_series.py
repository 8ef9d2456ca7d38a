"""Follow-up series (issue 20, part 5): done, a follow-up of a series is followed by the
next one its gap later (the first such time still ahead), so many times in all or until
the case is resolved; both readers of the file keep the series."""

from __future__ import annotations

from datetime import datetime, timedelta

import msgspec
import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.model import Case, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.reminders import parse_every, parse_series
from workbench.storage.records import (
    OutOfBounds,
    case_from_record,
    case_to_record,
    cases_from_records,
    check_case_records,
)


@pytest.fixture
def case(library: PlaybookLibrary) -> Case:
    made = actions.open_case(CaseDraft("Late", "Ana"), "C-0001", library.get("unhappy"), NOW)
    first = actions.schedule_followup(made, NOW + timedelta(days=1), "Check the fix holds", NOW)
    actions.repeat_followup(made, first.id, 7, 3)
    return made


def test_done_schedules_the_next_until_the_series_has_run(case: Case) -> None:
    later = NOW + timedelta(days=1, hours=1)
    actions.complete_followup(case, 1, later)
    [second] = case.open_followups
    assert (second.id, second.due, second.action) == (
        2,
        NOW + timedelta(days=8),
        "Check the fix holds",
    )
    assert (second.every_days, second.repeats_left) == (7, 1)
    actions.complete_followup(case, 2, NOW + timedelta(days=8))
    [third] = case.open_followups
    assert third.repeats_left == 0
    actions.complete_followup(case, 3, NOW + timedelta(days=15))
    assert case.open_followups == []  # three in all


def test_the_next_is_the_first_time_still_ahead(case: Case) -> None:
    actions.complete_followup(case, 1, NOW + timedelta(days=20))  # done very late
    [nxt] = case.open_followups
    assert nxt.due == NOW + timedelta(days=22)  # 1 + 7 + 7 + 7 days: the first one ahead


def test_a_resolved_case_or_a_cancelled_one_ends_the_series(case: Case) -> None:
    actions.set_status(case, Status.RESOLVED, NOW)
    actions.complete_followup(case, 1, NOW + timedelta(days=1))
    assert case.open_followups == []


def test_until_resolved_goes_on(library: PlaybookLibrary) -> None:
    made = actions.open_case(CaseDraft("Late", "Ana"), "C-0001", library.get("unhappy"), NOW)
    actions.schedule_followup(made, NOW + timedelta(days=1), "Weekly check", NOW)
    actions.repeat_followup(made, 1, 7, None)
    for n in range(1, 6):
        actions.complete_followup(made, n, NOW + timedelta(days=1 + 7 * (n - 1)))
    assert [f.id for f in made.open_followups] == [6] and made.open_followups[
        0
    ].repeats_left is None


@pytest.mark.parametrize(("every", "times"), [(0, None), (366, None), (7, 1), (7, 102)])
def test_a_series_that_wont_do_is_refused(case: Case, every: int, times: int | None) -> None:
    with pytest.raises(DomainError):
        actions.repeat_followup(case, 1, every, times)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("every week", 7),
        ("weekly", 7),
        ("3d", 3),
        ("2 weeks", 14),
        ("daily", 1),
        ("every 10 days", 10),
    ],
)
def test_gaps_in_words(text: str, days: int) -> None:
    assert parse_every(text) == days


def test_both_readers_keep_the_series_and_refuse_absurd_values(case: Case) -> None:
    record = case_to_record(case)
    assert record["followups"][0]["every_days"] == 7 and record["followups"][0]["repeats_left"] == 2
    for read in (
        case_from_record(record),
        cases_from_records([msgspec.Raw(msgspec.json.encode(record))])[0],
    ):
        assert (read.followups[0].every_days, read.followups[0].repeats_left) == (7, 2)
    record["followups"][0]["every_days"] = 10**9
    with pytest.raises(OutOfBounds):
        case_from_record(record)
    with pytest.raises(OutOfBounds):  # what every file's records pass before they are read
        check_case_records({"1": record})


def test_a_weekly_follow_up_keeps_its_hour_across_summer_time(library: PlaybookLibrary) -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    before = datetime(2027, 3, 26, 10, 0, tzinfo=berlin)  # winter time, +01:00
    made = actions.open_case(CaseDraft("Late", "Ana"), "C-0001", library.get("unhappy"), before)
    actions.schedule_followup(made, before + timedelta(hours=1), "Weekly check", before)
    actions.repeat_followup(made, 1, 7, None)
    actions.complete_followup(made, 1, before + timedelta(hours=2))
    [nxt] = made.open_followups
    assert nxt.due.astimezone(berlin).hour == 11 and nxt.due.astimezone(berlin).day == 2


def test_a_gap_of_nothing_is_refused() -> None:
    with pytest.raises(DomainError, match="every day or more"):
        parse_every("0d")


@pytest.mark.parametrize(
    ("text", "series"),
    [
        ("every week", (7, None)),
        ("3d", (3, None)),
        ("every 2 weeks, 4 times", (14, 4)),
        ("every day x5", (1, 5)),
        ("weekly x 3", (7, 3)),
    ],
)
def test_a_series_as_typed_in_the_form(text: str, series: tuple[int, int | None]) -> None:
    assert parse_series(text) == series


@pytest.mark.parametrize("text", ["every fortnight", "3 times", "every week, many times"])
def test_a_series_that_wont_do_is_refused_in_words(text: str) -> None:
    with pytest.raises(DomainError, match="is not a repeat"):
        parse_series(text)
