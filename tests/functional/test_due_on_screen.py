"""A follow-up falling due while the workbench is open (issue 20, part 1): said once by
name with the bell (unless turned off), found with "Due now", snoozed with z (the move on
its timeline); a steppable clock drives it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW, SteppingClock
from textual.pilot import Pilot
from textual.widgets import Input

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.followup_form import FollowUpScreen


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(NOW)


def make_app(
    store: CaseStore, library: PlaybookLibrary, clock: SteppingClock, bell: bool = True
) -> WorkbenchApp:
    late = store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), NOW)
    store.update(
        late.id,
        lambda c: actions.schedule_followup(
            c, NOW - timedelta(hours=2), "Old promise", NOW - timedelta(days=1)
        ),
    )
    soon = store.add(CaseDraft("Late parcel", "Ana Chen"), library.get("unhappy"), NOW)
    store.update(
        soon.id,
        lambda c: actions.schedule_followup(
            c, NOW + timedelta(minutes=5), "Call about the parcel", NOW
        ),
    )
    app = WorkbenchApp(store=store, library=library, clock=clock)
    app.settings = replace(app.settings, bell=bell)
    return app


def said(app: WorkbenchApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_a_follow_up_falling_due_is_said_once_with_the_bell(
    store: CaseStore,
    library: PlaybookLibrary,
    clock: SteppingClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(store, library, clock)
    rings: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(None))

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.check_due()
        await pilot.pause()
        assert not any("⏰" in text for text in said(app))  # the old one was overdue already
        clock.step(minutes=4, seconds=59)
        app.main.check_due()
        await pilot.pause()
        assert not any("⏰" in text for text in said(app)) and not rings  # not yet
        clock.step(seconds=1)  # due this instant
        app.main.check_due()
        await pilot.pause()
        due = [text for text in said(app) if "⏰" in text]
        assert due == [
            "⏰ Follow-up due: C-0002 Ana Chen: Call about the parcel. z snoozes it; "
            "ctrl+p “Due now” goes to it."
        ]
        assert len(rings) == 1
        clock.step(minutes=1)
        app.main.check_due()  # said once only
        await pilot.pause()
        assert len([text for text in said(app) if "⏰" in text]) == 1 and len(rings) == 1
        app.main.action_due_now()
        await pilot.pause()
        assert app.main.selected is not None and app.main.selected.id == "C-0002"

    run(app, scenario, size=(80, 24))


def test_the_bell_can_be_turned_off(
    store: CaseStore,
    library: PlaybookLibrary,
    clock: SteppingClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(store, library, clock, bell=False)
    rings: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(None))

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.check_due()
        clock.step(minutes=6)
        app.main.check_due()
        await pilot.pause()
        assert any("⏰" in text for text in said(app)) and not rings

    run(app, scenario)


def test_z_snoozes_the_follow_up_that_fell_due(
    store: CaseStore, library: PlaybookLibrary, clock: SteppingClock
) -> None:
    app = make_app(store, library, clock)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.check_due()
        clock.step(minutes=6)
        app.main.check_due()
        await pilot.press("z")
        assert isinstance(app.screen, FollowUpScreen)
        when = app.screen.query_one("#when", Input)
        when.value = "in 15 minutes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FollowUpScreen)

    run(app, scenario)
    case = store.get("C-0002")
    [item] = case.open_followups
    assert item.due == clock.now + timedelta(minutes=15)
    assert case.timeline[-1].text.startswith("Follow-up F1 moved")


def test_with_nothing_due_z_says_so(store: CaseStore, library: PlaybookLibrary) -> None:
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("z")
        await pilot.pause()
        assert "No follow-up is due: nothing to snooze." in said(app)

    run(app, scenario)


def test_bell_in_the_settings_file_is_true_or_false(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from workbench.settings import SettingsError, load_settings

    good = tmp_path / "good.toml"
    good.write_text("bell = false\n")
    assert load_settings(good, environ={}).bell is False
    assert Settings().bell is True
    bad = tmp_path / "bad.toml"
    bad.write_text('theme = "nord"\nbell = "false"\n')
    with pytest.raises(SettingsError) as raised:
        load_settings(bad, environ={})
    assert (
        "line 2: bell must be true or false, not “false” (text). Write it without quotes."
        in str(raised.value)
    )


def test_s_waiting_asks_until_when_and_the_header_says_it(
    store: CaseStore, library: PlaybookLibrary, clock: SteppingClock
) -> None:
    from workbench.ui.screens.status_form import StatusScreen
    from workbench.ui.screens.wait_form import WaitScreen
    from workbench.ui.widgets.checklist import CaseHeader

    app = make_app(store, library, clock)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, StatusScreen)
        await pilot.press("down", "down", "enter")  # new, in progress, waiting
        await pilot.pause()
        assert isinstance(app.screen, WaitScreen)
        app.screen.query_one("#until", Input).value = "in 2 days"
        await pilot.press("ctrl+s")
        await pilot.pause()
        header = app.main.query_one(CaseHeader).render().plain
        assert "⏳ Waiting on them until Wed 25 Nov, 09:00." in header
        assert app.session.wait_saved(10)
        clock.step(days=2)
        app.main.check_due()
        await pilot.pause()
        assert any("No answer yet: check in with them" in text for text in said(app))
        app.main.select_case("C-0002")
        app.main.select_case("C-0001")
        await pilot.pause()
        header = app.main.query_one(CaseHeader).render().plain
        assert "⏰ No answer yet: waited until Wed 25 Nov, 09:00. Check in with them." in header

    run(app, scenario, size=(120, 40))
    assert store.get("C-0001").followups[-1].wakes
