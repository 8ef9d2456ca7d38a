"""The user's settings: one TOML file that the workbench reads and never writes.

The file is ``paths.settings_file()`` (``$WORKBENCH_SETTINGS``, else ``settings.toml`` in the
config folder). A missing file means every default; upgrades never touch it. Example::

    dont_wait_hours = 2        # flag a case nobody has called after 2 hours (default 4)
    default_hour = "08:30"     # "tomorrow" means tomorrow 08:30 (default "09:00")
    date_order = "mdy"         # "1/12" is 12 January (default "dmy": 1 December)
    week_start = "sunday"      # the calendar's first column (default "monday")
    theme = "nord"             # any Textual theme (default "textual-dark")

    [keys]                     # binding id = "key" or "key,key"
    new-case = "ctrl+n"

Anything wrong (a typo in a name, text where a number belongs, a time like "25:00", a file
that is not UTF-8 or not readable) raises one :class:`SettingsError` naming the file, the line,
the setting, what is wrong and what is allowed. Pure Python: no Textual import, so the command
line stays quick and the checks are the same for the screen and for scripts.

``WORKBENCH_DATE_ORDER`` (``dmy`` or ``mdy``) overrides ``date_order`` for one run. It is
applied here, as the settings are read, so :class:`Settings` holds the values in force and
nothing downstream need look at the environment; a value that won't do raises
:class:`OverrideError`.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from workbench import keymap, paths
from workbench.domain.dates import DateSettings
from workbench.keymap import BINDING_IDS
from workbench.toml_lines import NotToml, TomlText, read_toml

__all__ = [
    "BINDING_IDS",
    "DATE_ORDER_ENV",
    "DEFAULT_THEME",
    "THEMES",
    "OverrideError",
    "Settings",
    "SettingsError",
    "load_settings",
]

DateOrder = Literal["dmy", "mdy"]

DEFAULT_THEME = "textual-dark"

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

DATE_ORDER_ENV = "WORKBENCH_DATE_ORDER"
"""Overrides ``date_order`` (``dmy`` or ``mdy``), whatever the settings file says."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DONT_WAIT_RANGE = (0.5, 720.0)
"""Hours: from half an hour to thirty days."""

_TOP_LEVEL = ("dont_wait_hours", "default_hour", "date_order", "week_start", "theme", "keys")
_HH_MM = re.compile(r"([0-9]{1,2}):([0-9]{2})", re.ASCII)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file."""

    key: str | None
    """The setting, e.g. ``"theme"`` or ``"keys.new-case"``; None for the file as a whole."""
    line: int | None
    """1-based; None when it can't be told."""
    message: str


class SettingsError(Exception):
    """The settings file can't be used. ``str()`` says where, what is wrong and what would do.

    Every problem found is listed, one per line, first in the file first. ``key`` and ``line``
    are those of the first.
    """

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        first = self.problems[0]
        self.key = first.key
        self.line = first.line
        super().__init__(self._describe())

    def _describe(self) -> str:
        lines = []
        for problem in self.problems:
            message = problem.message.rstrip()
            if not message.endswith((".", "?", "!")):
                message += "."
            lines.append(f"line {problem.line}: {message}" if problem.line else message)
        if len(lines) == 1:
            text = [f"the settings file {self.path} can't be used: {lines[0]}"]
        else:
            text = [f"the settings file {self.path} can't be used ({len(lines)} problems):"]
            text += [f"  {line}" for line in lines]
        if any(problem.key for problem in self.problems):
            text.append(
                "Nothing was changed. Correct the setting, or delete its line to get the "
                "default (see “Settings” in the README)."
            )
        else:
            text.append("Nothing was changed.")
        return "\n".join(text)


class OverrideError(Exception):
    """An environment variable that overrides a setting holds a value that won't do."""


@dataclass(frozen=True)
class Settings:
    """What the user chose; every field has a safe default."""

    dont_wait_hours: float = 4.0
    """Hours before a case nobody has contacted yet is flagged ("don't wait")."""
    default_hour: time = time(9, 0)
    """The time a date typed without one gets ("tomorrow" → tomorrow at this time)."""
    date_order: DateOrder = "dmy"
    """How "1/12" reads: ``dmy`` 1 December, ``mdy`` 12 January (``WORKBENCH_DATE_ORDER``
    wins over the file)."""
    week_start: str = "monday"
    """The weekday in the calendar's first column."""
    theme: str = DEFAULT_THEME
    """A Textual theme name."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key overrides: binding id → ``"key"`` or ``"key,key"`` (Textual's keymap)."""
    path: Path | None = None
    """The file these came from; None for the built-in defaults."""

    @property
    def dont_wait(self) -> timedelta:
        return timedelta(hours=self.dont_wait_hours)

    @property
    def first_weekday(self) -> int:
        """The calendar's first column: 0 = Monday … 6 = Sunday."""
        return WEEKDAYS.index(self.week_start)

    def date_settings(self, date_order: DateOrder | None = None) -> DateSettings:
        """How dates are read; ``date_order``, when given, wins over the settings' own."""
        order = date_order or self.date_order
        return DateSettings(
            day_first=order == "dmy",
            default_hour=self.default_hour.hour,
            default_minute=self.default_hour.minute,
        )


DEFAULT_SETTINGS = Settings()


# ---------------------------------------------------------------------------------------------
# Reading the file


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings in ``path`` (default :func:`workbench.paths.settings_file`), with the
    overrides in ``environ`` (default the process's environment) applied.

    A missing file gives the defaults. Raises :class:`SettingsError` for anything wrong in
    the file, then :class:`OverrideError` for an override that won't do.
    """
    path = paths.settings_file() if path is None else path
    return _overridden(_from_file(path), os.environ if environ is None else environ)


def _overridden(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """``settings`` with the environment's overrides in force."""
    order = environ.get(DATE_ORDER_ENV, "").strip().lower()
    if not order:
        return settings
    if order not in ("dmy", "mdy"):
        raise OverrideError(f"{DATE_ORDER_ENV} must be dmy or mdy, not “{order}”")
    return replace(settings, date_order="dmy" if order == "dmy" else "mdy")


def _from_file(path: Path) -> Settings:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(path=path)
    except IsADirectoryError:
        raise SettingsError(path, [Problem(None, None, "it is a folder, not a file.")]) from None
    except PermissionError:
        raise SettingsError(
            path,
            [
                Problem(
                    None,
                    None,
                    "permission denied: the workbench may not read it. Make it readable "
                    "(chmod u+r), or point WORKBENCH_SETTINGS at another file.",
                )
            ],
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise SettingsError(
            path, [Problem(None, None, f"it could not be read ({reason}).")]
        ) from None
    try:
        toml = read_toml(_decode(path, raw))
    except NotToml as error:
        raise SettingsError(path, [_syntax_problem(error)]) from None
    return _read(path, toml)


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise SettingsError(
            path,
            [
                Problem(
                    None,
                    line,
                    f"the file is not UTF-8 text (byte 0x{bad} can't be read). "
                    "Save it as UTF-8 in your editor.",
                )
            ],
        ) from None


def _syntax_problem(error: NotToml) -> Problem:
    return Problem(
        None,
        error.line,
        f"this is not valid TOML: {error}. Settings are written name = value, "
        'text in quotes, e.g. theme = "nord" or dont_wait_hours = 2.',
    )


def _read(path: Path, toml: TomlText) -> Settings:
    lines = _Lines(toml)
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def problem(key: str, message: str, table: str | None = None) -> None:
        shown = f"{table}.{key}" if table else key
        problems.append(Problem(shown, lines.find(key, table), message))

    for key, value in toml.data.items():
        if key not in _TOP_LEVEL:
            problem(key, _unknown(f"“{key}” is not a setting", key, _TOP_LEVEL, "Settings are"))
            continue
        if key == "keys":
            values["keys"] = _read_keys(value, problems, lines)
            continue
        reader = _READERS[key]
        try:
            values[key] = reader(value)
        except _Bad as bad:
            problem(key, f"{key} {bad}")
    if problems:
        raise SettingsError(path, problems)
    return Settings(path=path, **values)


class _Bad(ValueError):
    """A value that won't do; its text continues "<key> …"."""


def _unknown(what: str, word: str, known: Iterable[str], listing: str) -> str:
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


def _must(allowed: str, value: object, example: str, extra: str = "") -> _Bad:
    """``extra``, if given, is a sentence or two: why, or what was probably meant."""
    more = f" {extra}" if extra else ""
    return _Bad(f"must be {allowed}, not {_kind(value)}.{more} For example: {example}")


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


_READERS = {
    "dont_wait_hours": _dont_wait_hours,
    "default_hour": _default_hour,
    "date_order": _date_order,
    "week_start": _week_start,
    "theme": _theme,
}


def _read_keys(value: object, problems: list[Problem], lines: _Lines) -> Mapping[str, str]:
    """The ``[keys]`` table: each id known, each key one the screen can receive, no two
    actions on one key where both are wanted, and every action left with a key."""
    example = '[keys] with lines like new-case = "ctrl+n"'
    if not isinstance(value, dict):
        problems.append(
            Problem(
                "keys", lines.find("keys"), f"keys must be a table ({example}), not {_kind(value)}"
            )
        )
        return MappingProxyType({})
    keys: dict[str, tuple[str, ...]] = {}
    for binding_id, keys_value in value.items():
        line = lines.find(binding_id, "keys")
        name = f"keys.{binding_id}"
        if binding_id not in BINDING_IDS:
            problems.append(
                Problem(
                    name,
                    line,
                    _unknown(
                        f"“{binding_id}” in [keys] is not a binding id",
                        binding_id,
                        BINDING_IDS,
                        "Binding ids",
                    ),
                )
            )
            continue
        try:
            keys[binding_id] = _key_list(binding_id, keys_value)
        except _Bad as bad:
            problems.append(Problem(name, line, f"{name} {bad}"))
    for clash in keymap.clashes(keys):
        problems.append(_clash_problem(clash, keys, lines))
    return MappingProxyType({binding_id: ",".join(ks) for binding_id, ks in keys.items()})


_KEYS_ALLOWED = 'a key such as "ctrl+n", "f5" or "N", or several separated by commas ("n,ctrl+n")'


def _key_list(binding_id: str, value: object) -> tuple[str, ...]:
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        parts = [part for item in value for part in item.split(",")]
    elif value == [] or (isinstance(value, str) and not value.strip()):
        raise _Bad(_keyless(binding_id, value))
    elif isinstance(value, str):
        parts = value.split(",")
    else:
        raise _Bad(f"must be {_KEYS_ALLOWED}, not {_kind(value)}")
    keys: list[str] = []
    for part in parts:
        try:
            key = keymap.read_key(part)
        except keymap.BadKey as bad:
            raise _Bad(f"must be {_KEYS_ALLOWED}: {bad}") from None
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def _keyless(binding_id: str, value: object) -> str:
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


def _clash_problem(
    clash: keymap.Clash, keys: Mapping[str, Sequence[str]], lines: _Lines
) -> Problem:
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
        lines.find(clash.binding_id, "keys"),
        f"{name} takes a key another action needs: {taken}, so one key would do two things. "
        f'{way_out}. For example: {clash.binding_id} = "{free}"',
    )


class _Lines:
    """Finds the line a setting is on: its own, else its table's header."""

    def __init__(self, toml: TomlText) -> None:
        self._toml = toml

    def find(self, key: str, table: str | None = None) -> int | None:
        """The 1-based line where ``key`` (inside ``[table]``, or at the top) is set."""
        if table is None:
            return self._toml.line(key)
        line = self._toml.line(table, key)
        return self._toml.line(table) if line is None else line
