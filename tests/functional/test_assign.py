"""Assigning a case on the screen: ``A`` opens a small form (tab completes an agent who
has cases, "me" is oneself, an empty field is no one); the change is saved signed by me,
and the checklist says whose the case is."""

from __future__ import annotations

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.assign_form import AssignScreen


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Late parcel", "Ana Chen"), library.get("unhappy"), NOW, author="bo")
    store.add(CaseDraft("Charged twice", "Cy Li"), library.get("unhappy"), NOW)
    return WorkbenchApp(
        store=store, library=library, clock=lambda: NOW, settings=Settings(agent="cleo")
    )


def header(app: WorkbenchApp) -> str:
    from workbench.ui.widgets.checklist import CaseHeader

    return app.main.query_one(CaseHeader).render().plain


def test_a_assigns_to_me_and_signs_the_line(app: WorkbenchApp, store: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        assert "no one has it yet" in header(app)
        await pilot.press("A")
        assert isinstance(app.screen, AssignScreen)
        await pilot.press(*"me", "enter")
        await settle(app, pilot)
        assert "yours" in header(app)
        case = store.get("C-0002")
        assert case.owner == "cleo"
        assert (case.timeline[-1].text, case.timeline[-1].author) == ("Assigned to cleo", "cleo")

    run(app, scenario, size=(80, 24))


def test_tab_completes_an_agent_who_has_cases_and_empty_is_no_one(
    app: WorkbenchApp, store: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        await pilot.press("A", "b")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion, as in any Textual input
        assert app.screen.query_one("#agent", Input).value == "bo"
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.get("C-0002").owner == "bo"
        assert "with bo" in header(app)
        await pilot.press("A")
        field = app.screen.query_one("#agent", Input)
        assert field.value == "bo"  # the form opens on whose it is
        field.value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert store.get("C-0002").owner == ""

    run(app, scenario, size=(120, 40))


def test_a_name_too_long_is_said_beside_the_field(app: WorkbenchApp, store: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("A")
        app.screen.query_one("#agent", Input).value = "x" * 70
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AssignScreen)  # still open, nothing lost
        error = app.screen.query_one("#agent-error").render()
        assert "under 64 characters" in str(error)
        await pilot.press("escape")

    run(app, scenario)
