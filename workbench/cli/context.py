"""What every command shares: the :class:`Context` (store, settings, clock, output), the
:class:`UsageError` that means "bad input, exit 2", and :func:`shown` for text bound for the
terminal.

Command modules import this module, :mod:`workbench.cli.arguments` and
:mod:`workbench.cli.format`; never each other.
"""

from __future__ import annotations

import argparse
import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TextIO, TypeVar

from workbench import paths
from workbench.domain.agents import signed
from workbench.domain.date_settings import DateSettings
from workbench.domain.model import Case
from workbench.domain.playbooks import PlaybookLibrary
from workbench.domain.targets import Targets
from workbench.domain.text import visible
from workbench.settings import Settings
from workbench.storage import CaseRepository, CaseStore, StoreError
from workbench.storage.playbook_files import load_library

T = TypeVar("T")


class UsageError(Exception):
    """Bad input from the command line: exit 2 with this message."""


def shown(message: str) -> str:
    """A message for the terminal: control characters in it (from arguments or data, such
    as an escape sequence) are spelled out as ``\\x1b``, never sent as they are."""
    return visible(message, one_line=False)


@dataclass
class Context:
    """What every command needs, built once at the entry point."""

    db_path: Path | None
    """The database file; None when the database is a PostgreSQL server (:attr:`db_url`)."""
    now: datetime
    out: TextIO
    err: TextIO
    as_json: bool = False
    settings: Settings = field(default_factory=Settings)
    """As read, the environment's overrides applied (:func:`workbench.settings.load_settings`)."""
    db_url: str | None = None
    """The PostgreSQL server's URL (``postgresql://…``) when the cases are kept there."""
    screen: bool = False
    """True for the full screen: a server's store then pools its connections (the screen
    reads and saves from several threads); a command uses one."""
    command: str = ""
    """The subcommand running (``step``): names its changes in the undo journal."""
    hold_undo: deque[tuple[str, Case, Case]] | None = None
    """Inside a batch: the undo journal's entries, held until the batch is saved (a
    batch that fails saves nothing, and so has nothing to undo)."""
    _store: CaseRepository | None = None
    _library: PlaybookLibrary | None = None

    @property
    def targets(self) -> Targets:
        """The response targets by heat, as the settings give them."""
        return self.settings.targets

    @property
    def date_settings(self) -> DateSettings:
        """How dates typed on the command line are read."""
        return self.settings.date_settings()

    @property
    def store(self) -> CaseRepository:
        if self._store is None:
            if self.db_url is not None:
                self._store = open_server(self.db_url, pooled=self.screen)
            else:
                assert self.db_path is not None  # one or the other, from the entry point
                self._store = open_store(self.db_path)
        return self._store

    @property
    def agent(self) -> str:
        """Who is making the changes: the ``agent`` setting, else the login name."""
        return self.settings.me

    def change(self, case_id: str, change: Callable[[Case], T]) -> tuple[Case, T]:
        """The store's update, with the change's timeline lines signed by :attr:`agent`,
        written down for ``workbench undo`` with the case as it was just before (read
        under the store's lock, so it is exactly what this change did)."""
        from workbench.domain.undo import differences  # only commands that change a case
        from workbench.storage.fast_records import copy_case

        signed_change = signed(change, self.agent)
        seen: list[Case] = []

        def recorded(case: Case) -> T:
            seen[:] = [copy_case(case)]
            return signed_change(case)

        case, result = self.store.update(case_id, recorded)
        if seen and differences(seen[0], case):
            if self.hold_undo is not None:
                self.hold_undo.append((self.command, seen[0], case))
            else:
                self._remember([(self.command, seen[0], case)])
        return case, result

    def remember_held(self, held: Iterable[tuple[str, Case, Case]]) -> None:
        """Write down for ``workbench undo`` the changes a batch held back, now saved."""
        changes = list(held)
        if changes:
            self._remember(changes)

    def _remember(self, changes: list[tuple[str, Case, Case]]) -> None:
        from workbench.storage.undo_journal import Entry, JournalError, UndoJournal

        where = self.store.location
        entries = [
            Entry(where, after.id, f"workbench {command}", self.now, before, after)
            for command, before, after in changes
        ]
        try:
            UndoJournal(paths.undo_journal_file()).remember(*entries)
        except JournalError as error:  # the change is made; only its undo is lost: said
            print(
                f"workbench: {shown(str(error))} This change can't be undone with "
                "`workbench undo`.",
                file=self.err,
            )

    def db_file(self, command: str) -> Path:
        """The database file, for a command about files (backups, restore); a server's
        cases are kept by the server, and the command says so."""
        if self.db_path is None:
            raise UsageError(
                f"`workbench {command}` is about a database file, and the cases are on a "
                "PostgreSQL server; back it up with pg_dump (see the README)."
            )
        return self.db_path

    @property
    def library(self) -> PlaybookLibrary:
        if self._library is None:
            self._library = load_library(paths.playbooks_dir())
            for problem in self._library.problems:
                print(f"workbench: skipped a playbook: {shown(str(problem))}", file=self.err)
        return self._library

    def emit(self, data: Any, text: str) -> None:
        if self.as_json:
            json.dump(data, self.out, indent=2, ensure_ascii=False)
            self.out.write("\n")
        else:
            self.out.write(shown(text.rstrip("\n")) + "\n")  # data is never a terminal command

    def when(self, phrase: str, *, allow_past: bool = False) -> datetime:
        from workbench.domain.dates import parse_when  # its grammar: only dates need it

        return parse_when(phrase, self.now, settings=self.date_settings, allow_past=allow_past)


Handler = Callable[[Context, argparse.Namespace], int]
"""A subcommand: does its work, says what it did through the context, returns the exit status."""


class AddCommand(Protocol):
    """Adds one subcommand (with ``--db``, and ``--json`` unless ``data=False``) and returns
    its parser for the command's own arguments; what each module's ``register`` is given."""

    def __call__(
        self, name: str, handler: Handler, help: str, *, data: bool = True
    ) -> argparse.ArgumentParser: ...


def open_store(db_path: Path) -> CaseRepository:
    """The store for ``db_path``; the default data folder is created, any other must exist.

    The one place the command line names a backend: every command uses the seam."""
    if paths.is_default_db(db_path):
        paths.ensure_default_data_dir()
    elif not db_path.parent.is_dir():
        raise StoreError(
            f"The folder {db_path.parent} does not exist.",
            "Create it first, or point --db at a file in an existing folder.",
        )
    return CaseStore(db_path)


def open_server_module() -> ModuleType:
    """:mod:`workbench.storage.postgres`, loaded now (psycopg loads only for a server),
    or a sentence saying how to install what it needs."""
    try:
        from workbench.storage import postgres
    except ImportError:
        raise StoreError(
            "Cases on a PostgreSQL server need the postgres extra, which is not installed.",
            "Install it with: pip install 'workbench[postgres]' (or .[postgres] from the "
            "project's folder).",
        ) from None
    return postgres


def open_server(url: str, *, pooled: bool = False) -> CaseRepository:
    """The store on the PostgreSQL server at ``url``: one connection for a command,
    a pool (``pooled``) for the screen's threads."""
    store: CaseRepository = open_server_module().PostgresStore(url, pooled=pooled)
    return store
