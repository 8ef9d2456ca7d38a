"""The session without a screen: the case cache, changes shown at once and saved in
order, loads that supersede each other, and what the screen is told."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Heat, Outcome
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.session import Heads, Session


class Recorder:
    """A listener that writes down what it is told (from whichever thread tells it)."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []
        self.lock = threading.Lock()

    def _note(self, what: str, detail: Any = None) -> None:
        with self.lock:
            self.heard.append((what, detail))

    def names(self) -> list[str]:
        with self.lock:
            return [what for what, _ in self.heard]

    def said(self) -> list[str]:
        with self.lock:
            return [detail for what, detail in self.heard if what == "say"]

    def statuses(self) -> list[str]:
        with self.lock:
            return [detail for what, detail in self.heard if what == "status"]

    def cases_shown(self, cases: list[Case], *, heads: bool, external: bool) -> None:
        self._note("shown", (len(cases), heads, external))

    def cases_filled_in(self, whole: dict[str, Case], texts: dict[str, str]) -> None:
        self._note("filled_in", sorted(whole))

    def all_filled_in(self, complete: bool) -> None:
        self._note("all_filled_in", complete)

    def case_put(self, case: Case) -> None:
        self._note("put", case.id)

    def case_opened(self, case: Case) -> None:
        self._note("opened", case.id)

    def customers_changed(self) -> None:
        self._note("customers")

    def reload(self) -> None:
        self._note("reload")

    def status(self, message: str, *, error: bool = False) -> None:
        self._note("status", message)

    def say(
        self, message: str, *, severity: str = "information", timeout: float | None = None
    ) -> None:
        self._note("say", message)


def eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    """The saver tells after it is idle, on its own thread: wait for what it tells."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def at_once(report: Callable[..., None], *args: object) -> None:
    report(*args)


@pytest.fixture
def seeded(store: CaseStore, library: PlaybookLibrary) -> CaseStore:
    for title, customer in [("Charged twice", "Ana Chen"), ("Late parcel", "Ben Okafor")]:
        store.add(CaseDraft(title, customer, heat=Heat.UPSET), library.get("unhappy"), NOW)
    store.update("C-0002", lambda case: actions.add_note(case, "wants the manager", NOW))
    return store


@pytest.fixture
def session(seeded: CaseStore) -> Iterator[tuple[Session, Recorder]]:
    recorder = Recorder()
    made = Session(seeded, at_once)
    made.listen(recorder)
    yield made, recorder
    made.stop()


def shown_from_heads(session: Session) -> Heads:
    heads = session.read_heads()
    assert heads is not None
    assert session.show(heads)
    return heads


def test_a_first_load_shows_heads_and_makes_one_whole_on_demand(
    session: tuple[Session, Recorder],
) -> None:
    s, heard = session
    shown_from_heads(s)
    assert heard.heard[0] == ("shown", (2, True, False))
    assert s.loaded and s.is_head("C-0001") and s.is_head("C-0002")
    whole = s.whole("C-0002")
    assert whole is not None and [note.text for note in whole.notes] == ["wants the manager"]
    assert not s.is_head("C-0002") and s.is_head("C-0001")
    assert ("filled_in", ["C-0002"]) in heard.heard
    assert s.pending_heads() and len(s.pending_heads()) == 1


def test_a_plain_load_says_nothing_on_the_status_line(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    s, heard = session
    shown_from_heads(s)  # nothing happened yet: nothing to say, "Loading…" is cleared
    assert heard.statuses() == [""]
    assert s.show(seeded.all_cases())  # loaded again (after a refusal): still nothing
    assert heard.statuses() == ["", ""]


def test_once_a_change_was_saved_a_load_still_says_so(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    s, heard = session
    shown_from_heads(s)
    s.change(s.cases["C-0001"], "tick step", lambda case: actions.set_step(case, 0, True, NOW))
    assert s.wait_saved(10)
    assert eventually(lambda: heard.statuses()[-1] == "✓ All changes saved")
    assert s.show(seeded.all_cases())
    assert heard.statuses()[-1] == "✓ All changes saved"


def test_the_background_read_fills_in_every_head(session: tuple[Session, Recorder]) -> None:
    s, heard = session
    shown_from_heads(s)
    load = s.load_number
    batches: list[list[Case]] = []
    complete = s.read_whole(
        s.pending_heads(),
        lambda whole, texts: (batches.append(whole), s.fill_in(whole, load, texts)),
        cancelled=lambda: False,
        pause=lambda: None,
    )
    s.finish_load(load, complete)
    assert complete and len(batches) == 1
    assert not s.pending_heads() and not s.is_head("C-0001")
    assert heard.heard[-1] == ("all_filled_in", True)


def test_whole_cases_read_for_an_older_load_are_dropped(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    s, heard = session
    shown_from_heads(s)
    older_load, older = s.load_number, seeded.whole_cases(s.pending_heads())
    seeded.update("C-0002", lambda case: actions.add_note(case, "called back", NOW))
    shown_from_heads(s)
    s.fill_in(older, older_load)
    s.finish_load(older_load)
    assert s.is_head("C-0002") and "all_filled_in" not in heard.names()
    everything = s.all_whole()
    assert everything is not None and not s.pending_heads()
    assert "called back" in [note.text for note in s.cases["C-0002"].notes]


def test_a_change_is_shown_at_once_and_saved(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    s, heard = session
    shown_from_heads(s)
    ticked = s.change(
        s.cases["C-0001"], "tick step", lambda case: actions.set_step(case, 0, True, NOW)
    )
    assert ticked is True
    assert s.cases["C-0001"].steps[0].done  # ours, before the file has it
    assert ("put", "C-0001") in heard.heard and "Saving… (tick step)" in heard.statuses()
    assert s.wait_saved(10)
    assert seeded.get("C-0001").steps[0].done
    assert eventually(lambda: heard.statuses()[-1] == "✓ All changes saved")


def test_a_rule_that_says_no_is_said_at_once_and_nothing_is_queued(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    s, heard = session
    shown_from_heads(s)
    closed = s.change(
        s.cases["C-0001"],
        "close case",
        lambda case: actions.close_case(case, Outcome.RETAINED, NOW),
    )
    assert closed is None and s.pending == 0
    assert heard.said() and "step" in heard.said()[-1]
    assert seeded.get("C-0001").status == s.cases["C-0001"].status


def test_a_change_that_changes_nothing_is_not_saved(
    session: tuple[Session, Recorder],
) -> None:
    s, heard = session
    shown_from_heads(s)
    s.change(s.cases["C-0001"], "set heat", lambda case: None)
    assert s.pending == 0
    assert heard.said() == ["Nothing changed (set heat): there was nothing to save."]


def test_a_change_refused_on_the_files_copy_is_said_and_the_screen_reloads(
    session: tuple[Session, Recorder], seeded: CaseStore, library: PlaybookLibrary
) -> None:
    s, heard = session
    shown_from_heads(s)
    ours = s.cases["C-0001"]
    seeded.update(
        "C-0001",
        lambda case: actions.close_case(case, Outcome.RETAINED, NOW, allow_open_steps=True),
    )
    s.change(ours, "tick step", lambda case: actions.set_step(case, 0, True, NOW))
    assert s.wait_saved(10)
    assert eventually(lambda: "reload" in heard.names())
    assert any(line.startswith("Could not tick step") for line in heard.said())


def test_a_new_case_is_told_once_it_has_its_id(
    session: tuple[Session, Recorder], library: PlaybookLibrary
) -> None:
    s, heard = session
    shown_from_heads(s)
    s.open_case(CaseDraft("Broken lid", "Cy Evans"), library.get("unhappy"), NOW)
    assert s.wait_saved(10)
    assert eventually(lambda: ("opened", "C-0003") in heard.heard)
    assert "C-0003" in s.cases


def test_a_load_waits_while_our_changes_are_on_their_way(
    seeded: CaseStore,
) -> None:
    s = Session(seeded, at_once, settle=5.0)  # the change waits to settle
    heard = Recorder()
    s.listen(heard)
    try:
        shown_from_heads(s)
        s.change(s.cases["C-0001"], "tick", lambda case: actions.set_step(case, 0, True, NOW))
        assert s.pending == 1
        assert not s.show(seeded.all_cases(), external=True)  # our result will follow
        assert s.cases["C-0001"].steps[0].done
    finally:
        assert s.wait_saved(10)
        s.stop()


def test_changes_made_elsewhere_are_read_only_when_the_store_changed(
    session: tuple[Session, Recorder], seeded: CaseStore, db_path: object
) -> None:
    s, heard = session
    shown_from_heads(s)
    assert s.read_changed() is None
    other = CaseStore(seeded.path)
    try:
        other.update("C-0002", lambda case: actions.add_note(case, "from the phone", NOW))
    finally:
        other.close()
    changed = s.read_changed()  # a line of the file's journal names the case it changed
    assert changed is not None and not changed.everything
    assert [case.id for case in changed.cases] == ["C-0002"]
    s.show_changes(changed)
    assert heard.statuses()[-1].startswith("↻ Updated with changes made elsewhere")
    assert "from the phone" in [note.text for note in s.cases["C-0002"].notes]
    assert s.read_changed() is None
    assert CaseStore(seeded.path).fold()  # the file rewritten whole can't say which changed
    changed = s.read_changed()
    assert changed is not None and changed.everything
    s.show_changes(changed)
    assert "from the phone" in [note.text for note in s.cases["C-0002"].notes]


def test_a_snapshot_makes_heads_whole_off_the_ui_thread(
    session: tuple[Session, Recorder],
) -> None:
    s, _ = session
    shown_from_heads(s)
    cases = s.snapshot()
    made = {case.id: case for case in cases()}
    assert [note.text for note in made["C-0002"].notes] == ["wants the manager"]
    assert s.is_head("C-0002")  # the screen's copy is left as it was


def test_damage_found_by_the_background_read_is_said(
    session: tuple[Session, Recorder],
    seeded: CaseStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbench.storage.errors import DatabaseUnreadable

    s, heard = session
    shown_from_heads(s)

    def damaged(held: list[object]) -> list[Case]:
        raise DatabaseUnreadable("the file is damaged at case C-0002.")

    monkeypatch.setattr(seeded, "whole_cases", damaged)
    complete = s.read_whole(
        s.pending_heads(), lambda whole, texts: None, cancelled=lambda: False, pause=lambda: None
    )
    assert not complete
    assert heard.statuses()[-1] == "⚠ the file is damaged at case C-0002."
    assert s.whole("C-0001") is None and s.is_head("C-0001")


def test_a_customer_edit_shows_at_once_and_is_saved_on_the_freshest_record(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    """The record as shown gets the edit now; the store gets the same edit, applied to
    its record as it is then: a flag another agent added meanwhile stays."""
    from workbench.domain.customers import CustomerEdit, flag_customer

    s, heard = session
    shown_from_heads(s)
    name = s.cases["C-0001"].customer
    assert s.customer(name) is not None  # read with the cases
    other = CaseStore(seeded.path)
    try:
        other.update_customer(name, lambda c: flag_customer(c, "from the phone"))
    finally:
        other.close()
    try:
        assert s.edit_customer(name, CustomerEdit(company="Harbour Dental", add_flags=("VIP",)))
        shown = s.customer(name)
        assert shown is not None and shown.company == "Harbour Dental" and shown.flags == ["VIP"]
        assert "customers" in heard.names()
        assert s.wait_saved(10)
        assert eventually(lambda: (s.customer(name) or shown).revision > shown.revision)
        saved = seeded.customer(name)
        assert saved is not None and saved.flags == ["from the phone", "VIP"]
        assert s.customer(name) == saved  # the saved record, shown
        # Refused at once, nothing queued; an edit that changes nothing saves nothing.
        assert not s.edit_customer(name, CustomerEdit(add_flags=("x" * 200,)))
        assert "A flag is 200 characters long" in heard.said()[-1]
        assert not s.edit_customer(name, CustomerEdit(company="Harbour Dental"))
        assert s.pending == 0
    finally:
        s.stop()


def test_records_changed_elsewhere_are_read_with_the_cases(
    session: tuple[Session, Recorder], seeded: CaseStore
) -> None:
    from workbench.domain.customers import flag_customer

    s, _ = session
    shown_from_heads(s)
    name = s.cases["C-0001"].customer
    other = CaseStore(seeded.path)
    try:
        other.update_customer(name, lambda c: flag_customer(c, "threatened a chargeback"))
    finally:
        other.close()
    changed = s.read_changed()
    assert changed is not None
    s.show_changes(changed)
    shown = s.customer(name)
    assert shown is not None and shown.flags == ["threatened a chargeback"]
