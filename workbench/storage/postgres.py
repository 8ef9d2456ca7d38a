"""Cases on a PostgreSQL server: the team's backend of the storage seam.

Everything lives in the schema ``workbench`` of the database the URL names:

* ``cases``: one row per case, the same record as the file's (JSONB, checked by the same
  rules before it is written and again when it is read), beside the columns a list
  filters and sorts on (status, heat, customer, owner, next follow-up, last change) and
  the case's revision;
* ``case_number``: a sequence, so two agents never get the same case id, even for a
  case no longer kept;
* ``meta``: the schema's version and the change counter;
* ``customers``: one row per customer (their key, the record as the file's, its revision),
  made in the same transaction as the customer's first case.

A change is the domain's function applied, in one transaction, to the row as it is in
the database, locked (``SELECT … FOR UPDATE``) until the transaction ends: two agents
changing one case wait for each other and neither loses the other's change. Every
change adds one to the change counter in the same transaction, which is how a handle
knows that someone else changed something (:meth:`PostgresStore.changed_elsewhere`),
and sends ``NOTIFY workbench_cases`` with the case's number when it commits.

The schema is created and brought up to date by the first workbench that opens the
database (numbered migrations under an advisory lock, so two starting at once don't
both migrate); a schema newer than this workbench knows is refused, as a newer file is.
SQL is only ever sent with its values as parameters. The URL's password is never shown:
:attr:`PostgresStore.location` names the server, the database and the user only.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, LiteralString, TypeVar

import msgspec
import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from workbench.domain import limits
from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.customers import (
    Customer,
    customer_for_case,
    customer_key,
    join_customers,
)
from workbench.domain.model import Case, format_case_id, parse_case_id
from workbench.domain.playbooks import Playbook
from workbench.storage.customer_records import (
    customer_from_record,
    customer_records_from,
    customer_to_record,
)
from workbench.storage.doctor import Finding, Level
from workbench.storage.errors import (
    CaseNotFound,
    ChangeRefused,
    DatabaseUnreadable,
    SchemaTooNew,
    StoreError,
    WriteFailed,
)
from workbench.storage.records import (
    Record,
    RecordError,
    case_from_record,
    case_heads,
    case_to_record,
    cases_from_records,
    cases_without_steps,
    check_case_records,
    held_records_pass,
)
from workbench.storage.seam import (
    CaseRepository,
    Changes,
    check_customers_storable,
    check_storable,
    customers_to_load,
)

T = TypeVar("T")

CHANNEL = "workbench_cases"
"""The NOTIFY channel: its payload is the number of the case that changed."""
APPLICATION_NAME = "workbench"
"""How the workbench's connections are named in ``pg_stat_activity``."""
LISTENER_NAME = "workbench (listening)"
"""The name of a screen's connection that listens for changes and presence."""
PRESENCE_CHANNEL = "workbench_presence"
"""Where each screen says which case it has open: ``{"agent": …, "case": …}``."""
PRESENCE_BEAT = 10.0
"""Seconds between a screen's reminders of the case it has open."""
PRESENCE_LASTS = 25.0
"""A screen not heard from for this long no longer counts as having the case open."""
DOCTOR_CHANNEL = "workbench_doctor"
"""Where ``doctor`` sends its own test notice (not to the cases' channel: no screen wakes)."""
NOTIFY_EACH = 50
"""Up to this many cases written together, a notice each; more, one notice "*"."""

CUSTOMERS_NOTICE = "customers"
"""The payload of the notice sent when a customer's record changed."""


def _customer_records(conn: psycopg.Connection[Any]) -> None:
    """4: the customers table, filled with a record for every customer named on a case
    (as the file's schema 6 does: the name as most often written, the contacts the newest
    case's first). Keys are worked out here, not in SQL: the server's lower() is not
    Python's casefold() for every letter."""
    conn.execute(
        """
        CREATE TABLE workbench.customers (
            key text PRIMARY KEY,
            revision integer NOT NULL,
            record jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    rows = conn.execute(
        "SELECT number, customer, coalesce(record->>'contact', '') FROM workbench.cases"
    ).fetchall()
    records = customer_records_from(rows)
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO workbench.customers (key, revision, record) VALUES (%s, %s, %s)",
            [(record["key"], record["revision"], Jsonb(record)) for record in records],
        )


Migration = LiteralString | Callable[[psycopg.Connection[Any]], None]

MIGRATIONS: tuple[Migration, ...] = (
    # 1: the cases, their numbers and the change counter.
    """
    CREATE TABLE workbench.meta (key text PRIMARY KEY, value bigint NOT NULL);
    CREATE SEQUENCE workbench.case_number AS integer MINVALUE 1 MAXVALUE 999999999;
    CREATE TABLE workbench.cases (
        number integer PRIMARY KEY CHECK (number BETWEEN 1 AND 999999999),
        revision integer NOT NULL,
        record jsonb NOT NULL,
        status text NOT NULL,
        heat text NOT NULL,
        customer text NOT NULL,
        owner text,
        next_followup timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX cases_status ON workbench.cases (status);
    CREATE INDEX cases_next_followup ON workbench.cases (next_followup);
    INSERT INTO workbench.meta (key, value) VALUES ('changes', 0);
    """,
    # 2: owners and authors in the records (the file's version 4); the owner column
    # filled from them. A version 1 workbench would drop them on its next change.
    """
    UPDATE workbench.cases SET owner = NULLIF(record->>'owner', '');
    CREATE INDEX cases_owner ON workbench.cases (owner);
    """,
    # 3: follow-ups' results, whether the customer was satisfied and the time spent, in
    # the records (the file's version 5); nothing to change in the tables. A version 2
    # workbench would drop them on its next change, so it is refused the database instead.
    """
    SELECT 1;
    """,
    # 4: customers' records of their own (the file's version 6), built from the cases.
    _customer_records,
    # 5: a follow-up may wake a waiting case (the file's version 7); nothing to change in
    # the tables. A version 4 workbench would drop the mark on its next change.
    """
    SELECT 1;
    """,
    # 6: a case may be escalated (the file's version 8); nothing to change in the tables.
    # A version 5 workbench would refuse the event and drop the mark.
    """
    SELECT 1;
    """,
)
"""Each migration's SQL, as it was first released: never changed afterwards (a database
migrated by it would not be migrated again), only followed by a new one. The highest case
number is :data:`workbench.domain.limits.MAX_CASE_NUMBER`, written out."""
SCHEMA_VERSION = len(MIGRATIONS)

_MIGRATION_LOCK = 0x77_6F_72_6B  # "work": the advisory lock held while migrating


def describe_server(url: str) -> str:
    """The server, database and user a URL names, in words, with no password: for the
    title bar, messages and logs. Unset parts are libpq's defaults (``PGHOST`` and so on)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "a PostgreSQL server (the address could not be read)"
    host = str(parts.get("host") or "the local server")
    port = parts.get("port")
    where = f"{host}:{port}" if port else host
    database = parts.get("dbname")
    user = parts.get("user")
    text = f"PostgreSQL {database} on {where}" if database else f"PostgreSQL on {where}"
    return f"{text} as {user}" if user else text


def _unreachable(url: str, error: Exception) -> StoreError:
    """A connection that failed, in one sentence: libpq's reason, never the password (libpq
    does not repeat it; the URL itself is never quoted)."""
    return StoreError(
        f"Could not reach {describe_server(url)}: {_first_line(error)}",
        "Check the address, that the server is running, and your password (PGPASSFILE).",
    )


class PostgresStore:
    """Cases on a PostgreSQL server, shared by every agent's workbench: the server
    backend of :class:`~workbench.storage.seam.CaseRepository`, whose promises every
    method keeps."""

    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float = 10.0,
        pool_size: int = 3,
        pooled: bool = True,
    ) -> None:
        """``pooled``: connections from a pool, for a screen's several threads; without, one
        connection (the first, kept), for a command that runs for a moment."""
        self.url = url
        self._where = describe_server(url)
        self._mutex = threading.RLock()
        self._seen = -1  # the change counter as this handle last saw it
        self._written: tuple[int, int] | None = None
        """The change counter before and after this transaction's writes, until it commits."""
        self._batch: psycopg.Connection[Any] | None = None
        self._dead = False
        self._own_pids: set[int] = set()
        """Server processes of this handle's connections: their notices are its own."""
        self._listener: _Listener | None = None
        self._connect_timeout = max(1, int(connect_timeout))
        self._single: psycopg.Connection[Any] | None = None
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        try:  # a first connection of our own: its failure says why, where a pool's can't
            conn = self._connect()
        except psycopg.OperationalError as error:
            raise _unreachable(url, error) from None
        try:
            migrate(conn, self._where)
            # Changes counted from here: what came before, the first read brings.
            self._seen = int(_one(_counter(conn)))
        except BaseException:
            conn.close()
            raise
        if not pooled:
            self._single = conn
            return
        conn.close()
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            timeout=connect_timeout,
            check=ConnectionPool.check_connection,
            name="workbench",
            kwargs={"application_name": APPLICATION_NAME, "autocommit": True},
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout)
        except PoolTimeout:
            self._pool.close()
            raise StoreError(f"Could not reach {self._where} in time.") from None

    @property
    def location(self) -> str:
        return self._where

    @property
    def database_file(self) -> None:
        return None

    # -- connections -------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        # autocommit: nothing runs outside the transaction() blocks, which BEGIN and COMMIT
        # (outside them, a query would leave a transaction open that nothing commits)
        return psycopg.connect(
            self.url,
            autocommit=True,
            connect_timeout=self._connect_timeout,
            application_name=APPLICATION_NAME,
        )

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection from the pool, or this handle's one (made again if it was lost)."""
        if self._pool is not None:
            with self._pool.connection() as conn:
                yield conn
            return
        if self._single is None or self._single.closed or self._single.broken:
            self._single = self._connect()
        yield self._single

    @contextmanager
    def _transaction(self, *, writing: bool) -> Iterator[psycopg.Connection[Any]]:
        """One transaction (a savepoint inside a batch); a lost connection or a server
        that did not answer, in words; when it commits, what this handle wrote it has
        seen."""
        if self._batch is not None:
            with self._batch.transaction():
                yield self._batch
            return
        try:
            with self._connection() as conn, conn.transaction():
                yield conn
        except PoolTimeout:
            raise self._failed(writing, "the server did not answer in time") from None
        except psycopg.OperationalError as error:
            raise self._failed(writing, _first_line(error)) from None
        finally:
            written, self._written = self._written, None
        if written is not None:
            self._saw_own(written)

    def _saw_own(self, written: tuple[int, int]) -> None:
        """After a commit: the change counter before and after this handle's writes. If it
        stood where this handle last saw it, no one else wrote meanwhile."""
        before, after = written
        if before == self._seen:
            self._seen = after

    def _failed(self, writing: bool, reason: str) -> StoreError:
        if writing:
            return WriteFailed(
                f"Could not save to {self._where}: {reason}.",
                "Nothing was changed there; the workbench tries again.",
            )
        return StoreError(f"Could not read from {self._where}: {reason}.")

    # -- reading -----------------------------------------------------------------------
    def _rows(
        self, numbers: Sequence[int] | None = None, *, heads: bool = False
    ) -> dict[str, msgspec.Raw]:
        """Case records by number, as their JSON bytes, checked as the file's are: a
        record that can't be read back is refused with its case named. ``heads``: every
        case without its steps and timeline (most of a record's bytes), for a first
        screen; the rest is checked when the whole cases are read."""
        with self._mutex, self._transaction(writing=False) as conn:
            changes = _one(_counter(conn))
            if numbers is None and heads:
                cursor = conn.execute(
                    "SELECT number, (record - 'steps' - 'timeline')::text"
                    " FROM workbench.cases ORDER BY number"
                )
            elif numbers is None:
                cursor = conn.execute(
                    "SELECT number, record::text FROM workbench.cases ORDER BY number"
                )
            else:
                cursor = conn.execute(
                    "SELECT number, record::text FROM workbench.cases"
                    " WHERE number = ANY(%s) ORDER BY number",
                    (list(numbers),),
                )
            rows = {str(number): msgspec.Raw(text.encode()) for number, text in cursor}
            if numbers is None:  # every case read: whatever was counted, this handle saw
                self._seen = changes
        try:
            _check_rows(rows)
        except (RecordError, msgspec.DecodeError) as error:
            raise self._damaged(error) from None
        return rows

    def _damaged(self, error: Exception) -> DatabaseUnreadable:
        return DatabaseUnreadable(
            f"A case in {self._where} is damaged ({error}).",
            "The workbench will not change it; correct or remove that row.",
        )

    def count(self) -> int:
        with self._mutex, self._transaction(writing=False) as conn:
            return int(_one(conn.execute("SELECT count(*) FROM workbench.cases").fetchone()))

    def all_cases(self) -> list[Case]:
        return cases_from_records(self._rows().values())

    def cases_for_followups(self) -> list[Case]:
        return cases_without_steps(self._rows().values())

    def case_heads(self) -> tuple[list[Case], list[object]]:
        """Every case without its steps and timeline, read without them (27% of the bytes
        of whole records at 10,000 demo cases: 7.5 MB of 28.2); what is held for each is
        its number."""
        rows = self._rows(heads=True)
        held: list[object] = [int(number) for number in rows]
        return case_heads(rows.values()), held

    def whole_cases(self, held: Sequence[object]) -> list[Case]:
        """The whole cases of numbers from :meth:`case_heads`, read now: a case changed
        since comes as it is now (newer than its head), as the server's notice of it
        would bring it anyway."""
        numbers = [number for number in held if isinstance(number, int)]
        if len(numbers) != len(held):
            raise TypeError("whole_cases takes what case_heads held: case numbers")
        return cases_from_records(self._rows(numbers).values())

    def get(self, case_id: str) -> Case:
        number = parse_case_id(case_id)
        rows = self._rows([number])
        if not rows:
            raise CaseNotFound(format_case_id(number))
        return cases_from_records(rows.values())[0]

    def changed_elsewhere(self) -> bool:
        with self._mutex, self._transaction(writing=False) as conn:
            return bool(_one(_counter(conn)) != self._seen)

    def fold(self, *, idle: float = 0.0) -> bool:
        """Every change is in its lasting place once its transaction commits."""
        return False

    def changes(self) -> Changes | None:
        """The cases others changed, from the server's notices (a thread listens on a
        connection of its own from the first time this is asked); everything when this
        handle was not listening, or lost the connection meanwhile and may have missed
        notices."""
        if self._listener is None:
            self._listening()
            return Changes(everything=True) if self.changed_elsewhere() else None
        numbers, missed, customers = self._listener.take()
        if missed:
            return Changes(everything=True)
        if not numbers and not customers:
            return None
        rows = self._rows(sorted(numbers)) if numbers else {}
        if not rows and not customers:
            return None
        return Changes(cases_from_records(rows.values()), customers=customers)

    def watch(self, wake: Callable[[], None]) -> None:
        if self._listener is None:
            # Changes since this handle last read, before the listener started, are
            # counted, not noticed: the counter says whether there were any.
            self._listening().missed = self.changed_elsewhere()
        assert self._listener is not None
        self._listener.wake = wake

    def _listening(self) -> _Listener:
        """The thread listening for others' changes and screens, started on first need.
        Once started, asking for it takes no lock: the screen asks on every cursor move,
        and the store's lock may be held by a save waiting on the server."""
        listener = self._listener
        if listener is not None:
            return listener
        with self._mutex:
            if self._listener is None:
                self._listener = _Listener(self.url, self._own_pids)
            return self._listener

    def present(self, case_id: str | None, agent: str) -> None:
        """Tell the other screens that ``agent`` has this case open here (None: none)."""
        number = None if case_id is None else parse_case_id(case_id)
        self._listening().open_case(number, agent)

    def others_on(self, case_id: str) -> list[str]:
        """The agents whose screens have this case open now, besides this one."""
        if self._listener is None:
            return []
        return self._listener.others_on(parse_case_id(case_id))

    def take_notices(self) -> list[str]:
        return []

    # -- changing ----------------------------------------------------------------------
    def add(
        self,
        draft: CaseDraft,
        playbook: Playbook,
        now: datetime,
        *,
        contacted: bool | None = None,
        author: str = "",
    ) -> Case:
        case = open_case(
            draft, format_case_id(1), playbook, now, contacted=contacted, author=author
        )
        return self.add_many([case])[0]

    def add_many(self, cases: Sequence[Case]) -> list[Case]:
        if not cases:
            return []
        with self._mutex, self._transaction(writing=True) as conn:
            numbers = [
                _one(row)
                for row in conn.execute(
                    "SELECT nextval('workbench.case_number') FROM generate_series(1, %s)",
                    (len(cases),),
                )
            ]
            for number, case in zip(numbers, cases, strict=True):
                case.id, case.revision = format_case_id(number), 1
            self._write(conn, [(case, case_to_record(case)) for case in cases], new=True)
            self._keep_customers(conn, cases)
        return list(cases)

    def update(self, case_id: str, change: Callable[[Case], T]) -> tuple[Case, T]:
        number = parse_case_id(case_id)
        with self._mutex, self._transaction(writing=True) as conn:
            row = conn.execute(
                "SELECT record FROM workbench.cases WHERE number = %s FOR UPDATE", (number,)
            ).fetchone()
            if row is None:
                raise CaseNotFound(format_case_id(number))
            try:
                case = case_from_record(row[0], where=f"case {format_case_id(number)}")
            except RecordError as error:
                raise self._damaged(error) from None
            before = case_to_record(case)
            result = change(case)
            after = case_to_record(case)
            if after == before:
                return case, result
            case.revision += 1
            after["revision"] = case.revision
            self._write(conn, [(case, after)], new=False)
            if (before["customer"], before["contact"]) != (case.customer, case.contact):
                self._keep_customers(conn, [case])
        return case, result

    # -- customers ---------------------------------------------------------------------
    def _keep_customers(self, conn: psycopg.Connection[Any], cases: Sequence[Case]) -> None:
        """The records of these cases' customers, made or given the case's contact, in the
        transaction that saves the cases. A new customer's row is put in first if no one
        else did meanwhile (two agents opening their first cases at once both find it),
        then every row is locked and changed as :meth:`update_customer` does."""
        keys = list(dict.fromkeys(customer_key(case.customer) for case in cases))
        keys = [key for key in keys if key]
        if not keys:
            return
        fresh = {}
        for case in cases:
            key = customer_key(case.customer)
            if key and key not in fresh:
                made = customer_for_case(None, case)
                if made is not None:
                    made.revision = 1
                    fresh[key] = customer_to_record(made)
        check_customers_storable(fresh.values())
        with conn.cursor() as cursor:  # in one order, so two agents' inserts never deadlock
            cursor.executemany(
                "INSERT INTO workbench.customers (key, revision, record) VALUES (%s, 1, %s)"
                " ON CONFLICT (key) DO NOTHING",
                [(key, Jsonb(fresh[key])) for key in sorted(fresh)],
            )
        known = self._customer_rows(conn, keys, lock=True)
        changed: dict[str, Customer] = {}
        for case in cases:
            key = customer_key(case.customer)
            customer = changed.get(key) or known.get(key)
            if customer is not None and customer_for_case(customer, case) is not None:
                changed[key] = customer
        for customer in changed.values():
            customer.revision += 1
            self._put_customer(conn, customer)

    def _customer_rows(
        self, conn: psycopg.Connection[Any], keys: Sequence[str] | None, *, lock: bool = False
    ) -> dict[str, Customer]:
        """Customers by key (every one when ``keys`` is None), each read strictly."""
        if keys is None:
            cursor = conn.execute("SELECT key, record FROM workbench.customers ORDER BY key")
        elif lock:
            cursor = conn.execute(
                "SELECT key, record FROM workbench.customers WHERE key = ANY(%s)"
                " ORDER BY key FOR UPDATE",
                (list(keys),),
            )
        else:
            cursor = conn.execute(
                "SELECT key, record FROM workbench.customers WHERE key = ANY(%s)", (list(keys),)
            )
        found = {}
        for key, record in cursor:
            try:
                customer = _customer_row(key, record)
            except RecordError as error:
                raise DatabaseUnreadable(
                    f"A customer record in {self._where} is damaged ({error}).",
                    "The workbench will not change it; correct or remove that row.",
                ) from None
            found[key] = customer
        return found

    def _put_customer(self, conn: psycopg.Connection[Any], customer: Customer) -> None:
        """Insert or replace one customer's row (checked first), and tell the screens."""
        record = customer_to_record(customer)
        check_customers_storable([record])
        self._own_pids.add(conn.info.backend_pid)
        try:
            conn.execute(
                "INSERT INTO workbench.customers (key, revision, record) VALUES (%s, %s, %s)"
                " ON CONFLICT (key) DO UPDATE SET revision = EXCLUDED.revision,"
                " record = EXCLUDED.record, updated_at = now()",
                (customer.key, customer.revision, Jsonb(record)),
            )
        except psycopg.DataError as error:
            raise ChangeRefused(
                f"{self._where} can't store this change: {_first_line(error)}.",
                "Nothing was written.",
            ) from None
        self._count(conn, 1, [CUSTOMERS_NOTICE])

    def customers(self) -> list[Customer]:
        with self._mutex, self._transaction(writing=False) as conn:
            return list(self._customer_rows(conn, None).values())

    def customer(self, name: str) -> Customer | None:
        key = customer_key(name)
        with self._mutex, self._transaction(writing=False) as conn:
            return self._customer_rows(conn, [key]).get(key)

    def update_customer(self, name: str, change: Callable[[Customer], T]) -> tuple[Customer, T]:
        key = customer_key(name)
        if not key:
            raise StoreError("A customer needs a name.")
        with self._mutex, self._transaction(writing=True) as conn:
            conn.execute(
                "INSERT INTO workbench.customers (key, revision, record) VALUES (%s, 0, %s)"
                " ON CONFLICT (key) DO NOTHING",
                (key, Jsonb(customer_to_record(Customer(name=name.strip())))),
            )
            customer = self._customer_rows(conn, [key], lock=True)[key]
            before = customer_to_record(customer)
            result = change(customer)
            if customer_to_record(customer) == before:
                if customer.revision == 0:  # made only to be locked: not kept
                    conn.execute("DELETE FROM workbench.customers WHERE key = %s", (key,))
                return customer, result
            customer.revision += 1
            self._put_customer(conn, customer)
        return customer, result

    def join_customers(self, gone: str, into: str) -> Customer:
        gone_key, into_key = customer_key(gone), customer_key(into)
        with self._mutex, self._transaction(writing=True) as conn:
            found = self._customer_rows(conn, [gone_key, into_key], lock=True)
            kept = found.get(into_key) or Customer(name=into.strip())
            if gone_key == into_key or gone_key not in found:
                return kept
            join_customers(kept, found[gone_key])
            kept.revision += 1
            conn.execute("DELETE FROM workbench.customers WHERE key = %s", (gone_key,))
            self._put_customer(conn, kept)
        return kept

    def _write(
        self, conn: psycopg.Connection[Any], saved: Sequence[tuple[Case, Record]], *, new: bool
    ) -> None:
        """Insert or replace these cases' records (checked first), count the change, and
        tell every listener which cases changed (sent when the transaction commits)."""
        check_storable({str(case.number): record for case, record in saved})
        self._own_pids.add(conn.info.backend_pid)  # its notices, when it commits, are ours
        rows = [(case.number, *_columns(case, record)) for case, record in saved]
        try:
            self._put(conn, rows, new=new)
        except psycopg.DataError as error:  # text the server can't hold (a NUL character)
            raise ChangeRefused(
                f"{self._where} can't store this change: {_first_line(error)}.",
                "Nothing was written.",
            ) from None
        # One notice per case; one for all ("*") when many were written together.
        payloads = [str(row[0]) for row in rows] if len(rows) <= NOTIFY_EACH else ["*"]
        self._count(conn, len(rows), payloads)

    def _count(self, conn: psycopg.Connection[Any], changes: int, payloads: list[str]) -> None:
        """Add ``changes`` to the change counter and send each notice (when the transaction
        commits); remember the counter before and after, for :meth:`_saw_own`."""
        counted = int(
            _one(
                conn.execute(
                    "UPDATE workbench.meta SET value = value + %s WHERE key = 'changes'"
                    " RETURNING value",
                    (changes,),
                ).fetchone()
            )
        )
        for payload in payloads:
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        first = counted - changes if self._written is None else self._written[0]
        self._written = (first, counted)

    def _put(
        self, conn: psycopg.Connection[Any], rows: list[tuple[Any, ...]], *, new: bool
    ) -> None:
        with conn.cursor() as cursor:
            if new:
                cursor.executemany(
                    "INSERT INTO workbench.cases (number, revision, record, status, heat,"
                    " customer, owner, next_followup) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            else:
                cursor.executemany(
                    "UPDATE workbench.cases SET revision = %s, record = %s, status = %s,"
                    " heat = %s, customer = %s, owner = %s, next_followup = %s,"
                    " updated_at = now() WHERE number = %s",
                    [(*row[1:], row[0]) for row in rows],
                )

    def issued(self) -> int:
        with self._mutex, self._transaction(writing=False) as conn:
            return _issued(conn)

    def load_all(
        self,
        cases: Sequence[Case],
        issued: int,
        *,
        replace: bool = False,
        customers: Sequence[Customer] | None = None,
    ) -> None:
        """One transaction: the table locked against other writers, the cases and their
        customers put in (in their place, with ``replace``), the sequence moved on, every
        screen told."""
        saved = [(case, case_to_record(case)) for case in cases]
        check_storable({str(case.number): record for case, record in saved})
        people = customers_to_load(cases, customers)
        with self._mutex, self._transaction(writing=True) as conn:
            conn.execute("LOCK TABLE workbench.cases, workbench.customers IN EXCLUSIVE MODE")
            held = int(_one(conn.execute("SELECT count(*) FROM workbench.cases").fetchone()))
            if held and not replace:
                raise StoreError(
                    f"{self._where} already holds {held:,} case(s); nothing was copied.",
                    "Copy into an empty database, or add --replace to put these in their place.",
                )
            counter = max(_issued(conn), issued, *(case.number for case in cases))
            if held:
                conn.execute("DELETE FROM workbench.cases")
            conn.execute("DELETE FROM workbench.customers")
            if saved:
                self._write(conn, saved, new=True)
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO workbench.customers (key, revision, record) VALUES (%s, %s, %s)",
                    [(record["key"], record["revision"], Jsonb(record)) for record in people],
                )
            if counter:
                conn.execute("SELECT setval('workbench.case_number', %s)", (counter,))
            conn.execute("SELECT pg_notify(%s, '*')", (CHANNEL,))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for every change inside: committed at the end, or rolled back
        whole if anything inside raises."""
        with self._mutex:
            if self._batch is not None:  # already in one: the outer batch decides
                yield
                return
            with self._transaction(writing=True) as conn:
                self._batch = conn
                try:
                    yield
                finally:
                    self._batch = None

    def close(self) -> None:
        with self._mutex:
            if not self._dead:
                self._dead = True
                if self._listener is not None:
                    self._listener.stop()
                if self._pool is not None:
                    self._pool.close()
                if self._single is not None:
                    self._single.close()


class _Listener:
    """A thread with a connection of its own, listening for the cases others change.

    It gathers the numbers sent by other connections (a handle's own are left out, by
    their server process), and calls ``wake`` when some arrive. When the connection is
    lost it says so, connects again every few seconds, and marks notices as possibly
    missed: the next :meth:`PostgresStore.changes` then asks for everything.
    """

    RETRY_SECONDS = 2.0
    WAIT_SECONDS = 0.5
    """How long one wait for notices lasts: the longest a stop waits for the thread."""

    def __init__(self, url: str, own_pids: set[int]) -> None:
        self.url = url
        self.own_pids = own_pids
        self.wake: Callable[[], None] | None = None
        self.missed = False
        self.problem: str | None = None
        """Why the listener is not connected now, in words; None while it is."""
        self._pid = 0
        self._lock = threading.Lock()
        self._numbers: set[int] = set()
        self._customers = False
        self._open: tuple[int | None, str] = (None, "")
        """The case this screen has open, and who it is."""
        self._said_at = 0.0
        self._others: dict[tuple[int, str], tuple[int, float]] = {}
        """Other screens' open cases: (their server process, their agent) → (case, when)."""
        self._say_now = threading.Event()
        self._stopping = threading.Event()
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbench-listen", daemon=True)
        self._thread.start()
        self._connected.wait(timeout=5)  # notices from now on are heard (or a problem said)

    def take(self) -> tuple[set[int], bool, bool]:
        """The numbers gathered since last asked, whether some may have been missed, and
        whether a customer's record changed; a lost connection is a :class:`StoreError`."""
        with self._lock:
            if self.problem is not None:
                raise StoreError(self.problem, "The screen keeps working; changes wait.")
            numbers, self._numbers = self._numbers, set()
            missed, self.missed = self.missed, False
            customers, self._customers = self._customers, False
        return numbers, missed, customers

    def _run(self) -> None:
        first = True
        while not self._stopping.is_set():
            try:
                with psycopg.connect(
                    self.url, autocommit=True, connect_timeout=5, application_name=LISTENER_NAME
                ) as conn:
                    self._pid = conn.info.backend_pid
                    conn.execute(f"LISTEN {CHANNEL}")
                    with self._lock:
                        if not first:
                            self.missed = True  # while away, others may have changed cases
                        self.problem = None
                    conn.execute(f"LISTEN {PRESENCE_CHANNEL}")
                    first = False
                    self._connected.set()
                    self._call_wake()
                    self._said_at = 0.0  # say where we are at once on a new connection
                    while not self._stopping.is_set():
                        self._say_presence(conn)
                        for note in conn.notifies(timeout=self.WAIT_SECONDS):
                            if note.channel == PRESENCE_CHANNEL:
                                self._heard_presence(note.pid, note.payload)
                            else:
                                self._noticed(note.pid, note.payload)
                        self._forget_gone()
                    self._say_presence(conn)  # stopping: "no case open here any more"
            except psycopg.Error as error:
                with self._lock:
                    self.problem = (
                        f"Lost the connection to {describe_server(self.url)}"
                        f" ({_first_line(error)}); trying again."
                    )
                self._connected.set()
                self._call_wake()
                self._stopping.wait(self.RETRY_SECONDS)

    # -- presence: which screen has which case open ---------------------------------
    def open_case(self, number: int | None, agent: str) -> None:
        with self._lock:
            if self._open == (number, agent):
                return
            self._open = (number, agent)
        self._said_at = 0.0  # said at the next turn of the loop (within half a second)

    def others_on(self, number: int) -> list[str]:
        now = time.monotonic()
        with self._lock:
            agents = {
                agent
                for (_, agent), (case, seen) in self._others.items()
                if case == number and now - seen < PRESENCE_LASTS
            }
        return sorted(agents, key=str.casefold)

    def _say_presence(self, conn: psycopg.Connection[Any]) -> None:
        now = time.monotonic()
        if now - self._said_at < PRESENCE_BEAT:
            return
        self._said_at = now
        with self._lock:
            number, agent = self._open
        payload = json.dumps({"agent": agent, "case": number})
        conn.execute("SELECT pg_notify(%s, %s)", (PRESENCE_CHANNEL, payload))

    def _heard_presence(self, pid: int, payload: str) -> None:
        if pid in self.own_pids or pid == self._pid:
            return
        try:
            said = json.loads(payload)
            agent, number = str(said["agent"])[: limits.MAX_AGENT], said["case"]
        except (ValueError, KeyError, TypeError):
            return  # not ours to understand: ignored
        if number is not None and not isinstance(number, int):
            return
        with self._lock:
            before = {key: case for key, (case, _) in self._others.items()}
            if number is None:
                self._others.pop((pid, agent), None)
            else:
                self._others[(pid, agent)] = (number, time.monotonic())
            changed = before != {key: case for key, (case, _) in self._others.items()}
        if changed:
            self._call_wake()

    def _forget_gone(self) -> None:
        now = time.monotonic()
        with self._lock:
            gone = [k for k, (_, seen) in self._others.items() if now - seen >= PRESENCE_LASTS]
            for key in gone:
                del self._others[key]
        if gone:
            self._call_wake()

    def _noticed(self, pid: int, payload: str) -> None:
        if pid in self.own_pids:
            return
        with self._lock:
            if payload.isdigit():
                self._numbers.add(int(payload))
            elif payload == CUSTOMERS_NOTICE:
                self._customers = True
            else:  # "*": many at once
                self.missed = True
        self._call_wake()

    def _call_wake(self) -> None:
        wake = self.wake
        if wake is not None:
            wake()

    def stop(self) -> None:
        """Stop listening; other screens forget this one at once, not after a while."""
        with self._lock:
            self._open = (None, self._open[1])
        self._said_at = 0.0
        self._stopping.set()
        self._thread.join(timeout=self.WAIT_SECONDS * 4)


def _counter(conn: psycopg.Connection[Any]) -> tuple[Any, ...] | None:
    return conn.execute("SELECT value FROM workbench.meta WHERE key = 'changes'").fetchone()


def _issued(conn: psycopg.Connection[Any]) -> int:
    """The highest case number the sequence handed out (0 when none yet), or a higher one
    in the table (cases put in by a copy before the sequence moved on)."""
    row = conn.execute(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM workbench.case_number"
    ).fetchone()
    highest = conn.execute("SELECT coalesce(max(number), 0) FROM workbench.cases").fetchone()
    return max(int(_one(row)), int(_one(highest)))


def _one(row: tuple[Any, ...] | None) -> Any:
    if row is None:  # pragma: no cover - the statements used always return a row
        raise StoreError("The database server answered nothing where a value was expected.")
    return row[0]


def _columns(case: Case, record: Record) -> tuple[object, ...]:
    """The row's columns besides its number: the revision, the record itself, and what
    lists filter and sort on."""
    nxt = case.next_followup
    return (
        case.revision,
        Jsonb(record),
        case.status.value,
        case.heat.value,
        case.customer,
        case.owner or None,
        None if nxt is None else nxt.due,
    )


def _check_rows(rows: Mapping[str, msgspec.Raw]) -> None:
    """Rows read from the server, checked as a file's records are (the quick shapes, then
    the strict reader, which names the damage): a row planted by anyone is never trusted."""
    if not held_records_pass(rows):
        check_case_records({n: msgspec.json.decode(raw) for n, raw in rows.items()})


def _first_line(error: Exception) -> str:
    """What a server or libpq said, its first line only (the rest is context for a DBA)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def migrate(conn: psycopg.Connection[Any], where: str) -> int:
    """Create the schema or bring it up to date, one numbered migration at a time, under
    an advisory lock; refuse a schema newer than this workbench knows. Returns the
    version found before."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute("CREATE SCHEMA IF NOT EXISTS workbench")
        exists = conn.execute("SELECT to_regclass('workbench.meta') IS NOT NULL").fetchone()
        version = 0
        if exists and exists[0]:
            row = conn.execute(
                "SELECT value FROM workbench.meta WHERE key = 'schema_version'"
            ).fetchone()
            version = int(row[0]) if row else 1
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{where} holds cases in a newer layout (version {version}) than this "
                f"workbench knows (version {SCHEMA_VERSION}).",
                "Upgrade the workbench on this machine; nothing was changed.",
            )
        for number in range(version, SCHEMA_VERSION):
            step = MIGRATIONS[number]
            if callable(step):
                step(conn)
            else:
                conn.execute(step)
        if version < SCHEMA_VERSION:
            conn.execute(
                "INSERT INTO workbench.meta (key, value) VALUES ('schema_version', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (SCHEMA_VERSION,),
            )
    return version


if TYPE_CHECKING:  # mypy holds the server store to the seam's every method
    _SERVER_BACKEND: type[CaseRepository] = PostgresStore


def examine_server(url: str, *, wait: float = 2.0) -> tuple[list[Finding], int]:
    """What ``workbench doctor`` says of a server, changing nothing there: whether it can
    be reached, the schema's version, this user's rights, every case record, and whether
    a NOTIFY reaches a listener (how screens hear of each other's changes). Returns the
    findings and how many cases there are."""
    where = describe_server(url)
    findings: list[Finding] = []

    def say(level: Level, message: str) -> None:
        findings.append(Finding(level, message))

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(wait * 2)))
    except psycopg.OperationalError as error:
        say(Level.PROBLEM, _unreachable(url, error).message)
        return findings, 0
    cases = 0
    with conn:
        say(Level.OK, f"Reached {where} (PostgreSQL {conn.info.server_version // 10000}).")
        version = _schema_version(conn)
        if version is None:
            can_create = _one(
                conn.execute(
                    "SELECT has_database_privilege(current_database(), 'CREATE')"
                ).fetchone()
            )
            if can_create:
                say(Level.OK, "No cases here yet: the first workbench to open it makes its tables.")
            else:
                say(
                    Level.PROBLEM,
                    "No cases here yet, and this user may not create the workbench's schema "
                    "in this database. Ask its owner to run: GRANT CREATE ON DATABASE … TO "
                    "this user (once), or to open it once with the workbench themselves.",
                )
        elif version > SCHEMA_VERSION:
            say(
                Level.PROBLEM,
                f"The cases are in a newer layout (version {version}) than this workbench "
                f"knows (version {SCHEMA_VERSION}); upgrade the workbench here.",
            )
        else:
            if version < SCHEMA_VERSION:
                say(
                    Level.OK,
                    f"Layout version {version}: the next workbench to open it brings it to "
                    f"version {SCHEMA_VERSION}.",
                )
            else:
                say(Level.OK, f"Layout version {version}, as this workbench writes it.")
            cases = _examine_cases(conn, say)
        _examine_notify(url, conn, wait, say)
    return findings, cases


def _schema_version(conn: psycopg.Connection[Any]) -> int | None:
    exists = _one(conn.execute("SELECT to_regclass('workbench.meta') IS NOT NULL").fetchone())
    if not exists:
        return None
    row = conn.execute("SELECT value FROM workbench.meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 1


def _examine_cases(conn: psycopg.Connection[Any], say: Callable[[Level, str], None]) -> int:
    rights = conn.execute(
        "SELECT has_table_privilege('workbench.cases', 'SELECT, INSERT, UPDATE'),"
        " has_table_privilege('workbench.meta', 'SELECT, UPDATE'),"
        " has_sequence_privilege('workbench.case_number', 'USAGE')"
    ).fetchone()
    if rights is None or not all(rights):
        say(
            Level.PROBLEM,
            "This user may not read and change every case (it needs SELECT, INSERT and "
            "UPDATE on workbench.cases, SELECT and UPDATE on workbench.meta, and USAGE on "
            "workbench.case_number).",
        )
        return 0
    rows = {
        str(number): msgspec.Raw(text.encode())
        for number, text in conn.execute(
            "SELECT number, record::text FROM workbench.cases ORDER BY number"
        )
    }
    try:
        _check_rows(rows)
    except (RecordError, msgspec.DecodeError) as error:
        say(Level.PROBLEM, f"A case is damaged ({error}); the workbench will not change it.")
        return len(rows)
    say(Level.OK, f"{len(rows):,} case record(s), all readable.")
    _examine_customers(conn, say)
    return len(rows)


def _examine_customers(conn: psycopg.Connection[Any], say: Callable[[Level, str], None]) -> None:
    exists = conn.execute("SELECT to_regclass('workbench.customers') IS NOT NULL").fetchone()
    if not (exists and exists[0]):
        return  # an older layout: made by the next workbench to open it
    rights = conn.execute(
        "SELECT has_table_privilege('workbench.customers', 'SELECT, INSERT, UPDATE, DELETE')"
    ).fetchone()
    if rights is None or not rights[0]:
        say(
            Level.PROBLEM,
            "This user may not read and change customers' records (it needs SELECT, INSERT, "
            "UPDATE and DELETE on workbench.customers).",
        )
        return
    count = 0
    for key, record in conn.execute("SELECT key, record FROM workbench.customers"):
        count += 1
        try:
            _customer_row(key, record)
        except RecordError as error:
            say(Level.PROBLEM, f"A customer record is damaged ({error}).")
            return
    say(Level.OK, f"{count:,} customer record(s), all readable.")


def _customer_row(key: str, record: object) -> Customer:
    """A customers row read strictly, its record the customer its key says."""
    customer = customer_from_record(record)
    if customer.key != key:
        raise RecordError(f"the customer {key[:60]!r}", "is kept under another key")
    return customer


def _examine_notify(
    url: str, conn: psycopg.Connection[Any], wait: float, say: Callable[[Level, str], None]
) -> None:
    payload = f"doctor {conn.info.backend_pid}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(wait * 2))) as ear:
            ear.execute(f"LISTEN {DOCTOR_CHANNEL}")
            conn.execute("SELECT pg_notify(%s, %s)", (DOCTOR_CHANNEL, payload))
            heard = any(
                note.payload == payload for note in ear.notifies(timeout=wait, stop_after=1)
            )
    except psycopg.Error as error:
        heard = False
        say(Level.WARNING, f"Could not listen for notices: {_first_line(error)}")
    if heard:
        say(Level.OK, "Notices reach every screen: each agent sees the others' changes at once.")
    else:
        say(
            Level.PROBLEM,
            f"A notice sent on the server did not arrive within {wait:g} s: screens would "
            "not see each other's changes. A connection pooler in transaction mode drops "
            "them; connect to the server directly, or through a pooler in session mode.",
        )
