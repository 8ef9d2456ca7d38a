"""Every state change goes through a domain function that also writes the timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from workbench.domain import actions
from workbench.domain.actions import (
    CaseClosedError,
    CaseDraft,
    DomainError,
    OpenStepsError,
    ValidationError,
)
from workbench.domain.model import (
    CASE_ID_PATTERN,
    Case,
    CaseIdError,
    Channel,
    EventKind,
    Heat,
    Outcome,
    Status,
    format_case_id,
    parse_case_id,
)
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import Targets, first_contact_late

Draft = Callable[..., CaseDraft]


@pytest.fixture
def case(make_draft: Draft, library: PlaybookLibrary, now: datetime) -> Case:
    return actions.open_case(make_draft(), "C-0001", library.get("our-mistake"), now)


def kinds(case: Case) -> list[EventKind]:
    return [event.kind for event in case.timeline]


def test_open_case_takes_the_playbook_steps_and_logs_creation(case: Case, now: datetime) -> None:
    assert case.id == "C-0001"
    assert case.status is Status.NEW
    assert case.playbook == "our-mistake"
    assert case.steps and not any(step.done for step in case.steps)
    assert kinds(case)[0] is EventKind.CREATED
    assert case.opened_at == now


@pytest.mark.parametrize(
    ("channel", "contacted", "expect_contact"),
    [
        (Channel.PHONE, None, True),
        (Channel.IN_PERSON, None, True),
        (Channel.VIDEO, None, True),
        (Channel.EMAIL, None, False),
        (Channel.CHAT, None, False),
        (Channel.PHONE, False, False),
        (Channel.EMAIL, True, True),
    ],
)
def test_first_contact_on_opening(
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
    channel: Channel,
    contacted: bool | None,
    expect_contact: bool,
) -> None:
    case = actions.open_case(
        make_draft(channel=channel), "C-0002", library.get("unhappy"), now, contacted=contacted
    )
    assert (case.first_contact_at == now) is expect_contact
    assert (EventKind.CONTACTED in kinds(case)) is expect_contact


def test_written_first_contact_is_marked_as_the_weaker_choice(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = actions.open_case(
        make_draft(channel=Channel.EMAIL), "C-0003", library.get("unhappy"), now, contacted=True
    )
    assert "call would be better" in case.timeline[-1].text


def test_dont_wait_flags_an_uncontacted_case_after_the_limit(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    draft = make_draft(channel=Channel.EMAIL, heat=Heat.UPSET)
    case = actions.open_case(draft, "C-0004", library.get("wrong"), now)
    limit = Targets()  # upset: 4 hours
    assert not first_contact_late(case, limit, now + timedelta(hours=3))
    assert first_contact_late(case, limit, now + timedelta(hours=5))
    six = Targets.of(every_first_contact=timedelta(hours=6))
    assert not first_contact_late(case, six, now + timedelta(hours=5))
    actions.record_contact(case, now + timedelta(hours=6))
    assert not first_contact_late(case, limit, now + timedelta(hours=7))


def test_ticking_a_contact_step_records_first_contact(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = actions.open_case(make_draft(channel=Channel.EMAIL), "C-0005", library.get("wrong"), now)
    index = next(i for i, step in enumerate(case.steps) if step.contact)
    later = now + timedelta(minutes=10)
    actions.set_step(case, index, True, later)
    assert case.first_contact_at == later


def test_validation_reports_every_bad_field_and_keeps_nothing_half_done(
    library: PlaybookLibrary, now: datetime
) -> None:
    draft = CaseDraft(title="   ", customer="\n\t")
    with pytest.raises(ValidationError) as caught:
        actions.open_case(draft, "C-0006", library.get("unhappy"), now)
    assert set(caught.value.errors) == {"title", "customer"}
    assert "complaint" in caught.value.errors["title"]
    assert draft.title == "   "  # what the user typed is left as typed


def test_title_is_folded_onto_one_line(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = actions.open_case(
        make_draft(title="  Refund\nnever   arrived "), "C-0007", library.get("unhappy"), now
    )
    assert case.title == "Refund never arrived"


def test_toggle_step_twice_and_timeline(case: Case, now: datetime) -> None:
    later = now + timedelta(minutes=5)
    step = actions.toggle_step(case, 0, later)
    assert step.done and step.done_at == later
    assert case.status is Status.IN_PROGRESS  # the first tick starts the work
    actions.toggle_step(case, 0, later)
    assert not case.steps[0].done and case.steps[0].done_at is None
    assert kinds(case)[-1] is EventKind.STEP_UNDONE
    assert EventKind.STEP_DONE in kinds(case)


def test_set_step_is_idempotent(case: Case, now: datetime) -> None:
    assert actions.set_step(case, 1, True, now)
    count = len(case.timeline)
    assert not actions.set_step(case, 1, True, now)
    assert len(case.timeline) == count


def test_step_out_of_range_says_which_steps_exist(case: Case, now: datetime) -> None:
    with pytest.raises(DomainError, match=f"steps 1 to {len(case.steps)}"):
        actions.set_step(case, 99, True, now)


def test_step_note_and_case_note(case: Case, now: datetime) -> None:
    assert actions.set_step_note(case, 0, "  They had called twice before  ", now)
    assert case.steps[0].note == "They had called twice before"
    assert not actions.set_step_note(case, 0, "They had called twice before", now)
    actions.add_note(case, "Promised the manager would call", now)
    assert [e.text for e in case.notes] == ["Promised the manager would call"]
    with pytest.raises(ValidationError):
        actions.add_note(case, "   ", now)


def test_followups_schedule_complete_cancel_reschedule(case: Case, now: datetime) -> None:
    first = actions.schedule_followup(case, now + timedelta(days=1), "Call back", now)
    second = actions.schedule_followup(case, now + timedelta(hours=2), "", now, Channel.EMAIL)
    assert (first.id, second.id) == (1, 2)
    assert second.action == "Check back with the customer"
    assert case.next_followup is second
    actions.complete_followup(case, 2, now + timedelta(hours=3), "all good")
    assert case.next_followup is first
    assert case.followup(2).note == "all good"
    with pytest.raises(DomainError, match="already done"):
        actions.complete_followup(case, 2, now)
    moved = actions.reschedule_followup(case, 1, now + timedelta(days=3), now)
    assert moved.due == now + timedelta(days=3)
    actions.cancel_followup(case, 1, now, "they called us")
    assert case.next_followup is None
    with pytest.raises(DomainError, match="no follow-up F7"):
        actions.complete_followup(case, 7, now)
    assert kinds(case).count(EventKind.FOLLOWUP_SCHEDULED) == 3
    assert EventKind.FOLLOWUP_CANCELLED in kinds(case)


def test_followup_overdue(case: Case, now: datetime) -> None:
    item = actions.schedule_followup(case, now + timedelta(hours=1), "Call", now)
    assert not item.is_overdue(now)
    assert item.is_overdue(now + timedelta(hours=2))
    actions.complete_followup(case, item.id, now)
    assert not item.is_overdue(now + timedelta(hours=2))


def test_followup_needs_a_time_zone(case: Case, now: datetime) -> None:
    with pytest.raises(DomainError, match="time zone"):
        actions.schedule_followup(case, datetime(2026, 12, 1, 9, 0), "Call", now)


def test_status_changes_and_reopening(case: Case, now: datetime) -> None:
    assert actions.set_status(case, Status.WAITING, now)
    assert not actions.set_status(case, Status.WAITING, now)
    actions.set_status(case, Status.RESOLVED, now)
    assert case.resolved_at == now
    actions.set_status(case, Status.IN_PROGRESS, now)
    assert case.resolved_at is None
    with pytest.raises(DomainError, match="outcome"):
        actions.set_status(case, Status.CLOSED, now)


@pytest.mark.parametrize(
    ("text", "value"),
    [("25", "25.00"), ("25.5", "25.50"), ("1,250.00", "1250.00"), ("€40", "40.00"), ("", "0")],
)
def test_parse_cost(text: str, value: str) -> None:
    assert actions.parse_cost(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "-5", "NaN", "Infinity", "1e30", "12..5"])
def test_parse_cost_rejects(text: str) -> None:
    with pytest.raises(ValidationError):
        actions.parse_cost(text)


def test_remedy_and_cost_sum(
    case: Case, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    actions.record_remedy(case, "Refund the duplicate charge", Decimal("49.90"), True, now)
    other = actions.open_case(make_draft(), "C-0002", library.get("unhappy"), now)
    actions.record_remedy(other, "Voucher", Decimal("10"), False, now)
    third = actions.open_case(make_draft(), "C-0003", library.get("unhappy"), now)
    actions.record_remedy(third, "Free visit", Decimal("60"), None, now)
    assert case.remedy is not None and case.remedy.answer_label == "accepted"
    assert actions.total_remedy_cost([case, other, third]) == Decimal("109.90")
    assert kinds(case)[-1] is EventKind.REMEDY_RECORDED
    with pytest.raises(ValidationError):
        actions.record_remedy(case, " ", Decimal(1), None, now)


def test_closing_with_open_steps_must_be_confirmed(case: Case, now: datetime) -> None:
    actions.set_step(case, 0, True, now)
    open_count = len(case.open_steps)
    with pytest.raises(OpenStepsError) as caught:
        actions.close_case(case, Outcome.RETAINED, now)
    assert len(caught.value.steps) == open_count
    assert case.status is not Status.CLOSED  # refused means untouched
    actions.close_case(case, Outcome.PARTED_WAYS, now, allow_open_steps=True, note="referred on")
    assert case.status is Status.CLOSED
    assert case.outcome is Outcome.PARTED_WAYS
    assert case.closed_at == now
    assert "left open" in case.timeline[-1].text


def test_closing_with_every_step_done_needs_no_confirmation(case: Case, now: datetime) -> None:
    for index in range(len(case.steps)):
        actions.set_step(case, index, True, now)
    actions.close_case(case, Outcome.RETAINED, now)
    assert case.status is Status.CLOSED
    with pytest.raises(DomainError, match="already closed"):
        actions.close_case(case, Outcome.LOST, now)


def test_closed_case_refuses_work_until_reopened(case: Case, now: datetime) -> None:
    actions.close_case(case, Outcome.LOST, now, allow_open_steps=True)
    with pytest.raises(CaseClosedError):
        actions.set_step(case, 0, True, now)
    with pytest.raises(CaseClosedError):
        actions.schedule_followup(case, now + timedelta(days=1), "Call", now)
    actions.add_note(case, "They wrote again", now)  # notes are always welcome
    actions.set_status(case, Status.IN_PROGRESS, now)
    assert case.outcome is None
    actions.set_step(case, 0, True, now)


def test_edit_case_changes_fields_and_playbook_keeps_shared_ticks(
    case: Case, library: PlaybookLibrary, now: datetime
) -> None:
    actions.set_step(case, 0, True, now)
    kept = case.steps[0]
    actions.edit_case(
        case,
        CaseDraft(title="New title", customer=case.customer, heat=Heat.CALM, fault=case.fault),
        now,
        library.get("our-mistake"),
    )
    assert case.title == "New title" and case.heat is Heat.CALM
    assert case.steps[0] is kept
    assert kinds(case)[-1] is EventKind.EDITED
    assert "title" in case.timeline[-1].text


@pytest.mark.parametrize(
    ("text", "number"),
    [("C-0042", 42), ("c-42", 42), ("42", 42), (" C0007 ", 7), ("C-12345", 12345)],
)
def test_case_ids(text: str, number: int) -> None:
    assert parse_case_id(text) == number


@pytest.mark.parametrize("text", ["", "C-", "X-0042", "C-0", "0", "C-00a1", "-3"])
def test_bad_case_ids(text: str) -> None:
    with pytest.raises(ValueError, match="case id"):
        parse_case_id(text)


# "3" in Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, fullwidth,
# mathematical bold and superscript: int() reads most of them, and \d matches them.
OTHER_THREES = ["٣", "۳", "३", "৩", "๓", "３", "𝟑", "³"]


@pytest.mark.parametrize("three", OTHER_THREES)
@pytest.mark.parametrize("form", ["C-000{}", "C-{}", "C{}", "{}", "C-00{}3", "3{}"])
def test_case_ids_are_read_in_the_digits_0_to_9_only(three: str, form: str) -> None:
    text = form.format(three)
    with pytest.raises(CaseIdError, match="digits 0-9"):
        parse_case_id(text)
    assert CASE_ID_PATTERN.match(text) is None
    assert CASE_ID_PATTERN.match(f"C-000{three}") is None
    assert CASE_ID_PATTERN.match("C-0003") is not None


def test_refusing_an_open_case_names_each_open_step_with_its_number(
    case: Case, now: datetime
) -> None:
    for index in range(len(case.steps) - 2):
        actions.set_step(case, index, True, now)
    count = len(case.steps)
    first, second = case.steps[-2].title, case.steps[-1].title
    with pytest.raises(OpenStepsError) as caught:
        actions.close_case(case, Outcome.RETAINED, now)
    assert str(caught.value) == (
        f"{case.id} still has 2 open steps, {count - 1} “{first}” and {count} “{second}”: "
        "tick them first, or confirm that it closes with steps open."
    )
    assert caught.value.numbers == [count - 1, count]
    actions.set_step(case, count - 2, True, now)
    with pytest.raises(OpenStepsError) as caught:
        actions.close_case(case, Outcome.RETAINED, now)
    assert str(caught.value) == (
        f"{case.id} still has 1 open step, {count} “{second}”: "
        "tick it first, or confirm that it closes with steps open."
    )


def test_format_case_id() -> None:
    assert format_case_id(42) == "C-0042"
    assert format_case_id(12345) == "C-12345"


def test_closing_keeps_or_cancels_open_followups(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    keep = actions.open_case(make_draft(), "C-0001", library.get("unhappy"), now)
    cancel = actions.open_case(make_draft(), "C-0002", library.get("unhappy"), now)
    for case in (keep, cancel):
        actions.schedule_followup(case, now + timedelta(days=1), "Call", now)
        actions.schedule_followup(case, now + timedelta(days=2), "Call again", now)
    actions.close_case(keep, Outcome.RETAINED, now, allow_open_steps=True)
    actions.close_case(cancel, Outcome.LOST, now, allow_open_steps=True, cancel_followups=True)
    assert [f.id for f in keep.open_followups] == [1, 2]
    assert cancel.open_followups == []
    assert all(f.cancelled_at == now for f in cancel.followups)
    assert kinds(cancel)[-2:] == [EventKind.FOLLOWUP_CANCELLED, EventKind.FOLLOWUP_CANCELLED]
