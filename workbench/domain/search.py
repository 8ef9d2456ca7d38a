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


def matches(case: Case, needle: str) -> bool:
    """``needle`` (already casefolded) in id, customer, contact, title, tags or notes."""
    if not needle:
        return True
    if needle in case.id.casefold() or needle in case.customer.casefold():
        return True
    if needle in case.contact.casefold():
        return True
    if needle in case.title.casefold() or any(needle in tag for tag in case.tags):
        return True
    return any(needle in s.note.casefold() for s in case.steps) or any(
        needle in e.text.casefold() for e in case.notes
    )


def sort_key(order: SortOrder, now: datetime) -> Callable[[Case], tuple[object, ...]]:
    if order is SortOrder.FOLLOWUP:

        def by_followup(case: Case) -> tuple[object, ...]:
            nxt = case.next_followup
            due = (nxt.due - now).total_seconds() if nxt else float("inf")
            return (nxt is None, due, -case.heat.rank, case.number)

        return by_followup
    if order is SortOrder.AGE:
        return lambda case: (case.opened_at.timestamp(), case.number)
    if order is SortOrder.HEAT:
        return lambda case: (-case.heat.rank, case.opened_at.timestamp(), case.number)
    return lambda case: (case.number,)
