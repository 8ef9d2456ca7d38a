"""Playbook files: the user's folder, reading each file safely, its TOML and the line a
mistake is on, and the built-in files read the same way."""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.model import Fault, Heat
from workbench.domain.playbooks import BUILTIN_KEYS, Playbook, PlaybookError
from workbench.storage.playbook_files import load_builtin, load_library, parse_playbook

DATA = Path(__file__).resolve().parents[3] / "workbench" / "domain" / "playbook_data"


def by_key() -> dict[str, Playbook]:
    return {playbook.key: playbook for playbook in load_builtin()}


# --- User playbooks --------------------------------------------------------------------

GOOD = """\
key = "good-one"
name = "A good one"
situation = "Works fine."
faults = ["theirs"]
heats = ["calm"]

[[steps]]
title = "Listen"
guidance = "Hear them out."
contact = true

[[steps]]
title = "Check back"
guidance = "Call them next week."
follow_up = true
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_user_playbook_appears_beside_the_builtins(tmp_path: Path) -> None:
    path = write(tmp_path, "good.toml", GOOD)
    library = load_library(tmp_path)
    assert library.problems == []
    assert [p.key for p in library] == [*BUILTIN_KEYS, "good-one"]
    assert len(library) == 6
    mine = library.get("good-one")
    assert not mine.builtin
    assert mine.path == path
    assert mine.name == "A good one"
    assert mine.faults == {Fault.THEIRS} and mine.heats == {Heat.CALM}
    assert [(s.key, s.contact, s.follow_up) for s in mine.steps] == [
        ("listen", True, False),
        ("check-back", False, True),
    ]
    assert "good-one" in library and "nope" not in library


def test_a_narrower_user_playbook_is_suggested(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", GOOD)
    library = load_library(tmp_path)
    assert library.suggest(Heat.CALM, Fault.THEIRS).key == "good-one"
    assert library.suggest(Heat.UPSET, Fault.THEIRS).key == "saying-no"
    assert library.suggest(Heat.FURIOUS, Fault.THEIRS).key == "wrong"


def test_user_playbooks_follow_builtins_sorted_by_name(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'name = "Zebra"\n[[steps]]\ntitle = "T"\nguidance = "G."\n')
    write(tmp_path, "b.toml", 'name = "apple"\n[[steps]]\ntitle = "T"\nguidance = "G."\n')
    library = load_library(tmp_path)
    assert [p.key for p in library][len(BUILTIN_KEYS) :] == ["b", "a"]


def test_missing_user_folder_means_no_user_playbooks(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nowhere")
    assert [p.key for p in library] == list(BUILTIN_KEYS)
    assert library.problems == []


def test_user_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    not_a_folder = write(tmp_path, "playbooks", "oops")
    library = load_library(not_a_folder)
    assert len(library) == len(BUILTIN_KEYS)
    assert len(library.problems) == 1
    assert library.problems[0].path == not_a_folder
    assert "could not be read" in str(library.problems[0])


def test_windows_editors_byte_order_mark_and_line_endings(tmp_path: Path) -> None:
    good = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    (tmp_path / "good.toml").write_bytes(good)
    bad = b'\xef\xbb\xbfname = "N"\r\n\r\n[[steps]]\r\ntitle = "T"\r\n'
    (tmp_path / "bad.toml").write_bytes(bad)
    latin = b'\xef\xbb\xbfname = "N"\r\n[[steps]]\r\ntitle = "Cr\xe8me"\r\n'
    (tmp_path / "latin.toml").write_bytes(latin)
    library = load_library(tmp_path)
    assert library.get("good-one").steps[1].guidance == "Call them next week."
    assert [str(p) for p in library.problems] == [
        "bad.toml, line 3: step 1 ('T') has no guidance",
        "latin.toml, line 3: the file is not UTF-8 text; save it as UTF-8 in your editor",
    ]


def test_hidden_files_folders_and_other_extensions_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", GOOD)
    write(tmp_path, ".#good.toml", "not toml at all [")  # an editor's lock file
    write(tmp_path, "notes.txt", "not toml at all [")
    (tmp_path / "old.toml").mkdir()
    library = load_library(tmp_path)
    assert library.problems == []
    assert len(library) == len(BUILTIN_KEYS) + 1


def test_defaults_key_from_file_name_and_step_keys_from_titles() -> None:
    text = """\
    name = "Late delivery"

    [[steps]]
    title = "Call them today — don't e-mail"
    guidance = "Phone first."

    [[steps]]
    title = "日本語"
    guidance = "A title with no Latin letters still gets a key."
    """
    playbook = parse_playbook(textwrap.dedent(text), Path("/x/Late Delivery.toml"))
    assert playbook.key == "late-delivery"
    assert [s.key for s in playbook.steps] == ["call-them-today-dont-e-mail", "step-2"]
    assert playbook.faults == frozenset(Fault) and playbook.heats == frozenset(Heat)
    assert playbook.situation == ""
    assert playbook.path == Path("/x/Late Delivery.toml")


def test_single_values_and_case_are_forgiven() -> None:
    text = 'name = "N"\nfaults = "Ours"\nheats = ["FURIOUS"]\n' + STEP_OK
    playbook = parse_playbook(text, Path("n.toml"))
    assert playbook.faults == {Fault.OURS}
    assert playbook.heats == {Heat.FURIOUS}


def test_text_is_kept_as_written_not_formatted() -> None:
    guidance = "Say {name} and %s and $HOME and [b]bold[/b] as-is."
    text = f'name = "{{key}}"\n[[steps]]\ntitle = "T {{0}}"\nguidance = {json.dumps(guidance)}\n'
    playbook = parse_playbook(text, Path("n.toml"))
    assert playbook.name == "{key}"
    assert playbook.steps[0].title == "T {0}"
    assert playbook.steps[0].guidance == guidance


def test_inline_steps_load_and_errors_in_them_have_no_line() -> None:
    good = 'name = "N"\nsteps = [{ title = "T", guidance = "G." }]\n'
    assert parse_playbook(good, Path("n.toml")).steps[0].key == "t"
    bad = 'name = "N"\nsteps = [\n  { title = "T", guidance = "G." },\n  { title = "U" },\n]\n'
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(bad, Path("n.toml"))
    assert caught.value.line is None
    assert str(caught.value) == "n.toml: step 2 ('U') has no guidance"


def test_step_header_lines_ignore_look_alikes_in_strings_and_comments() -> None:
    text = '''\
    name = "Tricky"  # [[steps]] in a comment
    situation = "[[steps]]"

    [[steps]]
    title = "First"
    guidance = """
    [[steps]]
    title = "not a step"
    """

    [[ steps ]]
    title = 'Second'
    guidance = \'\'\'
    [[steps]]\'\'\'
    faults = ["x", [1, 2]]

    [[steps]]
    title = "Third"
    '''
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(textwrap.dedent(text), Path("tricky.toml"))
    assert caught.value.message == "step 2 has an unknown field 'faults'; " + (
        "the fields are key, title, guidance, contact, follow_up, say"
    )
    assert caught.value.line == 15
    fixed = textwrap.dedent(text).replace('faults = ["x", [1, 2]]\n', "")
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(fixed, Path("tricky.toml"))
    assert str(caught.value) == "tricky.toml, line 16: step 3 ('Third') has no guidance"


LINE_SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n[]{}#\"'"),
    max_size=40,
).filter(lambda s: "'''" not in s and not s.endswith("'"))


@given(texts=st.lists(LINE_SAFE_TEXT, min_size=1, max_size=4), missing=st.integers(0, 3))
def test_step_header_line_is_found_whatever_the_guidance_holds(
    texts: list[str], missing: int
) -> None:
    """Guidance in multi-line literal strings can hold anything, headers included."""
    missing %= len(texts)
    lines = ['name = "Generated"', ""]
    header_line = 0
    for number, guidance in enumerate(texts):
        lines.append("[[steps]]")
        if number == missing:
            header_line = "\n".join(lines).count("\n") + 1
        lines.append(f"title = {json.dumps(f'Step {number}')}")
        if number != missing:
            lines.append(f"guidance = '''x{guidance}'''")
        lines.append("")
    with pytest.raises(PlaybookError) as caught:
        parse_playbook("\n".join(lines), Path("gen.toml"))
    assert caught.value.line == header_line
    assert caught.value.message == f"step {missing + 1} ('Step {missing}') has no guidance"


@given(st.text(max_size=300))
def test_any_text_gives_a_playbook_or_a_playbook_error(text: str) -> None:
    try:
        playbook = parse_playbook(text, Path("any.toml"))
    except PlaybookError as error:
        assert str(error).startswith("any.toml")
        assert error.message
    else:
        assert playbook.steps


# --- Malformed user files --------------------------------------------------------------

STEP_OK = '[[steps]]\ntitle = "T"\nguidance = "G."\n'


@dataclass
class Bad:
    id: str
    text: bytes
    line: int | None
    says: str
    name: str = "bad.toml"
    others: dict[str, str] = field(default_factory=dict)
    unreadable: bool = False


BAD_FILES = [
    Bad(
        "invalid-toml",
        b'name = "Broken"\n\n[[steps]]\ntitle = "Unclosed\nguidance = "G."\n',
        4,
        "this is not valid TOML: Illegal character '\\n' (column 18)",
    ),
    Bad(
        "invalid-toml-at-end",
        b'name = "Broken"\nfaults = ["ours",\n',
        2,
        "this is not valid TOML",
    ),
    Bad(
        "duplicate-field",
        b'name = "A"\nname = "B"\n' + STEP_OK.encode(),
        2,
        "Cannot overwrite a value",
    ),
    Bad("missing-name", STEP_OK.encode(), None, "the playbook has no name"),
    Bad("empty-name", b'name = "   "\n' + STEP_OK.encode(), 1, "the name is empty"),
    Bad("name-not-text", b"name = 12\n" + STEP_OK.encode(), 1, "the name should be text"),
    Bad(
        "multi-line-name",
        b'key = "k"\nname = """One\nTwo"""\n' + STEP_OK.encode(),
        2,
        "the name should fit on one line",
    ),
    Bad(
        "unknown-fault",
        b'name = "N"\nfaults = ["ours", "mine"]\n' + STEP_OK.encode(),
        2,
        "unknown fault 'mine'; use one or more of: ours, theirs, shared, unclear",
    ),
    Bad(
        "unknown-heat",
        b'name = "N"\n\n\nheats = ["boiling"]\n' + STEP_OK.encode(),
        4,
        "unknown heat 'boiling'; use one or more of: calm, upset, furious",
    ),
    Bad(
        "empty-faults",
        b'name = "N"\nfaults = []\n' + STEP_OK.encode(),
        2,
        "faults is empty; list one or more of: ours, theirs, shared, unclear",
    ),
    Bad(
        "unknown-field",
        b'name = "N"\nsituaton = "typo"\n' + STEP_OK.encode(),
        2,
        "the playbook has an unknown field 'situaton'",
    ),
    Bad(
        "step-without-title",
        (
            b'name = "N"\n\n[[steps]]\ntitle = "One"\nguidance = "G."\n\n'
            b'[[steps]]\nguidance = "No title here."\n'
        ),
        7,
        "step 2 has no title",
    ),
    Bad(
        "step-with-blank-title",
        ('name = "N"\n' + STEP_OK + '\n[[steps]]\ntitle = ""\nguidance = "G."\n').encode(),
        6,
        "step 2 has no title",
    ),
    Bad(
        "step-without-guidance",
        b'name = "N"\n# comment\n[[steps]]\ntitle = "Listen"\n',
        3,
        "step 1 ('Listen') has no guidance",
    ),
    Bad(
        "step-unknown-field",
        b'name = "N"\n[[steps]]\ntitle = "T"\nguidence = "typo"\n',
        4,
        "step 1 has an unknown field 'guidence'",
    ),
    Bad(
        "step-flag-not-boolean",
        b'name = "N"\n[[steps]]\ntitle = "T"\nguidance = "G."\ncontact = "yes"\n',
        5,
        "step 1's contact should be true or false",
    ),
    Bad(
        "duplicate-step-keys",
        (
            b'name = "N"\n[[steps]]\nkey = "listen"\ntitle = "A"\nguidance = "G."\n'
            b'[[steps]]\ntitle = "B"\nguidance = "G."\n'
            b'[[steps]]\nkey = "listen"\ntitle = "C"\nguidance = "G."\n'
        ),
        10,
        "steps 1 and 3 have the same key 'listen'; give step 3 its own key",
    ),
    Bad(
        "duplicate-titles",
        ('name = "N"\n' + STEP_OK + STEP_OK).encode(),
        5,
        "steps 1 and 2 have the same key 't' (made from their titles)",
    ),
    Bad("no-steps", b'name = "No steps"\nsituation = "s"\n', None, "the playbook has no steps"),
    Bad("empty-steps", b'name = "N"\nsteps = []\n', 2, "the playbook has no steps"),
    Bad(
        "steps-as-a-table",
        b'name = "N"\n[steps]\ntitle = "T"\n',
        2,
        "steps should be a list of [[steps]] sections",
    ),
    Bad(
        "bad-key",
        b'key = "My Playbook"\nname = "N"\n' + STEP_OK.encode(),
        1,
        "the key 'My Playbook' should be lowercase letters, digits and hyphens, like 'my-playbook'",
    ),
    Bad(
        "clashes-with-builtin",
        b'\nkey = "wrong"\nname = "Mine"\n' + STEP_OK.encode(),
        2,
        "the key 'wrong' is already used by the built-in playbook 'Customer is wrong'",
    ),
    Bad(
        "file-name-clashes-with-builtin",
        b'name = "Mine"\n' + STEP_OK.encode(),
        None,
        "the key 'unhappy' is already used by the built-in playbook",
        name="unhappy.toml",
    ),
    Bad(
        "clashes-with-another-file",
        b'key = "mine"\nname = "Second"\n' + STEP_OK.encode(),
        1,
        "the key 'mine' is already used by a-first.toml; give this playbook its own key",
        name="b-second.toml",
        others={"a-first.toml": 'key = "mine"\nname = "First"\n' + STEP_OK},
    ),
    Bad(
        "not-utf8",
        'name = "Café"\n[[steps]]\n'.encode() + 'title = "Crème"\n'.encode("latin-1"),
        3,
        "is not UTF-8 text",
    ),
    Bad(
        "unreadable",
        GOOD.replace("good-one", "locked").encode(),
        None,
        "could not be read (Permission denied)",
        unreadable=True,
    ),
    Bad(
        "say-unknown-placeholder",
        b'name = "Mine"\n' + STEP_OK.encode() + b'say = ["Hi {customer}", "Bye {nmae}"]\n',
        5,
        "step 1's say: unknown placeholder \u201c{nmae}\u201d; the placeholders are {customer},",
    ),
    Bad(
        "say-lone-brace",
        b'name = "Mine"\n' + STEP_OK.encode() + b'say = "Price {in} {euro"\n',
        5,
        "unknown placeholder \u201c{in}\u201d",
    ),
    Bad(
        "say-too-many-lines",
        b'name = "Mine"\n' + STEP_OK.encode() + b'say = ["a", "b", "c", "d"]\n',
        5,
        "step 1's say has 4 lines; it may have at most 3",
    ),
    Bad(
        "say-not-text",
        b'name = "Mine"\n' + STEP_OK.encode() + b"say = 3\n",
        5,
        "step 1's say should be text in quotes, or a list of them",
    ),
    Bad(
        "say-line-break",
        b'name = "Mine"\n' + STEP_OK.encode() + b'say = """one\ntwo"""\n',
        5,
        "should be one line per text",
    ),
    Bad(
        "alternatives-empty-line",
        b'name = "Mine"\nalternatives = ["Refund", " "]\n' + STEP_OK.encode(),
        2,
        "alternatives has an empty line",
    ),
    Bad(
        "wording-for-nothing",
        b'wording_for = "no-such"\n[[steps]]\nkey = "x"\nsay = "Hi"\n',
        1,
        "there is no playbook 'no-such' to add wording to; the playbooks are blame, wrong,",
    ),
    Bad(
        "wording-for-a-step-not-there",
        b'wording_for = "unhappy"\n\n[[steps]]\nkey = "listen"\nsay = "Go on."\n'
        b'\n[[steps]]\nkey = "lisen"\nsay = "Go on."\n',
        8,
        "the playbook 'unhappy' has no step 'lisen'; its steps are empathise, listen,",
    ),
    Bad(
        "wording-with-a-bad-placeholder",
        b'wording_for = "unhappy"\n[[steps]]\nkey = "listen"\nsay = "Go on, {you}."\n',
        4,
        "unknown placeholder \u201c{you}\u201d",
    ),
    Bad(
        "wording-step-without-key",
        b'wording_for = "unhappy"\n[[steps]]\nsay = "Go on."\n',
        2,
        "step 1 has no key: name the step of 'unhappy' it is for",
    ),
    Bad(
        "wording-with-a-title",
        b'wording_for = "unhappy"\n[[steps]]\nkey = "listen"\ntitle = "Hear"\n',
        4,
        "step 1 has an unknown field 'title'; the fields are key, say",
    ),
    Bad(
        "wording-with-nothing",
        b'wording_for = "unhappy"\n',
        None,
        "nothing to add",
    ),
    Bad("too-big", b"# " + b"x" * (1024 * 1024) + b"\n", None, "too big for a playbook"),
    Bad("empty-file", b"", None, "the playbook has no name"),
    Bad(
        "nested-too-deeply",
        b'name = "N"\nfaults = ' + b"[" * 2000 + b"]" * 2000 + b"\n",
        None,
        "nested too deeply",
    ),
]


@pytest.mark.parametrize("bad", BAD_FILES, ids=[bad.id for bad in BAD_FILES])
def test_malformed_user_file_is_skipped_and_explained(
    bad: Bad, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "good.toml", GOOD)
    for name, text in bad.others.items():
        write(tmp_path, name, text)
    bad_path = tmp_path / bad.name
    bad_path.write_bytes(bad.text)
    if bad.unreadable:
        real_open = os.open

        def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(path) == bad_path:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)

    library = load_library(tmp_path)

    assert len(library.problems) == 1, [str(p) for p in library.problems]
    problem = library.problems[0]
    assert problem.path == bad_path
    assert problem.line == bad.line
    where = bad.name if bad.line is None else f"{bad.name}, line {bad.line}"
    assert str(problem).startswith(f"{where}: ")
    assert bad.says in problem.message
    # The good file beside it still loads, and the bad one is nowhere to be seen.
    assert library.get("good-one").path == tmp_path / "good.toml"
    assert all(p.path != bad_path for p in library)
    assert len(library) == len(BUILTIN_KEYS) + 1 + len(bad.others)


def test_unreadable_file_on_disk(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.toml", GOOD)
    locked.chmod(0)
    try:
        if _can_read(locked):
            pytest.skip("this user can read any file (root), so nothing is unreadable")
        library = load_library(tmp_path)
    finally:
        locked.chmod(0o600)
    assert [str(p) for p in library.problems] == [
        "locked.toml: the file could not be read (Permission denied)"
    ]


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_builtin_files_are_valid_without_the_builtin_flag(tmp_path: Path) -> None:
    # Built-ins follow the very format users write in: copied under new keys they load.
    for source in sorted(DATA.glob("*.toml")):
        text = source.read_text(encoding="utf-8")
        text = re.sub(r'^key = "([a-z-]+)"', r'key = "copy-of-\1"', text, count=1, flags=re.M)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    library = load_library(tmp_path)
    assert library.problems == []
    copied = [p for p in library if not p.builtin]
    assert sorted(p.key for p in copied) == sorted(f"copy-of-{k}" for k in BUILTIN_KEYS)
    for copy in copied:
        original = by_key()[copy.key.removeprefix("copy-of-")]
        assert copy.steps == original.steps


# --- What to say ---------------------------------------------------------------------------


def test_a_user_playbook_carries_wording_and_alternatives(tmp_path: Path) -> None:
    write(
        tmp_path,
        "good.toml",
        GOOD.replace('heats = ["calm"]', 'heats = ["calm"]\nalternatives = "A voucher"')
        + 'say = ["Hello {customer}, it\'s {agent}.", "All good with {remedy}?"]\n',
    )
    library = load_library(tmp_path)
    assert library.problems == []
    playbook = library.get("good-one")
    assert playbook.alternatives == ("A voucher",)
    assert playbook.steps[-1].say == ("Hello {customer}, it's {agent}.", "All good with {remedy}?")
    assert playbook.steps[0].say == ()


def test_a_wording_file_adds_and_replaces_wording_of_another_playbook(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", GOOD)
    write(
        tmp_path,
        "our-words.toml",
        """\
        wording_for = "unhappy"
        alternatives = ["Free delivery next time"]

        [[steps]]
        key = "listen"
        say = "Go on, {customer}: I'm listening."

        [[steps]]
        key = "follow-up"
        say = ["Hello {customer}, {agent} here."]
        """,
    )
    write(
        tmp_path,
        "z-more.toml",
        'wording_for = "good-one"\n[[steps]]\nkey = "listen"\nsay = "Hm."\n',
    )
    library = load_library(tmp_path)
    assert library.problems == []
    unhappy = library.get("unhappy")
    builtin = by_key()["unhappy"]
    assert unhappy.alternatives == ("Free delivery next time",)
    assert unhappy.step("listen").say == ("Go on, {customer}: I'm listening.",)  # type: ignore[union-attr]
    assert unhappy.step("follow-up").say == ("Hello {customer}, {agent} here.",)  # type: ignore[union-attr]
    # The steps not named keep theirs; the steps themselves are the built-in's.
    assert unhappy.step("empathise") == builtin.step("empathise")
    assert [step.title for step in unhappy.steps] == [step.title for step in builtin.steps]
    assert library.get("good-one").steps[0].say == ("Hm.",)
    assert len(library) == len(BUILTIN_KEYS) + 1  # a wording file is not a playbook
    assert by_key()["unhappy"].step("listen").say == ()  # the built-ins themselves unchanged


def test_a_wording_file_with_a_mistake_changes_nothing(tmp_path: Path) -> None:
    write(
        tmp_path,
        "words.toml",
        'wording_for = "unhappy"\n[[steps]]\nkey = "listen"\nsay = "A"\n'
        '[[steps]]\nkey = "nope"\nsay = "B"\n',
    )
    library = load_library(tmp_path)
    assert [p.line for p in library.problems] == [6]
    assert library.get("unhappy") == by_key()["unhappy"]
