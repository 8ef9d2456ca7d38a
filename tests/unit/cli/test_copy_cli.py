"""``workbench copy``: a file to a server and back, every field alike (counts and a
checksum of the records), all or nothing, a full target refused unless --replace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner
from helpers.pg_server import new_database_url

from workbench.cli import main
from workbench.storage import CaseStore
from workbench.storage.postgres import PostgresStore
from workbench.storage.records import case_to_record


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


def copy(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["copy", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def records(cases: list[object]) -> list[dict[str, object]]:
    return [case_to_record(case) for case in cases]  # type: ignore[arg-type]


def test_a_file_to_a_server_and_back_is_lossless(
    run: Run, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--cases", "40", "--seed", "3").code == 0
    assert run("note", "C-0007", 'Ünïcode, "quotes", [markup], a\ttab\nand a line').code == 0
    assert run("assign", "C-0009", "ana").code == 0
    url = new_database_url()
    code, out, err = copy(capsys, "--from", str(db_path), "--to", url, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["cases"] == 40
    back = tmp_path / "back.json"
    code, out, err = copy(capsys, "--from", url, "--to", str(back), "--json")
    assert code == 0, err
    assert json.loads(out)["sha256"] == report["sha256"]
    original, server, again = CaseStore(db_path), PostgresStore(url), CaseStore(back)
    try:
        assert records(server.all_cases()) == records(original.all_cases())
        assert records(again.all_cases()) == records(original.all_cases())
        assert again.issued() == server.issued() == original.issued() == 40
    finally:
        original.close(), server.close(), again.close()
    # New cases go on after the copied ones, on the server as in the file.
    cli = cli_runner(url, capsys)
    assert cli("add", "After the move", "--customer", "Bo", "--json").json()["id"] == "C-0041"


def test_a_target_with_cases_is_refused_unless_replace(
    run: Run, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--cases", "5").code == 0
    other = tmp_path / "other.json"
    assert cli_runner(other, capsys)("add", "Theirs", "--customer", "Cy").code == 0
    before = other.read_bytes()
    code, _, err = copy(capsys, "--from", str(db_path), "--to", str(other))
    assert code == 2
    assert "already holds 1 case(s); nothing was copied" in err and "--replace" in err
    assert other.read_bytes() == before
    code, out, err = copy(capsys, "--from", str(db_path), "--to", str(other), "--replace")
    assert code == 0, err
    assert "Copied 5 case(s)" in out and "every field alike" in out
    assert [c["title"] for c in cli_runner(other, capsys)("list", "--all", "--json").json()] == [
        c["title"] for c in run("list", "--all", "--json").json()
    ]
    # The replaced file was kept as a backup first, as before any change.
    assert list((tmp_path / "backups").glob("other.json.*.json"))


@pytest.mark.parametrize(
    ("source", "said"),
    [("missing.json", "there is no database file"), ("same", "the same database")],
)
def test_copy_refuses_in_words(
    run: Run,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    said: str,
) -> None:
    assert run("add", "Late", "--customer", "Bo").code == 0
    origin = str(db_path) if source == "same" else str(tmp_path / source)
    code, _, err = copy(capsys, "--from", origin, "--to", str(db_path))
    assert code == 2 and said in err
