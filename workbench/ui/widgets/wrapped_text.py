"""A box of text wrapped to its width that scrolls when the text is longer than the box."""

from __future__ import annotations

from rich.style import Style as RichStyle
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual, visualize

from workbench.ui.widgets.steady import SteadyScrollBars


class WrappedText(SteadyScrollBars):
    """Text wrapped to the box, never clipped at its side; scrolls when long.

    Drawn with the line API, exactly as a Static in a scrolling box would draw the text, but
    new text repaints this box alone: the screen is laid out again only when the scroll bar
    comes or goes. (A Static of auto height asked for a new layout of the whole screen
    whenever its number of lines changed, then another for its new size, then one for the
    box's scroll bar.)
    """

    DEFAULT_CSS = """
    WrappedText {
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._strips: list[Strip] | None = None
        self._wrapped_for = Size(0, 0)

    def update(self, text: Text) -> None:
        """Show this text instead (user text in it stays literal: it is never markup)."""
        self._text = text
        self._strips = None
        self._wrap()
        self.refresh()

    def render(self) -> Text:
        """The text shown, unwrapped."""
        return self._text

    def on_resize(self) -> None:
        self._wrap()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None

    def _wrap(self) -> list[Strip]:
        """The text's lines at the box's width, narrower by the scroll bar if it needs one."""
        region = self.content_region
        if self._strips is not None and self._wrapped_for == region.size:
            return self._strips
        if not region:
            return []
        self._wrapped_for = region.size
        visual = visualize(self, self._text, markup=False)
        style = self.visual_style
        width = region.width
        strips = Visual.to_strips(self, visual, width, None, style)
        bar = self.styles.scrollbar_size_vertical
        needs_bar = len(strips) > region.height and bar > 0 and width > bar
        if needs_bar:
            width -= bar
            strips = Visual.to_strips(self, visual, width, None, style)
        self._strips = strips
        size = Size(width, max(len(strips), region.height))
        if size != self.virtual_size:
            if needs_bar == self.show_vertical_scrollbar:
                # The box and its scroll bar stay as they are: nothing to lay out again.
                self.set_reactive(WrappedText.virtual_size, size)
            else:  # the scroll bar comes or goes: one new layout, bar and all at once
                self.virtual_size = size
            self._scroll_update(size)  # the scroll bar's length, as OptionList does
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self._wrap()
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        base = self.visual_style.rich_style
        if 0 <= line < len(strips):  # padded as a Static's line is: background alone
            return strips[line].crop_extend(0, width, RichStyle(bgcolor=base.bgcolor))
        return Strip.blank(width, base)
