"""Whole screens as SVG snapshots, with demo data and the clock frozen.

Update them deliberately with ``pytest tests/snapshots/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Input

from workbench.domain import actions
from workbench.domain.demo import make_demo_cases
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp

SnapCompare = Callable[..., bool]


@pytest.fixture
def demo_app(tmp_path: Path, library: PlaybookLibrary) -> WorkbenchApp:
    store = CaseStore(tmp_path / "demo.json")
    store.add_many(make_demo_cases(200, library, NOW, seed=7))
    return WorkbenchApp(store=store, library=library, clock=lambda: NOW)


async def loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WorkbenchApp)
    for _ in range(200):
        await pilot.pause(0.05)
        if app.screen_stack and app.main.session.loaded and app.main.saver.pending == 0:
            break
    await pilot.pause()


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (120, 40), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_main_screen(
    snap_compare: SnapCompare, demo_app: WorkbenchApp, size: tuple[int, int]
) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_checklist_with_a_long_remedy(
    snap_compare: SnapCompare, demo_app: WorkbenchApp, size: tuple[int, int]
) -> None:
    """The header keeps where the case stands, the complaint and the remedy's cost and
    answer in view, however long the remedy's description."""
    remedy = (
        "Send the right size by express courier, refund the first delivery in full and "
        "add a voucher for the next order, with a handwritten note from the shop"
    )
    demo_app.store.update(
        "C-0001",
        lambda case: actions.record_remedy(case, remedy, Decimal("1250.5"), False, NOW),
    )

    async def select(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        app = pilot.app
        assert isinstance(app, WorkbenchApp)
        app.main.select_case("C-0001")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=size, run_before=select)


def test_what_to_say(snap_compare: SnapCompare, demo_app: WorkbenchApp) -> None:
    """The wording of a step at 80x24, filled from the case (the customer's first name,
    the remedy inside a sentence), with the keys that use it."""

    async def say(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        app = pilot.app
        assert isinstance(app, WorkbenchApp)
        app.main.select_case("C-0001")
        await pilot.pause()
        steps = app.main.checklist.steps
        steps.focus()
        case = app.main.selected
        assert case is not None
        # The step that offers a remedy: its wording names {remedy}.
        steps.highlighted = next(
            index
            for index, step in enumerate(case.steps)
            if step.key
            in (
                "propose-remedy",
                "offer-alternatives",
                "meet-halfway",
                "own-our-part",
                "take-action",
            )
        )
        await pilot.press("S")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=say)


def test_help_screen(snap_compare: SnapCompare, demo_app: WorkbenchApp) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(100, 40), run_before=open_help)


def test_new_case_form(snap_compare: SnapCompare, demo_app: WorkbenchApp) -> None:
    async def open_form(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("n")
        await pilot.pause()
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False  # a blinking cursor would make the picture flicker
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=open_form)


def test_insight_screen(
    snap_compare: SnapCompare, demo_app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The settings path is shown on the screen: pin it, or the temporary home would show.
    monkeypatch.setenv("WORKBENCH_SETTINGS", "/home/you/.config/workbench/settings.toml")

    async def open_insight(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("i")
        for _ in range(100):
            await pilot.pause(0.05)
            if getattr(pilot.app.screen, "insights", None):
                break
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(100, 32), run_before=open_insight)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_checklist_with_the_customers_record(
    snap_compare: SnapCompare, demo_app: WorkbenchApp, size: tuple[int, int]
) -> None:
    """The customer's record beside the case: their flag under the title (in view at
    80x24), company and preferred channel by the name, the notes' first line, and the
    relationship at a glance (earlier cases, what was given, promises elsewhere)."""
    from workbench.domain.customers import edit_customer
    from workbench.domain.model import Channel

    name = demo_app.store.get("C-0001").customer
    demo_app.store.update_customer(
        name,
        lambda c: edit_customer(
            c,
            company="Harbour Dental",
            channel=Channel.PHONE,
            notes="Prefers a call after 5pm.\nAsk for the practice manager.",
            flags=["careful: threatened a chargeback"],
        ),
    )

    async def select(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        app = pilot.app
        assert isinstance(app, WorkbenchApp)
        app.main.select_case("C-0001")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=size, run_before=select)


def test_the_customers_record_form(snap_compare: SnapCompare, demo_app: WorkbenchApp) -> None:
    """C at 80x24: every field of the record in view, with the keys to save or cancel."""
    from workbench.domain.customers import edit_customer

    name = demo_app.store.get("C-0001").customer
    demo_app.store.update_customer(
        name,
        lambda c: edit_customer(
            c, flags=["careful: threatened a chargeback"], notes="Prefers a call after 5pm."
        ),
    )

    async def open_form(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        app = pilot.app
        assert isinstance(app, WorkbenchApp)
        app.main.select_case("C-0001")
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=open_form)
