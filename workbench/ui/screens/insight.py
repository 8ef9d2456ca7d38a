"""Insight (``i``): how the difficult conversations are going, for a period you choose.

The screen is handed a snapshot of the main screen's cases when it opens; it never
reads the file. The figures for all four periods are counted once, off the UI's path,
so switching periods is instant even with thousands of cases. What each figure counts
is set out in :mod:`workbench.domain.insight`.

Charts are drawn with :class:`~workbench.ui.widgets.bar_chart.BarChart` (block
characters in Rich text), which needs no plotting library and keeps every label plain
text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static, Tab, Tabs

from workbench.domain.insight import (
    Durations,
    Insight,
    Period,
    PlaybookFigures,
    TargetFigures,
    compute,
    duration_words,
    money,
    step_titles,
)
from workbench.domain.model import Case, Outcome
from workbench.domain.moments import span_moment
from workbench.domain.targets import Kind, Targets
from workbench.domain.text import visible
from workbench.domain.time_spent import minutes_words
from workbench.paths import settings_file
from workbench.ui.widgets.bar_chart import Bar, BarChart
from workbench.ui.widgets.footer import KeyBar

PERIODS: tuple[Period, ...] = (Period.WEEK, Period.MONTH, Period.DAYS_90, Period.ALL)
DEFAULT_PERIOD = Period.MONTH
WIDE = 100
"""From this many columns the figures sit in two columns side by side."""

_OUTCOME_BARS: dict[Outcome, tuple[str, str]] = {
    Outcome.RETAINED: ("retained", "good"),
    Outcome.RETAINED_WITH_CONCESSION: ("with concession", "fair"),
    Outcome.PARTED_WAYS: ("parted ways", "parted"),
    Outcome.LOST: ("lost", "bad"),
}


def tab_id(period: Period) -> str:
    return f"period-{period.value}"


def _period_of(tab: str | None) -> Period | None:
    for period in PERIODS:
        if tab == tab_id(period):
            return period
    return None


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def heading(insight: Insight) -> Text:
    span = insight.window
    text = Text.assemble(("Insight", "bold"), " · ", (insight.period.label, "bold"), "  ")
    if span.start is None:
        text.append(f"everything up to {span_moment(span.end)}", style="dim")
    else:
        text.append(f"{span_moment(span.start)} to {span_moment(span.end)}", style="dim")
    return text


def _duration_row(title: str, figures: Durations) -> Text:
    cases = _plural(figures.count, "case") if figures.count else "no cases"
    return Text.assemble(
        f"{title:<15}",
        (f"{duration_words(figures.median):>8}", "bold"),
        (f"{duration_words(figures.p90):>9}", "bold"),
        f"  {cases:<10}",
    )


def pace_text(insight: Insight) -> Text:
    """Cases opened and closed, and how fast we got to them."""
    text = Text.assemble(
        "Opened ",
        (str(insight.opened), "bold"),
        "  ·  closed ",
        (str(insight.closed), "bold"),
        "\n",
    )
    waiting = insight.awaiting_contact
    if waiting:
        text.append(f"⌛ {waiting} past their first-contact target: don't wait\n")
    elif insight.opened:
        text.append("None left past its first-contact target\n", style="dim")
    else:
        text.append("No case opened in this period\n", style="dim")
    text.append(f"\n{'':<15}{'median':>8}{'p90':>9}  {'':<10}target met\n", style="dim")
    text.append_text(_duration_row("First contact", insight.first_contact))
    text.append_text(_targets_met(insight.target(Kind.FIRST_CONTACT)))
    text.append("\n")
    text.append_text(_duration_row("Resolution", insight.resolution))
    text.append_text(_targets_met(insight.target(Kind.RESOLUTION)))
    return text


def _targets_met(figures: TargetFigures) -> Text:
    """ "12 of 15 (80%)": how often the kind's target was met, of those decided."""
    judged = figures.met + figures.missed
    if not judged:
        return Text("—", style="dim")
    return Text.assemble(
        (f"{figures.met} of {judged}", "bold"), f" ({_share(figures.met, judged)})"
    )


def outcome_bars(insight: Insight) -> list[Bar]:
    widest = max((len(money(line.cost)) for line in insight.outcomes), default=4)
    return [
        Bar(
            label=_OUTCOME_BARS[line.outcome][0],
            value=line.cases,
            figure=f"{line.cases:>3} {_share(line.cases, insight.closed):>4}  "
            f"{money(line.cost):>{widest}}",
            tone=_OUTCOME_BARS[line.outcome][1],
        )
        for line in insight.outcomes
    ]


def cost_text(insight: Insight) -> Text:
    if not insight.closed:
        return Text("No case closed in this period.", style="dim")
    text = Text.assemble("Remedy cost ", (money(insight.cost), "bold"), " in total")
    if insight.without_remedy:
        text.append(f"; {insight.without_remedy} closed without a remedy", style="dim")
    text.append("\nHandling time ")
    text.append(minutes_words(insight.minutes), style="bold")
    spent = [
        f"{line.outcome.label} {minutes_words(line.minutes)}"
        for line in insight.outcomes
        if line.minutes
    ]
    if spent:
        text.append(": " + ", ".join(spent), style="dim")
    if insight.minutes_logged:
        text.append(f"\n{minutes_words(insight.minutes_logged)} logged in the period", style="dim")
    return text


def _shared_bars(rows: tuple[tuple[str, int, str], ...], whole: int) -> list[Bar]:
    """Bars of (label, count, tone), each with its count and its share of ``whole``."""
    return [
        Bar(label, count, f"{count:>3} {_share(count, whole):>4}", tone)
        for label, count, tone in rows
    ]


def followup_bars(insight: Insight) -> list[Bar]:
    f = insight.followups
    rows = (
        ("on time", f.on_time, "good"),
        ("late", f.late, "fair"),
        ("open, overdue", f.open_overdue, "bad"),
    )
    return _shared_bars(rows, f.judged)


def followup_text(insight: Insight) -> Text:
    f = insight.followups
    if not (f.judged or f.cancelled):
        return Text("No follow-up was due in this period.", style="dim")
    text = Text("On time: done by the minute it was due.", style="dim")
    if f.cancelled:
        text.append(f" {f.cancelled} cancelled (not counted).", style="dim")
    return text


def made_right_bars(insight: Insight) -> list[Bar]:
    made = insight.made_right
    rows = (
        ("at the first follow-up", made.at_first, "good"),
        ("at a later one", made.later, "fair"),
        ("not yet", made.not_yet, "bad"),
    )
    return _shared_bars(rows, made.cases)


def made_right_text(insight: Insight) -> Text:
    made, told = insight.made_right, insight.satisfaction
    if made.cases:
        text = Text(
            f"Over {_plural(made.cases, 'case')} whose first answered follow-up came in "
            "this period.",
            style="dim",
        )
    else:
        text = Text("No follow-up answered “how does it stand?” in this period.", style="dim")
    if insight.closed:
        text.append(
            f"\nClosed: {told.satisfied} satisfied, {told.not_satisfied} not, "
            f"{told.not_told} couldn't tell."
        )
    return text


def playbook_bars(insight: Insight, names: Mapping[str, str]) -> list[Bar]:
    return [
        Bar(names.get(row.key, row.key), row.cases, str(row.cases), "neutral")
        for row in insight.playbooks
    ]


def _skips_line(row: PlaybookFigures, names: Mapping[str, str]) -> Text:
    top = row.most_skipped
    titles = visible(step_titles(top))
    return Text.assemble(
        (visible(names.get(row.key, row.key)), "bold"),
        f": {_plural(row.skipped, 'step')} skipped in {_plural(row.closed, 'closed case')}; "
        f"most often {titles} ({top[0].skipped} of {row.closed})",
    )


def _playbook_time(insight: Insight, names: Mapping[str, str]) -> Text:
    """Handling time of the closed cases, playbook by playbook (where any was kept)."""
    timed = [row for row in insight.playbooks if row.minutes]
    if not timed:
        return Text()
    said = ", ".join(
        f"{visible(names.get(row.key, row.key))} {minutes_words(row.minutes)}" for row in timed
    )
    return Text(f"\nHandling time by playbook: {said}", style="dim")


def skips_text(insight: Insight, names: Mapping[str, str]) -> Text:
    """Which steps closed cases left undone, playbook by playbook (only where any were)."""
    skipping = [row for row in insight.playbooks if row.skipped]
    closed = sum(row.closed for row in insight.playbooks)
    if not closed:
        return Text("Skipped steps: no case closed in this period.", style="dim")
    if not skipping:
        text = Text(
            f"Skipped steps: none; every step was done on the {_plural(closed, 'closed case')}.",
            style="dim",
        )
        return text.append_text(_playbook_time(insight, names))
    text = Text("Skipped steps (left undone when the case was closed)\n", style="dim")
    text.append_text(Text("\n").join(_skips_line(row, names) for row in skipping))
    rest = closed - sum(row.closed for row in skipping)
    if rest:
        text.append(f"\nNothing skipped on {_plural(rest, 'other closed case')}.", style="dim")
    text.append_text(_playbook_time(insight, names))
    return text


def _box(box_id: str, title: str, *children: Widget) -> VerticalGroup:
    box = VerticalGroup(*children, id=box_id, classes="insight-box")
    box.border_title = title
    return box


class PeriodTabs(Tabs, can_focus=False):
    """The four periods; the active one is underlined. Keys and clicks both switch."""


class InsightScreen(Screen[None]):
    """Figures and charts for this week, this month, the last 90 days or all time."""

    BINDINGS = [
        Binding("1", "period('week')", "This week"),
        Binding("2", "period('month')", "This month"),
        Binding("3", "period('90d')", "90 days"),
        Binding("4", "period('all')", "All time"),
        Binding("left", "shift_period(-1)", "Previous period", show=False, priority=True),
        Binding("right", "shift_period(1)", "Next period", show=False, priority=True),
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(
        self,
        cases: Sequence[Case],
        now: datetime,
        playbook_names: Mapping[str, str],
        *,
        week_start: int,
        targets: Targets,
        period: Period = DEFAULT_PERIOD,
        whose: str = "",
    ) -> None:
        super().__init__()
        self._cases = list(cases)
        self.whose = whose
        """Whose cases the figures are for ("mine", "no one's"), as the list showed them;
        empty for everyone's."""
        self._now = now
        self._names = dict(playbook_names)
        self._week_start = week_start
        self._targets = targets
        self.period = period
        self.insights: dict[Period, Insight] = {}

    @property
    def cases(self) -> Sequence[Case]:
        """The cases the figures are worked out from, as the screen was given them."""
        return self._cases

    def compose(self) -> ComposeResult:
        yield Static(Text("Insight · counting…", style="bold"), id="insight-title")
        yield PeriodTabs(
            *(Tab(f"{n} {p.label.capitalize()}", id=tab_id(p)) for n, p in enumerate(PERIODS, 1)),
            active=tab_id(self.period),
            id="insight-periods",
        )
        with VerticalScroll(id="insight-body"), HorizontalGroup(id="insight-columns"):
            yield VerticalGroup(
                _box("insight-pace-box", "Cases and pace", Static(id="insight-pace")),
                _box(
                    "insight-outcomes-box",
                    "Outcomes and remedy cost",
                    BarChart(id="insight-outcomes"),
                    Static(id="insight-cost"),
                ),
                _box(
                    "insight-made-right-box",
                    "Did we make it right?",
                    BarChart(id="insight-made-right"),
                    Static(id="insight-made-right-note"),
                ),
                classes="insight-column",
            )
            yield VerticalGroup(
                _box(
                    "insight-followups-box",
                    "Follow-ups due: kept on time?",
                    BarChart(id="insight-followups"),
                    Static(id="insight-followups-note"),
                ),
                _box(
                    "insight-playbooks-box",
                    "Playbooks: cases opened",
                    BarChart(id="insight-playbooks"),
                    Static(id="insight-skips"),
                ),
                classes="insight-column",
            )
        yield Static(
            Text.assemble(
                ("Settings: ", "bold"),
                visible(str(settings_file())),
                ("   1-4 or ←/→ change the period · esc closes", "dim"),
            ),
            id="insight-settings",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#insight-body").focus()
        self._count()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < WIDE, "-narrow")

    @work(thread=True, exclusive=True, group="insight")
    def _count(self) -> None:
        found = {
            period: compute(
                self._cases,
                period,
                self._now,
                week_start=self._week_start,
                targets=self._targets,
            )
            for period in PERIODS
        }
        self.app.call_from_thread(self._counted, found)

    def _counted(self, found: dict[Period, Insight]) -> None:
        if not self.is_attached:  # closed before the counting finished
            return
        self.insights = found
        self._show()

    @property
    def insight(self) -> Insight | None:
        return self.insights.get(self.period)

    def _show(self) -> None:
        insight = self.insight
        if insight is None:
            return
        title = heading(insight)
        if self.whose:
            title.append(f"  · {self.whose} only (w on the list)", style="bold")
        self.query_one("#insight-title", Static).update(title)
        self.query_one("#insight-pace", Static).update(pace_text(insight))
        self.query_one("#insight-outcomes", BarChart).set_bars(outcome_bars(insight))
        self.query_one("#insight-cost", Static).update(cost_text(insight))
        self.query_one("#insight-made-right", BarChart).set_bars(made_right_bars(insight))
        self.query_one("#insight-made-right-note", Static).update(made_right_text(insight))
        self.query_one("#insight-followups", BarChart).set_bars(followup_bars(insight))
        self.query_one("#insight-followups-note", Static).update(followup_text(insight))
        self.query_one("#insight-playbooks", BarChart).set_bars(playbook_bars(insight, self._names))
        self.query_one("#insight-skips", Static).update(skips_text(insight, self._names))

    @on(Tabs.TabActivated, "#insight-periods")
    def _tab_chosen(self, event: Tabs.TabActivated) -> None:
        period = _period_of(event.tab.id if event.tab is not None else None)
        if period is not None and period is not self.period:
            self.period = period
            self._show()

    def action_period(self, value: str) -> None:
        self.query_one(PeriodTabs).active = tab_id(Period(value))

    def action_shift_period(self, step: int) -> None:
        tabs = self.query_one(PeriodTabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()

    def action_close(self) -> None:
        self.dismiss()
