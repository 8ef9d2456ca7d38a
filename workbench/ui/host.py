"""What the screens need of the application that hosts them, as an interface.

The app (:class:`workbench.ui.app.WorkbenchApp`) opens the main screen, so the main
screen can't import the app without an import cycle; it asks for this instead, and the
app provides it. Everything here is built at the entry point and handed in.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from workbench.domain.clock import Clock
from workbench.domain.dates import DateSettings
from workbench.domain.playbooks import PlaybookLibrary
from workbench.settings import Settings
from workbench.ui.session import Session


@runtime_checkable
class WorkbenchHost(Protocol):
    """The application as the screens see it."""

    library: PlaybookLibrary
    clock: Clock
    settings: Settings

    @property
    def date_settings(self) -> DateSettings:
        """How typed dates are read (the settings')."""

    @property
    def session(self) -> Session:
        """The cases on screen and the changes on their way to the store."""

    def wait_for_keys(self) -> None:
        """For background threads: sleep while keys are coming."""

    def quit_when_saved(self) -> None:
        """Quit once every change is on disk (asking first if saving keeps failing)."""

    @property
    def sample(self) -> bool:
        """True when the workbench shows the sample cases, not the user's own file."""

    @property
    def location(self) -> str:
        """Where the cases shown are kept, for people to read."""

    def open_sample(self) -> None:
        """Go over to the sample cases (made on first use), every change saved first."""

    def show_case(self, case_id: str) -> None:
        """Select this case on the main screen."""

    async def run_on_main(self, action: str) -> None:
        """Run one of the main screen's actions."""
