"""A customer across their cases: who counts as one customer, what was given and
promised, the near miss of a typo, and two spellings joined with every case kept."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError, open_case
from workbench.domain.customers import (
    at_a_glance,
    best_spelling,
    customer_key,
    relationship,
    rename_customer,
    similar_names,
)
from workbench.domain.model import Case, Outcome
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.queries import customer_cases


def a_case(library: PlaybookLibrary, number: int, customer: str, days_ago: int = 0) -> Case:
    return open_case(
        CaseDraft(f"Complaint {number}", customer),
        f"C-{number:04d}",
        library.get("unhappy"),
        NOW - timedelta(days=days_ago),
    )


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Ana Chen", "ana chen", True),
        ("Ana Chen", "  Ana   Chen ", True),
        ("Ana Chen", "ANA CHEN", True),
        ("Zoë Dubois", "Zoe Dubois", False),  # accents count: a near miss, said as one
        ("Ana Chen", "Ana Cheng", False),
    ],
)
def test_who_is_one_customer(one: str, other: str, same: bool) -> None:
    assert (customer_key(one) == customer_key(other)) is same


def test_the_relationship_tells_what_was_given_and_promised(library: PlaybookLibrary) -> None:
    old = a_case(library, 1, "Ana Chen", days_ago=40)
    actions.record_remedy(old, "Refund the delivery", Decimal("9.90"), True, NOW)
    actions.close_case(old, Outcome.RETAINED_WITH_CONCESSION, NOW, allow_open_steps=True)
    lost = a_case(library, 2, "ana chen", days_ago=20)
    actions.record_remedy(lost, "A voucher", Decimal("20"), False, NOW)  # declined: not given
    actions.close_case(lost, Outcome.LOST, NOW, allow_open_steps=True)
    other = a_case(library, 3, "Ana Chen", days_ago=10)
    actions.record_remedy(other, "Free month", Decimal("30"), None, NOW)  # offered
    actions.schedule_followup(other, NOW + timedelta(days=1), "Call about the month", NOW)
    current = a_case(library, 4, "Ana Chen")
    someone_else = a_case(library, 5, "Bo Li")

    rel = relationship([old, lost, other, current, someone_else], "ANA CHEN")
    assert [case.id for case in rel.cases] == ["C-0004", "C-0003", "C-0002", "C-0001"]
    assert rel.name == "Ana Chen" and rel.spellings == ("Ana Chen", "ana chen")
    assert [(g.case_id, g.remedy.cost) for g in rel.given] == [("C-0001", Decimal("9.90"))]
    assert rel.given_cost == Decimal("9.90")
    assert [o.case_id for o in rel.offered] == ["C-0003"]
    assert [(cid, f.action) for cid, f in rel.open_followups] == [
        ("C-0003", "Call about the month")
    ]
    assert at_a_glance(rel, "C-0004") == (
        "3 earlier cases (1 retained with concession, 1 lost, 1 open) · "
        "given 9.90 before in 1 concession · 1 promise open on C-0003"
    )
    assert at_a_glance(relationship([someone_else], "Bo Li"), "C-0005") == ""
    # The screen's history (H) finds the same cases, by the same rule.
    assert customer_cases([old, lost, other, current, someone_else], "ana chen") == list(rel.cases)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Ana Chne", ["Ana Chen"]),
        ("Zoe Dubois", ["Zoë Dubois"]),
        ("ana chen", []),  # a known customer is not a near miss
        ("Xavier Quint", []),
        ("", []),
    ],
)
def test_a_near_miss_is_pointed_out(typed: str, found: list[str]) -> None:
    assert similar_names(["Ana Chen", "Zoë Dubois", "Bo Li"], typed) == found


def test_joining_two_spellings_keeps_the_case_and_says_so(library: PlaybookLibrary) -> None:
    case = a_case(library, 1, "ana chen")
    assert rename_customer(case, " Ana Chen ", NOW) is True
    assert case.customer == "Ana Chen"
    assert case.timeline[-1].text == "Customer “ana chen” joined with “Ana Chen”"
    assert rename_customer(case, "Ana Chen", NOW) is False
    with pytest.raises(DomainError, match="needs a name"):
        rename_customer(case, "  ", NOW)


@pytest.mark.parametrize(
    ("names", "best"),
    [
        (["ana chen", "Ana Chen"], "Ana Chen"),  # capitals, of two used as often
        (["ana chen", "ana chen", "Ana Chen"], "ana chen"),  # the most used
        (["Ana CHEN", "Ana Chen"], "Ana CHEN"),  # the newest, of two with capitals
    ],
)
def test_the_name_shown_is_the_best_written(names: list[str], best: str) -> None:
    assert best_spelling(names) == best
