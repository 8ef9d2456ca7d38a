"""Records that parse and have the right types but hold values no case can have.

A cost of 1e999999999 once took 19 s and 5 GB to print; a follow-up in the year 9999 or 1
crashed every command with OverflowError; ``sNaN`` crashed the report; a record C-0000 was
accepted. The reader now bounds what it accepts (``workbench/domain/limits.py``) and
refuses the rest like a damaged file, naming the field. Here every such value goes through
the reader, doctor, every command and the screen; and Hypothesis puts random extreme values
of the right type into random fields, checking that the file is either read (and then every
command works on it) or refused in words, never a crash.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.reliability import cli, snapshot, status_line, text_of, wait_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from workbench.storage import CaseStore, DatabaseUnreadable
from workbench.storage.playbook_files import load_library
from workbench.storage.records import RecordError, case_from_record
from workbench.ui.app import WorkbenchApp

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")


def good_file(folder: Path) -> Path:
    """A current file with one case holding every kind of value: a done step, a remedy,
    a follow-up, timeline events."""
    db = folder / "cases.json"
    for args in (
        ["add", "Charged twice", "--customer", "Ana Chen"],
        ["step", "C-0001", "1", "--done"],
        ["remedy", "C-0001", "Refund", "--cost", "49.90", "--accepted"],
        ["followup", "C-0001", "tomorrow", "10am", "--what", "Check the refund"],
    ):
        assert cli(db, *args).code == 0
    return db


def with_case(db: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(db.read_bytes())
    change(data["cases"]["1"])
    db.write_text(json.dumps(data))


def renumbered(number: int) -> Callable[[dict[str, Any]], object]:
    def change(case: dict[str, Any]) -> None:
        case["id"] = f"C-{number:04d}"

    return change


# what is put in the file, and the words doctor and every command say about it
EXTREMES: list[tuple[str, Callable[[dict[str, Any]], object], str]] = [
    ("huge cost", lambda c: c["remedy"].update(cost="1e999999999"), "the cost '1e999999999'"),
    ("signalling NaN", lambda c: c["remedy"].update(cost="sNaN"), "the cost 'sNaN'"),
    ("NaN cost", lambda c: c["remedy"].update(cost="NaN"), "the cost 'NaN'"),
    ("negative cost", lambda c: c["remedy"].update(cost="-5"), "the cost '-5'"),
    ("infinite cost", lambda c: c["remedy"].update(cost="Infinity"), "the cost 'Infinity'"),
    ("cost as a float", lambda c: c["remedy"].update(cost=1e300), "the cost 1e+300"),
    (
        "follow-up in the year 9999",
        lambda c: c["followups"][0].update(due="9999-12-31T23:59:59+00:00"),
        "the field “due” is in the year 9999",
    ),
    (
        "follow-up in the year 1",
        lambda c: c["followups"][0].update(due="0001-01-01T00:00:00+00:00"),
        "the field “due” is in the year 1",
    ),
    (
        "opened in the year 9999",
        lambda c: c.update(opened_at="9999-12-31T23:59:59-05:00"),
        "the field “opened_at” is in the year 9999",
    ),
    (
        "step done in the year 1",
        lambda c: c["steps"][0].update(done_at="0001-01-01T00:00:00+00:00"),
        "the field “done_at” is in the year 1",
    ),
    (
        "revision past 2^53",
        lambda c: c.update(revision=10**30),
        "the field “revision” is a number of about 30 digits",
    ),
    ("negative revision", lambda c: c.update(revision=-1), "the field “revision” is -1"),
    (
        "follow-up number past 2^53",
        lambda c: c["followups"][0].update(id=2**60),
        "the field “id” is",
    ),
    (
        "a note of two million characters",
        lambda c: c["steps"][0].update(note="x" * 2_000_000),
        "the field “note” holds 2,000,000 characters",
    ),
    (
        "twenty thousand tags",
        lambda c: c.update(tags=["t"] * 20_000),
        "the field “tags” has 20,000 entries",
    ),
    (
        "a billion minutes spent",
        lambda c: c.update(
            time_spent=[{"started_at": "2026-11-01T10:00:00+00:00", "minutes": 10**9}]
        ),
        "1000000000 minutes is not from 1 to 720",
    ),
    (
        "a timer started in the year 9999",
        lambda c: c.update(timer_started_at="9999-01-01T10:00:00+00:00", timer_by="bo"),
        "the field “timer_started_at” is in the year 9999",
    ),
    (
        "a follow-up answered 'maybe'",
        lambda c: c["followups"][0].update(result="maybe"),
        "“result”",
    ),
]


@pytest.mark.parametrize(("name", "change", "problem"), EXTREMES, ids=[e[0] for e in EXTREMES])
def test_extreme_values_are_refused_by_doctor_and_every_command(
    name: str, change: Callable[[dict[str, Any]], object], problem: str, tmp_path: Path
) -> None:
    db = good_file(tmp_path)
    with_case(db, change)
    before = snapshot(db)
    doctor = cli(db, "doctor")
    assert doctor.code == 1
    assert "PROBLEM" in doctor.out and problem in doctor.out, doctor.out
    for command in COMMANDS:
        result = cli(db, *command)
        assert result.code == 2, (command, result)
        assert result.err.startswith("workbench: ") and result.err.count("\n") == 1, result.err
        assert problem in result.err, (command, result.err)
        assert "Traceback" not in result.err
        assert len(result.out) < 1000  # nothing of the absurd value reaches the screen
    assert snapshot(db) == before


COMMANDS = [
    ["list"],
    ["list", "--all", "--json"],
    ["show", "C-0001"],
    ["add", "New", "--customer", "Dee"],
    ["note", "C-0001", "Called back"],
    ["step", "C-0001", "2", "--done"],
    ["followup", "C-0001", "tomorrow"],
    ["status", "C-0001", "waiting"],
    ["remedy", "C-0001", "Voucher", "--cost", "5"],
    ["close", "C-0001", "--outcome", "lost", "--force", "--cancel-followups"],
    ["followups", "--week"],
    ["report", "--period", "all"],
    ["export", "--format", "md", "-o", "-"],
]


@pytest.mark.parametrize(
    ("written", "verdict"),
    [
        ('"9999-12-31t10:00:00z"', "in the year 9999"),  # RFC 3339 in lower case
        ('"\\u0030001-01-01T00:00:00Z"', "in the year 1"),  # a digit written as an escape
        ('"2026-12-24t10:00:00z"', None),  # lower case, and a date like any other
    ],
)
def test_dates_written_the_ways_json_allows_get_one_verdict(
    tmp_path: Path, written: str, verdict: str | None
) -> None:
    """The quick reader and the strict one take the same forms of a date, and both bound
    the year: a file neither passes one and fails the other, nor crashes a command."""
    db = good_file(tmp_path)
    data = json.loads(db.read_bytes())
    data["cases"]["1"]["followups"][0]["due"] = "@DUE@"
    db.write_text(json.dumps(data).replace('"@DUE@"', written))
    doctor = cli(db, "doctor")
    for command in (["list"], ["show", "C-0001"], ["followups", "--week"], ["report"]):
        result = cli(db, *command)
        if verdict is None:
            assert doctor.code == 0 and result.code == 0, (command, doctor.out, result.err)
        else:
            assert doctor.code == 1 and verdict in doctor.out
            assert result.code == 2 and verdict in result.err, (command, result)


def test_a_case_counter_past_any_real_number_is_refused(tmp_path: Path) -> None:
    db = good_file(tmp_path)
    data = json.loads(db.read_bytes())
    data["meta"]["1"]["last_case"] = 10**25
    db.write_text(json.dumps(data))
    for command in (["doctor"], ["list"], ["add", "x", "--customer", "y"]):
        result = cli(db, *command)
        assert result.code in (1, 2)
        assert "the last case number in its meta table is past" in result.out + result.err


def test_a_case_numbered_zero_is_refused(tmp_path: Path) -> None:
    db = good_file(tmp_path)
    data = json.loads(db.read_bytes())
    data["cases"] = {"0": {**data["cases"]["1"], "id": "C-0000"}}
    db.write_text(json.dumps(data))
    doctor = cli(db, "doctor")
    assert doctor.code == 1 and "case numbers start at C-0001" in doctor.out
    result = cli(db, "list")
    assert result.code == 2 and "case numbers start at C-0001" in result.err


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("nested 100,000 deep", b'{"cases": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested"),
        ("a number of 5,000 digits", b'{"meta": {"1": {"schema": 1' + b"0" * 5000 + b"}}}", "too"),
    ],
)
def test_absurd_json_is_refused(name: str, content: bytes, problem: str, tmp_path: Path) -> None:
    db = tmp_path / "cases.json"
    db.write_bytes(content)
    for command in (["doctor"], ["list"], ["add", "x", "--customer", "y"]):
        result = cli(db, *command)
        assert result.code in (1, 2), result
        assert problem in result.out + result.err
        assert "Traceback" not in result.err
    assert db.read_bytes() == content


def test_the_screen_refuses_an_extreme_file_in_words(tmp_path: Path) -> None:
    db = good_file(tmp_path)
    with_case(db, lambda c: c["followups"][0].update(due="9999-12-31T23:59:59+00:00"))
    before = snapshot(db)
    store = CaseStore(db)
    with pytest.raises(DatabaseUnreadable, match="in the year 9999"):
        store.count()  # what the command line checks before the screen opens
    app = WorkbenchApp(store=CaseStore(db), library=load_library(None))
    shown: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: "year 9999" in text_of(status_line(app)))
            shown.append(text_of(status_line(app)))
            await pilot.press("q")

    asyncio.run(scenario())
    assert "damaged" in shown[0] and "workbench doctor" in shown[0]
    assert app.crash is None
    assert snapshot(db) == before


# -- any extreme value of the right type, anywhere -------------------------------------

EXTREME_TEXT = st.one_of(
    st.sampled_from(
        [
            "1e999999999",
            "-1e999999999",
            "sNaN",
            "NaN",
            "-0",
            "0E-1000000",
            "9" * 40,
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:59:59+14:00",
            "2026-02-30T10:00:00+00:00",
            "C-0000",
            "C-" + "9" * 30,
            "",
        ]
    ),
    st.text(max_size=20),
)
EXTREME_NUMBER = st.one_of(
    st.sampled_from([0, -1, 2**53, 2**53 + 1, 2**63, -(2**63), 10**400, 1e308, -0.0]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
FIELDS = [
    ("id",),
    ("opened_at",),
    ("first_contact_at",),
    ("revision",),
    ("remedy", "cost"),
    ("remedy", "recorded_at"),
    ("steps", 0, "done_at"),
    ("steps", 0, "note"),
    ("followups", 0, "due"),
    ("followups", 0, "id"),
    ("timeline", 0, "at"),
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(FIELDS),
    value=st.one_of(EXTREME_TEXT, EXTREME_NUMBER),
)
@example(field=("id",), value="\n")  # once said with the line break in it: two lines
def test_any_extreme_value_is_read_or_refused_in_words(
    field: tuple[str | int, ...], value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = good_file(tmp_path_factory.mktemp("extreme"))

    def put(case: dict[str, Any]) -> None:
        target: Any = case
        for part in field[:-1]:
            target = target[part]
        target[field[-1]] = value

    with_case(db, put)
    record = json.loads(db.read_bytes())["cases"]["1"]
    try:
        case_from_record(record)
        readable = True
    except RecordError:
        readable = False
    doctor = cli(db, "doctor")
    assert doctor.code in (0, 1) and "Traceback" not in doctor.err
    listed = cli(db, "list", "--all")
    assert (doctor.code == 1) == (listed.code == 2), (value, doctor.out, listed.err)  # agree
    assert (doctor.code == 0) == readable, (value, doctor.out)
    for command in COMMANDS:
        result = cli(db, *command)
        assert result.code in (0, 2), (command, value, result)
        assert "went wrong inside" not in result.err, (command, value, result.err)
        if readable and doctor.code == 0 and command[0] in ("list", "show", "report"):
            assert result.code == 0, (command, value, result.err)
        if result.code == 2:
            assert result.err.count("\n") == 1
