"""ctrl+z and ctrl+y on the screen: each of this screen's changes taken back, newest
first, through the saver; what changed elsewhere meanwhile kept; a change that can't be
taken back any more said, and skipped."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from workbench.cli import main
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Blames us for the parcel", "Ana Chen"), library.get("blame"), NOW)
    store.add(CaseDraft("Charged twice", "Bo Li"), library.get("unhappy"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def saved(db_path: Path, case_id: str = "C-0001") -> Case:
    store = CaseStore(db_path)
    try:
        return store.get(case_id)
    finally:
        store.close()


def said(app: WorkbenchApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def to_checklist(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    app.main.select_case("C-0001")
    await pilot.pause()
    await pilot.press("tab")


def test_undo_takes_back_each_change_newest_first_and_redo_does_them_again(
    app: WorkbenchApp, db_path: Path
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("space")  # tick step 1 (the case goes in progress)
        await pilot.press("j", "m")
        app.screen.query_one("#note", TextArea).text = "Sent photos"
        await pilot.press("ctrl+s")
        await pilot.press("f")
        app.screen.query_one("#when", Input).value = "tomorrow 10am"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        case = saved(db_path)
        assert case.steps[0].done and case.steps[1].note == "Sent photos"
        assert len(case.open_followups) == 1

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert saved(db_path).open_followups == []
        assert any(text.startswith("Undone on C-0001: schedule follow-up") for text in said(app))
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(app, pilot)
        case = saved(db_path)
        assert not case.steps[0].done and case.steps[1].note == ""
        assert case.status is Status.NEW
        assert [e.text.split(" (")[0] for e in case.timeline[-4:]] == [
            "Undone: schedule follow-up",
            "Undone: save note",
            "Status: in progress → new",  # the tick had moved it on: said as a change of status
            "Undone: tick step",
        ]
        await pilot.press("ctrl+z")  # nothing left
        assert "Nothing to undo: no change was made on this screen yet." in said(app)

        await pilot.press("ctrl+y", "ctrl+y")
        await settle(app, pilot)
        case = saved(db_path)
        assert case.steps[0].done and case.steps[1].note == "Sent photos"
        assert case.open_followups == []  # the third is still undone
        assert case.timeline[-1].text.startswith("Redone: save note")

    run(app, scenario)


def test_undo_keeps_a_change_made_elsewhere_meanwhile(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
        # The command line, meanwhile: another step's note, and the owner.
        assert main(["--db", str(db_path), "step", "1", "3", "--note", "From the CLI"]) == 0
        assert main(["--db", str(db_path), "assign", "1", "bo"]) == 0
        await pilot.press("ctrl+z")
        await settle(app, pilot)

    run(app, scenario)
    case = saved(db_path)
    assert not case.steps[0].done
    assert case.steps[2].note == "From the CLI" and case.owner == "bo"


def test_a_change_changed_again_elsewhere_is_not_clobbered(
    app: WorkbenchApp, db_path: Path
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("m")
        app.screen.query_one("#note", TextArea).text = "Mine"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert main(["--db", str(db_path), "step", "1", "1", "--note", "Theirs"]) == 0
        await pilot.pause(2)  # the screen hears of it
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any(
            "Can't undo “save note”: C-0001 has changed since: step 1's note." in text
            for text in said(app)
        ), said(app)
        await pilot.press("ctrl+z")  # it was forgotten: nothing before it
        assert "Nothing to undo: no change was made on this screen yet." in said(app)

    run(app, scenario)
    assert saved(db_path).steps[0].note == "Theirs"


def test_undo_goes_to_the_case_it_changed(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("space")
        await settle(app, pilot)
        app.main.select_case("C-0002")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert app.main.selected is not None and app.main.selected.id == "C-0001"

    run(app, scenario)
    assert not saved(db_path).steps[0].done
    assert not any("Undone" in e.text for e in saved(db_path, "C-0002").timeline)


def test_a_closed_case_is_reopened_by_undoing_its_close(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        case = app.main.selected
        assert case is not None
        closed = NOW + timedelta(minutes=1)
        app.main.change(
            case,
            "close case",
            lambda c: actions.close_case(c, Outcome.LOST, closed, allow_open_steps=True),
        )
        await settle(app, pilot)
        assert saved(db_path).status is Status.CLOSED
        await pilot.press("ctrl+z")
        await settle(app, pilot)

    run(app, scenario)
    case = saved(db_path)
    assert case.status is Status.NEW and case.outcome is None and case.closed_at is None
