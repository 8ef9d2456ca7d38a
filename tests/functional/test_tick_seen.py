"""``space`` ticks the step that was on screen, to the state the person asked for.

The screen's copy of a case may be a moment behind the file (another workbench or a
script changed it; the screen catches up within a couple of seconds). A tick used to flip
whatever the file held at that index: a step ticked elsewhere meanwhile was unticked, and
after a change of playbook elsewhere another step was ticked. Now the step is found
again by its key and playbook and set to the opposite of what was shown.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot

from workbench.cli import main
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp


@pytest.fixture
def app(store: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    opened = NOW - timedelta(hours=2)
    store.add(CaseDraft("Blames us for the parcel", "Ana Chen"), library.get("blame"), opened)
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


def elsewhere(db_path: Path, *args: str) -> None:
    assert main(["--db", str(db_path), *args], clock=lambda: NOW) == 0


def saved_steps(db_path: Path) -> list[tuple[str, bool]]:
    store = CaseStore(db_path)
    try:
        return [(s.key, s.done) for s in store.get("C-0001").steps]
    finally:
        store.close()


async def tick_first_step_after(app: WorkbenchApp, pilot: Pilot[None], *change: str) -> None:
    app.main.select_case("C-0001")
    await pilot.pause()
    await pilot.press("tab")  # the checklist, first step highlighted, shown ☐
    elsewhere(app.store.path, *change)  # the file changes; the screen has not caught up
    await pilot.press("space")


def test_space_ticks_the_highlighted_step(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await tick_first_step_after(app, pilot, "note", "C-0001", "an unrelated note")

    run(app, scenario)
    assert [done for _, done in saved_steps(db_path)][:2] == [True, False]


def test_a_step_ticked_elsewhere_meanwhile_stays_ticked(app: WorkbenchApp, db_path: Path) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await tick_first_step_after(app, pilot, "step", "C-0001", "1", "--done")

    run(app, scenario)
    assert saved_steps(db_path)[0][1] is True  # flipping the file's state would untick it


def test_after_a_playbook_change_elsewhere_no_other_step_is_ticked(
    app: WorkbenchApp, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await tick_first_step_after(app, pilot, "edit", "C-0001", "--playbook", "wrong")

    said: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "notify", recording)
    run(app, scenario)
    steps = saved_steps(db_path)
    assert not any(done for _, done in steps)  # the step shown is gone; none ticked instead
    assert any("no longer on C-0001" in message for message in said), said
