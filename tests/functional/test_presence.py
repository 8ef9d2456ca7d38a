"""On a server, the checklist says when another agent has the same case open, so two
people don't call the same angry customer; it goes when they move on."""

from __future__ import annotations

import asyncio

from helpers.app_driver import run
from helpers.clock import NOW
from helpers.pg_server import new_database_url
from textual.pilot import Pilot

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.storage.postgres import PostgresStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.widgets.checklist import CaseHeader


def test_the_checklist_says_who_else_has_the_case_open(library: PlaybookLibrary) -> None:
    url = new_database_url()
    store = PostgresStore(url)
    for title in ("Charged twice", "Late parcel"):
        store.add(CaseDraft(title, "Ana Chen"), library.get("unhappy"), NOW)
    bo = PostgresStore(url)  # another agent's workbench
    app = WorkbenchApp(
        store=store, library=library, clock=lambda: NOW, settings=Settings(agent="ana")
    )

    def header() -> str:
        return app.main.query_one(CaseHeader).render().plain

    async def until(check: object, seconds: float = 5) -> bool:
        for _ in range(int(seconds / 0.1)):
            if check():  # type: ignore[operator]
                return True
            await asyncio.sleep(0.1)
        return False

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        assert app.main.case_list.selected_id == "C-0001"
        bo.present("C-0001", "bo")
        assert await until(lambda: "⚑ bo has this case open too." in header())
        bo.present("C-0002", "bo")  # bo moves on
        assert await until(lambda: "⚑" not in header())
        await pilot.press("j")  # ana follows to C-0002: bo is there
        assert await until(lambda: "⚑ bo has this case open too." in header())

    try:
        run(app, scenario, size=(120, 40))
    finally:
        bo.close()
        store.close()
