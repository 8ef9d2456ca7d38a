"""The full-screen workbench: what ``workbench`` with no subcommand opens.

Textual is imported inside :func:`cmd_tui`, so the subcommands never load it.
"""

from __future__ import annotations

import argparse
import sys
from typing import cast

from workbench.cli.context import Context, UsageError, shown
from workbench.domain.clock import local_now
from workbench.storage import CaseStore


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.ui.app import WorkbenchApp  # Textual loads only when the screen is wanted

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise UsageError(
            "the workbench screen needs a terminal; "
            "for scripts use the subcommands (workbench --help)"
        )
    ctx.store.count()  # a file that can't be read is reported here, before the screen opens
    app = WorkbenchApp(
        store=cast(CaseStore, ctx.store),  # the screen is typed for the file store it is given
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
        print(
            f"workbench: {shown(app.crash)}{saved} Run with WORKBENCH_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 70
    return app.return_code or 0
