"""The remedy form on the workbench: the cost read as meant, and an unchanged save saves nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Heat, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.main import MainScreen
from workbench.ui.screens.remedy_form import RemedyScreen


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    store.add(
        CaseDraft("Charged twice for March", "Ana Chen", heat=Heat.FURIOUS),
        library.get("our-mistake"),
        NOW - timedelta(hours=2),
    )
    return store


@pytest.fixture
def app(seeded: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    return WorkbenchApp(store=seeded, library=library, clock=lambda: NOW)


async def open_remedy(app: WorkbenchApp, pilot: Pilot[None]) -> RemedyScreen:
    app.main.select_case("C-0001")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, RemedyScreen)
    return app.screen


def test_a_decimal_comma_is_read_as_cents(app: WorkbenchApp, seeded: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await open_remedy(app, pilot)
        await pilot.press(*"Refund the second charge", "tab", *"49,90", "ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    case = seeded.get("C-0001")
    assert case.remedy is not None
    assert str(case.remedy.cost) == "49.90"
    assert "(cost 49.90, awaiting answer)" in case.timeline[-1].text


def test_an_amount_read_two_ways_is_refused_beside_the_field(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        form = await open_remedy(app, pilot)
        await pilot.press(*"Voucher", "tab", *"1,5", "ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, with what was typed
        error = form.query_one("#cost-error", Static)
        assert "could be read as 1.50 or as 15.00" in str(error.render())
        await pilot.press("escape")

    run(app, scenario)
    assert seeded.get("C-0001").remedy is None


def test_saving_the_remedy_unchanged_adds_nothing(
    app: WorkbenchApp, seeded: CaseStore, library: PlaybookLibrary
) -> None:
    seeded.update(
        "C-0001", lambda c: actions.record_remedy(c, "Refund", Decimal("49.90"), True, NOW)
    )
    before = seeded.get("C-0001")

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await open_remedy(app, pilot)
        await pilot.press("ctrl+s")  # as the form opened: the same remedy
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.cases["C-0001"].timeline == before.timeline
        app.main.select_case("C-0001")
        await pilot.press("s")  # and the status form, saved as it opened
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    after = seeded.get("C-0001")
    assert after.timeline == before.timeline
    assert after.revision == before.revision  # nothing was even written
    assert after.status is Status.NEW
