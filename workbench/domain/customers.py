"""A customer across their cases: who they are to us, at a glance.

A customer is known by their name as written on their cases, case and runs of blanks
aside (:func:`customer_key`: "ana  chen" is Ana Chen; accents count, so "Zoe" and "Zoë"
are told apart, and :func:`similar_names` points out the near miss). From their cases
:func:`relationship` tells what the agent needs beside the case in front of them: the
earlier cases and how they ended, what we have already given (so the same discount is
not given twice unknowingly) and what we have promised and not yet done.

Two spellings of one customer are joined with :func:`rename_customer` on each case of
the spelling that goes: every case is kept, and says on its timeline that it was joined.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from workbench.domain.errors import DomainError
from workbench.domain.model import Case, Event, EventKind, FollowUp, Outcome, Remedy


def customer_key(name: str) -> str:
    """What tells one customer from another: the name, case and runs of blanks aside."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Concession:
    """A remedy on one of the customer's cases: given (accepted) or still offered."""

    case_id: str
    remedy: Remedy


@dataclass(frozen=True)
class Relationship:
    """One customer as their cases tell it."""

    name: str
    """Their name as best written: the spelling on most of their cases (see
    :func:`best_spelling`)."""
    cases: tuple[Case, ...]
    """Every case of theirs, the newest opened first."""
    spellings: tuple[str, ...]
    """Every way their name is written on those cases, the newest first."""

    def earlier(self, case_id: str) -> tuple[Case, ...]:
        """Their cases other than ``case_id``."""
        return tuple(case for case in self.cases if case.id != case_id)

    @property
    def outcomes(self) -> Counter[Outcome]:
        return Counter(case.outcome for case in self.cases if case.outcome is not None)

    @property
    def given(self) -> tuple[Concession, ...]:
        """Remedies they accepted, on any case: what we have already given them."""
        return tuple(
            Concession(case.id, case.remedy)
            for case in self.cases
            if case.remedy is not None and case.remedy.accepted is True
        )

    @property
    def offered(self) -> tuple[Concession, ...]:
        """Remedies still waiting for their answer."""
        return tuple(
            Concession(case.id, case.remedy)
            for case in self.cases
            if case.remedy is not None and case.remedy.accepted is None
        )

    @property
    def given_cost(self) -> Decimal:
        return sum((item.remedy.cost for item in self.given), Decimal(0))

    @property
    def open_followups(self) -> tuple[tuple[str, FollowUp], ...]:
        """Every promise not kept yet, on any of their cases, the soonest first."""
        found = [(case.id, item) for case in self.cases for item in case.open_followups]
        return tuple(sorted(found, key=lambda pair: pair[1].due))


def relationship(cases: Iterable[Case], name: str) -> Relationship:
    """The customer named ``name``, from every case of theirs among ``cases``."""
    key = customer_key(name)
    theirs = sorted(
        (case for case in cases if customer_key(case.customer) == key),
        key=lambda case: case.opened_at,
        reverse=True,
    )
    spellings = tuple(dict.fromkeys(case.customer for case in theirs))
    return Relationship(
        name=best_spelling([case.customer for case in theirs]) if theirs else name.strip(),
        cases=tuple(theirs),
        spellings=spellings,
    )


def best_spelling(names: Sequence[str]) -> str:
    """Of the ways one customer's name is written (the newest first), the one to show: the
    most used; of those used as often, one with capitals ("Ana Chen" over "ana chen");
    then the newest."""
    counts = Counter(names)
    order = {name: position for position, name in reversed(list(enumerate(names)))}
    return min(
        counts,
        key=lambda name: (-counts[name], name == name.lower(), order[name]),
    )


def at_a_glance(rel: Relationship, case_id: str) -> str:
    """One line for the checklist: "2 earlier cases (1 retained, 1 lost) · given 79.90 in
    2 concessions · 1 more promise open (C-0004)"; empty for a first case with nothing
    else to say."""
    earlier = rel.earlier(case_id)
    parts = []
    if earlier:
        ended = Counter(case.outcome for case in earlier if case.outcome is not None)
        still = sum(1 for case in earlier if case.outcome is None)
        how = [
            f"{ended[outcome]} {outcome.label.split(' /')[0]}"
            for outcome in Outcome
            if ended[outcome]
        ]
        if still:
            how.append(f"{still} open")
        noun = "case" if len(earlier) == 1 else "cases"
        parts.append(f"{len(earlier)} earlier {noun} ({', '.join(how)})")
    given = [item for item in rel.given if item.case_id != case_id]
    if given:
        cost = sum((item.remedy.cost for item in given), Decimal(0))
        noun = "concession" if len(given) == 1 else "concessions"
        parts.append(f"given {cost:.2f} before in {len(given)} {noun}")
    elsewhere = [(cid, item) for cid, item in rel.open_followups if cid != case_id]
    if elsewhere:
        ids = ", ".join(dict.fromkeys(cid for cid, _ in elsewhere))
        noun = "promise" if len(elsewhere) == 1 else "promises"
        parts.append(f"{len(elsewhere)} {noun} open on {ids}")
    return " · ".join(parts)


class NameFinder:
    """The customers already known, ready to say which ones a typed name comes close to;
    built once (a form asks on every key typed)."""

    def __init__(self, known: Iterable[str]) -> None:
        self._by_key: dict[str, str] = {}
        for name in known:
            self._by_key.setdefault(customer_key(name), name)
        self._by_length: dict[int, list[str]] = {}
        for key in self._by_key:
            self._by_length.setdefault(len(key), []).append(key)

    def similar(self, typed: str, limit: int = 3) -> list[str]:
        """Names that ``typed`` comes close to without being one of them: "Ana Chne" →
        ["Ana Chen"]. Empty when ``typed`` is a known name. Only names within two letters
        of its length are compared (a near miss is a letter or two off)."""
        key = customer_key(typed)
        if not key or key in self._by_key:
            return []
        candidates = [
            other
            for length in range(len(key) - 2, len(key) + 3)
            for other in self._by_length.get(length, ())
        ]
        import difflib  # only a form or a miss asks; the rest of the module is everywhere

        close = difflib.get_close_matches(key, candidates, n=limit, cutoff=0.8)
        return [self._by_key[found] for found in close]


def similar_names(known: Iterable[str], typed: str, limit: int = 3) -> list[str]:
    """:meth:`NameFinder.similar` for a name typed once."""
    return NameFinder(known).similar(typed, limit)


def rename_customer(case: Case, name: str, now: datetime) -> bool:
    """Write the customer's name as ``name`` on ``case`` (joining two spellings of one
    customer); False when it already is written so."""
    new = name.strip()
    if not new:
        raise DomainError("A customer needs a name.")
    if case.customer == new:
        return False
    before = case.customer
    case.customer = new
    case.timeline.append(Event(now, EventKind.EDITED, f"Customer “{before}” joined with “{new}”"))
    return True
