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
from workbench.domain.model import Case, format_case_id, parse_case_id
from workbench.domain.playbooks import Playbook
from workbench.storage import CaseNotFound, Changes, StoreError
from workbench.storage.records import case_from_record, case_to_record
from workbench.storage.seam import check_storable

T = TypeVar("T")
Records = dict[str, dict[str, Any]]


@dataclass
class Shared:
    """What every handle sees: the records by case number, the last number handed out,
    and how many writes there have been (what "changed elsewhere" compares)."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    records: Records = field(default_factory=dict)
    last_number: int = 0
    writes: int = 0


class MemoryRepository:
    location = "memory"
    database_file = None

    def __init__(self, shared: Shared) -> None:
        self._shared = shared
        self._seen = -1
        self._pending: Records | None = None

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
            self._save(records)
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
                self._save({str(number): after})
        return case, result

    def _save(self, records: Records) -> None:
        check_storable(records)
        if self._pending is not None:  # inside a batch: written at its end
            self._pending.update(records)
            return
        self._commit(records)

    def _commit(self, records: Records) -> None:
        if not records:
            return
        shared = self._shared
        shared.records.update(records)
        shared.last_number = max([shared.last_number, *(int(n) for n in records)])
        shared.writes += 1
        self._seen = shared.writes

    def issued(self) -> int:
        with self._shared.lock:
            return self._shared.last_number

    def load_all(self, cases: Sequence[Case], issued: int, *, replace: bool = False) -> None:
        records = {str(case.number): case_to_record(case) for case in cases}
        with self._shared.lock:
            shared = self._shared
            if shared.records and not replace:
                raise StoreError("The store already holds cases.")
            check_storable(records)
            numbers = [int(n) for n in records]
            shared.records = records
            shared.last_number = max(shared.last_number, issued, *numbers)
            shared.writes += 1
            self._seen = shared.writes

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._shared.lock:
            self._pending = {}
            try:
                yield
            except BaseException:
                self._pending = None
                raise
            pending, self._pending = self._pending, None
            self._commit(pending)

    def close(self) -> None:
        self._pending = None
