"""`workbench undo`: the last change made from the command line taken back, on the case as
it is now; the journal it is kept in, and what happens when that journal can't be used."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW

from workbench import paths
from workbench.storage import CaseStore
from workbench.storage.undo_journal import KEEP


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    assert run("add", "Charged twice", "--customer", "Ana Chen").code == 0
    assert run("add", "Late parcel", "--customer", "Bo Li").code == 0
    return run


def journal() -> Path:
    return paths.undo_journal_file()


def test_each_undo_takes_back_the_last_change_newest_first(run: Run, db_path: Path) -> None:
    assert run("step", "1", "1", "--done").code == 0
    assert run("status", "1", "resolved").code == 0
    first = run("undo")
    assert first.code == 0, first.err
    assert first.out.startswith("Undone on C-0001: workbench status, made 23 Nov 14:30 (back to")
    assert "status in progress" in first.out
    second = run("undo")
    assert second.code == 0 and "workbench step" in second.out
    case = CaseStore(db_path).get("1")
    assert case.status.value == "new" and not case.steps[0].done
    assert case.timeline[-1].text.startswith("Undone: workbench step (back to step 1 not done")
    assert case.timeline[-1].author == "tester"
    third = run("undo")
    assert third.code == 2
    assert "Nothing to undo: no change made from the command line on" in third.err
    assert "(the journal keeps the last 20)" in third.err


def test_undo_of_a_case_takes_that_cases_last_change(run: Run, db_path: Path) -> None:
    assert run("status", "1", "waiting").code == 0
    assert run("status", "2", "waiting").code == 0
    result = run("undo", "c-1", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["undone"] == "workbench status"
    assert data["back_to"] == "status new"
    assert data["case"]["id"] == "C-0001" and data["case"]["status"] == "new"
    assert CaseStore(db_path).get("2").status.value == "waiting"


def test_a_note_added_is_taken_away(run: Run, db_path: Path) -> None:
    assert run("note", "1", "Promised a call").code == 0
    assert run("undo").code == 0
    texts = [event.text for event in CaseStore(db_path).get("1").timeline]
    assert "Promised a call" not in texts
    assert texts[-1] == "Undone: workbench note (back to note removed)"


def test_a_change_made_since_on_the_same_field_is_not_clobbered(
    run: Run, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("step", "1", "2", "--note", "Mine").code == 0
    # Someone else, on another machine, changes the same note: their journal, not ours.
    other = CaseStore(db_path)
    other.update("1", lambda case: setattr(case.steps[1], "note", "Theirs"))
    other.close()
    result = run("undo")
    assert result.code == 2
    assert "Can't undo “workbench step”, made 23 Nov 14:30: C-0001 has changed since: " in (
        result.err
    )
    assert "step 2's note. Nothing was changed. It is forgotten" in result.err
    assert CaseStore(db_path).get("1").steps[1].note == "Theirs"
    assert run("undo").code == 2  # forgotten, and adding a case is no change to undo


def test_changes_on_another_database_are_left_alone(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = cli_runner(tmp_path / "other.json", capsys)
    assert other("add", "Elsewhere", "--customer", "Cy").code == 0
    assert other("status", "1", "waiting").code == 0
    assert run("undo").code == 2  # nothing made on this one
    assert other("undo").code == 0


def test_the_journal_is_private_and_keeps_the_last_twenty(run: Run) -> None:
    for number in range(KEEP + 5):
        assert run("note", "1", f"note {number}").code == 0
    data = json.loads(journal().read_bytes())
    assert len(data["entries"]) == KEEP
    assert stat.S_IMODE(journal().stat().st_mode) == 0o600
    assert stat.S_IMODE(journal().parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("plant", "says"),
    [
        ("garbage", "can't be read (JSON is malformed"),
        ("wrong-shape", "is not a workbench undo journal"),
        ("absurd", "case C-0001"),
        ("symlink", "symbolic link"),
        ("fifo", "FIFO"),
        ("folder", "folder"),
    ],
)
def test_a_journal_that_cant_be_used_costs_only_the_undo(
    run: Run, db_path: Path, tmp_path: Path, plant: str, says: str
) -> None:
    path = journal()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "elsewhere.json"
    target.write_text("{}")
    if plant == "garbage":
        path.write_text("not json")
    elif plant == "wrong-shape":
        path.write_text('{"entries": 3}')
    elif plant == "absurd":
        record = {"id": "C-0001", "title": "x" * 10, "customer": "A", "opened_at": "9999-99-99"}
        entry = {"db": str(db_path), "case": "C-0001", "label": "x", "at": "2026-11-23T14:30"}
        path.write_text(json.dumps({"entries": [entry | {"before": record, "after": record}]}))
    elif plant == "symlink":
        path.symlink_to(target)
    elif plant == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    result = run("status", "1", "waiting")
    assert result.code == 0  # the change is made and kept
    assert CaseStore(db_path).get("1").status.value == "waiting"
    if plant == "absurd":  # its cases are read when it is reached, not on every change
        assert result.err == ""
        assert run("undo").code == 0  # the change just made
        refused = run("undo")  # the damaged one: said, and dropped
        assert refused.code == 2 and says in refused.err and "it is dropped" in refused.err
        assert "Nothing to undo" in run("undo").err
        return
    assert "This change can't be undone with `workbench undo`." in result.err
    assert says in result.err, result.err
    refused = run("undo")
    assert refused.code == 2 and says in refused.err
    assert "\n" not in refused.err.strip()  # one line, no traceback
    assert target.read_text() == "{}"  # nothing written through a planted link


def test_another_case_under_the_same_id_is_never_changed(
    run: Run, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("status", "1", "waiting").code == 0
    db_path.rename(db_path.with_suffix(".old"))  # the file moved away; a new one made here
    journal = db_path.with_name(db_path.name + ".journal")  # with its journal of changes
    journal.rename(db_path.with_suffix(".old.journal"))
    fresh = cli_runner(db_path, capsys)
    later = lambda: NOW + timedelta(hours=1)  # noqa: E731
    assert fresh("add", "Real complaint", "--customer", "Zoë", clock=later).code == 0
    assert fresh("status", "1", "waiting", clock=later).code == 0
    assert fresh("undo").code == 0  # the new file's own change: fine
    refused = fresh("undo")  # the old file's change, to another case now called C-0001
    assert refused.code == 2
    assert "C-0001 here is not the case the change was made to" in refused.err
    assert "It is forgotten" in refused.err
    assert CaseStore(db_path).get("1").status.value == "new"


def test_a_case_no_longer_there_is_said_and_forgotten(
    run: Run, db_path: Path, whole_writes: None
) -> None:
    assert run("status", "2", "waiting").code == 0
    data = json.loads(db_path.read_text())
    del data["cases"]["2"]
    db_path.write_text(json.dumps(data))
    refused = run("undo")
    assert refused.code == 2
    assert "C-0002 is no longer in this database. It is forgotten" in refused.err
    assert "Nothing to undo" in run("undo").err
