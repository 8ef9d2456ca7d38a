"""Shared by the reliability tests: running the CLI and the workbench screen, reading the file."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.widgets import Static
from tinydb import TinyDB

from helpers.app_driver import Scenario, run
from helpers.app_driver import settle as settle_within
from helpers.clock import NOW
from workbench.cli import main
from workbench.ui.app import WorkbenchApp

HERE = Path(__file__).resolve().parent.parent / "reliability"
DATA = HERE / "data"
WRITER = HERE / "writer.py"
WORKBENCH_EXE = Path(sys.executable).with_name("workbench")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def cli(db: Path | None, *args: str) -> Result:
    """``workbench [--db DB] ARGS`` in this process, clock frozen at NOW; never raises."""
    out, err = io.StringIO(), io.StringIO()
    argv = [*(["--db", str(db)] if db is not None else []), *args]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv, clock=lambda: NOW)
        except SystemExit as exit_:  # argparse's own usage errors, --help, --version
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    return Result(code, out.getvalue(), err.getvalue())


def snapshot(path: Path) -> tuple[bytes, int, int, int]:
    """What "the file is untouched" means: same bytes, same inode, same mtime, same mode."""
    st = path.stat()
    return path.read_bytes(), st.st_ino, st.st_mtime_ns, st.st_mode


def folder_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def plain_tinydb_cases(path: Path) -> dict[int, dict[str, Any]]:
    """The cases as plain TinyDB (no workbench code) reads them, by document id."""
    with TinyDB(path) as db:
        return {doc.doc_id: dict(doc) for doc in db.table("cases").all()}


def writer_env() -> dict[str, str]:
    """The environment for a writer subprocess: this checkout first on the path."""
    paths = [str(HERE.parent.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


# -- the workbench screen --------------------------------------------------------------


def run_app(app: WorkbenchApp, scenario: Scenario, size: tuple[int, int] = (120, 40)) -> None:
    run(app, scenario, size, settle_after=False, timeout=20)


async def settle(app: WorkbenchApp, pilot: Pilot[None], timeout: float = 20) -> None:
    """Wait until the screen is loaded and every change has reached the store."""
    await settle_within(app, pilot, timeout)


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("timed out waiting for the screen")


def text_of(widget: Static) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def status_line(app: WorkbenchApp) -> Static:
    return app.main.query_one("#save-status", Static)


async def keys(pilot: Pilot[None], *names: str, together: bool = False) -> None:
    """Press keys like ``pilot.press`` does, without its wait for the CPU to go idle.

    ``pilot.press`` sleeps until the whole process is quiet, which takes ~0.2 s a key while
    the saver thread and a second writer keep it busy. The key events are built and sent
    exactly as Textual's own ``App._press_keys`` does, so bindings, focus and forms handle
    them as they would a person's. Each key is handled before the next is sent (a key
    that moves focus must be); ``together`` sends them all and then waits once, like keys
    typed faster than the screen draws.
    """
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for name in names:
        key = _character_to_key(name) if len(name) == 1 and not name.isalnum() else name
        original = REPLACED_KEYS.get(key, key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
        if not together:
            await pilot._wait_for_screen()
    await pilot._wait_for_screen()
