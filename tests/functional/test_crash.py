"""An error nobody caught on the screen: one sentence, a failing exit, no customer data.

Textual's own handler prints a traceback with the local variables of every frame, and
those hold cases (names, contacts, notes). The workbench closes the screen, keeps the
sentence for the command line to print, and exits non-zero (see ``WorkbenchApp``)."""

from __future__ import annotations

import asyncio

import pytest

from workbench import paths
from workbench.domain.actions import CaseDraft
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.screens.main import MainScreen

SECRET = "Zed Secretname, +44 7700 900123"


def test_a_crash_prints_no_locals_and_says_one_sentence(
    store: CaseStore, library: PlaybookLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers.clock import NOW

    store.add(CaseDraft("Charged twice", SECRET), library.get("blame"), NOW)
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)

    def broken(self: MainScreen) -> None:
        case = self.selected  # a local holding customer data, as a real bug's frame would
        raise RuntimeError(f"bug while showing help for {case.id if case else None}")

    monkeypatch.setattr(MainScreen, "action_help", broken)
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app.main.session.loaded:
                    break
            app.main.select_case("C-0001")
            await pilot.pause()
            await pilot.press("tab", "space", "question_mark")  # a tick, then the crash at once
            await pilot.pause(0.2)

    with pytest.raises(RuntimeError, match="bug while showing help"):
        asyncio.run(scenario())  # the test harness re-raises what stopped the app
    assert app.crash is not None and "RuntimeError" in app.crash
    assert SECRET not in app.crash
    log = paths.bug_log_file()
    assert app.crash_log == log  # the traceback went there instead
    assert "bug while showing help for C-0001" in log.read_text(encoding="utf-8")
    assert app.return_code == 1
    assert not app._exit_renderables  # no traceback (with its locals) waiting to be printed
    assert app.finish_saves() == 0  # the tick still waiting when it stopped is saved
    assert store.get("C-0001").steps[0].done
