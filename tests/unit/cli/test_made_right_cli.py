"""On the command line: how a follow-up stands when done, whether the customer was
satisfied at closing, and the report's "made right" figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    assert run("add", "Charged twice", "--customer", "Ana Chen").code == 0
    assert run("followup", "1", "today 16:00").code == 0
    assert run("followup", "1", "tomorrow 10am").code == 0
    return run


def test_done_with_how_it_stands(run: Run) -> None:
    result = run("followup", "1", "--done", "F1", "--note", "New card sent", "--result", "partly")
    assert result.code == 0, result.err
    assert result.out == "C-0001: follow-up F1 done (partly resolved).\n"
    data = run("show", "1", "--json").json()
    assert [f["result"] for f in data["followups"]] == ["partly", None]
    assert "done, partly resolved" in run("show", "1").out
    assert run("followup", "1", "--done", "F2", "--result", "not resolved").code == 0
    assert run("show", "1", "--json").json()["followups"][1]["result"] == "not_resolved"


def test_a_result_needs_done_and_a_known_answer(run: Run) -> None:
    refused = run("followup", "1", "--result", "resolved", "--cancel", "F1")
    assert refused.code == 2
    assert "--result says how a follow-up stands when it is done" in refused.err
    unknown = run("followup", "1", "--done", "F1", "--result", "maybe")
    assert unknown.code == 2
    assert "“maybe” is not one of: resolved, partly, not_resolved" in unknown.err


def test_close_says_whether_they_were_satisfied(run: Run) -> None:
    closed = run(
        "close", "1", "--outcome", "retained", "--force", "--keep-followups", "--satisfied", "yes"
    )
    assert closed.code == 0, closed.err
    data = run("show", "1", "--json").json()
    assert data["satisfied"] is True
    assert "Outcome: retained, customer satisfied" in run("show", "1").out


def test_the_report_shows_made_right_and_satisfaction(run: Run) -> None:
    assert run("followup", "1", "--done", "F1", "--result", "resolved").code == 0
    assert run("close", "1", "--outcome", "retained", "--force", "--cancel-followups").code == 0
    text = run("report", "--period", "all").out
    assert "Made right (1 case with a follow-up answered)" in text
    assert "  at the first follow-up     1 100%" in text
    assert "closed, customer satisfied: 0 · not satisfied: 0 · couldn't tell: 1" in text
    data = run("report", "--period", "all", "--json").json()
    assert data["made_right"] == {"cases": 1, "at_first_followup": 1, "later": 0, "not_yet": 0}
    assert data["satisfied"] == {"yes": 0, "no": 0, "not_told": 1}
