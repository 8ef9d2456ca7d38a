"""The saver: changes saved in order off the caller's thread; failures kept and retried."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

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
