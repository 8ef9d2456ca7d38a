"""Close a case with an outcome; closing with steps still open needs an explicit yes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from workbench.domain.actions import ValidationError
from workbench.domain.model import Case, Outcome
from workbench.domain.text import visible
from workbench.ui.screens.base import (
    ChoiceRow,
    FormScreen,
    bullet_list,
    form_field,
    hint_line,
    line_input,
    set_hint,
)

OUTCOME_HINTS = {
    Outcome.RETAINED: "They stay with us, satisfied.",
    Outcome.RETAINED_WITH_CONCESSION: "They stay; we gave something to make it right.",
    Outcome.PARTED_WAYS: "A proper ending: not every customer is the right fit, and some are "
    "better served elsewhere.",
    Outcome.LOST: "They left unhappy. Note what we would do differently.",
}


@dataclass(frozen=True)
class CloseResult:
    outcome: Outcome
    note: str
    allow_open_steps: bool
    """True only when the agent ticked the box to close with steps still open."""
    satisfied: bool | None = None
    """Whether the customer was satisfied, as far as the agent can tell; None: can't tell."""


SATISFIED: tuple[tuple[str, str, bool | None], ...] = (
    ("satisfied-yes", "satisfied", True),
    ("satisfied-no", "not satisfied", False),
    ("satisfied-unknown", "can't tell", None),
)
"""Radio button id, its label, and what it records."""


class CloseScreen(FormScreen[CloseResult]):
    """How it ended, a closing line, and, when steps are open, a confirmation."""

    SAVE_LABEL = "Close case"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Close case"),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__(Content.assemble(f"Close {case.id}: ", (visible(case.title), "bold")))
        self.case = case
        self.open_steps = [visible(step.title) for step in case.open_steps]

    def compose_fields(self) -> ComposeResult:
        yield form_field(
            "Outcome",
            "outcome",
            RadioSet(
                *(RadioButton(outcome.label, id=outcome.value) for outcome in Outcome),
                id="outcome",
                compact=True,
            ),
            hint_line("outcome-hint"),
        )
        yield form_field(
            "Note",
            "note",
            line_input("note", placeholder="how it ended, in a line (optional)"),
        )
        yield form_field(
            "Customer",
            "satisfied",
            ChoiceRow(
                *(RadioButton(label, id=key) for key, label, _ in SATISFIED),
                id="satisfied",
                classes="-row",
                compact=True,
            ),
        )
        if self.open_steps:
            count = len(self.open_steps)
            still_open = f"{count} step{'' if count == 1 else 's'} still open"
            yield Static(
                Content(f"{still_open}:\n").append(bullet_list(self.open_steps)),
                id="open-steps",
                classes="warning",
            )
            yield form_field(
                "", "confirm", Checkbox(f"Close with {still_open}", id="confirm", compact=True)
            )

    @on(RadioSet.Changed, "#outcome")
    def _outcome_changed(self, event: RadioSet.Changed) -> None:
        self.clear_message("outcome")
        outcome = Outcome(event.pressed.id or "")
        set_hint(self.query_one("#outcome-hint", Static), OUTCOME_HINTS[outcome])

    @on(Checkbox.Changed, "#confirm")
    def _confirmed(self) -> None:
        self.clear_message("confirm")

    def collect(self) -> CloseResult:
        errors: dict[str, str] = {}
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        outcome = Outcome(pressed.id) if pressed is not None and pressed.id else None
        if outcome is None:
            errors["outcome"] = "Choose how the case ended."
        allow = bool(self.open_steps) and self.query_one("#confirm", Checkbox).value
        if self.open_steps and not allow:
            errors["confirm"] = "Tick the box to close with steps open, or finish them first."
        if outcome is None or errors:
            raise ValidationError(errors)
        note = self.query_one("#note", Input).value.strip()
        told = self.query_one("#satisfied", RadioSet).pressed_button
        satisfied = {key: value for key, _, value in SATISFIED}.get(told.id or "") if told else None
        return CloseResult(outcome=outcome, note=note, allow_open_steps=allow, satisfied=satisfied)
