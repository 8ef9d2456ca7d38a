"""A backend kept in memory, in the tests only: proof that the contract suite asks for what
the seam promises, not for what a file happens to do. One lock stands in for a server's
transactions; records are checked with the product's rules before they are kept."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.customers import (
    Customer,
    customer_for_case,
    customer_key,
    join_customers,
)
from workbench.domain.model import Case, format_case_id, parse_case_id
from workbench.domain.playbooks import Playbook
from workbench.storage import CaseNotFound, Changes, StoreError
from workbench.storage.customer_records import customer_from_record, customer_to_record
from workbench.storage.records import case_from_record, case_to_record
from workbench.storage.seam import check_customers_storable, check_storable, customers_to_load

T = TypeVar("T")
Records = dict[str, dict[str, Any]]


@dataclass
class Shared:
    """What every handle sees: the records by case number, the last number handed out,
    and how many writes there have been (what "changed elsewhere" compares)."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    records: Records = field(default_factory=dict)
    customers: Records = field(default_factory=dict)
    """Customer records by key."""
    last_number: int = 0
    writes: int = 0


class MemoryRepository:
    location = "memory"
    database_file = None

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self._seen = -1
        self._pending: Records | None = None
        self._pending_customers: Records = {}

    # -- reading ---------------------------------------------------------------------
    def _records(self) -> list[dict[str, Any]]:
        with self._shared.lock:
            self._seen = self._shared.writes
            return [self._shared.records[n] for n in sorted(self._shared.records, key=int)]

    def count(self) -> int:
        return len(self._records())

    def all_cases(self) -> list[Case]:
        return [case_from_record(record) for record in self._records()]

    def cases_for_followups(self) -> list[Case]:
        return [replace(case, steps=[]) for case in self.all_cases()]

    def case_heads(self) -> tuple[list[Case], list[object]]:
        held = self._records()
        heads = [replace(case_from_record(r), steps=[], timeline=[]) for r in held]
        return heads, list(held)

    def whole_cases(self, held: Sequence[object]) -> list[Case]:
        return [case_from_record(record) for record in held]

    def get(self, case_id: str) -> Case:
        number = parse_case_id(case_id)
        with self._shared.lock:
            self._seen = self._shared.writes
            return case_from_record(self._record(number))

    def _record(self, number: int) -> dict[str, Any]:
        record = (self._pending or {}).get(str(number), self._shared.records.get(str(number)))
        if record is None:
            raise CaseNotFound(format_case_id(number))
        return record

    def changed_elsewhere(self) -> bool:
        return self._shared.writes != self._seen

    def fold(self, *, idle: float = 0.0) -> bool:
        return False

    def changes(self) -> Changes | None:
        return Changes(everything=True) if self.changed_elsewhere() else None

    def watch(self, wake: Callable[[], None]) -> None:
        pass

    def present(self, case_id: str | None, agent: str) -> None:
        pass

    def others_on(self, case_id: str) -> list[str]:
        return []

    def take_notices(self) -> list[str]:
        return []

    # -- customers -------------------------------------------------------------------
    def _customer_record(self, key: str) -> dict[str, Any] | None:
        return self._pending_customers.get(key, self._shared.customers.get(key))

    def customers(self) -> list[Customer]:
        with self._shared.lock:
            held = {**self._shared.customers, **self._pending_customers}
            return [customer_from_record(r) for r in held.values() if r is not None]

    def customer(self, name: str) -> Customer | None:
        with self._shared.lock:
            record = self._customer_record(customer_key(name))
            return None if record is None else customer_from_record(record)

    def _keep_customers(self, cases: Sequence[Case]) -> Records:
        changed: dict[str, Customer] = {}
        for case in cases:
            key = customer_key(case.customer)
            record = self._customer_record(key)
            known = changed.get(key) or (None if record is None else customer_from_record(record))
            saved = customer_for_case(known, case)
            if saved is not None:
                changed[key] = saved
        out = {}
        for key, customer in changed.items():
            customer.revision += 1
            out[key] = customer_to_record(customer)
        check_customers_storable(out.values())
        return out

    def update_customer(self, name: str, change: Callable[[Customer], T]) -> tuple[Customer, T]:
        key = customer_key(name)
        if not key:
            raise StoreError("A customer needs a name.")
        with self._shared.lock:
            record = self._customer_record(key)
            customer = (
                Customer(name=name.strip()) if record is None else customer_from_record(record)
            )
            before = customer_to_record(customer)
            result = change(customer)
            if customer_to_record(customer) != before:
                customer.revision += 1
                after = customer_to_record(customer)
                check_customers_storable([after])
                self._save({}, {key: after})
        return customer, result

    def join_customers(self, gone: str, into: str) -> Customer:
        gone_key, into_key = customer_key(gone), customer_key(into)
        with self._shared.lock:
            into_record, gone_record = (
                self._customer_record(into_key),
                self._customer_record(gone_key),
            )
            kept = (
                Customer(name=into.strip())
                if into_record is None
                else customer_from_record(into_record)
            )
            if gone_key == into_key or gone_record is None:
                return kept
            join_customers(kept, customer_from_record(gone_record))
            kept.revision += 1
            self._save({}, {into_key: customer_to_record(kept), gone_key: None})
        return kept

    # -- changing --------------------------------------------------------------------
    def _next_number(self) -> int:
        pending = [int(n) for n in self._pending or {}]
        return max([self._shared.last_number, *pending]) + 1

    def add(
        self,
        draft: CaseDraft,
        playbook: Playbook,
        now: datetime,
        *,
        contacted: bool | None = None,
        author: str = "",
    ) -> Case:
        case = open_case(draft, "C-0001", playbook, now, contacted=contacted, author=author)
        return self.add_many([case])[0]  # numbered under the lock, as any new case

    def add_many(self, cases: Sequence[Case]) -> list[Case]:
        with self._shared.lock:
            first = self._next_number()
            records = {}
            for offset, case in enumerate(cases):
                case.id, case.revision = format_case_id(first + offset), 1
                records[str(first + offset)] = case_to_record(case)
            self._save(records, self._keep_customers(cases))
        return list(cases)

    def update(self, case_id: str, change: Callable[[Case], T]) -> tuple[Case, T]:
        number = parse_case_id(case_id)
        with self._shared.lock:
            case = case_from_record(self._record(number))
            before = case_to_record(case)
            result = change(case)
            after = case_to_record(case)
            if after != before:
                case.revision += 1
                after["revision"] = case.revision
                moved = (before["customer"], before["contact"]) != (case.customer, case.contact)
                self._save({str(number): after}, self._keep_customers([case]) if moved else {})
        return case, result

    def _save(self, records: Records, customers: dict[str, Any]) -> None:
        check_storable(records)
        if self._pending is not None:  # inside a batch: written at its end
            self._pending.update(records)
            self._pending_customers.update(customers)
            return
        self._commit(records, customers)

    def _commit(self, records: Records, customers: dict[str, Any]) -> None:
        if not records and not customers:
            return
        shared = self._shared
        for key, record in customers.items():
            if record is None:
                shared.customers.pop(key, None)
            else:
                shared.customers[key] = record
        shared.records.update(records)
        shared.last_number = max([shared.last_number, *(int(n) for n in records)])
        shared.writes += 1
        self._seen = shared.writes

    def issued(self) -> int:
        with self._shared.lock:
            return self._shared.last_number

    def load_all(
        self,
        cases: Sequence[Case],
        issued: int,
        *,
        replace: bool = False,
        customers: Sequence[Customer] | None = None,
    ) -> None:
        records = {str(case.number): case_to_record(case) for case in cases}
        people = {record["key"]: record for record in customers_to_load(cases, customers)}
        with self._shared.lock:
            shared = self._shared
            if shared.records and not replace:
                raise StoreError("The store already holds cases.")
            check_storable(records)
            numbers = [int(n) for n in records]
            shared.records = records
            shared.customers = people
            shared.last_number = max(shared.last_number, issued, *numbers)
            shared.writes += 1
            self._seen = shared.writes

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._shared.lock:
            self._pending, self._pending_customers = {}, {}
            try:
                yield
            except BaseException:
                self._pending, self._pending_customers = None, {}
                raise
            pending, self._pending = self._pending, None
            customers, self._pending_customers = self._pending_customers, {}
            self._commit(pending, customers)

    def close(self) -> None:
        self._pending = None
