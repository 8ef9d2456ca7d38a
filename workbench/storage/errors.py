"""What can go wrong with the database file, each said in words a person understands."""

from __future__ import annotations

import errno
from pathlib import Path


class StoreError(Exception):
    """Base of every storage failure. ``str()`` is the whole message, hint included."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class DatabaseUnreadable(StoreError):
    """The file exists but can't be used. The store will never write over it."""


class SchemaTooNew(DatabaseUnreadable):
    """The file was written by a newer workbench than this one."""


class WriteFailed(StoreError):
    """A change could not be saved; the file on disk is still the previous version."""


class ChangeRefused(StoreError):
    """This change can't be stored (a value past the file's bounds); retrying can't help,
    and the file is as it was."""


class LockTimeout(StoreError):
    """Another process kept the database busy for too long."""


class CaseNotFound(StoreError, KeyError):
    def __init__(self, case_id: str) -> None:
        StoreError.__init__(self, f"There is no case {case_id}.", "`workbench list` shows them.")

    def __str__(self) -> str:
        return StoreError.__str__(self)


def describe_os_error(error: OSError, path: Path, doing: str) -> str:
    """One plain sentence for an OSError met while ``doing`` something with ``path``."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.EACCES: "permission was denied",
        errno.EPERM: "the operation is not permitted",
        errno.EROFS: "the disk is read-only",
        errno.ENOENT: f"the folder {path.parent} does not exist",
        errno.ENOTDIR: f"{path.parent} is not a folder",
        errno.EISDIR: f"{path} is a folder, not a file",
        errno.EIO: "the disk reported an input/output error",
        errno.ELOOP: f"{path} is a symbolic link, which the workbench does not follow",
        errno.ENXIO: f"{path} is a device or pipe with nothing behind it",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"Could not {doing} {path}: {reason}."
