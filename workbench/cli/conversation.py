"""``workbench say`` and ``workbench undo``: what to say at a step of a case, filled in
from the case; taking back the last change made from the command line."""

from __future__ import annotations

import argparse

from workbench import paths
from workbench.cli.arguments import step_index
from workbench.cli.context import AddCommand, Context
from workbench.cli.format import case_json
from workbench.domain import actions, undo, wording
from workbench.domain.actions import DomainError
from workbench.domain.agents import signed
from workbench.domain.model import format_case_id, parse_case_id
from workbench.domain.moments import compact_moment
from workbench.domain.text import visible
from workbench.storage.undo_journal import KEEP, UndoJournal


def cmd_say(ctx: Context, args: argparse.Namespace) -> int:
    case = ctx.store.get(args.case)
    playbooks = list(ctx.library)
    if args.step is not None:
        index = step_index(case, args.step)
        actions.step_at(case, index)
    else:
        found = wording.next_worded(case, playbooks)
        if found is None:
            worded = [
                str(number)
                for number, step in enumerate(case.steps, 1)
                if wording.step_says(case, step, playbooks)
            ]
            hint = (
                f"name one: steps {', '.join(worded)} have wording"
                if worded
                else "none of its steps has wording"
            )
            raise DomainError(f"{case.id} has no step still to do with wording; {hint}.")
        index = found
    said = wording.wording(case, index, playbooks, ctx.now, ctx.agent)
    step = case.steps[index]
    if said is None:
        raise DomainError(
            f"Step {index + 1} of {case.id}, “{visible(step.title)}”, has no wording: "
            "it is a step to do, not to say."
        )
    data = {
        "case": case.id,
        "step": index + 1,
        "key": step.key,
        "title": step.title,
        "lines": said.text.splitlines(),
        "missing": list(said.missing),
    }
    text = [f"{case.id}, step {index + 1}: {visible(step.title)}", "", said.text]
    if said.missing:
        text += ["", _missing_hint(said.missing, case.id)]
    ctx.emit(data, "\n".join(text))
    return 0


_HOW = {
    "remedy": "record it with: workbench remedy {case} WHAT --cost AMOUNT",
    "cost": "record the remedy with its cost",
    "followup": "schedule one with: workbench followup {case} WHEN",
    "agent": "set agent in the settings",
}


def _missing_hint(missing: tuple[str, ...], case_id: str) -> str:
    """Which gaps the case leaves, and what fills them."""
    hows = [
        f"{name} ({_HOW[name].format(case=case_id)})" if name in _HOW else name for name in missing
    ]
    return f"Not on the case yet, so left in brackets: {', '.join(hows)}."


def cmd_undo(ctx: Context, args: argparse.Namespace) -> int:
    case_id = _case_id(args.case) if args.case else None
    journal = UndoJournal(paths.undo_journal_file())
    store = ctx.store
    entry = journal.last(store.location, case_id)
    if entry is None:
        which = f" to {case_id}" if case_id else ""
        raise DomainError(
            f"Nothing to undo: no change{which} made from the command line on "
            f"{store.location} is remembered (the journal keeps the last {KEEP})."
        )
    changes = undo.differences(entry.before, entry.after)
    now = ctx.now
    try:
        case, said = store.update(
            entry.case_id,
            signed(lambda c: undo.undo(c, changes, now, entry.label), ctx.agent),
        )
    except undo.UndoConflict as error:
        journal.forget(entry)  # it never can be: the next undo goes to the change before
        raise DomainError(
            f"Can't undo “{entry.label}”, made {compact_moment(entry.at)}: {error} "
            "It is forgotten; `workbench undo` now goes to the change before."
        ) from None
    journal.forget(entry)
    ctx.emit(
        {"undone": entry.label, "made_at": entry.at.isoformat(), "back_to": said}
        | {"case": case_json(case, ctx.now, ctx.dont_wait)},
        f"Undone on {case.id}: {entry.label}, made {compact_moment(entry.at)} (back to {said}).",
    )
    return 0


def _case_id(text: str) -> str:
    return format_case_id(parse_case_id(text))


def register(command: AddCommand) -> None:
    """Adds ``say`` and ``undo``."""
    p = command("say", cmd_say, "what to say at a step of a case, filled in from the case")
    p.add_argument("case")
    p.add_argument(
        "step",
        nargs="?",
        help="step number (1, 2, …) or key (default: the next step still to do that has wording)",
    )

    p = command(
        "undo",
        cmd_undo,
        "take back the last change made from the command line (on this database)",
    )
    p.add_argument("case", nargs="?", help="the last change to this case")
