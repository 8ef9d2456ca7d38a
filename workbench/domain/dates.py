"""Reading the dates agents type, and showing dates back to them.

:func:`parse_when` turns what an agent types ("tomorrow 10am", "in 3 days", "fri 2pm") into an
exact, timezone-aware time, or refuses it with a sentence saying why. The words it knows are
in :mod:`~workbench.domain.date_words`, the forms it reads in
:mod:`~workbench.domain.date_grammar`; this module settles what was meant and explains
what was not understood.

:func:`describe`, :func:`relative` and :func:`age` turn times back into short text for
previews, case lists and timelines; they live in :mod:`~workbench.domain.moments`, with
every other form a date is shown in, and are named here as well.

What you can type
-----------------
Upper or lower case, extra spaces and commas are fine.

* Right now: ``now``.
* A time on its own: ``10am``, ``2:30pm``, ``10:30``, ``14:00``, ``noon``, ``midnight``,
  ``eod`` or ``end of day`` (17:00).
* A day: ``today``, ``tomorrow``, ``yesterday``, a weekday (``friday``, ``fri``,
  ``this friday``, ``next friday``, ``last monday``), a day and a month (``dec 3``, ``3 dec``,
  ``december 3rd``, ``3rd of december``), with a year (``dec 3 2026``), ``2026-12-01``,
  ``1/12``, ``1/12/2027`` or ``1/12/27``.
* A day and a time, with or without "at": ``tomorrow 10am``, ``dec 3 at 10am``,
  ``fri 14:30``, ``2026-12-01 09:30``, ``2026-12-01T09:30``. The time may come first:
  ``10am tomorrow``, ``3pm on friday``. After a day, a number on its own is an hour on the
  24-hour clock: ``mon 9`` is Monday 09:00, ``mon 21`` is Monday 21:00.
* An amount of time from now: ``in 30 minutes``, ``in 2 hours``, ``in 3 days``, ``in a week``,
  ``in three weeks``, ``in 2 months``, ``2 days from now``, or short: ``+30m``, ``+3h``,
  ``+2d``, ``+1w``. The count is a number, "a"/"an" or a word from one to twelve.
  Into the past, where past dates are allowed: ``2 days ago``, ``-3d``, ``3 hours ago``.

Rules
-----
1. A day without a time gets the default time (09:00 unless the settings say otherwise).
2. Minutes and hours from now are exact: "in 2 hours" is 120 real minutes later, even across a
   clock change. Days, weeks and months count days on the calendar and get the default time:
   "in 3 days" said on Monday afternoon is Thursday 09:00; "in 1 month" on 31 January is the
   last day of February.
3. A weekday means the next such day. If it names today, today is used when the time is still
   ahead, otherwise the same day next week. "this friday" is the same as "friday".
   "next friday" is always the first Friday after today (on a Monday, the coming Friday);
   "last friday" is the latest Friday before today.
4. A day and month without a year ("dec 3", "1/12") is this year, or next year if that time has
   already passed this year (29 February: the next one to come). Where past dates are allowed
   it stays in this year.
5. A time on its own is today if it is still ahead, otherwise tomorrow.
6. "1/12" is read day/month (1 December) unless the settings say month/day (then 12 January).
   A two-digit year is in this century: "1/12/27" is in 2027.
7. "noon" is 12:00. "midnight" is the end of the day named, that is 00:00 of the next day:
   "midnight" alone is tonight's, "fri midnight" is where Friday ends. "12am" is 00:00 at the
   start of the day. "eod" and "end of day" are 17:00.
8. Day arithmetic keeps the wall clock: "tomorrow 10am" is 10:00 local even when the clocks
   change overnight. A time skipped by the clocks going forward moves forward by the gap
   (01:30 on a night the clocks jump from 01:00 to 02:00 becomes 02:30).
9. A time more than a minute before now is refused, naming the time understood, unless past
   dates are allowed (as for export date ranges).
10. Impossible dates and times ("2026-02-30", "32/1", "25pm", "13:75") are refused, naming the
    wrong part; so are years before 1900 or after 2199 (:mod:`limits`), typed or reached.
11. Every refusal says what was not understood and gives two examples that work.

The result is always in the time zone of ``now``, with seconds and microseconds zero.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime

from workbench.domain import limits
from workbench.domain.date_grammar import (
    MONTH_WORDS,
    Context,
    find_clock,
    find_day,
    interpret,
    is_past,
)
from workbench.domain.date_settings import DateParseError, DateSettings
from workbench.domain.date_words import (
    AMOUNT_EXAMPLES,
    DAY_EXAMPLES,
    EXAMPLES,
    PAST_EXAMPLES,
    TIME_EXAMPLES,
    VOCABULARY,
    WEEKDAY_EXAMPLES,
    Clock,
    LazyPattern,
    Unreadable,
)
from workbench.domain.moments import age, describe, relative, require_aware

# Showing dates back (describe, relative, age) is workbench.domain.moments' work; they are
# named here too, beside the reader, where callers have always found them.
__all__ = ["DateParseError", "DateSettings", "age", "describe", "parse_when", "relative"]


_DEFAULT_SETTINGS = DateSettings()

_MAX_LENGTH = 100
_ISO_T = LazyPattern(r"(?<![\w-])(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")


# ---------------------------------------------------------------------------------------------
# Explaining what went wrong


def _unknown_word(text: str) -> Unreadable | None:
    for word in text.split(" "):
        if word.isalpha() and word not in VOCABULARY:
            close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return Unreadable(f'"{word}" is not a word I know{hint}')
    return None


def _two_of_a_kind(text: str) -> Unreadable | None:
    """Text that names two days ("fri fri") or two times ("10am 11am")."""
    words = text.split(" ")
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        if find_day(head) and find_day(tail):
            return Unreadable(f'it names two days, "{head}" and "{tail}"')
        if find_clock(head, False) and find_clock(tail, True):
            return Unreadable(f'it names two times, "{head}" and "{tail}"', TIME_EXAMPLES)
    return None


_AMOUNT_HELP = "I need a number and a unit, such as 3 days or 2 hours"

# Hints searched for before anything else: a bad number spoils any reading.
_NUMBER_HINTS: tuple[tuple[LazyPattern, str, tuple[str, str]], ...] = (
    (LazyPattern(r"(?P<part>\d{5,})"), "{part} is too big a number for a date", EXAMPLES),
    (
        LazyPattern(r"^(?:in\s+|[+-]\s*)(?P<part>-\s*\d+)"),
        '"{part}" cannot be negative (for the past, say ago)',
        AMOUNT_EXAMPLES,
    ),
)

# Hints for a whole text that is only the start or the end of a phrase.
_PARTIAL_HINTS: tuple[tuple[LazyPattern, str, tuple[str, str]], ...] = (
    (LazyPattern(r"(?P<part>in|\+|-)\s*\w*"), f'after "{{part}}" {_AMOUNT_HELP}', AMOUNT_EXAMPLES),
    (
        LazyPattern(r"(?:\w+\s+)?(?P<part>ago|from now)"),
        f'before "{{part}}" {_AMOUNT_HELP}',
        AMOUNT_EXAMPLES,
    ),
    (
        LazyPattern(r"(?P<part>next|last|this)\b.*"),
        '"{part}" must be followed by a day of the week',
        WEEKDAY_EXAMPLES,
    ),
    (
        LazyPattern(rf"(?:on\s+)?(?P<part>{MONTH_WORDS})"),
        '"{part}" needs a day of the month',
        DAY_EXAMPLES,
    ),
    (
        LazyPattern(r"(?:at\s+)?(?P<part>\d{1,4})"),
        "{part} on its own could be a day, a month or an hour",
        ("10am", "3 dec"),
    ),
)


def _diagnose(text: str) -> Unreadable:
    """Why text that matched no pattern could not be read: the most specific reason found."""
    if (problem := _unknown_word(text)) is not None:
        return problem
    for pattern, reason, examples in _NUMBER_HINTS:
        if (match := pattern.search(text)) is not None:
            return Unreadable(reason.format(**match.groupdict()), examples)
    if (problem := _two_of_a_kind(text)) is not None:
        return problem
    for pattern, reason, examples in _PARTIAL_HINTS:
        if (match := pattern.fullmatch(text)) is not None:
            return Unreadable(reason.format(**match.groupdict()), examples)
    for word in text.split(" "):
        if re.search(r"[^a-z0-9:/+.\-]", word):
            return Unreadable(f'"{word}" is not part of a date or a time')
    return Unreadable("I could not put these words together into a date and time")


# ---------------------------------------------------------------------------------------------
# Public functions


def _printable(text: str) -> str:
    return "".join(char if char.isprintable() else "?" for char in text)


def _normalise(text: str) -> str:
    """Lower case, single spaces, no commas or trailing dots, and "2026-12-01T09:30" split."""
    words = _printable(text.lower().replace(",", " ")).split()
    text = " ".join(stripped for word in words if (stripped := word.rstrip(".")))
    return _ISO_T.sub(r"\1 ", text)


def _shown(text: str) -> str:
    """The agent's text as quoted back in a message: one line, not too long."""
    shown = _printable(" ".join(text.split()))
    return shown if len(shown) <= 40 else shown[:39] + "…"


def parse_when(
    text: str,
    now: datetime,
    *,
    settings: DateSettings = _DEFAULT_SETTINGS,
    allow_past: bool = False,
) -> datetime:
    """The time ``text`` names, read relative to ``now`` (see the module docstring for rules).

    The result is in now's time zone with seconds and microseconds zero. Raises
    DateParseError, and nothing else, for any text that cannot be read or is in the past
    (unless ``allow_past``). ``now`` must be timezone-aware (ValueError otherwise).
    """
    require_aware(now)
    ctx = Context(
        now=now,
        allow_past=allow_past,
        day_first=settings.day_first,
        default_clock=Clock(settings.default_hour, settings.default_minute),
    )
    normal = _normalise(text)
    if not normal:
        first, second = EXAMPLES
        raise DateParseError(f'Please enter a date, for example "{first}" or "{second}".')
    try:
        if len(normal) > _MAX_LENGTH:
            raise Unreadable(f"it is too long for a date ({len(normal)} characters)")
        when = interpret(normal, ctx)
        if when is None:
            raise _diagnose(normal)
    except Unreadable as problem:
        first, second = problem.examples
        raise DateParseError(
            f'Could not read "{_shown(text)}" as a date: {problem.reason}. '
            f'Try "{first}" or "{second}".'
        ) from None
    except (OverflowError, ValueError):  # arithmetic that runs off the calendar
        first, second = EXAMPLES
        raise DateParseError(
            f'Could not read "{_shown(text)}" as a date: it is too far away. '
            f'Try "{first}" or "{second}".'
        ) from None
    if not limits.year_in_bounds(when):
        first, second = EXAMPLES
        raise DateParseError(
            f'"{_shown(text)}" is in the year {when.year}: dates must fall between '
            f'{limits.EARLIEST_YEAR} and {limits.LATEST_YEAR}. Try "{first}" or "{second}".'
        )
    if is_past(when, now) and not allow_past:
        first, second = PAST_EXAMPLES
        raise DateParseError(
            f'"{_shown(text)}" is in the past: that is {describe(when, now)}, '
            f'which has already passed. Try "{first}" or "{second}".'
        )
    return when
