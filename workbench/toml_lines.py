"""TOML text read into plain data, with the line each key is written on.

The settings file and the user's playbooks are TOML a person wrote, and a mistake in
them is reported as "file.toml, line 12: …". ``tomllib`` gives back plain dicts without
positions, so once it has accepted the text, the text is scanned a second time for its
keys: table headers (``[keys]``, ``[[steps]]``), the keys that start a line (dotted ones
too: ``keys.new-case = …``) and the keys of inline tables (``keys = { quit = "q" }``),
skipping strings and comments, so a ``[[steps]]`` inside a multi-line string or after a
``#`` is never taken for a header.

A key is named by its path, as in the data: ``("keys", "new-case")``; the n-th table of
an array of tables is a number, ``("steps", 0, "title")``, its header the line of
``("steps", 0)``. A value inside an array (``steps = [{ title = "T" }]``) has no line of
its own: the array is one value, on its key's line.

Pure Python and Textual-free, so the settings and the playbook files share one reader.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["KeyPath", "NotToml", "TomlText", "read_toml"]

KeyPath = tuple[str | int, ...]
"""Where a key is in the data: table names, array-of-tables positions, the key."""

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_AT_END = re.compile(r"\s*\(at end of document\)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\n]*")
"""A number, date, time or boolean: a date and time may hold a space, never these."""


class NotToml(ValueError):
    """The text is not valid TOML; ``reason`` is ``tomllib``'s, without its position."""

    def __init__(
        self, reason: str, line: int | None = None, column: int | None = None, *, at_end: bool
    ) -> None:
        super().__init__(reason, line, column, at_end)
        self.reason = reason
        self.line = line
        """1-based; None at the end of the text or when it can't be told."""
        self.column = column
        self.at_end = at_end
        """The text stopped where more was needed (an unclosed string or list)."""

    def __str__(self) -> str:
        """The reason, and where it is when the line alone does not say it."""
        if self.column is not None:
            return f"{self.reason} (column {self.column})"
        if self.at_end:
            return f"{self.reason} (at the end of the file)"
        return self.reason


@dataclass(frozen=True)
class TomlText:
    """The data of a TOML text and the line each of its keys is written on."""

    data: dict[str, Any]
    lines: Mapping[KeyPath, int]
    """Key path → 1-based line where it is first named (a table by its header)."""

    def line(self, *path: str | int) -> int | None:
        """The line of the key at ``path`` (``line("keys", "quit")``); None if not written."""
        return self.lines.get(path)


def read_toml(text: str) -> TomlText:
    """``text`` read as TOML. Raises :class:`NotToml` saying what is wrong and where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _not_toml(str(error)) from None
    except RecursionError:
        raise NotToml("arrays or tables are nested too deeply", at_end=False) from None
    return TomlText(data, _Scanner(text).keys())


def _not_toml(message: str) -> NotToml:
    position = _POSITION.search(message)
    if position is not None:
        reason = message[: position.start()] + message[position.end() :]
        return NotToml(reason, int(position.group(1)), int(position.group(2)), at_end=False)
    at_end = _AT_END.search(message)
    if at_end is not None:
        return NotToml(message[: at_end.start()] + message[at_end.end() :], at_end=True)
    return NotToml(message, at_end=False)


def _basic_string(raw: str) -> str:
    """A quoted key's name, its escapes (``\\u00e9``) read as TOML reads them."""
    try:
        return str(tomllib.loads(f"k = {raw}")["k"])
    except tomllib.TOMLDecodeError:  # never, for text tomllib took; the raw name will do
        return raw[1:-1]


class _Scanner:
    """One pass over text that ``tomllib`` accepted, noting the line of every key.

    Valid text is assumed; on anything unexpected the scanner moves on rather than stop,
    so it always ends. Nested arrays and inline tables are followed with a stack of their
    own, never by recursion, as deep as ``tomllib`` went.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.newlines = [found.start() for found in re.finditer("\n", text)]
        self.found: dict[KeyPath, int] = {}
        self.arrays: dict[KeyPath, int] = {}
        """Array-of-tables path → how many of its tables have been seen so far."""

    def keys(self) -> dict[KeyPath, int]:
        """Every key's path and line: headers open tables, the rest is ``key = value``."""
        table: KeyPath = ()
        pos = self.blank(0)
        while pos < self.size:
            if self.text.startswith("[[", pos):
                line = self.line_at(pos)
                names, pos = self.key(pos + 2)
                table = self.header(names, line, array=True)
                pos = self.past("]]", pos)
            elif self.text[pos] == "[":
                line = self.line_at(pos)
                names, pos = self.key(pos + 1)
                table = self.header(names, line, array=False)
                pos = self.past("]", pos)
            else:
                start = pos
                pos = self.key_value(pos, table)
                if pos == start:  # not a key after all: step over it
                    pos += 1
            pos = self.blank(pos)
        return self.found

    # --- Where things are ------------------------------------------------------------

    def line_at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def note(self, path: KeyPath, line: int) -> None:
        self.found.setdefault(path, line)

    def header(self, names: list[str], line: int, *, array: bool) -> KeyPath:
        """The table a header opens; a name that is an array of tables means its last."""
        path: KeyPath = ()
        for number, name in enumerate(names, start=1):
            path = (*path, name)
            self.note(path, line)
            last = number == len(names)
            if last and array:
                self.arrays[path] = self.arrays.get(path, 0) + 1
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
                self.note(path, line)
        return path

    # --- Reading ---------------------------------------------------------------------

    def blank(self, pos: int) -> int:
        """Past blanks, line ends and comments."""
        text, size = self.text, self.size
        while pos < size:
            char = text[pos]
            if char in " \t\r\n":
                pos += 1
            elif char == "#":
                end = text.find("\n", pos)
                pos = size if end < 0 else end
            else:
                break
        return pos

    def spaces(self, pos: int) -> int:
        while pos < self.size and self.text[pos] in " \t":
            pos += 1
        return pos

    def past(self, token: str, pos: int) -> int:
        pos = self.spaces(pos)
        return pos + len(token) if self.text.startswith(token, pos) else pos

    def key(self, pos: int) -> tuple[list[str], int]:
        """A key, dotted or not, and the position past it (and past blanks after it)."""
        names: list[str] = []
        while True:
            pos = self.spaces(pos)
            char = self.text[pos : pos + 1]
            if char == '"':
                end = self.string_end(pos)
                names.append(_basic_string(self.text[pos:end]))
                pos = end
            elif char == "'":
                end = self.string_end(pos)
                names.append(self.text[pos + 1 : end - 1])
                pos = end
            else:
                bare = _BARE_KEY.match(self.text, pos)
                if bare is None:
                    return names, pos
                names.append(bare.group())
                pos = bare.end()
            pos = self.spaces(pos)
            if not self.text.startswith(".", pos):
                return names, pos
            pos += 1

    def key_value(self, pos: int, table: KeyPath) -> int:
        """Past ``key = value`` inside ``table``, its key (and inline ones) noted."""
        line = self.line_at(pos)
        names, pos = self.key(pos)
        if not names:
            return pos
        path = table
        for name in names:
            path = (*path, name)
            self.note(path, line)
        return self.value(self.past("=", pos), path)

    def value(self, pos: int, path: KeyPath | None) -> int:
        """Past the value at ``pos``; the keys of its inline tables are noted under ``path``
        (None: inside an array, where nothing is noted)."""
        frames: list[tuple[bool, KeyPath | None]] = []
        """The open arrays (True) and inline tables (False, with their path) around it."""
        while True:
            # At the start of a value.
            pos = self.blank(pos)
            char = self.text[pos : pos + 1]
            if char == "[":
                frames.append((True, None))
                path, pos = None, self.blank(pos + 1)
                if not self.text.startswith("]", pos):
                    continue
                frames.pop()
                pos += 1
            elif char == "{":
                frames.append((False, path))
                pos = self.blank(pos + 1)
                if not self.text.startswith("}", pos):
                    path, pos = self.inline_key(pos, path)
                    continue
                frames.pop()
                pos += 1
            elif char in ("'", '"'):
                pos = self.string_end(pos)
            else:
                scalar = _SCALAR.match(self.text, pos)
                pos = scalar.end() if scalar is not None and scalar.end() > pos else pos + 1
            # A value has ended: close what it ends, or go on to the next one inside.
            while frames:
                is_array, table = frames[-1]
                pos = self.blank(pos)
                if self.text.startswith(",", pos):
                    pos = self.blank(pos + 1)
                    if not is_array:
                        path, pos = self.inline_key(pos, table)
                        break
                    if not self.text.startswith("]", pos):
                        path = None
                        break
                frames.pop()  # "]" or "}", or an array's trailing comma and its "]"
                pos += 1
            else:
                return pos

    def inline_key(self, pos: int, table: KeyPath | None) -> tuple[KeyPath | None, int]:
        """``key =`` inside an inline table at ``table``: the key's path, the position past."""
        line = self.line_at(pos)
        names, pos = self.key(pos)
        path = table
        if path is not None:
            for name in names:
                path = (*path, name)
                self.note(path, line)
        return path, self.past("=", pos)

    def string_end(self, start: int) -> int:
        """Past the string opening at ``start`` (one quote or three, either kind)."""
        text, size = self.text, self.size
        quote = text[start]
        basic = quote == '"'
        if text.startswith(quote * 3, start):
            index = start + 3
            while index < size:
                if basic and text[index] == "\\":
                    index += 2
                elif text.startswith(quote * 3, index):
                    index += 3
                    for _ in range(2):  # up to two quotes may end the text itself
                        if text[index : index + 1] == quote:
                            index += 1
                    return index
                else:
                    index += 1
            return size
        index = start + 1
        while index < size and text[index] != "\n":
            if basic and text[index] == "\\":
                index += 2
            elif text[index] == quote:
                return index + 1
            else:
                index += 1
        return index
