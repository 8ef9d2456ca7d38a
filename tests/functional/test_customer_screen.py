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


def test_c_edits_the_record_and_the_header_shows_it(app: WorkbenchApp, store: CaseStore) -> None:
    """C opens the customer's record; saved, the flag shows under the title at once, the
    company and preferred channel beside the name, and the store holds it all."""
    from textual.widgets import Select, TextArea

    from workbench.domain.model import Channel
    from workbench.ui.screens.customer_form import CustomerScreen

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        await pilot.press("C")
        assert isinstance(app.screen, CustomerScreen)
        form = app.screen
        form.query_one("#company", Input).value = "Harbour Dental"
        form.query_one("#channel", Select).value = Channel.PHONE.value
        form.query_one("#flags", TextArea).text = "careful: threatened a chargeback\n\n"
        form.query_one("#notes", TextArea).text = "prefers a call after 5pm\nask for Sam"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CustomerScreen)
        lines = app.main.query_one(CaseHeader).render().plain.splitlines()
        assert lines[2] == "⚑ careful: threatened a chargeback"  # right under the title
        assert "ana chen · Harbour Dental · prefers phone" in lines
        assert "✎ prefers a call after 5pm (C: all of it)" in lines
        assert app.session.wait_saved(10)
        saved = store.customer("Ana Chen")
        assert saved is not None and saved.flags == ["careful: threatened a chargeback"]
        assert (saved.company, saved.channel) == ("Harbour Dental", Channel.PHONE)
        assert saved.notes == "prefers a call after 5pm\nask for Sam"
        # The history screen shows the whole record.
        await pilot.press("H")
        assert isinstance(app.screen, HistoryScreen)
        record = str(app.screen.query_one("#history-record", Static).render())
        assert "⚑ careful: threatened a chargeback" in record and "ask for Sam" in record
        await pilot.press("escape")
        # A flag too long is answered beside its field; nothing typed is lost.
        await pilot.press("C")
        flags = app.screen.query_one("#flags", TextArea)
        flags.text = "x" * 130
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen) and flags.text == "x" * 130
        error = str(app.screen.query_one("#flags-error", Static).render())
        assert "A flag is 130 characters long; keep it within 120." in error

    run(app, scenario, size=(80, 24))


def test_the_glance_follows_a_change_to_another_case_of_theirs(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    first = store.add(CaseDraft("Wrong size sent", "Ana Chen"), library.get("unhappy"), NOW)
    store.add(CaseDraft("Charged twice", "Ana Chen"), library.get("unhappy"), NOW)
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0002")
        await pilot.pause()
        assert "given" not in app.main.query_one(CaseHeader).render().plain
        case = app.session.whole(first.id)
        assert case is not None
        app.session.change(
            case,
            "record remedy",
            lambda c: actions.record_remedy(c, "Free express", Decimal("12.50"), True, NOW),
        )
        await pilot.pause()
        assert "given 12.50 before in 1 concession" in app.main.query_one(CaseHeader).render().plain

    run(app, scenario)
