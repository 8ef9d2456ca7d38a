"""``workbench report``: how the difficult conversations are going, as text or JSON.

The figures and their rendering (:mod:`workbench.domain.insight`,
:mod:`workbench.cli.report_format`) are imported only when the report is asked for.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.cli.context import AddCommand, Context, shown

if TYPE_CHECKING:
    from workbench.domain.insight import Period

DEFAULT_PERIOD = "month"
"""Since the 1st of this month; argparse reads it through :func:`_period` like a typed value."""


def _period(text: str) -> Period:
    from workbench.domain.insight import Period

    try:
        return Period(text.strip().lower())
    except ValueError:
        allowed = ", ".join(p.value for p in Period)
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a period; use one of: {allowed}"
        ) from None


def configure_report_parser(p: argparse.ArgumentParser) -> None:
    whose = p.add_mutually_exclusive_group()
    whose.add_argument(
        "--agent", metavar="AGENT", help="only the cases this agent has now (me for yours)"
    )
    whose.add_argument("--unassigned", action="store_true", help="only cases no one has")
    p.add_argument(
        "--period",
        type=_period,
        default=DEFAULT_PERIOD,
        metavar="PERIOD",
        help="week (since the start of this week), month (since the 1st; the default), "
        "90d (the last 90 days) or all",
    )


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.cli.report_format import format_report, insight_json
    from workbench.domain.agents import named
    from workbench.domain.insight import compute
    from workbench.domain.queries import owned_by

    period: Period = args.period
    cases = ctx.store.all_cases()
    owner: str | None = None  # everyone's
    if args.agent is not None:
        owner = named(args.agent, ctx.agent)
    elif args.unassigned:
        owner = ""
    cases = owned_by(cases, owner)
    insight = compute(
        cases,
        period,
        ctx.now,
        week_start=ctx.settings.first_weekday,
        targets=ctx.targets,
    )
    names = {p.key: p.name for p in ctx.library}
    data = insight_json(insight, names)
    text = format_report(insight, names)
    if owner is not None:
        data["owner"] = owner or None
        whose = f"The cases {shown(owner)} has now" if owner else "The cases no one has"
        text = f"{whose}.\n{text}"
    ctx.emit(data, text)
    return 0


def register(command: AddCommand) -> None:
    """Adds ``report``."""
    p = command("report", cmd_report, "how the cases are going: speed, outcomes, cost, follow-ups")
    configure_report_parser(p)
