"""Cases, their steps, follow-ups, remedies and timeline: the workbench's core records.

Everything here is plain data. State changes that belong on a case's timeline go
through the functions in :mod:`workbench.domain.actions`, never by assigning fields
directly from the UI or the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from workbench.domain.errors import FollowUpNotFound


class Status(StrEnum):
    """Where a case stands. The usual path runs new → in progress → waiting → resolved → closed."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def short(self) -> str:
        """A label that fits a narrow column."""
        return "waiting" if self is Status.WAITING else self.label

    @property
    def is_open(self) -> bool:
        """True while the case still needs work from us."""
        return self not in (Status.RESOLVED, Status.CLOSED)


_STATUS_LABELS = {
    Status.NEW: "new",
    Status.IN_PROGRESS: "in progress",
    Status.WAITING: "waiting on customer",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "closed",
}


class Heat(StrEnum):
    """How upset the customer is."""

    CALM = "calm"
    UPSET = "upset"
    FURIOUS = "furious"

    @property
    def label(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for calm, 2 for furious: sorts the hottest cases first when reversed."""
        return _HEAT_RANKS[self]


_HEAT_RANKS = {heat: rank for rank, heat in enumerate(Heat)}


class Fault(StrEnum):
    """Whose fault the problem is, as the agent assesses it."""

    OURS = "ours"
    THEIRS = "theirs"
    SHARED = "shared"
    UNCLEAR = "unclear"

    @property
    def label(self) -> str:
        return self.value


class Channel(StrEnum):
    """How we talk with the customer about this case."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    VIDEO = "video"
    EMAIL = "email"
    CHAT = "chat"

    @property
    def label(self) -> str:
        return _CHANNEL_LABELS[self]

    @property
    def is_weak(self) -> bool:
        """Written channels are the weaker choice for a difficult conversation: call instead."""
        return self in (Channel.EMAIL, Channel.CHAT)

    @property
    def is_live(self) -> bool:
        """A live conversation: opening a case on it means we are already talking."""
        return not self.is_weak


_CHANNEL_LABELS = {
    Channel.PHONE: "phone",
    Channel.IN_PERSON: "in person",
    Channel.VIDEO: "video",
    Channel.EMAIL: "e-mail",
    Channel.CHAT: "chat",
}


class Outcome(StrEnum):
    """How a closed case ended. Parting ways is a legitimate ending, not a failure."""

    RETAINED = "retained"
    RETAINED_WITH_CONCESSION = "retained_with_concession"
    PARTED_WAYS = "parted_ways"
    LOST = "lost"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    Outcome.RETAINED: "retained",
    Outcome.RETAINED_WITH_CONCESSION: "retained with concession",
    Outcome.PARTED_WAYS: "parted ways / referred elsewhere",
    Outcome.LOST: "lost",
}


class Resolution(StrEnum):
    """How things stood when a follow-up was done: did we make it right?"""

    RESOLVED = "resolved"
    PARTLY = "partly"
    NOT_RESOLVED = "not_resolved"

    @property
    def label(self) -> str:
        return _RESOLUTION_LABELS[self]


_RESOLUTION_LABELS = {
    Resolution.RESOLVED: "resolved",
    Resolution.PARTLY: "partly resolved",
    Resolution.NOT_RESOLVED: "not resolved",
}


class EventKind(StrEnum):
    """What happened on a case's timeline."""

    CREATED = "created"
    EDITED = "edited"
    CONTACTED = "contacted"
    STEP_DONE = "step_done"
    STEP_UNDONE = "step_undone"
    STEP_NOTE = "step_note"
    NOTE = "note"
    FOLLOWUP_SCHEDULED = "followup_scheduled"
    FOLLOWUP_DONE = "followup_done"
    FOLLOWUP_CANCELLED = "followup_cancelled"
    STATUS_CHANGED = "status_changed"
    REMEDY_RECORDED = "remedy_recorded"
    CLOSED = "closed"
    ASSIGNED = "assigned"
    TIME = "time"
    """A timer started or stopped, or minutes logged."""
    ESCALATED = "escalated"
    """Passed up: past its target, or too hot to handle alone."""


E = TypeVar("E", bound=StrEnum)


def member_named(enum: type[E], text: str) -> E | None:
    """The member of ``enum`` that ``text`` names, by its value or its label, case and
    everything but letters and digits aside (``in progress``, ``In-Progress``,
    ``in_progress``); None when it names none."""

    def norm(word: str) -> str:
        return "".join(ch for ch in word.lower() if ch.isalnum())

    wanted = norm(text)
    for member in enum:
        if wanted == norm(member.value):
            return member
    for member in enum:
        if wanted == norm(str(getattr(member, "label", member.value))):
            return member
    return None


CASE_ID_PATTERN = re.compile(r"^C-([0-9]{4,})$", re.ASCII)
"""A stored case id: ``C-`` and at least four digits 0-9 (``\\d`` would take any script's)."""


class CaseIdError(ValueError):
    """Text that is not a case id."""


def format_case_id(number: int) -> str:
    """``42`` → ``"C-0042"``; numbers past 9999 simply grow wider."""
    if number < 1:
        raise ValueError(f"case numbers start at 1, not {number}")
    return f"C-{number:04d}"


def parse_case_id(text: str) -> int:
    """``"C-0042"``, ``"c-42"`` or ``"42"`` → ``42``. Raises ValueError otherwise.

    Only the digits 0-9: "C-٠٠٤٢" or a fullwidth "４２" is refused, not read as 42.
    """
    cleaned = text.strip().upper()
    if cleaned.isascii() and cleaned.isdigit():
        number = int(cleaned)
    else:
        match = re.fullmatch(r"C-?([0-9]+)", cleaned, re.ASCII)
        if match is None:
            if any(char.isdigit() and not char.isascii() for char in cleaned):
                raise CaseIdError(
                    f"{text!r} is not a case id; write case ids with the digits 0-9, like C-0042"
                )
            raise CaseIdError(f"{text!r} is not a case id; case ids look like C-0042")
        number = int(match.group(1))
    if number < 1:
        raise CaseIdError(f"{text!r} is not a case id; case ids start at C-0001")
    return number


@dataclass(slots=True)
class Event:
    """One entry on a case's timeline."""

    at: datetime
    kind: EventKind
    text: str = ""
    """A short human sentence: what happened, in the agent's or the workbench's words."""
    author: str = ""
    """The agent whose change it was (the ``agent`` setting); empty when not known (events
    written before the workbench knew who changed what)."""


@dataclass(slots=True)
class Step:
    """A playbook step as it lives inside one case."""

    key: str
    """Stable identifier within the playbook (``listen``, ``call-now``)."""
    title: str
    guidance: str = ""
    done_at: datetime | None = None
    note: str = ""
    contact: bool = False
    """Ticking this step means we have spoken with the customer (sets first contact)."""
    follow_up: bool = False
    """Ticking this step is the moment to schedule a follow-up."""
    from_playbook: str = ""
    """Empty for a step of the case's own playbook. When the case moved to another
    playbook, a step of the earlier one that was done or noted stays in the case, after
    the new playbook's steps, with the earlier playbook's key here: what was done and
    written is kept, and the step no longer counts as open."""

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def kept(self) -> bool:
        """True for a step kept from an earlier playbook (see ``from_playbook``)."""
        return bool(self.from_playbook)


@dataclass(slots=True)
class FollowUp:
    """A promise to get back to the customer at a given time."""

    id: int
    """Unique within its case, never reused: ``C-0042/F3``."""
    due: datetime
    action: str
    """What to do: "call back about the refund"."""
    channel: Channel = Channel.PHONE
    created_at: datetime | None = None
    done_at: datetime | None = None
    cancelled_at: datetime | None = None
    note: str = ""
    """What came of it, written when marking it done."""
    result: Resolution | None = None
    """How it stood when it was done, as the agent heard it; None when not said."""
    wakes: bool = False
    """Set when the case went waiting on the customer until this time: falling due, it
    wakes the case ("no answer yet"); it goes when the case stops waiting."""
    every_days: int = 0
    """A series: done, it is followed by the next one this many days later (0: none)."""
    repeats_left: int | None = None
    """How many more of the series after this one (None: until the case is resolved)."""

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due < now


@dataclass(slots=True)
class TimeSpent:
    """Minutes spent on a case: timed with the timer, or logged by hand."""

    started_at: datetime
    """When the work began (a timer's start; for minutes logged, that many before)."""
    minutes: int
    author: str = ""
    """The agent who spent it."""
    step: str = ""
    """The key of the step it was spent on (a call), or empty for the case as a whole."""


@dataclass(slots=True)
class Remedy:
    """What we offered to make it right, and what it costs us."""

    description: str
    cost: Decimal = Decimal(0)
    accepted: bool | None = None
    """None while the customer has not answered yet."""
    recorded_at: datetime | None = None

    @property
    def answer_label(self) -> str:
        return {None: "awaiting answer", True: "accepted", False: "declined"}[self.accepted]


@dataclass(slots=True)
class Case:
    """One complaint, worked through a playbook."""

    id: str
    """Short human id, ``C-0042``."""
    title: str
    """The complaint in one line."""
    customer: str
    opened_at: datetime
    playbook: str
    """Key of the playbook the steps came from."""
    contact: str = ""
    """Phone number or e-mail address, optional."""
    channel: Channel = Channel.PHONE
    heat: Heat = Heat.UPSET
    fault: Fault = Fault.UNCLEAR
    status: Status = Status.NEW
    first_contact_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    remedy: Remedy | None = None
    outcome: Outcome | None = None
    tags: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    owner: str = ""
    """The agent the case is assigned to; empty while no one has it."""
    satisfied: bool | None = None
    """Whether the customer was satisfied when the case closed, as far as the agent could
    tell; None when they couldn't tell (or the case closed before this was asked)."""
    time_spent: list[TimeSpent] = field(default_factory=list)
    timer_started_at: datetime | None = None
    """When the case's running timer started; None while no timer runs on it."""
    timer_by: str = ""
    """The agent whose timer runs on the case."""
    escalated_at: datetime | None = None
    """When the case was escalated; None if it never was. The list marks it while the
    case is open."""
    revision: int = 0
    """Bumped by the store on every save; lets a screen notice another process's change."""

    @property
    def number(self) -> int:
        digits = self.id[2:]
        if self.id.startswith("C-") and digits.isascii() and digits.isdigit() and digits.strip("0"):
            return int(digits)  # the usual shape, without a regex (sorting calls this a lot)
        return parse_case_id(self.id)

    @property
    def playbook_steps(self) -> list[Step]:
        """The steps of the case's own playbook (without those kept from an earlier one)."""
        return [step for step in self.steps if not step.from_playbook]

    @property
    def open_steps(self) -> list[Step]:
        """Steps of its playbook still to do; steps kept from an earlier playbook never are."""
        return [step for step in self.steps if not step.done and not step.from_playbook]

    @property
    def open_followups(self) -> list[FollowUp]:
        return sorted((f for f in self.followups if f.is_open), key=lambda f: f.due)

    @property
    def next_followup(self) -> FollowUp | None:
        """The open follow-up due first (the earliest added, of two due together)."""
        first: FollowUp | None = None
        for item in self.followups:
            if (
                item.done_at is None
                and item.cancelled_at is None
                and (first is None or item.due < first.due)
            ):
                first = item
        return first

    def no_answer_yet(self, now: datetime) -> bool:
        """Woken from waiting on the customer: the follow-up that wakes it has fallen due
        and is still open ("no answer yet")."""
        return any(f.wakes and f.is_open and f.due <= now for f in self.followups)

    @property
    def minutes_spent(self) -> int:
        """Every minute timed or logged on the case (a running timer not yet counted)."""
        return sum(entry.minutes for entry in self.time_spent)

    @property
    def notes(self) -> list[Event]:
        return [event for event in self.timeline if event.kind is EventKind.NOTE]

    def followup(self, followup_id: int) -> FollowUp:
        for item in self.followups:
            if item.id == followup_id:
                return item
        raise FollowUpNotFound(f"{self.id} has no follow-up F{followup_id}.")
