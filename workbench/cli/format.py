"""How cases look on the command line: plain text for people, JSON for scripts.

Anything a user typed is passed through :func:`safe` before it reaches a terminal, so
escape bytes in a note can never move the cursor, change colours or retitle the window.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from typing import Any

from workbench.domain.actions import waiting_until
from workbench.domain.model import Case
from workbench.domain.moments import age, compact_moment, long_moment, relative
from workbench.domain.targets import (
    MARKS_LEGEND,
    Target,
    Targets,
    first_contact_late,
    first_contact_target,
    in_force,
    is_late,
    mark,
    resolution_target,
    standing,
    target_late,
)
from workbench.domain.text import visible
from workbench.storage.records import case_to_record


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def case_line_json(case: Case, now: datetime, targets: Targets) -> dict[str, Any]:
    nxt = case.next_followup
    target = in_force(case, targets, now)
    return {
        "id": case.id,
        "customer": case.customer,
        "title": case.title,
        "status": case.status.value,
        "heat": case.heat.value,
        "fault": case.fault.value,
        "channel": case.channel.value,
        "playbook": case.playbook,
        "owner": case.owner or None,
        "opened_at": case.opened_at.isoformat(),
        "next_followup": None if nxt is None else nxt.due.isoformat(),
        "overdue": bool(nxt and nxt.is_overdue(now)),
        "needs_contact": first_contact_late(case, targets, now),
        "late": target_late(case, target, now),
        "escalated": case.escalated_at is not None and case.status.is_open,
        "target_due": None if target is None else target.due.astimezone(now.tzinfo).isoformat(),
        "steps_done": len(case.playbook_steps) - len(case.open_steps),
        "steps": len(case.playbook_steps),
    }


def case_json(case: Case, now: datetime, targets: Targets) -> dict[str, Any]:
    data = case_to_record(case)
    # The file may leave a built-in step's guidance out; a script reading JSON gets it all.
    for record, step in zip(data["steps"], case.steps, strict=True):
        record.setdefault("guidance", step.guidance)
    data["owner"] = case.owner or None
    data["satisfied"] = case.satisfied
    for record in data["followups"]:
        record.setdefault("result", None)
        record.setdefault("wakes", False)
        record.setdefault("every_days", 0)
        record.setdefault("repeats_left", None)
    woken = waiting_until(case)
    data["waiting_until"] = None if woken is None else woken.due.isoformat()
    data["needs_contact"] = first_contact_late(case, targets, now)
    data["late"] = is_late(case, targets, now)
    data.setdefault("escalated_at", None)
    data["targets"] = {
        target.kind.value: _target_json(target, now)
        for target in (first_contact_target(case, targets), resolution_target(case, targets, now))
    }
    nxt = case.next_followup
    data["next_followup"] = None if nxt is None else nxt.due.isoformat()
    return data


def _target_json(target: Target, now: datetime) -> dict[str, Any]:
    """One target: its length, when it falls (or fell) due, when it was met, and how it
    stands: "met", "missed", "running" or "late" (missed and still not met)."""
    if target.void:
        state = "not_applicable"
    elif target.met_at is not None or target.ended_at is not None:
        state = "met" if target.met else "missed"
    else:
        state = "late" if target.missed(now) else "running"
    return {
        "target_seconds": int(target.span.total_seconds()),
        "due": target.due.astimezone(now.tzinfo).isoformat(),
        "met_at": None
        if target.met_at is None
        else target.met_at.astimezone(now.tzinfo).isoformat(),
        "state": state,
        "seconds_left": (
            int(target.left(now).total_seconds()) if state in ("late", "running") else None
        ),
        "waited_seconds": int(target.waited.total_seconds()),
        "paused": target.paused,
    }


def _flags(case: Case, now: datetime, targets: Targets) -> str:
    nxt = case.next_followup
    overdue = "!" if nxt is not None and nxt.is_overdue(now) else " "
    return overdue + mark(case, targets, now).value


def format_case_table(cases: list[Case], now: datetime, targets: Targets) -> str:
    width = max(80, shutil.get_terminal_size((100, 24)).columns)
    fixed = 7 + 1 + 20 + 1 + 12 + 1 + 8 + 1 + 16 + 1 + 4 + 1 + 2 + 2
    title_width = max(16, width - fixed)
    header = (
        f"{'ID':<7} {'CUSTOMER':<20} {'TITLE':<{title_width}} {'STATUS':<12} "
        f"{'HEAT':<8} {'NEXT FOLLOW-UP':<16} {'AGE':>4}"
    )
    rows = [header]
    for case in cases:
        nxt = case.next_followup
        follow = relative(nxt.due, now) if nxt else "—"
        rows.append(
            f"{case.id:<7} {_clip(visible(case.customer), 20):<20} "
            f"{_clip(visible(case.title), title_width):<{title_width}} "
            f"{case.status.short:<12} {case.heat.label:<8} {_clip(follow, 16):<16} "
            f"{age(case.opened_at, now):>4} {_flags(case, now, targets)}".rstrip()
        )
    rows.append(
        f"\n{len(cases)} case{'s' if len(cases) != 1 else ''}.  "
        f"! follow-up overdue   {MARKS_LEGEND}"
    )
    return "\n".join(rows)


def format_case(
    case: Case,
    now: datetime,
    playbook_names: dict[str, str],
    targets: Targets,
) -> str:
    lines = [
        f"{case.id}  {visible(case.title)}",
        f"Customer: {visible(case.customer)}"
        + (f"  ({visible(case.contact)})" if case.contact else ""),
        f"Status: {case.status.label}   Heat: {case.heat.label}   Fault: {case.fault.label}   "
        f"Channel: {case.channel.label}"
        + ("  (written: a call is better)" if case.channel.is_weak else ""),
        f"Opened: {long_moment(case.opened_at)} ({age(case.opened_at, now)} ago)",
        f"Owner: {visible(case.owner)}" if case.owner else "Owner: none (unassigned)",
    ]
    if case.first_contact_at:
        lines.append(f"First contact: {long_moment(case.first_contact_at)}")
    elif first_contact_late(case, targets, now):
        lines.append("First contact: none yet. Don't wait: call them.")
    for target in (first_contact_target(case, targets), resolution_target(case, targets, now)):
        if case.status.is_open or target.met_at is not None:
            lines.append(f"Target, {target.kind.label}: {standing(target, now)}")
    if case.escalated_at is not None:
        lines.append(f"Escalated: {long_moment(case.escalated_at)}")
    if case.tags:
        lines.append("Tags: " + ", ".join(visible(t) for t in case.tags))
    if case.remedy:
        r = case.remedy
        lines.append(f"Remedy: {visible(r.description)} (cost {r.cost:.2f}, {r.answer_label})")
    if case.outcome:
        told = {True: ", customer satisfied", False: ", customer not satisfied", None: ""}
        lines.append(f"Outcome: {case.outcome.label}{told[case.satisfied]}")
    name = playbook_names.get(case.playbook, case.playbook)
    own = case.playbook_steps
    done = len(own) - len(case.open_steps)
    lines.append(f"\nPlaybook: {visible(name)} ({done}/{len(own)} done)")
    for number, step in enumerate(case.steps, 1):
        mark = "x" if step.done else "-" if step.kept else " "
        when = f"  (done {compact_moment(step.done_at)})" if step.done_at else ""
        earlier = playbook_names.get(step.from_playbook, step.from_playbook)
        came = f"  (from “{visible(earlier)}”, kept)" if step.kept else ""
        lines.append(f"  [{mark}] {number}. {visible(step.title)}{when}{came}")
        lines.append(f"         {visible(step.guidance)}")
        if step.note:
            lines.append(f"         Note: {visible(step.note)}")
    if case.followups:
        lines.append("\nFollow-ups:")
        for item in sorted(case.followups, key=lambda f: f.due):
            state = (
                ("done" if item.result is None else f"done, {item.result.label}")
                if item.done_at
                else "cancelled"
                if item.cancelled_at
                else relative(item.due, now)
            )
            if item.wakes and item.is_open:
                state += "; wakes the case"
            if item.every_days and item.is_open:
                from workbench.domain.reminders import gap_words  # a series is rare

                more = "" if item.repeats_left is None else f", {item.repeats_left} more"
                state += f"; repeats every {gap_words(item.every_days)}{more}"
            lines.append(
                f"  F{item.id}  {long_moment(item.due)}  {visible(item.action)}  "
                f"[{item.channel.label}; {state}]"
            )
    lines.append("\nTimeline:")
    for event in case.timeline:
        by = f"  ({visible(event.author)})" if event.author else ""
        lines.append(f"  {compact_moment(event.at)}  {visible(event.text)}{by}")
    return "\n".join(lines)
