"""The key bar at the foot of the screen: built once for the first screen, again only when
the keys it shows change (Textual's Footer rebuilt itself after every change of focus,
four times in a row after the first screen of a large database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.footer import KeyBar


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    for number in range(3):
        store.add(CaseDraft(f"Parcel lost {number}", "Ana Chen"), library.get("unhappy"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW - timedelta(hours=1))


def shown(app: WorkbenchApp) -> list[str]:
    return [key.description for key in app.screen.query_one(KeyBar).query(FooterKey)]


def test_the_first_screen_builds_the_key_bar_once(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        # The first, empty build before any keys are known, then the case list's keys.
        assert bar.rebuilds == 2
        assert app.screen.focused is app.main.case_list.table
        assert {"New case", "Tick step", "Follow-up", "Filter"} <= set(shown(app))

    run(app, scenario)


def test_the_key_bar_is_rebuilt_only_when_its_keys_change(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        before, keys = bar.rebuilds, shown(app)
        for _ in range(3):  # nothing changed: nothing to build
            app.screen.refresh_bindings()
        await pilot.press("j", "k")
        await pilot.pause()
        assert (bar.rebuilds, shown(app)) == (before, keys)

        await pilot.press("slash")  # the filter box has keys of its own
        await pilot.pause()
        assert bar.rebuilds == before + 1
        assert shown(app) != keys
        await pilot.press("escape")
        await pilot.pause()
        assert (bar.rebuilds, shown(app)) == (before + 2, keys)

    run(app, scenario)


def test_changes_that_come_together_build_the_bar_once(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        bar = app.screen.query_one(KeyBar)
        before = bar.rebuilds
        main = app.main
        # Three changes of focus before the screen is drawn again: one build, for the last.
        main.case_list.query_one("SafeInput").focus()
        main.calendar.grid.focus()
        main.case_list.table.focus()
        await pilot.pause()
        await pilot.pause()
        assert bar.rebuilds <= before + 1
        assert "Tick step" in shown(app)

    run(app, scenario)
