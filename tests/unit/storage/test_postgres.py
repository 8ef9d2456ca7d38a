"""The PostgreSQL backend beyond the contract every backend keeps: its schema and
migrations, what it says when the server can't be reached, hostile rows, text the server
can't hold, agents changing one case at once, and the notice each change sends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from helpers.pg_server import new_database_url, server

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Heat, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import ChangeRefused, DatabaseUnreadable, SchemaTooNew, StoreError
from workbench.storage.postgres import (
    CHANNEL,
    SCHEMA_VERSION,
    PostgresStore,
    describe_server,
)


@pytest.fixture
def url() -> str:
    return new_database_url()


@pytest.fixture
def store(url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(url)
    yield opened
    opened.close()


def sql(url: str, query: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def add(store: PostgresStore, library: PlaybookLibrary, now: datetime, title: str = "Late") -> str:
    draft = CaseDraft(title, "Ana Chen", heat=Heat.UPSET)
    return store.add(draft, library.get("unhappy"), now).id


# -- schema -----------------------------------------------------------------------------


def test_a_new_database_gets_the_schema_once(url: str) -> None:
    PostgresStore(url).close()
    PostgresStore(url).close()  # a second start migrates nothing
    assert sql(url, "SELECT value FROM workbench.meta WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)
    ]
    tables = sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'workbench'")
    assert sorted(name for (name,) in tables) == ["cases", "customers", "meta"]


def test_workbenches_starting_together_migrate_once(url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            PostgresStore(url).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sql(url, "SELECT count(*) FROM workbench.meta WHERE key = 'schema_version'") == [(1,)]


def test_a_newer_schema_is_refused_and_left_alone(url: str) -> None:
    PostgresStore(url).close()
    sql(url, "UPDATE workbench.meta SET value = %s WHERE key = 'schema_version'", 99)
    with pytest.raises(SchemaTooNew) as refused:
        PostgresStore(url)
    assert "version 99" in str(refused.value) and "Upgrade the workbench" in str(refused.value)
    assert sql(url, "SELECT value FROM workbench.meta WHERE key = 'schema_version'") == [(99,)]


# -- where, and when it can't be reached ------------------------------------------------


def test_the_location_names_server_database_and_user_never_the_password() -> None:
    said = describe_server("postgresql://ana:s3cret-pw@db.example.com:5433/support")
    assert said == "PostgreSQL support on db.example.com:5433 as ana"
    assert "s3cret" not in said


def test_a_server_that_is_not_there_is_said_in_one_sentence(tmp_path: object) -> None:
    url = f"postgresql://ana:s3cret-pw@/support?host={tmp_path}&port=5999"
    with pytest.raises(StoreError) as failed:
        PostgresStore(url, connect_timeout=2)
    message = str(failed.value)
    assert message.startswith("Could not reach PostgreSQL support on ")
    assert "s3cret" not in message and "\n" not in message


def test_the_location_of_an_open_store_has_no_password(url: str) -> None:
    with_password = url.replace("workbench_tests@", "workbench_tests:unused-pw@")
    opened = PostgresStore(with_password)  # trust authentication: the password is unused
    try:
        assert "unused-pw" not in opened.location
        assert opened.location.startswith("PostgreSQL case_")
    finally:
        opened.close()


# -- what is stored ---------------------------------------------------------------------


def test_the_list_columns_follow_each_change(
    store: PostgresStore, url: str, library: PlaybookLibrary, now: datetime
) -> None:
    case_id = add(store, library, now)
    due = now + timedelta(days=2)
    store.update(case_id, lambda c: actions.schedule_followup(c, due, "Call back", now))
    store.update(case_id, lambda c: actions.set_status(c, Status.IN_PROGRESS, now))
    [(status, heat, customer, next_due, revision)] = sql(
        url, "SELECT status, heat, customer, next_followup, revision FROM workbench.cases"
    )
    assert (status, heat, customer) == ("in_progress", "upset", "Ana Chen")
    assert next_due == due
    assert revision == store.get(case_id).revision == 3


def test_a_damaged_row_is_refused_naming_its_case(
    store: PostgresStore, url: str, library: PlaybookLibrary, now: datetime
) -> None:
    """A row written by something else, with a value no reader can take back (a cost of
    a trillion trillion), is refused on reading and never changed."""
    case_id = add(store, library, now)
    store.update(case_id, lambda c: actions.record_remedy(c, "Refund", Decimal("10"), True, now))
    sql(
        url,
        "UPDATE workbench.cases SET record = jsonb_set(record, '{remedy,cost}', %s)",
        psycopg.types.json.Jsonb("1" + "0" * 24),
    )
    with pytest.raises(DatabaseUnreadable) as refused:
        store.all_cases()
    assert "damaged" in str(refused.value)
    with pytest.raises(DatabaseUnreadable):
        store.update(case_id, lambda c: actions.add_note(c, "never written", now))
    [(record,)] = sql(url, "SELECT record FROM workbench.cases")
    assert record["remedy"]["cost"] == "1" + "0" * 24  # type: ignore[index]


def test_text_the_server_cannot_hold_is_refused_in_words(
    store: PostgresStore, library: PlaybookLibrary, now: datetime
) -> None:
    case_id = add(store, library, now)
    with pytest.raises(ChangeRefused) as refused:
        store.update(case_id, lambda c: actions.add_note(c, "a NUL \x00 inside", now))
    assert "Nothing was written" in str(refused.value)
    assert [e.text for e in store.get(case_id).notes] == []


# -- several agents ---------------------------------------------------------------------


def test_agents_noting_one_case_at_once_lose_nothing(
    url: str, library: PlaybookLibrary, now: datetime
) -> None:
    handles = [PostgresStore(url) for _ in range(3)]
    case_id = add(handles[0], library, now)

    def agent(number: int) -> None:
        for n in range(15):
            handles[number].update(
                case_id, lambda c, n=n: actions.add_note(c, f"agent {number} note {n}", now)
            )

    threads = [threading.Thread(target=agent, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notes = [event.text for event in handles[1].get(case_id).notes]
    assert sorted(notes) == sorted(f"agent {a} note {n}" for a in range(3) for n in range(15))
    assert handles[2].get(case_id).revision == 1 + 45
    for handle in handles:
        handle.close()


def test_each_change_sends_its_case_number_when_it_commits(
    store: PostgresStore, url: str, library: PlaybookLibrary, now: datetime
) -> None:
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        case_id = add(store, library, now)
        store.update(case_id, lambda c: actions.add_note(c, "noted", now))
        with pytest.raises(RuntimeError), store.batch():
            store.update(case_id, lambda c: actions.add_note(c, "rolled back", now))
            raise RuntimeError("the batch fails")
        payloads = [n.payload for n in listener.notifies(timeout=1, stop_after=3)]
    assert payloads == ["1", "1"]  # the add, the note; nothing from the batch rolled back


def test_a_batch_rolled_back_leaves_changed_elsewhere_honest(
    url: str, library: PlaybookLibrary, now: datetime
) -> None:
    mine, theirs = PostgresStore(url), PostgresStore(url)
    case_id = add(mine, library, now)
    mine.all_cases()
    with pytest.raises(RuntimeError), mine.batch():
        mine.update(case_id, lambda c: actions.add_note(c, "rolled back", now))
        raise RuntimeError("the batch fails")
    assert not mine.changed_elsewhere()
    theirs.update(case_id, lambda c: actions.add_note(c, "from the other agent", now))
    assert mine.changed_elsewhere()
    mine.close()
    theirs.close()


def test_the_test_server_listens_on_no_port() -> None:
    """The tests' server is reached through a socket in its own folder only."""
    running = server()
    assert sql(running.url("postgres"), "SHOW listen_addresses") == [("",)]


def test_the_schema_bounds_case_numbers_as_the_domain_does() -> None:
    from workbench.domain import limits
    from workbench.storage.postgres import MIGRATIONS

    assert f"MAXVALUE {limits.MAX_CASE_NUMBER};" in MIGRATIONS[0]
    assert f"BETWEEN 1 AND {limits.MAX_CASE_NUMBER})" in MIGRATIONS[0]


def test_owners_and_authors_are_kept_and_the_owner_column_follows(
    store: PostgresStore, url: str, library: PlaybookLibrary, now: datetime
) -> None:
    from workbench.domain import agents

    case = store.add(CaseDraft("Late", "Ana Chen"), library.get("unhappy"), now, author="ana")
    store.update(case.id, agents.signed(lambda c: agents.assign(c, "bo", now), "ana"))
    again = store.get(case.id)
    assert again.owner == "bo"
    assert again.timeline[-1].author == "ana" and again.timeline[0].author == "ana"
    assert sql(url, "SELECT owner FROM workbench.cases") == [("bo",)]


def test_a_version_1_database_is_brought_to_version_2_with_its_owners(url: str) -> None:
    """A database made by the first version (owners only inside records, if at all) gets
    the owner column filled and the version raised when a newer workbench opens it."""
    from workbench.storage.postgres import MIGRATIONS

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA workbench")
        conn.execute(MIGRATIONS[0])
        conn.execute("INSERT INTO workbench.meta VALUES ('schema_version', 1)")
    PostgresStore(url).close()
    assert sql(url, "SELECT value FROM workbench.meta WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)
    ]
    indexes = sql(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'workbench'")
    assert ("cases_owner",) in indexes


def test_a_version_3_database_gets_a_record_for_every_customer_on_its_cases(
    url: str, library: PlaybookLibrary, now: datetime
) -> None:
    """Layout 4 builds customers from the cases already there, keyed as the workbench
    keys them (casefold, not the server's lower(): "STRASSE" and "Straße" are one), the
    most used spelling kept, the newest case's contact first; the cases are untouched."""
    from psycopg.types.json import Jsonb

    from workbench.storage.postgres import MIGRATIONS
    from workbench.storage.records import case_to_record

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA workbench")
        for step in MIGRATIONS[:3]:
            assert isinstance(step, str)
            conn.execute(step)  # type: ignore[arg-type]
        conn.execute("INSERT INTO workbench.meta VALUES ('schema_version', 3)")
        people = [("Ana Straße", "+44 1"), ("ana strasse", ""), ("Ana Straße", "ana@x.org")]
        people += [("Bo Li", "  bo@x.org ")]
        for number, (name, contact) in enumerate(people, start=1):
            case = actions.open_case(
                CaseDraft("Late", name, contact=contact),
                f"C-{number:04d}",
                library.get("unhappy"),
                now,
            )
            case.revision = 1
            conn.execute(
                "INSERT INTO workbench.cases (number, revision, record, status, heat, customer)"
                " VALUES (%s, 1, %s, 'new', 'upset', %s)",
                (number, Jsonb(case_to_record(case)), name),
            )
    before = sql(url, "SELECT number, record FROM workbench.cases ORDER BY number")
    store = PostgresStore(url)
    try:
        found = sorted(store.customers(), key=lambda c: c.key)
        assert [(c.name, c.contacts, c.revision) for c in found] == [
            ("Ana Straße", ["ana@x.org", "+44 1"], 1),
            ("Bo Li", ["bo@x.org"], 1),
        ]
        assert store.customer("ANA STRASSE") == found[0]
    finally:
        store.close()
    assert sql(url, "SELECT number, record FROM workbench.cases ORDER BY number") == before
    assert sql(url, "SELECT value FROM workbench.meta WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)
    ]


def test_a_planted_customer_row_is_refused_by_name(url: str, store: PostgresStore) -> None:
    from psycopg.types.json import Jsonb

    record = {
        "key": "eve",
        "name": "Mallory",
        "contacts": [],
        "company": "",
        "channel": None,
        "notes": "",
        "flags": [],
        "revision": 1,
    }
    sql(
        url,
        "INSERT INTO workbench.customers (key, revision, record) VALUES ('eve', 1, %s)",
        Jsonb(record),
    )
    with pytest.raises(DatabaseUnreadable, match=r"customer record .* damaged"):
        store.customers()
    record["key"] = "mallory"
    record["flags"] = [7]
    sql(url, "UPDATE workbench.customers SET key = 'mallory', record = %s", Jsonb(record))
    with pytest.raises(DatabaseUnreadable, match="only text"):
        store.customer("Mallory")
