"""Agents on the command line: who I am (the agent setting, WORKBENCH_AGENT, else the
login name), ``assign``, ``list --mine``/``--unassigned``/``--owner``, and the timeline
saying who did what."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


def test_the_case_i_open_is_mine_and_my_changes_are_signed(run: Run) -> None:
    assert run("add", "Parcel never arrived", "--customer", "Ana Chen").code == 0
    assert run("note", "C-0001", "Called, no answer").code == 0
    shown = run("show", "C-0001")
    assert "Owner: tester" in shown.out
    assert "Called, no answer  (tester)" in shown.out
    data = run("show", "C-0001", "--json").json()
    assert data["owner"] == "tester"
    assert {event.get("author") for event in data["timeline"]} == {"tester"}


def test_the_environment_says_who_i_am(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_AGENT", "  Ana   Chen ")
    assert run("add", "Late", "--customer", "Bo").code == 0
    assert run("show", "C-0001", "--json").json()["owner"] == "Ana Chen"


def test_a_bad_name_in_the_environment_is_said_before_anything_changes(
    run: Run, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    monkeypatch.setenv("WORKBENCH_AGENT", "x" * 70)
    result = run("add", "Late", "--customer", "Bo")
    assert result.code == 2
    assert "WORKBENCH_AGENT" in result.err and "1 to 64 characters" in result.err
    assert not db_path.exists()


def test_the_settings_file_says_who_i_am(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('agent = "cleo"\n')
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings))
    assert run("add", "Late", "--customer", "Bo").code == 0
    assert run("show", "C-0001", "--json").json()["owner"] == "cleo"


def test_assign_pass_and_take_back(run: Run) -> None:
    assert run("add", "Late", "--customer", "Bo").code == 0
    assert run("assign", "C-0001", "ana").out.strip() == "C-0001 is now assigned to ana."
    assert run("assign", "C-0001", "ana").out.strip() == "C-0001 was already assigned to ana."
    assert run("assign", "1", "me").out.strip() == "C-0001 is now assigned to tester."
    assert run("assign", "1", "--none").out.strip() == "C-0001 is now assigned to no one."
    timeline = run("show", "C-0001").out
    assert "Passed from tester to ana  (tester)" in timeline  # the opener had it
    assert "Passed from ana to tester  (tester)" in timeline
    assert "No longer assigned (was tester)  (tester)" in timeline


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "say who gets the case"),
        (("ana", "--none"), "say who gets the case"),
        (("x" * 65,), "under 64 characters"),
    ],
)
def test_assign_refuses_in_words(run: Run, args: tuple[str, ...], said: str) -> None:
    assert run("add", "Late", "--customer", "Bo").code == 0
    result = run("assign", "C-0001", *args)
    assert result.code == 2 and said in result.err
    assert run("show", "C-0001", "--json").json()["owner"] == "tester"


def test_list_mine_unassigned_and_by_owner(run: Run) -> None:
    for title in ("Mine", "Ana's", "Nobody's"):
        assert run("add", title, "--customer", "Bo").code == 0
    run("assign", "2", "ana")
    run("assign", "3", "--none")

    def ids(*args: str) -> list[str]:
        return [case["id"] for case in run("list", "--json", *args).json()]

    assert ids("--mine") == ["C-0001"]
    assert ids("--unassigned") == ["C-0003"]
    assert ids("--owner", "ana") == ["C-0002"]
    assert ids() == ["C-0001", "C-0002", "C-0003"]
    assert run("list", "--json").json()[2]["owner"] is None
    assert run("list", "--mine", "--unassigned").code == 2  # one or the other


def test_the_report_cut_per_agent(run: Run) -> None:
    for title in ("Mine", "Ana's", "Ana's too", "Nobody's"):
        assert run("add", title, "--customer", "Bo").code == 0
    run("assign", "2", "ana")
    run("assign", "3", "ana")
    run("assign", "4", "--none")

    def opened(*args: str) -> int:
        return int(run("report", "--period", "all", "--json", *args).json()["cases"]["opened"])

    assert opened() == 4
    assert opened("--agent", "ana") == 2
    assert opened("--agent", "me") == 1
    assert opened("--unassigned") == 1
    text = run("report", "--period", "all", "--agent", "ana").out
    assert text.startswith("The cases ana has now.")
    assert run("report", "--json", "--agent", "ana").json()["owner"] == "ana"
    assert run("report", "--agent", "ana", "--unassigned").code == 2
