"""The only code that touches TinyDB and the database file."""

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

__all__ = [
    "CaseNotFound",
    "CaseStore",
    "ChangeRefused",
    "DatabaseUnreadable",
    "LockTimeout",
    "SchemaTooNew",
    "StoreError",
    "WriteFailed",
]
