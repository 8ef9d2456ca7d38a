"""Converters between domain objects and the plain JSON records in the TinyDB file.

Writing is here (:func:`case_to_record`); reading is strict (:mod:`record_reader`, which
names the field of any damage) with a fast path in C (:mod:`fast_records`) that falls
back to it. Callers import all of them from here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from workbench.domain.model import Case, Event, Remedy, Step
from workbench.storage.fast_records import (
    as_record,
    case_heads,
    cases_from_records,
    cases_without_steps,
    check_case_records,
    held_records_pass,
)
from workbench.storage.gc_pauses import no_gc_pauses
from workbench.storage.playbook_files import builtin_guidance
from workbench.storage.record_reader import OutOfBounds, RecordError, case_from_record

__all__ = [
    "OutOfBounds",
    "Record",
    "RecordError",
    "as_record",
    "case_from_record",
    "case_heads",
    "case_to_record",
    "cases_from_records",
    "cases_without_steps",
    "check_case_records",
    "held_records_pass",
    "no_gc_pauses",
    "records_digest",
]

Record = dict[str, Any]


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def case_to_record(case: Case) -> Record:
    record: Record = {
        "id": case.id,
        "title": case.title,
        "customer": case.customer,
        "contact": case.contact,
        "channel": case.channel.value,
        "heat": case.heat.value,
        "fault": case.fault.value,
        "playbook": case.playbook,
        "status": case.status.value,
        "opened_at": _time(case.opened_at),
        "first_contact_at": _time(case.first_contact_at),
        "resolved_at": _time(case.resolved_at),
        "closed_at": _time(case.closed_at),
        "remedy": None if case.remedy is None else _remedy_to_record(case.remedy),
        "outcome": None if case.outcome is None else case.outcome.value,
        "tags": list(case.tags),
        "steps": [_step_to_record(s, case.playbook) for s in case.steps],
        "followups": [
            {
                "id": f.id,
                "due": _time(f.due),
                "action": f.action,
                "channel": f.channel.value,
                "created_at": _time(f.created_at),
                "done_at": _time(f.done_at),
                "cancelled_at": _time(f.cancelled_at),
                "note": f.note,
            }
            | ({} if f.result is None else {"result": f.result.value})
            | ({"wakes": True} if f.wakes else {})
            | ({"every_days": f.every_days} if f.every_days else {})
            | ({} if f.repeats_left is None else {"repeats_left": f.repeats_left})
            for f in case.followups
        ],
        "timeline": [_event_to_record(e) for e in case.timeline],
        "revision": case.revision,
    }
    if case.owner:  # absent: no one has it (most files' cases, before owners)
        record["owner"] = case.owner
    if case.satisfied is not None:  # absent: not told (most cases, and all before schema 5)
        record["satisfied"] = case.satisfied
    if case.time_spent:  # absent: no time kept (most cases, and all before schema 5)
        record["time_spent"] = [
            {"started_at": _time(t.started_at), "minutes": t.minutes}
            | ({"author": t.author} if t.author else {})
            | ({"step": t.step} if t.step else {})
            for t in case.time_spent
        ]
    if case.timer_started_at is not None:
        record["timer_started_at"] = _time(case.timer_started_at)
        record["timer_by"] = case.timer_by
    if case.escalated_at is not None:  # absent: never escalated (all before schema 8)
        record["escalated_at"] = _time(case.escalated_at)
    return record


def _step_to_record(step: Step, playbook: str) -> Record:
    """A step's record; a built-in step's guidance is left out when it is the built-in text."""
    record: Record = {"key": step.key, "title": step.title}
    if step.guidance != builtin_guidance().get((playbook, step.key)):
        record["guidance"] = step.guidance
    record.update(
        done_at=_time(step.done_at), note=step.note, contact=step.contact, follow_up=step.follow_up
    )
    if step.from_playbook:  # optional: absent means a step of the case's own playbook
        record["from_playbook"] = step.from_playbook
    return record


def _event_to_record(event: Event) -> Record:
    """An event's record; its author only when known (most files' events have none)."""
    record: Record = {"at": _time(event.at), "kind": event.kind.value, "text": event.text}
    if event.author:
        record["author"] = event.author
    return record


def _remedy_to_record(remedy: Remedy) -> Record:
    return {
        "description": remedy.description,
        "cost": str(remedy.cost),
        "accepted": remedy.accepted,
        "recorded_at": _time(remedy.recorded_at),
    }


def records_digest(cases: Iterable[Case]) -> str:
    """A checksum of cases as stored, whatever stores them: SHA-256 of their records in
    order of case number, each as JSON with sorted keys. Two stores holding the same
    cases, every field alike, give the same digest."""
    import hashlib  # only a digest needs it: 3 ms off every command's start

    digest = hashlib.sha256()
    for case in sorted(cases, key=lambda c: c.number):
        record = case_to_record(case)
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
