"""Undo and redo: what one change did to one case, and taking back exactly that.

A change is known by the case before it and after it. :func:`differences` lists what it
did, field by field: the status, the remedy, each step's tick and note (a step known by
its playbook and key), each follow-up (by its number: added, or a field of it changed),
the steps as a whole when the playbook changed, and the timeline notes it added.

:func:`undo` puts each of those fields back, on the case as it is *now*, so whatever
else changed meanwhile (elsewhere on the screen, by another agent, on the command line)
is kept. A field that was changed again since this change is not clobbered: the undo is
refused as a whole, naming what changed (:class:`UndoConflict`), and nothing is touched.
:func:`redo` does the change again the same way. Both leave a line on the timeline, and
neither removes one, but for the notes the change itself wrote (taking back "add a
note" takes the note away).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from workbench.domain.errors import DomainError
from workbench.domain.model import Case, Event, EventKind, FollowUp, Status, Step
from workbench.domain.moments import moved_moment
from workbench.domain.targets import status_change_text
from workbench.domain.text import visible

_CASE_SKIPS = frozenset({"id", "steps", "followups", "timeline", "revision"})
"""Case fields not compared one by one: who it is, and the lists handled by item."""
_CASE_FIELDS = tuple(f.name for f in fields(Case) if f.name not in _CASE_SKIPS)
_STEP_FIELDS = tuple(f.name for f in fields(Step) if f.name not in ("key", "from_playbook"))
_FOLLOWUP_FIELDS = tuple(f.name for f in fields(FollowUp) if f.name != "id")

Path = tuple[Any, ...]
"""Where a field is: ``("status",)``, ``("steps", ("", "listen"), "done_at")``,
``("followups", 3)`` for a whole follow-up, ``("followups", 3, "due")``, ``("steps",)`` for
every step at once, ``("notes",)`` for the timeline notes the change added."""


@dataclass(frozen=True)
class Difference:
    """One field a change changed: where, and its value before and after."""

    path: Path
    before: Any
    after: Any

    def inverted(self) -> Difference:
        return Difference(self.path, self.after, self.before)


class UndoConflict(DomainError):
    """The change can't be taken back (or done again): a field it changed has been
    changed since. The message names which."""


class NothingToUndo(DomainError):
    """The change left nothing a person would see changed."""


def _step_id(step: Step) -> tuple[str, str]:
    return (step.from_playbook, step.key)


def differences(before: Case, after: Case) -> tuple[Difference, ...]:
    """What the change from ``before`` to ``after`` did, field by field."""
    found: list[Difference] = []
    for name in _CASE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            found.append(Difference((name,), copy.deepcopy(old), copy.deepcopy(new)))
    if [_step_id(s) for s in before.steps] != [_step_id(s) for s in after.steps]:
        found.append(
            Difference(("steps",), copy.deepcopy(before.steps), copy.deepcopy(after.steps))
        )
    else:
        for old_step, new_step in zip(before.steps, after.steps, strict=True):
            for name in _STEP_FIELDS:
                old, new = getattr(old_step, name), getattr(new_step, name)
                if old != new:
                    found.append(Difference(("steps", _step_id(old_step), name), old, new))
    old_followups = {item.id: item for item in before.followups}
    new_followups = {item.id: item for item in after.followups}
    for number in sorted(old_followups.keys() | new_followups.keys()):
        old_item, new_item = old_followups.get(number), new_followups.get(number)
        if old_item is None or new_item is None:
            found.append(
                Difference(("followups", number), copy.deepcopy(old_item), copy.deepcopy(new_item))
            )
            continue
        for name in _FOLLOWUP_FIELDS:
            old, new = getattr(old_item, name), getattr(new_item, name)
            if old != new:
                found.append(Difference(("followups", number, name), old, new))
    count = len(before.timeline)
    if after.timeline[:count] == before.timeline:
        notes = tuple(e for e in after.timeline[count:] if e.kind is EventKind.NOTE)
        if notes:
            found.append(Difference(("notes",), (), copy.deepcopy(notes)))
    return tuple(found)


def _find_step(case: Case, step_id: tuple[str, str]) -> Step | None:
    return next((step for step in case.steps if _step_id(step) == step_id), None)


def _find_followup(case: Case, number: int) -> FollowUp | None:
    return next((item for item in case.followups if item.id == number), None)


_MISSING = object()


def _value(case: Case, path: Path) -> Any:
    """The value at ``path`` on ``case`` now (:data:`_MISSING` when its step is gone)."""
    head = path[0]
    if head == "steps" and len(path) == 1:
        return case.steps
    if head == "steps":
        step = _find_step(case, path[1])
        return _MISSING if step is None else getattr(step, path[2])
    if head == "followups":
        item = _find_followup(case, path[1])
        if len(path) == 2:
            return item
        return _MISSING if item is None else getattr(item, path[2])
    return getattr(case, head)


def _set(case: Case, difference: Difference) -> None:
    path, value = difference.path, copy.deepcopy(difference.after)
    head = path[0]
    if head == "notes":
        for note in reversed(difference.before):  # the latest of equal notes: its own
            at = max((i for i, event in enumerate(case.timeline) if event == note), default=None)
            if at is not None:
                del case.timeline[at]
        case.timeline.extend(value)
    elif head == "steps" and len(path) == 1:
        case.steps = value
    elif head == "steps":
        step = _find_step(case, path[1])
        assert step is not None  # checked before
        setattr(step, path[2], value)
    elif head == "followups" and len(path) == 2:
        case.followups = [item for item in case.followups if item.id != path[1]]
        if value is not None:
            case.followups.append(value)
            case.followups.sort(key=lambda item: item.id)
    elif head == "followups":
        item = _find_followup(case, path[1])
        assert item is not None  # checked before
        setattr(item, path[2], value)
    else:
        setattr(case, head, value)


def _holds(case: Case, difference: Difference) -> bool:
    """Whether the field still holds the value ``difference`` starts from."""
    if difference.path[0] == "notes":  # the notes to take away are all still there
        return all(note in case.timeline for note in difference.before)
    return bool(_value(case, difference.path) == difference.before)


def apply(
    case: Case, changes: Sequence[Difference], now: datetime, line: str, author: str = ""
) -> None:
    """Set each field in ``changes`` from its ``before`` to its ``after`` on ``case`` as
    it is now, and add ``line`` to its timeline; or, when a field no longer holds its
    ``before``, raise :class:`UndoConflict` naming it and change nothing."""
    if case.status is Status.CLOSED and not any(d.path == ("status",) for d in changes):
        raise UndoConflict(
            f"{case.id} has been closed since ({case.outcome.label if case.outcome else 'closed'})"
            "; a closed case's record stays as it was closed. Reopen it (s) first."
        )
    stale = [difference for difference in changes if not _holds(case, difference)]
    if stale:
        named = "; ".join(dict.fromkeys(describe_field(case, d) for d in stale))
        raise UndoConflict(f"{case.id} has changed since: {named}. Nothing was changed.")
    status = case.status
    for difference in changes:
        _set(case, difference)
    if case.status is not status:  # said as any change of status: waiting is read from it
        case.timeline.append(
            Event(now, EventKind.STATUS_CHANGED, status_change_text(status, case.status), author)
        )
    case.timeline.append(Event(now, EventKind.EDITED, line, author))


def undo(case: Case, changes: Sequence[Difference], now: datetime, label: str) -> str:
    """Take back ``changes`` (what the change called ``label`` did) on ``case`` as it is;
    what was put back, in a few words."""
    if not changes:
        raise NothingToUndo(
            f"That change made no difference to {case.id} as saved (the same had been done "
            "elsewhere first): there is nothing to undo."
        )
    inverted = [difference.inverted() for difference in reversed(changes)]
    said = summary(case, inverted)
    apply(case, inverted, now, f"Undone: {label} (back to {said})")
    return said


def redo(case: Case, changes: Sequence[Difference], now: datetime, label: str) -> str:
    """Do ``changes`` again on ``case`` as it is, after they were undone; in a few words."""
    if not changes:
        raise NothingToUndo(f"That change made no difference to {case.id}: nothing to redo.")
    said = summary(case, changes)
    apply(case, list(changes), now, f"Redone: {label} ({said})")
    return said


# --- Words ------------------------------------------------------------------------------


def _step_name(case: Case, step_id: tuple[str, str]) -> str:
    for number, step in enumerate(case.steps, 1):
        if _step_id(step) == step_id:
            return f"step {number}"
    return f"the step “{step_id[1]}”"


def describe_field(case: Case, difference: Difference) -> str:
    """Which field ``difference`` is about, for a person: "the status", "step 2's note"."""
    path = difference.path
    head = str(path[0])
    if head == "notes":
        return "the timeline's notes"
    if head == "steps" and len(path) == 1:
        return "the steps"
    if head == "steps":
        field = str(path[2])
        what = {"done_at": "tick", "note": "note"}.get(field, field.replace("_", " "))
        return f"{_step_name(case, path[1])}'s {what}"
    if head == "followups" and len(path) == 2:
        return f"follow-up F{path[1]}"
    if head == "followups":
        field = str(path[2])
        names = {"done_at": "done mark", "cancelled_at": "cancellation", "due": "time"}
        return f"F{path[1]}'s {names.get(field, field.replace('_', ' '))}"
    return "the " + head.replace("_", " ")


def _said(difference: Difference, case: Case) -> str | None:
    """What setting ``difference`` does, in a few words; None for fields that go along
    with another (the times that follow a status)."""
    path, value = difference.path, difference.after
    head = path[0]
    if head in ("resolved_at", "closed_at", "first_contact_at"):
        return None
    if head == "status":
        return f"status {value.label}"
    if head == "heat":
        return f"heat {value.label}"
    if head == "outcome":
        return "no outcome" if value is None else f"outcome {value.label}"
    if head == "remedy":
        return "no remedy" if value is None else f"remedy “{visible(value.description)}”"
    if head == "owner":
        return f"owner {value}" if value else "no owner"
    if head == "escalated_at":
        return "not escalated" if value is None else "escalated"
    if head in ("customer", "title", "contact"):
        return f"{head} “{visible(value)}”" if value else f"no {head}"
    if head == "steps" and len(path) == 3:
        name = _step_name(case, path[1])
        if path[2] == "done_at":
            return f"{name} {'done' if value is not None else 'not done'}"
        if path[2] == "note":
            return f"{name}'s note {'cleared' if not value else 'as it was'}"
    if head == "followups" and len(path) == 2:
        return f"F{path[1]} {'removed' if value is None else 'back'}"
    if head == "followups" and path[2] == "due":
        return f"F{path[1]} at {moved_moment(value)}"
    if head == "followups" and path[2] == "done_at":
        return f"F{path[1]} {'open' if value is None else 'done'}"
    if head == "followups" and path[2] == "cancelled_at":
        return f"F{path[1]} {'open' if value is None else 'cancelled'}"
    if head == "notes":
        return "note removed" if not value else "note back"
    return f"{describe_field(case, difference).removeprefix('the ')} as it was"


def summary(case: Case, changes: Sequence[Difference]) -> str:
    """The changes in a few words, for the timeline and the screen: "status in progress,
    step 2 not done"."""
    said = [text for d in changes if (text := _said(d, case)) is not None]
    unique = list(dict.fromkeys(said))
    if len(unique) > 3:
        unique = [*unique[:3], f"{len(unique) - 3} more"]
    return ", ".join(unique) or "as it was"
