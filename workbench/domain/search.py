"""Finding and ordering cases: one filter and one set of sort orders for the screen and the CLI.

The filter sets case and accents aside, both ways: "zoe", "Zoë" and "ZOË" each find
"Zoe" and "Zoë". Both the text searched and what was typed go through :func:`fold`;
a case's text is folded once (:func:`search_text`, which the screen keeps per case),
what was typed once per search (:func:`needle`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from workbench.domain.model import Case


class SortOrder(StrEnum):
    FOLLOWUP = "next follow-up"
    AGE = "oldest first"
    HEAT = "hottest first"
    ID = "case id"


class _Unmarked(dict[int, str | int | None]):
    """For ``str.translate``: combining marks (accents, cedillas, …) dropped, a few letters
    that carry their mark built in spelled without it; anything else kept. Filled in as
    characters are first met, so nothing is worked out for scripts never searched."""

    def __missing__(self, code: int) -> str | int | None:
        value: str | int | None = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_UNMARKED = _Unmarked(
    {ord(letter): plain for letter, plain in zip("øłđħŧı", "oldhti", strict=True)}
    | {ord("æ"): "ae", ord("œ"): "oe"}
)


_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
"""The combining marks of Latin, Greek and Cyrillic letters, dropped in one C pass;
:data:`_UNMARKED` drops the rest."""


def fold(text: str) -> str:
    """``text`` as the filter compares it: lower case, without accents, in plain letters.

    Compatibility forms are spelled out (ﬁ → fi, ½ → 1⁄2, full-width Ａ → a), case is
    folded (ß → ss), combining marks are dropped (ë → e) and so are the marks of ø, ł,
    đ, æ, œ and their kin. Line breaks and other characters stay as they are, so text
    that was one line stays one line. Folding folded text changes nothing.
    """
    if text.isascii():  # most text: a C loop, no table
        return text.lower()
    # Marks go before case is folded too: casefold spells one of them as a letter (the
    # iota written under a Greek vowel).
    spelled = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()
    if not unicodedata.is_normalized("NFKD", spelled):
        spelled = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", spelled))
    return spelled if spelled.isascii() else spelled.translate(_UNMARKED)


def needle(typed: str) -> str:
    """What a person typed into a filter, folded once for every case it is held against."""
    return fold(typed.strip())


def search_text(case: Case) -> str:
    """Everything the filter looks in, folded: id, customer, contact, title, tags, notes.

    Fields are joined by line breaks, which a one-line filter can't hold, so a match
    never straddles two fields. The screen keeps this per case and reuses it.
    """
    parts = [case.id, case.customer, case.contact, case.title, *case.tags]
    parts.extend(step.note for step in case.steps if step.note)
    parts.extend(event.text for event in case.notes)
    return fold("\n".join(parts))


def matches(case: Case, found: str) -> bool:
    """``found`` (a :func:`needle`) in id, customer, contact, title, tags or notes."""
    return not found or found in search_text(case)


def text_matches(text: str, found: str) -> bool:
    """``found`` (a :func:`needle`) in one text, by the same rule."""
    return not found or found in fold(text)


def sort_key(order: SortOrder, now: datetime) -> Callable[[Case], tuple[object, ...]]:
    if order is SortOrder.FOLLOWUP:

        def by_followup(case: Case) -> tuple[object, ...]:
            nxt = case.next_followup
            due = nxt.due.timestamp() if nxt else float("inf")  # the same order at any now
            # A case woken from waiting ("no answer yet") comes back at the top. This one
            # part of the key depends on now: the screen puts a case again when its
            # wake-up falls due, so the key is worked out anew then.
            return (not case.no_answer_yet(now), nxt is None, due, -case.heat.rank, case.number)

        return by_followup
    if order is SortOrder.AGE:
        return lambda case: (case.opened_at.timestamp(), case.number)
    if order is SortOrder.HEAT:
        return lambda case: (-case.heat.rank, case.opened_at.timestamp(), case.number)
    return lambda case: (case.number,)
