"""``workbench batch``: many changes from a script, read from stdin and saved in one write.

Each line is one change, written as its command's arguments without ``workbench`` in front:
as a shell would split them (``step C-0042 2 --done``, ``note C-0042 "Called, no answer"``)
or as a JSON array of strings (``["note", "C-0042", "Called, no answer"]``), which needs no
quoting rules at all. Blank lines and lines starting with ``#`` are passed over.

Every line is read and checked before anything changes: a line that is not one of the
changes (:data:`BATCHABLE`) or whose arguments won't do stops the batch with its number.
Then the changes are applied in order under one hold of the database (one write of the
file, one transaction on a server):

* by default all or nothing: the first refusal ("C-0042 is closed") stops the batch, and
  nothing of it is saved;
* with ``--keep-going`` a refused line changes nothing and the others are saved; the
  report says which were refused and why.

``--json`` prints ``{"saved", "refused", "lines": [{"line", "command", "saved", "result"
or "error"}]}``; each result is what the command's own ``--json`` gives. Each change can be
taken back with ``workbench undo`` (the last first), as if it had been typed.
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from workbench.cli.context import AddCommand, Context, Handler, UsageError, shown
from workbench.domain.date_settings import DateParseError
from workbench.domain.errors import DomainError
from workbench.domain.model import CaseIdError
from workbench.storage.errors import StoreError

BATCHABLE = (
    "add",
    "edit",
    "step",
    "note",
    "followup",
    "status",
    "assign",
    "escalate",
    "remedy",
    "time",
    "close",
)
"""The commands a batch may hold: the ones that change one case."""

MOST_LINES = 100_000
"""A batch longer than this is refused before anything is read into changes."""

_REFUSALS = (DomainError, DateParseError, CaseIdError, UsageError, StoreError)


class _LineRefused(Exception):
    def __init__(self, number: int, words: list[str], error: Exception) -> None:
        super().__init__(f"line {number} ({_quoted(words)}): {error}")
        self.number = number


class _LineParser(argparse.ArgumentParser):
    """A parser for one line: a mistake is raised, never printed and exited on."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise UsageError(message or "--help is not a change")


@dataclass(frozen=True)
class _Line:
    number: int
    words: list[str]
    args: argparse.Namespace


def _quoted(words: list[str]) -> str:
    return shlex.join(words) if words else "(empty)"


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser per batchable command, built by the commands' own modules."""
    from workbench.cli import cases, working

    root = _LineParser(prog="workbench batch line", add_help=False)
    sub = root.add_subparsers(dest="command", parser_class=_LineParser)
    found: dict[str, argparse.ArgumentParser] = {}

    def command(name: str, handler: Handler, help: str, *, data: bool = True) -> Any:
        parser = sub.add_parser(name, help=help, add_help=False)
        parser.set_defaults(handler=handler)
        found[name] = parser
        return parser

    cases.register(command)
    working.register(command)
    return {name: found[name] for name in BATCHABLE}


def _words(number: int, text: str) -> list[str]:
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            words = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise UsageError(f"line {number} is not a JSON array: {error.msg}") from None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise UsageError(f"line {number}: a JSON line is an array of strings")
        return words
    try:
        return shlex.split(stripped)
    except ValueError as error:
        raise UsageError(f"line {number} can't be split into words: {error}") from None


def read_lines(text: str) -> list[_Line]:
    """Every change in ``text``, checked; :class:`UsageError` names the first line that
    won't do, before anything is changed."""
    raw = text.splitlines()
    if len(raw) > MOST_LINES:
        raise UsageError(
            f"a batch holds at most {MOST_LINES:,} lines, and this one has {len(raw):,}; "
            "split it in several."
        )
    parsers = _parsers()
    lines: list[_Line] = []
    for number, line in enumerate(raw, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = _words(number, line)
        if not words:
            continue
        name = words[0]
        if name not in parsers:
            raise UsageError(
                f"line {number}: “{shown(name)}” is not a change a batch can hold; it takes "
                f"{', '.join(BATCHABLE)}"
            )
        if any(word in ("--db", "--json") or word.startswith("--db=") for word in words[1:]):
            raise UsageError(
                f"line {number}: --db and --json go on the batch command, not on its lines"
            )
        try:
            args = parsers[name].parse_args(words[1:])
        except UsageError as error:
            raise UsageError(f"line {number} ({_quoted(words)}): {error}") from None
        args.command = name
        lines.append(_Line(number, words, args))
    if not lines:
        raise UsageError("the batch is empty: give one change per line on stdin")
    return lines


def cmd_batch(ctx: Context, args: argparse.Namespace) -> int:
    lines = read_lines(sys.stdin.read())
    results: list[dict[str, Any]] = []
    held: list[Any] = []
    from workbench.storage.undo_journal import KEEP

    try:
        with ctx.store.batch():
            for index, line in enumerate(lines):
                kept = index >= len(lines) - KEEP  # the journal keeps the last ones only
                results.append(_apply(ctx, line, held, kept, keep_going=args.keep_going))
    except _LineRefused as stopped:
        raise UsageError(
            f"{stopped} Nothing was saved: a batch is all or nothing (--keep-going saves "
            "the lines that can be)."
        ) from None
    ctx.remember_held(held)
    saved = sum(1 for result in results if result["saved"])
    refused = len(results) - saved
    data = {"saved": saved, "refused": refused, "lines": results}
    said = [f"line {r['line']}: {r['said']}" for r in results]
    what = f"{saved} change{'s' if saved != 1 else ''} saved in one write"
    said.append(f"{what}; {refused} refused." if refused else f"{what}.")
    for result in results:
        del result["said"]
    ctx.emit(data, "\n".join(said))
    return 1 if refused else 0


def _apply(
    ctx: Context, line: _Line, held: list[Any], undo_kept: bool, *, keep_going: bool
) -> dict[str, Any]:
    out = io.StringIO()
    mine = replace(ctx, out=out, command=line.args.command, hold_undo=held, undo_kept=undo_kept)
    try:
        line.args.handler(mine, line.args)
    except _REFUSALS as error:
        if not keep_going:
            raise _LineRefused(line.number, line.words, error) from None
        return {
            "line": line.number,
            "command": _quoted(line.words),
            "saved": False,
            "error": str(error),
            "said": f"refused: {shown(str(error))}",
        }
    told = out.getvalue()
    return {
        "line": line.number,
        "command": _quoted(line.words),
        "saved": True,
        "result": json.loads(told) if ctx.as_json else None,
        "said": told.strip() if not ctx.as_json else "",
    }


def register(command: AddCommand) -> None:
    """Adds ``batch``."""
    p = command(
        "batch",
        cmd_batch,
        "many changes from stdin, one per line (step C-0042 2 --done), saved in one write",
    )
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="save the lines that can be and report the others (default: all or nothing)",
    )
