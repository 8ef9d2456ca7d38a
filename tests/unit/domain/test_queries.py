"""Which cases a list shows: the status filter, the overdue follow-ups, a customer's cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers.clock import NOW

from workbench.domain.model import Case, FollowUp, Status
from workbench.domain.queries import (
    StatusFilter,
    customer_cases,
    overdue_followups,
    split_overdue,
    with_status,
)


def case(
    number: int,
    status: Status = Status.NEW,
    customer: str = "Ana Chen",
    opened: datetime = NOW - timedelta(days=1),
    followups: list[FollowUp] | None = None,
) -> Case:
    return Case(
        id=f"C-{number:04d}",
        title="Charged twice",
        customer=customer,
        opened_at=opened,
        playbook="unhappy",
        status=status,
        followups=followups or [],
    )


def followup(
    number: int, due: datetime, *, done: bool = False, cancelled: bool = False
) -> FollowUp:
    return FollowUp(
        id=number,
        due=due,
        action="call back",
        done_at=due if done else None,
        cancelled_at=due if cancelled else None,
    )


ONE_OF_EACH = [case(number, status) for number, status in enumerate(Status, start=1)]


# -- the status filter -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status_filter", "admitted"),
    [
        (StatusFilter.OPEN, {Status.NEW, Status.IN_PROGRESS, Status.WAITING}),
        (StatusFilter.ALL, set(Status)),
        (StatusFilter.NEW, {Status.NEW}),
        (StatusFilter.IN_PROGRESS, {Status.IN_PROGRESS}),
        (StatusFilter.WAITING, {Status.WAITING}),
        (StatusFilter.RESOLVED, {Status.RESOLVED}),
        (StatusFilter.CLOSED, {Status.CLOSED}),
    ],
)
def test_each_quick_filter_admits_its_statuses(
    status_filter: StatusFilter, admitted: set[Status]
) -> None:
    assert {c.status for c in ONE_OF_EACH if status_filter.admits(c)} == admitted


def test_quick_filters_are_labelled_for_the_list_title() -> None:
    assert StatusFilter.OPEN.label == "open cases"
    assert StatusFilter.ALL.label == "all cases"
    assert StatusFilter.WAITING.label == "waiting on customer"
    assert StatusFilter.IN_PROGRESS.label == "in progress"


def test_with_no_status_named_only_open_cases_are_listed() -> None:
    listed = with_status(ONE_OF_EACH)
    assert [c.status for c in listed] == [Status.NEW, Status.IN_PROGRESS, Status.WAITING]


def test_every_case_when_asked_for() -> None:
    assert with_status(ONE_OF_EACH, every=True) == ONE_OF_EACH


def test_statuses_named_win_over_every_and_keep_the_order_given() -> None:
    mixed = [case(1, Status.CLOSED), case(2, Status.NEW), case(3, Status.CLOSED)]
    listed = with_status(mixed, [Status.CLOSED], every=True)
    assert [c.id for c in listed] == ["C-0001", "C-0003"]
    assert with_status(mixed, {Status.RESOLVED}) == []


# -- overdue follow-ups ------------------------------------------------------------------
def test_overdue_follow_ups_are_the_open_ones_due_before_now_longest_overdue_first() -> None:
    hour = timedelta(hours=1)
    first = case(
        1,
        followups=[
            followup(1, NOW - hour),
            followup(2, NOW - 5 * hour, done=True),
            followup(3, NOW - 4 * hour, cancelled=True),
            followup(4, NOW + hour),  # not due yet
        ],
    )
    second = case(2, followups=[followup(1, NOW - 3 * hour), followup(2, NOW)])  # due now: not late
    rows = overdue_followups([first, second], NOW)
    assert [(c.id, item.id) for c, item in rows] == [("C-0002", 1), ("C-0001", 1)]
    assert all(c.followup(item.id) is item for c, item in rows)


def test_overdue_follow_ups_due_together_stay_in_the_order_met() -> None:
    due = NOW - timedelta(days=2)
    cases = [case(3, followups=[followup(1, due)]), case(1, followups=[followup(1, due)])]
    assert [c.id for c, _ in overdue_followups(cases, NOW)] == ["C-0003", "C-0001"]


def test_split_overdue_keeps_the_order_given_in_both_parts() -> None:
    hour = timedelta(hours=1)
    first = case(
        1,
        followups=[
            followup(1, NOW + 2 * hour),
            followup(2, NOW - hour),
            followup(3, NOW - 5 * hour, done=True),  # done: not overdue
            followup(4, NOW),  # due now: not late
        ],
    )
    second = case(2, followups=[followup(1, NOW - 3 * hour), followup(2, NOW + hour)])
    rows = [(first, item) for item in first.followups] + [(second, i) for i in second.followups]
    overdue, coming = split_overdue(rows, NOW)
    assert [(c.id, item.id) for c, item in overdue] == [("C-0001", 2), ("C-0002", 1)]
    assert [(c.id, item.id) for c, item in coming] == [
        ("C-0001", 1),
        ("C-0001", 3),
        ("C-0001", 4),
        ("C-0002", 2),
    ]
    assert split_overdue([], NOW) == ([], [])


def test_a_closed_cases_open_follow_up_still_counts_as_overdue() -> None:
    """What is overdue is the follow-up's own rule; the case's status does not hide it."""
    closed = case(1, Status.CLOSED, followups=[followup(1, NOW - timedelta(minutes=1))])
    assert len(overdue_followups([closed], NOW)) == 1


def test_nothing_overdue() -> None:
    assert overdue_followups([case(1), case(2, followups=[followup(1, NOW)])], NOW) == []


# -- a customer's cases ------------------------------------------------------------------
def test_a_customers_cases_match_the_whole_name_case_aside_newest_first() -> None:
    day = timedelta(days=1)
    cases = [
        case(1, customer="Ana Chen", opened=NOW - 3 * day),
        case(2, customer="ANA CHEN", opened=NOW - day, status=Status.CLOSED),
        case(3, customer="Ana Cheng", opened=NOW),  # another customer
        case(4, customer="ana chen", opened=NOW - 2 * day),
        case(5, customer="Bruno", opened=NOW),
    ]
    assert [c.id for c in customer_cases(cases, "Ana Chen")] == ["C-0002", "C-0004", "C-0001"]


def test_case_is_set_aside_the_way_casefold_does_it() -> None:
    cases = [case(1, customer="Straße"), case(2, customer="STRASSE")]
    assert [c.id for c in customer_cases(cases, "strasse")] == ["C-0001", "C-0002"]


def test_accents_count_in_a_customers_name() -> None:
    cases = [case(1, customer="Zoë"), case(2, customer="Zoe")]
    assert [c.id for c in customer_cases(cases, "zoë")] == ["C-0001"]


def test_cases_opened_together_stay_in_the_order_met() -> None:
    cases = [case(2), case(1), case(3)]
    assert [c.id for c in customer_cases(cases, "ana chen")] == ["C-0002", "C-0001", "C-0003"]
