"""What a command loads before it does anything: ``python -X importtime``, several runs,
medians, per top-level package and in all, for a reading command and a change.

Prints the figures, then what the budget says may not load for each (the screen,
other commands' code, the date grammar for a command without a date, filelock for a
command that only reads). Exit 1 when one of those loaded. Milliseconds vary with the
machine; what is loaded does not.

    .venv/bin/python tests/perf/import_budget.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

NEVER = ("textual", "workbench.ui", "workbench.buglog", "workbench.domain.insight")
"""Loaded by no command below."""
BUDGET: dict[str, tuple[str, ...]] = {
    "show": (
        *NEVER,
        "filelock",
        "workbench.domain.date_grammar",
        "workbench.cli.working",
        "workbench.keymap",
    ),
    "note": (*NEVER, "workbench.domain.date_grammar", "workbench.cli.export", "workbench.keymap"),
    "--version": ("textual", "workbench.ui", "workbench.buglog"),
}
"""Per command, what must not load."""
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(words: list[str], env: dict[str, str]) -> tuple[dict[str, int], set[str]]:
    """Cumulative microseconds of each top-level import, and every module loaded."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workbench", *words],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    top: dict[str, int] = {}
    loaded: set[str] = set()
    for line in done.stderr.splitlines():
        found = LINE.match(line)
        if found is None:
            continue
        loaded.add(found.group(4))
        if len(found.group(3)) == 1:  # imported by the entry point itself
            top[found.group(4)] = top.get(found.group(4), 0) + int(found.group(2))
    return top, loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="wb-imports-") as scratch:
        folder = Path(scratch)
        db = str(folder / "cases.json")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "cfg")}
        env.pop("WORKBENCH_SETTINGS", None)
        subprocess.run(
            [sys.executable, "-m", "workbench", "--db", db, "add", "Late", "--customer", "Ana"],
            env=env,
            check=True,
            capture_output=True,
        )
        commands = {
            "show": ["--db", db, "show", "C-0001"],
            "note": ["--db", db, "note", "C-0001", "called back"],
            "--version": ["--version"],
        }
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs each")
        for name, words in commands.items():
            importtime(words, env)  # once to write the bytecode caches
            runs = [importtime(words, env) for _ in range(args.runs)]
            packages = {key for top, _ in runs for key in top}
            total = statistics.median(sum(top.values()) for top, _ in runs) / 1000
            print(f"\n{name}: {total:.1f} ms of imports (median)")
            rows = sorted(
                ((statistics.median(top.get(k, 0) for top, _ in runs) / 1000, k) for k in packages),
                reverse=True,
            )
            for ms, key in rows[:8]:
                print(f"  {ms:7.1f} ms  {key}")
            loaded = runs[-1][1]
            stray = sorted(
                module
                for module in loaded
                if any(module == no or module.startswith(no + ".") for no in BUDGET[name])
            )
            print("  budget: " + ("kept" if not stray else "loaded " + ", ".join(stray)))
            failed |= bool(stray)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
