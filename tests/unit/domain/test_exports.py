"""Follow-up exports: which follow-ups are taken, and CSV, iCalendar and Markdown read back."""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.dates import DateParseError, DateSettings
from workbench.domain.exports import (
    CSV_HEADER,
    FORMATS,
    FORMULA_STARTS,
    ExportError,
    ExportExistsError,
    ExportFilter,
    Row,
    markdown_text,
    neutralise_cell,
    read_bound,
    render,
    to_csv,
    to_ics,
    to_markdown,
)
from workbench.domain.model import Case, Channel, Status
from workbench.domain.playbooks import PlaybookLibrary

Draft = Callable[..., CaseDraft]
PLUS_ONE = timezone(timedelta(hours=1))


def at(day: int, hour: int, minute: int = 0, tz: timezone = PLUS_ONE) -> datetime:
    """A time in November 2026 (NOW is Mon 23 Nov 2026, 14:30 +01:00)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


@pytest.fixture
def open_case(make_draft: Draft, library: PlaybookLibrary, now: datetime) -> Callable[..., Case]:
    numbers = iter(range(1, 100))

    def make(**draft: object) -> Case:
        opened = now - timedelta(days=3)
        return actions.open_case(
            make_draft(**draft), f"C-{next(numbers):04d}", library.get("our-mistake"), opened
        )

    return make


@pytest.fixture
def cases(open_case: Callable[..., Case], now: datetime) -> list[Case]:
    """Ana: overdue (F1), done (F2), tomorrow (F3). Bob: cancelled (F1), Wed (F2)."""
    scheduled = now - timedelta(days=2)
    ana = open_case()
    actions.schedule_followup(ana, at(23, 10), "Call to check the refund", scheduled)
    actions.schedule_followup(ana, at(23, 9), "Send the credit note", scheduled)
    actions.complete_followup(ana, 2, at(23, 9, 5), "Sent")
    actions.schedule_followup(ana, at(24, 10), "Confirm the refund arrived", scheduled)
    bob = open_case(customer="Bob Stone", title="Wrong size shipped", contact="+44 20 7946 0000")
    actions.schedule_followup(bob, at(24, 11), "Offer the exchange", scheduled, Channel.EMAIL)
    actions.cancel_followup(bob, 1, at(23, 12), "He called us first")
    actions.schedule_followup(bob, at(25, 9), "Check the parcel arrived", scheduled)
    return [bob, ana]  # not in id order: select sorts


def refs(rows: list[Row]) -> list[str]:
    return [f"{case.id}/F{item.id}" for case, item in rows]


# -- choosing ------------------------------------------------------------------------------


def test_select_sorts_by_due_across_cases_and_takes_cancelled_ones_only_with_all(
    cases: list[Case], now: datetime
) -> None:
    rows = ExportFilter().select(cases, now)
    assert refs(rows) == ["C-0001/F2", "C-0001/F1", "C-0001/F3", "C-0002/F1", "C-0002/F2"]
    assert refs(ExportFilter(status="open").select(cases, now)) == [
        "C-0001/F1",
        "C-0001/F3",
        "C-0002/F2",
    ]
    assert refs(ExportFilter(status="done").select(cases, now)) == ["C-0001/F2"]


def test_overdue_means_open_and_past_due(cases: list[Case], now: datetime) -> None:
    # F2 of C-0001 (done) is also before now, but it is not overdue.
    assert refs(ExportFilter(overdue_only=True).select(cases, now)) == ["C-0001/F1"]


def test_the_date_range_includes_both_bounds(cases: list[Case], now: datetime) -> None:
    both_ends = ExportFilter(start=at(23, 10), end=at(24, 11))
    assert refs(both_ends.select(cases, now)) == ["C-0001/F1", "C-0001/F3", "C-0002/F1"]
    a_minute_inside = ExportFilter(start=at(23, 10, 1), end=at(24, 10, 59))
    assert refs(a_minute_inside.select(cases, now)) == ["C-0001/F3"]


def test_the_range_compares_instants_not_wall_clocks(cases: list[Case], now: datetime) -> None:
    """10:00 +01:00 is 09:00 UTC: a UTC bound at 09:00 takes it."""
    chosen = ExportFilter(start=at(24, 9, tz=UTC), end=at(24, 9, tz=UTC))
    assert refs(chosen.select(cases, now)) == ["C-0001/F3"]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"status": "cancelled"}, "open, done or all"),
        ({"start": datetime(2026, 11, 23)}, "time zone"),
        ({"start": at(24, 0), "end": at(23, 0)}, "after it ends"),
    ],
)
def test_a_filter_that_makes_no_sense_is_refused(changes: dict[str, object], fragment: str) -> None:
    with pytest.raises(ExportError, match=fragment):
        ExportFilter(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("tue", at(24, 0), datetime.combine(at(24, 0).date(), time.max, tzinfo=PLUS_ONE)),
        ("2026-11-24", at(24, 0), datetime.combine(at(24, 0).date(), time.max, tzinfo=PLUS_ONE)),
        ("tomorrow 9am", at(24, 9), at(24, 9)),  # the default time, but said: exact
        ("tue 10:30", at(24, 10, 30), at(24, 10, 30)),
        ("in 2 hours", at(23, 16, 30), at(23, 16, 30)),
        ("2 days ago", at(21, 0), datetime.combine(at(21, 0).date(), time.max, tzinfo=PLUS_ONE)),
    ],
)
def test_a_bare_day_as_a_bound_spans_the_whole_day(
    now: datetime, phrase: str, start: datetime, end: datetime
) -> None:
    settings = DateSettings()
    assert read_bound(phrase, now, settings=settings, end=False) == start
    assert read_bound(phrase, now, settings=settings, end=True) == end


def test_the_end_of_a_day_takes_a_followup_in_its_last_minute(
    open_case: Callable[..., Case], now: datetime
) -> None:
    case = open_case()
    actions.schedule_followup(case, at(24, 23, 59).replace(second=30), "Late", now)
    end = read_bound("tue", now, settings=DateSettings(), end=True)
    assert refs(ExportFilter(end=end).select([case], now)) == ["C-0001/F1"]
    with pytest.raises(DateParseError):
        read_bound("tomorow", now, settings=DateSettings(), end=True)


# -- CSV -----------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_header_and_one_row_per_followup(cases: list[Case], now: datetime) -> None:
    rows = ExportFilter().select(cases, now)
    data = render("csv", rows, now)
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(CSV_HEADER)
    read = read_csv(data)
    assert [(r["case"], r["follow-up"], r["status"]) for r in read] == [
        ("C-0001", "F2", "done"),
        ("C-0001", "F1", "open"),
        ("C-0001", "F3", "open"),
        ("C-0002", "F1", "cancelled"),
        ("C-0002", "F2", "open"),
    ]
    first = read[1]
    assert datetime.fromisoformat(first["due"]) == at(23, 10)
    assert first["due"] == "2026-11-23T10:00:00+01:00"
    assert first["customer"] == "Ana Chen"
    assert first["contact"] == "ana@example.com"
    assert first["channel"] == "phone"
    assert first["title"] == "Charged twice for March"
    assert first["what to do"] == "Call to check the refund"
    assert first["case status"] == "new"
    assert read[3]["channel"] == "email"


def test_csv_keeps_names_from_any_script(open_case: Callable[..., Case], now: datetime) -> None:
    case = open_case(customer="Zoë Ğüneş 王芳 — Ñandú", title="Rückerstattung «fehlt» 🙁")
    actions.schedule_followup(case, at(24, 10), 'Llamar, y pedir perdón; luego "cerrar"', now)
    [row] = read_csv(render("csv", [(case, case.followups[0])], now))
    assert row["customer"] == "Zoë Ğüneş 王芳 — Ñandú"
    assert row["title"] == "Rückerstattung «fehlt» 🙁"
    assert row["what to do"] == 'Llamar, y pedir perdón; luego "cerrar"'


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\tplain", "'\tplain"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),  # fullwidth =
        ("\ufe66SUM(A1)", "'\ufe66SUM(A1)"),  # small =
        ("\uff0b1", "'\uff0b1"),  # fullwidth +
        ("\uff0d1", "'\uff0d1"),  # fullwidth -
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),  # fullwidth @
        ("\ufe62 1", "'\ufe62 1"),  # small +
        ("  =1+1", "'  =1+1"),
        ("\u3000\uff1d1", "'\u3000\uff1d1"),  # ideographic space, then fullwidth =
        ("\xa0@x", "'\xa0@x"),
        ("=\u0338x", "'=\u0338x"),  # "=" and a combining stroke, which NFKC makes "≠"
        ("Ana = Chen", "Ana = Chen"),
        ("\uff21na", "\uff21na"),  # a fullwidth letter is no formula
        ("≠ 3", "≠ 3"),
        ("ana@example.com", "ana@example.com"),
        ("", ""),
    ],
)
def test_csv_neutralises_cells_a_spreadsheet_would_run(
    open_case: Callable[..., Case], now: datetime, typed: str, cell: str
) -> None:
    assert neutralise_cell(typed) == cell
    case = open_case(customer="Ana", contact="x")
    case.customer = typed  # the domain trims names; a CSV must be safe whatever is stored
    case.title = typed
    actions.schedule_followup(case, at(24, 10), "Call", now)
    case.followups[0].action = typed
    [row] = read_csv(render("csv", [(case, case.followups[0])], now))
    assert row["customer"] == row["title"] == row["what to do"] == cell


def _formula_like(cell: str) -> bool:
    """A cell some spreadsheet could read as the start of a formula."""
    return any(
        form.lstrip().startswith(FORMULA_STARTS)
        for form in (cell, unicodedata.normalize("NFKC", cell))
    ) or cell.startswith(("\t", "\r", "\n"))


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    typed=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
    | st.builds(
        "".join,
        st.lists(st.sampled_from(" \t\r\n\u3000\xa0=+-@＝﹦＋－＠﹢﹣﹫\u0338aA1'\""), max_size=6),
    )
)
def test_no_csv_cell_starts_like_a_formula(cases: list[Case], now: datetime, typed: str) -> None:
    """Any text, as typed or NFKC-normalised, leading spaces aside: never a formula; and
    a cell changed only by its leading apostrophe."""
    cell = neutralise_cell(typed)
    assert not _formula_like(cell), (typed, cell)
    assert cell in (typed, "'" + typed)
    assert cell == typed or _formula_like(typed)  # only what needs it is changed
    case = copy.deepcopy(cases[0])
    case.customer = case.title = case.contact = typed
    case.followups[0].action = typed
    [row] = read_csv(render("csv", [(case, case.followups[0])], now))
    for column in ("customer", "contact", "title", "what to do"):
        assert row[column] == cell, column


def test_csv_of_nothing_is_just_the_header(now: datetime) -> None:
    assert to_csv([]) == ",".join(CSV_HEADER) + "\r\n"


# -- iCalendar -----------------------------------------------------------------------------


def events(data: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_ics_has_one_event_per_followup_at_the_due_instant(
    cases: list[Case], now: datetime
) -> None:
    rows = ExportFilter().select(cases, now)
    found = events(to_ics(rows, now))
    assert sorted(found) == [
        "C-0001-F1@workbench",
        "C-0001-F2@workbench",
        "C-0001-F3@workbench",
        "C-0002-F1@workbench",
        "C-0002-F2@workbench",
    ]
    for case, item in rows:
        event = found[f"{case.id}-F{item.id}@workbench"]
        start = event.decoded("dtstart")
        assert start == item.due
        assert event.decoded("dtend") - start == timedelta(minutes=15)
        assert event.decoded("dtstamp") == now
    ana = found["C-0001-F1@workbench"]
    assert str(ana["summary"]) == "Follow up: Ana Chen — Charged twice for March"
    description = str(ana["description"])
    assert "C-0001" in description
    assert "What to do: Call to check the refund" in description
    assert "Contact: ana@example.com" in description


def test_ics_times_are_utc_so_every_calendar_reads_them_alike(
    cases: list[Case], now: datetime
) -> None:
    text = to_ics(ExportFilter().select(cases, now), now).decode()
    assert "DTSTART:20261123T090000Z" in text  # 10:00 +01:00
    assert "TZID" not in text
    assert "VERSION:2.0" in text
    assert "PRODID:" in text


def test_ics_marks_done_and_cancelled_followups(cases: list[Case], now: datetime) -> None:
    found = events(to_ics(ExportFilter().select(cases, now), now))
    done, cancelled, still_open = (
        found["C-0001-F2@workbench"],
        found["C-0002-F1@workbench"],
        found["C-0001-F1@workbench"],
    )
    assert str(done["summary"]).startswith("Done: Follow up: Ana Chen")
    assert str(done["status"]) == "CONFIRMED"
    assert str(done["x-workbench-state"]) == "done"
    assert "Done Mon 23 Nov 2026, 09:05: Sent" in str(done["description"])
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]).startswith("Cancelled: Follow up: Bob Stone")
    assert str(still_open["status"]) == "CONFIRMED"
    assert str(still_open["x-workbench-state"]) == "open"


def test_ics_uids_are_the_same_in_a_later_export(cases: list[Case], now: datetime) -> None:
    rows = ExportFilter().select(cases, now)
    first = to_ics(rows, now)
    later = to_ics(list(reversed(rows)), now + timedelta(days=2))
    assert set(events(first)) == set(events(later))
    assert first != later  # DTSTAMP says when each file was made


def test_ics_sequence_and_last_modified_follow_each_change(
    open_case: Callable[..., Case], now: datetime
) -> None:
    case = open_case()
    actions.schedule_followup(case, at(24, 10), "Call", now - timedelta(hours=5))
    actions.schedule_followup(case, at(24, 11), "Call again", now - timedelta(hours=5))

    def current() -> dict[str, icalendar.Component]:
        return events(to_ics([(case, item) for item in case.followups], now))

    before = current()["C-0001-F1@workbench"]
    assert before["sequence"] == 0
    assert before.decoded("last-modified") == now - timedelta(hours=5)

    actions.reschedule_followup(case, 1, at(24, 15), now - timedelta(hours=2))
    actions.complete_followup(case, 1, now - timedelta(hours=1))
    after = current()
    assert after["C-0001-F1@workbench"]["sequence"] == 2
    assert after["C-0001-F1@workbench"].decoded("last-modified") == now - timedelta(hours=1)
    assert after["C-0001-F1@workbench"].decoded("dtstart") == at(24, 15)
    assert after["C-0001-F2@workbench"]["sequence"] == 0  # F1's changes are F1's alone


def test_ics_escapes_commas_semicolons_and_newlines_and_reads_them_back(
    open_case: Callable[..., Case], now: datetime
) -> None:
    case = open_case(customer="Smith, Jones; Ltd", contact="a\\b@example.com")
    case.title = "Line one\nline two, with; all"
    actions.schedule_followup(case, at(24, 10), "Ask: refund, or credit; which?", now)
    data = to_ics([(case, case.followups[0])], now)
    assert b"Smith\\, Jones\\; Ltd" in data
    assert b"Line one\\nline two\\, with\\; all" in data
    [event] = events(data).values()
    assert str(event["summary"]) == "Follow up: Smith, Jones; Ltd — Line one\nline two, with; all"
    description = str(event["description"])
    assert "What to do: Ask: refund, or credit; which?" in description
    assert "Contact: a\\b@example.com" in description


@pytest.mark.skipif(
    shutil.which("calcurse") is None and not os.environ.get("CI"),
    reason="calcurse is not installed (apt-get install calcurse; CI installs it)",
)
def test_calcurse_imports_the_followups_on_the_right_days(
    cases: list[Case], now: datetime, tmp_path: Path
) -> None:
    """A real calendar program reads the file: each follow-up lands at its local time."""
    data_dir = tmp_path / "calcurse"
    data_dir.mkdir()
    ics = tmp_path / "followups.ics"
    ics.write_bytes(to_ics(ExportFilter(status="open").select(cases, now), now))
    env = {**os.environ, "TZ": "WBT-1", "HOME": str(tmp_path)}  # POSIX for UTC+01:00, no tzdata
    base = ["calcurse", "-D", str(data_dir), "-C", str(data_dir)]
    imported = subprocess.run(
        [*base, "-i", str(ics)], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    assert "3 apps" in imported.stdout
    query = subprocess.run(
        [
            *base,
            "--input-datefmt",
            "4",
            "-Q",
            "--from",
            "2026-11-22",
            "--days",
            "5",
            "--format-apt",
            "%(start:%Y-%m-%d %H:%M)-%(end:%H:%M)|%m\n",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    listed = [line for line in query.stdout.splitlines() if "|" in line]
    assert listed == [
        "2026-11-23 10:00-10:15|Follow up: Ana Chen — Charged twice for March",
        "2026-11-24 10:00-10:15|Follow up: Ana Chen — Charged twice for March",
        "2026-11-25 09:00-09:15|Follow up: Bob Stone — Wrong size shipped",
    ]


# -- Markdown ------------------------------------------------------------------------------


def test_markdown_groups_by_day_with_one_line_each(cases: list[Case], now: datetime) -> None:
    text = to_markdown(ExportFilter().select(cases, now), now)
    assert text == (
        "# Follow-ups\n"
        "\n"
        "Exported Mon 23 Nov 2026, 14:30 · 5 follow-ups\n"
        "\n"
        "## Mon 23 Nov 2026\n"
        "\n"
        "- ~~09:00 · C-0001 · Ana Chen — Send the credit note (phone)~~ ✓ done\n"
        "- 10:00 · C-0001 · Ana Chen — Call to check the refund (phone) · **overdue**\n"
        "\n"
        "## Tue 24 Nov 2026\n"
        "\n"
        "- 10:00 · C-0001 · Ana Chen — Confirm the refund arrived (phone)\n"
        "- ~~11:00 · C-0002 · Bob Stone — Offer the exchange (e-mail)~~ (cancelled)\n"
        "\n"
        "## Wed 25 Nov 2026\n"
        "\n"
        "- 09:00 · C-0002 · Bob Stone — Check the parcel arrived (phone)\n"
    )


def test_markdown_days_are_counted_in_the_agents_time_zone(
    open_case: Callable[..., Case], now: datetime
) -> None:
    """23:30 UTC on the 23rd is 00:30 on the 24th for an agent at +01:00."""
    case = open_case()
    actions.schedule_followup(case, at(23, 23, 30, tz=UTC), "Late call", now)
    text = to_markdown([(case, case.followups[0])], now)
    assert "## Tue 24 Nov 2026\n\n- 00:30 · C-0001" in text
    assert "## Mon 23 Nov 2026" not in text


def test_markdown_of_nothing_says_so(now: datetime) -> None:
    assert "No follow-ups match." in to_markdown([], now)
    assert "##" not in to_markdown([], now)


def _markdown() -> MarkdownIt:
    """CommonMark plus what GitHub adds that user text could trigger: ~~, tables, $math$."""
    return MarkdownIt("commonmark").enable(["strikethrough", "table"]).use(dollarmath_plugin)


def _inline_children(markdown: str) -> list[Token]:
    children: list[Token] = []
    for token in _markdown().parse(markdown):
        if token.type == "inline":
            children += token.children or []
    return children


HOSTILE = (
    "*bold* _em_ **x** `code` [link](http://evil.example) ![img](x.png) <b>html</b> "
    "<http://auto.example> &amp; &#35; ~~gone~~ | a | b | $x^2$ \\ # not a heading"
)


def test_markdown_user_text_cannot_add_structure(
    open_case: Callable[..., Case], now: datetime
) -> None:
    case = open_case(customer="Ana")
    case.customer = HOSTILE + "\n# Injected heading\n\n> quote\n- item"
    actions.schedule_followup(case, at(24, 10), "Call [them](javascript:x) *now*", now)
    text = to_markdown([(case, case.followups[0])], now)
    tokens = _markdown().parse(text)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) == 2  # "# Follow-ups" and the day: nothing injected
    assert not any(t.type in ("blockquote_open", "table_open", "html_block") for t in tokens)
    [item_line] = [line for line in text.splitlines() if line.startswith("- ")]
    children = _inline_children(item_line)
    assert {child.type for child in children} == {"text"}
    shown = "".join(child.content for child in children)
    assert shown == (
        f"10:00 · C-0001 · {HOSTILE} # Injected heading > quote - item — "
        "Call [them](javascript:x) *now* (phone)"
    )


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_any_escaped_text_renders_as_exactly_itself(typed: str) -> None:
    children = _inline_children(f"- a {markdown_text(typed)} z")
    assert {child.type for child in children} <= {"text"}
    assert "".join(child.content for child in children) == f"a {' '.join(typed.split())} z"


def test_markdown_text_keeps_ordinary_punctuation_readable() -> None:
    assert markdown_text("Ana-Marie O'Neil, ana@example.com (VIP).") == (
        "Ana-Marie O'Neil, ana@example.com (VIP)."
    )
    assert markdown_text("a*b_c") == "a\\*b\\_c"
    assert markdown_text("line\none\x1b[31m") == "line one \\[31m"


# -- formats -------------------------------------------------------------------------------


def test_render_knows_the_three_formats_and_refuses_others(
    cases: list[Case], now: datetime
) -> None:
    rows = ExportFilter().select(cases, now)
    assert set(FORMATS) == {"csv", "ics", "md"}
    assert render("ics", rows, now).startswith(b"BEGIN:VCALENDAR")
    assert render("md", rows, now).startswith(b"# Follow-ups")
    assert render("csv", rows, now).startswith(b"\xef\xbb\xbfdue,")
    with pytest.raises(ExportError, match="not an export format"):
        render("xlsx", rows, now)


def test_the_exports_module_does_not_load_textual() -> None:
    code = (
        "import sys, workbench.domain.exports\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_export_error_is_a_value_error() -> None:
    assert issubclass(ExportError, ValueError)
    assert issubclass(ExportExistsError, ExportError)


def test_status_of_the_case_is_exported_too(open_case: Callable[..., Case], now: datetime) -> None:
    case = open_case()
    actions.schedule_followup(case, at(24, 10), "Call", now)
    actions.set_status(case, Status.WAITING, now)
    [row] = read_csv(render("csv", [(case, case.followups[0])], now))
    assert row["case status"] == "waiting"
