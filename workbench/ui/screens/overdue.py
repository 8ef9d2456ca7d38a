"""Every follow-up past its time and not done, oldest first: the promises at risk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from workbench.domain.model import Case, FollowUp
from workbench.domain.moments import age, short_moment
from workbench.domain.text import visible


class OverdueScreen(ModalScreen[tuple[str, int] | None]):
    """Dismisses with (case id, follow-up id) of the line chosen with enter."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("O", "dismiss(None)", "Close"),
    ]

    def __init__(self, rows: Sequence[tuple[Case, FollowUp]], now: datetime) -> None:
        super().__init__()
        self._rows = list(rows)
        self._now = now

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
            yield Static(Text("enter: go to the case · esc: close"), id="overdue-foot")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Due", "Late by", "Case", "Customer", "What to do")
        for case, item in self._rows:
            table.add_row(
                Text(short_moment(item.due)),
                Text(age(item.due, self._now), style="bold"),
                Text(f"{case.id} F{item.id}"),
                Text(visible(case.customer)),
                Text(visible(item.action)),
                key=f"{case.id}/{item.id}",
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        case_id, _, number = str(event.row_key.value).partition("/")
        self.dismiss((case_id, int(number)))
