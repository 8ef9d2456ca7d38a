"""The tests' frozen moment: every test that needs "now" without a fixture uses this."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))


class SteppingClock:
    """A frozen clock the test moves on: ``clock()`` is now, ``clock.step(minutes=5)``
    moves it."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def step(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
