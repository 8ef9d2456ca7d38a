"""The case list (left pane): every case in a table, filtered as you type, sorted as asked."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from workbench.domain.actions import needs_first_contact
from workbench.domain.dates import age, relative
from workbench.domain.model import Case, Heat, Status
from workbench.domain.search import SortOrder, matches, sort_key
from workbench.domain.text import visible
from workbench.ui.widgets.safe_input import SafeInput


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
    ("ID", "id", 7),
    ("Customer", "customer", 14),
    ("Next", "next", 12),
    ("Heat", "heat", 7),
    ("Title", "title", 24),
    ("Status", "status", 11),
    ("Age", "age", 4),
)

_HEAT_STYLE = {Heat.CALM: "", Heat.UPSET: "bold", Heat.FURIOUS: "bold reverse"}


@dataclass
class _View:
    filter_text: str = ""
    status: StatusFilter = StatusFilter.OPEN
    order: SortOrder = SortOrder.FOLLOWUP


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
        self._cases: dict[str, Case] = {}
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        yield SafeInput(placeholder="/ filter: id, customer, title, tag, note", id="filter")
        table: DataTable[Text | str] = DataTable(id="case-table", cursor_type="row")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        self.query_one("#filter", Input).display = False

    # -- data in -------------------------------------------------------------------
    @property
    def table(self) -> DataTable[Text | str]:
        return self.query_one("#case-table", DataTable)

    @property
    def selected_id(self) -> str | None:
        table = self.table
        if not self._shown or table.cursor_row < 0 or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def set_cases(self, cases: Iterable[Case]) -> None:
        self._cases = {case.id: case for case in cases}
        self.refresh_rows()

    def put_case(self, case: Case) -> None:
        """Add or replace one case and redraw."""
        self._cases[case.id] = case
        self.refresh_rows(keep=self.selected_id or case.id)

    def select(self, case_id: str) -> bool:
        """Move the cursor to a case, widening the filters if it is hidden."""
        if case_id not in self._cases:
            return False
        if case_id not in self._shown:
            self.filter_text = ""
            self.status_filter = StatusFilter.ALL
            self.refresh_rows(keep=case_id)
        self.table.move_cursor(row=self._shown.index(case_id))
        return True

    # -- drawing -------------------------------------------------------------------
    def watch_filter_text(self) -> None:
        self.refresh_rows()

    def watch_status_filter(self) -> None:
        self.refresh_rows()

    def watch_order(self) -> None:
        self.refresh_rows()

    def refresh_rows(self, keep: str | None = None) -> None:
        if not self.is_mounted:
            return
        keep = keep or self.selected_id
        now = self._now()
        needle = self.filter_text.strip().casefold()
        chosen = [
            case
            for case in self._cases.values()
            if self.status_filter.admits(case) and matches(case, needle)
        ]
        chosen.sort(key=sort_key(self.order, now))
        self._shown = [case.id for case in chosen]
        table = self.table
        table.clear()
        table.add_rows([self._row(case, now) for case in chosen])
        summary = f"Cases · {len(chosen)} of {len(self._cases)} · {self.status_filter.label}"
        summary += f" · by {self.order.value}"
        if needle:
            summary += f" · “{self.filter_text.strip()}”"
        self.border_title = Text(summary)
        if keep in self._shown:
            table.move_cursor(row=self._shown.index(keep), animate=False)
        self.post_message(self.Highlighted(self.selected_id))

    def on_resize(self) -> None:
        """Give the title whatever width the fixed columns leave."""
        table = self.table
        narrow = self.size.width < 44  # a narrow pane keeps id, customer and next in view
        customer = table.columns.get(ColumnKey("customer"))
        if customer is not None:
            customer.width = 9 if narrow else 14
        upcoming = table.columns.get(ColumnKey("next"))
        if upcoming is not None:
            upcoming.width = 12 if narrow else 14  # "tomorrow 10:00" whole when there is room
        widths = {
            key: (column.width if column is not None else width) + 2
            for _, key, width in COLUMNS
            for column in [table.columns.get(ColumnKey(key))]
        }
        before = sum(widths[key] for key in ("id", "customer", "next", "heat"))
        after = widths["status"] + widths["age"]
        room = table.size.width - before - 2
        if room - after >= 24:  # wide enough for everything: the title takes what is left
            room -= after
        title = table.columns.get(ColumnKey("title"))
        if title is not None:
            title.width = max(12, room)
            title.auto_width = False
        table.refresh()

    def _row(self, case: Case, now: datetime) -> list[Text | str]:
        nxt = case.next_followup
        overdue = nxt is not None and nxt.is_overdue(now)
        waiting_contact = needs_first_contact(case, now)
        flag = Text("⌛", style="bold") if waiting_contact else Text(" ")
        next_text = Text(relative(nxt.due, now) if nxt else "—")
        if overdue:
            next_text.stylize("bold reverse")
        return [
            Text.assemble(case.id, flag),
            Text(visible(case.customer), overflow="ellipsis", no_wrap=True),
            next_text,
            Text(case.heat.label, style=_HEAT_STYLE[case.heat]),
            Text(visible(case.title), overflow="ellipsis", no_wrap=True),
            Text(case.status.short),
            Text(age(case.opened_at, now)),
        ]

    # -- events --------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#case-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.selected_id))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value

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
        self.table.focus()
