"""The journal of changes beside a database file: a change appended, not the file rewritten.

A command that changes one case writes the case's new record as one line at the end of
``<database>.journal`` and forces it to disk, instead of rewriting (and backing up) the
whole file: at 10,000 cases that is a few kilobytes instead of 28 MB. Readers put the
journal's records on top of the file's. The journal is *folded* into the file, which is
then rewritten whole as before and the journal removed, by any workbench screen within
seconds, and by a command once the journal has grown past a share of the file
(:func:`fold_due`). Plain ``tinydb.TinyDB(path)`` sees every change once folded.

* **Nothing acknowledged is lost.** A line is acknowledged only once it is on disk. A
  process killed while appending leaves at most a line without its end, which no reader
  takes and the next writer cuts away; a line whose write or fsync failed is cut away at
  once. A fold writes the new file first, noting in its meta table which journal it
  folded, and removes the journal after; killed in between, the journal left behind is
  known by that note and ignored (stale), and the next write removes it.
* **Each line is checked.** A line is compact JSON, a tab and the CRC-32 of the JSON in
  hex. A line whose CRC does not match, or a journal written for another version of the
  file (whose records are not all in it), is refused like a damaged database.
* **Shape.** The first line names the base (the size and CRC-32 of the file it
  continues) and the schema. Each line after it maps table names to document
  ids to records; ``null`` takes a document out.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from workbench.storage import files
from workbench.storage.errors import DatabaseUnreadable, WriteFailed, describe_os_error
from workbench.storage.schema import CASES_TABLE, CUSTOMERS_TABLE, META_TABLE, SCHEMA_VERSION

SUFFIX = ".journal"
TABLES = (CASES_TABLE, CUSTOMERS_TABLE, META_TABLE)
"""The tables a line may change."""

FOLD_BYTES = 256 * 1024
"""A command folds the journal once it would pass this many bytes, or an eighth of the
file, whichever is larger (see :func:`fold_due`)."""

ENV = "WORKBENCH_JOURNAL"
"""Set to ``off`` to have every change rewrite the file whole, as before the journal:
slower as the file grows, but a program reading it with plain TinyDB sees each change
at once."""


def enabled() -> bool:
    """False when ``$WORKBENCH_JOURNAL`` turns the journal off."""
    return os.environ.get(ENV, "on").strip().lower() not in ("off", "0", "no", "false")


WHAT = "journal of changes"
HINT = (
    "The workbench will not write over it. `workbench doctor` says more; moving the "
    "journal away opens the database as it was before the journal's changes."
)

Base = tuple[int, int]
"""What a journal continues: the file's size and the CRC-32 of its bytes (what it holds,
not where: a copy of the folder keeps its journal)."""

FOLDED = "folded"
"""The meta table's note of the journal a whole write folded in (its base and the end of
its last line): a journal left behind by a fold killed before removing it is known by it."""

Changes = dict[str, dict[str, Any]]
"""Table name → document id → record (``None``: the document is taken out)."""


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def base_of(raw_size: int, crc: int) -> Base:
    return (raw_size, crc)


def fold_due(journal_bytes: int, file_bytes: int) -> bool:
    """True once a journal of ``journal_bytes`` should be folded into its file: reading
    it then costs every command more than the fold saves."""
    return journal_bytes > max(FOLD_BYTES, file_bytes // 8)


def line(body: object) -> bytes:
    """One journal line: compact JSON, a tab, its CRC-32 in hex, a newline. Text msgspec
    refuses (a lone surrogate) is written by the standard library, escaped to ASCII."""
    try:
        data = msgspec.json.encode(body)
    except (UnicodeEncodeError, TypeError):
        data = json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return data + b"\t" + b"%08x" % zlib.crc32(data) + b"\n"


def header(base: Base) -> bytes:
    return line({"base": list(base), "schema": SCHEMA_VERSION})


_LINE = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])
_HEADER = msgspec.json.Decoder(dict[str, Any])


@dataclass
class Journal:
    """A journal as read: its base and its lines' changes, in order."""

    base: Base
    entries: list[Changes] = field(default_factory=list)
    end: int = 0
    """Bytes up to the end of the last whole line: where the next line goes."""
    crc: int = 0
    """The CRC-32 of those bytes: what this journal is, line for line (a fold's note names
    it; a reader of only the new lines checks the old ones are still there)."""


def _damaged(path: Path, what: str) -> DatabaseUnreadable:
    return DatabaseUnreadable(f"The {WHAT} {path} is damaged: {what}.", HINT)


def split_lines(raw: bytes, start: int, path: Path) -> tuple[list[bytes], int]:
    """The whole lines' JSON from ``start`` (each line's CRC checked) and the offset after
    the last whole line; bytes after it (a line cut short by a kill) are left out."""
    bodies = []
    end = raw.rfind(b"\n", start) + 1
    offset = start
    for text in raw[start:end].split(b"\n")[:-1] if end > start else []:
        body, tab, crc = text.rpartition(b"\t")
        try:
            good = bool(tab) and len(crc) == 8 and int(crc, 16) == zlib.crc32(body)
        except ValueError:
            good = False
        if not good:
            raise _damaged(path, f"the line at byte {offset:,} does not match its checksum")
        bodies.append(body)
        offset += len(text) + 1
    return bodies, max(end, start)


def read_header(body: bytes, path: Path) -> Base:
    try:
        head = _HEADER.decode(body)
        base = head["base"]
        schema = head["schema"]
        if not (
            isinstance(base, list)
            and len(base) == 2
            and all(type(n) is int and n >= 0 for n in base)
            and type(schema) is int
        ):
            raise ValueError
    except (msgspec.DecodeError, KeyError, ValueError):
        raise _damaged(path, "its first line does not name the file it continues") from None
    if schema != SCHEMA_VERSION:
        raise DatabaseUnreadable(
            f"The {WHAT} {path} was written for file schema {schema}; this workbench "
            f"reads schema {SCHEMA_VERSION}.",
            "Open it with the workbench that wrote it, which folds it into the file.",
        )
    return (base[0], base[1])


def read_entries(bodies: Iterable[bytes], path: Path) -> list[Changes]:
    """Each line's changes: case records kept as their bytes, others decoded; ``None``
    for a document taken out. Only the known tables and whole-number ids pass."""
    entries = []
    for body in bodies:
        try:
            entry: Changes = _LINE.decode(body)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            entry = _plain_line(body, path)  # text msgspec refuses (a lone surrogate)
        for name, docs in entry.items():
            if name not in TABLES or not all(d.isdigit() and len(d) < 10 for d in docs):
                raise _damaged(path, f"a line changes an unknown table or document ({name})")
            for doc_id, raw in docs.items():
                if not isinstance(raw, msgspec.Raw):
                    continue  # decoded by the standard library already
                if bytes(raw) == b"null":
                    docs[doc_id] = None
                elif name != CASES_TABLE:
                    try:
                        docs[doc_id] = msgspec.json.decode(raw)
                    except (msgspec.DecodeError, RecursionError):
                        raise _damaged(path, f"a {name} record is not JSON") from None
        entries.append(entry)
    return entries


def _plain_line(body: bytes, path: Path) -> Changes:
    """A line the standard library decodes (it takes the lone surrogates written escaped
    by :func:`line`'s fallback); its records are then mappings, checked strictly."""
    try:
        entry = json.loads(body)
    except (ValueError, RecursionError):
        raise _damaged(path, "a line is not a change to the database") from None
    if not isinstance(entry, dict) or not all(
        isinstance(docs, dict) and all(isinstance(d, str) for d in docs) for docs in entry.values()
    ):
        raise _damaged(path, "a line is not a change to the database")
    return entry


def read_journal(fd: int, path: Path, known: Journal | None = None) -> Journal | None:
    """The journal open at ``fd``, or only its lines after ``known`` (appended to it).

    None when the journal holds nothing but a line cut short (a kill while it was made).
    """
    raw = files.read_bounded(fd, path, what=WHAT, hint=HINT)
    if known is not None:
        if len(raw) < known.end or zlib.crc32(raw[: known.end]) != known.crc:
            raise Rewritten  # a line read before was cut away (its fsync failed) or more
        bodies, end = split_lines(raw, known.end, path)
        known.entries += read_entries(bodies, path)
        known.crc = zlib.crc32(raw[known.end : end], known.crc)
        known.end = end
        return known
    bodies, end = split_lines(raw, 0, path)
    if not bodies:
        return None
    head = read_header(bodies[0], path)
    return Journal(head, read_entries(bodies[1:], path), end, zlib.crc32(raw[:end]))


class Rewritten(Exception):
    """The journal no longer begins with the lines read from it before: read it whole."""


def read_file(path: Path, owner_uid: int) -> tuple[os.stat_result, Journal | None] | None:
    """The journal at ``path`` read whole, with its ``fstat``; None when there is none
    (see :func:`open_journal` for what is refused, and :func:`read_journal`)."""
    fd = open_journal(path, owner_uid)
    if fd is None:
        return None
    try:
        return os.fstat(fd), read_journal(fd, path)
    finally:
        os.close(fd)


def put_on(tables: dict[str, dict[str, Any]], entries: list[Changes]) -> tuple[Changes, bool]:
    """Apply journal lines to ``tables``, in order; the case documents they leave (None:
    taken out) and whether a customer's record changed."""
    cases: dict[str, Any] = {}
    customers = False
    for entry in entries:
        for name, docs in entry.items():
            table = tables.setdefault(name, {})
            for doc_id, record in docs.items():
                if record is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = record
            if name == CASES_TABLE:
                cases.update(docs)
            elif name == CUSTOMERS_TABLE:
                customers = True
    return {CASES_TABLE: cases}, customers


def open_journal(path: Path, owner_uid: int) -> int | None:
    """A descriptor to read the journal, None when there is none; refused unless it is a
    regular file (never a link, a FIFO or a device) belonging to the database's owner."""
    try:
        fd = files.open_regular(path, what=WHAT, hint=HINT)
    except FileNotFoundError:
        return None
    st = os.fstat(fd)
    if st.st_uid != owner_uid:
        os.close(fd)
        raise DatabaseUnreadable(
            f"The {WHAT} {path} belongs to another user (uid {st.st_uid}) than the "
            f"database (uid {owner_uid}); the workbench will not take changes from it.",
            "Move it away, or run the workbench as the database's owner.",
        )
    return fd


def append(
    path: Path, changes: Changes, *, base: Base, known: Journal | None, owner: files.Owner
) -> Journal:
    """Put ``changes`` as one line at the end of the journal and force it to disk.

    ``known`` is the journal as last read (None: there is none, and a new one is made
    for ``base``); anything after its last whole line, a line cut short, is cut away
    first. Raises :class:`WriteFailed` with nothing acknowledged.
    """
    body = line(changes)
    try:
        if known is None:
            made = _create(path, body, base, owner)
            made.entries.append(changes)
            return made
        flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)  # a FIFO: no wait
        flags |= getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != owner.uid:
                raise WriteFailed(
                    f"Could not save {path}: it is no longer the journal this workbench read.",
                    "Nothing was changed. Try again.",
                )
            if st.st_size != known.end:
                os.ftruncate(fd, known.end)
            os.lseek(fd, known.end, os.SEEK_SET)
            try:
                files.write_all(fd, [body])
            except BaseException:
                with suppress(OSError):  # never leave a line that was reported not saved
                    os.ftruncate(fd, known.end)
                    os.fsync(fd)
                raise
        finally:
            os.close(fd)
    except OSError as error:
        raise WriteFailed(
            describe_os_error(error, path, "save"), "The database holds the previous version."
        ) from None
    known.end += len(body)
    known.crc = zlib.crc32(body, known.crc)
    known.entries.append(changes)
    return known


def _create(path: Path, body: bytes, base: Base, owner: files.Owner) -> Journal:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            files.give_to(fd, owner, path)
            first = header(base)
            files.write_all(fd, [first, body])
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    files.fsync_folder(path.parent)
    return Journal(base, [], len(first) + len(body), zlib.crc32(first + body))


def remove(path: Path) -> None:
    """Take the journal away once its changes are in the file (folded)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise WriteFailed(describe_os_error(error, path, "remove")) from None
    files.fsync_folder(path.parent)


def folded_note(journal: Journal) -> dict[str, Any]:
    """What a whole write that folds ``journal`` notes in the meta table (see :data:`FOLDED`):
    the journal itself, by its base, its length and the CRC-32 of its bytes."""
    return {"base": list(journal.base), "end": journal.end, "crc": journal.crc}


def stale(journal: Journal, tables: dict[str, dict[str, Any]]) -> bool:
    """True when the journal is already in ``tables`` (the file's): a fold, which may also
    have written newer changes of its own, was killed after replacing the file and before
    removing the journal. Known by the note the fold left in the meta table."""
    meta = tables.get(META_TABLE, {}).get("1")
    return isinstance(meta, dict) and meta.get(FOLDED) == folded_note(journal)
