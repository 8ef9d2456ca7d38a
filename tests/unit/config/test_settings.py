"""The settings file: every value read right, every mistake named with its line, and the
command line following what the file says."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from helpers.clock import NOW

from workbench import settings as settings_module
from workbench.cli import main
from workbench.domain.dates import DateSettings
from workbench.domain.model import Heat
from workbench.domain.targets import Targets
from workbench.keymap import BINDING_IDS
from workbench.settings import (
    DEFAULT_THEME,
    Settings,
    SettingsError,
    load_settings,
)

# ---------------------------------------------------------------------------------------------
# Reading the file


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path, text: str) -> SettingsError:
    write(path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return caught.value


def test_a_missing_file_means_every_default(settings_path: Path) -> None:
    settings = load_settings(settings_path)
    assert settings == Settings(path=settings_path)
    assert settings.targets == Targets()
    assert settings.targets.first_contact[Heat.UPSET] == timedelta(hours=4)
    assert settings.default_hour == time(9, 0)
    assert settings.date_order == "dmy"
    assert settings.week_start == "monday" and settings.first_weekday == 0
    assert settings.theme == DEFAULT_THEME == "textual-dark"
    assert dict(settings.keys) == {}
    assert settings.date_settings() == DateSettings()
    assert not settings_path.exists()  # never created


def test_the_default_path_comes_from_the_environment(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(settings_path, "dont_wait_hours = 2\n")
    monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings_path))
    settings = load_settings()
    assert settings.path == settings_path
    assert settings.dont_wait_hours == 2


def test_without_the_environment_it_is_in_the_config_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Path(os.environ["XDG_CONFIG_HOME"])
    folder = config / "workbench"
    folder.mkdir(parents=True)
    write(folder / "settings.toml", 'theme = "nord"\n')
    assert load_settings().theme == "nord"


def test_an_empty_file_or_comments_only_mean_the_defaults(settings_path: Path) -> None:
    write(settings_path, "# nothing set yet\n\n")
    assert load_settings(settings_path) == Settings(path=settings_path)


def test_every_setting_set_to_a_good_value(settings_path: Path) -> None:
    write(
        settings_path,
        """\
# my workbench
dont_wait_hours = 1.5
default_hour = "08:30"
date_order = "mdy"
week_start = "sunday"
theme = "nord"

[keys]
new-case = "ctrl+n"
quit = "ctrl+q, Q"
help = ["f1", "question_mark"]
""",
    )
    settings = load_settings(settings_path)
    assert settings.dont_wait_hours == 1.5
    assert set(settings.targets.first_contact.values()) == {timedelta(minutes=90)}
    assert settings.default_hour == time(8, 30)
    assert settings.date_order == "mdy"
    assert settings.week_start == "sunday" and settings.first_weekday == 6
    assert settings.theme == "nord"
    assert dict(settings.keys) == {
        "new-case": "ctrl+n",
        "quit": "ctrl+q,Q",
        "help": "f1,question_mark",
    }
    assert settings.date_settings() == DateSettings(
        day_first=False, default_hour=8, default_minute=30
    )
    assert settings.date_settings("dmy").day_first  # the environment's order wins


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("dont_wait_hours = 8", "dont_wait_hours", 8.0),
        ("dont_wait_hours = 0.5", "dont_wait_hours", 0.5),
        ("dont_wait_hours = 720", "dont_wait_hours", 720.0),
        ('default_hour = "7:05"', "default_hour", time(7, 5)),
        ('default_hour = "00:00"', "default_hour", time(0, 0)),
        ('default_hour = "23:59"', "default_hour", time(23, 59)),
        ("default_hour = 10", "default_hour", time(10, 0)),
        ("default_hour = 08:15:00", "default_hour", time(8, 15)),
        ('date_order = "DMY"', "date_order", "dmy"),
        ('week_start = "Saturday"', "week_start", "saturday"),
        ('escalate_to = " sam "', "escalate_to", "sam"),
        ('escalate_to = ""', "escalate_to", ""),
        (
            'first_contact = { furious = "30m", calm = "2d" }',
            "first_contact",
            {Heat.FURIOUS: timedelta(minutes=30), Heat.CALM: timedelta(days=2)},
        ),
        ('resolution = { upset = "1w 2d" }', "resolution", {Heat.UPSET: timedelta(days=9)}),
        ('week_start = "wed"', "week_start", "wednesday"),
        ('theme = "textual-light"', "theme", "textual-light"),
        ('theme = "Dracula"', "theme", "dracula"),
    ],
)
def test_other_good_forms(settings_path: Path, line: str, field: str, expected: object) -> None:
    write(settings_path, line + "\n")
    assert getattr(load_settings(settings_path), field) == expected


def test_keys_may_be_written_dotted_or_inline(settings_path: Path) -> None:
    write(settings_path, 'keys.new-case = "ctrl+n"\n')
    assert dict(load_settings(settings_path).keys) == {"new-case": "ctrl+n"}
    write(settings_path, 'keys = { new-case = "ctrl+n", "edit-case" = "ctrl+e" }\n')
    assert dict(load_settings(settings_path).keys) == {"new-case": "ctrl+n", "edit-case": "ctrl+e"}


# -- every bad value ---------------------------------------------------------------------------

BAD = [
    # dont_wait_hours
    ('dont_wait_hours = "4"', "dont_wait_hours", ["not “4” (text)", "without quotes"]),
    ('dont_wait_hours = "soon"', "dont_wait_hours", ["“soon”", "0.5 to 720"]),
    ("dont_wait_hours = true", "dont_wait_hours", ["true (true/false)", "0.5 to 720"]),
    ("dont_wait_hours = 0", "dont_wait_hours", ["0.5 to 720", "not 0 (a whole number)"]),
    ("dont_wait_hours = -3", "dont_wait_hours", ["0.5 to 720", "not -3"]),
    ("dont_wait_hours = 0.25", "dont_wait_hours", ["0.5 to 720", "not 0.25"]),
    ("dont_wait_hours = 1000", "dont_wait_hours", ["0.5 to 720", "not 1000"]),
    ("dont_wait_hours = nan", "dont_wait_hours", ["0.5 to 720", "nan"]),
    ("dont_wait_hours = inf", "dont_wait_hours", ["0.5 to 720", "inf"]),
    ("dont_wait_hours = [4]", "dont_wait_hours", ["a list"]),
    # default_hour
    ('default_hour = "25:00"', "default_hour", ["HH:MM", "hour 25 is past 23"]),
    ('default_hour = "09:60"', "default_hour", ["HH:MM", "minute 60 is past 59"]),
    ('default_hour = "9am"', "default_hour", ["HH:MM", "“9am”"]),
    ('default_hour = "٠٩:٣٠"', "default_hour", ["HH:MM", "“٠٩:٣٠”"]),  # digits 0-9 only
    ('default_hour = "０９:３０"', "default_hour", ["HH:MM", "“０９:３０”"]),
    ('default_hour = "09:00:30"', "default_hour", ["HH:MM", "“09:00:30”"]),
    ('default_hour = ""', "default_hour", ["HH:MM", "“” (text)"]),
    ("default_hour = 24", "default_hour", ["whole hour from 0 to 23", "not 24"]),
    ("default_hour = 9.5", "default_hour", ["HH:MM", "9.5 (a number)"]),
    ("default_hour = 09:00:30", "default_hour", ["Seconds", "09:00:30 (a time)"]),
    ("default_hour = 2026-11-23", "default_hour", ["2026-11-23 (a date)"]),
    ("default_hour = false", "default_hour", ["false (true/false)"]),
    # date_order
    ('date_order = "ymd"', "date_order", ['"dmy"', '"mdy"', "“ymd”"]),
    ("date_order = 1", "date_order", ['"dmy"', "1 (a whole number)"]),
    # week_start
    ('week_start = "sundy"', "week_start", ["weekday", "Did you mean sunday?"]),
    ('week_start = "su"', "week_start", ["weekday", "“su”"]),
    ("week_start = 0", "week_start", ["weekday", "0 (a whole number)"]),
    # theme
    ('theme = "nordd"', "theme", ["Textual theme", "Did you mean nord?", "textual-dark, "]),
    ('theme = "no such look"', "theme", ["Textual theme", "gruvbox", "dracula"]),
    ("theme = 3", "theme", ["Textual theme", "3 (a whole number)"]),
    ("theme = { name = 'nord' }", "theme", ["a table"]),
    # escalate_to
    ("escalate_to = 3", "escalate_to", ["an agent's name", "3 (a whole number)"]),
    (f'escalate_to = "{"x" * 65}"', "escalate_to", ["1 to 64 characters"]),
    # first_contact and resolution: tables of a length of time by heat
    (
        'first_contact = { furious = "soon" }',
        "first_contact.furious",
        ['"90m"', "“soon”", 'For example: furious = "1h"'],
    ),
    ("first_contact = { upset = 4 }", "first_contact.upset", ["Say which unit", "4 (a whole"]),
    (
        'resolution = { calm = "400d" }',
        "resolution.calm",
        ["from 5 minutes to 365 days", "“400d”", 'calm = "10d"'],
    ),
    ('resolution = { calm = "2m" }', "resolution.calm", ["from 5 minutes", "“2m”"]),
    ('resolution = "5d"', "resolution", ["must be a table", "“5d” (text)", 'upset = "5d"']),
]


@pytest.mark.parametrize(("line", "key", "fragments"), BAD, ids=[b[0] for b in BAD])
def test_every_bad_value_is_named_with_its_line(
    settings_path: Path, line: str, key: str, fragments: list[str]
) -> None:
    text = f'# settings\ntheme = "nord"\n\n{line}\n' if key != "theme" else f"# a\n\n\n{line}\n"
    error = error_for(settings_path, text)
    message = str(error)
    assert error.key == key
    assert error.line == 4
    assert f"{settings_path}" in message
    assert f"line 4: {key} must be" in message
    for fragment in fragments:
        assert fragment in message, message
    assert "Nothing was changed" in message


def test_an_unknown_setting_is_refused_with_a_suggestion(settings_path: Path) -> None:
    error = error_for(settings_path, 'theme = "nord"\ndont_wait_hour = 2\n')
    assert (error.key, error.line) == ("dont_wait_hour", 2)
    message = str(error)
    assert "“dont_wait_hour” is not a setting" in message
    assert "Did you mean dont_wait_hours?" in message
    assert (
        "dont_wait_hours, default_hour, date_order, week_start, theme, bell, first_contact, "
        "resolution, escalate_to, keys" in message
    )


def test_an_unknown_setting_far_from_any_is_listed_without_a_guess(settings_path: Path) -> None:
    error = error_for(settings_path, "colour = 'red'\n")
    assert (error.key, error.line) == ("colour", 1)
    assert "Did you mean" not in str(error)


def test_a_misplaced_table_is_an_unknown_setting(settings_path: Path) -> None:
    error = error_for(settings_path, '[dates]\norder = "mdy"\n')
    assert (error.key, error.line) == ("dates", 1)


def test_every_problem_is_listed_in_file_order(settings_path: Path) -> None:
    error = error_for(
        settings_path,
        'theme = "nope"\n\n[keys]\nnew-case = 1\n',
    )
    assert [(p.key, p.line) for p in error.problems] == [("theme", 1), ("keys.new-case", 4)]
    assert "(2 problems)" in str(error)
    assert (error.key, error.line) == ("theme", 1)


def test_bad_toml_gives_the_line_and_column(settings_path: Path) -> None:
    error = error_for(settings_path, 'theme = "nord"\ndont_wait_hours = \n')
    assert error.line == 2 and error.key is None
    message = str(error)
    assert "line 2: this is not valid TOML" in message
    assert "column" in message


def test_an_unquoted_word_is_bad_toml(settings_path: Path) -> None:
    error = error_for(settings_path, "\n\ntheme = nord\n")
    assert error.line == 3
    assert 'theme = "nord"' in str(error)  # the example shows the quotes


def test_a_setting_given_twice_is_bad_toml(settings_path: Path) -> None:
    error = error_for(settings_path, "dont_wait_hours = 2\ndont_wait_hours = 3\n")
    assert error.line == 2


def test_an_unfinished_string_is_bad_toml(settings_path: Path) -> None:
    error = error_for(settings_path, 'theme = "nord\n')
    assert error.line == 1
    assert "not valid TOML" in str(error)


def test_a_file_that_is_not_utf8_is_refused(settings_path: Path) -> None:
    settings_path.write_bytes(b'dont_wait_hours = 2\ntheme = "n\xe9rd"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(settings_path)
    assert caught.value.line == 2
    message = str(caught.value)
    assert "not UTF-8" in message and "0xe9" in message and str(settings_path) in message


def test_a_utf8_byte_order_mark_is_fine(settings_path: Path) -> None:
    settings_path.write_bytes(b'\xef\xbb\xbftheme = "nord"\n')
    assert load_settings(settings_path).theme == "nord"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may read any file"
)
def test_an_unreadable_file_is_refused(settings_path: Path) -> None:
    write(settings_path, 'theme = "nord"\n')
    settings_path.chmod(0)
    try:
        with pytest.raises(SettingsError) as caught:
            load_settings(settings_path)
    finally:
        settings_path.chmod(0o600)
    message = str(caught.value)
    assert str(settings_path) in message and "permission denied" in message


def test_a_permission_error_is_explained_even_for_root(
    settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(settings_path, 'theme = "nord"\n')

    def refuse(path: Path, limit: int) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(settings_module, "read_small_file", refuse)
    with pytest.raises(SettingsError) as caught:
        load_settings(settings_path)
    message = str(caught.value)
    assert str(settings_path) in message
    assert "permission denied" in message and "chmod u+r" in message
    assert caught.value.key is None


def test_a_folder_in_place_of_the_file_is_refused(settings_path: Path) -> None:
    settings_path.mkdir()
    with pytest.raises(SettingsError, match="it is a folder, not a file"):
        load_settings(settings_path)


def test_a_path_through_a_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "plain", "")
    with pytest.raises(SettingsError, match="could not be read"):
        load_settings(tmp_path / "plain" / "settings.toml")


# -- [keys] ------------------------------------------------------------------------------------


def test_an_unknown_binding_id_is_named_and_the_valid_ones_listed(settings_path: Path) -> None:
    error = error_for(settings_path, '[keys]\nnew-case = "ctrl+n"\nnew_cse = "x"\n')
    assert (error.key, error.line) == ("keys.new_cse", 3)
    message = str(error)
    assert "“new_cse” in [keys] is not a binding id" in message
    assert "Did you mean new-case?" in message
    for binding_id in BINDING_IDS:
        assert binding_id in message


BAD_KEYS = [
    ("new-case = 5", "5 (a whole number)"),
    ("new-case = true", "true (true/false)"),
    ('new-case = ""', "can't be left without a key"),
    ('new-case = "n,,m"', "a key is missing"),
    ('new-case = "ctrl+"', "“ctrl+” has no key after the last +"),
    ('new-case = "cmd+n"', "“cmd” in “cmd+n” is not a modifier"),
    ('new-case = "ctrl n"', "has a space in it"),
    ('new-case = "Enter"', "“Enter” is not a key name (names are lower case: enter)"),
    ("new-case = []", "a list"),
    ('new-case = ["n", 2]', "a list"),
    ("new-case = { key = 'n' }", "a table"),
]


@pytest.mark.parametrize(("line", "fragment"), BAD_KEYS, ids=[b[0] for b in BAD_KEYS])
def test_a_bad_key_is_named_with_its_line(settings_path: Path, line: str, fragment: str) -> None:
    error = error_for(settings_path, f'theme = "nord"\n\n[keys]\nquit = "Q"\n{line}\n')
    assert (error.key, error.line) == ("keys.new-case", 5)
    message = str(error)
    assert "line 5: keys.new-case must be a key" in message
    assert fragment in message, message


def test_keys_must_be_a_table(settings_path: Path) -> None:
    error = error_for(settings_path, '\nkeys = "ctrl+n"\n')
    assert (error.key, error.line) == ("keys", 2)
    assert "keys must be a table" in str(error)


def test_a_binding_inside_the_wrong_table_is_found_on_its_line(settings_path: Path) -> None:
    error = error_for(settings_path, '[keys]\ntheme = "nord"\n')
    assert (error.key, error.line) == ("keys.theme", 2)


def test_settings_error_lines_point_inside_their_own_table(settings_path: Path) -> None:
    # the same name above and inside [keys]: the bad one is the one inside
    error = error_for(settings_path, "help = 1\n[keys]\nhelp = 2\n")
    lines = {p.key: p.line for p in error.problems}
    assert lines == {"help": 1, "keys.help": 3}


# ---------------------------------------------------------------------------------------------
# What the settings change on the command line


@pytest.fixture
def use_settings(settings_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    def use(text: str) -> Path:
        write(settings_path, text)
        monkeypatch.setenv("WORKBENCH_SETTINGS", str(settings_path))
        return settings_path

    return use


def cli(
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    *args: str,
    now: datetime = NOW,
) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db_path), *args], clock=lambda: now)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def open_uncontacted_case(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(
        db_path,
        capsys,
        "add",
        "Parcel never came",
        "--customer",
        "Ana Chen",
        "--not-contacted",
        now=NOW - timedelta(hours=2),
    )
    assert code == 0, err


@pytest.mark.parametrize(("hours", "flagged"), [(1, True), (8, False)])
def test_the_dont_wait_flag_follows_the_setting(
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    use_settings: Callable[[str], Path],
    hours: int,
    flagged: bool,
) -> None:
    open_uncontacted_case(db_path, capsys)  # two hours before NOW
    use_settings(f"dont_wait_hours = {hours}\n")
    code, out, err = cli(db_path, capsys, "list", "--json")
    assert code == 0, err
    [line] = json.loads(out)
    assert line["needs_contact"] is flagged
    code, out, _ = cli(db_path, capsys, "show", "C-0001", "--json")
    assert json.loads(out)["needs_contact"] is flagged
    code, out, _ = cli(db_path, capsys, "show", "C-0001")
    assert ("Don't wait" in out) is flagged
    code, out, _ = cli(db_path, capsys, "list")
    assert ("⌛" in out.splitlines()[1]) is flagged


def test_without_settings_the_limit_is_four_hours(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_uncontacted_case(db_path, capsys)
    _, out, _ = cli(db_path, capsys, "list", "--json")
    assert json.loads(out)[0]["needs_contact"] is False
    _, out, _ = cli(db_path, capsys, "list", "--json", now=NOW + timedelta(hours=3))
    assert json.loads(out)[0]["needs_contact"] is True


def schedule(db_path: Path, capsys: pytest.CaptureFixture[str], when: str) -> str:
    code, out, err = cli(db_path, capsys, "followup", "C-0001", when, "--json")
    assert code == 0, err
    due: str = json.loads(out)["followups"][-1]["due"]
    return due


def test_default_hour_decides_what_tomorrow_means(
    db_path: Path, capsys: pytest.CaptureFixture[str], use_settings: Callable[[str], Path]
) -> None:
    open_uncontacted_case(db_path, capsys)
    assert schedule(db_path, capsys, "tomorrow").startswith("2026-11-24T09:00")
    use_settings('default_hour = "07:45"\n')
    assert schedule(db_path, capsys, "tomorrow").startswith("2026-11-24T07:45")
    assert schedule(db_path, capsys, "in 3 days").startswith("2026-11-26T07:45")
    assert schedule(db_path, capsys, "tomorrow 10am").startswith("2026-11-24T10:00")


def test_month_first_dates_from_the_file_and_the_environment_wins(
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    use_settings: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_uncontacted_case(db_path, capsys)
    assert schedule(db_path, capsys, "1/12 9:30").startswith("2026-12-01T09:30")
    use_settings('date_order = "mdy"\n')
    assert schedule(db_path, capsys, "1/12 9:30").startswith("2027-01-12T09:30")
    monkeypatch.setenv("WORKBENCH_DATE_ORDER", "dmy")
    assert schedule(db_path, capsys, "1/12 9:30").startswith("2026-12-01T09:30")


def test_a_bad_settings_file_stops_every_command_and_touches_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str], use_settings: Callable[[str], Path]
) -> None:
    open_uncontacted_case(db_path, capsys)
    before = db_path.read_bytes()
    stamp = db_path.stat().st_mtime_ns
    path = use_settings('theme = "nord"\n\ndont_wait_hours = "four"\n')
    for args in (
        ["list"],
        ["list", "--json"],
        ["add", "Another", "--customer", "Bo"],
        ["followup", "C-0001", "tomorrow"],
        ["doctor"],
        [],  # the full screen: refused before it looks for a terminal
    ):
        code, out, err = cli(db_path, capsys, *args)
        assert code == 2, args
        assert out == ""
        assert err.startswith(f"workbench: the settings file {path} can't be used")
        assert "line 3: dont_wait_hours must be" in err
        assert "Traceback" not in err
    assert db_path.read_bytes() == before
    assert db_path.stat().st_mtime_ns == stamp


def test_a_bad_settings_file_before_any_database_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], use_settings: Callable[[str], Path]
) -> None:
    use_settings("[keys]\nnew-case = 3\n")
    code, _, err = cli(tmp_path / "new.json", capsys, "add", "x", "--customer", "A")
    assert code == 2
    assert "line 2: keys.new-case must be a key" in err
    assert not (tmp_path / "new.json").exists()


def test_help_names_the_settings_file(
    capsys: pytest.CaptureFixture[str], use_settings: Callable[[str], Path]
) -> None:
    path = use_settings('theme = "nope"\n')  # help still works when the file is bad
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = "".join(capsys.readouterr().out.split())  # argparse wraps the epilog, even in paths
    assert "".join(str(path).split()) in out
    assert "$WORKBENCH_SETTINGS" in out


def test_help_names_the_default_settings_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = "".join(capsys.readouterr().out.split())
    expected = Path(os.environ["XDG_CONFIG_HOME"]) / "workbench" / "settings.toml"
    assert "".join(str(expected).split()) in out


def test_doctor_says_where_the_settings_are(
    db_path: Path, capsys: pytest.CaptureFixture[str], use_settings: Callable[[str], Path]
) -> None:
    code, out, _ = cli(db_path, capsys, "doctor")
    assert code == 0 and "every setting is at its default" in out
    path = use_settings("dont_wait_hours = 2\n")
    code, out, _ = cli(db_path, capsys, "doctor", "--json")
    assert json.loads(out)["settings"] == str(path)


def test_targets_by_heat_from_a_file_with_the_old_limit_beside_them(settings_path: Path) -> None:
    write(
        settings_path,
        'dont_wait_hours = 2\n\n[first_contact]\nfurious = "30m"\n\n[resolution]\ncalm = "2w"\n',
    )
    targets = load_settings(settings_path).targets
    assert dict(targets.first_contact) == {
        Heat.FURIOUS: timedelta(minutes=30),  # named: wins over the old limit
        Heat.UPSET: timedelta(hours=2),
        Heat.CALM: timedelta(hours=2),
    }
    assert targets.resolution[Heat.CALM] == timedelta(days=14)
    assert targets.resolution[Heat.FURIOUS] == timedelta(days=2)  # the default


def test_a_heat_that_is_not_one_is_named_with_its_line_and_the_heats(settings_path: Path) -> None:
    error = error_for(settings_path, '[first_contact]\nfurios = "1h"\nhot = "2h"\n')
    message = str(error)
    assert (error.key, error.line) == ("first_contact.furios", 2)
    assert "“furios” in [first_contact] is not a heat. Did you mean furious?" in message
    assert "line 3: “hot” in [first_contact] is not a heat" in message
    assert "Heats: furious, upset, calm." in message
