"""Insight: how the difficult conversations are going, in figures for a period.

:func:`compute` reads a list of cases and answers the questions the method cares about:
did we act fast ("don't wait"), did we make it right, what did it cost, did we keep the
customer, did we keep our promises, and which playbooks are used and which of their
steps get skipped. Plain Python: the screen and ``workbench report`` both show it.

What counts, figure by figure
-----------------------------
The period is a window from its start (see :class:`Period`) up to ``now``, both ends
included. A time stamped after ``now`` (another machine's clock running ahead) falls
outside every window.

* **opened**: cases whose ``opened_at`` is in the window.
* **closed**: closed cases whose ``closed_at`` is in the window. A reopened case is
  not closed (reopening clears ``closed_at``).
* **awaiting contact**: cases opened in the window that the "don't wait" rule flags now:
  still open, nobody has spoken to them, and past their heat's first-contact target
  (:func:`workbench.domain.targets.first_contact_late`).
* **time to first contact**: ``first_contact_at - opened_at`` for every case whose first
  contact is in the window. A case opened during a live call counts as 0.
* **time to resolution**: from ``opened_at`` to the case's resolution, for every
  resolved or closed case whose resolution is in the window. The resolution is
  ``resolved_at``, or ``closed_at`` when ``resolved_at`` is missing (a case closed
  straight from "in progress" gets both set to the same moment; older files may lack
  ``resolved_at``). Cases that are open again are left out. Time the case spent waiting
  on the customer is left out: their silence is not our slowness.
* **targets**: each case's first-contact and resolution targets for its heat
  (:mod:`workbench.domain.targets`), counted in the period they were decided in: *met*
  at the moment what they ask for happened by their due time, *missed* at their due time
  once it passed first (contacted or resolved later, or not yet). A target still running
  is not counted.
* Durations never go below zero. The **median** and **p90** use the nearest-rank
  method (:func:`nearest_rank`): each is the time of a real case, never an average of
  two. With an even count the median is the lower of the two middle values. Both are
  None when no case qualifies.
* **outcomes**: the cases counted as closed, by outcome; every outcome is listed, zero
  or not.
* **remedy cost**: the remedies on the cases counted as closed, by outcome and in
  total. A declined remedy costs nothing (the same rule as
  :func:`workbench.domain.actions.total_remedy_cost`); a remedy accepted or still
  awaiting an answer costs what was recorded. A closed case with no remedy recorded
  adds nothing and is counted as "without remedy" so the total is read correctly.
* **follow-ups**: those whose due time is in the window and before ``now`` (so each
  one has had its chance). *On time*: done no later than the minute it was due (done
  at 10:00:40 for a 10:00 call is on time; at 10:01 it is late). *Late*: done after
  that. *Open, overdue*: not done and not cancelled; since its time has passed it is
  overdue now. *Cancelled* ones are counted apart and judged neither way.
* **handling time**: the minutes timed or logged on the cases counted as closed, by
  outcome and by playbook (a timer still running counts only once stopped); and every
  minute whose entry started in the window, on any case (**time logged**).
* **made right**: cases whose first follow-up done with an answer to "how does it
  stand?" was done in the window. *At the first follow-up*: that answer was "resolved".
  *Later*: it was not, but a later follow-up's answer (done at any time up to now) was.
  *Not yet*: no answer so far was "resolved". Follow-ups done without an answer are
  passed over (the question is optional).
* **satisfied**: the cases counted as closed, by what the agent could tell when closing:
  satisfied, not satisfied, or couldn't tell (which includes cases closed before the
  question was asked).
* **playbooks**: per playbook key, the cases opened in the window and the cases
  counted as closed. Skipped steps are counted over those closed cases: a step is
  skipped when its case was closed with the step not done (a closed case's steps can't
  change, so this is how it was left; one ticked and unticked again counts as skipped).
  Steps are told apart by their key; the title shown is the one on the most recently
  opened case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from workbench.domain.model import Case, FollowUp, Heat, Outcome, Resolution, Status
from workbench.domain.spans import duration_words as duration_words  # where callers look
from workbench.domain.targets import (
    Kind,
    Targets,
    first_contact_late,
    first_contact_target,
    resolution_target,
    time_waiting,
)

T = TypeVar("T")

MONDAY = 0
"""Weekdays are numbered as :meth:`datetime.date.weekday` does: 0 = Monday … 6 = Sunday."""

DAYS_90 = timedelta(days=90)


class Period(StrEnum):
    """The stretch of time a report covers, always ending now."""

    WEEK = "week"
    """From 00:00 on the first day of this week (Monday unless told otherwise)."""
    MONTH = "month"
    """From 00:00 on the first of this month."""
    DAYS_90 = "90d"
    """The 90 × 24 hours before now."""
    ALL = "all"
    """Everything, whenever it happened."""

    @property
    def label(self) -> str:
        return _PERIOD_LABELS[self]


_PERIOD_LABELS = {
    Period.WEEK: "this week",
    Period.MONTH: "this month",
    Period.DAYS_90: "last 90 days",
    Period.ALL: "all time",
}


@dataclass(frozen=True)
class Window:
    """From ``start`` (None: the beginning of time) to ``end``, both included."""

    start: datetime | None
    end: datetime

    def __contains__(self, when: object) -> bool:
        if not isinstance(when, datetime):
            return False
        return (self.start is None or self.start <= when) and when <= self.end


def _midnight(day: date, now: datetime) -> datetime:
    return datetime.combine(day, time(0), tzinfo=now.tzinfo)


def window(period: Period, now: datetime, week_start: int) -> Window:
    """The window a period covers, in ``now``'s time zone.

    ``week_start`` is the first day of the week, 0 = Monday … 6 = Sunday.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now needs a time zone")
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be 0 (Monday) to 6 (Sunday), not {week_start}")
    today = now.date()
    if period is Period.WEEK:
        back = (today.weekday() - week_start) % 7
        return Window(_midnight(today - timedelta(days=back), now), now)
    if period is Period.MONTH:
        return Window(_midnight(today.replace(day=1), now), now)
    if period is Period.DAYS_90:
        return Window(now - DAYS_90, now)
    return Window(None, now)


def nearest_rank(values: Sequence[T], percent: int) -> T | None:
    """The ``percent``-th percentile of already sorted ``values`` by the nearest-rank method.

    The value at rank ⌈percent × n / 100⌉ (counting from 1; at least rank 1). Computed in
    whole numbers, so no rounding error can move it a rank. None for no values.
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"a percentile runs from 0 to 100, not {percent}")
    if not values:
        return None
    rank = max(1, -(-percent * len(values) // 100))
    return values[rank - 1]


@dataclass(frozen=True)
class Durations:
    """How long something took, over ``count`` cases."""

    count: int
    median: timedelta | None
    """Nearest-rank 50th percentile; None when ``count`` is 0."""
    p90: timedelta | None
    """Nearest-rank 90th percentile: nine cases in ten took this long or less."""

    @classmethod
    def of(cls, spans: Iterable[timedelta]) -> Durations:
        ordered = sorted(max(span, timedelta(0)) for span in spans)
        return cls(len(ordered), nearest_rank(ordered, 50), nearest_rank(ordered, 90))


@dataclass(frozen=True)
class OutcomeFigures:
    """The closed cases that ended one way, and what their remedies cost."""

    outcome: Outcome
    cases: int
    cost: Decimal
    """Remedies accepted or awaiting an answer; declined ones cost nothing."""
    without_remedy: int
    """Cases with no remedy recorded at all (they add nothing to ``cost``)."""
    minutes: int = 0
    """Time spent on these cases, timed or logged: what handling them cost in time."""


@dataclass(frozen=True)
class FollowUpFigures:
    """Follow-ups whose time came in the period: were the promises kept?"""

    on_time: int
    late: int
    open_overdue: int
    """Neither done nor cancelled, and past due now."""
    cancelled: int

    @property
    def judged(self) -> int:
        """Follow-ups done or still open: the ones the on-time share is counted over."""
        return self.on_time + self.late + self.open_overdue


@dataclass(frozen=True)
class MadeRight:
    """Did we make it right, and how soon? Over cases whose first answered follow-up
    came in the period."""

    at_first: int
    later: int
    not_yet: int

    @property
    def cases(self) -> int:
        return self.at_first + self.later + self.not_yet


@dataclass(frozen=True)
class TargetLine:
    """One heat's target of one kind, and how often it was met and missed."""

    heat: Heat
    span: timedelta
    met: int
    missed: int


@dataclass(frozen=True)
class TargetFigures:
    """One kind of target (first contact or resolution), met and missed, by heat."""

    kind: Kind
    heats: tuple[TargetLine, ...]
    """Furious, upset, calm."""

    @property
    def met(self) -> int:
        return sum(line.met for line in self.heats)

    @property
    def missed(self) -> int:
        return sum(line.missed for line in self.heats)


@dataclass(frozen=True)
class Satisfaction:
    """The closed cases, by whether the customer was satisfied as far as the agent could tell."""

    satisfied: int
    not_satisfied: int
    not_told: int


@dataclass(frozen=True)
class StepSkips:
    """One playbook step and how many closed cases skipped it."""

    key: str
    title: str
    skipped: int


@dataclass(frozen=True)
class PlaybookFigures:
    """How one playbook was used in the period."""

    key: str
    cases: int
    """Cases opened in the period with this playbook."""
    closed: int
    """Cases closed in the period with this playbook: the ones skips are counted over."""
    skipped: int
    """Steps left undone on those closed cases, all steps together."""
    steps: tuple[StepSkips, ...]
    """Every step skipped at least once, most skipped first, then in playbook order."""
    minutes: int = 0
    """Time spent on the closed cases with this playbook."""

    @property
    def most_skipped(self) -> tuple[StepSkips, ...]:
        """The step or steps skipped most often (ties all listed); empty if none was."""
        if not self.steps:
            return ()
        top = self.steps[0].skipped
        return tuple(step for step in self.steps if step.skipped == top)


@dataclass(frozen=True)
class Insight:
    """Every figure for one period. See the module's docstring for exactly what counts."""

    period: Period
    window: Window
    opened: int
    closed: int
    awaiting_contact: int
    """Opened in the period and flagged now: nobody has spoken to them within their
    heat's first-contact target."""
    targets: Targets
    """The response targets the figures were counted with."""
    first_contact: Durations
    resolution: Durations
    outcomes: tuple[OutcomeFigures, ...]
    """One line per outcome, in the order of :class:`Outcome`."""
    followups: FollowUpFigures
    playbooks: tuple[PlaybookFigures, ...]
    """Most cases opened first, then most closed, then by key."""
    made_right: MadeRight = MadeRight(0, 0, 0)
    satisfaction: Satisfaction = Satisfaction(0, 0, 0)
    minutes_logged: int = 0
    """Every minute timed or logged in the period, on any case."""
    target_figures: tuple[TargetFigures, ...] = ()
    """First contact, then resolution: targets met and missed in the period."""

    def target(self, kind: Kind) -> TargetFigures:
        return next(figures for figures in self.target_figures if figures.kind is kind)

    @property
    def minutes(self) -> int:
        """Time spent on the closed cases, all outcomes together."""
        return sum(line.minutes for line in self.outcomes)

    @property
    def cost(self) -> Decimal:
        """What the remedies on the closed cases cost, all outcomes together."""
        return sum((line.cost for line in self.outcomes), Decimal(0))

    @property
    def without_remedy(self) -> int:
        return sum(line.without_remedy for line in self.outcomes)

    def outcome(self, outcome: Outcome) -> OutcomeFigures:
        for line in self.outcomes:
            if line.outcome is outcome:
                return line
        raise KeyError(outcome)


def resolution_time(case: Case) -> datetime | None:
    """When the case was resolved: ``resolved_at``, else ``closed_at``; None while open."""
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    return case.resolved_at or case.closed_at


def _remedy_cost(case: Case) -> Decimal:
    if case.remedy is None or case.remedy.accepted is False:
        return Decimal(0)
    return case.remedy.cost


def _kept_on_time(item: FollowUp) -> bool:
    assert item.done_at is not None
    return item.done_at.replace(second=0, microsecond=0) <= item.due


def _followups(cases: Iterable[Case], span: Window, now: datetime) -> FollowUpFigures:
    on_time = late = open_overdue = cancelled = 0
    for case in cases:
        for item in case.followups:
            if item.due not in span or item.due >= now:
                continue
            if item.cancelled_at is not None:
                cancelled += 1
            elif item.done_at is None:
                open_overdue += 1
            elif _kept_on_time(item):
                on_time += 1
            else:
                late += 1
    return FollowUpFigures(on_time, late, open_overdue, cancelled)


def _made_right(cases: Iterable[Case], span: Window) -> MadeRight:
    at_first = later = not_yet = 0
    for case in cases:
        answered = sorted(
            (item for item in case.followups if item.done_at and item.result is not None),
            key=lambda item: (item.done_at, item.id),
        )
        if not answered or answered[0].done_at not in span:
            continue
        if answered[0].result is Resolution.RESOLVED:
            at_first += 1
        elif any(item.result is Resolution.RESOLVED for item in answered[1:]):
            later += 1
        else:
            not_yet += 1
    return MadeRight(at_first, later, not_yet)


def _satisfaction(closed: Sequence[Case]) -> Satisfaction:
    told = Counter(case.satisfied for case in closed)
    return Satisfaction(told[True], told[False], told[None])


def _playbooks(opened: Sequence[Case], closed: Sequence[Case]) -> tuple[PlaybookFigures, ...]:
    started = Counter(case.playbook for case in opened)
    ended = Counter(case.playbook for case in closed)
    rows = []
    for key in started.keys() | ended.keys():
        skips: Counter[str] = Counter()
        titles: dict[str, tuple[datetime, str]] = {}
        order: dict[str, int] = {}
        for case in closed:
            if case.playbook != key:
                continue
            for position, step in enumerate(case.playbook_steps):
                order.setdefault(step.key, position)
                seen = titles.get(step.key)
                if seen is None or case.opened_at > seen[0]:
                    titles[step.key] = (case.opened_at, step.title)
                if not step.done:
                    skips[step.key] += 1
        steps = sorted(
            (StepSkips(k, titles[k][1], n) for k, n in skips.items()),
            key=lambda s: (-s.skipped, order[s.key], s.key),
        )
        rows.append(
            PlaybookFigures(
                key=key,
                cases=started[key],
                closed=ended[key],
                skipped=sum(skips.values()),
                steps=tuple(steps),
                minutes=sum(case.minutes_spent for case in closed if case.playbook == key),
            )
        )
    rows.sort(key=lambda row: (-row.cases, -row.closed, row.key))
    return tuple(rows)


def compute(
    cases: Iterable[Case],
    period: Period,
    now: datetime,
    *,
    week_start: int,
    targets: Targets,
) -> Insight:
    """Every figure for ``period`` ending at ``now``, over ``cases`` (read, never changed).

    ``week_start`` is the first day of the week (0 = Monday); ``targets`` the response
    targets by heat the cases are measured against.
    """
    span = window(period, now, week_start)
    every = list(cases)
    opened = [c for c in every if c.opened_at in span]
    closed = [c for c in every if c.status is Status.CLOSED and c.closed_at in span]
    awaiting = sum(1 for c in opened if first_contact_late(c, targets, now))
    first_contact = Durations.of(
        c.first_contact_at - c.opened_at
        for c in every
        if c.first_contact_at is not None and c.first_contact_at in span
    )
    resolution = Durations.of(
        when - c.opened_at - time_waiting(c, when)
        for c in every
        if (when := resolution_time(c)) is not None and when in span
    )
    outcomes = tuple(
        OutcomeFigures(
            outcome=outcome,
            cases=len(ended := [c for c in closed if c.outcome is outcome]),
            cost=sum((_remedy_cost(c) for c in ended), Decimal(0)),
            without_remedy=sum(1 for c in ended if c.remedy is None),
            minutes=sum(c.minutes_spent for c in ended),
        )
        for outcome in Outcome
    )
    logged = sum(t.minutes for c in every for t in c.time_spent if t.started_at in span)
    return Insight(
        period=period,
        window=span,
        opened=len(opened),
        closed=len(closed),
        awaiting_contact=awaiting,
        targets=targets,
        target_figures=_target_figures(every, span, now, targets),
        first_contact=first_contact,
        resolution=resolution,
        outcomes=outcomes,
        followups=_followups(every, span, now),
        playbooks=_playbooks(opened, closed),
        made_right=_made_right(every, span),
        satisfaction=_satisfaction(closed),
        minutes_logged=logged,
    )


def _target_figures(
    cases: list[Case], span: Window, now: datetime, targets: Targets
) -> tuple[TargetFigures, ...]:
    """Each kind of target, met and missed, counted in the period it was decided in."""
    tally: dict[tuple[Kind, Heat], list[int]] = {
        (kind, heat): [0, 0] for kind in Kind for heat in reversed(Heat)
    }
    for case in cases:
        for target in (
            first_contact_target(case, targets),
            resolution_target(case, targets, now),
        ):
            decided = target.decided_at(now)
            if decided is not None and decided in span:
                tally[target.kind, target.heat][0 if target.met else 1] += 1
    return tuple(
        TargetFigures(
            kind,
            tuple(
                TargetLine(heat, targets.span(kind, heat), *tally[kind, heat])
                for heat in reversed(Heat)
            ),
        )
        for kind in Kind
    )


def step_titles(steps: Sequence[StepSkips], shown: int = 3) -> str:
    """Quoted step titles, at most ``shown`` of them: “Listen”, “Apologise” and 2 more.

    The titles are returned as written; callers make them safe to show.
    """
    quoted = [f"“{step.title}”" for step in steps[:shown]]
    more = len(steps) - len(quoted)
    if more > 0:
        return ", ".join(quoted) + f" and {more} more"
    return ", ".join(quoted)


def money(amount: Decimal) -> str:
    """An amount as the rest of the workbench shows remedy costs: two decimals, no symbol."""
    return f"{amount:.2f}"
