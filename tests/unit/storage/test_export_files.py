"""Export files on a hostile file system: only plain files are written, whole or not at all.

Whatever stands at the export's name (a device, a FIFO, a socket, a folder, a link to a
file, a link to nothing), with or without ``force``, is refused by name and left exactly
as it was; an export killed or failing at any point leaves the name as it was. Every file
these tests make is inside their own tmp_path: no test points at a real device.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.domain.exports import ExportError, ExportExistsError
from workbench.storage.export_files import check_target, write_export

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: whatever mode the file gets is the mode the code asked for."""
    before = os.umask(0)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def identity(path: Path) -> tuple[int, int, int, int, str | None]:
    """What "left as it was" means for anything at a name: same inode, type, mode, time,
    and for a link the same target."""
    st = path.lstat()
    link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    return st.st_ino, st.st_mode, st.st_mtime_ns, st.st_size, link


# -- plain files ---------------------------------------------------------------------------


@pytest.mark.usefixtures("open_umask")
def test_a_new_export_is_readable_by_its_owner_only_and_never_chmod_ed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a new export file must be created with its mode")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(os, "fchmod", refuse)
    path = tmp_path / "followups.csv"
    write_export(path, b"due\r\n", force=False)
    assert path.read_bytes() == b"due\r\n"
    assert mode(path) == 0o600
    assert listing(tmp_path) == ["followups.csv"]  # no temporary file left


def test_an_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    path = tmp_path / "followups.csv"
    path.write_bytes(b"keep me")
    before = identity(path)
    with pytest.raises(ExportExistsError, match="already exists"):
        write_export(path, b"new", force=False)
    assert path.read_bytes() == b"keep me"
    assert identity(path) == before
    assert listing(tmp_path) == ["followups.csv"]


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("old_mode", [0o600, 0o640, 0o644, 0o400])
def test_force_replaces_a_plain_file_keeping_its_mode(tmp_path: Path, old_mode: int) -> None:
    path = tmp_path / "followups.ics"
    path.write_bytes(b"old")
    path.chmod(old_mode)
    old_inode = path.stat().st_ino
    write_export(path, b"new", force=True)
    assert path.read_bytes() == b"new"
    assert mode(path) == old_mode
    assert path.stat().st_ino != old_inode  # replaced in one step, not written over
    assert listing(tmp_path) == ["followups.ics"]


def _another_group() -> int | None:
    mine = os.getgid()
    if os.geteuid() == 0:
        return mine + 4242
    return next((g for g in os.getgroups() if g != mine), None)


def test_force_keeps_the_group_of_the_file_it_replaces(tmp_path: Path) -> None:
    group = _another_group()
    if group is None:
        pytest.skip("the user is in no second group to give the file")
    path = tmp_path / "followups.csv"
    path.write_bytes(b"old")
    os.chown(path, -1, group)
    path.chmod(0o640)
    write_export(path, b"new", force=True)
    assert path.stat().st_gid == group
    assert mode(path) == 0o640


def test_a_group_that_cant_be_kept_is_not_given_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    group = _another_group()
    if group is None:
        pytest.skip("the user is in no second group to give the file")
    path = tmp_path / "followups.csv"
    path.write_bytes(b"old")
    os.chown(path, -1, group)
    path.chmod(0o664)

    def denied(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", denied)
    write_export(path, b"new", force=True)
    assert path.read_bytes() == b"new"
    assert mode(path) == 0o600  # the old group bits would now reach another group


def test_another_users_file_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "followups.csv"
    path.write_bytes(b"theirs")
    before = identity(path)
    me = path.stat().st_uid + 1
    monkeypatch.setattr(os, "geteuid", lambda: me)  # the file now belongs to someone else
    with pytest.raises(ExportError, match="belongs to another user"):
        write_export(path, b"mine", force=True)
    assert identity(path) == before
    assert path.read_bytes() == b"theirs"


# -- things that are not plain files -------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    try:  # the same device as /dev/null, made here; only where the system allows it
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as error:
        pytest.skip(f"can't make a device node here: {error}")


def _socket(path: Path) -> None:
    if len(str(path)) > 100:
        pytest.skip("the folder's name is too long for a socket address")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.close()  # the socket file stays


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_bytes(b"precious")


def _link_to_file(path: Path) -> None:
    (path.parent / "victim.txt").write_bytes(b"precious")
    path.symlink_to("victim.txt")


def _absolute_link_to_file(path: Path) -> None:
    (path.parent / "victim.txt").write_bytes(b"precious")
    path.symlink_to(path.parent / "victim.txt")


def _link_to_nothing(path: Path) -> None:
    path.symlink_to("missing.txt")


def _link_to_fifo(path: Path) -> None:
    os.mkfifo(path.parent / "pipe")
    path.symlink_to("pipe")


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, r"is a named pipe \(FIFO\), not a regular file"),
    "device": (_device, "is a device, not a regular file"),
    "socket": (_socket, "is a socket, not a regular file"),
    "folder": (_folder, "is a folder; give a file name"),
    "link to a file": (_link_to_file, "is a symbolic link to victim.txt. An export is never"),
    "absolute link": (_absolute_link_to_file, r"is a symbolic link to /.*victim\.txt\. "),
    "link to nothing": (_link_to_nothing, "link to missing.txt, which does not exist"),
    "link to a fifo": (_link_to_fifo, "is a symbolic link to pipe"),
}


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_only_plain_files_are_written(tmp_path: Path, kind: str, force: bool) -> None:
    make, message = HOSTILE[kind]
    path = tmp_path / "followups.csv"
    make(path)
    before = {name: identity(tmp_path / name) for name in listing(tmp_path)}
    with pytest.raises(ExportError, match=message) as refused:
        write_export(path, b"=cmd|' /C calc'!A0", force=force)
    assert not isinstance(refused.value, ExportExistsError)  # --force would not help
    assert str(path) in str(refused.value)
    after = {name: identity(tmp_path / name) for name in listing(tmp_path)}
    assert after == before  # nothing replaced, nothing created, nothing written through
    for name in ("victim.txt", "followups.csv/inside.txt"):
        if (tmp_path / name).is_file():
            assert (tmp_path / name).read_bytes() == b"precious"
    with pytest.raises(ExportError, match=message):  # the screen asks the same question
        check_target(path, force=True)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"The folder .*nowhere does not exist"):
        write_export(tmp_path / "nowhere" / "x.csv", b"x", force=False)


def test_a_file_where_the_folder_should_be_is_named(tmp_path: Path) -> None:
    (tmp_path / "notes").write_bytes(b"x")
    with pytest.raises(ExportError, match=r"notes is not a folder, so x.csv can't be written"):
        write_export(tmp_path / "notes" / "x.csv", b"x", force=True)


def test_permission_denied_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who may write anywhere; the refusal is simulated at os.open.
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(ExportError, match="Permission denied: you may not write"):
        write_export(tmp_path / "x.csv", b"x", force=False)


# -- failing, racing and being killed ------------------------------------------------------


def _fails(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _no_hard_links(*args: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


@pytest.mark.parametrize(
    ("where", "force"),
    [
        ("fsync", False),
        ("fsync", True),
        ("link", False),  # a new file is put at its name with link()
        ("replace", False),  # ... or, where there are no hard links, with rename()
        ("replace", True),  # a file is replaced with rename()
        ("fchmod", True),  # keeping the old file's mode
    ],
)
def test_a_failure_at_any_step_leaves_the_name_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool, where: str
) -> None:
    path = tmp_path / "followups.csv"
    if force:
        path.write_bytes(b"old export")
    before = listing(tmp_path)
    if where == "replace" and not force:
        monkeypatch.setattr(os, "link", _no_hard_links)
    monkeypatch.setattr(os, where, _fails)
    with pytest.raises(ExportError, match="The disk is full"):
        write_export(path, b"x" * 100_000, force=force)
    assert listing(tmp_path) == before  # no temporary file either
    if force:
        assert path.read_bytes() == b"old export"


def test_an_interrupted_export_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_export(tmp_path / "followups.csv", b"x", force=False)
    assert listing(tmp_path) == []


def test_without_hard_links_a_new_export_is_still_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", _no_hard_links)
    path = tmp_path / "followups.md"
    write_export(path, b"# Follow-ups\n", force=False)
    assert path.read_bytes() == b"# Follow-ups\n"
    assert listing(tmp_path) == ["followups.md"]


@pytest.mark.parametrize("force", [False, True], ids=["new", "replace"])
@pytest.mark.parametrize("kind", ["fifo", "link to nothing", "folder"])
def test_something_planted_while_the_export_is_written_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool, kind: str
) -> None:
    """Checked before writing, and again at the moment the file is put at its name."""
    path = tmp_path / "followups.csv"
    if force:
        path.write_bytes(b"old export")
    make, message = HOSTILE[kind]
    real_mkstemp = tempfile.mkstemp
    planted: list[tuple[int, int, int, int, str | None]] = []

    def plant(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        if path.is_symlink() or path.exists():
            path.unlink()
        make(path)
        planted.append(identity(path))
        return made  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", plant)
    with pytest.raises(ExportError, match=message):
        write_export(path, b"new", force=force)
    assert planted == [identity(path)]
    assert not any(name.endswith(".tmp") for name in listing(tmp_path))


KILLER = """
import os, signal, sys
from pathlib import Path
from workbench.storage import export_files

where, target, force = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "force"

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if where == "mid-write":
    real_fdopen = os.fdopen
    class Half:
        def __init__(self, file):
            self.file = file
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return False
        def fileno(self):
            return self.file.fileno()
        def write(self, data):
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            die()
    os.fdopen = lambda fd, mode: Half(real_fdopen(fd, mode))
elif where == "before-publish":
    os.fsync = lambda fd: die()
elif where == "at-publish":
    os.link = lambda *a: die()
    os.replace = lambda *a: die()
export_files.write_export(target, b"new export " * 50_000, force=force)
"""


@pytest.mark.parametrize("force", [False, True], ids=["new", "replace"])
@pytest.mark.parametrize("where", ["mid-write", "before-publish", "at-publish"])
def test_a_killed_export_never_leaves_part_of_a_file_under_its_name(
    tmp_path: Path, force: bool, where: str
) -> None:
    path = tmp_path / "followups.ics"
    if force:
        path.write_bytes(b"old export")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", KILLER, where, str(path), "force" if force else "new"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr.decode()
    if force:
        assert path.read_bytes() == b"old export"
    else:
        assert not path.exists()
    # What a kill can leave is a hidden temporary file beside it, never the name itself.
    left = [name for name in listing(tmp_path) if name != path.name]
    assert all(name.startswith(".followups.ics.") and name.endswith(".tmp") for name in left)
    write_export(path, b"next export", force=force)  # and the next export just works
    assert path.read_bytes() == b"next export"


def test_what_a_killed_export_left_is_swept_by_the_next_one(tmp_path: Path) -> None:
    """A kill before the rename leaves a hidden temporary file; the next export of that
    name deletes those old enough that no export still writing can own them."""
    target = tmp_path / "followups.csv"
    stale = tmp_path / ".followups.csv.k1l2e3d4.tmp"
    fresh = tmp_path / ".followups.csv.a1b2c3d4.tmp"
    other = tmp_path / ".followups.csv.old.k1l2e3d4.tmp"  # another file's
    for path in (stale, fresh, other):
        path.write_bytes(b"half an export")
    an_hour_ago = os.path.getmtime(stale) - 3600
    for path in (stale, other):
        os.utime(path, (an_hour_ago, an_hour_ago))
    write_export(target, b"due,case\n", force=False)
    assert target.read_bytes() == b"due,case\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists()
