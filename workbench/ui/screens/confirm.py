"""Ask a yes/no question: y or n, or the buttons; escape backs out without an answer."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Static

from workbench.ui.screens.base import DialogScreen, plain


class ConfirmScreen(DialogScreen[bool]):
    """True for yes, False for no, None when escaped. "No" has the focus: the safe answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(None)
        self.question = question
        self.yes = yes
        self.no = no

    def compose_dialog(self) -> ComposeResult:
        yield Static(plain(self.question), classes="dialog-question")
        with Horizontal(classes="form-buttons"):
            yield Button(plain(self.yes), id="yes", variant="primary", compact=True)
            yield Button(plain(self.no), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)
