"""The file's schema version and the ordered migrations that bring old files up to date.

The version lives in the ``meta`` table (document 1) of the TinyDB file. A file
written by an older workbench is migrated in memory when read and saved in the new
shape on the next write; a file from a newer workbench is refused, never rewritten.

Versions:

1. Cases in the ``cases`` table, keyed by their number; the schema number in ``meta``.
2. ``meta`` also keeps ``last_case``, the highest case number ever issued. Closed cases
   may later be archived out of the working file; numbering from the highest case
   *still in the file* would then hand an archived case's number out again. The
   counter is written in the same atomic write as every change (see :func:`stamp`).
3. A built-in step's guidance may be left out (it comes from the playbook).
4. A case may have an ``owner`` and an event an ``author`` (agents' names), and the
   timeline an ``assigned`` event.
5. Follow-ups' results, whether the customer was satisfied, time spent on a case.
6. Customers have records of their own in the ``customers`` table (see
   :mod:`workbench.storage.customer_records`), one per customer, built from the names
   and contacts already on the cases when a version 5 file is brought up to date.
7. A follow-up may carry ``wakes`` (the case went waiting on the customer until then),
   ``every_days`` and ``repeats_left`` (a series: the next one follows when it is done).
8. A case may carry ``escalated_at``, and its timeline events of kind ``escalated``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from workbench.domain.limits import MAX_CASE_NUMBER

SCHEMA_VERSION = 8
META_TABLE = "meta"
META_DOC_ID = "1"
CASES_TABLE = "cases"
CUSTOMERS_TABLE = "customers"
LAST_CASE = "last_case"
"""The meta document's field holding the highest case number ever issued (schema 2)."""

Tables = dict[str, dict[str, Any]]
Migration = Callable[[Tables], Tables]


def highest_case_number(tables: Tables) -> int:
    """The highest case number in the cases table (0 when there are none)."""
    highest = 0
    for key in tables.get(CASES_TABLE, {}):
        if not key.isdigit():
            raise ValueError(f"the case record {key!r} is not numbered")
        highest = max(highest, int(key))
    return highest


def _add_case_counter(tables: Tables) -> Tables:
    """1 → 2: start the issued-case counter at the highest case number in the file."""
    upgraded = copy.deepcopy(tables)
    meta = upgraded.setdefault(META_TABLE, {})
    doc = meta.get(META_DOC_ID)
    doc = dict(doc) if isinstance(doc, dict) else {}
    doc[LAST_CASE] = highest_case_number(upgraded)
    doc["schema"] = 2
    meta[META_DOC_ID] = doc
    return upgraded


def _guidance_by_reference(tables: Tables) -> Tables:
    """2 → 3: nothing to change in the data; the number says what a version 2 reader lacks.

    From schema 3 a step of a built-in playbook may be stored without its guidance (the
    text comes from the playbook). A version 2 workbench would show such steps with no
    guidance and, on its next save, store them with an empty one; with the number raised
    it refuses the file and says to upgrade instead. Version 2 files are valid version 3
    files as they are.

    Only the meta table is copied: the cases are shared, not changed (a deep copy of a
    large file took seconds on every load until its next save).
    """
    upgraded = dict(tables)
    meta = dict(upgraded.get(META_TABLE, {}))
    upgraded[META_TABLE] = meta
    doc = meta.get(META_DOC_ID)
    doc = dict(doc) if isinstance(doc, dict) else {}
    doc["schema"] = 3
    meta[META_DOC_ID] = doc
    return upgraded


def _bump_only(version: int) -> Migration:
    """A migration with nothing to change in the data: only the number goes up, so that
    an older workbench, which would read the file and drop what it does not know on its
    next save, refuses it and says to upgrade instead.

    Only the meta table is copied: the cases are shared, not changed.
    """

    def bump(tables: Tables) -> Tables:
        upgraded = dict(tables)
        meta = dict(upgraded.get(META_TABLE, {}))
        upgraded[META_TABLE] = meta
        doc = meta.get(META_DOC_ID)
        doc = dict(doc) if isinstance(doc, dict) else {}
        doc["schema"] = version
        meta[META_DOC_ID] = doc
        return upgraded

    bump.__doc__ = f"→ {version}: nothing to change; a version {version - 1} reader lacks it."
    return bump


def _customer_records(tables: Tables) -> Tables:
    """5 → 6: a record for every customer named on a case, built from the cases (see
    :func:`~workbench.storage.customer_records.customer_records_from`). The cases
    themselves are shared, not changed: nothing on them is lost or moved."""
    from workbench.storage.customer_records import customer_records_from

    upgraded = _bump_only(6)(tables)
    cases = upgraded.get(CASES_TABLE, {})
    rows = (
        (number, record.get("customer"), record.get("contact"))
        for number, record in cases.items()
        if isinstance(record, dict)
    )
    records = customer_records_from(rows)
    upgraded[CUSTOMERS_TABLE] = {str(n): record for n, record in enumerate(records, start=1)}
    return upgraded


# MIGRATIONS[n] turns a version-n file into a version-(n + 1) file. Append, never edit.
MIGRATIONS: dict[int, Migration] = {
    1: _add_case_counter,
    2: _guidance_by_reference,
    3: _bump_only(4),  # owners and authors (a version 3 workbench would drop them)
    4: _bump_only(5),  # follow-ups' results, satisfaction, time spent (4 would drop them)
    5: _customer_records,
    6: _bump_only(7),  # follow-ups that wake a waiting case or repeat (6 would drop them)
    7: _bump_only(8),  # escalation (7 would refuse the event kind and drop the mark)
}


def file_version(tables: Tables) -> int:
    """The schema version a file says it has. A file without one is a fresh, empty file."""
    meta = tables.get(META_TABLE, {}).get(META_DOC_ID, {})
    version = meta.get("schema", SCHEMA_VERSION) if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"the schema version {version!r} in its meta table is not a number")
    return version


def last_case(tables: Tables) -> int:
    """The highest case number ever issued, as the meta table says (0 when it says nothing).

    Raises ValueError when the counter is there but is not a whole number ≥ 0.
    """
    meta = tables.get(META_TABLE, {}).get(META_DOC_ID, {})
    value = meta.get(LAST_CASE, 0) if isinstance(meta, dict) else 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"the last case number {value!r} in its meta table is not a number")
    if value > MAX_CASE_NUMBER:
        raise ValueError(
            f"the last case number in its meta table is past {MAX_CASE_NUMBER:,}, "
            "more than any workbench hands out"
        )
    return value


def issue_up_to(tables: Tables, number: int) -> None:
    """Count every case number up to ``number`` as handed out (the meta table's counter;
    :func:`stamp` keeps it from going down at the next write)."""
    meta = tables.setdefault(META_TABLE, {})
    doc = meta.get(META_DOC_ID)
    doc = dict(doc) if isinstance(doc, dict) else {}
    doc[LAST_CASE] = number
    meta[META_DOC_ID] = doc


def migrate(tables: Tables, version: int) -> Tables:
    """Apply every migration from ``version`` up to :data:`SCHEMA_VERSION`, in order."""
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration is known from schema version {version}")
        tables = step(tables)
        version += 1
    return tables


def stamp(tables: Tables) -> None:
    """Write the schema version and the issued-case counter into the meta table.

    Called on every write, so the counter travels in the same atomic write as the change
    that issued a number. It never goes down: it is the larger of what the meta table
    said and the highest case number in the file.
    """
    meta = tables.setdefault(META_TABLE, {})
    doc = meta.get(META_DOC_ID)
    if not isinstance(doc, dict):
        doc = {}
    counter = doc.get(LAST_CASE, 0)
    if not isinstance(counter, int) or isinstance(counter, bool) or counter < 0:
        counter = 0
    doc["schema"] = SCHEMA_VERSION
    doc.setdefault("app", "workbench")
    doc[LAST_CASE] = max(counter, highest_case_number(tables))
    meta[META_DOC_ID] = doc
