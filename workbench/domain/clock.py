"""The one place that reads the wall clock. Everything else is handed ``now``."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime]

_LOCALTIME = Path("/etc/localtime")


def _zone_name() -> str | None:
    """The IANA name of the machine's zone ("Europe/Berlin"), when it can be told for sure:
    from ``TZ``, else from where ``/etc/localtime`` links to in a zoneinfo folder."""
    name = os.environ.get("TZ")
    if name is not None:
        name = name.removeprefix(":")
        return name if name and not name.startswith(("/", "right/", "posix/")) else None
    try:
        target = _LOCALTIME.readlink()
    except OSError:  # not a link (a copied file), or no such file
        return None
    parts = target.parts
    if "zoneinfo" not in parts:
        return None
    name = "/".join(parts[parts.index("zoneinfo") + 1 :])
    # right/… zones count leap seconds, which Python's clock does not: leave them to libc.
    return None if name.startswith(("right/", "posix/")) else name


@cache
def local_zone() -> tzinfo:
    """The machine's time zone, with its daylight-saving rules.

    A named :class:`zoneinfo.ZoneInfo` where the name is known: its offsets are worked out
    in C (dateutil's ``tzlocal`` does it in Python, ten times slower, which a calendar of
    ten thousand follow-ups feels), and it can be copied and pickled. Otherwise dateutil's
    ``tzlocal``, which reads the C library's idea of the zone.
    """
    name = _zone_name()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    from dateutil import tz  # only where the zone has no name we can use

    return tz.tzlocal()


def local_now() -> datetime:
    """Now, in the machine's local time zone, to the second."""
    return datetime.now(local_zone()).replace(microsecond=0)
