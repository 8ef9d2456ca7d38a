"""The first screen is drawn from case heads (no steps, no timeline); whole cases follow.

Whatever needs more than a head (the checklist, a change, insight, an export, the
filter's notes) must get the whole case even while only heads are on screen. These
tests hold the background read back (or let it run) and check what the user sees and
what reaches the file.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.app_driver import run, settle
from helpers.clock import NOW
from textual.pilot import Pilot
from textual.widgets import Static

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore, records, trust
from workbench.storage.errors import DatabaseUnreadable
from workbench.storage.records import as_record
from workbench.ui.app import WorkbenchApp, quiet_left
from workbench.ui.screens.insight import InsightScreen
from workbench.ui.screens.main import MainScreen
from workbench.ui.session import Heads
from workbench.ui.widgets.case_list import CaseList


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    opened = NOW - timedelta(hours=2)
    for title, customer in [
        ("Charged twice for March", "Ana Chen"),
        ("Wants a refund after 90 days", "Ben Okafor"),
        ("Parcel left in the rain", "Cy Evans"),
    ]:
        store.add(CaseDraft(title, customer, heat=Heat.UPSET), library.get("unhappy"), opened)
    store.update("C-0002", lambda case: actions.add_note(case, "wants the manager", NOW))
    store.update("C-0003", lambda case: actions.set_step_note(case, 0, "left a voicemail", NOW))
    return store


@pytest.fixture
def app(seeded: CaseStore, library: PlaybookLibrary) -> WorkbenchApp:
    return WorkbenchApp(store=seeded, library=library, clock=lambda: NOW)


@pytest.fixture
def heads_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole cases never arrive by themselves: only heads, as in the first moments."""
    monkeypatch.setattr(MainScreen, "_read_whole", lambda self, *args: None)


def is_head(app: WorkbenchApp, case_id: str) -> bool:
    main = app.main
    return main.session.is_head(case_id)


def test_the_store_hands_out_heads_and_the_records_to_make_them_whole(
    seeded: CaseStore,
) -> None:
    whole = sorted(seeded.all_cases(), key=lambda case: case.id)
    heads, held = seeded.case_heads()
    assert sorted(heads, key=lambda case: case.id) == [
        replace(case, steps=[], timeline=[]) for case in whole
    ]
    assert sorted(seeded.whole_cases(held), key=lambda case: case.id) == whole
    assert any(case.timeline for case in whole) and any(case.steps for case in whole)


def test_heads_from_a_file_without_a_note(seeded: CaseStore, db_path: Path) -> None:
    """A file this process has no note for is checked record by record; heads still match."""
    trust.forget(db_path)
    fresh = CaseStore(db_path)
    heads, held = fresh.case_heads()
    whole = fresh.whole_cases(held)
    assert [replace(case, steps=[], timeline=[]) for case in whole] == heads
    assert sorted(whole, key=lambda case: case.id) == sorted(
        seeded.all_cases(), key=lambda case: case.id
    )


def test_heads_from_records_held_as_mappings(seeded: CaseStore) -> None:
    """Records held as mappings (the strict reader's way) give the same heads as bytes."""
    heads, held = seeded.case_heads()
    mappings = [as_record(record) for record in held]
    assert all(isinstance(record, dict) for record in mappings)
    assert records.case_heads(mappings) == heads
    assert records.cases_from_records(mappings) == seeded.whole_cases(held)


def test_every_case_is_whole_once_the_background_read_is_done(
    app: WorkbenchApp, seeded: CaseStore
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        main = app.main
        assert not main.session.pending_heads()
        shown = sorted(main.cases.values(), key=lambda case: case.id)
        assert shown == sorted(seeded.all_cases(), key=lambda case: case.id)
        listed = [entry.case for entry in main.case_list.index.entries.values()]
        assert all(main.cases[case.id] is case for case in listed)

    run(app, scenario)


def test_the_selected_case_is_whole_while_others_are_heads(
    app: WorkbenchApp, heads_only: None
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        selected = app.main.case_list.selected_id
        assert selected is not None
        assert not is_head(app, selected)
        assert app.main.checklist.case is not None and app.main.checklist.case.steps
        others = [case_id for case_id in app.main.cases if case_id != selected]
        assert others and all(is_head(app, case_id) for case_id in others)
        await pilot.press("j")  # the next case shows its steps too
        await pilot.pause()
        moved = app.main.case_list.selected_id
        assert moved != selected and not is_head(app, moved)
        assert app.main.checklist.case is app.main.cases[moved]
        assert app.main.checklist.case.steps

    run(app, scenario)


def test_a_change_made_on_a_head_keeps_its_steps(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0003")
        await pilot.pause()
        await pilot.press("space")
        await settle(app, pilot)
        shown = app.main.cases["C-0003"]
        assert shown.steps[0].done and shown.steps[0].note == "left a voicemail"
        assert shown.timeline

    run(app, scenario)
    saved = seeded.get("C-0003")
    assert saved.steps[0].done and saved.steps[0].note == "left a voicemail"
    assert len(saved.steps) == len(seeded.get("C-0001").steps)


def test_insight_counts_whole_cases(app: WorkbenchApp, heads_only: None) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InsightScreen)
        assert not app.session.pending_heads()
        assert all(case.steps for case in app.screen.cases)

    run(app, scenario)


def test_the_filter_finds_notes_once_cases_are_whole(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"voicemail")
        await pilot.pause()
        assert list(app.main.case_list.shown_ids) == ["C-0003"]
        await pilot.press("escape")

    run(app, scenario)


def test_a_filter_typed_before_the_whole_cases_is_run_again(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    """Heads carry no notes: a filter typed in the first moments matches again when the
    whole cases come in, without the user typing anything."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"manager")
        await pilot.pause()
        main = app.main
        held = main.session.pending_heads()
        main.session.fill_in(seeded.whole_cases(held), main.session.load_number)
        main.session.finish_load(main.session.load_number)
        await pilot.pause()
        assert list(main.case_list.shown_ids) == ["C-0002"]
        await pilot.press("escape")

    run(app, scenario)


def test_a_change_on_a_copy_held_by_a_form_starts_from_the_whole_case(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    """A form (follow-up done, move) holds the case it was opened on; if that was a head,
    and whole cases came in meanwhile, the change still starts from the whole case."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        held_by_form = main.cases["C-0003"]
        assert is_head(app, "C-0003")
        main.session.fill_in(
            seeded.whole_cases(main.session.pending_heads()), main.session.load_number
        )
        assert not main.session.is_head("C-0003")
        main.change(held_by_form, "tick", lambda case: actions.set_step(case, 0, True, NOW))
        shown = main.cases["C-0003"]
        assert shown.steps and shown.steps[0].done
        assert shown.steps[0].note == "left a voicemail" and shown.timeline
        await settle(app, pilot)

    run(app, scenario)
    assert seeded.get("C-0003").steps[0].done


def test_whole_cases_read_for_an_older_load_are_dropped(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    """Batches of a background read that arrive after a newer load (the file changed
    meanwhile) must not put older cases on screen, nor end the newer load's heads."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        older_load = main.session.load_number
        older = seeded.whole_cases(main.session.pending_heads())
        seeded.update("C-0002", lambda case: actions.add_note(case, "called back", NOW))
        heads, held = seeded.case_heads()
        main.session.show(Heads(heads, held))
        main.session.fill_in(older, older_load)
        main.session.finish_load(older_load)
        assert is_head(app, "C-0002") and main.session.pending_heads()
        newest = main.session.all_whole()
        assert newest is not None and not main.session.pending_heads()
        notes = [event.text for event in main.cases["C-0002"].notes]
        assert "called back" in notes

    run(app, scenario)


def test_a_filter_cleared_and_typed_again_finds_notes(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        await pilot.press("slash", *"manager")
        await pilot.pause()
        assert list(main.case_list.shown_ids) == []  # heads: no notes yet
        await pilot.press("escape")
        await pilot.pause()
        main.session.fill_in(
            seeded.whole_cases(main.session.pending_heads()), main.session.load_number
        )
        main.session.finish_load(main.session.load_number)
        await pilot.press("slash", *"manager")
        await pilot.pause()
        assert list(main.case_list.shown_ids) == ["C-0002"]
        await pilot.press("escape")

    run(app, scenario)


def test_results_stay_while_whole_cases_come_in_then_are_searched_again(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    """While whole cases come in (the first seconds), results kept for filter texts stay
    as the heads gave them, so typing stays quick; once all are in, what is typed is
    searched again and finds notes."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        case_list = main.case_list
        await pilot.press("slash", *"evans")
        await pilot.press("ctrl+u", *"manag")
        await pilot.pause()
        assert is_head(app, "C-0002")  # never selected, so never made whole on the spot
        assert list(case_list.shown_ids) == []
        kept = case_list.index.matches["manag"]
        main.session.fill_in(
            seeded.whole_cases(main.session.pending_heads()), main.session.load_number
        )
        assert case_list.index.matches["manag"] is kept
        main.session.finish_load(main.session.load_number)
        await pilot.pause()
        assert "evans" not in case_list.index.matches
        assert list(case_list.shown_ids) == ["C-0002"]  # "wants the manager"
        await pilot.press("escape")

    run(app, scenario)


def test_a_longer_text_looks_in_notes_that_came_in_after_a_shorter_one(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None
) -> None:
    """ "a" matches every case on its head alone; its entries are filled in place as whole
    cases come in, so "ants the m", searched within what "a" kept, finds C-0002 by its
    note before the search again at the end."""

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        case_list = main.case_list
        await pilot.press("slash", "a")
        await pilot.pause()
        assert is_head(app, "C-0002")
        kept = case_list.index.matches["a"]
        assert sorted(kept) == ["C-0001", "C-0002", "C-0003"]
        main.session.fill_in(
            seeded.whole_cases(main.session.pending_heads()), main.session.load_number
        )
        assert case_list.index.matches["a"] is kept
        await pilot.press(*"nts the m")  # searched within what "a" kept
        await pilot.pause()
        assert list(case_list.shown_ids) == ["C-0002"]
        await pilot.press("escape")

    run(app, scenario)


def _damaged(held: object) -> list[object]:
    raise DatabaseUnreadable("A case in the database is damaged (test).", "Run doctor.")


def status_line(app: WorkbenchApp) -> str:
    return str(app.main.query_one("#save-status", Static).render())


def test_damage_only_whole_cases_reveal_is_reported_not_crashed(
    app: WorkbenchApp, seeded: CaseStore, heads_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        monkeypatch.setattr(seeded, "whole_cases", _damaged)
        await pilot.press("j")  # a head selected: it can't be made whole
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # no insight from heads
        assert "damaged" in status_line(app)

    run(app, scenario, settle_after=False)


def test_damage_found_by_the_background_read_is_reported(
    app: WorkbenchApp, seeded: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seeded, "whole_cases", _damaged)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "damaged" in status_line(app)
        assert app.main.warmed

    run(app, scenario, settle_after=False)


@pytest.mark.parametrize(
    ("last_key_at", "now", "left"),
    [(10.0, 10.0, 0.06), (10.0, 10.05, 0.01), (10.0, 10.06, 0.0), (10.0, 11.0, 0.0)],
)
def test_background_work_waits_out_keys(last_key_at: float, now: float, left: float) -> None:
    assert quiet_left(last_key_at, now, quiet=0.06) == pytest.approx(left)


def test_the_app_notes_when_a_key_came(app: WorkbenchApp) -> None:
    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        before = app.last_key_at
        await pilot.press("j")
        assert app.last_key_at > before

    run(app, scenario)


def test_the_background_read_brings_the_filter_texts_with_it(
    app: WorkbenchApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Texts are worked out with the whole cases, in the same thread: the separate warming
    afterwards finds nothing left to do."""
    # No warming at all: the heads' texts are replaced as whole cases come in, so every
    # text found afterwards came with them.
    monkeypatch.setattr(CaseList, "filter_warmer", lambda self, between=None: lambda: None)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        entries = app.main.case_list.index.entries
        selected = app.main.case_list.selected_id
        others = [entry for case_id, entry in entries.items() if case_id != selected]
        assert others and all(entry.known_haystack is not None for entry in others)
        assert "voicemail" in (entries["C-0003"].known_haystack or "") or selected == "C-0003"

    run(app, scenario)


def test_the_heads_filter_texts_come_before_the_whole_cases(
    app: WorkbenchApp, seeded: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter typed while whole cases come in must not work out every head's text."""
    ready_at_first_batch: list[bool] = []
    whole_cases = CaseStore.whole_cases

    def watched(store: CaseStore, held: list[object]) -> list[object]:
        in_background = threading.current_thread() is not threading.main_thread()
        if in_background and not ready_at_first_batch:  # not the selected case's, on the spot
            main = app.main
            heads = [e for e in main.case_list.index.entries.values() if is_head(app, e.case.id)]
            assert len(heads) == 2  # all but the selected case
            ready_at_first_batch.append(all(entry.known_haystack is not None for entry in heads))
        return whole_cases(store, held)  # type: ignore[arg-type]

    monkeypatch.setattr(CaseStore, "whole_cases", watched)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        await app.workers.wait_for_complete()

    run(app, scenario)
    assert ready_at_first_batch == [True]
