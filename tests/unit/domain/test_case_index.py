"""The case list's index: what it admits, in what order, kept right as cases change.

The index keeps sort keys and search texts per case, a sorted order that a changed case
is moved within, and results per filter text that a longer text searches within. Each
part is checked here on its own, then every sequence of changes and typing against the
plain rule: the cases the status filter admits whose search text holds the needle,
sorted by the order's key.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from helpers.clock import NOW
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain import case_index
from workbench.domain.case_index import KEPT_ENTRIES, KEPT_MATCHES, CaseIndex
from workbench.domain.model import Case, Event, EventKind, FollowUp, Heat, Status
from workbench.domain.queries import StatusFilter
from workbench.domain.search import SortOrder, needle, search_text, sort_key

HOUR = timedelta(hours=1)


def case(
    number: int,
    customer: str = "Ana Chen",
    *,
    status: Status = Status.NEW,
    heat: Heat = Heat.UPSET,
    opened_hours_ago: int = 1,
    due_in_hours: int | None = None,
    note: str = "",
) -> Case:
    return Case(
        id=f"C-{number:04d}",
        title="Charged twice",
        customer=customer,
        opened_at=NOW - opened_hours_ago * HOUR,
        playbook="unhappy",
        status=status,
        heat=heat,
        followups=[]
        if due_in_hours is None
        else [FollowUp(id=1, due=NOW + due_in_hours * HOUR, action="call back")],
        timeline=[Event(at=NOW, kind=EventKind.NOTE, text=note)] if note else [],
    )


def rule(
    cases: list[Case],
    typed: str = "",
    status: StatusFilter = StatusFilter.OPEN,
    order: SortOrder = SortOrder.FOLLOWUP,
) -> list[str]:
    key = sort_key(order, NOW)
    found = needle(typed)
    return [
        c.id
        for c in sorted(cases, key=lambda c: (key(c), c.id))
        if status.admits(c) and found in search_text(c)
    ]


def index_of(cases: list[Case]) -> CaseIndex:
    index = CaseIndex(lambda: NOW)
    index.set_cases(cases)
    return index


CASES = [
    case(1, "Ana Chen", due_in_hours=5),
    case(2, "Bruno Díaz", heat=Heat.FURIOUS, due_in_hours=-2, opened_hours_ago=9),
    case(3, "Chidi Anagonye", heat=Heat.CALM, opened_hours_ago=30),
    case(4, "Dana Scully", status=Status.CLOSED, due_in_hours=1),
    case(5, "Anna Karenina", heat=Heat.FURIOUS, opened_hours_ago=2, note="wants the manager"),
]


# -- what is listed ----------------------------------------------------------------------
def test_the_cases_are_listed_by_id() -> None:
    index = index_of(CASES)
    assert len(index) == 5
    assert "C-0004" in index
    assert "C-0009" not in index
    assert index.case("C-0003") is CASES[2]


def test_open_cases_by_next_follow_up_at_first() -> None:
    index = index_of(CASES)
    assert index.matching("") == ["C-0002", "C-0001", "C-0005", "C-0003"]
    assert index.matching("") == rule(CASES)


@pytest.mark.parametrize("order", list(SortOrder))
@pytest.mark.parametrize("status", list(StatusFilter))
def test_every_order_and_status_filter_as_the_rule_says(
    order: SortOrder, status: StatusFilter
) -> None:
    index = index_of(CASES)
    index.matching("an")  # results kept for the old settings must not be shown for these
    index.order = order
    index.status = status
    assert index.matching("") == rule(CASES, "", status, order)
    assert index.matching("an") == rule(CASES, "an", status, order)


def test_ties_in_an_order_go_to_the_hotter_then_the_lower_number() -> None:
    cases = [
        case(7, due_in_hours=3, heat=Heat.CALM),
        case(3, due_in_hours=3, heat=Heat.FURIOUS),
        case(5, due_in_hours=3, heat=Heat.CALM),
        case(1, due_in_hours=4, heat=Heat.FURIOUS),
    ]
    index = index_of(cases)
    assert index.matching("") == ["C-0003", "C-0005", "C-0007", "C-0001"]
    index.order = SortOrder.AGE  # all opened an hour ago: by number
    assert index.matching("") == ["C-0001", "C-0003", "C-0005", "C-0007"]
    index.order = SortOrder.HEAT  # the furious first, then (opened together) by number
    assert index.matching("") == ["C-0001", "C-0003", "C-0005", "C-0007"]


def test_setting_the_cases_again_replaces_them_all() -> None:
    index = index_of(CASES)
    index.matching("an")
    index.set_cases(CASES[:2])
    assert len(index) == 2
    assert index.matching("") == ["C-0002", "C-0001"]
    assert index.matching("an") == ["C-0001"]


# -- filtering as you type ---------------------------------------------------------------
def test_a_longer_text_narrows_and_backspace_finds_the_shorter_ones_list_again() -> None:
    index = index_of(CASES)
    a = index.matching("a")
    assert a == rule(CASES, "a")
    an = index.matching("an")
    assert an == rule(CASES, "an") == ["C-0001", "C-0005", "C-0003"]
    assert index.matching("ann") == ["C-0005"]
    assert index.matching("an") is an  # backspace: nothing searched again
    assert index.matching("a") is a
    assert index.matching("annx") == []


def test_a_longer_text_is_searched_within_the_entries_the_shorter_one_kept() -> None:
    index = index_of(CASES)
    index.matching("an")
    kept = index.match_entries["an"]
    assert [entry.case.id for entry in kept] == index.matches["an"]
    # Texts planted to tell the two apart: only the entries "an" kept are looked in.
    planted = {"C-0002": "anagram", kept[0].case.id: "an anagram"}
    index.fill_in({case_id: index.case(case_id) for case_id in planted}, planted)
    assert index.matching("anag") == ["C-0001", "C-0005", "C-0003"]  # C-0005: "manager"


def test_the_unfiltered_lists_entries_are_kept_in_its_order() -> None:
    index = index_of(CASES)
    unfiltered = index.matching("")
    assert index.match_entries[""] == [index.entries[case_id] for case_id in unfiltered]


def test_a_text_typed_from_the_middle_is_searched_from_the_whole_list() -> None:
    index = index_of(CASES)
    index.matching("ann")
    assert index.matching("nna") == ["C-0005"]


def test_what_is_kept_is_bounded() -> None:
    index = index_of(CASES)
    unfiltered = index.matching("")
    for n in range(KEPT_MATCHES + 10):
        index.matching(f"a{n}")
    assert len(index.matches) <= KEPT_MATCHES
    assert index.matches[""] is unfiltered  # the unfiltered list outlives the others
    assert len(index.match_entries) <= KEPT_ENTRIES + 1
    assert "" in index.match_entries


def test_search_texts_are_worked_out_once_per_version() -> None:
    index = index_of(CASES)
    assert all(entry.known_haystack is None for entry in index.entries.values())
    index.matching("x")
    texts = {case_id: entry.known_haystack for case_id, entry in index.entries.items()}
    assert texts["C-0001"] == search_text(CASES[0])
    index.matching("y")
    assert all(index.entries[i].known_haystack is text for i, text in texts.items())


# -- changes -----------------------------------------------------------------------------
def test_a_change_that_moves_a_case_moves_it_and_drops_the_results_kept() -> None:
    index = index_of(CASES)
    index.matching("an")
    moved = replace(CASES[2], followups=[FollowUp(id=1, due=NOW - 9 * HOUR, action="ring")])
    assert not index.put(moved, "")
    assert index.matches == {}
    assert index.matching("") == ["C-0003", "C-0002", "C-0001", "C-0005"]
    assert index.matching("") == rule([*CASES[:2], moved, *CASES[3:]])


def test_a_change_that_alters_nothing_listed_keeps_its_place_and_the_results() -> None:
    """A ticked step: the same key, the same status, the same search text."""
    index = index_of(CASES)
    an = index.matching("an")
    ticked = replace(CASES[0], revision=CASES[0].revision + 1)
    assert index.put(ticked, needle("an"))
    assert index.matches["an"] is an
    assert index.case("C-0001") is ticked
    assert index.matching("") == rule(CASES)


def test_a_change_to_the_text_looked_in_drops_the_results() -> None:
    index = index_of(CASES)
    index.matching("manager")
    noted = replace(CASES[0], timeline=[Event(at=NOW, kind=EventKind.NOTE, text="manager")])
    assert index.put(noted, needle("an"))  # same place; a row to redraw, no more
    assert "manager" not in index.matches
    assert index.matching("manager") == ["C-0001", "C-0005"]


def test_a_case_the_filters_no_longer_admit_leaves_its_place() -> None:
    index = index_of(CASES)
    index.matching("")
    closed = replace(CASES[1], status=Status.CLOSED)
    assert not index.put(closed, "")
    assert "C-0002" not in index.matching("")
    assert "C-0002" in index  # still listed, for the status filters that admit it
    index.status = StatusFilter.CLOSED
    assert index.matching("") == ["C-0002", "C-0004"]


def test_a_case_the_filters_come_to_admit_takes_a_place() -> None:
    index = index_of(CASES)
    index.status = StatusFilter.CLOSED
    assert index.matching("") == ["C-0004"]
    assert not index.put(replace(CASES[0], status=Status.CLOSED), "")
    assert index.matching("") == ["C-0004", "C-0001"]


def test_a_case_the_filter_text_does_not_match_has_no_place_to_keep() -> None:
    index = index_of(CASES)
    assert not index.put(CASES[0], needle("bruno"))
    assert index.put(CASES[1], needle("bruno"))


def test_a_new_case_takes_its_place_in_the_order() -> None:
    index = index_of(CASES)
    index.matching("an")
    new = case(6, "Ann Perkins", due_in_hours=2)
    assert not index.put(new, "")
    assert index.matching("") == ["C-0002", "C-0006", "C-0001", "C-0005", "C-0003"]
    assert index.matching("an") == ["C-0006", "C-0001", "C-0005", "C-0003"]


def test_a_removed_case_is_no_longer_listed() -> None:
    index = index_of(CASES)
    index.matching("an")
    index.remove("C-0001")
    assert "C-0001" not in index
    assert len(index) == 4
    assert index.matching("an") == ["C-0005", "C-0003"]
    assert index.matching("") == ["C-0002", "C-0005", "C-0003"]
    index.remove("C-0001")  # not there: nothing
    index.put(CASES[0], "")
    assert index.matching("") == rule(CASES)


def test_a_change_while_the_order_is_unsorted_is_placed_when_it_is_sorted() -> None:
    index = index_of(CASES)
    index.order = SortOrder.ID
    index.put(replace(CASES[4], heat=Heat.CALM), "")
    index.remove("C-0002")
    assert index.matching("") == ["C-0001", "C-0003", "C-0005"]
    index.order = SortOrder.HEAT
    assert index.matching("") == ["C-0001", "C-0003", "C-0005"]  # upset, calm (older) first


# -- whole cases in place of heads -------------------------------------------------------
def test_whole_cases_fill_the_same_entries_and_kept_results_stay_until_searched_again() -> None:
    heads = [replace(c, timeline=[]) for c in CASES]
    index = index_of(heads)
    assert index.matching("manag") == []
    a = index.matching("a")
    entries = dict(index.entries)
    index.fill_in({"C-0005": CASES[4]}, {"C-0005": search_text(CASES[4])})
    assert index.entries == entries  # the same entries, filled in
    assert index.entries["C-0005"].case is CASES[4]
    assert index.matching("a") is a
    assert index.matching("manag") == []  # as the heads gave it: typing stays quick
    assert index.matching("ants the m") == ["C-0005"]  # within what "a" kept, filled in
    index.forget_matches(keep_unfiltered=True)
    assert index.matching("manag") == ["C-0005"]


def test_a_filled_in_case_without_its_text_works_it_out_when_needed() -> None:
    index = index_of([replace(CASES[4], timeline=[])])
    index.matching("x")
    index.fill_in({"C-0005": CASES[4]})
    assert index.entries["C-0005"].known_haystack is None
    assert index.matching("wants") == ["C-0005"]


def test_cases_not_listed_are_not_filled_in() -> None:
    index = index_of(CASES[:1])
    index.fill_in({"C-0002": CASES[1]})
    assert "C-0002" not in index


def test_the_warmer_works_out_every_search_text_in_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(case_index, "WARM_BATCH", 2)
    monkeypatch.setattr(case_index, "WARM_PAUSE", 0)
    index = index_of(CASES)
    batches: list[int] = []
    warm = index.warmer(lambda: batches.append(1))
    index.put(replace(CASES[0], heat=Heat.CALM), "")  # replaced meanwhile: left to the filter
    assert all(entry.known_haystack is None for entry in index.entries.values())
    warm()
    assert len(batches) == 3
    assert index.entries["C-0001"].known_haystack is None
    others = [entry for case_id, entry in index.entries.items() if case_id != "C-0001"]
    assert all(entry.known_haystack == search_text(entry.case) for entry in others)


# -- everything together, against the rule -----------------------------------------------
NAMES = ["Ana", "anna", "Bruno", "Zoë", "ZOE", "Straße", "nan"]
CHANGE = st.tuples(
    st.integers(1, 6),  # the case
    st.sampled_from(NAMES),
    st.sampled_from(list(Status)),
    st.sampled_from(list(Heat)),
    st.sampled_from([None, -1, 2]),  # the follow-up, hours from now
    st.integers(0, 1),  # hours since it was opened
)
STEP = st.one_of(
    st.tuples(st.just("put"), CHANGE),
    st.tuples(st.just("remove"), st.integers(1, 6)),
    st.tuples(st.just("type"), st.sampled_from(["a", "n", "z", "o", "e", "ss", "ß", "ë"])),
    st.tuples(st.just("backspace"), st.just(1)),
    st.tuples(st.just("status"), st.sampled_from(list(StatusFilter))),
    st.tuples(st.just("order"), st.sampled_from(list(SortOrder))),
)


def changed(change: tuple[int, str, Status, Heat, int | None, int]) -> Case:
    number, name, status, heat, due, opened = change
    return case(number, name, status=status, heat=heat, due_in_hours=due, opened_hours_ago=opened)


@settings(max_examples=200, deadline=None)
@given(
    start=st.lists(CHANGE, max_size=6),
    steps=st.lists(STEP, max_size=20),
)
def test_any_changes_and_typing_list_what_the_rule_says(
    start: list[tuple[int, str, Status, Heat, int | None, int]],
    steps: list[tuple[str, Any]],
) -> None:
    cases = {c.id: c for c in map(changed, start)}
    index = index_of(list(cases.values()))
    status, order, typed = StatusFilter.OPEN, SortOrder.FOLLOWUP, ""
    for kind, value in steps:
        if kind == "put":
            new = changed(value)
            old = cases.get(new.id)
            shown = index.matching(needle(typed))
            in_place = index.put(new, needle(typed))
            cases[new.id] = new
            key = sort_key(order, NOW)
            same_place = (
                old is not None
                and key(old) == key(new)
                and rule([old], typed, status, order) == [old.id]
                and rule([new], typed, status, order) == [new.id]
            )
            assert in_place == same_place, (old, new)
            assert not in_place or new.id in shown
        elif kind == "remove":
            index.remove(f"C-{value:04d}")
            cases.pop(f"C-{value:04d}", None)
        elif kind == "type":
            typed += str(value)
        elif kind == "backspace":
            typed = typed[:-1]
        elif kind == "status":
            status = index.status = value
        else:
            order = index.order = value
        assert index.matching(needle(typed)) == rule(list(cases.values()), typed, status, order)
        assert len(index) == len(cases)
