"""Reading a small file the user keeps (the settings, a playbook) safely.

Only a regular file is read: a named pipe would never end (it is opened without waiting
for a writer), a device may never end, and a folder or a socket is no file to read. At
most ``limit`` bytes are read. A symbolic link is followed: these files live in the
user's own config folder, and keeping them elsewhere and linking them in is theirs to
do. Plain Python with no workbench import, so the settings (at the top of the package)
and storage can both use it.
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import suppress
from pathlib import Path

__all__ = ["MIB", "NotARegularFile", "TooLarge", "kind_of", "read_small_file"]

MIB = 1024 * 1024


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words: 'a folder', 'a named pipe (FIFO)', …"""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    for test, words in kinds:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


class NotARegularFile(Exception):
    """Something other than a regular file stands at the path; ``kind`` says what."""

    def __init__(self, path: Path, mode: int) -> None:
        self.path = path
        self.mode = mode
        self.kind = kind_of(mode)
        super().__init__(f"{path} is {self.kind}, not a regular file")


class TooLarge(Exception):
    """The file holds more than ``limit`` bytes (``size``, when its size was known)."""

    def __init__(self, path: Path, limit: int, size: int | None = None) -> None:
        self.path = path
        self.limit = limit
        self.size = size
        super().__init__(f"{path} is larger than {limit:,} bytes")


def open_checked(path: Path, limit: int, *, follow_links: bool = True) -> int:
    """A descriptor open for reading on the regular file at ``path``, whose size is at most
    ``limit``; the caller closes it. Never blocks on a named pipe.

    Raises :class:`NotARegularFile` for a folder, a named pipe, a device or a socket,
    :class:`TooLarge` past ``limit``, and OSError (FileNotFoundError among them) when the
    file can't be opened; without ``follow_links``, a link at the last part of the path is
    OSError with ``errno.ELOOP``, never followed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno != errno.ELOOP:
            with suppress(OSError):  # a socket, say: the open itself fails
                mode = (path.stat() if follow_links else os.lstat(path)).st_mode
                if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
                    raise NotARegularFile(path, mode) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(path, st.st_mode)
        if st.st_size > limit:
            raise TooLarge(path, limit, st.st_size)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, never more than ``limit`` of them.

    Raises :class:`NotARegularFile` for a folder, a named pipe, a device or a socket,
    :class:`TooLarge` past ``limit``, and OSError (FileNotFoundError among them) when the
    file can't be opened or read. Never blocks waiting for a writer.
    """
    fd = open_checked(path, limit)
    try:
        with open(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(path, limit)
    return data
