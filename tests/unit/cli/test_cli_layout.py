"""The command line's shape: command modules share only the context, the argument types
and the formatters, and the subcommands load no more than they use."""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import workbench.cli

CLI = Path(workbench.cli.__file__).parent
SHARED = {"workbench.cli.context", "workbench.cli.arguments", "workbench.cli.format"}
ENTRY = {"__init__.py", "__main__.py", "app.py"}
COMMANDS = sorted(p.name for p in CLI.glob("*.py") if p.name not in ENTRY)


def _cli_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found.update(n for n in names if n.startswith("workbench.cli.") or n == "workbench.cli")
    return found


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_module_imports_no_sibling(name: str) -> None:
    own = {
        "report.py": {"workbench.cli.report_format"},
        "batch.py": {"workbench.cli.cases", "workbench.cli.working"},  # it runs their changes
    }.get(name, set())
    modules = {".".join(m.split(".")[:3]) for m in _cli_imports(CLI / name) if m.count(".") >= 2}
    stray = modules - SHARED - own
    assert not stray, f"{name} imports {sorted(stray)}"


def test_the_check_above_can_fail() -> None:
    assert "workbench.cli.context" in _cli_imports(CLI / "app.py")
    assert "workbench.cli.report_format" in _cli_imports(CLI / "report.py")


def test_the_table_of_commands_is_what_the_modules_register() -> None:
    """:data:`COMMANDS` lists every subcommand, with the module that registers it, in
    the order of --help: a command missing there could not be run on its own."""
    from workbench.cli.app import COMMANDS, build_parser

    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(sub.choices) == list(COMMANDS)
    for name, module in COMMANDS.items():
        alone = build_parser(name)
        [one] = [a for a in alone._actions if isinstance(a, argparse._SubParsersAction)]
        assert list(one.choices) == [name], module
        handler = one.choices[name].get_default("handler")
        assert handler.__module__ == f"workbench.cli.{module}"


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["step", "1", "2"], "step"),
        (["--db", "list", "show", "C-1"], "show"),  # a file named like a command
        (["--db=x.json", "note", "1", "hi"], "note"),
        (["--help"], None),
        (["--db", "x.json", "--version"], None),
        ([], None),
        (["stpe"], None),  # a typo: the full parser lists the commands
    ],
)
def test_the_command_is_found_before_any_parser_is_built(
    words: list[str], named: str | None
) -> None:
    from workbench.cli.app import command_named

    assert command_named(words) == named


def test_a_command_loads_its_own_module_only(tmp_path: Path) -> None:
    """A change from a script loads what it needs: its module, the shared ones, never the
    other commands' code (export, report, copy, backups), the screen or the bug log."""
    db = tmp_path / "cases.json"
    code = (
        "import sys\n"
        "from workbench.cli.app import main\n"
        f"main(['--db', {str(db)!r}, 'add', 'Late', '--customer', 'Ana'])\n"
        f"main(['--db', {str(db)!r}, 'step', 'C-0001', '1'])\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('workbench.cli.', "
        "'textual', 'workbench.buglog', 'workbench.ui')))))"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    assert loaded == {
        "workbench.cli.app",
        "workbench.cli.arguments",
        "workbench.cli.cases",
        "workbench.cli.context",
        "workbench.cli.format",
        "workbench.cli.screen",
        "workbench.cli.working",
    }


def test_a_subcommand_loads_neither_the_screen_nor_the_report() -> None:
    code = (
        "import sys\n"
        "from workbench.cli import build_parser\n"
        "build_parser().parse_args(['list'])\n"
        "heavy = ('textual', 'workbench.domain.insight', 'workbench.cli.report_format')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_a_command_that_only_reads_loads_no_file_lock_and_no_date_grammar(
    tmp_path: Path,
) -> None:
    """What tests/perf/import_budget.py measures, held here by what is loaded (never by
    milliseconds): a read takes no lock, and a command without a date reads none."""
    db = tmp_path / "cases.json"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-m", "workbench", "--db", str(db), "add", "Late", "--customer", "A"],
        check=True,
        capture_output=True,
        env=env,
    )
    code = (
        "import sys\n"
        "from workbench.cli.app import main\n"
        f"main(['--db', {str(db)!r}, 'show', 'C-0001'])\n"
        "print('loaded:' + ','.join(sorted(m for m in sys.modules if m.startswith(("
        "'filelock', 'workbench.domain.date_grammar', 'workbench.buglog')))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.splitlines()[-1] == "loaded:"
