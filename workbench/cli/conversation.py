"""``workbench say``, ``customer`` and ``undo``: what to say at a step of a case, filled
in from the case; a customer across their cases; taking back the last change made from
the command line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench import paths
from workbench.cli.arguments import case_id_of, step_index
from workbench.cli.context import AddCommand, Context, UsageError
from workbench.cli.format import case_json
from workbench.domain import actions
from workbench.domain.actions import DomainError
from workbench.domain.agents import signed
from workbench.domain.model import Case, Channel
from workbench.domain.moments import compact_moment, long_moment, opened_day
from workbench.domain.text import visible
from workbench.storage import CaseNotFound

if TYPE_CHECKING:  # the modules below load only with the command that uses them
    from workbench.domain import customers


def cmd_say(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.domain import wording

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
    from workbench.domain import undo
    from workbench.storage.undo_journal import KEEP, UndoJournal

    case_id = case_id_of(args.case) if args.case else None
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

    def take_back(case: Case) -> str:
        # The journal knows the database by where it is: a file put back, or another
        # database at the same address, may hold another case under the same id.
        if case.opened_at != entry.before.opened_at:
            raise undo.UndoConflict(
                f"{case.id} here is not the case the change was made to (that one was "
                f"opened {long_moment(entry.before.opened_at)}, this one "
                f"{long_moment(case.opened_at)}). Nothing was changed."
            )
        return undo.undo(case, changes, now, entry.label)

    try:
        case, said = store.update(entry.case_id, signed(take_back, ctx.agent))
    except (undo.UndoConflict, CaseNotFound) as error:
        journal.forget(entry)  # it never can be: the next undo goes to the change before
        why = (
            f"{entry.case_id} is no longer in this database."
            if isinstance(error, CaseNotFound)
            else str(error)
        )
        raise DomainError(
            f"Can't undo “{entry.label}”, made {compact_moment(entry.at)}: {why} "
            "It is forgotten; `workbench undo` now goes to the change before."
        ) from None
    journal.forget(entry)
    ctx.emit(
        {"undone": entry.label, "made_at": entry.at.isoformat(), "back_to": said}
        | {"case": case_json(case, ctx.now, ctx.targets)},
        f"Undone on {case.id}: {entry.label}, made {compact_moment(entry.at)} (back to {said}).",
    )
    return 0


def cmd_customer(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.domain import customers

    if not customers.customer_key(args.name):
        raise UsageError("name the customer, as written on a case of theirs")
    cases = ctx.store.all_cases()
    rel = customers.relationship(cases, args.name)
    record = ctx.store.customer(args.name)
    if not rel.cases and record is None:
        close = customers.similar_names((case.customer for case in cases), args.name)
        hint = f" Did you mean {' or '.join(f'“{name}”' for name in close)}?" if close else ""
        raise DomainError(f"No case has a customer named “{args.name.strip()}”.{hint}")
    if args.merge_into is not None:
        if _edits(args):
            raise UsageError("--merge-into is done on its own; change the record after it.")
        return _merge(ctx, rel, args.merge_into)
    name = rel.name if rel.cases else (record.name if record else args.name)
    said = ""
    if _edits(args):
        record, changed = ctx.store.update_customer(name, lambda c: _edit(c, args))
        said = "Saved." if changed else "Nothing to change: the record already says so."
    if record is None:
        record = customers.Customer(name=name)
    ctx.emit(
        _customer_json(rel, record) | ({"saved": said == "Saved."} if said else {}),
        (f"{said}\n\n" if said else "") + _customer_text(rel, record),
    )
    return 0


def _edits(args: argparse.Namespace) -> bool:
    return any(
        value is not None and value != []
        for value in (
            args.company,
            args.channel,
            args.notes,
            args.contact,
            args.drop_contact,
            args.flag,
            args.unflag,
        )
    )


def _edit(customer: customers.Customer, args: argparse.Namespace) -> bool:
    """Every change asked for, all or none (a refusal leaves the record as it was)."""
    from workbench.domain import customers as people
    from workbench.domain.model import Channel

    draft = people.Customer(
        name=customer.name,
        contacts=list(customer.contacts),
        company=customer.company,
        channel=customer.channel,
        notes=customer.notes,
        flags=list(customer.flags),
    )
    for contact in args.contact:
        people.note_contact(draft, contact)
    for contact in args.drop_contact:
        wanted = " ".join(contact.split())
        if wanted not in draft.contacts:
            raise DomainError(f"{customer.name} has no contact “{wanted}” on their record.")
        draft.contacts.remove(wanted)
    for flag in args.flag:
        people.flag_customer(draft, flag)
    for flag in args.unflag:
        people.unflag_customer(draft, flag)
    channel: Channel | people.Keep | None = people.KEEP
    if args.channel is not None:
        channel = None if args.channel == "none" else Channel(args.channel)
    return people.edit_customer(
        customer,
        company=args.company,
        channel=channel,
        notes=None if args.notes is None else args.notes.replace("\\n", "\n"),
        contacts=draft.contacts,
        flags=draft.flags,
    )


def _merge(ctx: Context, rel: customers.Relationship, into: str) -> int:
    from workbench.domain import customers

    target = into.strip()
    if not target:
        raise UsageError("--merge-into needs the name to keep, as it should be written.")
    others = [
        key
        for key in dict.fromkeys(customers.customer_key(name) for name in rel.spellings)
        if key != customers.customer_key(target)
    ]
    for key in others:  # their records first: nothing noted on them is lost
        ctx.store.join_customers(key, target)
    joined = []
    for case in rel.cases:
        _, renamed = ctx.change(case.id, lambda c: customers.rename_customer(c, target, ctx.now))
        if renamed:
            joined.append(case.id)
    spelled = ", ".join(f"“{name}”" for name in rel.spellings)
    text = (
        f"Joined {spelled} as “{target}”: {', '.join(joined)} (every case kept"
        + (", and their records joined in one)." if others else ").")
        if joined
        else f"Every case of {spelled} is already written “{target}”."
    )
    ctx.emit({"name": target, "renamed": joined, "was": list(rel.spellings)}, text)
    return 0


def _remedy_json(item: customers.Concession) -> dict[str, object]:
    return {
        "case": item.case_id,
        "description": item.remedy.description,
        "cost": f"{item.remedy.cost:.2f}",
    }


def _contacts(rel: customers.Relationship, record: customers.Customer) -> list[str]:
    """The record's contacts, then any only on a case."""
    return list(dict.fromkeys([*record.contacts, *(c.contact for c in rel.cases if c.contact)]))


def _customer_json(rel: customers.Relationship, record: customers.Customer) -> dict[str, object]:
    return {
        "name": rel.name if rel.cases else record.name,
        "spellings": list(rel.spellings),
        "contacts": _contacts(rel, record),
        "company": record.company or None,
        "channel": None if record.channel is None else record.channel.value,
        "notes": record.notes or None,
        "flags": list(record.flags),
        "cases": [
            {
                "id": case.id,
                "title": case.title,
                "opened_at": case.opened_at.isoformat(),
                "status": case.status.value,
                "outcome": None if case.outcome is None else case.outcome.value,
                "satisfied": case.satisfied,
                "contact": case.contact or None,
                "channel": case.channel.value,
            }
            for case in rel.cases
        ],
        "given": [_remedy_json(item) for item in rel.given],
        "given_cost": f"{rel.given_cost:.2f}",
        "offered": [_remedy_json(item) for item in rel.offered],
        "open_followups": [
            {"case": case_id, "id": item.id, "due": item.due.isoformat(), "action": item.action}
            for case_id, item in rel.open_followups
        ],
    }


def _customer_text(rel: customers.Relationship, record: customers.Customer) -> str:
    count = len(rel.cases)
    name = rel.name if rel.cases else record.name
    lines = [f"{visible(name)}  ({count} case{'s' if count != 1 else ''})"]
    lines += [f"⚑ {visible(flag)}" for flag in record.flags]
    if len(rel.spellings) > 1:
        lines.append("Written as " + ", ".join(f"“{visible(name)}”" for name in rel.spellings))
    if record.company:
        lines.append(f"Company: {visible(record.company)}")
    contacts = _contacts(rel, record)
    if contacts:
        lines.append("Contact: " + ", ".join(visible(contact) for contact in contacts))
    if record.channel is not None:
        lines.append(f"Prefers: {record.channel.label}")
    if record.notes:
        lines.append(
            "Notes: " + "\n       ".join(visible(line) for line in record.notes.splitlines())
        )
    lines.append("")
    for case in rel.cases:
        state = case.status.label + (f": {case.outcome.label}" if case.outcome else "")
        lines.append(f"  {case.id}  {opened_day(case.opened_at)}  {visible(case.title)} ({state})")
    lines.append("")
    if rel.given:
        noun = "concession" if len(rel.given) == 1 else "concessions"
        lines.append(f"Given: {rel.given_cost:.2f} in {len(rel.given)} {noun}")
        lines += [
            f"  {item.case_id}  {visible(item.remedy.description)} ({item.remedy.cost:.2f})"
            for item in rel.given
        ]
    else:
        lines.append("Given: nothing yet")
    for item in rel.offered:
        lines.append(
            f"Offered, no answer yet: {item.case_id}  {visible(item.remedy.description)} "
            f"({item.remedy.cost:.2f})"
        )
    if rel.open_followups:
        lines.append("Promised:")
        lines += [
            f"  {case_id} F{item.id}  {long_moment(item.due)}  {visible(item.action)}"
            for case_id, item in rel.open_followups
        ]
    return "\n".join(lines)


def register(command: AddCommand) -> None:
    """Adds ``say``, ``customer`` and ``undo``."""
    p = command("say", cmd_say, "what to say at a step of a case, filled in from the case")
    p.add_argument("case")
    p.add_argument(
        "step",
        nargs="?",
        help="step number (1, 2, …) or key (default: the next step still to do that has wording)",
    )

    p = command(
        "customer",
        cmd_customer,
        "a customer across their cases: what was given, what is promised",
    )
    p.add_argument("name", help="as written on a case (case and extra blanks aside)")
    p.add_argument("--company", help='the company they are with ("" clears it)')
    p.add_argument(
        "--channel",
        choices=[*(channel.value for channel in Channel), "none"],
        help="how they prefer to be reached (none: not known)",
    )
    p.add_argument(
        "--notes",
        help="what to know before talking with them, in place of the notes held "
        '("" clears them; \\n starts a new line)',
    )
    p.add_argument(
        "--contact",
        action="append",
        default=[],
        metavar="CONTACT",
        help="add a phone number or address (first on the record); may be repeated",
    )
    p.add_argument(
        "--drop-contact",
        action="append",
        default=[],
        metavar="CONTACT",
        help="take a contact off the record; may be repeated",
    )
    p.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="TEXT",
        help="add a warning shown beside every case of theirs; may be repeated",
    )
    p.add_argument(
        "--unflag",
        action="append",
        default=[],
        metavar="TEXT_OR_N",
        help="take a flag off, by its words or its number; may be repeated",
    )
    p.add_argument(
        "--merge-into",
        metavar="NAME",
        help="write this customer's name as NAME on every case of theirs (two spellings "
        "of one customer become one; every case is kept)",
    )

    p = command(
        "undo",
        cmd_undo,
        "take back the last change made from the command line (on this database)",
    )
    p.add_argument("case", nargs="?", help="the last change to this case")
