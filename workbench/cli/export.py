"""``workbench export`` and ``workbench followups``: follow-ups to a file, and the day's agenda.

:func:`register` adds both subcommands; their own arguments are filled in by
:func:`configure_export_parser` and :func:`configure_followups_parser`.
"""

from __future__ import annotations

import argparse
import codecs
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from workbench.cli.context import AddCommand, Context, UsageError
from workbench.domain.exports import (
    FORMATS,
    ExportError,
    ExportExistsError,
    ExportFilter,
    Row,
    read_bound,
    render,
)
from workbench.domain.moments import (
    agenda_day,
    agenda_moment,
    long_moment,
    relative,
    time_of_day,
)
from workbench.domain.queries import split_overdue
from workbench.domain.text import visible
from workbench.storage.export_files import write_export

STDOUT = "-"
WEEK_DAYS = 7
"""--week covers today and the six days after it."""


def _plural(count: int) -> str:
    return f"{count} follow-up{'' if count == 1 else 's'}"


def _end_of(day: date, now: datetime) -> datetime:
    return datetime.combine(day, time.max, tzinfo=now.tzinfo)


# -- export ---------------------------------------------------------------------------------


def configure_export_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        "-f",
        dest="format",
        required=True,
        choices=tuple(FORMATS),
        help="csv (spreadsheets), ics (calendars) or md (Markdown, to read or print)",
    )
    p.add_argument(
        "--from",
        dest="start",
        metavar="WHEN",
        help='first day or time included, e.g. "today", "mon", "2026-11-01" (default: no limit)',
    )
    p.add_argument(
        "--to",
        dest="end",
        metavar="WHEN",
        help='last day or time included; a day without a time runs to its end, e.g. "fri"',
    )
    p.add_argument(
        "--status",
        choices=("open", "done", "all"),
        default="all",
        help="open, done, or all (default; includes cancelled ones)",
    )
    p.add_argument("--overdue", action="store_true", help="only open follow-ups past their time")
    p.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="file to write, or - for stdout"
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it already exists")


def _bound(ctx: Context, phrase: str | None, *, end: bool) -> datetime | None:
    if not phrase:
        return None
    return read_bound(phrase, ctx.now, settings=ctx.date_settings, end=end)


def export_filter(ctx: Context, args: argparse.Namespace) -> ExportFilter:
    if args.overdue and args.status == "done":
        raise UsageError("--overdue lists open follow-ups; it can't go with --status done")
    start = _bound(ctx, args.start, end=False)
    end = _bound(ctx, args.end, end=True)
    if start is not None and end is not None and start > end:
        raise UsageError(f"--from ({long_moment(start)}) is after --to ({long_moment(end)})")
    return ExportFilter(start=start, end=end, status=args.status, overdue_only=args.overdue)


def _to_stdout(ctx: Context, data: bytes) -> None:
    if ctx.out.isatty():  # read by a person: text from the cases is never a terminal command
        data = visible(data.decode("utf-8"), one_line=False).encode("utf-8")
    buffer = getattr(ctx.out, "buffer", None)
    if buffer is None:  # a text-only stream
        ctx.out.write(data.decode("utf-8"))
        return
    ctx.out.flush()
    buffer.write(data)
    buffer.flush()


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    chosen = export_filter(ctx, args)
    rows = chosen.select(ctx.store.cases_for_followups(), ctx.now)
    data = render(args.format, rows, ctx.now)
    if args.output == STDOUT:
        # The CSV byte order mark is for spreadsheets opening a file; a pipe goes to a program.
        _to_stdout(ctx, data.removeprefix(codecs.BOM_UTF8))
        print(f"Wrote {_plural(len(rows))} to standard output.", file=ctx.err)
        return 0
    path = Path(args.output)
    try:
        write_export(path, data, force=args.force, database=ctx.store.database_file)
    except ExportExistsError as error:
        raise UsageError(f"{error} Add --force to replace it.") from None
    except ExportError as error:
        raise UsageError(str(error)) from None
    ctx.emit(
        {"path": str(path), "format": args.format, "followups": len(rows)},
        f"Wrote {_plural(len(rows))} to {path}",
    )
    return 0


# -- followups ------------------------------------------------------------------------------


def configure_followups_parser(p: argparse.ArgumentParser) -> None:
    span = p.add_mutually_exclusive_group()
    span.add_argument(
        "--today",
        dest="span",
        action="store_const",
        const="today",
        help="open follow-ups due today, overdue ones first (the default)",
    )
    span.add_argument(
        "--week",
        dest="span",
        action="store_const",
        const="week",
        help="today and the next six days, overdue ones first",
    )
    span.add_argument(
        "--overdue",
        dest="span",
        action="store_const",
        const="overdue",
        help="only open follow-ups past their time",
    )
    p.set_defaults(span="today")


def agenda_filter(span: str, now: datetime) -> ExportFilter:
    """Open follow-ups: overdue ones, plus those due by the end of today or of the week."""
    if span == "overdue":
        return ExportFilter(status="open", overdue_only=True)
    days = WEEK_DAYS if span == "week" else 1
    return ExportFilter(end=_end_of(now.date() + timedelta(days=days - 1), now), status="open")


def _agenda_json(row: Row, now: datetime) -> dict[str, Any]:
    case, item = row
    return {
        "case": case.id,
        "followup": f"F{item.id}",
        "due": item.due.isoformat(),
        "overdue": item.is_overdue(now),
        "customer": case.customer,
        "contact": case.contact,
        "title": case.title,
        "action": item.action,
        "channel": item.channel.value,
    }


def _agenda_line(row: Row, now: datetime, *, with_day: bool) -> str:
    case, item = row
    local = item.due.astimezone(now.tzinfo)
    when = agenda_moment(local) if with_day else time_of_day(local)
    customer = visible(case.customer)
    customer = customer if len(customer) <= 20 else customer[:19] + "…"
    line = (
        f"  {when}  {case.id}/F{item.id:<2} {customer:<20}  "
        f"{visible(item.action)} ({item.channel.label})"
    )
    if item.is_overdue(now):
        line += f"  ! {relative(item.due, now)}"
    return line


def _day_title(day: date, now: datetime) -> str:
    label = agenda_day(day)
    offset = (day - now.date()).days
    return {0: f"Today, {label}", 1: f"Tomorrow, {label}"}.get(offset, label)


def format_agenda(rows: list[Row], span: str, now: datetime) -> str:
    overdue, coming = split_overdue(rows, now)
    lines: list[str] = []
    if overdue:
        lines.append("Overdue")
        lines += [_agenda_line(row, now, with_day=True) for row in overdue]
    current: date | None = None
    for row in coming:
        day = row[1].due.astimezone(now.tzinfo).date()
        if day != current:
            lines.append(_day_title(day, now))
            current = day
        lines.append(_agenda_line(row, now, with_day=False))
    if not rows:
        return {
            "today": "Nothing due today, and nothing overdue.",
            "week": "Nothing due in the next seven days, and nothing overdue.",
            "overdue": "Nothing overdue.",
        }[span]
    summary = f"\n\n{_plural(len(rows))}"
    if overdue:
        summary += f", {len(overdue)} overdue: call them first"
    return "\n".join(lines) + summary + "."


def cmd_followups(ctx: Context, args: argparse.Namespace) -> int:
    span: str = args.span
    rows = agenda_filter(span, ctx.now).select(ctx.store.cases_for_followups(), ctx.now)
    ctx.emit([_agenda_json(row, ctx.now) for row in rows], format_agenda(rows, span, ctx.now))
    return 0


def register(command: AddCommand) -> None:
    """Adds ``export`` and ``followups``."""
    p = command(
        "export", cmd_export, "write follow-ups to a CSV, iCalendar or Markdown file", data=False
    )
    configure_export_parser(p)
    p = command(
        "followups", cmd_followups, "follow-ups due today (overdue first), this week or overdue"
    )
    configure_followups_parser(p)
