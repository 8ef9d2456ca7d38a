"""A process that changes one database in a loop, as a second workbench or a script would.

Run as ``python writer.py MODE DB NAME ROUNDS [EVERY [STEP]]`` (ROUNDS 0: until killed). After each
change has been saved it prints one line saying what it saved, and flushes, so whoever
reads its output knows exactly which changes it was told were saved:

    add C-0042 <title>     a case opened with that title
    note C-0001 <text>     a note added to a case

Modes:

* ``cli``: each change is one run of the real command line, ``workbench.cli.main``
  (``add ... --json`` / ``note ...``), in this process: a new store, a new session and
  its backup every time, as a shell loop of ``workbench`` commands does, without paying
  for a Python start-up per change.
* ``store``: one long session on a :class:`CaseStore`, as the full-screen workbench holds.

With ``SLOW_DISK=1`` in the environment, every save writes its bytes in 64 KB pieces with
a short pause between them, as a slow or busy disk would; a kill then easily lands while a
save is half written.

Every EVERY-th round (default 2: every other one) opens a case; the others add a note to
C-0001, which every writer shares. With STEP, the writer reads a line from stdin before
every STEP rounds, so a test can keep it in step with another writer.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path

from workbench.cli import main
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.storage import CaseStore, safe_json
from workbench.storage.playbook_files import load_library

NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone(timedelta(hours=1)))


def slow_write_payload(fd: int, pieces: Iterable[bytes]) -> None:
    payload = b"".join(pieces)
    for start in range(0, len(payload), 1 << 16):
        view = memoryview(payload)[start : start + (1 << 16)]
        while view:
            view = view[os.write(fd, view) :]
        time.sleep(0.0005)
    os.fsync(fd)


def run_cli(db: Path, *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db", str(db), *args], clock=lambda: NOW)
    if code != 0:
        raise SystemExit(f"workbench {' '.join(args)} exited {code}")
    return out.getvalue()


def main_loop(mode: str, db: Path, name: str, rounds: int, every: int = 2, step: int = 0) -> None:
    store = CaseStore(db) if mode == "store" else None
    playbook = load_library(None).get("unhappy")
    print("ready", flush=True)
    for i in range(rounds) if rounds else count():
        if step and i % step == 0:
            sys.stdin.readline()
        if i % every == 0:
            title = f"{name} case {i}"
            if store is None:
                case_id = json.loads(run_cli(db, "add", title, "--customer", name, "--json"))["id"]
            else:
                case_id = store.add(CaseDraft(title=title, customer=name), playbook, NOW).id
            print(f"add {case_id} {title}", flush=True)
        else:
            text = f"{name} note {i}"
            if store is None:
                run_cli(db, "note", "C-0001", text)
            else:
                store.update("C-0001", lambda c, text=text: actions.add_note(c, text, NOW))
            print(f"note C-0001 {text}", flush=True)


if __name__ == "__main__":
    if os.environ.get("SLOW_DISK"):
        safe_json._write_payload = slow_write_payload
    mode, db, name, rounds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    extra = [int(arg) for arg in sys.argv[5:7]]
    main_loop(mode, db, name, rounds, *extra)
