"""The ``workbench`` command: the full-screen workbench, and subcommands over the same data.

:func:`build_parser` asks each command module to ``register`` its subcommands;
:func:`main` builds the :class:`~workbench.cli.context.Context` and runs the one asked for.
A command loads its own module only (:data:`COMMANDS` says which): ``step`` never loads
the code of ``export``, ``report`` or ``copy``; ``workbench --help`` and a mistyped
command load them all, to list them.

Exit status: 0 done; 1 ``doctor`` found problems; 2 bad input or a file that can't be
used, with one line on stderr saying why; 70 a bug, said in one sentence naming the bug
log (:mod:`workbench.buglog`) that holds its traceback. No traceback or customer data
reaches the terminal (set ``WORKBENCH_DEBUG=1`` to see the traceback there).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from workbench import __version__, paths
from workbench.cli.context import (
    Context,
    Handler,
    UsageError,
    shown,
)
from workbench.cli.screen import cmd_tui
from workbench.domain.actions import DomainError
from workbench.domain.clock import Clock, local_now
from workbench.domain.date_settings import DateParseError
from workbench.domain.model import CaseIdError
from workbench.settings import OverrideError, SettingsError, load_settings
from workbench.storage.errors import StoreError
from workbench.storage.gc_pauses import no_gc_pauses

COMMANDS: dict[str, str] = {
    "add": "cases",
    "edit": "cases",
    "list": "cases",
    "show": "cases",
    "step": "working",
    "note": "working",
    "followup": "working",
    "status": "working",
    "assign": "working",
    "escalate": "working",
    "remedy": "working",
    "time": "working",
    "close": "working",
    "say": "conversation",
    "customer": "conversation",
    "undo": "conversation",
    "playbooks": "playbooks",
    "demo": "playbooks",
    "doctor": "backups",
    "backups": "backups",
    "restore": "backups",
    "fold": "backups",
    "copy": "moving",
    "import": "importing",
    "export": "export",
    "followups": "export",
    "report": "report",
    "remind": "reminding",
    "batch": "batch",
}
"""Every subcommand and the module of :mod:`workbench.cli` that registers it, in the order
of ``--help`` (a test holds this to what the modules register)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse quotes the arguments it refuses as they were typed, escape bytes and all.
        self.exit(2, f"workbench: {shown(message)}\nTry: {self.prog} --help\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (``only``, one of :data:`COMMANDS`) of that one
    alone, its module the only one loaded."""
    parser = _Parser(
        prog="workbench",
        description="A workbench for handling unhappy, angry or mistaken customers. "
        "With no command, opens the full-screen workbench.",
        epilog=f"Settings (don't-wait hours, default hour, date order, week start, theme, "
        f"keys) are read from {paths.settings_file()} (or ${paths.SETTINGS_ENV}); without "
        "that file every setting has its default. See “Settings” in the README.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"database file, or postgresql://… for a team's server (default: "
        f"${paths.DB_ENV}, else {paths.default_data_dir() / paths.DB_FILENAME})",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str,
        handler: Handler,
        help: str,
        *,
        data: bool = True,
    ) -> argparse.ArgumentParser:
        if only is not None and name != only:  # registered by the same module: not wanted
            return argparse.ArgumentParser(add_help=False)
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        if data:
            p.add_argument("--json", action="store_true", help="print data as JSON")
        p.add_argument(
            "--db",
            metavar="PATH",
            default=argparse.SUPPRESS,
            help="database file, or postgresql://… for a team's server",
        )
        return p

    names = list(dict.fromkeys(COMMANDS.values())) if only is None else [COMMANDS[only]]
    for name in names:
        _command_module(name).register(command)
    return parser


def _command_module(name: str) -> ModuleType:
    """One command module, loaded now (each named in the code: nothing here imports a
    name made from text)."""
    if name == "cases":
        from workbench.cli import cases

        return cases
    if name == "working":
        from workbench.cli import working

        return working
    if name == "conversation":
        from workbench.cli import conversation

        return conversation
    if name == "playbooks":
        from workbench.cli import playbooks

        return playbooks
    if name == "backups":
        from workbench.cli import backups

        return backups
    if name == "moving":
        from workbench.cli import moving

        return moving
    if name == "importing":
        from workbench.cli import importing

        return importing
    if name == "export":
        from workbench.cli import export

        return export
    if name == "report":
        from workbench.cli import report

        return report
    if name == "reminding":
        from workbench.cli import reminding

        return reminding
    if name == "batch":
        from workbench.cli import batch

        return batch
    raise LookupError(f"no command module {name!r}")


def command_named(words: Sequence[str]) -> str | None:
    """The subcommand the words name, when it is one of :data:`COMMANDS` (after any
    ``--db PATH``); None for the screen, ``--help``, ``--version`` or a word that is not a
    command (the full parser then says so, listing them)."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif word in ("-h", "--help", "--version"):
            return None
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def _undecodable(argv: Sequence[str]) -> str | None:
    """The first argument that was not valid UTF-8 (Python keeps such bytes as surrogates)."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:  # show the bytes as they came: b"Caf\xe9" → Caf\xe9
                raw = arg.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                raw = arg.encode("utf-8", "backslashreplace")
            return raw.decode("utf-8", "backslashreplace")
    return None


def main(argv: Sequence[str] | None = None, *, clock: Clock = local_now) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    bad = _undecodable(words)
    if bad is not None:
        print(
            f"workbench: the argument “{shown(bad)}” is not valid UTF-8 text; "
            "check your terminal's character encoding (nothing was changed).",
            file=sys.stderr,
        )
        return 2
    parser = build_parser(command_named(words))
    args = parser.parse_args(words)
    handler: Handler = getattr(args, "handler", cmd_tui)
    opened: list[Context] = []
    try:
        return _run(handler, args, opened, clock)
    finally:
        for ctx in opened:  # the store holds the file open; a caller may run many commands
            if ctx._store is not None:
                ctx._store.close()


def _run(
    handler: Handler,
    args: argparse.Namespace,
    opened: list[Context],
    clock: Clock,
) -> int:
    try:
        settings = load_settings()  # a bad file or override stops here, before the database opens
        url = paths.database_url(args.db)
        ctx = Context(
            db_path=None if url else paths.resolve_db_path(args.db),
            db_url=url,
            now=clock(),
            out=sys.stdout,
            err=sys.stderr,
            as_json=getattr(args, "json", False),
            settings=settings,
            command=getattr(args, "command", None) or "",
        )
        opened.append(ctx)
        if handler is cmd_tui:
            return handler(ctx, args)
        # A command runs for a moment and makes no garbage worth a cycle collection; the
        # collections it would otherwise run over ten thousand loaded cases cost more
        # than the command's own work.
        with no_gc_pauses():
            code = handler(ctx, args)
        if ctx._store is not None:  # a backup skipped, and why: said, never silent
            for notice in ctx._store.take_notices():
                print(f"workbench: {shown(notice)}", file=sys.stderr)
        return code
    except (
        UsageError,
        DomainError,
        DateParseError,
        StoreError,
        CaseIdError,
        SettingsError,
        OverrideError,
    ) as error:  # refusals by kind; anything else is a bug, said as one below
        print(f"workbench: {shown(str(error))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted; nothing half-saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: say so plainly, never with a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        # The error's own text may quote a case (a customer's name, a note): it goes to
        # the log with the traceback, and only its kind is said here.
        from workbench import buglog  # only a bug needs it

        logged = buglog.record_bug(error, "command line", local_now())
        details = (
            f"the details are in {shown(str(logged))}"
            if logged is not None
            else "run with WORKBENCH_DEBUG=1 to see the details"
        )
        print(
            f"workbench: something went wrong inside the workbench ({type(error).__name__}), "
            f"a bug; saves are all-or-nothing, so the database file is whole, and {details}.",
            file=sys.stderr,
        )
        return 70
