"""Every change to a case, each one writing its line on the case's timeline.

The UI and the CLI never assign case fields themselves: they call these functions,
so the timeline is always complete. Each function takes ``now`` explicitly; nothing
here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from workbench.domain.amounts import AmountError, checked_amount, parse_amount
from workbench.domain.model import (
    Case,
    Channel,
    Event,
    EventKind,
    Fault,
    FollowUp,
    Heat,
    Outcome,
    Remedy,
    Status,
    Step,
)
from workbench.domain.playbooks import Playbook

DONT_WAIT_LIMIT = timedelta(hours=4)
"""A case with no first contact this long after it was opened is flagged: don't wait."""

TITLE_MAX = 200
NAME_MAX = 120


class DomainError(ValueError):
    """A change the rules don't allow. Its text is a sentence for a person."""


class ValidationError(DomainError):
    """One or more fields hold something we can't accept; ``errors`` maps field → reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in errors.items()))


class OpenStepsError(DomainError):
    """Closing was asked for while steps are still open; the caller must confirm."""

    def __init__(self, case: Case, steps: Sequence[Step]) -> None:
        self.steps = list(steps)
        titles = ", ".join(f'"{step.title}"' for step in steps)
        count = len(steps)
        noun = "step is" if count == 1 else "steps are"
        super().__init__(
            f"{case.id} still has {count} open {noun}: {titles}. Confirm to close it anyway."
        )


class CaseClosedError(DomainError):
    def __init__(self, case: Case) -> None:
        super().__init__(f"{case.id} is closed; set its status back to in progress to change it.")


def one_line(text: str) -> str:
    """Collapse any run of whitespace (newlines included) to one space and trim the ends."""
    return " ".join(text.split())


@dataclass
class CaseDraft:
    """What a person types to open or edit a case, before it becomes a :class:`Case`."""

    title: str
    customer: str
    contact: str = ""
    channel: Channel = Channel.PHONE
    heat: Heat = Heat.UPSET
    fault: Fault = Fault.UNCLEAR
    tags: list[str] = field(default_factory=list)

    def cleaned(self) -> CaseDraft:
        """The same draft with one-line fields trimmed; raises ValidationError if unusable."""
        draft = CaseDraft(
            title=one_line(self.title),
            customer=one_line(self.customer),
            contact=one_line(self.contact),
            channel=self.channel,
            heat=self.heat,
            fault=self.fault,
            tags=_clean_tags(self.tags),
        )
        errors: dict[str, str] = {}
        if not draft.title:
            errors["title"] = "Say what the complaint is, in one line."
        elif len(draft.title) > TITLE_MAX:
            errors["title"] = f"Keep the title under {TITLE_MAX} characters; put detail in a note."
        if not draft.customer:
            errors["customer"] = "Who is the customer? A name is enough."
        elif len(draft.customer) > NAME_MAX:
            errors["customer"] = f"Keep the customer's name under {NAME_MAX} characters."
        if len(draft.contact) > NAME_MAX:
            errors["contact"] = f"Keep the contact under {NAME_MAX} characters."
        if errors:
            raise ValidationError(errors)
        return draft


def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        cleaned = one_line(tag).lower().replace(" ", "-")
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return seen


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
) -> Case:
    """A new case from a draft, with the playbook's steps.

    ``contacted`` says whether we are talking with the customer right now. Left as
    None, a live channel (phone, in person, video) counts as contact: the case is being
    opened during the conversation. A written complaint (e-mail, chat) does not.
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
    return case


def edit_case(
    case: Case, draft: CaseDraft, now: datetime, playbook: Playbook | None = None
) -> None:
    """Change what was typed when opening the case; a new playbook keeps ticks of shared steps."""
    clean = draft.cleaned()
    changes: list[str] = []
    for name in ("title", "customer", "contact", "channel", "heat", "fault", "tags"):
        old, new = getattr(case, name), getattr(clean, name)
        if old != new:
            setattr(case, name, new)
            changes.append(name)
    if playbook is not None and playbook.key != case.playbook:
        done = {step.key: step for step in case.steps if step.done or step.note}
        fresh = playbook.new_steps()
        for step in fresh:
            if step.key in done:
                step.done_at = done[step.key].done_at
                step.note = done[step.key].note
        case.steps = fresh
        case.playbook = playbook.key
        changes.append("playbook")
    if changes:
        _log(case, now, EventKind.EDITED, "Changed " + ", ".join(changes))


def record_contact(case: Case, now: datetime, channel: Channel | None = None) -> bool:
    """Note that we have spoken with the customer; only the first contact is kept as a time."""
    if case.first_contact_at is not None:
        return False
    case.first_contact_at = now
    used = channel or case.channel
    weak = " (written: a call would be better)" if used.is_weak else ""
    _log(case, now, EventKind.CONTACTED, f"First contact by {used.label}{weak}")
    return True


def needs_first_contact(case: Case, now: datetime, limit: timedelta = DONT_WAIT_LIMIT) -> bool:
    """Don't wait: an open case nobody has spoken to for longer than ``limit``."""
    return case.status.is_open and case.first_contact_at is None and now - case.opened_at > limit


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


def set_step_note(case: Case, index: int, note: str, now: datetime) -> bool:
    """Write (or clear, with an empty note) what was said at a step."""
    step = step_at(case, index)
    cleaned = note.strip()
    if cleaned == step.note:
        return False
    step.note = cleaned
    text = f"Note on “{step.title}”" if cleaned else f"Cleared the note on “{step.title}”"
    _log(case, now, EventKind.STEP_NOTE, text)
    return True


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
    what = one_line(action) or "Check back with the customer"
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
        f"Follow-up F{number} for {due:%a %d %b %Y, %H:%M}: {what}",
    )
    return item


def _open_followup(case: Case, followup_id: int) -> FollowUp:
    try:
        item = case.followup(followup_id)
    except KeyError:
        known = ", ".join(f"F{f.id}" for f in case.followups) or "none"
        raise DomainError(f"{case.id} has no follow-up F{followup_id} (it has: {known}).") from None
    if not item.is_open:
        state = "done" if item.done_at else "cancelled"
        raise DomainError(f"Follow-up F{followup_id} of {case.id} is already {state}.")
    return item


def complete_followup(case: Case, followup_id: int, now: datetime, note: str = "") -> FollowUp:
    item = _open_followup(case, followup_id)
    item.done_at = now
    item.note = note.strip()
    suffix = f": {item.note}" if item.note else ""
    _log(case, now, EventKind.FOLLOWUP_DONE, f"Follow-up F{followup_id} done{suffix}")
    return item


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
        f"Follow-up F{followup_id} moved from {before:%a %d %b, %H:%M} to {due:%a %d %b, %H:%M}",
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
    _log(case, now, EventKind.STATUS_CHANGED, f"Status: {before.label} → {status.label}")
    return True


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
) -> None:
    """Close with an outcome. Open steps raise :class:`OpenStepsError` unless allowed.

    Open follow-ups stay on the calendar (a promise is a promise) unless
    ``cancel_followups`` says to cancel them with the case.
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
    if case.resolved_at is None:
        case.resolved_at = now
    text = f"Closed ({outcome.label}) from {before.label}"
    if left:
        text += f", with {len(left)} step{'s' if len(left) != 1 else ''} left open"
    if note.strip():
        text += f": {note.strip()}"
    _log(case, now, EventKind.CLOSED, text)
    if cancel_followups:
        for item in case.open_followups:
            cancel_followup(case, item.id, now, "cancelled with the case")


def total_remedy_cost(cases: Iterable[Case]) -> Decimal:
    """What the remedies on these cases cost, accepted or still on offer (declined ones cost 0)."""
    return sum(
        (c.remedy.cost for c in cases if c.remedy is not None and c.remedy.accepted is not False),
        Decimal(0),
    )
