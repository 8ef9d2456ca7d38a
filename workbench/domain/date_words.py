"""The words the date reader knows, and the small tools its grammar is built with.

Month and weekday names with their short forms, counts ("a", "three"), units ("hrs",
"wks"), named days ("tmrw") and named times ("eod"), all lower case: the grammar in
:mod:`workbench.domain.date_grammar` matches them, :mod:`workbench.domain.dates` suggests
the closest when an unknown word is typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

# Two examples that work, given with every refusal of that kind.
EXAMPLES = ("tomorrow 10am", "in 3 days")
TIME_EXAMPLES = ("10am", "14:30")
DAY_EXAMPLES = ("3 dec", "3/12")
AMOUNT_EXAMPLES = ("in 3 days", "+2h")
WEEKDAY_EXAMPLES = ("next friday", "mon 9am")
PAST_EXAMPLES = ("tomorrow 10am", "in 2 hours")

_MONTH_NAMES = (
    "jan january",
    "feb february",
    "mar march",
    "apr april",
    "may",
    "jun june",
    "jul july",
    "aug august",
    "sep sept september",
    "oct october",
    "nov november",
    "dec december",
)
MONTHS = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()}

_WEEKDAY_NAMES = (
    (MO, "mon monday"),
    (TU, "tue tues tuesday"),
    (WE, "wed weds wednesday"),
    (TH, "thu thur thurs thursday"),
    (FR, "fri friday"),
    (SA, "sat saturday"),
    (SU, "sun sunday"),
)
WEEKDAYS: dict[str, weekday] = {
    name: day for day, names in _WEEKDAY_NAMES for name in names.split()
}

_NUMBER_WORDS = (
    *("one", "two", "three", "four", "five", "six"),
    *("seven", "eight", "nine", "ten", "eleven", "twelve"),
)
COUNT_WORDS = {"a": 1, "an": 1} | {word: n for n, word in enumerate(_NUMBER_WORDS, start=1)}

# What one of each unit adds. Minutes and hours are exact spans; the rest are calendar steps.
TIME_STEPS = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1)}
DAY_STEPS = {
    "days": relativedelta(days=1),
    "weeks": relativedelta(weeks=1),
    "months": relativedelta(months=1),
}
_UNIT_NAMES = {
    "minutes": "m min mins minute minutes",
    "hours": "h hr hrs hour hours",
    "days": "d day days",
    "weeks": "w wk wks week weeks",
    "months": "mo month months",
}
UNITS = {name: unit for unit, names in _UNIT_NAMES.items() for name in names.split()}

NAMED_DAYS = {
    "today": 0,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "yesterday": -1,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}


@dataclass(frozen=True)
class Clock:
    """A time of day; ``next_day`` for midnight, which ends the day it is said with."""

    hour: int
    minute: int
    next_day: bool = False


NAMED_CLOCKS = {
    "noon": Clock(12, 0),
    "midday": Clock(12, 0),
    "midnight": Clock(0, 0, next_day=True),
    "eod": Clock(17, 0),
    "end of day": Clock(17, 0),
    "end of the day": Clock(17, 0),
}

_CONNECTORS = "in at on of the next last this ago from now right end day after am pm"
VOCABULARY = frozenset(
    [*MONTHS, *WEEKDAYS, *COUNT_WORDS, *UNITS, *_CONNECTORS.split()]
    + [word for phrase in [*NAMED_DAYS, *NAMED_CLOCKS] for word in phrase.split()]
)


class Unreadable(Exception):
    """Raised inside the parser; parse_when turns it into a DateParseError sentence."""

    def __init__(self, reason: str, examples: tuple[str, str] = EXAMPLES) -> None:
        super().__init__(reason)
        self.reason = reason
        self.examples = examples


def alternatives(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first."""
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


class LazyPattern:
    """A regex compiled the first time it is used.

    The grammar below is about twenty large patterns; compiling them all when the module
    loads cost every command (most of which never read a date) about 40 ms.
    """

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, re.ASCII)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern().search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._pattern().sub(replacement, text)
