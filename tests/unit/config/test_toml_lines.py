"""The TOML reader the settings and the playbook files share: the data, and each key's line."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.toml_lines import KeyPath, NotToml, read_toml


def lines_of(text: str) -> dict[KeyPath, int]:
    return dict(read_toml(textwrap.dedent(text)).lines)


def test_top_level_keys_and_nested_tables() -> None:
    toml = read_toml(
        textwrap.dedent(
            """\
            theme = "nord"

            [keys]
            new-case = "ctrl+n"

            [a.b]
            c = 1
            [a]
            d = 2
            """
        )
    )
    assert toml.data == {
        "theme": "nord",
        "keys": {"new-case": "ctrl+n"},
        "a": {"b": {"c": 1}, "d": 2},
    }
    assert toml.line("theme") == 1
    assert toml.line("keys") == 3
    assert toml.line("keys", "new-case") == 4
    assert toml.line("a") == 6  # first named by [a.b], before its own header
    assert (toml.line("a", "b"), toml.line("a", "b", "c"), toml.line("a", "d")) == (6, 7, 9)
    assert toml.line("nowhere") is None
    assert toml.line("keys", "quit") is None


def test_arrays_of_tables_count_from_zero_and_nest() -> None:
    lines = lines_of(
        """\
        [[steps]]
        title = "One"

        [[ steps ]]
        title = "Two"
        [steps.extra]
        z = 1

        [[fruits]]
        [[fruits.varieties]]
        name = "a"
        [[fruits]]
        [[fruits.varieties]]
        name = "b"
        [[fruits.varieties]]
        name = "c"
        """
    )
    assert lines[("steps",)] == 1
    assert (lines[("steps", 0)], lines[("steps", 0, "title")]) == (1, 2)
    assert (lines[("steps", 1)], lines[("steps", 1, "title")]) == (4, 5)
    assert (lines[("steps", 1, "extra")], lines[("steps", 1, "extra", "z")]) == (6, 7)
    assert lines[("fruits", 0, "varieties", 0, "name")] == 11
    assert lines[("fruits", 1, "varieties", 0, "name")] == 14
    assert lines[("fruits", 1, "varieties", 1, "name")] == 16
    assert ("fruits", 0, "varieties", 1) not in lines


def test_multi_line_strings_hide_what_looks_like_keys() -> None:
    lines = lines_of(
        '''\
        first = """
        [[steps]]
        fake = 1
        """
        second = \'\'\'
        [table]
        fake = 2\'\'\'
        third = """ends with quotes"""""
        fourth = "a \\" [x] = 1"
        [[steps]]
        title = \'[[steps]]\'
        guidance = """\\
          line \\""" continued
          [[steps]]"""
        contact = true
        '''
    )
    assert lines == {
        ("first",): 1,
        ("second",): 5,
        ("third",): 8,
        ("fourth",): 9,
        ("steps",): 10,
        ("steps", 0): 10,
        ("steps", 0, "title"): 11,
        ("steps", 0, "guidance"): 12,
        ("steps", 0, "contact"): 15,
    }


def test_quoted_keys_are_named_as_the_data_names_them() -> None:
    toml = read_toml(
        textwrap.dedent(
            """\
            "new case" = 1
            'lit.eral' = 2
            "caf\\u00e9" = 3
            [keys]
            "quit" = "q"
            [ "odd table" . 'x' ]
            y = 1
            """
        )
    )
    assert set(toml.data) == {"new case", "lit.eral", "café", "keys", "odd table"}
    assert toml.line("new case") == 1
    assert toml.line("lit.eral") == 2
    assert toml.line("café") == 3
    assert toml.line("keys", "quit") == 5
    assert toml.line("odd table", "x", "y") == 7


def test_dotted_keys_name_each_table_on_the_way() -> None:
    lines = lines_of(
        """\
        keys.new-case = "ctrl+n"
        keys . "edit-case" = "e"
        a.b.c = 1
        """
    )
    assert lines == {
        ("keys",): 1,
        ("keys", "new-case"): 1,
        ("keys", "edit-case"): 2,
        ("a",): 3,
        ("a", "b"): 3,
        ("a", "b", "c"): 3,
    }


def test_comments_holding_equals_signs_and_headers_are_skipped() -> None:
    lines = lines_of(
        """\
        # theme = "nord"
        # [[steps]]
        name = "N"  # key = "not a key" [[steps]]
           # = = =
        list = [  # [a] = 1
          1, # b = 2 ]
          2,
        ]
        after = 1 # {
        """
    )
    assert lines == {("name",): 3, ("list",): 5, ("after",): 9}


def test_inline_tables_have_lines_values_inside_arrays_have_none() -> None:
    lines = lines_of(
        """\
        keys = { new-case = "ctrl+n", quit = { x = "}" } }
        steps = [
          { title = "T", guidance = "G." },
          { title = "U" },
        ]
        nested = [[1, [2]], ["]", {a = 1}], ]
        empty = {}
        last = 1
        """
    )
    assert lines == {
        ("keys",): 1,
        ("keys", "new-case"): 1,
        ("keys", "quit"): 1,
        ("keys", "quit", "x"): 1,
        ("steps",): 2,
        ("nested",): 6,
        ("empty",): 7,
        ("last",): 8,
    }


def test_dates_times_and_numbers_are_stepped_over() -> None:
    lines = lines_of(
        """\
        when = 1979-05-27 07:32:00Z
        day = 1979-05-27
        at = 07:32:00
        many = [1979-05-27 07:32:00, inf, 0x1F, 1_000, true]
        next = 1.5e3
        """
    )
    assert lines == {("when",): 1, ("day",): 2, ("at",): 3, ("many",): 4, ("next",): 5}


def test_windows_line_endings() -> None:
    toml = read_toml('name = "N"\r\n\r\n[[steps]]\r\ntitle = "T"\r\n')
    assert (toml.line("name"), toml.line("steps", 0), toml.line("steps", 0, "title")) == (1, 3, 4)


@pytest.mark.parametrize(
    ("text", "line", "column", "at_end", "said"),
    [
        ('a = 1\nb = "x\n', 2, 7, False, "Illegal character '\\n' (column 7)"),
        ("a = 1\na = 2\n", 2, 6, False, "Cannot overwrite a value (column 6)"),
        ("a = [1,\n", None, None, True, "Invalid value (at the end of the file)"),
        (
            "a = " + "[" * 2000 + "]" * 2000,
            None,
            None,
            False,
            "arrays or tables are nested too deeply",
        ),
    ],
)
def test_not_toml_says_what_and_where(
    text: str, line: int | None, column: int | None, at_end: bool, said: str
) -> None:
    with pytest.raises(NotToml) as caught:
        read_toml(text)
    error = caught.value
    assert (error.line, error.column, error.at_end) == (line, column, at_end)
    assert str(error) == said
    assert "(at " not in error.reason


# --- Any document: the lines found are where the keys were written ---------------------

NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True) | st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=6
)
TRICKY = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n[]{}#=\"'."),
    max_size=30,
)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _value(text: str, style: int) -> str:
    """``text`` as a basic string, a multi-line literal one, or in a list beside an inline
    table (whose key, inside a list, has no line of its own)."""
    quoted = json.dumps(text, ensure_ascii=False)  # JSON's escapes are TOML's too
    if style == 1 and "'''" not in text and not text.endswith("'"):
        return f"'''{text}'''"
    if style == 2:
        return f"[{quoted}, {{ k = {quoted} }}]"
    return quoted


@given(
    top=st.dictionaries(NAMES, st.tuples(TRICKY, st.integers(0, 2)), max_size=4),
    steps=st.lists(
        st.dictionaries(NAMES, st.tuples(TRICKY, st.integers(0, 2)), max_size=3), max_size=3
    ),
    blank=st.lists(st.sampled_from(["", "# [[steps]] x = 1", "   "]), max_size=2),
)
def test_every_key_is_found_on_the_line_it_was_written(
    top: dict[str, tuple[str, int]],
    steps: list[dict[str, tuple[str, int]]],
    blank: list[str],
) -> None:
    out: list[str] = []
    expected: dict[KeyPath, int] = {}

    def add(line: str) -> int:
        out.extend(blank)
        out.append(line)
        return len("\n".join(out).split("\n")) - line.count("\n")

    for name, (text, style) in top.items():
        if name == "steps":
            continue
        expected[(name,)] = add(f"{_key(name)} = {_value(text, style)}")
    for number, step in enumerate(steps):
        expected[("steps", number)] = add("[[steps]]")
        expected.setdefault(("steps",), expected[("steps", number)])
        for name, (text, style) in step.items():
            expected[("steps", number, name)] = add(f"{_key(name)} = {_value(text, style)}")
    toml = read_toml("\n".join(out) + "\n")
    assert dict(toml.lines) == expected
    for path in toml.lines:
        assert _lookup(toml.data, path) is not None


def _lookup(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data
