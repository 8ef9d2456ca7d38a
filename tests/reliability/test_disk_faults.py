"""Issue #5, item 3, on the command line: disk and permission faults.

Each fault (see faults.py) is injected where the operating system would report it. For
every command that changes a case the answer is
exit status 2 and one line on stderr saying what went wrong; the database file is left
exactly as it was (same bytes, same inode, same modification time, same mode); nothing
half-written is left beside it. With the fault gone, the same command succeeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.faults import FAULTS, unreadable_file
from helpers.reliability import cli, snapshot

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")

CHANGES: list[list[str]] = [
    ["add", "Charged twice", "--customer", "Ana Chen"],
    ["note", "C-0001", "Called back"],
    ["step", "C-0001", "1", "--done"],
    ["followup", "C-0001", "tomorrow 10am"],
    ["status", "C-0001", "waiting"],
    ["remedy", "C-0001", "Refund", "--cost", "49.90", "--accepted"],
    ["close", "C-0001", "--outcome", "retained", "--force", "--cancel-followups"],
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "cases.json"
    path.parent.mkdir()
    assert cli(path, "add", "Wrong size delivered", "--customer", "Ben Okafor").code == 0
    assert cli(path, "followup", "C-0001", "fri 2pm").code == 0  # a second session: a backup
    return path


def stray_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
@pytest.mark.parametrize("change", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_fault_gives_one_clear_line_and_leaves_the_file_alone(
    fault: str, change: list[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install, reason = FAULTS[fault]
    before = snapshot(db)
    backups_before = sorted((db.parent / "backups").iterdir())
    with monkeypatch.context() as patch:
        install(patch, db)
        result = cli(db, *change)
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and result.err.startswith("workbench: "), result.err
    assert reason in result.err
    assert "Traceback" not in result.err + result.out
    assert snapshot(db) == before
    assert stray_files(db.parent) == []
    if fault != "full disk at write":  # there the backup copy is made before the save fails
        assert sorted((db.parent / "backups").iterdir()) == backups_before
    # The fault gone, the very same command works.
    again = cli(db, *change)
    assert again.code == 0, again.err


@pytest.mark.parametrize("command", [["list"], ["show", "C-0001"], ["followups"]])
def test_reading_an_unreadable_file_says_so(
    command: list[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(db)
    with monkeypatch.context() as patch:
        unreadable_file(patch, db)
        result = cli(db, *command)
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "permission was denied" in result.err and "Check the file's permissions" in result.err
    assert snapshot(db) == before


def test_a_database_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    db = tmp_path / "gone" / "cases.json"
    for change in CHANGES[:2]:
        result = cli(db, *change)
        assert result.code == 2
        assert result.err.count("\n") == 1
        assert f"The folder {db.parent} does not exist" in result.err
    assert not db.parent.exists()  # nothing was created on the way
    doctor = cli(db, "doctor")
    assert doctor.code == 1 and "does not exist" in doctor.out
    db.parent.mkdir()
    assert cli(db, *CHANGES[0]).code == 0
