"""Cases from a spreadsheet: the rows of a CSV text (read from a file elsewhere), each
checked as a case typed on the screen would be, all of them or none.

The header row names the columns, in any order and any case: ``title`` and ``customer``
are needed; ``contact``, ``channel``, ``heat``, ``fault``, ``tags``, ``playbook``,
``owner``, ``opened``, ``contacted`` and ``note`` may be there (a few other usual names
are understood: ``subject``, ``name``, ``phone``, ``email``, ``agent``, ``date``,
``notes``…). A column the workbench doesn't know is left out and said. A row that can't
be a case is refused with its number and the reason; with any row refused, no case is
made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from workbench.domain import actions, agents, limits
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.dates import DateParseError, DateSettings, parse_when
from workbench.domain.model import Case, Channel, Fault, Heat, member_named
from workbench.domain.playbooks import PlaybookLibrary

E = TypeVar("E", bound=StrEnum)

MAX_ROWS = 100_000
"""Rows in one import: more is not a spreadsheet of complaints."""

FIELDS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "complaint", "subject", "issue", "summary"),
    "customer": ("customer", "name", "client", "customername"),
    "contact": ("contact", "phone", "email", "emailaddress", "telephone"),
    "channel": ("channel",),
    "heat": ("heat", "mood"),
    "fault": ("fault", "whosefault"),
    "tags": ("tags", "tag", "labels"),
    "playbook": ("playbook",),
    "owner": ("owner", "agent", "assignedto", "assignee"),
    "opened": ("opened", "openedat", "date", "created", "createdat"),
    "contacted": ("contacted",),
    "note": ("note", "notes", "comment", "comments", "details"),
}
"""Each field, and the header names (letters and digits only, lower case) that mean it."""

_YES = {"yes", "y", "true", "1", "x", "ja", "oui", "si"}
_NO = {"no", "n", "false", "0", "", "nein", "non"}


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class ImportRefused(DomainError):
    """The text can't be read as a table of cases at all (no header, no title column)."""


@dataclass(frozen=True)
class Refusal:
    row: int
    """The row's line number as a spreadsheet numbers it (the header is row 1)."""
    reason: str


@dataclass
class ImportPlan:
    """What an import would do: the cases, ready to be numbered, and the rows refused."""

    cases: list[Case] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Each column used, by its header as written, → the field it fills."""
    left_out: list[str] = field(default_factory=list)
    """Columns not understood, as written: left out."""
    empty_rows: int = 0


def read_table(text: str) -> list[list[str]]:
    """The rows of a CSV text, its separator (comma, semicolon or tab) found from its
    first lines; quotes as spreadsheets write them."""
    sample = text[:65536]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise ImportRefused(f"The file is not a readable CSV table ({error}).") from None
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(f"The file has {len(rows) - 1:,} rows; an import takes {MAX_ROWS:,}.")
    return rows


def plan_import(
    rows: Sequence[Sequence[str]],
    library: PlaybookLibrary,
    now: datetime,
    *,
    author: str = "",
    date_settings: DateSettings | None = None,
) -> ImportPlan:
    """The cases the rows make (numbered C-0001… for now: the store numbers them), or the
    rows refused and why. ``author`` signs every line the import writes."""
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRefused("The file has no header row naming its columns.")
    plan = ImportPlan()
    known = {name: key for key, names in FIELDS.items() for name in names}
    where: dict[str, int] = {}
    for index, heading in enumerate(rows[0]):
        key = known.get(_norm(heading))
        if key is None or key in where:
            if heading.strip():
                plan.left_out.append(heading.strip())
            continue
        where[key] = index
        plan.columns[heading.strip()] = key
    for needed in ("title", "customer"):
        if needed not in where:
            names = ", ".join(FIELDS[needed])
            raise ImportRefused(
                f"The header row has no column for the {needed} (a heading such as {names})."
            )
    settings = date_settings or DateSettings()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            plan.empty_rows += 1
            continue
        cells = {key: row[index] if index < len(row) else "" for key, index in where.items()}
        try:
            case = _case(cells, library, now, author, settings)
        except (DomainError, DateParseError, ValueError) as error:
            plan.refused.append(Refusal(number, _reason(error)))
            continue
        plan.cases.append(case)
    return plan


def _reason(error: Exception) -> str:
    if isinstance(error, actions.ValidationError):
        return "; ".join(error.errors.values())
    return str(error).rstrip(".")


def _case(
    cells: Mapping[str, str],
    library: PlaybookLibrary,
    now: datetime,
    author: str,
    settings: DateSettings,
) -> Case:
    heat = _choice(cells.get("heat", ""), Heat, Heat.UPSET, "heat")
    fault = _choice(cells.get("fault", ""), Fault, Fault.UNCLEAR, "fault")
    channel = _choice(cells.get("channel", ""), Channel, Channel.PHONE, "channel")
    tags = [tag for tag in _split_tags(cells.get("tags", "")) if tag]
    draft = CaseDraft(
        title=cells["title"],
        customer=cells["customer"],
        contact=cells.get("contact", ""),
        channel=channel,
        heat=heat,
        fault=fault,
        tags=tags,
    )
    key = cells.get("playbook", "").strip()
    if key:
        if key not in {playbook.key for playbook in library}:
            keys = ", ".join(playbook.key for playbook in library)
            raise ValueError(f"there is no playbook “{key}” (there are: {keys})")
        playbook = library.get(key)
    else:
        playbook = library.suggest(heat, fault)
    opened = _opened(cells.get("opened", ""), now, settings)
    contacted = _yes_no(cells.get("contacted", ""))
    case = actions.open_case(draft, "C-0001", playbook, opened, contacted=contacted)
    note = cells.get("note", "").strip()
    if note:
        if len(note) > limits.MAX_TEXT:
            raise ValueError(f"the note is longer than {limits.MAX_TEXT:,} characters")
        actions.add_note(case, note, opened)
    owner = cells.get("owner", "").strip()
    if owner:
        agents.assign(case, owner, opened)
    agents.sign(case, author, 0)
    return case


def _choice(text: str, enum: type[E], default: E, what: str) -> E:
    if not text.strip():
        return default
    member = member_named(enum, text)
    if member is not None:
        return member
    allowed = ", ".join(member.value for member in enum)
    raise ValueError(f"the {what} “{text.strip()}” is not one of {allowed}")


def _split_tags(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",")]


def _opened(text: str, now: datetime, settings: DateSettings) -> datetime:
    if not text.strip():
        return now
    try:
        when = parse_when(text, now, settings=settings, allow_past=True)
    except DateParseError as error:
        raise ValueError(f"the date opened “{text.strip()}” can't be read: {error}") from None
    if when > now:
        raise ValueError(f"the date opened “{text.strip()}” is in the future")
    return when


def _yes_no(text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"“contacted” must be yes or no, not “{text.strip()}”")
