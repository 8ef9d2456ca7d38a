"""Finding and ordering cases: one filter and one set of sort orders for the screen and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from workbench.domain.model import Case


class SortOrder(StrEnum):
    FOLLOWUP = "next follow-up"
    AGE = "oldest first"
    HEAT = "hottest first"
    ID = "case id"


def search_text(case: Case) -> str:
    """Everything the filter looks in, casefolded: id, customer, contact, title, tags, notes.

    Fields are joined by line breaks, which a one-line filter can't hold, so a match
    never straddles two fields. The screen keeps this per case and reuses it.
    """
    parts = [case.id, case.customer, case.contact, case.title, *case.tags]
    parts.extend(step.note for step in case.steps if step.note)
    parts.extend(event.text for event in case.notes)
    return "\n".join(parts).casefold()


def matches(case: Case, needle: str) -> bool:
    """``needle`` (already casefolded, one line) in id, customer, contact, title, tags or notes."""
    return not needle or needle in search_text(case)


def sort_key(order: SortOrder, now: datetime) -> Callable[[Case], tuple[object, ...]]:
    if order is SortOrder.FOLLOWUP:

        def by_followup(case: Case) -> tuple[object, ...]:
            nxt = case.next_followup
            due = nxt.due.timestamp() if nxt else float("inf")  # the same order at any now
            return (nxt is None, due, -case.heat.rank, case.number)

        return by_followup
    if order is SortOrder.AGE:
        return lambda case: (case.opened_at.timestamp(), case.number)
    if order is SortOrder.HEAT:
        return lambda case: (-case.heat.rank, case.opened_at.timestamp(), case.number)
    return lambda case: (case.number,)
