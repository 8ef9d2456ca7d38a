"""The status line above the keys says nothing until there is something to say: empty
after the first load, "Saving…" and then "All changes saved" once a change is made."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Parcel lost", "Ana Chen"), library.get("unhappy"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW - timedelta(hours=1))


def status_line(app: WorkbenchApp) -> str:
    return str(app.main.query_one("#save-status", Static).render())


def test_the_line_is_empty_after_the_first_load_and_says_saved_after_a_change(
    app: WorkbenchApp, store: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert app.main.session.loaded
        assert status_line(app) == ""  # not "Loading…", not "All changes saved"
        await pilot.press("space")  # tick the first step
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert status_line(app) == "✓ All changes saved"
        assert store.get("C-0001").steps[0].done

    run(app, scenario)
