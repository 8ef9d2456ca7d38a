"""The ``workbench`` command: the full-screen workbench, and subcommands over the same data.

Exit status: 0 done; 1 ``doctor`` found problems; 2 bad input or a file that can't be
used, with one line on stderr saying why. No traceback reaches a user (set
``WORKBENCH_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

from workbench import __version__, paths
from workbench.cli_backups import cmd_backups, cmd_restore, configure_restore_parser
from workbench.cli_export import (
    cmd_export,
    cmd_followups,
    configure_export_parser,
    configure_followups_parser,
)
from workbench.cli_format import (
    case_json,
    case_line_json,
    format_case,
    format_case_table,
)
from workbench.cli_report import cmd_report, configure_report_parser
from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.clock import Clock, local_now
from workbench.domain.dates import DateParseError, DateSettings, parse_when
from workbench.domain.merge import Edit
from workbench.domain.model import (
    Case,
    CaseIdError,
    Channel,
    Fault,
    Heat,
    Outcome,
    Remedy,
    Status,
    Step,
)
from workbench.domain.playbooks import PlaybookLibrary, load_library
from workbench.domain.search import SortOrder, matches, needle, sort_key, text_matches
from workbench.domain.text import visible
from workbench.settings import Settings, SettingsError, load_settings
from workbench.storage import CaseStore, StoreError
from workbench.storage.records import no_gc_pauses

E = TypeVar("E", bound=StrEnum)


SORT_ORDERS = {
    "id": SortOrder.ID,
    "followup": SortOrder.FOLLOWUP,
    "age": SortOrder.AGE,
    "heat": SortOrder.HEAT,
}


class UsageError(Exception):
    """Bad input from the command line: exit 2 with this message."""


def _enum_arg(enum: type[E]) -> Callable[[str], E]:
    """An argparse type taking a value or its label: ``in_progress`` or ``in progress``."""

    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    names: dict[str, E] = {}
    for member in enum:
        names[norm(member.value)] = member
        names.setdefault(norm(str(getattr(member, "label", member.value))), member)

    def convert(text: str) -> E:
        try:
            return names[norm(text)]
        except KeyError:
            allowed = ", ".join(member.value for member in enum)
            raise argparse.ArgumentTypeError(f"“{text}” is not one of: {allowed}") from None

    convert.__name__ = enum.__name__.lower()
    return convert


def _ascii_number(text: str) -> int | None:
    """``"12"`` → 12: digits 0-9 only (``int`` would also take "١٢" or "１２"), else None."""
    cleaned = text.strip()
    digits = cleaned.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(cleaned)


def _followup_number(text: str) -> int:
    number = _ascii_number(text.strip().upper().removeprefix("F"))
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"“{text}” is not a follow-up number like F2 or 2")
    return number


def _whole_number(text: str) -> int:
    """An argparse type: a whole number written with the digits 0-9."""
    number = _ascii_number(text)
    if number is None:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number like 20")
    return number


def _count(text: str) -> int:
    """An argparse type: how many, 1 or more."""
    number = _ascii_number(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a number of 1 or more; say how many, like 20"
        )
    return number


@dataclass
class Context:
    """What every command needs, built once at the entry point."""

    db_path: Path
    now: datetime
    out: TextIO
    err: TextIO
    as_json: bool = False
    date_settings: DateSettings = field(default_factory=DateSettings)
    settings: Settings = field(default_factory=Settings)
    _store: CaseStore | None = None
    _library: PlaybookLibrary | None = None

    @property
    def dont_wait(self) -> timedelta:
        """How long a case may wait for its first contact before it is flagged."""
        return self.settings.dont_wait

    @property
    def store(self) -> CaseStore:
        if self._store is None:
            self._store = open_store(self.db_path)
        return self._store

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
        return parse_when(phrase, self.now, settings=self.date_settings, allow_past=allow_past)


def open_store(db_path: Path) -> CaseStore:
    """The store for ``db_path``; the default data folder is created, any other must exist."""
    if paths.is_default_db(db_path):
        paths.ensure_default_data_dir()
    elif not db_path.parent.is_dir():
        raise StoreError(
            f"The folder {db_path.parent} does not exist.",
            "Create it first, or point --db at a file in an existing folder.",
        )
    return CaseStore(db_path)


def date_settings_from_env(settings: Settings | None = None) -> DateSettings:
    """How dates are read: as the settings say, ``WORKBENCH_DATE_ORDER`` (dmy or mdy) winning."""
    settings = settings or Settings()
    order = os.environ.get("WORKBENCH_DATE_ORDER", "").strip().lower()
    if not order:
        return settings.date_settings()
    if order not in ("dmy", "mdy"):
        raise UsageError(f"WORKBENCH_DATE_ORDER must be dmy or mdy, not “{order}”")
    return settings.date_settings("dmy" if order == "dmy" else "mdy")


# -- commands -------------------------------------------------------------------------


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    draft = CaseDraft(
        title=args.title,
        customer=args.customer,
        contact=args.contact,
        channel=args.channel,
        heat=args.heat,
        fault=args.fault,
        tags=args.tag,
    )
    library = ctx.library
    playbook = (
        library.get(args.playbook) if args.playbook else library.suggest(args.heat, args.fault)
    )
    case = ctx.store.add(draft, playbook, ctx.now, contacted=args.contacted)
    first = case.steps[0].title if case.steps else "—"
    ctx.emit(
        case_json(case, ctx.now, ctx.dont_wait),
        f"Opened {case.id} for {visible(case.customer)}: {visible(case.title)}\n"
        f"Playbook: {playbook.name} ({len(case.steps)} steps). First: {visible(first)}",
    )
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    library = ctx.library
    playbook = library.get(args.playbook) if args.playbook else None
    names = {p.key: p.name for p in library}

    def edit(case: Case) -> Edit:
        # Built from this very case, under the lock: what is not given stays as it is.
        draft = CaseDraft(
            title=case.title if args.title is None else args.title,
            customer=case.customer if args.customer is None else args.customer,
            contact=case.contact if args.contact is None else args.contact,
            channel=args.channel or case.channel,
            heat=args.heat or case.heat,
            fault=args.fault or case.fault,
            tags=[] if args.no_tags else args.tag or list(case.tags),
        )
        return actions.edit_case(case, draft, ctx.now, playbook, names=names)

    case, edited = ctx.store.update(args.case, edit)
    data = case_json(case, ctx.now, ctx.dont_wait)
    data["changed"] = list(edited.changed)
    if not edited:
        ctx.emit(data, f"{case.id}: nothing changed.")
        return 0
    lines = [f"{case.id}: changed {', '.join(edited.changed)}."]
    if "playbook" in edited.changed:
        lines.append(visible(case.timeline[-1].text) + ".")  # what became of the steps
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    cases = ctx.store.all_cases()
    if args.status:
        cases = [c for c in cases if c.status in args.status]
    elif not args.all:
        cases = [c for c in cases if c.status.is_open]
    if args.customer:
        wanted = needle(args.customer)
        cases = [c for c in cases if text_matches(c.customer, wanted)]
    if args.search:
        found = needle(args.search)
        cases = [c for c in cases if matches(c, found)]
    cases = sorted(cases, key=sort_key(SORT_ORDERS[args.sort], ctx.now))
    if args.limit is not None:
        cases = cases[: args.limit]
    ctx.emit(
        [case_line_json(c, ctx.now, ctx.dont_wait) for c in cases],
        format_case_table(cases, ctx.now, ctx.dont_wait) if cases else "No cases match.",
    )
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    case = ctx.store.get(args.case)
    playbook_names = {p.key: p.name for p in ctx.library}
    ctx.emit(
        case_json(case, ctx.now, ctx.dont_wait),
        format_case(case, ctx.now, playbook_names, ctx.dont_wait),
    )
    return 0


def _step_index(case: Case, which: str) -> int:
    number = _ascii_number(which)
    if number is not None:
        return number - 1
    for index, step in enumerate(case.steps):
        if step.key == which:
            return index
    keys = ", ".join(step.key for step in case.steps)
    raise DomainError(
        f"{case.id} has no step “{which}”; use a number 1-{len(case.steps)} or: {keys}"
    )


def cmd_step(ctx: Context, args: argparse.Namespace) -> int:
    ticking = args.done is not None or args.note is None  # only --note: the tick stays

    def change(case: Case) -> tuple[int, Step]:
        index = _step_index(case, args.step)
        step = actions.step_at(case, index)
        if args.done is not None:
            actions.set_step(case, index, args.done, ctx.now)
        elif ticking:
            actions.toggle_step(case, index, ctx.now)
        if args.note is not None:
            actions.set_step_note(case, index, args.note, ctx.now)
        return index, step

    case, (index, step) = ctx.store.update(args.case, change)
    title = visible(step.title)
    said = []
    if ticking:
        said.append(f"“{title}” is {'done' if step.done else 'not done'}")
    if args.note is not None:
        noted = "saved" if step.note else "cleared"
        said.append(
            f"the note on step {index + 1} is {noted}"
            if ticking
            else f"note {noted} on step {index + 1}, “{title}”"
        )
    ctx.emit(case_json(case, ctx.now, ctx.dont_wait), f"{case.id}: {'; '.join(said)}.")
    return 0


def cmd_note(ctx: Context, args: argparse.Namespace) -> int:
    case, _ = ctx.store.update(args.case, lambda c: actions.add_note(c, args.text, ctx.now))
    ctx.emit(case_json(case, ctx.now, ctx.dont_wait), f"Noted on {case.id}.")
    return 0


def cmd_followup(ctx: Context, args: argparse.Namespace) -> int:
    if args.done is not None:
        number = args.done
        case, _ = ctx.store.update(
            args.case, lambda c: actions.complete_followup(c, number, ctx.now, args.note or "")
        )
        ctx.emit(case_json(case, ctx.now, ctx.dont_wait), f"{case.id}: follow-up F{number} done.")
        return 0
    if args.cancel is not None:
        number = args.cancel
        case, _ = ctx.store.update(
            args.case, lambda c: actions.cancel_followup(c, number, ctx.now, args.note or "")
        )
        ctx.emit(
            case_json(case, ctx.now, ctx.dont_wait), f"{case.id}: follow-up F{number} cancelled."
        )
        return 0
    if not args.when:
        raise UsageError('say when, e.g. workbench followup C-0042 "tomorrow 10am"')
    due = ctx.when(" ".join(args.when))
    if args.move is not None:
        number = args.move

        def move(case: Case) -> bool:
            logged = len(case.timeline)
            actions.reschedule_followup(case, number, due, ctx.now)
            return len(case.timeline) > logged  # a move to where it is logs nothing

        case, moved = ctx.store.update(args.case, move)
        ctx.emit(
            case_json(case, ctx.now, ctx.dont_wait),
            f"{case.id}: follow-up F{number} moved to {due:%a %d %b %Y, %H:%M}."
            if moved
            else f"{case.id}: nothing changed; follow-up F{number} is already on "
            f"{due:%a %d %b %Y, %H:%M}.",
        )
        return 0
    case, item = ctx.store.update(
        args.case, lambda c: actions.schedule_followup(c, due, args.what, ctx.now, args.channel)
    )
    ctx.emit(
        case_json(case, ctx.now, ctx.dont_wait),
        f"{case.id}: follow-up F{item.id} on {due:%a %d %b %Y, %H:%M} — {visible(item.action)}",
    )
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    case, changed = ctx.store.update(
        args.case, lambda c: actions.set_status(c, args.status, ctx.now)
    )
    word = "is now" if changed else "was already"
    ctx.emit(case_json(case, ctx.now, ctx.dont_wait), f"{case.id} {word} {case.status.label}.")
    return 0


def cmd_remedy(ctx: Context, args: argparse.Namespace) -> int:
    cost = actions.parse_cost(args.cost)

    def record(case: Case) -> tuple[Remedy, bool]:
        before = case.remedy
        remedy = actions.record_remedy(case, args.description, cost, args.accepted, ctx.now)
        return remedy, remedy is not before

    case, (remedy, changed) = ctx.store.update(args.case, record)
    what = f"{visible(remedy.description)}, cost {remedy.cost:.2f}, {remedy.answer_label}"
    ctx.emit(
        case_json(case, ctx.now, ctx.dont_wait),
        f"{case.id}: remedy recorded — {what}."
        if changed
        else f"{case.id}: nothing changed; the remedy is already {what}.",
    )
    return 0


def cmd_close(ctx: Context, args: argparse.Namespace) -> int:
    def close(case: Case) -> None:
        pending = case.open_followups
        if pending and args.followups is None:
            listed = ", ".join(f"F{f.id} ({f.due:%d %b %H:%M})" for f in pending)
            raise UsageError(
                f"{case.id} still has open follow-ups: {listed}. "
                "Add --cancel-followups to cancel them, or --keep-followups to keep them."
            )
        actions.close_case(
            case,
            args.outcome,
            ctx.now,
            allow_open_steps=args.force,
            note=args.note or "",
            cancel_followups=args.followups == "cancel",
        )

    try:
        case, _ = ctx.store.update(args.case, close)
    except actions.OpenStepsError as error:
        first = error.numbers[0] if error.numbers else 1
        raise UsageError(
            f"{error.case_id} still has {error.open_steps()}: tick {error.them} first "
            f"(workbench step {error.case_id} {first} --done), or add --force to close it "
            "anyway."
        ) from None
    ctx.emit(case_json(case, ctx.now, ctx.dont_wait), f"{case.id} closed: {args.outcome.label}.")
    return 0


def cmd_playbooks(ctx: Context, args: argparse.Namespace) -> int:
    library = ctx.library
    chosen = [library.get(args.key)] if args.key else list(library)
    data = [
        {
            "key": p.key,
            "name": p.name,
            "situation": p.situation,
            "builtin": p.builtin,
            "faults": sorted(f.value for f in p.faults),
            "heats": sorted(h.value for h in p.heats),
            "steps": [{"key": s.key, "title": s.title, "guidance": s.guidance} for s in p.steps],
        }
        for p in chosen
    ]
    lines = []
    for p in chosen:
        origin = "built in" if p.builtin else f"from {p.path}"
        lines.append(f"{p.key:<12} {visible(p.name)} ({len(p.steps)} steps, {origin})")
        lines.append(f"{'':<12} {visible(p.situation)}")
        if args.key:
            for number, s in enumerate(p.steps, 1):
                lines.append(f"  {number}. {visible(s.title)}\n     {visible(s.guidance)}")
    lines.append(f"\nYour own playbooks go in {paths.playbooks_dir()} (*.toml).")
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    if args.cases < 1 or args.cases > 100_000:
        raise UsageError("--cases must be between 1 and 100000")
    from workbench.domain.demo import make_demo_cases  # only this command needs it

    cases = make_demo_cases(args.cases, ctx.library, ctx.now, seed=args.seed)
    stored = ctx.store.add_many(cases)
    ctx.emit(
        {
            "added": len(stored),
            "first": stored[0].id,
            "last": stored[-1].id,
            "db": str(ctx.db_path),
        },
        f"Added {len(stored)} demo cases ({stored[0].id} to {stored[-1].id}) to {ctx.db_path}",
    )
    return 0


def cmd_doctor(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.storage.doctor import Level, examine  # only this command needs it

    report = examine(ctx.db_path, (p.key for p in ctx.library))
    data = {
        "path": str(report.path),
        "healthy": report.healthy,
        "cases": report.cases,
        "findings": [{"level": f.level.value, "message": f.message} for f in report.findings],
    }
    marks = {Level.OK: "ok", Level.WARNING: "warning", Level.PROBLEM: "PROBLEM"}
    lines = [f"{marks[f.level]:>8}  {f.message}" for f in report.findings]
    settings_path = ctx.settings.path or paths.settings_file()
    data["settings"] = str(settings_path)
    found = "read" if settings_path.is_file() else "not there, so every setting is at its default"
    lines.append(f"{'ok':>8}  Settings file {settings_path}: {found}.")
    ctx.emit(data, "\n".join(lines))
    return 0 if report.healthy else 1


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.ui.app import WorkbenchApp  # Textual loads only when the screen is wanted

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise UsageError(
            "the workbench screen needs a terminal; "
            "for scripts use the subcommands (workbench --help)"
        )
    ctx.store.count()  # a file that can't be read is reported here, before the screen opens
    app = WorkbenchApp(
        store=ctx.store,
        library=ctx.library,
        clock=local_now,
        date_settings=ctx.date_settings,
        settings=ctx.settings,
    )
    app.run()
    if app.crash is not None:
        left = app.finish_saves()
        saved = (
            f" {left} change(s) made just before could not be saved."
            if left
            else " Every change made before it is saved."
        )
        print(
            f"workbench: {shown(app.crash)}{saved} Run with WORKBENCH_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 70
    return app.return_code or 0


# -- the parser ------------------------------------------------------------------------


def shown(message: str) -> str:
    """A message for the terminal: control characters in it (from arguments or data, such
    as an escape sequence) are spelled out as ``\\x1b``, never sent as they are."""
    return visible(message, one_line=False)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse quotes the arguments it refuses as they were typed, escape bytes and all.
        self.exit(2, f"workbench: {shown(message)}\nTry: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
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
        help=f"database file (default: ${paths.DB_ENV}, else "
        f"{paths.default_data_dir() / paths.DB_FILENAME})",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str,
        handler: Callable[[Context, argparse.Namespace], int],
        help: str,
        *,
        data: bool = True,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        if data:
            p.add_argument("--json", action="store_true", help="print data as JSON")
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="database file")
        return p

    p = command("add", cmd_add, "open a new case")
    p.add_argument("title", help="the complaint in one line")
    p.add_argument("--customer", "-c", required=True, help="who is complaining")
    p.add_argument("--contact", default="", help="phone number or e-mail address")
    p.add_argument(
        "--channel",
        type=_enum_arg(Channel),
        default=Channel.PHONE,
        help="phone, in_person, video, email, chat (default phone)",
    )
    p.add_argument(
        "--heat",
        type=_enum_arg(Heat),
        default=Heat.UPSET,
        help="calm, upset, furious (default upset)",
    )
    p.add_argument(
        "--fault",
        type=_enum_arg(Fault),
        default=Fault.UNCLEAR,
        help="ours, theirs, shared, unclear (default unclear)",
    )
    p.add_argument("--playbook", help="playbook key (default: suggested from heat and fault)")
    p.add_argument("--tag", action="append", default=[], help="a tag; repeat for more")
    contact = p.add_mutually_exclusive_group()
    contact.add_argument(
        "--contacted", action="store_true", default=None, help="we are talking with them now"
    )
    contact.add_argument(
        "--not-contacted",
        dest="contacted",
        action="store_false",
        help="nobody has spoken to them yet",
    )

    p = command("edit", cmd_edit, "change a case's details, tags or playbook")
    p.add_argument("case", help="case id, e.g. C-0042 or 42")
    p.add_argument("--title", help="the complaint in one line")
    p.add_argument("--customer", "-c", help="who is complaining")
    p.add_argument("--contact", help="phone number or e-mail address ('' clears it)")
    p.add_argument(
        "--channel", type=_enum_arg(Channel), help="phone, in_person, video, email, chat"
    )
    p.add_argument("--heat", type=_enum_arg(Heat), help="calm, upset, furious")
    p.add_argument("--fault", type=_enum_arg(Fault), help="ours, theirs, shared, unclear")
    p.add_argument(
        "--playbook",
        help="move to this playbook; steps done or noted are carried over or kept",
    )
    tags = p.add_mutually_exclusive_group()
    tags.add_argument(
        "--tag", action="append", default=[], help="a tag; repeat for more (replaces the tags)"
    )
    tags.add_argument("--no-tags", action="store_true", help="remove every tag")

    p = command("list", cmd_list, "list cases (open ones unless --all or --status)")
    p.add_argument(
        "--status",
        type=_enum_arg(Status),
        action="append",
        help="only this status; repeat for more",
    )
    p.add_argument("--all", action="store_true", help="include resolved and closed cases")
    p.add_argument(
        "--customer", help="only customers whose name contains this (case and accents aside)"
    )
    p.add_argument(
        "--search",
        help="text to find in id, customer, title, tags and notes (case and accents aside)",
    )
    p.add_argument("--sort", choices=tuple(SORT_ORDERS), default="id")
    p.add_argument("--limit", type=_count, help="show at most this many (1 or more)")

    p = command("show", cmd_show, "show one case in full")
    p.add_argument("case", help="case id, e.g. C-0042 or 42")

    p = command("step", cmd_step, "tick, untick or annotate a playbook step")
    p.add_argument("case")
    p.add_argument("step", help="step number (1, 2, …) or key")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--done", action="store_true", default=None, help="mark done")
    state.add_argument("--undone", dest="done", action="store_false", help="mark not done")
    p.add_argument("--note", help="what was said at this step (replaces the note; '' clears it)")

    p = command("note", cmd_note, "add a note to a case's timeline")
    p.add_argument("case")
    p.add_argument("text")

    p = command("followup", cmd_followup, "schedule a follow-up, or complete or cancel one")
    p.add_argument("case")
    p.add_argument(
        "when", nargs="*", help='when: "tomorrow 10am", "in 3 days", "fri 2pm", "2026-12-01 09:30"'
    )
    p.add_argument(
        "--what", default="", help="what to do then (default: check back with the customer)"
    )
    p.add_argument("--channel", type=_enum_arg(Channel), help="how (default: the case's channel)")
    p.add_argument(
        "--done", type=_followup_number, metavar="F", help="mark follow-up F (e.g. F2) done"
    )
    p.add_argument("--cancel", type=_followup_number, metavar="F", help="cancel follow-up F")
    p.add_argument(
        "--move", type=_followup_number, metavar="F", help="move follow-up F to WHEN (reschedule)"
    )
    p.add_argument("--note", help="with --done or --cancel: what came of it")

    p = command("status", cmd_status, "set a case's status")
    p.add_argument("case")
    p.add_argument("status", type=_enum_arg(Status), help="new, in_progress, waiting, resolved")

    p = command("remedy", cmd_remedy, "record the remedy offered")
    p.add_argument("case")
    p.add_argument("description", help="what was offered")
    p.add_argument(
        "--cost", default="0", help="what it costs us, e.g. 25, 49.90, 49,90 or 1,250.00"
    )
    answer = p.add_mutually_exclusive_group()
    answer.add_argument(
        "--accepted", action="store_true", default=None, help="the customer accepted"
    )
    answer.add_argument(
        "--declined", dest="accepted", action="store_false", help="the customer declined"
    )

    p = command("close", cmd_close, "close a case with an outcome")
    p.add_argument("case")
    p.add_argument(
        "--outcome",
        type=_enum_arg(Outcome),
        required=True,
        help="retained, retained_with_concession, parted_ways, lost",
    )
    p.add_argument("--force", action="store_true", help="close even though steps are still open")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument(
        "--cancel-followups",
        dest="followups",
        action="store_const",
        const="cancel",
        help="cancel the case's open follow-ups too",
    )
    kept.add_argument(
        "--keep-followups",
        dest="followups",
        action="store_const",
        const="keep",
        help="keep its open follow-ups on the calendar",
    )
    p.add_argument("--note", help="a closing remark")

    p = command("playbooks", cmd_playbooks, "list the playbooks, or show one")
    p.add_argument("key", nargs="?", help="show this playbook's steps")

    p = command("demo", cmd_demo, "fill the database with realistic sample cases")
    p.add_argument("--cases", type=_whole_number, default=50, help="how many (default 50)")
    p.add_argument(
        "--seed", type=_whole_number, default=1, help="the same seed gives the same cases"
    )

    command("doctor", cmd_doctor, "check the database file and say what is wrong; changes nothing")
    command("backups", cmd_backups, "list the backups kept beside the database, with case counts")
    p = command("restore", cmd_restore, "put backup N back, keeping a copy of the current file")
    configure_restore_parser(p)

    p = command(
        "export", cmd_export, "write follow-ups to a CSV, iCalendar or Markdown file", data=False
    )
    configure_export_parser(p)
    p = command(
        "followups", cmd_followups, "follow-ups due today (overdue first), this week or overdue"
    )
    configure_followups_parser(p)
    p = command("report", cmd_report, "how the cases are going: speed, outcomes, cost, follow-ups")
    configure_report_parser(p)
    return parser


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
    parser = build_parser()
    args = parser.parse_args(words)
    handler: Callable[[Context, argparse.Namespace], int] = getattr(args, "handler", cmd_tui)
    opened: list[Context] = []
    try:
        return _run(handler, args, opened, clock)
    finally:
        for ctx in opened:  # the store holds the file open; a caller may run many commands
            if ctx._store is not None:
                ctx._store.close()


def _run(
    handler: Callable[[Context, argparse.Namespace], int],
    args: argparse.Namespace,
    opened: list[Context],
    clock: Clock,
) -> int:
    try:
        settings = load_settings()  # a bad file stops here, before the database is opened
        ctx = Context(
            db_path=paths.resolve_db_path(args.db),
            now=clock(),
            out=sys.stdout,
            err=sys.stderr,
            as_json=getattr(args, "json", False),
            date_settings=date_settings_from_env(settings),
            settings=settings,
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
        KeyError,
    ) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        print(f"workbench: {shown(message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted; nothing half-saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: say so plainly, never with a traceback
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        print(
            f"workbench: something went wrong inside the workbench ({type(error).__name__}: "
            f"{shown(str(error))}). Saves are all-or-nothing, so the database file is whole. "
            "Run with WORKBENCH_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    raise SystemExit(main())
