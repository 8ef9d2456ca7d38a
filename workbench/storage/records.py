"""Converters between domain objects and the plain JSON records in the TinyDB file.

Reading is strict: a record with a missing field or a value of the wrong type raises
:class:`RecordError` naming the field, so a damaged file is reported instead of being
half-loaded and then written back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

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

Record = dict[str, Any]
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class RecordError(ValueError):
    """A stored record that can't be turned back into a case."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


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
        "steps": [
            {
                "key": s.key,
                "title": s.title,
                "guidance": s.guidance,
                "done_at": _time(s.done_at),
                "note": s.note,
                "contact": s.contact,
                "follow_up": s.follow_up,
            }
            for s in case.steps
        ],
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
        return str(self._get(key, str, default))

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, bool, default))

    def integer(self, key: str, default: object = _REQUIRED) -> int:
        return int(self._get(key, int, default))

    def time(self, key: str, *, required: bool = False) -> datetime | None:
        raw = self._get(key, (str, type(None)), _REQUIRED if required else None)
        if raw is None:
            if required:
                raise RecordError(self.where, f"the field “{key}” is empty")
            return None
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise RecordError(
                self.where, f"the field “{key}” is not a date-time: {raw!r}"
            ) from None
        if value.tzinfo is None:
            raise RecordError(self.where, f"the field “{key}” has no time zone: {raw!r}")
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
        return list(self._get(key, list, []))


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
    remedy_data = r.data.get("remedy")
    outcome = r.data.get("outcome")
    tags = r.items("tags")
    if not all(isinstance(tag, str) for tag in tags):
        raise RecordError(r.where, "the field “tags” should hold only text")
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
        steps=_each(r, "steps", _step),
        followups=_each(r, "followups", _followup),
        timeline=_each(r, "timeline", _event),
        revision=r.integer("revision", 0),
    )


def _remedy(r: _Reader) -> Remedy:
    raw_cost = r._get("cost", (str, int, float), "0")
    try:
        cost = Decimal(str(raw_cost))
    except InvalidOperation:
        raise RecordError(r.where, f"the cost {raw_cost!r} is not a number") from None
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
    )


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
