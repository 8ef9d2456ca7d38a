"""Two processes writing one file at the same time lose nothing and never share a case id."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tinydb import TinyDB

from workbench.storage import CaseStore

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path

    from workbench.domain import actions
    from workbench.domain.actions import CaseDraft
    from workbench.storage.playbook_files import load_library
    from workbench.storage import CaseStore

    path, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    store = CaseStore(path)
    playbook = load_library(None).get("unhappy")
    for i in range(rounds):
        case = store.add(CaseDraft(title=f"{name} case {i}", customer=name), playbook, now)
        # Both writers also keep changing the same shared case.
        store.update("C-0001", lambda c: actions.add_note(c, f"{name} note {i}", now))
        print(case.id, flush=True)
    """
)


def test_two_processes_keep_every_change(tmp_path: Path) -> None:
    db = tmp_path / "shared.json"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    seed = subprocess.run(
        [sys.executable, str(script), str(db), "seed", "1"], capture_output=True, text=True
    )
    assert seed.returncode == 0, seed.stderr
    rounds = 60
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), str(db), name, str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err

    reported = [line for out, _ in outputs for line in out.split()]
    assert len(reported) == len(set(reported)) == 2 * rounds  # no id handed out twice

    cases = {case.id: case for case in CaseStore(db).all_cases()}
    assert len(cases) == 2 * rounds + 1
    assert set(reported) <= set(cases)
    notes = [event.text for event in cases["C-0001"].notes]
    for name in ("alpha", "beta"):
        assert [n for n in notes if n.startswith(name)] == [
            f"{name} note {i}" for i in range(rounds)
        ]
    assert cases["C-0001"].revision == 1 + 2 * rounds + 1
    assert CaseStore(db).fold()  # the journal's changes, folded into the file
    with TinyDB(db) as plain:  # and plain TinyDB still reads it
        assert len(plain.table("cases")) == 2 * rounds + 1
