"""A form's drop-down opens inside the form's panel: at 80x24 the playbook's list (the
last field) opens above its field instead of running over the panel's border."""

from __future__ import annotations

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    store.add(CaseDraft("Wrong size sent", "Zoë Dubois"), library.get("our-mistake"), NOW)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


@pytest.mark.parametrize(("size", "field"), [((80, 24), "playbook"), ((80, 24), "channel")])
def test_an_open_drop_down_stays_inside_the_panel(
    app: WorkbenchApp, size: tuple[int, int], field: str
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("e")
        await pilot.pause()
        select = app.screen.query_one(f"#{field}", Select)
        select.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert select.expanded
        overlay = select.query_one(SelectOverlay)
        panel = app.screen.query_one(".dialog")
        inside = panel.region.shrink(panel.styles.border.spacing)
        box = overlay.region
        assert box.height >= 3  # several choices in sight
        assert inside.contains_region(box), (box, inside)
        assert not box.overlaps(select.region)  # the field itself stays in sight
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not select.expanded

    run(app, scenario, size=size)
