"""Nothing lost, misread or overwritten: a change of playbook keeps what was done and
written, and a form's text meeting one changed elsewhere meanwhile keeps both."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from workbench.domain import actions, edits
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.merge import SEPARATOR
from workbench.domain.model import Case, Channel, EventKind, Heat, Outcome, Remedy, Status
from workbench.domain.playbooks import PlaybookLibrary

Draft = Callable[..., CaseDraft]


@pytest.fixture
def names(library: PlaybookLibrary) -> dict[str, str]:
    return {playbook.key: playbook.name for playbook in library}


@pytest.fixture
def case(make_draft: Draft, library: PlaybookLibrary, now: datetime) -> Case:
    """Worked with the blame playbook: step 1 done with a note, step 2 only noted, the
    last ("follow-up", a key every built-in shares) done with a note."""
    case = actions.open_case(make_draft(tags=["vip"]), "C-0001", library.get("blame"), now)
    actions.set_step(case, 0, True, now)
    actions.set_step_note(case, 0, "She says the courier left it outside", now)
    actions.set_step_note(case, 1, "Asked for the tracking number", now)
    last = len(case.steps) - 1
    actions.set_step(case, last, True, now)
    actions.set_step_note(case, last, "Called back on Friday", now)
    return case


def draft_of(case: Case, **changes: object) -> CaseDraft:
    return replace(CaseDraft.of(case), **changes)  # type: ignore[arg-type]


# -- a change of playbook ---------------------------------------------------------------


def test_a_new_playbook_keeps_done_and_noted_steps_after_its_own(
    case: Case, library: PlaybookLibrary, names: dict[str, str], now: datetime
) -> None:
    blame = case.steps[:]
    edit = actions.edit_case(case, draft_of(case), now, library.get("wrong"), names=names)
    assert edit.changed == ("playbook",)
    wrong = library.get("wrong")
    assert case.playbook == "wrong"
    assert [s.key for s in case.playbook_steps] == [s.key for s in wrong.steps]
    # The shared step takes its tick and note over; the others stay, marked, after.
    follow_up = case.steps[[s.key for s in case.steps].index("follow-up")]
    assert follow_up.done_at == blame[-1].done_at
    assert follow_up.note == "Called back on Friday"
    assert not follow_up.kept
    kept = case.steps[len(wrong.steps) :]
    assert [(s.title, s.done, s.note, s.from_playbook) for s in kept] == [
        (blame[0].title, True, "She says the courier left it outside", "blame"),
        (blame[1].title, False, "Asked for the tracking number", "blame"),
    ]
    assert case.timeline[-1].kind is EventKind.EDITED
    assert case.timeline[-1].text == (
        "Changed playbook from “Customer blames you” to “Customer is wrong”. "
        f"Carried over: “{follow_up.title}” (done, with its note). "
        f"Kept from “Customer blames you”: “{blame[0].title}” (done, with its note); "
        f"“{blame[1].title}” (not done, with its note)"
    )


def test_kept_steps_are_never_open_steps(
    case: Case, library: PlaybookLibrary, now: datetime
) -> None:
    actions.edit_case(case, draft_of(case), now, library.get("wrong"))
    assert all(not step.kept for step in case.open_steps)
    for index, step in enumerate(case.steps):
        if not step.kept:
            actions.set_step(case, index, True, now)
    assert case.open_steps == []
    actions.close_case(case, Outcome.RETAINED, now)  # no confirmation needed
    assert case.status is Status.CLOSED


def test_moving_back_carries_kept_steps_into_their_playbook_again(
    case: Case, library: PlaybookLibrary, now: datetime
) -> None:
    before = [(s.key, s.done_at, s.note) for s in case.steps if s.done or s.note]
    actions.edit_case(case, draft_of(case), now, library.get("wrong"))
    actions.edit_case(case, draft_of(case), now, library.get("unhappy"))
    assert {s.from_playbook for s in case.steps if s.kept} == {"blame"}  # not re-labelled
    actions.edit_case(case, draft_of(case), now, library.get("blame"))
    assert not any(step.kept for step in case.steps)
    assert [(s.key, s.done_at, s.note) for s in case.steps if s.done or s.note] == before


def test_a_playbook_change_with_nothing_done_says_so(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = actions.open_case(make_draft(), "C-0002", library.get("blame"), now)
    actions.edit_case(case, draft_of(case), now, library.get("wrong"))
    assert case.steps == library.get("wrong").new_steps()
    assert case.timeline[-1].text == (
        "Changed playbook from “blame” to “wrong”; no step of it had been done or noted"
    )


def test_an_edit_without_a_playbook_leaves_the_steps(case: Case, now: datetime) -> None:
    steps = copy.deepcopy(case.steps)
    assert actions.edit_case(case, draft_of(case, heat=Heat.CALM), now).changed == ("heat",)
    assert case.steps == steps


# -- a case's details: three ways -------------------------------------------------------


def test_fields_left_as_they_were_keep_what_changed_elsewhere(case: Case, now: datetime) -> None:
    base = draft_of(case)
    actions.edit_case(case, draft_of(case, heat=Heat.CALM, tags=["vip", "legal"]), now)
    edit = actions.edit_case(case, replace(base, title="Charged twice"), now, base=base)
    assert edit.changed == ("title",)
    assert case.title == "Charged twice"
    assert case.heat is Heat.CALM and case.tags == ["vip", "legal"]
    assert edit.notices == ()


def test_without_a_base_the_draft_is_taken_as_it_is(case: Case, now: datetime) -> None:
    stale = draft_of(case)
    actions.edit_case(case, draft_of(case, heat=Heat.CALM), now)
    assert actions.edit_case(case, stale, now).changed == ("heat",)
    assert case.heat is stale.heat


def test_a_title_changed_on_both_sides_keeps_both(case: Case, now: datetime) -> None:
    base = draft_of(case)
    actions.edit_case(case, draft_of(case, title="Charged twice, card blocked"), now)
    ours = replace(base, title="Charged twice for March and April")
    edit = actions.edit_case(case, ours, now, base=base)
    assert (
        case.title == "Charged twice for March and April (elsewhere: Charged twice, card blocked)"
    )
    assert edit.notices == (
        "The title was changed elsewhere while you wrote; both texts are kept.",
    )
    assert case.timeline[-1].text == (
        "The title was changed in two places at once; both texts are kept: "
        "“Charged twice for March and April” and “Charged twice, card blocked”"
    )


def test_a_title_too_long_to_join_keeps_ours_and_the_timeline_keeps_theirs(
    case: Case, now: datetime
) -> None:
    base = draft_of(case)
    theirs, ours = "T" * 150, "O" * 150
    actions.edit_case(case, draft_of(case, title=theirs), now)
    actions.edit_case(case, draft_of(case, title=ours), now, base=base)
    assert case.title == ours
    assert theirs in case.timeline[-1].text and ours in case.timeline[-1].text


def test_tags_changed_on_both_sides_keep_both_changes(case: Case, now: datetime) -> None:
    base = draft_of(case)
    actions.edit_case(case, draft_of(case, tags=["vip", "legal"]), now)
    edit = actions.edit_case(case, draft_of(case, tags=["refund"]), now, base=base)
    assert case.tags == ["legal", "refund"]
    assert edit.notices == (
        "The tags were changed elsewhere while you edited; both changes are kept.",
    )


def test_a_choice_changed_on_both_sides_takes_ours_and_says_so(case: Case, now: datetime) -> None:
    base = draft_of(case)
    actions.edit_case(case, draft_of(case, heat=Heat.CALM), now)
    edit = actions.edit_case(case, draft_of(case, heat=Heat.UPSET), now, base=base)
    assert case.heat is Heat.UPSET
    assert edit.notices == (
        "The heat was changed elsewhere to calm while you edited; yours, upset, is kept.",
    )


# -- a step's note ----------------------------------------------------------------------


def test_a_note_changed_elsewhere_meanwhile_keeps_both(case: Case, now: datetime) -> None:
    base = case.steps[1].note
    actions.set_step_note(case, 1, "Tracking number: 123", now)  # elsewhere
    edit = actions.set_step_note(case, 1, base + "; she will send it", now, base=base)
    assert case.steps[1].note == "Tracking number: 123" + SEPARATOR + base + "; she will send it"
    assert edit.notices == (
        "Step 2's note was changed elsewhere while you wrote; both texts are kept.",
    )
    assert case.timeline[-1].kind is EventKind.STEP_NOTE
    assert "both texts are kept" in case.timeline[-1].text


def test_a_note_without_a_base_is_replaced(case: Case, now: datetime) -> None:
    assert actions.set_step_note(case, 1, "Replaced", now)
    assert case.steps[1].note == "Replaced"
    assert not actions.set_step_note(case, 1, " Replaced ", now, base="Replaced")


def test_a_note_finds_its_step_after_a_playbook_change_elsewhere(
    case: Case, library: PlaybookLibrary, now: datetime
) -> None:
    seen = copy.copy(case.steps[1])
    actions.edit_case(case, draft_of(case), now, library.get("wrong"))  # elsewhere
    edits.note_on_step(
        case, seen, "Asked for the tracking number; got it", now, base=seen.note, seen_in="blame"
    )
    (step,) = [s for s in case.steps if s.key == seen.key]
    assert step.kept and step.note == "Asked for the tracking number; got it"


def test_a_note_on_a_step_taken_out_goes_on_the_timeline(
    case: Case, library: PlaybookLibrary, now: datetime
) -> None:
    seen = copy.copy(case.steps[2])  # neither done nor noted: it goes with the playbook
    actions.edit_case(case, draft_of(case), now, library.get("wrong"))
    edit = edits.note_on_step(case, seen, "They called again", now, base="", seen_in="blame")
    assert case.timeline[-1].kind is EventKind.NOTE
    assert "They called again" in case.timeline[-1].text
    assert "kept on the case's timeline" in edit.notices[0]


# -- the remedy and follow-ups ----------------------------------------------------------


def test_a_remedy_description_changed_elsewhere_keeps_both(case: Case, now: datetime) -> None:
    actions.record_remedy(case, "Refund", Decimal("40"), None, now)
    base = copy.copy(case.remedy)
    actions.record_remedy(case, "Refund and a voucher", Decimal("55"), None, now)  # elsewhere
    edit = edits.revise_remedy(case, "Full refund", Decimal("40"), True, now, base=base)
    assert case.remedy is not None
    assert case.remedy.description == "Full refund (elsewhere: Refund and a voucher)"
    assert case.remedy.cost == Decimal("55")  # left as it was here: theirs stands
    assert case.remedy.accepted is True
    assert edit.notices == (
        "The remedy's description was changed elsewhere while you wrote; both texts are kept.",
    )


def test_a_remedy_saved_unchanged_changes_nothing(case: Case, now: datetime) -> None:
    actions.record_remedy(case, "Refund", Decimal("40"), None, now)
    base: Remedy | None = copy.copy(case.remedy)
    count = len(case.timeline)
    assert not edits.revise_remedy(case, "Refund", Decimal("40"), None, now, base=base)
    assert len(case.timeline) == count


def test_a_followup_done_elsewhere_meanwhile_keeps_both_notes(case: Case, now: datetime) -> None:
    item = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    actions.complete_followup(case, item.id, now, "Left a voicemail")  # elsewhere
    edit = edits.followup_done(case, item.id, now, "She accepted the refund")
    assert case.followup(item.id).note == "Left a voicemail" + SEPARATOR + "She accepted the refund"
    assert edit.notices == (
        "Follow-up F1 was marked done elsewhere while you wrote; both notes are kept.",
    )


def test_a_followup_cancelled_elsewhere_keeps_the_note_on_the_timeline(
    case: Case, now: datetime
) -> None:
    item = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    actions.cancel_followup(case, item.id, now, "they called us")  # elsewhere
    edits.followup_done(case, item.id, now, "She accepted the refund")
    assert case.followup(item.id).cancelled_at is not None
    assert "She accepted the refund" in case.timeline[-1].text


def test_moving_a_followup_keeps_both_texts_and_their_channel(case: Case, now: datetime) -> None:
    item = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    base_action, base_channel = item.action, item.channel
    item.action, item.channel = "Call back about the refund", Channel.EMAIL  # elsewhere
    later = now + timedelta(days=2)
    edit = edits.move_followup(
        case,
        item.id,
        later,
        now,
        action="Call back with the manager",
        channel=base_channel,
        base_action=base_action,
        base_channel=base_channel,
    )
    assert item.due == later
    assert item.action == "Call back with the manager (elsewhere: Call back about the refund)"
    assert item.channel is Channel.EMAIL  # left as it was here
    assert set(edit.changed) == {"due", "action"}
    assert edit.notices == (
        "Follow-up F1's text was changed elsewhere while you wrote; both texts are kept.",
    )


def test_moving_a_followup_done_elsewhere_is_refused(case: Case, now: datetime) -> None:
    item = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    actions.complete_followup(case, item.id, now)
    with pytest.raises(DomainError, match="already done"):
        edits.move_followup(
            case,
            item.id,
            now + timedelta(days=2),
            now,
            action=item.action,  # only the time changed: nothing typed to keep
            channel=item.channel,
            base_action=item.action,
            base_channel=item.channel,
        )


# -- what a form typed, when what it was for was closed elsewhere meanwhile -----------


def closed_elsewhere(case: Case, now: datetime) -> Case:
    actions.close_case(case, Outcome.RETAINED, now, allow_open_steps=True)
    return case


def test_a_remedy_typed_as_the_case_was_closed_elsewhere_goes_on_its_timeline(
    case: Case, now: datetime
) -> None:
    closed_elsewhere(case, now)
    later = now + timedelta(minutes=1)
    edit = edits.revise_remedy(case, "Refund the fee", Decimal("12.50"), True, later, base=None)
    assert case.remedy is None and case.status is Status.CLOSED
    assert case.timeline[-1].text == (
        "Remedy offered after the case was closed: Refund the fee (cost 12.50)"
    )
    assert "kept on the case's timeline" in edit.notices[0]


def test_a_closing_note_typed_as_the_case_was_closed_elsewhere_goes_on_its_timeline(
    case: Case, now: datetime
) -> None:
    closed_elsewhere(case, now)
    outcome = case.outcome
    edit = edits.close_from_form(
        case,
        Outcome.LOST,
        now,
        allow_open_steps=True,
        note="They found another supplier",
        cancel_followups=False,
    )
    assert case.outcome == outcome  # closed as it was closed elsewhere
    assert "They found another supplier" in case.timeline[-1].text
    assert "kept on the case's timeline" in edit.notices[0]
    quiet = edits.close_from_form(
        case, Outcome.LOST, now, allow_open_steps=True, note="", cancel_followups=False
    )
    assert not quiet and "already closed elsewhere" in quiet.notices[0]


def test_a_follow_up_text_typed_as_it_was_done_elsewhere_goes_on_the_timeline(
    case: Case, now: datetime
) -> None:
    item = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    actions.complete_followup(case, item.id, now, "all good")
    later = now + timedelta(days=2)
    edit = edits.move_followup(
        case,
        item.id,
        later,
        now,
        action="Call back about the refund",
        channel=Channel.PHONE,
        base_action="Call back",
        base_channel=Channel.PHONE,
    )
    assert case.followup(item.id).action == "Call back"
    assert "Call back about the refund" in case.timeline[-1].text
    assert "kept on the case's timeline" in edit.notices[0]
    with pytest.raises(DomainError, match="already done"):  # only the time changed: said
        edits.move_followup(
            case,
            item.id,
            later,
            now,
            action="Call back",
            channel=Channel.PHONE,
            base_action="Call back",
            base_channel=Channel.PHONE,
        )


def test_a_note_replaced_unseen_or_cleared_keeps_its_words_on_the_timeline(
    case: Case, now: datetime
) -> None:
    """The command line replaces a step's note without having shown it; a form may clear
    one. Either way the words it held stay on the timeline."""
    actions.set_step_note(case, 0, "Promised a call from the manager", now)  # unseen
    assert case.steps[0].note == "Promised a call from the manager"
    assert case.timeline[-1].text.endswith("it read: She says the courier left it outside")
    actions.set_step_note(case, 0, "", now, base="Promised a call from the manager")
    assert case.steps[0].note == ""
    assert case.timeline[-1].text.endswith("it read: Promised a call from the manager")
    seen = "Asked for the tracking number"
    actions.set_step_note(case, 1, "Asked for the tracking number twice", now, base=seen)
    assert "it read" not in case.timeline[-1].text  # edited by someone who saw it
