"""Assigning a case on the screen: ``A`` opens a small form (→ takes the agent suggested, one who
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


def test_right_takes_the_agent_suggested_and_empty_is_no_one(
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


def test_w_shows_mine_then_no_ones_then_everyones(app: WorkbenchApp, store: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        case_list = app.main.case_list
        assert list(case_list.shown_ids) == ["C-0001", "C-0002"]
        await pilot.press("w")  # mine: cleo has none yet
        assert list(case_list.shown_ids) == []
        assert "mine" in str(case_list.border_title)
        said = case_list.table.empty.plain
        assert "None of open cases are mine" in said and "Press w" in said
        await pilot.press("w")  # no one's
        assert list(case_list.shown_ids) == ["C-0002"]
        await pilot.press("A", *"me", "enter")
        await settle(app, pilot)
        assert list(case_list.shown_ids) == []  # now hers: not no one's any more
        await pilot.press("w")  # everyone's
        assert list(case_list.shown_ids) == ["C-0001", "C-0002"]
        await pilot.press("w")  # mine
        assert list(case_list.shown_ids) == ["C-0002"]

    run(app, scenario)


def test_choosing_someone_elses_case_while_showing_mine_says_so(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("w")  # mine: none
        app.show_case("C-0001")
        await pilot.pause()
        assert app.main.case_list.selected_id == "C-0001"
        said = [str(n.message) for n in app._notifications]
        assert any("everyone's cases, not only mine" in m for m in said)

    run(app, scenario)


def test_insight_counts_whose_cases_the_list_shows(app: WorkbenchApp) -> None:
    from workbench.ui.screens.insight import InsightScreen

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("w", "w")  # no one's: C-0002
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InsightScreen)
        assert [case.id for case in app.screen.cases] == ["C-0002"]
        assert app.screen.whose == "no one's"
        await pilot.press("escape")

    run(app, scenario)
