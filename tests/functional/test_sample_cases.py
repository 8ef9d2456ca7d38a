"""The welcome screen's `D`: the workbench on sample cases, in a file of their own."""

from __future__ import annotations

import json

from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Static

from workbench import paths
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import SAMPLE_CASES, WorkbenchApp


def text_of(app: WorkbenchApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_sample_cases_open_in_a_file_of_their_own(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    """The user's file stays empty; the sample file gets the sample cases; the screen says
    plainly that these are not the user's own."""
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)
    own = store.path

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert "sample cases" in text_of(app, "#welcome")
        await pilot.press("D")
        for _ in range(200):
            await pilot.pause(0.05)
            if app.sample and app.session.loaded and app.main.cases:
                break
        assert app.sample and len(app.main.cases) == SAMPLE_CASES
        banner = text_of(app, "#sample-banner")
        assert "Sample cases" in banner and "not your own" in banner
        assert not app.main.query_one("#welcome").display
        await pilot.press("D")  # already there: said, nothing else
        await pilot.pause()
        assert len(app.main.cases) == SAMPLE_CASES

    run(app, scenario)
    sample = paths.sample_db_file()
    assert sample != own and sample.exists()
    assert len(json.loads(sample.read_text(encoding="utf-8"))["cases"]) == SAMPLE_CASES
    assert CaseStore(own).count() == 0  # the user's own file: no sample case in it


def test_the_sample_cases_wait_for_a_change_still_being_saved(
    store: CaseStore, library: PlaybookLibrary, make_draft: object
) -> None:
    """A case opened a moment before is in the user's file before the sample cases show."""
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await settle(app, pilot)
        app.session.open_case(make_draft(), library.get("unhappy"), NOW)  # type: ignore[operator]
        await pilot.press("D")
        for _ in range(200):
            await pilot.pause(0.05)
            if app.sample and app.main.cases:
                break
        assert app.sample

    run(app, scenario, settle_after=False)
    assert CaseStore(store.path).count() == 1
