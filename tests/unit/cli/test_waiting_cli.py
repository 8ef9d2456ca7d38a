"""`workbench status CASE waiting --until WHEN`: the case waits, and wakes then with a
follow-up that `remind` and the list treat as any other."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    assert run("add", "Late parcel", "--customer", "Ana Chen").code == 0
    return run


def test_waiting_until_wakes_the_case_and_remind_says_so(run: Run) -> None:
    result = run("status", "C-0001", "waiting", "--until", "in 2 days")
    assert result.code == 0, result.err
    assert result.out.startswith("C-0001 is waiting on the customer until Wed 25 Nov 2026, 09:00")
    data = run("show", "C-0001", "--json").json()
    assert data["status"] == "waiting" and data["waiting_until"].startswith("2026-11-25T09:00")
    assert data["followups"][0]["wakes"] is True
    assert "wakes the case" in run("show", "C-0001").out
    woken_at = datetime.fromisoformat(data["waiting_until"])  # a day without a time: 09:00
    reminded = run("remind", "--json", clock=lambda: woken_at - timedelta(hours=1)).json()
    assert reminded["reminders"] == []
    reminded = run("remind", "--json", clock=lambda: woken_at + timedelta(minutes=1)).json()
    assert [r["action"] for r in reminded["reminders"]] == ["No answer yet: check in with them"]
    # They answered: back in progress, the wake-up goes.
    assert run("status", "C-0001", "in_progress").code == 0
    assert run("show", "C-0001", "--json").json()["waiting_until"] is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["new", "--until", "tomorrow"], "--until goes with waiting"),
        (["waiting", "--until", "yesterday"], ""),
        (["waiting", "--until", "blorp"], "blorp"),
    ],
)
def test_until_that_wont_do_is_said_and_nothing_changes(
    run: Run, db_path: Path, args: list[str], said: str
) -> None:
    before = db_path.read_bytes()
    result = run("status", "C-0001", *args)
    assert result.code == 2 and said in result.err
    assert db_path.read_bytes() == before


def test_a_follow_up_series_from_the_command_line(run: Run) -> None:
    made = run(
        "followup",
        "C-0001",
        "tomorrow 10am",
        "--what",
        "Check the fix holds",
        "--every",
        "every week",
        "--times",
        "2",
    )
    assert made.out.startswith("C-0001: follow-up F1 on Tue 24 Nov 2026, 10:00")
    assert made.out.rstrip().endswith("(every week, 2 times in all)")
    done = run("followup", "C-0001", "--done", "F1")
    assert done.out == (
        "C-0001: follow-up F1 done; next of its series: F2 on Tue 01 Dec 2026, 10:00.\n"
    )
    data = run("show", "C-0001", "--json").json()
    assert [(f["id"], f["every_days"], f["repeats_left"]) for f in data["followups"]] == [
        (1, 7, 1),
        (2, 7, 0),
    ]
    assert run("followup", "C-0001", "--done", "F2").out == "C-0001: follow-up F2 done.\n"
    refused = run("followup", "C-0001", "tomorrow", "--every", "fortnight")
    assert refused.code == 2 and "is not a repeat" in refused.err
    assert run("followup", "C-0001", "tomorrow", "--times", "3").code == 2


def test_a_woken_case_comes_back_at_the_top_of_the_list_marked(run: Run) -> None:
    assert run("add", "Charged twice", "--customer", "Bo Li").code == 0
    past = "--what", "An old promise"
    assert run("followup", "C-0002", "in 1 hour", *past).code == 0
    assert run("status", "C-0001", "waiting", "--until", "in 2 hours").code == 0
    later = lambda: NOW + timedelta(hours=3)  # noqa: E731 - both have fallen due
    rows = run("list", "--sort", "followup", clock=later).out.splitlines()[1:3]
    assert [row[:6] for row in rows] == ["C-0001", "C-0002"]  # woken first, then the rest
    assert rows[0].endswith("⏰")
    before = lambda: NOW + timedelta(hours=1, minutes=30)  # noqa: E731 - not woken yet
    listed = run("list", "--sort", "followup", clock=before).out.splitlines()
    assert [r[:6] for r in listed[1:3]] == [
        "C-0002",
        "C-0001",
    ]
