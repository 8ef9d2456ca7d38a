"""Driving the workbench app in tests: run a scenario, wait until it has settled."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from workbench.ui.app import WorkbenchApp

Scenario = Callable[[WorkbenchApp, Pilot[None]], Awaitable[None]]


def run(
    app: WorkbenchApp,
    scenario: Scenario,
    size: tuple[int, int] = (120, 40),
    *,
    settle_after: bool = True,
    timeout: float = 10,
) -> None:
    """Run ``scenario`` on a loaded workbench; with ``settle_after``, wait for its saves too."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot, timeout)
            await scenario(app, pilot)
            if settle_after:
                await settle(app, pilot, timeout)

    asyncio.run(main())


async def settle(app: WorkbenchApp, pilot: Pilot[None], timeout: float = 10) -> None:
    """Wait until the screen is loaded and every change has reached the store."""
    for _ in range(int(timeout / 0.05)):
        await pilot.pause(0.05)
        main = app.main if app.screen_stack else None
        if main is not None and main.session.loaded and main.saver.pending == 0:
            await pilot.pause()
            return
    raise AssertionError("the workbench did not settle")
