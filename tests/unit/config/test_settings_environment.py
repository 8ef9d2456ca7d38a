"""Overrides from the environment are applied as the settings are read, so the settings
hold the values in force and nothing downstream looks at the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.settings import OverrideError, SettingsError, load_settings


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('date_order = "mdy"\ndefault_hour = "08:15"\n', encoding="utf-8")
    return path


def test_the_date_order_in_the_environment_wins_over_the_file(settings_path: Path) -> None:
    settings = load_settings(settings_path, {"WORKBENCH_DATE_ORDER": " DMY "})
    assert settings.date_order == "dmy"
    assert settings.date_settings().day_first
    assert (settings.date_settings().default_hour, settings.default_hour.minute) == (8, 15)
    assert settings.path == settings_path


def test_an_empty_or_missing_override_leaves_the_file_in_force(settings_path: Path) -> None:
    assert load_settings(settings_path, {"WORKBENCH_DATE_ORDER": "  "}).date_order == "mdy"
    assert load_settings(settings_path, {}).date_order == "mdy"


def test_the_override_applies_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml", {"WORKBENCH_DATE_ORDER": "mdy"})
    assert settings.date_order == "mdy" and not settings.date_settings().day_first


def test_the_process_environment_is_the_default(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_DATE_ORDER", "dmy")
    assert load_settings(settings_path).date_order == "dmy"


def test_an_override_that_wont_do_is_refused(settings_path: Path) -> None:
    with pytest.raises(OverrideError) as caught:
        load_settings(settings_path, {"WORKBENCH_DATE_ORDER": "YMD"})
    assert str(caught.value) == "WORKBENCH_DATE_ORDER must be dmy or mdy, not “ymd”"


def test_a_bad_file_is_said_before_a_bad_override(settings_path: Path) -> None:
    settings_path.write_text('date_order = "ymd"\n', encoding="utf-8")
    with pytest.raises(SettingsError):
        load_settings(settings_path, {"WORKBENCH_DATE_ORDER": "ymd"})


def test_the_command_line_refuses_a_bad_override_before_opening_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_DATE_ORDER", "ymd")
    db_path = tmp_path / "cases.json"
    code = main(["--db", str(db_path), "list"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err == "workbench: WORKBENCH_DATE_ORDER must be dmy or mdy, not “ymd”\n"
    assert captured.out == ""
    assert not db_path.exists()
