"""The iCalendar writer gives, byte for byte, what the icalendar library gives.

The workbench writes .ics files itself (the library took ten seconds for 9,000
follow-ups). Here the library, kept for the tests, builds the same calendar from the same
follow-ups and the two files must be identical; for any text, including text that holds
iCalendar syntax, folding across multi-byte characters and escapes.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.demo import make_demo_cases
from workbench.domain.exports import (
    _ICS_STATUS,
    _SUMMARY_PREFIX,
    EVENT_LENGTH,
    Row,
    _description,
    _sequence_and_modified,
    calendar_text,
    followup_state,
    followup_uid,
    to_ics,
)
from workbench.storage.playbook_files import load_library

NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)


def reference(rows: list[Row], now: datetime) -> bytes:
    """The calendar as the icalendar library writes it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Workbench//Follow-ups//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Workbench follow-ups")
    for case, item in rows:
        state = followup_state(item)
        sequence, modified = _sequence_and_modified(case, item)
        event = icalendar.Event()
        event.add("uid", followup_uid(case, item))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", item.due.astimezone(UTC))
        event.add("dtend", (item.due + EVENT_LENGTH).astimezone(UTC))
        summary = f"{_SUMMARY_PREFIX[state]}Follow up: {case.customer} — {case.title}"
        event.add("summary", calendar_text(summary))
        event.add("description", calendar_text(_description(case, item)))
        event.add("status", _ICS_STATUS[state])
        event.add("sequence", sequence)
        if item.created_at is not None:
            event.add("created", item.created_at.astimezone(UTC))
        if modified is not None:
            event.add("last-modified", modified.astimezone(UTC))
        event.add("x-workbench-state", state)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def demo_rows(count: int = 120) -> list[Row]:
    cases = make_demo_cases(count, load_library(None), NOW, seed=5)
    for number, case in enumerate(cases, start=1):
        case.id = f"C-{number:04d}"
    return [(case, item) for case in cases for item in case.followups]


def test_demo_follow_ups_are_written_as_the_library_writes_them() -> None:
    rows = demo_rows()
    assert len(rows) > 50
    assert to_ics(rows, NOW) == reference(rows, NOW)


# The library turns a typed "\N" into a line break; the workbench keeps it as typed. That
# holds for a "\N" that appears once control characters are dropped too ("\\\x1fN"):
# both drop the control character, then the library reads what is left as a line break.
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=200
).filter(lambda text: "\\N" not in calendar_text(text))


@settings(max_examples=300, deadline=None)
@given(title=typed_text, customer=typed_text, action=typed_text)
def test_any_text_is_written_as_the_library_writes_it(
    title: str, customer: str, action: str
) -> None:
    case, item = copy.deepcopy(demo_rows(3)[0])
    case.title, case.customer, item.action = title, customer, action
    rows: list[Row] = [(case, item)]
    assert to_ics(rows, NOW) == reference(rows, NOW)


def test_a_typed_backslash_n_stays_as_typed() -> None:
    case, item = copy.deepcopy(demo_rows(3)[0])
    case.title = r"Folder C:\New\Notes"
    parsed = icalendar.Calendar.from_ical(to_ics([(case, item)], NOW))
    (event,) = parsed.walk("VEVENT")
    assert str(event["summary"]).endswith(r"Folder C:\New\Notes")


# RFC 5545, 3.3.11 and 3.1: a TEXT value holds no control character but the tab (line
# breaks are written as "\\n"); C1 controls and Unicode's line separators are no better.
FORBIDDEN = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) != "\t"}
FORBIDDEN |= {"\u2028", "\u2029"}

PIECES = [*sorted(FORBIDDEN), "\r\n", "\\", ";", ",", ":", "\\n", "\\N", "\x1b[31m"]
hostile_text = st.lists(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(PIECES)), max_size=40
).map("".join)


def assert_only_allowed_controls(data: bytes) -> None:
    """CRLF ends each content line and nothing else is a control character."""
    for line in data.decode("utf-8").split("\r\n"):
        bad = sorted({ch for ch in line if ch in FORBIDDEN})
        assert not bad, (bad, line)


@settings(max_examples=300, deadline=None)
@given(title=hostile_text, customer=hostile_text, action=hostile_text, note=hostile_text)
def test_any_text_gives_no_control_character_and_reads_back(
    title: str, customer: str, action: str, note: str
) -> None:
    """Through the writer, any text (escape sequences, form feeds, NEL, line separators,
    C1, NUL) comes out with none of them, and the icalendar library reads each value back
    as the text with line breaks kept and other control characters left out."""
    case, item = copy.deepcopy(demo_rows(3)[0])
    case.title, case.customer, item.action = title, customer, action
    item.done_at, item.cancelled_at, item.note = NOW, None, note  # the note is written too
    data = to_ics([(case, item)], NOW)
    assert_only_allowed_controls(data)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    expected_summary = calendar_text(f"Done: Follow up: {customer} — {title}")
    assert str(event["summary"]) == expected_summary
    description = str(event["description"])
    assert description == calendar_text(_description(case, item))
    for text in (title, customer, action, note):
        assert not set(calendar_text(text)) & (FORBIDDEN - {"\n"})


def test_control_characters_from_notes_are_left_out() -> None:
    case, item = copy.deepcopy(demo_rows(3)[0])
    case.title = "Refund\x1b[31m now\x07"
    item.action = "Call\x0bback\x0cthen\u2028write\u2029and\x85sign\x00\x9b"
    data = to_ics([(case, item)], NOW)
    assert b"\x1b" not in data and b"\x07" not in data and b"\x00" not in data
    assert "\u2028".encode() not in data and "\x85".encode() not in data
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]).endswith("Refund[31m now")
    assert "What to do: Call\nback\nthen\nwrite\nand\nsign\n" in str(event["description"])


def test_calendar_text_keeps_ordinary_text_and_tabs() -> None:
    assert calendar_text("Zoë — 王芳, tab\there; 🙁") == "Zoë — 王芳, tab\there; 🙁"
    assert calendar_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
