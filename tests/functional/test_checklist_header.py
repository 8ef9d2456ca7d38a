"""The checklist's header at 80x24 and 120x40: where the case stands and its remedy are
always in sight, the rest scrolls into view, and a noted step keeps its ✎ on its line."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.geometry import Region
from textual.pilot import Pilot

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Channel, Fault, Heat, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.checklist import CaseHeader

LONG_REMEDY = (
    "Send the right size by express courier and refund the first delivery in full, "
    "with a handwritten apology from the team lead"
)
LONG_CONTACT = "zoe.dubois.purchasing@harbour-dental-clinic.example.com"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    draft = CaseDraft(
        "Wrong size sent, second time",
        "Zoë Dubois (Harbour Dental)",
        contact=LONG_CONTACT,
        channel=Channel.EMAIL,
        heat=Heat.FURIOUS,
        fault=Fault.OURS,
    )
    case = store.add(draft, library.get("our-mistake"), NOW - timedelta(days=3))

    def work(case: Case) -> None:
        actions.set_status(case, Status.IN_PROGRESS, NOW)
        actions.set_step(case, 0, True, NOW - timedelta(days=2))
        actions.set_step(case, 1, True, NOW - timedelta(days=1))
        actions.set_step_note(case, 1, "She was calm by the end", NOW)
        actions.record_remedy(case, LONG_REMEDY, Decimal("1250.50"), False, NOW)

    store.update(case.id, work)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def header_lines(app: WorkbenchApp) -> list[str]:
    """The header's lines as they are on screen now."""
    header = app.main.query_one("#case-header", CaseHeader)
    return [header.render_line(y).text for y in range(header.size.height)]


def step_lines(app: WorkbenchApp) -> list[str]:
    """The steps' lines as they are on screen now."""
    steps = app.main.checklist.steps
    return [strip.text for strip in steps.render_lines(Region(0, 0, *steps.size))]


@pytest.mark.parametrize("size", SIZES)
def test_the_header_keeps_status_age_and_the_remedy_in_sight(
    app: WorkbenchApp, size: tuple[int, int]
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        lines = header_lines(app)
        width = app.main.query_one(CaseHeader).size.width
        assert all(len(line) <= width for line in lines)
        shown = " ".join(lines)
        assert "in progress" in shown
        assert "3d old" in shown
        assert "furious" in shown
        assert "cost 1250.50, declined" in shown

    run(app, scenario, size)


@pytest.mark.parametrize("size", SIZES)
def test_what_is_below_the_fold_scrolls_into_view(app: WorkbenchApp, size: tuple[int, int]) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        header = app.main.query_one(CaseHeader)
        assert header.max_scroll_y > 0  # too long for the box: it scrolls, nothing is cut
        header.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        shown = header_lines(app)
        assert " ".join(shown).split()[-4:] == ["one", "has", "it", "yet"]  # the last line
        assert "fault: ours · e-mail" in " ".join(shown)
        whole = header.render().plain
        assert LONG_REMEDY in whole
        assert LONG_CONTACT in whole

    run(app, scenario, size)


@pytest.mark.parametrize("size", SIZES)
def test_a_noted_step_keeps_its_mark_on_its_line(app: WorkbenchApp, size: tuple[int, int]) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        lines = step_lines(app)
        noted = [line for line in lines if line.startswith("☑ 2. ")]
        assert noted and noted[0].startswith("☑ 2. ✎ Apologise")
        assert not any(line.strip() == "✎" for line in lines)
        shown_steps = [line for line in lines if line[:1] in "☑☐·" and ". " in line[:6]]
        assert len(shown_steps) >= 3

    run(app, scenario, size)


def test_the_keyboard_reaches_the_header_above_the_first_step(app: WorkbenchApp) -> None:
    """At 80x24 the contact and fault are below the header's fold: up on the first step
    moves into the header, down scrolls it to its end, and down again is back on the steps."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        header = app.main.query_one("#case-header", CaseHeader)
        steps = app.main.checklist.steps
        assert header.hides_some
        assert not any(LONG_CONTACT[:20] in line for line in header_lines(app))
        await pilot.press("tab")  # to the checklist's steps
        assert app.focused is steps
        steps.highlighted = 0
        await pilot.press("k")
        assert app.focused is header
        for _ in range(header.max_scroll_y):
            await pilot.press("j")
        await pilot.pause()
        shown = "\n".join(header_lines(app))
        assert "fault: ours" in shown
        assert app.focused is header
        await pilot.press("down")
        assert app.focused is steps
        assert steps.highlighted == 0  # the steps are as they were
        await pilot.press("shift+tab")  # the pane before the checklist: the list
        assert app.focused is app.main.case_list.table

    run(app, scenario, size=(80, 24))


def test_up_on_the_first_step_rounds_to_the_last_when_the_header_shows_all(
    app: WorkbenchApp,
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        header = app.main.query_one("#case-header", CaseHeader)
        assert not header.hides_some
        await pilot.press("tab")
        steps = app.main.checklist.steps
        steps.highlighted = 0
        await pilot.press("up")
        assert app.focused is steps
        assert steps.highlighted == steps.option_count - 1

    run(app, scenario, size=(200, 60))
