"""Issue #5, item 5: backups kept before each session's first change; `restore N` puts one back.

tests/unit/storage/test_store.py already checks one backup per session and the rotation to the
last ten; here: what `workbench backups` shows, and `workbench restore` in the situations
people need it (a damaged file, a running workbench, the oldest backup about to rotate away).
"""

from __future__ import annotations

import json
import stat
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from filelock import FileLock
from helpers.reliability import cli, snapshot

from workbench.paths import lock_path
from workbench.storage import CaseStore
from workbench.storage.backups import KEEP, list_backups

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")


def backups_of(db: Path) -> list[Path]:
    return [b.path for b in list_backups(db, db.parent / "backups")]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database changed in four sessions: three backups, of 1, 2 and 3 cases."""
    path = tmp_path / "cases.json"
    for n in range(1, 5):
        assert cli(path, "add", f"Complaint {n}", "--customer", f"Customer {n}").code == 0
    assert len(backups_of(path)) == 3
    return path


def test_backups_lists_time_and_case_count(db: Path) -> None:
    text = cli(db, "backups")
    assert text.code == 0
    lines = text.out.splitlines()
    assert [line.split()[:1] + line.split()[3:5] for line in lines[:3]] == [
        ["1", "3", "cases"],
        ["2", "2", "cases"],
        ["3", "1", "case"],
    ]
    assert "workbench restore N" in lines[-1]
    data = cli(db, "backups", "--json").json()
    assert [(b["number"], b["cases"]) for b in data] == [(1, 3), (2, 2), (3, 1)]
    assert [b["path"] for b in data] == [str(p) for p in backups_of(db)]
    assert all(b["taken_at"] and b["bytes"] > 0 for b in data)
    for path in backups_of(db):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_backup_is_listed_as_unreadable_and_not_restored(db: Path) -> None:
    newest = backups_of(db)[0]
    newest.write_bytes(b'{"cases": {"1": {"id": "C-0001"')
    data = cli(db, "backups", "--json").json()
    assert data[0]["cases"] is None
    assert "unreadable" in cli(db, "backups").out.splitlines()[0]
    before = snapshot(db)
    result = cli(db, "restore", "1")
    assert result.code == 2
    assert "Backup 1 can't be restored" in result.err and "choose another" in result.err
    assert snapshot(db) == before
    assert len(backups_of(db)) == 3  # and no copy was kept for nothing


def test_restore_puts_a_backup_back_and_keeps_the_current_file(db: Path) -> None:
    current = db.read_bytes()
    chosen = backups_of(db)[1]  # two cases
    wanted = chosen.read_bytes()
    result = cli(db, "restore", "2")
    assert result.code == 0, result.err
    assert "Restored backup 2" in result.out and "2 cases" in result.out
    assert db.read_bytes() == wanted
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    kept = backups_of(db)[0]
    assert kept.read_bytes() == current  # the replaced file is now backup 1
    assert str(kept) in result.out
    assert [c.id for c in CaseStore(db).all_cases()] == ["C-0001", "C-0002"]
    # ...and restoring that copy undoes the restore.
    assert cli(db, "restore", "1").code == 0
    assert db.read_bytes() == current


@pytest.mark.parametrize(
    "damage", [b"", b"\x00" * 100, b'{"cases": {"1": {"id": "C-0001"}}}', b"[]"]
)
def test_restore_works_when_the_file_is_unreadable(db: Path, damage: bytes) -> None:
    wanted = backups_of(db)[0].read_bytes()
    db.write_bytes(damage)
    assert cli(db, "list").code == 2
    result = cli(db, "restore", "1", "--json")
    assert result.code == 0, result.err
    assert db.read_bytes() == wanted
    assert backups_of(db)[0].read_bytes() == damage  # the damaged file is kept, not lost
    assert result.json()["kept"] == str(backups_of(db)[0])
    assert cli(db, "list").code == 0
    assert cli(db, "doctor").code == 0


def test_restore_when_there_is_no_file(db: Path) -> None:
    db.unlink()
    result = cli(db, "restore", "3")
    assert result.code == 0, result.err
    assert "There was no file to replace" in result.out
    assert len(CaseStore(db).all_cases()) == 1


def test_restore_the_oldest_backup_when_the_rotation_is_full(tmp_path: Path) -> None:
    """Ten backups from long ago: keeping a copy of the current file before the restore
    rotates the oldest away (only the newest ten are kept past a month), so the backup
    chosen must have been read first."""
    db = tmp_path / "cases.json"
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    long_ago = datetime.now() - timedelta(days=60)
    states = []
    for n in range(KEEP):
        assert cli(db, "add", f"Complaint {n}", "--customer", "Ana").code == 0
        states.append(db.read_bytes())
    for made_now in backups_of(db):
        made_now.unlink()
    for n, state in enumerate(states):
        taken = long_ago + timedelta(hours=n)
        (folder / f"cases.json.{taken:%Y%m%d-%H%M%S-%f}.json").write_bytes(state)
    assert len(backups_of(db)) == KEEP
    oldest = backups_of(db)[-1].read_bytes()
    assert len(json.loads(oldest)["cases"]) == 1
    assert cli(db, "restore", str(KEEP)).code == 0
    assert db.read_bytes() == oldest
    assert len(backups_of(db)) == KEEP
    assert oldest not in [b.read_bytes() for b in backups_of(db)]  # rotated away, restored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["restore", "9"], "There is no backup 9; there are 3"),
        (["restore", "0"], "not a backup number"),
        (["restore", "two"], "not a backup number"),
        (["restore", "²"], "not a backup number"),
        (["restore"], "the following arguments are required: number"),
    ],
)
def test_restore_refuses_bad_numbers(db: Path, args: list[str], message: str) -> None:
    before = snapshot(db)
    result = cli(db, *args)
    assert result.code == 2
    assert message in result.err
    assert snapshot(db) == before
    assert len(backups_of(db)) == 3


def test_restore_without_backups(tmp_path: Path) -> None:
    result = cli(tmp_path / "cases.json", "restore", "1")
    assert result.code == 2
    assert "There are no backups of cases.json" in result.err


def test_restore_waits_for_a_running_workbench_to_finish_its_write(db: Path) -> None:
    """Restore takes the database's lock, so it never lands in the middle of another write."""
    wanted = backups_of(db)[2].read_bytes()
    busy = FileLock(lock_path(db))
    busy.acquire()
    outcome: list[int] = []
    restoring = threading.Thread(target=lambda: outcome.append(cli(db, "restore", "3").code))
    restoring.start()
    time.sleep(0.5)
    assert not outcome and db.read_bytes() != wanted  # still waiting for the lock
    busy.release()
    restoring.join(timeout=10)
    assert outcome == [0]
    assert db.read_bytes() == wanted


def test_a_running_workbench_builds_on_the_restored_file(db: Path) -> None:
    """A session that was open before the restore neither clobbers the restored file with
    what it had cached nor loses the change it makes next."""
    session = CaseStore(db)
    assert len(session.all_cases()) == 4  # it has read (and cached) the current file
    assert cli(db, "restore", "3").code == 0  # one case
    session.update("C-0001", lambda c: c.tags.append("after-restore"))
    cases = CaseStore(db).all_cases()
    assert [c.id for c in cases] == ["C-0001"]
    assert cases[0].tags == ["after-restore"]
    assert len(session.all_cases()) == 1
