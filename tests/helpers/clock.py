"""The tests' frozen moment: every test that needs "now" without a fixture uses this."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))
