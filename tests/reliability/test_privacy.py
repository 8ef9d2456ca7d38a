"""Issue #5, item 8: the database, its backups and exports are created 0600; nothing typed runs.

"Created so, not chmod-ed after": with the loosest umask (0) every file the workbench
makes must still come out 0600 (0700 for the backups folder), and no chmod of any kind may
be called on them, so there is no moment at which another user could open them.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.reliability import WORKBENCH_EXE, cli

import workbench

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")

PACKAGE = Path(workbench.__file__).resolve().parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loosest_umask() -> Iterator[None]:
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.fixture
def chmods(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every chmod-like call made, by path or file descriptor."""
    calls: list[object] = []
    for name in ("chmod", "fchmod", "lchmod"):
        real = getattr(os, name, None)
        if real is None:
            continue

        def record(target: object, *args: object, _real: object = real, **kw: object) -> None:
            calls.append(target)
            _real(target, *args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(os, name, record)
    monkeypatch.setattr(Path, "chmod", lambda self, *a, **kw: calls.append(self))
    return calls


def test_every_file_is_born_private(
    tmp_path: Path, loosest_umask: None, chmods: list[object]
) -> None:
    db = tmp_path / "cases.json"
    assert cli(db, "add", "Charged twice", "--customer", "Ana Chen").code == 0
    assert cli(db, "followup", "C-0001", "tomorrow 10am").code == 0  # a session: a backup
    assert cli(db, "export", "-f", "csv", "-o", str(tmp_path / "week.csv")).code == 0
    assert cli(db, "export", "-f", "ics", "-o", str(tmp_path / "week.ics")).code == 0
    assert cli(db, "export", "-f", "md", "-o", str(tmp_path / "week.md")).code == 0
    assert cli(db, "export", "-f", "md", "-o", str(tmp_path / "week.md"), "--force").code == 0
    assert cli(db, "restore", "1").code == 0  # keeps a copy, then puts a backup in place

    backups = tmp_path / "backups"
    made = [db, *backups.iterdir(), *tmp_path.glob("week.*")]
    assert len(made) == 1 + 2 + 3  # two backups: the session's and the one restore kept
    for path in made:
        assert mode(path) == 0o600, path
    assert mode(backups) == 0o700
    # The lock file holds no data; filelock may chmod it (and only it) to the mode asked.
    lock = tmp_path / "cases.json.lock"
    assert mode(lock) == 0o600
    data_files = {str(p) for p in made}
    assert not [c for c in chmods if str(c) in data_files]
    assert all(isinstance(c, int) or str(c) == str(lock) for c in chmods), chmods


def test_a_loose_database_keeps_the_mode_its_owner_chose_and_doctor_says_so(
    tmp_path: Path,
) -> None:
    """A file its owner made 0644 (to share it, say) keeps 0644 on the next save, as every
    replaced file keeps its owner and mode; doctor keeps warning that others can read it.
    Its backups stay readable by the owner only."""
    db = tmp_path / "cases.json"
    assert cli(db, "add", "Charged twice", "--customer", "Ana Chen").code == 0
    db.chmod(0o644)
    assert "chmod 600" in cli(db, "doctor").out
    assert cli(db, "note", "C-0001", "called").code == 0
    assert mode(db) == 0o644
    assert "chmod 600" in cli(db, "doctor").out
    assert [mode(b) for b in (tmp_path / "backups").iterdir()] == [0o600]


FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_ATTRIBUTES = {
    ("os", "system"),
    ("os", "popen"),
    ("pickle", "loads"),
    ("pickle", "load"),
    ("marshal", "loads"),
    ("shelve", "open"),
    ("importlib", "import_module"),
    ("yaml", "load"),
}


def test_nothing_in_the_workbench_can_evaluate_text() -> None:
    """No eval/exec/pickle/shell anywhere in the package: typed text can't become code.
    (Textual markup is the other way text could "run"; test_tui_paste.py covers it.)"""
    found = []
    for source in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(source.read_text(), str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    found.append(f"{source.name}:{node.lineno} {func.id}()")
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and (func.value.id, func.attr) in FORBIDDEN_ATTRIBUTES
                ):
                    found.append(f"{source.name}:{node.lineno} {func.value.id}.{func.attr}()")
                for keyword in node.keywords:
                    if keyword.arg == "shell" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                    ):
                        found.append(f"{source.name}:{node.lineno} shell=")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names]
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if {"pickle", "marshal", "shelve"} & {module, *names}:
                    found.append(f"{source.name}:{node.lineno} imports {module or names}")
    assert found == []


@pytest.mark.skipif(not WORKBENCH_EXE.exists(), reason="the workbench command is not installed")
def test_text_that_looks_like_code_is_stored_as_text(tmp_path: Path) -> None:
    """Through the real command: shell, Python and template syntax are kept, never run."""
    env = {**os.environ, "WORKBENCH_DB": str(tmp_path / "cases.json")}
    canary = tmp_path / "pwned"
    hostile = [
        f"$(touch {canary})",
        f"`touch {canary}`",
        f"__import__('os').system('touch {canary}')",
        "{0.__class__.__mro__}",
        "%(title)s %s %n",
        "[@click=app.quit]x[/]",
    ]
    for text in hostile:
        done = subprocess.run(
            [WORKBENCH_EXE, "add", text, "--customer", text, "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [WORKBENCH_EXE, "list", "--json"], env=env, capture_output=True, text=True
    ).stdout
    assert not canary.exists()
    assert [c["title"] for c in json.loads(shown)] == hostile
