"""Which cases a list shows: by status, the overdue follow-ups, one customer's cases.

The screen and the command line ask the same questions of the cases they hold; the
answers are worked out here, once, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from enum import StrEnum

from workbench.domain.customers import customer_key
from workbench.domain.model import Case, FollowUp, Status


class StatusFilter(StrEnum):
    """Quick filters of the case list, cycled with a key: open cases (what the list
    starts with), every case, or the cases of one status."""

    OPEN = "open"
    ALL = "all"
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"

    def admits(self, case: Case) -> bool:
        # Called for every case each time the list is built, so plain comparisons.
        if self is StatusFilter.OPEN:
            return case.status.is_open
        if self is StatusFilter.ALL:
            return True
        return case.status.value == self.value

    @property
    def label(self) -> str:
        if self in (StatusFilter.OPEN, StatusFilter.ALL):
            return f"{self.value} cases"
        return Status(self.value).label


def with_status(
    cases: Iterable[Case], statuses: Collection[Status] = (), *, every: bool = False
) -> list[Case]:
    """The cases with one of ``statuses``, in the order given. With none named, every
    case if ``every``, otherwise the open ones: resolved and closed cases need no more
    work, so they are left out unless asked for (as the case list does)."""
    if statuses:
        return [case for case in cases if case.status in statuses]
    admits = (StatusFilter.ALL if every else StatusFilter.OPEN).admits
    return [case for case in cases if admits(case)]


def overdue_followups(cases: Iterable[Case], now: datetime) -> list[tuple[Case, FollowUp]]:
    """Every open follow-up due before ``now``, with its case, the longest overdue first
    (of two due together, the one met first in ``cases``)."""
    return sorted(
        ((case, item) for case in cases for item in case.followups if item.is_overdue(now)),
        key=lambda row: row[1].due,
    )


def split_overdue(
    rows: Iterable[tuple[Case, FollowUp]], now: datetime
) -> tuple[list[tuple[Case, FollowUp]], list[tuple[Case, FollowUp]]]:
    """The follow-ups of ``rows`` that are overdue at ``now`` (open and due before it), then
    the rest, each part in the order given (an agenda calls the overdue ones first)."""
    overdue: list[tuple[Case, FollowUp]] = []
    coming: list[tuple[Case, FollowUp]] = []
    for row in rows:
        (overdue if row[1].is_overdue(now) else coming).append(row)
    return overdue, coming


def customer_cases(cases: Iterable[Case], customer: str) -> list[Case]:
    """The cases of one customer, the newest opened first (of two opened together, the
    one met first in ``cases``). The name is matched whole, with case and runs of blanks
    set aside: the same customer is typed "ana  chen" one time and "Ana Chen" the next.
    Accents count."""
    key = customer_key(customer)
    return sorted(
        (case for case in cases if customer_key(case.customer) == key),
        key=lambda case: case.opened_at,
        reverse=True,
    )


def owned_by(cases: Iterable[Case], owner: str | None) -> list[Case]:
    """The cases ``owner`` has ("" for those no one has); every case for None."""
    if owner is None:
        return list(cases)
    return [case for case in cases if case.owner == owner]
