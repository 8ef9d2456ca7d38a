"""The bug log: the details of an error nobody expected, kept in a file, never on screen.

A bug is said to the user in one sentence that names this file (see ``cli/app.py``); the
traceback, which may quote a customer's data, goes only here, in a file its owner alone
can read (:func:`workbench.paths.bug_log_file`). The file is appended to the way the
storage makes its files: never through a symbolic link or into anything but a regular
file, created readable by its owner only. It stays small: once it would pass
:data:`MAX_BYTES` it becomes ``NAME.1`` (replacing the one before) and a new file starts,
so the last megabyte or two of bugs are always there and never more.
"""

from __future__ import annotations

import os
import stat
import traceback
from datetime import datetime
from pathlib import Path

from workbench import __version__, paths

MAX_BYTES = 1 << 20
"""The size past which the log is moved to ``NAME.1`` and started afresh."""

MAX_ENTRY = 64 << 10
"""The most one bug writes: a traceback quoting a huge value is cut, not the log."""

_FLAGS = (
    os.O_WRONLY
    | os.O_APPEND
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)  # a link planted at the name: ELOOP, never followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO planted there: refused, never waited on
    | getattr(os, "O_CLOEXEC", 0)
)


def record_bug(error: BaseException, where: str, now: datetime) -> Path | None:
    """Append ``error``'s traceback to the bug log, headed by ``now`` and ``where`` it
    happened (``"command line"``, ``"screen"``, ``"saver"``), and return the log's path
    for the sentence that names it; None when it could not be written."""
    path = paths.bug_log_file()
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = f"--- {now.isoformat(timespec='seconds')}  workbench {__version__}  {where}\n"
    text += "".join(lines)
    if len(text) > MAX_ENTRY:
        text = text[: MAX_ENTRY // 2] + "\n[… cut …]\n" + text[-MAX_ENTRY // 2 :]
    try:
        append(path, text.encode("utf-8", "backslashreplace") + b"\n")
    except OSError:
        return None
    return path


def append(path: Path, entry: bytes) -> None:
    """Add ``entry`` at the end of the log at ``path``, moving a full log to ``NAME.1``
    first. Raises OSError when the log can't be written (it is then left as it was)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = _open(path)
    try:
        size = os.fstat(fd).st_size
        if size and size + len(entry) > MAX_BYTES:
            os.close(fd)
            fd = -1
            # A rename moves the name itself: whatever stands at NAME.1 (a link, even) is
            # replaced, never written through.
            path.replace(rotated(path))
            fd = _open(path)
        view = memoryview(entry)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        if fd >= 0:
            os.close(fd)


def rotated(path: Path) -> Path:
    """Where the previous log is kept: ``NAME.1`` beside it."""
    return path.with_name(path.name + ".1")


def _open(path: Path) -> int:
    """A descriptor appending to the regular file at ``path``, made 0600 if new; one that
    is not a regular file, or is reached through a link, raises OSError."""
    fd = os.open(path, _FLAGS, 0o600)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a regular file")
        if st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.fchmod(fd, 0o600)  # a log left readable by others is made private again
    except BaseException:
        os.close(fd)
        raise
    return fd
