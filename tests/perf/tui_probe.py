"""One TUI benchmark run in a real terminal (tmux): ``tui_probe.py DB KEYS``.

Started by ``bench.py``; prints one JSON line of figures in seconds (and ``rss_mb``).

``workbench --db DB`` runs in a detached 120x40 tmux session, exactly as a person starts
it. Keys go in with ``tmux send-keys``; what the terminal shows is read back with
``tmux capture-pane`` every few milliseconds. A key's time runs from sending it to the
last change of the panes before they stay still for 60 ms, so it covers the whole result
(the cursor moved and the checklist beside it redrawn), not only the first paint. The
bottom two lines (save status, key bar) are left out: "Saving…" turning into "All
changes saved" is the save finishing, measured as "durable", not the key.
Reading the screen costs about 2 ms a time, which bounds the resolution.

The program runs through ``timed_workbench.py``, which logs when the terminal driver
read each key and when each frame was handed to the terminal; ``app_*`` figures are
"key to first frame" from that log, inside the process, without tmux's share.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from bisect import bisect_left
from pathlib import Path

STILL = 0.06  # seconds without a change that end a key's measurement
TIMEOUT = 60.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"wb-bench-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        # -u: the program runs as installed, reading its compiled modules (see bench.py).
        line = f"env -u PYTHONDONTWRITEBYTECODE {exports} {' '.join(command)}"
        self.launched = time.perf_counter()
        tmux("new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", line)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-e", "-t", self.name)  # -e: colours count too

    def panes(self) -> str:
        """The screen without its last two lines (save status and key bar): what a key
        changes in the panes, not the "Saving…/All changes saved" that follows a save."""
        return "\n".join(self.screen().split("\n")[:-3])

    def wait_for(self, *needles: str, absent: tuple[str, ...] = ()) -> float:
        deadline = time.perf_counter() + TIMEOUT * 4
        while time.perf_counter() < deadline:
            shown = self.screen()
            if all(needle in shown for needle in needles) and not any(
                gone in shown for gone in absent
            ):
                return time.perf_counter()
            time.sleep(0.005)
        raise TimeoutError(f"the screen never showed {needles}:\n{self.screen()}")

    def key(self, key: str, *, literal: bool = False) -> float:
        """Send one key; the seconds until the screen showed all of its result."""
        before = self.panes()
        sent = time.perf_counter()
        tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), key)
        last_change = None
        current = before
        deadline = sent + TIMEOUT
        while time.perf_counter() < deadline:
            shown = self.panes()
            now = time.perf_counter()
            if shown != current:
                current = shown
                last_change = now
            elif last_change is not None and now - last_change >= STILL:
                return last_change - sent
        raise TimeoutError(f"key {key!r} changed nothing on screen")

    def pid(self) -> int:
        return int(tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def peak_rss_mb(pid: int) -> float:
    """VmHWM of the workbench process (the pane runs env, which execs it)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def file_key(path: Path) -> tuple[int, int, int, int]:
    """The file's identity and its journal of changes' (a change is durable once either
    is written: a line of the journal, or the file rewritten whole)."""
    st = path.stat()
    try:
        journal = path.with_name(path.name + ".journal").stat()
        size, mtime = journal.st_size, journal.st_mtime_ns
    except FileNotFoundError:
        size = mtime = 0
    return (st.st_ino, st.st_mtime_ns, size, mtime)


APP_KINDS = {"j": "move", "k": "move", "space": "toggle_step", "a": "filter", "n": "filter"}


def in_app(log: Path) -> dict[str, list[float]]:
    """Seconds from each key the driver read to the first frame written after it (before
    the next key), by kind of key, from ``timed_workbench.py``'s log."""
    keys: list[tuple[float, str]] = []
    frames: list[float] = []
    for line in log.read_text().splitlines():
        kind, stamp, what = line.split(" ", 2)
        if kind == "key":
            keys.append((float(stamp), what))
        else:
            frames.append(float(stamp))
    figures: dict[str, list[float]] = {}
    for index, (sent, name) in enumerate(keys):
        kind = APP_KINDS.get(name)
        if kind is None:
            continue
        following = bisect_left(frames, sent)
        before_next = keys[index + 1][0] if index + 1 < len(keys) else float("inf")
        if following < len(frames) and frames[following] < before_next:
            figures.setdefault(f"app_{kind}", []).append(frames[following] - sent)
    return figures


def probe(db: Path, keys: int) -> dict[str, object]:
    frame_log = Path(tempfile.mkstemp(prefix="wb-frames-", suffix=".log")[1])
    command = [sys.executable, str(Path(__file__).with_name("timed_workbench.py")), "--db", str(db)]
    env = {"HOME": os.environ.get("HOME", "/tmp"), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    env["WORKBENCH_FRAME_LOG"] = str(frame_log)
    if os.environ.get("PYTHONPATH"):  # a checkout of another version, benchmarked side by side
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    term = Terminal(command, env)
    figures: dict[str, object] = {}
    try:
        # The whole first screen: the case list, the keys in the key bar (before 2 December
        # 2026 the bar could still be empty when the rest showed) and the status line's
        # "Loading…" cleared (until 6 December it said "All changes saved" after a load).
        shown = term.wait_for("Cases · ", "Follow-up", absent=("Loading…",))
        figures["start"] = shown - term.launched
        figures["key_move"] = [term.key("j" if i % 4 != 3 else "k") for i in range(keys)]
        term.key("Tab")
        toggles = [term.key("Space") for _ in range(keys)]
        figures["key_toggle_step"] = toggles
        term.wait_for("All changes saved")
        durable = []
        for _ in range(max(3, keys // 5)):
            before = file_key(db)
            sent = time.perf_counter()
            tmux("send-keys", "-t", term.name, "Space")
            while file_key(db) == before:
                time.sleep(0.002)
            durable.append(time.perf_counter() - sent)
            term.wait_for("All changes saved")
        figures["durable"] = durable
        term.key("BTab")
        term.key("/")
        typed = []
        for index, char in enumerate(("ann" * keys)[:keys]):
            typed.append(term.key(char, literal=True))
            if index % 3 == 2:
                for _ in range(3):
                    term.key("BSpace")
        figures["key_filter"] = typed
        term.key("Escape")
        figures["rss_mb"] = peak_rss_mb(term.pid())
        tmux("send-keys", "-t", term.name, "q")
        time.sleep(0.5)
    finally:
        term.close()
    figures.update(in_app(frame_log))
    frame_log.unlink()
    return figures


def main() -> None:
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for the TUI figures (Debian package tmux)")
    db, keys = Path(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(probe(db, keys)))


if __name__ == "__main__":
    main()
