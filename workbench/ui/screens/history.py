"""Customer history: every case of the selected case's customer, newest first."""

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

from workbench.domain.model import Case
from workbench.domain.moments import age, opened_day
from workbench.domain.text import visible


class HistoryScreen(ModalScreen[str | None]):
    """Dismisses with the id of the case chosen with enter, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("H", "dismiss(None)", "Close"),
    ]

    def __init__(self, case: Case, cases: Sequence[Case], now: datetime) -> None:
        super().__init__()
        self._case = case
        self._cases = list(cases)
        self._now = now

    def compose(self) -> ComposeResult:
        others = len(self._cases) - 1
        heading = Text.assemble(
            ("Customer history: ", "bold"),
            (visible(self._case.customer), "bold"),
            f"  ({others} other case{'s' if others != 1 else ''})",
        )
        with Vertical(id="history-box"):
            yield Static(heading, id="history-title")
            table: DataTable[Text | str] = DataTable(id="history-table", cursor_type="row")
            yield table
            yield Static(Text("enter: go to that case · esc: close"), id="history-foot")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("ID", "Opened", "Status", "Outcome", "Title")
        for case in self._cases:
            marker = "▶ " if case.id == self._case.id else ""
            table.add_row(
                Text(marker + case.id),
                Text(f"{opened_day(case.opened_at)} ({age(case.opened_at, self._now)})"),
                Text(case.status.label),
                Text(case.outcome.label if case.outcome else "—"),
                Text(visible(case.title)),
                key=case.id,
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)
