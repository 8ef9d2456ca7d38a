"""The case list (left pane): every case in a table, filtered as you type, sorted as asked.

The table draws only the rows on screen (Textual's line API), so 50,000 cases cost no
more to show than 50. Which cases are shown, in what order, is the domain's
:class:`~workbench.domain.case_index.CaseIndex`, which keeps what filtering and sorting
need per case; this module draws what it gives. Nothing here reads the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Input, Static

from workbench.domain.case_index import CaseIndex
from workbench.domain.dates import age, relative
from workbench.domain.model import Case, Heat
from workbench.domain.moments import SHORT_RELATIVE_WIDTH, short_relative
from workbench.domain.queries import StatusFilter
from workbench.domain.search import SortOrder
from workbench.domain.search import needle as folded_needle
from workbench.domain.targets import mark
from workbench.domain.text import visible
from workbench.ui.configured import settings_of
from workbench.ui.widgets.safe_input import SafeInput
from workbench.ui.widgets.steady import SteadyScrollBars

# StatusFilter is the domain's; the screen takes it from here, beside the list it filters.
__all__ = ["CaseList", "CaseTable", "StatusFilter", "Whose"]


COLUMNS = (
    ("ID", "id", 8),
    ("Customer", "customer", 14),
    ("Next", "next", 12),
    ("Heat", "heat", 7),
    ("Title", "title", 24),
    ("Status", "status", 11),
    ("Age", "age", 4),
    ("", "mark", 1),
    ("ID", "bare_id", 7),
    ("", "flag", 2),
)
"""Every column a row can show; :attr:`CaseTable.lines` says which, in what order. ``id``
is the id with the case's mark (▲ escalated, ⌛ past its target, ⏰ no answer yet; see
:func:`workbench.domain.targets.mark`); ``bare_id`` and ``flag`` are the two apart, for rows
on two lines (the mark goes in front of the title)."""

KEYS = [key for _, key, _ in COLUMNS]


def _line(*keys: str) -> list[int]:
    return [KEYS.index(key) for key in keys]


ONE_LINE = [_line("id", "customer", "next", "heat", "title", "status", "age")]
"""A row on one line, when the list is wide enough for 40 cells of title beside the rest."""
ONE_LINE_MARKED = [_line("id", "mark", "customer", "next", "title", "status", "age")]
"""One line with the heat as a mark (‼ ! ·) instead of a word: 40 cells of title from
about 200 columns of terminal, where the word needs about 215."""
TWO_LINES = [_line("bare_id", "mark", "next", "customer", "status"), _line("flag", "title")]
"""A row on two lines: the case at a glance, then its title under it, indented. The cells
are one space apart (not two), so the customer's name has room at 80 columns."""
ONE_LINE_TITLE = 40
"""Below this much room for the title on one line, rows take two lines."""

HEAT_MARKS = {Heat.CALM: "·", Heat.UPSET: "!", Heat.FURIOUS: "‼"}
"""Heat in one cell, for rows on two lines (the help screen has the legend)."""

_HEAT_STYLE = {Heat.CALM: "", Heat.UPSET: "bold", Heat.FURIOUS: "bold reverse"}


class Whose(Enum):
    """Whose cases the list shows (``w`` cycles them); the value is said in its title."""

    EVERYONE = "everyone's"
    MINE = "mine"
    NO_ONE = "no one's"

    def owner(self, me: str) -> str | None:
        """The case index's owner filter: None for everyone's, else the owner to match."""
        return None if self is Whose.EVERYONE else me if self is Whose.MINE else ""


class CaseTable(SteadyScrollBars, can_focus=True):
    """Rows of cells, drawn only where they are on screen; the cursor picks a case."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"case-table--cursor"}

    DEFAULT_CSS = """
    CaseTable {
        overflow-x: hidden;
    }
    CaseTable > .case-table--cursor {
        background: $block-cursor-blurred-background;
    }
    CaseTable:focus > .case-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class RowHighlighted(Message):
        def __init__(self, row: int) -> None:
            self.row = row
            super().__init__()

    def __init__(self, cells: Callable[[str], list[Text]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cells = cells
        self._ids: list[str] = []
        self.widths: list[int] = [width for _, _, width in COLUMNS]
        self.lines: list[list[int]] = ONE_LINE
        """The columns on each line of a row (indexes into COLUMNS): one line or two."""
        self.empty = Text()
        """What an empty list says instead (why it is empty, what to press)."""

    @property
    def row_height(self) -> int:
        return len(self.lines)

    def set_lines(self, lines: list[list[int]]) -> None:
        """Rows on one line or two: the list's length in lines (and its bar) follows."""
        if lines is self.lines:
            return
        height = self.row_height
        self.lines = lines
        if self.row_height != height:
            self.set_rows(self._ids, self.cursor_row)

    # -- what the rest of the screen (and tests) ask of a table ----------------------------
    @property
    def row_count(self) -> int:
        return len(self._ids)

    def get_row_at(self, row: int) -> list[Text]:
        return self._cells(self._ids[row])

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        self.cursor_row = row

    def set_rows(self, ids: list[str], keep: int) -> None:
        self._ids = ids
        size = Size(0, len(ids) * self.row_height)
        if size != self.virtual_size:
            height = self.scrollable_content_region.height
            needs_bar = len(ids) > height
            if self.is_mounted and height and needs_bar == self.show_vertical_scrollbar:
                # The scroll bar stays (or stays away): nothing to lay out again. Set its
                # length now, so rows and bar are drawn in one frame; a new layout would
                # redraw the bar a frame after the rows (about 30 ms later on screen).
                self.set_reactive(CaseTable.virtual_size, size)
                self._scroll_update(size)
            else:  # the scroll bar comes or goes: one new layout, bar and all
                self.virtual_size = size
                self._scroll_update(size)
        self.cursor_row = keep
        self.refresh()

    def refresh_row(self, row: int) -> None:
        """Redraw one row (its case changed, its place did not)."""
        height = self.row_height
        line = row * height - self.scroll_offset.y
        if -height < line < self.size.height:
            self.refresh(Region(0, line, self.size.width, height))

    # -- cursor --------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._ids) - 1)) if self._ids else -1

    def watch_cursor_row(self, old: int, new: int) -> None:
        if new >= 0:
            top = self.scroll_offset.y
            height = max(1, self.scrollable_content_region.height)
            first, last = new * self.row_height, (new + 1) * self.row_height
            if first < top:
                self.scroll_to(y=first, animate=False, immediate=True)
            elif last > top + height:
                self.scroll_to(y=last - height, animate=False, immediate=True)
        self.refresh_row(old)
        self.refresh_row(new)
        self.post_message(self.RowHighlighted(new))

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    def action_page_up(self) -> None:
        self.cursor_row -= self._page

    def action_page_down(self) -> None:
        self.cursor_row += self._page

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._ids) - 1

    def on_click(self, event: events.Click) -> None:
        row = (event.y + self.scroll_offset.y) // self.row_height
        if 0 <= row < len(self._ids):
            self.cursor_row = row

    def on_focus(self) -> None:
        self.refresh_row(self.cursor_row)

    def on_blur(self) -> None:
        self.refresh_row(self.cursor_row)

    # -- drawing -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row, part = divmod(y + self.scroll_offset.y, self.row_height)
        base = self.visual_style.rich_style  # cached by Textual; rich_style walks the DOM
        if row >= len(self._ids):
            if not self._ids and self.empty:
                return self._empty_line(y, width, base)
            return Strip.blank(width, base)
        line = Text(no_wrap=True, overflow="ellipsis", style=base)
        cells, widths = self._cells(self._ids[row]), self.widths
        gap = " " if self.row_height > 1 else "  "
        for column in self.lines[part]:
            cell_width = widths[column]
            if not cell_width:  # a column with no room is left out
                continue
            cell = cells[column]
            cell.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append(gap if line else " ")
            line.append_text(cell)
        segments = list(line.render(self.app.console))
        if row == self.cursor_row:
            cursor = self.get_component_rich_style("case-table--cursor")
            over = Style(bgcolor=cursor.bgcolor, color=cursor.color, bold=cursor.bold)
            segments = list(Segment.apply_style(segments, post_style=over))
        return Strip(segments).crop_extend(0, width, base)

    def _empty_line(self, y: int, width: int, base: Style) -> Strip:
        lines = self.empty.wrap(self.app.console, max(1, width - 2))
        if y >= len(lines):
            return Strip.blank(width, base)
        line = Text(" ", style=base) + lines[y]
        return Strip(list(line.render(self.app.console))).crop_extend(0, width, base)


class CaseList(Vertical):
    """A filter box over a table of cases; posts :class:`CaseList.Highlighted` on moves."""

    class Highlighted(Message):
        def __init__(self, case_id: str | None) -> None:
            self.case_id = case_id
            super().__init__()

    filter_text: reactive[str] = reactive("")
    status_filter: reactive[StatusFilter] = reactive(StatusFilter.OPEN)
    whose: reactive[Whose] = reactive(Whose.EVERYONE)
    """Whose cases show: everyone's, mine (the ``agent`` setting), or no one's."""
    order: reactive[SortOrder] = reactive(SortOrder.FOLLOWUP)

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self.index = CaseIndex(now)
        """The cases listed, their order and what the filters admit; its status filter
        and order follow this list's."""
        self.index.status, self.index.order = self.status_filter, self.order
        self._shown: list[str] = []
        self._rows: dict[str, int] | None = {}
        self._short_next = False  # the Next column's short form, for a narrow list

    def compose(self) -> ComposeResult:
        yield SafeInput(placeholder="/ filter: id, customer, title, tag, note", id="filter")
        yield Static(id="case-table-header")
        yield CaseTable(self._cells, id="case-table")

    def on_mount(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = False
        # Filter as the value changes, in the same update as the key that changed it
        # (Input.Changed arrives a message hop later, after a frame of the box alone).
        self.watch(box, "value", self._filter_typed, init=False)
        self._draw_header()

    # -- data in -------------------------------------------------------------------
    @property
    def table(self) -> CaseTable:
        return self.query_one("#case-table", CaseTable)

    @property
    def selected_id(self) -> str | None:
        if not self.is_mounted:
            return None
        row = self.table.cursor_row
        if not self._shown or row < 0 or row >= len(self._shown):
            return None
        return self._shown[row]

    @property
    def shown_ids(self) -> Sequence[str]:
        """The ids of the cases in the table, top row first: what the filters admit, in
        the order asked for. Not to be changed through this."""
        return self._shown

    def set_cases(self, cases: Iterable[Case]) -> None:
        self.index.set_cases(cases)
        self.refresh_rows()

    def filter_warmer(self, between: Callable[[], None] = lambda: None) -> Callable[[], None]:
        """Work that makes the filter's first letter quick (:meth:`CaseIndex.warmer`),
        safe to run in a thread; ``between`` runs after each batch."""
        return self.index.warmer(between)

    def fill_in(self, cases: Mapping[str, Case], texts: Mapping[str, str] | None = None) -> None:
        """Whole cases in place of their heads, the same rows in the same places
        (:meth:`CaseIndex.fill_in`), the rows in view drawn again; :meth:`refilter`
        searches again once all are in."""
        self.index.fill_in(cases, texts)
        if self.is_mounted:
            self.table.refresh()  # a mark may differ once the timeline is known (waiting)

    def refilter(self) -> None:
        """Search again over the cases as they are now (every case whole): results kept
        from before may lack cases that only their notes match."""
        self.index.forget_matches(keep_unfiltered=True)
        if self.filter_text.strip():
            self.refresh_rows(keep=self.selected_id)

    def put_case(self, case: Case) -> None:
        """Add or replace one case: its row is redrawn, or moved if its place changed."""
        in_place = self.index.put(case, folded_needle(self.filter_text))
        row = self._row_of.get(case.id)
        if in_place and row is not None:
            self.table.refresh_row(row)
            return
        self.refresh_rows(keep=self.selected_id or case.id)

    def select(self, case_id: str) -> list[str] | None:
        """Move the cursor to a case, widening the filters if they hide it: None if there
        is no such case, else what was widened, in words (empty if nothing was)."""
        if case_id not in self.index:
            return None
        widened: list[str] = []
        if case_id not in self._row_of and self.filter_text.strip():
            widened.append(f"the filter “{visible(self.filter_text.strip())}” was cleared")
            self.clear_filter()
            self.refresh_rows(keep=case_id)
        if case_id not in self._row_of and self.whose is not Whose.EVERYONE:
            widened.append(f"the list shows everyone's cases, not only {self.whose.value}")
            self.whose = Whose.EVERYONE
            self.refresh_rows(keep=case_id)
        if case_id not in self._row_of:
            widened.append(f"the list shows all cases, not only {self.status_filter.label}")
            self.status_filter = StatusFilter.ALL
            self.refresh_rows(keep=case_id)
        self.table.move_cursor(row=self._row_of[case_id])
        return widened

    # -- drawing -------------------------------------------------------------------
    def watch_filter_text(self) -> None:
        self.refresh_rows()

    def watch_whose(self, whose: Whose) -> None:
        self.index.owner = whose.owner(settings_of(self).me) if self.is_mounted else None
        self.refresh_rows()

    def watch_status_filter(self, status: StatusFilter) -> None:
        self.index.status = status
        self.refresh_rows()

    def watch_order(self, order: SortOrder) -> None:
        """A new order starts at its top: the hottest case, the oldest, the next due (the
        case selected before could sit among the calmest, far down)."""
        self.index.order = order
        self.refresh_rows()
        if self.is_mounted and self._shown:
            self.table.move_cursor(row=0)

    @property
    def _row_of(self) -> dict[str, int]:
        """Row of each shown case, worked out when first asked for after a new filter."""
        if self._rows is None:
            self._rows = {case_id: row for row, case_id in enumerate(self._shown)}
        return self._rows

    def refresh_rows(self, keep: str | None = None) -> None:
        if not self.is_mounted:
            return
        keep = keep or self.selected_id
        needle = folded_needle(self.filter_text)
        shown = self.index.matching(needle)
        self._shown = shown
        self._rows = None
        summary = f"Cases · {len(shown)} of {len(self.index)}"
        if self.whose is not Whose.EVERYONE:  # before the status: at 80 columns both show
            summary += f" · {self.whose.value}"
        summary += f" · {self.status_filter.label}"
        summary += f" · by {self.order.value}"
        if needle:
            summary += f" · “{self.filter_text.strip()}”"
        self.border_title = Text(summary)
        try:
            row: int | None = shown.index(keep) if keep is not None else None
        except ValueError:
            row = None
        if row is None:  # the case left the list: stay at the same place in it
            row = min(max(self.table.cursor_row, 0), max(len(shown) - 1, 0))
        self.table.empty = Text() if shown else self._why_empty(needle)
        self.table.set_rows(shown, row)

    def _why_empty(self, needle: str) -> Text:
        """Why the list shows nothing, and what to press: the filters name what they
        leave out (a filter that finds nothing says whether other statuses hold a match)."""
        status = self.status_filter
        if not len(self.index):
            return Text("No cases yet. Press n to open one.", style="dim")
        if self.whose is not Whose.EVERYONE:
            return Text(
                f"None of {status.label} are {self.whose.value}"
                + (f" and match “{visible(self.filter_text.strip())}”" if needle else "")
                + ". Press w to show everyone's.",
                style="dim",
            )
        if not needle:
            return Text(f"No {status.label}. Press a to show the others.", style="dim")
        typed = self.filter_text.strip()
        text = Text(style="dim")
        if status is StatusFilter.ALL:
            text.append(f"No case matches “{visible(typed)}”. Press escape to clear the filter.")
        elif self.index.others_match(needle):
            text.append(
                f"Nothing among {status.label} matches “{visible(typed)}”, but cases of "
                "another status do: press a to show them."
            )
        else:
            text.append(
                f"No case matches “{visible(typed)}”, whatever its status. "
                "Press escape to clear the filter."
            )
        return text

    def _draw_header(self) -> None:
        table = self.table
        header = Text(no_wrap=True, overflow="ellipsis", style="bold")
        gap = " " if table.row_height > 1 else "  "
        for column in table.lines[0]:
            label, width = COLUMNS[column][0], table.widths[column]
            if width:
                shown = label if len(label) <= width else label[: width - 1] + "…"
                header.append((gap if header else " ") + shown.ljust(width))
        self.query_one("#case-table-header", Static).update(header)

    def on_resize(self) -> None:
        """Lay the columns out for the width the list has: one line a row when the title
        gets 40 cells beside the rest (the heat as a word, else as a mark), else two (the
        case, then its title under it)."""
        table = self.table
        widths = dict(zip(KEYS, (w for _, _, w in COLUMNS), strict=True))
        usable = self.size.width - 2  # the scroll bar
        narrow = self.size.width < 44
        # Next is never cut: "tomorrow 10:00" whole when there is room, else the short form
        # ("tmrw 10:00") whole, as wide as its longest value ("overdue 12d").
        self._short_next = narrow
        widths["next"] = SHORT_RELATIVE_WIDTH if narrow else 14

        def title_room(line: list[int]) -> int:
            """Cells left for the title on one line: two between cells, one in front."""
            others = [KEYS[column] for column in line if KEYS[column] != "title"]
            return usable - sum(widths[key] + 2 for key in others) - 1

        for lines in (ONE_LINE, ONE_LINE_MARKED):
            room = title_room(lines[0])
            if room >= ONE_LINE_TITLE:
                widths["title"] = room
                break
        else:
            # Two lines, one space between cells: id, heat mark, next, then the customer
            # takes what is left (the status too, from 60 cells); the title has the whole
            # second line after the ⌛ of a case waiting for its first contact.
            lines = TWO_LINES
            widths["status"] = 11 if usable >= 60 else 0
            first = [KEYS[column] for column in lines[0] if KEYS[column] != "customer"]
            fixed = sum(widths[key] + 1 for key in first if widths[key])
            widths["customer"] = max(4, usable - fixed - 1)
            widths["title"] = max(4, usable - widths["flag"] - 2)
        table.set_lines(lines)
        table.widths = [widths[key] for key in KEYS]
        self._draw_header()
        table.refresh()

    def _cells(self, case_id: str) -> list[Text]:
        case = self.index.case(case_id)
        now = self._now()
        nxt = case.next_followup
        overdue = nxt is not None and nxt.is_overdue(now)
        flag = Text(mark(case, settings_of(self).targets, now).value, style="bold")
        when = short_relative if self._short_next else relative
        next_text = Text(when(nxt.due, now) if nxt else "—")
        if overdue:
            next_text.stylize("bold reverse")
        return [
            Text.assemble(case.id, flag),
            Text(visible(case.customer)),
            next_text,
            Text(case.heat.label, style=_HEAT_STYLE[case.heat]),
            Text(visible(case.title)),
            Text(case.status.short),
            Text(age(case.opened_at, now)),
            Text(HEAT_MARKS[case.heat], style=_HEAT_STYLE[case.heat]),
            Text(case.id),
            flag,
        ]

    # -- events --------------------------------------------------------------------
    @on(CaseTable.RowHighlighted)
    def _highlighted(self, event: CaseTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.selected_id))

    def _filter_typed(self, value: str) -> None:
        self.filter_text = value

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # already applied by _filter_typed; event.value may be behind by now

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def open_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
