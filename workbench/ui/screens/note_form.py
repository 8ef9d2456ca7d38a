"""Write or edit a note: several lines, saved with ctrl+s; an empty note clears it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from workbench.domain.actions import ValidationError
from workbench.domain.limits import MAX_TEXT
from workbench.ui.screens.base import FormScreen, message_line, plain


class NoteScreen(FormScreen[str]):
    """A free-text note. Enter starts a new line; ctrl+s saves; escape leaves it as it was."""

    def __init__(self, heading: str, initial: str = "", *, before: str | None = None) -> None:
        """``before`` is the note as stored when ``initial`` adds to it (wording put into
        the note): escape then asks before the addition is thrown away."""
        super().__init__(heading)
        self.initial = initial
        self.before = before

    @property
    def changed(self) -> bool:
        if self.before is None:
            return super().changed
        return self.query_one("#note", TextArea).text != self.before

    def compose_intro(self) -> ComposeResult:
        yield Static(
            plain("What was said, what was promised. Save an empty note to clear it."),
            classes="dialog-hint",
        )

    def compose_fields(self) -> ComposeResult:
        yield TextArea(self.initial, id="note", soft_wrap=True, tab_behavior="focus")
        yield message_line("note")

    def on_mount(self) -> None:
        # Editing a note usually adds to it: start at its end, not before its first word.
        note = self.query_one("#note", TextArea)
        note.move_cursor(note.document.end)

    def collect(self) -> str:
        text = self.query_one("#note", TextArea).text
        if len(text) > MAX_TEXT:  # the file would refuse it once the form had closed
            raise ValidationError(
                {
                    "note": f"This note is {len(text):,} characters; a note holds at most "
                    f"{MAX_TEXT:,}. Keep what matters, or split it over two notes."
                }
            )
        return text
