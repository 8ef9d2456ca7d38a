"""The strict reader: a stored case record back into a case, every field checked.

A record with a missing field or a value of the wrong type raises :class:`RecordError`
naming the field, so a damaged file is reported instead of being half-loaded and then
written back; a value of the right type that no case can hold raises :class:`OutOfBounds`
(see :mod:`workbench.domain.limits`). The fast path (:mod:`fast_records`) falls back to
this reader whenever it refuses a record, so this is the one that has the last word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

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
    Resolution,
    Status,
    Step,
    TimeSpent,
)
from workbench.storage.playbook_files import builtin_guidance

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


_REQUIRED: Any = object()


class FieldReader:
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


def _each(reader: FieldReader, key: str, make: Callable[[FieldReader], T]) -> list[T]:
    return [
        make(FieldReader(item, f"{reader.where}, {key}[{i}]"))
        for i, item in enumerate(reader.items(key))
    ]


def case_from_record(data: object, where: str = "case") -> Case:
    """Rebuild a case from its record; raises :class:`RecordError` on any damage."""
    r = FieldReader(data, where)
    case_id = r.text("id")
    if not CASE_ID_PATTERN.match(case_id):  # said quoted: it may hold a line break
        raise RecordError(r.where, f"the id {case_id!r} is not of the form C-0042")
    r.where = f"case {case_id}"
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
        remedy=(
            None if remedy_data is None else _remedy(FieldReader(remedy_data, f"{r.where}, remedy"))
        ),
        outcome=None if outcome is None else r.choice("outcome", Outcome),
        tags=tags,
        steps=with_guidance(_each(r, "steps", _step), r.data.get("steps"), r.text("playbook")),
        followups=_each(r, "followups", _followup),
        timeline=_each(r, "timeline", _event),
        owner=_agent(r, "owner"),
        satisfied=r._get("satisfied", (bool, type(None)), None),
        time_spent=_each(r, "time_spent", _time_spent),
        timer_started_at=r.time("timer_started_at"),
        timer_by=_agent(r, "timer_by"),
        escalated_at=r.time("escalated_at"),
        revision=r.integer("revision", 0),
    )


def _remedy(r: FieldReader) -> Remedy:
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


def _step(r: FieldReader) -> Step:
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


def with_guidance(steps: list[Step], records: object, playbook: str) -> list[Step]:
    """Fill in the built-in guidance of steps stored without it (not of those stored empty)."""
    known = builtin_guidance()
    if isinstance(records, list):
        for step, record in zip(steps, records, strict=False):
            if "guidance" not in record:
                step.guidance = known.get((playbook, step.key), "")
    return steps


def _followup(r: FieldReader) -> FollowUp:
    return FollowUp(
        id=r.integer("id"),
        due=r.required_time("due"),
        action=r.text("action", ""),
        channel=r.choice("channel", Channel, Channel.PHONE.value),
        created_at=r.time("created_at"),
        done_at=r.time("done_at"),
        cancelled_at=r.time("cancelled_at"),
        note=r.text("note", ""),
        result=None if r.data.get("result") is None else r.choice("result", Resolution),
        wakes=r.flag("wakes", False),
        every_days=_bounded(r, "every_days", 0, limits.MAX_EVERY_DAYS, 0),
        repeats_left=(
            None
            if r.data.get("repeats_left") is None
            else _bounded(r, "repeats_left", 0, limits.MAX_REPEATS, None)
        ),
    )


def _bounded(r: FieldReader, key: str, low: int, high: int, default: object) -> int:
    value = r.integer(key, default)
    if not low <= value <= high:
        raise OutOfBounds(r.where, f"the field “{key}” is {value}, outside {low} to {high}")
    return value


def _time_spent(r: FieldReader) -> TimeSpent:
    minutes = r.integer("minutes")
    if not 0 < minutes <= limits.MAX_MINUTES:
        raise OutOfBounds(r.where, f"{minutes} minutes is not from 1 to {limits.MAX_MINUTES}")
    return TimeSpent(
        started_at=r.required_time("started_at"),
        minutes=minutes,
        author=_agent(r, "author"),
        step=r.text("step", ""),
    )


def _event(r: FieldReader) -> Event:
    return Event(
        at=r.required_time("at"),
        kind=r.choice("kind", EventKind),
        text=r.text("text", ""),
        author=_agent(r, "author"),
    )


def _agent(r: FieldReader, key: str) -> str:
    """An agent's name (a case's owner, an event's author): optional, and short."""
    name = r.text(key, "")
    if len(name) > limits.MAX_AGENT:
        raise OutOfBounds(r.where, f"the {key} {_short(name)} is longer than an agent's name")
    return name
