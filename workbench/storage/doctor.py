"""Examine a database file and say what is wrong with it, without changing anything.

``examine`` only reads: it takes no lock, writes no backup, creates no file.
"""

from __future__ import annotations

import os
import pwd
import stat
import zlib
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workbench.paths import backups_dir, lock_path
from workbench.storage import files, journal, trust
from workbench.storage.backups import check_folder, list_backups, partial_backups
from workbench.storage.customer_records import check_customer_table
from workbench.storage.errors import DatabaseUnreadable, WriteFailed, describe_os_error
from workbench.storage.records import RecordError, as_record, case_from_record
from workbench.storage.safe_json import PERMISSION_HINT, load_tables
from workbench.storage.schema import CASES_TABLE, CUSTOMERS_TABLE, SCHEMA_VERSION


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


def _journal(
    path: Path,
    raw: bytes,
    st: os.stat_result,
    tables: dict[str, dict[str, object]],
    say: Callable[[Finding], None],
) -> bool:
    """Say what waits in the journal of changes and put its records on ``tables`` (so
    they are checked with the file's, ``raw``); False when it can't be read."""
    where = journal.journal_path(path)
    try:
        read = journal.read_file(where, st.st_uid)
    except DatabaseUnreadable as error:
        say(Finding(Level.PROBLEM, str(error)))
        return False
    if read is None:
        return True
    with suppress(OSError):
        if trust.signature(path.stat()) != trust.signature(st):
            say(
                Finding(
                    Level.WARNING,
                    f"{path.name} was rewritten by a workbench while doctor read it; run "
                    "doctor again for a verdict on the new version.",
                )
            )
            return False
    found, base = read[1], journal.base_of(len(raw), zlib.crc32(raw))
    if found is None or (found.base != base and journal.stale(found, tables)):
        say(
            Finding(
                Level.OK,
                f"{where.name} is left over from a fold that was interrupted; every change "
                "in it is in the file already, and the next change removes it.",
            )
        )
        return True
    if found.base != base:
        say(
            Finding(
                Level.PROBLEM,
                f"{where.name} continues another version of {path.name} (the file was "
                f"replaced by another program since): its {len(found.entries)} change(s) "
                "can't be put on this one, and the workbench will not open the database "
                "until it is moved away. Moving it away loses those changes from the "
                "database; keep the moved file, which holds them as JSON lines.",
            )
        )
        return False
    left, _ = journal.put_on(tables, found.entries)
    cases = tables.get(CASES_TABLE, {})
    for doc_id in left[CASES_TABLE]:  # checked below as decoded records, as the file's are
        if doc_id in cases:
            cases[doc_id] = as_record(cases[doc_id])
    say(
        Finding(
            Level.WARNING,
            f"{len(found.entries)} change(s) ({found.end:,} bytes) wait in {where.name}, not "
            "yet folded into the file: the workbench reads them, plain TinyDB sees them "
            "once folded. Opening the workbench folds them within seconds; `workbench "
            "fold` does it now.",
        )
    )
    return True


def _owner_and_mode(path: Path, owner: files.Owner, say: Callable[[Finding], None]) -> None:
    """What the file's owner and mode mean for the commands (they keep both on every save)."""
    if not owner.is_me:
        if os.geteuid() == 0:
            say(
                Finding(
                    Level.WARNING,
                    f"The file belongs to another user ({_user(owner.uid)}); changes made "
                    "as root keep that user as its owner.",
                )
            )
        else:
            say(
                Finding(
                    Level.PROBLEM,
                    f"The file belongs to another user ({_user(owner.uid)}); the workbench "
                    "will not change it, since replacing it would take it from them. Run the "
                    "workbench as that user, or work on a copy.",
                )
            )
    if not owner.mode & stat.S_IWUSR:
        say(
            Finding(
                Level.WARNING,
                f"The file is read-only (mode {owner.mode:04o}): it can be read, and every "
                f"change is refused. To allow changes: chmod u+w {path}",
            )
        )
    if owner.mode & 0o077:
        say(
            Finding(
                Level.WARNING,
                f"The file can be read by other users (mode {owner.mode:o}); it holds customer "
                f"data. Fix with: chmod 600 {path}",
            )
        )


def _user(uid: int) -> str:
    try:
        return f"{pwd.getpwuid(uid).pw_name}, uid {uid}"
    except KeyError:
        return f"uid {uid}"


def _leftovers(path: Path, say: Callable[[Finding], None]) -> None:
    """Temporary files of saves and backups that were killed half-way."""
    kinds = (
        (
            "unfinished temporary file(s) from interrupted saves beside the database",
            list(files.leftovers(path.parent, files.temp_names(path))),
        ),
        (
            "half-made backup(s) from interrupted backups in the backups folder",
            partial_backups(path, backups_dir(path)),
        ),
    )
    for words, found in kinds:
        if found:
            size = sum(item.size for item in found)
            say(
                Finding(
                    Level.WARNING,
                    f"{len(found)} {words} ({size:,} bytes, e.g. {found[0].path.name}). The "
                    "database itself is whole; the next change deletes those older than two "
                    "minutes, or delete them yourself.",
                )
            )


def _lock_and_backups_folder(path: Path, say: Callable[[Finding], None]) -> None:
    beside = (
        (lock_path(path), "lock", Level.PROBLEM, "every change is refused"),
        (
            trust.note_path(path),
            "check note",
            Level.WARNING,
            "every command checks the whole database (slower)",
        ),
    )
    for item, name, level, meanwhile in beside:
        with suppress(OSError):
            st = os.lstat(item)
            if not stat.S_ISREG(st.st_mode):
                kind = files.kind_of(st.st_mode)
                say(
                    Finding(
                        level,
                        f"The {name} {item} is {kind}, not a file; {meanwhile} until it "
                        "is removed.",
                    )
                )
    try:
        check_folder(backups_dir(path))
    except WriteFailed as error:
        say(Finding(Level.WARNING, f"{error.message} Changes are saved without backups."))


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
    try:
        st = os.lstat(path)
    except OSError as error:
        say(Finding(Level.PROBLEM, describe_os_error(error, path, "look at")))
        return report
    if not stat.S_ISREG(st.st_mode):
        say(
            Finding(
                Level.PROBLEM,
                f"{path} is {files.kind_of(st.st_mode)}, not a database file. "
                "Point --db (or WORKBENCH_DB) at a file.",
            )
        )
        return report
    _owner_and_mode(path, files.Owner.of(st), say)
    try:
        raw = files.read_regular(path)
    except DatabaseUnreadable as error:
        say(Finding(Level.PROBLEM, f"{error.message} {PERMISSION_HINT}"))
        return report
    try:
        tables, version = load_tables(raw, path)
    except DatabaseUnreadable as error:
        say(Finding(Level.PROBLEM, str(error)))
        return report
    if not _journal(path, raw, st, tables, say):
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
    people = tables.get(CUSTOMERS_TABLE, {})
    try:
        check_customer_table(people)
    except RecordError as error:
        damaged += 1
        say(Finding(Level.PROBLEM, f"A customer record is damaged: {error}."))
    if damaged:
        say(
            Finding(
                Level.PROBLEM,
                f"{damaged} of {len(records) + len(people)} records are damaged; the workbench "
                "will not write to this file. Restore a backup (`workbench backups` lists them, "
                "`workbench restore N` puts one back) or repair those records by hand.",
            )
        )
    _leftovers(path, say)
    _lock_and_backups_folder(path, say)
    backups = list_backups(path, backups_dir(path))
    if report.healthy:
        say(
            Finding(
                Level.OK,
                f"{path.name} is readable: schema {version}, {report.cases} cases, "
                f"{len(people)} customers, "
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
