"""What ``workbench remind`` has already reminded about, so that a command run every few
minutes (cron, a systemd timer) says each follow-up once.

``reminded.json`` in the user's data folder: the user's own (0600, in a 0700 folder), for
every database they use, each entry the :func:`~workbench.domain.reminders.reminder_key`
of a reminder and when it was given. Entries older than :data:`FORGET_AFTER` go. It is
read as the undo journal is (a regular file only, bounded) and written whole and renamed
into place, not forced to disk: losing it costs a repeated reminder, nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import msgspec

from workbench.storage.errors import DatabaseUnreadable, StoreError, WriteFailed
from workbench.storage.files import read_regular, replace_file, write_unforced

FILE_NAME = "reminded.json"
VERSION = 1
FORGET_AFTER = timedelta(days=60)


class RemindedError(StoreError):
    """The file can't be read or written; the message says why and what to do."""


class RemindedLog:
    """The file at ``path`` (see the module's docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _fix(self) -> str:
        return f"Remove {self.path}; at worst a reminder already given is given once more."

    def given(self) -> dict[str, str]:
        """Every reminder given, by key, with when (ISO 8601)."""
        try:
            raw = read_regular(self.path, what="reminders file")
        except FileNotFoundError:
            return {}
        except DatabaseUnreadable as error:
            raise RemindedError(
                f"The reminders file can't be read: {error.message}", self._fix()
            ) from None
        try:
            data = msgspec.json.decode(raw)
        except msgspec.DecodeError as error:
            raise RemindedError(
                f"The reminders file {self.path} is not JSON ({error}).", self._fix()
            ) from None
        given = data.get("given") if isinstance(data, dict) else None
        if not isinstance(given, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in given.items()
        ):
            raise RemindedError(
                f"The reminders file {self.path} is not one the workbench wrote.", self._fix()
            )
        return given

    def add(self, keys: Iterable[str], now: datetime) -> None:
        """Remember these reminders as given now; forget those past :data:`FORGET_AFTER`.
        A file that can't be read is replaced (said when read): it held only reminders."""
        try:
            given = self.given()
        except RemindedError:
            given = {}
        given.update(dict.fromkeys(keys, now.isoformat()))
        oldest = now - FORGET_AFTER
        kept = {key: at for key, at in given.items() if _after(at, oldest)}
        payload = msgspec.json.encode({"version": VERSION, "given": kept})
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            replace_file(self.path, payload, write=write_unforced)
        except (OSError, WriteFailed) as error:
            raise RemindedError(
                f"The reminders file {self.path} can't be written ({error}).",
                "The reminders were given; they may be given again next time.",
            ) from None


def _after(at: str, oldest: datetime) -> bool:
    try:
        return datetime.fromisoformat(at) >= oldest
    except (ValueError, TypeError):
        return False
