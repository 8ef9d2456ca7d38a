"""What to say: placeholders filled from the case, gaps where the case has no value, user
text kept as text, and the step whose wording is shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.clock import NOW
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.model import Case, FollowUp, Remedy
from workbench.domain.moments import spoken_moment
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.wording import (
    PLACEHOLDERS,
    PhraseError,
    Piece,
    case_values,
    check_phrase,
    fill,
    fill_lines,
    first_name,
    next_worded,
    wording,
)


def a_case(library: PlaybookLibrary, **changes: object) -> Case:
    case = open_case(
        CaseDraft("Wrong size sent, second time", "Zoë Dubois (Harbour Dental)"),
        "C-0001",
        library.get("our-mistake"),
        NOW,
    )
    return replace(case, **changes)  # type: ignore[arg-type]


# --- Checking a phrase ------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Hello {customer}, it's {agent}.",
        "No placeholder at all.",
        "Braces written twice: {{customer}} stays a word.",
        "{title}{remedy}{cost}{followup}",
    ],
)
def test_good_phrases_pass(phrase: str) -> None:
    check_phrase(phrase)


@pytest.mark.parametrize(
    ("phrase", "said"),
    [
        ("Hello {name}.", "unknown placeholder “{name}”"),
        ("Hello {Customer}.", "unknown placeholder “{Customer}”"),
        ("Hello {customer.__class__}.", "unknown placeholder"),
        ("Hello {customer!r}.", "unknown placeholder"),
        ("Hello {}.", "unknown placeholder “{}”"),
        ("A lone { here", "a lone “{” (column 8); write {{ for a brace"),
        ("A lone } here", "a lone “}” (column 8); write }} for a brace"),
    ],
)
def test_bad_phrases_say_what_is_wrong(phrase: str, said: str) -> None:
    with pytest.raises(PhraseError) as caught:
        check_phrase(phrase)
    assert said in str(caught.value)
    if "unknown" in said:  # the message lists what may be used
        assert "{customer}, {title}, {remedy}, {cost}, {followup}, {agent}" in str(caught.value)


# --- Filling ------------------------------------------------------------------------------


def test_a_missing_value_is_a_gap_not_a_hole() -> None:
    pieces = fill("Here is what I'd like to do: {remedy}.", {"remedy": None})
    assert pieces == (
        Piece("Here is what I'd like to do: "),
        Piece("[remedy]", gap=True),
        Piece("."),
    )
    lines, missing = fill_lines(("{remedy} for {cost}", "{followup}", "{remedy}"), {})
    assert missing == ("remedy", "cost", "followup")  # each once, in order of first use
    assert "".join(p.text for p in lines[0]) == "[remedy] for [cost]"


@pytest.mark.parametrize(
    "customer",
    ["{agent}", "{{remedy}}", "[b]Ana[/b]", "=HYPERLINK(1)", "Ana {", "}", "%s %(x)s", "{0}"],
)
def test_case_text_with_braces_or_markup_stays_as_typed(customer: str) -> None:
    pieces = fill("Hello {customer}, it's {agent}.", {"customer": customer, "agent": "Bo"})
    text = "".join(piece.text for piece in pieces)
    assert text == f"Hello {customer}, it's Bo."
    assert not any(piece.gap for piece in pieces)


def test_doubled_braces_write_one() -> None:
    assert "".join(p.text for p in fill("{{customer}} is {customer}", {"customer": "Ana"})) == (
        "{customer} is Ana"
    )


def test_a_title_or_remedy_inside_a_sentence_starts_small_and_a_sentence_starts_big() -> None:
    values = {"title": "Wrong size sent", "remedy": "DHL return label", "customer": "ana"}
    said = "".join(p.text for p in fill("About {title}: {remedy}. {customer}?", values))
    assert said == "About wrong size sent: DHL return label. Ana?"
    said = "".join(p.text for p in fill("{remedy} is what we do.", {"remedy": "send it"}))
    assert said == "Send it is what we do."
    iphone = "".join(p.text for p in fill("About {title}.", {"title": "iPhone broke"}))
    assert iphone == "About iPhone broke."


_NAMES = st.sampled_from(sorted(PLACEHOLDERS))
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(
    parts=st.lists(
        st.one_of(
            st.tuples(st.just("name"), _NAMES),
            st.tuples(st.just("text"), _TEXT.map(lambda t: t.replace("{", "").replace("}", ""))),
            st.tuples(st.just("brace"), st.sampled_from(["{{", "}}"])),
        ),
        max_size=8,
    ),
    values=st.dictionaries(_NAMES, st.one_of(st.none(), _TEXT.filter(lambda t: t[:1].isalpha()))),
)
def test_filling_matches_a_plain_model(
    parts: list[tuple[str, str]], values: dict[str, str | None]
) -> None:
    """Any phrase checks clean, and fills as the simplest reading says: each placeholder
    by its value (first letter aside) or a gap, each doubled brace one brace, the rest as
    written."""
    phrase = "".join("{" + part + "}" if kind == "name" else part for kind, part in parts)
    check_phrase(phrase)
    pieces = fill(phrase, values)
    got = "".join(piece.text for piece in pieces)
    expected = ""
    for kind, part in parts:
        if kind == "name":
            value = values.get(part)
            expected += f"[{part}]" if value is None else value
        elif kind == "brace":
            expected += part[0]
        else:
            expected += part
    assert got.casefold() == expected.casefold()
    assert len(got) == len(expected) or any(not c.isascii() for c in expected)
    assert {p.text[1:-1] for p in pieces if p.gap} == {
        part for kind, part in parts if kind == "name" and values.get(part) is None
    }


# --- The customer's name --------------------------------------------------------------


@pytest.mark.parametrize(
    ("customer", "said"),
    [
        ("Zoë Dubois (Harbour Dental)", "Zoë"),
        ("Ana Chen", "Ana"),
        ("  Kofi  Mensah ", "Kofi"),
        ("Ana", "Ana"),
        ("Harbour Dental Ltd", "Harbour Dental Ltd"),
        ("Smith & Sons", "Smith & Sons"),
        ("Mrs Patel", "Mrs Patel"),
        ("Dr. Ana Chen", "Dr. Ana Chen"),
        ("J. Smith", "J. Smith"),
        ("acme widgets", "acme widgets"),
        ("(Harbour Dental)", "(Harbour Dental)"),
        ("", ""),
    ],
)
def test_first_name_where_one_can_be_told(customer: str, said: str) -> None:
    assert first_name(customer) == said


# --- From a case ---------------------------------------------------------------------------


def test_values_come_from_the_case(library: PlaybookLibrary) -> None:
    due = NOW + timedelta(days=1, hours=-4, minutes=-30)  # tomorrow at 10:00
    case = a_case(
        library,
        remedy=Remedy("Send the right size by express", Decimal("16")),
        followups=[FollowUp(1, due, "Call")],
    )
    assert case_values(case, NOW, "Cleo") == {
        "customer": "Zoë",
        "title": "Wrong size sent, second time",
        "remedy": "Send the right size by express",
        "cost": "16.00",
        "followup": "tomorrow at 10:00",
        "agent": "Cleo",
    }
    bare = case_values(a_case(library), NOW, "")
    assert bare["remedy"] is bare["cost"] is bare["followup"] is bare["agent"] is None


def test_control_bytes_in_case_text_are_spelled_out(library: PlaybookLibrary) -> None:
    case = a_case(library, customer="Ana\x1b[31m Chen", title="Bad\x07 day")
    values = case_values(case, NOW, "Bo")
    assert "\x1b" not in str(values) and "\x07" not in str(values)
    assert values["title"] == "Bad\\x07 day"


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (timedelta(hours=2), "today at 16:30"),
        (timedelta(days=1), "tomorrow at 14:30"),
        (timedelta(days=3), "on Thursday at 14:30"),
        (timedelta(days=10), "on Thursday 3 December at 14:30"),
        (timedelta(days=45), "on Thursday 7 January 2027 at 14:30"),
        (timedelta(days=-2), "on Saturday 21 November at 14:30"),
    ],
)
def test_spoken_moment(delta: timedelta, said: str) -> None:
    assert spoken_moment(NOW + delta, NOW) == said


def test_the_wording_of_a_step_and_the_next_to_say(library: PlaybookLibrary) -> None:
    case = a_case(library)
    playbooks = list(library)
    assert case.steps[0].key == "think-first"
    assert wording(case, 0, playbooks, NOW, "Bo") is None  # a step to do, not to say
    said = wording(case, 1, playbooks, NOW, "Bo")
    assert said is not None and said.number == 2
    assert said.text.startswith("Zoë, this one is on us")
    assert said.missing == ()
    assert next_worded(case, playbooks) == 1
    case.steps[1].done_at = NOW
    assert next_worded(case, playbooks) == 2
    remedy = wording(case, 3, playbooks, NOW, "Bo")
    assert remedy is not None and remedy.missing == ("remedy",)
    assert "[remedy]" in remedy.text


def test_a_step_kept_from_an_earlier_playbook_keeps_its_wording(library: PlaybookLibrary) -> None:
    case = a_case(library)
    kept = replace(case.steps[1], from_playbook="our-mistake")
    case = replace(case, playbook="unhappy", steps=[*library.get("unhappy").new_steps(), kept])
    said = wording(case, len(case.steps) - 1, list(library), NOW, "Bo")
    assert said is not None and said.text.startswith("Zoë, this one is on us")
    assert next_worded(case, list(library)) == 0  # a kept step is never one to do


def test_a_playbook_no_longer_installed_has_no_wording(library: PlaybookLibrary) -> None:
    case = a_case(library, playbook="gone")
    assert wording(case, 1, list(library), NOW, "Bo") is None
    assert next_worded(case, list(library)) is None
