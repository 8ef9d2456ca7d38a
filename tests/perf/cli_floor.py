"""How fast a command-line change could be at all, beside taskwarrior and the workbench.

Times whole processes, taken in turn so the machine's mood reaches all of them alike:

* ``python -c pass``: the interpreter alone;
* the floor of any whole-file atomic save: a bare ``python -S`` that reads the database,
  writes it to a temporary file beside it, fsyncs it and renames it over the original;
* ``task 5 modify`` on as many tasks as the database has cases (when ``task`` is here);
* ``workbench step`` on one case.

Prints medians; asserts nothing. Works on a copy of the database.

    .venv/bin/python tests/perf/cli_floor.py DB [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def taskwarrior(folder: Path, tasks: int) -> tuple[str, dict[str, str]] | None:
    task = shutil.which("task")
    if task is None:
        return None
    data = folder / "task"
    data.mkdir()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    batch = folder / "tasks.json"
    with batch.open("w") as out:
        for number in range(tasks):
            row = {
                "description": f"Call back customer {number} about the refund",
                "status": "pending",
                "entry": "20261101T090000Z",
                "due": "20261201T090000Z",
            }
            out.write(json.dumps(row) + "\n")
    subprocess.run([task, "import", str(batch)], env=env, capture_output=True, check=True)
    return task, env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    python = sys.executable
    workbench = Path(python).with_name("workbench")
    with tempfile.TemporaryDirectory(prefix="wb-floor-") as scratch:
        folder = Path(scratch)
        db = folder / "floor.json"
        shutil.copyfile(args.db, db)
        mine = folder / "workbench.json"
        shutil.copyfile(args.db, mine)
        listed = subprocess.run(
            [str(workbench), "--db", str(mine), "list", "--all", "--json"],
            check=True,
            capture_output=True,
        )
        cases = len(json.loads(listed.stdout))
        peer = taskwarrior(folder, cases)
        times: dict[str, list[float]] = {}
        for run in range(args.runs):
            times.setdefault("python -c pass", []).append(seconds([python, "-c", "pass"]))
            times.setdefault("read + write + fsync + rename", []).append(
                seconds([python, "-S", "-c", SAVE, str(db)])
            )
            if peer is not None:
                task, env = peer
                priority = "priority:H" if run % 2 == 0 else "priority:L"
                times.setdefault("task 5 modify", []).append(
                    seconds([task, "rc.gc=off", "5", "modify", priority], env)
                )
            times.setdefault("workbench step", []).append(
                seconds([str(workbench), "--db", str(mine), "step", "C-0005", "1"])
            )
    size = args.db.stat().st_size / 1e6
    print(f"{cases:,} cases, {size:.1f} MB, {args.runs} runs of each, in turn; medians:")
    for name, values in times.items():
        print(f"  {name:<32} {statistics.median(values) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
