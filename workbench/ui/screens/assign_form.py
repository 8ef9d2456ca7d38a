"""Give the selected case to an agent: a name (suggested as you type from the agents who
have cases), "me" for oneself, or nothing for no one."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from workbench.domain.agents import named
from workbench.domain.text import visible
from workbench.ui.screens.base import FormScreen, form_field, line_input, plain


class AssignScreen(FormScreen[str]):
    """Dismisses with the new owner's name, or "" for no one; escape leaves it as it was."""

    def __init__(self, case_id: str, owner: str, me: str, agents: Iterable[str]) -> None:
        super().__init__(f"Assign {case_id}")
        self.owner = owner
        self.me = me
        self.known = sorted({me, *agents} - {""}, key=str.casefold)

    def compose_intro(self) -> ComposeResult:
        who = f"It is {visible(self.owner)}'s now." if self.owner else "No one has it now."
        yield Static(
            plain(
                f"{who} Type an agent's name (→ takes the one suggested as you type), "
                f"“me” for yourself ({visible(self.me)}), or clear the field for no one."
            ),
            classes="dialog-hint",
        )

    def compose_fields(self) -> ComposeResult:
        field = line_input("agent", self.owner, placeholder="no one")
        field.suggester = SuggestFromList(self.known, case_sensitive=False)
        yield form_field("Agent", "agent", field)

    def collect(self) -> str:
        return named(self.query_one("#agent", Input).value, self.me)
