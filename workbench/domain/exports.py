"""Follow-ups written out for other programs: CSV, iCalendar and Markdown.

* **CSV** opens in a spreadsheet. Cells a spreadsheet would run as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, also in their fullwidth or small forms or after spaces, or
  with a tab or a line break) get a leading ``'``, the neutralisation OWASP recommends
  against CSV injection: see :func:`neutralise_cell`.
* **iCalendar** imports into calendar programs. Each follow-up is one 15-minute event whose
  UID (``C-0042-F3@workbench``) never changes, so importing a newer export updates the events
  instead of duplicating them. Times are written in UTC: see :func:`to_ics`. Control
  characters, which the standard forbids in text, are dropped: see :func:`calendar_text`.
* **Markdown** is a list grouped by day, to read, print or paste. User text is escaped so it
  cannot add headings, links, emphasis or HTML: see :func:`markdown_text`.

Writing the bytes to a file is :mod:`workbench.storage.export_files`'s work.

Plain Python: nothing here imports Textual, reads the clock or touches a file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import Literal, get_args

from workbench.domain.dates import DateSettings, parse_when
from workbench.domain.model import Case, EventKind, FollowUp
from workbench.domain.moments import heading_day, long_moment, report_moment, time_of_day

StatusFilter = Literal["open", "done", "all"]
"""Which follow-ups to take: still open, done, or every one (cancelled ones only with all)."""

FollowUpState = Literal["open", "done", "cancelled"]

Row = tuple[Case, FollowUp]
"""One follow-up together with the case it belongs to."""

EVENT_LENGTH = timedelta(minutes=15)
"""How long a follow-up event lasts in a calendar."""

UID_DOMAIN = "workbench"


class ExportError(ValueError):
    """An export that could not be made or written. Its text is a sentence for a person."""


class ExportExistsError(ExportError):
    """The export file is already there and replacing it was not asked for."""


def followup_state(item: FollowUp) -> FollowUpState:
    """``open``, ``done`` or ``cancelled``."""
    if item.done_at is not None:
        return "done"
    if item.cancelled_at is not None:
        return "cancelled"
    return "open"


# -- choosing the follow-ups -------------------------------------------------------------


@dataclass(frozen=True)
class ExportFilter:
    """Which follow-ups an export takes. Every bound is inclusive."""

    start: datetime | None = None
    """Earliest due time taken; None for no lower bound."""
    end: datetime | None = None
    """Latest due time taken; None for no upper bound."""
    status: StatusFilter = "all"
    """``open`` (neither done nor cancelled), ``done``, or ``all`` (cancelled ones too)."""
    overdue_only: bool = False
    """Only open follow-ups whose due time has passed."""

    def __post_init__(self) -> None:
        if self.status not in get_args(StatusFilter):
            raise ExportError(f"The status filter must be open, done or all, not “{self.status}”.")
        for bound in (self.start, self.end):
            if bound is not None and bound.utcoffset() is None:
                raise ExportError("Date bounds for an export need a time zone.")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ExportError(
                f"The range starts ({long_moment(self.start)}) after it ends "
                f"({long_moment(self.end)})."
            )

    def matches(self, item: FollowUp, now: datetime) -> bool:
        state = followup_state(item)
        if self.status != "all" and state != self.status:
            return False
        if self.overdue_only and not item.is_overdue(now):
            return False
        if self.start is not None and item.due < self.start:
            return False
        return self.end is None or item.due <= self.end

    def select(self, cases: Iterable[Case], now: datetime) -> list[Row]:
        """The matching follow-ups of ``cases``, soonest first (then by case and number)."""
        # The same instants in UTC: comparing with a local zone calls back into Python for
        # its offset every time, a tenth of a second over 10,000 follow-ups.
        fast = replace(
            self,
            start=None if self.start is None else self.start.astimezone(UTC),
            end=None if self.end is None else self.end.astimezone(UTC),
        )
        now = now.astimezone(UTC)
        rows = [
            (case, item) for case in cases for item in case.followups if fast.matches(item, now)
        ]
        rows.sort(key=lambda row: (row[1].due, row[0].number, row[1].id))
        return rows


def read_bound(text: str, now: datetime, *, settings: DateSettings, end: bool) -> datetime:
    """A "from" or "to" phrase as a time; a day named without a time spans the whole day.

    "tue" or "2026-11-24" as a start is that day's first moment, as an end its last
    (23:59:59.999999, so a follow-up due at 23:59:30 is still in). "tue 10am", "tomorrow 9am"
    or "in 2 hours" is that exact time either way. Past dates are allowed. Whether a time
    was named is seen by reading the phrase again with another default time: only a bare
    day moves. Raises DateParseError as :func:`~workbench.domain.dates.parse_when` does.
    """
    when = parse_when(text, now, settings=settings, allow_past=True)
    other = replace(settings, default_hour=(settings.default_hour + 12) % 24)
    if parse_when(text, now, settings=other, allow_past=True) == when:
        return when
    return datetime.combine(when.date(), time.max if end else time.min, tzinfo=now.tzinfo)


# -- CSV ---------------------------------------------------------------------------------

CSV_HEADER = (
    "due",
    "case",
    "follow-up",
    "customer",
    "contact",
    "channel",
    "title",
    "what to do",
    "status",
    "case status",
)

FORMULA_STARTS = ("=", "+", "-", "@")
"""What a formula starts with, in a spreadsheet's eyes."""

_RAW_STARTS = ("\t", "\r", "\n")


def neutralise_cell(text: str) -> str:
    """``=SUM(A1)`` → ``'=SUM(A1)``: a cell a spreadsheet would run is shown as text instead.

    A cell is neutralised when it starts with a tab or a line break, or when, leading
    spaces aside, it starts with ``=``, ``+``, ``-`` or ``@`` as typed or once NFKC
    normalised: some programs read the fullwidth ``＝`` (U+FF1D) or the small ``﹦``
    (U+FE66) as ``=``, and an ideographic space as a space.
    """
    first = text[:1]
    if first.isascii() and first.isalnum():  # the usual cell: a name, a date, an id
        return text
    if text.startswith(_RAW_STARTS) or text.lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    if unicodedata.normalize("NFKC", text).lstrip().startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(rows: Sequence[Row]) -> str:
    """One line per follow-up under a header line; RFC 4180 quoting and CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for case, item in rows:
        cells = (
            item.due.isoformat(),
            case.id,
            f"F{item.id}",
            case.customer,
            case.contact,
            item.channel.value,
            case.title,
            item.action,
            followup_state(item),
            case.status.value,
        )
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return buffer.getvalue()


# -- iCalendar ---------------------------------------------------------------------------

_REVISION_KINDS = (
    EventKind.FOLLOWUP_SCHEDULED,
    EventKind.FOLLOWUP_DONE,
    EventKind.FOLLOWUP_CANCELLED,
)


def followup_uid(case: Case, item: FollowUp) -> str:
    """``C-0042-F3@workbench``: the same in every export, so a re-import updates the event."""
    return f"{case.id}-F{item.id}@{UID_DOMAIN}"


def _revisions(case: Case, item: FollowUp) -> list[datetime]:
    """When the follow-up was scheduled, moved, done or cancelled, from the case's timeline.

    An event names its follow-up first ("Follow-up F3 for …"); F3 must not match F31.
    """
    mention = f"Follow-up F{item.id}"
    cut = len(mention)
    return [
        event.at
        for event in case.timeline
        if event.kind in _REVISION_KINDS
        and event.text.startswith(mention)
        and not event.text[cut : cut + 1].isalnum()
        and event.text[cut : cut + 1] != "_"
    ]


def _sequence_and_modified(case: Case, item: FollowUp) -> tuple[int, datetime | None]:
    """SEQUENCE counts the changes since scheduling; LAST-MODIFIED is the latest one.

    Every move, completion or cancellation is on the timeline. Without a timeline (data
    from elsewhere), a finished follow-up still counts one change more than an open one.
    """
    times = _revisions(case, item)
    known = [t for t in (item.created_at, item.done_at, item.cancelled_at) if t is not None]
    finished = followup_state(item) != "open"
    sequence = max(len(times) - 1, 1 if finished else 0)
    latest = max([*times, *known], default=None)
    return sequence, latest


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC)


def _description(case: Case, item: FollowUp) -> str:
    lines = [f"Case {case.id} (follow-up F{item.id}): {case.title}", f"What to do: {item.action}"]
    lines.append(f"Contact: {case.contact}" if case.contact else "Contact: none on file")
    lines.append(f"Channel: {item.channel.label}")
    if item.done_at is not None:
        lines.append(f"Done {long_moment(item.done_at)}" + (f": {item.note}" if item.note else ""))
    elif item.cancelled_at is not None:
        lines.append(
            f"Cancelled {long_moment(item.cancelled_at)}" + (f": {item.note}" if item.note else "")
        )
    return "\n".join(lines)


_SUMMARY_PREFIX: dict[FollowUpState, str] = {
    "open": "",
    "done": "Done: ",
    "cancelled": "Cancelled: ",
}
_ICS_STATUS: dict[FollowUpState, str] = {
    "open": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}


_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
"""Besides ``\\n``: characters that end a line (CR, vertical tab, form feed, NEL, and
Unicode's line and paragraph separators)."""

_CALENDAR_TEXT = str.maketrans(
    {chr(code): None for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\t\n"}
    | dict.fromkeys(_LINE_BREAKS, "\n")
)


def calendar_text(text: str) -> str:
    """User text as an iCalendar TEXT value may hold it (RFC 5545, 3.3.11 and 3.1).

    Every way of ending a line becomes ``\\n``; every other control character (C0 but the
    tab, DEL, C1: escape sequences, bells, NUL) is dropped, since the standard allows
    none of them in a value and calendar programs would show them as garbage or act on them.
    """
    if text.isprintable():  # the usual text: no control character or line break at all
        return text
    return text.replace("\r\n", "\n").translate(_CALENDAR_TEXT)


def _ics_text(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): :func:`calendar_text`, then backslash, semicolon and
    comma escaped and line breaks written as ``\\n``. User text is only ever text here:
    nothing in it is read as syntax."""
    return (
        calendar_text(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _ics_time(when: datetime) -> str:
    """``20261124T080000Z``: the instant in UTC (formatted by hand: strftime costs three
    times as much, and an export of 10,000 follow-ups formats 35,000 of these)."""
    t = _utc(when)
    fields = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    return "%04d%02d%02dT%02d%02d%02dZ" % fields  # noqa: UP031 (twice as quick as f-strings here)


def _fold(line: str, limit: int = 75) -> bytes:
    """A content line in UTF-8, folded to lines of fewer than ``limit`` octets (RFC 5545, 3.1).

    Each folded piece is the longest run of whole characters that fits; a piece never ends
    on the backslash of an escape (some programs misread ``\\`` + fold + ``n``) or on a
    ``^``, which moves to the next piece instead.
    """
    data = line.encode("utf-8")
    room = limit - 1
    if len(data) <= room:
        return data
    pieces = []
    start = 0
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # the middle of a character: fold before it
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _event_lines(case: Case, item: FollowUp, stamp: str) -> list[str]:
    state = followup_state(item)
    sequence, modified = _sequence_and_modified(case, item)
    summary = f"{_SUMMARY_PREFIX[state]}Follow up: {case.customer} — {case.title}"
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_ics_text(summary)}",
        f"DTSTART:{_ics_time(item.due)}",
        f"DTEND:{_ics_time(item.due + EVENT_LENGTH)}",
        f"DTSTAMP:{stamp}",
        f"UID:{_ics_text(followup_uid(case, item))}",
        f"SEQUENCE:{sequence}",
    ]
    if item.created_at is not None:
        lines.append(f"CREATED:{_ics_time(item.created_at)}")
    lines.append(f"DESCRIPTION:{_ics_text(_description(case, item))}")
    if modified is not None:
        lines.append(f"LAST-MODIFIED:{_ics_time(modified)}")
    lines.append(f"STATUS:{_ICS_STATUS[state]}")
    lines.append(f"X-WORKBENCH-STATE:{state}")
    lines.append("END:VEVENT")
    return lines


def to_ics(rows: Sequence[Row], now: datetime) -> bytes:
    """An iCalendar (RFC 5545) file with one VEVENT per follow-up.

    Times are written in UTC (``DTSTART:20261124T090000Z``), not with a TZID. The follow-up
    times carry an offset, often a fixed one with no zone name; a TZID needs a VTIMEZONE of
    our own making, which Google Calendar and Outlook map to their own zones by name and
    may misread, whereas every calendar program reads UTC exactly and shows it in the
    viewer's zone. A follow-up happens once, so no repeat rule can drift across a clock change.

    A done follow-up keeps ``STATUS:CONFIRMED`` (VEVENT has no completed state) with "Done: "
    before its summary; a cancelled one is ``STATUS:CANCELLED`` with "Cancelled: ", for
    programs that ignore STATUS. ``X-WORKBENCH-STATE`` carries open, done or cancelled for
    scripts. ``DTSTAMP`` is ``now``: with ``METHOD:PUBLISH`` it is when this file was made.

    Written here rather than with the icalendar library, which took ten seconds for 9,000
    follow-ups; the tests parse the output with that library and compare it with its own.
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Workbench//Follow-ups//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Workbench follow-ups",
    ]
    stamp = _ics_time(now)
    for case, item in rows:
        lines.extend(_event_lines(case, item, stamp))
    lines.append("END:VCALENDAR")
    room = 74  # an ASCII line this short needs no folding: one encode for all of them
    text = "\r\n".join(
        line if len(line) <= room and line.isascii() else _fold(line).decode("utf-8")
        for line in lines
    )
    return text.encode("utf-8") + b"\r\n"


# -- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
_MD_SPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def markdown_text(text: str) -> str:
    """User text that Markdown shows as itself, never as structure.

    Line breaks and control characters become single spaces, so the text stays inside its
    list item and cannot start a heading, quote or list. Each character that could open
    inline structure is backslash-escaped, which CommonMark allows for any ASCII
    punctuation: emphasis ``* _``, code spans (backticks), links, images and footnotes
    ``[ ]`` (without a bracket, ``!`` and ``( )`` are plain text), HTML and autolinks
    ``< >``, entities ``&``, strikethrough ``~``, tables ``|``, math ``$`` (GitHub), ``#``,
    and the backslash itself. Other punctuation stays as typed, so the text stays readable.
    """
    one_line = _MD_SPACE.sub(" ", text).strip()
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def _day_heading(day: date) -> str:
    return f"## {heading_day(day)}"


def _markdown_line(case: Case, item: FollowUp, now: datetime) -> str:
    local = item.due.astimezone(now.tzinfo)
    body = (
        f"{time_of_day(local)} · {case.id} · {markdown_text(case.customer)} — "
        f"{markdown_text(item.action)} ({item.channel.label})"
    )
    state = followup_state(item)
    if state == "done":
        return f"- ~~{body}~~ ✓ done"
    if state == "cancelled":
        return f"- ~~{body}~~ (cancelled)"
    if item.is_overdue(now):
        return f"- {body} · **overdue**"
    return f"- {body}"


def to_markdown(rows: Sequence[Row], now: datetime) -> str:
    """A list grouped by day in now's time zone: ``## Tue 24 Nov 2026`` then one line each.

    Done follow-ups are struck through and marked "✓ done", cancelled ones struck through
    and marked "(cancelled)"; open ones past their time are marked **overdue**.
    """
    count = f"{len(rows)} follow-up{'' if len(rows) == 1 else 's'}"
    lines = ["# Follow-ups", "", f"Exported {report_moment(now)} · {count}"]
    if not rows:
        lines += ["", "No follow-ups match."]

    def day_of(row: Row) -> date:
        return row[1].due.astimezone(now.tzinfo).date()

    for day, group in groupby(rows, key=day_of):
        lines += ["", _day_heading(day), ""]
        lines += [_markdown_line(case, item, now) for case, item in group]
    return "\n".join(lines) + "\n"


# -- formats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    """One way to write follow-ups out."""

    name: str
    suffix: str
    """The usual file name ending: ``.csv``."""
    media_type: str
    render: Callable[[Sequence[Row], datetime], bytes]


def _csv_bytes(rows: Sequence[Row], now: datetime) -> bytes:
    # The byte order mark is how Excel tells UTF-8 from the local code page; LibreOffice,
    # Numbers and Google Sheets skip it. Without it "Zoë" opens in Excel as "ZoÃ«".
    return to_csv(rows).encode("utf-8-sig")


def _markdown_bytes(rows: Sequence[Row], now: datetime) -> bytes:
    return to_markdown(rows, now).encode("utf-8")


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("CSV", ".csv", "text/csv", _csv_bytes),
    "ics": ExportFormat("iCalendar", ".ics", "text/calendar", to_ics),
    "md": ExportFormat("Markdown", ".md", "text/markdown", _markdown_bytes),
}


def render(fmt: str, rows: Sequence[Row], now: datetime) -> bytes:
    """The export in format ``fmt`` (a key of :data:`FORMATS`) as the bytes of a file."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise ExportError(
            f"“{fmt}” is not an export format; use one of: {', '.join(FORMATS)}."
        ) from None
    return chosen.render(rows, now)
