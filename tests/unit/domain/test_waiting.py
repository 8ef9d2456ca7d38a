"""Waiting on the customer until a time (issue 20, part 3): the case goes waiting and a
follow-up wakes it then ("no answer yet"), replaced by a new time, gone when the case
stops waiting; kept by both readers of the file."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import WAKE_ACTION, CaseDraft, DomainError, wait_until, waiting_until
from workbench.domain.model import Case, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage.records import case_from_record, case_to_record, cases_from_records


@pytest.fixture
def case(library: PlaybookLibrary) -> Case:
    return actions.open_case(CaseDraft("Late", "Ana"), "C-0001", library.get("unhappy"), NOW)


def test_waiting_until_sets_the_status_and_a_wake_up(case: Case) -> None:
    woken = wait_until(case, NOW + timedelta(days=2), NOW)
    assert case.status is Status.WAITING
    assert (woken.wakes, woken.action, woken.due) == (True, WAKE_ACTION, NOW + timedelta(days=2))
    assert waiting_until(case) is woken
    again = wait_until(case, NOW + timedelta(days=3), NOW)  # a new time replaces the old
    assert [f.id for f in case.open_followups] == [again.id] and case.followups[0].cancelled_at
    assert case.followups[0].note == "waiting until a new time"


def test_the_wake_up_goes_when_the_case_stops_waiting_and_other_follow_ups_stay(
    case: Case,
) -> None:
    other = actions.schedule_followup(case, NOW + timedelta(days=5), "Send the quote", NOW)
    wait_until(case, NOW + timedelta(days=2), NOW)
    actions.set_status(case, Status.IN_PROGRESS, NOW + timedelta(hours=3))
    assert waiting_until(case) is None
    assert [f.id for f in case.open_followups] == [other.id]
    assert case.timeline[-1].text.endswith("cancelled: no longer waiting on the customer")


def test_a_time_past_or_a_closed_case_is_refused(case: Case) -> None:
    with pytest.raises(DomainError, match="has passed"):
        wait_until(case, NOW - timedelta(minutes=1), NOW)
    actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True)
    with pytest.raises(DomainError):
        wait_until(case, NOW + timedelta(days=1), NOW)


def test_the_mark_is_kept_by_the_strict_and_the_fast_reader(case: Case) -> None:
    wait_until(case, NOW + timedelta(days=2), NOW)
    actions.schedule_followup(case, NOW + timedelta(days=4), "Ordinary", NOW)
    record = case_to_record(case)
    assert [f.get("wakes") for f in record["followups"]] == [True, None]  # absent when not
    for read in (
        case_from_record(record),
        cases_from_records([msgspec.Raw(msgspec.json.encode(record))])[0],
        cases_from_records([record])[0],
    ):
        assert [f.wakes for f in read.followups] == [True, False]


def test_closing_a_waiting_case_ends_its_wake_up_too(case: Case) -> None:
    wait_until(case, NOW + timedelta(days=2), NOW)
    actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True)
    assert waiting_until(case) is None and case.open_followups == []
