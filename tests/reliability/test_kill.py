"""Issue #5, item 2: killed at any instant, the file is whole and holds every reported change.

Writer processes change the database in a loop and print each change once the store has
returned from saving it. The test SIGKILLs them at 50 random moments (seeded, so a failure
can be replayed) and after every kill checks, without any workbench code first, that the
file is whole JSON that plain TinyDB opens, then that every change any killed writer
reported is there, and that every backup in the backups folder is whole too.

The moments: a third of the kills come after a random pause (20-300 ms after start-up);
the others let the writer report 0-3 changes (a random number) and then strike the instant
its next save is under way: half of them when a new file appears beside the database (the
save's temporary file: the process dies while writing or syncing it, before the rename),
half when a new file appears in the backups folder (a backup copy being written). The
database starts with 150 demo cases (~0.5 MB), and the writers save it in 64 KB pieces
with short pauses between them, as a slow disk would, so a save is a window a kill can
really land in. The random numbers are seeded; the instants depend on the machine.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers.reliability import WRITER, cli, plain_tinydb_cases, writer_env

from workbench.storage import CaseStore
from workbench.storage.journal import journal_path
from workbench.storage.records import case_to_record

KILLS = 50
SEED = 20261123


def entries(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()


def unfinished(folder: Path) -> set[Path]:
    """Temporary files of saves and backups that were never renamed into place."""
    return {*folder.glob(".cases.json.*.tmp"), *folder.glob("backups/.*.tmp")}


def workbench_cases(db: Path) -> dict[int, dict[str, object]]:
    """The cases as the workbench reads them (the file, the journal's lines on top), as
    plain records by number, the way plain TinyDB gives them."""
    store = CaseStore(db)
    try:
        return {
            case.number: json.loads(json.dumps(case_to_record(case))) for case in store.all_cases()
        }
    finally:
        store.close()


def present(cases: dict[int, dict[str, object]], line: str) -> bool:
    kind, case_id, text = line.split(" ", 2)
    case = cases.get(int(case_id[2:]))
    if case is None:
        return False
    if kind == "add":
        return case["title"] == text
    return any(e["kind"] == "note" and e["text"] == text for e in case["timeline"])  # type: ignore[attr-defined, index]


def test_fifty_kills_lose_nothing_that_was_reported_saved(tmp_path: Path) -> None:
    db = tmp_path / "cases.json"
    assert cli(db, "demo", "--cases", "150", "--seed", "5").code == 0
    rng = random.Random(SEED)
    reported: list[str] = []
    mid_save = 0
    for kill in range(KILLS):
        # Some writers hold one long session (as the screen does), others run the command
        # line once per change (a new session and a backup every time; so do all those
        # whose kill waits for a backup).
        mode = "store" if kill % 3 != 2 and kill % 2 == 0 else "cli"
        writer = subprocess.Popen(
            [sys.executable, str(WRITER), mode, str(db), f"k{kill}", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**writer_env(), "SLOW_DISK": "1"},
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()  # type: ignore[union-attr]
        before = unfinished(tmp_path)
        lines = []
        if kill % 3 == 0:
            time.sleep(rng.uniform(0.02, 0.3))
        else:  # after 0-3 changes, the moment a save (1) or a backup (2) is under way
            lines += [writer.stdout.readline() for _ in range(rng.randint(0, 3))]
            folder = tmp_path if kill % 3 == 1 else tmp_path / "backups"
            seen = entries(folder)
            deadline = time.monotonic() + 3
            while entries(folder) <= seen and time.monotonic() < deadline:
                pass
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        lines = [line.strip() for line in [*lines, *out.splitlines()] if line.strip()]
        reported += lines

        raw = db.read_bytes()
        json.loads(raw)  # whole JSON: the old version or the new one, never a torn one
        if kill % 4 == 3:  # a fold now and then (the screen folds within seconds)
            CaseStore(db).fold()
        cases = workbench_cases(db)  # the file and its journal of changes
        if not journal_path(db).exists():
            assert cases == plain_tinydb_cases(db)  # and plain TinyDB reads the same
        missing = [line for line in reported if not present(cases, line)]
        assert not missing, f"kill {kill}: reported as saved but not in the file: {missing}"
        for backup in (tmp_path / "backups").glob("*.json"):
            json.loads(backup.read_bytes())  # no torn backup either

        if unfinished(tmp_path) - before:
            mid_save += 1  # it died between creating a temporary file and renaming it

    assert len(reported) > KILLS  # the writers got work done: there was something to lose
    # The workbench's own strict reader agrees, and doctor finds nothing wrong (it may warn
    # about the temporary files that killed saves left beside the database).
    assert CaseStore(db).fold() or not journal_path(db).exists()
    assert len(CaseStore(db).all_cases()) == len(plain_tinydb_cases(db))
    doctor = cli(db, "doctor")
    assert doctor.code == 0, doctor.out
    assert mid_save >= KILLS // 5  # many kills really did interrupt a save or a backup
    print(f"{KILLS} kills, {len(reported)} changes reported saved, {mid_save} kills mid-save")
