"""Mark a follow-up done, with what came of it in a line (optional)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from workbench.ui.screens.base import FormScreen, form_field, line_input


class FollowUpDoneScreen(FormScreen[str]):
    """Enter saves at once; the note may stay empty."""

    SAVE_LABEL = "Done"

    def __init__(self, what: Content) -> None:
        super().__init__("Follow-up done")
        self.what = what

    def compose_intro(self) -> ComposeResult:
        yield Static(self.what, classes="dialog-hint")

    def compose_fields(self) -> ComposeResult:
        yield form_field(
            "Outcome", "outcome", line_input("outcome", "", "what came of it (optional)")
        )

    def collect(self) -> str:
        return self.query_one("#outcome", Input).value.strip()
