"""Converters between domain objects and the plain JSON records in the TinyDB file.

Reading is strict: a record with a missing field or a value of the wrong type raises
:class:`RecordError` naming the field, so a damaged file is reported instead of being
half-loaded and then written back.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, TypeVar, get_type_hints

import msgspec

from workbench.domain import limits
from workbench.domain.model import (
    CASE_ID_PATTERN,
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
from workbench.domain.playbooks import builtin_guidance

Record = dict[str, Any]
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class RecordError(ValueError):
    """A stored record that can't be turned back into a case."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class OutOfBounds(RecordError):
    """A value of the right type that no case can hold (see :mod:`limits`)."""


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def case_to_record(case: Case) -> Record:
    return {
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
            for f in case.followups
        ],
        "timeline": [
            {"at": _time(e.at), "kind": e.kind.value, "text": e.text} for e in case.timeline
        ],
        "revision": case.revision,
    }


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


def _remedy_to_record(remedy: Remedy) -> Record:
    return {
        "description": remedy.description,
        "cost": str(remedy.cost),
        "accepted": remedy.accepted,
        "recorded_at": _time(remedy.recorded_at),
    }


_REQUIRED: Any = object()


class _Reader:
    """Typed access to one mapping, with errors that say where in the record they are."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise RecordError(where, f"expected an object, found {type(data).__name__}")
        self.data = data
        self.where = where

    def _get(self, key: str, kind: type[T] | tuple[type, ...], default: object) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise RecordError(self.where, f"the field “{key}” is missing")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise RecordError(
                self.where, f"the field “{key}” should be {names}, found {type(value).__name__}"
            )
        return value

    def text(self, key: str, default: object = _REQUIRED) -> str:
        value = str(self._get(key, str, default))
        if len(value) > limits.MAX_TEXT:
            raise OutOfBounds(
                self.where,
                f"the field “{key}” holds {len(value):,} characters, more than the "
                f"{limits.MAX_TEXT:,} allowed",
            )
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, bool, default))

    def integer(self, key: str, default: object = _REQUIRED) -> int:
        value = int(self._get(key, int, default))
        if not 0 <= value <= limits.MAX_COUNTER:
            raise OutOfBounds(
                self.where, f"the field “{key}” is {_short(value)}, outside 0 to 2^53"
            )
        return value

    def time(self, key: str, *, required: bool = False) -> datetime | None:
        raw = self._get(key, (str, type(None)), _REQUIRED if required else None)
        if raw is None:
            if required:
                raise RecordError(self.where, f"the field “{key}” is empty")
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            try:  # what the fast path's reader takes too (RFC 3339: "…t10:00:00z")
                value = msgspec.convert(raw, datetime)
            except msgspec.ValidationError:
                raise RecordError(
                    self.where, f"the field “{key}” is not a date-time: {_short(raw)}"
                ) from None
        if value.tzinfo is None:
            raise RecordError(self.where, f"the field “{key}” has no time zone: {raw!r}")
        if not limits.year_in_bounds(value):
            raise OutOfBounds(
                self.where,
                f"the field “{key}” is in the year {value.year}; dates must fall between "
                f"{limits.EARLIEST_YEAR} and {limits.LATEST_YEAR}",
            )
        return value

    def required_time(self, key: str) -> datetime:
        value = self.time(key, required=True)
        assert value is not None
        return value

    def choice(self, key: str, enum: type[E], default: object = _REQUIRED) -> E:
        raw = self._get(key, str, default)
        if isinstance(raw, enum):
            return raw
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise RecordError(
                self.where, f"the field “{key}” is {raw!r}; expected one of {allowed}"
            ) from None

    def items(self, key: str) -> list[Any]:
        found = list(self._get(key, list, []))
        most = limits.MAX_ITEMS.get(key, limits.MAX_ITEMS["timeline"])
        if len(found) > most:
            raise OutOfBounds(
                self.where, f"the field “{key}” has {len(found):,} entries, more than {most:,}"
            )
        return found


def _short(value: object) -> str:
    """A value for a message, cut short: a damaged file may hold a billion digits."""
    if isinstance(value, int) and value.bit_length() > 80:
        return f"a number of about {int(value.bit_length() * 0.30103):,} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _each(reader: _Reader, key: str, make: Callable[[_Reader], T]) -> list[T]:
    return [
        make(_Reader(item, f"{reader.where}, {key}[{i}]"))
        for i, item in enumerate(reader.items(key))
    ]


def case_from_record(data: object, where: str = "case") -> Case:
    """Rebuild a case from its record; raises :class:`RecordError` on any damage."""
    r = _Reader(data, where)
    case_id = r.text("id")
    r.where = f"case {case_id}"
    if not CASE_ID_PATTERN.match(case_id):
        raise RecordError(r.where, f"the id {case_id!r} is not of the form C-0042")
    if not 1 <= int(case_id[2:]) <= limits.MAX_CASE_NUMBER:
        raise OutOfBounds(r.where, "case numbers start at C-0001 and stay below a billion")
    remedy_data = r.data.get("remedy")
    outcome = r.data.get("outcome")
    tags = r.items("tags")
    if not all(isinstance(tag, str) for tag in tags):
        raise RecordError(r.where, "the field “tags” should hold only text")
    if any(len(tag) > limits.MAX_TEXT for tag in tags):
        raise OutOfBounds(r.where, f"a tag is longer than {limits.MAX_TEXT:,} characters")
    return Case(
        id=case_id,
        title=r.text("title"),
        customer=r.text("customer"),
        contact=r.text("contact", ""),
        channel=r.choice("channel", Channel),
        heat=r.choice("heat", Heat),
        fault=r.choice("fault", Fault),
        playbook=r.text("playbook"),
        status=r.choice("status", Status),
        opened_at=r.required_time("opened_at"),
        first_contact_at=r.time("first_contact_at"),
        resolved_at=r.time("resolved_at"),
        closed_at=r.time("closed_at"),
        remedy=None if remedy_data is None else _remedy(_Reader(remedy_data, f"{r.where}, remedy")),
        outcome=None if outcome is None else r.choice("outcome", Outcome),
        tags=tags,
        steps=_with_guidance(_each(r, "steps", _step), r.data.get("steps"), r.text("playbook")),
        followups=_each(r, "followups", _followup),
        timeline=_each(r, "timeline", _event),
        revision=r.integer("revision", 0),
    )


def _remedy(r: _Reader) -> Remedy:
    raw_cost = r._get("cost", (str, int, float), "0")
    if isinstance(raw_cost, str) and len(raw_cost) > 40:
        raise OutOfBounds(r.where, f"the cost {_short(raw_cost)} is not an amount")
    try:
        cost = Decimal(str(raw_cost))
    except (InvalidOperation, ValueError):
        raise RecordError(r.where, f"the cost {_short(raw_cost)} is not a number") from None
    if not limits.cost_in_bounds(cost):
        raise OutOfBounds(
            r.where,
            f"the cost {_short(raw_cost)} is not an amount from 0 to {limits.MAX_COST:,}",
        )
    accepted = r._get("accepted", (bool, type(None)), None)
    return Remedy(
        description=r.text("description"),
        cost=cost,
        accepted=accepted,
        recorded_at=r.time("recorded_at"),
    )


def _step(r: _Reader) -> Step:
    return Step(
        key=r.text("key"),
        title=r.text("title"),
        guidance=r.text("guidance", ""),
        done_at=r.time("done_at"),
        note=r.text("note", ""),
        contact=r.flag("contact"),
        follow_up=r.flag("follow_up"),
        from_playbook=r.text("from_playbook", ""),
    )


def _with_guidance(steps: list[Step], records: object, playbook: str) -> list[Step]:
    """Fill in the built-in guidance of steps stored without it (not of those stored empty)."""
    known = builtin_guidance()
    if isinstance(records, list):
        for step, record in zip(steps, records, strict=False):
            if "guidance" not in record:
                step.guidance = known.get((playbook, step.key), "")
    return steps


def _followup(r: _Reader) -> FollowUp:
    return FollowUp(
        id=r.integer("id"),
        due=r.required_time("due"),
        action=r.text("action", ""),
        channel=r.choice("channel", Channel, Channel.PHONE.value),
        created_at=r.time("created_at"),
        done_at=r.time("done_at"),
        cancelled_at=r.time("cancelled_at"),
        note=r.text("note", ""),
    )


def _event(r: _Reader) -> Event:
    return Event(
        at=r.required_time("at"), kind=r.choice("kind", EventKind), text=r.text("text", "")
    )


# -- the fast path -------------------------------------------------------------------------
#
# Reading 10,000 cases with the reader above takes seconds of Python. The shapes below say
# the same thing to msgspec, which checks them in C. They are only ever a shortcut: when
# msgspec refuses a table, the reader above goes over it again and either finds the damage
# (and names it) or accepts what the shortcut was too strict about (a hand-edited time
# written "2026-11-23 10:00+01:00", say). Nothing is accepted here that the reader refuses.

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


class _EventShape(msgspec.Struct):
    at: _AwareTime
    kind: EventKind
    text: _Text = ""


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
    revision: _Counter = 0


class _CollectorHolds:
    """Who is holding the cycle collector off, across threads: it comes back on when
    the last one lets go, and only if it was on when the first one took hold."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_HOLDS = _CollectorHolds()


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold off the cycle collector while building many objects that hold no cycles.

    Building 100,000 small objects otherwise triggers a full collection over and over;
    it is most of the cost of a load. Safe to nest and to use from several threads at
    once (the screen's loading, saving and background threads do).
    """
    with _HOLDS.lock:
        if _HOLDS.count == 0:
            _HOLDS.was_enabled = gc.isenabled()
            gc.disable()
        _HOLDS.count += 1
    try:
        yield
    finally:
        with _HOLDS.lock:
            _HOLDS.count -= 1
            if _HOLDS.count == 0 and _HOLDS.was_enabled:
                gc.enable()


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
    return all(limits.year_in_bounds(when) for when in times if when is not None)


_CASE_DECODER = msgspec.json.Decoder(Case)


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
            _with_guidance(case.steps, msgspec.json.decode(item).get("steps"), case.playbook)
        else:  # no step stores its own guidance: all come from the playbook
            for step in case.steps:
                step.guidance = known.get((case.playbook, step.key), "")
        return case

    def from_mapping(item: Any) -> Case:
        case = msgspec.convert(item, type=Case)
        _with_guidance(case.steps, item.get("steps"), case.playbook)
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
