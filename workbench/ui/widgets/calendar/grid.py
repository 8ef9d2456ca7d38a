"""The calendar's month grid: the month's name between ‹ and ›, the weekday heads and six
weeks of days, each marked by its follow-ups; and the legend of its colours.

The days' looks are the ``month-grid--*`` component classes in ``styles/calendar.tcss``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.renderables.text_opacity import TextOpacity
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label

from workbench.domain.months import DAY_NAMES, GRID_DAYS

__all__ = ["DayCell", "MonthGrid", "month_legend"]

_WEEKDAY_HEADS = tuple(name[:2] for name in DAY_NAMES)  # "Mo" … "Su"


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
        "month-grid--count",
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
    | `month-grid--count` | A day's count or ✓, over its state: apart from the next number. |
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
        self.cells = [DayCell(self, n) for n in range(GRID_DAYS)]
        self.weekday_heads: tuple[str, ...] = ()
        self.starts_week_on(first_weekday)
        self._tall = False
        self._hover: int | str | None = None  # a cell's index, "‹", "›" or nothing
        self._lines: dict[int, Strip] = {}

    def starts_week_on(self, first_weekday: int) -> None:
        """The first column: 0 = Monday … 6 = Sunday."""
        self.weekday_heads = tuple(_WEEKDAY_HEADS[(first_weekday + n) % 7] for n in range(7))

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
        # The number, then its mark ("23²", or "•2" under it when tall) in a style of its own,
        # so a count never reads as part of the next day's number ("9¹10" is 9, then 10).
        number, mark = (text[:2], text[2:]) if row == 0 else ("", text)
        segments = [Segment(number, style)] if number else []
        if mark.strip():
            segments.append(Segment(mark, self._style(*components, "month-grid--count")))
        elif mark:
            segments.append(Segment(mark, style))
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


def month_legend() -> Widget:
    """The legend under the grid: its words in the grid's colours."""
    return _Legend(id="calendar-legend")
