"""Backups that keep history, belong to one database, and are never made for nothing.

The policy (``backups.to_keep``) is checked on its own, as plain times, and the store's
use of it through the real command line: quick sessions, refused saves, changes that
change nothing, neighbouring databases in one folder, a disk with room for the change
but not for its backup, and the leftovers of killed saves.
"""

from __future__ import annotations

import errno
import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.reliability import cli, snapshot
from hypothesis import given
from hypothesis import strategies as st

from workbench.storage import CaseStore, safe_json
from workbench.storage.backups import KEEP_DAYS, KEEP_NEWEST, list_backups, to_keep

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def backups_of(db: Path) -> list[Path]:
    return [b.path for b in list_backups(db, db.parent / "backups")]


def case_count(path: Path) -> int:
    return len(json.loads(path.read_bytes())["cases"])


# -- the policy ---------------------------------------------------------------------------


def test_fifteen_quick_sessions_in_one_minute_keep_the_newest_ten_and_the_first() -> None:
    taken = [NOW - timedelta(seconds=2 * n) for n in range(15)]  # newest first
    assert to_keep(taken, NOW) == set(range(KEEP_NEWEST)) | {14}


def test_older_backups_thin_to_one_per_minute_hour_and_day() -> None:
    taken = [NOW - timedelta(minutes=5 * n) for n in range(12 * 24 * 40)]  # 40 days, every 5 min
    kept = [taken[i] for i in sorted(to_keep(taken, NOW))]
    last_hour = [t for t in kept if NOW - t < timedelta(hours=1)]
    assert len(last_hour) == 12  # every 5-minute backup: one per minute at most
    day = [t for t in kept if timedelta(hours=1) <= NOW - t < timedelta(days=1)]
    assert len({f"{t:%d%H}" for t in day}) == len(day)  # one per hour
    month = [t for t in kept if timedelta(days=1) <= NOW - t]
    assert len({t.date() for t in month}) == len(month)  # one per day
    assert all(NOW - t < timedelta(days=KEEP_DAYS + 1) for t in month)
    assert len(kept) < 12 + 24 + KEEP_DAYS + 2


@given(
    st.lists(st.integers(min_value=0, max_value=60 * 24 * 60), min_size=1, max_size=80),
    st.integers(min_value=0, max_value=60 * 24 * 10),
)
def test_a_backup_let_go_is_never_wanted_again(ages: list[int], later: int) -> None:
    """Thinning at a later time keeps a subset of what was kept before (plus the newest):
    what was deleted would never have been kept, so no history depends on timing."""
    taken = sorted((NOW - timedelta(minutes=a) for a in set(ages)), reverse=True)
    before = to_keep(taken, NOW)
    after = to_keep(taken, NOW + timedelta(minutes=later))
    assert after <= before | set(range(KEEP_NEWEST))
    assert set(range(min(KEEP_NEWEST, len(taken)))) <= after


# -- through the store ----------------------------------------------------------------------


def test_each_command_keeps_its_backup_and_nothing_from_before_rotates_away(
    whole_writes: None,
    tmp_path: Path,
) -> None:
    db = tmp_path / "shop.json"
    for n in range(16):
        assert cli(db, "add", f"Complaint {n}", "--customer", "Ana").code == 0
    counts = sorted(case_count(p) for p in backups_of(db))
    assert counts[0] == 1  # the first session's backup is still there
    assert len(counts) >= KEEP_NEWEST + 1


def test_neighbouring_databases_never_see_or_restore_each_others_backups(
    whole_writes: None,
    tmp_path: Path,
) -> None:
    names = ["shop.json", "shop-1.json", "work.json", "work-old.json", "shop.json.old"]
    for name in names:
        for n in range(3):
            assert cli(tmp_path / name, "add", f"{name} {n}", "--customer", "Ana").code == 0
    for name in names:
        found = backups_of(tmp_path / name)
        assert len(found) == 2, (name, found)
        for path in found:
            titles = {
                c["title"].rsplit(" ", 1)[0]
                for c in json.loads(path.read_bytes())["cases"].values()
            }
            assert titles == {name}
    lonely = tmp_path / "lonely.json"
    assert cli(lonely, "add", "Only one", "--customer", "Bo").code == 0
    result = cli(lonely, "restore", "1")
    assert result.code == 2 and "There are no backups of lonely.json" in result.err


def test_backups_of_earlier_versions_are_still_listed(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "shop-20261201-101500-000001.json").write_bytes(db.read_bytes())
    (folder / "shop-1-20261201-101500-000001.json").write_bytes(b"{}")  # shop-1.json's
    assert [p.name for p in backups_of(db)] == ["shop-20261201-101500-000001.json"]


def full_disk_at_write(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, pieces: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_json, "_write_payload", full)


def test_a_refused_save_keeps_no_backup(
    whole_writes: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    assert cli(db, "add", "Second", "--customer", "Ana").code == 0
    kept = backups_of(db)
    with monkeypatch.context() as faults:
        full_disk_at_write(faults)
        for n in range(12):
            result = cli(db, "note", "C-0001", f"note {n}")
            assert result.code == 2 and "disk is full" in result.err
    assert backups_of(db) == kept


def test_a_change_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    assert cli(db, "status", "C-0001", "in_progress").code == 0
    before = snapshot(db)
    kept = backups_of(db)
    store = CaseStore(db)
    case, _ = store.update("C-0001", lambda c: None)
    assert case.revision == 2
    assert snapshot(db) == before and backups_of(db) == kept


def test_no_room_for_the_backup_saves_the_change_and_says_so(
    whole_writes: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    from workbench.storage import backups

    def no_room(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_copy_all", no_room)
    result = cli(db, "note", "C-0001", "Called back")
    assert result.code == 0
    assert "No backup was kept before this change" in result.err
    assert "disk is full" in result.err
    assert "Called back" in db.read_text()
    assert backups_of(db) == []
    assert not list((tmp_path / "backups").iterdir())  # no half-made copy left


def test_leftovers_of_killed_saves_are_swept_and_doctor_reports_them(
    whole_writes: None, tmp_path: Path
) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    assert cli(db, "add", "Second", "--customer", "Ana").code == 0
    stale = tmp_path / ".shop.json.k1l2e3d4.tmp"
    fresh = tmp_path / ".shop.json.a1b2c3d4.tmp"
    partial = tmp_path / "backups" / ".shop.json.x9y8z7w6.partial"
    other = tmp_path / ".other.json.k1l2e3d4.tmp"
    older_name = tmp_path / ".shop.json.old.k1l2e3d4.tmp"  # shop.json.old's, not ours
    for path in (stale, fresh, partial, other, older_name):
        path.write_bytes(b"{" * 1000)
    an_hour_ago = time.time() - 3600
    for path in (stale, partial, other, older_name):
        os.utime(path, (an_hour_ago, an_hour_ago))
    doctor = cli(db, "doctor").out
    assert "2 unfinished temporary file(s)" in doctor and "2,000 bytes" in doctor
    assert "1 half-made backup(s)" in doctor
    assert cli(db, "note", "C-0001", "Called").code == 0
    assert not stale.exists() and not partial.exists()
    assert fresh.exists()  # young enough to be a live save's
    assert other.exists() and older_name.exists()  # other databases'


def test_nothing_is_swept_through_a_backups_folder_that_is_a_link(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    assert cli(db, "add", "First", "--customer", "Ana").code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lookalike = elsewhere / ".shop.json.x9y8z7w6.partial"
    lookalike.write_bytes(b"someone's file")
    os.utime(lookalike, (time.time() - 3600, time.time() - 3600))
    (tmp_path / "backups").symlink_to(elsewhere, target_is_directory=True)
    assert cli(db, "note", "C-0001", "Called").code == 0
    assert lookalike.read_bytes() == b"someone's file"


def test_backup_names_are_in_utc_and_sort_by_the_time_taken(tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    for n in range(3):
        assert cli(db, "add", f"Complaint {n}", "--customer", "Ana").code == 0
    names = [p.name for p in backups_of(db)]
    assert all(name.endswith("Z.json") for name in names)
    taken = [b.taken_at for b in list_backups(db, tmp_path / "backups")]
    assert taken == sorted(taken, reverse=True)
    assert all(abs(datetime.now(UTC) - t) < timedelta(minutes=5) for t in taken)
