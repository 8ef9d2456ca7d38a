"""Move a case along: new, in progress, waiting on customer, resolved. Closing has its own form."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.domain.actions import ValidationError
from workbench.domain.model import Status
from workbench.ui.screens.base import FormScreen, message_line

CHOICES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED)


class StatusScreen(FormScreen[Status]):
    """A short list with the current status highlighted; enter picks."""

    SAVE_LABEL = "Set status"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Set status"),
    ]

    def __init__(self, current: Status) -> None:
        super().__init__(f"Set status (now: {current.label})")
        self.current = current

    def compose_fields(self) -> ComposeResult:
        options = [
            Option(
                Content.assemble(status.label, (" · now", "dim") if status is self.current else ""),
                id=status.value,
            )
            for status in CHOICES
        ]
        yield OptionList(*options, id="status", compact=True)
        yield message_line("status")

    def on_mount(self) -> None:
        statuses = self.query_one("#status", OptionList)
        if self.current in CHOICES:
            statuses.highlighted = CHOICES.index(self.current)
        statuses.focus()

    @on(OptionList.OptionSelected, "#status")
    def _picked(self) -> None:
        self.action_save()

    def collect(self) -> Status:
        statuses = self.query_one("#status", OptionList)
        if statuses.highlighted is None:
            raise ValidationError({"status": "Choose a status."})
        return CHOICES[statuses.highlighted]
