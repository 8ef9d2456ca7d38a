"""Issue #5, item 1: two writers on one file, at the same time, lose nothing.

Two command-line loops, two real ``workbench`` executables, and the full-screen workbench
beside a command-line loop each make their changes to one database at once. Afterwards
every change each of them reported as saved is in the file, no case id was handed out
twice, and plain TinyDB (no workbench code) reads the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from helpers.clock import NOW
from helpers.reliability import (
    WORKBENCH_EXE,
    WRITER,
    keys,
    plain_tinydb_cases,
    run_app,
    settle,
    wait_for,
    writer_env,
)
from textual.pilot import Pilot

from workbench.domain.actions import CaseDraft
from workbench.domain.model import EventKind, format_case_id
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.app import WorkbenchApp
from workbench.ui.saver import Change, Saver

ROUNDS = 300
"""Changes per writer: half open a case, half add a note to the shared case C-0001."""
EXE_ROUNDS = 40
"""Changes per real ``workbench`` process loop (each costs a Python start-up, ~0.4 s)."""


def seed(db: Path, library: PlaybookLibrary) -> None:
    store = CaseStore(db)
    store.add(CaseDraft("Shared case", "Everyone"), library.get("unhappy"), NOW)
    store.close()


def start_writer(
    mode: str, db: Path, name: str, rounds: int, every: int = 2, step: int = 0
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), mode, str(db), name, str(rounds), str(every), str(step)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=writer_env(),
    )


def check_everything_is_there(
    db: Path, reports: dict[str, list[str]], *, extra_cases: int = 0
) -> dict[int, dict[str, object]]:
    """Every reported change is in the file, read by plain TinyDB once the journal of
    changes is folded into it; ids are all distinct."""
    CaseStore(db).fold()  # what the writers left in the journal, read and folded
    json.loads(db.read_bytes())  # the file is whole JSON
    cases = plain_tinydb_cases(db)
    # No id handed out twice: each document holds its own number, and numbers are unique.
    assert all(record["id"] == format_case_id(doc_id) for doc_id, record in cases.items())
    added_ids = [
        line.split()[1] for lines in reports.values() for line in lines if line[:4] == "add "
    ]
    assert len(added_ids) == len(set(added_ids))
    assert len(cases) == 1 + len(added_ids) + extra_cases
    shared_notes = [e["text"] for e in cases[1]["timeline"] if e["kind"] == "note"]  # type: ignore[index, union-attr]
    for name, lines in reports.items():
        for line in lines:
            kind, case_id, text = line.split(" ", 2)
            if kind == "add":
                assert cases[int(case_id[2:])]["title"] == text, line
        notes = [line.split(" ", 2)[2] for line in lines if line.startswith("note ")]
        assert [n for n in shared_notes if n.startswith(f"{name} ")] == notes  # all, in order
    meta = json.loads(db.read_bytes())["meta"]["1"]
    assert meta["last_case"] == max(cases)
    assert len(CaseStore(db).all_cases()) == len(cases)  # and the workbench's strict reader
    return cases


def test_two_command_line_loops(tmp_path: Path, library: PlaybookLibrary) -> None:
    """2 x 300 changes, each a whole `workbench add`/`workbench note` run (a new session,
    its backup, its own read-modify-write), in two processes at once."""
    db = tmp_path / "shared.json"
    seed(db, library)
    writers = {name: start_writer("cli", db, name, ROUNDS) for name in ("alpha", "beta")}
    reports = {}
    for name, writer in writers.items():
        out, err = writer.communicate(timeout=150)
        assert writer.returncode == 0, err
        reports[name] = out.splitlines()[1:]  # after "ready"
        assert len(reports[name]) == ROUNDS
    check_everything_is_there(db, reports)


@pytest.mark.skipif(not WORKBENCH_EXE.exists(), reason="the workbench command is not installed")
def test_two_real_workbench_command_loops(tmp_path: Path, library: PlaybookLibrary) -> None:
    """The installed `workbench` executable, one process per change, two loops at once."""
    db = tmp_path / "shared.json"
    seed(db, library)
    env = {**os.environ, "WORKBENCH_DB": str(db)}
    reports: dict[str, list[str]] = {"alpha": [], "beta": []}
    failures: list[str] = []

    def loop(name: str) -> None:
        for i in range(EXE_ROUNDS):
            if i % 2 == 0:
                title = f"{name} case {i}"
                argv = ["add", title, "--customer", name, "--json"]
            else:
                text = f"{name} note {i}"
                argv = ["note", "C-0001", text]
            done = subprocess.run([WORKBENCH_EXE, *argv], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                failures.append(done.stderr)
                return
            if i % 2 == 0:
                reports[name].append(f"add {json.loads(done.stdout)['id']} {title}")
            else:
                reports[name].append(f"note C-0001 {text}")

    threads = [threading.Thread(target=loop, args=(name,)) for name in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert all(len(lines) == EXE_ROUNDS for lines in reports.values())
    check_everything_is_there(db, reports)


TUI_BLOCKS = 30
"""The screen's 300 changes go in 30 blocks of 10, each made while the script makes 10."""
TUI_NEW_CASES = 10
TUI_TICKS = ROUNDS - TUI_NEW_CASES


def test_the_workbench_screen_beside_a_command_line_loop(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    """The screen makes 300 changes (290 ticks with space, 10 new cases through the form)
    while a command-line loop makes 300 of its own (30 new cases, 270 notes on the case
    the screen is ticking). They go in 30 rounds: in each, the script is let go for 10
    changes while the screen makes 10, so the two really overlap all the way through.

    The script opens fewer cases here than in the other tests, and the screen opens only
    10, because the screen redraws its case list on every change and opening a case
    through the form takes over a second of drawing in the test harness.
    """
    db = tmp_path / "shared.json"
    seed(db, library)
    store = CaseStore(db)
    app = WorkbenchApp(store=store, library=library, clock=lambda: NOW)
    submitted: list[str] = []
    real_submit = Saver.submit

    def counting_submit(self: Saver, change: Change) -> None:
        submitted.append(change.label)
        real_submit(self, change)

    per_block = ROUNDS // TUI_BLOCKS
    writer = start_writer("cli", db, "script", ROUNDS, every=10, step=per_block)
    assert writer.stdin is not None and writer.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.rstrip("\n") for line in writer.stdout)  # type: ignore[union-attr]
    )
    reader.start()

    async def scenario(app: WorkbenchApp, pilot: Pilot[None]) -> None:
        main = app.main
        main.saver.submit = counting_submit.__get__(main.saver)  # type: ignore[method-assign]
        for block in range(TUI_BLOCKS):
            writer.stdin.write("go\n")  # type: ignore[union-attr]
            writer.stdin.flush()  # type: ignore[union-attr]
            ticks = per_block
            if block % 3 == 0:  # 10 of the 30 rounds open a case through the form first
                ticks -= 1
                await keys(pilot, "n")
                await wait_for(pilot, lambda: app.screen is not main)
                await keys(pilot, *f"tui case {block}", together=True)
                await keys(pilot, "tab")
                await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "customer")
                await keys(pilot, *"Screen user", "ctrl+s", together=True)
                await wait_for(pilot, lambda: app.screen is main)
            await keys(pilot, *["space"] * ticks, together=True)
            await wait_for(
                pilot, lambda b=block: len(lines) > (b + 1) * per_block or writer.poll() is not None
            )
        await settle(app, pilot, timeout=60)

    run_app(app, scenario)
    writer.stdin.close()
    writer.wait(timeout=60)
    reader.join(timeout=10)
    assert writer.returncode == 0, writer.stderr.read()  # type: ignore[union-attr]
    assert Counter(submitted) == {"new case": TUI_NEW_CASES, "tick step": TUI_TICKS}

    cases = check_everything_is_there(db, {"script": lines[1:]}, extra_cases=TUI_NEW_CASES)
    titles = sorted(str(c["title"]) for c in cases.values() if str(c["title"]).startswith("tui"))
    assert titles == sorted(f"tui case {b}" for b in range(0, TUI_BLOCKS, 3))
    ticks = [
        e
        for c in cases.values()
        for e in c["timeline"]  # type: ignore[attr-defined]
        if e["kind"] in (EventKind.STEP_DONE, EventKind.STEP_UNDONE)
    ]
    assert len(ticks) == TUI_TICKS
