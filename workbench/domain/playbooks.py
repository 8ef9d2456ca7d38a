"""Playbooks: named lists of steps that tell an agent what to do with a case, and how.

Five playbooks ship with Workbench, one per situation (``blame``, ``wrong``,
``saying-no``, ``our-mistake``, ``unhappy``); they live as TOML files in
``workbench/domain/playbook_data``. Users add their own by dropping ``*.toml`` files
in the same format into their playbook folder; those appear beside the built-ins.

File format
-----------
One playbook per file, UTF-8 TOML::

    key = "refund-refused"                     # optional: defaults to the file name
    name = "Refund refused"                    # required, one line
    situation = "They want a refund we can't give."   # optional, one line: when it applies
    faults = ["theirs"]                        # optional: ours, theirs, shared, unclear
    heats = ["upset", "furious"]               # optional: calm, upset, furious

    [[steps]]
    key = "listen"                             # optional: made from the title
    title = "Hear them out"                    # required, one line
    guidance = "Let them finish before you answer."   # required
    contact = true                             # optional: ticking it records first contact

    [[steps]]
    title = "Check back next week"
    guidance = "Call to make sure the answer still sits well with them."
    follow_up = true                           # optional: ticking it offers a follow-up

Rules:

- ``key`` (playbook and step) is lowercase letters, digits and hyphens
  (``refund-refused``). A missing playbook key is made from the file name, a
  missing step key from the step's title (``"Call them today — don't e-mail"``
  → ``call-them-today-dont-e-mail``). Step keys must differ within a playbook,
  and a playbook key must not clash with a built-in or with another file.
- ``faults`` and ``heats`` say when the playbook applies. Leave one out and it
  applies whatever that value is; a single value may be written without brackets.
- Unknown fields are reported rather than ignored, so a typo such as
  ``guidence`` is caught instead of silently losing the text.
- Text is kept exactly as written (trimmed of surrounding blanks); it is never
  formatted or evaluated.

A file that breaks a rule is skipped by :func:`load_library`, which reports it as
a :class:`PlaybookError` naming the file and, where it can, the line.

Which playbook fits a case
--------------------------
:func:`suggest_playbook` ranks playbooks for a case's heat and fault by, in order:
fault listed (counts more than heat), heat listed, then the narrower playbook (fewer
faults and heats listed, so a user playbook written for exactly this situation wins
over a broader built-in), then a fixed order: built-ins as listed above, then user
playbooks by name.
"""

from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from workbench.domain.errors import DomainError
from workbench.domain.model import Fault, Heat, Step

BUILTIN_KEYS: tuple[str, ...] = ("blame", "wrong", "saying-no", "our-mistake", "unhappy")
"""The built-in playbooks, in the order they are listed and break ties."""

MAX_FILE_BYTES = 1024 * 1024
"""A playbook is a few kilobytes; anything past this is not one."""

_KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAYBOOK_FIELDS = ("key", "name", "situation", "faults", "heats", "steps")
_STEP_FIELDS = ("key", "title", "guidance", "contact", "follow_up")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_E = TypeVar("_E", Fault, Heat)


@dataclass(frozen=True)
class PlaybookStep:
    """One step of a playbook, as written in its file."""

    key: str
    """Stable identifier within the playbook (``listen``, ``call-now``)."""
    title: str
    """Short imperative line shown in the checklist."""
    guidance: str
    """What to do and how, in a sentence or three."""
    contact: bool = False
    """Ticking this step means we have spoken with the customer (sets first contact)."""
    follow_up: bool = False
    """Ticking this step is the moment to schedule a follow-up."""


@dataclass(frozen=True)
class Playbook:
    """A named list of steps, and the situations it applies to."""

    key: str
    """Stable identifier, stored on every case worked with this playbook."""
    name: str
    situation: str
    """One line: when this playbook applies."""
    faults: frozenset[Fault]
    """Assessed faults this playbook is written for."""
    heats: frozenset[Heat]
    """How upset the customer is when this playbook fits."""
    steps: tuple[PlaybookStep, ...]
    builtin: bool = True
    path: Path | None = None
    """The user file it came from; None for built-ins."""

    def new_steps(self) -> list[Step]:
        """Fresh, unticked case steps for a new case worked with this playbook."""
        return [
            Step(
                key=step.key,
                title=step.title,
                guidance=step.guidance,
                contact=step.contact,
                follow_up=step.follow_up,
            )
            for step in self.steps
        ]


class PlaybookError(ValueError):
    """A playbook file that can't be used, and why, in words a user can act on."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path.name}: {self.message}"
        return f"{self.path.name}, line {self.line}: {self.message}"


class UnknownPlaybookError(DomainError, KeyError):
    """Raised by :meth:`PlaybookLibrary.get`; reads as a sentence, not a quoted key."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --- Finding lines --------------------------------------------------------------------
#
# tomllib gives back plain dicts, without positions. To point at the right line we scan
# the (already valid) TOML text ourselves: table headers and the keys that start a line,
# skipping strings, comments and the inside of arrays and inline tables.

_HEADER = re.compile(r"\[(\[)?([^\]\n]*)\](\])?")
_LINE_KEY = re.compile(r"""([A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')""")


@dataclass(frozen=True)
class _Mark:
    line: int
    kind: str
    """``key``, ``table`` (``[x]``) or ``array`` (``[[x]]``)."""
    name: str


def _header_name(raw: str) -> str:
    parts = [part.strip().strip("\"'") for part in raw.split(".")]
    return ".".join(parts)


def _end_of_string(text: str, start: int, quote: str) -> int:
    """Index just past the string opening at ``start`` (its quote characters included)."""
    size = len(text)
    if text.startswith(quote * 3, start):
        delimiter = quote * 3
        index = start + 3
        while index < size:
            if quote == '"' and text[index] == "\\":
                index += 2
                continue
            if text.startswith(delimiter, index):
                index += 3
                # Up to two more quotes may sit right before the closing delimiter.
                extra = 0
                while extra < 2 and index < size and text[index] == quote:
                    index += 1
                    extra += 1
                return index
            index += 1
        return size
    index = start + 1
    while index < size and text[index] != "\n":
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    return index


def _scan_marks(text: str) -> list[_Mark]:
    """Table headers and line-starting keys of a valid TOML document, with their lines."""
    marks: list[_Mark] = []
    index = 0
    size = len(text)
    line = 1
    depth = 0
    at_line_start = True
    while index < size:
        char = text[index]
        if char == "\n":
            line += 1
            at_line_start = True
            index += 1
            continue
        if char in " \t\r":
            index += 1
            continue
        if char == "#":
            newline = text.find("\n", index)
            index = size if newline < 0 else newline
            continue
        if at_line_start and depth == 0:
            at_line_start = False
            if char == "[":
                header = _HEADER.match(text, index)
                if header is not None:
                    kind = "array" if header.group(1) else "table"
                    marks.append(_Mark(line, kind, _header_name(header.group(2))))
                    index = header.end()
                    continue
            else:
                key = _LINE_KEY.match(text, index)
                if key is not None:
                    marks.append(_Mark(line, "key", key.group(1).strip("\"'")))
                    index = key.end()
                    continue
        at_line_start = False
        if char in "\"'":
            end = _end_of_string(text, index, char)
            line += text.count("\n", index, end)
            index = end
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return marks


@dataclass
class _Lines:
    """Where things are in one playbook file, for error messages."""

    top: dict[str, int]
    """Top-level field → line of its first assignment."""
    step_headers: list[int]
    """Line of each ``[[steps]]`` header, in order."""
    step_fields: list[dict[str, int]]
    """For each step, field → line."""

    @classmethod
    def of(cls, text: str) -> _Lines:
        top: dict[str, int] = {}
        headers: list[int] = []
        fields: list[dict[str, int]] = []
        current: dict[str, int] | None = top
        for mark in _scan_marks(text):
            if mark.kind == "key":
                if current is not None:
                    current.setdefault(mark.name, mark.line)
            elif mark.kind == "array" and mark.name == "steps":
                headers.append(mark.line)
                current = {}
                fields.append(current)
            else:
                # Any other table: remember where it starts, in case it is the mistake.
                top.setdefault(mark.name.split(".")[0], mark.line)
                current = None
        return cls(top, headers, fields)

    def field(self, name: str) -> int | None:
        return self.top.get(name)

    def step(self, index: int, name: str | None = None) -> int | None:
        """Line of step ``index`` (0-based): of its field ``name`` if found, else its header."""
        if index >= len(self.step_headers):
            return None
        if name is not None and name in self.step_fields[index]:
            return self.step_fields[index][name]
        return self.step_headers[index]


# --- Parsing --------------------------------------------------------------------------


def slugify(text: str) -> str:
    """A key made from free text.

    ``"Call them today — don't e-mail"`` → ``"call-them-today-dont-e-mail"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def _one_line_text(raw: object, what: str, fail: _Fail, line: int | None, *, required: bool) -> str:
    if raw is None:
        if required:
            fail(line, f"{what} is missing")
        return ""
    if not isinstance(raw, str):
        fail(line, f"{what} should be text in quotes")
    value = raw.strip()
    if required and not value:
        fail(line, f"{what} is empty")
    if "\n" in value or "\r" in value:
        fail(line, f"{what} should fit on one line")
    return value


def _enum_values(
    raw: object, enum: type[_E], plural: str, fail: _Fail, line: int | None
) -> frozenset[_E]:
    allowed = _choices(member.value for member in enum)
    if raw is None:
        return frozenset(enum)
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        fail(line, f"{plural} should be a list such as {plural} = [...] of: {allowed}")
    if not items:
        fail(line, f"{plural} is empty; list one or more of: {allowed} (or leave it out)")
    values: set[_E] = set()
    for item in items:
        if not isinstance(item, str):
            fail(line, f"{plural} should hold text values; use one or more of: {allowed}")
        try:
            values.add(enum(item.strip().lower()))
        except ValueError:
            singular = plural.removesuffix("s")
            fail(line, f"unknown {singular} {item!r}; use one or more of: {allowed}")
    return frozenset(values)


class _Fail:
    """Raises a PlaybookError for one file; keeps the call sites short."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, line: int | None, message: str) -> NoReturn:
        raise PlaybookError(self.path, line, message)


def _check_fields(
    table: dict[str, Any],
    known: tuple[str, ...],
    what: str,
    line_of: Callable[[str], int | None],
    fail: _Fail,
) -> None:
    for name in table:
        if name not in known:
            fail(
                line_of(name),
                f"{what} has an unknown field {name!r}; the fields are {_choices(known)}",
            )


def _parse_step(raw: object, number: int, lines: _Lines, fail: _Fail) -> tuple[PlaybookStep, bool]:
    """One step; the flag says whether its key was made from the title."""
    index = number - 1
    header = lines.step(index)
    what = f"step {number}"
    if not isinstance(raw, dict):
        fail(header, f"{what} should be a [[steps]] section with a title and guidance")
    _check_fields(raw, _STEP_FIELDS, what, lambda name: lines.step(index, name), fail)

    title_raw = raw.get("title")
    if title_raw is not None and not isinstance(title_raw, str):
        fail(lines.step(index, "title"), f"{what}'s title should be text in quotes")
    if title_raw is None or not title_raw.strip():
        fail(header, f"{what} has no title")
    title = title_raw.strip()
    if "\n" in title or "\r" in title:
        fail(lines.step(index, "title"), f"{what}'s title should fit on one line")

    guidance_raw = raw.get("guidance", "")
    if not isinstance(guidance_raw, str):
        fail(lines.step(index, "guidance"), f"{what}'s guidance should be text in quotes")
    guidance = guidance_raw.strip()
    if not guidance:
        fail(header, f"{what} ({title!r}) has no guidance")

    flags: dict[str, bool] = {}
    for flag in ("contact", "follow_up"):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            fail(lines.step(index, flag), f"{what}'s {flag} should be true or false")
        flags[flag] = value

    derived = "key" not in raw
    if derived:
        key = slugify(title) or f"step-{number}"
    else:
        key = _checked_key(raw["key"], f"{what}'s key", fail, lines.step(index, "key"))
    step = PlaybookStep(
        key=key,
        title=title,
        guidance=guidance,
        contact=flags["contact"],
        follow_up=flags["follow_up"],
    )
    return step, derived


def _checked_key(raw: object, what: str, fail: _Fail, line: int | None) -> str:
    if not isinstance(raw, str):
        fail(line, f'{what} should be text in quotes, like "refund-refused"')
    key = raw.strip()
    if not _KEY_PATTERN.fullmatch(key):
        suggestion = slugify(key) or "refund-refused"
        fail(
            line,
            f"{what} {key!r} should be lowercase letters, digits and hyphens, like {suggestion!r}",
        )
    return key


def parse_playbook(text: str, path: Path, *, builtin: bool = False) -> Playbook:
    """Read one playbook from TOML ``text``; ``path`` names it in errors and gives the
    default key. Raises :class:`PlaybookError` saying what is wrong and where."""
    fail = _Fail(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        detail = str(error)
        position = _TOML_POSITION.search(detail)
        if position is not None:
            reason = detail[: position.start()]
            fail(
                int(position.group(1)),
                f"this is not valid TOML: {reason} (column {position.group(2)})",
            )
        at_end = _TOML_AT_END.search(detail)
        if at_end is not None:
            reason = detail[: at_end.start()]
            fail(
                max(1, len(text.splitlines())),
                f"this is not valid TOML: {reason} (at the end of the file)",
            )
        fail(None, f"this is not valid TOML: {detail}")
    except RecursionError:
        fail(None, "this is not valid TOML: arrays or tables are nested too deeply")

    lines = _Lines.of(text)
    _check_fields(data, _PLAYBOOK_FIELDS, "the playbook", lines.field, fail)

    if "key" in data:
        key = _checked_key(data["key"], "the key", fail, lines.field("key"))
    else:
        key = slugify(path.stem)
        if not key:
            fail(None, 'there is no key and the file name gives none; add key = "my-playbook"')

    if "name" not in data:
        fail(None, 'the playbook has no name; add a line such as name = "Refund refused"')
    name = _one_line_text(data["name"], "the name", fail, lines.field("name"), required=True)
    situation = _one_line_text(
        data.get("situation"), "the situation", fail, lines.field("situation"), required=False
    )
    faults = _enum_values(data.get("faults"), Fault, "faults", fail, lines.field("faults"))
    heats = _enum_values(data.get("heats"), Heat, "heats", fail, lines.field("heats"))

    raw_steps = data.get("steps")
    if raw_steps is None or raw_steps == []:
        fail(
            lines.field("steps"),
            "the playbook has no steps; add at least one [[steps]] section "
            "with a title and guidance",
        )
    if not isinstance(raw_steps, list):
        fail(lines.field("steps"), "steps should be a list of [[steps]] sections")

    if len(lines.step_headers) != len(raw_steps):
        # Steps written inline (steps = [{...}]) have no headers to point at.
        lines.step_headers = []
        lines.step_fields = []
    steps: list[PlaybookStep] = []
    seen: dict[str, tuple[int, bool]] = {}
    for number, raw_step in enumerate(raw_steps, start=1):
        step, derived = _parse_step(raw_step, number, lines, fail)
        if step.key in seen:
            first, first_derived = seen[step.key]
            how = " (made from their titles)" if derived and first_derived else ""
            fail(
                lines.step(number - 1, "key"),
                f"steps {first} and {number} have the same key {step.key!r}{how}; "
                f"give step {number} its own key",
            )
        seen[step.key] = (number, derived)
        steps.append(step)

    return Playbook(
        key=key,
        name=name,
        situation=situation,
        faults=faults,
        heats=heats,
        steps=tuple(steps),
        builtin=builtin,
        path=None if builtin else path,
    )


# --- Built-ins, user files and choosing one -------------------------------------------


@cache
def _builtin_playbooks() -> tuple[Playbook, ...]:
    folder = resources.files("workbench.domain").joinpath("playbook_data")
    playbooks = []
    for key in BUILTIN_KEYS:
        name = f"{key}.toml"
        playbook = parse_playbook(
            folder.joinpath(name).read_text(encoding="utf-8"), Path(name), builtin=True
        )
        if playbook.key != key:
            raise PlaybookError(Path(name), None, f"built-in file holds key {playbook.key!r}")
        playbooks.append(playbook)
    return tuple(playbooks)


@cache
def builtin_guidance() -> dict[tuple[str, str], str]:
    """The guidance of every built-in step, by (playbook key, step key).

    Cases store a built-in step's guidance by reference: ten thousand copies of the same
    sentences were two thirds of a database file.
    """
    return {(p.key, step.key): step.guidance for p in _builtin_playbooks() for step in p.steps}


def load_builtin() -> list[Playbook]:
    """The five playbooks that ship with Workbench, in their fixed order."""
    return list(_builtin_playbooks())


def _order(playbook: Playbook) -> tuple[int, int, str, str]:
    if playbook.builtin and playbook.key in BUILTIN_KEYS:
        return (0, BUILTIN_KEYS.index(playbook.key), "", playbook.key)
    return (0 if playbook.builtin else 1, len(BUILTIN_KEYS), playbook.name.casefold(), playbook.key)


def suggest_playbook(heat: Heat, fault: Fault, playbooks: Iterable[Playbook]) -> Playbook:
    """The playbook that fits a case best (see the module docstring for the ranking).

    Always returns one of ``playbooks``, whatever their order; raises ValueError only
    when there are none."""

    def rank(playbook: Playbook) -> tuple[bool, bool, int, tuple[int, int, str, str]]:
        return (
            fault not in playbook.faults,
            heat not in playbook.heats,
            len(playbook.faults) + len(playbook.heats),
            _order(playbook),
        )

    candidates = list(playbooks)
    if not candidates:
        raise ValueError("there are no playbooks to suggest from")
    return min(candidates, key=rank)


@dataclass
class PlaybookLibrary:
    """Every playbook a workbench can use, and the user files that had to be skipped."""

    playbooks: list[Playbook]
    """Built-ins first, in their fixed order, then user playbooks sorted by name."""
    problems: list[PlaybookError] = field(default_factory=list)
    """User files that were skipped, each saying why."""

    def get(self, key: str) -> Playbook:
        for playbook in self.playbooks:
            if playbook.key == key:
                return playbook
        known = _choices(playbook.key for playbook in self.playbooks)
        raise UnknownPlaybookError(f"there is no playbook {key!r}; known playbooks: {known}")

    def suggest(self, heat: Heat, fault: Fault) -> Playbook:
        return suggest_playbook(heat, fault, self.playbooks)

    def __contains__(self, key: object) -> bool:
        return any(playbook.key == key for playbook in self.playbooks)

    def __iter__(self) -> Iterator[Playbook]:
        return iter(self.playbooks)

    def __len__(self) -> int:
        return len(self.playbooks)


def _read_user_file(path: Path) -> str:
    """The file's text; PlaybookError if it can't be read as a UTF-8 playbook."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlaybookError(path, None, f"the file could not be read ({reason})") from error
    if len(data) > MAX_FILE_BYTES:
        raise PlaybookError(
            path,
            None,
            f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB: too big for a playbook",
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlaybookError(
            path, line, "the file is not UTF-8 text; save it as UTF-8 in your editor"
        ) from error


def _user_files(user_dir: Path) -> list[Path]:
    """``*.toml`` files in ``user_dir``, by name; hidden files and folders are left out."""
    try:
        entries = list(user_dir.iterdir())
    except FileNotFoundError:
        return []
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlaybookError(
            user_dir, None, f"the playbook folder could not be read ({reason})"
        ) from error
    files = [
        entry
        for entry in entries
        if entry.name.lower().endswith(".toml")
        and not entry.name.startswith(".")
        and not entry.is_dir()
    ]
    return sorted(files, key=lambda entry: entry.name)


def load_library(user_dir: Path | None) -> PlaybookLibrary:
    """The built-ins plus every ``*.toml`` playbook in ``user_dir`` (which may not exist).

    Never raises for a bad user file: it is left out and reported in ``problems``."""
    builtins = load_builtin()
    problems: list[PlaybookError] = []
    users: list[Playbook] = []
    if user_dir is not None:
        try:
            files = _user_files(user_dir)
        except PlaybookError as problem:
            problems.append(problem)
            files = []
        owners: dict[str, str] = {p.key: f"the built-in playbook {p.name!r}" for p in builtins}
        for path in files:
            try:
                text = _read_user_file(path)
                playbook = parse_playbook(text, path)
                if playbook.key in owners:
                    raise PlaybookError(
                        path,
                        _Lines.of(text).field("key"),
                        f"the key {playbook.key!r} is already used by "
                        f"{owners[playbook.key]}; give this playbook its own key",
                    )
            except PlaybookError as problem:
                problems.append(problem)
                continue
            owners[playbook.key] = path.name
            users.append(playbook)
    users.sort(key=_order)
    return PlaybookLibrary(playbooks=[*builtins, *users], problems=problems)
