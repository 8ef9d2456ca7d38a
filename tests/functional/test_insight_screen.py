"""The insight screen (``i``) driven with Pilot, over the hand-built cases of
tests/helpers/insight_data.py.

The figures themselves are checked in tests/unit/domain/test_insight.py; here we check that
the screen opens, shows the period asked for, switches, closes, and shows user text as
text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from helpers.clock import NOW
from helpers.insight_data import at, insight_cases
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.domain.insight import Period
from workbench.domain.model import Case, Outcome, Status, Step
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage import CaseStore
from workbench.storage.playbook_files import load_library
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.insight import InsightScreen, PeriodTabs, tab_id
from workbench.ui.screens.main import MainScreen
from workbench.ui.widgets.bar_chart import Bar, BarChart, bar_cells

Scenario = Callable[[WorkbenchApp, Pilot[None]], Awaitable[None]]

MARKUP_PLAYBOOK = """\
key = "markup"
name = "[bold]x[/] refunds"
situation = "A playbook whose name looks like markup."

[[steps]]
title = "Listen [red]first[/]"
guidance = "Let them finish."

[[steps]]
title = "Offer something"
guidance = "Something fair."
"""


def run(app: WorkbenchApp, scenario: Scenario, size: tuple[int, int] = (120, 40)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: bool(app.screen_stack) and app.main.session.loaded)
            await scenario(app, pilot)

    asyncio.run(main())


async def until(pilot: Pilot[None], ready: Callable[[], bool], timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.05)):
        if ready():
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the screen")


async def open_insight(app: WorkbenchApp, pilot: Pilot[None]) -> InsightScreen:
    await pilot.press("i")
    await until(pilot, lambda: isinstance(app.screen, InsightScreen) and bool(app.screen.insights))
    screen = app.screen
    assert isinstance(screen, InsightScreen)
    return screen


def shown(screen: InsightScreen, selector: str) -> str:
    """The text a Static or BarChart on the screen shows now."""
    widget = screen.query_one(selector)
    if isinstance(widget, BarChart):
        return widget.chart(60).plain
    assert isinstance(widget, Static)
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


@pytest.fixture
def user_library(tmp_path: Path) -> PlaybookLibrary:
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "markup.toml").write_text(MARKUP_PLAYBOOK, encoding="utf-8")
    library = load_library(folder)
    assert not library.problems
    return library


def markup_case() -> Case:
    """Closed this week with the markup playbook, its first step never done."""
    return Case(
        id="C-0099",
        title="[i]Wants[/i] money back",
        customer="[bold]Zed[/]",
        opened_at=at(11, 23, 9, 0),
        playbook="markup",
        status=Status.CLOSED,
        outcome=Outcome.LOST,
        first_contact_at=at(11, 23, 9, 0),
        resolved_at=at(11, 23, 11, 0),
        closed_at=at(11, 23, 11, 0),
        steps=[
            Step("listen", "Listen [red]first[/]", "Let them finish."),
            Step("offer", "Offer something", "Something fair.", done_at=at(11, 23, 10, 0)),
        ],
    )


@pytest.fixture
def app(store: CaseStore, user_library: PlaybookLibrary) -> WorkbenchApp:
    store.add_many([*insight_cases(), markup_case()])
    return WorkbenchApp(store=store, library=user_library, clock=lambda: NOW)


def test_i_opens_insight_on_this_month_and_escape_closes_it(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)
        assert screen.period is Period.MONTH
        assert screen.query_one(PeriodTabs).active == tab_id(Period.MONTH)
        assert "this month" in shown(screen, "#insight-title")
        # The month: 5 opened + the markup case = 6; 3 closed + it = 4.
        assert "Opened 6  ·  closed 4" in shown(screen, "#insight-pace")
        assert "Settings: " in shown(screen, "#insight-settings")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    run(app, scenario)


def test_switching_periods_changes_the_figures(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)

        async def now_showing(key: str, period: Period, opened: int, closed: int) -> None:
            await pilot.press(key)
            await pilot.pause()
            assert screen.period is period
            assert screen.query_one(PeriodTabs).active == tab_id(period)
            assert period.label in shown(screen, "#insight-title")
            assert f"Opened {opened}  ·  closed {closed}" in shown(screen, "#insight-pace")

        # The hand-built cases plus the markup case (opened and closed this week).
        await now_showing("1", Period.WEEK, 3, 2)
        await now_showing("right", Period.MONTH, 6, 4)
        await now_showing("right", Period.DAYS_90, 8, 5)
        await now_showing("right", Period.ALL, 10, 6)
        await now_showing("right", Period.WEEK, 3, 2)  # round again
        await now_showing("left", Period.ALL, 10, 6)
        await now_showing("3", Period.DAYS_90, 8, 5)
        await now_showing("2", Period.MONTH, 6, 4)
        await now_showing("4", Period.ALL, 10, 6)

        outcomes = shown(screen, "#insight-outcomes")
        assert "retained" in outcomes and "lost" in outcomes
        # All time: retained 2 of 6 closed (33%), costing 25.00 + 10.00.
        assert "2  33%  35.00" in outcomes
        follow = shown(screen, "#insight-followups")
        assert "on time" in follow and "  3  50%" in follow  # 3 of the 6 judged
        await pilot.press("q")  # closes the insight, does not quit
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.is_running

    run(app, scenario)


def test_the_palette_opens_insight(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"insight")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InsightScreen))

    run(app, scenario)


def test_user_text_shows_literally(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "[bold]x[/] refunds" in shown(screen, "#insight-playbooks")
        skips = shown(screen, "#insight-skips")
        assert "[bold]x[/] refunds: 1 step skipped in 1 closed case" in skips
        assert "“Listen [red]first[/]”" in skips

    run(app, scenario)


def test_readable_at_80x24_by_scrolling(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)
        assert screen.has_class("-narrow")  # one column
        body = screen.query_one("#insight-body")
        assert body.has_focus
        assert body.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        # The period keys still work while the body has the focus.
        await pilot.press("left")
        await pilot.pause()
        assert screen.period is Period.WEEK

    run(app, scenario, size=(80, 24))


def test_wide_terminals_get_two_columns(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)
        assert not screen.has_class("-narrow")
        left, right = screen.query(".insight-column")
        assert left.region.y == right.region.y
        assert left.region.x < right.region.x

    run(app, scenario, size=(120, 40))


def test_the_settings_week_start_and_dont_wait_limit_are_used(
    store: CaseStore, user_library: PlaybookLibrary
) -> None:
    store.add_many(insight_cases())
    settings = Settings(week_start="sunday", dont_wait_hours=5)
    app = WorkbenchApp(store=store, library=user_library, clock=lambda: NOW, settings=settings)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        screen = await open_insight(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert "Sun 22 Nov 00:00 to Mon 23 Nov 14:30" in shown(screen, "#insight-title")
        # A, B (Sunday 23:59) and H; H has waited 4h 30m, under the 5 hours allowed.
        pace = shown(screen, "#insight-pace")
        assert "Opened 3" in pace
        assert "None left past its first-contact target" in pace

    run(app, scenario)


# -- the bar chart on its own ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "largest", "width", "bar"),
    [
        (0, 10, 8, ""),
        (10, 10, 8, "████████"),
        (5, 10, 8, "████"),
        (1, 16, 8, "▌"),  # half a cell: 4 eighths
        (1, 1000, 8, "▏"),  # tiny but not zero: one eighth
        (3, 0, 8, ""),
    ],
)
def test_bar_cells(value: float, largest: float, width: int, bar: str) -> None:
    assert bar_cells(value, largest, width) == bar


def test_chart_rows_fit_the_width_and_clip_long_labels() -> None:
    chart = BarChart([Bar("a very long label that will not fit", 4, "4"), Bar("b", 2, "2", "good")])
    # 30 cells: the figure takes 1 and the bar keeps at least 10, so the label gets
    # 30 - 1 - 10 - 2 spaces = 17 cells and the bar 30 - 17 - 1 - 2 = 10.
    assert chart.chart(30).plain.splitlines() == [
        "a very long labe… ██████████ 4",
        "b                 █████      2",
    ]


def test_bar_labels_are_measured_in_terminal_cells() -> None:
    """A playbook named in CJK or with emoji takes as many cells as any other label,
    so every bar starts in the same column."""
    from rich.cells import cell_len

    labels = ("Refunds", "返金の苦情とその対応", "Late 🚚 delivery", "")
    chart = BarChart([Bar(label, 4, "4") for label in labels])
    # 23 cells: the figure takes 1 and the bar 10, so every label gets 23 - 1 - 10 - 2 = 10.
    rows = chart.chart(23).plain.splitlines()
    assert len(rows) == len(labels)
    fitted = [row[: row.index("█") - 1] for row in rows]  # each label, before its space
    assert all(cell_len(row) == 23 for row in rows)
    assert all(cell_len(label) == 10 for label in fitted)
    assert fitted[1].endswith("…")
