"""``workbench edit``: what ``e`` does on the screen, from a script, by the same rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner

from workbench.domain.model import Case
from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    runner = cli_runner(db_path, capsys)
    opened = runner(
        "add", "Blames us for the parcel", "-c", "Ana Chen", "--playbook", "blame", "--tag", "vip"
    )
    assert opened.code == 0, opened.err
    return runner


def stored(db_path: Path, case_id: str = "C-0001") -> Case:
    store = CaseStore(db_path)
    try:
        return store.get(case_id)
    finally:
        store.close()


def test_edit_changes_only_what_is_given(run: Run, db_path: Path) -> None:
    result = run("edit", "C-0001", "--title", "Parcel lost", "--heat", "furious")
    assert result.code == 0, result.err
    assert result.out == "C-0001: changed title, heat.\n"
    case = stored(db_path)
    assert (case.title, case.heat.value, case.customer, case.tags) == (
        "Parcel lost",
        "furious",
        "Ana Chen",
        ["vip"],
    )
    assert case.timeline[-1].text == "Changed title (was “Blames us for the parcel”), heat"


def test_tags_are_replaced_or_cleared(run: Run, db_path: Path) -> None:
    assert run("edit", "1", "--tag", "refund", "--tag", "Press Call").code == 0
    assert stored(db_path).tags == ["refund", "press-call"]
    assert run("edit", "1", "--no-tags").code == 0
    assert stored(db_path).tags == []
    both = run("edit", "1", "--no-tags", "--tag", "x")
    assert both.code == 2 and "not allowed with" in both.err


def test_nothing_changed_says_so_and_writes_nothing(run: Run, db_path: Path) -> None:
    before = db_path.read_bytes()
    result = run("edit", "C-0001", "--customer", "Ana Chen", "--json")
    assert result.code == 0
    assert result.json()["changed"] == []
    assert run("edit", "C-0001").out == "C-0001: nothing changed.\n"
    assert db_path.read_bytes() == before


def test_a_new_playbook_keeps_what_was_done_and_written(run: Run, db_path: Path) -> None:
    assert run("step", "C-0001", "1", "--done", "--note", "The courier, she says").code == 0
    result = run("edit", "C-0001", "--playbook", "wrong", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["changed"] == ["playbook"] and data["playbook"] == "wrong"
    kept = data["steps"][-1]
    assert (kept["note"], kept["from_playbook"]) == ("The courier, she says", "blame")
    assert kept["done_at"] is not None
    shown = run("show", "C-0001").out
    assert "(0/6 done)" in shown  # the kept step is not one of the new playbook's
    assert "The courier, she says" in shown
    assert "(from “Customer blames you”, kept)" in shown
    line = run("list", "--json").json()[0]
    assert (line["steps_done"], line["steps"]) == (0, 6)


def test_the_text_answer_says_what_became_of_the_steps(run: Run) -> None:
    run("step", "C-0001", "1", "--done")
    result = run("edit", "C-0001", "--playbook", "wrong")
    assert result.code == 0
    assert result.out.splitlines() == [
        "C-0001: changed playbook.",
        "Changed playbook from “Customer blames you” to “Customer is wrong”. "
        "Kept from “Customer blames you”: “See it from their side first” (done).",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "  "], "Say what the complaint is"),
        (["--customer", ""], "Who is the customer"),
        (["--heat", "boiling"], "“boiling” is not one of: calm, upset, furious"),
        (["--playbook", "nope"], "there is no playbook 'nope'"),
        (["--channel", "fax"], "is not one of"),
    ],
)
def test_bad_values_exit_2_with_a_sentence(
    run: Run, db_path: Path, args: list[str], message: str
) -> None:
    before = db_path.read_bytes()
    result = run("edit", "C-0001", *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert db_path.read_bytes() == before


def test_an_unknown_case_exits_2(run: Run) -> None:
    result = run("edit", "C-0099", "--heat", "calm")
    assert result.code == 2 and "C-0099" in result.err
