"""Every change to a case, each one writing its line on the case's timeline.

The UI and the CLI never assign case fields themselves: they call these functions,
so the timeline is always complete. Each function takes ``now`` explicitly; nothing
here reads the clock.

What a person types (:mod:`~workbench.domain.drafts`) and the refusals with more than
a sentence (:mod:`~workbench.domain.refusals`) have modules of their own; their names
are imported here too, where the screen and the command line look for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from workbench.domain import limits
from workbench.domain.agents import agent_name, assign
from workbench.domain.amounts import AmountError, checked_amount, parse_amount
from workbench.domain.drafts import NAME_MAX as NAME_MAX
from workbench.domain.drafts import TITLE_MAX as TITLE_MAX
from workbench.domain.drafts import CaseDraft as CaseDraft
from workbench.domain.drafts import one_line as one_line
from workbench.domain.errors import DomainError as DomainError  # where callers look for it
from workbench.domain.errors import FollowUpNotFound
from workbench.domain.merge import Edit, merge_line, merge_tags, merge_text
from workbench.domain.model import (
    Case,
    Channel,
    Event,
    EventKind,
    FollowUp,
    Outcome,
    Remedy,
    Resolution,
    Status,
    Step,
)
from workbench.domain.moments import long_moment, moved_moment, wall_clock
from workbench.domain.playbooks import Playbook
from workbench.domain.refusals import CaseClosedError as CaseClosedError
from workbench.domain.refusals import OpenStepsError as OpenStepsError
from workbench.domain.refusals import ValidationError as ValidationError
from workbench.domain.spans import duration_words, span_words
from workbench.domain.targets import Targets, in_force, status_change_text


def _log(case: Case, now: datetime, kind: EventKind, text: str) -> Event:
    event = Event(at=now, kind=kind, text=text)
    case.timeline.append(event)
    return event


def _require_open(case: Case) -> None:
    if case.status is Status.CLOSED:
        raise CaseClosedError(case)


def _require_aware(when: datetime, what: str) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise DomainError(f"{what} needs a time zone")


def open_case(
    draft: CaseDraft,
    case_id: str,
    playbook: Playbook,
    now: datetime,
    *,
    contacted: bool | None = None,
    author: str = "",
) -> Case:
    """A new case from a draft, with the playbook's steps.

    ``contacted`` says whether we are talking with the customer right now. Left as
    None, a live channel (phone, in person, video) counts as contact: the case is being
    opened during the conversation. A written complaint (e-mail, chat) does not.
    ``author``, the agent opening it, owns it and signs its first events.
    """
    _require_aware(now, "opening a case")
    clean = draft.cleaned()
    case = Case(
        id=case_id,
        title=clean.title,
        customer=clean.customer,
        contact=clean.contact,
        channel=clean.channel,
        heat=clean.heat,
        fault=clean.fault,
        tags=clean.tags,
        playbook=playbook.key,
        steps=playbook.new_steps(),
        opened_at=now,
    )
    _log(case, now, EventKind.CREATED, f"Opened with the playbook “{playbook.name}”")
    if contacted if contacted is not None else clean.channel.is_live:
        record_contact(case, now, clean.channel)
    if author:
        case.owner = author
        for event in case.timeline:
            event.author = author
    return case


def edit_case(
    case: Case,
    draft: CaseDraft,
    now: datetime,
    playbook: Playbook | None = None,
    *,
    base: CaseDraft | None = None,
    names: Mapping[str, str] | None = None,
) -> Edit:
    """Change what was typed when opening the case, and its playbook if one is given.

    ``base`` is the case as the form showed it when it opened. A field still as it was
    there keeps what the case holds now, changed elsewhere meanwhile or not; a text
    changed both there and here keeps both (:mod:`workbench.domain.merge`); a choice
    (channel, heat, fault) changed on both sides takes ours, and says so. Without a
    base the draft is taken as it is (the command line builds it from this very case).

    A new playbook never drops what was done or written: see :func:`_change_playbook`.
    ``names`` gives playbook names for the timeline (keys are used without them).
    """
    clean = draft.cleaned()
    start = base or CaseDraft.of(case)
    changed: list[str] = []
    notices: list[str] = []
    clashes: list[str] = []
    was: dict[str, str] = {}
    for name, what, limit in _TEXT_FIELDS:
        merged = merge_line(getattr(start, name), getattr(case, name), getattr(clean, name), limit)
        if merged.clash:
            notices.append(merged.notice(what))
            clashes.append(merged.record(what, quote=True))
        if merged.text != getattr(case, name):
            was[name] = getattr(case, name)
            setattr(case, name, merged.text)
            changed.append(name)
    for name in ("channel", "heat", "fault"):
        ours, theirs = getattr(clean, name), getattr(case, name)
        if ours == getattr(start, name) or ours == theirs:
            continue
        if theirs != getattr(start, name):
            notices.append(
                f"The {name} was changed elsewhere to {theirs.label} while you edited; "
                f"yours, {ours.label}, is kept."
            )
        setattr(case, name, ours)
        changed.append(name)
    tags, clash = merge_tags(start.tags, case.tags, clean.tags)
    if clash:
        notices.append("The tags were changed elsewhere while you edited; both changes are kept.")
        clashes.append("The tags were changed in two places at once; both changes are kept")
    if tags != case.tags:
        case.tags = tags
        changed.append("tags")
    if changed:  # a text's old words stay on the timeline: one line, and short
        said = [f"{name} (was “{was[name]}”)" if was.get(name) else name for name in changed]
        _log(case, now, EventKind.EDITED, "Changed " + ", ".join(said))
    for text in clashes:
        _log(case, now, EventKind.EDITED, text)
    if playbook is not None and playbook.key != case.playbook:
        _log(case, now, EventKind.EDITED, _change_playbook(case, playbook, names or {}))
        changed.append("playbook")
    return Edit(tuple(changed), tuple(notices))


DEFAULT_FOLLOWUP_ACTION = "Check back with the customer"
"""What a follow-up scheduled with no "what" is to do; the form shows it as its placeholder."""

_TEXT_FIELDS = (
    ("title", "The title", TITLE_MAX),
    ("customer", "The customer's name", NAME_MAX),
    ("contact", "The contact", NAME_MAX),
)
"""The one-line texts of a case a form edits: field, its name in a sentence, its limit."""


def _change_playbook(case: Case, playbook: Playbook, names: Mapping[str, str]) -> str:
    """Move the case to ``playbook``; the timeline's sentence saying what became of the steps.

    The new playbook's steps come first. A step done or noted carries its tick and note
    over to the new step with the same key; any other step done or noted stays in the
    case after them, as it was, marked as coming from the playbook it belonged to
    (:attr:`Step.from_playbook`), and no longer counts as open. Untouched steps of the
    earlier playbook go: they held nothing.
    """

    def named(key: str) -> str:
        return f"“{names.get(key, key)}”"

    earlier = case.playbook
    fresh = playbook.new_steps()
    waiting = {step.key: step for step in fresh}
    carried: list[Step] = []
    kept: list[Step] = []
    remaining: list[Step] = []
    for step in case.steps:
        if not (step.done or step.note):
            continue
        target = waiting.pop(step.key, None)
        if target is not None:
            target.done_at, target.note = step.done_at, step.note
            carried.append(target)
            continue
        if not step.from_playbook:  # kept from an earlier change already: stays as it is
            step.from_playbook = earlier
            kept.append(step)
        remaining.append(step)
    case.steps = fresh + remaining
    case.playbook = playbook.key
    text = f"Changed playbook from {named(earlier)} to {named(playbook.key)}"
    if carried:
        text += ". Carried over: " + "; ".join(_step_state(step) for step in carried)
    if kept:
        text += f". Kept from {named(earlier)}: " + "; ".join(_step_state(s) for s in kept)
    if not carried and not kept:
        text += "; no step of it had been done or noted"
    return text


def _step_state(step: Step) -> str:
    done = "done, with its note" if step.note else "done"
    return f"“{step.title}” ({done if step.done else 'not done, with its note'})"


def record_contact(case: Case, now: datetime, channel: Channel | None = None) -> bool:
    """Note that we have spoken with the customer; only the first contact is kept as a time."""
    if case.first_contact_at is not None:
        return False
    case.first_contact_at = now
    used = channel or case.channel
    weak = " (written: a call would be better)" if used.is_weak else ""
    _log(case, now, EventKind.CONTACTED, f"First contact by {used.label}{weak}")
    return True


def step_at(case: Case, index: int) -> Step:
    """The step at a 0-based index, with a readable error when there is none."""
    if not 0 <= index < len(case.steps):
        raise DomainError(
            f"{case.id} has steps 1 to {len(case.steps)}; there is no step {index + 1}."
        )
    return case.steps[index]


def set_step(case: Case, index: int, done: bool, now: datetime) -> bool:
    """Tick or untick a step. Returns False when it already was that way."""
    _require_open(case)
    step = step_at(case, index)
    if step.done == done:
        return False
    step.done_at = now if done else None
    if done:
        _log(case, now, EventKind.STEP_DONE, f"Done: {step.title}")
        if step.contact:
            record_contact(case, now)
        if case.status is Status.NEW:
            set_status(case, Status.IN_PROGRESS, now)
    else:
        _log(case, now, EventKind.STEP_UNDONE, f"Not done after all: {step.title}")
    return True


def toggle_step(case: Case, index: int, now: datetime) -> Step:
    step = step_at(case, index)
    set_step(case, index, not step.done, now)
    return step


def set_step_note(
    case: Case, index: int, note: str, now: datetime, *, base: str | None = None
) -> Edit:
    """Write (or clear, with an empty note) what was said at a step.

    ``base`` is the note as the form showed it when it opened. If the note was changed
    elsewhere since, neither text is lost: both are kept (:func:`merge_text`), the
    timeline says so, and the edit returned carries a sentence to show. Without a base
    the note is replaced.
    """
    step = step_at(case, index)
    ours = note.strip()
    merged = merge_text(step.note if base is None else base, step.note, ours)
    if merged.clash:
        step.note = merged.text
        _log(case, now, EventKind.STEP_NOTE, merged.record(f"The note on “{step.title}”"))
        return Edit(("note",), (merged.notice(f"Step {index + 1}'s note"),))
    if merged.text == step.note:
        return Edit()
    before, step.note = step.note, merged.text
    text = f"Note on “{step.title}”" if step.note else f"Cleared the note on “{step.title}”"
    if before and (not step.note or base is None):
        # Cleared, or replaced by someone who never saw it (the command line): the words
        # it held stay on the timeline, never silently gone.
        room = limits.MAX_TEXT - len(text) - 20  # a note near the limit is quoted cut short
        text += f"; it read: {before if len(before) <= room else before[:room] + '…'}"
    _log(case, now, EventKind.STEP_NOTE, text)
    return Edit(("note",))


def find_step(case: Case, key: str, playbook: str) -> int | None:
    """The index of the step with this key, of this playbook, now; None if it is gone.

    A form names the step it was opened on this way: by the time it is saved, the case
    may have moved to another playbook elsewhere, and an index would point at another
    step. ``playbook`` is the key of the playbook the step belonged to (for a step of
    the case's own playbook then, the case's playbook then).
    """
    for index, step in enumerate(case.steps):
        if step.key == key and (step.from_playbook or case.playbook) == playbook:
            return index
    return None


def add_note(case: Case, text: str, now: datetime) -> Event:
    """A free note on the case's timeline: what was said, what was promised."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError({"note": "The note is empty."})
    return _log(case, now, EventKind.NOTE, cleaned)


def schedule_followup(
    case: Case,
    due: datetime,
    action: str,
    now: datetime,
    channel: Channel | None = None,
) -> FollowUp:
    """Promise to get back to the customer at ``due``."""
    _require_open(case)
    _require_aware(due, "a follow-up time")
    what = one_line(action) or DEFAULT_FOLLOWUP_ACTION
    number = max((item.id for item in case.followups), default=0) + 1
    item = FollowUp(
        id=number,
        due=due,
        action=what,
        channel=channel or case.channel,
        created_at=now,
    )
    case.followups.append(item)
    _log(
        case,
        now,
        EventKind.FOLLOWUP_SCHEDULED,
        f"Follow-up F{number} for {long_moment(due)}: {what}",
    )
    return item


def _open_followup(case: Case, followup_id: int) -> FollowUp:
    try:
        item = case.followup(followup_id)
    except FollowUpNotFound:
        known = ", ".join(f"F{f.id}" for f in case.followups) or "none"
        raise DomainError(f"{case.id} has no follow-up F{followup_id} (it has: {known}).") from None
    if not item.is_open:
        state = "done" if item.done_at else "cancelled"
        raise DomainError(f"Follow-up F{followup_id} of {case.id} is already {state}.")
    return item


def complete_followup(
    case: Case,
    followup_id: int,
    now: datetime,
    note: str = "",
    result: Resolution | None = None,
) -> FollowUp:
    """Mark a follow-up done, with what came of it and how it stands (both optional)."""
    item = _open_followup(case, followup_id)
    item.done_at = now
    item.note = note.strip()
    item.result = result
    stands = f" ({result.label})" if result is not None else ""
    suffix = f": {item.note}" if item.note else ""
    _log(case, now, EventKind.FOLLOWUP_DONE, f"Follow-up F{followup_id} done{stands}{suffix}")
    _next_in_series(case, item, now)
    return item


def repeat_followup(case: Case, followup_id: int, every_days: int, times: int | None) -> None:
    """Make an open follow-up the first of a series: once done, the next follows
    ``every_days`` later, ``times`` times in all (None: until the case is resolved)."""
    item = _open_followup(case, followup_id)
    if not 1 <= every_days <= limits.MAX_EVERY_DAYS:
        raise DomainError(f"Repeat every 1 to {limits.MAX_EVERY_DAYS} days.")
    if times is not None and not 2 <= times <= limits.MAX_REPEATS + 1:
        raise DomainError(f"A series has 2 to {limits.MAX_REPEATS + 1} follow-ups in all.")
    item.every_days = every_days
    item.repeats_left = None if times is None else times - 1


def _days_later(when: datetime, days: int, zone: tzinfo | None) -> datetime:
    """``days`` later on the wall clock of ``zone`` (now's), moved past any clock-change
    gap, as the date grammar's day steps are."""
    from dateutil.tz import resolve_imaginary

    local = wall_clock(when, zone).replace(tzinfo=None) + timedelta(days=days)
    return resolve_imaginary(local.replace(tzinfo=zone))


def _next_in_series(case: Case, done: FollowUp, now: datetime) -> FollowUp | None:
    """The next follow-up of ``done``'s series, scheduled: none once the case is resolved
    or closed, or the series has run its course. It falls the series' gap after the one
    done, or after that, the first such time still ahead."""
    if not done.every_days or case.status in (Status.RESOLVED, Status.CLOSED):
        return None
    if done.repeats_left is not None and done.repeats_left <= 0:
        return None
    # Days are added on the wall clock of the zone it was made in, so a weekly 10:00
    # stays 10:00 across a change to or from summer time.
    step = 1
    while (due := _days_later(done.due, done.every_days * step, now.tzinfo)) <= now:
        step += 1
    nxt = schedule_followup(case, due, done.action, now, done.channel)
    nxt.every_days = done.every_days
    nxt.repeats_left = None if done.repeats_left is None else done.repeats_left - 1
    return nxt


def cancel_followup(case: Case, followup_id: int, now: datetime, reason: str = "") -> FollowUp:
    item = _open_followup(case, followup_id)
    item.cancelled_at = now
    item.note = reason.strip()
    suffix = f": {item.note}" if item.note else ""
    _log(case, now, EventKind.FOLLOWUP_CANCELLED, f"Follow-up F{followup_id} cancelled{suffix}")
    return item


def reschedule_followup(case: Case, followup_id: int, due: datetime, now: datetime) -> FollowUp:
    _require_aware(due, "a follow-up time")
    item = _open_followup(case, followup_id)
    before = item.due
    if due == before:
        return item  # moved to where it already is: nothing happened, nothing to log
    item.due = due
    _log(
        case,
        now,
        EventKind.FOLLOWUP_SCHEDULED,
        f"Follow-up F{followup_id} moved from {moved_moment(before)} to {moved_moment(due)}",
    )
    return item


def set_status(case: Case, status: Status, now: datetime) -> bool:
    """Move a case along. Closing goes through :func:`close_case`, which asks for an outcome."""
    if status is Status.CLOSED:
        raise DomainError("Close a case with an outcome (retained, parted ways, …), not a status.")
    if status is case.status:
        return False
    before = case.status
    case.status = status
    if status is Status.RESOLVED:
        case.resolved_at = now
    elif before in (Status.RESOLVED, Status.CLOSED):
        # Reopened: the old resolution no longer stands.
        case.resolved_at = None
        case.closed_at = None
        case.outcome = None
        case.satisfied = None
        case.escalated_at = None  # a new start: it may be escalated again
    _log(case, now, EventKind.STATUS_CHANGED, status_change_text(before, status))
    _stopped_waiting(case, before, now)
    return True


def _stopped_waiting(case: Case, before: Status, now: datetime) -> None:
    """After any change of status (closing too): a case no longer waiting on them needs
    no wake-up."""
    if before is Status.WAITING and case.status is not Status.WAITING:
        for item in case.open_followups:
            if item.wakes:
                cancel_followup(case, item.id, now, "no longer waiting on the customer")


WAKE_ACTION = "No answer yet: check in with them"
"""What the follow-up that wakes a waiting case says."""


def wait_until(case: Case, until: datetime, now: datetime) -> FollowUp:
    """Wait on the customer until ``until``: the case goes waiting, and a follow-up then
    wakes it ("no answer yet"), in place of any wake-up set before."""
    _require_aware(until, "the time to wait until")
    if until <= now:
        raise DomainError(f"{long_moment(until)} has passed; wait until a time still ahead.")
    _require_open(case)
    for item in case.open_followups:
        if item.wakes:
            cancel_followup(case, item.id, now, "waiting until a new time")
    set_status(case, Status.WAITING, now)
    woken = schedule_followup(case, until, WAKE_ACTION, now, case.channel)
    woken.wakes = True
    return woken


def waiting_until(case: Case) -> FollowUp | None:
    """The follow-up that wakes this waiting case, if it has one still open."""
    return next((item for item in case.open_followups if item.wakes), None)


def escalate(case: Case, targets: Targets, now: datetime, to: str = "") -> str:
    """Pass the case up: marked escalated, said on the timeline with where it stands
    against its target, and given to ``to`` (a checked agent's name) when one is named.
    Returns the timeline's words. Refused for a case resolved or closed, or already
    escalated (assign it to pass it on again)."""
    target = in_force(case, targets, now)
    if target is None:
        raise DomainError(f"{case.id} is {case.status.label}: there is nothing to escalate.")
    if case.escalated_at is not None:
        raise DomainError(
            f"{case.id} was escalated on {long_moment(case.escalated_at)}; "
            "assign it to pass it on to someone else."
        )
    if target.missed(now):
        where = (
            f"{target.kind.label} {duration_words(now - target.due)} late "
            f"(target {span_words(target.span)} for {target.heat.label})"
        )
    else:
        where = f"before its {target.kind.label} target ({duration_words(target.left(now))} left)"
    to = agent_name(to) if to.strip() else ""
    text = f"Escalated{' to ' + to if to else ''}: {where}"
    case.escalated_at = now
    _log(case, now, EventKind.ESCALATED, text)
    if to:
        assign(case, to, now)
    return text


def parse_cost(text: str) -> Decimal:
    """A remedy's cost as typed (``"49,90"``, ``"1,250.00"``, ``"€40"``) → Decimal.

    The one rule for the screen and the command line (:mod:`workbench.domain.amounts`);
    anything it can't read with certainty raises ValidationError on ``cost``.
    """
    try:
        return parse_amount(text)
    except AmountError as error:
        raise ValidationError({"cost": str(error)}) from None


def record_remedy(
    case: Case,
    description: str,
    cost: Decimal,
    accepted: bool | None,
    now: datetime,
) -> Remedy:
    """What we offered to make it right. Weigh its cost against the cost of losing them."""
    _require_open(case)
    what = description.strip()
    if not what:
        raise ValidationError({"remedy": "Say what was offered."})
    try:
        cost = checked_amount(cost)
    except AmountError as error:
        raise ValidationError({"cost": str(error)}) from None
    current = case.remedy
    if current is not None and (current.description, current.cost, current.accepted) == (
        what,
        cost,
        accepted,
    ):
        return current  # saved again unchanged: nothing happened, nothing to log
    remedy = Remedy(description=what, cost=cost, accepted=accepted, recorded_at=now)
    case.remedy = remedy
    _log(
        case,
        now,
        EventKind.REMEDY_RECORDED,
        f"Remedy offered: {one_line(what)} (cost {cost:.2f}, {remedy.answer_label})",
    )
    return remedy


def close_case(
    case: Case,
    outcome: Outcome,
    now: datetime,
    *,
    allow_open_steps: bool = False,
    note: str = "",
    cancel_followups: bool = False,
    satisfied: bool | None = None,
) -> None:
    """Close with an outcome. Open steps raise :class:`OpenStepsError` unless allowed.

    Open follow-ups stay on the calendar (a promise is a promise) unless
    ``cancel_followups`` says to cancel them with the case. ``satisfied`` is whether the
    customer was satisfied, as far as the agent can tell (None: can't tell).
    """
    if case.status is Status.CLOSED:
        raise DomainError(f"{case.id} is already closed ({(case.outcome or outcome).label}).")
    left = case.open_steps
    if left and not allow_open_steps:
        raise OpenStepsError(case, left)
    before = case.status
    case.status = Status.CLOSED
    case.outcome = outcome
    case.closed_at = now
    case.satisfied = satisfied
    if case.resolved_at is None:
        case.resolved_at = now
    text = f"Closed ({outcome.label}) from {before.label}"
    if satisfied is not None:
        text += ", customer satisfied" if satisfied else ", customer not satisfied"
    if left:
        text += f", with {len(left)} step{'s' if len(left) != 1 else ''} left open"
    if note.strip():
        text += f": {note.strip()}"
    _log(case, now, EventKind.CLOSED, text)
    _stopped_waiting(case, before, now)
    if cancel_followups:
        for item in case.open_followups:
            cancel_followup(case, item.id, now, "cancelled with the case")


def total_remedy_cost(cases: Iterable[Case]) -> Decimal:
    """What the remedies on these cases cost, accepted or still on offer (declined ones cost 0)."""
    return sum(
        (c.remedy.cost for c in cases if c.remedy is not None and c.remedy.accepted is not False),
        Decimal(0),
    )
