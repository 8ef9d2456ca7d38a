"""Every follow-up past its time and not done, oldest first: the promises at risk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from workbench.domain.model import Case, FollowUp
from workbench.domain.moments import age, short_moment
from workbench.domain.text import visible

_WHAT_MIN = 12
"""The "What to do" column is never narrower than this, however little room is left."""
_CUSTOMER_MIN = 8
"""Nor the customer's narrower than this, when a name is longer."""


@dataclass(frozen=True)
class OverdueRequest:
    """What the overdue view asks the main screen to do with the follow-up chosen."""

    case_id: str
    followup_id: int
    complete: bool = False
    """True (``d``): mark it done, as ``d`` does on the main screen; False (enter): go to
    its case and day."""


class OverdueScreen(ModalScreen[OverdueRequest | None]):
    """Dismisses with an :class:`OverdueRequest` for the highlighted line (enter or ``d``)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("O", "dismiss(None)", "Close"),
        Binding("d", "complete", "Follow-up done"),
    ]

    def __init__(self, rows: Sequence[tuple[Case, FollowUp]], now: datetime) -> None:
        super().__init__()
        self._rows = list(rows)
        self._now = now
        self._widths: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        count = len(self._rows)
        heading = (
            f"Overdue follow-ups: {count}, oldest first"
            if count
            else "No follow-up is overdue. Every promise is on time."
        )
        with Vertical(id="overdue-box"):
            yield Static(Text(heading, style="bold"), id="overdue-title")
            table: DataTable[Text] = DataTable(id="overdue-table", cursor_type="row")
            yield table
            yield Static(
                Text("enter: go to the case · d: done · esc: close"),
                id="overdue-foot",
            )

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.call_after_refresh(self._fill)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """The lines, "What to do" as wide as the room the other columns leave, its text
        ended with "…" when it is longer; on a narrow screen (60 columns) without the due
        time, which "Late by" stands for, so that what to do still shows."""
        table = self.query_one(DataTable)
        rows = [
            (
                short_moment(item.due),
                age(item.due, self._now),
                f"{case.id} F{item.id}",
                visible(case.customer),
                visible(item.action),
                f"{case.id}/{item.id}",
            )
            for case, item in self._rows
        ]
        headings = ["Due", "Late by", "Case", "Customer"]
        fixed = [
            max([cell_len(heading), *(cell_len(row[n]) for row in rows)])
            for n, heading in enumerate(headings)
        ]
        padding = 2 * table.cell_padding
        # What the columns' padding, the first three and the scroll bar leave, for the
        # customer (up to half of it) and what to do (the rest); both end with "…" if longer.
        width = table.size.width - table.styles.gutter.width
        if len(rows) + 1 > table.size.height:  # the heading and the lines: a scroll bar
            width -= table.styles.scrollbar_size_vertical
        rest = width - 5 * padding - sum(fixed[:3])
        due_shown = rest >= _CUSTOMER_MIN + _WHAT_MIN
        if not due_shown:  # narrow: "Late by" says it; what to do keeps its room
            rest += fixed[0] + padding
            headings[0], fixed[0] = "", 0
        fixed[3] = min(fixed[3], max(_CUSTOMER_MIN, rest // 2))
        what = max(_WHAT_MIN, rest - fixed[3])
        if (what, *fixed) == self._widths:
            return
        self._widths = (what, *fixed)
        key = table.cursor_row
        table.clear(columns=True)
        for heading, width in zip(headings, fixed, strict=True):
            if width:
                table.add_column(heading, width=width)
        table.add_column("What to do", width=what)
        for due, late, case_ref, customer, action, row_key in rows:
            cells = [
                Text(late, style="bold"),
                Text(case_ref),
                Text(customer, no_wrap=True, overflow="ellipsis"),
                Text(action, no_wrap=True, overflow="ellipsis"),
            ]
            if due_shown:
                cells.insert(0, Text(due))
            table.add_row(*cells, key=row_key)
        if rows:
            table.move_cursor(row=min(max(key, 0), len(rows) - 1))

    def _request(self, row: int, *, complete: bool) -> OverdueRequest | None:
        table = self.query_one(DataTable)
        if not 0 <= row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key
        case_id, _, number = str(key.value).partition("/")
        return OverdueRequest(case_id, int(number), complete)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self._request(event.cursor_row, complete=False))

    def action_complete(self) -> None:
        """Mark the highlighted follow-up done: the main screen asks for the outcome."""
        request = self._request(self.query_one(DataTable).cursor_row, complete=True)
        if request is not None:
            self.dismiss(request)
