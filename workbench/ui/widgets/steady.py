"""Scroll views that repaint themselves, not the whole screen, when their length changes.

Two habits of Textual's scroll views cost a whole frame or more on a large database:

* A change of a scroll view's length (its "virtual size": a filter's rows, a case's
  steps, the characters in a text field) lays out the whole screen again, and every
  widget on it is drawn again: 20-40 ms at 50,000 cases for each letter typed in the
  filter. Only a scroll bar coming or going needs a new layout, and that is asked for on
  its own (``show_vertical_scrollbar`` lays out again when it changes).
* At every new layout, whatever widget asked for it, Textual passes each scroll view the
  size of its window as its "virtual size"; a scroll view keeps its own length, so the
  two never match, and every scroll view then redrew its scroll bars in the frame after
  the one that showed the change (about 30 ms later on screen at 50,000 cases).

The views here set their scroll bars themselves whenever their length changes
(``_scroll_update``, as OptionList already does), so both are left out.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.widgets import OptionList


def repaint_only_size() -> Reactive[Size]:
    """A ``virtual_size`` that repaints its widget when it changes instead of laying out
    the screen (the widget's :func:`lay_out_if_sized_by_content` covers the rest)."""
    return Reactive(Size(0, 0), layout=False)


def lay_out_if_sized_by_content(widget: ScrollView) -> None:
    """A view whose own size follows its content (``height: auto``) does need a layout."""
    if widget.styles.auto_dimensions:
        widget.refresh(layout=True)


class SteadyScrollBars(ScrollView):
    """A scroll view that sets its own scroll bars whenever its length changes."""

    virtual_size = repaint_only_size()

    def watch_virtual_size(self) -> None:
        lay_out_if_sized_by_content(self)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Only a new size of the view's window updates the bars here (see the module).
        return super()._size_updated(size, self.virtual_size, container_size, layout)


class SteadyOptionList(OptionList, SteadyScrollBars):
    """An OptionList with :class:`SteadyScrollBars` (OptionList first: Textual takes
    styles and component classes from the first base only)."""
