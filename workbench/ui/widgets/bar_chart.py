"""A horizontal bar chart drawn with block characters: label, bar, figure, one row each.

Bars are scaled to the largest value and drawn to an eighth of a cell (``▏`` … ``█``), so
small differences still show. The chart fits any width: labels are clipped with "…"
before the bars get too short. Labels are shown as plain text, never read as markup,
so a playbook named ``[bold]x[/]`` is drawn exactly like that.

Each bar has a tone (``good``, ``fair``, ``parted``, ``bad`` or ``neutral``) whose colour
comes from the component classes ``bar-chart--<tone>`` in the stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from workbench.domain.text import visible

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
MIN_BAR = 10
"""Labels are clipped before the bars are allowed to shrink below this many cells."""
TONES = ("good", "fair", "parted", "bad", "neutral")


@dataclass(frozen=True)
class Bar:
    label: str
    """Shown as plain text (it may come from a user's file)."""
    value: float
    figure: str
    """The value as words or digits, printed after the bar: "18  46%"."""
    tone: str = "neutral"


def bar_cells(value: float, largest: float, width: int) -> str:
    """A bar of ``value`` out of ``largest`` over ``width`` cells, to an eighth of a cell."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = round(min(value / largest, 1.0) * width * 8)
    eighths = max(eighths, 1)  # a value above zero always shows
    full, part = divmod(eighths, 8)
    return FULL * full + (EIGHTHS[part] if part else "")


def _fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` terminal cells: cut with "…" or padded with spaces.

    Counted in cells, not characters, so a name in CJK or with emoji keeps the bars in
    line."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    return set_cell_size(text, width - 1) + "…"


class BarChart(Widget):
    """Rows of labelled bars; give it bars with :meth:`set_bars`."""

    COMPONENT_CLASSES = {
        "bar-chart--label",
        "bar-chart--figure",
        *(f"bar-chart--{tone}" for tone in TONES),
    }

    DEFAULT_CSS = """
    BarChart {
        height: auto;
    }
    """

    def __init__(
        self,
        bars: Sequence[Bar] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._bars: tuple[Bar, ...] = tuple(bars)

    @property
    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._bars))

    def render(self) -> Text:
        return self.chart(self.content_size.width)

    def _style(self, component: str) -> Style:
        """A component's style from the stylesheet; plain until the chart is on a screen."""
        return self.get_component_rich_style(component, partial=True, default=Style.null())

    def chart(self, width: int) -> Text:
        """The chart as text ``width`` cells wide."""
        if not self._bars:
            return Text("")
        labels = [visible(bar.label) for bar in self._bars]
        figure_width = max(len(bar.figure) for bar in self._bars)
        label_width = max(cell_len(label) for label in labels)
        label_width = max(0, min(label_width, width - figure_width - MIN_BAR - 2))
        bar_width = max(0, width - label_width - figure_width - 2)
        largest = max(bar.value for bar in self._bars)
        label_style = self._style("bar-chart--label")
        figure_style = self._style("bar-chart--figure")
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, (bar, label) in enumerate(zip(self._bars, labels, strict=True)):
            if index:
                text.append("\n")
            tone = bar.tone if bar.tone in TONES else "neutral"
            drawn = bar_cells(bar.value, largest, bar_width)
            text.append(f"{_fit(label, label_width)} ", label_style)
            text.append(f"{drawn:<{bar_width}}", self._style(f"bar-chart--{tone}"))
            text.append(f" {bar.figure:>{figure_width}}", figure_style)
        return text
