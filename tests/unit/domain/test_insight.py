"""Insight figures from a hand-built set of cases whose right answers are worked out here.

The cases are in tests/helpers/insight_data.py (its docstring lists them with the period windows).
NOW is Monday 23 Nov 2026, 14:30 +01:00, so the week starts today at 00:00.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from helpers.clock import NOW
from helpers.insight_data import at, followup, insight_cases, steps

from workbench.domain.insight import (
    DAYS_90,
    Durations,
    Insight,
    Period,
    StepSkips,
    Window,
    duration_words,
    nearest_rank,
    resolution_time,
    step_titles,
)
from workbench.domain.insight import (
    compute as compute_figures,
)
from workbench.domain.insight import (
    window as window_of,
)
from workbench.domain.model import Case, Outcome, Remedy, Status
from workbench.domain.targets import Targets
from workbench.settings import Settings

DEFAULTS = Settings()
"""The settings' defaults: the figures take the week's first day and the don't-wait
limit from the user's settings, and have no defaults of their own."""


def compute(
    cases: Iterable[Case],
    period: Period,
    now: datetime,
    *,
    week_start: int = DEFAULTS.first_weekday,
    targets: Targets = DEFAULTS.targets,
) -> Insight:
    return compute_figures(cases, period, now, week_start=week_start, targets=targets)


def window(period: Period, now: datetime, week_start: int = DEFAULTS.first_weekday) -> Window:
    return window_of(period, now, week_start)


MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def figures(period: Period, week_start: int = 0) -> Insight:
    return compute(insight_cases(), period, NOW, week_start=week_start)


def outcome_counts(insight: Insight) -> tuple[int, ...]:
    """Cases per outcome in the order retained, with concession, parted ways, lost."""
    return tuple(insight.outcome(outcome).cases for outcome in Outcome)


# -- the windows --------------------------------------------------------------------------


def test_windows_at_now() -> None:
    assert window(Period.WEEK, NOW) == Window(at(11, 23), NOW)  # NOW is a Monday
    assert window(Period.MONTH, NOW) == Window(at(11, 1), NOW)
    # 90 × 24 h before Mon 23 Nov 14:30 is Tue 25 Aug 14:30: from 25 Aug to 31 Aug is 6 days,
    # then September 30, October 31 and 23 days of November: 6 + 30 + 31 + 23 = 90.
    assert window(Period.DAYS_90, NOW) == Window(at(8, 25, 14, 30), NOW)
    assert at(8, 25, 14, 30) == NOW - DAYS_90
    assert window(Period.ALL, NOW) == Window(None, NOW)


@pytest.mark.parametrize(
    ("week_start", "first_day"),
    [(0, 23), (6, 22), (5, 21), (1, 17), (2, 18)],  # Mon, Sun, Sat, Tue, Wed
)
def test_the_week_starts_on_the_day_asked(week_start: int, first_day: int) -> None:
    assert window(Period.WEEK, NOW, week_start).start == at(11, first_day)


def test_a_week_start_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        window(Period.WEEK, NOW, 7)


def test_a_window_includes_both_ends() -> None:
    span = window(Period.WEEK, NOW)
    assert at(11, 23) in span
    assert NOW in span
    assert at(11, 22, 23, 59) not in span
    assert NOW + timedelta(seconds=1) not in span
    assert None not in span


# -- this week ------------------------------------------------------------------------------


def test_this_week() -> None:
    week = figures(Period.WEEK)
    # Opened: A at 00:00 (the first instant counts) and H. B (Sun 23:59) is before the week;
    # K (14:31) is after now.
    assert week.opened == 2
    # Closed: B at 10:00 today. C and D closed earlier in the month.
    assert week.closed == 1
    # Opened this week, open, never contacted, opened more than 4 hours ago: H (10:00, 4h 30m).
    assert week.awaiting_contact == 1
    assert week.targets == Targets()  # upset: 4 hours
    # First contact this week: A 00:00 → 02:00 = 2h; B Sun 23:59 → Mon 00:09 = 10m.
    # Sorted [10m, 2h]; median rank ⌈50% × 2⌉ = 1 → 10m; p90 rank ⌈90% × 2⌉ = 2 → 2h.
    assert week.first_contact == Durations(2, 10 * MIN, 2 * HOUR)
    # Resolution this week: B Sun 23:59 → Mon 09:00 = 9h 1m.
    assert week.resolution == Durations(1, 9 * HOUR + MIN, 9 * HOUR + MIN)
    assert outcome_counts(week) == (1, 0, 0, 0)
    # B's refund was accepted: 25.00.
    assert week.outcome(Outcome.RETAINED).cost == Decimal("25.00")
    assert week.cost == Decimal("25.00")
    assert week.without_remedy == 0
    # A's F1 (09:00, done 09:00:59: same minute), F2 (10:00, done 10:01), F3 (12:00, open),
    # F5 (cancelled). F4 is due at 16:00, E's F1 at 14:30 exactly: neither has had its time.
    f = week.followups
    assert (f.on_time, f.late, f.open_overdue, f.cancelled) == (1, 1, 1, 1)
    assert f.judged == 3
    # Playbooks: blame opened A, closed B; unhappy opened H. B skipped b2 and b3 (a tie).
    blame, unhappy = week.playbooks
    assert (blame.key, blame.cases, blame.closed, blame.skipped) == ("blame", 1, 1, 2)
    assert blame.most_skipped == (
        StepSkips("b2", "Step b2", 1),
        StepSkips("b3", "Step b3", 1),
    )
    assert (unhappy.key, unhappy.cases, unhappy.closed, unhappy.skipped) == ("unhappy", 1, 0, 0)
    assert unhappy.most_skipped == ()


def test_awaiting_contact_follows_the_first_contact_target() -> None:
    # H was opened at 10:00: 4h 30m ago. With 5 hours allowed it is not flagged yet.
    five = Targets.of(every_first_contact=5 * HOUR)
    week = compute(insight_cases(), Period.WEEK, NOW, targets=five)
    assert week.awaiting_contact == 0
    assert week.targets == five
    # E (25 Aug) is flagged whatever the limit within reason; H is not.
    assert compute(insight_cases(), Period.ALL, NOW, targets=five).awaiting_contact == 1


def test_a_week_starting_sunday_takes_in_b() -> None:
    week = figures(Period.WEEK, week_start=6)  # from Sun 22 Nov 00:00
    # A, B and H opened; B's follow-up (Sun 23:59, done 23:00) is now in it too.
    assert week.opened == 3
    assert week.followups.on_time == 2


# -- this month -----------------------------------------------------------------------------


def test_this_month() -> None:
    month = figures(Period.MONTH)
    # Opened: A, B, C (1 Nov 00:00, the first instant), H, I. D (31 Oct 23:59) is before.
    assert month.opened == 5
    # Closed: B (23 Nov), C (20 Nov), D (10 Nov: opened before the month, closed in it).
    assert month.closed == 3
    assert month.awaiting_contact == 1  # H
    # First contact in the month: A 2h, B 10m, C 0m, D 31 Oct 23:59 → 2 Nov 09:00 = 1d 9h 1m,
    # I 10:00 → 10:30 = 30m. Sorted [0, 10m, 30m, 2h, 1d 9h 1m]:
    # median rank ⌈2.5⌉ = 3 → 30m; p90 rank ⌈4.5⌉ = 5 → 1d 9h 1m.
    assert month.first_contact == Durations(5, 30 * MIN, DAY + 9 * HOUR + MIN)
    # Resolution in the month: B 9h 1m; C 1 Nov 00:00 → closed 20 Nov 12:00 (no resolved_at)
    # = 19d 12h; D 31 Oct 23:59 → 9 Nov 12:00 = 8d 12h 1m; I 15 Nov 10:00 → 20 Nov 15:00 =
    # 5d 5h. Sorted [9h 1m, 5d 5h, 8d 12h 1m, 19d 12h]: median rank 2 → 5d 5h (the lower
    # middle, not an average); p90 rank ⌈3.6⌉ = 4 → 19d 12h.
    assert month.resolution == Durations(4, 5 * DAY + 5 * HOUR, 19 * DAY + 12 * HOUR)
    # B retained, D parted ways, C lost.
    assert outcome_counts(month) == (1, 0, 1, 1)
    # B 25.00 accepted; C's 100.00 was declined (costs 0); D has no remedy.
    assert month.outcome(Outcome.RETAINED).cost == Decimal("25.00")
    assert month.outcome(Outcome.LOST).cost == Decimal(0)
    assert month.outcome(Outcome.PARTED_WAYS).cost == Decimal(0)
    assert month.outcome(Outcome.PARTED_WAYS).without_remedy == 1
    assert month.cost == Decimal("25.00")
    assert month.without_remedy == 1
    # The week's four, plus B's F1 (due Sun 23:59, done at 23:00): on time.
    f = month.followups
    assert (f.on_time, f.late, f.open_overdue, f.cancelled) == (2, 1, 1, 1)
    # blame: opened A, B; closed B, D. Skipped: B b2, b3; D b1, b2 → b2 twice, b1 and b3 once.
    # unhappy: opened H, I; none closed. our-mistake: opened and closed C, nothing skipped.
    blame, unhappy, ours = month.playbooks
    assert (blame.key, blame.cases, blame.closed, blame.skipped) == ("blame", 2, 2, 4)
    assert blame.steps == (
        StepSkips("b2", "Step b2", 2),
        StepSkips("b1", "Step b1", 1),
        StepSkips("b3", "Step b3", 1),
    )
    assert blame.most_skipped == (StepSkips("b2", "Step b2", 2),)
    assert (unhappy.key, unhappy.cases, unhappy.closed) == ("unhappy", 2, 0)
    assert (ours.key, ours.cases, ours.closed, ours.skipped) == ("our-mistake", 1, 1, 0)


# -- the last 90 days -----------------------------------------------------------------------


def test_last_90_days() -> None:
    days = figures(Period.DAYS_90)
    # Opened: A, B, C, D, E (25 Aug 14:30, the first instant), H, I. F (14:29) is before.
    assert days.opened == 7
    # Closed: B, C, D and F (1 Sep: opened before the 90 days, closed in them).
    assert days.closed == 4
    assert days.awaiting_contact == 2  # E and H
    # First contact: the month's five plus F 14:29 → 15:29 = 1h (contacted inside).
    # Sorted [0, 10m, 30m, 1h, 2h, 1d 9h 1m]: median rank 3 → 30m; p90 rank ⌈5.4⌉ = 6.
    assert days.first_contact == Durations(6, 30 * MIN, DAY + 9 * HOUR + MIN)
    # Resolution: the month's four plus F 25 Aug 14:29 → 1 Sep 09:00 = 7d − 5h 29m = 6d 18h 31m.
    # Sorted [9h 1m, 5d 5h, 6d 18h 31m, 8d 12h 1m, 19d 12h]: median rank 3; p90 rank 5.
    assert days.resolution == Durations(5, 6 * DAY + 18 * HOUR + 31 * MIN, 19 * DAY + 12 * HOUR)
    assert outcome_counts(days) == (1, 1, 1, 1)
    # F's 40.50 is still awaiting an answer: it counts. 25.00 + 40.50 = 65.50.
    assert days.outcome(Outcome.RETAINED_WITH_CONCESSION).cost == Decimal("40.50")
    assert days.cost == Decimal("65.50")
    # The month's five plus D's F1 (due 31 Oct 23:59, done 2 Nov): late.
    f = days.followups
    assert (f.on_time, f.late, f.open_overdue, f.cancelled) == (2, 2, 1, 1)
    # blame (3 opened: A, B, D; 2 closed), unhappy (3 opened: E, H, I), our-mistake
    # (1 opened: C; 2 closed: C, F with o2 skipped).
    assert [(p.key, p.cases, p.closed, p.skipped) for p in days.playbooks] == [
        ("blame", 3, 2, 4),
        ("unhappy", 3, 0, 0),
        ("our-mistake", 1, 2, 1),
    ]


# -- all time -------------------------------------------------------------------------------


def test_all_time() -> None:
    everything = figures(Period.ALL)
    # Every case but K, stamped a minute after now.
    assert everything.window.start is None
    assert everything.opened == 9
    assert everything.closed == 5  # B, C, D, F, G
    assert everything.awaiting_contact == 2  # E and H; not K
    # Plus G (contacted as it was opened: 0). Sorted [0, 0, 10m, 30m, 1h, 2h, 1d 9h 1m]:
    # median rank ⌈3.5⌉ = 4 → 30m; p90 rank ⌈6.3⌉ = 7 → 1d 9h 1m.
    assert everything.first_contact == Durations(7, 30 * MIN, DAY + 9 * HOUR + MIN)
    # Plus G 10 Jan 09:00 → 1 Feb 09:00 = 22d. n = 6: median rank 3 → 6d 18h 31m; p90 rank
    # ⌈5.4⌉ = 6 → 22d.
    assert everything.resolution == Durations(6, 6 * DAY + 18 * HOUR + 31 * MIN, 22 * DAY)
    assert outcome_counts(everything) == (2, 1, 1, 1)
    # Retained: B 25.00 + G 10.00 = 35.00; in all 35.00 + 40.50 = 75.50.
    assert everything.outcome(Outcome.RETAINED).cost == Decimal("35.00")
    assert everything.cost == Decimal("75.50")
    f = everything.followups
    assert (f.on_time, f.late, f.open_overdue, f.cancelled) == (3, 2, 1, 1)  # plus G's F1
    assert [(p.key, p.cases, p.closed, p.skipped) for p in everything.playbooks] == [
        ("unhappy", 4, 1, 0),
        ("blame", 3, 2, 4),
        ("our-mistake", 2, 2, 1),
    ]


# -- no data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("period", list(Period))
def test_no_cases_gives_zeros_and_no_durations(period: Period) -> None:
    empty = compute([], period, NOW)
    assert (empty.opened, empty.closed, empty.awaiting_contact) == (0, 0, 0)
    assert empty.first_contact == Durations(0, None, None)
    assert empty.resolution == Durations(0, None, None)
    assert outcome_counts(empty) == (0, 0, 0, 0)
    assert empty.cost == Decimal(0)
    assert empty.followups.judged == 0
    assert empty.playbooks == ()


def test_a_quiet_week_has_no_durations_while_the_month_has() -> None:
    cases = [c for c in insight_cases() if c.opened_at < at(11, 20)]
    for case in cases:  # take out everything that happened this week
        if case.closed_at is not None and case.closed_at >= at(11, 23):
            case.closed_at = case.resolved_at = None
            case.status = Status.IN_PROGRESS
    week = compute(cases, Period.WEEK, NOW)
    assert week.first_contact.median is None
    assert week.resolution.p90 is None
    assert compute(cases, Period.MONTH, NOW).first_contact.median is not None


# -- rules one at a time ----------------------------------------------------------------------


def plain_case(**fields: object) -> Case:
    values: dict[str, object] = {
        "id": "C-0001",
        "title": "t",
        "customer": "c",
        "opened_at": at(11, 20, 9, 0),
        "playbook": "blame",
    }
    values.update(fields)
    return Case(**values)  # type: ignore[arg-type]


def test_a_reopened_case_is_neither_closed_nor_resolved() -> None:
    # Reopening clears closed_at; a stale resolved_at on an open case is ignored too.
    case = plain_case(status=Status.IN_PROGRESS, resolved_at=at(11, 21), closed_at=None)
    month = compute([case], Period.MONTH, NOW)
    assert resolution_time(case) is None
    assert month.closed == 0
    assert month.resolution.count == 0


def test_a_resolved_case_counts_its_resolution_but_not_as_closed() -> None:
    case = plain_case(status=Status.RESOLVED, resolved_at=at(11, 21, 9, 0))
    month = compute([case], Period.MONTH, NOW)
    assert month.resolution == Durations(1, DAY, DAY)  # 20 Nov 09:00 → 21 Nov 09:00
    assert month.closed == 0


def test_a_contact_stamped_before_opening_counts_as_zero() -> None:
    case = plain_case(first_contact_at=at(11, 20, 8, 0))  # an hour before opening
    assert compute([case], Period.MONTH, NOW).first_contact == Durations(1, MIN * 0, MIN * 0)


def test_missing_and_declined_remedies_cost_nothing() -> None:
    closed = {"status": Status.CLOSED, "closed_at": at(11, 21), "outcome": Outcome.LOST}
    cases = [
        plain_case(id="C-0001", remedy=None, **closed),
        plain_case(id="C-0002", remedy=Remedy("x", Decimal("12.34"), accepted=False), **closed),
        plain_case(id="C-0003", remedy=Remedy("y", Decimal("0"), accepted=True), **closed),
        plain_case(id="C-0004", remedy=Remedy("z", Decimal("7.66"), accepted=True), **closed),
    ]
    lost = compute(cases, Period.MONTH, NOW).outcome(Outcome.LOST)
    # Only C-0004 costs anything: 7.66. Only C-0001 has no remedy at all.
    assert (lost.cases, lost.cost, lost.without_remedy) == (4, Decimal("7.66"), 1)


def test_on_time_is_judged_to_the_minute() -> None:
    due = at(11, 20, 10, 0)
    case = plain_case(
        followups=[
            followup(1, due, done=at(11, 20, 9, 0)),  # early
            followup(2, due, done=at(11, 20, 10, 0, 0)),  # on the dot
            followup(3, due, done=at(11, 20, 10, 0, 59)),  # inside the due minute
            followup(4, due, done=at(11, 20, 10, 1, 0)),  # the next minute: late
            followup(5, due, done=at(11, 22, 10, 0)),  # two days late
        ]
    )
    f = compute([case], Period.MONTH, NOW).followups
    assert (f.on_time, f.late, f.open_overdue) == (3, 2, 0)


def test_the_latest_title_of_a_step_is_shown() -> None:
    closed = {"status": Status.CLOSED, "closed_at": at(11, 21), "outcome": Outcome.RETAINED}
    older = plain_case(id="C-0001", opened_at=at(11, 2), steps=steps("b", None), **closed)
    newer = plain_case(id="C-0002", opened_at=at(11, 5), steps=steps("b", None), **closed)
    newer.steps[0].title = "Renamed step"
    [blame] = compute([newer, older], Period.MONTH, NOW).playbooks
    assert blame.steps == (StepSkips("b1", "Renamed step", 2),)


def test_compute_changes_no_case() -> None:
    cases = insight_cases()
    before = repr(cases)
    for period in Period:
        compute(cases, period, NOW)
    assert repr(cases) == before


def test_now_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        compute([], Period.WEEK, datetime(2026, 11, 23, 14, 30))


# -- the percentile method ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        ([], 50, None),
        ([7], 50, 7),
        ([7], 90, 7),
        ([1, 2], 50, 1),  # rank ⌈1.0⌉ = 1
        ([1, 2, 3, 4], 50, 2),  # the lower middle: rank 2, never the average 2.5
        ([1, 2, 3, 4, 5], 50, 3),  # rank ⌈2.5⌉ = 3
        (list(range(1, 11)), 90, 9),  # rank ⌈9.0⌉ = 9
        (list(range(1, 12)), 90, 10),  # rank ⌈9.9⌉ = 10
        (list(range(1, 21)), 90, 18),  # rank 18
        (list(range(1, 10)), 90, 9),  # rank ⌈8.1⌉ = 9: the largest
        ([1, 2, 3], 0, 1),  # at least rank 1
        ([1, 2, 3], 100, 3),
    ],
)
def test_nearest_rank(values: list[int], percent: int, expected: int | None) -> None:
    assert nearest_rank(values, percent) == expected


def test_a_percentile_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        nearest_rank([1], 101)


def test_durations_are_sorted_before_ranking() -> None:
    assert Durations.of([3 * HOUR, MIN, 2 * HOUR]) == Durations(3, 2 * HOUR, 3 * HOUR)


# -- words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (None, "—"),
        (timedelta(0), "0m"),
        (timedelta(seconds=59), "0m"),
        (45 * MIN, "45m"),
        (2 * HOUR, "2h"),
        (2 * HOUR + 10 * MIN + timedelta(seconds=30), "2h 10m"),
        (DAY, "1d"),
        (3 * DAY + 4 * HOUR + 59 * MIN, "3d 4h"),
        (40 * DAY + HOUR, "40d 1h"),
        (-HOUR, "0m"),
    ],
)
def test_duration_words(span: timedelta | None, words: str) -> None:
    assert duration_words(span) == words


def test_step_titles_lists_three_then_counts_the_rest() -> None:
    listed = [StepSkips(f"s{n}", f"Step {n}", 1) for n in range(1, 6)]
    assert step_titles(listed[:2]) == "“Step 1”, “Step 2”"
    assert step_titles(listed) == "“Step 1”, “Step 2”, “Step 3” and 2 more"
