"""What a case may hold: the bounds every value read or typed must keep.

A file that parses may still hold values no one could have typed (a cost of 1e999999999,
a follow-up in the year 9999, a note of a billion characters). Such a record is refused
when the file is read, like a damaged one, naming the field; nothing the workbench
builds itself can pass them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
"""Dates outside these years are refused: far enough for any real case, near enough that
adding days, weeks or time zones can never overflow."""

MAX_TEXT = 1_000_000
"""Characters in one text field (a note, a title, a remedy)."""

MAX_AGENT = 64
"""Characters in an agent's name (a case's owner, an event's author)."""

MAX_ITEMS = {
    "steps": 1_000,
    "followups": 10_000,
    "timeline": 100_000,
    "tags": 1_000,
    "time_spent": 100_000,
}
"""Entries in one case's lists."""

MAX_CUSTOMER_ITEMS = {"contacts": 100, "flags": 50}
"""Entries in one customer record's lists."""

MAX_EVERY_DAYS = 365
"""The longest gap between two follow-ups of a series."""

MAX_REPEATS = 100
"""The most follow-ups a series may still have to come."""

MAX_FLAG = 120
"""Characters in one flag on a customer ("careful: threatened a chargeback")."""

MAX_COST = Decimal("1000000000000")
"""The largest remedy cost: a trillion in any currency."""

MAX_COUNTER = 2**53
"""Revisions and follow-up numbers stay below this (exact in any JSON reader)."""

MAX_CASE_NUMBER = 999_999_999

MAX_MINUTES = 12 * 60
"""The most one entry of time spent may hold: a timer left running overnight is stopped
at this, and said so."""


def year_in_bounds(when: datetime) -> bool:
    return EARLIEST_YEAR <= when.year <= LATEST_YEAR


def cost_in_bounds(cost: Decimal) -> bool:
    return cost.is_finite() and Decimal(0) <= cost <= MAX_COST
