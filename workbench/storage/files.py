"""Creating, replacing and reading files safely, whatever is planted in the folder.

Every file the workbench makes beside the database (the database itself, its backups,
the check note, the lock) goes through here, so the rules hold everywhere:

* **Nothing is followed or replaced by accident.** New files are made with
  ``mkstemp`` (``O_CREAT | O_EXCL``, a random name, never through a symbolic link) in
  the folder they end up in, then renamed into place. A name that already holds a
  symbolic link, a device, a FIFO or a folder is refused with a sentence saying so.
* **The owner keeps their file.** A file that is replaced keeps its owner, group and
  mode; a file this user can't give back to its owner (another user's file) is refused,
  and so is a read-only one. New files are readable by their owner only.
* **Reads are bounded.** A database is read only from a regular file (never a FIFO
  that would block, a device or a folder) and only up to :data:`MAX_FILE_BYTES`.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from workbench.small_files import NotARegularFile, TooLarge, open_checked
from workbench.small_files import kind_of as kind_of
from workbench.storage.errors import DatabaseUnreadable, WriteFailed, describe_os_error

MAX_FILE_BYTES = 2 << 30
"""The largest database file read: 2 GiB, about forty times 50,000 busy cases."""

STALE_SECONDS = 120.0
"""A temporary file older than this, found while holding the database's lock, was left
by a process that died mid-save (a save takes seconds at most)."""


@dataclass(frozen=True)
class Owner:
    """Who a file belongs to and its permission bits: what a replacement must keep."""

    uid: int
    gid: int
    mode: int

    @classmethod
    def of(cls, st: os.stat_result) -> Owner:
        return cls(st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))

    @property
    def is_me(self) -> bool:
        return self.uid == os.geteuid()


def existing(path: Path) -> os.stat_result | None:
    """``lstat`` of ``path`` (a link is not followed), or None when nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteFailed(describe_os_error(error, path, "look at")) from None


def check_replaceable(path: Path, st: os.stat_result) -> Owner:
    """Refuse to replace anything but a writable regular file; its owner otherwise."""
    if stat.S_ISLNK(st.st_mode):
        target = path.readlink()
        raise WriteFailed(
            f"Could not save {path}: it is now a symbolic link (to {target}), and the "
            "workbench never writes through a link it did not open.",
            "Nothing was changed. Remove the link, or open the file it points to with --db.",
        )
    if not stat.S_ISREG(st.st_mode):
        raise WriteFailed(
            f"Could not save {path}: it is {kind_of(st.st_mode)}, not a regular file.",
            "Nothing was changed. Point --db at a file.",
        )
    owner = Owner.of(st)
    if not owner.mode & stat.S_IWUSR:
        raise WriteFailed(
            f"Could not save {path}: the file is read-only (mode {owner.mode:04o}).",
            f"Nothing was changed. To allow changes: chmod u+w {path}",
        )
    return owner


def give_to(fd: int, owner: Owner | None, path: Path, *, mode: int | None = None) -> None:
    """Make the new file open at ``fd`` belong to ``owner`` (when given), with ``mode``
    (the owner's mode when None). Refuses when this user can't give it to that owner; a
    group that can't be kept (one this user is not in) loses the group's and others'
    access instead, so nobody gains access by the change."""
    wanted = mode if mode is not None else (owner.mode if owner is not None else 0o600)
    if owner is not None and owner.uid != os.geteuid():
        try:
            os.fchown(fd, owner.uid, owner.gid)
        except PermissionError:
            raise WriteFailed(
                f"Could not save {path}: it belongs to another user (uid {owner.uid}), and "
                "replacing it would take it from them.",
                "Nothing was changed. Run the workbench as that user, or copy the file.",
            ) from None
    elif owner is not None and owner.gid != os.getegid():
        try:
            os.fchown(fd, -1, owner.gid)
        except PermissionError:
            wanted &= ~0o077
    if wanted != 0o600:  # mkstemp makes files 0600 already
        os.fchmod(fd, wanted)


def write_all(fd: int, pieces: Iterable[bytes]) -> None:
    """Write every piece to ``fd`` in order and force it to disk. Tests inject faults here."""
    write_unforced(fd, pieces)
    os.fsync(fd)


def fsync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temp_prefix(path: Path) -> str:
    """The start of the name of every temporary file made to replace ``path``."""
    return f".{path.name}."


def replace_file(
    path: Path,
    payload: bytes | Iterable[bytes],
    *,
    before_replace: Callable[[], None] | None = None,
    write: Callable[[int, Iterable[bytes]], None] | None = None,
) -> int:
    """Replace ``path`` with ``payload`` atomically and return the new file's inode number.

    The new file is written under a random name in the same folder (created with
    ``O_EXCL``, so never through a planted link), forced to disk, then renamed over
    ``path``. A file already there keeps its owner, group and mode; anything but a
    writable regular file there is refused. ``before_replace`` runs once the new
    bytes are safely on disk and before the rename (the session's backup is taken
    there, so a save that fails never leaves a backup behind). Raises
    :class:`WriteFailed`, the old file untouched.
    """
    folder = path.parent
    st = existing(path)
    owner = check_replaceable(path, st) if st is not None else None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteFailed(describe_os_error(error, path, "save")) from None
    tmp = Path(tmp_name)
    try:
        try:
            give_to(fd, owner, path)
            (write or write_all)(fd, [payload] if isinstance(payload, bytes) else payload)
            inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace()
        tmp.replace(path)
    except BaseException as error:
        with suppress(OSError):
            tmp.unlink()
        if not isinstance(error, OSError):
            raise  # the pieces could not be made, or a check refused: the file is untouched
        raise WriteFailed(
            describe_os_error(error, path, "save"), "The file still holds the previous version."
        ) from None
    fsync_folder(folder)
    return inode


def open_regular(path: Path, *, what: str = "database file", hint: str = "") -> int:
    """A descriptor open for reading on ``path``, refused unless it is a regular file.

    Never blocks on a FIFO and never follows a link put at the last part of the path
    (the database's path was resolved once, when it was opened). Raises
    :class:`DatabaseUnreadable`, or FileNotFoundError when there is no file.
    """
    try:
        return open_checked(path, MAX_FILE_BYTES, follow_links=False)
    except FileNotFoundError:
        raise
    except NotARegularFile as error:
        advice = None if what == "database file" else hint
        raise not_a_file(path, error.mode, what, advice) from None
    except TooLarge as error:
        raise DatabaseUnreadable(
            f"The {what} {path} is {error.size:,} bytes, more than the {MAX_FILE_BYTES:,} "
            "the workbench reads.",
            hint,
        ) from None
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", -1) or path.is_symlink():
            raise DatabaseUnreadable(
                f"The {what} {path} has been replaced by a symbolic link; the workbench "
                "will not follow it.",
                hint,
            ) from None
        raise DatabaseUnreadable(describe_os_error(error, path, "read"), hint) from None


def not_a_file(
    path: Path, mode: int, what: str = "database file", hint: str | None = None
) -> DatabaseUnreadable:
    """The refusal of what stands at ``path`` (its ``st_mode``) instead of a regular file;
    for the database, the hint says where to point instead."""
    return DatabaseUnreadable(
        f"{path} is {kind_of(mode)}, not a {what}.",
        "Point --db (or WORKBENCH_DB) at a file." if hint is None else hint,
    )


def read_bounded(fd: int, path: Path, *, what: str = "database file", hint: str = "") -> bytes:
    """The bytes of the open file, at most :data:`MAX_FILE_BYTES` (a file that grows
    past it while read, or a special file that never ends, is refused)."""
    try:
        # As many bytes as the file holds now, and one more to see it grew: asking for the
        # bound itself makes Python set aside 2 GiB first (13 ms of a 28 MB read).
        expected = min(os.fstat(fd).st_size, MAX_FILE_BYTES)
        with open(fd, "rb", closefd=False) as file:
            raw = file.read(expected + 1)
            if len(raw) > expected:  # grown meanwhile, or a special file: on to the bound
                pieces, total = [raw], len(raw)
                while total <= MAX_FILE_BYTES:
                    piece = file.read(min(1 << 20, MAX_FILE_BYTES + 1 - total))
                    if not piece:
                        break
                    pieces.append(piece)
                    total += len(piece)
                raw = b"".join(pieces)
    except OSError as error:
        raise DatabaseUnreadable(describe_os_error(error, path, "read"), hint) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DatabaseUnreadable(
            f"The {what} {path} is more than the {MAX_FILE_BYTES:,} bytes the workbench reads.",
            hint,
        )
    return raw


def read_regular(path: Path, *, what: str = "database file", hint: str = "") -> bytes:
    """The bytes of the regular file at ``path`` (see :func:`open_regular`)."""
    fd = open_regular(path, what=what, hint=hint)
    try:
        return read_bounded(fd, path, what=what, hint=hint)
    finally:
        os.close(fd)


def create_private(path: Path, owner: Owner | None = None) -> None:
    """Create an empty file at ``path`` if nothing is there (0600, for ``owner`` when
    given), without ever following or replacing what is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return
    try:
        if owner is not None and not owner.is_me:
            with suppress(OSError):
                os.fchown(fd, owner.uid, owner.gid)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Leftover:
    path: Path
    size: int
    age: float
    """Seconds since it was last written."""


def regular_files(
    folder: Path, wanted: Callable[[str], bool]
) -> Iterator[tuple[Path, os.stat_result]]:
    """The regular files in ``folder`` whose names are ``wanted``, with their ``lstat``
    (links, folders and anything else skipped; an unreadable folder has none)."""
    try:
        names = [item.name for item in folder.iterdir()]
    except OSError:
        return
    for name in names:
        if not wanted(name):
            continue
        try:
            st = os.lstat(folder / name)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            yield folder / name, st


RANDOM_NAME = "[a-z0-9_]{8}"
"""The random part ``mkstemp`` puts in a name (eight of a-z, 0-9 and _)."""


def temp_names(path: Path) -> re.Pattern[str]:
    """The exact names of the temporary files made to replace ``path`` or its check note
    (never those of ``path.old``, whose names merely start the same way)."""
    return re.compile(rf"\.{re.escape(path.name)}\.(?:checked\.)?{RANDOM_NAME}\.tmp", re.ASCII)


def leftovers(folder: Path, names: re.Pattern[str]) -> Iterator[Leftover]:
    """Regular files in ``folder`` whose whole names match ``names`` (links and others
    skipped)."""
    now = time.time()
    for path, st in regular_files(folder, lambda name: names.fullmatch(name) is not None):
        yield Leftover(path, st.st_size, now - st.st_mtime)


def sweep(found: Iterable[Leftover], older_than: float = STALE_SECONDS) -> list[Leftover]:
    """Delete the leftovers older than ``older_than`` seconds; call it holding the lock,
    so no live save's file is among them. Returns those deleted (best effort)."""
    gone = []
    for item in found:
        if item.age >= older_than:
            with suppress(OSError):
                item.path.unlink()
                gone.append(item)
    return gone


def write_unforced(fd: int, pieces: Iterable[bytes]) -> None:
    """Write every piece to ``fd`` without forcing it to disk: for :func:`replace_file`'s
    ``write``, for files whose loss costs little (the undo journal, the reminders given),
    where forcing cost every command about 10 ms."""
    for piece in pieces:
        view = memoryview(piece)
        while view:
            view = view[os.write(fd, view) :]
