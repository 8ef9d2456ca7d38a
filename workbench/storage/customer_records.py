"""Customer records in storage: the same plain JSON record in the file's ``customers``
table and in the server's ``workbench.customers`` rows, read back as strictly as a case.

A record is ``{"key", "name", "contacts", "company", "channel", "notes", "flags",
"revision"}``; ``key`` is :func:`~workbench.domain.customers.customer_key` of the name,
kept so a store finds a customer without working it out for every record, and checked
against the name when read (a record whose key and name disagree is damaged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workbench.domain import limits
from workbench.domain.customers import MAX_DETAIL, Customer, customer_key, customers_from_names
from workbench.domain.model import Channel
from workbench.storage.record_reader import FieldReader, OutOfBounds, RecordError

Record = dict[str, Any]


def customer_to_record(customer: Customer) -> Record:
    return {
        "key": customer.key,
        "name": customer.name,
        "contacts": list(customer.contacts),
        "company": customer.company,
        "channel": None if customer.channel is None else customer.channel.value,
        "notes": customer.notes,
        "flags": list(customer.flags),
        "revision": customer.revision,
    }


def customer_from_record(data: object, where: str = "customer") -> Customer:
    """A stored record back into a customer; :class:`RecordError` names any damage."""
    r = FieldReader(data, where)
    name = r.text("name")
    r.where = f"the customer {name[:60]!r}"
    if not name.strip():
        raise RecordError(r.where, "the name is empty")
    key = r.text("key")
    if key != customer_key(name):
        raise RecordError(r.where, f"the key {key[:60]!r} does not belong to the name")
    channel = r.data.get("channel")
    customer = Customer(
        name=name,
        contacts=_lines(r, "contacts", MAX_DETAIL),
        company=_bounded(r, "company", MAX_DETAIL),
        channel=None if channel is None else r.choice("channel", Channel),
        notes=r.text("notes", ""),
        flags=_lines(r, "flags", limits.MAX_FLAG),
        revision=r.integer("revision", 0),
    )
    return customer


def _bounded(r: FieldReader, key: str, most: int) -> str:
    value = r.text(key, "")
    if len(value) > most:
        raise OutOfBounds(r.where, f"the field “{key}” is longer than {most} characters")
    return value


def _lines(r: FieldReader, key: str, most: int) -> list[str]:
    found = r.items(key)
    if len(found) > limits.MAX_CUSTOMER_ITEMS[key]:
        raise OutOfBounds(
            r.where,
            f"the field “{key}” has {len(found):,} entries, more than "
            f"{limits.MAX_CUSTOMER_ITEMS[key]}",
        )
    if not all(isinstance(item, str) for item in found):
        raise RecordError(r.where, f"the field “{key}” should hold only text")
    if any(len(item) > most for item in found):
        raise OutOfBounds(r.where, f"an entry of “{key}” is longer than {most} characters")
    return list(found)


def customers_from_table(table: Mapping[str, object]) -> list[Customer]:
    """Every record of a file's customers table (by document number), in that order."""
    return [customer_from_record(record) for _, record in sorted(table.items(), key=_number)]


def _number(item: tuple[str, object]) -> int:
    return int(item[0]) if item[0].isdigit() else 0


def check_customer_table(table: object) -> None:
    """Refuse a customers table any record of which can't be read back, or that holds
    one customer twice; :class:`RecordError` says which."""
    if not isinstance(table, Mapping):
        raise RecordError("the customers table", "it is not a table of records")
    seen: set[str] = set()
    for doc_id, record in table.items():
        if not isinstance(doc_id, str) or not doc_id.isdigit():
            raise RecordError("the customers table", f"the record {doc_id!r} is not numbered")
        customer = customer_from_record(record, f"customer record {doc_id}")
        if customer.key in seen:
            raise RecordError(f"the customer {customer.name[:60]!r}", "is recorded twice")
        seen.add(customer.key)


def customers_digest(customers: Iterable[Customer]) -> str:
    """A checksum of customer records whatever stores them, every field, in order of key."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for customer in sorted(customers, key=lambda c: c.key):
        record = customer_to_record(customer)
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def customer_records_from(cases: Iterable[tuple[object, object, object]]) -> list[Record]:
    """:func:`~workbench.domain.customers.customers_from_names` as records, from each
    case's number, customer and contact as stored (a file of schema 5, a server's layout
    3). Values that are not text are passed over: the strict reader names them when the
    cases are checked."""
    rows = [
        (int(str(number)), name, contact if isinstance(contact, str) else "")
        for number, name, contact in cases
        if isinstance(number, int | str) and str(number).isdigit() and isinstance(name, str)
    ]
    rows.sort(key=lambda row: -row[0])  # case numbers are handed out in order: newest first
    made = customers_from_names((name, contact) for _, name, contact in rows)
    return [customer_to_record(customer) for customer in made]
