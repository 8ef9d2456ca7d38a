"""Response targets on the screen (issue 20, part 4): the list's mark and the header's line
move with a steppable clock at the target's edge; E asks, then escalates (marked ▲, given to
the escalate_to agent, on the timeline), and ctrl+z takes it back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from helpers.app_driver import run
from helpers.clock import NOW, SteppingClock
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.domain.actions import CaseDraft
from workbench.domain.agents import signed
from workbench.domain.model import Case, Channel, EventKind, Heat, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import DEFAULT_TARGETS, Targets
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.widgets.checklist import CaseHeader


def header(app: WorkbenchApp) -> str:
    rendered = app.main.checklist.query_one("#case-header", CaseHeader).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def said(app: WorkbenchApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def row_mark(app: WorkbenchApp) -> str:
    return str(app.main.case_list.table.get_row_at(0)[0])


def test_a_furious_case_is_marked_the_moment_its_hour_runs_out_then_escalated(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    clock = SteppingClock(NOW)
    draft = CaseDraft("Charged twice", "Bo Li", heat=Heat.FURIOUS, channel=Channel.EMAIL)
    store.add(draft, library.get("unhappy"), NOW)
    app = WorkbenchApp(
        store=store, library=library, clock=clock, settings=Settings(escalate_to="sam")
    )

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        app.main.check_due()  # the first look
        await pilot.pause()
        assert "◷ First contact due within 1h (target 1h)" in header(app)
        assert row_mark(app) == "C-0001 "
        clock.step(hours=1)  # exactly due: still in time
        app.main.check_due()
        await pilot.pause()
        assert "⌛" not in row_mark(app) and not said(app)
        clock.step(seconds=1)
        app.main.check_due()  # the screen looks every 10 seconds
        await pilot.pause()
        assert row_mark(app) == "C-0001⌛"
        assert "⌛ No contact yet, 0m late (target 1h). Don't wait: call them now." in header(app)
        assert said(app) == [
            "⌛ C-0001 Bo Li: no contact yet, 0m late (target 1h for furious). E escalates it."
        ]
        app.main.check_due()
        await pilot.pause()
        assert len(said(app)) == 1  # said once

        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.query_one(".dialog-question", Static).render()
        assert str(question) == (
            "Escalate C-0001? No contact yet, 0m late (target 1h for furious). It goes to sam."
        )
        await pilot.press("y")
        await pilot.pause()
        case = app.main.session.cases["C-0001"]
        assert case.escalated_at == clock() and case.owner == "sam"
        assert row_mark(app) == "C-0001▲"
        assert "▲ Escalated just now." in header(app)
        assert "C-0001: Escalated to sam: first contact 0m late" in said(app)[-1]
        assert app.session.wait_saved(10)
        await pilot.press("ctrl+z")
        await pilot.pause()
        case = app.main.session.cases["C-0001"]
        assert case.escalated_at is None and case.owner == ""
        assert "⌛" in row_mark(app)
        assert app.session.wait_saved(10)

    run(app, scenario)
    stored = store.get("C-0001")
    assert stored.escalated_at is None  # undone, and the undo saved
    assert [e.kind for e in stored.timeline].count(EventKind.ESCALATED) == 1  # said, kept


def test_escalating_a_resolved_case_is_refused_in_words(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    from workbench.domain.model import Status

    case = store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), NOW)
    store.update(case.id, lambda c: setattr(c, "status", Status.RESOLVED))
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW + timedelta(days=9))

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert any(
            "C-0001 is resolved: there is nothing to escalate." in str(n.message)
            for n in app._notifications
        )

    run(app, scenario)
    assert store.get("C-0001").escalated_at is None


def test_a_woken_case_comes_back_at_the_top_marked_no_answer_yet(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    from workbench.domain import actions

    clock = SteppingClock(NOW)
    old = store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), NOW)
    store.update(
        old.id,
        lambda c: actions.schedule_followup(
            c, NOW - timedelta(hours=2), "An old promise", NOW - timedelta(days=1)
        ),
    )
    waiting = store.add(CaseDraft("Late parcel", "Ana Chen"), library.get("unhappy"), NOW)
    store.update(waiting.id, lambda c: actions.wait_until(c, NOW + timedelta(minutes=5), NOW))
    app = WorkbenchApp(store=store, library=library, clock=clock)

    def first_rows(app: WorkbenchApp) -> list[str]:
        table = app.main.case_list.table
        return [str(table.get_row_at(row)[0]) for row in range(2)]

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.check_due()
        await pilot.pause()
        assert first_rows(app) == ["C-0001 ", "C-0002 "]  # the overdue promise first
        clock.step(minutes=5)
        app.main.check_due()
        await pilot.pause()
        assert first_rows(app) == ["C-0002⏰", "C-0001 "]
        assert any("No answer yet: check in with them" in text for text in said(app))

    run(app, scenario)


def test_a_case_late_on_resolution_is_marked_once_it_is_read_whole(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    """The list's first rows come from heads, which have no timeline (so no waiting to
    leave out): a head is not said late on resolution, the whole case is. (That the rows
    in view are painted again when the whole cases arrive, the snapshots of the main
    screen hold: without it they show the heads' marks.)"""
    from workbench.domain import actions

    old = NOW - timedelta(days=6)
    case = store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), old)
    store.update(case.id, lambda c: actions.set_status(c, Status.IN_PROGRESS, old))
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert not app.main.session.is_head("C-0001")
        assert row_mark(app) == "C-0001⌛"  # upset: 5 days, and 6 have gone

    run(app, scenario)


def test_a_case_another_agent_escalates_to_me_is_said_once(
    store: CaseStore, library: PlaybookLibrary, db_path: Path
) -> None:

    draft = CaseDraft("Charged twice", "Bo Li", heat=Heat.FURIOUS, channel=Channel.EMAIL)
    store.add(draft, library.get("unhappy"), NOW)
    earlier = store.add(draft, library.get("unhappy"), NOW)  # escalated before I looked
    store.update(earlier.id, signed(lambda c: actions_escalate(c, DEFAULT_TARGETS), "ana"))
    app = WorkbenchApp(
        store=store, library=library, clock=lambda: NOW, settings=Settings(agent="sam")
    )
    rings: list[None] = []

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.bell = lambda: rings.append(None)  # type: ignore[method-assign]
        other = CaseStore(db_path)  # ana's workbench on the same file
        escalate = signed(lambda c: actions_escalate(c, DEFAULT_TARGETS), "ana")
        other.update("C-0001", escalate)
        for _ in range(60):
            await pilot.pause(0.1)
            if app.main.session.cases["C-0001"].escalated_at is not None:
                break
        await pilot.pause()
        told = [text for text in said(app) if text.startswith("▲")]
        assert told == [
            "▲ C-0001 Bo Li was escalated to you by ana: Escalated to sam: first contact "
            "1h late (target 1h for furious)."
        ]
        assert rings == [None]
        other.update("C-0001", signed(lambda c: actions_note(c), "ana"))  # any later change
        for _ in range(30):
            await pilot.pause(0.1)
        assert len([text for text in said(app) if text.startswith("▲")]) == 1  # said once
        other.close()

    run(app, scenario)


def actions_escalate(case: Case, targets: Targets) -> str:
    from workbench.domain import actions

    return actions.escalate(case, targets, NOW + timedelta(hours=2), to="sam")


def actions_note(case: Case) -> object:
    from workbench.domain import actions

    return actions.add_note(case, "Left a message", NOW + timedelta(hours=3))


def test_targets_running_out_are_said_for_the_cases_the_list_is_for(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    from workbench.domain import agents
    from workbench.ui.widgets.case_list import Whose

    draft = CaseDraft("Charged twice", "Bo Li", heat=Heat.FURIOUS, channel=Channel.EMAIL)
    for owner in ("sam", "bo"):
        case = store.add(draft, library.get("unhappy"), NOW)
        store.update(case.id, lambda c, who=owner: agents.assign(c, who, NOW))
    clock = SteppingClock(NOW)
    app = WorkbenchApp(store=store, library=library, clock=clock, settings=Settings(agent="sam"))

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.case_list.whose = Whose.MINE
        app.main.check_due()
        clock.step(hours=1, seconds=1)
        app.main.check_due()
        await pilot.pause()
        ran_out = [text for text in said(app) if text.startswith("⌛")]
        assert [text.split(":")[0] for text in ran_out] == ["⌛ C-0001 Bo Li"]  # not bo's

    run(app, scenario)


def test_an_agent_named_like_markup_is_said_as_written(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    draft = CaseDraft("Charged twice", "Bo Li", heat=Heat.FURIOUS, channel=Channel.EMAIL)
    store.add(draft, library.get("unhappy"), NOW)
    settings = Settings(escalate_to="Ops [night][/]")
    app = WorkbenchApp(
        store=store, library=library, clock=lambda: NOW + timedelta(hours=2), settings=settings
    )

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        [told] = [n for n in app._notifications if "Escalated to" in str(n.message)]
        assert "Escalated to Ops [night][/]: first contact" in str(told.message)
        assert told.markup is False  # shown as written, never read as markup
        assert app.main.session.cases["C-0001"].owner == "Ops [night][/]"

    run(app, scenario)
