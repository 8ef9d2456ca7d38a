"""What the command line reads from its arguments, and what it says back.

Numbers are read only in the digits 0-9 (``int`` and ``\\d`` take any script's: "C-٠٠٠٣"
would open C-0003), counts must be 1 or more, and every message is one plain sentence:
closing with open steps names them and the way out, ``step --note`` says only that the
note was saved, and argument text never reaches the terminal as control characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner

from workbench.storage import CaseStore

# One (three) in scripts whose digits Python's int() and \d accept: Arabic-Indic,
# Extended Arabic-Indic, Devanagari, Bengali, Thai, fullwidth, mathematical bold,
# and superscript (isdigit() but not int()).
OTHER_ONES = ["١", "۱", "१", "১", "๑", "１", "𝟏", "¹"]
OTHER_THREES = ["٣", "۳", "३", "৩", "๓", "３", "𝟑", "³"]


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


@pytest.fixture
def three_cases(run: Run) -> None:
    for title in ("Charged twice", "Late delivery", "Broken on arrival"):
        assert run("add", title, "--customer", "Ana Chen").code == 0


def refused(run: Run, db_path: Path, *args: str) -> str:
    """Run a command that must be refused: exit 2, one line, the file untouched."""
    before = db_path.read_bytes()
    result = run(*args)
    assert result.code == 2, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert "something went wrong" not in result.err
    assert db_path.read_bytes() == before
    return result.err


# -- digits ----------------------------------------------------------------------------


@pytest.mark.usefixtures("three_cases")
@pytest.mark.parametrize("three", OTHER_THREES)
@pytest.mark.parametrize("form", ["C-000{}", "C-{}", "c{}", "{}"])
def test_a_case_id_in_other_digits_is_refused(
    run: Run, db_path: Path, three: str, form: str
) -> None:
    typed = form.format(three)
    for command in (["show", typed], ["step", typed, "1", "--done"], ["note", typed, "x"]):
        said = refused(run, db_path, *command)
        assert "not a case id" in said and "digits 0-9" in said, said
    assert run("show", form.format("3")).code == 0  # the same in 0-9 is C-0003


@pytest.mark.usefixtures("three_cases")
@pytest.mark.parametrize("one", OTHER_ONES)
def test_step_and_follow_up_numbers_in_other_digits_are_refused(
    run: Run, db_path: Path, one: str
) -> None:
    assert run("followup", "C-0001", "tomorrow 10am").code == 0
    said = refused(run, db_path, "step", "C-0001", one, "--done")
    assert f"no step “{one}”" in said
    for flag in ("--done", "--cancel"):
        said = refused(run, db_path, "followup", "C-0001", flag, f"F{one}")
        assert "is not a follow-up number like F2 or 2" in said
    said = refused(run, db_path, "list", "--limit", one)
    assert "argument --limit" in said
    said = refused(run, db_path, "demo", "--cases", one)
    assert "argument --cases" in said


@pytest.mark.usefixtures("three_cases")
@pytest.mark.parametrize("limit", ["-5", "-1", "0", "", " ", "2.5", "1e3", "two"])
def test_list_refuses_a_limit_that_is_not_one_or_more(run: Run, db_path: Path, limit: str) -> None:
    said = refused(run, db_path, "list", "--limit", limit)
    assert said.startswith("workbench: argument --limit: ")
    assert "is not a number of 1 or more; say how many, like 20" in said


@pytest.mark.usefixtures("three_cases")
def test_list_limit_shows_that_many(run: Run) -> None:
    assert run("list", "--limit", "2", "--json").json()[-1]["id"] == "C-0002"
    assert len(run("list", "--limit", "2", "--json").json()) == 2
    assert len(run("list", "--limit", "99", "--json").json()) == 3
    assert len(run("list", "--json").json()) == 3


# -- messages --------------------------------------------------------------------------


@pytest.mark.usefixtures("three_cases")
def test_closing_with_open_steps_names_them_and_the_way_out(run: Run, db_path: Path) -> None:
    case = CaseStore(db_path).get("C-0001")
    for number in range(1, len(case.steps) - 1):
        assert run("step", "C-0001", str(number), "--done").code == 0
    last, before_last = case.steps[-1], case.steps[-2]
    count = len(case.steps)
    said = refused(run, db_path, "close", "C-0001", "--outcome", "retained")
    assert said == (
        f"workbench: C-0001 still has 2 open steps, {count - 1} “{before_last.title}” and "
        f"{count} “{last.title}”: tick them first (workbench step C-0001 {count - 1} --done), "
        "or add --force to close it anyway.\n"
    )
    assert run("step", "C-0001", str(count - 1), "--done").code == 0
    said = refused(run, db_path, "close", "C-0001", "--outcome", "retained")
    assert said == (
        f"workbench: C-0001 still has 1 open step, {count} “{last.title}”: tick it first "
        f"(workbench step C-0001 {count} --done), or add --force to close it anyway.\n"
    )
    assert run("close", "C-0001", "--outcome", "retained", "--force").code == 0


@pytest.mark.usefixtures("three_cases")
@pytest.mark.parametrize("done_before", [False, True])
def test_step_with_only_a_note_saves_the_note_and_leaves_the_tick(
    run: Run, db_path: Path, done_before: bool
) -> None:
    if done_before:
        assert run("step", "C-0002", "2", "--done").code == 0
    title = CaseStore(db_path).get("C-0002").steps[1].title
    result = run("step", "C-0002", "2", "--note", "They calmed down")
    assert result.code == 0, result
    assert result.out == f"C-0002: note saved on step 2, “{title}”.\n"
    step = CaseStore(db_path).get("C-0002").steps[1]
    assert step.note == "They calmed down"
    assert step.done is done_before  # neither ticked nor unticked
    result = run("step", "C-0002", "2", "--note", "")
    assert result.out == f"C-0002: note cleared on step 2, “{title}”.\n"
    assert CaseStore(db_path).get("C-0002").steps[1].note == ""


@pytest.mark.usefixtures("three_cases")
def test_step_with_a_tick_and_a_note_says_both(run: Run, db_path: Path) -> None:
    title = CaseStore(db_path).get("C-0003").steps[0].title
    result = run("step", "C-0003", "1", "--done", "--note", "Apologised")
    assert result.out == f"C-0003: “{title}” is done; the note on step 1 is saved.\n"
    result = run("step", "C-0003", "1")  # a bare step toggles, as before
    assert result.out == f"C-0003: “{title}” is not done.\n"
