"""The forms, driven with the keyboard at 80x24 the way an agent would use them.

Each test pushes one form on a tiny app, presses keys, and checks what the form gave back
(or that it stayed open, showing its message and keeping what was typed).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, RadioSet, Select, Static, TextArea

from workbench.domain.actions import CaseDraft, open_case, schedule_followup, set_step
from workbench.domain.dates import DateSettings
from workbench.domain.model import Case, Channel, Fault, Heat, Outcome, Remedy, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.paths import styles_dir
from workbench.ui.screens.base import DialogScreen
from workbench.ui.screens.case_form import CaseFormResult, CaseFormScreen
from workbench.ui.screens.close_form import CloseResult, CloseScreen
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.followup_form import FollowUpResult, FollowUpScreen
from workbench.ui.screens.note_form import NoteScreen
from workbench.ui.screens.remedy_form import RemedyResult, RemedyScreen
from workbench.ui.screens.status_form import StatusScreen

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # a Monday afternoon
SIZE = (80, 24)
MARKUP = "[bold red]x[/]"

Scenario = Callable[[Pilot[None]], Awaitable[None]]


class FormHarness(App[None]):
    """Pushes one form and keeps whatever it is dismissed with."""

    CSS_PATH = str(styles_dir() / "forms.tcss")

    def __init__(self, form: Screen[Any]) -> None:
        super().__init__()
        self.form = form
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


def drive(form: Screen[Any], scenario: Scenario) -> list[object]:
    """Run ``scenario`` against ``form`` at 80x24; the results it was dismissed with."""

    async def main() -> list[object]:
        app = FormHarness(form)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await scenario(pilot)
            await pilot.pause()
        return app.results

    return asyncio.run(main())


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def focus(pilot: Pilot[None], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def choose(pilot: Pilot[None], selector: str, *moves: str) -> None:
    """Open a Select from the keyboard, move through its list, pick with enter."""
    await focus(pilot, selector)
    await pilot.press("enter", *moves, "enter")


def rendered(widget: Widget) -> str:
    """The text the widget draws on screen, its wrapped lines joined with spaces."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(line.text.split()) for line in lines).strip()


def is_shown(widget: Widget) -> bool:
    """Whether the widget takes part in the layout (a message line is hidden when empty)."""
    return widget.display and widget.region.area > 0


def still_open(pilot: Pilot[None], form: Screen[Any], results: list[object]) -> None:
    assert pilot.app.screen is form
    assert results == []


def message(pilot: Pilot[None], name: str) -> Static:
    return pilot.app.screen.query_one(f"#{name}-error", Static)


def fits_on_screen(pilot: Pilot[None], *selectors: str) -> None:
    """Each widget is drawn whole: inside the terminal, not clipped, not covered."""
    screen = pilot.app.screen
    for selector in selectors:
        widget = screen.query_one(selector)
        geometry = screen.find_widget(widget)
        region = geometry.region
        assert region.area > 0, f"{selector} is not shown"
        assert Region(0, 0, *SIZE).contains_region(region), f"{selector} is off screen: {region}"
        assert geometry.clip.contains_region(region), f"{selector} is cut off: {region}"
        for y in range(region.y, region.bottom):
            on_top, _ = screen.get_widget_at(region.x, y)
            assert widget in on_top.ancestors_with_self, f"{selector} is covered by {on_top}"


def make_case(library: PlaybookLibrary, **changes: Any) -> Case:
    fields: dict[str, Any] = {
        "title": "Charged twice for March",
        "customer": "Ana Chen",
        "contact": "ana@example.com",
        "channel": Channel.PHONE,
        "heat": Heat.FURIOUS,
        "fault": Fault.OURS,
        "tags": ["billing"],
    }
    fields.update(changes)
    return open_case(CaseDraft(**fields), "C-0001", library.get("our-mistake"), NOW)


# --- Case form -----------------------------------------------------------------------


def test_new_case_typed_and_saved_with_enter(library: PlaybookLibrary) -> None:
    form = CaseFormScreen(library)

    async def scenario(pilot: Pilot[None]) -> None:
        fits_on_screen(pilot, "#title", "#playbook", "#playbook-hint", "#save", "#cancel")
        await type_text(pilot, "Charged twice for March")
        await pilot.press("enter")
        assert pilot.app.focused is form.query_one("#customer")
        await type_text(pilot, "Ana Chen")
        await pilot.press("enter")
        await type_text(pilot, "ana@example.com")
        await pilot.press("enter")  # the last line field: saves

    results = drive(form, scenario)
    assert results == [
        CaseFormResult(
            draft=CaseDraft(
                title="Charged twice for March",
                customer="Ana Chen",
                contact="ana@example.com",
                channel=Channel.PHONE,
                heat=Heat.UPSET,
                fault=Fault.UNCLEAR,
            ),
            playbook_key=library.suggest(Heat.UPSET, Fault.UNCLEAR).key,
        )
    ]


def test_new_case_escape_gives_none(library: PlaybookLibrary) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "Half typed")
        await pilot.press("escape", "y")  # yes to "Discard what you typed?"

    assert drive(CaseFormScreen(library), scenario) == [None]


def test_empty_title_is_refused_inline_and_typing_is_kept(library: PlaybookLibrary) -> None:
    form = CaseFormScreen(library)
    results: list[object] = []

    async def scenario(pilot: Pilot[None]) -> None:
        assert not is_shown(message(pilot, "title"))
        await type_text(pilot, "   ")
        await focus(pilot, "#customer")
        await type_text(pilot, "Ana Chen")
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open(pilot, form, results)
        error = message(pilot, "title")
        assert is_shown(error)
        assert error.has_class("-error")
        assert rendered(error) == "Say what the complaint is, in one line."
        assert not is_shown(message(pilot, "customer"))
        assert form.query_one("#title", Input).value == "   "
        assert form.query_one("#customer", Input).value == "Ana Chen"
        assert pilot.app.focused is form.query_one("#title")
        await type_text(pilot, "Refund refused")
        assert not is_shown(message(pilot, "title"))  # corrected: the complaint goes
        await pilot.press("ctrl+s")

    results.extend(drive(form, scenario))
    assert len(results) == 1
    result = results[0]
    assert isinstance(result, CaseFormResult)
    assert result.draft.title == "Refund refused"


def test_markup_in_a_title_comes_back_literally(library: PlaybookLibrary) -> None:
    form = CaseFormScreen(library)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, MARKUP)
        assert MARKUP in rendered(form.query_one("#title"))
        await pilot.press("enter")
        await type_text(pilot, "[i]Ana[/i]")
        await pilot.press("ctrl+s")

    [result] = drive(form, scenario)
    assert isinstance(result, CaseFormResult)
    assert result.draft.title == MARKUP
    assert result.draft.customer == "[i]Ana[/i]"


def test_suggested_playbook_follows_heat_and_fault_until_picked(
    library: PlaybookLibrary,
) -> None:
    form = CaseFormScreen(library)
    keys = [playbook.key for playbook in library]

    def playbook() -> object:
        return form.query_one("#playbook", Select).value

    async def scenario(pilot: Pilot[None]) -> None:
        assert playbook() == library.suggest(Heat.UPSET, Fault.UNCLEAR).key == "blame"
        await choose(pilot, "#heat", "down")  # upset → furious
        await choose(pilot, "#fault", "up", "up", "up")  # unclear → ours
        assert playbook() == library.suggest(Heat.FURIOUS, Fault.OURS).key == "our-mistake"
        assert "Suggested" in rendered(form.query_one("#playbook-hint"))
        await choose(pilot, "#fault", "down")  # ours → theirs
        assert playbook() == library.suggest(Heat.FURIOUS, Fault.THEIRS).key == "wrong"

        # Picked by hand: "unhappy", the last in the list.
        moves = ["down"] * (keys.index("unhappy") - keys.index("wrong"))
        await choose(pilot, "#playbook", *moves)
        assert playbook() == "unhappy"
        assert not form.follows_suggestion
        await choose(pilot, "#heat", "up", "up")  # furious → calm
        assert form.query_one("#heat", Select).value is Heat.CALM
        assert library.suggest(Heat.CALM, Fault.THEIRS).key != "unhappy"
        assert playbook() == "unhappy"  # stays as picked
        assert "Suggested" not in rendered(form.query_one("#playbook-hint"))
        await focus(pilot, "#title")
        await type_text(pilot, "Wants a refund after a year")
        await pilot.press("enter")
        await type_text(pilot, "Bo Li")
        await pilot.press("ctrl+s")

    [result] = drive(form, scenario)
    assert isinstance(result, CaseFormResult)
    assert result.playbook_key == "unhappy"
    assert (result.draft.heat, result.draft.fault) == (Heat.CALM, Fault.THEIRS)


def test_editing_starts_from_the_case_and_keeps_its_playbook(library: PlaybookLibrary) -> None:
    case = make_case(library, title=MARKUP)
    form = CaseFormScreen(library, case)

    async def scenario(pilot: Pilot[None]) -> None:
        assert form.query_one("#title", Input).value == MARKUP
        assert MARKUP in rendered(form.query_one("#title"))
        assert form.query_one("#customer", Input).value == "Ana Chen"
        assert form.query_one("#contact", Input).value == "ana@example.com"
        assert form.query_one("#playbook", Select).value == "our-mistake"
        await choose(pilot, "#fault", "down")  # ours → theirs: the suggestion would change
        assert form.query_one("#playbook", Select).value == "our-mistake"
        await choose(pilot, "#channel", "down")  # phone → in person
        await pilot.press("ctrl+s")

    [result] = drive(form, scenario)
    assert result == CaseFormResult(
        draft=CaseDraft(
            title=MARKUP,
            customer="Ana Chen",
            contact="ana@example.com",
            channel=Channel.IN_PERSON,
            heat=Heat.FURIOUS,
            fault=Fault.THEIRS,
            tags=["billing"],
        ),
        playbook_key="our-mistake",
        base=CaseDraft(  # the case as the form opened on it: what edit_case merges against
            title=MARKUP,
            customer="Ana Chen",
            contact="ana@example.com",
            channel=Channel.PHONE,
            heat=Heat.FURIOUS,
            fault=Fault.OURS,
            tags=["billing"],
        ),
    )


# --- Note ------------------------------------------------------------------------------


def test_note_enter_is_a_newline_and_ctrl_s_saves() -> None:
    form = NoteScreen(f"Note on {MARKUP}")

    async def scenario(pilot: Pilot[None]) -> None:
        assert MARKUP in rendered(form.query_one(".dialog-heading"))
        fits_on_screen(pilot, "#note", "#save")
        await type_text(pilot, "Wants a call")
        await pilot.press("enter")
        await type_text(pilot, "before 5pm")
        still_open(pilot, form, [])
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == ["Wants a call\nbefore 5pm"]


def test_note_opens_with_the_cursor_after_what_was_written() -> None:
    """Editing a note usually adds to it: what is typed goes after the last word."""
    form = NoteScreen("Note", "Called Monday\nno answer")

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, ", tried again")
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == ["Called Monday\nno answer, tried again"]


def test_a_note_too_long_for_the_file_is_refused_next_to_the_field() -> None:
    """Caught on the form, where the text still is, not by the file after it closed."""
    form = NoteScreen("Note", "x" * 1_000_001)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form  # still open, the text still in it
        assert "holds at most 1,000,000" in str(message(pilot, "note").render())
        assert len(form.query_one("#note", TextArea).text) == 1_000_001

    assert drive(form, scenario) == []


def test_note_can_be_emptied_to_clear_it() -> None:
    form = NoteScreen("Note", "old")

    async def scenario(pilot: Pilot[None]) -> None:
        assert form.query_one("#note", TextArea).text == "old"
        await pilot.press("end", "backspace", "backspace", "backspace", "ctrl+s")

    assert drive(form, scenario) == [""]


def test_note_escape_gives_none() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "never mind")
        await pilot.press("escape", "y")  # yes to "Discard what you typed?"

    assert drive(NoteScreen("Note", "kept"), scenario) == [None]


# --- Follow-up -------------------------------------------------------------------------


def followup_form(when: str = "", what: str = "") -> FollowUpScreen:
    return FollowUpScreen(lambda: NOW, DateSettings(), Channel.PHONE, when, what)


def test_followup_preview_follows_each_keystroke_and_saves() -> None:
    form = followup_form()

    async def scenario(pilot: Pilot[None]) -> None:
        preview = form.query_one("#when-preview", Static)
        fits_on_screen(pilot, "#when", "#when-preview", "#channel", "#save")
        shown = [rendered(preview)]
        await type_text(pilot, "tomor")
        shown.append(rendered(preview))
        assert preview.has_class("-error")
        await type_text(pilot, "row")
        shown.append(rendered(preview))
        assert not preview.has_class("-error")
        await type_text(pilot, " 10am")
        shown.append(rendered(preview))
        assert shown[0].startswith("e.g. tomorrow 10am")
        assert shown[1].startswith('Could not read "tomor" as a date')
        assert shown[2:] == ["→ Tue 24 Nov, 09:00", "→ Tue 24 Nov, 10:00"]
        await pilot.press("enter")
        assert pilot.app.focused is form.query_one("#what")
        await type_text(pilot, "call back about the refund")
        await choose(pilot, "#channel", "down")  # phone → in person
        await focus(pilot, "#what")
        await pilot.press("enter")

    assert drive(form, scenario) == [
        FollowUpResult(
            due=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
            action="call back about the refund",
            channel=Channel.IN_PERSON,
        )
    ]


def test_followup_what_left_empty_saves_what_its_placeholder_shows(
    library: PlaybookLibrary,
) -> None:
    form = followup_form()
    shown: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        shown.append(str(form.query_one("#what", Input).placeholder))
        await type_text(pilot, "tomorrow 10am")
        await pilot.press("ctrl+s")

    [result] = drive(form, scenario)
    assert isinstance(result, FollowUpResult)
    assert result.action == ""
    case = make_case(library)
    saved = schedule_followup(case, result.due, result.action, NOW, result.channel)
    assert shown == [saved.action]


def test_followup_unreadable_date_is_refused_and_kept() -> None:
    form = followup_form(what="check the refund")
    results: list[object] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "tomorow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open(pilot, form, results)
        preview = form.query_one("#when-preview", Static)
        assert preview.has_class("-error")
        assert "did you mean tomorrow?" in rendered(preview)
        assert form.query_one("#when", Input).value == "tomorow"
        assert pilot.app.focused is form.query_one("#when")
        await pilot.press("left", "left", "r")  # tomor|ow → tomorrow
        assert rendered(preview) == "→ Tue 24 Nov, 09:00"
        await pilot.press("ctrl+s")

    results.extend(drive(form, scenario))
    assert results == [
        FollowUpResult(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), "check the refund", Channel.PHONE)
    ]


def test_followup_empty_date_is_refused() -> None:
    form = followup_form()

    async def scenario(pilot: Pilot[None]) -> None:
        preview = form.query_one("#when-preview", Static)
        assert not preview.has_class("-error")
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open(pilot, form, [])
        assert preview.has_class("-error")
        assert rendered(preview).startswith("Please enter a date")

    assert drive(form, scenario) == []


def test_followup_starts_from_given_text_and_escape_gives_none() -> None:
    form = followup_form("tomorrow 10am", "call back")

    async def scenario(pilot: Pilot[None]) -> None:
        assert rendered(form.query_one("#when-preview")) == "→ Tue 24 Nov, 10:00"
        assert form.query_one("#what", Input).value == "call back"
        await pilot.press("escape")

    assert drive(form, scenario) == [None]


# --- Status ----------------------------------------------------------------------------


def test_status_starts_on_the_current_one_and_enter_picks() -> None:
    form = StatusScreen(Status.WAITING)

    async def scenario(pilot: Pilot[None]) -> None:
        statuses = form.query_one("#status", OptionList)
        labels = [rendered_option(statuses, i) for i in range(statuses.option_count)]
        assert labels == ["new", "in progress", "waiting on customer · now", "resolved"]
        assert statuses.highlighted == 2
        fits_on_screen(pilot, "#status", "#save")
        await pilot.press("up", "enter")

    assert drive(form, scenario) == [Status.IN_PROGRESS]


def rendered_option(options: OptionList, index: int) -> str:
    return str(options.get_option_at_index(index).prompt)


def test_status_enter_keeps_the_current_and_escape_gives_none() -> None:
    async def pick(pilot: Pilot[None]) -> None:
        await pilot.press("enter")

    async def cancel(pilot: Pilot[None]) -> None:
        await pilot.press("down", "escape")

    assert drive(StatusScreen(Status.RESOLVED), pick) == [Status.RESOLVED]
    assert drive(StatusScreen(Status.NEW), cancel) == [None]


# --- Remedy ----------------------------------------------------------------------------


def test_remedy_typed_and_saved() -> None:
    form = RemedyScreen(None)

    async def scenario(pilot: Pilot[None]) -> None:
        reminder = rendered(form.query_one(".dialog-hint"))
        assert "against what losing the customer would cost" in reminder
        fits_on_screen(pilot, ".dialog-hint", "#description", "#answer", "#save")
        await type_text(pilot, "Refund the second charge")
        await pilot.press("enter")
        await type_text(pilot, "€1,250.5")
        await pilot.press("tab", "left")  # answer: from "awaiting answer" to declined
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == [
        RemedyResult("Refund the second charge", Decimal("1250.50"), accepted=False)
    ]


def test_remedy_bad_cost_is_refused_inline_and_kept() -> None:
    form = RemedyScreen(None)
    results: list[object] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await type_text(pilot, "A voucher")
        await pilot.press("enter")
        await type_text(pilot, "lots")
        await pilot.press("enter")  # the last line field: tries to save
        await pilot.pause()
        still_open(pilot, form, results)
        error = message(pilot, "cost")
        assert is_shown(error)
        assert rendered(error).startswith("“lots” is not an amount")
        assert not is_shown(message(pilot, "description"))
        assert form.query_one("#cost", Input).value == "lots"
        await pilot.press("ctrl+u")
        await type_text(pilot, "15")
        await pilot.press("enter")

    results.extend(drive(form, scenario))
    assert results == [RemedyResult("A voucher", Decimal("15.00"), accepted=None)]


def test_remedy_starts_from_the_current_one_and_needs_a_description() -> None:
    form = RemedyScreen(Remedy("Free month", Decimal("30"), accepted=True))

    async def scenario(pilot: Pilot[None]) -> None:
        assert form.query_one("#description", Input).value == "Free month"
        assert form.query_one("#cost", Input).value == "30.00"
        await pilot.press("ctrl+u", "ctrl+s")
        await pilot.pause()
        still_open(pilot, form, [])
        assert rendered(message(pilot, "description")) == "Say what was offered."
        await type_text(pilot, "Two free months")
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == [RemedyResult("Two free months", Decimal("30.00"), True)]


def test_remedy_left_and_right_choose_the_answer() -> None:
    form = RemedyScreen(Remedy("Free month", Decimal("30"), accepted=None))
    chosen: list[str | None] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await focus(pilot, "#answer")
        answer = form.query_one("#answer", RadioSet)
        for key in ("left", "left", "left", "right", "right", "right", "left"):
            await pilot.press(key)
            pressed = answer.pressed_button
            chosen.append(pressed.id if pressed is not None else None)
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == [RemedyResult("Free month", Decimal("30.00"), False)]
    assert chosen == [
        "declined",
        "accepted",
        "accepted",  # the first stays chosen
        "declined",
        "awaiting",
        "awaiting",  # and so does the last
        "declined",
    ]


def test_remedy_escape_gives_none() -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("escape")

    assert drive(RemedyScreen(None), scenario) == [None]


# --- Close -----------------------------------------------------------------------------


def test_close_with_open_steps_needs_the_box_ticked(library: PlaybookLibrary) -> None:
    case = make_case(library, title=MARKUP)
    titles = [step.title for step in case.open_steps]
    form = CloseScreen(case)
    results: list[object] = []

    async def scenario(pilot: Pilot[None]) -> None:
        assert MARKUP in rendered(form.query_one(".dialog-heading"))
        warning = rendered(form.query_one("#open-steps"))
        assert f"{len(titles)} steps still open:" in warning
        for title in titles:
            assert title in warning
        checkbox = form.query_one("#confirm", Checkbox)
        assert str(checkbox.label) == f"Close with {len(titles)} steps still open"
        fits_on_screen(pilot, ".dialog-heading", "#outcome", "#confirm", "#save")

        await pilot.press("down", "down", "enter")  # parted ways
        assert "proper ending" in rendered(form.query_one("#outcome-hint"))
        await pilot.press("tab")
        await type_text(pilot, "Referred to a local shop")
        await pilot.press("enter")  # the last line field: tries to save
        await pilot.pause()
        still_open(pilot, form, results)
        error = message(pilot, "confirm")
        assert is_shown(error)
        assert "Tick the box" in rendered(error)
        assert form.query_one("#note", Input).value == "Referred to a local shop"
        assert pilot.app.focused is checkbox
        fits_on_screen(pilot, "#confirm", "#confirm-error", "#save")
        await pilot.press("space")
        assert not is_shown(error)
        await pilot.press("ctrl+s")

    results.extend(drive(form, scenario))
    assert results == [CloseResult(Outcome.PARTED_WAYS, "Referred to a local shop", True)]


def test_close_without_open_steps_asks_no_confirmation(library: PlaybookLibrary) -> None:
    case = make_case(library)
    for index in range(len(case.steps)):
        set_step(case, index, True, NOW)
    form = CloseScreen(case)

    async def scenario(pilot: Pilot[None]) -> None:
        assert not form.query("#open-steps")
        assert not form.query("#confirm")
        await pilot.press("enter")  # retained
        await pilot.press("ctrl+s")

    assert drive(form, scenario) == [CloseResult(Outcome.RETAINED, "", False)]


def test_close_needs_an_outcome(library: PlaybookLibrary) -> None:
    form = CloseScreen(make_case(library))

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open(pilot, form, [])
        assert rendered(message(pilot, "outcome")) == "Choose how the case ended."

    assert drive(form, scenario) == []


def test_close_escape_gives_none(library: PlaybookLibrary) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("down", "enter", "escape", "y")  # yes to "Discard…?"

    assert drive(CloseScreen(make_case(library)), scenario) == [None]


# --- Confirm ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "answer"),
    [
        (("y",), True),
        (("n",), False),
        (("enter",), False),  # "No" has the focus
        (("shift+tab", "enter"), True),
        (("escape",), None),
    ],
)
def test_confirm_answers(keys: tuple[str, ...], answer: bool | None) -> None:
    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)

    assert drive(ConfirmScreen("Close it anyway?"), scenario) == [answer]


def test_confirm_buttons_and_literal_question() -> None:
    form = ConfirmScreen(f"Delete {MARKUP}?", yes="Delete", no="Keep it")

    async def scenario(pilot: Pilot[None]) -> None:
        assert rendered(form.query_one(".dialog-question")) == f"Delete {MARKUP}?"
        assert rendered(form.query_one("#yes")) == "Delete"
        assert rendered(form.query_one("#no")) == "Keep it"
        fits_on_screen(pilot, ".dialog-question", "#yes", "#no")
        await pilot.click("#yes")

    assert drive(form, scenario) == [True]


# --- All of them -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "screen_class",
    [
        CaseFormScreen,
        NoteScreen,
        FollowUpScreen,
        StatusScreen,
        RemedyScreen,
        CloseScreen,
        ConfirmScreen,
    ],
)
def test_every_binding_is_described_and_escape_cancels(
    screen_class: type[DialogScreen[Any]],
) -> None:
    keys: set[str] = set()
    for cls in screen_class.__mro__:
        if issubclass(cls, DialogScreen):
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding)
                assert binding.description, f"{cls.__name__}: {binding.key} has no description"
                keys.add(binding.key)
    assert "escape" in keys
