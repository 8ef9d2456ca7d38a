"""Dates and times written for people: one named function for each form the product shows.

Every screen, command, export and timeline line that shows a date or a time takes it from
here, so one form reads the same everywhere and a change to it is made once. Each function
writes its argument as it is (on its own wall clock), except where it says otherwise; the
examples are for Tuesday 3 November 2026 at 09:05.

=====================  ============================  =============================================
Function               Example                       Where
=====================  ============================  =============================================
:func:`time_of_day`    ``09:05``                     agendas, calendar, Markdown export lines
:func:`long_moment`    ``Tue 03 Nov 2026, 09:05``    case details, follow-up lines, refusals
:func:`short_moment`   ``Tue 03 Nov 09:05``          overdue list, the main screen's follow-ups
:func:`moved_moment`   ``Tue 03 Nov, 09:05``         the timeline line of a follow-up moved
:func:`compact_moment` ``03 Nov 09:05``              a case's timeline and done steps (command line)
:func:`step_moment`    ``3 Nov 09:05``               when a checklist step was ticked
:func:`span_moment`    ``Tue 3 Nov 09:05``           the ends of the insight screen's period
:func:`report_moment`  ``Tue 3 Nov 2026, 09:05``     the report, the Markdown export's stamp
:func:`agenda_moment`  ``Tue  3 Nov 09:05``          the command line's agenda (day in two cells)
:func:`agenda_day`     ``Tue 3 Nov``                 the command line's agenda, a day's title
:func:`heading_day`    ``Tue 3 Nov 2026``            the Markdown export, a day's heading
:func:`opened_day`     ``03 Nov 2026``               the case history
:func:`backup_stamp`   ``2026-11-03 09:05:00``       the list of backups, a restore
:func:`day_label`      ``Tue 3 Nov``                 the calendar (the year added when not now's)
:func:`month_title`    ``November 2026``             the calendar's month
:func:`describe`       ``Tue 3 Nov, 09:05``          previews of a typed date (the year when not
                                                     now's), in now's zone
:func:`relative`       ``today 09:05``, ``in 2d``    the case list's follow-up column
:func:`age`            ``5m``, ``3h``, ``2d``        time since: case ages, overdue by
:func:`spoken_moment`  ``tomorrow at 10:00``         what to say to a customer, in now's zone
=====================  ============================  =============================================

Weekday and month names come from the C library (``%a``, ``%b``) in most forms, and are
English in :func:`day_label`, :func:`month_title` and :func:`describe`.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, tzinfo

from workbench.domain.months import DAY_NAMES, MONTH_NAMES

__all__ = [
    "SHORT_RELATIVE_WIDTH",
    "age",
    "agenda_day",
    "agenda_moment",
    "backup_stamp",
    "compact_moment",
    "day_label",
    "describe",
    "heading_day",
    "long_moment",
    "month_title",
    "moved_moment",
    "opened_day",
    "relative",
    "report_moment",
    "require_aware",
    "short_moment",
    "short_relative",
    "span_moment",
    "spoken_moment",
    "step_moment",
    "time_of_day",
    "wall_clock",
]


# ---------------------------------------------------------------------------------------------
# Fixed forms


def time_of_day(moment: datetime) -> str:
    """``"09:05"``."""
    return f"{moment:%H:%M}"


def long_moment(moment: datetime) -> str:
    """``"Tue 03 Nov 2026, 09:05"``: the full form, for a follow-up's time, when a case was
    opened or first contacted, a range's ends."""
    return f"{moment:%a %d %b %Y, %H:%M}"


def short_moment(moment: datetime) -> str:
    """``"Tue 03 Nov 09:05"``: the long form without the year and comma."""
    return f"{moment:%a %d %b %H:%M}"


def moved_moment(moment: datetime) -> str:
    """``"Tue 03 Nov, 09:05"``: where a follow-up was moved from and to, on its timeline."""
    return f"{moment:%a %d %b, %H:%M}"


def compact_moment(moment: datetime) -> str:
    """``"03 Nov 09:05"``: a line of a case's timeline, a step done, an open follow-up."""
    return f"{moment:%d %b %H:%M}"


def step_moment(moment: datetime) -> str:
    """``"3 Nov 09:05"``: :func:`compact_moment` without the day's leading zero."""
    return f"{moment.day} {moment:%b %H:%M}"


def span_moment(moment: datetime) -> str:
    """``"Tue 3 Nov 09:05"``: an end of the insight screen's period."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def report_moment(moment: datetime) -> str:
    """``"Tue 3 Nov 2026, 09:05"``: the report's period, an export's stamp."""
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


def agenda_moment(moment: datetime) -> str:
    """``"Tue  3 Nov 09:05"``: the day in two cells (space before one digit), so an agenda's
    columns line up."""
    return f"{moment:%a} {moment.day:>2} {moment:%b %H:%M}"


def agenda_day(day: date) -> str:
    """``"Tue 3 Nov"``: a day's title in the command line's agenda."""
    return f"{day:%a} {day.day} {day:%b}"


def heading_day(day: date) -> str:
    """``"Tue 3 Nov 2026"``: a day's heading in the Markdown export."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def opened_day(day: date) -> str:
    """``"03 Nov 2026"``: the day a case was opened, in its history."""
    return f"{day:%d %b %Y}"


def backup_stamp(moment: datetime) -> str:
    """``"2026-11-03 09:05:00"``: when a backup was taken, to the second."""
    return f"{moment:%Y-%m-%d %H:%M:%S}"


# ---------------------------------------------------------------------------------------------
# Calendar labels


def day_label(day: date, today: date) -> str:
    """``"Tue 3 Nov"``; the year is added when it is not this year's: ``"Fri 1 Jan 2027"``."""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1][:3]}{year}"


def month_title(year: int, month: int) -> str:
    """``"November 2026"``."""
    return f"{MONTH_NAMES[month - 1]} {year}"


# ---------------------------------------------------------------------------------------------
# Relative to now


def require_aware(now: datetime) -> None:
    """Refuse (ValueError) a ``now`` without a time zone."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def wall_clock(when: datetime, zone: tzinfo | None) -> datetime:
    """``when`` on the wall clock of ``zone``; naive times are taken to be on it already."""
    if zone is None or when.tzinfo is None:
        return when.replace(tzinfo=zone)
    local = sys.modules.get("dateutil.tz")  # a tzlocal exists only once dateutil.tz is loaded
    if local is not None and isinstance(zone, local.tzlocal):
        # The machine's own zone: the C library converts it, ten times quicker than
        # dateutil's Python (the same wall clock; the offset comes as a fixed zone).
        return when.astimezone()
    return when.astimezone(zone)


def _local(when: datetime, now: datetime) -> datetime:
    """``when`` on now's wall clock; a naive ``when`` is taken to be on it already."""
    require_aware(now)
    return wall_clock(when, now.tzinfo)


def describe(when: datetime, now: datetime) -> str:
    """``when`` for a live preview, in now's time zone: "Tue 24 Nov, 10:00".

    The year is added only when it differs from now's: "Fri 1 Jan 2027, 09:00".
    """
    local = _local(when, now)
    year = f" {local.year}" if local.year != now.year else ""
    day = f"{DAY_NAMES[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1][:3]}"
    return f"{day}{year}, {time_of_day(local)}"


def _span(days: int) -> str:
    """A count of days, short: "2d" up to 13 days, then whole weeks "3w", then years "1y"."""
    if days < 14:
        return f"{days}d"
    if days < 365:
        return f"{days // 7}w"
    return f"{days // 365}y"


def relative(when: datetime, now: datetime) -> str:
    """``when`` for a case-list column, short, counted in now's time zone.

    * Due this minute or later today: "today 15:00"; tomorrow: "tomorrow 10:00".
    * Later, by calendar days: "in 2d" up to "in 13d", then whole weeks "in 2w" .. "in 52w",
      then whole years "in 1y".
    * Before this minute: "overdue " and the time since, as :func:`age` gives it:
      "overdue 5m", "overdue 2h", "overdue 1d", "overdue 3w", "overdue 1y".
    """
    return _relative(when, now, "tomorrow")


SHORT_RELATIVE_WIDTH = 11
"""The most cells :func:`short_relative` takes: "overdue 12d", "today 15:00"."""


def short_relative(when: datetime, now: datetime) -> str:
    """:func:`relative` in at most :data:`SHORT_RELATIVE_WIDTH` cells, for a narrow case
    list: the same words but for tomorrow, "tmrw 10:00"."""
    return _relative(when, now, "tmrw")


def _relative(when: datetime, now: datetime, tomorrow: str) -> str:
    local = _local(when, now)
    due = local.replace(second=0, microsecond=0)
    if due < now.replace(second=0, microsecond=0):
        return f"overdue {age(due, now)}"
    days = (local.date() - now.date()).days
    if days == 0:
        return f"today {time_of_day(local)}"
    if days == 1:
        return f"{tomorrow} {time_of_day(local)}"
    return f"in {_span(days)}"


_FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def spoken_moment(when: datetime, now: datetime) -> str:
    """``when`` as said to a customer, in now's time zone: "today at 15:00", "tomorrow at
    10:00", "on Friday at 14:00" within the week ahead, else "on Friday 18 December at
    14:00" (the year added when not now's). A moment already past is said by its date."""
    local = _local(when, now)
    days = (local.date() - now.date()).days
    at = f"at {time_of_day(local)}"
    if days == 0:
        return f"today {at}"
    if days == 1:
        return f"tomorrow {at}"
    weekday = _FULL_DAY_NAMES[local.weekday()]
    if 1 < days < 7:
        return f"on {weekday} {at}"
    year = f" {local.year}" if local.year != now.year else ""
    return f"on {weekday} {local.day} {MONTH_NAMES[local.month - 1]}{year} {at}"


def age(since: datetime, now: datetime) -> str:
    """Time elapsed since ``since``, short and rounded down.

    "5m" under an hour, "3h" under a day, "2d" up to 13 days, then whole weeks "6w" under a
    year, then whole years "1y". A ``since`` in the future counts as "0m".
    """
    elapsed = now.astimezone(UTC) - _local(since, now).astimezone(UTC)
    minutes = max(0, int(elapsed.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        return f"{minutes // 60}h"
    return _span(minutes // (24 * 60))
