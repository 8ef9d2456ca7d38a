"""Undo and redo of one change: every action taken back exactly, what changed elsewhere
meanwhile kept, and a field changed again since named instead of clobbered."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.clock import NOW
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain import actions, agents
from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.model import Case, EventKind, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.undo import UndoConflict, differences, redo, summary, undo

LATER = NOW + timedelta(minutes=5)
MUCH_LATER = NOW + timedelta(minutes=10)


def a_case(library: PlaybookLibrary) -> Case:
    case = open_case(CaseDraft("Charged twice", "Ana Chen"), "C-0001", library.get("unhappy"), NOW)
    actions.schedule_followup(case, NOW + timedelta(days=1), "Call back", NOW)
    return case


def state(case: Case) -> Case:
    """Everything a person sees of a case but the timeline's log lines (undo adds one and
    removes none but the notes the change wrote) and the store's revision."""
    seen = copy.deepcopy(case)
    seen.timeline = [event for event in seen.timeline if event.kind is EventKind.NOTE]
    seen.revision = 0
    return seen


ACTIONS: dict[str, Callable[[Case, PlaybookLibrary], object]] = {
    "tick": lambda c, lib: actions.set_step(c, 0, True, LATER),  # also sets first contact
    "untick": lambda c, lib: (
        actions.set_step(c, 1, True, NOW),
        actions.set_step(c, 1, False, LATER),
    ),
    "step note": lambda c, lib: actions.set_step_note(c, 2, "Was shouting", LATER),
    "status": lambda c, lib: actions.set_status(c, Status.WAITING, LATER),
    "resolve": lambda c, lib: actions.set_status(c, Status.RESOLVED, LATER),
    "remedy": lambda c, lib: actions.record_remedy(c, "Refund", Decimal("49.90"), None, LATER),
    "close": lambda c, lib: actions.close_case(
        c, Outcome.RETAINED, LATER, allow_open_steps=True, cancel_followups=True
    ),
    "playbook": lambda c, lib: (
        actions.set_step(c, 0, True, NOW),
        actions.edit_case(c, CaseDraft("Charged twice", "Ana Chen"), LATER, lib.get("blame")),
    ),
    "edit": lambda c, lib: actions.edit_case(
        c, CaseDraft("Charged twice in March", "Ana Chen", heat=c.heat), LATER
    ),
    "follow-up scheduled": lambda c, lib: actions.schedule_followup(
        c, NOW + timedelta(days=3), "Check the refund", LATER
    ),
    "follow-up done": lambda c, lib: actions.complete_followup(c, 1, LATER, "All good"),
    "follow-up moved": lambda c, lib: actions.reschedule_followup(
        c, 1, NOW + timedelta(days=2), LATER
    ),
    "follow-up cancelled": lambda c, lib: actions.cancel_followup(c, 1, LATER),
    "assign": lambda c, lib: agents.assign(c, "bo", LATER),
    "timeline note": lambda c, lib: actions.add_note(c, "Promised a call", LATER),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_is_undone_exactly_and_redone(name: str, library: PlaybookLibrary) -> None:
    case = a_case(library)
    if name == "playbook":  # the tick before the change is part of "before"
        actions.set_step(case, 0, True, NOW)
    before = copy.deepcopy(case)
    ACTIONS[name](case, library)
    if name == "playbook":
        before = copy.deepcopy(before)
    after = copy.deepcopy(case)
    if name == "untick":  # the change is the untick alone
        before = copy.deepcopy(case)
        actions.set_step(before, 1, True, NOW)
    changes = differences(before, after)
    assert changes, "the action changed nothing"

    lines = len(case.timeline)
    said = undo(case, changes, MUCH_LATER, name)
    assert state(case) == state(before), said
    assert case.timeline[-1].text == f"Undone: {name} (back to {said})"
    moved = after.status is not before.status  # said as a change of status too
    if name != "timeline note":  # a note written by the change goes with it
        assert len(case.timeline) == lines + 1 + moved
    if moved:
        assert case.timeline[-2].text == f"Status: {after.status.label} → {before.status.label}"

    redo(case, changes, MUCH_LATER, name)
    assert state(case) == state(after)
    assert case.timeline[-1].text.startswith(f"Redone: {name} (")


def test_a_change_made_elsewhere_meanwhile_is_kept(library: PlaybookLibrary) -> None:
    case = a_case(library)
    before = copy.deepcopy(case)
    actions.set_step(case, 0, True, LATER)
    changes = differences(before, case)
    # Meanwhile, elsewhere: another step ticked, a note written, the owner set.
    actions.set_step(case, 3, True, LATER)
    actions.set_step_note(case, 2, "Calmer now", LATER)
    agents.assign(case, "bo", LATER)
    undo(case, changes, MUCH_LATER, "tick step")
    assert case.steps[0].done_at is None
    assert case.status is Status.NEW  # went with the tick
    assert case.steps[3].done_at == LATER
    assert case.steps[2].note == "Calmer now"
    assert case.owner == "bo"


def test_a_field_changed_again_since_is_named_and_nothing_is_changed(
    library: PlaybookLibrary,
) -> None:
    case = a_case(library)
    before = copy.deepcopy(case)
    actions.set_status(case, Status.WAITING, LATER)
    actions.set_step_note(case, 1, "First", LATER)
    changes = differences(before, case)
    actions.set_step_note(case, 1, "Changed by Bo", LATER)  # the same note, again
    kept = copy.deepcopy(case)
    with pytest.raises(UndoConflict) as caught:
        undo(case, changes, MUCH_LATER, "edit")
    assert str(caught.value) == "C-0001 has changed since: step 2's note. Nothing was changed."
    assert case == kept


def test_a_follow_up_done_since_it_was_scheduled_stops_its_undo(library: PlaybookLibrary) -> None:
    case = a_case(library)
    before = copy.deepcopy(case)
    added = actions.schedule_followup(case, NOW + timedelta(days=3), "Check", LATER)
    changes = differences(before, case)
    actions.complete_followup(case, added.id, LATER, "")
    with pytest.raises(UndoConflict, match="follow-up F2"):
        undo(case, changes, MUCH_LATER, "schedule")


def test_redo_after_the_field_moved_on_is_refused(library: PlaybookLibrary) -> None:
    case = a_case(library)
    before = copy.deepcopy(case)
    actions.set_status(case, Status.WAITING, LATER)
    changes = differences(before, case)
    undo(case, changes, LATER, "status")
    actions.set_status(case, Status.RESOLVED, LATER)
    with pytest.raises(UndoConflict, match="the status"):
        redo(case, changes, MUCH_LATER, "status")


def test_the_summary_says_what_comes_back(library: PlaybookLibrary) -> None:
    case = a_case(library)
    before = copy.deepcopy(case)
    actions.set_step(case, 0, True, LATER)
    actions.record_remedy(case, "Refund", Decimal(1), None, LATER)
    changes = differences(before, case)
    inverted = [d.inverted() for d in reversed(changes)]
    assert summary(case, inverted) == "step 1 not done, no remedy, status new"
    assert summary(before, changes) == "status in progress, remedy “Refund”, step 1 done"


# --- A model: any run of changes, then undone one by one, newest first -----------------

_STEPS = st.integers(min_value=0, max_value=4)
_CHANGES = st.one_of(
    st.tuples(st.just("tick"), _STEPS, st.booleans()),
    st.tuples(st.just("note"), _STEPS, st.sampled_from(["", "a", "b"])),
    st.tuples(st.just("status"), st.sampled_from([Status.NEW, Status.WAITING, Status.RESOLVED])),
    st.tuples(st.just("remedy"), st.sampled_from(["Refund", "Voucher"])),
    st.tuples(st.just("assign"), st.sampled_from(["", "bo", "cy"])),
    st.tuples(st.just("followup"), st.integers(min_value=1, max_value=9)),
    st.tuples(st.just("done"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("text"), st.sampled_from(["x", "y"])),
)


def _make(case: Case, change: tuple[object, ...]) -> None:
    kind, *args = change
    try:
        if kind == "tick":
            actions.set_step(case, args[0], args[1], LATER)  # type: ignore[arg-type]
        elif kind == "note":
            actions.set_step_note(case, args[0], args[1], LATER)  # type: ignore[arg-type]
        elif kind == "status":
            actions.set_status(case, args[0], LATER)  # type: ignore[arg-type]
        elif kind == "remedy":
            actions.record_remedy(case, args[0], Decimal(5), None, LATER)  # type: ignore[arg-type]
        elif kind == "assign":
            agents.assign(case, args[0], LATER)  # type: ignore[arg-type]
        elif kind == "followup":
            actions.schedule_followup(case, NOW + timedelta(days=args[0]), "Call", LATER)  # type: ignore[operator]
        elif kind == "done":
            actions.complete_followup(case, args[0], LATER)  # type: ignore[arg-type]
        else:
            actions.add_note(case, args[0], LATER)  # type: ignore[arg-type]
    except actions.DomainError:
        pass  # refused by the rules (a follow-up done twice): changes nothing


@settings(max_examples=150, deadline=None)
@given(changes=st.lists(_CHANGES, max_size=12))
def test_undoing_every_change_newest_first_gives_back_the_first_case(
    changes: list[tuple[object, ...]],
) -> None:
    from workbench.storage.playbook_files import load_library

    case = a_case(load_library(None))
    states = [state(case)]
    done = []
    for change in changes:
        before = copy.deepcopy(case)
        _make(case, change)
        found = differences(before, case)
        if found:
            done.append(found)
            states.append(state(case))
    for found in reversed(done):
        states.pop()
        undo(case, found, MUCH_LATER, "change")
        assert state(case) == states[-1]
    # …and redone oldest first, every state comes back in turn.
    for found, expected in zip(done, _after_each(changes), strict=True):
        redo(case, found, MUCH_LATER, "change")
        assert state(case) == expected


def _after_each(changes: list[tuple[object, ...]]) -> list[Case]:
    from workbench.storage.playbook_files import load_library

    case = a_case(load_library(None))
    states = []
    for change in changes:
        before = copy.deepcopy(case)
        _make(case, change)
        if differences(before, case):
            states.append(state(case))
    return states


def test_a_change_to_a_case_closed_since_is_not_taken_back(library: PlaybookLibrary) -> None:
    case = a_case(library)
    actions.set_status(case, Status.IN_PROGRESS, NOW)
    before = copy.deepcopy(case)
    actions.set_step(case, 1, True, LATER)  # the status stays: in progress already
    changes = differences(before, case)
    assert [d.path for d in changes] == [("steps", ("", "listen"), "done_at")]
    actions.close_case(case, Outcome.LOST, LATER, allow_open_steps=True)  # by someone else
    kept = copy.deepcopy(case)
    with pytest.raises(UndoConflict, match=r"has been closed since \(lost\); a closed case's"):
        undo(case, changes, MUCH_LATER, "tick step")
    assert case == kept
