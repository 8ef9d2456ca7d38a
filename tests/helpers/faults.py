"""Disk and permission faults, injected where the operating system would report them.

The tests run as root, which ignores file modes, so a denied permission or a read-only
folder is simulated at the system call (``os.open``, ``tempfile.mkstemp``, ``os.write``)
rather than with chmod. Each fault is installed with a ``pytest.MonkeyPatch`` and removed
by undoing it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from workbench.storage import safe_json

Fault = Callable[[pytest.MonkeyPatch, Path], None]


def full_disk_at_write(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """The save's bytes don't fit: the first few go out, then ENOSPC."""

    def full(fd: int, pieces: Iterable[bytes]) -> None:
        os.write(fd, next(iter(pieces))[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_json, "_write_payload", full)


def full_disk_everywhere(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """Every write to a file fails with ENOSPC: the session's backup copy is the first."""
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    def copy_file_range(source: int, target: int, count: int, *args: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "copy_file_range", copy_file_range, raising=False)


def _no_new_files(code: int) -> Fault:
    """Nothing new can be created in the folder (EROFS: a read-only disk; EACCES: a folder
    without write permission). Files already there can still be opened."""

    def install(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
        real_open = os.open

        def open_(path: object, flags: int, *args: int, **kw: object) -> int:
            if flags & os.O_CREAT and not Path(str(path)).exists():
                raise OSError(code, os.strerror(code), str(path))
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        def mkstemp(*args: object, **kw: object) -> tuple[int, str]:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)

    return install


def unreadable_file(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    """The database's permissions deny reading it (EACCES when it is opened)."""
    real_open = os.open

    def open_(path: object, flags: int, *args: int, **kw: object) -> int:
        if Path(str(path)) == db:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_)


FAULTS: dict[str, tuple[Fault, str]] = {
    "full disk at write": (full_disk_at_write, "the disk is full"),
    "full disk everywhere": (full_disk_everywhere, "the disk is full"),
    "read-only disk": (_no_new_files(errno.EROFS), "the disk is read-only"),
    "folder without write permission": (_no_new_files(errno.EACCES), "permission was denied"),
    "file without read permission": (unreadable_file, "permission was denied"),
}
