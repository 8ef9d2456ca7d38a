"""``workbench add``, ``edit``, ``list`` and ``show``: opening cases and finding them again."""

from __future__ import annotations

import argparse
from dataclasses import replace

from workbench.cli.arguments import count, enum_arg
from workbench.cli.context import AddCommand, Context
from workbench.cli.format import case_json, case_line_json, format_case, format_case_table
from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.merge import Edit
from workbench.domain.model import Case, Channel, Fault, Heat, Status
from workbench.domain.queries import owned_by, with_status
from workbench.domain.search import SortOrder, matches, needle, sort_key, text_matches
from workbench.domain.text import visible

SORT_ORDERS = {
    "id": SortOrder.ID,
    "followup": SortOrder.FOLLOWUP,
    "age": SortOrder.AGE,
    "heat": SortOrder.HEAT,
}


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    draft = CaseDraft(
        title=args.title,
        customer=args.customer,
        contact=args.contact,
        channel=args.channel,
        heat=args.heat,
        fault=args.fault,
        tags=args.tag,
    )
    library = ctx.library
    playbook = (
        library.get(args.playbook) if args.playbook else library.suggest(args.heat, args.fault)
    )
    case = ctx.store.add(draft, playbook, ctx.now, contacted=args.contacted, author=ctx.agent)
    first = case.steps[0].title if case.steps else "—"
    ctx.emit(
        case_json(case, ctx.now, ctx.targets),
        f"Opened {case.id} for {visible(case.customer)}: {visible(case.title)}\n"
        f"Playbook: {playbook.name} ({len(case.steps)} steps). First: {visible(first)}",
    )
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    library = ctx.library
    playbook = library.get(args.playbook) if args.playbook else None
    names = {p.key: p.name for p in library}

    def edit(case: Case) -> Edit:
        # Built from this very case, under the lock: what is not given stays as it is.
        given = {
            name: getattr(args, name)
            for name in ("title", "customer", "contact", "channel", "heat", "fault")
            if getattr(args, name) is not None
        }
        tags = [] if args.no_tags else args.tag or list(case.tags)
        draft = replace(CaseDraft.of(case), tags=tags, **given)
        return actions.edit_case(case, draft, ctx.now, playbook, names=names)

    case, edited = ctx.change(args.case, edit)
    data = case_json(case, ctx.now, ctx.targets)
    data["changed"] = list(edited.changed)
    if not edited:
        ctx.emit(data, f"{case.id}: nothing changed.")
        return 0
    lines = [f"{case.id}: changed {', '.join(edited.changed)}."]
    if "playbook" in edited.changed:
        lines.append(visible(case.timeline[-1].text) + ".")  # what became of the steps
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    cases = with_status(ctx.store.all_cases(), args.status or (), every=args.all)
    wanted = (args.owner or "").strip() or None  # --owner AGENT; "" or none: everyone's
    cases = owned_by(cases, ctx.agent if args.mine else "" if args.unassigned else wanted)
    if args.customer:
        wanted = needle(args.customer)
        cases = [c for c in cases if text_matches(c.customer, wanted)]
    if args.search:
        found = needle(args.search)
        cases = [c for c in cases if matches(c, found)]
    cases = sorted(cases, key=sort_key(SORT_ORDERS[args.sort], ctx.now))
    if args.limit is not None:
        cases = cases[: args.limit]
    ctx.emit(
        [case_line_json(c, ctx.now, ctx.targets) for c in cases],
        format_case_table(cases, ctx.now, ctx.targets) if cases else "No cases match.",
    )
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    case = ctx.store.get(args.case)
    playbook_names = {p.key: p.name for p in ctx.library}
    ctx.emit(
        case_json(case, ctx.now, ctx.targets),
        format_case(case, ctx.now, playbook_names, ctx.targets),
    )
    return 0


def register(command: AddCommand) -> None:
    """Adds ``add``, ``edit``, ``list`` and ``show``."""
    p = command("add", cmd_add, "open a new case")
    p.add_argument("title", help="the complaint in one line")
    p.add_argument("--customer", "-c", required=True, help="who is complaining")
    p.add_argument("--contact", default="", help="phone number or e-mail address")
    p.add_argument(
        "--channel",
        type=enum_arg(Channel),
        default=Channel.PHONE,
        help="phone, in_person, video, email, chat (default phone)",
    )
    p.add_argument(
        "--heat",
        type=enum_arg(Heat),
        default=Heat.UPSET,
        help="calm, upset, furious (default upset)",
    )
    p.add_argument(
        "--fault",
        type=enum_arg(Fault),
        default=Fault.UNCLEAR,
        help="ours, theirs, shared, unclear (default unclear)",
    )
    p.add_argument("--playbook", help="playbook key (default: suggested from heat and fault)")
    p.add_argument("--tag", action="append", default=[], help="a tag; repeat for more")
    contact = p.add_mutually_exclusive_group()
    contact.add_argument(
        "--contacted", action="store_true", default=None, help="we are talking with them now"
    )
    contact.add_argument(
        "--not-contacted",
        dest="contacted",
        action="store_false",
        help="nobody has spoken to them yet",
    )

    p = command("edit", cmd_edit, "change a case's details, tags or playbook")
    p.add_argument("case", help="case id, e.g. C-0042 or 42")
    p.add_argument("--title", help="the complaint in one line")
    p.add_argument("--customer", "-c", help="who is complaining")
    p.add_argument("--contact", help="phone number or e-mail address ('' clears it)")
    p.add_argument("--channel", type=enum_arg(Channel), help="phone, in_person, video, email, chat")
    p.add_argument("--heat", type=enum_arg(Heat), help="calm, upset, furious")
    p.add_argument("--fault", type=enum_arg(Fault), help="ours, theirs, shared, unclear")
    p.add_argument(
        "--playbook",
        help="move to this playbook; steps done or noted are carried over or kept",
    )
    tags = p.add_mutually_exclusive_group()
    tags.add_argument(
        "--tag", action="append", default=[], help="a tag; repeat for more (replaces the tags)"
    )
    tags.add_argument("--no-tags", action="store_true", help="remove every tag")

    p = command("list", cmd_list, "list cases (open ones unless --all or --status)")
    p.add_argument(
        "--status",
        type=enum_arg(Status),
        action="append",
        help="only this status; repeat for more",
    )
    p.add_argument("--all", action="store_true", help="include resolved and closed cases")
    p.add_argument(
        "--customer", help="only customers whose name contains this (case and accents aside)"
    )
    p.add_argument(
        "--search",
        help="text to find in id, customer, title, tags and notes (case and accents aside)",
    )
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--mine", action="store_true", help="only the cases assigned to me")
    whose.add_argument("--unassigned", action="store_true", help="only cases no one has")
    whose.add_argument("--owner", metavar="AGENT", help="only the cases of this agent")
    p.add_argument("--sort", choices=tuple(SORT_ORDERS), default="id")
    p.add_argument("--limit", type=count, help="show at most this many (1 or more)")

    p = command("show", cmd_show, "show one case in full")
    p.add_argument("case", help="case id, e.g. C-0042 or 42")
