"""User text made safe to show: control characters become visible, never act.

A title or note may hold escape bytes (pasted from a log, or typed on purpose). Written
to a terminal as they are, they could move the cursor, recolour the screen or retitle
the window. Everywhere the workbench shows user text, it shows :func:`visible` text:
each control character spelled out as ``\\xNN``.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str, *, one_line: bool = True) -> str:
    """Control characters spelled ``\\xNN``; ``one_line`` also turns breaks and tabs to spaces."""
    if text.isprintable():  # the usual text: no control character, break or tab (a C loop)
        return text
    if one_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
        return _CONTROL_OR_BREAK.sub(_spell, text)
    return _CONTROL.sub(_spell, text.replace("\t", "    "))


def _spell(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= dict.fromkeys(range(128, 160), "�")


def pictured(text: str) -> str:
    """Each control character as one visible symbol (ESC → ␛), keeping every position.

    For text still being edited: the value stays as typed, the cursor's index still
    points at the same character, and nothing reaches the terminal as a command.
    """
    return text.translate(_PICTURES)
