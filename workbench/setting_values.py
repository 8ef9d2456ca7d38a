"""Each setting's value checked: what the settings file may say for it, and what it means.

:mod:`workbench.settings` reads the file and hands each value here. A value that won't do
raises :class:`BadValue`, whose text continues "<setting> …" and says what is allowed; the
``[keys]`` table, checked as a whole (ids, keys, clashes), adds a :class:`Problem` for each
mistake it finds instead, so every one of them is told at once.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from workbench.domain.agents import agent_name
from workbench.domain.errors import DomainError
from workbench.domain.limits import MAX_AGENT
from workbench.domain.model import Heat
from workbench.domain.refusals import ValidationError
from workbench.domain.spans import parse_span, span_words
from workbench.domain.targets import DEFAULT_FIRST_CONTACT, DEFAULT_RESOLUTION

if TYPE_CHECKING:
    from workbench import keymap

DateOrder = Literal["dmy", "mdy"]

THEMES = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "dracula",
    "tokyo-night",
    "monokai",
    "flexoki",
    "catppuccin-latte",
    "catppuccin-frappe",
    "catppuccin-macchiato",
    "solarized-light",
    "solarized-dark",
    "rose-pine",
    "rose-pine-moon",
    "rose-pine-dawn",
    "atom-one-dark",
    "atom-one-light",
    "ansi-dark",
    "ansi-light",
)
"""The themes Textual registers (``textual.theme.BUILTIN_THEMES``; a test keeps this in step)."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DONT_WAIT_RANGE = (0.5, 720.0)
"""Hours: from half an hour to thirty days."""

_HH_MM = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file."""

    key: str | None
    """The setting, e.g. ``"theme"`` or ``"keys.new-case"``; None for the file as a whole."""
    line: int | None
    """1-based; None when it can't be told."""
    message: str


Finder = Callable[[str, str | None], int | None]
"""The line a setting is on: ``find("new-case", "keys")`` inside ``[keys]``, ``find("theme",
None)`` at the top; None when it can't be told."""


class BadValue(ValueError):
    """A value that won't do; its text continues "<key> …"."""


def unknown(what: str, word: str, known: Iterable[str], listing: str) -> str:
    known = list(known)
    close = difflib.get_close_matches(word.lower().replace("_", "-"), known, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.lower().replace("-", "_"), known, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    return f"{what}.{hint} {listing}: {', '.join(known)}."


def _kind(value: object) -> str:
    """What a TOML value is, in words."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int):
        return f"{value} (a whole number)"
    if isinstance(value, float):
        return f"{value} (a number)"
    if isinstance(value, str):
        return f"“{value}” (text)"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date and time)"
    if isinstance(value, date):
        return f"{value.isoformat()} (a date)"
    if isinstance(value, time):
        return f"{value.isoformat()} (a time)"
    return repr(value)


def _must(allowed: str, value: object, example: str, extra: str = "") -> BadValue:
    """``extra``, if given, is a sentence or two: why, or what was probably meant."""
    more = f" {extra}" if extra else ""
    return BadValue(f"must be {allowed}, not {_kind(value)}.{more} For example: {example}")


def _dont_wait_hours(value: object) -> float:
    low, high = DONT_WAIT_RANGE
    allowed = f"a number of hours from {low:g} to {high:g}"
    example = "dont_wait_hours = 4"
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = "Write the number without quotes." if _is_number_text(value) else ""
        raise _must(allowed, value, example, hint)
    if not low <= value <= high or math.isnan(value):  # range first: isnan(10**400) overflows
        raise _must(allowed, value, example)
    return float(value)


def _is_number_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _default_hour(value: object) -> time:
    allowed = 'a time of day written "HH:MM", from "00:00" to "23:59"'
    example = 'default_hour = "09:00"'
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise _must(allowed, value, example, "Seconds and time zones don't apply.")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 23:  # a whole hour: default_hour = 9
            return time(value, 0)
        raise _must(allowed + " (or a whole hour from 0 to 23)", value, example)
    if not isinstance(value, str):
        raise _must(allowed, value, example)
    found = _HH_MM.fullmatch(value.strip())
    if found is None:
        raise _must(allowed, value, example)
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23:
        raise _must(allowed, value, example, f"The hour {hour} is past 23.")
    if minute > 59:
        raise _must(allowed, value, example, f"The minute {minute} is past 59.")
    return time(hour, minute)


def _date_order(value: object) -> DateOrder:
    allowed = '"dmy" (1/12 is 1 December) or "mdy" (1/12 is 12 January)'
    example = 'date_order = "mdy"'
    if not isinstance(value, str):
        raise _must(allowed, value, example)
    order = value.strip().lower()
    if order == "dmy":
        return "dmy"
    if order == "mdy":
        return "mdy"
    raise _must(allowed, value, example)


def _week_start(value: object) -> str:
    allowed = "the name of a weekday"
    example = 'week_start = "sunday"'
    if not isinstance(value, str):
        raise _must(allowed, value, example)
    word = value.strip().lower()
    for day in WEEKDAYS:
        if len(word) >= 3 and day.startswith(word):  # "sun", "sunday"
            return day
    close = difflib.get_close_matches(word, WEEKDAYS, n=1)
    hint = f"Did you mean {close[0]}?" if close else ""
    raise _must(allowed, value, example, hint)


def _theme(value: object) -> str:
    allowed = "the name of a Textual theme"
    example = 'theme = "nord"'
    listing = f". Themes: {', '.join(THEMES)}"
    if not isinstance(value, str):
        raise _must(allowed, value, example + listing)
    name = value.strip().lower()
    if name in THEMES:
        return name
    close = difflib.get_close_matches(name, THEMES, n=1)
    hint = f"Did you mean {close[0]}?" if close else ""
    raise _must(allowed, value, example + listing, hint)


def agent_value(value: object) -> str:
    """Who I am: one line of 1 to 64 printable characters (the ends trimmed), as
    :func:`workbench.domain.agents.agent_name` checks any agent's name."""
    return _agent(value, f"a name of 1 to {MAX_AGENT} characters on one line", 'agent = "ana"')


def _escalate_to(value: object) -> str:
    """The agent an escalated case is given to: a name, or empty for no one."""
    if isinstance(value, str) and not value.strip():
        return ""
    allowed = f'an agent\'s name of 1 to {MAX_AGENT} characters on one line, or "" for no one'
    return _agent(value, allowed, 'escalate_to = "sam"')


def _agent(value: object, allowed: str, example: str) -> str:
    """An agent's name as :func:`workbench.domain.agents.agent_name` checks it."""
    if not isinstance(value, str):
        raise _must(allowed, value, example)
    try:
        return agent_name(value)
    except ValidationError:
        raise _must(allowed, value, example) from None


def _bell(value: object) -> bool:
    if not isinstance(value, bool):
        hint = "Write it without quotes." if value in ("true", "false") else ""
        raise _must("true or false", value, "bell = false", hint)
    return value


READERS = {
    "agent": agent_value,
    "bell": _bell,
    "escalate_to": _escalate_to,
    "dont_wait_hours": _dont_wait_hours,
    "default_hour": _default_hour,
    "date_order": _date_order,
    "week_start": _week_start,
    "theme": _theme,
}


TARGET_TABLES = {"first_contact": DEFAULT_FIRST_CONTACT, "resolution": DEFAULT_RESOLUTION}
"""The two tables of response targets, and their defaults by heat."""
_HEATS = tuple(heat.value for heat in reversed(Heat))


def read_targets(
    table: str, value: object, problems: list[Problem], find: Finder
) -> Mapping[Heat, timedelta]:
    """A ``[first_contact]`` or ``[resolution]`` table: a length of time for any of the
    heats (furious, upset, calm), each from 5 minutes to 365 days; the heats left out keep
    their defaults."""
    defaults = TARGET_TABLES[table]
    example = " ".join(f'{heat.value} = "{span_words(defaults[heat])}"' for heat in reversed(Heat))
    if not isinstance(value, dict):
        problems.append(
            Problem(
                table,
                find(table, None),
                f"{table} must be a table ([{table}] with lines like {example}), "
                f"not {_kind(value)}",
            )
        )
        return MappingProxyType({})
    spans: dict[Heat, timedelta] = {}
    for word, span in value.items():
        name = f"{table}.{word}"
        line = find(word, table)
        heat = next((h for h in Heat if h.value == word.strip().lower()), None)
        if heat is None:
            problems.append(
                Problem(
                    name,
                    line,
                    unknown(f"“{word}” in [{table}] is not a heat", word, _HEATS, "Heats"),
                )
            )
            continue
        allowed = 'a length of time in quotes, like "90m", "4h", "2d" or "1w"'
        own_example = f'{word} = "{span_words(defaults[heat])}"'
        if not isinstance(span, str):
            hint = (
                'Say which unit, in quotes: "4h" or "4d".'
                if isinstance(span, int | float) and not isinstance(span, bool)
                else ""
            )
            problems.append(
                Problem(name, line, f"{name} {_must(allowed, span, own_example, hint)}")
            )
            continue
        try:
            spans[heat] = parse_span(span)
        except DomainError:
            bounds = f"{allowed}, from 5 minutes to 365 days"
            problems.append(Problem(name, line, f"{name} {_must(bounds, span, own_example)}"))
    return MappingProxyType(spans)


def read_keys(value: object, problems: list[Problem], find: Finder) -> Mapping[str, str]:
    """The ``[keys]`` table: each id known, each key one the screen can receive, no two
    actions on one key where both are wanted, and every action left with a key."""
    example = '[keys] with lines like new-case = "ctrl+n"'
    if not isinstance(value, dict):
        problems.append(
            Problem(
                "keys", find("keys", None), f"keys must be a table ({example}), not {_kind(value)}"
            )
        )
        return MappingProxyType({})
    keys: dict[str, tuple[str, ...]] = {}
    from workbench import keymap  # only a [keys] table needs the bindings (3 ms)

    for binding_id, keys_value in value.items():
        line = find(binding_id, "keys")
        name = f"keys.{binding_id}"
        if binding_id not in keymap.BINDING_IDS:
            problems.append(
                Problem(
                    name,
                    line,
                    unknown(
                        f"“{binding_id}” in [keys] is not a binding id",
                        binding_id,
                        keymap.BINDING_IDS,
                        "Binding ids",
                    ),
                )
            )
            continue
        try:
            keys[binding_id] = _key_list(binding_id, keys_value)
        except BadValue as bad:
            problems.append(Problem(name, line, f"{name} {bad}"))
    for clash in keymap.clashes(keys):
        problems.append(_clash_problem(clash, keys, find))
    return MappingProxyType({binding_id: ",".join(ks) for binding_id, ks in keys.items()})


_KEYS_ALLOWED = 'a key such as "ctrl+n", "f5" or "N", or several separated by commas ("n,ctrl+n")'


def _key_list(binding_id: str, value: object) -> tuple[str, ...]:
    from workbench import keymap

    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        parts = [part for item in value for part in item.split(",")]
    elif value == [] or (isinstance(value, str) and not value.strip()):
        raise BadValue(_keyless(binding_id, value))
    elif isinstance(value, str):
        parts = value.split(",")
    else:
        raise BadValue(f"must be {_KEYS_ALLOWED}, not {_kind(value)}")
    keys: list[str] = []
    for part in parts:
        try:
            key = keymap.read_key(part)
        except keymap.BadKey as bad:
            raise BadValue(f"must be {_KEYS_ALLOWED}: {bad}") from None
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def _keyless(binding_id: str, value: object) -> str:
    from workbench import keymap

    built_in = next(b.keys for b in keymap.BINDINGS if b.id == binding_id)
    default = ",".join(built_in)
    why = (
        "without a key the workbench could be left only with ctrl+q, which drops what is "
        "being typed"
        if binding_id == "quit"
        else "an action can't be left without a key"
    )
    return (
        f"must be {_KEYS_ALLOWED}, not {_kind(value)}: {why}. To keep the built-in key, "
        f'delete the line. For example: {binding_id} = "{default}"'
    )


def _clash_problem(clash: keymap.Clash, keys: Mapping[str, Sequence[str]], find: Finder) -> Problem:
    from workbench import keymap

    name = f"keys.{clash.binding_id}"
    free = keymap.free_key(keys)
    if clash.other_id is None:
        taken = (
            f"“{clash.key}” already {clash.other} {clash.where} (a key of the screen's own, "
            "which no setting moves)"
        )
        way_out = f"Give {clash.binding_id} another key"
    else:
        built_in = clash.other_id not in keys
        whose = "the built-in key" if built_in else "already the key"
        taken = f"“{clash.key}” is {whose} of {clash.other} {clash.where}"
        way_out = "Give one of them another key"
        if built_in:
            way_out += f" (to move {clash.other_id}, add a line for it too)"
    return Problem(
        name,
        find(clash.binding_id, "keys"),
        f"{name} takes a key another action needs: {taken}, so one key would do two things. "
        f'{way_out}. For example: {clash.binding_id} = "{free}"',
    )
