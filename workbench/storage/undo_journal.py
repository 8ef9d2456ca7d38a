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

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from filelock import FileLock, Timeout

from workbench.domain.model import Case
from workbench.storage.errors import DatabaseUnreadable, StoreError, WriteFailed
from workbench.storage.files import read_regular, replace_file, write_unforced
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


def _shape(data: object, where: str) -> None:
    """Refuse an entry that is not a record with its database, case, label and time."""
    if not isinstance(data, dict):
        raise RecordError(where, "is not a record")
    if not all(isinstance(data.get(name), str) for name in ("db", "case", "label", "at")):
        raise RecordError(where, "lacks its database, case, label or time")


def _entry(data: dict[str, Any], where: str) -> Entry:
    _shape(data, where)
    db, case_id, label, at = (str(data[name]) for name in ("db", "case", "label", "at"))
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

    def _read(self) -> list[dict[str, Any]]:
        """The entries as stored: each checked for its shape here, and its two cases by
        the strict reader only when it is the one asked for (:meth:`last`), so a command
        that only adds to the journal pays for no case but its own."""
        try:
            raw = read_regular(self.path, what="journal")
        except FileNotFoundError:
            return []
        except DatabaseUnreadable as error:
            raise JournalError(
                f"The undo journal can't be read: {error.message}", self._fix()
            ) from None
        try:
            data = msgspec.json.decode(raw)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                raise RecordError("the journal", "is not a workbench undo journal")
            entries: list[dict[str, Any]] = data["entries"]
            for number, item in enumerate(entries, 1):
                _shape(item, f"change {number}")
            return entries
        except (ValueError, RecordError, RecursionError, msgspec.DecodeError) as error:
            raise JournalError(
                f"The undo journal {self.path} can't be read ({error}).", self._fix()
            ) from None

    def _fix(self) -> str:
        return f"Remove {self.path} to start a new one; no case is in it that isn't in a database."

    def _write(self, entries: list[dict[str, Any]]) -> None:
        payload = {"version": VERSION, "entries": entries[-KEEP:]}
        data = msgspec.json.encode(payload)
        try:
            # Written whole and renamed into place, like the database, but not forced to
            # disk: it holds no case that isn't in a database, and a journal lost to a
            # power cut costs only the undo (its next read says so), where forcing it
            # cost every command about 10 ms.
            replace_file(self.path, data, write=write_unforced)
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

    def remember(self, *added: Entry) -> None:
        """Add the entries, in order, in one write, forgetting the oldest past :data:`KEEP`."""
        with self._locked():
            entries = self._read()
            entries += [_entry_record(entry) for entry in added[-KEEP:]]
            self._write(entries)

    def last(self, db: str, case_id: str | None = None) -> Entry | None:
        """The latest change remembered on ``db`` (to ``case_id``, when given)."""
        with self._locked():
            entries = self._read()
            for number in range(len(entries), 0, -1):
                item = entries[number - 1]
                if item["db"] == db and (case_id is None or item["case"] == case_id):
                    try:
                        return _entry(item, f"change {number}")
                    except (ValueError, RecordError, RecursionError) as error:
                        # Damaged (the journal is only the user's, but files get edited):
                        # it can never be undone, so it goes, and the next undo goes on.
                        del entries[number - 1]
                        self._write(entries)
                        raise JournalError(
                            f"The change the undo journal holds next is damaged ({error}); "
                            "it is dropped, and nothing was changed.",
                            "`workbench undo` again goes to the change before.",
                        ) from None
        return None

    def forget(self, entry: Entry) -> None:
        """Drop ``entry`` (undone, or no longer possible to undo)."""
        with self._locked():
            entries = self._read()
            kept = [item for item in entries if not _same(item, entry)]
            if len(kept) < len(entries) - 1:  # several alike: drop the latest only
                last = max(i for i, item in enumerate(entries) if _same(item, entry))
                kept = entries[:last] + entries[last + 1 :]
            self._write(kept)


def _same(item: dict[str, Any], entry: Entry) -> bool:
    return (item["db"], item["case"], item["label"], item["at"]) == (
        entry.db,
        entry.case_id,
        entry.label,
        entry.at.isoformat(),
    )
