"""The command line's last changes, so that ``workbench undo`` can take one back.

Each change a command makes to a case is written down here with the case as it was
before and after (their records, as the database file holds cases), the database it was
made on and the command that made it. ``workbench undo`` finds the last one for its
database (and case, when named), works out from the two what the change did
(:mod:`workbench.domain.undo`) and takes back exactly that on the case as it is now.

The journal is ``undo.json`` in the user's data folder: the user's own (0600, in a
0700 folder), one per person and machine, for every database they use. It keeps the
last :data:`KEEP` changes. It is read as the database file is: a regular file only (a
link, a device or a folder there is refused), bounded, each case checked by the strict
reader. A journal that can't be used costs only the undo: the change is made and kept,
and the command says why it can't be undone.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from workbench.domain.model import Case
from workbench.storage.errors import DatabaseUnreadable, StoreError, WriteFailed
from workbench.storage.files import read_regular, replace_file
from workbench.storage.record_reader import RecordError, case_from_record
from workbench.storage.records import case_to_record

JOURNAL_NAME = "undo.json"
KEEP = 20
"""Changes remembered, for every database together; the oldest is forgotten first."""
VERSION = 1
LOCK_SECONDS = 5.0


class JournalError(StoreError):
    """The journal can't be read or written; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    """One change a command made."""

    db: str
    """The database it was made on: a file's path, or a server's address."""
    case_id: str
    label: str
    """What made it: ``workbench step``."""
    at: datetime
    before: Case
    after: Case


def _entry_record(entry: Entry) -> dict[str, Any]:
    return {
        "db": entry.db,
        "case": entry.case_id,
        "label": entry.label,
        "at": entry.at.isoformat(),
        "before": case_to_record(entry.before),
        "after": case_to_record(entry.after),
    }


def _entry(data: object, where: str) -> Entry:
    if not isinstance(data, dict):
        raise RecordError(where, "is not a record")
    texts = [data.get(name) for name in ("db", "case", "label", "at")]
    if not all(isinstance(text, str) for text in texts):
        raise RecordError(where, "lacks its database, case, label or time")
    db, case_id, label, at = (str(text) for text in texts)
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise RecordError(where, f"has no readable time ({at[:40]!r})") from None
    before = case_from_record(data.get("before"), f"{where}, the case before")
    after = case_from_record(data.get("after"), f"{where}, the case after")
    if not before.id == after.id == case_id:
        raise RecordError(where, "holds two different cases")
    return Entry(db, case_id, label, when, before, after)


class UndoJournal:
    """The journal at ``path`` (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_SECONDS, mode=0o600)

    def _read(self) -> list[Entry]:
        try:
            raw = read_regular(self.path, what="journal")
        except FileNotFoundError:
            return []
        except DatabaseUnreadable as error:
            raise JournalError(
                f"The undo journal can't be read: {error.message}", self._fix()
            ) from None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                raise RecordError("the journal", "is not a workbench undo journal")
            return [
                _entry(item, f"change {number}") for number, item in enumerate(data["entries"], 1)
            ]
        except (ValueError, RecordError, RecursionError) as error:
            raise JournalError(
                f"The undo journal {self.path} can't be read ({error}).", self._fix()
            ) from None

    def _fix(self) -> str:
        return f"Remove {self.path} to start a new one; no case is in it that isn't in a database."

    def _write(self, entries: list[Entry]) -> None:
        payload = {"version": VERSION, "entries": [_entry_record(e) for e in entries[-KEEP:]]}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            replace_file(self.path, data)
        except WriteFailed as error:
            raise JournalError(str(error), self._fix()) from None

    def _locked(self) -> FileLock:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout:
            raise JournalError(
                f"The undo journal {self.path} is held by another workbench command.",
                "Try again in a moment.",
            ) from None
        except OSError as error:
            raise JournalError(
                f"The undo journal's folder {self.path.parent} can't be used "
                f"({error.strerror or error}).",
                "",
            ) from None
        return self._lock

    def remember(self, entry: Entry) -> None:
        """Add ``entry``, forgetting the oldest past :data:`KEEP`."""
        with self._locked():
            entries = self._read()
            entries.append(entry)
            self._write(entries)

    def last(self, db: str, case_id: str | None = None) -> Entry | None:
        """The latest change remembered on ``db`` (to ``case_id``, when given)."""
        with self._locked():
            entries = self._read()
        for entry in reversed(entries):
            if entry.db == db and (case_id is None or entry.case_id == case_id):
                return entry
        return None

    def forget(self, entry: Entry) -> None:
        """Drop ``entry`` (undone, or no longer possible to undo)."""
        with self._locked():
            entries = self._read()
            with suppress(ValueError):
                entries.remove(entry)
            self._write(entries)
