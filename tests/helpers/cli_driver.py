"""Running ``workbench`` in-process for the command-line tests, the clock frozen at NOW."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from helpers.clock import NOW
from workbench.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


def cli_runner(db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``workbench --db <db_path> ARGS``; ``clock=`` replaces the frozen NOW."""

    def invoke(*args: str, clock: Callable[[], datetime] = lambda: NOW) -> Result:
        try:
            code = main(["--db", str(db_path), *args], clock=clock)
        except SystemExit as exit_:  # argparse's own usage errors
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
