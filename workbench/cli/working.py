"""``workbench step``, ``note``, ``followup``, ``status``, ``remedy`` and ``close``: working a
case through its playbook to an outcome."""

from __future__ import annotations

import argparse

from workbench.cli.arguments import case_id_of, enum_arg, followup_number, step_index
from workbench.cli.context import AddCommand, Context, UsageError
from workbench.cli.format import case_json
from workbench.domain import actions, agents
from workbench.domain.model import (
    Case,
    Channel,
    FollowUp,
    Outcome,
    Remedy,
    Resolution,
    Status,
    Step,
)
from workbench.domain.moments import compact_moment, long_moment
from workbench.domain.text import visible


def cmd_step(ctx: Context, args: argparse.Namespace) -> int:
    ticking = args.done is not None or args.note is None  # only --note: the tick stays

    def change(case: Case) -> tuple[int, Step]:
        index = step_index(case, args.step)
        step = actions.step_at(case, index)
        if args.done is not None:
            actions.set_step(case, index, args.done, ctx.now)
        elif ticking:
            actions.toggle_step(case, index, ctx.now)
        if args.note is not None:
            actions.set_step_note(case, index, args.note, ctx.now)
        return index, step

    case, (index, step) = ctx.change(args.case, change)
    title = visible(step.title)
    said = []
    if ticking:
        said.append(f"“{title}” is {'done' if step.done else 'not done'}")
    if args.note is not None:
        noted = "saved" if step.note else "cleared"
        said.append(
            f"the note on step {index + 1} is {noted}"
            if ticking
            else f"note {noted} on step {index + 1}, “{title}”"
        )
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{case.id}: {'; '.join(said)}.")
    return 0


def cmd_note(ctx: Context, args: argparse.Namespace) -> int:
    case, _ = ctx.change(args.case, lambda c: actions.add_note(c, args.text, ctx.now))
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"Noted on {case.id}.")
    return 0


def cmd_followup(ctx: Context, args: argparse.Namespace) -> int:
    if args.done is not None:
        number = args.done
        result = args.result

        def complete(case: Case) -> int:
            known = len(case.followups)
            actions.complete_followup(case, number, ctx.now, args.note or "", result)
            return known

        case, known = ctx.change(args.case, complete)
        stands = f" ({result.label})" if result is not None else ""
        nxt = case.followups[known:]  # the next of its series, if it has one
        more = f"; next of its series: F{nxt[0].id} on {long_moment(nxt[0].due)}" if nxt else ""
        ctx.emit(
            case_json(case, ctx.now, ctx.targets),
            f"{case.id}: follow-up F{number} done{stands}{more}.",
        )
        return 0
    if args.result is not None:
        raise UsageError("--result says how a follow-up stands when it is done: add --done F.")
    if args.cancel is not None:
        number = args.cancel
        case, _ = ctx.change(
            args.case, lambda c: actions.cancel_followup(c, number, ctx.now, args.note or "")
        )
        ctx.emit(
            case_json(case, ctx.now, ctx.targets), f"{case.id}: follow-up F{number} cancelled."
        )
        return 0
    if not args.when:
        raise UsageError('say when, e.g. workbench followup C-0042 "tomorrow 10am"')
    due = ctx.when(" ".join(args.when))
    if args.move is not None:
        number = args.move

        def move(case: Case) -> bool:
            logged = len(case.timeline)
            actions.reschedule_followup(case, number, due, ctx.now)
            return len(case.timeline) > logged  # a move to where it is logs nothing

        case, moved = ctx.change(args.case, move)
        ctx.emit(
            case_json(case, ctx.now, ctx.targets),
            f"{case.id}: follow-up F{number} moved to {long_moment(due)}."
            if moved
            else f"{case.id}: nothing changed; follow-up F{number} is already on "
            f"{long_moment(due)}.",
        )
        return 0
    if args.times is not None and args.every is None:
        raise UsageError("--times counts a series: add --every (every week, 3d, …)")
    every = 0
    if args.every is not None:
        from workbench.domain.reminders import parse_every

        every = parse_every(args.every)

    def schedule(case: Case) -> FollowUp:
        item = actions.schedule_followup(case, due, args.what, ctx.now, args.channel)
        if every:
            actions.repeat_followup(case, item.id, every, args.times)
        return item

    case, item = ctx.change(args.case, schedule)
    series = ""
    if item.every_days:
        from workbench.domain.reminders import gap_words

        times = "until resolved" if args.times is None else f"{args.times} times in all"
        series = f" (every {gap_words(item.every_days)}, {times})"
    ctx.emit(
        case_json(case, ctx.now, ctx.targets),
        f"{case.id}: follow-up F{item.id} on {long_moment(due)} — {visible(item.action)}{series}",
    )
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    if args.until is not None:
        if args.status is not Status.WAITING:
            raise UsageError("--until goes with waiting: the time the case wakes up")
        until = ctx.when(args.until)
        case, woken = ctx.change(args.case, lambda c: actions.wait_until(c, until, ctx.now))
        ctx.emit(
            case_json(case, ctx.now, ctx.targets),
            f"{case.id} is waiting on the customer until {long_moment(woken.due)}; then "
            f"F{woken.id} wakes it: “{woken.action}”.",
        )
        return 0
    case, changed = ctx.change(args.case, lambda c: actions.set_status(c, args.status, ctx.now))
    word = "is now" if changed else "was already"
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{case.id} {word} {case.status.label}.")
    return 0


def cmd_assign(ctx: Context, args: argparse.Namespace) -> int:
    """Give a case to an agent (``me`` for oneself), or to no one with ``--none``."""
    if args.none == bool(args.agent):
        raise UsageError("say who gets the case (an agent's name, or me), or --none for no one")
    owner = "" if args.none else agents.named(args.agent, ctx.agent)
    case, changed = ctx.change(args.case, lambda c: agents.assign(c, owner, ctx.now))
    who = visible(case.owner) if case.owner else "no one"
    word = "is now" if changed else "was already"
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{case.id} {word} assigned to {who}.")
    return 0


def cmd_escalate(ctx: Context, args: argparse.Namespace) -> int:
    """Pass a case up: marked escalated, and given to ``--to`` (else the ``escalate_to``
    setting's agent; else it stays with its owner)."""
    to = ctx.settings.escalate_to if args.to is None else agents.named(args.to, ctx.agent)
    case, said = ctx.change(args.case, lambda c: actions.escalate(c, ctx.targets, ctx.now, to))
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{case.id}: {visible(said)}.")
    return 0


def cmd_remedy(ctx: Context, args: argparse.Namespace) -> int:
    cost = actions.parse_cost(args.cost)

    def record(case: Case) -> tuple[Remedy, bool]:
        before = case.remedy
        remedy = actions.record_remedy(case, args.description, cost, args.accepted, ctx.now)
        return remedy, remedy is not before

    case, (remedy, changed) = ctx.change(args.case, record)
    what = f"{visible(remedy.description)}, cost {remedy.cost:.2f}, {remedy.answer_label}"
    ctx.emit(
        case_json(case, ctx.now, ctx.targets),
        f"{case.id}: remedy recorded — {what}."
        if changed
        else f"{case.id}: nothing changed; the remedy is already {what}.",
    )
    return 0


def cmd_time(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.domain import time_spent  # only this command needs it

    what = (args.what or "").strip().lower()
    if not what:
        case = ctx.store.get(args.case)
        data = {
            "case": case.id,
            "minutes": case.minutes_spent,
            "timer_started_at": None
            if case.timer_started_at is None
            else case.timer_started_at.isoformat(),
            "timer_by": case.timer_by or None,
            "entries": [
                {
                    "started_at": entry.started_at.isoformat(),
                    "minutes": entry.minutes,
                    "author": entry.author or None,
                    "step": entry.step or None,
                }
                for entry in case.time_spent
            ],
        }
        lines = [f"{case.id}: {time_spent.minutes_words(case.minutes_spent)} spent"]
        if case.timer_started_at is not None:
            who = visible(case.timer_by) or "someone"
            lines.append(f"Timer running since {long_moment(case.timer_started_at)} ({who})")
        for entry in case.time_spent:
            by = f" ({visible(entry.author)})" if entry.author else ""
            on = f" on {visible(entry.step)}" if entry.step else ""
            lines.append(
                f"  {compact_moment(entry.started_at)}  "
                f"{time_spent.minutes_words(entry.minutes):>7}{on}{by}"
            )
        ctx.emit(data, "\n".join(lines))
        return 0
    step_key = ""
    if args.step is not None:
        if what in ("start", "stop"):
            raise UsageError("--step goes with minutes logged: workbench time C-0042 25 --step 2")
        case = ctx.store.get(args.case)
        step_key = actions.step_at(case, step_index(case, args.step)).key
    agent = ctx.agent
    if what == "start":
        running = time_spent.running_for(ctx.store.all_cases(), agent)
        if running is not None and running.id != case_id_of(args.case):
            ctx.change(running.id, lambda c: time_spent.stop_timer(c, ctx.now))
            print(f"workbench: stopped your timer on {running.id} first.", file=ctx.err)
        case, _ = ctx.change(args.case, lambda c: time_spent.start_timer(c, ctx.now, agent))
        said = f"{case.id}: timer started."
    elif what == "stop":
        case, entry = ctx.change(args.case, lambda c: time_spent.stop_timer(c, ctx.now))
        said = f"{case.id}: timer stopped, {time_spent.minutes_words(entry.minutes)}."
    else:
        minutes = time_spent.parse_minutes(what)
        case, entry = ctx.change(
            args.case, lambda c: time_spent.log_time(c, minutes, ctx.now, agent, step_key)
        )
        said = f"{case.id}: {time_spent.minutes_words(entry.minutes)} logged."
    total = case.minutes_spent
    spent = f" {time_spent.minutes_words(total)} spent in all." if total else ""
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{said}{spent}")
    return 0


SATISFIED = {"yes": True, "no": False, "unknown": None}
"""``close --satisfied``: what each answer records."""


def cmd_close(ctx: Context, args: argparse.Namespace) -> int:
    def close(case: Case) -> None:
        pending = case.open_followups
        if pending and args.followups is None:
            listed = ", ".join(f"F{f.id} ({compact_moment(f.due)})" for f in pending)
            raise UsageError(
                f"{case.id} still has open follow-ups: {listed}. "
                "Add --cancel-followups to cancel them, or --keep-followups to keep them."
            )
        actions.close_case(
            case,
            args.outcome,
            ctx.now,
            allow_open_steps=args.force,
            note=args.note or "",
            cancel_followups=args.followups == "cancel",
            satisfied=SATISFIED[args.satisfied],
        )

    try:
        case, _ = ctx.change(args.case, close)
    except actions.OpenStepsError as error:
        first = error.numbers[0] if error.numbers else 1
        raise UsageError(
            f"{error.case_id} still has {error.open_steps()}: tick {error.them} first "
            f"(workbench step {error.case_id} {first} --done), or add --force to close it "
            "anyway."
        ) from None
    ctx.emit(case_json(case, ctx.now, ctx.targets), f"{case.id} closed: {args.outcome.label}.")
    return 0


def register(command: AddCommand) -> None:
    """Adds ``step``, ``note``, ``followup``, ``status``, ``assign``, ``escalate``,
    ``remedy``, ``time`` and ``close``."""
    p = command("step", cmd_step, "tick, untick or annotate a playbook step")
    p.add_argument("case")
    p.add_argument("step", help="step number (1, 2, …) or key")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--done", action="store_true", default=None, help="mark done")
    state.add_argument("--undone", dest="done", action="store_false", help="mark not done")
    p.add_argument("--note", help="what was said at this step (replaces the note; '' clears it)")

    p = command("note", cmd_note, "add a note to a case's timeline")
    p.add_argument("case")
    p.add_argument("text")

    p = command("followup", cmd_followup, "schedule a follow-up, or complete or cancel one")
    p.add_argument("case")
    p.add_argument(
        "when", nargs="*", help='when: "tomorrow 10am", "in 3 days", "fri 2pm", "2026-12-01 09:30"'
    )
    p.add_argument(
        "--what", default="", help="what to do then (default: check back with the customer)"
    )
    p.add_argument("--channel", type=enum_arg(Channel), help="how (default: the case's channel)")
    p.add_argument(
        "--done", type=followup_number, metavar="F", help="mark follow-up F (e.g. F2) done"
    )
    p.add_argument("--cancel", type=followup_number, metavar="F", help="cancel follow-up F")
    p.add_argument(
        "--move", type=followup_number, metavar="F", help="move follow-up F to WHEN (reschedule)"
    )
    p.add_argument("--note", help="with --done or --cancel: what came of it")
    p.add_argument(
        "--every",
        metavar="GAP",
        help="a series: when this one is done, the next follows (every week, 3d, 2 weeks), "
        "until the case is resolved",
    )
    p.add_argument(
        "--times",
        type=int,
        metavar="N",
        help="with --every: N follow-ups in all (2 to 101)",
    )
    p.add_argument(
        "--result",
        type=enum_arg(Resolution),
        help="with --done: how it stands: resolved, partly, not_resolved",
    )

    p = command("status", cmd_status, "set a case's status")
    p.add_argument("case")
    p.add_argument("status", type=enum_arg(Status), help="new, in_progress, waiting, resolved")
    p.add_argument(
        "--until",
        metavar="WHEN",
        help='with waiting: when to wake the case if they have not answered ("in 2 days")',
    )

    p = command("assign", cmd_assign, "give a case to an agent (me for yourself), or no one")
    p.add_argument("case")
    p.add_argument("agent", nargs="?", default="", help="the agent's name, or me")
    p.add_argument("--none", action="store_true", help="take the case from whoever has it")

    p = command("escalate", cmd_escalate, "pass a case up: past its target, or too hot")
    p.add_argument("case")
    p.add_argument(
        "--to",
        metavar="AGENT",
        help="give it to this agent (default: the escalate_to setting; else it stays put)",
    )

    p = command("remedy", cmd_remedy, "record the remedy offered")
    p.add_argument("case")
    p.add_argument("description", help="what was offered")
    p.add_argument(
        "--cost", default="0", help="what it costs us, e.g. 25, 49.90, 49,90 or 1,250.00"
    )
    answer = p.add_mutually_exclusive_group()
    answer.add_argument(
        "--accepted", action="store_true", default=None, help="the customer accepted"
    )
    answer.add_argument(
        "--declined", dest="accepted", action="store_false", help="the customer declined"
    )

    p = command("time", cmd_time, "time spent on a case: start or stop the timer, or log minutes")
    p.add_argument("case")
    p.add_argument(
        "what",
        nargs="?",
        help="start, stop, or minutes to log (25, 1h 30m); nothing shows the time spent",
    )
    p.add_argument("--step", help="with minutes: the step (a call) they were spent on")

    p = command("close", cmd_close, "close a case with an outcome")
    p.add_argument("case")
    p.add_argument(
        "--outcome",
        type=enum_arg(Outcome),
        required=True,
        help="retained, retained_with_concession, parted_ways, lost",
    )
    p.add_argument("--force", action="store_true", help="close even though steps are still open")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument(
        "--cancel-followups",
        dest="followups",
        action="store_const",
        const="cancel",
        help="cancel the case's open follow-ups too",
    )
    kept.add_argument(
        "--keep-followups",
        dest="followups",
        action="store_const",
        const="keep",
        help="keep its open follow-ups on the calendar",
    )
    p.add_argument("--note", help="a closing remark")
    p.add_argument(
        "--satisfied",
        choices=sorted(SATISFIED),
        default="unknown",
        help="was the customer satisfied, as far as you can tell (default: unknown)",
    )
