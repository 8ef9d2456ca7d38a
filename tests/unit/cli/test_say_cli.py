"""`workbench say`: a step's wording filled from the case, for a person or a script."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    added = run(
        "add",
        "Wrong size sent, second time",
        "--customer",
        "Zoë Dubois (Harbour Dental)",
        "--fault",
        "ours",
        "--heat",
        "furious",
    )
    assert added.code == 0, added.err
    return run


def test_without_a_step_it_says_the_next_step_to_say(run: Run) -> None:
    result = run("say", "C-0001")
    assert result.code == 0, result.err
    assert result.out == (
        "C-0001, step 2: Apologise sincerely — full attention\n"
        "\n"
        "Zoë, this one is on us, and I'm sorry.\n"
        "Before I say anything else, I'd like to hear everything that went wrong.\n"
    )


def test_a_gap_is_named_with_what_fills_it(run: Run) -> None:
    result = run("say", "1", "propose-remedy")
    assert result.code == 0, result.err
    assert "Here is what I'd like to do: [remedy]." in result.out
    assert result.out.rstrip().endswith(
        "Not on the case yet, so left in brackets: remedy (record it with: "
        "workbench remedy C-0001 WHAT --cost AMOUNT)."
    )


def test_json_gives_the_lines_and_whats_missing(run: Run) -> None:
    assert run("remedy", "1", "Send the right size by express", "--cost", "16").code == 0
    assert run("followup", "1", "tomorrow 10am").code == 0
    data = run("say", "1", "6", "--json").json()
    assert data == {
        "case": "C-0001",
        "step": 6,
        "key": "follow-up",
        "title": "Check back that it's fixed",
        "lines": [
            "Hello Zoë, it's tester, calling back about your complaint, wrong size sent, "
            "second time.",
            "Our fix was this: send the right size by express. Has it put things right for you?",
        ],
        "missing": [],
    }


def test_a_step_with_nothing_to_say_and_no_such_step_are_refused_in_words(run: Run) -> None:
    result = run("say", "1", "1")
    assert result.code == 2
    assert "Step 1 of C-0001, “Stop and think before you answer”, has no wording" in result.err
    result = run("say", "1", "9")
    assert result.code == 2
    assert "there is no step 9" in result.err
    result = run("say", "1", "nope")
    assert result.code == 2
    assert "C-0001 has no step “nope”" in result.err
    result = run("say", "C-0099")
    assert result.code == 2 and "C-0099" in result.err


def test_when_every_step_to_say_is_done_it_names_those_with_wording(run: Run) -> None:
    for number in range(1, 7):
        assert run("step", "1", str(number), "--done").code == 0
    result = run("say", "1")
    assert result.code == 2
    assert "C-0001 has no step still to do with wording; name one: steps 2, 3, 4, 6 have" in (
        result.err
    )
    assert run("say", "1", "2").code == 0  # a step done can still be said


def test_user_wording_is_used_and_control_bytes_never_reach_the_terminal(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "ours.toml").write_text(
        'wording_for = "our-mistake"\n[[steps]]\nkey = "apologise"\n'
        'say = "Sorry, {customer}. About {title}: {{not a placeholder}}."\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKBENCH_PLAYBOOKS", str(folder))
    assert run("edit", "1", "--title", "Broke\x1b[2J again").code == 0
    result = run("say", "1", "2")
    assert result.code == 0, result.err
    assert "Sorry, Zoë. About broke\\x1b[2J again: {not a placeholder}." in result.out
    assert "\x1b" not in result.out


def test_playbooks_show_wording_and_alternatives(run: Run) -> None:
    data = run("playbooks", "unhappy", "--json").json()
    steps = {step["key"]: step for step in data[0]["steps"]}
    assert steps["empathise"]["say"][0].startswith("{customer}, I'm sorry")
    assert steps["listen"]["say"] == []
    assert "A full refund" in data[0]["alternatives"]
    text = run("playbooks", "unhappy").out
    assert "     Say: {customer}, I'm sorry this happened" in text
    assert "  Alternatives to offer:\n   - A replacement sent today" in text
