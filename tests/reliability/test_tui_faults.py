"""Issue #5, item 3, on the workbench screen: a fault while saving is shown until it is over.

For each fault (see faults.py, plus the database's folder disappearing, as a network drive
or a USB stick does) a step is ticked with space while the fault is on. Then:

* the status line (``#save-status``) says why the change is not saved, marked ``-error``,
  and stays so through many retries while the fault lasts;
* the screen still shows the tick (the change is kept in memory);
* the database file is byte for byte what it was;

and once the fault is removed, without another key, the retry saves the change and the
status line says everything is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers.clock import NOW
from helpers.faults import FAULTS
from helpers.reliability import run_app, settle, snapshot, status_line, text_of, wait_for
from textual.pilot import Pilot

from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui import saver as saver_module
from workbench.ui.app import WorkbenchApp

Injector = Callable[[pytest.MonkeyPatch, Path], Iterator[Path]]


def _patched(name: str) -> Injector:
    def inject(monkeypatch: pytest.MonkeyPatch, db: Path) -> Iterator[Path]:
        install, _ = FAULTS[name]
        with monkeypatch.context() as patch:
            install(patch, db)
            yield db

    return inject


def folder_gone(monkeypatch: pytest.MonkeyPatch, db: Path) -> Iterator[Path]:
    away = db.parent.with_name("unplugged")
    db.parent.rename(away)
    try:
        yield away / db.name
    finally:
        away.rename(db.parent)


INJECTORS: dict[str, tuple[Injector, str]] = {
    **{name: (_patched(name), reason) for name, (_, reason) in FAULTS.items()},
    "folder gone": (folder_gone, "does not exist"),
}


@pytest.fixture
def db(tmp_path: Path, library: PlaybookLibrary) -> Path:
    path = tmp_path / "data" / "cases.json"
    path.parent.mkdir()
    seed = CaseStore(path)
    seed.add(CaseDraft("Charged twice for March", "Ana Chen"), library.get("our-mistake"), NOW)
    seed.add(CaseDraft("Late delivery", "Ben Okafor"), library.get("unhappy"), NOW)
    seed.close()
    return path


def first_step_shown_done(app: WorkbenchApp) -> bool:
    prompt = app.main.checklist.steps.get_option_at_index(0).prompt
    return str(getattr(prompt, "plain", prompt)).startswith("☑")


@pytest.mark.parametrize("fault", INJECTORS, ids=list(INJECTORS))
def test_a_failing_save_is_shown_kept_and_retried(
    fault: str, db: Path, library: PlaybookLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saver_module, "RETRY_DELAYS", (0.05,))
    inject, reason = INJECTORS[fault]
    app = WorkbenchApp(store=CaseStore(db), library=library, clock=lambda: NOW)

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        app.main.select_case("C-0001")
        await pilot.pause()
        assert not first_step_shown_done(app)
        before = snapshot(db)
        status = status_line(app)
        with contextmanager(inject)(monkeypatch, db) as where:
            await pilot.press("space")
            await wait_for(pilot, lambda: status.has_class("-error"))
            for _ in range(10):  # ~10 retries: the error stays on screen, the change stays
                await pilot.pause(0.05)
                assert status.has_class("-error")
                assert reason in text_of(status), text_of(status)
                assert app.main.saver.pending >= 1  # kept, waiting for the retry
                assert first_step_shown_done(app)
            assert snapshot(where) == before
        await wait_for(pilot, lambda: app.main.saver.pending == 0)
        await settle(app, pilot)
        assert not status.has_class("-error")
        assert "saved" in text_of(status).lower()
        assert first_step_shown_done(app)

    run_app(app, scenario)
    assert CaseStore(db).get("C-0001").steps[0].done
