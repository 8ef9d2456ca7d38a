"""Nothing typed is lost by a slip: escape on a changed form asks, an export that fails stays.

Every form is driven at 80x24 the way an agent would: type, escape, and the workbench asks
"Discard what you typed?"; no (or escape) goes back with the text intact, yes closes with
nothing saved; a form left as it opened closes at once. The export form stays open
through a file that can't be written and through "Replace it? no".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from test_forms import SIZE, drive, fits_on_screen, focus, make_case, rendered, type_text
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, TextArea

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.dates import DateSettings
from workbench.domain.exports import ExportError, ExportExistsError
from workbench.domain.model import Channel, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore, StoreError
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.base import DISCARD_QUESTION, ConfirmScreen, FormScreen
from workbench.ui.screens.case_form import CaseFormScreen
from workbench.ui.screens.close_form import CloseScreen
from workbench.ui.screens.done_form import FollowUpDoneScreen
from workbench.ui.screens.export_form import ExportJob, ExportRequest, ExportScreen
from workbench.ui.screens.followup_form import FollowUpScreen
from workbench.ui.screens.main import MainScreen
from workbench.ui.screens.note_form import NoteScreen
from workbench.ui.screens.remedy_form import RemedyScreen
from workbench.ui.screens.status_form import StatusScreen


def value(form: Screen[Any], selector: str) -> object:
    widget = form.query_one(selector)
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select):
        return widget.value
    raise TypeError(widget)


def no_export(request: ExportRequest) -> ExportJob:
    raise AssertionError("nothing is written by these tests")


@dataclass(frozen=True)
class Form:
    """A form, where to type in it, and what that field holds afterwards."""

    make: Callable[[PlaybookLibrary], FormScreen[Any]]
    field: str
    typed: str
    holds: str


FORMS = {
    "new case": Form(lambda lib: CaseFormScreen(lib), "#title", "Half typed", "Half typed"),
    "edit case": Form(
        lambda lib: CaseFormScreen(lib, make_case(lib)),
        "#title",
        " again",
        "Charged twice for March again",
    ),
    "step note": Form(lambda lib: NoteScreen("Note", "kept"), "#note", " said no", "kept said no"),
    "follow-up": Form(
        lambda lib: FollowUpScreen(lambda: NOW, DateSettings(), Channel.PHONE),
        "#when",
        "tomorrow 10am",
        "tomorrow 10am",
    ),
    "move follow-up": Form(
        lambda lib: FollowUpScreen(
            lambda: NOW, DateSettings(), Channel.PHONE, what="call back", heading="Move F1"
        ),
        "#when",
        "fri 2pm",
        "fri 2pm",
    ),
    "follow-up done": Form(
        lambda lib: FollowUpDoneScreen(Content("C-0001 F1")),
        "#outcome",
        "left a message",
        "left a message",
    ),
    "remedy": Form(lambda lib: RemedyScreen(None), "#description", "Refund", "Refund"),
    "close": Form(lambda lib: CloseScreen(make_case(lib)), "#note", "they left", "they left"),
    "export": Form(
        lambda lib: ExportScreen(lambda: NOW, DateSettings(), no_export),
        "#start",
        " 9am",
        "today 9am",
    ),
}


async def type_into(pilot: Pilot[None], form: Screen[Any], spec: Form) -> None:
    await focus(pilot, spec.field)
    if isinstance(form.query_one(spec.field), Input):
        await pilot.press("end")
    await type_text(pilot, spec.typed)
    assert value(form, spec.field) == spec.holds


async def asked(pilot: Pilot[None]) -> ConfirmScreen:
    """The discard question is on top, whole and readable at 80x24."""
    await pilot.pause()
    question = pilot.app.screen
    assert isinstance(question, ConfirmScreen)
    assert rendered(question.query_one(".dialog-question")) == DISCARD_QUESTION
    assert rendered(question.query_one("#yes")) == "Discard"
    assert rendered(question.query_one("#no")) == "Keep editing"
    fits_on_screen(pilot, ".dialog-question", "#yes", "#no")
    return question


async def back_on(pilot: Pilot[None], form: Screen[Any], spec: Form) -> None:
    await pilot.pause()
    assert pilot.app.screen is form
    assert value(form, spec.field) == spec.holds


@pytest.mark.parametrize("name", FORMS)
def test_escape_after_typing_asks_and_no_keeps_the_text(
    name: str, library: PlaybookLibrary
) -> None:
    spec = FORMS[name]
    form = spec.make(library)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_into(pilot, form, spec)
        await pilot.press("escape")
        await asked(pilot)
        await pilot.press("n")
        await back_on(pilot, form, spec)
        assert pilot.app.focused is form.query_one(spec.field)  # typing goes on where it was
        await pilot.press("escape")
        await asked(pilot)
        await pilot.press("escape")  # escape on the question backs out too
        await back_on(pilot, form, spec)
        await pilot.click("#cancel")  # the Cancel button asks the same
        await asked(pilot)
        await pilot.press("enter")  # "Keep editing" has the focus
        await back_on(pilot, form, spec)

    assert drive(form, scenario) == []


@pytest.mark.parametrize("name", FORMS)
def test_escape_after_typing_then_yes_closes_with_nothing(
    name: str, library: PlaybookLibrary
) -> None:
    spec = FORMS[name]
    form = spec.make(library)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_into(pilot, form, spec)
        await pilot.press("escape")
        await asked(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen is not form

    assert drive(form, scenario) == [None]


@pytest.mark.parametrize("name", FORMS)
def test_an_unchanged_form_closes_at_once(name: str, library: PlaybookLibrary) -> None:
    form = FORMS[name].make(library)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("escape")

    assert drive(form, scenario) == [None]


def test_typing_undone_counts_as_unchanged() -> None:
    form = NoteScreen("Note", "kept")

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "ab")
        await pilot.press("backspace", "backspace", "escape")

    assert drive(form, scenario) == [None]


def test_a_choice_made_counts_as_a_change(library: PlaybookLibrary) -> None:
    """A drop-down or a radio button picked is work too (the heat, how the case ended)."""
    case_form = CaseFormScreen(library)
    close_form = CloseScreen(make_case(library))

    async def pick_heat(pilot: Pilot[None]) -> None:
        await focus(pilot, "#heat")
        await pilot.press("enter", "up", "enter", "escape")
        await asked(pilot)

    async def pick_outcome(pilot: Pilot[None]) -> None:
        await pilot.press("down", "enter", "escape")  # focus on the outcomes; pick one
        await asked(pilot)

    assert drive(case_form, pick_heat) == []
    assert drive(close_form, pick_outcome) == []


def test_the_status_list_closes_at_once() -> None:
    """Nothing is typed in the status list: moving the highlight is looking, enter picks,
    so escape leaves without a question."""
    form = StatusScreen(Status.NEW)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("down", "down")
        assert form.query_one("#status", OptionList).highlighted == 2
        await pilot.press("escape")

    assert drive(form, scenario) == [None]


# --- Export: the form stays until the file is written ------------------------------------


class FakeExport:
    """Stands in for the workbench's export: fails as told, then writes."""

    def __init__(self, *outcomes: BaseException | int) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[ExportRequest, bool]] = []

    def __call__(self, request: ExportRequest) -> ExportJob:
        def job(replace: bool) -> int:
            self.calls.append((request, replace))
            outcome = self.outcomes.pop(0)
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

        return job


async def fill_export(pilot: Pilot[None], form: ExportScreen, path: Path) -> None:
    """Change every field from its default: md, a typed range, open ones, a file."""
    await focus(pilot, "#format")
    await pilot.press("enter", "down", "down", "enter")
    await focus(pilot, "#start")
    await pilot.press("ctrl+u", *"-7d")
    await focus(pilot, "#end")
    await pilot.press("ctrl+u", *"fri")
    await focus(pilot, "#status")
    await pilot.press("enter", "down", "enter")
    form.query_one("#path", Input).value = str(path)


TYPED = {"#format": "md", "#start": "-7d", "#end": "fri", "#status": "open"}


def kept_as_typed(form: ExportScreen, path: Path) -> None:
    for selector, typed in TYPED.items():
        assert value(form, selector) == typed, selector
    assert value(form, "#path") == str(path)


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    for _ in range(100):
        await pilot.pause(0.02)
        if done():
            return
    raise AssertionError("it did not happen")


def test_an_export_that_fails_keeps_the_form_and_says_why_under_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "out.md"
    fails = ExportError(f"The folder {path.parent} does not exist; create it first.")
    export = FakeExport(fails, StoreError("The database can't be read."), 4)
    form = ExportScreen(lambda: NOW, DateSettings(), export)

    async def scenario(pilot: Pilot[None]) -> None:
        await fill_export(pilot, form, path)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "does not exist" in rendered(form.query_one("#path-error")))
        assert pilot.app.screen is form
        kept_as_typed(form, path)
        fits_on_screen(pilot, "#path-error")
        assert pilot.app.focused is form.query_one("#path")
        await pilot.press("ctrl+s")  # the store fails this time: told at the form's foot
        await until(pilot, lambda: "can't be read" in rendered(form.query_one("#form-error")))
        assert rendered(form.query_one("#path-error")) == ""
        kept_as_typed(form, path)
        await pilot.press("ctrl+s")  # and then it works
        await until(pilot, lambda: pilot.app.screen is not form)

    results = drive(form, scenario)
    assert len(results) == 1 and isinstance(results[0], ExportRequest)
    assert (results[0].fmt, results[0].path) == ("md", path)
    assert [replace for _request, replace in export.calls] == [False, False, False]


def test_replace_it_no_comes_back_to_the_form_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "out.md"
    export = FakeExport(ExportExistsError(f"{path} already exists."), 2)
    form = ExportScreen(lambda: NOW, DateSettings(), export)

    async def scenario(pilot: Pilot[None]) -> None:
        await fill_export(pilot, form, path)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        question = pilot.app.screen
        shown = rendered(question.query_one(".dialog-question"))  # the path wraps
        assert shown.replace(" ", "") == f"{path}alreadyexists.Replaceit?"
        fits_on_screen(pilot, ".dialog-question", "#yes", "#no")
        await pilot.press("n")
        await pilot.pause()
        assert pilot.app.screen is form
        kept_as_typed(form, path)
        assert pilot.app.focused is form.query_one("#path")
        export.outcomes.insert(0, ExportExistsError(f"{path} already exists."))
        await pilot.press("ctrl+s")  # asked again, and this time replaced
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: pilot.app.screen is not form)

    results = drive(form, scenario)
    assert len(results) == 1 and isinstance(results[0], ExportRequest)
    assert [replace for _request, replace in export.calls] == [False, False, True]


# --- On the workbench: nothing saved when the typing is discarded ------------------------


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Charged twice for March", "Ana Chen"), library.get("our-mistake"), NOW)
    store.update(
        "C-0001",
        lambda c: actions.schedule_followup(c, NOW + timedelta(days=1), "Call back", NOW),
    )
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


async def open_form(app: WorkbenchApp, pilot: Pilot[None], key: str) -> Screen[Any]:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, FormScreen))
    return app.screen


def test_discarded_note_and_new_case_save_nothing(app: WorkbenchApp, store: CaseStore) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.press("tab")  # the checklist
        form = await open_form(app, pilot, "m")
        await type_text(pilot, "Wants the manager")
        await pilot.press("escape")
        await asked(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#note", TextArea).text == "Wants the manager"
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))

        form = await open_form(app, pilot, "n")
        await type_text(pilot, "Late delivery")
        await pilot.press("escape", "y")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(app, pilot)

    before = store.get("C-0001")
    run(app, scenario, size=SIZE)
    assert store.count() == 1
    assert store.get("C-0001").steps == before.steps


def test_export_on_the_workbench_keeps_its_form_through_a_missing_folder(
    app: WorkbenchApp, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "out.csv"
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        form = await open_form(app, pilot, "x")
        box = form.query_one("#path", Input)
        box.value = str(missing)
        await pilot.press("ctrl+s")
        error = form.query_one("#path-error")
        await until(pilot, lambda: "does not exist" in rendered(error))
        assert app.screen is form and box.value == str(missing)
        fits_on_screen(pilot, "#path-error")

        box.value = str(target)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and box.value == str(target)
        assert target.read_text(encoding="utf-8") == "old\n"

        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))

    run(app, scenario, size=SIZE)
    assert "Call back" in target.read_text(encoding="utf-8-sig")
    assert not missing.parent.exists()
