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

from workbench.domain.customers import Customer, Relationship, relationship
from workbench.domain.model import Case
from workbench.domain.moments import age, opened_day, short_moment
from workbench.domain.text import visible


def customer_text(customer: Customer | None) -> Text:
    """The customer's own record: flags first, then company, contacts, the channel they
    prefer and the notes; empty when nothing is recorded."""
    text = Text()
    if customer is None:
        return text
    for flag in customer.flags:
        text.append(f"⚑ {visible(flag)}\n", style="bold")
    facts = [visible(customer.company)] if customer.company else []
    facts += [visible(contact) for contact in customer.contacts]
    if customer.channel is not None:
        facts.append(f"prefers {customer.channel.label}")
    if facts:
        text.append(" · ".join(facts) + "\n")
    if customer.notes:
        text.append(visible(customer.notes, one_line=False) + "\n", style="italic")
    return text


def record_text(rel: Relationship, customer: Customer | None = None) -> Text:
    """The customer's own record, then what was given, what is offered, what is promised:
    so nothing is given twice unknowingly and no promise is forgotten."""
    text = customer_text(customer)
    if rel.given:
        noun = "concession" if len(rel.given) == 1 else "concessions"
        text.append(f"Given: {rel.given_cost:.2f} in {len(rel.given)} {noun}", style="bold")
        for item in rel.given:
            text.append(f"\n  {item.case_id}  {visible(item.remedy.description)} ")
            text.append(f"({item.remedy.cost:.2f})", style="dim")
    else:
        text.append("Given: nothing yet", style="dim")
    for item in rel.offered:
        text.append(
            f"\nOffered, no answer yet: {item.case_id}  {visible(item.remedy.description)} "
        )
        text.append(f"({item.remedy.cost:.2f})", style="dim")
    for case_id, followup in rel.open_followups:
        text.append(
            f"\nPromised: {case_id} F{followup.id} {short_moment(followup.due)}  "
            f"{visible(followup.action)}"
        )
    if len(rel.spellings) > 1:
        spelled = ", ".join(f"“{visible(name)}”" for name in rel.spellings)
        text.append(f"\nWritten as {spelled}", style="dim")
    return text


class HistoryScreen(ModalScreen[str | None]):
    """Dismisses with the id of the case chosen with enter, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("H", "dismiss(None)", "Close"),
    ]

    def __init__(
        self, case: Case, cases: Sequence[Case], now: datetime, customer: Customer | None = None
    ) -> None:
        super().__init__()
        self._case = case
        self._cases = list(cases)
        self._now = now
        self._customer = customer

    def compose(self) -> ComposeResult:
        others = len(self._cases) - 1
        heading = Text.assemble(
            ("Customer history: ", "bold"),
            (visible(self._case.customer), "bold"),
            f"  ({others} other case{'s' if others != 1 else ''})",
        )
        with Vertical(id="history-box"):
            yield Static(heading, id="history-title")
            yield Static(
                record_text(relationship(self._cases, self._case.customer), self._customer),
                id="history-record",
            )
            table: DataTable[Text | str] = DataTable(id="history-table", cursor_type="row")
            yield table
            yield Static(
                Text("enter: go to that case · C on the list: their record · esc: close"),
                id="history-foot",
            )

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
