"""The full-screen workbench: what ``workbench`` with no subcommand opens.

Textual is imported inside :func:`cmd_tui`, so the subcommands never load it.
"""

from __future__ import annotations

import argparse
import sys

from workbench.cli.context import Context, UsageError, shown
from workbench.domain.clock import local_now


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.ui.app import WorkbenchApp  # Textual loads only when the screen is wanted

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise UsageError(
            "the workbench screen needs a terminal; "
            "for scripts use the subcommands (workbench --help)"
        )
    ctx.screen = True
    ctx.store.count()  # a file that can't be read is reported here, before the screen opens
    app = WorkbenchApp(
        store=ctx.store,
        library=ctx.library,
        clock=local_now,
        settings=ctx.settings,
    )
    app.run()
    if app.crash is not None:
        left = app.finish_saves()
        saved = (
            f" {left} change(s) made just before could not be saved."
            if left
            else " Every change made before it is saved."
        )
        details = (
            f" The details are in {app.crash_log}."
            if app.crash_log
            else " Run with WORKBENCH_DEBUG=1 for details."
        )
        print(f"workbench: {shown(app.crash)}{saved}{details}", file=sys.stderr)
        return 70
    return app.return_code or 0
