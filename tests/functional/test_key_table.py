"""The settings check ``[keys]`` against a Textual-free table (workbench/keymap.py); these
tests hold that table to the screens' own BINDINGS and to Textual's names of keys."""

from __future__ import annotations

import asyncio
import string

import pytest
from helpers.clock import NOW
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key
from textual.widget import Widget

from workbench import keymap
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.main import MainScreen
from workbench.ui.widgets.calendar import AgendaList, CalendarPane, MonthGrid
from workbench.ui.widgets.case_list import CaseTable
from workbench.ui.widgets.checklist import CaseHeader, StepList

PARTS: dict[str, type[DOMNode]] = {
    keymap.APPLICATION: WorkbenchApp,
    keymap.MAIN: MainScreen,
    keymap.CASE_LIST: CaseTable,
    keymap.CHECKLIST: StepList,
    keymap.CASE_HEADER: CaseHeader,
    keymap.CALENDAR: CalendarPane,
    keymap.AGENDA: AgendaList,
}
"""The class whose bindings make each part of the table."""


def _live(cls: type[DOMNode]) -> list[Binding]:
    """Every binding a node of ``cls`` has, its inherited ones included (Textual merges them)."""
    merged = cls._merged_bindings
    assert merged is not None
    return [binding for bindings in merged.key_to_bindings.values() for binding in bindings]


@pytest.mark.parametrize("part", list(PARTS))
def test_each_part_of_the_table_is_what_the_screen_binds(part: str) -> None:
    live = _live(PARTS[part])
    with_ids: dict[str, tuple[list[str], str]] = {}
    for binding in live:
        if binding.id:
            keys, _ = with_ids.setdefault(binding.id, ([], binding.description))
            keys.append(binding.key)
    table = {b.id: (list(b.keys), b.description) for b in keymap.BINDINGS if b.part == part}
    assert with_ids == table
    fixed = sorted(binding.key for binding in live if not binding.id)
    assert fixed == sorted(keymap.FIXED[part])


def test_the_table_knows_every_id_once_per_part() -> None:
    seen = [(b.part, b.id) for b in keymap.BINDINGS]
    assert len(seen) == len(set(seen))
    for binding_id in keymap.BINDING_IDS:  # an id in two parts has the same keys in both
        assert len({b.keys for b in keymap.BINDINGS if b.id == binding_id}) == 1


def test_keys_are_looked_up_where_the_table_says(
    store: CaseStore, library: PlaybookLibrary
) -> None:
    """Focus each pane: the parts whose keys then work are those of PLACES, in its order."""
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)
    focus: dict[str, type[Widget]] = {
        "the case list": CaseTable,
        "the checklist": StepList,
        "the case's header": CaseHeader,
        "the calendar": MonthGrid,
        "the calendar's agenda": AgendaList,
    }
    found: dict[str, list[str]] = {}

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for place, widget in focus.items():
                app.main.query(widget).first().focus()
                await pilot.pause()
                parts = []
                for node, _ in app.screen._binding_chain:
                    part = next((p for p, c in PARTS.items() if type(node) is c), None)
                    if part is not None:
                        parts.append(part)
                found[place] = parts

    asyncio.run(main())
    assert found == {place: list(parts) for place, parts in keymap.PLACES.items()}


def test_character_keys_are_named_as_textual_names_them() -> None:
    for character in string.printable.strip() + "£§éß€½":
        assert keymap.character_key(character) == _character_to_key(character), character


def test_the_named_keys_are_textuals() -> None:
    plain = {key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")}
    assert set(keymap.NAMED_KEYS) == plain - {"return", "ctrl-at"}  # never sent as such


def test_every_key_in_the_table_reads_as_itself() -> None:
    for binding in keymap.BINDINGS:
        for key in binding.keys:
            assert keymap.read_key(key) == key
    for fixed in keymap.FIXED.values():
        for key in fixed:
            assert keymap.read_key(key) == key
