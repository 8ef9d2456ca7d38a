"""``workbench import FILE.csv``: cases from a spreadsheet, all of them or none."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.context import AddCommand, Context, UsageError, shown
from workbench.domain.imports import ImportRefused, plan_import, read_table
from workbench.small_files import MIB, NotARegularFile, TooLarge, read_small_file

MAX_BYTES = 64 * MIB
"""The largest spreadsheet an import reads."""

SHOWN_REFUSALS = 20
"""Refused rows listed on the terminal (--json lists them all)."""


def _text(path: Path) -> str:
    try:
        raw = read_small_file(path, MAX_BYTES)
    except FileNotFoundError:
        raise UsageError(f"there is no file {path}") from None
    except (IsADirectoryError, NotARegularFile):
        raise UsageError(f"{path} is not a file; give the CSV file to import") from None
    except TooLarge:
        raise UsageError(f"{path} is larger than {MAX_BYTES // MIB} MiB") from None
    except PermissionError:
        raise UsageError(f"{path} can't be read: permission was denied") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")  # a spreadsheet saved as "CSV" on Windows
        except UnicodeDecodeError:
            raise UsageError(
                f"{path} is not UTF-8 text; save it as “CSV UTF-8” from the spreadsheet"
            ) from None


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    try:
        plan = plan_import(
            read_table(_text(path)),
            ctx.library,
            ctx.now,
            author=ctx.agent,
            date_settings=ctx.date_settings,
        )
    except ImportRefused as error:
        raise UsageError(str(error).rstrip(".")) from None
    data: dict[str, object] = {
        "file": str(path),
        "columns": plan.columns,
        "left_out": plan.left_out,
        "refused": [{"row": r.row, "reason": r.reason} for r in plan.refused],
        "cases": len(plan.cases),
        "imported": [],
        "dry_run": args.dry_run,
    }
    lines = ["Columns: " + ", ".join(f"{shown(h)} → {field}" for h, field in plan.columns.items())]
    if plan.left_out:
        lines.append("Left out (not a field): " + ", ".join(shown(h) for h in plan.left_out))
    if plan.refused:
        lines.append(f"{len(plan.refused):,} row(s) refused; nothing was imported:")
        lines += [f"  row {r.row}: {shown(r.reason)}" for r in plan.refused[:SHOWN_REFUSALS]]
        if len(plan.refused) > SHOWN_REFUSALS:
            lines.append(f"  … and {len(plan.refused) - SHOWN_REFUSALS:,} more (--json lists all)")
        lines.append("Correct those rows (or delete them) and import the file again.")
        ctx.emit(data, "\n".join(lines))
        return 2
    if args.dry_run:
        lines.append(f"{len(plan.cases):,} case(s) would be imported; nothing was (--dry-run).")
        ctx.emit(data, "\n".join(lines))
        return 0
    stored = ctx.store.add_many(plan.cases) if plan.cases else []
    data["imported"] = [case.id for case in stored]
    if stored:
        lines.append(
            f"Imported {len(stored):,} case(s), {stored[0].id} to {stored[-1].id}, "
            f"into {ctx.store.location}."
        )
    else:
        lines.append("The file holds no cases; nothing was imported.")
    ctx.emit(data, "\n".join(lines))
    return 0


def register(command: AddCommand) -> None:
    """Adds ``import``."""
    p = command("import", cmd_import, "open cases from a spreadsheet (CSV), all rows or none")
    p.add_argument(
        "file", metavar="FILE.csv", help="a header row naming the columns, then a case a row"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="check every row and say what would be imported"
    )
