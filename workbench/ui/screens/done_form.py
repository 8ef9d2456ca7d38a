"""Mark a follow-up done: what came of it in a line, and how it stands (both optional)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, RadioButton, RadioSet, Static

from workbench.domain.model import Resolution
from workbench.ui.screens.base import ChoiceRow, FormScreen, form_field, line_input


@dataclass(frozen=True)
class DoneResult:
    note: str
    result: Resolution | None
    """How it stands as the customer said; None when not asked or not chosen."""


class FollowUpDoneScreen(FormScreen[DoneResult]):
    """Enter saves at once; the note and how it stands may both stay empty."""

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
        yield form_field(
            "Stands",
            "result",
            ChoiceRow(
                *(RadioButton(result.label, id=result.value) for result in Resolution),
                id="result",
                classes="-row",
                compact=True,
            ),
            Static("Is it put right? (optional; ← → choose)", classes="field-hint"),
        )

    def collect(self) -> DoneResult:
        pressed = self.query_one("#result", RadioSet).pressed_button
        result = Resolution(pressed.id) if pressed is not None and pressed.id else None
        return DoneResult(self.query_one("#outcome", Input).value.strip(), result)
