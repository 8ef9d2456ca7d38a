"""The case list's Next column is never cut mid-value, and at 60x20 the right pane keeps its
border: the list is as wide as its id, customer and Next columns need, the right pane has
the rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp

DUE = {
    "Parcel lost": NOW - timedelta(days=12),
    "Charged twice": NOW - timedelta(days=2),
    "Rude driver": NOW.replace(hour=22, minute=15) + timedelta(days=1),
    "Late refund": NOW.replace(hour=23, minute=45),
}
SHOWN_WIDE = {"overdue 12d", "overdue 2d", "tomorrow 22:15", "today 23:45"}
SHOWN_NARROW = {"overdue 12d", "overdue 2d", "tmrw 22:15", "today 23:45"}


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    for title, due in DUE.items():
        case = store.add(CaseDraft(title, "Ana Chen"), library.get("unhappy"), NOW)
        store.update(
            case.id, lambda c, due=due: actions.schedule_followup(c, due, "Call back", NOW)
        )
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def list_lines(app: WorkbenchApp) -> list[str]:
    table = app.main.case_list.table
    return [table.render_line(y).text for y in range(table.row_count * table.row_height)]


@pytest.mark.parametrize(
    ("size", "expected"),
    [((60, 20), SHOWN_NARROW), ((80, 24), SHOWN_NARROW), ((120, 40), SHOWN_WIDE)],
)
def test_next_is_shown_whole(app: WorkbenchApp, size: tuple[int, int], expected: set[str]) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        lines = list_lines(app)
        assert sum(line.startswith(" C-") for line in lines) == len(DUE)  # one case a row
        shown = {value for value in expected for line in lines if f" {value} " in line}
        assert shown == expected, lines

    run(app, scenario, size=size)


def test_at_60x20_the_right_pane_keeps_its_border(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        right = main.query_one("#right").region
        assert right.right <= main.size.width
        assert main.query_one("#checklist").region.right == right.right
        assert main.query_one("#calendar").region.right == right.right
        assert main.query_one("#case-list").region.right == right.x

    run(app, scenario, size=(60, 20))
