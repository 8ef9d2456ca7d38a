"""The calendar pane: the month grid beside (or, when narrow, above) the selected day's
agenda, kept in step with each other, with the keys and the messages of both.

The pane is handed plain :class:`AgendaEntry` objects through :meth:`CalendarPane.set_entries`
and never touches the store; what the agent does here goes up as messages
(:class:`CalendarPane.DayChanged`, :class:`CalendarPane.EntryHighlighted`,
:class:`CalendarPane.EntrySelected`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList

from workbench.domain.moments import day_label, month_title, wall_clock
from workbench.domain.months import days_in_month, grid_days, shift_month
from workbench.ui.configured import settings_of
from workbench.ui.widgets.calendar.agenda import AgendaHeading, AgendaList, entry_details
from workbench.ui.widgets.calendar.days import (
    AgendaByDay,
    AgendaEntry,
    cell_text,
    day_states,
    heading_forms,
)
from workbench.ui.widgets.calendar.grid import DayCell, MonthGrid, month_legend

__all__ = ["CalendarPane"]

# Pane widths (cells) at which the layout changes.
_TALL_PANE = 16  # room for two-row day cells: the number, then "•12" under it
_STACKED_PANE = 42  # below this the agenda goes under the grid
_SHORT_PANE = 10  # below this many rows the legend is hidden


class CalendarPane(Widget):
    """A month grid of follow-ups beside (or, when narrow, above) the selected day's agenda.

    Args:
        now: The clock: returns the current time; its time zone decides which day a
            follow-up falls on.

    The week starts on the settings' ``first_weekday`` (read from the app, as every
    widget reads its settings: :func:`workbench.ui.configured.settings_of`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "today", "Today", id="calendar-today"),
        Binding(
            "less_than_sign",
            "month(-1)",
            "Previous month",
            key_display="<",
            id="calendar-previous-month",
        ),
        Binding(
            "greater_than_sign",
            "month(1)",
            "Next month",
            key_display=">",
            id="calendar-next-month",
        ),
        Binding("left,h", "move(-1)", "Previous day", show=False, id="calendar-previous-day"),
        Binding("right,l", "move(1)", "Next day", show=False, id="calendar-next-day"),
        Binding("up,k", "move(-7)", "Previous week", show=False, id="calendar-previous-week"),
        Binding("down,j", "move(7)", "Next week", show=False, id="calendar-next-week"),
        Binding("pageup", "month(-1)", "Previous month", show=False, id="calendar-page-up"),
        Binding("pagedown", "month(1)", "Next month", show=False, id="calendar-page-down"),
        Binding("enter", "open_agenda", "Agenda", show=False, id="calendar-open-agenda"),
    ]
    """Keys for the grid and the pane; the agenda adds its own (:class:`AgendaList`).

    | Key(s) | Action |
    | :- | :- |
    | `t` | Jump to today. |
    | `<` / `>`, `pageup` / `pagedown` | Same day in the previous / next month (clamped). |
    | `left` / `h`, `right` / `l` | Previous / next day. |
    | `up` / `k`, `down` / `j` | Previous / next week (grid; in the agenda they move lines). |
    | `enter` | Grid: go to the day's agenda. Agenda: select the follow-up. |
    """

    selected: reactive[date] = reactive(date(2000, 1, 1), init=False)
    """The day whose agenda is shown; the grid shows its month."""

    class DayChanged(Message):
        """The selected day changed."""

        def __init__(self, day: date, calendar: CalendarPane | None = None) -> None:
            super().__init__()
            self.day = day
            self.calendar = calendar

        @property
        def control(self) -> CalendarPane | None:
            return self.calendar

    class _EntryMessage(Message):
        def __init__(self, entry: AgendaEntry, calendar: CalendarPane | None = None) -> None:
            super().__init__()
            self.entry = entry
            self.calendar = calendar

        @property
        def control(self) -> CalendarPane | None:
            return self.calendar

    class EntryHighlighted(_EntryMessage):
        """Another follow-up is now the highlighted one (see :attr:`CalendarPane.highlighted`)."""

    class EntrySelected(_EntryMessage):
        """Enter (or a click) on a line of the agenda."""

    def __init__(
        self,
        now: Callable[[], datetime],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._now = now
        self.first_weekday = 0
        """The grid's first column, 0 = Monday … 6 = Sunday: the settings', when composed."""
        current = now()
        self._zone = current.tzinfo
        self._today = current.date()
        self._book = AgendaByDay()
        self._posted: AgendaEntry | None = None
        self._tall = False
        self.grid = MonthGrid(self.first_weekday)
        self.legend = month_legend()
        self.heading = AgendaHeading()
        self.agenda = AgendaList()
        self.set_reactive(CalendarPane.selected, self._today)

    def compose(self) -> ComposeResult:
        self.first_weekday = settings_of(self).first_weekday
        self.grid.starts_week_on(self.first_weekday)
        with Vertical(id="calendar-month"):
            yield self.grid
            yield self.legend
        with Vertical(id="calendar-day"):
            yield self.heading
            yield self.agenda

    def on_mount(self) -> None:
        self._refresh_grid()
        self._refresh_agenda(keep=None)
        self.set_interval(60, self.check_clock)

    # -- data in ------------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[AgendaEntry]) -> None:
        """Show these follow-ups (all of them, replacing the previous ones).

        The selected day stays, and so does the highlighted agenda line if its follow-up is
        still there. Entries are indexed by day here, once, so redrawing stays cheap.
        """
        current = self._now()
        self._zone = current.tzinfo
        self._today = current.date()
        self._book.load(entries, self._zone)
        self._redraw()

    def replace_case(self, case_id: str, entries: Iterable[AgendaEntry]) -> None:
        """Show these follow-ups for one case instead of its previous ones.

        Only the days that case had or now has are indexed again, so a change to one case
        costs the same with ten follow-ups in the file or ten thousand.
        """
        touched = self._book.replace_case(case_id, entries, self._zone)
        if not touched or not self.is_mounted:
            return  # none: a change that left its follow-ups alone, nothing to redraw
        if self.selected in touched:
            self._redraw()
        elif touched & set(grid_days(self.selected.year, self.selected.month, self.first_weekday)):
            self._refresh_grid()

    def _redraw(self) -> None:
        if self.is_mounted:
            keep = self.highlighted
            self._refresh_grid()
            self._refresh_agenda(keep=keep.key if keep else None)

    def entries_on(self, day: date) -> tuple[AgendaEntry, ...]:
        """The follow-ups due on ``day``, sorted by time."""
        return self._book.day(day).entries

    # -- navigation ---------------------------------------------------------------------------

    def validate_selected(self, day: date) -> date:
        return day.date() if isinstance(day, datetime) else day

    def watch_selected(self, old: date, new: date) -> None:
        self._refresh_grid()
        self._refresh_agenda(keep=None)
        self.post_message(self.DayChanged(new, self))

    def show_month(self, year: int, month: int) -> None:
        """Show that month, selecting the same day number in it (clamped to its length)."""
        day = min(self.selected.day, days_in_month(year, month))
        self.selected = date(year, month, day)

    def go_today(self) -> None:
        """Select today (the day of ``now()``)."""
        self._today = self._now().date()
        self.selected = self._today
        self._refresh_grid()

    def action_today(self) -> None:
        self.go_today()

    def action_month(self, months: int) -> None:
        try:
            self.selected = shift_month(self.selected, months)
        except ValueError:  # past year 1 or 9999
            self.app.bell()

    def action_move(self, days: int) -> None:
        try:
            self.selected = self.selected + timedelta(days=days)
        except OverflowError:
            self.app.bell()

    def action_open_agenda(self) -> None:
        self.agenda.focus()

    @on(MonthGrid.DayClicked)
    def _day_pressed(self, event: MonthGrid.DayClicked) -> None:
        event.stop()
        self.grid.focus()
        self.selected = event.day

    @on(MonthGrid.ArrowClicked)
    def _arrow_pressed(self, event: MonthGrid.ArrowClicked) -> None:
        event.stop()
        self.action_month(event.months)

    # -- the highlighted follow-up ------------------------------------------------------------

    @property
    def highlighted(self) -> AgendaEntry | None:
        """The follow-up under the agenda's cursor; the cursor goes to the first follow-up of
        the day whenever the day changes, so until the agent moves it in the agenda this is
        the selected day's first. None on a day with nothing due."""
        index = self._highlighted_index()
        return None if index is None else self.agenda.shown.entries[index]

    def _highlighted_index(self) -> int | None:
        count = len(self.agenda.shown.entries)
        if not count:
            return None
        index = self.agenda.highlighted
        return index if index is not None and 0 <= index < count else 0

    @on(OptionList.OptionHighlighted, "#calendar-agenda")
    def _agenda_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._announce_highlight()

    @on(OptionList.OptionSelected, "#calendar-agenda")
    def _agenda_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entries = self.agenda.shown.entries
        if 0 <= event.option_index < len(entries):
            self.post_message(self.EntrySelected(entries[event.option_index], self))

    @on(AgendaList.LayoutChanged)
    def _agenda_layout_changed(self, event: AgendaList.LayoutChanged) -> None:
        event.stop()
        self._restyle_agenda()

    def _announce_highlight(self) -> None:
        """Say which follow-up is highlighted now, if it is another one than last said."""
        index = self._highlighted_index()
        if index is None:
            self.agenda.tooltip = None
            self._posted = None
            return
        day = self.agenda.shown
        entry = day.entries[index]
        self.agenda.tooltip = entry_details(entry, day.due[index], self._today)
        if entry != self._posted:
            self._posted = entry
            self.post_message(self.EntryHighlighted(entry, self))

    # -- drawing ------------------------------------------------------------------------------

    def cell_for(self, day: date) -> DayCell | None:
        """The grid's cell for ``day``, or None when the grid does not show that day."""
        for cell in self.grid.cells:
            if cell.day == day:
                return cell
        return None

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size)

    def _apply_size(self, size: Size) -> None:
        stacked = size.width < _STACKED_PANE
        tall = size.height >= _TALL_PANE and not stacked
        self.set_class(tall, "-tall")
        self.set_class(stacked, "-stacked")
        self.set_class(size.height < _SHORT_PANE, "-short")
        if tall != self._tall:
            self._tall = tall
            self.grid.tall = tall
            self._refresh_grid()

    def check_clock(self) -> None:
        """Move "today" at midnight and mark follow-ups that have just fallen due.

        Runs once a minute by itself; call it after changing what ``now`` returns.
        """
        today = self._now().date()
        if today != self._today:
            self._today = today
            self._refresh_grid()
            self._restyle_agenda()
        elif self.selected == today:
            self._restyle_fallen_due()

    def _refresh_grid(self) -> None:
        if not self.is_mounted:
            return
        selected, today = self.selected, self._today
        cells = []
        for day in grid_days(selected.year, selected.month, self.first_weekday):
            summary = self._book.day(day)
            open_count, total = summary.open, summary.total
            label = Content(cell_text(day, open_count, total, tall=self._tall))
            state = day_states(
                day, today=today, selected=selected, open_count=open_count, total=total
            )
            cells.append((day, label, state))
        self.grid.show(month_title(selected.year, selected.month), cells)

    def _refresh_agenda(self, keep: tuple[str, int] | None) -> None:
        """Show the selected day's follow-ups, the cursor on ``keep`` if it is there."""
        if not self.is_mounted:
            return
        now = wall_clock(self._now(), self._zone)
        self.agenda.show_day(self._book.day(self.selected), now, keep)
        self._set_heading()
        self._announce_highlight()

    def _restyle_agenda(self) -> None:
        """Redraw the agenda's lines (marks, layout) without moving the cursor."""
        if not self.is_mounted:
            return
        self.agenda.restyle(wall_clock(self._now(), self._zone))
        self._set_heading()

    def _restyle_fallen_due(self) -> None:
        """Redraw the agenda's lines that fell due since they were drawn."""
        if not self.is_mounted:
            return
        now = wall_clock(self._now(), self._zone)
        if not self.agenda.restyle_fallen_due(now):
            self.agenda.restyle(now)
            self._set_heading()

    def _set_heading(self) -> None:
        label = day_label(self.selected, self._today)
        self.heading.set_forms(*heading_forms(self.agenda.shown, label))
