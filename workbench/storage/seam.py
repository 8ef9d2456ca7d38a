"""The storage seam: what the screen and the command line need of any place cases are kept.

:class:`CaseRepository` is the whole of it. :class:`~workbench.storage.CaseStore` (one
TinyDB file, shared between processes) is the first backend; another (a database server)
implements the same methods and keeps the same promises, which the contract tests in
``tests/unit/storage/contract`` check for every backend alike. The file's own extras (backups,
restore, doctor) stay beside the file store, outside the seam.

Every promise is about *handles*: each ``CaseRepository`` object is one handle on the
cases, and other handles (another workbench, the command line, another thread's store)
may be changing the same cases at the same time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, TypeVar

from workbench.domain.actions import CaseDraft
from workbench.domain.customers import Customer, customers_from_cases
from workbench.domain.model import Case
from workbench.domain.playbooks import Playbook
from workbench.storage.customer_records import customer_from_record, customer_to_record
from workbench.storage.errors import ChangeRefused, StoreError
from workbench.storage.records import OutOfBounds, RecordError, check_case_records

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What other handles changed since this one last looked (:meth:`CaseRepository.changes`)."""

    cases: list[Case] = field(default_factory=list)
    """The cases changed or added, whole, as saved."""
    everything: bool = False
    """Read every case again (:meth:`CaseRepository.all_cases`): the store can't say which
    changed, or too many did. ``cases`` is then empty. Customers too."""
    customers: bool = False
    """A customer's record changed: read them again (:meth:`CaseRepository.customers`)."""


class CaseRepository(Protocol):
    """Cases kept where every handle sees every saved change, and no change is lost.

    Refusals are :class:`~workbench.storage.errors.StoreError` subclasses (a case not
    found, a change refused, the store unreadable, busy or failing to write), each a
    sentence for a person; anything else raised is a bug.
    """

    @property
    def location(self) -> str:
        """Where the cases are, in words a person recognises (a file's path, a server's
        name): shown in the title bar, never parsed."""
        ...

    @property
    def database_file(self) -> Path | None:
        """The file on this machine the cases are kept in, if there is one: an export is
        never written over it or the files kept beside it. None when there is no file."""
        ...

    # -- reading -----------------------------------------------------------------------
    def count(self) -> int:
        """How many cases there are; cheap, and the first read: a store that can't be
        read says so here."""
        ...

    def all_cases(self) -> list[Case]:
        """Every case, whole, as last saved by any handle."""
        ...

    def cases_for_followups(self) -> list[Case]:
        """Every case without its playbook steps (``steps`` empty), quicker to read: for
        follow-up lists and exports. Read-only: never hand one to :meth:`update`."""
        ...

    def case_heads(self) -> tuple[list[Case], list[object]]:
        """Every case without its steps and timeline (both empty), quick enough for a first
        screen, and opaque held records in the same order for :meth:`whole_cases`.

        Heads are read-only: never hand one to :meth:`update`.
        """
        ...

    def whole_cases(self, held: Sequence[object]) -> list[Case]:
        """The whole cases of records from :meth:`case_heads` (any of them, in any order):
        the same cases :meth:`all_cases` gave at that moment. Safe to call from another
        thread while this handle saves."""
        ...

    def get(self, case_id: str) -> Case:
        """One whole case, as last saved; :class:`CaseNotFound` when there is none."""
        ...

    def changed_elsewhere(self) -> bool:
        """True when another handle may have saved a change since this one last read or
        wrote: poll it, and read again when it says so. False right after this handle's
        own read or write, if no one else wrote since."""
        ...

    def changes(self) -> Changes | None:
        """What other handles changed since this one last asked, read or wrote, or None
        when nothing: only those cases where the store can tell which (a server's
        notices), else ``everything``, and the caller reads every case next. A store that
        can't be reached says so with :class:`StoreError`."""
        ...

    def fold(self, *, idle: float = 0.0) -> bool:
        """Put changes the store keeps aside into their lasting place, if any wait and
        none came for ``idle`` seconds (the file's journal of changes); True if some did.
        A screen calls it every few seconds from a worker thread; a server keeps nothing
        aside."""
        ...

    def watch(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` (from any thread, with no arguments) soon after another handle
        changes something, so a screen can ask :meth:`changes` at once. A store that
        can't tell never calls it, and the caller goes on asking from time to time."""
        ...

    def present(self, case_id: str | None, agent: str) -> None:
        """Say that ``agent`` has this case open on this handle's screen (None: none), so
        other screens on the same store can tell; a store that can't, ignores it."""
        ...

    def others_on(self, case_id: str) -> list[str]:
        """The agents whose screens have this case open now, besides this handle's ([] on
        a store that can't tell)."""
        ...

    def take_notices(self) -> list[str]:
        """What the last changes had to say besides success (a backup skipped, and why),
        each once: show them to the user."""
        ...

    # -- customers -----------------------------------------------------------------------
    def customers(self) -> list[Customer]:
        """Every customer's record, as last saved. A record is made in the same step as
        the first case of a customer, and a case opened (or edited) with a new contact
        puts it first on its customer's record."""
        ...

    def customer(self, name: str) -> Customer | None:
        """The record of the customer ``name`` names (case and blanks aside), or None."""
        ...

    def update_customer(self, name: str, change: Callable[[Customer], T]) -> tuple[Customer, T]:
        """Apply ``change`` to the freshest record of the customer ``name`` names (a new,
        blank one when there is none yet) and save it, atomically, as :meth:`update` does
        for a case: nothing is written when ``change`` raises or changes nothing."""
        ...

    def join_customers(self, gone: str, into: str) -> Customer:
        """Take the record of ``gone`` into that of ``into`` (two spellings of one customer,
        see :func:`~workbench.domain.customers.join_customers`) and remove it, in one
        step; returns ``into``'s record as saved. Their cases are renamed one by one
        with :meth:`update`."""
        ...

    # -- changing ----------------------------------------------------------------------
    def add(
        self,
        draft: CaseDraft,
        playbook: Playbook,
        now: datetime,
        *,
        contacted: bool | None = None,
        author: str = "",
    ) -> Case:
        """Open a new case and save it. Its id is handed out once, never twice, whichever
        handle asks, even for ids of cases no longer kept. ``author``, the agent opening
        it, owns it and signs its first events."""
        ...

    def add_many(self, cases: Sequence[Case]) -> list[Case]:
        """Save ready-made cases together (all or none), numbered after every id handed
        out so far; returns them with their ids."""
        ...

    def update(self, case_id: str, change: Callable[[Case], T]) -> tuple[Case, T]:
        """Apply ``change`` to the freshest copy of the case and save the result, atomically
        with the write: no other handle's change can come between the read and the write.

        Returns the case as saved and what ``change`` returned. When ``change`` raises,
        nothing is written and the error goes on; when it changes nothing, nothing is
        written either (no new revision). A result no reader could take back (a value past
        :mod:`workbench.domain.limits`) is refused with :class:`ChangeRefused`, unwritten.
        """
        ...

    def issued(self) -> int:
        """The highest case number ever handed out here (0 when none): a copy takes it
        along, so a number is never handed out twice, even for a case no longer kept."""
        ...

    def load_all(
        self,
        cases: Sequence[Case],
        issued: int,
        *,
        replace: bool = False,
        customers: Sequence[Customer] | None = None,
    ) -> None:
        """Put these whole cases in as they are (ids, revisions, timelines), all or none,
        and hand out numbers after ``issued`` from now on. A store that holds cases
        refuses with :class:`StoreError` unless ``replace``, which takes theirs out in
        the same step; numbers it handed out stay handed out.

        ``customers`` are put in as they are, in place of any held; None builds them from
        the cases' names (:func:`~workbench.domain.customers.customers_from_cases`)."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Changes made inside are saved together when it ends, or not at all if anything
        inside raises (the error goes on). A refusal caught inside spoils only its own
        change."""
        ...

    def close(self) -> None:
        """Let go of what the handle holds (open files, connections); safe to call twice."""
        ...


def check_storable(records: Mapping[str, object]) -> None:
    """Refuse, with :class:`ChangeRefused`, case records (by case number) that the strict
    reader would not take back: every backend calls it before it writes, so a record past
    the bounds is never written anywhere."""
    try:
        check_case_records(records)
    except RecordError as error:
        raise _refused(error, "a case") from None


def check_customers_storable(records: Iterable[Mapping[str, object]]) -> None:
    """Refuse, with :class:`ChangeRefused`, customer records the strict reader would not
    take back (every backend calls it before it writes one)."""
    try:
        for record in records:
            customer_from_record(record)
    except RecordError as error:
        raise _refused(error, "a customer") from None


def _refused(error: RecordError, what: str) -> ChangeRefused:
    if isinstance(error, OutOfBounds):
        return ChangeRefused(
            f"This change can't be saved: {error.problem}.", "Nothing was written."
        )
    return ChangeRefused(
        f"This change would store {what} the workbench can't read back ({error}).",
        "Nothing was written. This is a bug in the workbench; please report it.",
    )


def customers_to_load(
    cases: Sequence[Case], customers: Sequence[Customer] | None
) -> list[dict[str, object]]:
    """The customer records :meth:`CaseRepository.load_all` puts in: those given, or (None)
    built from the cases' names; checked, and refused when one customer comes twice."""
    if customers is None:
        customers = customers_from_cases(cases)
    records = [customer_to_record(customer) for customer in customers]
    check_customers_storable(records)
    if len({record["key"] for record in records}) != len(records):
        raise StoreError("These customer records name one customer twice; nothing was copied.")
    return records
