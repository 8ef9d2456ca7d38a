"""One TUI benchmark run, in its own process: ``tui_probe.py DB LAUNCHED_AT KEYS``.

Started by ``bench.py``; prints one JSON line of figures in seconds (and ``rss_mb``).
The app is built exactly as ``workbench`` builds it and driven with Textual's Pilot in a
120x40 headless terminal.
"""

from __future__ import annotations

import sys
import time

STARTED = time.time()  # before any import of the app

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
from pathlib import Path  # noqa: E402

from workbench import paths  # noqa: E402
from workbench.domain.clock import local_now  # noqa: E402
from workbench.domain.playbooks import load_library  # noqa: E402
from workbench.storage import CaseStore  # noqa: E402
from workbench.ui.app import WorkbenchApp  # noqa: E402
from workbench.ui.screens.main import MainScreen  # noqa: E402


def file_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns)


async def probe(db: Path, launched: float, keys: int) -> dict[str, object]:
    store = CaseStore(db)
    app = WorkbenchApp(store=store, library=load_library(paths.playbooks_dir()), clock=local_now)
    figures: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.screen
        while not (isinstance(main, MainScreen) and main._loaded):
            await asyncio.sleep(0.002)
            main = app.screen
        await pilot.pause()
        figures["start"] = time.time() - launched
        assert main.case_list.selected_id is not None, "the case list is empty"

        async def timed(key: str) -> float:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            return time.perf_counter() - start

        figures["key_move"] = [await timed("j" if i % 4 != 3 else "k") for i in range(keys)]

        await pilot.press("tab")  # to the checklist
        await pilot.pause()
        toggles = []
        for _ in range(keys):
            toggles.append(await timed("space"))
        figures["key_toggle_step"] = toggles
        while main.saver.pending:
            await asyncio.sleep(0.01)

        durable = []
        for _ in range(max(3, keys // 6)):
            before = file_key(db)
            start = time.perf_counter()
            await pilot.press("space")
            while file_key(db) == before or main.saver.pending:
                await asyncio.sleep(0.002)
            durable.append(time.perf_counter() - start)
            await asyncio.sleep(0.05)
        figures["durable"] = durable

        await pilot.press("shift+tab")
        await pilot.press("slash")
        await pilot.pause()
        typed = []
        for char in ("ann" * keys)[:keys]:
            typed.append(await timed(char))
            if len(typed) % 6 == 0:
                for _ in range(6):
                    await pilot.press("backspace")
                await pilot.pause()
        figures["key_filter"] = typed
        await pilot.press("escape")
        await pilot.pause()
        while main.saver.pending:
            await asyncio.sleep(0.01)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["rss_mb"] = peak_kb / 1024
    return figures


def main() -> None:
    db, launched, keys = Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    os.environ.setdefault("TEXTUAL", "")
    figures = asyncio.run(probe(db, launched, keys))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
