"""Time spent on the screen: T starts and stops the timer (one at a time: starting one
stops mine elsewhere), the header shows it running, it survives a restart; L logs minutes
typed in, on the highlighted call."""

from __future__ import annotations

from datetime import datetime, timedelta

from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.time_form import LogTimeScreen
from workbench.ui.widgets.checklist import CaseHeader


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def an_app(store: CaseStore, library: PlaybookLibrary, clock: Clock) -> WorkbenchApp:
    return WorkbenchApp(store=store, library=library, clock=clock, settings=Settings(agent="cleo"))


def header(app: WorkbenchApp) -> str:
    return app.main.query_one(CaseHeader).render().plain


def test_t_times_a_case_and_the_timer_survives_a_restart(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    store.add(CaseDraft("Charged twice", "Ana Chen"), library.get("unhappy"), NOW)
    store.add(CaseDraft("Late parcel", "Bo Li"), library.get("unhappy"), NOW)
    clock = Clock()

    async def start(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        assert "⏱ 0m running (yours)" in header(app)

    run(an_app(store, library, clock), start)
    assert store.get("C-0001").timer_by == "cleo"

    clock.now = NOW + timedelta(minutes=25)

    async def switch(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        assert "⏱ 25m running (yours)" in header(app)  # after a restart, still running
        app.main.select_case("C-0002")
        await pilot.pause()
        await pilot.press("T")  # mine stops on C-0001 first
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("(stopped on C-0001 first: 25m kept there)" in text for text in said), said

    run(an_app(store, library, clock), switch)
    first, second = store.get("C-0001"), store.get("C-0002")
    assert first.timer_started_at is None and first.minutes_spent == 25
    assert second.timer_started_at == NOW + timedelta(minutes=25)


def test_l_logs_minutes_on_the_highlighted_call(store: CaseStore, library: PlaybookLibrary) -> None:
    store.add(CaseDraft("Charged twice", "Ana Chen"), library.get("unhappy"), NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.checklist.steps.focus()
        app.main.checklist.steps.highlighted = 0  # "Empathise": the contact step
        await pilot.pause()
        await pilot.press("L")
        assert isinstance(app.screen, LogTimeScreen)
        field = app.screen.query_one("#minutes", Input)
        field.value = "soon"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LogTimeScreen)  # kept open, the mistake said
        assert "is not a number of minutes" in str(app.screen.query_one("#minutes-error").render())
        field.value = "1:10"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1h 10m spent" in header(app)

    run(an_app(store, library, Clock()), scenario)
    [entry] = store.get("C-0001").time_spent
    assert (entry.minutes, entry.step, entry.author) == (70, "empathise", "cleo")
