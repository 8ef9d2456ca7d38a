"""A row of the case list shows the complaint: at 80x24 the id, a heat mark, the next
follow-up and at least 20 cells of title; at 120x40 at least 40 cells of title with the
customer, next follow-up, heat and status (rows take two lines when one can't hold it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.case_list import HEAT_MARKS

TITLE = "Charged twice for the March invoice and nobody answered the e-mails"


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    case = store.add(
        CaseDraft(TITLE, "Ana Chen-Okafor (Harbour Dental)", heat=Heat.FURIOUS),
        library.get("unhappy"),
        NOW,
    )
    store.update(
        case.id,
        lambda c: actions.schedule_followup(c, NOW - timedelta(days=2), "Call back", NOW),
    )
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def row_lines(app: WorkbenchApp) -> list[str]:
    table = app.main.case_list.table
    return [table.render_line(y).text for y in range(table.row_height)]


def test_at_80x24_a_row_shows_id_heat_next_and_20_cells_of_title(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        first, second = row_lines(app)
        assert "C-0001" in first and HEAT_MARKS[Heat.FURIOUS] in first
        assert "overdue 2d" in first
        assert TITLE[:20] in second

    run(app, scenario, size=(80, 24))


def test_at_120x40_a_row_shows_40_cells_of_title_customer_next_heat_status(
    app: WorkbenchApp,
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        text = "\n".join(row_lines(app))
        assert TITLE[:40] in text
        assert "Ana Chen-Okafor" in text and "overdue 2d" in text
        assert HEAT_MARKS[Heat.FURIOUS] in text and "new" in text

    run(app, scenario, size=(120, 40))


def test_the_cursor_and_clicks_move_by_rows_of_two_lines(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        table = app.main.case_list.table
        assert table.row_height == 2
        await pilot.click(table, offset=(5, 1))  # the title's line of the first row
        assert table.cursor_row == 0

    run(app, scenario, size=(80, 24))
