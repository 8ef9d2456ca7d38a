"""The fast reader (msgspec, in C) agrees with the strict reader on every record.

The fast path is a shortcut only: whatever it accepts the strict reader accepts, with the
same result; whatever the strict reader refuses is refused, with the strict reader's
message. Checked on demo cases and on thousands of damaged copies of them.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import datetime
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.demo import make_demo_cases
from workbench.storage.playbook_files import load_library
from workbench.storage.records import (
    RecordError,
    case_from_record,
    case_to_record,
    cases_from_records,
    check_case_records,
    held_records_pass,
)

NOW = datetime.fromisoformat("2026-11-23T14:30:00+01:00")


@pytest.fixture(scope="module")
def records() -> dict[str, dict[str, Any]]:
    cases = make_demo_cases(60, load_library(None), NOW, seed=3)
    found = {}
    for number, case in enumerate(cases, start=1):
        case.id = f"C-{number:04d}"
        found[str(number)] = case_to_record(case)
    return found


def strict(records: dict[str, Any]) -> str | None:
    """The strict reader's verdict: None when every record reads, else its message."""
    try:
        for doc_id, record in records.items():
            case = case_from_record(record, where=f"case record {doc_id}")
            if str(case.number) != doc_id:
                return "numbers"
    except RecordError as error:
        return str(error)
    return None


def fast(records: dict[str, Any]) -> str | None:
    try:
        check_case_records(records)
    except RecordError as error:
        return "numbers" if error.problem.startswith("holds") else str(error)
    return None


def test_demo_cases_read_the_same_both_ways(records: dict[str, dict[str, Any]]) -> None:
    check_case_records(records)
    built = cases_from_records(records.values())
    assert built == [case_from_record(record) for record in records.values()]
    assert any(case.remedy is not None for case in built)  # the sample covers remedies


BAD_VALUES: list[Any] = [
    None,
    1,
    1.5,
    True,
    "",
    "x",
    "2026-11-23T10:00:00",  # no time zone
    "2026-11-23 10:00+01:00",  # readable by the strict reader, not RFC 3339
    "not a time",
    [],
    {},
    "C-12",
    "-3",
    "1e3",
]


def mutate(record: dict[str, Any], rng: random.Random) -> None:
    """Change, drop or add one value somewhere in the record."""
    target: Any = record
    while True:
        if isinstance(target, dict) and target:
            key = rng.choice(list(target))
            if rng.random() < 0.5 and isinstance(target[key], dict | list) and target[key]:
                target = target[key]
                continue
            action = rng.random()
            if action < 0.2:
                del target[key]
            elif action < 0.3:
                target["unknown_" + key] = rng.choice(BAD_VALUES)
            else:
                target[key] = rng.choice(BAD_VALUES)
            return
        if isinstance(target, list) and target:
            index = rng.randrange(len(target))
            if isinstance(target[index], dict | list) and target[index] and rng.random() < 0.7:
                target = target[index]
                continue
            target[index] = rng.choice(BAD_VALUES)
            return
        return


@settings(max_examples=400, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_damaged_records_get_the_strict_verdict(
    records: dict[str, dict[str, Any]], seed: int
) -> None:
    rng = random.Random(seed)
    damaged = copy.deepcopy(records)
    doc_id = rng.choice(list(damaged))
    for _ in range(rng.randint(1, 3)):
        mutate(damaged[doc_id], rng)
    verdict = strict(damaged)
    assert fast(damaged) == verdict
    # Held as bytes, records are checked one at a time: a pass is only ever given where
    # the strict reader passes too (a refusal sends the file down the strict path).
    held = {key: msgspec.Raw(json.dumps(value).encode()) for key, value in damaged.items()}
    if held_records_pass(held):
        assert verdict is None
    if verdict is None:
        assert cases_from_records(damaged.values()) == [
            case_from_record(record) for record in damaged.values()
        ]


def test_a_record_under_the_wrong_number_is_refused(records: dict[str, dict[str, Any]]) -> None:
    moved = {"99": records["1"]}
    with pytest.raises(RecordError, match="holds C-0001; the numbers must match"):
        check_case_records(moved)


def test_built_in_guidance_is_stored_by_reference(records: dict[str, dict[str, Any]]) -> None:
    """A built-in step's record leaves its guidance out; the case read back has it all."""
    record = records["1"]
    assert all("guidance" not in step for step in record["steps"])
    case = case_from_record(record)
    library = load_library(None)
    playbook = library.get(case.playbook)
    assert [s.guidance for s in case.steps] == [s.guidance for s in playbook.steps]
    assert [s.guidance for s in cases_from_records([record])[0].steps] == [
        s.guidance for s in playbook.steps
    ]


def test_changed_or_unknown_guidance_is_stored_in_full(
    records: dict[str, dict[str, Any]],
) -> None:
    case = case_from_record(records["1"])
    case.steps[0].guidance = "Our own words for this step."
    case.playbook = "gone-user-playbook" if len(case.steps) < 2 else case.playbook
    record = case_to_record(case)
    assert record["steps"][0]["guidance"] == "Our own words for this step."
    assert "guidance" not in record["steps"][1]
    case.playbook = "a-user-playbook"
    record = case_to_record(case)
    assert all("guidance" in step for step in record["steps"])
    assert case_from_record(record) == case


def test_good_records_held_as_bytes_pass(records: dict[str, dict[str, Any]]) -> None:
    held = {key: msgspec.Raw(json.dumps(value).encode()) for key, value in records.items()}
    assert held_records_pass(held)
    moved = {"99": held["1"]}
    assert not held_records_pass(moved)
