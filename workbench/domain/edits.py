"""Changes typed into a form, applied to the freshest copy of the case.

A form is filled in from the case as it was when it opened; by the time it is saved,
another workbench or the command line may have changed the same case. Each function
here takes what the form started from (the *base*) and what was typed, and applies it
to the case as it is now by the rule of :mod:`workbench.domain.merge`: a field left as
it was keeps what is there now, a text changed on both sides keeps both, and nothing
typed is thrown away. Each returns an :class:`~workbench.domain.merge.Edit` whose
notices the screen shows.

Changing a case's details and a step's note take a base in
:func:`~workbench.domain.actions.edit_case` and
:func:`~workbench.domain.actions.set_step_note` themselves.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from workbench.domain import actions
from workbench.domain.merge import Edit, merge_line, merge_text
from workbench.domain.model import (
    Case,
    Channel,
    Event,
    EventKind,
    Outcome,
    Remedy,
    Resolution,
    Status,
    Step,
)


def _log(case: Case, now: datetime, kind: EventKind, text: str) -> None:
    case.timeline.append(Event(at=now, kind=kind, text=text))


def note_on_step(
    case: Case, seen: Step, note: str, now: datetime, *, base: str, seen_in: str
) -> Edit:
    """The note written on ``seen``, the step as the form showed it when the case's
    playbook was ``seen_in``; found again by its key and playbook.

    If the step is gone from the case (its playbook was changed elsewhere, and it held
    nothing then), the note goes on the case's timeline instead of being lost.
    """
    index = actions.find_step(case, seen.key, seen.from_playbook or seen_in)
    if index is not None:
        return actions.set_step_note(case, index, note, now, base=base)
    ours = note.strip()
    if ours == base:
        return Edit()
    actions.add_note(case, f"Note on “{seen.title}”, a step no longer in the case: {ours}", now)
    return Edit(
        ("timeline",),
        (
            f"The step “{seen.title}” was taken out of the case elsewhere while you wrote; "
            "your note is kept on the case's timeline.",
        ),
    )


def tick_seen(case: Case, seen: Step, done: bool, now: datetime, *, seen_in: str) -> Step:
    """Tick (or untick) the step the screen showed, found again by its key and playbook,
    to the state the user asked for: ``space`` on a step shown ☐ means "done", even if
    another workbench ticked it meanwhile (then nothing changes), never "flip whatever is
    saved now" (which would undo the other tick), and never the step that now stands at
    the same place in the list. Raises :class:`~actions.DomainError` if it is gone."""
    index = actions.find_step(case, seen.key, seen.from_playbook or seen_in)
    if index is None:
        raise actions.DomainError(
            f"the step “{seen.title}” is no longer on {case.id}: its playbook was changed elsewhere"
        )
    actions.set_step(case, index, done, now)
    return case.steps[index]


def revise_remedy(
    case: Case,
    description: str,
    cost: Decimal,
    accepted: bool | None,
    now: datetime,
    *,
    base: Remedy | None,
) -> Edit:
    """Record the remedy from a form that opened on ``base`` (None: there was none).

    What the form left as it was keeps what is recorded now; a description changed on
    both sides keeps both; a cost or answer changed on both sides takes ours, and says so.
    """
    current = case.remedy
    was = ("", Decimal(0), None) if base is None else (base.description, base.cost, base.accepted)
    now_is = (
        ("", Decimal(0), None)
        if current is None
        else (current.description, current.cost, current.accepted)
    )
    notices: list[str] = []
    merged = merge_line(was[0], now_is[0], description.strip())
    if merged.clash:
        notices.append(merged.notice("The remedy's description"))
    new_cost = now_is[1] if cost == was[1] else cost
    new_answer = now_is[2] if accepted is was[2] else accepted
    for what, ours, then, there in (
        ("cost", cost, was[1], now_is[1]),
        ("answer", accepted, was[2], now_is[2]),
    ):
        if ours != then and there != then and ours != there:
            notices.append(
                f"The remedy's {what} was changed elsewhere while you wrote; yours is kept."
            )
    if current is not None and (merged.text, new_cost, new_answer) == now_is:
        return Edit((), tuple(notices))
    if case.status is Status.CLOSED:
        return kept_on_timeline(
            case,
            now,
            f"Remedy offered after the case was closed: {description.strip()} (cost {cost:.2f})",
            f"{case.id} was closed elsewhere while you wrote; the remedy you typed",
        )
    actions.record_remedy(case, merged.text, new_cost, new_answer, now)
    if merged.clash:
        _log(case, now, EventKind.EDITED, merged.record("The remedy's description", quote=True))
    return Edit(("remedy",), tuple(notices))


def followup_done(
    case: Case, followup_id: int, now: datetime, note: str, result: Resolution | None = None
) -> Edit:
    """Mark a follow-up done from a form that saw it open, with what came of it and how it
    stands.

    Marked done elsewhere meanwhile: both notes are kept (and the result, when only ours
    says one). Cancelled elsewhere: it stays cancelled, and the note typed goes on the
    case's timeline.
    """
    item = case.followup(followup_id) if _has(case, followup_id) else None
    ours = note.strip()
    if item is None or item.is_open:
        actions.complete_followup(case, followup_id, now, ours, result)  # says when none
        return Edit(("followup",))
    if item.done_at is not None and item.result is None and result is not None:
        item.result = result
        _log(case, now, EventKind.FOLLOWUP_DONE, f"Follow-up F{followup_id}: {result.label}")
    name = f"Follow-up F{followup_id}"
    if item.cancelled_at is not None:
        if not ours:
            return Edit((), (f"{name} was cancelled elsewhere meanwhile; it stays cancelled.",))
        actions.add_note(case, f"{name}, cancelled meanwhile, was done after all: {ours}", now)
        return Edit(
            ("timeline",),
            (
                f"{name} was cancelled elsewhere while you wrote; it stays cancelled and "
                "your note is kept on the case's timeline.",
            ),
        )
    merged = merge_text("", item.note, ours)
    if merged.text == item.note:
        return Edit((), (f"{name} was already marked done elsewhere.",))
    item.note = merged.text
    if merged.clash:
        _log(case, now, EventKind.FOLLOWUP_DONE, merged.record(f"What came of {name}"))
        return Edit(
            ("followup",),
            (f"{name} was marked done elsewhere while you wrote; both notes are kept.",),
        )
    _log(case, now, EventKind.FOLLOWUP_DONE, f"{name} done: {item.note}")
    return Edit(
        ("followup",), (f"{name} was already marked done elsewhere; your note is added to it.",)
    )


def move_followup(
    case: Case,
    followup_id: int,
    due: datetime,
    now: datetime,
    *,
    action: str,
    channel: Channel,
    base_action: str,
    base_channel: Channel,
) -> Edit:
    """Move a follow-up, and change what to do and how, from a form that opened on
    ``base_action`` and ``base_channel``."""
    before = case.followup(followup_id).due if _has(case, followup_id) else None
    typed = actions.one_line(action)
    if _has(case, followup_id) and not case.followup(followup_id).is_open:
        if not typed or typed == base_action:
            actions.reschedule_followup(case, followup_id, due, now)  # says it is done
        return kept_on_timeline(
            case,
            now,
            f"Follow-up F{followup_id}, no longer open, was to read: {typed}",
            f"Follow-up F{followup_id} was closed elsewhere while you edited; what you typed",
        )
    item = actions.reschedule_followup(case, followup_id, due, now)
    changed = ["due"] if before != due else []
    notices: list[str] = []
    name = f"Follow-up F{followup_id}"
    merged = merge_line(base_action, item.action, actions.one_line(action) or base_action)
    if merged.clash:
        notices.append(merged.notice(f"{name}'s text"))
        _log(case, now, EventKind.EDITED, merged.record(f"{name}'s text", quote=True))
    if merged.text != item.action:
        item.action = merged.text
        changed.append("action")
        _log(case, now, EventKind.FOLLOWUP_SCHEDULED, f"{name} now reads: {item.action}")
    if channel != base_channel and channel != item.channel:
        if item.channel != base_channel:
            notices.append(
                f"{name}'s channel was changed elsewhere to {item.channel.label} while you "
                f"edited; yours, {channel.label}, is kept."
            )
        item.channel = channel
        changed.append("channel")
        _log(case, now, EventKind.FOLLOWUP_SCHEDULED, f"{name} by {channel.label}")
    return Edit(tuple(changed), tuple(notices))


def close_from_form(
    case: Case,
    outcome: Outcome,
    now: datetime,
    *,
    allow_open_steps: bool,
    note: str,
    cancel_followups: bool,
    satisfied: bool | None = None,
) -> Edit:
    """Close the case from the close form; closed elsewhere meanwhile, it stays as it was
    closed there and the closing note typed goes on its timeline."""
    if case.status is Status.CLOSED:
        if not note.strip():
            return Edit((), (f"{case.id} was already closed elsewhere.",))
        return kept_on_timeline(
            case,
            now,
            f"Closing note written as it was closed elsewhere: {note.strip()}",
            f"{case.id} was closed elsewhere while you wrote; your closing note",
        )
    actions.close_case(
        case,
        outcome,
        now,
        allow_open_steps=allow_open_steps,
        note=note,
        cancel_followups=cancel_followups,
        satisfied=satisfied,
    )
    return Edit(("status",))


def kept_on_timeline(case: Case, now: datetime, entry: str, what: str) -> Edit:
    """What a form typed that can no longer be saved where it was meant to go (the case
    or follow-up was closed elsewhere meanwhile), kept as a note on the case's timeline."""
    actions.add_note(case, entry, now)
    return Edit(("timeline",), (f"{what} is kept on the case's timeline.",))


def _has(case: Case, followup_id: int) -> bool:
    return any(item.id == followup_id for item in case.followups)
