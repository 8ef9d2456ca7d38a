"""The calendar's days as plain data: the follow-ups indexed by the day they fall on, and
the marks and words a day is shown with (its cell in the grid, its states, the agenda's
heading). Nothing here draws: :mod:`.grid` and :mod:`.agenda` do, :mod:`.pane` puts
them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from workbench.domain.moments import wall_clock

__all__ = [
    "NO_DAY",
    "AgendaByDay",
    "AgendaEntry",
    "DayAgenda",
    "cell_text",
    "day_states",
    "heading_forms",
]

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class AgendaEntry:
    """One follow-up as the calendar shows it: plain data, built from a case by the caller."""

    case_id: str
    """The case's short id, ``C-0042``."""
    customer: str
    title: str
    """The case's title: the complaint in one line."""
    followup_id: int
    due: datetime
    """When it is due; shown on the wall clock of the pane's ``now``."""
    action: str
    """What to do: "Call to check the refund"."""
    done: bool = False
    cancelled: bool = False

    @property
    def key(self) -> tuple[str, int]:
        """Identifies the follow-up across refreshes: ``("C-0042", 3)``."""
        return (self.case_id, self.followup_id)

    @property
    def is_open(self) -> bool:
        return not (self.done or self.cancelled)


# ---------------------------------------------------------------------------------------------
# The follow-ups by day


@dataclass(frozen=True)
class DayAgenda:
    """One day's follow-ups, sorted by time, with their times on the pane's wall clock."""

    entries: tuple[AgendaEntry, ...]
    due: tuple[datetime, ...]
    open: int

    @property
    def total(self) -> int:
        return len(self.entries)


NO_DAY = DayAgenda((), (), 0)


def _day_agenda(items: list[tuple[datetime, AgendaEntry]]) -> DayAgenda:
    items.sort(key=lambda item: (item[0], item[1].case_id, item[1].followup_id))
    return DayAgenda(
        entries=tuple(entry for _, entry in items),
        due=tuple(due for due, _ in items),
        open=sum(1 for _, entry in items if entry.is_open),
    )


class AgendaByDay:
    """The follow-ups indexed by the day they fall on, on one wall clock.

    Indexed once when they come, so drawing a day or a month never goes through them all;
    a change to one case indexes again only the days that case had or now has.
    """

    def __init__(self) -> None:
        self._days: dict[date, DayAgenda] = {}
        self._by_case: dict[str, list[AgendaEntry]] = {}

    def day(self, day: date) -> DayAgenda:
        """The follow-ups due on ``day``, sorted by time."""
        return self._days.get(day, NO_DAY)

    def load(self, entries: Iterable[AgendaEntry], zone: tzinfo | None) -> None:
        """Index these follow-ups (all of them, replacing the previous ones) on ``zone``'s
        wall clock."""
        grouped: dict[date, list[tuple[datetime, AgendaEntry]]] = {}
        by_case: dict[str, list[AgendaEntry]] = {}
        for entry in entries:
            due = wall_clock(entry.due, zone)
            grouped.setdefault(due.date(), []).append((due, entry))
            by_case.setdefault(entry.case_id, []).append(entry)
        self._days = {day: _day_agenda(items) for day, items in grouped.items()}
        self._by_case = by_case

    def replace_case(
        self, case_id: str, entries: Iterable[AgendaEntry], zone: tzinfo | None
    ) -> set[date]:
        """Index these follow-ups for one case instead of its previous ones.

        Returns the days the case had or now has follow-ups on; none when its follow-ups
        are the same as before (nothing changed).
        """
        new = list(entries)
        if self._by_case.get(case_id, []) == new:
            return set()
        old = self._by_case.pop(case_id, [])
        if new:
            self._by_case[case_id] = new
        touched = {wall_clock(entry.due, zone).date() for entry in [*old, *new]}
        for day in touched:
            agenda = self._days.get(day, NO_DAY)
            items = [
                (due, entry)
                for due, entry in zip(agenda.due, agenda.entries, strict=True)
                if entry.case_id != case_id
            ]
            items.extend(
                (due, entry)
                for entry in new
                for due in [wall_clock(entry.due, zone)]
                if due.date() == day
            )
            if items:
                self._days[day] = _day_agenda(items)
            else:
                self._days.pop(day, None)
        return touched


# ---------------------------------------------------------------------------------------------
# How a day is shown


def _superscript(number: int) -> str:
    """A count in one cell: ``"²"``; ten or more is ``"⁺"``."""
    return _SUPERSCRIPTS[number] if number < 10 else "⁺"


def cell_text(day: date, open_count: int, total: int, *, tall: bool) -> str:
    """What a day's cell shows: ``"23²"`` (two open), ``"23✓"`` (all done or cancelled),
    ``"23 "`` (nothing due); when ``tall``, the mark goes under the number: ``"23\n•2"``."""
    number = f"{day.day:>2}"
    if tall:
        if open_count:
            return f"{number}\n•{open_count}"
        return number + ("\n ✓" if total else "")
    if open_count:
        return number + _superscript(open_count)
    return number + ("✓" if total else " ")


def day_states(
    day: date, *, today: date, selected: date, open_count: int, total: int
) -> frozenset[str]:
    """A day's state classes (see :class:`DayCell`), given its follow-ups' counts."""
    classes = {
        "-today": day == today,
        "-overdue": day < today and open_count > 0,
        "-upcoming": day > today and open_count > 0,
        "-done": total > 0 and open_count == 0,
        "-selected": day == selected,
        "-other-month": day.month != selected.month,
    }
    return frozenset(name for name, on in classes.items() if on)


def heading_forms(day: DayAgenda, label: str) -> tuple[str, ...]:
    """The heading's wordings for a day labelled ``label``, longest first:
    ``"Tue 24 Nov — 3 follow-ups, 2 open"`` down to ``"Tue 24 Nov (3)"``."""
    if not day.total:
        return (f"Nothing due on {label}.", f"{label}: nothing due")
    count = _plural(day.total, "follow-up")
    forms: tuple[str, ...] = (f"{label} — {count}", f"{label}: {count}", f"{label} ({day.total})")
    if day.open < day.total:
        forms = (f"{label} — {count}, {day.open} open", *forms)
    return forms


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
