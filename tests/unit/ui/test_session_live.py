"""A session on a PostgreSQL server hears of other agents' changes at once and reads only
the cases they changed; a lost connection is said on the status line, and once back it
reads everything it may have missed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from helpers.clock import NOW
from helpers.pg_server import new_database_url
from unit.ui.test_session import Recorder, at_once, eventually

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage.postgres import PostgresStore
from workbench.ui.session import Session


@pytest.fixture
def url(library: PlaybookLibrary) -> str:
    made = new_database_url()
    seed = PostgresStore(made)
    for title in ("Charged twice", "Late parcel", "Rude reply"):
        seed.add(CaseDraft(title, "Ana Chen"), library.get("unhappy"), NOW)
    seed.close()
    return made


@pytest.fixture
def other(url: str) -> Iterator[PostgresStore]:
    """Another agent's workbench on the same server."""
    handle = PostgresStore(url)
    yield handle
    handle.close()


@pytest.fixture
def live(url: str) -> Iterator[tuple[Session, Recorder, threading.Event]]:
    store = PostgresStore(url)
    session = Session(store, at_once)
    recorder = Recorder()
    session.listen(recorder)
    woken = threading.Event()
    session.watch(woken.set)
    heads = session.read_heads()
    assert heads is not None and session.show(heads)
    yield session, recorder, woken
    session.stop()
    store.close()


def test_another_agents_change_wakes_the_session_and_brings_that_case_alone(
    live: tuple[Session, Recorder, threading.Event], other: PostgresStore
) -> None:
    session, heard, woken = live
    woken.clear()
    assert session.read_changed() is None  # nothing yet
    other.update("C-0002", lambda c: actions.add_note(c, "from the phone", NOW))
    assert woken.wait(2)  # told within a second or two, not at the next poll
    changes = session.read_changed()
    assert changes is not None and not changes.everything
    assert [case.id for case in changes.cases] == ["C-0002"]
    session.show_changes(changes)
    assert "from the phone" in [note.text for note in session.cases["C-0002"].notes]
    assert ("put", "C-0002") in heard.heard
    assert "shown" not in heard.names()[1:]  # no reload of every case
    assert heard.statuses()[-1].startswith("↻ Updated with changes made elsewhere")


def test_our_own_changes_wake_nothing(
    live: tuple[Session, Recorder, threading.Event], library: PlaybookLibrary
) -> None:
    session, _, woken = live
    session.change(session.cases["C-0001"], "note", lambda c: actions.add_note(c, "mine", NOW))
    assert session.wait_saved(10)
    woken.clear()
    assert not woken.wait(1)
    assert session.read_changed() is None


def test_a_case_opened_by_another_agent_appears(
    live: tuple[Session, Recorder, threading.Event],
    other: PostgresStore,
    library: PlaybookLibrary,
) -> None:
    session, _, woken = live
    woken.clear()
    other.add(CaseDraft("Wrong size", "Bo Li"), library.get("unhappy"), NOW)
    assert woken.wait(2)
    changes = session.read_changed()
    assert changes is not None
    session.show_changes(changes)
    assert session.cases["C-0004"].title == "Wrong size"


def test_while_our_changes_are_saving_others_wait_and_never_roll_ours_back(
    url: str, other: PostgresStore
) -> None:
    """Another agent's note arrives while our tick is on its way (held a second by the
    saver): it is shown after our save, and our saved copy (which holds both) is never
    replaced by their older one."""
    store = PostgresStore(url)
    session = Session(store, at_once, settle=1.0)
    session.listen(Recorder())
    woken = threading.Event()
    session.watch(woken.set)
    try:
        heads = session.read_heads()
        assert heads is not None and session.show(heads)
        other.update("C-0001", lambda c: actions.add_note(c, "theirs", NOW))
        assert woken.wait(2)
        changes = session.read_changed()
        assert changes is not None
        session.change(session.cases["C-0001"], "tick", lambda c: actions.set_step(c, 0, True, NOW))
        assert session.pending == 1
        session.show_changes(changes)  # waits: ours is on its way
        assert session.cases["C-0001"].steps[0].done  # not replaced by their older copy
        assert session.wait_saved(10)
        assert eventually(lambda: "theirs" in [n.text for n in session.cases["C-0001"].notes])
        assert session.cases["C-0001"].steps[0].done  # ours stays
    finally:
        session.stop()
        store.close()


def test_a_lost_connection_is_said_and_everything_is_read_once_back(
    live: tuple[Session, Recorder, threading.Event], other: PostgresStore, url: str
) -> None:
    import psycopg

    session, heard, _ = live
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'workbench (listening)'"
            " AND datname = current_database()"
        )
    other.update("C-0003", lambda c: actions.add_note(c, "while it was away", NOW))
    results = []

    def back() -> bool:
        results.append(session.read_changed())
        return results[-1] is not None

    assert eventually(back, timeout=15)
    assert any("Lost the connection" in status for status in heard.statuses())
    # Back: the notices it missed can't be known, so every case is read.
    changes = results[-1]
    assert changes is not None and changes.everything
    notes = {case.id: [n.text for n in case.notes] for case in changes.cases}
    assert "while it was away" in notes["C-0003"]


def test_another_agent_with_the_same_case_open_is_told_and_forgotten_when_they_leave(
    url: str,
) -> None:
    """Presence: ana's screen sees that bo has C-0002 open (and wakes to redraw), and
    stops seeing it when bo moves on or closes the workbench."""
    stores = [PostgresStore(url), PostgresStore(url)]
    ana = Session(stores[0], at_once, author="ana")
    bo = Session(stores[1], at_once, author="bo")
    woken = threading.Event()
    ana.watch(woken.set)
    bo.watch(lambda: None)
    try:
        ana.present("C-0002")
        bo.present("C-0002")
        assert eventually(lambda: ana.others_on("C-0002") == ["bo"], timeout=5)
        assert woken.is_set()
        assert eventually(lambda: bo.others_on("C-0002") == ["ana"], timeout=5)
        assert ana.others_on("C-0001") == []
        bo.present("C-0001")
        assert eventually(lambda: ana.others_on("C-0002") == [], timeout=5)
        assert eventually(lambda: ana.others_on("C-0001") == ["bo"], timeout=5)
        bo.stop()
        stores[1].close()  # bo quits: gone at once, not after the presence lapses
        assert eventually(lambda: ana.others_on("C-0001") == [], timeout=5)
    finally:
        ana.stop()
        stores[0].close()
        stores[1].close()


def test_a_file_tells_no_one_and_says_no_one_else_is_there(
    store: object, library: PlaybookLibrary
) -> None:
    from workbench.storage import CaseStore

    assert isinstance(store, CaseStore)
    session = Session(store, at_once, author="ana")
    session.present("C-0001")
    assert session.others_on("C-0001") == []
    session.stop()


def test_a_change_made_while_the_server_dropped_us_is_saved_once_it_is_back(
    live: tuple[Session, Recorder, threading.Event], url: str
) -> None:
    """Every connection of the screen's pool is cut (a server restart, a network blip);
    the next change is saved all the same, on a new connection, and nothing is lost."""
    import psycopg

    session, _, _ = live
    with psycopg.connect(url, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'workbench' AND datname = current_database()"
        ).fetchone()
    assert cut is not None and cut[0] >= 1
    session.change(
        session.cases["C-0003"], "note", lambda c: actions.add_note(c, "after the cut", NOW)
    )
    assert session.wait_saved(20)
    fresh = PostgresStore(url)
    try:
        assert "after the cut" in [n.text for n in fresh.get("C-0003").notes]
    finally:
        fresh.close()
