"""The only code that touches TinyDB and the database file.

Callers depend on :class:`CaseRepository` (the seam, :mod:`workbench.storage.seam`) and
construct :class:`CaseStore`, its file backend, only where a store is opened.
"""

from workbench.storage.errors import (
    CaseNotFound,
    ChangeRefused,
    DatabaseUnreadable,
    LockTimeout,
    SchemaTooNew,
    StoreError,
    WriteFailed,
)
from workbench.storage.repository import CaseStore
from workbench.storage.seam import CaseRepository, Changes

__all__ = [
    "CaseNotFound",
    "CaseRepository",
    "CaseStore",
    "ChangeRefused",
    "Changes",
    "DatabaseUnreadable",
    "LockTimeout",
    "SchemaTooNew",
    "StoreError",
    "WriteFailed",
]
