"""A hand-built set of cases around NOW (Mon 23 Nov 2026, 14:30 +01:00) for the insight figures.

The right answers for every period are worked out by hand in tests/unit/domain/test_insight.py;
the command-line and screen tests reuse the same cases. Every time is at +01:00.

Period windows at NOW (week starting Monday):
  week   Mon 23 Nov 00:00 → NOW
  month  Sun  1 Nov 00:00 → NOW
  90d    Tue 25 Aug 14:30 → NOW   (NOW − 90 × 24 h)
  all    everything up to NOW

  case  opened           where it sits                    status / outcome
  A     23 Nov 00:00     first instant of the week        in progress
  B     22 Nov 23:59     one minute before the week       closed 23 Nov 10:00, retained
  C      1 Nov 00:00     first instant of the month       closed 20 Nov 12:00, lost
  D     31 Oct 23:59     one minute before the month      closed 10 Nov 12:00, parted ways
  E     25 Aug 14:30     first instant of the 90 days     new, never contacted
  F     25 Aug 14:29     one minute before the 90 days    closed  1 Sep 10:00, with concession
  G     10 Jan 09:00     only in "all"                    closed  1 Feb 10:00, retained
  H     23 Nov 10:00     this week                        new, never contacted (e-mail)
  I     15 Nov 10:00     this month                       resolved 20 Nov 15:00
  K     23 Nov 14:31     one minute after NOW: never counted   new, never contacted
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from workbench.domain.model import Case, Channel, FollowUp, Outcome, Remedy, Status, Step

CET = timezone(timedelta(hours=1))


def at(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=CET)


def steps(prefix: str, *done: datetime | None) -> list[Step]:
    """Steps ``<prefix>1``, ``<prefix>2``, … titled "Step <prefix>1", done at the times given."""
    return [
        Step(key=f"{prefix}{n}", title=f"Step {prefix}{n}", guidance="", done_at=when)
        for n, when in enumerate(done, 1)
    ]


def followup(number: int, due: datetime, *, done: datetime | None = None) -> FollowUp:
    return FollowUp(id=number, due=due, action=f"Call back {number}", done_at=done)


def insight_cases() -> list[Case]:
    """The cases described in this module's docstring, fresh each call."""
    a = Case(
        id="C-0001",
        title="A: still being worked",
        customer="Ana",
        opened_at=at(11, 23, 0, 0),
        playbook="blame",
        status=Status.IN_PROGRESS,
        first_contact_at=at(11, 23, 2, 0),
        steps=steps("b", at(11, 23, 2, 0), None, None),
        followups=[
            followup(1, at(11, 23, 9, 0), done=at(11, 23, 9, 0, 59)),  # same minute: on time
            followup(2, at(11, 23, 10, 0), done=at(11, 23, 10, 1)),  # a minute after: late
            followup(3, at(11, 23, 12, 0)),  # open, its time has passed: overdue
            followup(4, at(11, 23, 16, 0)),  # later today: not judged yet
            FollowUp(
                id=5,
                due=at(11, 23, 11, 0),
                action="Cancelled call",
                cancelled_at=at(11, 23, 8, 0),
            ),
        ],
    )
    b = Case(
        id="C-0002",
        title="B: closed this week, opened just before it",
        customer="Ben",
        opened_at=at(11, 22, 23, 59),
        playbook="blame",
        status=Status.CLOSED,
        outcome=Outcome.RETAINED,
        first_contact_at=at(11, 23, 0, 9),
        resolved_at=at(11, 23, 9, 0),
        closed_at=at(11, 23, 10, 0),
        remedy=Remedy("Refund", Decimal("25.00"), accepted=True),
        steps=steps("b", at(11, 23, 1, 0), None, None),  # b2 and b3 skipped
        followups=[followup(1, at(11, 22, 23, 59), done=at(11, 22, 23, 0))],  # early: on time
    )
    c = Case(
        id="C-0003",
        title="C: opened at the first instant of the month",
        customer="Chloé",
        opened_at=at(11, 1, 0, 0),
        playbook="our-mistake",
        status=Status.CLOSED,
        outcome=Outcome.LOST,
        first_contact_at=at(11, 1, 0, 0),
        resolved_at=None,  # an older record: the resolution is taken from closed_at
        closed_at=at(11, 20, 12, 0),
        remedy=Remedy("Discount", Decimal("100.00"), accepted=False),  # declined: costs 0
        steps=steps("o", at(11, 1, 0, 0), at(11, 2, 0, 0)),
    )
    d = Case(
        id="C-0004",
        title="D: opened a minute before the month",
        customer="Dev",
        opened_at=at(10, 31, 23, 59),
        playbook="blame",
        status=Status.CLOSED,
        outcome=Outcome.PARTED_WAYS,
        first_contact_at=at(11, 2, 9, 0),
        resolved_at=at(11, 9, 12, 0),
        closed_at=at(11, 10, 12, 0),
        remedy=None,
        steps=steps("b", None, None, at(11, 3, 0, 0)),  # b1 and b2 skipped
        followups=[followup(1, at(10, 31, 23, 59), done=at(11, 2, 9, 0))],  # late
    )
    e = Case(
        id="C-0005",
        title="E: opened at the first instant of the 90 days",
        customer="Emeka",
        opened_at=at(8, 25, 14, 30),
        playbook="unhappy",
        channel=Channel.EMAIL,
        status=Status.NEW,
        steps=steps("u", None),
        followups=[followup(1, at(11, 23, 14, 30))],  # due exactly NOW: not judged yet
    )
    f = Case(
        id="C-0006",
        title="F: opened a minute before the 90 days",
        customer="Fatima",
        opened_at=at(8, 25, 14, 29),
        playbook="our-mistake",
        status=Status.CLOSED,
        outcome=Outcome.RETAINED_WITH_CONCESSION,
        first_contact_at=at(8, 25, 15, 29),
        resolved_at=at(9, 1, 9, 0),
        closed_at=at(9, 1, 10, 0),
        remedy=Remedy("Half price", Decimal("40.50"), accepted=None),  # awaiting: counts
        steps=steps("o", at(8, 25, 15, 29), None),  # o2 skipped
    )
    g = Case(
        id="C-0007",
        title="G: in January",
        customer="Grace",
        opened_at=at(1, 10, 9, 0),
        playbook="unhappy",
        status=Status.CLOSED,
        outcome=Outcome.RETAINED,
        first_contact_at=at(1, 10, 9, 0),
        resolved_at=at(2, 1, 9, 0),
        closed_at=at(2, 1, 10, 0),
        remedy=Remedy("Gift card", Decimal("10.00"), accepted=True),
        steps=steps("u", at(1, 10, 9, 0)),
        followups=[followup(1, at(2, 1, 9, 0), done=at(1, 31, 9, 0))],  # early: on time
    )
    h = Case(
        id="C-0008",
        title="H: written complaint this morning, nobody has answered",
        customer="Hiro",
        opened_at=at(11, 23, 10, 0),
        playbook="unhappy",
        channel=Channel.EMAIL,
        status=Status.NEW,
        steps=steps("u", None),
    )
    i = Case(
        id="C-0009",
        title="I: resolved, not closed",
        customer="Ines",
        opened_at=at(11, 15, 10, 0),
        playbook="unhappy",
        status=Status.RESOLVED,
        first_contact_at=at(11, 15, 10, 30),
        resolved_at=at(11, 20, 15, 0),
        steps=steps("u", at(11, 15, 10, 30)),
    )
    k = Case(
        id="C-0010",
        title="K: stamped a minute after now by a clock running ahead",
        customer="Kofi",
        opened_at=at(11, 23, 14, 31),
        playbook="blame",
        status=Status.NEW,
        steps=steps("b", None, None, None),
    )
    return [a, b, c, d, e, f, g, h, i, k]
