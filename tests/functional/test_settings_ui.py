"""The settings in the full-screen workbench: theme, key overrides (and help showing them),
the calendar's first weekday and the "don't wait" limit."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import MappingProxyType

import pytest
from helpers.app_driver import Scenario
from helpers.app_driver import run as drive
from helpers.clock import NOW
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widgets import Static

from workbench.domain.actions import CaseDraft
from workbench.domain.model import Fault, Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.keymap import BINDING_IDS
from workbench.settings import THEMES, Settings
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.case_form import CaseFormScreen
from workbench.ui.screens.help import HelpScreen
from workbench.ui.screens.main import MainScreen
from workbench.ui.widgets.calendar import AgendaList, CalendarPane
from workbench.ui.widgets.checklist import CaseHeader


def run(app: WorkbenchApp, scenario: Scenario, size: tuple[int, int] = (120, 40)) -> None:
    drive(app, scenario, size, settle_after=False)


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    """One furious customer nobody has called yet, the case opened two hours before NOW."""
    store.add(
        CaseDraft("Charged twice for March", "Ana Chen", heat=Heat.FURIOUS, fault=Fault.OURS),
        library.get("our-mistake"),
        NOW - timedelta(hours=2),
        contacted=False,
    )
    return store


def make_app(store: CaseStore, library: PlaybookLibrary, **settings: object) -> WorkbenchApp:
    chosen = Settings(**settings)  # type: ignore[arg-type]
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW, settings=chosen)


def text_of(widget: Static | CaseHeader) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def help_rows(app: WorkbenchApp) -> list[str]:
    assert isinstance(app.screen, HelpScreen)
    body = text_of(app.screen.query_one("#help-body", Static))
    return [" ".join(line.split()) for line in body.splitlines()]


# -- theme ---------------------------------------------------------------------------------


def test_the_theme_from_the_settings_is_applied(
    seeded: CaseStore, library: PlaybookLibrary
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert app.theme == "nord"
        assert app.current_theme.name == "nord"

    run(make_app(seeded, library, theme="nord"), scenario)


def test_without_settings_the_theme_is_textuals_default(
    seeded: CaseStore, library: PlaybookLibrary
) -> None:
    app = WorkbenchApp(store=seeded, library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert app.theme == "textual-dark"
        assert app.settings == Settings()

    run(app, scenario)


def test_the_settings_know_every_textual_theme() -> None:
    assert set(THEMES) == set(BUILTIN_THEMES)


# -- keys ----------------------------------------------------------------------------------


def test_a_key_override_moves_the_action(seeded: CaseStore, library: PlaybookLibrary) -> None:
    keys = MappingProxyType({"new-case": "ctrl+n"})

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # n does nothing now
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, CaseFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("e")  # the other keys are where they were
        await pilot.pause()
        assert isinstance(app.screen, CaseFormScreen)
        await pilot.press("escape")

    run(make_app(seeded, library, keys=keys), scenario)


def test_help_shows_the_overridden_keys(seeded: CaseStore, library: PlaybookLibrary) -> None:
    keys = MappingProxyType({"new-case": "ctrl+n", "help": "f1,?", "calendar-today": "T"})

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("f1")
        await pilot.pause()
        rows = help_rows(app)
        assert "ctrl+n New case" in rows
        assert "n New case" not in rows
        assert "f1, ? Help" in rows
        assert "T Calendar: today" in rows  # the main screen's binding
        assert "T Today" in rows  # and the calendar pane's, which share the id
        assert "e Edit case" in rows
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")  # the second key given works too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)

    run(make_app(seeded, library, keys=keys), scenario)


def test_the_footer_shows_the_overridden_key(seeded: CaseStore, library: PlaybookLibrary) -> None:
    keys = MappingProxyType({"new-case": "ctrl+n"})

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        shown = {binding.action: key for key, binding in _active(app).items()}
        assert shown["new_case"] == "ctrl+n"

    run(make_app(seeded, library, keys=keys), scenario)


def _active(app: WorkbenchApp) -> dict[str, Binding]:
    return {key: active.binding for key, active in app.screen.active_bindings.items()}


def _bindings(bindings: list[BindingType]) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]


def test_every_binding_has_an_id_the_settings_know() -> None:
    """[keys] is checked against keymap.BINDING_IDS without loading Textual; this keeps the
    list and the screens in step. A new binding needs an id= and a place in BINDING_IDS."""
    screens: list[list[BindingType]] = [
        MainScreen.BINDINGS,
        list(CalendarPane.BINDINGS),
        list(AgendaList.BINDINGS),
        WorkbenchApp.BINDINGS,
    ]
    found: set[str] = set()
    for bindings in screens:
        for binding in _bindings(bindings):
            assert binding.id, f"the binding for {binding.action!r} has no id"
            found.add(binding.id)
    assert found == set(BINDING_IDS)


def test_ids_are_unique_within_a_screen_except_shared_on_purpose() -> None:
    for bindings in (MainScreen.BINDINGS, CalendarPane.BINDINGS, AgendaList.BINDINGS):
        ids = [b.id for b in _bindings(list(bindings))]
        assert len(ids) == len(set(ids))


# -- calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week_start", "heads", "first_day"),
    [
        ("monday", "Mo Tu We Th Fr Sa Su", date(2026, 10, 26)),
        ("sunday", "Su Mo Tu We Th Fr Sa", date(2026, 11, 1)),
        ("saturday", "Sa Su Mo Tu We Th Fr", date(2026, 10, 31)),
    ],
)
def test_the_week_starts_where_the_settings_say(
    seeded: CaseStore, library: PlaybookLibrary, week_start: str, heads: str, first_day: date
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        calendar = app.main.calendar
        assert calendar.first_weekday == app.settings.first_weekday
        assert calendar.grid.cells[0].day == first_day
        assert " ".join(calendar.grid.weekday_heads) == heads

    run(make_app(seeded, library, week_start=week_start), scenario)


# -- don't wait and dates --------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "flagged"), [(1.0, True), (8.0, False)])
def test_the_dont_wait_flag_follows_the_setting(
    seeded: CaseStore, library: PlaybookLibrary, hours: float, flagged: bool
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        header = text_of(app.main.checklist.query_one("#case-header", CaseHeader))
        assert ("No contact yet" in header) is flagged
        table = app.main.case_list.table
        first = table.get_row_at(0)[0]
        assert ("⌛" in str(first)) is flagged

    run(make_app(seeded, library, dont_wait_hours=hours), scenario)


def test_dates_are_read_as_the_settings_say(seeded: CaseStore, library: PlaybookLibrary) -> None:
    app = make_app(seeded, library, default_hour=time(7, 15), date_order="mdy")
    assert app.date_settings.default_hour == 7 and app.date_settings.default_minute == 15
    assert not app.date_settings.day_first


def test_the_date_order_from_the_environment_reaches_the_screen(
    seeded: CaseStore, library: PlaybookLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WORKBENCH_DATE_ORDER is applied where the settings are read; the screen has one
    source of settings, and the override is in it."""
    from workbench.settings import load_settings

    monkeypatch.setenv("WORKBENCH_DATE_ORDER", "mdy")
    app = WorkbenchApp(store=seeded, library=library, clock=lambda: NOW, settings=load_settings())
    assert app.settings.date_order == "mdy" and not app.date_settings.day_first
