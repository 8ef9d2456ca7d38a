"""What ``[keys]`` may say: keys the screen can receive, one action per key, quit kept.

Each refusal names the file, the line and the setting, like every other settings error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import keymap
from workbench.cli import main
from workbench.settings import SettingsError, load_settings


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.toml"


def keys_in(path: Path, lines: str) -> dict[str, str]:
    path.write_text("[keys]\n" + lines, encoding="utf-8")
    return dict(load_settings(path).keys)


def refusal(path: Path, lines: str) -> SettingsError:
    path.write_text("[keys]\n" + lines, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return caught.value


# -- names of keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("ctrl+n", "ctrl+n"),
        ("ctrl+/", "ctrl+/"),
        ("N", "N"),
        ("?", "?"),
        ("question_mark", "question_mark"),
        ("f1", "f1"),
        ("f24", "f24"),
        ("pageup", "pageup"),
        ("space", "space"),
        ("alt+f5", "alt+f5"),
        ("shift+ctrl+up", "ctrl+shift+up"),  # in Textual's order
        ("Ctrl+N".lower(), "ctrl+n"),
        ("ctrl+shift+n", "ctrl+shift+n"),
        ("é", "é"),
        ("f2, f3", "f2,f3"),
        ("f2,f2", "f2"),
    ],
)
def test_keys_textual_can_receive_are_taken(value: str, read: str) -> None:
    assert ",".join(dict.fromkeys(keymap.read_key(k) for k in value.split(","))) == read


def test_keys_are_kept_as_textual_writes_them(settings_path: Path) -> None:
    assert keys_in(settings_path, 'new-case = "shift+ctrl+n, f2"\nhelp = "f1,?"\n') == {
        "new-case": "ctrl+shift+n,f2",
        "help": "f1,?",
    }


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("banana", "“banana” is not a key: a key is one character (n, N, ?), a named key"),
        ("pgup", "Did you mean pageup?"),
        ("f25", "“f25” is not a key"),
        ("ctrl+banana", "“banana” in “ctrl+banana” is not a key"),
        ("Enter", "“Enter” is not a key name (names are lower case: enter)"),
        ("ctrl+N", "write “ctrl+shift+n”"),
        ("shift+n", "“N” for shift+n"),
        ("ctrl+ctrl+n", "names a modifier twice"),
        ("cmd+n", "“cmd” in “cmd+n” is not a modifier"),
        ("ctrl+", "has no key after the last +"),
        ("\\u0007", "is not a key"),
    ],
)
def test_a_name_that_is_not_a_key_is_refused_saying_what_keys_look_like(
    settings_path: Path, value: str, fragment: str
) -> None:
    error = refusal(settings_path, f'\nnew-case = "{value}"\n')
    assert (error.key, error.line) == ("keys.new-case", 3)
    message = str(error)
    assert str(settings_path) in message
    assert "line 3: keys.new-case must be a key" in message
    assert fragment in message, message


# -- one key, one action -----------------------------------------------------------------------


def test_a_key_taken_from_an_action_left_as_built_in_is_refused_naming_both(
    settings_path: Path,
) -> None:
    error = refusal(settings_path, 'new-case = "q"\n')
    assert (error.key, error.line) == ("keys.new-case", 2)
    message = str(error)
    assert "line 2: keys.new-case takes a key another action needs" in message
    assert "“q” is the built-in key of quit (Quit) everywhere on the screen" in message
    assert "to move quit, add a line for it too" in message
    assert 'For example: new-case = "f2"' in message


def test_two_actions_given_one_key_are_refused_on_the_later_line(settings_path: Path) -> None:
    error = refusal(settings_path, 'help = "f1"\n\nnew-case = "f1"\n')
    assert (error.key, error.line) == ("keys.new-case", 4)
    assert "“f1” is already the key of help (Help) everywhere on the screen" in str(error)
    error = refusal(settings_path, 'new-case = "f1"\nhelp = "f1,?"\n')
    assert (error.key, error.line) == ("keys.help", 3)
    assert "already the key of new-case (New case)" in str(error)


def test_a_swap_is_allowed(settings_path: Path) -> None:
    assert keys_in(settings_path, 'new-case = "q"\nquit = "ctrl+x"\n') == {
        "new-case": "q",
        "quit": "ctrl+x",
    }
    assert keys_in(settings_path, 'quit = "n"\nnew-case = "q"\n') == {
        "quit": "n",
        "new-case": "q",
    }


def test_one_key_written_two_ways_is_still_one_key(settings_path: Path) -> None:
    error = refusal(settings_path, 'new-case = "?"\n')
    assert "“?” is the built-in key of help (Help)" in str(error)
    error = refusal(settings_path, 'new-case = "ctrl+i"\n')  # the terminal's tab
    assert "of next-pane (Next pane)" in str(error)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (
            'new-case = "ctrl+q"',
            "“ctrl+q” already quits once every change is saved everywhere on the screen",
        ),
        ('new-case = "up"', "“up” already moves the cursor up in the case list, the checklist"),
        ('new-case = "ctrl+c"', "“ctrl+c” already"),
        ('export = "enter"', "“enter” already ticks the step in the checklist"),
    ],
)
def test_a_key_the_screen_keeps_for_itself_is_refused(
    settings_path: Path, line: str, fragment: str
) -> None:
    error = refusal(settings_path, line + "\n")
    assert error.line == 2
    assert fragment in str(error), str(error)
    assert "a key of the screen's own, which no setting moves" in str(error)


def test_a_pane_key_may_not_hide_a_key_of_the_whole_screen(settings_path: Path) -> None:
    error = refusal(settings_path, 'calendar-next-week = "n"\n')
    assert "“n” is the built-in key of new-case (New case)" in str(error)
    assert "in the calendar and the calendar's agenda" in str(error)
    error = refusal(settings_path, 'agenda-select = "x"\n')
    assert "of export (Export) in the calendar's agenda" in str(error)


@pytest.mark.parametrize(
    "lines",
    [
        'quit = "ctrl+q,Q"',  # the key that quits, and another
        'cursor-down = "j,down"',  # down already moves the cursor down
        'toggle-step = "space,t"\ncalendar-today = "Y"',  # a swap of one key
        'calendar-next-week = "down,j,J"',
        'cursor-up = "K"\ncalendar-previous-week = "up,K"',  # shared on purpose, as built in
    ],
)
def test_keys_shared_with_what_does_the_same_are_allowed(settings_path: Path, lines: str) -> None:
    assert keys_in(settings_path, lines + "\n")


def test_every_built_in_key_written_out_again_is_allowed(settings_path: Path) -> None:
    lines = "".join(f'{b.id} = "{",".join(b.keys)}"\n' for b in keymap.BINDINGS)
    lines = "\n".join(dict.fromkeys(lines.splitlines())) + "\n"  # an id in two parts: once
    assert len(keys_in(settings_path, lines)) == len(keymap.BINDING_IDS)


# -- quit keeps a key --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['""', "[]", '" "'])
def test_quit_can_not_be_left_without_a_key(settings_path: Path, value: str) -> None:
    error = refusal(settings_path, f"quit = {value}\n")
    assert (error.key, error.line) == ("keys.quit", 2)
    message = str(error)
    assert "without a key the workbench could be left only with ctrl+q" in message
    assert 'delete the line. For example: quit = "q"' in message


def test_quit_can_not_lose_its_key_to_another_action(settings_path: Path) -> None:
    error = refusal(settings_path, 'quit = "up"\n')
    assert "keys.quit takes a key another action needs" in str(error)


# -- on the command line -----------------------------------------------------------------------


def test_the_command_line_refuses_a_clash_naming_file_line_and_setting(
    tmp_path: Path,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_path.write_text('theme = "nord"\n[keys]\nnew-case = "q"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings_path))
    assert main(["--db", str(tmp_path / "wb.json"), "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workbench: the settings file {settings_path} can't be used")
    assert "line 3: keys.new-case takes a key another action needs" in err
    assert "quit (Quit)" in err
    assert not (tmp_path / "wb.json").exists()
