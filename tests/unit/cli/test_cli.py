"""The command line: every subcommand over a temporary database, as a script would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.clock import NOW
from tinydb import TinyDB

from workbench.cli import main
from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


def add_case(run: Run, *extra: str) -> dict[str, object]:
    result = run(
        "add",
        "Charged twice",
        "--customer",
        "Ana Chen",
        "--heat",
        "furious",
        "--fault",
        "ours",
        "--json",
        *extra,
    )
    assert result.code == 0, result.err
    data = result.json()
    assert isinstance(data, dict)
    return data


def test_add_suggests_a_playbook_and_prints_the_first_step(run: Run, db_path: Path) -> None:
    result = run(
        "add", "Charged twice", "--customer", "Ana Chen", "--heat", "furious", "--fault", "ours"
    )
    assert result.code == 0
    assert result.out.startswith("Opened C-0001 for Ana Chen: Charged twice")
    assert "Mad customer after our mistake" in result.out
    with TinyDB(db_path) as db:
        [record] = db.table("cases").all()
    assert record["playbook"] == "our-mistake"


def test_add_with_an_explicit_playbook_and_json(run: Run) -> None:
    data = add_case(
        run,
        "--playbook",
        "unhappy",
        "--channel",
        "e-mail",
        "--tag",
        "VIP",
        "--contact",
        "ana@example.com",
    )
    assert data["id"] == "C-0001"
    assert data["playbook"] == "unhappy"
    assert data["channel"] == "email"
    assert data["tags"] == ["vip"]
    assert data["first_contact_at"] is None  # a written complaint: nobody has called yet


def test_add_rejects_an_empty_title_without_saving(run: Run, db_path: Path) -> None:
    result = run("add", "   ", "--customer", "Ana")
    assert result.code == 2
    assert result.err.startswith("workbench: title:")
    assert "Traceback" not in result.err
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["add", "x", "--customer", "A", "--heat", "boiling"], "not one of: calm, upset, furious"),
        (["add", "x"], "--customer"),
        (["add", "x", "--customer", "A", "--playbook", "nope"], "no playbook"),
        (["show", "X-12"], "not a case id"),
        (["show", "C-0099"], "There is no case C-0099"),
        (["step", "1", "9", "--done"], "no step 9"),
        (["step", "1", "listen-hard"], "no step “listen-hard”"),
        (["followup", "1", "tomorow"], "tomorow"),
        (["followup", "1", "yesterday"], "passed"),
        (["followup", "1"], "say when"),
        (["followup", "1", "--done", "F9"], "no follow-up F9"),
        (["followup", "1", "--done", "banana"], "follow-up number"),
        (["status", "1", "closed"], "outcome"),
        (["status", "1", "finished"], "not one of"),
        (["remedy", "1", "Refund", "--cost", "lots"], "not an amount"),
        (["close", "1", "--outcome", "retained"], "open steps"),
        (["close", "1", "--outcome", "happy"], "not one of"),
        (["demo", "--cases", "0"], "between 1 and"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    run: Run, db_path: Path, args: list[str], fragment: str
) -> None:
    add_case(run)
    before = db_path.read_bytes()
    result = run(*args)
    assert result.code == 2, result
    assert fragment in result.err
    assert "Traceback" not in result.err + result.out
    assert db_path.read_bytes() == before


def test_step_toggle_done_undone_and_note(run: Run, db_path: Path) -> None:
    add_case(run)
    assert "is done" in run("step", "C-0001", "2").out
    assert "is not done" in run("step", "C-0001", "2").out
    assert run("step", "1", "2", "--done").code == 0
    assert run("step", "1", "apologise", "--note", "They accepted the apology").code == 0
    steps = CaseStore(db_path).get("C-0001").steps
    assert steps[1].done
    assert steps[1].note == "They accepted the apology"
    assert run("step", "1", "2", "--undone").code == 0
    assert not CaseStore(db_path).get("1").steps[1].done


def test_followup_schedule_and_complete(run: Run, db_path: Path) -> None:
    add_case(run)
    result = run("followup", "C-0001", "tomorrow", "10am", "--what", "Check the refund")
    assert result.code == 0
    assert "F1 on Tue 24 Nov 2026, 10:00" in result.out
    data = run("followup", "1", "in 3 days", "--json").json()
    assert isinstance(data, dict)
    assert [f["due"] for f in data["followups"]] == [
        "2026-11-24T10:00:00+01:00",
        "2026-11-26T09:00:00+01:00",
    ]
    assert data["next_followup"] == "2026-11-24T10:00:00+01:00"
    assert run("followup", "1", "--done", "F1", "--note", "refund arrived").code == 0
    assert run("followup", "1", "--cancel", "2").code == 0
    case = CaseStore(db_path).get("1")
    assert case.followup(1).done_at == NOW and case.followup(1).note == "refund arrived"
    assert case.followup(2).cancelled_at == NOW


def test_status_remedy_close(run: Run, db_path: Path) -> None:
    add_case(run)
    assert run("status", "1", "waiting").out.strip() == "C-0001 is now waiting on customer."
    assert "was already" in run("status", "1", "waiting on customer").out
    assert (
        run("remedy", "1", "Refund the second charge", "--cost", "€49.90", "--accepted").code == 0
    )
    result = run("close", "1", "--outcome", "retained with concession", "--force", "--json")
    assert result.code == 0
    data = result.json()
    assert isinstance(data, dict)
    assert data["status"] == "closed"
    assert data["outcome"] == "retained_with_concession"
    assert data["remedy"] == {
        "description": "Refund the second charge",
        "cost": "49.90",
        "accepted": True,
        "recorded_at": NOW.isoformat(),
    }


def test_note_and_search(run: Run) -> None:
    add_case(run)
    run("add", "Late delivery", "--customer", "Ben Okafor")
    assert run("note", "2", "Wants a call after 5pm").code == 0
    listed = run("list", "--search", "after 5PM", "--json").json()
    assert [c["id"] for c in listed] == ["C-0002"]  # type: ignore[index, union-attr]
    by_customer = run("list", "--customer", "ana", "--json").json()
    assert [c["id"] for c in by_customer] == ["C-0001"]  # type: ignore[index, union-attr]


def test_list_hides_closed_unless_asked_and_sorts(run: Run) -> None:
    add_case(run)
    run("add", "Rude reply", "--customer", "Ben", "--heat", "calm")
    run("add", "Never again", "--customer", "Cy", "--heat", "furious")
    run("close", "3", "--outcome", "lost", "--force")
    run("followup", "2", "tomorrow 9am")
    run("followup", "1", "in 2 days")
    ids = lambda *a: [c["id"] for c in run("list", "--json", *a).json()]  # type: ignore[union-attr, index]  # noqa: E731
    assert ids() == ["C-0001", "C-0002"]
    assert ids("--all") == ["C-0001", "C-0002", "C-0003"]
    assert ids("--status", "closed") == ["C-0003"]
    assert ids("--sort", "followup") == ["C-0002", "C-0001"]
    assert ids("--all", "--sort", "heat")[:2] == ["C-0001", "C-0003"]
    table = run("list").out
    assert table.splitlines()[0].split()[:3] == ["ID", "CUSTOMER", "TITLE"]
    assert "2 cases." in table


def test_show_text_and_json(run: Run) -> None:
    add_case(run)
    text = run("show", "c-1").out
    assert text.startswith("C-0001  Charged twice")
    assert "[ ] 1. Stop and think before you answer" in text
    assert "Timeline:" in text
    data = run("show", "1", "--json").json()
    assert isinstance(data, dict)
    assert data["id"] == "C-0001" and data["needs_contact"] is False


def test_user_text_is_shown_harmlessly(run: Run) -> None:
    run("add", "[bold red]refund![/] \x1b]0;pwned\x07", "--customer", "Evil \x1b[2J Corp")
    shown = run("show", "1").out
    assert "\x1b" not in shown and "\x07" not in shown
    assert "[bold red]refund![/] \\x1b]0;pwned\\x07" in shown
    listed = run("list").out
    assert "\x1b" not in listed
    data = run("show", "1", "--json").json()
    assert isinstance(data, dict)
    assert data["customer"] == "Evil \x1b[2J Corp"  # kept exactly, for scripts


def test_playbooks_lists_builtins_and_reports_bad_user_files(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.toml").write_text('name = "Broken"\n[[steps]\n')
    monkeypatch.setenv("WORKBENCH_PLAYBOOKS", str(folder))
    result = run("playbooks", "--json")
    assert result.code == 0
    keys = [p["key"] for p in result.json()]  # type: ignore[union-attr, index]
    assert keys == ["blame", "wrong", "saying-no", "our-mistake", "unhappy"]
    assert "broken.toml, line 2" in result.err
    one = run("playbooks", "wrong")
    assert "1. Call them today" in one.out


def test_demo_is_deterministic_and_varied(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("demo", "--cases", "120", "--seed", "3").code == 0
    first = CaseStore(db_path).all_cases()
    other = tmp_path / "other.json"
    assert (
        main(["--db", str(other), "demo", "--cases", "120", "--seed", "3"], clock=lambda: NOW) == 0
    )
    again = CaseStore(other).all_cases()
    assert [(c.customer, c.title, c.status, c.followups) for c in first] == [
        (c.customer, c.title, c.status, c.followups) for c in again
    ]
    assert {c.status.value for c in first} == {
        "new",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
    }
    assert {c.playbook for c in first} == {"blame", "wrong", "saying-no", "our-mistake", "unhappy"}
    assert {c.heat.value for c in first} == {"calm", "upset", "furious"}
    dues = [f.due for c in first for f in c.followups if f.is_open]
    assert min(dues) < NOW < max(dues)  # some overdue, some ahead


def test_doctor_reports_without_changing(run: Run, db_path: Path) -> None:
    add_case(run)
    healthy = run("doctor", "--json")
    assert healthy.code == 0
    assert healthy.json()["healthy"] is True  # type: ignore[index, call-overload]
    db_path.write_bytes(b'{"cases": {"1": {"id": "C-0001"}}}')
    os.chmod(db_path, 0o644)
    before = db_path.read_bytes()
    sick = run("doctor")
    assert sick.code == 1
    assert "PROBLEM" in sick.out and "“title” is missing" in sick.out
    assert "chmod 600" in sick.out
    assert db_path.read_bytes() == before
    assert run("list").code == 2  # and the other commands refuse it too


def test_database_from_environment(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_DB", str(db_path))
    assert main(["add", "From env", "--customer", "Ann"], clock=lambda: NOW) == 0
    assert db_path.exists()


def test_default_database_lives_in_the_user_data_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "Default", "--customer", "Ann"], clock=lambda: NOW) == 0
    expected = Path(os.environ["XDG_DATA_HOME"]) / "workbench" / "workbench.json"
    assert expected.exists()
    assert (expected.parent.stat().st_mode & 0o777) == 0o700


def test_missing_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--db", str(tmp_path / "no" / "x.json"), "add", "x", "--customer", "A"], clock=lambda: NOW
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_month_first_dates_by_setting(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    add_case(run)
    monkeypatch.setenv("WORKBENCH_DATE_ORDER", "mdy")
    data = run("followup", "1", "1/12 9:30", "--json").json()
    assert data["followups"][0]["due"].startswith("2027-01-12T09:30")  # type: ignore[index, call-overload]


def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    """The console script as a user types it: a real process, real exit codes."""
    exe = Path(sys.executable).with_name("workbench")
    if not exe.exists():
        pytest.skip("the workbench command is not installed beside this Python")
    env = {**os.environ, "WORKBENCH_DB": str(tmp_path / "e2e.json")}
    ok = subprocess.run([exe, "demo", "--cases", "5"], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([exe, "show", "C-0999"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "workbench: There is no case C-0999. `workbench list` shows them."
    tui = subprocess.run([exe], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert tui.returncode == 2
    assert "needs a terminal" in tui.stderr


def test_followup_can_be_moved(run: Run, db_path: Path) -> None:
    add_case(run)
    run("followup", "1", "tomorrow 10am")
    result = run("followup", "1", "fri 2pm", "--move", "F1")
    assert result.code == 0, result.err
    assert "moved to Fri 27 Nov 2026, 14:00" in result.out
    case = CaseStore(db_path).get("1")
    assert case.followup(1).due.isoformat() == "2026-11-27T14:00:00+01:00"
    assert "moved from" in case.timeline[-1].text
    assert run("followup", "1", "yesterday", "--move", "F1").code == 2


def test_closing_with_open_followups_asks_what_to_do_with_them(run: Run, db_path: Path) -> None:
    add_case(run)
    run("followup", "1", "tomorrow 10am")
    refused = run("close", "1", "--outcome", "retained", "--force")
    assert refused.code == 2
    assert "open follow-ups: F1 (24 Nov 10:00)" in refused.err
    assert CaseStore(db_path).get("1").status.value != "closed"
    assert run("close", "1", "--outcome", "retained", "--force", "--cancel-followups").code == 0
    case = CaseStore(db_path).get("1")
    assert case.status.value == "closed" and case.open_followups == []
