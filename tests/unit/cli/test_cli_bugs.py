"""A bug in a command: exit 70 and one sentence that names the bug log; the details, which
may quote a customer's data, go to the log and never to the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner

from workbench import paths
from workbench.domain.model import Case
from workbench.storage import CaseStore

SECRET = "Ana Chen, 12 Rue des Lilas"


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "bugs.log"
    monkeypatch.setenv(paths.BUG_LOG_ENV, str(path))
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)
    return path


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing cases meets a bug whose message quotes a customer's data."""

    def all_cases(self: CaseStore) -> list[Case]:
        raise KeyError(SECRET)

    monkeypatch.setattr(CaseStore, "all_cases", all_cases)


@pytest.mark.usefixtures("broken")
def test_a_bug_is_one_sentence_naming_the_log(run: Run, log: Path) -> None:
    result = run("list")
    assert result.code == 70
    assert result.err.startswith("workbench: something went wrong inside the workbench (KeyError)")
    assert f"the details are in {log}." in result.err
    assert result.err.count("\n") == 1
    assert SECRET not in result.err and "Traceback" not in result.err
    text = log.read_text()
    assert "command line" in text.splitlines()[0]
    assert "Traceback (most recent call last):" in text
    assert f"KeyError: '{SECRET}'" in text and "in all_cases" in text


@pytest.mark.usefixtures("broken")
def test_a_log_that_cannot_be_written_points_at_debug_instead(
    run: Run, log: Path, tmp_path: Path
) -> None:
    target = tmp_path / "someone_elses_file"
    target.write_text("theirs\n")
    log.parent.mkdir()
    log.symlink_to(target)
    result = run("list")
    assert result.code == 70
    assert "WORKBENCH_DEBUG=1" in result.err and str(log) not in result.err
    assert SECRET not in result.err
    assert target.read_text() == "theirs\n"
