"""The Textual application: wires the store and playbooks it is handed into the main screen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path, PurePath

from textual import events, work
from textual.app import App
from textual.binding import Binding

from workbench import paths
from workbench.buglog import record_bug
from workbench.domain.clock import Clock, local_now
from workbench.domain.dates import DateSettings
from workbench.domain.playbooks import PlaybookLibrary
from workbench.paths import styles_dir
from workbench.settings import Settings
from workbench.storage import CaseRepository, CaseStore, StoreError
from workbench.ui.commands import WorkbenchCommands
from workbench.ui.saver import Saver
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.main import MainScreen
from workbench.ui.session import Session

SAVE_WAIT_SECONDS = 10.0
SAMPLE_CASES = 50
SAVE_SETTLE_SECONDS = 0.15
"""A change is written once no other has come for this long (see Saver): the screen shows
it first, and the next key is not held up by the write."""
KEY_QUIET_SECONDS = 0.03
"""Background work waits this long after a key, so the key's frames have the interpreter."""


def quiet_left(last_key_at: float, now: float, quiet: float = KEY_QUIET_SECONDS) -> float:
    """Seconds background work should still wait, given the last key's time."""
    return max(0.0, last_key_at + quiet - now)


def stylesheets() -> list[str | PurePath]:
    """Every stylesheet in styles/: the main screen's, the calendar's and the forms'."""
    return sorted(styles_dir().glob("*.tcss"))


class WorkbenchApp(App[None]):
    TITLE = "Workbench"
    CSS_PATH = stylesheets()
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [Binding("ctrl+p", "command_palette", "Command palette", id="command-palette")]

    def __init__(
        self,
        store: CaseRepository,
        library: PlaybookLibrary,
        clock: Clock = local_now,
        settings: Settings | None = None,
    ) -> None:
        """``settings`` are the user's as read, environment overrides applied (defaults if
        None); every screen and widget takes its settings from here."""
        super().__init__()
        self.store = store
        self.library = library
        self.clock = clock
        self.settings = settings or Settings()
        self.last_key_at = 0.0
        """When the last key reached the app (``time.monotonic``)."""
        self.crash: str | None = None
        """Why the screen stopped, if an error inside it stopped it."""
        self.crash_log: Path | None = None
        """Where the details of that error were written (the bug log), if they could be."""
        self._session: Session | None = None
        self.sample = False
        """True once the workbench shows the sample cases instead of the user's file."""
        self._saver_left: Saver | None = None

    @property
    def date_settings(self) -> DateSettings:
        """How typed dates are read: the settings' (one source, never a copy kept aside)."""
        return self.settings.date_settings()

    @property
    def session(self) -> Session:
        """The cases on screen and the changes on their way (made when the app starts)."""
        if self._session is None:
            raise LookupError("the workbench has not started")
        return self._session

    def _from_thread(self, report: Callable[..., None], *args: object) -> None:
        """Run a report from a background thread on the UI thread, if the app still runs:
        after it stopped on an error, saves still waiting are finished (see
        :meth:`finish_saves`) with nobody to tell but the command line."""
        with suppress(RuntimeError):  # "App is not running", "Event loop is closed"
            self.call_from_thread(report, *args)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()
        await super().on_event(event)

    def wait_for_keys(self) -> None:
        """For background threads, between pieces of work: sleep while keys are coming.

        Python runs one thread at a time; a batch of background work that overlaps a key
        shares the interpreter with the key's frames and makes them late (a move at
        10,000 cases took 60 ms to settle on screen instead of 25 while the whole cases
        were being read).
        """
        while (left := quiet_left(self.last_key_at, time.monotonic())) > 0:
            time.sleep(left)

    def on_mount(self) -> None:
        self.theme = self.settings.theme
        self.set_keymap(dict(self.settings.keys))
        self.sub_title = self.store.location
        self._session = Session(
            self.store, self._from_thread, settle=SAVE_SETTLE_SECONDS, author=self.settings.me
        )
        self.push_screen(MainScreen())

    def _fatal_error(self) -> None:
        """An error nobody caught: close the screen and say so in one sentence.

        Textual would print a traceback with the local variables of every frame, which
        hold customer data (names, notes, contacts): it goes to the bug log
        (:mod:`workbench.buglog`), a file only its owner reads; ``WORKBENCH_DEBUG=1``
        shows it on the terminal instead.
        """
        if os.environ.get("WORKBENCH_DEBUG"):
            super()._fatal_error()
            return
        error = self._exception
        self.crash_log = record_bug(error, "screen", self.clock()) if error is not None else None
        self.crash = (
            f"the workbench screen stopped on an error inside it ({type(error).__name__}). "
            "Saves are all-or-nothing, so the database file is whole."
        )
        # None if it stopped before the session was made
        self._saver_left = self._session.saver if self._session is not None else None
        self._close_messages_no_wait()

    def finish_saves(self, timeout: float = SAVE_WAIT_SECONDS) -> int:
        """After the screen stopped on an error: wait (at most ``timeout``) for the changes
        still waiting to be saved, and say how many could not be. The saver writes on its
        own thread and needs nothing of the screen."""
        saver = self._saver_left
        if saver is None:
            return 0
        saver.wait_idle(timeout)
        left = saver.pending
        saver.stop()
        return left

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("the main screen is not open")

    async def action_quit(self) -> None:
        """ctrl+q (Textual's own key) waits for the last save as ``q`` does; it used to
        quit at once and could lose a change made a moment before."""
        self.quit_when_saved()

    def quit_when_saved(self) -> None:
        """Quit once every change is on disk; if saving keeps failing, ask first."""
        if self._session is None or self._session.pending == 0:
            self._finish()
            return
        self._session.report("Saving before quitting…")
        self._wait_then_quit()

    @work(thread=True, exclusive=True, group="quit")
    def _wait_then_quit(self) -> None:
        session = self.session
        if session.wait_saved(SAVE_WAIT_SECONDS):
            self.call_from_thread(self._finish)
            return
        self.call_from_thread(self._ask_to_abandon, session.pending)

    def _finish(self) -> None:
        if self._session is not None:
            self._session.stop()
        self.exit()

    @property
    def location(self) -> str:
        return self.store.location

    def open_sample(self) -> None:
        """Show the sample cases: a file of their own in the data folder, filled with sample
        cases the first time (``workbench demo`` makes the same ones). Changes still on
        their way to the user's file are saved first; the file itself is left as it was."""
        self._open_sample()

    @work(thread=True, exclusive=True, group="sample")
    def _open_sample(self) -> None:
        session = self.session
        if not session.wait_saved(SAVE_WAIT_SECONDS):
            self.call_from_thread(
                session.report,
                "⚠ Your changes are not saved yet, so the sample cases wait: try again soon.",
            )
            return
        from workbench.domain import demo  # only the sample cases need it

        sample = paths.sample_db_file()
        try:
            sample.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            why = error.strerror or type(error).__name__
            self.call_from_thread(
                session.report, f"⚠ The sample cases can't be opened: {sample.parent}: {why}."
            )
            return
        try:
            store = CaseStore(sample)
            if store.count() == 0:
                cases = demo.make_demo_cases(SAMPLE_CASES, self.library, self.clock(), seed=1)
                with store.batch():
                    store.add_many(cases)
                    for name, edit in demo.demo_customer_details(cases, seed=1):
                        store.update_customer(name, edit.apply)
        except StoreError as error:
            self.call_from_thread(session.report, f"⚠ The sample cases can't be opened: {error}")
            return
        self.call_from_thread(self._show_sample, store)

    def _show_sample(self, store: CaseRepository) -> None:
        old, old_store = self._session, self.store
        self.store, self.sample = store, True
        self.sub_title = f"sample cases: {store.location}"
        self._session = Session(
            store, self._from_thread, settle=SAVE_SETTLE_SECONDS, author=self.settings.me
        )
        self.switch_screen(MainScreen())
        if old is not None:
            old.stop()
        old_store.close()

    def show_case(self, case_id: str) -> None:
        """Select this case on the main screen (from the command palette)."""
        with suppress(LookupError):
            self.main.select_case(case_id)

    async def run_on_main(self, action: str) -> None:
        """Run one of the main screen's actions (from the command palette)."""
        with suppress(LookupError):
            await self.main.run_action(action)

    def _ask_to_abandon(self, pending: int) -> None:
        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self._finish()

        self.push_screen(
            ConfirmScreen(
                f"{pending} change(s) could not be saved yet (see the status line). "
                "Quit anyway and lose them?",
                yes="Quit and lose them",
                no="Keep trying",
            ),
            answer,
        )
