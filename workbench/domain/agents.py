"""Who works a case: agents' names, a case's owner, and who made each change.

An agent is a short name (the ``agent`` setting, else the login name). A case has an
owner, or none; assigning it is a change like any other, with a line on the timeline.
Every event a change adds is signed with the name of the agent who made it: the stores
apply changes wrapped by :func:`signed`, so the domain's actions need not know who
calls them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from workbench.domain import limits
from workbench.domain.model import Case, Event, EventKind
from workbench.domain.refusals import ValidationError

T = TypeVar("T")


def agent_name(text: str) -> str:
    """An agent's name as typed, checked: one line of 1 to 64 printable characters, its
    ends trimmed; :class:`ValidationError` in words otherwise."""
    name = " ".join(text.split())
    if not name:
        raise ValidationError({"agent": "Give the agent's name (for example their login name)."})
    if len(name) > limits.MAX_AGENT:
        raise ValidationError(
            {"agent": f"Keep an agent's name under {limits.MAX_AGENT} characters."}
        )
    if not name.isprintable():
        raise ValidationError({"agent": "An agent's name can't hold control characters."})
    return name


def named(text: str, me: str) -> str:
    """An agent as a person types one: "me" (in any case) is ``me``, a blank is no one
    (""), anything else the name, checked (:func:`agent_name`)."""
    if not text.strip():
        return ""
    if text.strip().casefold() == "me":
        return me
    return agent_name(text)


def assign(case: Case, owner: str, now: datetime) -> bool:
    """Give the case to ``owner`` (a checked name), or to no one with ``""``. False, changing
    nothing, when it is already so."""
    owner = agent_name(owner) if owner else ""
    if owner == case.owner:
        return False
    before = case.owner
    case.owner = owner
    if owner and before:
        text = f"Passed from {before} to {owner}"
    elif owner:
        text = f"Assigned to {owner}"
    else:
        text = f"No longer assigned (was {before})"
    case.timeline.append(Event(at=now, kind=EventKind.ASSIGNED, text=text))
    return True


def sign(case: Case, author: str, since: int) -> None:
    """Sign the events from ``since`` on that no one signed yet with ``author``."""
    if author:
        for event in case.timeline[since:]:
            if not event.author:
                event.author = author


def signed(change: Callable[[Case], T], author: str) -> Callable[[Case], T]:
    """``change``, and then its new events signed by ``author`` (no one, if empty)."""
    if not author:
        return change

    def apply(case: Case) -> T:
        since = len(case.timeline)
        result = change(case)
        sign(case, author, since)
        return result

    return apply
