"""How fast a command-line change could be at all, beside taskwarrior and the workbench.

Times whole processes, taken in turn so the machine's mood reaches all of them alike:

* ``python -c pass``: the interpreter alone;
* the floor of any whole-file atomic save: a bare ``python -S`` that reads the database,
  writes it to a temporary file beside it, fsyncs it and renames it over the original;
* ``task 5 modify`` on as many tasks as the database has cases (when ``task`` is here);
* ``workbench step`` on the first open case.

Prints medians; asserts nothing. Works on a copy of the database.

    .venv/bin/python tests/perf/cli_floor.py DB [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import import_tasks, open_case_ids, run, workbench_cmd

SAVE = """\
import os, sys
path = sys.argv[1]
data = open(path, "rb").read()
temporary = path + ".tmp"
fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, data)
os.fsync(fd)
os.close(fd)
os.replace(temporary, path)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    python = sys.executable
    workbench = workbench_cmd()
    with tempfile.TemporaryDirectory(prefix="wb-floor-") as scratch:
        folder = Path(scratch)
        db = folder / "floor.json"
        shutil.copyfile(args.db, db)
        mine = folder / "workbench.json"
        shutil.copyfile(args.db, mine)
        listed = subprocess.run(
            [*workbench, "--db", str(mine), "list", "--all", "--json"],
            check=True,
            capture_output=True,
        )
        cases = len(json.loads(listed.stdout))
        case_id = open_case_ids(mine)[0]
        peer = import_tasks(cases, folder)
        times: dict[str, list[float]] = {}
        for turn in range(args.runs):
            times.setdefault("python -c pass", []).append(run([python, "-c", "pass"]))
            times.setdefault("read + write + fsync + rename", []).append(
                run([python, "-S", "-c", SAVE, str(db)])
            )
            if peer is not None:
                task, env = peer
                priority = "priority:H" if turn % 2 == 0 else "priority:L"
                times.setdefault("task 5 modify", []).append(
                    run([task, "rc.gc=off", "5", "modify", priority], env)
                )
            times.setdefault("workbench step", []).append(
                run([*workbench, "--db", str(mine), "step", case_id, "1"])
            )
    size = args.db.stat().st_size / 1e6
    print(f"{cases:,} cases, {size:.1f} MB, {args.runs} runs of each, in turn; medians:")
    for name, values in times.items():
        print(f"  {name:<32} {statistics.median(values) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
