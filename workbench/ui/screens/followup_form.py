"""Schedule a follow-up: when (in the agent's own words, previewed as they type), what, how."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from workbench.domain.actions import DEFAULT_FOLLOWUP_ACTION, DomainError, ValidationError
from workbench.domain.dates import DateParseError, DateSettings, describe, parse_when
from workbench.domain.limits import MAX_EVERY_DAYS, MAX_REPEATS
from workbench.domain.model import Channel
from workbench.domain.reminders import gap_words, parse_series
from workbench.ui.screens.base import (
    FormScreen,
    choice,
    form_field,
    hint_line,
    labelled,
    line_input,
    plain,
    set_hint,
)

WHEN_EXAMPLES = "e.g. tomorrow 10am, in 3 days, fri 2pm, 2026-12-01 09:30"
REPEAT_EXAMPLES = "empty: just once; or every week, every 3 days, every 2 weeks x4 (4 in all)"
WRITTEN_HINT = "A call is better than writing for a difficult conversation."


@dataclass(frozen=True)
class FollowUpResult:
    due: datetime
    """Timezone-aware, in the time zone of the form's clock."""
    action: str
    channel: Channel
    every_days: int = 0
    """A series: once done, the next follows this many days later (0: just this one)."""
    times: int | None = None
    """How many in the series in all; None: until the case is resolved."""


class FollowUpScreen(FormScreen[FollowUpResult]):
    """When, what and how. Under "when", the time understood (or why not) on every keystroke."""

    def __init__(
        self,
        now: Callable[[], datetime],
        settings: DateSettings,
        default_channel: Channel,
        when: str = "",
        what: str = "",
        heading: str = "Schedule a follow-up",
        *,
        series: bool = False,
    ) -> None:
        super().__init__(heading)
        self.series = series
        """Offer "Repeat" (a new follow-up); a follow-up moved keeps its own."""
        self.now = now
        self.settings = settings
        self.default_channel = default_channel
        self.initial_when = when
        self.initial_what = what

    def compose_fields(self) -> ComposeResult:
        yield form_field(
            "When",
            "when",
            line_input("when", self.initial_when, "tomorrow 10am"),
            Static(id="when-preview", classes="preview"),
        )
        # An empty "what" saves the domain's default: the placeholder shows exactly that.
        yield form_field(
            "What", "what", line_input("what", self.initial_what, DEFAULT_FOLLOWUP_ACTION)
        )
        yield form_field(
            "Channel",
            "channel",
            choice("channel", labelled(Channel), self.default_channel),
            hint_line("channel-hint"),
        )
        if self.series:
            yield form_field(
                "Repeat",
                "repeat",
                line_input("repeat", "", "just once"),
                Static(id="repeat-preview", classes="preview"),
            )

    def on_mount(self) -> None:
        self._preview()
        if self.series:
            self._repeat_preview()

    def message_target(self, name: str) -> Static:
        # The previews under "when" and "repeat" are where their problems are told.
        if name in ("when", "repeat"):
            return self.query_one(f"#{name}-preview", Static)
        return super().message_target(name)

    def _series(self) -> tuple[int, int | None]:
        """The repeat typed: (0, None) for none; raises DomainError."""
        text = self.query_one("#repeat", Input).value if self.series else ""
        if not text.strip():
            return 0, None
        every, times = parse_series(text)
        if not 1 <= every <= MAX_EVERY_DAYS:
            raise DomainError(f"Repeat every 1 to {MAX_EVERY_DAYS} days (a year at most).")
        if times is not None and not 2 <= times <= MAX_REPEATS + 1:
            raise DomainError(f"A series has 2 to {MAX_REPEATS + 1} follow-ups in all.")
        return every, times

    @on(Input.Changed, "#repeat")
    def _repeat_preview(self) -> None:
        try:
            every, times = self._series()
        except DomainError as problem:
            self._show_preview(str(problem), error=True, name="repeat")
            return
        if not every:
            said = REPEAT_EXAMPLES
        else:
            gap = gap_words(every)
            until = f"{times} in all" if times else "until the case is resolved"
            said = f"→ every {gap}, {until}"
        self._show_preview(said, error=False, name="repeat")

    def _due(self) -> datetime:
        """The time typed under "when"; raises DateParseError."""
        text = self.query_one("#when", Input).value
        return parse_when(text, self.now(), settings=self.settings)

    @on(Input.Changed, "#when")
    def _preview(self) -> None:
        if not self.query_one("#when", Input).value.strip():
            self._show_preview(WHEN_EXAMPLES, error=False)
            return
        try:
            due = self._due()
        except DateParseError as problem:
            self._show_preview(str(problem), error=True)
        else:
            self._show_preview(f"→ {describe(due, self.now())}", error=False)

    def _show_preview(self, text: str, *, error: bool, name: str = "when") -> None:
        preview = self.query_one(f"#{name}-preview", Static)
        preview.update(plain(text))
        preview.set_class(error, "-error")

    @on(Select.Changed, "#channel")
    def _channel_changed(self) -> None:
        weak = self.value_of("#channel", Channel).is_weak
        set_hint(self.query_one("#channel-hint", Static), WRITTEN_HINT if weak else "")

    def collect(self) -> FollowUpResult:
        try:
            due = self._due()
        except DateParseError as problem:
            raise ValidationError({"when": str(problem)}) from None
        try:
            every, times = self._series()
        except DomainError as problem:
            raise ValidationError({"repeat": str(problem)}) from None
        return FollowUpResult(
            due=due,
            action=self.query_one("#what", Input).value.strip(),
            channel=self.value_of("#channel", Channel),
            every_days=every,
            times=times,
        )
