"""The one place that reads the wall clock. Everything else is handed ``now``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from dateutil import tz

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """Now, in the machine's local time zone, to the second."""
    return datetime.now(tz.tzlocal()).replace(microsecond=0)
