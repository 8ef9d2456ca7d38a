"""Response targets by heat (issue 20, part 4): first contact and resolution, met and missed
at their edges, the resolution clock stopped while waiting on the customer, the list's
marks, escalation, and the lengths of time the settings are written in. A steppable clock
drives every time rule."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest
from helpers.clock import NOW, SteppingClock

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.errors import DomainError as PlainDomainError
from workbench.domain.insight import Period, compute
from workbench.domain.model import Case, Channel, Heat, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.spans import parse_span, span_words
from workbench.domain.targets import (
    DEFAULT_TARGETS,
    Kind,
    Mark,
    Targets,
    first_contact_late,
    first_contact_target,
    in_force,
    is_late,
    mark,
    resolution_target,
    standing,
    time_waiting,
    waiting_spans,
)
from workbench.storage.records import case_from_record, case_to_record, cases_from_records

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def opened(library: PlaybookLibrary, heat: Heat, clock: SteppingClock) -> Case:
    draft = CaseDraft("Charged twice", "Ana Chen", heat=heat, channel=Channel.EMAIL)
    return actions.open_case(draft, "C-0001", library.get("unhappy"), clock())


@pytest.mark.parametrize(
    ("heat", "contact", "resolve"),
    [(Heat.FURIOUS, HOUR, 2 * DAY), (Heat.UPSET, 4 * HOUR, 5 * DAY), (Heat.CALM, DAY, 10 * DAY)],
)
def test_the_defaults_by_heat(heat: Heat, contact: timedelta, resolve: timedelta) -> None:
    assert DEFAULT_TARGETS.span(Kind.FIRST_CONTACT, heat) == contact
    assert DEFAULT_TARGETS.span(Kind.RESOLUTION, heat) == resolve


def test_the_old_single_limit_is_every_heats_first_contact_and_a_heat_named_wins() -> None:
    targets = Targets.of({Heat.FURIOUS: 30 * timedelta(minutes=1)}, None, 2 * HOUR)
    assert dict(targets.first_contact) == {
        Heat.FURIOUS: timedelta(minutes=30),
        Heat.UPSET: 2 * HOUR,
        Heat.CALM: 2 * HOUR,
    }
    assert targets.resolution == DEFAULT_TARGETS.resolution


def test_first_contact_is_met_at_its_due_minute_and_missed_just_after(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.FURIOUS, clock)
    target = first_contact_target(case, DEFAULT_TARGETS)
    assert target.due == NOW + HOUR
    clock.step(minutes=59)
    assert not first_contact_late(case, DEFAULT_TARGETS, clock())
    assert standing(target, clock()) == "first contact due within 1m (target 1h for furious)"
    clock.step(minutes=1)  # exactly due: still in time
    assert not target.missed(clock()) and not is_late(case, DEFAULT_TARGETS, clock())
    clock.step(seconds=1)
    assert target.missed(clock()) and first_contact_late(case, DEFAULT_TARGETS, clock())
    assert target.decided_at(clock()) == NOW + HOUR  # missed when it fell due
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.LATE
    assert standing(target, clock()) == "no contact yet, 0m late (target 1h for furious)"

    on_time = opened(library, Heat.FURIOUS, SteppingClock())
    actions.record_contact(on_time, NOW + HOUR)
    met = first_contact_target(on_time, DEFAULT_TARGETS)
    assert met.met and met.decided_at(NOW + 2 * HOUR) == NOW + HOUR
    late = opened(library, Heat.FURIOUS, SteppingClock())
    actions.record_contact(late, NOW + HOUR + timedelta(seconds=1))
    missed = first_contact_target(late, DEFAULT_TARGETS)
    assert not missed.met and missed.missed(NOW + 2 * HOUR)
    assert missed.decided_at(NOW + 2 * HOUR) == NOW + HOUR
    assert standing(missed, NOW + 2 * HOUR) == "contacted 0m late (target 1h for furious)"


def test_the_target_in_force_moves_from_first_contact_to_resolution_then_none(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.UPSET, clock)
    assert in_force(case, DEFAULT_TARGETS, clock()).kind is Kind.FIRST_CONTACT  # type: ignore[union-attr]
    actions.record_contact(case, clock.step(hours=1))
    target = in_force(case, DEFAULT_TARGETS, clock())
    assert target is not None and target.kind is Kind.RESOLUTION and target.due == NOW + 5 * DAY
    actions.set_status(case, Status.RESOLVED, clock.step(hours=119))  # exactly on the due time
    assert in_force(case, DEFAULT_TARGETS, clock()) is None
    assert resolution_target(case, DEFAULT_TARGETS, clock()).met
    assert mark(case, DEFAULT_TARGETS, clock.step(days=30)) is Mark.NONE


def test_waiting_on_the_customer_stops_the_resolution_clock(library: PlaybookLibrary) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.FURIOUS, clock)  # resolve within 2 days
    actions.record_contact(case, clock.step(hours=1))
    actions.set_status(case, Status.IN_PROGRESS, clock())
    actions.wait_until(case, NOW + 10 * DAY, clock.step(hours=23))  # 1 day gone, 1 left
    left = resolution_target(case, DEFAULT_TARGETS, clock()).left(clock())
    assert left == DAY
    clock.step(days=3)  # three days of their silence cost nothing
    paused = resolution_target(case, DEFAULT_TARGETS, clock())
    assert paused.paused and paused.left(clock()) == DAY and paused.waited == 3 * DAY
    assert not is_late(case, DEFAULT_TARGETS, clock())
    assert standing(paused, clock()) == (
        "resolution paused while waiting on them, 1d left (target 2d for furious)"
    )
    actions.set_status(case, Status.IN_PROGRESS, clock())  # they answered: the clock runs
    clock.step(days=1)
    running = resolution_target(case, DEFAULT_TARGETS, clock())
    assert not running.paused and running.due == NOW + 5 * DAY and not running.missed(clock())
    clock.step(seconds=1)
    assert is_late(case, DEFAULT_TARGETS, clock())
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.LATE
    assert list(waiting_spans(case, clock())) == [(NOW + DAY, NOW + 4 * DAY)]
    assert time_waiting(case, clock()) == 3 * DAY


def test_waiting_that_starts_after_the_target_was_missed_does_not_unmiss_it(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.FURIOUS, clock)
    actions.record_contact(case, clock.step(hours=1))
    actions.wait_until(case, NOW + 10 * DAY, clock.step(days=3))  # a day late, then waiting
    target = resolution_target(case, DEFAULT_TARGETS, clock.step(days=2))
    assert target.due == NOW + 2 * DAY and target.waited == timedelta(0) and not target.paused
    assert target.missed(clock())


def test_closing_from_waiting_ends_the_wait(library: PlaybookLibrary) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.UPSET, clock)
    actions.wait_until(case, NOW + 10 * DAY, clock.step(hours=1))
    actions.close_case(case, Outcome.RETAINED, clock.step(days=2), allow_open_steps=True)
    assert list(waiting_spans(case, clock.step(days=9))) == [(NOW + HOUR, NOW + HOUR + 2 * DAY)]
    resolved = resolution_target(case, DEFAULT_TARGETS, clock())
    assert resolved.met_at == NOW + HOUR + 2 * DAY and resolved.met
    assert resolved.waited == 2 * DAY


def test_the_marks_in_order_escalated_late_no_answer(library: PlaybookLibrary) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.CALM, clock)
    actions.record_contact(case, clock.step(minutes=5))
    actions.wait_until(case, NOW + DAY, clock())
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.NONE
    clock.step(days=1)  # the wake-up falls due: no answer yet
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.NO_ANSWER
    actions.set_status(case, Status.IN_PROGRESS, clock())
    clock.step(days=10)  # past the 10 days (one of them waiting)
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.LATE
    actions.escalate(case, DEFAULT_TARGETS, clock())
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.ESCALATED
    actions.set_status(case, Status.RESOLVED, clock())
    assert mark(case, DEFAULT_TARGETS, clock()) is Mark.NONE


def test_escalating_says_where_the_case_stands_and_gives_it_to_the_agent_named(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.FURIOUS, clock)
    said = actions.escalate(case, DEFAULT_TARGETS, clock.step(hours=3), to="sam")
    assert said == "Escalated to sam: first contact 2h late (target 1h for furious)"
    assert case.escalated_at == clock() and case.owner == "sam"
    assert [e.kind.value for e in case.timeline[-2:]] == ["escalated", "assigned"]
    with pytest.raises(DomainError, match="was escalated on"):
        actions.escalate(case, DEFAULT_TARGETS, clock(), to="bo")

    early = opened(library, Heat.UPSET, SteppingClock())
    said = actions.escalate(early, DEFAULT_TARGETS, NOW + HOUR)
    assert said == "Escalated: before its first contact target (3h left)"
    assert early.owner == ""  # no one named: it stays put


def test_a_resolved_or_closed_case_is_not_escalated_and_a_bad_name_changes_nothing(
    library: PlaybookLibrary,
) -> None:
    case = opened(library, Heat.UPSET, SteppingClock())
    with pytest.raises(PlainDomainError):
        actions.escalate(case, DEFAULT_TARGETS, NOW, to="x" * 65)
    assert case.escalated_at is None and len(case.timeline) == 1
    actions.set_status(case, Status.RESOLVED, NOW + HOUR)
    with pytest.raises(DomainError, match="is resolved: there is nothing to escalate"):
        actions.escalate(case, DEFAULT_TARGETS, NOW + HOUR)
    actions.close_case(case, Outcome.RETAINED, NOW + 2 * HOUR, allow_open_steps=True)
    with pytest.raises(DomainError):
        actions.escalate(case, DEFAULT_TARGETS, NOW + 2 * HOUR)


def test_the_escalation_is_kept_by_the_strict_and_the_fast_reader(
    library: PlaybookLibrary,
) -> None:
    case = opened(library, Heat.UPSET, SteppingClock())
    actions.escalate(case, DEFAULT_TARGETS, NOW + DAY)
    record = case_to_record(case)
    assert record["escalated_at"] == (NOW + DAY).isoformat()
    assert "escalated_at" not in case_to_record(opened(library, Heat.UPSET, SteppingClock()))
    for read in (
        case_from_record(record),
        cases_from_records([msgspec.Raw(msgspec.json.encode(record))])[0],
        cases_from_records([record])[0],
    ):
        assert read.escalated_at == NOW + DAY
        assert read.timeline[-1].kind.value == "escalated"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("90m", 90 * timedelta(minutes=1)),
        ("4h", 4 * HOUR),
        ("2 days", 2 * DAY),
        ("1w", 7 * DAY),
        ("1d 12h", DAY + 12 * HOUR),
        ("5 min", 5 * timedelta(minutes=1)),
        ("365d", 365 * DAY),
    ],
)
def test_a_target_is_written_with_its_unit(text: str, span: timedelta) -> None:
    assert parse_span(text) == span


@pytest.mark.parametrize("text", ["", "4", "soon", "4 parsecs", "4m", "366d", "0h", "1h later"])
def test_a_target_without_a_unit_or_out_of_bounds_is_refused(text: str) -> None:
    with pytest.raises(PlainDomainError):
        parse_span(text)


def test_a_target_is_shown_exactly() -> None:
    assert [span_words(s) for s in (HOUR, 90 * timedelta(minutes=1), DAY + 12 * HOUR)] == [
        "1h",
        "1h 30m",
        "1d 12h",
    ]


def test_insight_counts_targets_in_the_period_they_were_decided_and_leaves_waiting_out(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock(NOW - 20 * DAY)
    met = opened(library, Heat.FURIOUS, clock)  # contacted at 1h exactly, resolved in 2d
    actions.record_contact(met, clock() + HOUR)
    actions.wait_until(met, clock() + 30 * DAY, clock() + DAY)  # waits 3 days
    actions.set_status(met, Status.IN_PROGRESS, clock() + 4 * DAY)
    actions.set_status(met, Status.RESOLVED, clock() + 5 * DAY)  # 5 days, 3 of them waiting
    late = opened(library, Heat.CALM, clock)  # never contacted: missed after 1 day
    running = opened(library, Heat.CALM, SteppingClock(NOW - HOUR))  # still has 23h
    figures = compute([met, late, running], Period.ALL, NOW, week_start=0, targets=Targets())
    first, resolution = figures.target(Kind.FIRST_CONTACT), figures.target(Kind.RESOLUTION)
    assert (first.met, first.missed) == (1, 1)
    assert (resolution.met, resolution.missed) == (1, 1)  # late's 10 days ran out too
    by_heat = {line.heat: (line.met, line.missed) for line in first.heats}
    assert by_heat == {Heat.FURIOUS: (1, 0), Heat.UPSET: (0, 0), Heat.CALM: (0, 1)}
    assert figures.resolution.median == 2 * DAY  # five days less three waiting
    # Decided in the period it happened: late's first contact fell due 19 days ago.
    week = compute([met, late, running], Period.WEEK, NOW, week_start=0, targets=Targets())
    assert week.target(Kind.FIRST_CONTACT).missed == 0


def test_a_status_change_undone_ends_the_wait_it_began(library: PlaybookLibrary) -> None:
    from workbench.domain.undo import differences, undo

    clock = SteppingClock()
    case = opened(library, Heat.UPSET, clock)
    actions.record_contact(case, clock.step(minutes=5))
    before = copy.deepcopy(case)
    actions.set_status(case, Status.WAITING, clock.step(days=1))
    undo(case, differences(before, case), clock.step(hours=1), "set status")
    assert case.status is Status.NEW  # as it was
    assert list(waiting_spans(case, clock.step(days=5))) == [
        (NOW + timedelta(days=1, minutes=5), NOW + timedelta(days=1, hours=1, minutes=5))
    ]
    assert resolution_target(case, DEFAULT_TARGETS, clock()).waited == HOUR


def test_a_wait_beginning_at_the_due_instant_still_stops_the_clock(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.FURIOUS, clock)
    actions.record_contact(case, clock())
    actions.set_status(case, Status.WAITING, clock.step(days=2))  # exactly due
    target = resolution_target(case, DEFAULT_TARGETS, clock.step(hours=3))
    assert target.paused and not target.missed(clock()) and target.waited == 3 * HOUR


def test_targets_are_counted_in_real_hours_across_a_change_to_summer_time(
    library: PlaybookLibrary,
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 29, 1, 30, tzinfo=berlin)  # 02:00 → 03:00 that night
    case = opened(library, Heat.FURIOUS, SteppingClock(start))
    later = (start.astimezone(UTC) + timedelta(minutes=35)).astimezone(berlin)
    assert later.hour == 3  # the wall clock says two hours and five minutes on
    target = first_contact_target(case, DEFAULT_TARGETS)
    assert not first_contact_late(case, DEFAULT_TARGETS, later)
    assert target.left(later) == timedelta(minutes=25)
    read_back = case_from_record(case_to_record(case))  # a fixed offset, as stored
    assert first_contact_target(read_back, DEFAULT_TARGETS).due == target.due


def test_a_case_closed_before_anyone_spoke_to_them(library: PlaybookLibrary) -> None:
    quick = opened(library, Heat.FURIOUS, SteppingClock())
    actions.close_case(
        quick, Outcome.PARTED_WAYS, NOW + 10 * timedelta(minutes=1), allow_open_steps=True
    )
    target = first_contact_target(quick, DEFAULT_TARGETS)
    assert target.void and not target.missed(NOW + 2 * DAY)
    assert target.decided_at(NOW + 2 * DAY) is None  # not counted either way
    assert "no longer applies" in standing(target, NOW + 2 * DAY)
    slow = opened(library, Heat.FURIOUS, SteppingClock())
    actions.close_case(slow, Outcome.LOST, NOW + 3 * HOUR, allow_open_steps=True)
    missed = first_contact_target(slow, DEFAULT_TARGETS)
    assert missed.missed(NOW + 2 * DAY) and missed.decided_at(NOW + 2 * DAY) == NOW + HOUR
    assert standing(missed, NOW + 2 * DAY) == (
        "missed: ended with no contact (target 1h for furious)"
    )


def test_reopening_clears_the_escalation_so_it_can_be_escalated_again(
    library: PlaybookLibrary,
) -> None:
    case = opened(library, Heat.UPSET, SteppingClock())
    actions.escalate(case, DEFAULT_TARGETS, NOW + DAY)
    actions.set_status(case, Status.RESOLVED, NOW + 2 * DAY)
    actions.set_status(case, Status.IN_PROGRESS, NOW + 3 * DAY)
    assert case.escalated_at is None
    assert actions.escalate(case, DEFAULT_TARGETS, NOW + 4 * DAY).startswith("Escalated")


def test_a_head_is_not_said_late_on_resolution_until_its_waiting_is_known(
    library: PlaybookLibrary,
) -> None:
    clock = SteppingClock()
    case = opened(library, Heat.UPSET, clock)
    actions.record_contact(case, clock())
    actions.wait_until(case, NOW + 30 * DAY, clock.step(days=1))
    now = clock.step(days=8)
    assert not is_late(case, DEFAULT_TARGETS, now)  # waiting: 4 days of its 5 left
    head = copy.copy(case)
    head.timeline = []
    assert not is_late(head, DEFAULT_TARGETS, now) and mark(head, DEFAULT_TARGETS, now) is Mark.NONE
