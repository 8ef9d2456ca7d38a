"""Notifications at 80x24: they sit over the case list's heading, never over the calendar
and its legend, the selected case or the status line."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from helpers.app_driver import settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._toast import Toast

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Charged twice for March", "Ana Chen"), library.get("our-mistake"), NOW)
    store.add(
        CaseDraft("Parcel lost", "Ben Okafor"), library.get("unhappy"), NOW - timedelta(hours=2)
    )
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def shows(widget: Widget) -> bool:
    """Every cell of the widget is the widget's own on screen: nothing lies over it."""
    screen = widget.screen
    region = widget.region
    return all(
        screen.get_widget_at(x, y)[0] is widget
        for y in range(region.y, region.bottom)
        for x in range(region.x, region.right)
    )


@pytest.mark.parametrize(
    "message",
    [
        "Follow-up 2 done",
        "The case C-0001 was changed elsewhere; what you typed is kept beside what was saved",
    ],
)
def test_a_notification_at_80x24_leaves_the_calendar_legend_in_view(
    app: WorkbenchApp, message: str
) -> None:
    async def main_() -> None:
        # Pilot runs without notifications unless asked for them.
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(app, pilot)
            await scenario(pilot)

    async def scenario(pilot: Pilot[None]) -> None:
        main = app.main
        main.say(message, severity="warning", timeout=30)
        await pilot.pause(0.3)
        toasts = list(main.query(Toast))
        assert len(toasts) == 1
        legend = list(main.query(".calendar-legend-item"))
        assert [str(label.render()) for label in legend] == [
            "overdue",
            "today",
            "upcoming",
            "done",
        ]
        assert all(shows(label) for label in legend)
        for selector in ("#calendar", "#checklist", "#save-status"):
            assert not toasts[0].region.overlaps(main.query_one(selector).region), selector

    asyncio.run(main_())
