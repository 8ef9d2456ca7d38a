"""The command line's shape: command modules share only the context, the argument types
and the formatters, and the subcommands load no more than they use."""

from __future__ import annotations

import ast
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
    own = {"report.py": {"workbench.cli.report_format"}}.get(name, set())
    modules = {".".join(m.split(".")[:3]) for m in _cli_imports(CLI / name) if m.count(".") >= 2}
    stray = modules - SHARED - own
    assert not stray, f"{name} imports {sorted(stray)}"


def test_the_check_above_can_fail() -> None:
    assert "workbench.cli.context" in _cli_imports(CLI / "app.py")
    assert "workbench.cli.cases" in _cli_imports(CLI / "app.py")


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
