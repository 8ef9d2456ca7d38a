"""The machine's zone: a named zoneinfo zone where the name is sure, dateutil's otherwise."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz

from workbench.domain import clock


@pytest.fixture(autouse=True)
def fresh_zone() -> Iterator[None]:
    clock.local_zone.cache_clear()
    yield
    clock.local_zone.cache_clear()


def test_tz_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert clock.local_zone() == ZoneInfo("Europe/Berlin")
    now = clock.local_now()
    assert now.tzinfo == ZoneInfo("Europe/Berlin") and now.microsecond == 0
    # Cases hold such times and the screen copies them; both must work.
    assert copy.deepcopy(now) == now == pickle.loads(pickle.dumps(now))


def test_the_localtime_link_names_the_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TZ", raising=False)
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/New_York")
    monkeypatch.setattr(clock, "_LOCALTIME", link)
    assert clock.local_zone() == ZoneInfo("America/New_York")


@pytest.mark.parametrize("value", ["CET-1CEST,M3.5.0,M10.5.0/3", "/etc/some/file", "Nowhere/Land"])
def test_a_zone_without_a_usable_name_falls_back_to_the_c_library(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TZ", value)
    assert isinstance(clock.local_zone(), tz.tzlocal)


def test_a_copied_localtime_file_falls_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    copied = tmp_path / "localtime"
    copied.write_bytes(b"TZif")
    monkeypatch.setattr(clock, "_LOCALTIME", copied)
    assert isinstance(clock.local_zone(), tz.tzlocal)


def test_both_agree_on_a_summer_and_a_winter_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    zone = clock.local_zone()
    for month, hours in ((1, 1), (7, 2)):
        when = datetime(2026, month, 15, 12, tzinfo=zone)
        assert when.utcoffset() is not None
        assert when.utcoffset().total_seconds() == hours * 3600  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["right/Europe/Berlin", "posix/Europe/Berlin"])
def test_leap_second_zones_are_left_to_the_c_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    link = tmp_path / "localtime"
    link.symlink_to(f"/usr/share/zoneinfo/{name}")
    monkeypatch.setattr(clock, "_LOCALTIME", link)
    assert isinstance(clock.local_zone(), tz.tzlocal)
