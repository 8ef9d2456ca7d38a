"""``workbench playbooks`` and ``workbench demo``: the playbooks on offer, and sample cases
made from them."""

from __future__ import annotations

import argparse

from workbench import paths
from workbench.cli.arguments import whole_number
from workbench.cli.context import AddCommand, Context, UsageError
from workbench.domain.text import visible


def cmd_playbooks(ctx: Context, args: argparse.Namespace) -> int:
    library = ctx.library
    chosen = [library.get(args.key)] if args.key else list(library)
    data = [
        {
            "key": p.key,
            "name": p.name,
            "situation": p.situation,
            "builtin": p.builtin,
            "faults": sorted(f.value for f in p.faults),
            "heats": sorted(h.value for h in p.heats),
            "alternatives": list(p.alternatives),
            "steps": [
                {"key": s.key, "title": s.title, "guidance": s.guidance, "say": list(s.say)}
                for s in p.steps
            ],
        }
        for p in chosen
    ]
    lines = []
    for p in chosen:
        origin = "built in" if p.builtin else f"from {p.path}"
        lines.append(f"{p.key:<12} {visible(p.name)} ({len(p.steps)} steps, {origin})")
        lines.append(f"{'':<12} {visible(p.situation)}")
        if args.key:
            for number, s in enumerate(p.steps, 1):
                lines.append(f"  {number}. {visible(s.title)}\n     {visible(s.guidance)}")
                lines.extend(f"     Say: {visible(said)}" for said in s.say)
            if p.alternatives:
                lines.append("  Alternatives to offer:")
                lines.extend(f"   - {visible(other)}" for other in p.alternatives)
    lines.append(
        f"\nYour own playbooks, and wording for any playbook, go in {paths.playbooks_dir()} "
        "(*.toml)."
    )
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    if args.cases < 1 or args.cases > 100_000:
        raise UsageError("--cases must be between 1 and 100000")
    from workbench.domain.demo import demo_customer_details, make_demo_cases  # only here

    cases = make_demo_cases(args.cases, ctx.library, ctx.now, seed=args.seed)
    with ctx.store.batch():  # one write, or none
        stored = ctx.store.add_many(cases)
        for name, edit in demo_customer_details(cases, seed=args.seed):
            ctx.store.update_customer(name, edit.apply)
    ctx.emit(
        {
            "added": len(stored),
            "first": stored[0].id,
            "last": stored[-1].id,
            "db": ctx.store.location,
        },
        f"Added {len(stored)} demo cases ({stored[0].id} to {stored[-1].id}) "
        f"to {ctx.store.location}",
    )
    return 0


def register(command: AddCommand) -> None:
    """Adds ``playbooks`` and ``demo``."""
    p = command("playbooks", cmd_playbooks, "list the playbooks, or show one")
    p.add_argument("key", nargs="?", help="show this playbook's steps")

    p = command("demo", cmd_demo, "fill the database with realistic sample cases")
    p.add_argument("--cases", type=whole_number, default=50, help="how many (default 50)")
    p.add_argument(
        "--seed", type=whole_number, default=1, help="the same seed gives the same cases"
    )
