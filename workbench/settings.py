"""The user's settings: one TOML file that the workbench reads and never writes.

The file is ``paths.settings_file()`` (``$WORKBENCH_SETTINGS``, else ``settings.toml`` in the
config folder). A missing file means every default; upgrades never touch it. Example::

    agent = "ana"              # who I am, on a team's server (default: the login name)
    escalate_to = "sam"        # an escalated case goes to sam (default: it stays put)
    default_hour = "08:30"     # "tomorrow" means tomorrow 08:30 (default "09:00")
    date_order = "mdy"         # "1/12" is 12 January (default "dmy": 1 December)
    week_start = "sunday"      # the calendar's first column (default "monday")
    theme = "nord"             # any Textual theme (default "textual-dark")

    [first_contact]            # speak to them within (defaults 1h, 4h, 1d)
    furious = "30m"
    upset = "2h"

    [resolution]               # resolve within, waiting on them left out (2d, 5d, 10d)
    calm = "2w"

    [keys]                     # binding id = "key" or "key,key"
    new-case = "ctrl+n"

Anything wrong (a typo in a name, text where a number belongs, a time like "25:00", a file
that is not UTF-8 or not readable, a named pipe, a device or a folder where the file should
be) raises one :class:`SettingsError` naming the file, the line, the setting, what is wrong
and what is allowed (each value is checked by :mod:`workbench.setting_values`). Pure Python:
no Textual import, so the command line stays quick and the checks are the same for the
screen and for scripts.

``WORKBENCH_DATE_ORDER`` (``dmy`` or ``mdy``) overrides ``date_order`` for one run. It is
applied here, as the settings are read, so :class:`Settings` holds the values in force and
nothing downstream need look at the environment; a value that won't do raises
:class:`OverrideError`.
"""

from __future__ import annotations

import getpass
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from workbench import paths
from workbench.domain.agents import agent_name
from workbench.domain.date_settings import DateSettings
from workbench.domain.limits import MAX_AGENT
from workbench.domain.model import Heat
from workbench.domain.refusals import ValidationError
from workbench.domain.targets import Targets
from workbench.setting_values import (
    READERS,
    TARGET_TABLES,
    THEMES,
    WEEKDAYS,
    BadValue,
    DateOrder,
    Problem,
    agent_value,
    read_keys,
    read_targets,
    unknown,
)
from workbench.small_files import MIB, NotARegularFile, TooLarge, read_small_file

if TYPE_CHECKING:
    from workbench.toml_lines import NotToml, TomlText

__all__ = [
    "AGENT_ENV",
    "DATE_ORDER_ENV",
    "DEFAULT_THEME",
    "THEMES",
    "OverrideError",
    "Settings",
    "SettingsError",
    "load_settings",
]

DEFAULT_THEME = "textual-dark"

AGENT_ENV = "WORKBENCH_AGENT"
"""Overrides ``agent`` (who I am), whatever the settings file says."""

DATE_ORDER_ENV = "WORKBENCH_DATE_ORDER"
"""Overrides ``date_order`` (``dmy`` or ``mdy``), whatever the settings file says."""

MAX_FILE_BYTES = MIB
"""A settings file is a few hundred bytes; anything past this is not one."""

_TOP_LEVEL = (
    "agent",
    "dont_wait_hours",
    "default_hour",
    "date_order",
    "week_start",
    "theme",
    "bell",
    "first_contact",
    "resolution",
    "escalate_to",
    "keys",
)


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

    agent: str = ""
    """Who I am, for a team: the name each change is signed with and cases are assigned
    to (``WORKBENCH_AGENT`` wins over the file); empty means the login name
    (:attr:`me`)."""
    dont_wait_hours: float | None = None
    """The single "don't wait" limit of earlier versions, in hours: when set, the first
    contact target for every heat (a ``[first_contact]`` line for a heat wins over it)."""
    default_hour: time = time(9, 0)
    """The time a date typed without one gets ("tomorrow" → tomorrow at this time)."""
    date_order: DateOrder = "dmy"
    """How "1/12" reads: ``dmy`` 1 December, ``mdy`` 12 January (``WORKBENCH_DATE_ORDER``
    wins over the file)."""
    week_start: str = "monday"
    """The weekday in the calendar's first column."""
    theme: str = DEFAULT_THEME
    """A Textual theme name."""
    bell: bool = True
    """Ring the terminal's bell when a follow-up falls due while the workbench is open."""
    first_contact: Mapping[Heat, timedelta] = field(default_factory=lambda: MappingProxyType({}))
    """``[first_contact]``: how soon a case of each heat must be spoken to (heats not
    named keep the defaults: furious 1h, upset 4h, calm 1d)."""
    resolution: Mapping[Heat, timedelta] = field(default_factory=lambda: MappingProxyType({}))
    """``[resolution]``: how soon a case of each heat must be resolved, waiting on the
    customer left out (defaults: furious 2d, upset 5d, calm 10d)."""
    escalate_to: str = ""
    """The agent an escalated case is given to; empty: it stays with its owner."""
    keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Key overrides: binding id → ``"key"`` or ``"key,key"`` (Textual's keymap)."""
    path: Path | None = None
    """The file these came from; None for the built-in defaults."""

    @property
    def me(self) -> str:
        """The agent's name in force: the setting, else the login name, else "me"."""
        return self.agent or login_name()

    @cached_property
    def targets(self) -> Targets:
        """The response targets in force, by heat."""
        every = None if self.dont_wait_hours is None else timedelta(hours=self.dont_wait_hours)
        return Targets.of(self.first_contact, self.resolution, every)

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
    agent = environ.get(AGENT_ENV, "")
    if agent.strip():
        try:
            settings = replace(settings, agent=agent_value(agent))
        except BadValue as error:
            raise OverrideError(f"{AGENT_ENV} {error}") from None
    order = environ.get(DATE_ORDER_ENV, "").strip().lower()
    if not order:
        return settings
    if order not in ("dmy", "mdy"):
        raise OverrideError(f"{DATE_ORDER_ENV} must be dmy or mdy, not “{order}”")
    return replace(settings, date_order="dmy" if order == "dmy" else "mdy")


def login_name() -> str:
    """The user's login name, as the system says; "me" where it can't say."""
    try:
        return agent_name(getpass.getuser()[:MAX_AGENT])
    except (OSError, KeyError, ImportError, ValidationError):
        return "me"


def _from_file(path: Path) -> Settings:
    """The settings in the file at ``path``: only a regular file (never a named pipe, a
    device or a folder, and never waiting on one), of at most :data:`MAX_FILE_BYTES`."""
    try:
        raw = read_small_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        return Settings(path=path)
    except (IsADirectoryError, NotARegularFile) as error:
        if isinstance(error, IsADirectoryError) or stat.S_ISDIR(error.mode):
            message = "it is a folder, not a file."
        else:
            message = f"it is {error.kind}, not a settings file."
        raise SettingsError(path, [Problem(None, None, message)]) from None
    except TooLarge:
        raise SettingsError(
            path,
            [
                Problem(
                    None,
                    None,
                    f"it is larger than {MAX_FILE_BYTES // MIB} MiB: too big for a settings file.",
                )
            ],
        ) from None
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
    from workbench.toml_lines import NotToml, read_toml  # only a settings file needs it

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
        'text in quotes, e.g. theme = "nord" or bell = false.',
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
            problem(key, unknown(f"“{key}” is not a setting", key, _TOP_LEVEL, "Settings are"))
            continue
        if key == "keys":
            values["keys"] = read_keys(value, problems, lines.find)
            continue
        if key in TARGET_TABLES:
            values[key] = read_targets(key, value, problems, lines.find)
            continue
        reader = READERS[key]
        try:
            values[key] = reader(value)
        except BadValue as bad:
            problem(key, f"{key} {bad}")
    if problems:
        raise SettingsError(path, problems)
    return Settings(path=path, **values)


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
