"""The case store: domain objects in, domain objects out, the file and the lock kept inside.

Every change is a read-modify-write done under the inter-process lock on the freshest
copy of the file, so two workbenches (or a workbench and a script) never lose each
other's changes. Callers hand over *what to do* to a case (a function), not a case
object that may be stale.
"""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from filelock import FileLock

import msgspec

from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.customers import (
    Customer,
    customer_for_case,
    customer_key,
    join_customers,
)
from workbench.domain.model import Case, format_case_id, parse_case_id
from workbench.domain.playbooks import Playbook
from workbench.paths import backups_dir, lock_path, real_db_path
from workbench.storage import files, journal, trust
from workbench.storage.backups import Backup, keep_backup, list_backups
from workbench.storage.customer_records import (
    check_customer_table,
    customer_from_record,
    customer_to_record,
    customers_from_table,
)
from workbench.storage.errors import (
    CaseNotFound,
    DatabaseUnreadable,
    LockTimeout,
    StoreError,
    WriteFailed,
    describe_os_error,
)
from workbench.storage.records import (
    RecordError,
    as_record,
    case_from_record,
    case_heads,
    case_to_record,
    cases_from_records,
    cases_without_steps,
    check_case_records,
)
from workbench.storage.safe_json import FileKey, SafeJSONStorage, atomic_write, load_tables
from workbench.storage.schema import (
    CASES_TABLE,
    CUSTOMERS_TABLE,
    Tables,
    highest_case_number,
    issue_up_to,
    last_case,
)
from workbench.storage.seam import (
    CaseRepository,
    Changes,
    check_customers_storable,
    check_storable,
    customers_to_load,
)

T = TypeVar("T")


def check_customers(tables: Tables) -> None:
    """Refuse a file whose customer records can't all be read back."""
    try:
        check_customer_table(tables.get(CUSTOMERS_TABLE, {}))
    except RecordError as error:
        raise DatabaseUnreadable(
            f"A customer record in the database is damaged ({error}).",
            "Run `workbench doctor` for details; the workbench will not write over it.",
        ) from None


def check_tables(tables: Tables) -> None:
    """Refuse a file whose case or customer records can't all be read back (see
    :mod:`records` and :mod:`customer_records`)."""
    check_customers(tables)
    try:
        check_case_records(tables.get(CASES_TABLE, {}))
    except RecordError as error:
        if error.problem.startswith("holds "):
            raise DatabaseUnreadable(
                f"{error.where.capitalize()} {error.problem}.",
                "Run `workbench doctor` for details; the workbench will not write over it.",
            ) from None
        raise DatabaseUnreadable(
            f"A case in the database is damaged ({error}).",
            "Run `workbench doctor` for details; the workbench will not write over it.",
        ) from None


class DatabaseLock:
    """The database's inter-process lock (:mod:`filelock`), made on first use: loading
    filelock is a fifth of a command's start, and a command that only reads never locks."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._lock: FileLock | None = None

    def _made(self) -> FileLock:
        if self._lock is None:
            from filelock import FileLock

            self._lock = FileLock(self.path, timeout=self.timeout, mode=0o600)
        return self._lock

    @property
    def is_locked(self) -> bool:
        return self._lock is not None and self._lock.is_locked

    def acquire(self) -> bool:
        """True once held; False when another process kept it past the timeout."""
        from filelock import Timeout

        try:
            self._made().acquire()
        except Timeout:
            return False
        return True

    def release(self) -> None:
        self._made().release()


@contextmanager
def _holding(lock: DatabaseLock, path: Path) -> Iterator[None]:
    """Hold the inter-process lock of the database at ``path``, or say why not."""
    if not path.parent.is_dir():  # the lock would otherwise create the folder
        raise WriteFailed(f"Could not save {path}: the folder {path.parent} does not exist.")
    st = files.existing(path)
    if st is not None and not stat.S_ISREG(st.st_mode):  # before any lock is made for it
        raise files.not_a_file(path, st.st_mode)
    _make_lock_file(path, None if st is None else files.Owner.of(st))
    try:
        held = lock.acquire()
    except OSError as error:
        raise WriteFailed(describe_os_error(error, lock_path(path), "lock")) from None
    if not held:
        raise LockTimeout(
            f"Another workbench kept {path.name} busy for {lock.timeout:.0f} seconds.",
            "Nothing was changed; try again in a moment.",
        )
    try:
        yield
    finally:
        lock.release()


def _make_lock_file(path: Path, owner: files.Owner | None) -> None:
    """Create the lock file beside the database if it is missing: never through a planted
    link, and belonging to the database's ``owner`` (an administrator's workbench must
    not leave a lock its owner can't open)."""
    try:
        files.create_private(lock_path(path), owner)
    except OSError as error:
        raise WriteFailed(describe_os_error(error, lock_path(path), "create the lock")) from None
    st = files.existing(lock_path(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteFailed(
            f"The lock {lock_path(path)} is {files.kind_of(st.st_mode)}, not a file; the "
            "workbench will not lock through it.",
            "Nothing was changed. Remove it; the workbench makes a new one.",
        )


class CaseStore:
    """Cases in one TinyDB file, safe to share between processes: the file backend of
    :class:`~workbench.storage.seam.CaseRepository`, whose promises every method keeps.

    The file is TinyDB's (``tinydb.TinyDB(path)`` reads it); the store reads and writes
    its tables through :class:`SafeJSONStorage` directly, because most case records are
    held as their bytes until a case is asked for (see :mod:`safe_json`).
    """

    def __init__(self, path: Path, *, lock_timeout: float = 15.0, backups: bool = True) -> None:
        path = real_db_path(path)  # resolved once: data, lock and backups beside the real file
        self.path = path
        self._lock = DatabaseLock(lock_path(path), lock_timeout)
        self._mutex = threading.RLock()
        self._storage = SafeJSONStorage(
            path,
            lock=self._lock,
            backups=backups_dir(path) if backups else None,
            check=check_tables,
            check_rest=check_customers,
        )

    def _tables(self) -> Tables:
        """The freshest tables (read again only if the file changed); {} with no file yet."""
        return self._storage.read() or {}

    @contextmanager
    def _locked(self) -> Iterator[Tables]:
        with self._mutex, _holding(self._lock, self.path):
            yield self._tables()

    @property
    def location(self) -> str:
        """The database file's path, for the title bar."""
        return str(self.path)

    @property
    def database_file(self) -> Path:
        return self.path

    # -- reading -------------------------------------------------------------------
    @property
    def writes(self) -> int:
        """How many times this store has written its file since it was opened: changes
        made in one :meth:`batch` cost one."""
        return self._storage.writes

    def file_key(self) -> FileKey | None:
        """Changes whenever the file is rewritten, by this process or another: poll it."""
        return self._storage.file_key()

    def changed_on_disk(self) -> bool:
        """True when another process has replaced the file since this store last saw it."""
        return self._storage.changed_on_disk()

    def changed_elsewhere(self) -> bool:
        """The seam's name for :meth:`changed_on_disk`: the file is the only place others
        can change the cases, and its identity says when they did."""
        return self._storage.changed_on_disk()

    def changes(self) -> Changes | None:
        """The cases others changed through the journal, by name; everything when the
        file was rewritten whole (it can't say which cases changed)."""
        with self._mutex:
            news = self._storage.take_news()
            if news is None:
                return None
            if news.everything:
                return Changes(everything=True)
            table = self._tables().get(CASES_TABLE, {})
            if not all(doc in table for doc in news.cases):
                return Changes(everything=True)  # a case gone since: read them all again
            cases = [self._read_case(table[doc]) for doc in sorted(news.cases, key=int)]
            return Changes(cases=cases, customers=news.customers)

    def fold(self, *, idle: float = 0.0) -> bool:
        """Fold the journal of changes into the file (rewrite it whole, then remove the
        journal) if there is one that has not been written for ``idle`` seconds; True if
        it did. A screen calls it every few seconds with a little idle time, so plain
        TinyDB sees every change soon after it is made, while a script's run of changes
        is folded once at its end (or when the journal is due) rather than after each."""
        with self._mutex:
            try:
                written = self._storage.journal_path.lstat().st_mtime
            except FileNotFoundError:
                return False
            except OSError as error:
                raise DatabaseUnreadable(
                    describe_os_error(error, self._storage.journal_path, "read")
                ) from None
            if idle and time.time() - written < idle:
                return False
            with self._locked() as tables:
                if not self._storage.has_journal():
                    return False
                self._storage.write(tables)
            return True

    def watch(self, wake: Callable[[], None]) -> None:
        """Nothing tells a file's readers of a change: they ask :meth:`changes` now and then."""

    def present(self, case_id: str | None, agent: str) -> None:
        """A file can't tell other screens which case is open here."""

    def others_on(self, case_id: str) -> list[str]:
        return []

    def all_cases(self) -> list[Case]:
        """Every case, built from the copy of the file in memory (read again only if it changed)."""
        with self._mutex:
            return self._read_all(cases_from_records)

    def cases_for_followups(self) -> list[Case]:
        """Every case without its playbook steps (``steps`` empty): for follow-up lists and
        exports, which never look at steps. Read-only: never hand these to :meth:`update`."""
        with self._mutex:
            return self._read_all(cases_without_steps)

    def case_heads(self) -> tuple[list[Case], list[object]]:
        """Every case without its steps and timeline, about three times quicker to read
        than :meth:`all_cases` (see :func:`records.case_heads`): for a first screen.

        Also returns the records they were read from, in the same order, for
        :meth:`whole_cases`. Read-only: never hand a head to :meth:`update`.
        """
        with self._mutex:
            held = list(self._tables().get(CASES_TABLE, {}).values())
            return self._read_all(case_heads, held), held

    def whole_cases(self, held: Sequence[object]) -> list[Case]:
        """Whole cases from records handed out by :meth:`case_heads`.

        Neither the file nor the lock is touched (held records are never changed in
        place, only replaced), so a thread can build them while others save.
        """
        try:
            return cases_from_records(held)
        except (RecordError, msgspec.DecodeError) as error:
            with self._mutex:
                raise self._damaged(error) from None

    def _read_all(
        self, read: Callable[[Iterable[object]], list[Case]], held: Iterable[object] | None = None
    ) -> list[Case]:
        if held is None:
            held = self._tables().get(CASES_TABLE, {}).values()
        try:
            return read(held)
        except (RecordError, msgspec.DecodeError) as error:
            raise self._damaged(error) from None

    def get(self, case_id: str) -> Case:
        number = parse_case_id(case_id)
        with self._mutex:
            record = self._tables().get(CASES_TABLE, {}).get(str(number))
            if record is None:
                raise CaseNotFound(format_case_id(number))
            return self._read_case(record)

    def _read_case(self, record: object) -> Case:
        """A held record as a case. Records are checked when the file is read, so a
        failure here means the note vouched for a file it should not have: drop the note
        (the next read checks the file whole) and refuse, as for any damaged file."""
        try:
            return case_from_record(as_record(record))
        except (RecordError, msgspec.DecodeError) as error:
            raise self._damaged(error) from None

    def _damaged(self, error: Exception, what: str = "A case") -> DatabaseUnreadable:
        trust.forget(self.path)
        self._storage.close()  # forget the tables held in memory too
        return DatabaseUnreadable(
            f"{what} in the database is damaged ({error}).",
            "Run `workbench doctor` for details; the workbench will not write over it.",
        )

    def take_notices(self) -> list[str]:
        """What the last changes had to say besides success (a backup that was skipped,
        and why), each once: show them to the user."""
        with self._mutex:
            return self._storage.take_notices()

    def count(self) -> int:
        with self._mutex:
            return len(self._tables().get(CASES_TABLE, {}))

    # -- changing ------------------------------------------------------------------
    def _save(
        self,
        tables: Tables,
        records: dict[str, Any],
        customers: dict[str, Any] | None = None,
    ) -> None:
        """Put ``records`` (by document id) into the cases table, and ``customers`` (by
        document id; None takes one out) into the customers table, and write the file.

        Everything is checked before the tables in memory are touched; on a failure to
        write they are dropped (the storage reads the file again), so a change that was
        not written never looks saved.
        """
        check_storable(records)  # the file's rules, before the file vouches for them
        if customers:
            check_customers_storable(r for r in customers.values() if r is not None)
            table = tables.setdefault(CUSTOMERS_TABLE, {})
            for doc_id, record in customers.items():
                if record is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = record
        tables.setdefault(CASES_TABLE, {}).update(records)
        changes: dict[str, dict[str, Any]] = {CASES_TABLE: records} if records else {}
        if customers:
            changes[CUSTOMERS_TABLE] = customers
        self._storage.write_changes(tables, changes)

    # -- customers -----------------------------------------------------------------
    @staticmethod
    def _customer_ids(tables: Tables) -> dict[str, str]:
        """Each customer's document id in the customers table, by key."""
        table = tables.get(CUSTOMERS_TABLE, {})
        return {record["key"]: doc_id for doc_id, record in table.items()}

    @staticmethod
    def _next_customer_id(table: dict[str, Any]) -> int:
        """The document number after the customers table's last."""
        return max((int(doc_id) for doc_id in table), default=0) + 1

    def _read_customer(self, record: object) -> Customer:
        try:
            return customer_from_record(record)
        except RecordError as error:
            raise self._damaged(error, "A customer record") from None

    def _customers_for(self, tables: Tables, cases: Iterable[Case]) -> dict[str, Any]:
        """The customer records to save with these cases (opened, or their customer or
        contact changed), by document id: new customers numbered after the last."""
        table = tables.get(CUSTOMERS_TABLE, {})
        ids = self._customer_ids(tables)
        changed: dict[str, Customer] = {}
        for case in cases:
            key = customer_key(case.customer)
            doc_id = ids.get(key)
            known = changed.get(key)
            if known is None and doc_id is not None:
                known = self._read_customer(table[doc_id])
            saved = customer_for_case(known, case)
            if saved is not None:
                changed[key] = saved
        if not changed:
            return {}
        after = self._next_customer_id(table)
        records = {}
        for key, customer in changed.items():
            doc_id = ids.get(key)
            if doc_id is None:
                doc_id, after = str(after), after + 1
            customer.revision += 1
            records[doc_id] = customer_to_record(customer)
        return records

    def customers(self) -> list[Customer]:
        with self._mutex:
            table = self._tables().get(CUSTOMERS_TABLE, {})
            try:
                return customers_from_table(table)
            except RecordError as error:
                raise self._damaged(error, "A customer record") from None

    def customer(self, name: str) -> Customer | None:
        with self._mutex:
            tables = self._tables()
            doc_id = self._customer_ids(tables).get(customer_key(name))
            if doc_id is None:
                return None
            return self._read_customer(tables[CUSTOMERS_TABLE][doc_id])

    def update_customer(self, name: str, change: Callable[[Customer], T]) -> tuple[Customer, T]:
        key = customer_key(name)
        if not key:
            raise StoreError("A customer needs a name.")
        with self._locked() as tables:
            table = tables.get(CUSTOMERS_TABLE, {})
            doc_id = self._customer_ids(tables).get(key)
            if doc_id is None:
                customer = Customer(name=name.strip())
                doc_id = str(self._next_customer_id(table))
                before = customer_to_record(customer)  # left blank: nothing to keep
            else:
                customer = self._read_customer(table[doc_id])
                before = customer_to_record(customer)
            result = change(customer)
            after = customer_to_record(customer)
            if after == before:
                return customer, result
            customer.revision += 1
            after["revision"] = customer.revision
            self._save(tables, {}, {doc_id: after})
        return customer, result

    def join_customers(self, gone: str, into: str) -> Customer:
        gone_key, into_key = customer_key(gone), customer_key(into)
        with self._locked() as tables:
            table = tables.get(CUSTOMERS_TABLE, {})
            ids = self._customer_ids(tables)
            gone_id, into_id = ids.get(gone_key), ids.get(into_key)
            kept = (
                Customer(name=into.strip())
                if into_id is None
                else self._read_customer(table[into_id])
            )
            if gone_key == into_key or gone_id is None:
                return kept
            join_customers(kept, self._read_customer(table[gone_id]))
            kept.revision += 1
            if into_id is None:
                into_id = str(self._next_customer_id(table))
            self._save(tables, {}, {into_id: customer_to_record(kept), gone_id: None})
        return kept

    def add(
        self,
        draft: CaseDraft,
        playbook: Playbook,
        now: datetime,
        *,
        contacted: bool | None = None,
        author: str = "",
    ) -> Case:
        """Open a new case; its id is handed out under the lock, so it is never shared."""
        with self._locked() as tables:
            number = self._next_number(tables)
            case = open_case(
                draft, format_case_id(number), playbook, now, contacted=contacted, author=author
            )
            case.revision = 1
            customers = self._customers_for(tables, [case])
            self._save(tables, {str(number): case_to_record(case)}, customers)
        return case

    def add_many(self, cases: Sequence[Case]) -> list[Case]:
        """Store ready-made cases in one write, numbering them after the existing ones."""
        with self._locked() as tables:
            first = self._next_number(tables)
            records = {}
            for offset, case in enumerate(cases):
                case.id = format_case_id(first + offset)
                case.revision = 1
                records[str(first + offset)] = case_to_record(case)
            self._save(tables, records, self._customers_for(tables, cases))
        return list(cases)

    def update(self, case_id: str, change: Callable[[Case], T]) -> tuple[Case, T]:
        """Apply ``change`` to the freshest copy of a case and save it, all under the lock.

        If ``change`` raises (a domain rule said no), nothing is written; if it changes
        nothing, nothing is written either (no new revision, no backup).
        """
        number = parse_case_id(case_id)
        with self._locked() as tables:
            record = tables.get(CASES_TABLE, {}).get(str(number))
            if record is None:
                raise CaseNotFound(format_case_id(number))
            case = self._read_case(record)
            before = case_to_record(case)
            result = change(case)
            after = case_to_record(case)
            if after == before:
                return case, result
            case.revision += 1
            after["revision"] = case.revision
            moved = (before["customer"], before["contact"]) != (case.customer, case.contact)
            customers = self._customers_for(tables, [case]) if moved else None
            self._save(tables, {str(number): after}, customers)
        return case, result

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Changes made inside are saved together: one hold of the lock, one write.

        If anything inside raises, or the write at the end fails, none of the batch's
        changes is saved (the file is as it was) and the error goes on to the caller.
        A domain rule refusing one change is the caller's to catch inside the batch;
        the changes before and after it are saved as usual.
        """
        storage = self._storage
        with self._mutex, _holding(self._lock, self.path):
            storage.read()  # the freshest copy, before changes are kept in memory
            storage.begin_batch()
            try:
                yield
            except BaseException:
                storage.abandon_batch()
                raise
            storage.end_batch()

    def issued(self) -> int:
        with self._mutex:
            return self._next_number(self._tables()) - 1

    def load_all(
        self,
        cases: Sequence[Case],
        issued: int,
        *,
        replace: bool = False,
        customers: Sequence[Customer] | None = None,
    ) -> None:
        """All the cases and customers in one write of the file (after its backup, as any
        first change), under the lock; the counter never goes down."""
        records = {str(case.number): case_to_record(case) for case in cases}
        loaded = customers_to_load(cases, customers)
        people = {str(n): record for n, record in enumerate(loaded, start=1)}
        with self._locked() as tables:
            held = len(tables.get(CASES_TABLE, {}))
            if held and not replace:
                raise StoreError(
                    f"{self.path} already holds {held:,} case(s); nothing was copied.",
                    "Copy into an empty database, or add --replace to put these in their place.",
                )
            counter = max(self._next_number(tables) - 1, issued, *(int(n) for n in records))
            check_storable(records)
            issue_up_to(tables, counter)
            tables[CASES_TABLE] = records
            tables[CUSTOMERS_TABLE] = people
            self._storage.write(tables)

    @staticmethod
    def _next_number(tables: Tables) -> int:
        """The number after the last one ever issued; call it while holding the lock.

        The meta table's counter remembers numbers whose cases are no longer in the file
        (archived); the highest case number present covers a file that lacks the counter.
        """
        return max(last_case(tables), highest_case_number(tables)) + 1

    def close(self) -> None:
        with self._mutex:
            self._storage.close()


if TYPE_CHECKING:  # mypy holds the file store to the seam's every method
    _FILE_BACKEND: type[CaseRepository] = CaseStore


# -- backups ---------------------------------------------------------------------------


def read_backup(path: Path) -> Tables:
    """A backup's tables, checked as strictly as the database itself.

    Raises :class:`DatabaseUnreadable` saying what is wrong with it.
    """
    raw = files.read_regular(path, what="backup")
    tables, _ = load_tables(raw, path)
    check_tables(tables)
    return tables


@dataclass(frozen=True)
class Restored:
    """What :func:`restore_backup` did."""

    backup: Backup
    """The backup put back (its file may since have rotated away; its bytes are in place)."""
    cases: int
    kept: Path | None
    """The copy of the file that was replaced, or None when there was no file."""
    journal_kept: Path | None = None
    """Where a journal of changes that could not be folded into the replaced file (it was
    unreadable) was moved, its changes kept as JSON lines; None when there was none."""


def restore_backup(db_path: Path, number: int, *, lock_timeout: float = 15.0) -> Restored:
    """Put backup ``number`` (1 = newest, as :func:`list_backups` orders them) in place.

    The backup is checked first; a damaged one is refused. Then, holding the database's
    lock so no running workbench is mid-write, the current file (even an unreadable one)
    is copied into the backups folder and the backup's bytes replace it atomically, as a
    new file readable by its owner only.
    """
    db_path = real_db_path(db_path)
    folder = backups_dir(db_path)
    found = list_backups(db_path, folder)
    if not found:
        raise StoreError(f"There are no backups of {db_path.name} in {folder}.")
    if not 1 <= number <= len(found):
        raise StoreError(
            f"There is no backup {number}; there are {len(found)} (1 is the newest).",
            "`workbench backups` lists them.",
        )
    chosen = found[number - 1]
    try:
        raw = files.read_regular(chosen.path, what="backup")
        tables, _ = load_tables(raw, chosen.path)
        check_tables(tables)
    except DatabaseUnreadable as error:
        raise StoreError(
            f"Backup {number} can't be restored: {error.message}",
            "Nothing was changed; choose another backup.",
        ) from None
    lock = DatabaseLock(lock_path(db_path), lock_timeout)
    with _holding(lock, db_path):
        journal_kept = _fold_or_set_aside(db_path, lock)
        kept: list[Path] = []

        def keep_current() -> None:  # once the restored bytes are safely on disk
            kept.append(keep_backup(db_path, folder))

        atomic_write(db_path, raw, before_replace=keep_current if db_path.exists() else None)
        trust.forget(db_path)
    return Restored(
        chosen, len(tables.get(CASES_TABLE, {})), kept[0] if kept else None, journal_kept
    )


def _fold_or_set_aside(db_path: Path, lock: DatabaseLock) -> Path | None:
    """Before a restore, holding ``lock``: fold the journal of changes into the current
    file, so the copy of it kept holds them too; a journal that can't be folded (the
    file is damaged, the usual reason to restore) is moved aside instead, and where it
    went returned."""
    where = journal.journal_path(db_path)
    if files.existing(where) is None:
        return None
    storage = SafeJSONStorage(db_path, lock=lock, check=check_tables, check_rest=check_customers)
    try:
        tables = storage.read()
        if tables is not None and storage.has_journal():
            storage.write(tables)
    except StoreError:
        pass
    finally:
        storage.close()
    if files.existing(where) is None:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = where.with_name(f"{where.name}-before-restore-{stamp}")
    if files.existing(aside) is not None:
        raise WriteFailed(f"Could not move {where} aside: {aside} is already there.")
    try:
        where.rename(aside)
    except OSError as error:
        raise WriteFailed(
            describe_os_error(error, where, "move aside"), "Nothing was restored."
        ) from None
    files.fsync_folder(db_path.parent)
    return aside
