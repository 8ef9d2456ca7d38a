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
from collections import deque
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
        if name == "time" and (args.what or "").strip().lower() in ("start", "stop"):
            raise UsageError(
                f"line {number} ({_quoted(words)}): a timer is started and stopped by its own "
                "command, not in a batch (starting one stops another); a batch logs minutes: "
                "time C-0042 25"
            )
        args.command = name
        lines.append(_Line(number, words, args))
    if not lines:
        raise UsageError("the batch is empty: give one change per line on stdin")
    return lines


def _stdin() -> str:
    """What stdin holds, as text; a refusal in words when it can't be read as such."""
    if sys.stdin is None:
        raise UsageError("there is no stdin to read the changes from")
    if sys.stdin.isatty():
        print("Type the changes, one a line; ctrl+d ends them.", file=sys.stderr)
    try:
        raw = sys.stdin.buffer.read()
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise UsageError(
            f"stdin is not UTF-8 text: line {line} has a byte that can't be read (0x{bad}); "
            "nothing was changed"
        ) from None
    except (OSError, AttributeError) as error:
        raise UsageError(f"stdin could not be read ({error}); nothing was changed") from None


def cmd_batch(ctx: Context, args: argparse.Namespace) -> int:
    lines = read_lines(_stdin())
    from workbench.storage.undo_journal import KEEP

    results: list[dict[str, Any]] = []
    held: deque[Any] = deque(maxlen=KEEP)  # the journal keeps the last changes only
    try:
        with ctx.store.batch():
            for line in lines:
                results.append(_apply(ctx, line, held, keep_going=args.keep_going))
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


def _apply(ctx: Context, line: _Line, held: deque[Any], *, keep_going: bool) -> dict[str, Any]:
    out = io.StringIO()
    mine = replace(ctx, out=out, command=line.args.command, hold_undo=held)
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
