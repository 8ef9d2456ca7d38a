"""The follow-up calendar driven by keys; each flow checks what the store holds afterwards."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers.clock import NOW
from test_app import run, select, settle
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Fault, Heat, Resolution, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.done_form import FollowUpDoneScreen
from workbench.ui.screens.followup_form import FollowUpScreen
from workbench.ui.screens.main import MainScreen
from workbench.ui.screens.overdue import OverdueScreen

TOMORROW_10 = datetime(2026, 11, 24, 10, 0, tzinfo=NOW.tzinfo)


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    opened = NOW - timedelta(days=3)
    store.add(
        CaseDraft("Charged twice", "Ana Chen", heat=Heat.FURIOUS, fault=Fault.OURS),
        library.get("our-mistake"),
        opened,
    )
    store.add(CaseDraft("Late delivery", "Ben Okafor"), library.get("unhappy"), opened)
    store.update("C-0001", lambda c: actions.schedule_followup(c, TOMORROW_10, "Call back", opened))
    store.update(
        "C-0001",
        lambda c: actions.schedule_followup(c, NOW - timedelta(days=2), "Send the form", opened),
    )
    store.update(
        "C-0002",
        lambda c: actions.schedule_followup(c, NOW - timedelta(hours=3), "Ring them", opened),
    )
    return store


@pytest.fixture
def app(seeded: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    return WorkbenchApp(store=seeded, library=library, clock=lambda: NOW)


def test_navigate_months_and_land_on_today(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        calendar = app.main.calendar
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert calendar.selected == date(2027, 1, 23)
        await pilot.press("less_than_sign")
        assert calendar.selected == date(2026, 12, 23)
        await pilot.press("t")
        assert calendar.selected == NOW.date()
        await pilot.press("tab", "tab")  # to the calendar grid
        await pilot.press("l", "j")  # a day on, a week on
        assert calendar.selected == date(2026, 12, 1)

    run(app, scenario)


def test_mark_done_with_an_outcome_note(app: WorkbenchApp, seeded: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.calendar.selected = TOMORROW_10.date()
        await pilot.pause()
        await pilot.press("d", *"Refund confirmed", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)

    run(app, scenario)
    item = seeded.get("C-0001").followup(1)
    assert item.done_at == NOW and item.note == "Refund confirmed"


def test_reschedule_records_the_move(app: WorkbenchApp, seeded: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.calendar.selected = TOMORROW_10.date()
        await pilot.pause()
        await pilot.press("F", *"in 2 days")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.main.calendar.selected == date(2026, 11, 25)

    run(app, scenario)
    case = seeded.get("C-0001")
    assert case.followup(1).due == datetime(2026, 11, 25, 9, 0, tzinfo=NOW.tzinfo)
    assert "moved from Tue 24 Nov, 10:00 to Wed 25 Nov, 09:00" in case.timeline[-1].text


def test_overdue_view_lists_oldest_first_and_opens_the_case(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await select(app, pilot, "C-0002")
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, OverdueScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert [str(key.value) for key in table.rows] == ["C-0001/2", "C-0002/1"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # enter goes to the case; nothing is done
        assert app.main.case_list.selected_id == "C-0001"
        assert app.main.calendar.selected == (NOW - timedelta(days=2)).date()

    run(app, scenario)


def test_d_in_the_overdue_view_marks_the_highlighted_follow_up_done(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, OverdueScreen)
        await pilot.press("down", "d")  # the second line: C-0002's F1
        await pilot.pause()
        assert isinstance(app.screen, FollowUpDoneScreen)  # the done form, as d on the calendar
        await pilot.press(*"Spoke to them", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.case_list.selected_id == "C-0002"

    run(app, scenario)
    item = seeded.get("C-0002").followup(1)
    assert item.done_at == NOW and item.note == "Spoke to them"
    assert seeded.get("C-0001").followup(2).done_at is None


def test_overdue_view_ends_a_long_what_to_do_with_an_ellipsis(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    long = "Ring them back about the replacement and the refund " * 3
    seeded.update(
        "C-0002", lambda c: actions.schedule_followup(c, NOW - timedelta(days=5), long, NOW)
    )

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("O")
        await pilot.pause(0.2)
        table = app.screen.query_one(DataTable)
        lines = [table.render_line(y).text.rstrip() for y in range(table.size.height)]
        [line] = [line for line in lines if "C-0002 F2" in line]
        assert line.endswith("…"), line
        assert "Ring them bac" in line
        box = app.screen.query_one("#overdue-box").content_region
        assert table.region.right <= box.right
        await pilot.press("escape")

    run(app, scenario, size=(80, 24))


@pytest.mark.parametrize(("size", "due_shown"), [((60, 20), False), ((80, 24), True)])
def test_overdue_view_at_60x20_keeps_what_to_do_and_drops_the_due_time(
    app: WorkbenchApp, seeded: CaseStore, size: tuple[int, int], due_shown: bool
) -> None:
    """At 60 columns the exact due time gives way ("Late by" says it) so what to do shows,
    with no sideways scrolling."""
    seeded.update(
        "C-0002",
        lambda c: actions.schedule_followup(c, NOW - timedelta(days=5), "Ring them back", NOW),
    )

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("O")
        await pilot.pause(0.2)
        table = app.screen.query_one(DataTable)
        headings = [str(column.label) for column in table.columns.values()]
        assert ("Due" in headings) is due_shown
        assert headings[-4:] == ["Late by", "Case", "Customer", "What to do"]
        assert table.max_scroll_x == 0  # nothing to scroll sideways to
        lines = [table.render_line(y).text for y in range(table.size.height)]
        [line] = [line for line in lines if "C-0002 F2" in line]
        assert "Ring them ba" in line and "5d" in line
        await pilot.press("escape")

    run(app, scenario, size=size)


def test_ticking_the_follow_up_step_offers_to_schedule_one(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await select(app, pilot, "C-0002")
        steps = app.main.checklist.steps
        steps.highlighted = len(seeded.get("C-0002").steps) - 1  # the follow-up step
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)
        await pilot.press(*"fri 2pm")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    case = seeded.get("C-0002")
    assert case.steps[-1].done
    assert [f.due.isoformat() for f in case.open_followups][-1] == "2026-11-27T14:00:00+01:00"


def test_closing_asks_whether_to_cancel_open_followups(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await select(app, pilot, "C-0001")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#retained").value = True  # type: ignore[attr-defined]
        app.screen.query_one("#confirm").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)

    run(app, scenario)
    case = seeded.get("C-0001")
    assert case.status is Status.CLOSED
    assert case.open_followups == []
    assert all(f.cancelled_at == NOW for f in case.followups)


def test_escape_on_the_offer_schedules_nothing(app: WorkbenchApp, seeded: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await select(app, pilot, "C-0002")
        app.main.checklist.steps.highlighted = len(seeded.get("C-0002").steps) - 1
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.query_one("#when", Input).value == ""
        await pilot.press("escape")
        await settle(app, pilot)

    run(app, scenario)
    case = seeded.get("C-0002")
    assert case.steps[-1].done and len(case.followups) == 1


def test_the_done_form_asks_how_it_stands_with_left_and_right(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("O")
        await pilot.pause()
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpDoneScreen)
        await pilot.press(*"Card arrived", "tab", "right", "right")  # resolved → partly
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Follow-up F1 of C-0002 done (partly resolved)." in [
            str(n.message) for n in app._notifications
        ]

    run(app, scenario)
    item = seeded.get("C-0002").followup(1)
    assert item.note == "Card arrived" and item.result is Resolution.PARTLY


def test_f_makes_a_series_from_its_repeat_field_and_a_repeat_that_wont_do_waits(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    before = len(seeded.get("C-0002").followups)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await select(app, pilot, "C-0002")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)
        app.screen.query_one("#when", Input).value = "fri 2pm"
        repeat = app.screen.query_one("#repeat", Input)
        repeat.value = "every fortnight"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)  # refused beside the field, kept
        assert "“every fortnight” is not a repeat" in str(
            app.screen.query_one("#repeat-preview").render()
        )
        repeat.value = "every 60 weeks"  # past a year: said here, not lost on saving
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)
        assert "Repeat every 1 to 365 days" in str(app.screen.query_one("#repeat-preview").render())
        repeat.value = "every week, 3 times"
        await pilot.pause()
        assert str(app.screen.query_one("#repeat-preview").render()) == "→ every week, 3 in all"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    case = seeded.get("C-0002")
    assert len(case.followups) == before + 1
    added = case.followups[-1]
    assert (added.due.isoformat(), added.every_days, added.repeats_left) == (
        "2026-11-27T14:00:00+01:00",
        7,
        2,
    )
