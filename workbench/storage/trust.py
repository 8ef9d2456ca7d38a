"""Which version of the database file was last checked whole, so it need not be again.

Checking every record of a 10,000-case file costs about half a second; every command
used to pay it. A file this workbench wrote (from records it had checked or built
itself), or one it checked whole when reading, is remembered here by its identity on
disk: device, inode, size, modification and change times in nanoseconds. Any other
writer changes that identity (a rename makes a new inode; writing in place changes the
times, and the change time can't be set back by hand), so the file is checked whole
again the next time it is read. So are files read by a workbench whose rules differ
(another version of the program). The note also holds a CRC-32 of the bytes, compared
on every read: an edit in place that kept the size within one tick of a coarse file
clock (some network and FAT file systems keep seconds) still tells.

The note lives in a small hidden file beside the database
(``.workbench.json.checked``). It is only ever a shortcut: a missing, unreadable or
damaged note means "not checked"; writing it is best effort, and a failure to write it
costs a full check next time, nothing more. ``workbench doctor`` never uses it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from workbench import __version__
from workbench.storage.schema import SCHEMA_VERSION

Signature = tuple[int, int, int, int, int]
"""(device, inode, size, modification time ns, change time ns) of one version of a file."""

CHECKS = 2
"""Raised whenever the reader's checks change within a version (2: bounded values)."""

RULES = f"workbench {__version__}, schema {SCHEMA_VERSION}, checks {CHECKS}"
"""Changes whenever what a check accepts may have changed."""


def signature(st: os.stat_result) -> Signature:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def note_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.checked")


def _line(sig: Signature, crc: int) -> str:
    numbers = " ".join(str(n) for n in sig)
    return f"{RULES}: {numbers} crc32 {crc:08x}\n"


def is_checked(db_path: Path, sig: Signature, crc: int) -> bool:
    """True when the file with this signature and bytes of this CRC-32 (``zlib.crc32``)
    was checked whole by these rules."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:  # never through a link, never waiting on a FIFO someone put at its name
        fd = os.open(note_path(db_path), flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return os.read(fd, 300).decode("utf-8") == _line(sig, crc)
    except (OSError, UnicodeDecodeError):
        return False
    finally:
        os.close(fd)


def remember(db_path: Path, sig: Signature, crc: int) -> None:
    """Note that the file with this signature and bytes of this CRC-32 passed a whole
    check (best effort)."""
    target = note_path(db_path)
    try:  # a random name made with O_EXCL: never written through a planted link
        fd, name = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError:
        return
    partial = Path(name)
    try:
        try:
            with suppress(OSError):  # the note belongs to the database's owner
                owner = db_path.stat()
                if owner.st_uid != os.geteuid():
                    os.fchown(fd, owner.st_uid, owner.st_gid)
            os.write(fd, _line(sig, crc).encode())
        finally:
            os.close(fd)
        partial.replace(target)
    except OSError:
        with suppress(OSError):
            partial.unlink()


def forget(db_path: Path) -> None:
    """Drop the note (best effort): the next read checks the file whole."""
    with suppress(OSError):
        note_path(db_path).unlink()
