"""Realistic sample cases, for trying the workbench out and for benchmarks.

The cases are built with the same domain functions a person's keystrokes go through,
so their timelines, steps and follow-ups look like real work. The same seed always
gives the same cases for the same ``now``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from workbench.domain import actions, time_spent
from workbench.domain.actions import CaseDraft
from workbench.domain.customers import CustomerEdit, customer_key
from workbench.domain.model import Case, Channel, Fault, Heat, Outcome, Resolution, Status
from workbench.domain.playbooks import PlaybookLibrary


@dataclass(frozen=True)
class _Complaint:
    title: str
    fault: Fault
    remedy: str
    cost: tuple[int, int]


_COMPLAINTS: Sequence[_Complaint] = (
    _Complaint(
        "Charged twice for the March invoice", Fault.OURS, "Refund the duplicate charge", (20, 400)
    ),
    _Complaint("Delivery arrived a week late", Fault.OURS, "Refund the shipping fee", (5, 30)),
    _Complaint("Technician missed the booked visit", Fault.OURS, "Free priority visit", (60, 150)),
    _Complaint(
        "Wrong size sent, second time", Fault.OURS, "Send the right size by express", (15, 60)
    ),
    _Complaint(
        "Says the contract allows free upgrades", Fault.THEIRS, "Upgrade at half price", (0, 120)
    ),
    _Complaint(
        "Wants a refund after the 90-day window", Fault.THEIRS, "Store credit instead", (0, 80)
    ),
    _Complaint("Blames us for their own install error", Fault.THEIRS, "Walk-through call", (0, 0)),
    _Complaint(
        "Misread the price on the quote", Fault.THEIRS, "Hold the old price one month", (0, 90)
    ),
    _Complaint(
        "Unhappy with the new opening hours", Fault.UNCLEAR, "Early appointment slot", (0, 0)
    ),
    _Complaint(
        "Support line kept them waiting an hour", Fault.OURS, "Direct number and apology", (0, 25)
    ),
    _Complaint(
        "Invoice does not match what sales promised",
        Fault.SHARED,
        "Split the difference",
        (50, 300),
    ),
    _Complaint(
        "Product stopped working after update", Fault.UNCLEAR, "Replacement unit", (40, 250)
    ),
    _Complaint("Rude reply from a member of staff", Fault.OURS, "Apology from the manager", (0, 0)),
    _Complaint(
        "Feels ignored after three e-mails", Fault.OURS, "Call back and a discount", (10, 50)
    ),
    _Complaint("Disputes the late-payment fee", Fault.SHARED, "Waive half the fee", (10, 40)),
    _Complaint(
        "Asks for features we never offered", Fault.THEIRS, "Point to a partner product", (0, 0)
    ),
    _Complaint(
        "Order cancelled without notice", Fault.OURS, "Reinstate order, free shipping", (10, 40)
    ),
    _Complaint("Says the repair made it worse", Fault.UNCLEAR, "Free second inspection", (30, 120)),
)

_FIRST = (
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Emeka",
    "Fatima",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zoë",
)
_LAST = (
    "Alvarez",
    "Brennan",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "O'Neill",
    "Patel",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umar",
    "Varga",
    "Weber",
    "Yamada",
    "Zielinski",
)
_COMPANIES = ("", "", "", " (Acme Ltd)", " (Northwind)", " (Bluebird Café)", " (Harbour Dental)")
_FOLLOWUP_ACTIONS = (
    "Call to check the refund arrived",
    "Confirm the replacement was delivered",
    "Ask whether the fix holds",
    "Call back with the manager's answer",
    "Check they are happy with the remedy",
    "Send the revised quote and talk it through",
)
_OUTCOMES = (
    Outcome.RETAINED,
    Outcome.RETAINED,
    Outcome.RETAINED_WITH_CONCESSION,
    Outcome.PARTED_WAYS,
    Outcome.LOST,
)
_RECENT = {Status.NEW: 0.01, Status.IN_PROGRESS: 0.08, Status.WAITING: 0.1}
"""How much of the 60 days back an open case of each status is spread over (most of them):
new ones within the last 15 hours or so, the others within about five days, so the list's
targets are a mix of running and missed, as on a working day."""

_PROMISED = timedelta(hours=2)
"""The soonest an open case's follow-up falls due after it was promised."""

_STATUS_WEIGHTS = (
    (Status.NEW, 3),
    (Status.IN_PROGRESS, 4),
    (Status.WAITING, 2),
    (Status.RESOLVED, 2),
    (Status.CLOSED, 3),
)


def _customer(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    name = f"{first} {last}{rng.choice(_COMPANIES)}"
    if rng.random() < 0.5:
        contact = f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
    else:
        domain = rng.choice(("example.com", "example.org", "mail.example.net"))
        contact = f"{first.lower()}.{last.lower().replace(chr(39), '')}@{domain}"
    return name, contact


def make_demo_cases(
    count: int, library: PlaybookLibrary, now: datetime, seed: int = 0
) -> list[Case]:
    """``count`` varied cases across every playbook, status and heat, opened in the past 60 days.

    Ids are placeholders; the store numbers the cases when it saves them.
    """
    rng = random.Random(seed)
    statuses = [status for status, weight in _STATUS_WEIGHTS for _ in range(weight)]
    # A fixed rotation of customers, so some customers come back with several cases.
    regulars = [_customer(rng) for _ in range(max(3, count // 4))]
    cases = []
    for index in range(count):
        complaint = rng.choice(_COMPLAINTS)
        name, contact = rng.choice(regulars) if rng.random() < 0.4 else _customer(rng)
        heat = rng.choice(list(Heat))
        channel = rng.choice(list(Channel))
        days, minutes = rng.uniform(0, 60), rng.randint(0, 600)
        tags = rng.sample(
            ["billing", "delivery", "repair", "vip", "contract", "staff"], k=rng.randint(0, 2)
        )
        status = rng.choice(statuses)
        if status.is_open and index % 5:  # most open cases are recent; every fifth lingers
            days *= _RECENT[status]
        opened = now - timedelta(days=days, minutes=minutes)
        opened = opened.replace(second=0, microsecond=0)
        draft = CaseDraft(
            title=complaint.title,
            customer=name,
            contact=contact,
            channel=channel,
            heat=heat,
            fault=complaint.fault,
            tags=tags,
        )
        playbook = library.suggest(heat, complaint.fault)
        case = actions.open_case(draft, f"C-{index + 1:04d}", playbook, opened)
        _work(case, rng, status, complaint, opened, now)
        cases.append(case)
    return cases


def _work(
    case: Case,
    rng: random.Random,
    target: Status,
    complaint: _Complaint,
    opened: datetime,
    now: datetime,
) -> None:
    """Play the case forward from ``opened`` to ``target``, never past ``now``."""
    span = max(now - opened, timedelta(minutes=5))
    clock = opened

    def later(share: float) -> datetime:
        nonlocal clock
        clock = min(clock + span * share * rng.uniform(0.2, 1.0), now)
        return clock

    if target is Status.NEW:
        if rng.random() < 0.5:
            due = now + timedelta(hours=rng.randint(-30, 72))
            at = later(0.1)
            actions.schedule_followup(case, max(due, at + _PROMISED), "Call them back", at)
        return
    if case.first_contact_at is None:
        actions.record_contact(case, later(0.1), Channel.PHONE)
    finished = target in (Status.RESOLVED, Status.CLOSED)
    todo = len(case.steps) if finished else rng.randint(1, max(1, len(case.steps) - 1))
    for index in range(todo):
        actions.set_step(case, index, True, later(0.08))
        if rng.random() < 0.3:
            actions.set_step_note(case, index, rng.choice(_NOTES), clock)
        if case.steps[index].contact:  # the call's length, from the case's own number
            minutes = 5 + (case.number * 7) % 40
            time_spent.log_time(case, minutes, clock, "", case.steps[index].key)
    if rng.random() < 0.7:
        low, high = complaint.cost
        cost = Decimal(rng.randint(low, high)) if high else Decimal(0)
        accepted = (
            None if target is Status.IN_PROGRESS and rng.random() < 0.5 else rng.random() < 0.85
        )
        actions.record_remedy(case, complaint.remedy, cost, accepted, later(0.1))
    followups = rng.randint(0, 2) if not finished else 1
    for _ in range(followups):
        # Open cases get follow-ups from two days overdue to two weeks ahead.
        due = now + timedelta(hours=rng.randint(-60, 24 * 14))
        due = due.replace(minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0)
        scheduled_at = later(0.05)
        if finished:
            due = min(due, scheduled_at + timedelta(days=2), now - timedelta(hours=1))
        else:  # never due before it was promised
            due = max(due, scheduled_at + _PROMISED)
        item = actions.schedule_followup(case, due, rng.choice(_FOLLOWUP_ACTIONS), scheduled_at)
        if finished:
            actions.complete_followup(
                case, item.id, later(0.1), "All good, they are happy", Resolution.RESOLVED
            )
    if target is Status.WAITING:
        actions.set_status(case, Status.WAITING, later(0.1))
    elif target is Status.RESOLVED:
        actions.set_status(case, Status.RESOLVED, later(0.1))
    elif target is Status.CLOSED:
        outcome = rng.choice(_OUTCOMES)
        actions.close_case(case, outcome, later(0.2), satisfied=_SATISFIED[outcome])


_SATISFIED = {  # what an agent could tell at the end, by how it ended
    Outcome.RETAINED: True,
    Outcome.RETAINED_WITH_CONCESSION: True,
    Outcome.PARTED_WAYS: None,
    Outcome.LOST: False,
}


_NOTES = (
    "Customer explained they had called twice before; frustrated at repeating it.",
    "Listened without interrupting; they calmed down after a few minutes.",
    "Real issue is the invoice, not the delay.",
    "Offered the alternative; they will think about it overnight.",
    "Explained the contract terms plainly; they accepted the reasoning.",
    "Apologised; they appreciated the call rather than an e-mail.",
)


_FLAGS = (
    "careful: threatened a chargeback",
    "posted a one-star review last time",
    "long-standing customer: keep them",
    "asked not to be called at work",
)
_CUSTOMER_NOTES = (
    ("Prefers a call after 5pm.", Channel.PHONE),
    ("Likes a written summary after each call.", Channel.PHONE),
    ("Ask for the practice manager, not reception.", Channel.IN_PERSON),
    ("Hard of hearing: write first, then call to confirm.", Channel.EMAIL),
)


def demo_customer_details(cases: Sequence[Case], seed: int = 0) -> list[tuple[str, CustomerEdit]]:
    """What the demo knows of its returning customers besides their cases: for about a
    third of those with more than one case, a flag, a note, how they prefer to be reached,
    and the company their name gives in brackets. Applied to their records after the
    cases are stored."""
    rng = random.Random(seed + 1)
    counts: dict[str, list[str]] = {}
    for case in cases:
        counts.setdefault(customer_key(case.customer), []).append(case.customer)
    details = []
    for names in counts.values():
        if len(names) < 2 or rng.random() > 0.35:
            continue
        name = names[0]
        notes, channel = rng.choice(_CUSTOMER_NOTES)
        company = name[name.index("(") + 1 : -1] if name.endswith(")") and "(" in name else None
        details.append(
            (
                name,
                CustomerEdit(
                    company=company,
                    channel=channel,
                    notes=notes,
                    add_flags=(rng.choice(_FLAGS),) if rng.random() < 0.5 else (),
                ),
            )
        )
    return details
