"""Response targets by heat: how soon a case must be spoken to, and resolved.

"Don't wait" is a matter of degree: a furious customer needs a call within the hour, a calm
one can wait a day. Each heat has two targets, counted from the moment the case was opened:

* **first contact**: somebody has spoken with the customer (``first_contact_at``);
* **resolution**: the case was resolved (``resolved_at``, else ``closed_at``).

The resolution clock stops while the case waits on the customer (status "waiting"): time
they take to answer is not time we took. It stops only while the target is still running;
waiting that starts after the target was missed does not make it met. The first-contact
clock never stops.

A target is *met* when what it asks for happened by its due time, *missed* when its due
time passed first (whether it happened later or not yet). A target still running has time
*left*; one missed and not yet met is *late* by how long ago it fell due.

The heat counted with is the case's heat now. Waiting spans are read from the case's
timeline (the status changes it records; :func:`status_change_text` writes them), so a case
brought in without a timeline has no waiting to leave out.

Pure Python and no clock of its own: every function is given ``now``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from workbench.domain.model import Case, EventKind, Heat, Status
from workbench.domain.spans import duration_words, span_words

__all__ = [
    "DEFAULT_FIRST_CONTACT",
    "DEFAULT_RESOLUTION",
    "MARKS_LEGEND",
    "Kind",
    "Mark",
    "Target",
    "Targets",
    "first_contact_late",
    "first_contact_target",
    "in_force",
    "is_late",
    "late_words",
    "mark",
    "resolution_target",
    "standing",
    "status_change_text",
    "target_late",
    "time_waiting",
    "waiting_spans",
]

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

DEFAULT_FIRST_CONTACT: Mapping[Heat, timedelta] = MappingProxyType(
    {Heat.FURIOUS: HOUR, Heat.UPSET: 4 * HOUR, Heat.CALM: DAY}
)
"""Speak to them within: furious 1 hour, upset 4 hours, calm 1 day."""
DEFAULT_RESOLUTION: Mapping[Heat, timedelta] = MappingProxyType(
    {Heat.FURIOUS: 2 * DAY, Heat.UPSET: 5 * DAY, Heat.CALM: 10 * DAY}
)
"""Resolve within: furious 2 days, upset 5 days, calm 10 days."""


class Kind(StrEnum):
    """Which of a case's two targets."""

    FIRST_CONTACT = "first_contact"
    RESOLUTION = "resolution"

    @property
    def label(self) -> str:
        return "first contact" if self is Kind.FIRST_CONTACT else "resolution"


@dataclass(frozen=True)
class Targets:
    """The targets in force, one span per heat for each kind (every heat present)."""

    first_contact: Mapping[Heat, timedelta] = field(default_factory=lambda: DEFAULT_FIRST_CONTACT)
    resolution: Mapping[Heat, timedelta] = field(default_factory=lambda: DEFAULT_RESOLUTION)

    def span(self, kind: Kind, heat: Heat) -> timedelta:
        spans = self.first_contact if kind is Kind.FIRST_CONTACT else self.resolution
        return spans[heat]

    @classmethod
    def of(
        cls,
        first_contact: Mapping[Heat, timedelta] | None = None,
        resolution: Mapping[Heat, timedelta] | None = None,
        every_first_contact: timedelta | None = None,
    ) -> Targets:
        """The defaults, with ``every_first_contact`` (the old single "don't wait" limit)
        for every heat's first contact, and then the heats named in ``first_contact`` and
        ``resolution`` as given."""
        contact = dict(DEFAULT_FIRST_CONTACT)
        if every_first_contact is not None:
            contact = dict.fromkeys(Heat, every_first_contact)
        contact.update(first_contact or {})
        resolve = dict(DEFAULT_RESOLUTION) | dict(resolution or {})
        return cls(MappingProxyType(contact), MappingProxyType(resolve))


DEFAULT_TARGETS = Targets()


@dataclass(frozen=True)
class Target:
    """One target of one case, as it stands at some moment."""

    kind: Kind
    heat: Heat
    span: timedelta
    """What the settings give this heat."""
    due: datetime
    """When it must be met: opened + span, later by any waiting while it ran."""
    met_at: datetime | None
    """When what it asks for happened; None while it hasn't."""
    waited: timedelta = timedelta(0)
    """Waiting on the customer left out (resolution only)."""
    paused: bool = False
    """The clock stands still now: the case waits on the customer (resolution only)."""
    ended_at: datetime | None = None
    """When the case stopped needing it unmet: a case resolved or closed without anyone
    speaking to the customer (first contact only). Ended before its due time, the target
    no longer applies; after, it was missed."""

    @property
    def met(self) -> bool:
        return self.met_at is not None and self.met_at <= self.due

    @property
    def void(self) -> bool:
        """It no longer applies: the case ended, unmet, before it fell due."""
        return self.met_at is None and self.ended_at is not None and self.ended_at <= self.due

    def missed(self, now: datetime) -> bool:
        """Its due time passed before it was met (or it is not met and the time has passed)."""
        if self.met_at is not None:
            return self.met_at > self.due
        return not self.void and _utc(now) > self.due

    def decided_at(self, now: datetime) -> datetime | None:
        """When it became met or missed: the moment it was met, else its due time once
        passed; None while it still runs, or when it no longer applies."""
        if self.met:
            return self.met_at
        if self.missed(now):
            return self.due
        return None

    def left(self, now: datetime) -> timedelta:
        """Time left before it falls due; below zero once late."""
        return self.due - _utc(now)


def late_words(target: Target, now: datetime) -> str:
    """A missed target, short enough for one line of a narrow header: "Resolution 1d 2h
    late (target 2d)", "No contact yet, 2h late (target 1h)"."""
    late = duration_words(now - target.due)
    if target.kind is Kind.FIRST_CONTACT:
        return f"No contact yet, {late} late (target {span_words(target.span)})"
    return f"Resolution {late} late (target {span_words(target.span)})"


def status_change_text(before: Status, after: Status) -> str:
    """The timeline's words for a change of status: the one place they are made, since
    :func:`waiting_spans` reads them back."""
    return f"Status: {before.label} → {after.label}"


_TO_WAITING = f" → {Status.WAITING.label}"


def _utc(when: datetime) -> datetime:
    """Lengths of time are counted in UTC: on a wall clock with summer time, 01:30 plus an
    hour is not always an hour later."""
    return when.astimezone(UTC)


def waiting_spans(case: Case, now: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Each stretch the case waited on the customer, in order and in UTC: from a change of
    status to waiting to the next change of status (or its closing); one still going ends
    ``now``. Undo and redo write their changes of status too."""
    since: datetime | None = None
    for event in case.timeline:
        if event.kind is EventKind.STATUS_CHANGED and event.text.startswith("Status: "):
            at = _utc(event.at)
            if event.text.endswith(_TO_WAITING):
                if since is None:
                    since = at
                continue
            if since is not None:
                yield since, max(since, at)
                since = None
        elif event.kind is EventKind.CLOSED and since is not None:
            yield since, max(since, _utc(event.at))
            since = None
    if since is not None and case.status is Status.WAITING:
        yield since, max(since, _utc(now))


def time_waiting(case: Case, until: datetime) -> timedelta:
    """All the time the case waited on the customer between its opening and ``until``."""
    total = timedelta(0)
    opened, until = _utc(case.opened_at), _utc(until)
    for start, end in waiting_spans(case, until):
        start, end = max(start, opened), min(end, until)
        if end > start:
            total += end - start
    return total


def first_contact_target(case: Case, targets: Targets) -> Target:
    span = targets.span(Kind.FIRST_CONTACT, case.heat)
    met_at = None if case.first_contact_at is None else _utc(case.first_contact_at)
    ended = _resolved_at(case) if met_at is None else None
    due = _utc(case.opened_at) + span
    return Target(Kind.FIRST_CONTACT, case.heat, span, due, met_at, ended_at=ended)


def _resolved_at(case: Case) -> datetime | None:
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    when = case.resolved_at or case.closed_at
    return None if when is None else _utc(when)


def resolution_target(case: Case, targets: Targets, now: datetime) -> Target:
    """The resolution target, its due time moved on by waiting that began before it fell
    due (a stretch still going moves it on up to ``now``)."""
    span = targets.span(Kind.RESOLUTION, case.heat)
    met_at = _resolved_at(case)
    until = met_at or _utc(now)
    opened = _utc(case.opened_at)
    due = opened + span
    waited = timedelta(0)
    paused = False
    for start, end in waiting_spans(case, until):
        start = max(start, opened)
        if start > due or end <= start:  # waiting after it ran out doesn't make it met
            continue
        waited += end - start
        due += end - start
        paused = met_at is None and case.status is Status.WAITING and end >= until
    return Target(Kind.RESOLUTION, case.heat, span, due, met_at, waited, paused)


def in_force(case: Case, targets: Targets, now: datetime) -> Target | None:
    """The target an open case is working to: first contact until somebody has spoken to
    them, then resolution. None for a resolved or closed case."""
    if not case.status.is_open:
        return None
    if case.first_contact_at is None:
        return first_contact_target(case, targets)
    return resolution_target(case, targets, now)


def is_late(case: Case, targets: Targets, now: datetime) -> bool:
    """An open case past the target it is working to. A case read without its timeline (a
    head, for a first screen) is not said to be late on resolution: how long it waited on
    the customer is not known until it is read whole."""
    return target_late(case, in_force(case, targets, now), now)


def target_late(case: Case, target: Target | None, now: datetime) -> bool:
    """:func:`is_late` for the target :func:`in_force` gave (worked out once, used twice)."""
    if target is None or not target.missed(now):
        return False
    return bool(case.timeline) or target.kind is Kind.FIRST_CONTACT


def first_contact_late(case: Case, targets: Targets, now: datetime) -> bool:
    """Don't wait: an open case nobody has spoken to, past its heat's first-contact target."""
    return (
        case.status.is_open
        and case.first_contact_at is None
        and first_contact_target(case, targets).missed(now)
    )


def standing(target: Target, now: datetime, *, heat: bool = True) -> str:
    """Where a case stands against a target, in words: "first contact due within 40m
    (target 1h for furious)", "no contact yet, 2h 5m late (target 1h for furious)",
    "resolution paused while waiting on them, 3d left (target 5d for upset)",
    "resolved in time (target 5d for upset)". Without ``heat``, "(target 5d)": for where
    the heat is said already."""
    within = f"target {span_words(target.span)}"
    if heat:
        within += f" for {target.heat.label}"
    if target.void:
        return f"ended before anyone spoke to them ({within}: no longer applies)"
    if target.ended_at is not None:  # ended unmet, after its time
        return f"missed: ended with no contact ({within})"
    if target.met_at is not None:
        verb = "contacted" if target.kind is Kind.FIRST_CONTACT else "resolved"
        if target.met:
            return f"{verb} in time ({within})"
        return f"{verb} {duration_words(target.met_at - target.due)} late ({within})"
    if target.missed(now):
        late = duration_words(now - target.due)
        if target.kind is Kind.FIRST_CONTACT:
            return f"no contact yet, {late} late ({within})"
        return f"not resolved, {late} late ({within})"
    left = duration_words(target.left(now))
    if target.paused:
        return f"resolution paused while waiting on them, {left} left ({within})"
    return f"{target.kind.label} due within {left} ({within})"


class Mark(StrEnum):
    """What the case list flags beside a case's id, the most pressing first."""

    ESCALATED = "▲"
    LATE = "⌛"
    NO_ANSWER = "⏰"
    NONE = " "

    @property
    def meaning(self) -> str:
        return _MARK_MEANINGS[self]


_MARK_MEANINGS = {
    Mark.ESCALATED: "escalated",
    Mark.LATE: "past its target: don't wait",
    Mark.NO_ANSWER: "waited on them, no answer yet",
    Mark.NONE: "",
}

MARKS_LEGEND = "   ".join(f"{mark.value} {mark.meaning}" for mark in Mark if mark is not Mark.NONE)
"""The marks, explained in one line: for the list's foot and the help."""


def mark(case: Case, targets: Targets, now: datetime) -> Mark:
    """The list's mark for ``case``: escalated, else past its target, else woken from
    waiting with no answer yet; a resolved or closed case has none."""
    if not case.status.is_open:
        return Mark.NONE
    if case.escalated_at is not None:
        return Mark.ESCALATED
    if is_late(case, targets, now):
        return Mark.LATE
    return Mark.NO_ANSWER if case.no_answer_yet(now) else Mark.NONE
