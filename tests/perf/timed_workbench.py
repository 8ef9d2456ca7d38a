"""``workbench`` with a frame log, for ``tui_probe.py``: the real program, unchanged, with
two timestamps written to ``$WORKBENCH_FRAME_LOG``:

* ``key T NAME``: the terminal driver has read a key (its input thread, before the key
  waits for the UI thread);
* ``frame T BYTES``: the UI thread hands a frame to the terminal.

So "key to first frame" is measured inside the process, where tmux and capture-pane add
nothing; ``tui_probe.py`` reports it beside the figures it reads off the screen.

Run as ``WORKBENCH_FRAME_LOG=log python timed_workbench.py --db DB`` (any workbench
arguments).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from textual import events
from textual.drivers.linux_driver import LinuxDriver

from workbench.cli import main

_LOG = open(os.environ["WORKBENCH_FRAME_LOG"], "w", buffering=1)  # noqa: SIM115 (lives as long as the process)
_process_message = LinuxDriver.process_message
_write = LinuxDriver.write


def _logged_message(self: LinuxDriver, message: Any) -> None:
    if isinstance(message, events.Key):
        _LOG.write(f"key {time.perf_counter():.6f} {message.key}\n")
    _process_message(self, message)


def _logged_write(self: LinuxDriver, data: str) -> None:
    _LOG.write(f"frame {time.perf_counter():.6f} {len(data)}\n")
    _write(self, data)


LinuxDriver.process_message = _logged_message  # type: ignore[method-assign]
LinuxDriver.write = _logged_write  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(main())
