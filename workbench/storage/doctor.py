"""Examine a database file and say what is wrong with it, without changing anything.

``examine`` only reads: it takes no lock, writes no backup, creates no file.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workbench.paths import backups_dir
from workbench.storage.backups import list_backups
from workbench.storage.errors import DatabaseUnreadable, describe_os_error
from workbench.storage.records import RecordError, case_from_record
from workbench.storage.safe_json import PERMISSION_HINT, load_tables
from workbench.storage.schema import CASES_TABLE, SCHEMA_VERSION


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str


@dataclass
class Report:
    path: Path
    findings: list[Finding]
    cases: int = 0

    @property
    def healthy(self) -> bool:
        return all(f.level is not Level.PROBLEM for f in self.findings)


def examine(path: Path, known_playbooks: Iterable[str] = ()) -> Report:
    report = Report(path, [])
    say = report.findings.append
    if not path.exists():
        if path.parent.is_dir():
            say(
                Finding(Level.OK, f"There is no database at {path} yet; the first case creates it.")
            )
        else:
            say(Finding(Level.PROBLEM, f"The folder {path.parent} does not exist."))
        return report
    if not path.is_file():
        say(Finding(Level.PROBLEM, f"{path} is not a regular file."))
        return report
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        say(
            Finding(
                Level.WARNING,
                f"The file can be read by other users (mode {mode:o}); it holds customer data. "
                f"Fix with: chmod 600 {path}",
            )
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        say(Finding(Level.PROBLEM, f"{describe_os_error(error, path, 'read')} {PERMISSION_HINT}"))
        return report
    try:
        tables, version = load_tables(raw, path)
    except DatabaseUnreadable as error:
        say(Finding(Level.PROBLEM, str(error)))
        return report
    records = tables.get(CASES_TABLE, {})
    report.cases = len(records)
    known = set(known_playbooks)
    damaged = 0
    for doc_id, record in records.items():
        try:
            case = case_from_record(record, where=f"case record {doc_id}")
        except RecordError as error:
            damaged += 1
            say(Finding(Level.PROBLEM, f"{error}."))
            continue
        if str(case.number) != doc_id:
            say(
                Finding(
                    Level.PROBLEM, f"Case record {doc_id} holds {case.id}; the numbers must match."
                )
            )
        if known and case.playbook not in known:
            say(
                Finding(
                    Level.WARNING,
                    f"{case.id} uses the playbook “{case.playbook}”, which is not installed; "
                    "its steps are kept in the case and still work.",
                )
            )
    if damaged:
        say(
            Finding(
                Level.PROBLEM,
                f"{damaged} of {len(records)} case records are damaged; the workbench will not "
                "write to this file. Restore a backup (`workbench backups` lists them, "
                "`workbench restore N` puts one back) or repair those records by hand.",
            )
        )
    strays = sorted(path.parent.glob(f".{path.name}.*.tmp"))
    if strays:
        say(
            Finding(
                Level.WARNING,
                f"{len(strays)} unfinished temporary file(s) from an interrupted save lie beside "
                f"the database (e.g. {strays[0].name}); the database itself is whole and they can "
                "be deleted.",
            )
        )
    backups = list_backups(path, backups_dir(path))
    if report.healthy:
        say(
            Finding(
                Level.OK,
                f"{path.name} is readable: schema {version}, {report.cases} cases, "
                f"{len(raw):,} bytes, {len(backups)} backup(s).",
            )
        )
        if version < SCHEMA_VERSION:
            say(
                Finding(
                    Level.OK,
                    f"It was written by an older workbench (schema {version}); it will be "
                    f"upgraded to schema {SCHEMA_VERSION} on the next change, after a backup "
                    "is kept.",
                )
            )
    return report
