"""The follow-up calendar pane, driven with Textual's Pilot at fixed sizes and a frozen clock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.paths import styles_dir
from workbench.settings import WEEKDAYS, Settings
from workbench.ui.widgets.calendar import (
    AgendaEntry,
    CalendarPane,
    DayCell,
    MonthGrid,
)

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # a Monday afternoon
TODAY = NOW.date()
STATES = ("-today", "-overdue", "-upcoming", "-done")
M = TypeVar("M", bound=Message)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def entry(
    case_id: str,
    customer: str,
    due: datetime,
    action: str,
    *,
    followup_id: int = 1,
    title: str = "Charged twice for March",
    done: bool = False,
    cancelled: bool = False,
) -> AgendaEntry:
    return AgendaEntry(case_id, customer, title, followup_id, due, action, done, cancelled)


ANA = entry("C-0042", "Ana Chen", at(24, 10), "Call to check the refund")
BRUNO = entry("C-0043", "Bruno Diaz", at(24, 9, 15), "Confirm the courier picked it up")
CHIDI = entry("C-0044", "Chidi Okafor", at(24, 16), "Send returns label", done=True)
LATE = entry("C-0050", "Dana Scully", at(20, 11), "Apologise and offer a voucher")
SOON = entry("C-0051", "Eve Park", at(25, 9), "Ring back about the new date")
CLOSED_A = entry("C-0052", "Frank Li", at(26, 11), "Refund issued?", done=True)
CLOSED_B = entry("C-0053", "Gil Sousa", at(26, 12), "Call", cancelled=True)
EARLIER = entry("C-0054", "Hana Ito", at(23, 10), "Check the tracking")  # today, already past
LATER = entry("C-0055", "Ian Wu", at(23, 16), "Confirm the replacement")  # today, still ahead
PAST_DONE = entry("C-0056", "Kim Ode", at(18, 9), "Call back", done=True)

ENTRIES = [ANA, LATE, CHIDI, SOON, BRUNO, CLOSED_A, CLOSED_B, LATER, EARLIER, PAST_DONE]


class Harness(App[None]):
    """A box of a given size holding the pane, beside and under filler like the real screen."""

    CSS_PATH = str(styles_dir() / "calendar.tcss")

    def __init__(self, entries: Sequence[AgendaEntry], pane: Size, first_weekday: int = 0):
        super().__init__()
        self.entries = list(entries)
        self.pane_size = pane
        self.settings = Settings(week_start=WEEKDAYS[first_weekday])
        """Read by the pane, as the workbench's own settings are."""
        self.messages: list[Message] = []
        self.now = NOW

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("case list", id="left")
            with Vertical(id="right"):
                yield Static("checklist", id="top")
                yield CalendarPane(lambda: self.now, id="calendar")

    def on_mount(self) -> None:
        self.query_one("#right").styles.width = self.pane_size.width
        self.query_one("#left").styles.width = "1fr"
        self.query_one("#top").styles.height = "1fr"
        calendar = self.query_one(CalendarPane)
        calendar.styles.height = self.pane_size.height
        calendar.set_entries(self.entries)
        calendar.query_one(MonthGrid).focus()

    def on_calendar_pane_day_changed(self, message: CalendarPane.DayChanged) -> None:
        self.messages.append(message)

    def on_calendar_pane_entry_highlighted(self, message: CalendarPane.EntryHighlighted) -> None:
        self.messages.append(message)

    def on_calendar_pane_entry_selected(self, message: CalendarPane.EntrySelected) -> None:
        self.messages.append(message)

    def received(self, kind: type[M]) -> list[M]:
        return [message for message in self.messages if isinstance(message, kind)]


Scenario = Callable[[Harness, Pilot[None], CalendarPane], Awaitable[None]]


def run(
    scenario: Scenario,
    entries: Sequence[AgendaEntry] = ENTRIES,
    *,
    screen: tuple[int, int] = (80, 24),
    pane: tuple[int, int] = (46, 11),
    first_weekday: int = 0,
) -> None:
    async def main() -> None:
        app = Harness(entries, Size(*pane), first_weekday)
        async with app.run_test(size=screen) as pilot:
            await pilot.pause()
            await scenario(app, pilot, app.query_one(CalendarPane))

    asyncio.run(main())


def cell(calendar: CalendarPane, day: date) -> DayCell:
    found = calendar.cell_for(day)
    assert found is not None, f"{day} is not on the grid"
    return found


def states(calendar: CalendarPane, day: date) -> set[str]:
    return {name for name in STATES if cell(calendar, day).has_class(name)}


def month_shown(calendar: CalendarPane) -> str:
    return calendar.grid.title


def agenda_lines(calendar: CalendarPane) -> list[str]:
    return [str(option.prompt) for option in calendar.agenda.options]


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# ---------------------------------------------------------------------------------------------
# The grid


def test_each_day_is_marked_by_what_it_holds() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert states(calendar, TODAY) == {"-today"}
        assert states(calendar, date(2026, 11, 20)) == {"-overdue"}
        assert states(calendar, date(2026, 11, 25)) == {"-upcoming"}
        assert states(calendar, date(2026, 11, 26)) == {"-done"}
        assert states(calendar, date(2026, 11, 24)) == {"-upcoming"}  # one done, two open
        assert states(calendar, date(2026, 11, 18)) == {"-done"}  # past, but nothing left open
        assert states(calendar, date(2026, 11, 27)) == set()  # nothing due
        assert states(calendar, date(2026, 11, 19)) == set()

    run(scenario)


def test_cells_count_the_open_follow_ups() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert str(cell(calendar, date(2026, 11, 24)).label) == "24²"  # the done one not counted
        assert str(cell(calendar, date(2026, 11, 20)).label) == "20¹"
        assert str(cell(calendar, date(2026, 11, 26)).label) == "26✓"
        assert str(cell(calendar, date(2026, 11, 27)).label) == "27 "

    run(scenario)


def test_tall_pane_puts_the_count_under_the_day() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert calendar.has_class("-tall")
        assert str(cell(calendar, date(2026, 11, 24)).label) == "24\n•2"
        assert cell(calendar, date(2026, 11, 24)).size.height == 2

    run(scenario, screen=(120, 40), pane=(70, 19))


MARKS = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁺✓•")


@pytest.mark.parametrize(
    ("screen", "pane"), [((80, 24), (46, 11)), ((60, 20), (27, 14)), ((120, 40), (70, 19))]
)
def test_a_days_mark_is_set_apart_from_the_next_days_number(
    screen: tuple[int, int], pane: tuple[int, int]
) -> None:
    """ "9¹10" must read 9, then 10: each mark is drawn in a style of its own (dim, neither
    bold nor underlined), never the style of the number beside it."""

    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        grid = calendar.grid
        marks = 0
        for y in range(2, grid.size.height):
            for segment in grid.render_line(y):
                text = segment.text
                if not MARKS.intersection(text):
                    continue
                marks += 1
                assert text.strip()[0] in MARKS, text  # no day number in the mark's segment
                style = segment.style
                assert style is not None and style.dim, text
                assert not style.bold and not style.underline, text
        assert marks >= 6  # the days with follow-ups in November

    run(scenario, screen=screen, pane=pane)


def test_selection_and_other_month_days_are_classed() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert cell(calendar, TODAY).has_class("-selected")
        assert not cell(calendar, date(2026, 11, 24)).has_class("-selected")
        first = calendar.grid.cells[0]
        assert first.day == date(2026, 10, 26)  # the Monday before 1 November
        assert first.has_class("-other-month")
        assert not cell(calendar, date(2026, 11, 1)).has_class("-other-month")

    run(scenario)


def test_weeks_can_start_on_sunday() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert calendar.grid.cells[0].day == date(2026, 11, 1)  # 1 November 2026 is a Sunday
        assert "Su Mo Tu We Th Fr Sa" in screen_text(app)

    run(scenario, first_weekday=6)


def test_today_moves_on_at_midnight() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert states(calendar, TODAY) == {"-today"}
        app.now = at(24, 9, 30)
        calendar.check_clock()
        await pilot.pause()
        assert states(calendar, TODAY) == {"-overdue"}  # two follow-ups left open yesterday
        assert states(calendar, date(2026, 11, 24)) == {"-today"}
        assert agenda_lines(calendar)[1].startswith("! 16:00 C-0055")
        await pilot.press("t")
        assert calendar.selected == date(2026, 11, 24)

    run(scenario, screen=(120, 24), pane=(100, 12))


# ---------------------------------------------------------------------------------------------
# Moving around


def test_next_and_previous_month() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert month_shown(calendar) == "November 2026"
        await pilot.press(">")
        assert month_shown(calendar) == "December 2026"
        assert calendar.selected == date(2026, 12, 23)
        assert "December 2026" in screen_text(app)
        await pilot.press("<", "<")
        assert month_shown(calendar) == "October 2026"
        assert calendar.selected == date(2026, 10, 23)

    run(scenario)


def test_month_moves_clamp_to_the_month_length() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        calendar.selected = date(2026, 10, 31)
        await pilot.press(">")
        assert calendar.selected == date(2026, 11, 30)
        calendar.selected = date(2027, 3, 31)
        await pilot.press("<")
        assert calendar.selected == date(2027, 2, 28)
        calendar.show_month(2028, 2)
        assert calendar.selected == date(2028, 2, 28)
        assert month_shown(calendar) == "February 2028"

    run(scenario)


def test_t_comes_back_to_today() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press(">", ">", "l")
        assert calendar.selected == date(2027, 1, 24)
        assert month_shown(calendar) == "January 2027"
        await pilot.press("t")
        assert calendar.selected == TODAY
        assert month_shown(calendar) == "November 2026"
        assert cell(calendar, TODAY).has_class("-selected")

    run(scenario)


def test_keys_move_by_day_and_week_across_month_ends() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        steps = [
            ("l", date(2026, 11, 24)),
            ("h", date(2026, 11, 23)),
            ("right", date(2026, 11, 24)),
            ("left", date(2026, 11, 23)),
            ("j", date(2026, 11, 30)),
            ("j", date(2026, 12, 7)),
            ("k", date(2026, 11, 30)),
            ("right", date(2026, 12, 1)),
            ("left", date(2026, 11, 30)),
            ("up", date(2026, 11, 23)),
            ("down", date(2026, 11, 30)),
        ]
        for key, expected in steps:
            await pilot.press(key)
            assert calendar.selected == expected, f"after {key}"
            assert month_shown(calendar) == f"{expected:%B %Y}", f"after {key}"
        days = [message.day for message in app.received(CalendarPane.DayChanged)]
        assert days == [expected for _, expected in steps]

    run(scenario)


def test_clicking_a_day_selects_it() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.click(calendar.grid, offset=cell(calendar, date(2026, 11, 26)).offset)
        assert calendar.selected == date(2026, 11, 26)
        await pilot.click(calendar.grid, offset=(calendar.grid.size.width - 1, 0))  # ›
        assert calendar.selected == date(2026, 12, 26)
        await pilot.click(calendar.grid, offset=(0, 0))  # ‹
        assert calendar.selected == date(2026, 11, 26)

    run(scenario)


# ---------------------------------------------------------------------------------------------
# The agenda


def test_agenda_lists_the_day_in_time_order() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l")
        assert str(calendar.heading.render()) == "Tue 24 Nov — 3 follow-ups, 2 open"
        assert agenda_lines(calendar) == [
            "  09:15 C-0043 Bruno Diaz — Confirm the courier picked it up",
            "  10:00 C-0042 Ana Chen — Call to check the refund",
            "✓ 16:00 C-0044 Chidi Okafor — Send returns label",
        ]
        assert "  10:00 C-0042 Ana Chen — Call to check the refund" in screen_text(app)

    run(scenario, screen=(120, 24), pane=(100, 12))


def test_agenda_marks_overdue_and_closed_follow_ups() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert agenda_lines(calendar) == [
            "! 10:00 C-0054 Hana Ito — Check the tracking",  # before 14:30 today
            "  16:00 C-0055 Ian Wu — Confirm the replacement",
        ]
        await pilot.press("l", "l", "l")
        assert agenda_lines(calendar) == [
            "✓ 11:00 C-0052 Frank Li — Refund issued?",
            "× 12:00 C-0053 Gil Sousa — Call",
        ]

    run(scenario, screen=(120, 24), pane=(100, 12))


def test_narrow_agenda_puts_the_action_on_a_second_line() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l")
        assert agenda_lines(calendar)[1] == "  10:00 C-0042 Ana Chen\n  Call to check the refund"
        assert str(calendar.heading.render()) == "Tue 24 Nov: 3 follow-ups"

    run(scenario)


def test_an_empty_day_says_so() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l", "l", "l", "l")
        assert calendar.selected == date(2026, 11, 27)
        assert agenda_lines(calendar) == []
        assert calendar.highlighted is None
        assert str(calendar.heading.render()) == "Nothing due on Fri 27 Nov."

    run(scenario, screen=(120, 24), pane=(100, 12))


def test_enter_on_an_agenda_line_selects_that_follow_up() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l", "enter")  # enter on the grid goes to the agenda
        assert calendar.agenda.has_focus
        assert app.received(CalendarPane.EntrySelected) == []
        assert calendar.highlighted == BRUNO
        await pilot.press("j")
        assert calendar.highlighted == ANA
        await pilot.press("enter")
        await pilot.pause()
        selected = app.received(CalendarPane.EntrySelected)
        assert [message.entry for message in selected] == [ANA]
        assert selected[0].control is calendar
        highlighted = [message.entry for message in app.received(CalendarPane.EntryHighlighted)]
        assert highlighted[-2:] == [BRUNO, ANA]

    run(scenario)


def test_up_and_down_in_the_agenda_move_lines_not_days() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l")
        calendar.agenda.focus()
        await pilot.press("down", "down", "k")
        assert calendar.selected == date(2026, 11, 24)
        assert calendar.highlighted == ANA

    run(scenario)


def test_set_entries_keeps_the_day_and_the_highlighted_follow_up() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        await pilot.press("l", "enter", "j")
        assert calendar.highlighted == ANA
        days_before = len(app.received(CalendarPane.DayChanged))
        first = entry("C-0060", "Jo March", at(24, 8), "Early call")
        ana_done = entry("C-0042", "Ana Chen", at(24, 10), "Call to check the refund", done=True)
        calendar.set_entries([first, CHIDI, BRUNO, ana_done])
        await pilot.pause()
        assert calendar.selected == date(2026, 11, 24)
        assert calendar.highlighted == ana_done
        assert calendar.agenda.highlighted == 2  # it moved down a line and the cursor followed
        assert len(app.received(CalendarPane.DayChanged)) == days_before
        assert agenda_lines(calendar)[0].startswith("  08:00 C-0060 Jo March")

    run(scenario)


def test_user_text_is_shown_literally() -> None:
    tricky = entry(
        "C-0099", "[bold]x[/]", at(23, 18), "[red]boom[/red] [@click=app.quit]q[/]", title="[i]t"
    )

    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        line = "  18:00 C-0099 [bold]x[/] — [red]boom[/red] [@click=app.quit]q[/]"
        assert line in agenda_lines(calendar)
        assert line in screen_text(app)
        tooltip = calendar.agenda.tooltip
        await pilot.press("enter", "j")
        assert calendar.highlighted == tricky
        assert "[i]t" in str(calendar.agenda.tooltip)
        assert str(calendar.agenda.tooltip) != str(tooltip)

    run(scenario, [EARLIER, tricky], screen=(120, 24), pane=(100, 12))


def test_many_follow_ups_are_indexed_by_day() -> None:
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    many = [
        entry(f"C-{n:05d}", f"Customer {n}", start + timedelta(minutes=37 * n), "Call")
        for n in range(20_000)
    ]

    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        expected = [e for e in many if e.due.date() == TODAY]
        assert len(expected) > 10
        assert list(calendar.entries_on(TODAY)) == expected
        assert len(calendar.agenda.options) == len(expected)
        assert str(cell(calendar, TODAY).label) == "23⁺"

    run(scenario, many)


def test_the_minute_tick_redraws_only_what_fell_due() -> None:
    """A busy day's agenda is not redrawn whole once a minute: only the lines whose time
    has just passed get their overdue mark."""
    busy = [
        entry(f"C-{n:04d}", f"Customer {n}", at(23, 14, 31) + timedelta(minutes=n), "Call")
        for n in range(300)
    ]

    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        lines = agenda_lines(calendar)
        assert not any(line.startswith("!") for line in lines)
        redrawn: list[int] = []
        replace = calendar.agenda.replace_option_prompt_at_index

        def counting(index: int, prompt: object) -> None:
            redrawn.append(index)
            replace(index, prompt)  # type: ignore[arg-type]

        calendar.agenda.replace_option_prompt_at_index = counting  # type: ignore[method-assign]
        app.now = at(23, 14, 33) + timedelta(seconds=30)  # 14:31, 14:32, 14:33 have passed
        calendar.check_clock()
        await pilot.pause()
        assert redrawn == [0, 1, 2]
        lines = agenda_lines(calendar)
        assert [line[:7] for line in lines[:4]] == ["! 14:31", "! 14:32", "! 14:33", "  14:34"]
        redrawn.clear()
        calendar.check_clock()  # nothing new has fallen due
        assert redrawn == []
        app.now = at(23, 14, 20)  # the clock set back: every line drawn again
        calendar.check_clock()
        await pilot.pause()
        assert len(redrawn) == len(busy)
        assert not any(line.startswith("!") for line in agenda_lines(calendar))

    run(scenario, busy, screen=(120, 40), pane=(100, 20))


# ---------------------------------------------------------------------------------------------
# Fitting the 80x24 screen


def test_fits_46_by_11_on_an_80_by_24_screen() -> None:
    async def scenario(app: Harness, pilot: Pilot[None], calendar: CalendarPane) -> None:
        assert app.size == Size(80, 24)
        assert calendar.size == Size(46, 11)
        region = calendar.region
        for day_cell in calendar.grid.cells:
            assert region.contains_region(day_cell.region), day_cell.day
        assert region.contains_region(calendar.agenda.region)
        heading = calendar.heading
        assert len(str(heading.render())) <= heading.size.width
        text = screen_text(app)
        assert "November 2026" in text
        assert "Mo Tu We Th Fr Sa Su" in text
        assert "overdue" in text  # the legend fits
        await pilot.press("l")
        assert "Tue 24 Nov: 3 follow-ups" in screen_text(app)
        for _ in range(13):
            await pilot.press(">")
        assert month_shown(calendar) == "December 2027"

    run(scenario)
