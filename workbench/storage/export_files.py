"""Export files on disk: written whole or not at all, and only ever as a plain file.

An export is written to a temporary file made with :func:`tempfile.mkstemp` in the
target's own folder (readable by its owner only), flushed to the disk, and only then put
under its name in one step. Killed at any instant, the name holds the old file or the
new one, never part of one; at worst a hidden ``.NAME.*.tmp`` file is left beside it.

What may stand at the name:

* nothing: the export is put there without ever replacing something that appeared
  meanwhile (a hard link, which fails if the name is taken);
* a plain file: replaced only when asked (``--force``, or yes on the screen), and only if
  it belongs to the user running the export. Its mode, and its group where the user may
  set it, are kept; otherwise the new file is readable by its owner only;
* anything else is refused with a sentence saying what it is: a folder, a device (such
  as ``/dev/null``), a FIFO or a socket is never written to nor replaced, and a symbolic
  link is not followed (the message names where it points; give that name instead).

Errors are :class:`~workbench.domain.exports.ExportError`, each a sentence for a person.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from workbench.domain.exports import ExportError, ExportExistsError
from workbench.paths import backups_dir, lock_path, real_db_path
from workbench.storage.files import kind_of, leftovers, sweep, temp_names
from workbench.storage.journal import journal_path
from workbench.storage.trust import note_path

_NO_HARD_LINKS = frozenset(
    code
    for code in (
        errno.EPERM,
        errno.EXDEV,
        errno.EMLINK,
        getattr(errno, "ENOTSUP", None),
        getattr(errno, "EOPNOTSUPP", None),
    )
    if code is not None
)
"""What link() says on a file system without hard links (FAT, some network shares)."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (as the database's checks say it); None for
    a regular file."""
    return None if stat.S_ISREG(mode) else kind_of(mode)


def _link_problem(path: Path) -> ExportError:
    try:
        points_to = str(path.readlink())
    except OSError:
        points_to = "somewhere that can't be read"
    state = "" if path.exists() else ", which does not exist"  # exists() follows the link
    return ExportError(
        f"{path} is a symbolic link to {points_to}{state}. An export is never written "
        "through a link; give the file's own name, or another name."
    )


def _kind_problem(path: Path, kind: str) -> ExportError:
    if kind == "a folder":
        return ExportError(f"{path} is a folder; give a file name to write to.")
    return ExportError(
        f"{path} is {kind}, not a regular file, so it was left as it is. "
        "An export writes only to a plain file; give another file name."
    )


def _present(path: Path) -> os.stat_result | None:
    """What stands at ``path`` itself (a link is not followed), or None for nothing."""
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ExportError(
            f"{path.parent} is not a folder, so {path.name} can't be written in it."
        ) from None
    except OSError as error:
        raise _explain(error, path) from None


def check_target(path: Path, *, force: bool) -> os.stat_result | None:
    """Refuse what an export may not write at ``path``; what stands there, or None.

    Anything but a plain file is refused, with or without ``force``. A plain file is
    refused without ``force`` (ExportExistsError), and with it if another user owns it.
    """
    found = _present(path)
    if found is None:
        return None
    if stat.S_ISLNK(found.st_mode):
        raise _link_problem(path)
    kind = _kind(found.st_mode)
    if kind is not None:
        raise _kind_problem(path, kind)
    if not force:
        raise ExportExistsError(f"{path} already exists and was left as it is.")
    if found.st_uid != os.geteuid():
        raise ExportError(
            f"{path} belongs to another user, so the export won't replace it; "
            "give another file name."
        )
    return found


def _explain(error: OSError, path: Path) -> ExportError:
    if isinstance(error, FileExistsError):
        return ExportExistsError(f"{path} already exists and was left as it is.")
    if isinstance(error, IsADirectoryError):
        return ExportError(f"{path} is a folder; give a file name to write to.")
    if isinstance(error, FileNotFoundError):
        return ExportError(f"The folder {path.parent} does not exist; create it first.")
    if isinstance(error, NotADirectoryError):
        return ExportError(f"{path.parent} is not a folder, so {path.name} can't be written in it.")
    if isinstance(error, PermissionError):
        return ExportError(f"Permission denied: you may not write {path}.")
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ExportError(f"The disk is full: {path} could not be written, and nothing was left.")
    if error.errno == errno.EROFS:
        return ExportError(f"{path} is on a read-only disk.")
    reason = error.strerror or type(error).__name__
    return ExportError(f"Could not write {path}: {reason}.")


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the new file the group and mode of the one it replaces (its owner is us).

    If the group can't be set (a group the user is not in), the group and others get no
    access: a file meant for one group is never opened to another.
    """
    mode = stat.S_IMODE(old.st_mode)
    if old.st_gid != os.fstat(fd).st_gid:
        try:
            os.fchown(fd, -1, old.st_gid)
        except OSError:
            mode &= 0o700
    os.fchmod(fd, mode)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems can't sync a folder
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _publish_new(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path``, which must still be free: never replaces what is there."""
    try:
        os.link(temp, path)
    except FileExistsError:
        check_target(path, force=False)  # says what appeared there meanwhile
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: look once more, then rename (a much smaller window).
        if _present(path) is not None:
            check_target(path, force=False)
        temp.replace(path)
        return
    temp.unlink()


def _publish_over(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` in place of a plain file, looking at what is there once more
    (something else may have been put there while the export was written)."""
    check_target(path, force=True)
    temp.replace(path)


def check_not_the_database(path: Path, database: Path) -> None:
    """Refuse an export aimed at the database itself, its journal of changes, its lock,
    its check note or anything in its backups folder (reached by any name: a link,
    another spelling of the path)."""
    target = Path(os.path.realpath(path))
    real = real_db_path(database)
    own = {real, journal_path(real), lock_path(real), note_path(real)}
    backups = Path(os.path.realpath(backups_dir(real)))
    same = target in own or backups in target.parents
    if not same and target.exists():
        for item in own:
            with contextlib.suppress(OSError):
                same = same or target.samefile(item)
    if same:
        raise ExportError(
            f"{path} is the workbench's own database (or one of the files it keeps beside "
            "it); an export never writes there. Give another file name."
        )


def write_export(path: Path, data: bytes, *, force: bool, database: Path | None = None) -> None:
    """Write ``data`` as a plain file at ``path``, whole or not at all.

    A new file is readable and writable by its owner only (mode 0600, never chmod-ed).
    Without ``force`` an existing file is left alone (ExportExistsError). With ``force`` a
    plain file of the user's own is replaced in one step, keeping its mode and group.
    Anything else at ``path`` is refused, with or without ``force`` (see the module's
    text). Whatever fails, ``path`` is as it was and no temporary file is left.
    """
    if database is not None:
        check_not_the_database(path, database)
    old = check_target(path, force=force)
    # What an export killed half-way left beside its file (a hidden, randomly named
    # temporary file): gone once old enough that no export still writing can own it.
    sweep(leftovers(path.parent, temp_names(path)))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _explain(error, path) from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            if old is not None:
                _keep_owner_and_mode(file.fileno(), old)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if old is None:
            _publish_new(temp, path)
        else:
            _publish_over(temp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(error, OSError):
            raise _explain(error, path) from None
        raise
    _fsync_folder(path.parent)
