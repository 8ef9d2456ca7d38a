"""The keys of the workbench's screen as data: what a ``[keys]`` setting may move, and where.

Every binding with an id (the ids ``[keys]`` names), the part of the screen it belongs
to, its built-in keys; the keys of the screen that have no id and can't be moved (the
arrows in a list, ctrl+q); and where each part's keys are looked up. With these the
settings can tell, without loading Textual, whether a key is one the screen can receive,
and whether two actions would end up on one key.

The screens keep their own ``BINDINGS`` tables, where a reader looks for them; a test
(``tests/functional/test_key_table.py``) holds those tables and this one in step.

Keys are written as Textual writes them: one character (``"n"``, ``"N"``, ``"?"``), a
name (``"enter"``, ``"f5"``, ``"pageup"``, ``"question_mark"``), either after modifiers
(``"ctrl+n"``, ``"alt+f5"``, ``"ctrl+shift+up"``).
"""

from __future__ import annotations

import difflib
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

APPLICATION = "application"
MAIN = "main screen"
CASE_LIST = "case list"
CHECKLIST = "checklist"
CASE_HEADER = "case header"
CALENDAR = "calendar"
AGENDA = "agenda"

PLACES: Mapping[str, tuple[str, ...]] = {
    "the case list": (CASE_LIST, MAIN, APPLICATION),
    "the checklist": (CHECKLIST, MAIN, APPLICATION),
    "the case's header": (CASE_HEADER, MAIN, APPLICATION),
    "the calendar": (CALENDAR, MAIN, APPLICATION),
    "the calendar's agenda": (AGENDA, CALENDAR, MAIN, APPLICATION),
}
"""Where the focus can be, and the parts whose keys work there, the first part first
(Textual looks from the focused widget up to the screen and the application)."""


@dataclass(frozen=True)
class KeyBinding:
    """One binding a ``[keys]`` entry may move."""

    id: str
    keys: tuple[str, ...]
    """Its built-in keys, as Textual writes them."""
    description: str
    part: str
    """The part of the screen whose table holds it: one of the names in :data:`PLACES`."""


def _b(part: str, binding_id: str, keys: str, description: str) -> KeyBinding:
    return KeyBinding(binding_id, tuple(keys.split(",")), description, part)


BINDINGS: tuple[KeyBinding, ...] = (
    _b(MAIN, "new-case", "n", "New case"),
    _b(MAIN, "edit-case", "e", "Edit case"),
    _b(MAIN, "toggle-step", "space", "Tick step"),
    _b(MAIN, "step-note", "m", "Step note"),
    _b(MAIN, "schedule-followup", "f", "Follow-up"),
    _b(MAIN, "followup-done", "d", "Follow-up done"),
    _b(MAIN, "reschedule-followup", "F", "Move follow-up"),
    _b(MAIN, "overdue", "O", "Overdue follow-ups"),
    _b(MAIN, "set-status", "s", "Status"),
    _b(MAIN, "record-remedy", "r", "Remedy"),
    _b(MAIN, "close-case", "c", "Close case"),
    _b(MAIN, "say", "S", "What to say"),
    _b(MAIN, "timer", "T", "Timer"),
    _b(MAIN, "log-time", "L", "Log time"),
    _b(MAIN, "undo", "ctrl+z", "Undo"),
    _b(MAIN, "redo", "ctrl+y", "Redo"),
    _b(MAIN, "filter", "slash", "Filter"),
    _b(MAIN, "clear-filter", "escape", "Clear filter"),
    _b(MAIN, "cycle-status-filter", "a", "Show open/all/…"),
    _b(MAIN, "cycle-sort", "o", "Sort order"),
    _b(MAIN, "cycle-whose", "w", "Whose cases"),
    _b(MAIN, "history", "H", "Customer history"),
    _b(MAIN, "customer-record", "C", "Customer record"),
    _b(MAIN, "snooze", "z", "Snooze follow-up"),
    _b(MAIN, "assign", "A", "Assign"),
    _b(MAIN, "escalate", "E", "Escalate"),
    _b(MAIN, "open-sample", "D", "Try sample cases"),
    _b(MAIN, "calendar-today", "t", "Calendar: today"),
    _b(MAIN, "calendar-previous-month", "less_than_sign", "Calendar: previous month"),
    _b(MAIN, "calendar-next-month", "greater_than_sign", "Calendar: next month"),
    _b(MAIN, "export", "x", "Export"),
    _b(MAIN, "cursor-down", "j", "Move down"),
    _b(MAIN, "cursor-up", "k", "Move up"),
    _b(MAIN, "next-pane", "tab", "Next pane"),
    _b(MAIN, "previous-pane", "shift+tab", "Previous pane"),
    _b(MAIN, "insight", "i", "Insight"),
    _b(MAIN, "help", "question_mark", "Help"),
    _b(MAIN, "quit", "q", "Quit"),
    _b(CALENDAR, "calendar-today", "t", "Today"),
    _b(CALENDAR, "calendar-previous-month", "less_than_sign", "Previous month"),
    _b(CALENDAR, "calendar-next-month", "greater_than_sign", "Next month"),
    _b(CALENDAR, "calendar-previous-day", "left,h", "Previous day"),
    _b(CALENDAR, "calendar-next-day", "right,l", "Next day"),
    _b(CALENDAR, "calendar-previous-week", "up,k", "Previous week"),
    _b(CALENDAR, "calendar-next-week", "down,j", "Next week"),
    _b(CALENDAR, "calendar-page-up", "pageup", "Previous month"),
    _b(CALENDAR, "calendar-page-down", "pagedown", "Next month"),
    _b(CALENDAR, "calendar-open-agenda", "enter", "Agenda"),
    _b(AGENDA, "agenda-cursor-up", "k", "Previous follow-up"),
    _b(AGENDA, "agenda-cursor-down", "j", "Next follow-up"),
    _b(AGENDA, "agenda-select", "enter", "Open follow-up"),
    _b(APPLICATION, "command-palette", "ctrl+p", "Command palette"),
)
"""Every binding with an id, in the order of the screens' tables."""

BINDING_IDS: tuple[str, ...] = tuple(dict.fromkeys(b.id for b in BINDINGS))
"""Every id a ``[keys]`` entry may name. An id in two parts (the calendar's today and
month keys, on the main screen and in the calendar pane) is moved in both at once."""

_MOVES = {"up": "moves the cursor up", "down": "moves the cursor down"} | dict.fromkeys(
    ("left", "right", "home", "end", "pageup", "pagedown", "ctrl+pageup", "ctrl+pagedown"),
    "moves the cursor",
)
FIXED: Mapping[str, Mapping[str, str]] = {
    APPLICATION: {"ctrl+q": "quits once every change is saved", "ctrl+c": "says how to quit"},
    MAIN: {"ctrl+c": "copies the selected text", "super+c": "copies the selected text"},
    CASE_LIST: _MOVES,
    CHECKLIST: _MOVES | {"enter": "ticks the step"},
    CASE_HEADER: _MOVES,
    CALENDAR: {},
    AGENDA: _MOVES,
}
"""Keys without an id, which no setting moves: what each does, by part."""

ALIKE: Mapping[str, frozenset[str]] = {
    "quits once every change is saved": frozenset({"quit"}),
    "moves the cursor up": frozenset({"cursor-up", "agenda-cursor-up"}),
    "moves the cursor down": frozenset({"cursor-down", "agenda-cursor-down"}),
    "ticks the step": frozenset({"toggle-step"}),
}
"""Fixed keys that do what a binding does: that binding may have the key too."""


# -- the names of keys -------------------------------------------------------------------

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""In the order Textual writes them (alphabetical: ``ctrl+shift+up``)."""

NAMED_KEYS = (
    "enter",
    "escape",
    "tab",
    "space",
    "backspace",
    "insert",
    "delete",
    "home",
    "end",
    "pageup",
    "pagedown",
    "up",
    "down",
    "left",
    "right",
    *(f"f{number}" for number in range(1, 25)),
)
"""Keys with a name rather than a character (Textual's ``Keys``)."""

_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_ALIASES = {"ctrl+i": "tab", "ctrl+m": "enter", "ctrl+space": "ctrl+at", "newline": "ctrl+j"}
"""Keys Textual takes for one another: a binding on either is a binding on both."""

KEY_SHAPES = (
    "a key is one character (n, N, ?), a named key (f1 to f24, enter, escape, tab, space, "
    "backspace, insert, delete, home, end, pageup, pagedown, up, down, left, right), or "
    "either after modifiers joined by + (ctrl+n, alt+f5, ctrl+shift+up)"
)


class BadKey(Exception):
    """Text that is not a key the screen can receive; its text says why, for a person."""


def character_key(character: str) -> str:
    """The name Textual gives the key of one character: ``"/"`` → ``"slash"``, ``"n"`` → ``"n"``.

    The same rule as Textual's own (``textual.keys._character_to_key``; a test compares).
    """
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return _NAME_REPLACEMENTS.get(name, name)


@cache
def _character_names() -> frozenset[str]:
    return frozenset(character_key(ch) for ch in string.punctuation)


def read_key(text: str) -> str:
    """``text`` as Textual writes the key (modifiers in its order); raises :class:`BadKey`."""
    key = text.strip()
    if not key:
        raise BadKey("a key is missing (empty text, or two commas in a row)")
    if any(ch.isspace() for ch in key):
        raise BadKey(f"“{key}” has a space in it (write space for the space bar)")
    if len(key) == 1:
        if not key.isprintable():
            raise BadKey(f"“{_shown(key)}” is not a key: {KEY_SHAPES}")
        return key
    *modifiers, base = key.split("+")
    for modifier in modifiers:
        if modifier.lower() not in MODIFIERS:
            raise BadKey(
                f"“{modifier}” in “{key}” is not a modifier (modifiers: {', '.join(MODIFIERS)})"
            )
    if not base:
        raise BadKey(f"“{key}” has no key after the last +")
    lowered = sorted({modifier.lower() for modifier in modifiers})
    if len(lowered) < len(modifiers):
        raise BadKey(f"“{key}” names a modifier twice")
    if len(base) == 1:
        if not base.isprintable():
            raise BadKey(f"“{_shown(key)}” is not a key: {KEY_SHAPES}")
        if lowered == ["shift"]:
            raise BadKey(
                f"“{key}”: with shift, a character key types another character; write "
                f"that one instead (“N” for shift+n, “?” for shift+/)"
            )
        if base != base.lower():
            plain = "+".join([*sorted({*lowered, "shift"}), base.lower()])
            raise BadKey(f"“{key}”: after modifiers a letter is written small; write “{plain}”")
    elif base not in NAMED_KEYS and base not in _character_names():
        raise BadKey(_not_a_name(key, base))
    return "+".join([*lowered, base])


def _not_a_name(key: str, base: str) -> str:
    known = [*NAMED_KEYS, *sorted(_character_names())]
    if base.lower() in known:
        where = f" in “{key}”" if base != key else ""
        return f"“{base}”{where} is not a key name (names are lower case: {base.lower()})"
    close = difflib.get_close_matches(base.lower(), known, n=1, cutoff=0.7)
    hint = f" Did you mean {close[0]}?" if close else ""
    where = f" in “{key}”" if base != key else ""
    return f"“{base}”{where} is not a key: {KEY_SHAPES}.{hint}"


def _shown(text: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def same_key(key: str) -> str:
    """One spelling per key, to tell whether two bindings share one: ``?`` and
    ``question_mark`` are one key, and so are ``tab`` and ``ctrl+i``."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if len(base) == 1:
        base = character_key(base)
    joined = "+".join([*sorted(modifiers), base])
    return _ALIASES.get(joined, joined)


# -- two actions on one key --------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """``binding_id`` would take ``key`` from ``other`` (an id, or a key of the screen's own)."""

    binding_id: str
    key: str
    other_id: str | None
    """The other binding's id; None for a key that can't be moved."""
    other: str
    """The other, in words: ``quit (Quit)``, or what a fixed key does."""
    places: tuple[str, ...]
    """Where both would be wanted (names from :data:`PLACES`)."""

    @property
    def where(self) -> str:
        """The places in words: ``everywhere on the screen``, ``in the calendar`` …"""
        if set(self.places) == set(PLACES):
            return "everywhere on the screen"
        if len(self.places) == 1:
            return f"in {self.places[0]}"
        return f"in {', '.join(self.places[:-1])} and {self.places[-1]}"


def describe(binding_id: str) -> str:
    """An id with what it does, for a sentence: ``new-case (New case)``."""
    found = next(b for b in BINDINGS if b.id == binding_id)
    return f"{binding_id} ({found.description})"


def _owners(part: str, keys: Mapping[str, Sequence[str]]) -> Iterable[tuple[str, str]]:
    """(owner, key) for every key of one part: an id, or ``"fixed:<what it does>"``."""
    for binding in BINDINGS:
        if binding.part == part:
            for key in keys[binding.id]:
                yield binding.id, same_key(key)
    for key, what in FIXED[part].items():
        yield f"fixed:{what}", same_key(key)


def _shared(keys: Mapping[str, Sequence[str]]) -> dict[tuple[str, str, str], str]:
    """(place, owner, other owner) → the key both hold there, for every such pair."""
    found: dict[tuple[str, str, str], str] = {}
    for place, parts in PLACES.items():
        holders: dict[str, list[str]] = {}
        for part in parts:
            for owner, key in _owners(part, keys):
                holders.setdefault(key, [])
                if owner not in holders[key]:
                    holders[key].append(owner)
        for key, owners in holders.items():
            for index, first in enumerate(owners):
                for second in owners[index + 1 :]:
                    found.setdefault((place, first, second), key)
                    found.setdefault((place, second, first), key)
    return found


def clashes(overrides: Mapping[str, Sequence[str]]) -> list[Clash]:
    """Where ``overrides`` (id → keys, as read) put two actions on one key.

    A key shared in the built-in keys is shared on purpose (the calendar's own j and k
    where the main screen's move the cursor; enter in the agenda) and stays allowed. Each
    clash is given once, for the id overridden (the later in ``overrides`` if both are).
    """
    defaults = {b.id: b.keys for b in BINDINGS}
    keys = {**defaults, **{i: tuple(k) for i, k in overrides.items() if i in defaults}}
    built_in = _shared(defaults)
    order = list(overrides)
    found: dict[tuple[str, str, str], list[str]] = {}
    for (place, first, second), key in _shared(keys).items():
        if (place, first, second) in built_in or first not in overrides:
            continue
        if first in ALIKE.get(second.removeprefix("fixed:"), ()):
            continue  # quit on ctrl+q, the cursor down on down: one key, one deed
        if second in overrides and order.index(second) > order.index(first):
            continue  # told on the later of the two
        found.setdefault((first, key, second), []).append(place)
    told = []
    for (first, key, second), places in found.items():
        fixed = second.startswith("fixed:")
        told.append(
            Clash(
                binding_id=first,
                key=next(k for k in keys[first] if same_key(k) == key),
                other_id=None if fixed else second,
                other=second.removeprefix("fixed:") if fixed else describe(second),
                places=tuple(places),
            )
        )
    return told


def free_key(overrides: Mapping[str, Sequence[str]]) -> str:
    """A key no action has with ``overrides`` applied, for an example in a message."""
    defaults = {b.id: b.keys for b in BINDINGS}
    keys = {**defaults, **overrides}
    taken = {same_key(k) for ks in keys.values() for k in ks}
    taken |= {same_key(k) for fixed in FIXED.values() for k in fixed}
    for candidate in (*(f"f{n}" for n in range(2, 13)), *(f"alt+{c}" for c in "nmbvz")):
        if candidate not in taken:
            return candidate
    return "f24"
