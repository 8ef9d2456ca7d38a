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
    followup_state,
    followup_uid,
    to_ics,
)
from workbench.domain.playbooks import load_library

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
        event.add("summary", f"{_SUMMARY_PREFIX[state]}Follow up: {case.customer} — {case.title}")
        event.add("description", _description(case, item))
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


# The library turns a typed "\N" into a line break; the workbench keeps it as typed.
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=200
).filter(lambda text: "\\N" not in text)


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
