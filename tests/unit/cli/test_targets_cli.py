"""Response targets and escalation on the command line (issue 20, part 4): `show` says
each target, `--json` gives its times, `list` marks a case past its target, `escalate`
passes it up (to --to, else the escalate_to setting's agent), refusals change nothing,
and `undo` takes it back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW

LATER = NOW + timedelta(hours=2)


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    added = run(
        "add", "Charged twice", "--customer", "Bo Li", "--heat", "furious", "--channel", "email"
    )
    assert added.code == 0, added.err
    return run


def test_show_and_list_say_where_the_case_stands_against_its_targets(run: Run) -> None:
    data = run("show", "C-0001", "--json").json()
    first = data["targets"]["first_contact"]
    assert first == {
        "target_seconds": 3600,
        "due": (NOW + timedelta(hours=1)).isoformat(),
        "met_at": None,
        "state": "running",
        "seconds_left": 3600,
        "waited_seconds": 0,
        "paused": False,
    }
    assert data["targets"]["resolution"]["due"] == (NOW + timedelta(days=2)).isoformat()
    assert data["late"] is False and data["escalated_at"] is None
    shown = run("show", "C-0001", clock=lambda: LATER).out
    assert "Target, first contact: no contact yet, 1h late (target 1h for furious)" in shown
    assert "Target, resolution: resolution due within 1d 22h (target 2d for furious)" in shown
    late = run("show", "C-0001", "--json", clock=lambda: LATER).json()
    assert late["late"] is True and late["targets"]["first_contact"]["state"] == "late"
    assert late["targets"]["first_contact"]["seconds_left"] == -3600
    row = run("list", clock=lambda: LATER).out.splitlines()[1]
    assert row.endswith("⌛")
    line = run("list", "--json", clock=lambda: LATER).json()[0]
    assert (line["late"], line["escalated"]) == (True, False)
    assert line["target_due"] == (NOW + timedelta(hours=1)).isoformat()


def test_escalate_goes_to_the_agent_named_then_to_the_setting_and_undo_takes_it_back(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run("escalate", "C-0001", "--to", "sam", clock=lambda: LATER)
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "C-0001: Escalated to sam: first contact 1h late (target 1h for furious)."
    )
    data = run("show", "C-0001", "--json").json()
    assert data["owner"] == "sam" and data["escalated_at"] == LATER.isoformat()
    assert run("list", clock=lambda: LATER).out.splitlines()[1].endswith("▲")
    undone = run("undo")
    assert undone.code == 0, undone.err
    assert "not escalated" in undone.out and "owner" not in undone.out.split("(")[0]
    assert run("show", "C-0001", "--json").json()["escalated_at"] is None

    settings = tmp_path / "settings.toml"
    settings.write_text('escalate_to = "lee"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings))
    result = run("escalate", "C-0001", "--json", clock=lambda: LATER)
    assert result.code == 0, result.err
    assert result.json()["owner"] == "lee"


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ([], "was escalated on"),
        (["status", "C-0001", "resolved"], "is resolved: there is nothing to escalate"),
    ],
)
def test_escalating_again_or_a_resolved_case_is_refused_and_changes_nothing(
    run: Run, db_path: Path, setup: list[str], said: str
) -> None:
    if setup:
        assert run(*setup).code == 0
    else:
        assert run("escalate", "C-0001").code == 0
    before = db_path.read_bytes()
    result = run("escalate", "C-0001", "--to", "sam")
    assert result.code != 0 and said in result.err
    assert db_path.read_bytes() == before
