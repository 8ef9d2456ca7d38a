"""Copies of the database kept before the first change of each session, thinned by age.

**Names.** A backup of ``shop.json`` is ``backups/shop.json.20261206-101500-123456Z.json``:
the database's whole file name, a dot, the time it was taken in UTC (so the order never
depends on a clock change or a time zone setting). Only names of exactly that
form count, so databases that share a folder never see, rotate or restore each other's
backups (``shop-1.json``'s backups are not ``shop.json``'s). Backups made by earlier
versions (``shop-20261206-101500-123456.json``, local time) are recognised by the same
exact rule.

**What is kept** (:func:`to_keep`): the newest :data:`KEEP_NEWEST` always; besides those,
one per minute for the last hour, one per hour for the last day and one per day for
the last :data:`KEEP_DAYS` days (the oldest of each minute, hour or day, so a backup
kept at one age is still kept at the next). Fifteen quick commands within a minute keep
eleven (the newest ten and the first), and nothing from the morning rotates away by noon.

**Safety.** Backups are made only once the change they come before is safely written
(see :func:`workbench.storage.files.replace_file`), so a refused change leaves none; they
are written under a random temporary name and renamed into place once whole, belong to
the database's owner, and are readable by that owner only. A backups folder that is a
symbolic link or not a folder is refused.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.storage import files
from workbench.storage.errors import WriteFailed, describe_os_error
from workbench.storage.files import (
    Leftover,
    Owner,
    fsync_folder,
    give_to,
    kind_of,
    leftovers,
    regular_files,
)

KEEP_NEWEST = 10
KEEP_DAYS = 31
KEEP = KEEP_NEWEST
"""Kept whatever their age (an older name for :data:`KEEP_NEWEST`)."""

_STAMP = "%Y%m%d-%H%M%S-%f"
_STAMP_PATTERN = r"(\d{8}-\d{6}-\d{6})(Z?)(?:-(\d{1,6}))?"
PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int


def _name_patterns(db_path: Path) -> list[re.Pattern[str]]:
    """The exact names of ``db_path``'s backups: this version's, and earlier versions'
    (by the file's stem, for ``.json`` databases only)."""
    patterns = [re.escape(db_path.name) + r"\." + _STAMP_PATTERN + r"\.json"]
    if db_path.suffix == ".json":
        patterns.append(re.escape(db_path.stem) + "-" + _STAMP_PATTERN + r"\.json")
    return [re.compile(pattern, re.ASCII) for pattern in patterns]


def _parse_name(name: str, patterns: list[re.Pattern[str]]) -> tuple[datetime, int] | None:
    """When a backup of this name was taken, and its counter; None if the name is not one."""
    for pattern in patterns:
        match = pattern.fullmatch(name)
        if match is not None:
            try:
                stamp = datetime.strptime(match.group(1), _STAMP)
            except ValueError:
                return None
            # UTC ("Z"), so the order never depends on a clock change or a TZ setting;
            # names from before that are in local time.
            zone = UTC if match.group(2) else None
            return stamp.replace(tzinfo=zone).astimezone(), int(match.group(3) or 1)
    return None


def check_folder(folder: Path) -> bool:
    """True when ``folder`` is a real folder, False when there is nothing there; raises
    :class:`WriteFailed` for a symbolic link or anything else."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise WriteFailed(describe_os_error(error, folder, "open")) from None
    if not stat.S_ISDIR(st.st_mode):
        raise WriteFailed(
            f"The backups folder {folder} is {kind_of(st.st_mode)}, not a folder; "
            "the workbench keeps no backups through it.",
            f"Move it away (mv {folder} {folder}.old) so the workbench can make the folder.",
        )
    return True


def list_backups(db_path: Path, folder: Path) -> list[Backup]:
    """Backups of ``db_path`` in ``folder``, newest first (only names of the exact form,
    only regular files; a backups folder that is a link shows none)."""
    try:
        if not check_folder(folder):
            return []
    except WriteFailed:
        return []
    patterns = _name_patterns(db_path)
    found = []
    for path, st in regular_files(folder, lambda name: _parse_name(name, patterns) is not None):
        parsed = _parse_name(path.name, patterns)
        assert parsed is not None
        taken, counter = parsed
        found.append((taken, counter, Backup(path, taken, st.st_size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [backup for _, _, backup in found]


def to_keep(taken: Sequence[datetime], now: datetime) -> set[int]:
    """Which backups to keep, by their index in ``taken`` (the times, newest first).

    The newest :data:`KEEP_NEWEST`; then the oldest of each minute within the last
    hour, of each hour within the last day, of each day within :data:`KEEP_DAYS`.
    """
    keep = set(range(min(KEEP_NEWEST, len(taken))))
    oldest_in: dict[tuple[str, str], int] = {}
    for index, when in enumerate(taken):  # newest first: the last seen is the oldest
        age = now - when
        if age < timedelta(hours=1):
            bucket = ("minute", f"{when:%Y%m%d%H%M}")
        elif age < timedelta(days=1):
            bucket = ("hour", f"{when:%Y%m%d%H}")
        elif age < timedelta(days=KEEP_DAYS):
            bucket = ("day", f"{when:%Y%m%d}")
        else:
            continue
        oldest_in[bucket] = index
    return keep | set(oldest_in.values())


def prune(db_path: Path, folder: Path, now: datetime) -> list[Path]:
    """Delete the backups :func:`to_keep` lets go; returns their paths (best effort)."""
    found = list_backups(db_path, folder)
    keep = to_keep([b.taken_at for b in found], now)
    gone = []
    for index, backup in enumerate(found):
        if index not in keep:
            with suppress(OSError):
                backup.path.unlink()
                gone.append(backup.path)
    return gone


def partial_backups(db_path: Path, folder: Path) -> list[Leftover]:
    """Copies left half-made in ``folder`` by a process killed while keeping a backup
    (none looked for through a backups folder that is a link)."""
    try:
        if not check_folder(folder):
            return []
    except WriteFailed:
        return []
    pattern = re.compile(
        rf"\.{re.escape(db_path.name)}\.{files.RANDOM_NAME}{re.escape(PARTIAL_SUFFIX)}"
        rf"|\.{re.escape(db_path.stem)}-{_STAMP_PATTERN}\.json\.tmp",  # earlier versions'
        re.ASCII,
    )
    return list(leftovers(folder, pattern))


def _make_folder(folder: Path, owner: Owner | None) -> None:
    if check_folder(folder):
        return
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        check_folder(folder)
        return
    if owner is not None and not owner.is_me:
        with suppress(OSError):
            os.chown(folder, owner.uid, owner.gid, follow_symlinks=False)


def _copy_all(source: int, target: int) -> None:
    """Copy a whole file between descriptors, inside the kernel where it can (a large
    database is copied before the first change of every session)."""
    if hasattr(os, "copy_file_range"):
        size = os.fstat(source).st_size
        try:
            copied = 0
            while step := os.copy_file_range(source, target, 1 << 30):
                copied += step
            if copied == size:
                return
        except OSError as error:
            if error.errno not in _NOT_SUPPORTED:
                raise
        # Some file systems stop early or can't: copy it again the plain way.
        os.lseek(source, 0, os.SEEK_SET)
        os.lseek(target, 0, os.SEEK_SET)
        os.ftruncate(target, 0)
    while chunk := os.read(source, 1 << 20):
        view = memoryview(chunk)
        while view:
            view = view[os.write(target, view) :]


_NOT_SUPPORTED = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP}


def keep_backup(db_path: Path, folder: Path, *, now: datetime | None = None) -> Path:
    """Copy the database into ``folder`` (made 0700 if missing), then thin the backups.

    The copy belongs to the database's owner and is readable by them only. Raises
    :class:`WriteFailed` when it can't be made; nothing half-made is left behind.
    """
    now = now or datetime.now().astimezone()
    try:
        source = os.open(db_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise WriteFailed(describe_os_error(error, db_path, "keep a backup of")) from None
    try:
        st = os.fstat(source)
        owner = Owner.of(st)
        _make_folder(folder, owner)
        target = _copy_into(source, db_path, folder, owner, now)
    except OSError as error:
        raise WriteFailed(
            describe_os_error(error, folder, "keep a backup in"),
            "Free some space or fix the folder.",
        ) from None
    finally:
        os.close(source)
    prune(db_path, folder, now)
    return target


def _copy_into(source: int, db_path: Path, folder: Path, owner: Owner, now: datetime) -> Path:
    fd, partial_name = tempfile.mkstemp(
        prefix=f".{db_path.name}.", suffix=PARTIAL_SUFFIX, dir=folder
    )
    partial = Path(partial_name)
    try:
        try:
            give_to(fd, owner, partial, mode=0o600)
            _copy_all(source, fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        target = _free_name(db_path, folder, now)
        partial.replace(target)
    except BaseException:
        with suppress(OSError):
            partial.unlink()
        raise
    fsync_folder(folder)
    return target


def _free_name(db_path: Path, folder: Path, now: datetime) -> Path:
    stem = f"{db_path.name}.{now.astimezone(UTC):{_STAMP}}Z"
    target = folder / f"{stem}.json"
    counter = 1
    while os.path.lexists(target):
        counter += 1
        target = folder / f"{stem}-{counter}.json"
    return target
