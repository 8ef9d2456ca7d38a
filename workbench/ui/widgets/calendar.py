"""The follow-up calendar (right, bottom): a month grid marking the days with follow-ups, and
the agenda of the selected day.

The pane is handed plain :class:`AgendaEntry` objects through :meth:`CalendarPane.set_entries`
and never touches the store; what the agent does here goes up as messages
(:class:`CalendarPane.DayChanged`, :class:`CalendarPane.EntryHighlighted`,
:class:`CalendarPane.EntrySelected`). Its look lives in ``styles/calendar.tcss``, which
the app loads with every stylesheet in ``styles/``.

Customer names, titles and actions are user text: every line is built as
:class:`~textual.content.Content` from plain strings, never parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import ClassVar

from dateutil import tz
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.text_opacity import TextOpacity
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workbench.ui.widgets.steady import SteadyOptionList

__all__ = [
    "AgendaEntry",
    "AgendaHeading",
    "AgendaList",
    "CalendarPane",
    "DayCell",
    "MonthGrid",
]

_MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_HEADS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_GRID_DAYS = 42  # six weeks: the grid keeps its height whatever the month

# Pane widths (cells) at which the layout changes.
_TALL_PANE = 16  # room for two-row day cells: the number, then "•12" under it
_STACKED_PANE = 42  # below this the agenda goes under the grid
_SHORT_PANE = 10  # below this many rows the legend is hidden
_ONE_LINE_AGENDA = 40  # an agenda this wide shows each follow-up on one line


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
# Plain date helpers


def _local(when: datetime, zone: tzinfo | None) -> datetime:
    """``when`` on the wall clock of ``zone``; naive times are taken to be on it already."""
    if zone is None or when.tzinfo is None:
        return when.replace(tzinfo=zone)
    if isinstance(zone, tz.tzlocal):
        # The machine's own zone: the C library converts it, ten times quicker than
        # dateutil's Python (the same wall clock; the offset comes as a fixed zone).
        return when.astimezone()
    return when.astimezone(zone)


def day_label(day: date, today: date) -> str:
    """``"Tue 24 Nov"``; the year is added when it is not this year's: ``"Fri 1 Jan 2027"``."""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1][:3]}{year}"


def month_title(year: int, month: int) -> str:
    """``"November 2026"``."""
    return f"{_MONTH_NAMES[month - 1]} {year}"


def _days_in_month(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def shift_month(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the length of that month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def grid_days(year: int, month: int, first_weekday: int) -> list[date]:
    """The 42 days (six weeks) a month grid shows, starting on ``first_weekday`` (0 = Monday)."""
    first = date(year, month, 1)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    return [start + timedelta(days=n) for n in range(_GRID_DAYS)]


def _superscript(number: int) -> str:
    """A count in one cell: ``"²"``; ten or more is ``"⁺"``."""
    return _SUPERSCRIPTS[number] if number < 10 else "⁺"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# ---------------------------------------------------------------------------------------------
# Month grid


class DayCell:
    """One day of the month grid: its number and how many follow-ups are still open.

    Not a widget: :class:`MonthGrid` draws all 42 days itself, one line at a time, so a
    change to the grid repaints the grid's lines alone and lays nothing out again.

    State classes: ``-today``, ``-overdue``, ``-upcoming``, ``-done``, ``-selected``,
    ``-other-month``.
    """

    __slots__ = ("_grid", "classes", "day", "index", "label")

    def __init__(self, grid: MonthGrid, index: int) -> None:
        self._grid = grid
        self.index = index
        """Place in the grid: 0 is the first column of the first week."""
        self.day = date(2000, 1, 1)
        self.label = Content()
        """What the cell shows, e.g. ``"23²"`` (``"23\n•2"`` when the pane is tall)."""
        self.classes: frozenset[str] = frozenset()

    def has_class(self, name: str) -> bool:
        return name in self.classes

    @property
    def offset(self) -> Offset:
        """Where the cell is within the grid."""
        return self._grid.cell_offset(self.index)

    @property
    def size(self) -> Size:
        return Size(_CELL_WIDTH, self._grid.cell_height)

    @property
    def region(self) -> Region:
        """Where the cell is on the screen."""
        return Region.from_offset(self._grid.region.offset + self.offset, self.size)


_CELL_WIDTH = 3
_STATE_COMPONENTS = {
    "-overdue": "month-grid--overdue",
    "-upcoming": "month-grid--upcoming",
    "-done": "month-grid--done",
    "-today": "month-grid--today",
    "-selected": "month-grid--selected",
}
"""Cell state → component class, in the order their styles apply (later ones win)."""


class MonthGrid(Widget, can_focus=True):
    """The month's name between ‹ and ›, the weekday heads and six weeks of days.

    One widget drawn with the line API (no child widgets): a new selection or a changed
    count repaints only the lines that changed. Focusable; its keys (day and week moves)
    are bound on :class:`CalendarPane`. Clicking a day posts :class:`MonthGrid.DayClicked`,
    clicking ‹ or › posts :class:`MonthGrid.ArrowClicked`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-grid--bar",
        "month-grid--arrow",
        "month-grid--arrow-hover",
        "month-grid--title",
        "month-grid--weekday",
        "month-grid--hover",
        "month-grid--other-month",
        *_STATE_COMPONENTS.values(),
    }
    """
    | Class | Description |
    | :- | :- |
    | `month-grid--bar` | The top line: ‹, the month's name and ›. |
    | `month-grid--arrow` | ‹ and ›. |
    | `month-grid--arrow-hover` | ‹ or › under the mouse. |
    | `month-grid--title` | The month's name. |
    | `month-grid--weekday` | The weekday heads. |
    | `month-grid--hover` | The day under the mouse. |
    | `month-grid--other-month` | Days before and after the month (only its text-opacity is used). |
    | `month-grid--overdue` / `--upcoming` / `--done` / `--today` | A day's state. |
    | `month-grid--selected` | The selected day. |
    """

    class DayClicked(Message):
        """A day was clicked."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    class ArrowClicked(Message):
        """‹ (``months=-1``) or › (``months=1``) was clicked."""

        def __init__(self, months: int) -> None:
            super().__init__()
            self.months = months

    def __init__(self, first_weekday: int) -> None:
        super().__init__()
        self.title = ""
        """The month shown: ``"November 2026"``."""
        self.cells = [DayCell(self, n) for n in range(_GRID_DAYS)]
        self.weekday_heads = tuple(_WEEKDAY_HEADS[(first_weekday + n) % 7] for n in range(7))
        self._tall = False
        self._hover: int | str | None = None  # a cell's index, "‹", "›" or nothing
        self._lines: dict[int, Strip] = {}

    # -- geometry -----------------------------------------------------------------------------

    @property
    def tall(self) -> bool:
        """Two lines a day (the count under the number), a blank column between days."""
        return self._tall

    @tall.setter
    def tall(self, tall: bool) -> None:
        if tall != self._tall:
            self._tall = tall
            self._lines.clear()
            self.refresh()

    @property
    def cell_height(self) -> int:
        return 2 if self._tall else 1

    def cell_offset(self, index: int) -> Offset:
        week, column = divmod(index, 7)
        step = _CELL_WIDTH + 1 if self._tall else _CELL_WIDTH
        return Offset(column * step, 2 + week * self.cell_height)

    def _cell_at(self, offset: Offset) -> int | None:
        x, y = offset
        if y < 2 or x < 0:
            return None
        step = _CELL_WIDTH + 1 if self._tall else _CELL_WIDTH
        column, within = divmod(x, step)
        week = (y - 2) // self.cell_height
        if column >= 7 or week >= 6 or within >= _CELL_WIDTH:
            return None
        return week * 7 + column

    def _arrow_at(self, offset: Offset) -> str | None:
        if offset.y != 0:
            return None
        if offset.x == 0:
            return "‹"
        if offset.x == self.size.width - 1:
            return "›"
        return None

    # -- data in ------------------------------------------------------------------------------

    def show(self, title: str, cells: Sequence[tuple[date, Content, frozenset[str]]]) -> None:
        """Show a month: its title and the 42 days' (day, label, state classes).

        Only the lines whose days changed are repainted.
        """
        if title != self.title:
            self.title = title
            self._refresh_lines(0)
        for cell, (day, label, classes) in zip(self.cells, cells, strict=True):
            cell.day = day
            if label != cell.label or classes != cell.classes:
                cell.label = label
                cell.classes = classes
                self._refresh_lines(cell.offset.y, self.cell_height)

    def _refresh_lines(self, y: int, count: int = 1) -> None:
        for line in range(y, y + count):
            self._lines.pop(line, None)
        if self.is_mounted:
            self.refresh(Region(0, y, self.size.width, count))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._refresh_lines(0)

    def _on_blur(self, event: events.Blur) -> None:
        self._refresh_lines(0)

    # -- mouse --------------------------------------------------------------------------------

    def _set_hover(self, hover: int | str | None) -> None:
        if hover == self._hover:
            return
        for target in (self._hover, hover):
            if isinstance(target, int):
                self._refresh_lines(self.cell_offset(target).y, self.cell_height)
            elif target is not None:
                self._refresh_lines(0)
        self._hover = hover

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.offset
        self._set_hover(self._arrow_at(offset) or self._cell_at(offset))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def on_click(self, event: events.Click) -> None:
        arrow = self._arrow_at(event.offset)
        if arrow is not None:
            event.stop()
            self.post_message(self.ArrowClicked(-1 if arrow == "‹" else 1))
            return
        index = self._cell_at(event.offset)
        if index is not None:
            event.stop()
            self.post_message(self.DayClicked(self.cells[index].day))

    # -- drawing ------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()  # lines are drawn for one width

    def render_line(self, y: int) -> Strip:
        line = self._lines.get(y)
        if line is None:
            line = self._lines[y] = self._render_grid_line(y)
        return line

    def _style(self, *components: str) -> Style:
        style = self.get_visual_style(*components).rich_style
        # A visual style has no reverse; take it from the component classes' text-style.
        if any(self.get_component_styles(name).text_style.reverse for name in components):
            style += Style(reverse=True)
        return style

    def _render_grid_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        blank = Style.from_color(bgcolor=base.bgcolor)
        if y == 0:
            segments = self._bar(width)
        elif y == 1:
            segments = self._heads(blank)
        else:
            segments = self._week_line(y, blank)
        return Strip(segments).crop_extend(0, width, blank)

    def _bar(self, width: int) -> list[Segment]:
        def arrow(symbol: str) -> Segment:
            hover = ("month-grid--arrow-hover",) if self._hover == symbol else ()
            return Segment(symbol, self._style("month-grid--bar", "month-grid--arrow", *hover))

        room = max(0, width - 2)
        title = self.title[:room]
        title_style = self._style("month-grid--bar", "month-grid--title")
        pad_style = title_style + Style(reverse=False)
        left = (room - len(title)) // 2
        return [
            arrow("‹"),
            Segment(" " * left, pad_style),
            Segment(title, title_style),
            Segment(" " * (room - left - len(title)), pad_style),
            arrow("›"),
        ]

    def _heads(self, blank: Style) -> list[Segment]:
        style = self._style("month-grid--weekday")
        gap = " " if self._tall else ""
        segments: list[Segment] = []
        for n, head in enumerate(self.weekday_heads):
            segments.append(Segment(head, style))
            after = " " * (_CELL_WIDTH - len(head)) + (gap if n < 6 else "")
            segments.append(Segment(after, blank))
        return segments

    def _week_line(self, y: int, blank: Style) -> list[Segment]:
        week, row = divmod(y - 2, self.cell_height)
        if week >= 6:
            return []
        gap = " " if self._tall else ""
        segments: list[Segment] = []
        for column in range(7):
            index = week * 7 + column
            segments.extend(self._cell_segments(self.cells[index], row, index == self._hover))
            if gap and column < 6:
                segments.append(Segment(gap, blank))
        return segments

    def _cell_segments(self, cell: DayCell, row: int, hover: bool) -> list[Segment]:
        components = [_STATE_COMPONENTS[name] for name in _STATE_COMPONENTS if name in cell.classes]
        if hover:
            components.insert(0, "month-grid--hover")
        style = self._style(*components)
        lines = cell.label.plain.split("\n")
        text = lines[row] if row < len(lines) else ""
        text = text[:_CELL_WIDTH]
        pad = Style.from_color(bgcolor=style.bgcolor)
        segments = [Segment(text, style)] if text else []
        if len(text) < _CELL_WIDTH:
            segments.append(Segment(" " * (_CELL_WIDTH - len(text)), pad))
        if "-other-month" in cell.classes:
            opacity = self.get_component_styles("month-grid--other-month").text_opacity
            segments = list(
                TextOpacity.process_segments(
                    segments, opacity, self.app.ansi_theme, self.app.native_ansi_color
                )
            )
        return segments


class _Legend(Widget):
    """What the grid's colours mean, in the grid's own styles."""

    def compose(self) -> ComposeResult:
        for word, state in (
            ("overdue", "-overdue"),
            ("today", "-today"),
            ("upcoming", "-upcoming"),
            ("done", "-done"),
        ):
            yield Label(word, classes=f"calendar-legend-item {state}")


# ---------------------------------------------------------------------------------------------
# Agenda


class AgendaHeading(Widget):
    """The selected day and how many follow-ups it has, shortened to fit its width."""

    def __init__(self) -> None:
        super().__init__()
        self._forms: tuple[str, ...] = ("",)

    def set_forms(self, *forms: str) -> None:
        """The heading's wordings, longest first; the longest that fits is shown."""
        if forms != self._forms:
            self._forms = forms
            self.refresh()

    @property
    def text(self) -> str:
        """The wording shown at the current width."""
        width = self.content_size.width
        for form in self._forms:
            if Content(form).cell_length <= width:
                return form
        return self._forms[-1]

    def render(self) -> Content:
        return Content(self.text)


class AgendaList(SteadyOptionList):
    """The selected day's follow-ups, one per option, sorted by time. Enter selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Previous follow-up", show=False, id="agenda-cursor-up"),
        Binding("j", "cursor_down", "Next follow-up", show=False, id="agenda-cursor-down"),
        Binding("enter", "select", "Open follow-up", id="agenda-select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "agenda--time",
        "agenda--case",
        "agenda--customer",
        "agenda--action",
        "agenda--overdue",
        "agenda--done",
        "agenda--cancelled",
    }
    """
    | Class | Description |
    | :- | :- |
    | `agenda--time` | The time a follow-up is due. |
    | `agenda--case` | The case id. |
    | `agenda--customer` | The customer's name. |
    | `agenda--action` | What to do. |
    | `agenda--overdue` | The mark and time of an open follow-up already past. |
    | `agenda--done` | A follow-up done: the whole line. |
    | `agenda--cancelled` | A follow-up cancelled: the whole line. |
    """

    def __init__(self) -> None:
        super().__init__(id="calendar-agenda", markup=False)
        self.one_line = True
        """Each follow-up on one line; False puts the action on a second line (narrow)."""

    def on_resize(self, event: events.Resize) -> None:
        one_line = event.size.width >= _ONE_LINE_AGENDA
        if one_line != self.one_line:
            self.one_line = one_line
            self.post_message(self.LayoutChanged())

    class LayoutChanged(Message):
        """The agenda switched between one and two lines per follow-up."""


def agenda_prompt(
    entry: AgendaEntry, due: datetime, now: datetime, *, one_line: bool = True
) -> Content:
    """One follow-up in the agenda: ``"  10:00 C-0042 Ana Chen — Call to check the refund"``.

    The first two cells mark it: ``!`` overdue, ``✓`` done, ``×`` cancelled. Done and
    cancelled lines are struck through. ``due`` is the entry's time on now's wall clock.
    """
    if entry.done:
        mark, state = "✓ ", ".agenda--done"
    elif entry.cancelled:
        mark, state = "× ", ".agenda--cancelled"
    elif due < now:
        mark, state = "! ", ""
    else:
        mark, state = "  ", ""
    overdue = ".agenda--overdue" if entry.is_open and due < now else ""
    head = Content.assemble(
        (mark, overdue),
        (f"{due:%H:%M}", overdue or ".agenda--time"),
        " ",
        (entry.case_id, ".agenda--case"),
        " ",
        (entry.customer, ".agenda--customer"),
    )
    action = Content.styled(entry.action, ".agenda--action")
    if one_line:
        line = Content.assemble(head, " — ", action)
    else:
        line = Content.assemble(head, "\n  ", action)
    return line.stylize(state) if state else line


def entry_details(entry: AgendaEntry, due: datetime, today: date) -> Content:
    """The whole follow-up for a tooltip: case, customer, complaint, then when and what."""
    status = " (done)" if entry.done else " (cancelled)" if entry.cancelled else ""
    return Content.assemble(
        (entry.case_id, "bold"),
        " ",
        entry.customer,
        "\n",
        entry.title,
        "\n",
        f"{day_label(due.date(), today)} {due:%H:%M}{status} — ",
        entry.action,
    )


# ---------------------------------------------------------------------------------------------
# The pane


@dataclass(frozen=True)
class _DayAgenda:
    """One day's follow-ups, sorted by time, with their times on the pane's wall clock."""

    entries: tuple[AgendaEntry, ...]
    due: tuple[datetime, ...]
    open: int

    @property
    def total(self) -> int:
        return len(self.entries)


_NO_DAY = _DayAgenda((), (), 0)


def _day_agenda(items: list[tuple[datetime, AgendaEntry]]) -> _DayAgenda:
    items.sort(key=lambda item: (item[0], item[1].case_id, item[1].followup_id))
    return _DayAgenda(
        entries=tuple(entry for _, entry in items),
        due=tuple(due for due, _ in items),
        open=sum(1 for _, entry in items if entry.is_open),
    )


class CalendarPane(Widget):
    """A month grid of follow-ups beside (or, when narrow, above) the selected day's agenda.

    Args:
        now: The clock: returns the current time; its time zone decides which day a
            follow-up falls on.
        first_weekday: The grid's first column, 0 = Monday … 6 = Sunday.
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
        first_weekday: int = 0,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        if not 0 <= first_weekday <= 6:
            raise ValueError(f"first_weekday must be 0 (Monday) to 6 (Sunday), not {first_weekday}")
        super().__init__(name=name, id=id, classes=classes)
        self._now = now
        self.first_weekday = first_weekday
        current = now()
        self._zone = current.tzinfo
        self._today = current.date()
        self._days: dict[date, _DayAgenda] = {}
        self._by_case: dict[str, list[AgendaEntry]] = {}
        self._agenda = _NO_DAY
        self._styled_at: datetime | None = None
        """The time the agenda's lines were drawn for (what counted as overdue)."""
        self._posted: AgendaEntry | None = None
        self._tall = False
        self.grid = MonthGrid(first_weekday)
        self.legend = _Legend(id="calendar-legend")
        self.heading = AgendaHeading()
        self.agenda = AgendaList()
        self.set_reactive(CalendarPane.selected, self._today)

    def compose(self) -> ComposeResult:
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
        grouped: dict[date, list[tuple[datetime, AgendaEntry]]] = {}
        by_case: dict[str, list[AgendaEntry]] = {}
        zone = self._zone
        for entry in entries:
            due = _local(entry.due, zone)
            grouped.setdefault(due.date(), []).append((due, entry))
            by_case.setdefault(entry.case_id, []).append(entry)
        self._days = {day: _day_agenda(items) for day, items in grouped.items()}
        self._by_case = by_case
        self._redraw()

    def replace_case(self, case_id: str, entries: Iterable[AgendaEntry]) -> None:
        """Show these follow-ups for one case instead of its previous ones.

        Only the days that case had or now has are indexed again, so a change to one case
        costs the same with ten follow-ups in the file or ten thousand.
        """
        zone = self._zone
        new = list(entries)
        if self._by_case.get(case_id, []) == new:
            return  # a change that left its follow-ups alone: nothing to redraw
        old = self._by_case.pop(case_id, [])
        if new:
            self._by_case[case_id] = new
        touched = {_local(entry.due, zone).date() for entry in [*old, *new]}
        for day in touched:
            agenda = self._days.get(day, _NO_DAY)
            items = [
                (due, entry)
                for due, entry in zip(agenda.due, agenda.entries, strict=True)
                if entry.case_id != case_id
            ]
            items.extend(
                (due, entry)
                for entry in new
                for due in [_local(entry.due, zone)]
                if due.date() == day
            )
            if items:
                self._days[day] = _day_agenda(items)
            else:
                self._days.pop(day, None)
        if not self.is_mounted:
            return
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
        return self._days.get(day, _NO_DAY).entries

    # -- navigation ---------------------------------------------------------------------------

    def validate_selected(self, day: date) -> date:
        return day.date() if isinstance(day, datetime) else day

    def watch_selected(self, old: date, new: date) -> None:
        self._refresh_grid()
        self._refresh_agenda(keep=None)
        self.post_message(self.DayChanged(new, self))

    def show_month(self, year: int, month: int) -> None:
        """Show that month, selecting the same day number in it (clamped to its length)."""
        day = min(self.selected.day, _days_in_month(year, month))
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
        return None if index is None else self._agenda.entries[index]

    def _highlighted_index(self) -> int | None:
        count = len(self._agenda.entries)
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
        entries = self._agenda.entries
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
        day = self._agenda
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

    def _cell_label(self, day: date, summary: _DayAgenda) -> Content:
        number = f"{day.day:>2}"
        if self._tall:  # "23" over "•2"
            if summary.open:
                return Content(f"{number}\n•{summary.open}")
            return Content(number + ("\n ✓" if summary.total else ""))
        if summary.open:  # "23²"
            return Content(number + _superscript(summary.open))
        return Content(number + ("✓" if summary.total else " "))

    def _refresh_grid(self) -> None:
        if not self.is_mounted:
            return
        selected, today = self.selected, self._today
        cells = []
        for day in grid_days(selected.year, selected.month, self.first_weekday):
            summary = self._days.get(day, _NO_DAY)
            classes = {
                "-today": day == today,
                "-overdue": day < today and summary.open > 0,
                "-upcoming": day > today and summary.open > 0,
                "-done": summary.total > 0 and summary.open == 0,
                "-selected": day == selected,
                "-other-month": day.month != selected.month,
            }
            state = frozenset(name for name, on in classes.items() if on)
            cells.append((day, self._cell_label(day, summary), state))
        self.grid.show(month_title(selected.year, selected.month), cells)

    def _refresh_agenda(self, keep: tuple[str, int] | None) -> None:
        """Show the selected day's follow-ups, the cursor on ``keep`` if it is there."""
        if not self.is_mounted:
            return
        day = self._days.get(self.selected, _NO_DAY)
        previous = self.agenda.highlighted
        self._agenda = day
        self._set_heading()
        now = _local(self._now(), self._zone)
        self._styled_at = now
        one_line = self.agenda.one_line
        self.agenda.set_options(
            Option(agenda_prompt(entry, due, now, one_line=one_line))
            for entry, due in zip(day.entries, day.due, strict=True)
        )
        if day.entries:
            keys = [entry.key for entry in day.entries]
            if keep is not None and keep in keys:
                index = keys.index(keep)
            elif keep is not None and previous is not None:
                index = min(previous, len(keys) - 1)  # the line that took its place
            else:
                index = 0
            self.agenda.highlighted = index
        self._announce_highlight()

    def _restyle_agenda(self) -> None:
        """Redraw the agenda's lines (marks, layout) without moving the cursor."""
        if not self.is_mounted:
            return
        self._redraw_lines(range(len(self._agenda.entries)), _local(self._now(), self._zone))
        self._set_heading()

    def _redraw_lines(self, indexes: range, now: datetime) -> None:
        """Draw these agenda lines again as of ``now`` (their overdue marks)."""
        self._styled_at = now
        one_line = self.agenda.one_line
        day = self._agenda
        for index in indexes:
            prompt = agenda_prompt(day.entries[index], day.due[index], now, one_line=one_line)
            self.agenda.replace_option_prompt_at_index(index, prompt)

    def _restyle_fallen_due(self) -> None:
        """Redraw only the lines that fell due since the agenda was drawn (its times are
        sorted): once a minute, a day of thousands of follow-ups costs a line or two."""
        if not self.is_mounted or self._styled_at is None:
            self._restyle_agenda()
            return
        now = _local(self._now(), self._zone)
        if now < self._styled_at:  # the clock went back: what is overdue may be less
            self._restyle_agenda()
            return
        due = self._agenda.due
        first = bisect_left(due, self._styled_at)  # not overdue when drawn …
        self._redraw_lines(range(first, bisect_left(due, now)), now)  # … overdue now

    def _set_heading(self) -> None:
        day = self._agenda
        label = day_label(self.selected, self._today)
        if not day.total:
            self.heading.set_forms(f"Nothing due on {label}.", f"{label}: nothing due")
            return
        count = _plural(day.total, "follow-up")
        forms: Sequence[str] = (f"{label} — {count}", f"{label}: {count}", f"{label} ({day.total})")
        if day.open < day.total:
            forms = (f"{label} — {count}, {day.open} open", *forms)
        self.heading.set_forms(*forms)
