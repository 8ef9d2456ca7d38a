"""What to say: a playbook step's suggested wording, filled in from the case.

A step may carry one to three short lines to read aloud or paste into a reply, such as
"I'm sorry, {customer}: {title} should not have happened." Each ``{name}`` is a
placeholder filled from the case when the wording is shown:

==============  ==============================================================
``{customer}``  the customer's first name where one can be told, else the name
``{title}``     the case's title: the complaint in one line
``{remedy}``    the remedy on the case: what we offered
``{cost}``      what the remedy costs us, ``16.00``
``{followup}``  the next follow-up in words: "tomorrow at 10:00"
``{agent}``     the agent's own name (who is saying it)
==============  ==============================================================

``{{`` and ``}}`` write a brace. Anything else between braces is a mistake, reported
with the playbook's file and line when the library is read (:func:`check_phrase`). No
other formatting happens: a placeholder is a name, never an expression, and what fills
it is the case's text as it is (a customer named ``{agent}`` or ``[b]Ana[/b]`` stays
exactly that), but for its first letter: a capital where it starts a sentence, and a
title or remedy inside a sentence starting small ("calling about your complaint, wrong
size sent").

A placeholder the case has no value for (no remedy recorded yet, no follow-up
scheduled) is left as a visible gap, ``[remedy]``, and named in :attr:`Wording.missing`,
so the agent sees what to fill in or say in their own words, instead of reading out a
sentence with a hole in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from workbench.domain.model import Case, Step
from workbench.domain.moments import spoken_moment
from workbench.domain.playbooks import Playbook
from workbench.domain.text import visible

PLACEHOLDERS: dict[str, str] = {
    "customer": "the customer's first name where one can be told, else their name",
    "title": "the case's title",
    "remedy": "the remedy offered",
    "cost": "what the remedy costs",
    "followup": "the next follow-up in words",
    "agent": "your own name",
}
"""Every placeholder a phrase may use, with what fills it."""

MAX_LINES = 3
"""A step's wording is one to three lines: something to say, not a letter."""

MAX_LINE = 300
"""The longest line of wording, in characters."""

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

_COMPANY_WORDS = frozenset(
    {
        *("ltd", "limited", "inc", "incorporated", "llc", "llp", "plc", "gmbh", "ag", "sarl"),
        *("bv", "nv", "oy", "ab", "spa", "srl", "co", "corp", "corporation", "company"),
        *("group", "holdings", "partners", "associates", "services", "solutions", "dental"),
        *("clinic", "shop", "store", "stores", "studio", "bakery", "cafe", "restaurant"),
        *("hotel", "agency"),
    }
)
"""Words that make a name a company's (whose first word is no one's first name)."""
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "dame", "lord", "lady", "rev"}
)


class PhraseError(ValueError):
    """A phrase that can't be filled, and why, in words (no file or line: the caller adds those)."""


def check_phrase(phrase: str) -> None:
    """Raise :class:`PhraseError` if ``phrase`` uses an unknown placeholder or a lone brace."""
    for match in _TOKEN.finditer(phrase):
        token = match.group()
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise PhraseError(
                f"a lone “{token}” (column {match.start() + 1}); write {token}{token} for a brace"
            )
        if name not in PLACEHOLDERS:
            known = ", ".join("{" + known + "}" for known in PLACEHOLDERS)
            raise PhraseError(f"unknown placeholder “{{{name}}}”; the placeholders are {known}")


@dataclass(frozen=True)
class Piece:
    """A run of a filled line: text as it is, or the gap a missing value left."""

    text: str
    gap: bool = False


@dataclass(frozen=True)
class Wording:
    """A step's wording, filled from one case."""

    step: Step
    """The step the wording belongs to."""
    number: int
    """The step's number in the case's checklist, from 1."""
    lines: tuple[tuple[Piece, ...], ...]
    missing: tuple[str, ...]
    """Placeholders the case has no value for yet, in the order first used."""

    @property
    def text(self) -> str:
        """The lines as plain text, one per line, gaps written ``[remedy]``."""
        return "\n".join("".join(piece.text for piece in line) for line in self.lines)


def first_name(customer: str) -> str:
    """The name to address a customer by: their first name where one can be told.

    ``"Zoë Dubois (Harbour Dental)"`` → ``"Zoë"``; ``"Ana Chen"`` → ``"Ana"``. A company
    (``"Harbour Dental Ltd"``), a single word, an initial (``"J. Smith"``), or a name with
    an honorific (``"Mrs Patel"``, said as it is) gives the whole name back, trimmed of
    the company in brackets."""
    name = customer.strip()
    person = name.split("(", 1)[0].strip() if "(" in name else name
    if not person:
        return name
    words = person.split()
    bare = [word.strip(".,&").casefold() for word in words]
    if len(words) < 2 or bare[0] in _HONORIFICS:
        return person
    if any(word in _COMPANY_WORDS or word in ("and", "&", "") for word in bare):
        return person
    first = words[0].rstrip(",")
    if len(first.rstrip(".")) < 2 or not first[0].isalpha() or not first[0].isupper():
        return person
    return first


def case_values(case: Case, now: datetime, agent: str) -> dict[str, str | None]:
    """What fills each placeholder for ``case``; None where the case has no value yet."""
    remedy = case.remedy
    followup = case.next_followup
    return {
        "customer": first_name(visible(case.customer)) or None,
        "title": visible(case.title).strip() or None,
        "remedy": visible(remedy.description).strip() or None if remedy else None,
        "cost": f"{remedy.cost:.2f}" if remedy else None,
        "followup": spoken_moment(followup.due, now) if followup else None,
        "agent": visible(agent).strip() or None,
    }


def fill(phrase: str, values: Mapping[str, str | None]) -> tuple[Piece, ...]:
    """``phrase`` with its placeholders filled from ``values``; a missing value is a gap.

    A phrase is checked when its playbook is read; an unknown placeholder met here
    anyway is left as written, as text."""
    pieces: list[Piece] = []
    at = 0
    for match in _TOKEN.finditer(phrase):
        if match.start() > at:
            pieces.append(Piece(phrase[at : match.start()]))
        at = match.end()
        token = match.group()
        name = match.group(1)
        if token in ("{{", "}}"):
            pieces.append(Piece(token[0]))
        elif name is None or name not in PLACEHOLDERS:
            pieces.append(Piece(token))
        elif (value := values.get(name)) is None:
            pieces.append(Piece(f"[{name}]", gap=True))
        else:
            before = "".join(piece.text for piece in pieces).rstrip()
            pieces.append(Piece(_in_sentence(name, value, before)))
    if at < len(phrase):
        pieces.append(Piece(phrase[at:]))
    merged: list[Piece] = []
    for piece in pieces:  # neighbouring text runs as one, so a line is few pieces
        if merged and not piece.gap and not merged[-1].gap:
            merged[-1] = Piece(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return tuple(merged)


_SENTENCE_END = (".", "!", "?")
_MID_SENTENCE = frozenset({"title", "remedy"})


def _in_sentence(name: str, value: str, before: str) -> str:
    """``value`` cased for where it stands: a capital to start a sentence; a title or a
    remedy inside one starts small ("about your complaint, wrong size sent"), unless it
    starts with a word in capitals ("DHL lost it") or a name such as "iPhone"."""
    if not value:
        return value
    if not before or before.endswith(_SENTENCE_END):
        return value[0].upper() + value[1:]
    if name in _MID_SENTENCE and value[0].isupper() and not value[1:2].isupper():
        return value[0].lower() + value[1:]
    return value


def fill_lines(
    phrases: tuple[str, ...], values: Mapping[str, str | None]
) -> tuple[tuple[tuple[Piece, ...], ...], tuple[str, ...]]:
    """Each phrase filled, and the placeholders that had no value, in order of first use."""
    lines = tuple(fill(phrase, values) for phrase in phrases)
    missing: dict[str, None] = {}
    for line in lines:
        for piece in line:
            if piece.gap:
                missing.setdefault(piece.text[1:-1])
    return lines, tuple(missing)


def step_says(case: Case, step: Step, playbooks: Iterable[Playbook]) -> tuple[str, ...]:
    """The wording of one of ``case``'s steps, as its playbook has it now; empty when the
    step has none, or its playbook is no longer installed."""
    key = step.from_playbook or case.playbook
    for playbook in playbooks:
        if playbook.key == key:
            found = playbook.step(step.key)
            return found.say if found is not None else ()
    return ()


def wording(
    case: Case, index: int, playbooks: Iterable[Playbook], now: datetime, agent: str
) -> Wording | None:
    """The wording of ``case``'s step at ``index`` filled from the case; None without one."""
    step = case.steps[index]
    phrases = step_says(case, step, playbooks)
    if not phrases:
        return None
    lines, missing = fill_lines(phrases, case_values(case, now, agent))
    return Wording(step=step, number=index + 1, lines=lines, missing=missing)


def next_worded(case: Case, playbooks: Sequence[Playbook]) -> int | None:
    """The index of the first step still to do that has wording: what to say next."""
    for index, step in enumerate(case.steps):
        if not step.done and not step.kept and step_says(case, step, playbooks):
            return index
    return None
