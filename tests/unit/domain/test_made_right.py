"""Did we make it right? How a follow-up stood when it was done, whether the customer was
satisfied at closing, and the insight figures made from both."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from helpers.clock import NOW

from workbench.domain import actions, edits
from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.insight import MadeRight, Period, Satisfaction, compute
from workbench.domain.model import Case, Outcome, Resolution, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import Targets
from workbench.storage.record_reader import case_from_record
from workbench.storage.records import case_to_record

EARLIER = NOW - timedelta(days=3)


def a_case(library: PlaybookLibrary, number: int = 1, followups: int = 2) -> Case:
    case = open_case(
        CaseDraft("Charged twice", "Ana Chen"), f"C-{number:04d}", library.get("unhappy"), EARLIER
    )
    for day in range(followups):
        actions.schedule_followup(case, EARLIER + timedelta(days=day + 1), "Call", EARLIER)
    return case


def test_a_follow_up_done_says_how_it_stands_on_its_timeline(library: PlaybookLibrary) -> None:
    case = a_case(library)
    actions.complete_followup(case, 1, NOW, "New card sent", Resolution.PARTLY)
    assert case.followup(1).result is Resolution.PARTLY
    assert case.timeline[-1].text == "Follow-up F1 done (partly resolved): New card sent"
    actions.complete_followup(case, 2, NOW)
    assert case.followup(2).result is None
    assert case.timeline[-1].text == "Follow-up F2 done"


def test_an_answer_given_after_it_was_done_elsewhere_is_kept(library: PlaybookLibrary) -> None:
    case = a_case(library)
    actions.complete_followup(case, 1, NOW, "Called")  # elsewhere, without an answer
    edits.followup_done(case, 1, NOW, "", Resolution.RESOLVED)  # ours, from the form
    assert case.followup(1).result is Resolution.RESOLVED
    assert case.followup(1).note == "Called"
    assert case.timeline[-1].text == "Follow-up F1: resolved"


def test_closing_records_satisfaction_and_reopening_clears_it(library: PlaybookLibrary) -> None:
    case = a_case(library)
    actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True, satisfied=True)
    assert case.satisfied is True
    assert case.timeline[-1].text == (
        "Closed (retained) from new, customer satisfied, with 5 steps left open"
    )
    actions.set_status(case, Status.IN_PROGRESS, NOW)
    assert case.satisfied is None and case.outcome is None


@pytest.mark.parametrize("satisfied", [True, False, None])
@pytest.mark.parametrize("result", [*Resolution, None])
def test_both_survive_the_record(
    library: PlaybookLibrary, satisfied: bool | None, result: Resolution | None
) -> None:
    case = a_case(library)
    actions.complete_followup(case, 1, NOW, "", result)
    actions.close_case(case, Outcome.LOST, NOW, allow_open_steps=True, satisfied=satisfied)
    record = case_to_record(case)
    assert ("satisfied" in record) is (satisfied is not None)  # absent when not told
    assert ("result" in record["followups"][0]) is (result is not None)
    assert case_from_record(record) == case


def test_a_record_with_an_unknown_answer_is_refused_in_words(library: PlaybookLibrary) -> None:
    case = a_case(library)
    record = case_to_record(case)
    record["followups"][0]["result"] = "maybe"
    with pytest.raises(ValueError, match="result"):
        case_from_record(record)
    record = case_to_record(case)
    record["satisfied"] = "yes"
    with pytest.raises(ValueError, match="satisfied"):
        case_from_record(record)


def _answered(library: PlaybookLibrary, number: int, *answers: Resolution | None) -> Case:
    case = a_case(library, number, followups=len(answers))
    for index, answer in enumerate(answers, 1):
        actions.complete_followup(case, index, NOW - timedelta(hours=10 - index), "", answer)
    return case


def test_made_right_counts_the_first_answer_and_the_later_ones(library: PlaybookLibrary) -> None:
    cases = [
        _answered(library, 1, Resolution.RESOLVED),
        _answered(library, 2, Resolution.PARTLY, Resolution.RESOLVED),
        _answered(library, 3, None, Resolution.NOT_RESOLVED, Resolution.RESOLVED),
        _answered(library, 4, Resolution.NOT_RESOLVED, Resolution.PARTLY),
        _answered(library, 5, None),  # never answered: not counted
        a_case(library, 6),  # nothing done
    ]
    insight = compute(cases, Period.ALL, NOW, week_start=0, targets=Targets())
    assert insight.made_right == MadeRight(at_first=1, later=2, not_yet=1)
    assert insight.made_right.cases == 4


def test_made_right_is_counted_in_the_period_of_the_first_answer(
    library: PlaybookLibrary,
) -> None:
    old = a_case(library, 1)
    actions.complete_followup(old, 1, NOW - timedelta(days=40), "", Resolution.PARTLY)
    actions.complete_followup(old, 2, NOW - timedelta(hours=1), "", Resolution.RESOLVED)
    recent = a_case(library, 2)
    actions.complete_followup(recent, 1, NOW - timedelta(hours=1), "", Resolution.RESOLVED)
    insight = compute([old, recent], Period.WEEK, NOW, week_start=0, targets=Targets())
    assert insight.made_right == MadeRight(at_first=1, later=0, not_yet=0)
    everything = compute(
        [old, recent],
        Period.ALL,
        NOW,
        week_start=0,
        targets=Targets.of(every_first_contact=timedelta(minutes=5)),
    )
    assert everything.made_right == MadeRight(at_first=1, later=1, not_yet=0)


def test_satisfaction_is_counted_over_the_closed_cases(library: PlaybookLibrary) -> None:
    cases = []
    for number, told in enumerate([True, True, False, None], 1):
        case = a_case(library, number, followups=0)
        actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True, satisfied=told)
        cases.append(case)
    still_open = a_case(library, 9, followups=0)
    insight = compute(
        [*cases, copy.deepcopy(still_open)],
        Period.ALL,
        NOW,
        week_start=0,
        targets=Targets(),
    )
    assert insight.satisfaction == Satisfaction(satisfied=2, not_satisfied=1, not_told=1)
