"""Holding off the cycle collector while many objects that hold no cycles are built."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _CollectorHolds:
    """Who is holding the cycle collector off, across threads: it comes back on when
    the last one lets go, and only if it was on when the first one took hold."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_HOLDS = _CollectorHolds()


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold off the cycle collector while building many objects that hold no cycles.

    Building 100,000 small objects otherwise triggers a full collection over and over;
    it is most of the cost of a load. Safe to nest and to use from several threads at
    once (the screen's loading, saving and background threads do).
    """
    with _HOLDS.lock:
        if _HOLDS.count == 0:
            _HOLDS.was_enabled = gc.isenabled()
            gc.disable()
        _HOLDS.count += 1
    try:
        yield
    finally:
        with _HOLDS.lock:
            _HOLDS.count -= 1
            if _HOLDS.count == 0 and _HOLDS.was_enabled:
                gc.enable()
