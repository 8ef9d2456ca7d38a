"""The rule for a text changed elsewhere while a form edited it: never silently overwritten."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.merge import (
    ELSEWHERE,
    SEPARATOR,
    Edit,
    Merged,
    merge_line,
    merge_tags,
    merge_text,
)

texts = st.text(max_size=40)
lines = st.text(st.characters(blacklist_categories=("Cc", "Zl", "Zp")), max_size=40)
Merge = Callable[[str, str, str], Merged]
BOTH_WAYS: list[Merge] = [merge_text, merge_line]


@pytest.mark.parametrize("merge", BOTH_WAYS)
@given(base=texts, ours=texts)
def test_unchanged_elsewhere_takes_ours(merge: Merge, base: str, ours: str) -> None:
    merged = merge(base, base, ours)
    assert merged.text == ours
    assert not merged.clash


@pytest.mark.parametrize("merge", BOTH_WAYS)
@given(base=texts, theirs=texts)
def test_left_as_it_was_here_takes_theirs(merge: Merge, base: str, theirs: str) -> None:
    merged = merge(base, theirs, base)
    assert merged.text == theirs
    assert not merged.clash


@pytest.mark.parametrize("merge", BOTH_WAYS)
@given(base=texts, theirs=texts, ours=texts)
def test_changed_on_both_sides_the_result_holds_both_texts_in_full(
    merge: Merge, base: str, theirs: str, ours: str
) -> None:
    merged = merge(base, theirs, ours)
    if theirs != base and ours != base:
        assert theirs in merged.text
        assert ours in merged.text
    assert merged.clash == (theirs not in (base, ours) and ours != base)


@given(base=texts, same=texts)
def test_the_same_change_on_both_sides_is_kept_once(base: str, same: str) -> None:
    assert merge_text(base, same, same).text == same
    assert merge_line(base, same, same).text == same


def test_a_note_keeps_theirs_first_then_a_separator_then_ours() -> None:
    merged = merge_text("Called", "Called; left a voicemail", "Called; she wants a refund")
    assert merged.text == "Called; left a voicemail" + SEPARATOR + "Called; she wants a refund"
    assert merged.clash
    assert merged.notice("Step 2's note") == (
        "Step 2's note was changed elsewhere while you wrote; both texts are kept."
    )


def test_a_line_keeps_ours_with_theirs_beside_it() -> None:
    merged = merge_line("Late parcel", "Late parcel, second time", "Parcel lost")
    assert merged.text == "Parcel lost (elsewhere: Late parcel, second time)"
    assert "\n" not in merged.text


@given(base=lines, theirs=lines, ours=lines, limit=st.integers(0, 60))
def test_a_line_never_grows_past_its_limit_by_keeping_both(
    base: str, theirs: str, ours: str, limit: int
) -> None:
    merged = merge_line(base, theirs, ours, limit)
    assert len(merged.text) <= max(limit, len(ours), len(theirs))
    if merged.clash and len(ELSEWHERE.format(ours=ours, theirs=theirs)) <= limit:
        assert theirs in merged.text and ours in merged.text
    if merged.clash:  # what the field can't hold, the timeline does
        assert theirs in merged.record("The title", quote=True)
        assert ours in merged.record("The title", quote=True)


def test_notes_too_long_to_join_keep_ours_and_the_timeline_keeps_theirs() -> None:
    merged = merge_text("", "t" * 30, "o" * 30, limit=50)
    assert (merged.text, merged.clash) == ("o" * 30, True)
    assert "t" * 30 in merged.record("The note")
    assert "t" * 30 not in merge_text("", "t" * 30, "o" * 30).record("The note")


def test_one_side_cleared_keeps_the_written_text_and_says_so() -> None:
    cleared_there = merge_text("old", "", "new")
    assert (cleared_there.text, cleared_there.clash) == ("new", True)
    assert "cleared elsewhere" in cleared_there.notice("The note")
    cleared_here = merge_text("old", "theirs", "")
    assert (cleared_here.text, cleared_here.clash) == ("theirs", True)
    assert "while you cleared it" in cleared_here.notice("The note")


tag_lists = st.lists(st.sampled_from(["vip", "refund", "legal", "repeat", "press"]), unique=True)


@given(base=tag_lists, theirs=tag_lists, ours=tag_lists)
def test_tags_take_both_sides_changes(base: list[str], theirs: list[str], ours: list[str]) -> None:
    merged, clash = merge_tags(base, theirs, ours)
    if theirs == base:
        assert merged == ours
    if ours == base:
        assert merged == theirs
    added = (set(theirs) - set(base)) | (set(ours) - set(base))
    removed = (set(base) - set(theirs)) | (set(base) - set(ours))
    assert set(merged) == (set(base) - removed) | added
    assert len(merged) == len(set(merged))
    if clash:
        assert set(theirs) != set(base) != set(ours) != set(theirs)


def test_an_edit_is_true_when_something_changed() -> None:
    assert Edit(("note",))
    assert not Edit((), ("Follow-up F2 was already marked done elsewhere.",))
