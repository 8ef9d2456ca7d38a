"""The case list's filter against the plain rule, over any sequence of typing.

The list keeps results per filter text, searches within the result of a shorter text,
keeps the search texts beside recent results, and keeps results through whole cases
coming in for heads. Whatever was typed, in whatever order, what it shows must be what
the rule says: the cases the status filter admits whose search text holds the needle,
in the list's order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from helpers.clock import NOW
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.model import Case, format_case_id
from workbench.domain.search import SortOrder, needle, search_text, sort_key
from workbench.storage.playbook_files import load_library
from workbench.ui.widgets.case_list import CaseList, StatusFilter

LIBRARY = load_library(None)
WORDS = [
    "ana",
    "anna",
    "nan",
    "banana",
    "na",
    "an",
    "b",
    "Ñandú",
    "straße",
    "STRASSE",
    "Zoë",
    "ZOE",
]


def make_cases(names: list[tuple[str, str, str]]) -> list[Case]:
    cases = []
    for number, (customer, title, note) in enumerate(names, start=1):
        case = open_case(
            CaseDraft(title or "t", customer or "c"),
            format_case_id(number),
            LIBRARY.get("unhappy"),
            NOW - timedelta(hours=number),
        )
        if note.strip():
            actions.add_note(case, note, NOW)
        cases.append(case)
    return cases


def head_of(case: Case) -> Case:
    """What the first screen holds: no steps, no timeline (so no notes)."""
    return replace(case, steps=[], timeline=[])


def rule(cases: list[Case], needle: str) -> list[str]:
    key = sort_key(SortOrder.FOLLOWUP, NOW)
    admitted = [case for case in cases if StatusFilter.OPEN.admits(case)]
    return [
        case.id
        for case in sorted(admitted, key=lambda case: (key(case), case.id))
        if needle in search_text(case)
    ]


text = st.sampled_from(WORDS) | st.text(alphabet="abnßeëzoÑñ\u0308", max_size=4)
typing = st.lists(st.one_of(st.sampled_from(["<", "<<", "whole", "all in"]), text), max_size=12)


@settings(max_examples=300, deadline=None)
@example(names=[("x", "t", "ana")], steps=["an", "whole", "all in"])  # kept, then searched
@example(names=[("x", "t", "banana")], steps=["b", "whole", "all in", "a"])  # entries filled
@given(
    names=st.lists(st.tuples(text, text, text), min_size=1, max_size=8),
    steps=typing,
)
def test_what_the_filter_finds_is_what_the_rule_says(
    names: list[tuple[str, str, str]], steps: list[str]
) -> None:
    """Exactly the rule over heads at first and over whole cases once all are in; while
    they come in, at least what the heads match and at most what the whole cases do."""
    whole = make_cases(names)
    heads = [head_of(case) for case in whole]
    case_list = CaseList(lambda: NOW)
    case_list.set_cases(heads)
    phase = "heads"
    typed = ""
    for step in steps:
        if step == "whole":  # a batch of the background read (here: every case)
            case_list.fill_in({case.id: case for case in whole})
            phase = "reading" if phase == "heads" else phase
        elif step == "all in":  # the read is done (MainScreen.all_filled_in)
            if phase == "reading":
                case_list.refilter()
                phase = "whole"
        elif step.startswith("<") and set(step) == {"<"}:
            typed = typed[: -len(step)]
        else:
            typed += step
        found = needle(typed)
        got = case_list.index.matching(found)
        if phase == "heads":
            assert got == rule(heads, found), (typed, step)
        elif phase == "whole":
            assert got == rule(whole, found), (typed, step)
        else:
            most = rule(whole, found)
            assert set(rule(heads, found)) <= set(got) <= set(most), (typed, step)
            assert got == [case_id for case_id in most if case_id in set(got)], "order"
