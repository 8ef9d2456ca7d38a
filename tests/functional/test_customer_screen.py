"""The customer on the screen: the header's line about them at a glance, the case form
pointing out a known customer or a near miss, and H showing what was given and promised."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input, Static

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Outcome
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.case_form import CaseFormScreen
from workbench.ui.screens.history import HistoryScreen
from workbench.ui.widgets.checklist import CaseHeader


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    earlier = store.add(
        CaseDraft("Wrong size sent", "Ana Chen"), library.get("unhappy"), NOW - timedelta(days=9)
    )

    def settle_it(case: object) -> None:
        actions.record_remedy(case, "Free express delivery", Decimal("12.50"), True, NOW)  # type: ignore[arg-type]
        actions.close_case(case, Outcome.RETAINED_WITH_CONCESSION, NOW, allow_open_steps=True)  # type: ignore[arg-type]

    store.update(earlier.id, settle_it)
    store.add(CaseDraft("Charged twice", "ana chen"), library.get("unhappy"), NOW)
    store.add(CaseDraft("Rude reply", "Bo Li"), library.get("unhappy"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def test_the_header_says_who_they_are_to_us(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        header = app.main.query_one(CaseHeader).render().plain
        assert (
            "↺ 1 earlier case (1 retained with concession) · given 12.50 before in 1 concession"
            in header
        )
        app.main.select_case("C-0003")
        await pilot.pause()
        assert "↺" not in app.main.query_one(CaseHeader).render().plain  # a first case

    run(app, scenario, size=(120, 40))


def test_the_case_form_points_out_a_known_customer_and_a_near_miss(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        assert isinstance(app.screen, CaseFormScreen)
        name = app.screen.query_one("#customer", Input)
        hint = app.screen.query_one("#customer-hint", Static)
        name.value = "Ana Chne"
        await pilot.pause()
        assert "A new customer. Did you mean “Ana Chen”? (→ takes a suggestion)" in str(
            hint.render()
        )
        name.value = "ANA CHEN"
        await pilot.pause()
        assert "Known customer: 2 other cases (H on the list shows them)." in str(hint.render())
        name.value = "Xavier Quint"
        await pilot.pause()
        assert str(hint.render()).strip() == "A new customer."
        name.value = ""
        name.focus()
        await pilot.press(*"An")  # suggested as typed, as in any Textual input
        await pilot.pause()
        await pilot.press("right")
        assert name.value == "Ana Chen"  # the spelling with capitals, of two used once
        await pilot.press("escape", "y")

    run(app, scenario)


def test_h_shows_what_was_given_and_the_spellings(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        await pilot.press("H")
        assert isinstance(app.screen, HistoryScreen)
        record = str(app.screen.query_one("#history-record", Static).render())
        assert "Given: 12.50 in 1 concession" in record
        assert "C-0001  Free express delivery (12.50)" in record
        assert "Written as “ana chen”, “Ana Chen”" in record

    run(app, scenario)
