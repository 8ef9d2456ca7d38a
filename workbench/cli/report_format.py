"""How ``workbench report`` looks: the figures as text for people, JSON for scripts.

The figures come from :func:`workbench.domain.insight.compute`, whose docstring says
exactly which cases each one counts. Only :mod:`workbench.cli.report` imports this module,
and only when the report is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from workbench.domain.insight import (
    Durations,
    Insight,
    PlaybookFigures,
    StepSkips,
    duration_words,
    money,
    step_titles,
)
from workbench.domain.moments import report_moment
from workbench.domain.spans import span_words
from workbench.domain.text import visible
from workbench.domain.time_spent import minutes_words

# -- JSON ------------------------------------------------------------------------------------


def _seconds(span: timedelta | None) -> int | None:
    return None if span is None else int(span.total_seconds())


def _durations_json(figures: Durations) -> dict[str, Any]:
    return {
        "cases": figures.count,
        "median_seconds": _seconds(figures.median),
        "p90_seconds": _seconds(figures.p90),
    }


def _step_json(step: StepSkips) -> dict[str, Any]:
    return {"key": step.key, "title": step.title, "skipped": step.skipped}


def _playbook_json(row: PlaybookFigures, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": names.get(row.key, row.key),
        "cases": row.cases,
        "closed": row.closed,
        "steps_skipped": row.skipped,
        "handling_minutes": row.minutes,
        "most_skipped": [_step_json(step) for step in row.most_skipped],
        "skipped_steps": [_step_json(step) for step in row.steps],
    }


def _one_first_contact(insight: Insight) -> int | None:
    """The key of earlier versions, kept for scripts: the first-contact target when every
    heat has the same one (the old single limit), else None (see ``targets``)."""
    spans = set(insight.targets.first_contact.values())
    return _seconds(spans.pop()) if len(spans) == 1 else None


def _targets_json(insight: Insight) -> dict[str, Any]:
    """Per kind of target, per heat: its length in seconds, how often met and missed."""
    return {
        figures.kind.value: {
            "met": figures.met,
            "missed": figures.missed,
            "by_heat": {
                line.heat.value: {
                    "target_seconds": _seconds(line.span),
                    "met": line.met,
                    "missed": line.missed,
                }
                for line in figures.heats
            },
        }
        for figures in insight.target_figures
    }


def insight_json(insight: Insight, names: Mapping[str, str]) -> dict[str, Any]:
    """Every figure, with stable keys: durations in whole seconds, money as decimal strings."""
    span = insight.window
    f = insight.followups
    return {
        "period": insight.period.value,
        "label": insight.period.label,
        "from": None if span.start is None else span.start.isoformat(),
        "to": span.end.isoformat(),
        "dont_wait_seconds": _one_first_contact(insight),
        "targets": _targets_json(insight),
        "cases": {
            "opened": insight.opened,
            "closed": insight.closed,
            "awaiting_first_contact": insight.awaiting_contact,
        },
        "first_contact": _durations_json(insight.first_contact),
        "resolution": _durations_json(insight.resolution),
        "outcomes": {line.outcome.value: line.cases for line in insight.outcomes},
        "remedy_cost": {
            "total": money(insight.cost),
            "by_outcome": {line.outcome.value: money(line.cost) for line in insight.outcomes},
            "closed_without_remedy": insight.without_remedy,
        },
        "followups": {
            "on_time": f.on_time,
            "late": f.late,
            "open_overdue": f.open_overdue,
            "cancelled": f.cancelled,
        },
        "handling_minutes": {
            "total": insight.minutes,
            "by_outcome": {line.outcome.value: line.minutes for line in insight.outcomes},
            "logged_in_period": insight.minutes_logged,
        },
        "made_right": {
            "cases": insight.made_right.cases,
            "at_first_followup": insight.made_right.at_first,
            "later": insight.made_right.later,
            "not_yet": insight.made_right.not_yet,
        },
        "satisfied": {
            "yes": insight.satisfaction.satisfied,
            "no": insight.satisfaction.not_satisfied,
            "not_told": insight.satisfaction.not_told,
        },
        "playbooks": [_playbook_json(row, names) for row in insight.playbooks],
    }


# -- text ------------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole):>3}%" if whole else ""


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def heading(insight: Insight) -> str:
    """ "Insight for this month: Sun 1 Nov 2026, 00:00 to Mon 23 Nov 2026, 14:30"."""
    span = insight.window
    if span.start is None:
        return f"Insight for all time, up to {report_moment(span.end)}"
    start, end = report_moment(span.start), report_moment(span.end)
    return f"Insight for {insight.period.label}: {start} to {end}"


def _durations_text(title: str, figures: Durations) -> list[str]:
    if figures.count == 0:
        return [f"{title}: no cases yet"]
    return [
        f"{title} ({_plural(figures.count, 'case')})",
        f"  median {duration_words(figures.median)}, p90 {duration_words(figures.p90)}",
    ]


def _most_skipped(row: PlaybookFigures) -> str:
    if not row.closed:
        return "no case closed yet"
    if not row.steps:
        return f"no step skipped in {_plural(row.closed, 'closed case')}"
    titles = visible(step_titles(row.most_skipped))
    times = row.most_skipped[0].skipped
    return f"most skipped: {titles} ({times} of {row.closed} closed)"


def _made_right_text(insight: Insight) -> list[str]:
    made, told = insight.made_right, insight.satisfaction
    lines = []
    if made.cases:
        lines += [
            f"Made right ({_plural(made.cases, 'case')} with a follow-up answered)",
            f"  at the first follow-up {made.at_first:>5} {_share(made.at_first, made.cases)}",
            f"  at a later one         {made.later:>5} {_share(made.later, made.cases)}",
            f"  not yet                {made.not_yet:>5} {_share(made.not_yet, made.cases)}",
        ]
    else:
        lines.append("Made right: no follow-up answered yet")
    if insight.closed:
        lines.append(
            f"  closed, customer satisfied: {told.satisfied} · not satisfied: "
            f"{told.not_satisfied} · couldn't tell: {told.not_told}"
        )
    return lines


def _targets_text(insight: Insight) -> list[str]:
    """Targets met and missed, each kind, then by heat with its target."""
    lines = [f"{'Response targets':<32}{'met':>4}{'missed':>8}"]
    for figures in insight.target_figures:
        judged = figures.met + figures.missed
        share = f"  {_share(figures.met, judged).strip()} met" if judged else ""
        lines.append(f"  {figures.kind.label:<30}{figures.met:>4}{figures.missed:>8}{share}")
        for line in figures.heats:
            within = f"{line.heat.label} within {span_words(line.span)}"
            lines.append(f"    {within:<28}{line.met:>4}{line.missed:>8}")
    lines.append("")
    return lines


def format_report(insight: Insight, names: Mapping[str, str]) -> str:
    lines = [heading(insight), ""]
    lines += [
        "Cases",
        f"  {'opened':<30}{insight.opened:>6}",
        f"  {'closed':<30}{insight.closed:>6}",
        f"  {'past first-contact target':<30}{insight.awaiting_contact:>6}  (don't wait)",
        "",
    ]
    lines += _targets_text(insight)
    lines += _durations_text("Don't wait: opening to first contact", insight.first_contact)
    lines += _durations_text("Opening to resolution", insight.resolution)
    lines.append("")

    if insight.closed:
        timed = insight.minutes > 0  # the time column only where time was kept

        def spent(minutes: int) -> str:
            return f"{minutes_words(minutes):>9}" if timed else ""

        lines.append(
            f"{'Outcomes of the ' + _plural(insight.closed, 'closed case'):<45}remedy cost"
            + ("     time" if timed else "")
        )
        for line in insight.outcomes:
            lines.append(
                f"  {line.outcome.label:<33}{line.cases:>4} {_share(line.cases, insight.closed)}"
                f"{money(line.cost):>16}{spent(line.minutes)}"
            )
        lines.append(
            f"  {'total':<33}{insight.closed:>4}     {money(insight.cost):>16}"
            f"{spent(insight.minutes)}"
        )
        if insight.without_remedy:
            lines.append(
                f"  ({_plural(insight.without_remedy, 'closed case')} without a remedy recorded)"
            )
    else:
        lines.append("Outcomes: no case closed")
    lines.append("")

    f = insight.followups
    if f.judged or f.cancelled:
        lines += [
            "Follow-ups due",
            f"  kept on time   {f.on_time:>5} {_share(f.on_time, f.judged)}",
            f"  done late      {f.late:>5} {_share(f.late, f.judged)}",
            f"  open, overdue  {f.open_overdue:>5} {_share(f.open_overdue, f.judged)}",
        ]
        if f.cancelled:
            lines.append(f"  cancelled      {f.cancelled:>5}")
    else:
        lines.append("Follow-ups due: none")
    lines.append("")

    lines += _made_right_text(insight)
    if insight.minutes_logged:
        lines.append(f"Time logged in the period: {minutes_words(insight.minutes_logged)}")
    lines.append("")

    if insight.playbooks:
        timed = any(row.minutes for row in insight.playbooks)
        lines.append(
            f"{'Playbooks':<40}opened  closed  steps skipped" + ("     time" if timed else "")
        )
        for row in insight.playbooks:
            name = _clip(visible(names.get(row.key, row.key)), 36)
            time = f"{minutes_words(row.minutes):>9}" if timed else ""
            lines.append(f"  {name:<36}{row.cases:>8}{row.closed:>8}{row.skipped:>15}{time}")
            lines.append(f"    {_most_skipped(row)}")
    else:
        lines.append("Playbooks: no case opened or closed")
    return "\n".join(lines)
