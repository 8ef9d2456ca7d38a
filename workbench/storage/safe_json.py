"""A TinyDB storage that never tears, never clobbers, and never loses another process's change.

* **Atomic.** A write serialises first, writes a temporary file in the same folder,
  flushes and fsyncs it, renames it over the database with ``os.replace`` and fsyncs
  the folder. Killed at any instant, the file is the old version or the new one.
* **Private.** The temporary file is created 0600, so the database is too.
* **Shared safely.** Writes happen only while the caller holds the inter-process lock
  (the repository takes it around every read-modify-write), and only if the file on disk
  is still the version this process last read; a read reloads whenever another process
  has replaced the file since.
* **Refuses to overwrite what it can't read.** Corrupt JSON, a wrong shape, a newer
  schema or a permission problem raises :class:`DatabaseUnreadable`, and nothing is written.
* **Checks a file whole once.** A file is checked record by record the first time it is
  read; its version is then remembered (:mod:`trust`), and later reads of that same
  version, or of a version this workbench wrote, only scan its JSON. Case records are
  kept as their bytes (``msgspec.Raw``) until a case is asked for, and written back as
  those same bytes unless the case changed.

The file stays plain TinyDB JSON: ``tinydb.TinyDB(path)`` opens and reads it.
"""

from __future__ import annotations

import itertools
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol

import msgspec
from tinydb.storages import Storage

from workbench.storage import files, journal, trust
from workbench.storage.backups import keep_backup, partial_backups
from workbench.storage.errors import (
    DatabaseUnreadable,
    SchemaTooNew,
    WriteFailed,
    describe_os_error,
)
from workbench.storage.records import (
    RecordError,
    as_record,
    check_case_records,
    held_records_pass,
    no_gc_pauses,
)
from workbench.storage.schema import (
    CASES_TABLE,
    META_DOC_ID,
    META_TABLE,
    SCHEMA_VERSION,
    Tables,
    file_version,
    last_case,
    migrate,
    stamp,
)

JournalKey = tuple[int, int, int, int]
"""The journal's identity on disk: device, inode, size and modification time."""

FileKey = tuple[trust.Signature, JournalKey | None]
"""The file's identity on disk (see :func:`trust.signature`) and its journal's: changes
whenever the file is replaced or written in place, or a change is put in its journal."""


def journal_key(st: os.stat_result) -> JournalKey:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass
class News:
    """What changed on disk that this process did not change itself (see
    :meth:`SafeJSONStorage.take_news`)."""

    everything: bool = False
    """The file was read again whole: it can't say which records changed."""
    cases: set[str] = field(default_factory=set)
    """Case documents changed by journal lines read since."""
    customers: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.cases) or self.customers


RESTORE_HINT = (
    "The workbench will not write over it. Restore a backup (`workbench backups` lists "
    "them, `workbench restore N` puts one back) or move the file away (with its .journal, "
    "if there is one) to start afresh."
)
PERMISSION_HINT = "Check the file's permissions; the workbench will not write over it."


def parse_tables(raw: bytes, path: Path) -> Tables:
    """Decode and check a database file's bytes; raises :class:`DatabaseUnreadable`."""
    return load_tables(raw, path)[0]


def load_tables(raw: bytes, path: Path) -> tuple[Tables, int]:
    """The file's tables brought up to the current schema, and the schema version on disk.

    Raises :class:`DatabaseUnreadable` (or :class:`SchemaTooNew`) saying what is wrong.
    """
    name = path.name
    if not raw.strip():
        what = "empty (0 bytes)" if not raw else "blank"
        raise DatabaseUnreadable(f"The database file {path} is {what}.", RESTORE_HINT)
    data = _decode(raw, path)
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DatabaseUnreadable(
            f"{name} is JSON but not a workbench database: it should hold tables of records.",
            RESTORE_HINT,
        )
    try:
        version = file_version(data)
    except ValueError as error:
        raise DatabaseUnreadable(
            f"{name} is not a workbench database: {error}.", RESTORE_HINT
        ) from None
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{name} was written by a newer workbench (file schema {version}; this one "
            f"understands up to {SCHEMA_VERSION}).",
            "Upgrade the workbench to open it; this version will not change the file.",
        )
    try:
        tables = migrate(data, version)
    except (ValueError, KeyError, TypeError) as error:
        raise DatabaseUnreadable(
            f"{name} could not be brought up to date from schema {version}: {error}.",
            RESTORE_HINT,
        ) from None
    try:
        last_case(tables)
    except ValueError as error:
        raise DatabaseUnreadable(
            f"{name} is not a workbench database: {error}.", RESTORE_HINT
        ) from None
    return tables, version


def _decode(raw: bytes, path: Path) -> Any:
    """The file's JSON, decoded in C; the standard library only to explain a failure.

    The two agree on what is JSON except that Python also takes NaN and Infinity and
    lone surrogate escapes; the fallback keeps accepting what it always accepted.
    """
    try:
        with no_gc_pauses():
            return msgspec.json.decode(raw)
    except RecursionError:
        raise _too_deep(path) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        pass
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatabaseUnreadable(
            f"The database file {path} is not text: byte {error.start} is not UTF-8.",
            RESTORE_HINT,
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DatabaseUnreadable(
            f"The database file {path} is damaged: {error.msg.removesuffix(' at')} "
            f"at line {error.lineno}, column {error.colno}.",
            RESTORE_HINT,
        ) from None
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError:  # a number of thousands of digits
        raise DatabaseUnreadable(
            f"The database file {path} holds a number too long to be a real value.",
            RESTORE_HINT,
        ) from None


def _too_deep(path: Path) -> DatabaseUnreadable:
    return DatabaseUnreadable(
        f"The database file {path} is nested too deeply to be a workbench database.",
        RESTORE_HINT,
    )


_SCAN = msgspec.json.Decoder(dict[str, dict[str, msgspec.Raw]])


def scan_tables(raw: bytes) -> Tables | None:
    """The tables of a file already known to be good, each case record left as its bytes.

    About ten times quicker than decoding every record. Tables other than the cases are
    decoded in full. None when the file is not in the current schema or not in the
    shape this expects: read it with :func:`load_tables` then.
    """
    try:
        with no_gc_pauses():
            tables: Tables = _SCAN.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None
    try:
        for name, table in tables.items():
            if name != CASES_TABLE:
                tables[name] = {key: msgspec.json.decode(value) for key, value in table.items()}
        if file_version(tables) != SCHEMA_VERSION:
            return None
        last_case(tables)
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    return tables


class _ReadAgain(Exception):
    """The file was replaced while it and its journal were read: read both again."""


_BATCH = 2000
"""Records encoded together: the file is written in pieces of about this many records,
so a save never holds a second copy of the whole file in memory (132 MB at 50,000)."""


def encode_pieces(data: Tables) -> Iterator[bytes]:
    """The file's bytes for ``data`` in pieces that join to :func:`encode`'s output.

    Compact UTF-8 JSON made by msgspec, which copies records held as their bytes
    (``msgspec.Raw``) as they are; a batch holding text msgspec refuses (a lone
    surrogate) is written by the standard library, escaped to ASCII.
    """
    yield b"{"
    for index, (name, table) in enumerate(data.items()):
        yield (b"," if index else b"") + _encode_batch({name: {}})[1:-3] + b"{"
        items = iter(table.items())
        first = True
        while batch := dict(itertools.islice(items, _BATCH)):
            body = _encode_batch(batch)[1:-1]
            yield body if first else b"," + body
            first = False
        yield b"}"
    yield b"}"


def _encode_batch(batch: dict[str, Any]) -> bytes:
    try:
        return msgspec.json.encode(batch)
    except (UnicodeEncodeError, TypeError):
        plain = {
            key: msgspec.json.decode(value) if isinstance(value, msgspec.Raw) else value
            for key, value in batch.items()
        }
        return json.dumps(plain, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def encode(data: Tables) -> bytes:
    """The file's bytes for ``data``, whole (see :func:`encode_pieces`)."""
    return b"".join(encode_pieces(data))


def _write_payload(fd: int, pieces: Iterable[bytes]) -> None:
    """Write every piece to ``fd`` in order and force it to disk. Tests inject faults here."""
    files.write_all(fd, pieces)


def atomic_write(
    path: Path,
    payload: bytes | Iterable[bytes],
    *,
    before_replace: Callable[[], None] | None = None,
) -> int:
    """Replace ``path`` with ``payload`` atomically (see :func:`files.replace_file`): a new
    file is readable by its owner only, a replaced one keeps its owner and mode.

    Returns the new file's inode number."""
    return files.replace_file(
        path,
        payload,
        before_replace=before_replace,
        write=lambda fd, pieces: _write_payload(fd, pieces),
    )


class HeldLock(Protocol):
    """The database's inter-process lock, as the storage asks of it."""

    @property
    def is_locked(self) -> bool: ...


class SafeJSONStorage(Storage):
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock: HeldLock,
        backups: Path | None = None,
        check: Callable[[Tables], None] | None = None,
        check_rest: Callable[[Tables], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.journal_path = journal.journal_path(self.path)
        self._lock = lock
        self._backups = backups
        self._check = check
        self._check_rest = check_rest
        """What ``check`` checks besides the case records (which the quick shapes check
        when the file was scanned): the other tables."""
        self._data: Tables | None = None
        self._key: FileKey | None = None
        self._journal: journal.Journal | None = None
        """The journal as read and put on top of the file's tables (None: there is none,
        or it is stale and left out)."""
        self._stale = False
        """A journal is there whose records are all in the file already (a fold killed
        before it removed it): the next write removes it."""
        self._journaling = journal.enabled()
        self._current = False
        """The file on disk is in the current schema (else a change rewrites it whole)."""
        self._base: journal.Base | None = None
        self._owner: files.Owner | None = None
        self._held_fd: int | None = None
        self._backed_up = False
        self._swept = False
        self._news = News()
        self._seen_any = False
        self.notices: list[str] = []
        self._batching = False
        self._deferred = False
        self.writes = 0

    # -- reading -------------------------------------------------------------------
    def file_key(self) -> FileKey | None:
        """The identity of the file and its journal on disk now, or None when there is
        no file."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if self.journal_path.exists():
                raise DatabaseUnreadable(
                    f"The {journal.WHAT} {self.journal_path} is there without its "
                    f"database file {self.path}.",
                    "The file was moved or deleted: put it back, or move the journal away "
                    "too to start afresh.",
                ) from None
            return None
        except OSError as error:
            raise DatabaseUnreadable(describe_os_error(error, self.path, "read")) from None
        return trust.signature(st), self._journal_key()

    def _journal_key(self) -> JournalKey | None:
        """The journal's identity on disk now, or None when there is none."""
        try:
            return journal_key(os.lstat(self.journal_path))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise DatabaseUnreadable(
                describe_os_error(error, self.journal_path, "read"), journal.HINT
            ) from None

    def changed_on_disk(self) -> bool:
        """True when the file is no longer the version this process last read or wrote."""
        return self.file_key() != self._key

    def has_journal(self) -> bool:
        """True when changes wait in the journal to be folded into the file."""
        return self._journal is not None or self._stale

    def take_news(self) -> News | None:
        """What others changed since this was last asked (read first if the file or its
        journal changed), or None: case documents named when only the journal grew,
        ``everything`` when the file was read again whole."""
        self.read()
        news, self._news = self._news, News()
        return news or None

    def read(self) -> Tables | None:
        if self._batching and self._deferred:
            # Changes are held in memory for the batch's one write: never swap them for
            # what is on disk (or for nothing, when there is no file yet).
            if self.file_key() != self._key:
                self._changed_underneath()
            return self._data
        key = self.file_key()
        if key is None:
            self._forget()
            self._seen_any = True  # no file is a version too: one made next is news
            return None
        if key == self._key and self._data is not None:
            return self._data
        if self._grew(key):
            return self._read_tail(key)
        return self._load()

    def _grew(self, key: FileKey) -> bool:
        """True when only the journal changed since the last read: lines put at its end,
        or a journal begun where there was none."""
        if self._data is None or self._key is None or self._stale:
            return False
        (file_was, journal_was), (file_now, journal_now) = self._key, key
        if file_now != file_was or journal_now is None:
            return False
        if journal_was is None:
            return self._journal is None
        return (
            self._journal is not None
            and journal_now[:2] == journal_was[:2]
            and journal_now[2] >= journal_was[2]
        )

    def _read_tail(self, key: FileKey) -> Tables | None:
        """Put the journal's new lines (or a new journal's) on top of the tables held; the
        whole file and journal are read again instead when either turns out to be another
        than the one seen growing (a fold, and a new journal begun, meanwhile)."""
        assert self._data is not None and self._owner is not None
        known = self._journal
        before = 0 if known is None else len(known.entries)
        try:
            fd = journal.open_journal(self.journal_path, self._owner.uid)
            if fd is None:  # folded meanwhile: the file was replaced too
                return self._load()
            try:
                # The file still the one seen, once the journal is open: then the journal
                # is the one seen growing (a fold replaces the file before it removes the
                # journal, and a new journal comes after; its inode may be the old one's).
                if self._signature() != key[0]:
                    return self._load()
                jkey = journal_key(os.fstat(fd))
                found = journal.read_journal(fd, self.journal_path, known)
            except journal.Rewritten:
                return self._load()
            finally:
                os.close(fd)
            if found is None or found.base != self._base:
                return self._load()  # a fold's leftovers, or a journal of a newer file
            self._put_on(self._data, found.entries[before:])
        except BaseException:
            self._forget()
            raise
        self._journal = found
        self._key = (key[0], jkey)
        return self._data

    def _signature(self) -> trust.Signature | None:
        try:
            return trust.signature(self.path.stat())
        except OSError:
            return None

    def _load(self) -> Tables | None:
        for _ in range(20):  # the file may be folded and replaced while it is read
            try:
                return self._load_once()
            except _ReadAgain:
                continue
        raise DatabaseUnreadable(
            f"{self.path} kept changing while it was read.", "Try again in a moment."
        )

    def _load_once(self) -> Tables | None:
        journal_before = self.journal_path.exists()
        try:
            fd = files.open_regular(self.path, hint=PERMISSION_HINT)
        except FileNotFoundError:
            self._forget()
            return None
        try:
            st = os.fstat(fd)
            raw = files.read_bounded(fd, self.path, hint=PERMISSION_HINT)
            key = trust.signature(st)
            crc = zlib.crc32(raw)
            data = self._tables_of(raw, key, crc)
            found = self._journal_of(data, st, journal.base_of(len(raw), crc))
            if journal_before and found is None and self._signature() != key:
                # The journal there when the file was opened was folded into a newer file
                # (and removed) before it could be read: this file alone would miss it.
                # Without a journal before, the file read is a whole version, if not the
                # newest: no need to read again (whole writes may come faster than a read).
                raise _ReadAgain
        except BaseException:
            os.close(fd)
            self._forget()
            raise
        # Keeping the file open pins its inode, so a later replacement can never reuse the
        # inode number and look unchanged.
        self._hold(fd)
        if self._seen_any:
            self._news.everything = True
        else:  # the first read: nothing is news yet
            self._news = News()
        self._seen_any = True
        self._data = data
        self._key = (key, found)
        return data

    def _tables_of(self, raw: bytes, sig: trust.Signature, crc: int) -> Tables:
        """The file's tables: scanned when this version of it is known good, else checked
        whole (and then remembered as good). ``crc`` is the CRC-32 of ``raw``."""
        if self._check is None:
            tables, version = load_tables(raw, self.path)
            self._current = version == SCHEMA_VERSION
            return tables
        scanned = scan_tables(raw)
        self._current = scanned is not None
        if scanned is not None:
            if trust.is_checked(self.path, sig, crc):
                return scanned
            if held_records_pass(scanned.get(CASES_TABLE, {})):
                if self._check_rest is not None:
                    self._check_rest(scanned)
                trust.remember(self.path, sig, crc)
                return scanned
        data, version = load_tables(raw, self.path)
        self._check(data)
        if version == SCHEMA_VERSION and scanned is not None:
            # Passed the strict reader: keep the records as bytes all the same (a fraction
            # of the memory); a record the shapes refused is decoded the strict way later.
            trust.remember(self.path, sig, crc)
            return scanned
        return data

    def _journal_of(
        self, data: Tables, st: os.stat_result, base: journal.Base
    ) -> JournalKey | None:
        """Put the journal (if any) on top of the file's tables ``data`` (the file of
        ``st``, whose bytes are ``base``) and return its key. Raises :class:`_ReadAgain`
        when it continues another version of the file and the file has been replaced
        since it was opened."""
        self._journal, self._stale = None, False
        self._base, self._owner = base, files.Owner.of(st)
        read = journal.read_file(self.journal_path, st.st_uid)
        if read is None:
            return None
        jkey, found = journal_key(read[0]), read[1]
        if found is None:  # nothing but a line cut short: left out, and removed next write
            self._stale = True
            return jkey
        if found.base != self._base:
            if journal.stale(found, data):
                self._stale = True
                return jkey
            if self._signature() != trust.signature(st):  # replaced since it was opened
                raise _ReadAgain
            raise DatabaseUnreadable(
                f"The {journal.WHAT} {self.journal_path} continues another version of "
                f"{self.path.name}: its changes can't be put on this one.",
                journal.HINT,
            )
        self._put_on(data, found.entries)
        self._journal = found
        return jkey

    def _put_on(self, data: Tables, entries: list[journal.Changes]) -> None:
        """Apply journal lines to ``data`` and check what they brought, as strictly as a
        file read whole (raises :class:`DatabaseUnreadable`); noted as news."""
        left, customers = journal.put_on(data, entries)
        cases = left[CASES_TABLE]
        live = {doc_id: r for doc_id, r in cases.items() if r is not None}
        try:
            if live and not held_records_pass(live):
                check_case_records({doc_id: as_record(r) for doc_id, r in live.items()})
            if customers and self._check_rest is not None:
                self._check_rest(data)
            if file_version(data) != SCHEMA_VERSION:
                raise ValueError("its meta table names another schema")
            last_case(data)
        except (RecordError, ValueError, TypeError, KeyError, msgspec.DecodeError) as error:
            raise DatabaseUnreadable(
                f"The {journal.WHAT} {self.journal_path} holds a change that can't be "
                f"read ({error}).",
                journal.HINT,
            ) from None
        if any(record is None for record in cases.values()):
            self._news.everything = True
        self._news.cases.update(cases)
        self._news.customers = self._news.customers or customers

    # -- writing -------------------------------------------------------------------
    def begin_batch(self) -> None:
        """Hold writes back until :meth:`end_batch`: many changes, one write of the file.

        Call it while holding the lock, and keep holding it until the batch ends, so the
        file can't change underneath the changes kept in memory meanwhile.
        """
        self._batching = True
        self._deferred = False

    def end_batch(self) -> None:
        """Write what the batch changed, if anything; raises as :meth:`write` does."""
        self._batching = False
        if self._deferred:
            self._deferred = False
            assert self._data is not None
            self.write(self._data)

    def abandon_batch(self) -> None:
        """Forget what the batch changed in memory; the file was not touched."""
        self._batching = False
        if self._deferred:
            self._deferred = False
            self._forget()

    def write(self, data: dict[str, Any]) -> None:
        if not self._lock.is_locked:
            raise RuntimeError("database writes must happen while holding the lock")
        on_disk = self.file_key()
        if on_disk != self._key:
            self._changed_underneath()
        if self._batching:  # kept for the batch's one write, at its end
            self._data = data
            self._deferred = True
            return
        if on_disk is not None:
            self._check_still_readable()
        stamp(data)
        if self._journal is not None:  # folded in: a journal left by a kill is known by this
            data[META_TABLE][META_DOC_ID][journal.FOLDED] = journal.folded_note(self._journal)
        try:
            crc = size = 0

            def pieces() -> Iterator[bytes]:
                nonlocal crc, size
                for piece in encode_pieces(data):
                    crc = zlib.crc32(piece, crc)
                    size += len(piece)
                    yield piece

            if not self._swept:
                self._sweep_leftovers()
            backup = None
            if on_disk is not None and not self._backed_up and self._backups is not None:
                backup = self._keep_backup
            written = atomic_write(self.path, pieces(), before_replace=backup)
        except BaseException:
            # The caller changed our cached tables in place; drop them so the next read
            # comes from what is really on disk.
            self._forget()
            raise
        self.writes += 1
        try:
            fd = os.open(self.path, os.O_RDONLY)
            st = os.fstat(fd)
        except OSError:
            self._forget()  # saved all the same; the next read loads it from disk
            return
        key = trust.signature(st)
        if self._check is not None and st.st_ino == written:
            # Every record written was checked: read from a checked file, or checked by
            # the repository before it was handed over. (Another inode here would be a
            # file put in place by someone not holding the lock: never vouch for it.)
            trust.remember(self.path, key, crc)
        self._hold(fd)
        self._data = data
        self._seen_any = True
        self._base, self._owner = journal.base_of(size, crc), files.Owner.of(st)
        self._journal, self._stale, self._current = None, False, True
        jkey = None
        if on_disk is not None and on_disk[1] is not None:
            # Folded: every change of the journal is in the file now. Removing it can
            # fail only on a folder that refuses changes; it is then known stale (its
            # records are all in the file) and removed by the next write.
            try:
                journal.remove(self.journal_path)
            except WriteFailed:
                self._stale = True
                jkey = self._journal_key()
        self._key = (key, jkey)

    def write_changes(self, data: Tables, changes: journal.Changes) -> None:
        """Save ``data``, whose documents named in ``changes`` (table → document id →
        record, None for one taken out) are all that changed since it was read: as one
        line of the journal when the file is there and the journal is not due to be
        folded, else by writing the file whole (:meth:`write`).

        Call it holding the lock, as :meth:`write`; raises as it does, nothing saved.
        """
        if not self._lock.is_locked:
            raise RuntimeError("database writes must happen while holding the lock")
        on_disk = self.file_key()
        if on_disk != self._key:
            self._changed_underneath()
        if self._batching or on_disk is None or self._fold_due(on_disk):
            self.write(data)
            return
        assert self._base is not None and self._owner is not None
        stamp(data)
        line = dict(changes)
        line[META_TABLE] = {META_DOC_ID: data[META_TABLE][META_DOC_ID]}
        try:
            if self._stale:
                journal.remove(self.journal_path)
                self._stale = False
            self._journal = journal.append(
                self.journal_path, line, base=self._base, known=self._journal, owner=self._owner
            )
        except BaseException:
            self._forget()  # the tables in memory hold the change: read the disk again
            raise
        self.writes += 1
        self._data = data
        self._key = (on_disk[0], self._journal_key())

    def _fold_due(self, on_disk: FileKey) -> bool:
        """True when this change should fold the journal into the file (rewrite it)."""
        if not self._current or not self._journaling:
            return True  # an older schema on disk: brought up to date whole first
        return journal.fold_due(0 if self._journal is None else self._journal.end, on_disk[0][2])

    def _keep_backup(self) -> None:
        """The session's backup of the file about to be replaced, taken once the new
        version is safely on disk. A backup that can't be made (the disk has room for the
        change but not for a copy, a backups folder that is a link) does not stop the
        change: it is skipped and a notice says so."""
        assert self._backups is not None
        try:
            keep_backup(self.path, self._backups)
        except WriteFailed as error:
            self.notices.append(f"No backup was kept before this change: {error.message}")
            return
        self._backed_up = True

    def _sweep_leftovers(self) -> None:
        """Delete what saves and backups killed half-way left behind (once a session,
        holding the lock, and only files old enough that no live save can own them)."""
        self._swept = True
        found = list(files.leftovers(self.path.parent, files.temp_names(self.path)))
        if self._backups is not None:
            found += partial_backups(self.path, self._backups)
        files.sweep(found)

    def take_notices(self) -> list[str]:
        """What the last writes had to say besides success (a skipped backup), once."""
        notices, self.notices = self.notices, []
        return notices

    def _changed_underneath(self) -> NoReturn:
        """Refuse to write over a file replaced since this process read it (the lock was
        not respected, or the change began from an older copy)."""
        self._forget()
        raise WriteFailed(
            "The database changed on disk while this change was being made; nothing was written.",
            "Try again.",
        )

    def _check_still_readable(self) -> None:
        """Refuse to replace a file this process may no longer read (its mode was changed)."""
        try:
            os.close(os.open(self.path, os.O_RDONLY))
        except OSError as error:
            self._forget()
            raise DatabaseUnreadable(
                describe_os_error(error, self.path, "read"), PERMISSION_HINT
            ) from None

    # -- bookkeeping ---------------------------------------------------------------
    def _hold(self, fd: int) -> None:
        if self._held_fd is not None:
            os.close(self._held_fd)
        self._held_fd = fd

    def _forget(self) -> None:
        self._data = None
        self._key = None
        self._journal, self._stale = None, False
        if self._held_fd is not None:
            os.close(self._held_fd)
            self._held_fd = None

    def close(self) -> None:
        self._forget()
