"""What to say: the highlighted step's wording, filled from the case, ready to read aloud.

``c`` copies it to the clipboard (Textual's ``copy_to_clipboard``: the terminal's OSC 52
escape, which reaches the clipboard of the computer in front of the agent even over
SSH, where the terminal allows it); ``m`` closes and opens the step's note with the
wording added, to keep what was said; up and down go to the previous or next step with
wording; ``escape`` closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.domain.text import visible
from workbench.domain.wording import Wording

GAP_STYLE = "bold reverse"
"""A placeholder the case has no value for: it stands out, so it is never read out."""


@dataclass(frozen=True)
class IntoNote:
    """The screen's answer when ``m`` was pressed: put this wording into its step's note."""

    index: int
    """The step's index in the case."""
    text: str


def wording_text(said: Wording) -> Text:
    """The filled lines, each gap in :data:`GAP_STYLE`."""
    text = Text()
    for number, line in enumerate(said.lines):
        if number:
            text.append("\n")
        for piece in line:
            text.append(piece.text, style=GAP_STYLE if piece.gap else "")
    return text


MISSING_HOW = {
    "remedy": "r records the remedy",
    "cost": "r records the remedy's cost",
    "followup": "f schedules a follow-up",
    "agent": "the agent setting names you",
}


def missing_text(missing: Sequence[str]) -> Text:
    """What the case doesn't say yet, and the key that fills it in."""
    hows = [f"{name} ({MISSING_HOW[name]})" if name in MISSING_HOW else name for name in missing]
    return Text(
        "Not on the case yet, so left in brackets: " + "; ".join(hows) + ". "
        "Fill it in, or say it in your own words.",
        style="italic",
    )


class SayScreen(ModalScreen[IntoNote | None]):
    """Shows the wording of one step of a case; moves among the steps that have some."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("S", "dismiss(None)", "Close", show=False),
        Binding("c", "copy", "Copy"),
        Binding("m", "into_note", "Into the note"),
        Binding("up,k", "move(-1)", "Previous step", show=False),
        Binding("down,j", "move(1)", "Next step", show=False),
    ]

    def __init__(self, case_id: str, customer: str, said: Sequence[Wording], at: int) -> None:
        super().__init__()
        self._case_id = case_id
        self._customer = customer
        self._said = list(said)
        self._at = at

    @property
    def shown(self) -> Wording:
        return self._said[self._at]

    def compose(self) -> ComposeResult:
        with Vertical(id="say-box"):
            yield Static(id="say-title")
            yield Static(id="say-lines")
            yield Static(id="say-missing")
            more = " · ↑↓ other steps" if len(self._said) > 1 else ""
            yield Static(
                Text(f"c: copy · m: into the step's note{more} · esc: close"), id="say-foot"
            )

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        said = self.shown
        title = Text.assemble(
            ("What to say", "bold"),
            f" to {visible(self._customer)} · {self._case_id}, step {said.number}: ",
            (visible(said.step.title), "bold"),
        )
        self.query_one("#say-title", Static).update(title)
        self.query_one("#say-lines", Static).update(wording_text(said))
        missing = self.query_one("#say-missing", Static)
        missing.display = bool(said.missing)
        missing.update(missing_text(said.missing) if said.missing else Text())

    def action_move(self, by: int) -> None:
        at = self._at + by
        if 0 <= at < len(self._said):
            self._at = at
            self._show()

    def action_copy(self) -> None:
        said = self.shown
        self.app.copy_to_clipboard(said.text)
        lines = len(said.lines)
        self.notify(
            f"Copied what to say at step {said.number} ({lines} line{'s' if lines != 1 else ''}) "
            "to the clipboard.",
            title="Copied",
            markup=False,
        )

    def action_into_note(self) -> None:
        said = self.shown
        self.dismiss(IntoNote(index=said.number - 1, text=said.text))
