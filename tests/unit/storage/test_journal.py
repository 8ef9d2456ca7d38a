"""The journal of changes beside the database file: appended, read on top, folded, refused
when damaged or foreign, and never trusted through a link, a device or another's file."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from helpers.reliability import cli
from tinydb import TinyDB

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore, files, journal
from workbench.storage.doctor import examine
from workbench.storage.errors import DatabaseUnreadable, StoreError, WriteFailed
from workbench.storage.journal import journal_path
from workbench.storage.repository import restore_backup


def opened(db: Path, library: PlaybookLibrary, now: datetime, n: int = 3) -> None:
    """A database file with ``n`` cases and no journal (the first write is whole)."""
    store = CaseStore(db)
    for i in range(n):
        store.add(CaseDraft(f"Complaint {i}", "Ana"), library.get("unhappy"), now)
    store.fold()
    store.close()
    assert not journal_path(db).exists()


def note(db: Path, case_id: str, text: str, now: datetime) -> None:
    store = CaseStore(db)
    try:
        store.update(case_id, lambda c: actions.add_note(c, text, now))
    finally:
        store.close()


def notes_of(db: Path, case_id: str) -> list[str]:
    store = CaseStore(db)
    try:
        return [event.text for event in store.get(case_id).notes]
    finally:
        store.close()


def test_a_change_is_one_line_of_the_journal_and_the_file_is_left_alone(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    before = db_path.read_bytes()
    note(db_path, "C-0002", "Called back", now)
    note(db_path, "C-0002", "Sent the label", now)
    assert db_path.read_bytes() == before  # not rewritten, not backed up
    lines = journal_path(db_path).read_bytes().splitlines()
    assert len(lines) == 3  # the header and one line a change
    assert json.loads(lines[1].rpartition(b"\t")[0])["cases"].keys() == {"2"}
    assert notes_of(db_path, "C-0002") == ["Called back", "Sent the label"]
    assert os.stat(journal_path(db_path)).st_mode & 0o777 == 0o600


def test_a_fold_puts_every_change_in_the_file_for_plain_tinydb(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "Refund sent", now)
    store = CaseStore(db_path)
    assert store.fold() and not journal_path(db_path).exists()
    assert not store.fold()  # nothing left to fold
    store.close()
    with TinyDB(db_path, access_mode="r") as plain:
        texts = [e["text"] for e in plain.table("cases").get(doc_id=1)["timeline"]]
    assert "Refund sent" in texts


def test_a_command_folds_a_journal_grown_past_its_share(
    db_path: Path, library: PlaybookLibrary, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened(db_path, library, now)
    monkeypatch.setattr(journal, "FOLD_BYTES", 4000)
    sizes = []
    for n in range(12):
        note(db_path, "C-0003", f"note {n}", now)
        where = journal_path(db_path)
        sizes.append(where.stat().st_size if where.exists() else 0)
    assert 0 in sizes[1:]  # folded on the way, then begun again
    assert max(sizes) <= 4000 + 4000  # never much past the share
    assert notes_of(db_path, "C-0003") == [f"note {n}" for n in range(12)]


def test_a_line_cut_short_by_a_kill_is_left_out_and_cut_away(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "kept", now)
    where = journal_path(db_path)
    whole = where.read_bytes()
    with open(where, "ab") as file:  # killed half-way through the next line
        file.write(b'{"cases":{"1":{"id":"C-00')
    assert notes_of(db_path, "C-0001") == ["kept"]
    note(db_path, "C-0001", "after", now)
    assert where.read_bytes().startswith(whole)
    assert b"C-00\x7b" not in where.read_bytes() and where.read_bytes().count(b"\n") == 3
    assert notes_of(db_path, "C-0001") == ["kept", "after"]


def test_a_damaged_line_is_refused_and_nothing_is_written(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "first", now)
    note(db_path, "C-0001", "second", now)
    where = journal_path(db_path)
    damaged = where.read_bytes().replace(b"first", b"fir5t")
    where.write_bytes(damaged)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseUnreadable, match="does not match its checksum"):
        note(db_path, "C-0002", "lost?", now)
    assert db_path.read_bytes() == before and where.read_bytes() == damaged
    report = examine(db_path)
    assert not report.healthy
    assert any("checksum" in f.message for f in report.findings)


def test_a_record_that_parses_but_holds_absurd_values_is_refused(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "first", now)
    raw = db_path.read_bytes()
    case = json.loads(raw)["cases"]["1"]
    case["opened_at"] = "9999-12-31T00:00:00+00:00"
    body = {"cases": {"1": case}}
    with open(journal_path(db_path), "ab") as file:
        file.write(journal.line(body))
    with pytest.raises(DatabaseUnreadable, match="can't be read"):
        notes_of(db_path, "C-0001")


def test_a_fold_killed_before_removing_the_journal_leaves_it_known_stale(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "folded", now)
    where = journal_path(db_path)
    left = where.read_bytes()
    store = CaseStore(db_path)
    assert store.fold()
    store.close()
    where.write_bytes(left)  # as if killed between the new file's rename and the removal
    assert notes_of(db_path, "C-0001") == ["folded"]
    assert examine(db_path).healthy
    note(db_path, "C-0001", "next", now)  # removes the stale journal, begins a new one
    assert notes_of(db_path, "C-0001") == ["folded", "next"]
    assert where.read_bytes().count(b"\n") == 2


def test_a_journal_of_another_version_of_the_file_is_refused(
    db_path: Path, library: PlaybookLibrary, now: datetime, tmp_path: Path
) -> None:
    opened(db_path, library, now)
    older = tmp_path / "older.json"
    shutil.copy(db_path, older)
    note(db_path, "C-0001", "folded", now)
    assert CaseStore(db_path).fold()
    note(db_path, "C-0001", "only in the journal", now)
    os.replace(older, db_path)  # another program put an older file in place
    with pytest.raises(DatabaseUnreadable, match="continues another version"):
        notes_of(db_path, "C-0001")
    with pytest.raises(StoreError):
        note(db_path, "C-0002", "lost?", now)
    assert b"only in the journal" in journal_path(db_path).read_bytes()
    assert any("continues another version" in f.message for f in examine(db_path).findings)


def test_a_journal_without_its_file_is_refused(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "kept", now)
    db_path.rename(db_path.with_suffix(".moved"))
    with pytest.raises(DatabaseUnreadable, match="without its database file"):
        CaseStore(db_path).all_cases()


def test_a_planted_link_or_fifo_is_never_read_as_the_journal(
    db_path: Path, library: PlaybookLibrary, now: datetime, tmp_path: Path
) -> None:
    opened(db_path, library, now)
    where = journal_path(db_path)
    secret = tmp_path / "secret"
    secret.write_text("not yours")
    where.symlink_to(secret)
    with pytest.raises(DatabaseUnreadable, match="symbolic link"):
        CaseStore(db_path).all_cases()
    with pytest.raises(StoreError):
        note(db_path, "C-0001", "x", now)
    assert secret.read_text() == "not yours"
    where.unlink()
    os.mkfifo(where)
    with pytest.raises(DatabaseUnreadable, match=r"FIFO|pipe"):
        CaseStore(db_path).all_cases()


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_journal_belonging_to_another_user_is_refused(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "mine", now)
    os.chown(journal_path(db_path), 65534, 65534)
    with pytest.raises(DatabaseUnreadable, match="belongs to another user"):
        CaseStore(db_path).all_cases()


def test_another_process_s_change_comes_back_by_name(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    screen = CaseStore(db_path)
    screen.all_cases()
    assert screen.changes() is None
    note(db_path, "C-0003", "from a script", now)
    changes = screen.changes()
    assert changes is not None and not changes.everything
    assert [c.id for c in changes.cases] == ["C-0003"]
    assert [e.text for e in changes.cases[0].notes] == ["from a script"]
    assert screen.changes() is None
    CaseStore(db_path).fold()  # the file rewritten whole: it can't say which
    changes = screen.changes()
    assert changes is not None and changes.everything
    screen.close()


def test_a_restore_keeps_the_journal_s_changes_in_the_copy_of_the_replaced_file(
    db_path: Path, library: PlaybookLibrary, now: datetime, whole_writes: None
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "backed up", now)  # whole: the session's backup is kept
    with pytest.MonkeyPatch.context() as appends:
        appends.setenv("WORKBENCH_JOURNAL", "on")
        note(db_path, "C-0001", "only in the journal", now)
    assert journal_path(db_path).exists()
    done = restore_backup(db_path, 1)
    assert not journal_path(db_path).exists() and done.journal_kept is None
    assert done.kept is not None and b"only in the journal" in done.kept.read_bytes()
    assert "only in the journal" not in notes_of(db_path, "C-0001")


def test_a_restore_over_a_damaged_file_moves_its_journal_aside(
    db_path: Path, library: PlaybookLibrary, now: datetime, whole_writes: None
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "backed up", now)
    with pytest.MonkeyPatch.context() as appends:
        appends.setenv("WORKBENCH_JOURNAL", "on")
        note(db_path, "C-0001", "only in the journal", now)
    db_path.write_bytes(db_path.read_bytes()[:-40])  # damaged
    done = restore_backup(db_path, 1)
    assert done.journal_kept is not None and not journal_path(db_path).exists()
    assert b"only in the journal" in done.journal_kept.read_bytes()
    assert notes_of(db_path, "C-0001") == []


def test_a_full_disk_while_appending_keeps_nothing_half_said(
    db_path: Path, library: PlaybookLibrary, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "kept", now)
    where = journal_path(db_path)
    before = (db_path.read_bytes(), where.read_bytes())

    def full(fd: int, pieces: list[bytes]) -> None:
        os.write(fd, b"".join(pieces)[:10])  # part of the line reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as faults:
        faults.setattr(files, "write_all", full)
        with pytest.raises(WriteFailed, match="disk is full"):
            note(db_path, "C-0001", "not saved", now)
    assert db_path.read_bytes() == before[0]
    assert notes_of(db_path, "C-0001") == ["kept"]  # the cut-short line is left out
    note(db_path, "C-0001", "saved", now)
    assert notes_of(db_path, "C-0001") == ["kept", "saved"]
    assert where.read_bytes().startswith(before[1])


@pytest.mark.skipif(os.geteuid() != 0, reason="changing another user's database needs root")
def test_root_s_change_to_another_user_s_database_leaves_the_journal_theirs(
    db_path: Path, library: PlaybookLibrary, now: datetime, tmp_path: Path
) -> None:
    opened(db_path, library, now)
    os.chown(tmp_path, 65534, 65534)
    os.chown(db_path, 65534, 65534)
    note(db_path, "C-0001", "by root", now)
    st = journal_path(db_path).stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert notes_of(db_path, "C-0001") == ["by root"]


def test_the_fold_command_puts_waiting_changes_in_the_file_and_doctor_says_when_they_wait(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0002", "waiting", now)
    doctor = cli(db_path, "doctor")
    assert doctor.code == 0 and "1 change(s)" in doctor.out and "`workbench fold`" in doctor.out
    folded = cli(db_path, "fold")
    assert folded.code == 0 and "now in" in folded.out
    assert not journal_path(db_path).exists()
    with TinyDB(db_path, access_mode="r") as plain:
        texts = [e["text"] for e in plain.table("cases").get(doc_id=2)["timeline"]]
    assert "waiting" in texts
    again = cli(db_path, "fold", "--json")
    assert again.code == 0 and json.loads(again.out) == {"db": str(db_path), "folded": False}
    assert "wait in" not in cli(db_path, "doctor").out


# -- found by a review of the journal, each shown failing first ------------------------


def test_a_fold_that_wrote_newer_changes_too_and_was_killed_leaves_a_known_journal(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    """A whole write that folds the journal may carry a newer change to a case the journal
    also changed (a batch, or the change that made the journal due): the journal left by a
    kill before its removal no longer matches the file's records, and is known by the
    note the fold left in the meta table."""
    opened(db_path, library, now)
    note(db_path, "C-0001", "in the journal", now)
    where = journal_path(db_path)
    left = where.read_bytes()
    store = CaseStore(db_path)
    with store.batch():
        store.update("C-0001", lambda c: actions.add_note(c, "batched", now))
    store.close()
    assert not where.exists()
    where.write_bytes(left)  # as if killed between the new file's rename and the removal
    assert notes_of(db_path, "C-0001") == ["in the journal", "batched"]
    assert examine(db_path).healthy
    note(db_path, "C-0001", "next", now)
    assert notes_of(db_path, "C-0001") == ["in the journal", "batched", "next"]


def fold_when_opened(
    db: Path, monkeypatch: pytest.MonkeyPatch, then: Callable[[], None] = lambda: None
) -> None:
    """The next time a reader opens the journal, another process folds it first (and then
    does ``then``)."""
    opening = journal.open_journal
    fired: list[bool] = []

    def racing(path: Path, uid: int) -> int | None:
        if not fired:
            fired.append(True)
            other = CaseStore(db)
            assert other.fold()
            other.close()
            then()
        return opening(path, uid)

    monkeypatch.setattr(journal, "open_journal", racing)


def test_a_reader_never_misses_a_change_folded_while_it_read(
    db_path: Path, library: PlaybookLibrary, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "acknowledged", now)
    fold_when_opened(db_path, monkeypatch)
    reader = CaseStore(db_path)
    assert [e.text for e in reader.get("C-0001").notes] == ["acknowledged"]
    reader.close()


@pytest.mark.parametrize("length", [3, 3000])
def test_a_reader_of_a_growing_journal_never_reads_a_new_journal_as_its_tail(
    db_path: Path,
    library: PlaybookLibrary,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    length: int,
) -> None:
    """A fold and a new journal begun between the reader seeing the journal grow and its
    reading the tail (the new journal may even reuse the old one's inode)."""
    opened(db_path, library, now)
    note(db_path, "C-0001", "one", now)
    reader = CaseStore(db_path)
    assert [e.text for e in reader.get("C-0001").notes] == ["one"]
    note(db_path, "C-0001", "two", now)
    fold_when_opened(db_path, monkeypatch, then=lambda: note(db_path, "C-0002", "x" * length, now))
    assert [e.text for e in reader.get("C-0001").notes] == ["one", "two"]
    assert [e.text for e in reader.get("C-0002").notes] == ["x" * length]
    reader.close()


def test_a_line_whose_fsync_failed_is_cut_away_not_kept(
    db_path: Path, library: PlaybookLibrary, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened(db_path, library, now)
    note(db_path, "C-0001", "first", now)
    writing = files.write_all

    def written_but_not_forced(fd: int, pieces: list[bytes]) -> None:
        for piece in pieces:
            os.write(fd, piece)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "write_all", written_but_not_forced)
    with pytest.raises(WriteFailed):
        note(db_path, "C-0001", "reported not saved", now)
    monkeypatch.setattr(files, "write_all", writing)
    assert notes_of(db_path, "C-0001") == ["first"]


def test_a_copy_of_the_folder_keeps_its_journal(
    db_path: Path, library: PlaybookLibrary, now: datetime, tmp_path: Path
) -> None:
    """The journal names the file it continues by what it holds, not by its inode."""
    opened(db_path, library, now)
    note(db_path, "C-0003", "waiting in the journal", now)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in (db_path, journal_path(db_path)):
        shutil.copy(path, copy / path.name)
    assert notes_of(copy / db_path.name, "C-0003") == ["waiting in the journal"]


def test_a_fold_can_wait_for_the_journal_to_be_still(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    """The screen folds a few seconds after the last change, so a script's run of
    changes is folded once at its end, not after each."""
    opened(db_path, library, now)
    note(db_path, "C-0001", "just now", now)
    store = CaseStore(db_path)
    assert not store.fold(idle=60) and journal_path(db_path).exists()
    still = journal_path(db_path).stat().st_mtime - 120
    os.utime(journal_path(db_path), (still, still))
    assert store.fold(idle=60) and not journal_path(db_path).exists()
    store.close()


@pytest.mark.parametrize("longer", [4, 5, 40])  # as long as the line cut away, and longer
def test_a_reader_that_took_a_line_later_cut_away_reads_the_journal_again(
    db_path: Path,
    library: PlaybookLibrary,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    longer: int,
) -> None:
    """A line whose fsync failed is cut away, but a reader may have read it meanwhile;
    the next line then sits where it was (found by the CRC of what the reader read)."""
    opened(db_path, library, now)
    note(db_path, "C-0001", "first", now)
    writer, reader = CaseStore(db_path), CaseStore(db_path)
    assert [e.text for e in reader.get("C-0001").notes] == ["first"]
    seen: list[list[str]] = []
    forcing = os.fsync

    def read_then_fail(fd: int) -> None:
        if seen:
            return forcing(fd)
        seen.append([e.text for e in reader.get("C-0001").notes])
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", read_then_fail)
    with pytest.raises(WriteFailed):
        writer.update("C-0001", lambda c: actions.add_note(c, "not saved", now))
    assert seen == [["first", "not saved"]]  # the reader did take the unforced line
    writer.update("C-0001", lambda c: actions.add_note(c, "saved" + "x" * longer, now))
    assert [e.text for e in reader.get("C-0001").notes] == ["first", "saved" + "x" * longer]
    writer.close()
    reader.close()


def test_a_folder_at_the_journal_s_name_is_refused_with_advice_about_the_journal(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    opened(db_path, library, now)
    journal_path(db_path).mkdir()
    result = cli(db_path, "list")
    assert result.code == 2
    assert "is a folder, not a journal of changes" in result.err
    assert "--db" not in result.err and "moving the journal away" in result.err
