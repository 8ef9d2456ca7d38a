"""The installed ``workbench`` command in a real terminal (tmux), driven by keys like a person."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

WORKBENCH = Path(sys.executable).with_name("workbench")

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it)",
)


class Terminal:
    """One tmux session on a tmux server of its own (``-L``), so the tests never see or
    touch a person's sessions on the default server, nor theirs the tests'."""

    def __init__(
        self, name: str, width: int, height: int, command: str, env: dict[str, str]
    ) -> None:
        self.name = name
        self.tmux = ["tmux", "-L", f"workbench-tests-{os.getpid()}-{name}"]
        exports = " ".join(shlex.quote(f"{key}={value}") for key, value in env.items())
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(width),
                "-y",
                str(height),
                f"env {exports} {command}",
            ],
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = [*self.tmux, "send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        subprocess.run([*args, *keys], check=True)
        # A person's keys arrive apart. Sent in one burst, a Tab right after text is read
        # by Textual as part of the text run and lost, which no typist can produce.
        time.sleep(0.3)

    def screen(self) -> str:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{screen}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                [*self.tmux, "has-session", "-t", self.name], capture_output=True
            ).returncode
            == 0
        )

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    opened: list[Terminal] = []

    def open_terminal(db: Path, width: int = 80, height: int = 24) -> Terminal:
        env = {
            "WORKBENCH_DB": str(db),
            "HOME": str(tmp_path),
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
        }
        term = Terminal(f"wb-{os.getpid()}-{len(opened)}", width, height, str(WORKBENCH), env)
        opened.append(term)
        return term

    yield open_terminal
    for term in opened:
        term.kill()


def test_open_a_case_tick_a_step_schedule_a_followup_and_quit(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    assert WORKBENCH.exists(), "the workbench command is not installed beside this Python"
    db = tmp_path / "cases.json"
    term = terminal(db)
    term.wait_for(lambda s: "Welcome" in s, "the first-run welcome")

    term.keys("n")
    term.wait_for(lambda s: "Title" in s or "title" in s, "the new-case form")
    term.keys("Refund [bold]never[/] arrived", literal=True)
    term.keys("Tab")
    term.keys("Ana Chen", literal=True)
    term.keys("C-s")
    term.wait_for(lambda s: "C-0001" in s and "All changes saved" in s, "the new case, saved")

    term.keys("space")
    term.wait_for(lambda s: "☑" in s, "a ticked step")

    term.keys("f")
    term.wait_for(lambda s: "→" in s or "When" in s or "when" in s, "the follow-up form")
    term.keys("tomorrow 10am", literal=True)
    term.wait_for(lambda s: "10:00" in s, "the live date preview")
    term.keys("C-s")
    screen = term.wait_for(
        lambda s: "All changes saved" in s and "tmrw 10:00" in s, "the follow-up in the list"
    )
    assert "Refund [bold]never[/] arrived" in screen  # user text shown literally

    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive(), "q did not quit"

    with TinyDB(db) as plain:
        [case] = plain.table("cases").all()
    assert case["id"] == "C-0001"
    assert case["title"] == "Refund [bold]never[/] arrived"
    assert case["customer"] == "Ana Chen"
    assert [step["done_at"] is not None for step in case["steps"]].count(True) == 1
    [followup] = case["followups"]
    assert followup["due"][11:16] == "10:00"
    assert (db.stat().st_mode & 0o777) == 0o600


def test_at_80x24_titles_and_the_selected_remedy_show(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    """At 80x24 another case's title shows at least 20 characters, and the selected case's
    header shows its status and the remedy's cost and answer."""
    db = tmp_path / "cases.json"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def cli(*args: str) -> None:
        subprocess.run([str(WORKBENCH), "--db", str(db), *args], check=True, env=env)

    cli("add", "Charged twice for the March invoice", "--customer", "Ana Chen", "--heat", "furious")
    cli("add", "Parcel left in the rain by the driver", "--customer", "Ben Okafor")
    cli("remedy", "C-0001", "Refund the second charge", "--cost", "49.90", "--declined")
    term = terminal(db, 80, 24)
    screen = term.wait_for(lambda s: "C-0002" in s, "the case list")
    assert "Parcel left in the rain by" in screen  # 26 characters of another case's title
    screen = term.wait_for(lambda s: "cost 49.90" in s, "the selected case's remedy")
    assert "declined" in screen and "new" in screen
    term.keys("q")


def test_two_agents_on_one_server_see_each_other_at_once(tmp_path: Path) -> None:
    """Two workbenches on one PostgreSQL database, in real terminals: each sees that the
    other has the same case open, and a step ticked on one shows on the other."""
    from helpers.pg_server import new_database_url

    url = new_database_url()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    for title in ("Charged twice for the March invoice", "Parcel left in the rain"):
        subprocess.run(
            [str(WORKBENCH), "--db", url, "add", title, "--customer", "Ana Chen"],
            check=True,
            env=env,
        )
    terms = []
    try:
        for agent in ("ana", "bo"):
            term_env = {
                "WORKBENCH_DB": url,
                "WORKBENCH_AGENT": agent,
                "HOME": str(tmp_path),
                "TERM": "xterm-256color",
            }
            name = f"wb-{os.getpid()}-{agent}"
            terms.append(Terminal(name, 120, 40, str(WORKBENCH), term_env))
        ana, bo = terms
        for term in terms:
            term.wait_for(lambda s: "C-0002" in s, "the case list from the server")
        ana.wait_for(lambda s: "⚑ bo has this case open too" in s, "bo's presence on ana's screen")
        bo.wait_for(lambda s: "⚑ ana has this case open too" in s, "ana's presence on bo's screen")
        ana.keys("Tab")
        ana.keys("space")
        ana.wait_for(lambda s: "All changes saved" in s, "ana's tick saved")
        bo.wait_for(lambda s: "☑ 1." in s, "ana's tick on bo's screen", timeout=5)
        bo.keys("j")  # bo moves to the other case: ana's screen no longer says he is there
        ana.wait_for(lambda s: "⚑" not in s, "bo gone from ana's case", timeout=5)
        for term in terms:
            term.keys("q")
    finally:
        for term in terms:
            term.kill()


def test_say_and_undo_on_the_command_line_and_on_the_screen_at_80x24(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    """`workbench say` prints a step's wording filled from the case; S shows the same on
    the screen at 80x24, m keeps it in the step's note, and ctrl+z takes that back."""
    db = tmp_path / "cases.json"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env["WORKBENCH_AGENT"] = "cleo"

    def cli(*args: str) -> str:
        done = subprocess.run(
            [str(WORKBENCH), "--db", str(db), *args],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        )
        return done.stdout

    cli(
        "add", "Wrong size sent", "--customer", "Zoë Dubois", "--fault", "ours", "--heat", "furious"
    )
    cli("remedy", "C-0001", "Send the right size by express", "--cost", "16")
    said = cli("say", "C-0001", "propose-remedy")
    assert "Here is what I'd like to do: send the right size by express." in said

    term = terminal(db, 80, 24)
    term.wait_for(lambda s: "C-0001" in s, "the case list")
    term.keys("Tab")
    term.keys("Down")
    term.keys("S")
    screen = term.wait_for(lambda s: "What to say" in s, "the wording")
    assert "Zoë, this one is on us, and I'm sorry." in screen
    term.keys("m")
    term.wait_for(lambda s: "Note on" in s, "the note form with the wording")
    term.keys("C-s")
    term.wait_for(lambda s: "✎" in s and "All changes saved" in s, "the note saved")
    [case] = json.loads(db.read_text(encoding="utf-8"))["cases"].values()  # read only
    assert case["steps"][1]["note"].startswith("Zoë, this one is on us, and I'm sorry.\n")

    term.keys("C-z")  # a mis-pressed key taken back: the note goes
    term.wait_for(lambda s: "Undone on C-0001" in s, "the undo said")
    term.wait_for(lambda s: "✎" not in s and "All changes saved" in s, "the undo saved")
    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    with TinyDB(db) as plain:
        [case] = plain.table("cases").all()
    assert case["steps"][1]["note"] == ""
    assert case["timeline"][-1]["text"].startswith("Undone: save note (back to step 2")


def test_the_customers_record_on_the_command_line_and_on_the_screen_at_80x24(
    tmp_path: Path, terminal: Callable[..., Terminal]
) -> None:
    """A flag set from the command line shows under the case's title at 80x24; C on the
    screen adds to the record, and plain TinyDB reads it back."""
    db = tmp_path / "cases.json"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")

    def cli(*args: str) -> str:
        done = subprocess.run(
            [str(WORKBENCH), "--db", str(db), *args],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        )
        return done.stdout

    cli("add", "Charged twice", "--customer", "Ana Chen", "--contact", "+44 20 7946 0958")
    cli("customer", "ana chen", "--flag", "careful: threatened a chargeback")
    term = terminal(db, 80, 24)
    screen = term.wait_for(lambda s: "C-0001" in s, "the case list")
    assert "⚑ careful: threatened a chargeback" in screen  # in view, under the title
    term.keys("C")
    term.wait_for(lambda s: "the customer's record" in s, "the record form")
    time.sleep(0.5)  # the form takes the keys once its first field has the focus
    term.keys("Tab", "Tab", "Tab", "Tab")  # company, prefers, flags, contacts, notes
    term.keys("prefers a call after 5pm", literal=True)
    term.keys("C-s")
    term.wait_for(
        lambda s: "Saved to Ana Chen's record" in s and "All changes saved" in s,
        "the record saved",
    )
    term.keys("q")
    deadline = time.monotonic() + 10
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    with TinyDB(db) as plain:
        [ana] = plain.table("customers").all()
    assert ana["flags"] == ["careful: threatened a chargeback"]
    assert ana["notes"] == "prefers a call after 5pm"
    assert ana["contacts"] == ["+44 20 7946 0958"]
    assert "careful: threatened a chargeback" in cli("customer", "Ana Chen")
