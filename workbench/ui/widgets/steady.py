"""Scroll views whose scroll bars are redrawn with their content, not a frame later."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widgets import OptionList


class SteadyScrollBars(ScrollView):
    """A scroll view that sets its own scroll bars whenever its length changes.

    At every new layout of the screen, for whatever widget asked for it, Textual passes
    each scroll view the size of its window as its "virtual size". A scroll view keeps its
    own virtual size (its number of lines), so the two never match, and every scroll view
    on the screen then redraws its scroll bars: in the frame after the one that showed
    the change, about 30 ms later on screen at 50,000 cases. A view of this kind calls
    ``_scroll_update`` itself when its length changes (as OptionList already does), so
    the layout's figure adds nothing and is left out: only a new size of the view's
    window updates the bars here.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, self.virtual_size, container_size, layout)


class SteadyOptionList(OptionList, SteadyScrollBars):
    """An OptionList with :class:`SteadyScrollBars` (OptionList first: Textual takes
    styles and component classes from the first base only)."""
