"""How dates are read (:class:`DateSettings`) and the error a date that can't be read
raises (:class:`DateParseError`), apart from the reading itself (:mod:`dates`), so that
what only needs these two (settings, the command line's refusals) loads no grammar."""

from __future__ import annotations

from dataclasses import dataclass


class DateParseError(ValueError):
    """A date that could not be read, or that is in the past.

    Its str() is a full sentence for a person: what was not understood, then two examples that
    work, e.g.: 'Could not read "tomorow" as a date: "tomorow" is not a word I know (did you
    mean tomorrow?). Try "tomorrow 10am" or "in 3 days".'
    """


@dataclass(frozen=True)
class DateSettings:
    """How to read ambiguous dates and what time a bare day gets."""

    day_first: bool = True  # "1/12" is 1 December; with False it is 12 January
    default_hour: int = 9  # a day given without a time gets this time
    default_minute: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.default_hour <= 23:
            raise ValueError(f"default_hour must be 0 to 23, not {self.default_hour}")
        if not 0 <= self.default_minute <= 59:
            raise ValueError(f"default_minute must be 0 to 59, not {self.default_minute}")
