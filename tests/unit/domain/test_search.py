"""The filter's one rule, for the screen and the command line: case and accents set aside,
both ways round."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from datetime import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.search import fold, matches, needle, search_text, text_matches

Draft = Callable[..., CaseDraft]

BOTH_WAYS = [
    ("zoe", "Zoë"),
    ("zoë", "Zoe"),
    ("zoë", "Zoë"),
    ("ZOE", "zoë"),
    ("ZOË", "Zoe"),
    ("Zoe\u0308", "Zoë"),  # the mark typed as its own character
    ("strasse", "Straße"),
    ("STRASSE", "straße"),
    ("straße", "Strasse"),
    ("ẞ", "ss"),  # capital sharp s
    ("finance", "ﬁnance"),  # the fi ligature
    ("office", "oﬃce"),
    ("oeuvre", "Œuvre"),
    ("aeon", "Æon"),
    ("lodz", "Łódź"),
    ("soren", "Søren"),
    ("dorde", "Đorđe"),
    ("istanbul", "İstanbul"),
    ("diyarbakir", "Diyarbakır"),
    ("francois", "François"),
    ("nandu", "Ñandú"),
    ("angstrom", "Ångström"),
    ("ＡＢＣ", "abc"),  # full width
    ("αθηνα", "Αθήνα"),  # Greek, accents aside
    ("москва", "МОСКВА"),
    ("e", "é"),
]


@pytest.mark.parametrize(("typed", "text"), BOTH_WAYS)
def test_case_and_accents_are_set_aside_both_ways(typed: str, text: str) -> None:
    assert text_matches(text, needle(typed))
    assert text_matches(typed, needle(text))


@pytest.mark.parametrize(
    ("typed", "text"),
    [("zoa", "Zoë"), ("zoe", "Zo e"), ("oe", "Ö"), ("лодз", "Łódź"), ("zoë", "Zeo")],
)
def test_different_letters_still_differ(typed: str, text: str) -> None:
    assert not text_matches(text, needle(typed))


def test_a_line_break_stays_so_no_match_straddles_two_fields() -> None:
    assert fold("Zoë\nAdams") == "zoe\nadams"
    assert not text_matches("Zoë\nAdams", needle("zoe adams"))


def test_what_was_typed_is_trimmed_and_an_empty_filter_finds_everything() -> None:
    assert needle("  Zoë ") == "zoe"
    assert text_matches("anything", needle("   "))


def test_the_case_list_and_the_cli_search_the_same_folded_text(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case: Case = actions.open_case(
        make_draft(customer="Zoë Adams", title="Straße closed"),
        "C-0001",
        library.get("unhappy"),
        now,
    )
    actions.add_note(case, "Rang from the Ångström office", now)
    haystack = search_text(case)
    assert haystack == fold(haystack)  # folded once, when built
    for typed in ("zoe", "ZOË", "strasse", "angstrom", "c-0001"):
        assert matches(case, needle(typed)), typed
    assert not matches(case, needle("zoey"))


# -- properties ---------------------------------------------------------------------------

MARKS = [chr(code) for code in range(0x300, 0x370)] + ["\u1dc4", "\u20d7", "\ufe20", "\u0f71"]
"""Combining marks: the usual accents, and a few from other blocks."""

LATIN = [chr(c) for c in range(0x20, 0x250) if chr(c).isalpha() or chr(c).isspace()]


@given(text=st.text(max_size=40))
@example(text="ǅ\u0345İﬃ½Ⓐ")
@example(text="ı\u0307")
def test_any_text_is_found_by_itself_and_folding_twice_changes_nothing(text: str) -> None:
    assert text_matches(text, needle(text))
    assert fold(fold(text)) == fold(text)
    assert fold(text).count("\n") == text.count("\n")


@given(
    base=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20),
    marks=st.lists(st.lists(st.sampled_from(MARKS), max_size=3), max_size=20),
    upper=st.lists(st.booleans(), max_size=20),
)
def test_accented_and_plain_variants_find_each_other(
    base: str, marks: list[list[str]], upper: list[bool]
) -> None:
    accented = "".join(
        (letter.upper() if index < len(upper) and upper[index] else letter)
        + ("".join(marks[index]) if index < len(marks) and letter != " " else "")
        for index, letter in enumerate(base)
    )
    for variant in (accented, unicodedata.normalize("NFC", accented)):
        assert fold(variant) == base
        assert text_matches(variant, needle(base)) or not base.strip()
        assert text_matches(base, needle(variant)) or not base.strip()


@given(text=st.text(alphabet=st.sampled_from(LATIN), max_size=30))
@example(text="ıIiİß")
def test_upper_and_lower_case_fold_alike(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


def test_every_character_folds_to_a_fixed_point() -> None:
    """Folding is done once per case and once per query: it must need no second pass."""
    unstable = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code <= 0xDFFF and fold(fold(chr(code))) != fold(chr(code))
    ]
    assert unstable == []
