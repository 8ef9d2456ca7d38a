"""The command line on a PostgreSQL server: ``--db postgresql://…`` or ``WORKBENCH_DB``
holding such a URL opens it; the commands about a file say what to do instead."""

from __future__ import annotations

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.pg_server import new_database_url

from workbench.storage.postgres import SCHEMA_VERSION


@pytest.fixture
def url() -> str:
    return new_database_url()


@pytest.fixture
def cli(url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(url, capsys)


def test_cases_opened_and_changed_on_the_server(cli: Run) -> None:
    assert cli("add", "Parcel never arrived", "--customer", "Ana Chen").code == 0
    assert cli("add", "Charged twice", "--customer", "Bo Li", "--heat", "furious").code == 0
    assert cli("note", "C-0002", "Refund promised by Friday").code == 0
    listed = cli("list", "--json").json()
    assert [case["id"] for case in listed] == ["C-0001", "C-0002"]
    shown = cli("show", "C-0002", "--json").json()
    assert shown["heat"] == "furious"
    assert any(event["text"] == "Refund promised by Friday" for event in shown["timeline"])


def test_the_environment_names_the_server_too(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.cli import main

    monkeypatch.setenv("WORKBENCH_DB", url)
    assert main(["add", "Rude reply", "--customer", "Cleo"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    assert '"Rude reply"' in capsys.readouterr().out


def test_a_flag_naming_a_file_wins_over_a_server_in_the_environment(
    url: str, tmp_path: object, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from workbench.cli import main

    monkeypatch.setenv("WORKBENCH_DB", url)
    path = Path(str(tmp_path)) / "mine.json"
    assert main(["--db", str(path), "add", "Mine", "--customer", "Dee"]) == 0
    assert path.is_file()


@pytest.mark.parametrize("command", [["backups"], ["restore", "1"]])
def test_commands_about_a_file_say_what_to_do_on_a_server(cli: Run, command: list[str]) -> None:
    result = cli(*command)
    assert result.code == 2
    assert "PostgreSQL server" in result.err and "pg_dump" in result.err


def test_the_demo_cases_name_the_server_not_its_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = url.replace("workbench_tests@", "workbench_tests:unused-pw@")
    cli = cli_runner(with_password, capsys)
    result = cli("demo", "--cases", "3")
    assert result.code == 0, result.err
    assert "unused-pw" not in result.out + result.err
    assert "PostgreSQL case_" in result.out


def test_doctor_on_a_healthy_server(cli: Run) -> None:
    assert cli("add", "Parcel never arrived", "--customer", "Ana Chen").code == 0
    result = cli("doctor")
    assert result.code == 0, result.out
    assert f"Layout version {SCHEMA_VERSION}, as this workbench writes it." in result.out
    assert "1 case record(s), all readable." in result.out
    assert "Notices reach every screen" in result.out
    data = cli("doctor", "--json").json()
    assert data["healthy"] is True and data["cases"] == 1
    assert data["server"].startswith("PostgreSQL case_")


def test_doctor_on_an_empty_database_says_the_tables_come_later(cli: Run) -> None:
    result = cli("doctor")
    assert result.code == 0
    assert "the first workbench to open it makes its tables" in result.out


def test_doctor_names_a_damaged_case_and_fails(cli: Run, url: str) -> None:
    import psycopg

    assert cli("add", "Parcel never arrived", "--customer", "Ana Chen").code == 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE workbench.cases SET record = jsonb_set(record, '{opened_at}', '\"yesterday\"')"
        )
    result = cli("doctor")
    assert result.code == 1
    assert "PROBLEM" in result.out and "damaged" in result.out and "opened_at" in result.out


def test_doctor_on_a_server_that_is_not_there(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    cli = cli_runner(f"postgresql://ana:pw-kept-secret@/support?host={tmp_path}&port=5999", capsys)
    result = cli("doctor")
    assert result.code == 1
    assert "PROBLEM  Could not reach PostgreSQL support" in result.out
    assert "pw-kept-secret" not in result.out + result.err


def test_undo_on_the_server_takes_back_the_last_change_and_keeps_anothers(
    cli: Run, url: str
) -> None:
    from workbench.storage.postgres import PostgresStore

    assert cli("add", "Charged twice", "--customer", "Bo Li").code == 0
    assert cli("step", "1", "1", "--done").code == 0
    other = PostgresStore(url)  # another agent's change to another field, meanwhile
    other.update("1", lambda case: setattr(case.steps[2], "note", "Called the bank"))
    other.close()
    result = cli("undo")
    assert result.code == 0, result.err
    case = cli("show", "1", "--json").json()
    assert case["steps"][0]["done_at"] is None
    assert case["steps"][2]["note"] == "Called the bank"
