"""The layers point one way: domain and storage never import Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "workbench.domain.model",
        "workbench.domain.actions",
        "workbench.domain.dates",
        "workbench.domain.playbooks",
        "workbench.domain.playbook_rules",
        "workbench.domain.demo",
        "workbench.domain.exports",
        "workbench.domain.text",
        "workbench.domain.search",
        "workbench.domain.insight",
        "workbench.domain.merge",
        "workbench.domain.edits",
        "workbench.storage",
        "workbench.storage.doctor",
        "workbench.storage.playbook_files",
        "workbench.cli.format",
        "workbench.settings",
        "workbench.setting_values",
        "workbench.keymap",
        "workbench.buglog",
        "workbench.toml_lines",
        "workbench.cli.report",
        "workbench.cli",
        "workbench.small_files",
        "workbench.ui.session",
        "workbench.ui.saver",
    ],
)
def test_core_does_not_load_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulled in {result.stdout.strip()}"


def test_the_ui_is_what_loads_textual() -> None:
    """The check above can fail: importing the UI does load Textual."""
    code = "import sys, workbench.ui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def test_the_domain_reads_no_toml() -> None:
    """Every domain module together loads no TOML reader: playbook files are read in
    storage, and the domain is handed their data."""
    code = (
        "import sys, pkgutil, importlib, workbench.domain as domain\n"
        "for module in pkgutil.iter_modules(domain.__path__):\n"
        "    importlib.import_module(f'workbench.domain.{module.name}')\n"
        "wanted = ('tomllib', 'workbench.toml_lines', 'workbench.storage')\n"
        "print(','.join(sorted(m for m in wanted if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
