"""Steps kept from an earlier playbook, on disk: one optional field, ``from_playbook``.

It is written only for a kept step, so files of cases that never changed playbook are as
they were; a file written before the field existed reads with every step its case's own;
each way of reading (strict, the typed shapes, bytes straight into cases, plain TinyDB)
agrees. No schema change: an optional field with a default needs no migration.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import msgspec
import pytest
from tinydb import TinyDB

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.storage.records import (
    case_from_record,
    case_heads,
    case_to_record,
    cases_from_records,
    cases_without_steps,
    check_case_records,
    held_records_pass,
)


@pytest.fixture
def moved(library: PlaybookLibrary, now: datetime) -> Case:
    """A blame case with its first step done and noted, moved to the "wrong" playbook."""
    case = actions.open_case(CaseDraft("Blames us", "Ana"), "C-0001", library.get("blame"), now)
    actions.set_step(case, 0, True, now)
    actions.set_step_note(case, 0, "The courier, she says", now)
    actions.edit_case(case, CaseDraft("Blames us", "Ana"), now, library.get("wrong"))
    assert [step.from_playbook for step in case.steps if step.kept] == ["blame"]
    return case


def test_only_a_kept_step_writes_the_field(moved: Case) -> None:
    steps = case_to_record(moved)["steps"]
    assert [s.get("from_playbook") for s in steps] == [None] * (len(steps) - 1) + ["blame"]
    assert steps[-1]["guidance"] == moved.steps[-1].guidance  # not the new playbook's


def test_every_reader_agrees_on_a_kept_step(moved: Case) -> None:
    record = case_to_record(moved)
    held = msgspec.Raw(msgspec.json.encode(record))
    check_case_records({"1": record})
    assert held_records_pass({"1": held})
    assert case_from_record(record) == moved
    assert cases_from_records([record]) == [moved]
    assert cases_from_records([held]) == [moved]
    assert case_heads([held])[0].steps == []
    assert cases_without_steps([record])[0].timeline == moved.timeline


def test_a_step_written_before_the_field_reads_as_the_cases_own(moved: Case) -> None:
    record = case_to_record(moved)
    for step in record["steps"]:
        step.pop("from_playbook", None)
    held = msgspec.Raw(msgspec.json.encode(record))
    for case in (
        case_from_record(record),
        *cases_from_records([record]),
        *cases_from_records([held]),
    ):
        assert all(step.from_playbook == "" for step in case.steps)
        assert len(case.open_steps) == len(case.steps) - sum(s.done for s in case.steps)


def test_a_store_keeps_it_and_plain_tinydb_reads_it(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    store = CaseStore(db_path)
    store.add(CaseDraft("Blames us", "Ana"), library.get("blame"), now)
    store.update("C-0001", lambda c: actions.set_step_note(c, 1, "Asked for photos", now))
    store.update(
        "C-0001",
        lambda c: actions.edit_case(c, CaseDraft("Blames us", "Ana"), now, library.get("wrong")),
    )
    store.close()
    again = CaseStore(db_path)
    kept = [step for step in again.get("C-0001").steps if step.kept]
    assert [(s.note, s.from_playbook) for s in kept] == [("Asked for photos", "blame")]
    assert again.fold()  # plain TinyDB sees the journal's changes once they are folded
    with TinyDB(db_path) as plain:
        (record,) = plain.table("cases").all()
    assert record["steps"][-1]["from_playbook"] == "blame"
    assert json.loads(db_path.read_text())  # whole JSON
    again.close()
