"""Every backend the contract suite runs against, each as a factory of two handles.

A factory is given a fresh folder of its own and returns two handles on one new, empty
store: the repository under test and a second client of the same data (another
workbench, the command line). Add a backend with one line in :data:`BACKENDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.memory_store import MemoryRepository, Shared
from workbench.storage import CaseRepository, CaseStore

Handles = tuple[CaseRepository, CaseRepository]


def file_store(folder: Path) -> Handles:
    """Two stores on one TinyDB file, as two processes would have."""
    path = folder / "cases.json"
    return CaseStore(path), CaseStore(path)


def in_memory(folder: Path) -> Handles:
    """Two handles on one store kept in memory: the suite asks nothing of files."""
    shared = Shared()
    return MemoryRepository(shared), MemoryRepository(shared)


def postgres(folder: Path) -> Handles:
    """Two handles on one new database of the tests' PostgreSQL server (skipped, saying
    why, where PostgreSQL is not installed)."""
    from helpers.pg_server import new_database_url
    from workbench.storage.postgres import PostgresStore

    url = new_database_url()
    return PostgresStore(url), PostgresStore(url)


BACKENDS: dict[str, Callable[[Path], Handles]] = {
    "file": file_store,
    "memory": in_memory,
    "postgres": postgres,
}
