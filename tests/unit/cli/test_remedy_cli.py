"""`workbench remedy` and friends: amounts read as meant, and a repeat changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner

from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    assert run("add", "Charged twice", "--customer", "Ana Chen").code == 0
    return run


def timeline(db_path: Path) -> list[str]:
    store = CaseStore(db_path)
    try:
        return [event.text for event in store.get("1").timeline]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("typed", "cost"),
    [
        ("49,90", "49.90"),
        ("49.90", "49.90"),
        ("1,250", "1250.00"),
        ("1,250.50", "1250.50"),
        ("1.250,50", "1250.50"),
        ("1 250,50 €", "1250.50"),
    ],
)
def test_the_cost_is_read_as_meant(run: Run, db_path: Path, typed: str, cost: str) -> None:
    result = run("remedy", "1", "Refund", "--cost", typed)
    assert result.code == 0, result.err
    assert f"cost {cost}," in result.out
    data = run("show", "1", "--json").json()
    assert data["remedy"]["cost"] == cost
    assert f"(cost {cost}, awaiting answer)" in timeline(db_path)[-1]


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("1,5", "1.50 or 15.00"),
        ("1.250", "1250.00 or 1.25"),
        ("12,34,56", "groups of three"),
        ("1e999999999", "not 1E3"),
        ("NaN", "not an amount"),
        ("sNaN", "not an amount"),
        ("Infinity", "not an amount"),
        ("١٢", "0-9"),
        ("-5", "zero or more"),
    ],
)
def test_a_cost_that_cant_be_read_for_certain_is_refused_and_nothing_saved(
    run: Run, db_path: Path, typed: str, fragment: str
) -> None:
    before = db_path.read_bytes()
    result = run("remedy", "1", "Refund", "--cost", typed)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("workbench: cost: ")
    assert fragment in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert db_path.read_bytes() == before


def test_recording_the_same_remedy_again_changes_nothing(run: Run, db_path: Path) -> None:
    assert run("remedy", "1", "Refund", "--cost", "49,90", "--accepted").code == 0
    lines = timeline(db_path)
    saved = db_path.read_bytes()
    again = run("remedy", "1", "Refund", "--cost", "49.90", "--accepted")
    assert again.code == 0
    assert again.out.strip() == (
        "C-0001: nothing changed; the remedy is already Refund, cost 49.90, accepted."
    )
    assert db_path.read_bytes() == saved  # not even a new revision
    assert timeline(db_path) == lines
    changed = run("remedy", "1", "Refund", "--cost", "49.90", "--declined")
    assert "remedy recorded" in changed.out
    assert len(timeline(db_path)) == len(lines) + 1


def test_moving_a_follow_up_to_its_own_time_changes_nothing(run: Run, db_path: Path) -> None:
    assert run("followup", "1", "fri 2pm").code == 0
    lines = timeline(db_path)
    saved = db_path.read_bytes()
    result = run("followup", "1", "fri 2pm", "--move", "F1")
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "C-0001: nothing changed; follow-up F1 is already on Fri 27 Nov 2026, 14:00."
    )
    assert db_path.read_bytes() == saved
    assert timeline(db_path) == lines


def test_setting_the_same_status_or_note_again_changes_nothing(run: Run, db_path: Path) -> None:
    assert run("status", "1", "waiting").code == 0
    assert run("step", "1", "1", "--note", "Said sorry").code == 0
    lines = timeline(db_path)
    assert "was already" in run("status", "1", "waiting").out
    assert run("step", "1", "1", "--note", "Said sorry").code == 0
    assert timeline(db_path) == lines
