"""The saver: changes saved in order off the caller's thread; failures kept and retried."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from workbench import paths
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Outcome
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore, StoreError, WriteFailed
from workbench.ui import saver as saver_module
from workbench.ui.saver import Change, Saver, SaverEvents


class Recorder:
    def __init__(self) -> None:
        self.saved: list[tuple[str, Case]] = []
        self.failed: list[tuple[str, StoreError]] = []
        self.rejected: list[tuple[str, Exception]] = []
        self.idle = threading.Event()

    def events(self) -> SaverEvents:
        return SaverEvents(
            saved=lambda change, case: self.saved.append((change.label, case)),
            failed=lambda change, error, delay: self.failed.append((change.label, error)),
            rejected=lambda change, error: self.rejected.append((change.label, error)),
            idle=self.idle.set,
        )


@pytest.fixture
def seeded(
    store: CaseStore, make_draft: Callable[..., CaseDraft], library: PlaybookLibrary, now: datetime
) -> Case:
    return store.add(make_draft(), library.get("our-mistake"), now)


def note(text: str, now: datetime) -> Callable[[CaseStore], Case]:
    return lambda store: store.update("C-0001", lambda c: actions.add_note(c, text, now))[0]


def held(gate: threading.Event, change: Callable[[CaseStore], Case]) -> Callable[[CaseStore], Case]:
    """``change``, made to wait for ``gate``: changes submitted meanwhile queue up behind it."""

    def wait_then_change(store: CaseStore) -> Case:
        gate.wait(5)
        return change(store)

    return wait_then_change


def test_changes_are_saved_in_order(store: CaseStore, seeded: Case, now: datetime) -> None:
    record = Recorder()
    saver = Saver(store, record.events())
    for i in range(20):
        saver.submit(Change(f"note {i}", note(f"n{i}", now)))
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.saved] == [f"note {i}" for i in range(20)]
    assert [e.text for e in store.get("C-0001").notes] == [f"n{i}" for i in range(20)]
    assert record.idle.is_set()
    assert not record.failed and not record.rejected


def test_a_failing_save_is_kept_and_retried(
    store: CaseStore, seeded: Case, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saver_module, "RETRY_DELAYS", (0.01,))
    record = Recorder()
    real_update = CaseStore.update
    failures = iter([True, True, False])

    def flaky(self: CaseStore, case_id: str, change: Any) -> Any:
        if next(failures, False):
            raise WriteFailed("Could not save: the disk is full.")
        return real_update(self, case_id, change)

    monkeypatch.setattr(CaseStore, "update", flaky)
    saver = Saver(store, record.events())
    saver.submit(Change("note", note("kept", now)))
    assert saver.wait_idle(10)
    saver.stop()
    assert len(record.failed) == 2
    assert "disk is full" in str(record.failed[0][1])
    assert [label for label, _ in record.saved] == ["note"]
    assert [e.text for e in store.get("C-0001").notes] == ["kept"]


def test_a_change_the_rules_now_refuse_is_reported_not_retried(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    store.update(
        "C-0001", lambda c: actions.close_case(c, Outcome.LOST, now, allow_open_steps=True)
    )
    record = Recorder()
    saver = Saver(store, record.events())
    saver.submit(
        Change("tick", lambda s: s.update("C-0001", lambda c: actions.set_step(c, 0, True, now))[0])
    )
    saver.submit(Change("note", note("after", now)))
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.rejected] == ["tick"]
    assert "closed" in str(record.rejected[0][1])
    assert [label for label, _ in record.saved] == ["note"]


def test_wait_idle_reports_unsaved_work(
    store: CaseStore, seeded: Case, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saver_module, "RETRY_DELAYS", (0.05,))
    monkeypatch.setattr(
        CaseStore, "update", lambda *a, **k: (_ for _ in ()).throw(WriteFailed("full"))
    )
    record = Recorder()
    saver = Saver(store, record.events())
    saver.submit(Change("note", note("x", now)))
    assert not saver.wait_idle(0.3)
    assert saver.pending == 1
    saver.stop()


def test_changes_waiting_together_are_written_once(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """Twenty notes typed while a save is under way reach the file together, not one by one."""
    record = Recorder()
    gate = threading.Event()
    first = held(gate, note("first", now))

    before = store.writes
    saver = Saver(store, record.events())
    saver.submit(Change("first", first))
    for i in range(20):
        saver.submit(Change(f"note {i}", note(f"n{i}", now)))
    gate.set()
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.saved] == ["first"] + [f"note {i}" for i in range(20)]
    assert [e.text for e in store.get("C-0001").notes] == ["first"] + [f"n{i}" for i in range(20)]
    # The saver may have taken "first" alone before the others arrived; the twenty that
    # waited behind it go in one write. One at a time would have been 21 writes.
    assert store.writes - before <= 2


def test_a_refused_change_in_a_batch_leaves_the_others_saved(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    record = Recorder()
    gate = threading.Event()
    first = held(gate, note("before", now))

    def refused(store: CaseStore) -> Case:
        return store.update("C-0001", lambda c: actions.add_note(c, "   ", now))[0]

    saver = Saver(store, record.events())
    saver.submit(Change("before", first))
    saver.submit(Change("empty note", refused))
    saver.submit(Change("after", note("after", now)))
    gate.set()
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.rejected] == ["empty note"]
    assert [e.text for e in store.get("C-0001").notes] == ["before", "after"]


def test_a_failed_batch_write_keeps_every_change_and_saves_them_later(
    store: CaseStore, seeded: Case, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.storage import safe_json

    real = safe_json._write_payload
    failures = iter([OSError(28, "No space left on device")])

    def flaky(fd: int, payload: Any) -> None:
        for error in failures:
            raise error
        real(fd, payload)

    monkeypatch.setattr(safe_json, "_write_payload", flaky)
    monkeypatch.setattr(saver_module, "RETRY_DELAYS", (0.05,))
    record = Recorder()
    gate = threading.Event()
    first = held(gate, note("a", now))

    saver = Saver(store, record.events())
    saver.submit(Change("a", first))
    saver.submit(Change("b", note("b", now)))
    gate.set()
    assert saver.wait_idle(10)
    saver.stop()
    assert len(record.failed) == 1
    assert [e.text for e in store.get("C-0001").notes] == ["a", "b"]
    assert [label for label, _ in record.saved] == ["a", "b"]


def test_a_change_to_a_case_gone_from_the_file_is_reported_not_retried(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """A case that vanished (a backup restored under the screen) can't be saved; the
    changes beside it in the same batch still are, and saving goes on."""
    record = Recorder()
    gate = threading.Event()
    first = held(gate, note("kept", now))

    def gone(store: CaseStore) -> Case:
        return store.update("C-0099", lambda c: actions.add_note(c, "lost case", now))[0]

    saver = Saver(store, record.events())
    saver.submit(Change("kept", first))
    saver.submit(Change("note on a gone case", gone))
    saver.submit(Change("after", note("after", now)))
    gate.set()
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.rejected] == ["note on a gone case"]
    assert not record.failed
    assert [e.text for e in store.get("C-0001").notes] == ["kept", "after"]


def test_every_report_of_a_batch_carries_the_case_as_the_batch_left_it(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    record = Recorder()
    gate = threading.Event()
    first = held(gate, note("one", now))

    saver = Saver(store, record.events())
    saver.submit(Change("one", first))
    saver.submit(Change("two", note("two", now)))
    saver.submit(Change("three", note("three", now)))
    gate.set()
    assert saver.wait_idle(10)
    saver.stop()
    final = [e.text for e in store.get("C-0001").notes]
    assert final == ["one", "two", "three"]
    # Whatever batches the saver made, the last report shows the final state and no
    # report shows a state that goes back on one shown before it.
    shown = [len(case.notes) for _, case in record.saved]
    assert shown == sorted(shown) and shown[-1] == 3


def test_settling_makes_a_burst_one_write(store: CaseStore, seeded: Case, now: datetime) -> None:
    """With a settle time, changes coming quickly one after another make one write."""
    record = Recorder()
    before = store.writes
    saver = Saver(store, record.events(), settle=0.3, settle_limit=5.0)
    for i in range(5):
        saver.submit(Change(f"note {i}", note(f"n{i}", now)))
    record.idle.wait(5)
    saver.stop()
    assert [e.text for e in store.get("C-0001").notes] == [f"n{i}" for i in range(5)]
    assert store.writes - before == 1


def test_the_settle_limit_counts_from_the_oldest_waiting_change(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """Changes coming every 0.1 s never settle for 0.3 s; the limit still starts a write
    0.5 s after the first one came."""
    import time

    record = Recorder()
    saver = Saver(store, record.events(), settle=0.3, settle_limit=0.5)
    started = time.monotonic()
    for i in range(12):
        saver.submit(Change(f"note {i}", note(f"n{i}", now)))
        time.sleep(0.1)
        if record.saved:
            break
    saver.wait_idle(5)
    saver.stop()
    assert record.saved
    assert time.monotonic() - started < 1.2  # not the 1.2 s of twelve changes and more


def test_waiting_for_the_saves_does_not_wait_for_settling(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """Quitting asks for the saves at once: no settle time, however long it is set."""
    import time

    record = Recorder()
    saver = Saver(store, record.events(), settle=30.0, settle_limit=60.0)
    saver.submit(Change("last words", note("last words", now)))
    started = time.monotonic()
    assert saver.wait_idle(10)
    assert time.monotonic() - started < 5
    saver.stop()
    assert [e.text for e in store.get("C-0001").notes] == ["last words"]


def test_background_work_waits_for_a_write_not_for_settling(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """wait_not_writing (background work keeping out of a write's way) neither waits for
    nor hurries a change that is settling: it is still waiting afterwards."""
    record = Recorder()
    saver = Saver(store, record.events(), settle=30.0, settle_limit=60.0)
    saver.submit(Change("note", note("kept waiting", now)))
    assert saver.wait_not_writing(0.3)
    assert saver.pending == 1 and not record.saved
    assert saver.wait_idle(10)  # quitting hurries it
    saver.stop()
    assert [e.text for e in store.get("C-0001").notes] == ["kept waiting"]


def test_background_work_waits_while_a_write_is_under_way(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    record = Recorder()
    gate = threading.Event()
    saver = Saver(store, record.events())
    saver.submit(Change("held", held(gate, note("slow write", now))))
    deadline = time.monotonic() + 5
    while not saver.writing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not saver.wait_not_writing(0.2)  # the write is held open
    gate.set()
    assert saver.wait_not_writing(5)
    saver.wait_idle(5)
    saver.stop()
    assert record.saved


def test_a_change_past_the_files_bounds_is_rejected_and_the_queue_goes_on(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """A note too long for the file can never be saved: retrying it would hold every later
    change back for ever. It is rejected with the reason, and the next change is saved."""
    record = Recorder()
    saver = Saver(store, record.events())
    saver.submit(Change("huge note", note("x" * 1_000_001, now)))
    saver.submit(Change("next note", note("after", now)))
    assert saver.wait_idle(10)
    saver.stop()
    assert [label for label, _ in record.rejected] == ["huge note"]
    assert "more than the 1,000,000 allowed" in str(record.rejected[0][1])
    assert [label for label, _ in record.saved] == ["next note"]
    assert [e.text for e in store.get("C-0001").notes] == ["after"]
    assert not record.failed


def test_a_bug_inside_a_change_is_said_as_one_and_the_queue_goes_on(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    """Not every ValueError or KeyError is a rule or a conflict: one from a bug is
    reported as a bug, not as "changed elsewhere", and the saver keeps going."""

    def broken(case: Case) -> None:
        {}["no such key"]

    record = Recorder()
    saver = Saver(store, record.events())
    saver.submit(Change("broken", lambda s: s.update("C-0001", broken)[0]))
    saver.submit(Change("next note", note("after", now)))
    assert saver.wait_idle(10)
    saver.stop()
    [(label, error)] = record.rejected
    assert label == "broken" and isinstance(error, saver_module.SaveBug)
    assert "something went wrong inside the workbench (KeyError)" in str(error)
    log = paths.bug_log_file()
    assert str(error).endswith(f"the details are in {log}")
    assert "'no such key'" in log.read_text(encoding="utf-8")  # the traceback, not the screen
    assert [label for label, _ in record.saved] == ["next note"]


def test_a_follow_up_that_is_not_there_is_a_rule_not_a_bug(
    store: CaseStore, seeded: Case, now: datetime
) -> None:
    record = Recorder()
    saver = Saver(store, record.events())
    done = Change("done", lambda s: s.update("C-0001", lambda c: c.followup(9))[0])
    saver.submit(done)
    assert saver.wait_idle(10)
    saver.stop()
    [(_, error)] = record.rejected
    assert str(error) == "C-0001 has no follow-up F9."
    assert not isinstance(error, saver_module.SaveBug)
