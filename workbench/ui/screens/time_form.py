"""Log time spent on a case by hand: a number of minutes, on the highlighted step when it
is a call (a contact step), else on the case."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Static

from workbench.domain.actions import ValidationError
from workbench.domain.errors import DomainError
from workbench.domain.limits import MAX_MINUTES
from workbench.domain.time_spent import parse_minutes
from workbench.ui.screens.base import FormScreen, form_field, line_input, plain


class LogTimeScreen(FormScreen[int]):
    """Dismisses with the minutes to log; escape logs nothing."""

    def __init__(self, case_id: str, on: str) -> None:
        super().__init__(f"Log time on {case_id}")
        self.on = on

    def compose_intro(self) -> ComposeResult:
        yield Static(
            plain(f"Time spent {self.on}: 25, 25m, 1h 30m or 1:30. T times it instead."),
            classes="dialog-hint",
        )

    def compose_fields(self) -> ComposeResult:
        yield form_field("Minutes", "minutes", line_input("minutes", "", "25"))

    def collect(self) -> int:
        typed = self.query_one("#minutes", Input).value
        try:
            minutes = parse_minutes(typed)
        except DomainError as error:
            raise ValidationError({"minutes": str(error)}) from None
        if not 1 <= minutes <= MAX_MINUTES:
            raise ValidationError(
                {"minutes": f"From 1 minute to {MAX_MINUTES // 60} hours at a time."}
            )
        return minutes
