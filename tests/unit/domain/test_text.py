"""Control characters in user text are shown, never sent to the terminal as commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.text import visible


@pytest.mark.parametrize(
    ("raw", "one_line", "shown"),
    [
        ("plain [bold]text[/]", True, "plain [bold]text[/]"),
        ("red \x1b[31mRED", True, "red \\x1b[31mRED"),
        ("title \x1b]0;pwned\x07", True, "title \\x1b]0;pwned\\x07"),
        ("two\nlines\ttab", True, "two lines tab"),
        ("two\nlines", False, "two\nlines"),
        ("bell \x07 del \x7f c1 \x9b", False, "bell \\x07 del \\x7f c1 \\x9b"),
        ("Zoë Ünal — café", True, "Zoë Ünal — café"),
    ],
)
def test_visible(raw: str, one_line: bool, shown: str) -> None:
    assert visible(raw, one_line=one_line) == shown


@given(st.text())
def test_nothing_invisible_survives(raw: str) -> None:
    shown = visible(raw)
    assert not any(ord(ch) < 32 or 127 <= ord(ch) <= 159 for ch in shown)
    multi = visible(raw, one_line=False)
    assert not any((ord(ch) < 32 and ch != "\n") or 127 <= ord(ch) <= 159 for ch in multi)


def test_pictured_keeps_every_position() -> None:
    from workbench.domain.text import pictured

    raw = "a\x1b]0;x\x07b\x7f\x9bc"
    shown = pictured(raw)
    assert len(shown) == len(raw)
    assert shown == "a␛]0;x␇b␡\ufffdc"


def _spelled_out(raw: str, one_line: bool) -> str:
    """The rule written out the long way: what :func:`visible`'s quick path must equal."""
    if one_line:
        raw = raw.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    else:
        raw = raw.replace("\t", "    ")
    keep = "" if one_line else "\n"
    return "".join(
        f"\\x{ord(ch):02x}" if (ord(ch) < 32 or 127 <= ord(ch) <= 159) and ch not in keep else ch
        for ch in raw
    )


@given(st.text(), st.booleans())
def test_quick_path_shows_the_same(raw: str, one_line: bool) -> None:
    # Printable text is returned as it is; anything else goes through the substitutions.
    assert visible(raw, one_line=one_line) == _spelled_out(raw, one_line)
