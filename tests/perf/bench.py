"""Benchmarks of the workbench at 1,000, 10,000 and 50,000 cases; figures printed, nothing asserted.

Run from a checkout, with the test extra installed (README, "For developers")::

    .venv/bin/python tests/perf/bench.py                   # 1k, 10k, 50k; 5 runs each
    .venv/bin/python tests/perf/bench.py --sizes 10000 --runs 3

Every figure is measured on the real thing:

* databases are built with ``workbench demo --cases N --seed 1`` in a temporary folder;
* CLI figures are whole processes (``workbench step``/``followup``/``add``/``export``)
  started from here, timed from start to exit;
* TUI figures come from ``workbench`` running in a real terminal (a 120x40 tmux session),
  keys sent with ``tmux send-keys`` and the screen read back with ``capture-pane``
  (see tui_probe.py): start is from launch to the screen showing the case list and the
  keys, "Loading…" gone; a key is from sending it to the last change of the screen before
  it stays still for 60 ms; durable is from the key that ticks a step to the change
  being on disk (a line of the journal of changes, or the file replaced); memory is the
  process's peak resident set size (VmHWM).

When ``task`` (taskwarrior, Debian package ``taskwarrior``) is on the PATH, the same number
of tasks is imported into a throwaway taskwarrior data folder and ``task N modify`` is timed
beside ``workbench step`` in the same run. The harness installs nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from workbench.domain.insight import nearest_rank

HERE = Path(__file__).resolve().parent
SEED = 1


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "p95": nearest_rank(sorted(values), 95) or 0.0,
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){mem}, "
        f"Python {platform.python_version()}, load average {load:.2f} at start"
    )


def workbench_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("workbench")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "workbench.cli"]


def run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def build_db(folder: Path, cases: int) -> Path:
    db = folder / f"wb-{cases}.json"
    start = time.perf_counter()
    run([*workbench_cmd(), "--db", str(db), "demo", "--cases", str(cases), "--seed", str(SEED)])
    size = db.stat().st_size
    print(
        f"  built {db.name}: {cases:,} cases, {size / 1e6:.1f} MB "
        f"in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    return db


def fresh_copy(db: Path, folder: Path) -> Path:
    """A copy of the database with no backups yet, so every size starts alike."""
    copy = folder / ("run-" + db.name)
    shutil.copyfile(db, copy)
    os.chmod(copy, 0o600)
    copy.with_name(copy.name + ".journal").unlink(missing_ok=True)  # an earlier run's changes
    shutil.rmtree(folder / "backups", ignore_errors=True)
    return copy


def open_case_ids(db: Path) -> list[str]:
    listed = subprocess.run(
        [*workbench_cmd(), "--db", str(db), "list", "--json", "--sort", "id"],
        capture_output=True,
        check=True,
    )
    return [row["id"] for row in json.loads(listed.stdout) if row["status"] == "in_progress"]


def bench_cli(db: Path, runs: int) -> dict[str, dict[str, float]]:
    wb = [*workbench_cmd(), "--db", str(db)]
    # The changes' undo journal goes in the bench's folder, not the user's data folder.
    env = {**os.environ, "WORKBENCH_DEBUG": "", "XDG_DATA_HOME": str(db.parent / "data")}
    first, second = open_case_ids(db)[:2]
    figures: dict[str, list[float]] = {
        "step": [],
        "followup": [],
        "add": [],
        "list": [],
        "show": [],
        "followups": [],
        "export_ics": [],
    }
    out = db.with_suffix(".ics")
    for i in range(runs):
        flag = "--done" if i % 2 == 0 else "--undone"
        figures["step"].append(run([*wb, "step", first, "1", flag], env))
        figures["followup"].append(
            run([*wb, "followup", second, "tomorrow 10am", "--what", f"Call back {i}"], env)
        )
        figures["add"].append(
            run([*wb, "add", f"Bench case {i}", "--customer", "Bench Customer"], env)
        )
        figures["list"].append(run([*wb, "list"], env))
        figures["show"].append(run([*wb, "show", first], env))
        figures["followups"].append(run([*wb, "followups", "--week"], env))
        figures["export_ics"].append(
            run([*wb, "export", "--format", "ics", "--output", str(out), "--force"], env)
        )
    return {name: summary(values) for name, values in figures.items()}


BATCH_CHANGES = 1000
"""Changes in one ``workbench batch`` (and in one ``task 1-N modify``) for the throughput."""


def bench_batch(db: Path, runs: int) -> dict[str, dict[str, float]]:
    """``workbench batch`` of :data:`BATCH_CHANGES` notes on as many cases (fewer when the
    database is smaller), one whole process each run: seconds, and changes per second."""
    wb = [*workbench_cmd(), "--db", str(db), "batch"]
    env = {**os.environ, "WORKBENCH_DEBUG": "", "XDG_DATA_HOME": str(db.parent / "data")}
    listed = subprocess.run(
        [*workbench_cmd(), "--db", str(db), "list", "--all", "--json"],
        capture_output=True,
        check=True,
        env=env,
    )
    ids = [row["id"] for row in json.loads(listed.stdout)][:BATCH_CHANGES]
    times: list[float] = []
    for i in range(runs):
        lines = "".join(json.dumps(["note", case_id, f"Bench note {i}"]) + "\n" for case_id in ids)
        start = time.perf_counter()
        subprocess.run(wb, input=lines.encode(), env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    rates = [len(ids) / seconds for seconds in times]
    return {"batch": summary(times), "batch_changes_per_s": summary(rates)}


def bench_tui(db: Path, runs: int, keys: int) -> dict[str, dict[str, float]]:
    """Each run starts ``workbench`` afresh in a real terminal (tmux) and types into it."""
    figures: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(HERE / "tui_probe.py"), str(db), str(keys)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"TUI probe failed: {done.stderr.decode(errors='replace')}")
        result = json.loads(done.stdout.decode().strip().splitlines()[-1])
        for name, values in result.items():
            figures.setdefault(name, []).extend(values if isinstance(values, list) else [values])
    return {name: summary(values) for name, values in figures.items()}


def import_tasks(tasks: int, folder: Path) -> tuple[str, dict[str, str]] | None:
    """``task`` and the environment of a throwaway taskwarrior holding ``tasks`` pending
    tasks, made in ``folder``; None when taskwarrior is not installed."""
    task = shutil.which("task")
    if task is None:
        return None
    data = folder / f"task-{tasks}"
    data.mkdir()
    rc = folder / f"taskrc-{tasks}"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    batch = folder / f"tasks-{tasks}.json"
    with batch.open("w") as out:
        for i in range(tasks):
            row = {
                "description": f"Call back customer {i} about the refund",
                "status": "pending",
                "entry": "20261101T090000Z",
                "due": "20261201T090000Z",
                "project": "complaints",
                "tags": ["followup"],
            }
            out.write(json.dumps(row) + "\n")
    subprocess.run([task, "import", str(batch)], env=env, capture_output=True, check=True)
    return task, env


def bench_taskwarrior(tasks: int, runs: int, folder: Path) -> dict[str, dict[str, float]] | None:
    peer = import_tasks(tasks, folder)
    if peer is None:
        return None
    task, env = peer
    times: list[float] = []
    for i in range(runs):
        priority = "H" if i % 2 == 0 else "L"
        times.append(run([task, "rc.gc=off", "5", "modify", f"priority:{priority}"], env))
    many = min(tasks, BATCH_CHANGES)
    bulk: list[float] = []
    for i in range(runs):
        priority = "H" if i % 2 == 0 else "L"
        command = [task, "rc.gc=off", "rc.bulk=0", f"1-{many}", "modify", f"priority:{priority}"]
        bulk.append(run(command, env))
    rates = [many / seconds for seconds in bulk]
    return {
        "task_modify": summary(times),
        "task_bulk_modify": summary(bulk),
        "task_bulk_changes_per_s": summary(rates),
    }


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms" if seconds < 10 else f"{seconds:8.2f} s "


def print_table(title: str, figures: dict[str, dict[str, float]], unit: str = "s") -> None:
    print(f"  {title}")
    for name, s in figures.items():
        if name.endswith("_per_s"):
            print(f"    {name:<22} median {s['median']:8,.0f} /s   min {s['min']:8,.0f} /s")
        elif unit == "MB":
            print(f"    {name:<22} median {s['median']:8.1f} MB   max {s['max']:8.1f} MB")
        else:
            print(
                f"    {name:<22} median {fmt(s['median'])}   p95 {fmt(s['p95'])}   "
                f"(n={int(s['n'])})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--keys", type=int, default=30, help="presses per key kind per run")
    parser.add_argument("--skip", choices=["cli", "tui", "task"], nargs="*", default=[])
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    # An installed workbench runs from compiled modules (pip compiles them); a checkout
    # with PYTHONDONTWRITEBYTECODE set would compile every module on every start instead
    # (about 0.1 s). Let the children write their caches, and warm them once.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", "import workbench.cli, workbench.ui.app"], check=True)
    print(f"Machine: {machine()}")
    print(f"Runs per figure: {args.runs}; key presses per kind per TUI run: {args.keys}")
    report: dict[str, Any] = {"machine": machine(), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            print(f"\n== {size:,} cases ==", flush=True)
            built = build_db(folder, size)
            entry: dict[str, Any] = {"bytes": built.stat().st_size}
            if "tui" not in args.skip:
                entry["tui"] = bench_tui(fresh_copy(built, folder), args.runs, args.keys)
                rss = entry["tui"].pop("rss_mb")
                print_table("TUI (workbench in tmux, 120x40)", entry["tui"])
                print_table("TUI memory", {"peak resident": rss}, unit="MB")
                entry["tui"]["rss_mb"] = rss
            if "cli" not in args.skip:
                entry["cli"] = bench_cli(fresh_copy(built, folder), args.runs)
                print_table("CLI, whole process", entry["cli"])
                entry["batch"] = bench_batch(fresh_copy(built, folder), args.runs)
                print_table(f"workbench batch of {BATCH_CHANGES:,} notes", entry["batch"])
            if "task" not in args.skip:
                task = bench_taskwarrior(size, args.runs, folder)
                if task is None:
                    print("  taskwarrior: `task` not found; comparison skipped")
                else:
                    entry["taskwarrior"] = task
                    print_table("taskwarrior 'task 5 modify priority:H', whole process", task)
                    if "cli" in entry:
                        ratio = task["task_modify"]["median"] / entry["cli"]["step"]["median"]
                        print(f"    task modify / workbench step (medians): {ratio:.2f}x")
                        ours = entry["batch"]["batch_changes_per_s"]["median"]
                        theirs = task["task_bulk_changes_per_s"]["median"]
                        print(
                            f"    changes per second: workbench batch {ours:,.0f}, "
                            f"task bulk modify {theirs:,.0f} ({ours / theirs:.2f}x)"
                        )
            report["sizes"][str(size)] = entry
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
