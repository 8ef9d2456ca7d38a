"""Issue #5, item 7 (the screen): hostile text pasted into every form field is just text.

Every form the workbench opens (new case, edit, step note, follow-up, done, move, remedy,
close, export) and the list filter gets a paste of markup, an action link, terminal escape
codes, right-to-left marks and a second line, in every text field. The app must not crash,
each field must hold the text as pasted, and what the screen draws must show the brackets
literally: ``[bold red]LOUD[/]`` drawn as a bold red "LOUD", or ``[@click=app.quit]``
turned into a clickable link, would mean the text had been read as markup.

The new case and the step note are then saved, and the main screen must show them literally
too (tests/functional covers typing markup into the title; this covers pasting into everything).
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.clock import NOW
from helpers.reliability import keys, run_app, settle, wait_for
from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.main import MainScreen

FIRST_LINE = (
    "[bold red]LOUD[/] [/x] [@click=app.quit]QUITME[/] [link=https://evil.example]LINK[/link] "
    "\x1b[31mRED\x07 ${HOME} {0} %s <b>b</b> \u202eRTL\u202c 😡"
)
PASTE = FIRST_LINE + "\nsecond line [i]x[/i]\r\nthird"


def screen_text(app: WorkbenchApp) -> str:
    """What the terminal would show now, as plain text (modal screens over the main one)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, force_terminal=True
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def assert_shown_literally(app: WorkbenchApp) -> None:
    """Wherever a marker word is drawn, the markup tag before it is drawn too.

    Read as markup, ``[bold red]LOUD[/]`` would be drawn as just "LOUD" (in bold red), so
    the character before the word would not be the tag's closing bracket.
    """
    shown = screen_text(app)
    for marker in ("LOUD", "QUITME", "LINK"):
        start = shown.find(marker)
        while start != -1:
            assert shown[start - 1] == "]", (marker, shown)
            start = shown.find(marker, start + 1)


def text_fields(app: WorkbenchApp) -> list[Input | TextArea]:
    return [*app.screen.query(Input), *app.screen.query(TextArea)]


async def paste_everywhere(
    app: WorkbenchApp,
    pilot: Pilot[None],
    fields: list[Input | TextArea] | None = None,
    text: str = PASTE,
) -> int:
    """Paste into each text field of the screen in turn, the way a terminal's paste
    arrives: as a Paste event to the app, which hands it to the focused widget."""
    if fields is None:
        fields = text_fields(app)
    for field in fields:
        before = field.value if isinstance(field, Input) else field.text
        field.focus()
        await pilot._wait_for_screen()
        app.post_message(events.Paste(text))
        await pilot.pause(0.05)
        if isinstance(field, Input):
            first_line = text.splitlines()[0]
            assert first_line in field.value, (field.id, field.value)  # one line, as pasted
        else:
            assert field.text == before + text.replace("\r\n", "\n")
        assert_shown_literally(app)
    return len(fields)


@pytest.fixture
def app(db_path: Path, library: PlaybookLibrary) -> WorkbenchApp:
    store = CaseStore(db_path)
    case = store.add(CaseDraft("Charged twice", "Ana Chen"), library.get("our-mistake"), NOW)
    store.update(
        case.id,
        lambda c: actions.schedule_followup(c, NOW + timedelta(hours=2), "Call back", NOW),
    )
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


# key(s) that open the form from the case list, and how many text fields it has
FORMS = [
    (["n"], 3),
    (["e"], 3),
    (["m"], 1),
    (["f"], 3),  # when, what, repeat
    (["r"], 2),
    (["c"], 1),
    (["x"], 3),
    (["tab", "tab", "d"], 1),
    (["tab", "tab", "F"], 2),
]


def test_pasting_into_every_field_of_every_form(app: WorkbenchApp) -> None:
    opened: list[str] = []

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        for opening, count in FORMS:
            main.select_case("C-0001")
            main.case_list.table.focus()
            await keys(pilot, *opening)
            await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen))
            await wait_for(pilot, lambda n=count: len(text_fields(app)) >= n)  # mounted
            assert await paste_everywhere(app, pilot) == count, opening
            opened.append(type(app.screen).__name__)
            await keys(pilot, "escape")  # "Discard what you typed?"
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await keys(pilot, "y")
            await wait_for(pilot, lambda: app.screen is main)
        await keys(pilot, "slash")
        assert await paste_everywhere(app, pilot, [main.query_one("#filter", Input)]) == 1
        await pilot.press("escape")
        assert app.is_running

    run_app(app, scenario, size=(80, 24))  # the smallest size the workbench supports
    assert opened == [
        "CaseFormScreen",  # new
        "CaseFormScreen",  # edit
        "NoteScreen",
        "FollowUpScreen",  # schedule
        "RemedyScreen",
        "CloseScreen",
        "ExportScreen",
        "FollowUpDoneScreen",
        "FollowUpScreen",  # move
    ]


SHORT = "[bold red]LOUD[/] [@click=app.quit]QUITME[/] \x1b[31mRED"


def test_pasted_text_is_saved_and_shown_as_text(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen))
        await paste_everywhere(app, pilot, text=SHORT)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        await settle(app, pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen))
        await paste_everywhere(app, pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is main)
        await settle(app, pilot)
        shown = screen_text(app)
        assert "[bold red]LOUD[/]" in shown and "[@click=app.quit]QUITME[/]" in shown, shown
        assert_shown_literally(app)

    run_app(app, scenario)
    case = CaseStore(db_path).get("C-0002")
    assert (case.title, case.customer, case.contact) == (SHORT, SHORT, SHORT)
    assert case.steps[0].note == PASTE.replace("\r\n", "\n")


def test_pasted_escape_codes_never_reach_the_terminal(app: WorkbenchApp) -> None:
    drawn: list[str] = []

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "n")
        await wait_for(pilot, lambda: len(text_fields(app)) >= 3)
        title = app.screen.query_one("#title", Input)
        await paste_everywhere(app, pilot, [title], text="a\x1b]0;pwned\x1b\\b")
        for y in range(title.size.height):
            drawn.extend(segment.text for segment in title.render_line(y))
        await keys(pilot, "escape")

    run_app(app, scenario)
    assert drawn and not any("\x1b" in text for text in drawn)
