"""Agents: a case's owner, assigning it, and every change's lines signed by whoever made
it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from workbench.domain import actions, agents
from workbench.domain.actions import CaseDraft, ValidationError
from workbench.domain.model import Case, EventKind
from workbench.domain.playbooks import PlaybookLibrary


@pytest.fixture
def case(library: PlaybookLibrary, now: datetime) -> Case:
    return actions.open_case(CaseDraft("Late", "Ana Chen"), "C-0001", library.get("unhappy"), now)


def test_assigning_passing_and_taking_back_each_leave_a_line(case: Case, now: datetime) -> None:
    assert agents.assign(case, "ana", now)
    assert not agents.assign(case, " ana ", now)  # already hers: nothing changes
    assert agents.assign(case, "bo", now + timedelta(minutes=1))
    assert agents.assign(case, "", now + timedelta(minutes=2))
    lines = [e.text for e in case.timeline if e.kind is EventKind.ASSIGNED]
    assert lines == ["Assigned to ana", "Passed from ana to bo", "No longer assigned (was bo)"]
    assert case.owner == ""


@pytest.mark.parametrize(
    ("name", "why"),
    [("   ", "Give the agent's name"), ("x" * 65, "under 64"), ("ana\x1b[2J", "control")],
)
def test_an_agents_name_is_checked(case: Case, now: datetime, name: str, why: str) -> None:
    with pytest.raises(ValidationError) as refused:
        agents.assign(case, name, now)
    assert why in str(refused.value)
    assert case.owner == ""


def test_a_change_signs_only_the_lines_it_adds(case: Case, now: datetime) -> None:
    before = len(case.timeline)
    actions.add_note(case, "unsigned, before", now)
    signed = agents.signed(lambda c: actions.add_note(c, "from ana", now), "ana")
    signed(case)
    authors = [(e.text, e.author) for e in case.timeline[before:]]
    assert authors == [("unsigned, before", ""), ("from ana", "ana")]


def test_no_author_signs_nothing(case: Case, now: datetime) -> None:
    change = agents.signed(lambda c: actions.add_note(c, "anonymous", now), "")
    change(case)
    assert case.timeline[-1].author == ""


def test_the_agent_opening_a_case_owns_it_and_signs_its_first_lines(
    library: PlaybookLibrary, now: datetime
) -> None:
    draft = CaseDraft("Late", "Ana Chen")
    case = actions.open_case(draft, "C-0001", library.get("unhappy"), now, author="cleo")
    assert case.owner == "cleo"
    assert case.timeline and all(event.author == "cleo" for event in case.timeline)
