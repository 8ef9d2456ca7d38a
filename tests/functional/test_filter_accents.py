"""Filtering on the screen sets case and accents aside, both ways, as the command line does."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.app_driver import run
from helpers.clock import NOW
from textual.pilot import Pilot

from workbench.cli import main
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp

CUSTOMERS = {"C-0001": "Zoë Adams", "C-0002": "Zoe Brown", "C-0003": "Ben Okafor"}


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    for number, customer in enumerate(CUSTOMERS.values(), start=1):
        store.add(
            CaseDraft(f"Complaint {number}", customer),
            library.get("unhappy"),
            NOW - timedelta(hours=number),
        )
    return store


@pytest.mark.parametrize("typed", ["zoe", "zoë", "ZOË", "ZOE", "Zoe\u0308"])
def test_the_filter_finds_zoe_and_zoe_with_an_accent_alike(
    seeded: CaseStore,
    library: PlaybookLibrary,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    typed: str,
) -> None:
    shown: list[str] = []

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await pilot.press(*typed)
        await pilot.pause()
        shown.extend(sorted(app.main.case_list.shown_ids))

    run(WorkbenchApp(store=seeded, library=library, clock=lambda: NOW), scenario)
    assert shown == ["C-0001", "C-0002"]
    capsys.readouterr()
    for option in ("--search", "--customer"):  # the same rule on the command line
        assert main(["--db", str(db_path), "list", option, typed, "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert sorted(case["id"] for case in listed) == shown, option
