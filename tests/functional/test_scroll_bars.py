"""Scroll bars that follow the list they belong to, drawn in the same frame as its rows.

Textual hands every scroll view a meaningless "virtual size" at each new layout of the
screen, which made every scroll view on it redraw its bars a frame after any layout (for
whatever widget asked for one): each letter typed into the filter showed its rows, then
the list's scroll bar about 30 ms later. These tests hold the bars right (shown when the
rows overflow, as long as the list) and check that a layout leaves them alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.scrollbar import ScrollBar

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.case_list import CaseTable

CASES = 60  # more than the 120x40 screen's list shows
NAMED = 45  # of them, also more than it shows


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    playbook = library.get("unhappy")
    for number in range(CASES):
        customer = "Ana Chen" if number < NAMED else f"Ben Okafor {number}"
        title = "Parcel lost" if number % 20 else "Zebra crossing blocked"
        store.add(CaseDraft(title, customer), playbook, NOW - timedelta(hours=number + 1))
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def bar_of(table: CaseTable) -> tuple[bool, int]:
    """Whether the list's scroll bar shows, and the length it shows the list to be."""
    return table.show_vertical_scrollbar, table.vertical_scrollbar.window_virtual_size


def test_the_bar_follows_the_filter(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        table = app.main.case_list.table
        height = table.scrollable_content_region.height
        lines = table.row_height  # a row's lines: the bar counts lines
        assert height < NAMED * lines  # the test means what it says only if the rows overflow
        assert bar_of(table) == (True, CASES * lines)
        await pilot.press("slash", *"ana")
        await pilot.pause()
        assert table.row_count == NAMED
        assert bar_of(table) == (True, NAMED * lines)  # stays, shorter
        await pilot.press(*" chen")
        await pilot.pause()
        assert bar_of(table) == (True, NAMED * lines)
        await pilot.press("ctrl+u", *"zebra")  # 3 rows: no bar
        await pilot.pause()
        assert table.row_count == CASES // 20
        assert table.show_vertical_scrollbar is False
        await pilot.press("ctrl+u", *"xyzzy")  # nothing at all
        await pilot.pause()
        assert table.row_count == 0
        assert table.show_vertical_scrollbar is False
        await pilot.press("escape")  # every case again: the bar is back, whole length
        await pilot.pause()
        assert bar_of(table) == (True, CASES * lines)
        table.cursor_row = CASES - 1  # to the end: the list scrolled to show it
        await pilot.pause()
        assert table.scroll_offset.y == CASES * lines - height
        assert table.vertical_scrollbar.position == CASES * lines - height

    run(app, scenario)


def test_a_new_layout_does_not_redraw_the_bars(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout asked for by another widget (here: the whole screen) leaves every scroll
    view's bars as they are: no redraw, so no extra frame after the change."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        redrawn: list[str] = []
        original = ScrollBar.refresh

        def counted(bar: ScrollBar, *args: object, **kwargs: object) -> ScrollBar:
            redrawn.append(str(bar.parent.id if bar.parent else None))
            return original(bar, *args, **kwargs)  # type: ignore[arg-type]

        await pilot.pause()
        monkeypatch.setattr(ScrollBar, "refresh", counted)
        app.main.refresh(layout=True)
        await pilot.pause()
        await pilot.pause()
        assert redrawn == []

    run(app, scenario)


def test_a_new_size_still_sets_the_bars(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        table = app.main.case_list.table
        await pilot.resize_terminal(120, 140)  # tall enough for every row: no bar
        await pilot.pause()
        await pilot.pause()
        assert table.scrollable_content_region.height >= CASES * table.row_height
        assert table.show_vertical_scrollbar is False
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.pause()
        assert bar_of(table) == (True, CASES * table.row_height)
        assert table.vertical_scrollbar.window_size == table.scrollable_content_region.height

    run(app, scenario)
