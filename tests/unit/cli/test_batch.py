"""`workbench batch` (issue 21, part 3): changes from stdin, one per line (as a shell splits
them, or a JSON array), checked whole before anything changes, applied under one hold of
the database in one write; all or nothing unless --keep-going; --json says what each line
did; each change can be undone as if typed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from helpers.cli_driver import Result, Run, cli_runner
from helpers.pg_server import new_database_url

from workbench.cli import batch
from workbench.storage import safe_json


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    for title, name in [("Late parcel", "Ana Chen"), ("Charged twice", "Bo Li")]:
        assert run("add", title, "--customer", name).code == 0
    return run


def fed(run: Run, monkeypatch: pytest.MonkeyPatch, text: str | bytes, *args: str) -> Result:
    raw = text.encode() if isinstance(text, str) else text
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    return run("batch", *args)


def counting_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time the database file is written (a new file put in its place)."""
    writes: list[Path] = []
    real = safe_json.atomic_write

    def write(path: Path, *args: Any, **kwargs: Any) -> Any:
        writes.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(safe_json, "atomic_write", write)
    return writes


BATCH = """\
# a script's changes, one a line
note C-0001 "Called, no answer; left a message"
["step", "C-0002", "1", "--done"]

followup C-0001 "tomorrow 10am" --what "Ring back"
add "Broken kettle" --customer "Cy Dee" --heat furious
status C-0002 waiting --until "in 2 days"
"""


def test_every_line_is_applied_in_one_write(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    writes = counting_writes(monkeypatch)
    result = fed(run, monkeypatch, BATCH)
    assert result.code == 0, result.err
    assert len(writes) == 1
    lines = result.out.splitlines()
    assert lines[0] == "line 2: Noted on C-0001."
    assert lines[-1] == "5 changes saved in one write."
    one = run("show", "C-0001", "--json").json()
    assert one["timeline"][-2]["text"] == "Called, no answer; left a message"
    assert [f["action"] for f in one["followups"]] == ["Ring back"]
    two = run("show", "C-0002", "--json").json()
    assert two["steps"][0]["done_at"] is not None and two["status"] == "waiting"
    assert run("show", "C-0003", "--json").json()["heat"] == "furious"


def test_json_says_what_each_line_did(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = fed(run, monkeypatch, "note C-0001 hello\nassign C-0002 sam\n", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert (data["saved"], data["refused"]) == (2, 0)
    first, second = data["lines"]
    assert (first["line"], first["command"], first["saved"]) == (1, "note C-0001 hello", True)
    assert first["result"]["id"] == "C-0001" and second["result"]["owner"] == "sam"


def test_one_refusal_saves_nothing_and_names_its_line(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db_path.read_bytes()
    result = fed(run, monkeypatch, "note C-0001 first\nnote C-0009 nobody\nnote C-0002 last\n")
    assert result.code == 2
    assert result.err.startswith("workbench: line 2 (note C-0009 nobody): There is no case C-0009")
    assert "Nothing was saved: a batch is all or nothing" in result.err
    assert db_path.read_bytes() == before


def test_keep_going_saves_the_lines_that_can_be(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = fed(
        run,
        monkeypatch,
        "note C-0001 first\nnote C-0009 nobody\nnote C-0002 last\n",
        "--keep-going",
        "--json",
    )
    assert result.code == 1, result.err  # something was refused: a script can tell
    data = result.json()
    assert (data["saved"], data["refused"]) == (2, 1)
    refused = data["lines"][1]
    assert refused["saved"] is False and "There is no case C-0009" in refused["error"]
    texts = [e["text"] for e in run("show", "C-0002", "--json").json()["timeline"]]
    assert texts[-1] == "last"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("list\n", "line 1: “list” is not a change a batch can hold"),
        ("note C-0001\n", "line 1 (note C-0001): the following arguments are required: text"),
        ("note C-0001 hi --db other.json\n", "--db and --json go on the batch command"),
        ('["note", "C-0001", 3]\n', "line 1: a JSON line is an array of strings"),
        ('["note", "C-0001"\n', "line 1 is not a JSON array"),
        ('note C-0001 "unclosed\n', "line 1 can't be split into words"),
        ("note C-0001 ok\nstep C-0001 --help\n", "line 2 (step C-0001 --help)"),
        ("\n# nothing\n", "the batch is empty"),
    ],
)
def test_a_line_that_wont_do_is_named_before_anything_changes(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, said: str
) -> None:
    before = db_path.read_bytes()
    result = fed(run, monkeypatch, text)
    assert result.code == 2 and said in result.err, result.err
    assert db_path.read_bytes() == before


def test_too_many_lines_are_refused(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MOST_LINES", 3)
    result = fed(run, monkeypatch, "note C-0001 a\n" * 4)
    assert result.code == 2 and "at most 3 lines, and this one has 4" in result.err


def test_text_stays_text_and_undo_takes_back_the_last_line(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = '["note", "C-0001", "$(rm -rf ~) [bold]x[/] \\u001b[31m; DROP TABLE cases"]\n'
    result = fed(run, monkeypatch, hostile + "note C-0002 second\n")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out  # an escape in a note is spelled out, never sent
    texts = [e["text"] for e in run("show", "C-0001", "--json").json()["timeline"]]
    assert texts[-1] == "$(rm -rf ~) [bold]x[/] \x1b[31m; DROP TABLE cases"
    assert run("undo").code == 0
    assert run("show", "C-0002", "--json").json()["timeline"][-1]["text"] != "second"
    assert run("undo").code == 0  # then the line before it
    assert run("show", "C-0001", "--json").json()["timeline"][-1]["text"] != texts[-1]


def test_a_batch_on_the_server_is_one_transaction(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli_runner(new_database_url(), capsys)
    assert run("add", "Late parcel", "--customer", "Ana Chen").code == 0
    refused = fed(run, monkeypatch, "note C-0001 first\nnote C-0002 nobody\n")
    assert refused.code == 2
    assert [e["text"] for e in run("show", "C-0001", "--json").json()["timeline"]][-1] != "first"
    done = fed(run, monkeypatch, "note C-0001 first\nstep C-0001 1 --done\n")
    assert done.code == 0, done.err
    assert run("show", "C-0001", "--json").json()["steps"][0]["done_at"] is not None


def test_a_timer_is_not_started_or_stopped_in_a_batch(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db_path.read_bytes()
    result = fed(run, monkeypatch, "time C-0001 25\ntime C-0002 start\n")
    assert result.code == 2 and "line 2 (time C-0002 start): a timer is started" in result.err
    assert db_path.read_bytes() == before
    logged = fed(run, monkeypatch, "time C-0001 25\n")
    assert logged.code == 0, logged.err
    assert run("show", "C-0001", "--json").json()["time_spent"][0]["minutes"] == 25


def test_undo_after_a_batch_goes_to_its_last_change_whatever_was_refused(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("note", "C-0001", "before the batch").code == 0
    refused = "note C-0009 nobody\n" * 25
    result = fed(run, monkeypatch, "status C-0002 in_progress\n" + refused, "--keep-going")
    assert result.code == 1 and "1 change saved in one write; 25 refused." in result.out
    undone = run("undo")
    assert undone.code == 0, undone.err
    assert "C-0002" in undone.out  # the batch's change, not the note before it
    assert run("show", "C-0002", "--json").json()["status"] == "new"
    texts = [e["text"] for e in run("show", "C-0001", "--json").json()["timeline"]]
    assert "before the batch" in texts


def test_stdin_that_is_not_text_is_refused_in_words(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = db_path.read_bytes()
    result = fed(run, monkeypatch, b"note C-0001 ok\nnote C-0001 caf\xe9\n")
    assert result.code == 2
    assert "stdin is not UTF-8 text: line 2 has a byte that can't be read (0xe9)" in result.err
    assert db_path.read_bytes() == before
