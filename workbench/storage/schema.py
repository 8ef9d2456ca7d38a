"""The file's schema version and the ordered migrations that bring old files up to date.

The version lives in the ``meta`` table (document 1) of the TinyDB file. A file
written by an older workbench is migrated in memory when read and saved in the new
shape on the next write; a file from a newer workbench is refused, never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1
META_TABLE = "meta"
META_DOC_ID = "1"
CASES_TABLE = "cases"

Tables = dict[str, dict[str, Any]]
Migration = Callable[[Tables], Tables]

# MIGRATIONS[n] turns a version-n file into a version-(n + 1) file. Append, never edit.
MIGRATIONS: dict[int, Migration] = {}


def file_version(tables: Tables) -> int:
    """The schema version a file says it has. A file without one is a fresh, empty file."""
    meta = tables.get(META_TABLE, {}).get(META_DOC_ID, {})
    version = meta.get("schema", SCHEMA_VERSION) if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"the schema version {version!r} in its meta table is not a number")
    return version


def migrate(tables: Tables, version: int) -> Tables:
    """Apply every migration from ``version`` up to :data:`SCHEMA_VERSION`, in order."""
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration is known from schema version {version}")
        tables = step(tables)
        version += 1
    return tables


def stamp(tables: Tables) -> None:
    """Write the current schema version into the meta table."""
    meta = tables.setdefault(META_TABLE, {})
    doc = meta.get(META_DOC_ID)
    if not isinstance(doc, dict):
        doc = {}
    doc["schema"] = SCHEMA_VERSION
    doc.setdefault("app", "workbench")
    meta[META_DOC_ID] = doc
