"""A text field that can hold any characters and never lets them act on the terminal."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from workbench.domain.text import pictured


class SafeInput(Input):
    """An Input that draws control characters as symbols (ESC as ␛) and keeps them as typed.

    Textual's Input draws its value as it is, so escape codes pasted into a field would
    act on the terminal while the form is open.
    """

    @property
    def _value(self) -> Text:
        text = super()._value
        if not self.password:
            text.plain = pictured(text.plain)
        return text
