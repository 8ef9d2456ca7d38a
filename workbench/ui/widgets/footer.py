"""The key bar at the foot of every screen, rebuilt only when the keys it shows change.

Textual's Footer builds itself again (a widget for every key) after each change of
focus or of an action's state, and once for each such change when several come
together: right after the first screen of a large database four rebuilds ran back to
back, 75-125 ms each on a slow machine, so the first key pressed waited for all of them
and the keys appeared in the bar 0.3-0.4 s after the case list. This one rebuilds at most
once per refresh, and only when the keys it would show are not the ones it shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyBar(Footer):
    """A Footer that coalesces its rebuilds and skips those that would change nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        self._rebuild_asked = False
        self.rebuilds = 0
        """How many times the keys were laid out again (for tests)."""

    def _keys(self) -> tuple[object, ...]:
        """What :meth:`compose` would show now: every active binding with its state."""
        active = tuple(
            (key, binding, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )
        return (self.compact, self.show_command_palette, self.combine_groups, active)

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        self.rebuilds += 1
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_asked:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_asked = False
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
