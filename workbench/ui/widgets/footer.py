"""The key bar at the foot of every screen: what fits, most used first, rebuilt only when
the keys it shows change.

What it shows: the screen's keys with a description, in the order of its ``BINDINGS``
(the order of use: the focused widget's first, then the screen's, the command palette
last), one entry per action and never the same key twice, whole entries only. When some
do not fit, the screen's help key (the binding of the ``help`` action, ``?`` on the main
screen) ends the bar as "? all keys"; a screen without one shows what fits and no more.
When not every key fits, each is shown in its short words if the screen gives them
(``KEY_BAR_SHORT``: action to words, "New" for "New case"), so more keys fit at 80 columns.
Textual's Footer showed every key and let the bar cut the last one mid-word (``f Fo``),
and showed the command palette twice: once among the keys, once docked at the right.

When: Textual's Footer builds itself again (a widget for every key) after each change of
focus or of an action's state, and once for each such change when several come
together: right after the first screen of a large database four rebuilds ran back to
back, 75-125 ms each on a slow machine, so the first key pressed waited for all of them
and the keys appeared in the bar 0.3-0.4 s after the case list. This one rebuilds at most
once per refresh, and only when the entries it would show (for its width) are not the
ones it shows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
MORE = "all keys"
"""The last entry's description when some keys did not fit: its key opens help."""


class Entry(NamedTuple):
    """One key as the bar shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


def entry_width(entry: Entry, *, compact: bool) -> int:
    """Cells an entry takes: the key and the description, with FooterKey's padding."""
    return cell_len(entry.display) + cell_len(entry.description) + (2 if compact else 3)


def fit(
    entries: list[Entry], more: Entry | None, width: int, *, compact: bool = False
) -> tuple[Entry, ...]:
    """The entries to show in ``width`` cells: all of them if they fit; else as many as fit
    from the first, whole, with ``more`` (the help key, if any) at the end and not also
    among them."""
    if sum(entry_width(entry, compact=compact) for entry in entries) <= width:
        return tuple(entries)
    room = width
    if more is not None:
        room -= entry_width(more, compact=compact)
        entries = [entry for entry in entries if entry.key != more.key]
    shown: list[Entry] = []
    for entry in entries:
        room -= entry_width(entry, compact=compact)
        if room < 0:
            break
        shown.append(entry)
    return (*shown, more) if more is not None else tuple(shown)


class KeyBar(Footer):
    """A Footer that shows what fits, coalesces its rebuilds and skips those that would
    change nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[bool, tuple[Entry, ...]] | None = None
        self._rebuild_asked = False
        self.rebuilds = 0
        """How many times the keys were laid out again (for tests)."""

    def _entries(self) -> tuple[Entry, ...]:
        """Every shown binding in order, one per action and key, the palette's last."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING
        entries: list[Entry] = []
        palette: Entry | None = None
        actions: set[str] = set()
        displays: set[str] = set()
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in actions:
                continue
            display = app.get_key_display(binding)
            if display in displays:
                continue
            actions.add(binding.action)
            displays.add(display)
            entry = Entry(key, display, binding.description, binding.action, enabled, tooltip)
            if key == palette_key:
                if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
                    palette = entry
            else:
                entries.append(entry)
        return (*entries, palette) if palette is not None else tuple(entries)

    def _more(self) -> Entry | None:
        """The screen's help key as the last entry, "all keys"; None if it has none."""
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if binding.action == HELP_ACTION and enabled:
                display = self.app.get_key_display(binding)
                return Entry(key, display, MORE, binding.action, True, binding.description)
        return None

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _keys(self) -> tuple[bool, tuple[Entry, ...]]:
        """What :meth:`compose` would show now: the entries that fit, with their state;
        in their short words (the screen's ``KEY_BAR_SHORT``) when not all fit in full."""
        entries = list(self._entries())
        width, compact = self._width(), self.compact
        if sum(entry_width(entry, compact=compact) for entry in entries) > width:
            short: dict[str, str] = getattr(self.screen, "KEY_BAR_SHORT", {})
            entries = [
                entry._replace(
                    description=short.get(entry.action, entry.description),
                    tooltip=entry.tooltip or entry.description,
                )
                for entry in entries
            ]
        return (compact, fit(entries, self._more(), width, compact=compact))

    def compose(self) -> ComposeResult:
        self.rebuilds += 1
        if not self._bindings_ready:
            self._shown = None
            return
        self._shown = keys = self._keys()
        for entry in keys[1]:
            yield FooterKey(
                entry.key,
                entry.display,
                entry.description,
                entry.action,
                disabled=not entry.enabled,
                tooltip=entry.tooltip,
            ).data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if screen is self.screen:
            self._ask_rebuild()

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready:
            self._ask_rebuild()  # wider or narrower: other entries may fit

    def _ask_rebuild(self) -> None:
        if self.is_attached and not self._rebuild_asked:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_asked = False
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
