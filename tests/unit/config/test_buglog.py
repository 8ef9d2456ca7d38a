"""The bug log: a bug's traceback kept in a private, bounded file that is never reached
through a planted link."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from helpers.clock import NOW

from workbench import buglog, paths


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "bugs.log"
    monkeypatch.setenv(paths.BUG_LOG_ENV, str(path))
    return path


def a_bug(text: str = "no such key") -> KeyError:
    try:
        {}[text]
    except KeyError as error:
        return error
    raise AssertionError("not raised")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_traceback_is_kept_in_a_private_file(log: Path) -> None:
    assert buglog.record_bug(a_bug(), "command line", NOW) == log
    text = log.read_text()
    assert text.startswith(f"--- {NOW.isoformat(timespec='seconds')}  workbench ")
    assert "command line" in text.splitlines()[0]
    assert "Traceback (most recent call last):" in text
    assert "in a_bug" in text and "KeyError: 'no such key'" in text
    assert mode(log) == 0o600
    assert mode(log.parent) == 0o700

    buglog.record_bug(a_bug("second"), "saver", NOW)
    assert log.read_text().count("Traceback") == 2


def test_the_default_log_sits_beside_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.BUG_LOG_ENV, raising=False)
    assert paths.bug_log_file() == paths.config_dir() / "bugs.log"
    assert paths.bug_log_file().parent == paths.settings_file().parent


def test_a_link_planted_at_the_log_is_never_followed(log: Path, tmp_path: Path) -> None:
    target = tmp_path / "someone_elses_file"
    target.write_text("theirs\n")
    log.parent.mkdir()
    log.symlink_to(target)
    assert buglog.record_bug(a_bug(), "command line", NOW) is None
    assert target.read_text() == "theirs\n"
    assert log.is_symlink()


def test_a_fifo_at_the_log_is_refused_without_waiting(log: Path) -> None:
    log.parent.mkdir()
    os.mkfifo(log)
    assert buglog.record_bug(a_bug(), "command line", NOW) is None


def test_a_log_left_readable_by_others_is_made_private(log: Path) -> None:
    log.parent.mkdir()
    log.write_text("old\n")
    log.chmod(0o644)
    buglog.record_bug(a_bug(), "command line", NOW)
    assert mode(log) == 0o600
    assert log.read_text().startswith("old\n")


def test_a_full_log_moves_to_dot_one_and_starts_afresh(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(buglog, "MAX_BYTES", 1200)
    for number in range(20):
        buglog.record_bug(a_bug(f"bug {number}"), "command line", NOW)
    older = buglog.rotated(log)
    assert log.stat().st_size <= 1200 and older.stat().st_size <= 1200
    assert "bug 19" in log.read_text()
    assert "bug 0'" not in log.read_text() + older.read_text()  # the oldest are gone
    assert mode(older) == 0o600

    # A link planted at NAME.1 is replaced by the move, never written through.
    target = tmp_path / "someone_elses_file"
    target.write_text("theirs\n")
    older.unlink()
    older.symlink_to(target)
    for number in range(20, 40):
        buglog.record_bug(a_bug(f"bug {number}"), "command line", NOW)
    assert target.read_text() == "theirs\n"
    assert not older.is_symlink()


def test_one_huge_bug_is_cut_not_the_log(log: Path) -> None:
    buglog.record_bug(a_bug("x" * 5_000_000), "command line", datetime.now().astimezone())
    text = log.read_text()
    assert len(text) <= buglog.MAX_ENTRY + 100
    assert "[… cut …]" in text and text.rstrip().endswith("x'")
