"""``workbench import FILE.csv``: a spreadsheet's rows become cases, all or none; refused
rows are named with the reason; --dry-run changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


GOOD = (
    "Subject,Customer,Phone,Heat,Fault,Tags,Agent,Date,Notes,Region\n"
    'Charged twice,Ana Chen,+44 20 7946 0000,furious,ours,"billing, vip",ana,2026-11-20 10:00,'
    "Wants the manager,North\n"
    ",,,,,,,,,\n"
    '"=HYPERLINK(""http://x"")",Bo Li,,calm,,,,,,South\n'
)


def test_rows_become_cases_with_their_fields(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "complaints.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    result = run("import", str(sheet))
    assert result.code == 0, result.err + result.out
    assert "Imported 2 case(s), C-0001 to C-0002" in result.out
    assert "Left out (not a field): Region" in result.out
    first = run("show", "C-0001", "--json").json()
    assert (first["title"], first["customer"], first["heat"], first["fault"]) == (
        "Charged twice",
        "Ana Chen",
        "furious",
        "ours",
    )
    assert first["tags"] == ["billing", "vip"] and first["owner"] == "ana"
    assert first["opened_at"].startswith("2026-11-20T10:00")
    assert any(e["text"] == "Wants the manager" for e in first["timeline"])
    assert {e.get("author") for e in first["timeline"]} == {"tester"}  # the importer signs
    second = run("show", "C-0002", "--json").json()
    assert second["title"] == '=HYPERLINK("http://x")'  # text, kept as typed
    assert second["owner"] is None


def test_any_refused_row_imports_nothing_and_says_which_and_why(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    sheet = tmp_path / "complaints.csv"
    sheet.write_text(
        "title;customer;heat;date;playbook\n"
        "Fine;Ana;upset;;\n"
        ";Bo;calm;;\n"
        "Hot;Cy;boiling;;\n"
        "Later;Dee;;next year;\n"
        "Odd;Eve;;;no-such\n",
        encoding="utf-8-sig",
    )
    result = run("import", str(sheet))
    assert result.code == 2
    assert "4 row(s) refused; nothing was imported" in result.out
    assert "row 3: Say what the complaint is, in one line" in result.out
    assert "row 4: the heat “boiling” is not one of calm, upset, furious" in result.out
    assert "row 5: the date opened “next year”" in result.out
    assert "row 6: there is no playbook “no-such”" in result.out
    assert not db_path.exists()


def test_a_dry_run_checks_and_changes_nothing(run: Run, tmp_path: Path, db_path: Path) -> None:
    sheet = tmp_path / "complaints.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    result = run("import", str(sheet), "--dry-run", "--json")
    assert result.code == 0
    data = result.json()
    assert data["cases"] == 2 and data["imported"] == [] and data["dry_run"] is True
    assert data["columns"]["Subject"] == "title"
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("customer,heat\nAna,calm\n", "no column for the title"),
        ("", "no header row"),
    ],
)
def test_a_table_that_cant_be_cases_is_refused(
    run: Run, tmp_path: Path, content: str, said: str
) -> None:
    sheet = tmp_path / "complaints.csv"
    sheet.write_text(content, encoding="utf-8")
    result = run("import", str(sheet))
    assert result.code == 2 and said in result.err


def test_a_folder_or_a_pipe_is_refused_without_waiting(run: Run, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    assert "is not a file" in run("import", str(pipe)).err
    assert "is not a file" in run("import", str(tmp_path)).err
    assert "there is no file" in run("import", str(tmp_path / "missing.csv")).err
