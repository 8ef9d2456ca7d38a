"""``workbench say``: what to say at a step of a case, filled in from the case."""

from __future__ import annotations

import argparse

from workbench.cli.arguments import step_index
from workbench.cli.context import AddCommand, Context
from workbench.domain import actions, wording
from workbench.domain.actions import DomainError
from workbench.domain.text import visible


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


def register(command: AddCommand) -> None:
    """Adds ``say``."""
    p = command("say", cmd_say, "what to say at a step of a case, filled in from the case")
    p.add_argument("case")
    p.add_argument(
        "step",
        nargs="?",
        help="step number (1, 2, …) or key (default: the next step still to do that has wording)",
    )
