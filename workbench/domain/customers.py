"""A customer across their cases: who they are to us, at a glance.

A customer is known by their name as written on their cases, case and runs of blanks
aside (:func:`customer_key`: "ana  chen" is Ana Chen; accents count, so "Zoe" and "Zoë"
are told apart, and :func:`similar_names` points out the near miss). From their cases
:func:`relationship` tells what the agent needs beside the case in front of them: the
earlier cases and how they ended, what we have already given (so the same discount is
not given twice unknowingly) and what we have promised and not yet done.

Two spellings of one customer are joined with :func:`rename_customer` on each case of
the spelling that goes: every case is kept, and says on its timeline that it was joined.

Beside what the cases tell, each customer has a record of their own (:class:`Customer`):
their contacts, company, preferred channel, notes ("prefers a call after 5pm") and flags
("careful: threatened a chargeback"). A record is made when their first case is opened
(and, for files from before records, from the names already on the cases); opening a
case with a contact not yet on the record adds it there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

from workbench.domain import limits
from workbench.domain.drafts import one_line
from workbench.domain.errors import DomainError
from workbench.domain.model import Case, Channel, Event, EventKind, FollowUp, Outcome, Remedy

MAX_DETAIL = 200
"""Characters in a customer's company or one of their contacts."""


def customer_key(name: str) -> str:
    """What tells one customer from another: the name, case and runs of blanks aside."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Concession:
    """A remedy on one of the customer's cases: given (accepted) or still offered."""

    case_id: str
    remedy: Remedy


@dataclass(frozen=True)
class Relationship:
    """One customer as their cases tell it."""

    name: str
    """Their name as best written: the spelling on most of their cases (see
    :func:`best_spelling`)."""
    cases: tuple[Case, ...]
    """Every case of theirs, the newest opened first."""
    spellings: tuple[str, ...]
    """Every way their name is written on those cases, the newest first."""

    def earlier(self, case_id: str) -> tuple[Case, ...]:
        """Their cases other than ``case_id``."""
        return tuple(case for case in self.cases if case.id != case_id)

    @property
    def given(self) -> tuple[Concession, ...]:
        """Remedies they accepted, on any case: what we have already given them."""
        return tuple(
            Concession(case.id, case.remedy)
            for case in self.cases
            if case.remedy is not None and case.remedy.accepted is True
        )

    @property
    def offered(self) -> tuple[Concession, ...]:
        """Remedies still waiting for their answer."""
        return tuple(
            Concession(case.id, case.remedy)
            for case in self.cases
            if case.remedy is not None and case.remedy.accepted is None
        )

    @property
    def given_cost(self) -> Decimal:
        return sum((item.remedy.cost for item in self.given), Decimal(0))

    @property
    def open_followups(self) -> tuple[tuple[str, FollowUp], ...]:
        """Every promise not kept yet, on any of their cases, the soonest first."""
        found = [(case.id, item) for case in self.cases for item in case.open_followups]
        return tuple(sorted(found, key=lambda pair: pair[1].due))


def relationship(cases: Iterable[Case], name: str) -> Relationship:
    """The customer named ``name``, from every case of theirs among ``cases``."""
    key = customer_key(name)
    theirs = sorted(
        (case for case in cases if customer_key(case.customer) == key),
        key=lambda case: case.opened_at,
        reverse=True,
    )
    spellings = tuple(dict.fromkeys(case.customer for case in theirs))
    return Relationship(
        name=best_spelling([case.customer for case in theirs]) if theirs else name.strip(),
        cases=tuple(theirs),
        spellings=spellings,
    )


def best_spelling(names: Sequence[str]) -> str:
    """Of the ways one customer's name is written (the newest first), the one to show: the
    most used; of those used as often, one written in mixed case ("Ana Chen" over "ana
    chen" and "ANA CHEN"); then the newest."""
    counts = Counter(names)
    order = {name: position for position, name in reversed(list(enumerate(names)))}
    return min(
        counts,
        key=lambda name: (-counts[name], name in (name.lower(), name.upper()), order[name]),
    )


def at_a_glance(rel: Relationship, case_id: str) -> str:
    """One line for the checklist: "2 earlier cases (1 retained, 1 lost) · given 79.90 in
    2 concessions · 1 more promise open (C-0004)"; empty for a first case with nothing
    else to say."""
    earlier = rel.earlier(case_id)
    parts = []
    if earlier:
        ended = Counter(case.outcome for case in earlier if case.outcome is not None)
        still = sum(1 for case in earlier if case.outcome is None)
        how = [
            f"{ended[outcome]} {outcome.label.split(' /')[0]}"
            for outcome in Outcome
            if ended[outcome]
        ]
        if still:
            how.append(f"{still} open")
        noun = "case" if len(earlier) == 1 else "cases"
        parts.append(f"{len(earlier)} earlier {noun} ({', '.join(how)})")
    given = [item for item in rel.given if item.case_id != case_id]
    if given:
        cost = sum((item.remedy.cost for item in given), Decimal(0))
        noun = "concession" if len(given) == 1 else "concessions"
        parts.append(f"given {cost:.2f} before in {len(given)} {noun}")
    elsewhere = [(cid, item) for cid, item in rel.open_followups if cid != case_id]
    if elsewhere:
        ids = ", ".join(dict.fromkeys(cid for cid, _ in elsewhere))
        noun = "promise" if len(elsewhere) == 1 else "promises"
        parts.append(f"{len(elsewhere)} {noun} open on {ids}")
    return " · ".join(parts)


class NameFinder:
    """The customers already known, ready to say which ones a typed name comes close to;
    built once (a form asks on every key typed)."""

    def __init__(self, known: Iterable[str]) -> None:
        self._by_key: dict[str, str] = {}
        for name in known:
            self._by_key.setdefault(customer_key(name), name)
        self._by_length: dict[int, list[str]] = {}
        for key in self._by_key:
            self._by_length.setdefault(len(key), []).append(key)

    def similar(self, typed: str, limit: int = 3) -> list[str]:
        """Names that ``typed`` comes close to without being one of them: "Ana Chne" →
        ["Ana Chen"]. Empty when ``typed`` is a known name. Only names within two letters
        of its length are compared (a near miss is a letter or two off)."""
        key = customer_key(typed)
        if not key or key in self._by_key:
            return []
        candidates = [
            other
            for length in range(len(key) - 2, len(key) + 3)
            for other in self._by_length.get(length, ())
        ]
        import difflib  # only a form or a miss asks; the rest of the module is everywhere

        close = difflib.get_close_matches(key, candidates, n=limit, cutoff=0.8)
        return [self._by_key[found] for found in close]


def similar_names(known: Iterable[str], typed: str, limit: int = 3) -> list[str]:
    """:meth:`NameFinder.similar` for a name typed once."""
    return NameFinder(known).similar(typed, limit)


def rename_customer(case: Case, name: str, now: datetime) -> bool:
    """Write the customer's name as ``name`` on ``case`` (joining two spellings of one
    customer); False when it already is written so."""
    new = name.strip()
    if not new:
        raise DomainError("A customer needs a name.")
    if case.customer == new:
        return False
    before = case.customer
    case.customer = new
    case.timeline.append(Event(now, EventKind.EDITED, f"Customer “{before}” joined with “{new}”"))
    return True


# -- the customer's own record ------------------------------------------------------------


@dataclass
class Customer:
    """A customer's record of their own: what no case holds alone."""

    name: str
    """Their name as the record writes it; :attr:`key` tells them apart."""
    contacts: list[str] = field(default_factory=list)
    """Phone numbers and addresses, the most recently used first."""
    company: str = ""
    channel: Channel | None = None
    """How they prefer to be reached (None: not known)."""
    notes: str = ""
    """What to know before talking with them ("prefers a call after 5pm")."""
    flags: list[str] = field(default_factory=list)
    """Short warnings shown beside every case of theirs ("careful: threatened a chargeback")."""
    revision: int = 0

    @property
    def key(self) -> str:
        return customer_key(self.name)

    @property
    def is_blank(self) -> bool:
        """Nothing known besides the name."""
        return not (self.contacts or self.company or self.channel or self.notes or self.flags)


def new_customer(name: str, contact: str = "") -> Customer:
    """The record of a customer first met on a case with this name and contact."""
    customer = Customer(name=name.strip())
    note_contact(customer, contact)
    return customer


def customers_from_cases(cases: Iterable[Case]) -> list[Customer]:
    """A record for every customer named on ``cases`` (see :func:`customers_from_names`;
    case numbers are handed out in order, so the highest is the newest)."""
    newest_first = sorted(cases, key=lambda case: case.number, reverse=True)
    return customers_from_names((case.customer, case.contact) for case in newest_first)


def customers_from_names(named: Iterable[tuple[str, str]]) -> list[Customer]:
    """A record for every customer among these (name, contact) pairs of their cases, the
    newest case first: the name as best written, the contacts the newest first, each on
    one line (one too long for a record stays on its case only); the customer met first
    comes first. How a store from before customer records is brought up to date."""
    names: dict[str, list[str]] = {}
    contacts: dict[str, list[str]] = {}
    oldest: dict[str, int] = {}  # how far down the list each was last met: their first case
    for position, (name, contact) in enumerate(named):
        key = customer_key(name)
        if not key:
            continue
        names.setdefault(key, []).append(name.strip())
        oldest[key] = position
        line = one_line(contact)
        if line and len(line) <= MAX_DETAIL:
            contacts.setdefault(key, []).append(line)
    most = limits.MAX_CUSTOMER_ITEMS["contacts"]
    return [
        Customer(
            name=best_spelling(spellings),
            contacts=list(dict.fromkeys(contacts.get(key, [])))[:most],
            revision=1,
        )
        for key, spellings in sorted(names.items(), key=lambda item: -oldest[item[0]])
    ]


def note_contact(customer: Customer, contact: str) -> bool:
    """Put a contact first on the record (a case was opened with it); False when it was
    already first. The oldest contacts go when there are too many; one too long to keep
    (past :data:`MAX_DETAIL`) stays on its case only."""
    contact = one_line(contact)
    if not contact or len(contact) > MAX_DETAIL:
        return False
    if customer.contacts and customer.contacts[0] == contact:
        return False
    rest = [known for known in customer.contacts if known != contact]
    customer.contacts = [contact, *rest][: limits.MAX_CUSTOMER_ITEMS["contacts"]]
    return True


def join_customers(into: Customer, gone: Customer) -> None:
    """Take ``gone``'s record into ``into`` (two spellings of one customer): contacts and
    flags together, notes one after the other; ``into``'s company and channel stand
    unless it has none."""
    into.contacts = list(dict.fromkeys([*into.contacts, *gone.contacts]))[
        : limits.MAX_CUSTOMER_ITEMS["contacts"]
    ]
    into.flags = _distinct([*into.flags, *gone.flags])[: limits.MAX_CUSTOMER_ITEMS["flags"]]
    into.company = into.company or gone.company
    into.channel = into.channel or gone.channel
    if gone.notes.strip() and gone.notes.strip() not in into.notes:
        into.notes = "\n".join(part for part in (into.notes.rstrip(), gone.notes.strip()) if part)


def _distinct(items: Iterable[str]) -> list[str]:
    """Items once each, case aside, in their first order."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def _one_line(text: str, what: str, most: int) -> str:
    value = one_line(text)
    if len(value) > most:
        raise DomainError(f"{what} is {len(value)} characters long; keep it within {most}.")
    return value


class Keep(Enum):
    KEEP = "keep"


KEEP = Keep.KEEP
"""For :func:`edit_customer`: leave the channel as it is."""


def edit_customer(
    customer: Customer,
    *,
    company: str | None = None,
    channel: Channel | Keep | None = KEEP,
    notes: str | None = None,
    contacts: Sequence[str] | None = None,
    flags: Sequence[str] | None = None,
) -> bool:
    """Change what is given (a channel of None: not known) after checking all of it, so
    a refusal changes nothing. Returns True when anything changed."""
    new_company = customer.company
    if company is not None:
        new_company = _one_line(company, "A company", MAX_DETAIL)
    new_channel = customer.channel if isinstance(channel, Keep) else channel
    new_notes = customer.notes if notes is None else notes.strip()
    if len(new_notes) > limits.MAX_TEXT:
        raise DomainError(f"The notes are longer than {limits.MAX_TEXT:,} characters.")
    new_contacts = customer.contacts
    if contacts is not None:
        lines = [_one_line(item, "A contact", MAX_DETAIL) for item in contacts]
        new_contacts = list(dict.fromkeys(item for item in lines if item))
        _within(new_contacts, "contacts")
    new_flags = customer.flags
    if flags is not None:
        lines = [_one_line(item, "A flag", limits.MAX_FLAG) for item in flags]
        new_flags = _distinct(item for item in lines if item)
        _within(new_flags, "flags")
    before = (customer.company, customer.channel, customer.notes, customer.contacts, customer.flags)
    after = (new_company, new_channel, new_notes, new_contacts, new_flags)
    if before == after:
        return False
    customer.company, customer.channel, customer.notes = new_company, new_channel, new_notes
    customer.contacts, customer.flags = list(new_contacts), list(new_flags)
    return True


def _within(items: Sequence[str], what: str) -> None:
    most = limits.MAX_CUSTOMER_ITEMS[what]
    if len(items) > most:
        raise DomainError(f"A customer can have at most {most} {what}; this makes {len(items)}.")


def flag_customer(customer: Customer, flag: str) -> bool:
    """Add a flag; False when it is already there (case aside)."""
    return edit_customer(customer, flags=[*customer.flags, flag])


def unflag_customer(customer: Customer, flag: str) -> bool:
    """Take a flag off, named by its words (case aside) or its number from 1."""
    wanted = flag.strip()
    if wanted.isdigit() and 1 <= int(wanted) <= len(customer.flags):
        gone = customer.flags[int(wanted) - 1]
    else:
        found = [item for item in customer.flags if item.casefold() == wanted.casefold()]
        if not found:
            listed = "; ".join(f"{n}. {item}" for n, item in enumerate(customer.flags, 1))
            raise DomainError(
                f"{customer.name} has no flag “{wanted}”"
                + (f" (their flags: {listed})." if listed else "; they have none.")
            )
        gone = found[0]
    return edit_customer(customer, flags=[item for item in customer.flags if item != gone])


def customer_for_case(known: Customer | None, case: Case) -> Customer | None:
    """The record to save once ``case`` is opened, or its customer or contact changed:
    a new one for a customer not met before, the known one with the case's contact put
    first; None when the record stands as it is."""
    if not customer_key(case.customer):
        return None
    if known is None:
        return new_customer(case.customer, case.contact)
    return known if note_contact(known, case.contact) else None


@dataclass(frozen=True)
class CustomerEdit:
    """What a form changed on a customer's record, as changes, not as the whole record:
    applied to the freshest record, it keeps what someone else changed meanwhile (a
    contact or flag they added stays; notes both wrote are both kept)."""

    company: str | None = None
    channel: Channel | Keep | None = KEEP
    notes: str | None = None
    notes_before: str = ""
    """The notes as the form showed them: if the record's differ now, both are kept."""
    add_contacts: tuple[str, ...] = ()
    drop_contacts: tuple[str, ...] = ()
    add_flags: tuple[str, ...] = ()
    drop_flags: tuple[str, ...] = ()

    def apply(self, customer: Customer) -> bool:
        notes = self.notes
        if notes is not None and customer.notes != self.notes_before:
            theirs, ours = customer.notes.strip(), notes.strip()
            notes = theirs if ours in theirs else "\n".join(p for p in (theirs, ours) if p)
        contacts = [c for c in customer.contacts if c not in self.drop_contacts]
        contacts = list(dict.fromkeys([*self.add_contacts, *contacts]))
        dropped = {flag.casefold() for flag in self.drop_flags}
        flags = [f for f in customer.flags if f.casefold() not in dropped]
        return edit_customer(
            customer,
            company=self.company,
            channel=self.channel,
            notes=notes,
            contacts=contacts,
            flags=[*flags, *self.add_flags],
        )


def edit_between(
    before: Customer,
    *,
    company: str,
    channel: Channel | None,
    notes: str,
    contacts: Sequence[str],
    flags: Sequence[str],
) -> CustomerEdit:
    """The edit that takes ``before`` to what a form holds now (one line per contact and
    flag), checked as :func:`edit_customer` checks it; raises :class:`DomainError`."""
    trial = Customer(
        before.name,
        list(before.contacts),
        before.company,
        before.channel,
        before.notes,
        list(before.flags),
    )
    edit_customer(
        trial, company=company, channel=channel, notes=notes, contacts=contacts, flags=flags
    )
    old_flags = {flag.casefold() for flag in before.flags}
    new_flags = {flag.casefold() for flag in trial.flags}
    return CustomerEdit(
        company=trial.company if trial.company != before.company else None,
        channel=trial.channel if trial.channel != before.channel else KEEP,
        notes=trial.notes if trial.notes != before.notes else None,
        notes_before=before.notes,
        add_contacts=tuple(c for c in trial.contacts if c not in before.contacts),
        drop_contacts=tuple(c for c in before.contacts if c not in trial.contacts),
        add_flags=tuple(f for f in trial.flags if f.casefold() not in old_flags),
        drop_flags=tuple(f for f in before.flags if f.casefold() not in new_flags),
    )
