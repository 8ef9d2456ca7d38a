"""Saving what is already there changes nothing: no timeline line, no field touched.

Every action that sets something (a remedy, a status, a note, the case's fields, a
follow-up's time) is tried twice with the same value; the second time must leave the
case exactly as the first left it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Status
from workbench.domain.playbooks import PlaybookLibrary

Draft = Callable[..., CaseDraft]
Change = Callable[[Case, datetime], object]


@pytest.fixture
def case(make_draft: Draft, library: PlaybookLibrary, now: datetime) -> Case:
    case = actions.open_case(make_draft(), "C-0001", library.get("our-mistake"), now)
    actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    return case


def _same_draft(case: Case) -> CaseDraft:
    return CaseDraft.of(case)


CHANGES: dict[str, Change] = {
    "record_remedy": lambda c, t: actions.record_remedy(c, "Refund", Decimal("49.90"), True, t),
    "record_remedy, cost written shorter": lambda c, t: actions.record_remedy(
        c, " Refund ", Decimal("49.9"), True, t
    ),
    "set_status": lambda c, t: actions.set_status(c, Status.WAITING, t),
    "set_step_note": lambda c, t: actions.set_step_note(c, 0, "Said sorry", t),
    "set_step_note, spaces around": lambda c, t: actions.set_step_note(c, 0, " Said sorry\n", t),
    "set_step": lambda c, t: actions.set_step(c, 1, True, t),
    "edit_case": lambda c, t: actions.edit_case(c, _same_draft(c), t),
    "reschedule_followup": lambda c, t: actions.reschedule_followup(
        c, 1, datetime(2026, 12, 1, 9, 30, tzinfo=t.tzinfo), t
    ),
    "record_contact": lambda c, t: actions.record_contact(c, t),
}

SETUP: dict[str, Change] = {
    "record_remedy, cost written shorter": CHANGES["record_remedy"],
    "set_step_note, spaces around": CHANGES["set_step_note"],
    "edit_case": lambda c, t: actions.edit_case(c, _same_draft(c), t),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_doing_it_again_adds_nothing(case: Case, now: datetime, name: str) -> None:
    later = now + timedelta(hours=1)
    (SETUP.get(name) or CHANGES[name])(case, now)  # the first time: the change itself
    before = copy.deepcopy(case)
    CHANGES[name](case, later)  # the same again, later
    assert case == before
    assert case.timeline == before.timeline


def test_an_unchanged_remedy_is_the_one_kept(case: Case, now: datetime) -> None:
    first = actions.record_remedy(case, "Refund", Decimal("49.90"), None, now)
    again = actions.record_remedy(case, "Refund", Decimal("49.90"), None, now + timedelta(1))
    assert again is first  # when it was offered stays the first time
    assert [e.text for e in case.timeline].count(case.timeline[-1].text) == 1


@pytest.mark.parametrize(
    ("description", "cost", "accepted"),
    [
        ("Refund in full", Decimal("49.90"), None),
        ("Refund", Decimal("49.91"), None),
        ("Refund", Decimal("49.90"), True),
        ("Refund", Decimal("49.90"), False),
    ],
)
def test_a_remedy_changed_in_any_part_is_recorded(
    case: Case, now: datetime, description: str, cost: Decimal, accepted: bool | None
) -> None:
    actions.record_remedy(case, "Refund", Decimal("49.90"), None, now)
    logged = len(case.timeline)
    actions.record_remedy(case, description, cost, accepted, now)
    assert len(case.timeline) == logged + 1
    assert case.remedy is not None
    assert (case.remedy.description, case.remedy.cost, case.remedy.accepted) == (
        description,
        cost,
        accepted,
    )


def test_moving_a_follow_up_to_its_own_time_in_another_zone_is_no_move(
    case: Case, now: datetime
) -> None:
    due = case.followups[0].due
    logged = len(case.timeline)
    actions.reschedule_followup(case, 1, due.astimezone(), now)  # the same instant
    assert len(case.timeline) == logged
    actions.reschedule_followup(case, 1, due + timedelta(minutes=1), now)
    assert len(case.timeline) == logged + 1
