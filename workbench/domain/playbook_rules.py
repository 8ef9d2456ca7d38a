"""The rules of a playbook file, checked on its data: what makes a :class:`Playbook`.

The rules themselves are told in :mod:`workbench.domain.playbooks`. The data is what a
TOML reader gives (plain dicts, lists, text and booleans); whoever read the file says
where each key was written, so a broken rule is reported as "file.toml, line 12: …".
No file is read here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from workbench.domain.model import Fault, Heat
from workbench.domain.playbooks import (
    LineOf,
    Playbook,
    PlaybookError,
    PlaybookStep,
    WordingFor,
    no_lines,
)
from workbench.domain.wording import MAX_LINE, MAX_LINES, PhraseError, check_phrase

_KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PLAYBOOK_FIELDS = ("key", "name", "situation", "faults", "heats", "alternatives", "steps")
_STEP_FIELDS = ("key", "title", "guidance", "contact", "follow_up", "say")
_WORDING_FIELDS = ("wording_for", "alternatives", "steps")
_WORDING_STEP_FIELDS = ("key", "say")
MAX_ALTERNATIVES = 12
"""A choice of more than a dozen alternatives is a list nobody reads through."""
_E = TypeVar("_E", Fault, Heat)


def slugify(text: str) -> str:
    """A key made from free text.

    ``"Call them today — don't e-mail"`` → ``"call-them-today-dont-e-mail"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _choices(values: Iterable[str]) -> str:
    return ", ".join(values)


class _Fail:
    """Raises a PlaybookError for one file; keeps the call sites short."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, line: int | None, message: str) -> NoReturn:
        raise PlaybookError(self.path, line, message)


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


def _lines(
    raw: object, what: str, fail: _Fail, line: int | None, *, most: int, phrases: bool
) -> tuple[str, ...]:
    """A text or a list of texts, each one line: a step's wording or the alternatives."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        fail(line, f'{what} should be text in quotes, or a list of them: ["…", "…"]')
    lines = tuple(item.strip() for item in items)
    if not lines or not all(lines):
        fail(line, f"{what} has an empty line; leave it out instead")
    if len(lines) > most:
        fail(line, f"{what} has {len(lines)} lines; it may have at most {most}")
    for text in lines:
        if "\n" in text or "\r" in text:
            fail(line, f"{what} should be one line per text; make each line its own text")
        if len(text) > MAX_LINE:
            fail(line, f"{what} has a line of {len(text)} characters; at most {MAX_LINE}")
        if phrases:
            try:
                check_phrase(text)
            except PhraseError as error:
                fail(line, f"{what}: {error}")
    return lines


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


def _check_fields(
    table: Mapping[str, Any],
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


def _parse_step(
    raw: object, number: int, line_of: LineOf, fail: _Fail
) -> tuple[PlaybookStep, bool]:
    """One step; the flag says whether its key was made from the title."""
    index = number - 1
    header = line_of("steps", index)
    what = f"step {number}"

    def line(name: str) -> int | None:
        """The line of one of the step's fields, else of the step's header."""
        found = line_of("steps", index, name)
        return header if found is None else found

    if not isinstance(raw, dict):
        fail(header, f"{what} should be a [[steps]] section with a title and guidance")
    _check_fields(raw, _STEP_FIELDS, what, line, fail)

    title_raw = raw.get("title")
    if title_raw is not None and not isinstance(title_raw, str):
        fail(line("title"), f"{what}'s title should be text in quotes")
    if title_raw is None or not title_raw.strip():
        fail(header, f"{what} has no title")
    title = title_raw.strip()
    if "\n" in title or "\r" in title:
        fail(line("title"), f"{what}'s title should fit on one line")

    guidance_raw = raw.get("guidance", "")
    if not isinstance(guidance_raw, str):
        fail(line("guidance"), f"{what}'s guidance should be text in quotes")
    guidance = guidance_raw.strip()
    if not guidance:
        fail(header, f"{what} ({title!r}) has no guidance")

    flags: dict[str, bool] = {}
    for flag in ("contact", "follow_up"):
        value = raw.get(flag, False)
        if not isinstance(value, bool):
            fail(line(flag), f"{what}'s {flag} should be true or false")
        flags[flag] = value

    say = (
        _lines(raw["say"], f"{what}'s say", fail, line("say"), most=MAX_LINES, phrases=True)
        if "say" in raw
        else ()
    )

    derived = "key" not in raw
    if derived:
        key = slugify(title) or f"step-{number}"
    else:
        key = _checked_key(raw["key"], f"{what}'s key", fail, line("key"))
    step = PlaybookStep(
        key=key,
        title=title,
        guidance=guidance,
        contact=flags["contact"],
        follow_up=flags["follow_up"],
        say=say,
    )
    return step, derived


def read_playbook(
    data: Mapping[str, Any],
    path: Path,
    line_of: LineOf = no_lines,
    *,
    builtin: bool = False,
) -> Playbook:
    """The playbook in ``data`` (a playbook file's contents, as a TOML reader gives them).

    ``path`` names the file in errors and gives the default key; ``line_of`` says where a
    key is written. Raises :class:`PlaybookError` saying what is wrong and where."""
    fail = _Fail(path)
    _check_fields(data, _PLAYBOOK_FIELDS, "the playbook", line_of, fail)

    if "key" in data:
        key = _checked_key(data["key"], "the key", fail, line_of("key"))
    else:
        key = slugify(path.stem)
        if not key:
            fail(None, 'there is no key and the file name gives none; add key = "my-playbook"')

    if "name" not in data:
        fail(None, 'the playbook has no name; add a line such as name = "Refund refused"')
    name = _one_line_text(data["name"], "the name", fail, line_of("name"), required=True)
    situation = _one_line_text(
        data.get("situation"), "the situation", fail, line_of("situation"), required=False
    )
    faults = _enum_values(data.get("faults"), Fault, "faults", fail, line_of("faults"))
    heats = _enum_values(data.get("heats"), Heat, "heats", fail, line_of("heats"))
    alternatives = _alternatives(data, fail, line_of)

    raw_steps = data.get("steps")
    if raw_steps is None or raw_steps == []:
        fail(
            line_of("steps"),
            "the playbook has no steps; add at least one [[steps]] section "
            "with a title and guidance",
        )
    if not isinstance(raw_steps, list):
        fail(line_of("steps"), "steps should be a list of [[steps]] sections")

    steps: list[PlaybookStep] = []
    seen: dict[str, tuple[int, bool]] = {}
    for number, raw_step in enumerate(raw_steps, start=1):
        step, derived = _parse_step(raw_step, number, line_of, fail)
        if step.key in seen:
            first, first_derived = seen[step.key]
            how = " (made from their titles)" if derived and first_derived else ""
            key_line = line_of("steps", number - 1, "key")
            fail(
                line_of("steps", number - 1) if key_line is None else key_line,
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
        alternatives=alternatives,
    )


def _alternatives(data: Mapping[str, Any], fail: _Fail, line_of: LineOf) -> tuple[str, ...]:
    if "alternatives" not in data:
        return ()
    return _lines(
        data["alternatives"],
        "alternatives",
        fail,
        line_of("alternatives"),
        most=MAX_ALTERNATIVES,
        phrases=False,
    )


def read_wording(data: Mapping[str, Any], path: Path, line_of: LineOf = no_lines) -> WordingFor:
    """The wording in a ``wording_for`` file (see :mod:`workbench.domain.playbooks`).

    Whether the playbook and its steps exist is told when the library is gathered."""
    fail = _Fail(path)
    _check_fields(data, _WORDING_FIELDS, "a wording file", line_of, fail)
    target = _checked_key(data["wording_for"], "wording_for", fail, line_of("wording_for"))
    alternatives = _alternatives(data, fail, line_of) if "alternatives" in data else None
    raw_steps = data.get("steps", [])
    if not isinstance(raw_steps, list):
        fail(line_of("steps"), "steps should be a list of [[steps]] sections")
    if not raw_steps and alternatives is None:
        fail(None, "the file has no [[steps]] with say, and no alternatives: nothing to add")
    steps: list[tuple[str, tuple[str, ...]]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_steps, start=1):
        index = number - 1
        header = line_of("steps", index)
        what = f"step {number}"

        def line(name: str, index: int = index, header: int | None = header) -> int | None:
            found = line_of("steps", index, name)
            return header if found is None else found

        if not isinstance(raw, dict):
            fail(header, f"{what} should be a [[steps]] section with a key and say")
        _check_fields(raw, _WORDING_STEP_FIELDS, what, line, fail)
        if "key" not in raw:
            fail(header, f"{what} has no key: name the step of {target!r} it is for")
        key = _checked_key(raw["key"], f"{what}'s key", fail, line("key"))
        if key in seen:
            fail(line("key"), f"steps {seen[key]} and {number} are both for {key!r}")
        seen[key] = number
        if "say" not in raw:
            fail(header, f"{what} ({key!r}) has no say")
        say = _lines(raw["say"], f"{what}'s say", fail, line("say"), most=MAX_LINES, phrases=True)
        steps.append((key, say))
    return WordingFor(
        playbook=target,
        steps=tuple(steps),
        alternatives=alternatives,
        path=path,
        line_of=line_of,
    )
