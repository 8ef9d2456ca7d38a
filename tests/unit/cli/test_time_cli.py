"""`workbench time`: the timer from the command line, minutes logged, and the time shown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    assert run("add", "Charged twice", "--customer", "Ana Chen").code == 0
    assert run("add", "Late parcel", "--customer", "Bo Li").code == 0
    return run


def test_start_and_stop_the_timer_across_two_commands(run: Run) -> None:
    assert run("time", "1", "start").out == "C-0001: timer started.\n"
    stopped = run("time", "1", "stop", clock=lambda: NOW + timedelta(minutes=25))
    assert stopped.out == "C-0001: timer stopped, 25m. 25m spent in all.\n"
    shown = run("time", "1", "--json").json()
    assert shown["minutes"] == 25 and shown["timer_started_at"] is None
    assert shown["entries"] == [
        {"started_at": NOW.isoformat(), "minutes": 25, "author": "tester", "step": None}
    ]


def test_starting_another_stops_mine_first(run: Run) -> None:
    assert run("time", "1", "start").code == 0
    second = run("time", "2", "start", clock=lambda: NOW + timedelta(minutes=10))
    assert second.code == 0
    assert "stopped your timer on C-0001 first" in second.err
    assert run("time", "1", "--json").json()["minutes"] == 10
    assert run("time", "2", "--json").json()["timer_by"] == "tester"


def test_minutes_logged_on_a_step_and_shown(run: Run) -> None:
    logged = run("time", "1", "1h 30m", "--step", "1")
    assert logged.out == "C-0001: 1h 30m logged. 1h 30m spent in all.\n"
    text = run("time", "1").out
    assert text.splitlines()[0] == "C-0001: 1h 30m spent"
    assert text.splitlines()[1] == "  23 Nov 13:00   1h 30m on their-side (tester)"
    data = run("show", "1", "--json").json()
    assert data["time_spent"][0]["minutes"] == 90


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["time", "1", "stop"], "No timer runs on C-0001."),
        (["time", "1", "soon"], "“soon” is not a number of minutes"),
        (["time", "1", "0"], "Log from 1 to 720 minutes"),
        (["time", "1", "25", "--step", "9"], "there is no step 9"),
        (["time", "1", "start", "--step", "1"], "--step goes with minutes logged"),
    ],
)
def test_mistakes_are_said(run: Run, args: list[str], says: str) -> None:
    result = run(*args)
    assert result.code == 2
    assert says in result.err


def test_the_report_shows_handling_time_once_some_is_kept(run: Run) -> None:
    assert run("close", "2", "--outcome", "lost", "--force", "--keep-followups").code == 0
    assert "     time" not in run("report").out  # no time kept: no column of zeros
    assert run("time", "1", "40").code == 0
    assert run("close", "1", "--outcome", "retained", "--force", "--keep-followups").code == 0
    text = run("report").out
    assert "Outcomes of the 2 closed cases               remedy cost     time" in text
    assert "  retained                            1  50%            0.00      40m" in text
    assert "Time logged in the period: 40m" in text
    data = run("report", "--json").json()
    assert data["handling_minutes"]["by_outcome"]["retained"] == 40
