"""Copies of the database kept before the first change of each session, last ten kept."""

from __future__ import annotations

import errno
import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.storage.errors import WriteFailed, describe_os_error

KEEP = 10


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int


def _copy_private(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target`` created 0600 (never chmod-ed afterwards).

    The copy is written under a hidden temporary name and renamed into place once whole,
    so a process killed mid-copy never leaves a torn file that looks like a backup.
    """
    partial = target.with_name(f".{target.name}.tmp")
    with source.open("rb") as original:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                _copy_all(original.fileno(), fd)
                os.fsync(fd)
            finally:
                os.close(fd)
            partial.replace(target)
        except BaseException:
            with suppress(OSError):
                partial.unlink()
            raise


def _copy_all(source: int, target: int) -> None:
    """Copy a whole file between descriptors, inside the kernel where it can (a large
    database is copied before the first change of every session)."""
    if hasattr(os, "copy_file_range"):
        try:
            size = os.fstat(source).st_size
            copied = 0
            while step := os.copy_file_range(source, target, 1 << 30):
                copied += step
            if copied == size:
                return
            # Some file systems stop early: copy it again the plain way.
            os.lseek(source, 0, os.SEEK_SET)
            os.lseek(target, 0, os.SEEK_SET)
            os.ftruncate(target, 0)
        except OSError as error:
            if error.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            os.lseek(source, 0, os.SEEK_SET)
            os.lseek(target, 0, os.SEEK_SET)
            os.ftruncate(target, 0)
    while chunk := os.read(source, 1 << 20):
        view = memoryview(chunk)
        while view:
            view = view[os.write(target, view) :]


def list_backups(db_path: Path, folder: Path) -> list[Backup]:
    """Backups of ``db_path`` in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for item in folder.glob(f"{db_path.stem}-*.json"):
        st = item.stat()
        found.append(Backup(item, datetime.fromtimestamp(st.st_mtime).astimezone(), st.st_size))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def keep_backup(db_path: Path, folder: Path, keep: int = KEEP) -> Path:
    """Copy the database into ``folder`` and drop all but the newest ``keep`` copies."""
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        stem = f"{db_path.stem}-{datetime.now():%Y%m%d-%H%M%S-%f}"
        target = folder / f"{stem}.json"
        counter = 1
        while target.exists():
            counter += 1
            target = folder / f"{stem}-{counter}.json"
        _copy_private(db_path, target)
        for old in list_backups(db_path, folder)[keep:]:
            old.path.unlink()
    except OSError as error:
        raise WriteFailed(
            describe_os_error(error, folder, "keep a backup in"),
            "Nothing was changed; free some space or fix the folder, then try again.",
        ) from None
    return target
