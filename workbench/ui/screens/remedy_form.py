"""Record the remedy offered: what, what it costs us, and the customer's answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, Select, Static

from workbench.domain.actions import ValidationError, parse_cost
from workbench.domain.model import Remedy
from workbench.domain.text import visible
from workbench.ui.screens.base import (
    ChoiceRow,
    FittedSelect,
    FormScreen,
    form_field,
    line_input,
    plain,
)

ANSWERS: tuple[tuple[str, str, bool | None], ...] = (
    ("accepted", "accepted", True),
    ("declined", "declined", False),
    ("awaiting", "awaiting answer", None),
)
"""Radio button id, its label, and the answer it records."""


@dataclass(frozen=True)
class RemedyResult:
    description: str
    cost: Decimal
    accepted: bool | None
    """None while the customer has not answered."""


class RemedyScreen(FormScreen[RemedyResult]):
    """What we offered to make it right; its cost is checked as an amount. The case's
    playbook's alternatives are offered as choices: one chosen is put in "Offered", to
    say as it is or to change. They come last, so the keys through the form stay as they
    were: what, cost, answer."""

    def __init__(self, current: Remedy | None, alternatives: Sequence[str] = ()) -> None:
        super().__init__("Record the remedy")
        self.current = current
        self.alternatives = tuple(alternatives)

    def compose_intro(self) -> ComposeResult:
        yield Static(
            plain("Weigh what the remedy costs against what losing the customer would cost."),
            classes="dialog-hint",
        )

    def compose_fields(self) -> ComposeResult:
        current = self.current
        answer = current.accepted if current else None
        yield form_field(
            "Offered",
            "description",
            line_input(
                "description", visible(current.description) if current else "", "what we offered"
            ),
        )
        yield form_field(
            "Cost",
            "cost",
            line_input("cost", f"{current.cost:.2f}" if current else "", "0.00"),
        )
        yield form_field(
            "Answer",
            "answer",
            ChoiceRow(
                *(
                    RadioButton(label, value=value is answer, id=key)
                    for key, label, value in ANSWERS
                ),
                id="answer",
                classes="-row",
                compact=True,
            ),
        )
        if self.alternatives:
            yield form_field(
                "Ideas",
                "ideas",
                FittedSelect(
                    [(Text(visible(other)), other) for other in self.alternatives],
                    prompt="what the playbook suggests offering",
                    id="ideas",
                    compact=True,
                ),
            )

    @on(Select.Changed, "#ideas")
    def _idea_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            offered = self.query_one("#description", Input)
            offered.value = event.value
            offered.cursor_position = len(event.value)

    def collect(self) -> RemedyResult:
        errors: dict[str, str] = {}
        description = self.query_one("#description", Input).value.strip()
        if self.current is not None and description == visible(self.current.description):
            description = self.current.description  # left as shown: the text as stored
        if not description:
            errors["description"] = "Say what was offered."
        cost = Decimal(0)
        try:
            cost = parse_cost(self.query_one("#cost", Input).value)
        except ValidationError as invalid:
            errors.update(invalid.errors)
        if errors:
            raise ValidationError(errors)
        pressed = self.query_one("#answer", RadioSet).pressed_button
        answers = {key: value for key, _label, value in ANSWERS}
        accepted = answers.get(pressed.id or "") if pressed is not None else None
        return RemedyResult(description, cost, accepted)
