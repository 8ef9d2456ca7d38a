"""A text field that can hold any characters and never lets them act on the terminal."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from workbench.domain.text import pictured
from workbench.ui.widgets.steady import lay_out_if_sized_by_content, repaint_only_size


class SafeInput(Input):
    """An Input that draws control characters as symbols (ESC as ␛) and keeps them as typed.

    Textual's Input draws its value as it is, so escape codes pasted into a field would
    act on the terminal while the form is open.

    Its length, which changes with every character typed, repaints the field alone
    instead of laying out the whole screen again (see :mod:`workbench.ui.widgets.steady`).
    """

    virtual_size = repaint_only_size()

    def watch_virtual_size(self) -> None:
        lay_out_if_sized_by_content(self)

    @property
    def _value(self) -> Text:
        text = super()._value
        if not self.password:
            text.plain = pictured(text.plain)
        return text
