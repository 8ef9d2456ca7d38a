"""What to say on the screen: ``S`` shows the highlighted step's wording filled from the
case, ``c`` copies it, ``m`` puts it into the step's note to edit and save; the remedy
form offers the playbook's alternatives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from workbench.domain.actions import CaseDraft
from workbench.domain.model import Remedy
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.note_form import NoteScreen
from workbench.ui.screens.remedy_form import RemedyScreen
from workbench.ui.screens.say import SayScreen


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(
        CaseDraft("Wrong size sent, second time", "Zoë Dubois (Harbour Dental)"),
        library.get("our-mistake"),
        NOW,
    )
    return WorkbenchApp(
        store=store, library=library, clock=lambda: NOW, settings=Settings(agent="cleo")
    )


def shown(app: WorkbenchApp, part: str) -> str:
    return str(app.screen.query_one(f"#say-{part}", Static).render())


async def to_step(app: WorkbenchApp, pilot: Pilot[None], index: int) -> None:
    app.main.checklist.steps.focus()
    app.main.checklist.steps.highlighted = index
    await pilot.pause()


def test_s_shows_the_highlighted_steps_wording_filled_from_the_case(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 1)  # "Apologise sincerely"
        await pilot.press("S")
        assert isinstance(app.screen, SayScreen)
        assert "step 2: Apologise sincerely" in shown(app, "title")
        assert "to Zoë Dubois (Harbour Dental)" in shown(app, "title")
        assert shown(app, "lines").startswith("Zoë, this one is on us, and I'm sorry.")
        assert not app.screen.query_one("#say-missing").display
        await pilot.press("down", "down")  # step 4 names the remedy, which isn't recorded
        assert "step 4:" in shown(app, "title")
        assert "[remedy]" in shown(app, "lines")
        assert app.screen.query_one("#say-missing").display
        assert "remedy (r records the remedy)" in shown(app, "missing")
        await pilot.press("escape")
        assert not isinstance(app.screen, SayScreen)

    run(app, scenario, size=(80, 24))


def test_on_a_step_to_do_s_shows_the_next_step_to_say(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 4)  # "Weigh the cost": no words; the follow-up call has
        await pilot.press("S")
        assert "step 6: Check back" in shown(app, "title")
        assert "Hello Zoë, it's cleo, calling back about your complaint, wrong size sent" in (
            shown(app, "lines")
        )

    run(app, scenario)


def test_c_copies_the_filled_text(app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch) -> None:
    copied: list[str] = []
    monkeypatch.setattr(WorkbenchApp, "copy_to_clipboard", lambda self, text: copied.append(text))

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 3)
        await pilot.press("S", "c")
        assert copied == [
            "Here is what I'd like to do: [remedy].\n"
            "That covers all of it, and you won't have to chase us for any part."
        ]
        assert isinstance(app.screen, SayScreen)  # still open, to read from

    run(app, scenario)


def test_m_puts_it_into_the_steps_note_to_edit_and_save(
    app: WorkbenchApp, store: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 0)
        await pilot.press("m")  # a note on step 1 first: the wording goes after it
        app.screen.query_one("#note", TextArea).text = "Was shouting."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await to_step(app, pilot, 1)
        await pilot.press("S", "up")  # up from the first worded step stays there
        await pilot.press("m")
        assert isinstance(app.screen, NoteScreen)
        note = app.screen.query_one("#note", TextArea)
        assert note.text.startswith("Zoë, this one is on us")
        note.text = note.text + "\nShe calmed down."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        steps = store.get("C-0001").steps
        assert steps[0].note == "Was shouting."
        assert steps[1].note.startswith("Zoë, this one is on us, and I'm sorry.\nBefore I say")
        assert steps[1].note.endswith("\nShe calmed down.")

    run(app, scenario)


def test_escape_from_a_note_with_wording_added_asks_first(
    app: WorkbenchApp, store: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 1)
        await pilot.press("S", "m")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        assert "Discard what you typed?" in str(app.screen.query_one(Static).render())
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("C-0001").steps[1].note.startswith("Zoë, this one")

    run(app, scenario)


def test_a_case_whose_playbook_has_no_wording_says_so(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    case = store.add(CaseDraft("Late", "Ana"), library.get("unhappy"), NOW)
    store.update(case.id, lambda c: setattr(c, "playbook", "gone"))
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("S")
        await pilot.pause()
        assert not isinstance(app.screen, SayScreen)
        said = [str(n.message) for n in app._notifications]
        assert "No step of C-0001 has wording to suggest." in said, said

    run(app, scenario)


def test_the_filled_remedy_and_follow_up_are_said(app: WorkbenchApp, store: CaseStore) -> None:
    store.update(
        "C-0001", lambda c: setattr(c, "remedy", Remedy("Send the right size", Decimal("16")))
    )

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await to_step(app, pilot, 3)
        await pilot.press("S")
        assert "Here is what I'd like to do: send the right size." in shown(app, "lines")
        assert not app.screen.query_one("#say-missing").display

    run(app, scenario)


def test_the_remedy_form_offers_the_playbooks_alternatives(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("r")
        assert isinstance(app.screen, RemedyScreen)
        ideas = app.screen.query_one("#ideas", Select)
        assert ideas.is_blank()
        ideas.value = "Refund the part that went wrong"
        await pilot.pause()
        assert app.screen.query_one("#description", Input).value == (
            "Refund the part that went wrong"
        )
        await pilot.press("escape")  # something was chosen: asked before it is dropped
        await pilot.press("y")

    run(app, scenario)
