"""Until when to wait on the customer (the case is waiting already): left empty or
cancelled, it waits with no date; a time (in the agent's own words, previewed as they
type) wakes it then, "no answer yet"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from workbench.domain.actions import ValidationError
from workbench.domain.dates import DateParseError, DateSettings, describe, parse_when
from workbench.ui.screens.base import FormScreen, form_field, line_input, plain

HINT = "Empty: wait with no date. Else when to wake the case: in 2 days, fri 10am."


@dataclass(frozen=True)
class WaitResult:
    until: datetime | None
    """None: waiting with no date to wake up."""


class WaitScreen(FormScreen[WaitResult]):
    def __init__(self, now: Callable[[], datetime], settings: DateSettings) -> None:
        super().__init__("Waiting on the customer until…")
        self.now = now
        self.settings = settings

    def compose_fields(self) -> ComposeResult:
        yield form_field(
            "Until",
            "until",
            line_input("until", "", "in 2 days"),
            Static(plain(HINT), id="until-preview", classes="preview"),
        )

    def message_target(self, name: str) -> Static:
        if name == "until":
            return self.query_one("#until-preview", Static)
        return super().message_target(name)

    def _until(self) -> datetime | None:
        text = self.query_one("#until", Input).value
        return parse_when(text, self.now(), settings=self.settings) if text.strip() else None

    @on(Input.Changed, "#until")
    def _preview(self) -> None:
        preview = self.query_one("#until-preview", Static)
        try:
            until = self._until()
        except DateParseError as problem:
            preview.update(plain(str(problem)))
            preview.set_class(True, "-error")
            return
        said = HINT if until is None else f"→ wakes {describe(until, self.now())}"
        preview.update(plain(said))
        preview.set_class(False, "-error")

    def collect(self) -> WaitResult:
        try:
            return WaitResult(self._until())
        except DateParseError as problem:
            raise ValidationError({"until": str(problem)}) from None
