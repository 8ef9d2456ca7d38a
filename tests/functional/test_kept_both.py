"""On screen: nothing lost, misread or overwritten.

A form edits a copy of the case as it was when it opened. When the same text is changed
underneath meanwhile (by the command line, say) both texts are kept and the screen says
so; a change of playbook keeps what was done and written, and shows it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from workbench.cli import main
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.merge import SEPARATOR
from workbench.domain.model import Case
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.main import MainScreen


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    opened = NOW - timedelta(hours=2)
    store.add(CaseDraft("Blames us for the parcel", "Ana Chen"), library.get("blame"), opened)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def notices(app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification the app shows from now on, as its text."""
    said: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", recording)
    return said


def saved(db_path: Path) -> Case:
    """The case as the file holds it, read afresh."""
    store = CaseStore(db_path)
    try:
        return store.get("C-0001")
    finally:
        store.close()


def elsewhere(db_path: Path, *args: str) -> None:
    """The command line, run on the same file while the screen is open."""
    assert main(["--db", str(db_path), *args], clock=lambda: NOW) == 0


async def to_checklist(app: WorkbenchApp, pilot: Pilot[None]) -> None:
    app.main.select_case("C-0001")
    await pilot.pause()
    await pilot.press("tab")


def test_a_step_note_written_elsewhere_while_the_form_is_open_is_kept(
    app: WorkbenchApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = notices(app, monkeypatch)
    typed: list[str] = []

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("j", "m")  # step 2's note
        await pilot.pause()
        elsewhere(db_path, "step", "C-0001", "2", "--note", "Written by the CLI")
        await pilot.press(*"She wants photos of the box")
        typed.append(app.screen.query_one("#note", TextArea).text)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)

    run(app, scenario)
    assert typed == ["She wants photos of the box"]
    note = saved(db_path).steps[1].note
    assert note == "Written by the CLI" + SEPARATOR + "She wants photos of the box"
    assert "Step 2's note was changed elsewhere while you wrote; both texts are kept." in said
    assert "both texts are kept" in saved(db_path).timeline[-1].text


def test_a_note_left_as_it_was_keeps_the_one_written_elsewhere(
    app: WorkbenchApp, db_path: Path
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        elsewhere(db_path, "step", "C-0001", "1", "--note", "Written by the CLI")
        await pilot.press("ctrl+s")  # saved as it was shown: empty
        await settle(app, pilot)

    run(app, scenario)
    assert saved(db_path).steps[0].note == "Written by the CLI"


def test_changing_the_playbook_on_screen_keeps_done_steps_and_notes(
    app: WorkbenchApp, db_path: Path, library: PlaybookLibrary
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("space", "m", *"The courier, she says", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#playbook", Select).value = "wrong"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        checklist = app.main.checklist
        assert str(checklist.border_title).endswith("0/6 done")
        prompts = [
            str(checklist.steps.get_option_at_index(i).prompt)
            for i in range(checklist.steps.option_count)
        ]
        assert len(prompts) == 7
        assert prompts[-1].startswith("☑ 7. ✎ See it from their side first")
        assert prompts[-1].endswith(" · from “Customer blames you”")

    run(app, scenario)
    case = saved(db_path)
    kept = case.steps[-1]
    assert (kept.done, kept.note, kept.from_playbook) == (True, "The courier, she says", "blame")
    assert case.open_steps == case.steps[:6]
    assert case.timeline[-1].text.endswith(
        "Kept from “Customer blames you”: “See it from their side first” (done, with its note)"
    )


def test_a_title_changed_elsewhere_while_editing_keeps_both(
    app: WorkbenchApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = notices(app, monkeypatch)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        elsewhere(db_path, "edit", "C-0001", "--title", "Parcel lost", "--heat", "calm")
        app.screen.query_one("#title", Input).value = "Parcel arrived broken"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    case = saved(db_path)
    assert case.title == "Parcel arrived broken (elsewhere: Parcel lost)"
    assert case.heat.value == "calm"  # not touched in the form: the change made elsewhere stays
    assert "The title was changed elsewhere while you wrote; both texts are kept." in said


def test_a_remedy_changed_elsewhere_while_editing_keeps_both(
    app: WorkbenchApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = notices(app, monkeypatch)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        elsewhere(db_path, "remedy", "C-0001", "Voucher", "--cost", "20")
        await pilot.press(*"Refund")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    remedy = saved(db_path).remedy
    assert remedy is not None
    assert (remedy.description, remedy.cost) == ("Refund (elsewhere: Voucher)", Decimal("20"))
    assert any(text.startswith("The remedy's description was changed elsewhere") for text in said)


def test_a_followup_done_elsewhere_while_writing_keeps_both_notes(
    app: WorkbenchApp, store: CaseStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.update(
        "C-0001", lambda c: actions.schedule_followup(c, NOW + timedelta(hours=1), "Call", NOW)
    )
    said = notices(app, monkeypatch)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        app.main.calendar.focus()
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        elsewhere(db_path, "followup", "C-0001", "--done", "F1", "--note", "Left a voicemail")
        await pilot.press(*"She accepted", "enter")
        await settle(app, pilot)

    run(app, scenario)
    note = saved(db_path).followup(1).note
    assert note == "Left a voicemail" + SEPARATOR + "She accepted"
    assert "Follow-up F1 was marked done elsewhere while you wrote; both notes are kept." in said


def test_text_shown_spelled_out_and_left_as_it_was_is_not_rewritten(
    store: CaseStore, library: PlaybookLibrary, db_path: Path
) -> None:
    store.add(CaseDraft("Beep \x07 in the title", "Ana\x1b[31m"), library.get("blame"), NOW)
    before, _ = store.update(
        "C-0001", lambda c: actions.set_step_note(c, 0, "Tab\there \x1b[2J", NOW)
    )
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_checklist(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#title", Input).value == "Beep \\x07 in the title"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert "\\x1b" in app.screen.query_one("#note", TextArea).text
        await pilot.press("ctrl+s")
        await settle(app, pilot)

    run(app, scenario)
    case = saved(db_path)
    assert (case.title, case.customer) == ("Beep \x07 in the title", "Ana\x1b[31m")
    assert case.steps[0].note == "Tab\there \x1b[2J"
    assert case.revision == before.revision  # nothing written from the screen
