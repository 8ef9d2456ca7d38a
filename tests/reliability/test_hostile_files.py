"""A hostile folder: links, devices, pipes, folders and other people's files at every name
the workbench reads or makes beside the database.

Every test keeps to its own ``tmp_path``: the "victim" a planted link points at is a file
in that folder, and a device node, when one is made, is made there too (CI runs as root;
a test must never write outside its temporary folder). What "nothing lost" means here: the
victim keeps its bytes, the database is the old or the new version, and a refusal is one
sentence that says what is at the name and what to do.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from helpers.reliability import WORKBENCH_EXE, cli, snapshot, writer_env

from workbench.storage.backups import list_backups

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")

VICTIM = b"someone else's file: must never change\n"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with one case, changed once (so the next session keeps a backup)."""
    path = tmp_path / "cases.json"
    assert cli(path, "add", "Charged twice", "--customer", "Ana Chen").code == 0
    assert cli(path, "note", "C-0001", "first call").code == 0
    return path


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_bytes(VICTIM)
    return path


CHANGES = [["note", "C-0001", "called back"], ["add", "Late", "--customer", "Bo"], ["list"]]


# -- planted links at the names the workbench makes ------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".cases.json.checked",  # the check note
        f".cases.json.checked.{os.getpid()}.tmp",  # the note's temporary name, once predictable
        ".cases.json.tmp",
        "backups/.cases.json.tmp",
        "backups/.cases-20261206-101500-000000.json.tmp",  # an old backup's partial name
    ],
)
def test_a_planted_link_is_never_written_through(
    db: Path, victim: Path, name: str, tmp_path: Path
) -> None:
    (tmp_path / "backups").mkdir(exist_ok=True)
    (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / name).symlink_to(victim)
    for command in CHANGES:
        assert cli(db, *command).code == 0, command
    assert victim.read_bytes() == VICTIM
    assert "called back" in db.read_text()


def test_a_link_at_the_lock_is_refused_and_nothing_changes(db: Path, victim: Path) -> None:
    lock = db.with_name("cases.json.lock")
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    before = snapshot(db)
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 2
    assert "is a symbolic link, not a file" in result.err and "Remove it" in result.err
    assert snapshot(db) == before and victim.read_bytes() == VICTIM


def test_a_folder_at_the_lock_is_refused(db: Path) -> None:
    lock = db.with_name("cases.json.lock")
    lock.unlink(missing_ok=True)
    lock.mkdir()
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 2 and "is a folder, not a file" in result.err


def test_a_backups_folder_that_is_a_link_gets_no_backup_and_the_change_is_saved(
    db: Path, victim: Path, tmp_path: Path
) -> None:
    shutil_target = victim.parent
    backups = tmp_path / "backups"
    for item in backups.iterdir():
        item.unlink()
    backups.rmdir()
    backups.symlink_to(shutil_target, target_is_directory=True)
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 0
    assert "No backup was kept" in result.err and "symbolic link" in result.err
    assert sorted(p.name for p in shutil_target.iterdir()) == ["victim.txt"]
    assert "called back" in db.read_text()
    assert "symbolic link" in cli(db, "doctor").out


# -- the database reached through a link ------------------------------------------------


def test_writers_through_a_link_and_the_real_path_share_one_file(tmp_path: Path) -> None:
    real = tmp_path / "real" / "wb.json"
    real.parent.mkdir()
    link = tmp_path / "link" / "wb.json"
    link.parent.mkdir()
    link.symlink_to(real)
    assert cli(link, "add", "Through the link", "--customer", "Ana").code == 0
    assert cli(real, "add", "Through the real path", "--customer", "Bo").code == 0
    assert cli(link, "note", "C-0002", "seen through the link").code == 0
    assert link.is_symlink()  # never replaced by a file of its own
    titles = cli(real, "list", "--json").json()
    assert sorted(c["title"] for c in titles) == ["Through the link", "Through the real path"]
    assert "seen through the link" in real.read_text()
    assert sorted(p.name for p in link.parent.iterdir()) == ["wb.json"]  # no lock, no backups
    assert list_backups(real, real.parent / "backups")


# -- what is at the database's own name --------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null, in tmp_path
    except PermissionError:
        pytest.skip("making a device node needs root")


def _socket(path: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_fifo, "is a named pipe (FIFO), not a database file"),
        (_folder, "is a folder, not a database file"),
        (_device, "is a device, not a database file"),
        (_socket, "is a socket, not a database file"),
    ],
    ids=["fifo", "folder", "device", "socket"],
)
def test_anything_but_a_file_at_the_database_is_refused_without_waiting(
    tmp_path: Path, make: object, words: str
) -> None:
    path = tmp_path / "cases.json"
    make(path)  # type: ignore[operator]
    kind = stat.S_IFMT(os.lstat(path).st_mode)
    for command in (["list"], ["add", "x", "--customer", "y"], ["doctor"]):
        # a real process with a time limit: a FIFO opened for reading would block forever
        result = subprocess.run(
            [str(WORKBENCH_EXE), "--db", str(path), *command],
            capture_output=True,
            text=True,
            timeout=60,
            env=writer_env(),
            check=False,
        )
        assert result.returncode in (1, 2), (command, result)
        assert "Traceback" not in result.stderr
        assert words.split(",")[0].removeprefix("is ") in result.stdout + result.stderr
    assert stat.S_IFMT(os.lstat(path).st_mode) == kind  # still what it was
    assert not (tmp_path / "backups").exists()


# -- other people's files and read-only files --------------------------------------------


def test_a_read_only_database_is_refused_and_left_as_it_is(db: Path) -> None:
    db.chmod(0o400)
    before = snapshot(db)
    backups = list_backups(db, db.parent / "backups")
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 2
    assert "read-only (mode 0400)" in result.err and "chmod u+w" in result.err
    assert snapshot(db) == before
    assert list_backups(db, db.parent / "backups") == backups
    assert cli(db, "list").code == 0  # reading still works
    assert "read-only" in cli(db, "doctor").out


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_root_changing_another_users_file_keeps_it_theirs(db: Path) -> None:
    nobody = 65534
    db.chmod(0o640)
    os.chown(db, nobody, nobody)
    db.with_name("cases.json.lock").unlink()
    assert cli(db, "note", "C-0001", "called back").code == 0
    st = db.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (nobody, nobody, 0o640)
    lock = db.with_name("cases.json.lock").stat()
    assert (lock.st_uid, lock.st_gid) == (nobody, nobody)
    newest = list_backups(db, db.parent / "backups")[0].path.stat()
    assert (newest.st_uid, stat.S_IMODE(newest.st_mode)) == (nobody, 0o600)
    assert "belongs to another user" in cli(db, "doctor").out


def test_another_users_file_is_refused_when_it_cant_be_given_back(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary user who can write the folder could replace another user's file and
    make it theirs; the workbench refuses instead. (Giving a file away is root's alone, so
    the refusal the kernel gives an ordinary user is made here at ``os.fchown``.)"""
    other = os.geteuid() + 1
    os.chown(db, other, -1) if os.geteuid() == 0 else pytest.skip("needs a file of another user")
    before = snapshot(db)

    def refuse(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 2
    assert f"belongs to another user (uid {other})" in result.err
    assert snapshot(db) == before
    assert not list(db.parent.glob(".cases.json.*.tmp"))


def test_a_fifo_at_the_check_note_neither_hangs_nor_is_called_healthy(db: Path) -> None:
    note = db.with_name(".cases.json.checked")
    note.unlink(missing_ok=True)
    os.mkfifo(note)
    said = []
    for command in (["doctor"], ["list"], ["note", "C-0001", "called back"]):
        result = subprocess.run(
            [str(WORKBENCH_EXE), "--db", str(db), *command],
            capture_output=True,
            text=True,
            timeout=60,
            env=writer_env(),
            check=False,
        )
        assert result.returncode == 0, (command, result)
        said.append(result.stdout)
    assert "check note" in said[0] and "named pipe" in said[0]  # doctor, before it is replaced
    assert "called back" in db.read_text()


@pytest.mark.parametrize(
    "target",
    [
        "cases.json",
        "./cases.json",
        "cases.json.lock",
        "cases.json.journal",
        ".cases.json.checked",
        "backups/new.csv",
        "a link to the database",
        "the newest backup",
    ],
)
def test_an_export_never_writes_over_the_database_or_its_files(
    db: Path, tmp_path: Path, target: str
) -> None:
    assert cli(db, "followup", "C-0001", "tomorrow").code == 0
    assert cli(db, "note", "C-0001", "second session").code == 0  # a backup exists
    if target == "a link to the database":
        (tmp_path / "alias.csv").symlink_to(db)
        target = "alias.csv"
    elif target == "the newest backup":
        target = str(list_backups(db, tmp_path / "backups")[0].path)
    before = snapshot(db)
    backups = [(b.path, b.path.read_bytes()) for b in list_backups(db, tmp_path / "backups")]
    result = cli(db, "export", "--format", "csv", "-o", str(tmp_path / target), "--force")
    assert result.code == 2
    assert "the workbench's own database" in result.err
    assert snapshot(db) == before
    assert [(p, p.read_bytes()) for p, _ in backups] == backups


def test_a_group_that_cant_be_kept_takes_the_groups_access_away_not_the_file(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's own file, in a group the user is not in: the save goes ahead (it is
    their file), and since the group can't be kept, the group and others lose access."""
    if os.geteuid() != 0:
        pytest.skip("giving a file to a group one is not in needs root")
    db.chmod(0o640)
    os.chown(db, -1, os.getegid() + 1)
    real_fchown = os.fchown

    def only_own_groups(fd: int, uid: int, gid: int) -> None:
        if gid not in (-1, os.getegid()):
            raise PermissionError(1, "Operation not permitted")
        real_fchown(fd, uid, gid)

    monkeypatch.setattr(os, "fchown", only_own_groups)
    result = cli(db, "note", "C-0001", "called back")
    assert result.code == 0, result.err
    st = db.stat()
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (os.geteuid(), 0o600)
    assert "called back" in db.read_text()
