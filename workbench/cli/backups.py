"""``workbench doctor``, ``backups``, ``restore`` and ``fold``: the database file's health,
the copies kept beside it, and its journal of changes."""

from __future__ import annotations

import argparse
from typing import Any

from workbench import paths
from workbench.cli.context import AddCommand, Context
from workbench.domain.moments import backup_stamp
from workbench.storage import DatabaseUnreadable
from workbench.storage.backups import Backup, list_backups
from workbench.storage.repository import read_backup, restore_backup
from workbench.storage.schema import CASES_TABLE


def cmd_doctor(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.storage.doctor import Level, examine  # only this command needs it

    data: dict[str, Any]
    if ctx.db_url is not None:
        from workbench.cli.context import open_server_module

        server = open_server_module()
        findings, cases = server.examine_server(ctx.db_url)
        healthy = all(f.level is not Level.PROBLEM for f in findings)
        data = {"server": server.describe_server(ctx.db_url)}
    else:
        report = examine(ctx.db_file("doctor"), (p.key for p in ctx.library))
        findings, cases, healthy = report.findings, report.cases, report.healthy
        data = {"path": str(report.path)}
    data |= {
        "healthy": healthy,
        "cases": cases,
        "findings": [{"level": f.level.value, "message": f.message} for f in findings],
    }
    marks = {Level.OK: "ok", Level.WARNING: "warning", Level.PROBLEM: "PROBLEM"}
    lines = [f"{marks[f.level]:>8}  {f.message}" for f in findings]
    settings_path = ctx.settings.path or paths.settings_file()
    data["settings"] = str(settings_path)
    found = "read" if settings_path.is_file() else "not there, so every setting is at its default"
    lines.append(f"{'ok':>8}  Settings file {settings_path}: {found}.")
    ctx.emit(data, "\n".join(lines))
    return 0 if healthy else 1


def _case_count(backup: Backup) -> int | None:
    """How many cases a backup holds; None when it can't be read."""
    try:
        return len(read_backup(backup.path).get(CASES_TABLE, {}))
    except DatabaseUnreadable:
        return None


def _backup_json(number: int, backup: Backup, cases: int | None) -> dict[str, Any]:
    return {
        "number": number,
        "path": str(backup.path),
        "taken_at": backup.taken_at.isoformat(),
        "bytes": backup.size,
        "cases": cases,
    }


def _cases_text(cases: int | None) -> str:
    if cases is None:
        return "unreadable"
    return f"{cases:,} case{'' if cases == 1 else 's'}"


def cmd_backups(ctx: Context, args: argparse.Namespace) -> int:
    db_file = ctx.db_file("backups")
    folder = paths.backups_dir(db_file)
    found = list_backups(db_file, folder)
    counts = [_case_count(b) for b in found]
    data = [_backup_json(n, b, c) for n, (b, c) in enumerate(zip(found, counts, strict=True), 1)]
    lines = [
        f"{n:>3}  {backup_stamp(b.taken_at)}  {_cases_text(c):>12}  {b.size:>10,} bytes  {b.path}"
        for n, (b, c) in enumerate(zip(found, counts, strict=True), 1)
    ]
    if lines:
        lines.append("Put one back with: workbench restore N")
    ctx.emit(data, "\n".join(lines) or f"No backups yet in {folder}.")
    return 0


def _backup_number(text: str) -> int:
    cleaned = text.strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) < 1:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a backup number; `workbench backups` lists them (1 is the newest)"
        )
    return int(cleaned)


def configure_restore_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "number",
        type=_backup_number,
        help="which backup, as `workbench backups` numbers them (1 = newest)",
    )


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    db_file = ctx.db_file("restore")
    done = restore_backup(db_file, args.number)
    taken = backup_stamp(done.backup.taken_at)
    kept = (
        f"The file it replaced is kept as {done.kept} (now backup 1)."
        if done.kept
        else "There was no file to replace."
    )
    if done.journal_kept is not None:
        kept += (
            f"\nIts journal of changes, which could not be folded into it, is kept as "
            f"{done.journal_kept}."
        )
    ctx.emit(
        {
            "restored": _backup_json(args.number, done.backup, done.cases),
            "db": str(db_file),
            "kept": None if done.kept is None else str(done.kept),
            "journal_kept": None if done.journal_kept is None else str(done.journal_kept),
        },
        f"Restored backup {args.number} (taken {taken}, {_cases_text(done.cases)}) "
        f"to {db_file}.\n{kept}",
    )
    return 0


def cmd_fold(ctx: Context, args: argparse.Namespace) -> int:
    db_file = ctx.db_file("fold")
    folded = ctx.store.fold()
    ctx.emit(
        {"db": str(db_file), "folded": folded},
        f"The changes waiting in its journal are now in {db_file}."
        if folded
        else f"No changes were waiting: {db_file} holds every one.",
    )
    return 0


def register(command: AddCommand) -> None:
    """Adds ``doctor``, ``backups``, ``restore`` and ``fold``."""
    command(
        "doctor",
        cmd_doctor,
        "check the database (a file, or a server) and say what is wrong; changes nothing",
    )
    command("backups", cmd_backups, "list the backups kept beside the database, with case counts")
    p = command("restore", cmd_restore, "put backup N back, keeping a copy of the current file")
    configure_restore_parser(p)
    command(
        "fold",
        cmd_fold,
        "put the changes waiting in the journal into the database file now (for programs "
        "that read the file with plain TinyDB)",
    )
