"""``workbench export`` and ``workbench followups`` over a temporary database.

Until the two commands are wired into :func:`workbench.cli.main`, the tests build the same
subcommands on a small parser of their own (with the real Context); once ``main`` knows
``export``, they run through ``main`` itself, as a script would.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import stat
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import icalendar
import pytest
from helpers.cli_driver import Run, cli_runner

from workbench.cli.export import (
    configure_export_parser,
    configure_followups_parser,
)
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Channel
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore

PLUS_ONE = timezone(timedelta(hours=1))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in November 2026; NOW is Mon 23 Nov 2026, 14:30 +01:00."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PLUS_ONE)


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    return cli_runner(db_path, capsys)


@pytest.fixture
def filled(
    db_path: Path,
    make_draft: Callable[..., CaseDraft],
    library: PlaybookLibrary,
    now: datetime,
) -> Path:
    """C-0001 Ana: F1 overdue (Mon 10:00), F2 done (Mon 09:00), F3 Tue 00:30, F4 Tue 23:00.
    C-0002 Bob: F1 Wed 09:00, F2 cancelled (Mon 16:00), F3 Mon 16:30 (later today)."""
    store = CaseStore(db_path)
    playbook = library.get("our-mistake")
    earlier = now - timedelta(days=2)
    ana = store.add(make_draft(), playbook, earlier)
    bob = store.add(make_draft(customer="Bob Stone", title="Wrong size"), playbook, earlier)

    def plan(case_id: str, *items: tuple[datetime, str]) -> None:
        def schedule(case: Case, due: datetime, what: str) -> None:
            actions.schedule_followup(case, due, what, earlier)

        for due, what in items:
            store.update(case_id, partial(schedule, due=due, what=what))

    plan(
        ana.id,
        (at(23, 10), "Call to check the refund"),
        (at(23, 9), "Send the credit note"),
        (at(24, 0, 30), "Early check"),
        (at(24, 23), "Late check"),
    )
    plan(
        bob.id,
        (at(25, 9), "Check the parcel arrived"),
        (at(23, 16), "Offer the exchange"),
        (at(23, 16, 30), "Call about the exchange"),
    )
    store.update(ana.id, lambda c: actions.complete_followup(c, 2, at(23, 9, 5)))
    store.update(bob.id, lambda c: actions.cancel_followup(c, 2, at(23, 11)))
    store.close()
    return db_path


def csv_refs(data: bytes) -> list[str]:
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [f"{row['case']}/{row['follow-up']}" for row in rows]


# -- export ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("filled")
def test_export_writes_a_private_file_and_says_how_many(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "followups.csv"
    result = run("export", "--format", "csv", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == f"Wrote 7 follow-ups to {out}\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(codecs.BOM_UTF8 + b"due,case,")
    assert csv_refs(out.read_bytes()) == [
        "C-0001/F2",
        "C-0001/F1",
        "C-0002/F2",
        "C-0002/F3",
        "C-0001/F3",
        "C-0001/F4",
        "C-0002/F1",
    ]


@pytest.mark.usefixtures("filled")
def test_export_refuses_to_overwrite_without_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "followups.md"
    out.write_text("my notes")
    out.chmod(0o640)
    refused = run("export", "--format", "md", "-o", str(out))
    assert refused.code == 2
    assert refused.err == f"workbench: {out} already exists and was left as it is. " + (
        "Add --force to replace it.\n"
    )
    assert out.read_text() == "my notes"
    forced = run("export", "--format", "md", "-o", str(out), "--force")
    assert forced.code == 0, forced.err
    assert out.read_text(encoding="utf-8").startswith("# Follow-ups")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the replaced file's mode is kept


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(path: Path) -> None:
    (path.parent / "diary.txt").write_text("precious")
    path.symlink_to("diary.txt")


def _dangling(path: Path) -> None:
    path.symlink_to("gone.txt")


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_fifo, "is a named pipe (FIFO), not a regular file, so it was left as it is."),
        (_link, "is a symbolic link to diary.txt. An export is never written through a link"),
        (_dangling, "is a symbolic link to gone.txt, which does not exist."),
        (Path.mkdir, "is a folder; give a file name to write to."),
    ],
)
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_export_writes_only_plain_files(
    run: Run, tmp_path: Path, make: Callable[[Path], None], said: str, force: list[str]
) -> None:
    """Not with --force either: the message names the problem and never suggests --force."""
    out = tmp_path / "followups.csv"
    make(out)
    before = out.lstat()
    result = run("export", "--format", "csv", "-o", str(out), *force)
    assert result.code == 2
    assert result.err.startswith(f"workbench: {out} {said}")
    assert "--force" not in result.err
    after = out.lstat()
    assert (after.st_ino, after.st_mode, after.st_mtime_ns) == (
        before.st_ino,
        before.st_mode,
        before.st_mtime_ns,
    )
    if (tmp_path / "diary.txt").exists():
        assert (tmp_path / "diary.txt").read_text() == "precious"


@pytest.mark.usefixtures("filled")
def test_export_to_stdout_keeps_the_message_on_stderr(run: Run) -> None:
    result = run("export", "--format", "ics", "-o", "-", "--status", "open")
    assert result.code == 0, result.err
    assert result.err == "Wrote 5 follow-ups to standard output.\n"
    calendar = icalendar.Calendar.from_ical(result.out.encode())
    uids = sorted(str(event["uid"]) for event in calendar.walk("VEVENT"))
    assert uids == [
        "C-0001-F1@workbench",
        "C-0001-F3@workbench",
        "C-0001-F4@workbench",
        "C-0002-F1@workbench",
        "C-0002-F3@workbench",
    ]


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "tue", "--to", "tue"], ["C-0001/F3", "C-0001/F4"]),
        (["--to", "tue 12:00", "--from", "tue"], ["C-0001/F3"]),
        (["--from", "2026-11-24 00:30", "--to", "24/11/2026 00:30"], ["C-0001/F3"]),
        (["--from", "today 16:00", "--to", "today"], ["C-0002/F2", "C-0002/F3"]),
        (["--status", "open", "--to", "today"], ["C-0001/F1", "C-0002/F3"]),
        (["--status", "done"], ["C-0001/F2"]),
        (["--overdue"], ["C-0001/F1"]),
        (["--overdue", "--status", "open", "--from", "wed"], []),
        (["--from", "yesterday", "--to", "2 days ago"], None),
    ],
)
def test_export_filters_by_day_time_and_status(
    run: Run, tmp_path: Path, args: list[str], expected: list[str] | None
) -> None:
    out = tmp_path / "x.csv"
    result = run("export", "--format", "csv", "-o", str(out), *args)
    if expected is None:  # --from after --to
        assert result.code == 2
        assert "is after --to" in result.err
        assert not out.exists()
        return
    assert result.code == 0, result.err
    assert csv_refs(out.read_bytes()) == expected


@pytest.mark.usefixtures("filled")
@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--from", "tomorow"], "tomorow"),
        (["--overdue", "--status", "done"], "can't go with --status done"),
        (["--format", "xlsx"], "invalid choice"),
    ],
)
def test_export_bad_input_exits_2_with_one_line(
    run: Run, tmp_path: Path, args: list[str], fragment: str
) -> None:
    out = tmp_path / "x.csv"
    result = run("export", "--format", "csv", "-o", str(out), *args)
    assert result.code == 2
    assert fragment in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


@pytest.mark.usefixtures("filled")
def test_export_into_a_missing_folder_is_explained(run: Run, tmp_path: Path) -> None:
    result = run("export", "--format", "md", "-o", str(tmp_path / "nope" / "x.md"))
    assert result.code == 2
    assert (
        result.err
        == f"workbench: The folder {tmp_path / 'nope'} does not exist; create it first.\n"
    )


def test_export_of_an_empty_database_still_writes_the_header(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = run("export", "--format", "csv", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out == f"Wrote 0 follow-ups to {out}\n"
    assert csv_refs(out.read_bytes()) == []


# -- followups ------------------------------------------------------------------------------


@pytest.mark.usefixtures("filled")
def test_followups_today_puts_overdue_ones_first(run: Run) -> None:
    result = run("followups")
    assert result.code == 0, result.err
    assert result.out == (
        "Overdue\n"
        "  Mon 23 Nov 10:00  C-0001/F1  Ana Chen              "
        "Call to check the refund (phone)  ! overdue 4h\n"
        "Today, Mon 23 Nov\n"
        "  16:30  C-0002/F3  Bob Stone             Call about the exchange (phone)\n"
        "\n"
        "2 follow-ups, 1 overdue: call them first.\n"
    )
    assert run("followups", "--today").out == result.out


@pytest.mark.usefixtures("filled")
def test_followups_week_groups_the_coming_days(run: Run) -> None:
    lines = run("followups", "--week").out.splitlines()
    titles = [line for line in lines if line and not line.startswith(" ")]
    assert titles == [
        "Overdue",
        "Today, Mon 23 Nov",
        "Tomorrow, Tue 24 Nov",
        "Wed 25 Nov",
        "5 follow-ups, 1 overdue: call them first.",
    ]
    assert not any("Send the credit note" in line or "Offer the exchange" in line for line in lines)


@pytest.mark.usefixtures("filled")
def test_followups_overdue_and_json(run: Run) -> None:
    result = run("followups", "--overdue", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {
            "case": "C-0001",
            "followup": "F1",
            "due": "2026-11-23T10:00:00+01:00",
            "overdue": True,
            "customer": "Ana Chen",
            "contact": "ana@example.com",
            "title": "Charged twice for March",
            "action": "Call to check the refund",
            "channel": "phone",
        }
    ]


def test_followups_with_nothing_due_says_so(run: Run) -> None:
    assert run("followups").out == "Nothing due today, and nothing overdue.\n"
    assert run("followups", "--overdue").out == "Nothing overdue.\n"


def test_followups_shows_user_text_harmlessly(
    run: Run,
    db_path: Path,
    make_draft: Callable[..., CaseDraft],
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    store = CaseStore(db_path)
    case = store.add(make_draft(customer="Eve \x1b]0;pwned\x07"), library.get("unhappy"), now)
    store.update(
        case.id,
        lambda c: actions.schedule_followup(c, at(23, 18), "Call \x1b[2J", now, Channel.VIDEO),
    )
    store.close()
    out = run("followups").out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "Eve " in out
    assert "(video)" in out


@pytest.mark.usefixtures("filled")
def test_csv_to_stdout_has_no_byte_order_mark(run: Run) -> None:
    result = run("export", "--format", "csv", "-o", "-", "--overdue")
    assert result.code == 0, result.err
    assert result.out.startswith("due,case,follow-up,")
    assert [row["case"] for row in csv.DictReader(io.StringIO(result.out))] == ["C-0001"]


def test_every_option_is_in_the_help() -> None:
    export, followups = argparse.ArgumentParser(), argparse.ArgumentParser()
    configure_export_parser(export)
    configure_followups_parser(followups)
    for option in ("--format", "--from", "--to", "--status", "--overdue", "--output", "--force"):
        assert option in export.format_help()
    for option in ("--today", "--week", "--overdue"):
        assert option in followups.format_help()


def test_an_export_to_a_terminal_spells_out_control_characters(tmp_path: Path) -> None:
    """``-o -`` read by a person: an escape sequence in a case never reaches the terminal
    as a command (a pipe still gets the exact bytes)."""
    import contextlib
    import io

    from workbench.cli import main

    db = tmp_path / "cases.json"
    hostile = "Call back \x1b]0;owned\x07 soon"
    assert main(["--db", str(db), "add", "x", "--customer", "y"]) == 0
    assert main(["--db", str(db), "followup", "C-0001", "tomorrow", "--what", hostile]) == 0

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, raw in ((Terminal(), False), (io.StringIO(), True)):
        with contextlib.redirect_stdout(stream):
            assert main(["--db", str(db), "export", "--format", "csv", "-o", "-"]) == 0
        assert ("\x1b" in stream.getvalue()) is raw
        assert ("\\x1b]0;owned\\x07" in stream.getvalue()) is not raw
