"""Playbook files: the built-ins shipped with the workbench and the user's own folder.

What a playbook file may say is checked by :mod:`workbench.domain.playbook_rules`; this
module finds the files, reads them (safely: only regular files, and only so much of
them), reads their TOML with :mod:`workbench.toml_lines` so a mistake can be shown with
its line, and gathers the :class:`PlaybookLibrary`.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from workbench.domain.playbook_rules import read_playbook, read_wording
from workbench.domain.playbooks import (
    BUILTIN_KEYS,
    LineOf,
    Playbook,
    PlaybookError,
    PlaybookLibrary,
    WordingFor,
)
from workbench.small_files import MIB, NotARegularFile, TooLarge, read_small_file
from workbench.toml_lines import NotToml, read_toml

MAX_FILE_BYTES = MIB
"""A playbook is a few kilobytes; anything past this is not one."""


def parse_playbook(text: str, path: Path, *, builtin: bool = False) -> Playbook:
    """Read one playbook from TOML ``text``; ``path`` names it in errors and gives the
    default key. Raises :class:`PlaybookError` saying what is wrong and where."""
    return _parse(text, path, builtin=builtin)[0]


def _parse(text: str, path: Path, *, builtin: bool = False) -> tuple[Playbook, LineOf]:
    """The playbook in ``text``, and where each of its keys is written."""
    found = _parse_any(text, path, builtin=builtin)
    if isinstance(found, WordingFor):
        raise PlaybookError(path, found.line_of("wording_for"), "a wording file, not a playbook")
    return found


def _parse_any(
    text: str, path: Path, *, builtin: bool = False
) -> tuple[Playbook, LineOf] | WordingFor:
    """The playbook in ``text`` with where each of its keys is written, or, for a file
    with ``wording_for``, the wording it adds to another playbook."""
    try:
        toml = read_toml(text)
    except NotToml as error:
        line = max(1, len(text.splitlines())) if error.at_end else error.line
        raise PlaybookError(path, line, f"this is not valid TOML: {error}") from None
    if not builtin and "wording_for" in toml.data:
        return read_wording(toml.data, path, toml.line)
    return read_playbook(toml.data, path, toml.line, builtin=builtin), toml.line


# --- The built-ins --------------------------------------------------------------------


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


# --- The user's folder ----------------------------------------------------------------


def load_library(user_dir: Path | None) -> PlaybookLibrary:
    """The built-ins plus every ``*.toml`` playbook in ``user_dir`` (which may not exist).

    Never raises for a bad user file: it is left out and reported in ``problems``."""
    found = _user_playbooks(user_dir) if user_dir is not None else iter(())
    return PlaybookLibrary.gather(load_builtin(), found)


def _user_playbooks(
    user_dir: Path,
) -> Iterator[tuple[Playbook, LineOf] | WordingFor | PlaybookError]:
    """Each file's playbook with where its keys are, its wording for another playbook, or
    why the file can't be used."""
    try:
        files = _user_files(user_dir)
    except PlaybookError as problem:
        yield problem
        return
    for path in files:
        try:
            yield _parse_any(_read_user_file(path), path)
        except PlaybookError as problem:
            yield problem


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


def _read_user_file(path: Path) -> str:
    """The file's text; PlaybookError if it can't be read as a UTF-8 playbook.

    Only a regular file is read (a named pipe would never end, a device may not), and at
    most :data:`MAX_FILE_BYTES` of it. A symbolic link is followed: the folder is the
    user's own, and keeping playbooks elsewhere and linking them in is theirs to do.
    """
    try:
        data = read_small_file(path, MAX_FILE_BYTES)
    except NotARegularFile as error:
        raise PlaybookError(path, None, f"it is {error.kind}, not a playbook file") from None
    except TooLarge:
        raise PlaybookError(
            path,
            None,
            f"the file is larger than {MAX_FILE_BYTES // MIB} MiB: too big for a playbook",
        ) from None
    except OSError as error:
        raise _unreadable(path, error) from error
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlaybookError(
            path, line, "the file is not UTF-8 text; save it as UTF-8 in your editor"
        ) from error


def _unreadable(path: Path, error: OSError) -> PlaybookError:
    reason = error.strerror or str(error)
    return PlaybookError(path, None, f"the file could not be read ({reason})")
