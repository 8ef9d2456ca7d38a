"""The fast path: stored case records checked and built in C by msgspec.

Reading 10,000 cases with the strict reader (:mod:`record_reader`) takes seconds of
Python. The shapes below say the same thing to msgspec, which checks them in C. They are
only ever a shortcut: when msgspec refuses a table, the strict reader goes over it again
and either finds the damage (and names it) or accepts what the shortcut was too strict
about (a hand-edited time written "2026-11-23 10:00+01:00", say). Nothing is accepted
here that the strict reader refuses.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, get_type_hints

import msgspec

from workbench.domain import limits
from workbench.domain.model import (
    CASE_ID_PATTERN,
    Case,
    Channel,
    EventKind,
    Fault,
    Heat,
    Outcome,
    Resolution,
    Status,
)
from workbench.storage.gc_pauses import no_gc_pauses
from workbench.storage.playbook_files import builtin_guidance
from workbench.storage.record_reader import RecordError, case_from_record, with_guidance

_AwareTime = Annotated[datetime, msgspec.Meta(tz=True)]
_Text = Annotated[str, msgspec.Meta(max_length=limits.MAX_TEXT)]
_Counter = Annotated[int, msgspec.Meta(ge=0, le=limits.MAX_COUNTER)]


def _most(key: str) -> msgspec.Meta:
    return msgspec.Meta(max_length=limits.MAX_ITEMS[key])


class _StepShape(msgspec.Struct):
    key: _Text
    title: _Text
    guidance: _Text = ""
    done_at: _AwareTime | None = None
    note: _Text = ""
    contact: bool = False
    follow_up: bool = False
    from_playbook: _Text = ""


class _FollowUpShape(msgspec.Struct):
    id: _Counter
    due: _AwareTime
    action: _Text = ""
    channel: Channel = Channel.PHONE
    created_at: _AwareTime | None = None
    done_at: _AwareTime | None = None
    cancelled_at: _AwareTime | None = None
    note: _Text = ""
    result: Resolution | None = None
    wakes: bool = False
    every_days: Annotated[int, msgspec.Meta(ge=0, le=limits.MAX_EVERY_DAYS)] = 0
    repeats_left: Annotated[int, msgspec.Meta(ge=0, le=limits.MAX_REPEATS)] | None = None


_Agent = Annotated[str, msgspec.Meta(max_length=limits.MAX_AGENT)]


class _EventShape(msgspec.Struct):
    at: _AwareTime
    kind: EventKind
    text: _Text = ""
    author: _Agent = ""


class _TimeSpentShape(msgspec.Struct):
    started_at: _AwareTime
    minutes: Annotated[int, msgspec.Meta(ge=1, le=limits.MAX_MINUTES)]
    author: _Agent = ""
    step: _Text = ""


class _RemedyShape(msgspec.Struct):
    description: _Text
    cost: Annotated[str, msgspec.Meta(max_length=40)] = "0"
    accepted: bool | None = None
    recorded_at: _AwareTime | None = None


_ListOfTags = Annotated[list[_Text], _most("tags")]
_ListOfSteps = Annotated[list[_StepShape], _most("steps")]
_ListOfFollowups = Annotated[list[_FollowUpShape], _most("followups")]
_ListOfTimeline = Annotated[list[_EventShape], _most("timeline")]


class _CaseShape(msgspec.Struct):
    id: Annotated[str, msgspec.Meta(pattern=CASE_ID_PATTERN.pattern)]
    title: _Text
    customer: _Text
    channel: Channel
    heat: Heat
    fault: Fault
    playbook: _Text
    status: Status
    opened_at: _AwareTime
    contact: _Text = ""
    first_contact_at: _AwareTime | None = None
    resolved_at: _AwareTime | None = None
    closed_at: _AwareTime | None = None
    remedy: _RemedyShape | None = None
    outcome: Outcome | None = None
    tags: _ListOfTags = []
    steps: _ListOfSteps = []
    followups: Annotated[
        list[_FollowUpShape], msgspec.Meta(max_length=limits.MAX_ITEMS["followups"])
    ] = []
    timeline: Annotated[
        list[_EventShape], msgspec.Meta(max_length=limits.MAX_ITEMS["timeline"])
    ] = []
    owner: _Agent = ""
    satisfied: bool | None = None
    time_spent: Annotated[
        list[_TimeSpentShape], msgspec.Meta(max_length=limits.MAX_ITEMS["time_spent"])
    ] = []
    timer_started_at: _AwareTime | None = None
    timer_by: _Agent = ""
    escalated_at: _AwareTime | None = None
    revision: _Counter = 0


def check_case_records(records: Mapping[str, object]) -> None:
    """Raise :class:`RecordError` for the first record that can't be read back as a case.

    ``records`` maps TinyDB document ids to case records; each id must be its case's number.
    """
    try:
        with no_gc_pauses():
            shapes = msgspec.convert(records, type=dict[str, _CaseShape])
    except (msgspec.ValidationError, RecursionError):
        shapes = None
    if shapes is None or not all(_shape_in_bounds(shape) for shape in shapes.values()):
        for doc_id, record in records.items():
            case_from_record(record, where=f"case record {doc_id}")
    for doc_id, record in records.items():
        case_id = record["id"]  # type: ignore[index]
        if str(int(case_id[2:])) != doc_id:
            raise RecordError(f"case record {doc_id}", f"holds {case_id}; the numbers must match")


_SHAPE_DECODER = msgspec.json.Decoder(_CaseShape)


def held_records_pass(records: Mapping[str, object]) -> bool:
    """True when every record, held as its JSON bytes, passes the typed shapes and sits
    under its own number: the same verdict as :func:`check_case_records`, one record at
    a time, so a whole check never holds a decoded copy of the file. False means "read
    it the strict way" (which then names the damage, or accepts a hand-written form the
    shapes are too strict about)."""
    try:
        with no_gc_pauses():
            for doc_id, raw in records.items():
                if not isinstance(raw, msgspec.Raw):
                    return False
                shape = _SHAPE_DECODER.decode(raw)
                if str(int(shape.id[2:])) != doc_id or not _shape_in_bounds(shape):
                    return False
    except (msgspec.ValidationError, msgspec.DecodeError, ValueError, RecursionError):
        return False
    return True


def _number_in_bounds(shape: _CaseShape) -> bool:
    return 1 <= int(shape.id[2:]) <= limits.MAX_CASE_NUMBER


def _cost_in_bounds(remedy: _RemedyShape) -> bool:
    try:
        return limits.cost_in_bounds(Decimal(remedy.cost))
    except InvalidOperation:
        return False


def _shape_in_bounds(shape: _CaseShape) -> bool:
    """What the typed shapes can't say in C: the case number, the cost and the years."""
    if not _number_in_bounds(shape):
        return False
    if shape.remedy is not None and not _cost_in_bounds(shape.remedy):
        return False
    times = [shape.opened_at, shape.first_contact_at, shape.resolved_at, shape.closed_at]
    if shape.remedy is not None:
        times.append(shape.remedy.recorded_at)
    times += [step.done_at for step in shape.steps]
    for followup in shape.followups:
        times += [followup.due, followup.created_at, followup.done_at, followup.cancelled_at]
    times += [event.at for event in shape.timeline]
    times += [entry.started_at for entry in shape.time_spent]
    times += [shape.timer_started_at, shape.escalated_at]
    return all(limits.year_in_bounds(when) for when in times if when is not None)


_CASE_DECODER = msgspec.json.Decoder(Case)
_CASE_ENCODER = msgspec.json.Encoder()


def copy_case(case: Case) -> Case:
    """A copy of ``case`` that shares nothing with it, about five times quicker than
    ``copy.deepcopy`` (an encoding to JSON and back, each time kept as the instant it was)."""
    return _CASE_DECODER.decode(_CASE_ENCODER.encode(case))


def as_record(value: object) -> object:
    """A stored case record as a mapping: decoded if it is still held as its JSON bytes."""
    if isinstance(value, msgspec.Raw):
        return msgspec.json.decode(value)
    return value


def _built(
    records: Iterable[object],
    from_bytes: Callable[[msgspec.Raw], Case],
    from_mapping: Callable[[Any], Case],
) -> list[Case]:
    """Cases built in C from records held as bytes or as mappings; the strict reader for
    all of them if msgspec refuses one (it then names the damage, or accepts a form the
    shapes are too strict about)."""
    items = list(records)
    try:
        with no_gc_pauses():
            return [
                from_bytes(item) if isinstance(item, msgspec.Raw) else from_mapping(item)
                for item in items
            ]
    except (msgspec.ValidationError, msgspec.DecodeError):
        return [case_from_record(as_record(item)) for item in items]


def cases_from_records(records: Iterable[object]) -> list[Case]:
    """Cases from records already passed by :func:`check_case_records`, built in C.

    A record may be a mapping or, as read from a file known to be good, its JSON bytes
    (``msgspec.Raw``), decoded straight into a case.
    """
    known = builtin_guidance()

    def from_bytes(item: msgspec.Raw) -> Case:
        case = _CASE_DECODER.decode(item)
        if b'"guidance"' in bytes(memoryview(item)):
            with_guidance(case.steps, msgspec.json.decode(item).get("steps"), case.playbook)
        else:  # no step stores its own guidance: all come from the playbook
            for step in case.steps:
                step.guidance = known.get((case.playbook, step.key), "")
        return case

    def from_mapping(item: Any) -> Case:
        case = msgspec.convert(item, type=Case)
        with_guidance(case.steps, item.get("steps"), case.playbook)
        return case

    return _built(records, from_bytes, from_mapping)


def _case_shape_without(*left_out: str) -> type[msgspec.Struct]:
    """A msgspec shape of :class:`Case` with some fields left out, made from the dataclass
    itself, so it can never drift from the model (unknown fields are skipped unread)."""
    hints = get_type_hints(Case)
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for item in dataclasses.fields(Case):
        if item.name in left_out:
            continue
        if item.default is not dataclasses.MISSING:
            fields.append((item.name, hints[item.name], item.default))
        elif item.default_factory is not dataclasses.MISSING:
            factory = item.default_factory
            fields.append((item.name, hints[item.name], msgspec.field(default_factory=factory)))
        else:
            fields.append((item.name, hints[item.name]))
    # gc=False: the shapes hold no cycles and are dropped at once (about a fifth quicker)
    return msgspec.defstruct("CaseWithout_" + "_".join(left_out), fields, gc=False)


class _Lacking:
    """A reader of cases that leaves some list fields out (empty): quicker to read, never
    to be saved. Built from :func:`_case_shape_without`, so it follows the model."""

    def __init__(self, *left_out: str) -> None:
        shape = _case_shape_without(*left_out)
        self.left_out = left_out
        self.decoder = msgspec.json.Decoder(shape)
        self.fields = shape.__struct_fields__

    def __call__(self, records: Iterable[object]) -> list[Case]:
        decoder, fields = self.decoder, self.fields

        def from_bytes(item: msgspec.Raw) -> Case:
            shape = decoder.decode(item)
            return Case(**{name: getattr(shape, name) for name in fields})

        def from_mapping(item: Any) -> Case:
            return msgspec.convert(item, type=Case)

        cases = _built(records, from_bytes, from_mapping)
        for case in cases:
            for name in self.left_out:
                setattr(case, name, [])
        return cases


_WITHOUT_STEPS = _Lacking("steps")
_HEADS = _Lacking("steps", "timeline")


def cases_without_steps(records: Iterable[object]) -> list[Case]:
    """Cases for follow-up lists and exports: everything but the playbook steps (``steps``
    is empty), about a third quicker to read than :func:`cases_from_records`.

    Never save such a case: it would lose its steps.
    """
    return _WITHOUT_STEPS(records)


def case_heads(records: Iterable[object]) -> list[Case]:
    """Cases for a first look: everything but the playbook steps and the timeline (both
    empty), about three times quicker to read than :func:`cases_from_records` and a
    third of the memory. Enough for the case list, the calendar and any follow-up list.

    Never save such a case, nor show its checklist: build the whole case from the same
    record with :func:`cases_from_records` first.
    """
    return _HEADS(records)
