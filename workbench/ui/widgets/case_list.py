"""The case list (left pane): every case in a table, filtered as you type, sorted as asked.

The table draws only the rows on screen (Textual's line API), so 50,000 cases cost no
more to show than 50. What filtering and sorting need is kept per case and reused:
the text the filter looks in and the sort key are worked out once per version of a case,
the sorted order is kept and a changed case is moved within it, and a filter only walks
that order. Nothing here reads the disk.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
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

from workbench.domain.actions import needs_first_contact
from workbench.domain.dates import age, relative
from workbench.domain.model import Case, Heat, Status
from workbench.domain.search import SortOrder, search_text, sort_key
from workbench.domain.search import needle as folded_needle
from workbench.domain.text import visible
from workbench.ui.configured import settings_of
from workbench.ui.widgets.safe_input import SafeInput
from workbench.ui.widgets.steady import SteadyScrollBars


class StatusFilter(StrEnum):
    """Quick filters, cycled with a key."""

    OPEN = "open"
    ALL = "all"
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"

    def admits(self, case: Case) -> bool:
        if self is StatusFilter.OPEN:
            return case.status.is_open
        if self is StatusFilter.ALL:
            return True
        return case.status.value == self.value

    @property
    def label(self) -> str:
        if self in (StatusFilter.OPEN, StatusFilter.ALL):
            return f"{self.value} cases"
        return Status(self.value).label


COLUMNS = (
    ("ID", "id", 8),
    ("Customer", "customer", 14),
    ("Next", "next", 12),
    ("Heat", "heat", 7),
    ("Title", "title", 24),
    ("Status", "status", 11),
    ("Age", "age", 4),
)

_HEAT_STYLE = {Heat.CALM: "", Heat.UPSET: "bold", Heat.FURIOUS: "bold reverse"}


KEPT_MATCHES = 64
"""Filter texts whose results are kept (each a list of ids)."""
KEPT_ENTRIES = 6
"""Of those, how many keep their entries beside them (the text being typed and the ones
before it; each up to 400 KB of references at 50,000 cases)."""

WARM_BATCH = 500
"""Search texts worked out at a time in the background (about 4 ms of work)."""
WARM_PAUSE = 0.004


@dataclass(eq=False, slots=True)
class _Entry:
    """What the list keeps per version of a case."""

    case: Case
    key: tuple[object, ...]
    _haystack: str | None = None

    @property
    def haystack(self) -> str:
        """The text the filter looks in, worked out the first time a filter needs it."""
        if self._haystack is None:
            self._haystack = search_text(self.case)
        return self._haystack


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
        size = Size(0, len(ids))
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
        line = row - self.scroll_offset.y
        if 0 <= line < self.size.height:
            self.refresh(Region(0, line, self.size.width, 1))

    # -- cursor --------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._ids) - 1)) if self._ids else -1

    def watch_cursor_row(self, old: int, new: int) -> None:
        if new >= 0:
            top = self.scroll_offset.y
            height = max(1, self.scrollable_content_region.height)
            if new < top:
                self.scroll_to(y=new, animate=False, immediate=True)
            elif new >= top + height:
                self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh_row(old)
        self.refresh_row(new)
        self.post_message(self.RowHighlighted(new))

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor_row += max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._ids) - 1

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._ids):
            self.cursor_row = row

    def on_focus(self) -> None:
        self.refresh_row(self.cursor_row)

    def on_blur(self) -> None:
        self.refresh_row(self.cursor_row)

    # -- drawing -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = y + self.scroll_offset.y
        base = self.visual_style.rich_style  # cached by Textual; rich_style walks the DOM
        if row >= len(self._ids):
            return Strip.blank(width, base)
        line = Text(no_wrap=True, overflow="ellipsis", style=base)
        for cell, cell_width in zip(self._cells(self._ids[row]), self.widths, strict=True):
            if not cell_width:  # a column with no room is left out
                continue
            cell.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(cell)
            line.append(" ")
        segments = list(line.render(self.app.console))
        if row == self.cursor_row:
            cursor = self.get_component_rich_style("case-table--cursor")
            over = Style(bgcolor=cursor.bgcolor, color=cursor.color, bold=cursor.bold)
            segments = list(Segment.apply_style(segments, post_style=over))
        return Strip(segments).crop_extend(0, width, base)


class CaseList(Vertical):
    """A filter box over a table of cases; posts :class:`CaseList.Highlighted` on moves."""

    class Highlighted(Message):
        def __init__(self, case_id: str | None) -> None:
            self.case_id = case_id
            super().__init__()

    filter_text: reactive[str] = reactive("")
    status_filter: reactive[StatusFilter] = reactive(StatusFilter.OPEN)
    order: reactive[SortOrder] = reactive(SortOrder.FOLLOWUP)

    def __init__(self, now: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self._entries: dict[str, _Entry] = {}
        self._sorted: list[tuple[tuple[object, ...], str]] = []
        self._sorted_by: SortOrder | None = None
        self._shown: list[str] = []
        self._rows: dict[str, int] | None = {}
        self._matches: dict[str, list[str]] = {}
        """Ids shown per filter text (folded: case and accents set aside), in order:
        typing one more letter filters what the text before it showed, and backspace
        finds its list again. Emptied whenever a case, the order or the status filter
        changes."""
        self._match_entries: dict[str, list[_Entry]] = {}
        """For the unfiltered list and the last few filter texts: their entries, in the
        same order, so the next letter's search runs down a list of them instead of
        looking each id up (a third of the time at 50,000 cases). Entries are filled in
        place, so whole cases coming in leave these lists right."""

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

    def set_cases(self, cases: Iterable[Case]) -> None:
        order = self.order
        key = sort_key(order, self._now())
        self._entries = {case.id: _Entry(case, key(case)) for case in cases}
        self._sorted = sorted((entry.key, case_id) for case_id, entry in self._entries.items())
        self._sorted_by = order
        self._forget_matches()
        self.refresh_rows()

    def filter_warmer(self, between: Callable[[], None] = lambda: None) -> Callable[[], None]:
        """Work that makes the filter's first letter quick: every case's search text.

        Returns a function over the cases listed now, safe to run in a thread while the
        screen goes on (an entry replaced meanwhile just builds its own text later). At
        50,000 cases building the texts takes about 0.4 s; left to the first letter
        typed into the filter, that letter would wait for it. ``between`` runs after each
        batch (the screen waits there while keys are coming in).
        """
        entries = list(self._entries.values())

        def warm() -> None:
            for start in range(0, len(entries), WARM_BATCH):
                for entry in entries[start : start + WARM_BATCH]:
                    entry.haystack  # noqa: B018 (worked out and kept by the property)
                # Let go of the interpreter between batches: a key pressed meanwhile
                # waits a few milliseconds, not for all of it.
                time.sleep(WARM_PAUSE)
                between()

        return warm

    def fill_in(self, cases: Mapping[str, Case], texts: Mapping[str, str] | None = None) -> None:
        """Whole cases in place of their heads (the same versions, so the same rows in the
        same places). ``texts``: their filter texts, if already worked out (``search_text``).

        Only what the filter looks in grows (the notes). Results kept for filter texts
        stay as the heads gave them (typing stays quick while whole cases come in, in
        the first seconds); :meth:`refilter`, once all are in, searches again.
        """
        texts = texts or {}
        for case_id, case in cases.items():
            entry = self._entries.get(case_id)
            if entry is not None:  # filled in place: lists of entries kept stay right
                entry.case = case
                entry._haystack = texts.get(case_id)

    def refilter(self) -> None:
        """Search again over the cases as they are now (every case whole): results kept
        from before may lack cases that only their notes match."""
        self._forget_matches(keep_unfiltered=True)
        if self.filter_text.strip():
            self.refresh_rows(keep=self.selected_id)

    def put_case(self, case: Case) -> None:
        """Add or replace one case: its row is redrawn, or moved if its place changed."""
        order = self.order
        old = self._entries.get(case.id)
        entry = self._entry(case, order)
        self._entries[case.id] = entry
        admits = self.status_filter.admits
        if not (
            old is not None
            and old.key == entry.key
            and admits(old.case) == admits(case)
            and old.haystack == entry.haystack
        ):  # the kept results may have changed (a ticked step usually changes none)
            self._forget_matches()
        if self._sorted_by is order:
            if old is not None:
                index = bisect.bisect_left(self._sorted, (old.key, case.id))
                if index < len(self._sorted) and self._sorted[index][1] == case.id:
                    del self._sorted[index]
                else:  # not where it should be: rebuild the order rather than guess
                    self._sorted_by = None
            if self._sorted_by is order:
                bisect.insort(self._sorted, (entry.key, case.id))
        row = self._row_of.get(case.id)
        if (
            old is not None
            and row is not None
            and old.key == entry.key
            and self._admits(old)
            and self._admits(entry)
        ):
            self.table.refresh_row(row)
            return
        self.refresh_rows(keep=self.selected_id or case.id)

    def select(self, case_id: str) -> bool:
        """Move the cursor to a case, widening the filters if it is hidden."""
        if case_id not in self._entries:
            return False
        if case_id not in self._row_of:
            self.filter_text = ""
            self.status_filter = StatusFilter.ALL
            self.refresh_rows(keep=case_id)
        self.table.move_cursor(row=self._row_of[case_id])
        return True

    def _entry(self, case: Case, order: SortOrder) -> _Entry:
        return _Entry(case, sort_key(order, self._now())(case))

    def _admits(self, entry: _Entry) -> bool:
        needle = folded_needle(self.filter_text)
        return self.status_filter.admits(entry.case) and (not needle or needle in entry.haystack)

    # -- drawing -------------------------------------------------------------------
    def watch_filter_text(self) -> None:
        self.refresh_rows()

    def watch_status_filter(self) -> None:
        self._forget_matches()
        self.refresh_rows()

    def watch_order(self) -> None:
        self._forget_matches()
        self.refresh_rows()

    def _forget_matches(self, *, keep_unfiltered: bool = False) -> None:
        unfiltered = self._matches.get("")
        entries = self._match_entries.get("")
        self._matches.clear()
        self._match_entries.clear()
        if keep_unfiltered and unfiltered is not None:
            self._matches[""] = unfiltered
            if entries is not None:
                self._match_entries[""] = entries

    @property
    def _row_of(self) -> dict[str, int]:
        """Row of each shown case, worked out when first asked for after a new filter."""
        if self._rows is None:
            self._rows = {case_id: row for row, case_id in enumerate(self._shown)}
        return self._rows

    def _sorted_ids(self) -> list[tuple[tuple[object, ...], str]]:
        order = self.order
        if self._sorted_by is not order:
            key = sort_key(order, self._now())
            for entry in self._entries.values():
                entry.key = key(entry.case)
            self._sorted = sorted((entry.key, case_id) for case_id, entry in self._entries.items())
            self._sorted_by = order
        return self._sorted

    def refresh_rows(self, keep: str | None = None) -> None:
        if not self.is_mounted:
            return
        keep = keep or self.selected_id
        needle = folded_needle(self.filter_text)
        shown = self._matching(needle)
        self._shown = shown
        self._rows = None
        summary = f"Cases · {len(shown)} of {len(self._entries)} · {self.status_filter.label}"
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
        self.table.set_rows(shown, row)

    def _matching(self, needle: str) -> list[str]:
        """The ids of the cases the filters admit, in order (``needle`` folded, as
        :func:`~workbench.domain.search.needle` gives it)."""
        found = self._matches.get(needle)
        if found is not None:
            return found
        if len(self._matches) >= KEPT_MATCHES:
            self._forget_matches(keep_unfiltered=True)
        entries = self._entries
        if not needle:
            admits = self.status_filter.admits
            ids = [case_id for _, case_id in self._sorted_ids()]
            listed = [entries[case_id] for case_id in ids]
            admitted = [admits(entry.case) for entry in listed]
            found = list(itertools.compress(ids, admitted))
            self._keep_entries("", list(itertools.compress(listed, admitted)))
        else:
            # What a shorter start of this text showed holds everything this one shows.
            start = next(
                (needle[:n] for n in range(len(needle) - 1, 0, -1) if needle[:n] in self._matches),
                "",
            )
            within = self._matching(start)
            kept = self._match_entries.get(start)
            if kept is None:
                kept = [entries[case_id] for case_id in within]
                self._keep_entries(start, kept)
            # _haystack, not the property: a third quicker; a text not worked out yet
            # (None) is worked out by the property.
            hits = [needle in (entry._haystack or entry.haystack) for entry in kept]
            found = list(itertools.compress(within, hits))
            self._keep_entries(needle, list(itertools.compress(kept, hits)))
        self._matches[needle] = found
        return found

    def _keep_entries(self, needle: str, entries: list[_Entry]) -> None:
        self._match_entries.pop(needle, None)
        self._match_entries[needle] = entries  # newest last; the unfiltered list stays
        while len(self._match_entries) > KEPT_ENTRIES + 1:
            oldest = next(text for text in self._match_entries if text)
            del self._match_entries[oldest]

    def _draw_header(self) -> None:
        header = Text(no_wrap=True, overflow="ellipsis", style="bold")
        for (label, _, _), width in zip(COLUMNS, self.table.widths, strict=True):
            if width:
                shown = label if len(label) <= width else label[: width - 1] + "…"
                header.append(" " + shown.ljust(width) + " ")
        self.query_one("#case-table-header", Static).update(header)

    def on_resize(self) -> None:
        """Give the title whatever width the fixed columns leave."""
        table = self.table
        widths = dict(zip((key for _, key, _ in COLUMNS), (w for _, _, w in COLUMNS), strict=True))
        usable = self.size.width - 2  # the scroll bar
        narrow = self.size.width < 44  # a narrow pane keeps id, customer and next in view
        widths["next"] = 12 if narrow else 14  # "tomorrow 10:00" whole when there is room
        if narrow:  # the customer takes what id and next leave; heat waits for more room
            widths["customer"] = max(4, usable - (widths["id"] + 2) - (widths["next"] + 2) - 2)
            widths["heat"] = 0
        else:
            widths["customer"] = 14
        before = sum(widths[key] + 2 for key in ("id", "customer", "next", "heat"))
        after = widths["status"] + 2 + widths["age"] + 2
        room = usable - before - 2  # the title's margins
        if room - after >= 24:  # wide enough for everything: the title takes what is left
            room -= after
        else:  # status and age give way to the title
            widths["status"] = widths["age"] = 0
        if room < 6 or narrow:  # too narrow for a useful title
            widths["title"] = 0
        else:
            widths["title"] = room
        table.widths = [widths[key] for _, key, _ in COLUMNS]
        self._draw_header()
        table.refresh()

    def _cells(self, case_id: str) -> list[Text]:
        case = self._entries[case_id].case
        now = self._now()
        nxt = case.next_followup
        overdue = nxt is not None and nxt.is_overdue(now)
        waiting_contact = needs_first_contact(case, now, settings_of(self).dont_wait)
        flag = Text("⌛", style="bold") if waiting_contact else Text(" ")
        next_text = Text(relative(nxt.due, now) if nxt else "—")
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
