"""What every backend keeps of customers' own records (issue 19, part 2): made with the
first case in the same step, contacts kept up as cases are opened, changed atomically on
the freshest record, two spellings joined, copied whole. Runs once per backend, on two
handles of one store, as the rest of the contract suite."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers.contract_backends import Handles

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.customers import (
    Customer,
    customer_key,
    edit_customer,
    flag_customer,
    rename_customer,
)
from workbench.domain.errors import DomainError
from workbench.domain.model import Channel
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseRepository, ChangeRefused


def open_for(
    store: CaseRepository, library: PlaybookLibrary, now: datetime, name: str, contact: str = ""
) -> str:
    draft = CaseDraft(title="Late delivery", customer=name, contact=contact)
    return store.add(draft, library.get("unhappy"), now).id


def test_the_first_case_makes_the_record_and_later_contacts_go_first(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    assert ours.customers() == [] and ours.customer("Ana Chen") is None
    open_for(ours, library, now, "Ana Chen", "+44 1")
    open_for(theirs, library, now, "ana  chen", "ana@example.com")  # the same customer
    open_for(ours, library, now, "ANA CHEN", "+44 1")
    open_for(theirs, library, now, "Bo Li")
    [ana, bo] = sorted(ours.customers(), key=lambda c: c.key)
    assert (ana.name, ana.contacts) == ("Ana Chen", ["+44 1", "ana@example.com"])
    assert (bo.name, bo.contacts, bo.is_blank) == ("Bo Li", [], True)
    assert theirs.customer("  ANA chen ") == ana


def test_a_case_renamed_to_a_new_customer_makes_their_record(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    case_id = open_for(ours, library, now, "Ana Chen")
    theirs.update(case_id, lambda c: rename_customer(c, "Cleo Park", now))
    assert ours.customer("cleo park") == Customer(name="Cleo Park", revision=1)
    ours.update(case_id, lambda c: actions.add_note(c, "a note", now))  # no customer change
    assert ours.customer("cleo park") == Customer(name="Cleo Park", revision=1)


def test_a_change_applies_to_the_freshest_record(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    open_for(ours, library, now, "Ana Chen", "+44 1")
    ours.customer("Ana Chen")  # our copy, before the other client's change
    theirs.update_customer("ana chen", lambda c: flag_customer(c, "threatened a chargeback"))
    saved, changed = ours.update_customer(
        "Ana Chen", lambda c: edit_customer(c, company="Harbour Dental", channel=Channel.PHONE)
    )
    assert changed is True
    assert saved.flags == ["threatened a chargeback"] and saved.company == "Harbour Dental"
    assert saved.revision == 3
    assert theirs.customer("Ana Chen") == saved
    # Nothing changed: nothing written, no new revision.
    again, changed = theirs.update_customer(
        "Ana Chen", lambda c: edit_customer(c, company=" Harbour Dental")
    )
    assert changed is False and again.revision == 3


def test_a_refused_change_writes_nothing_and_a_customer_without_cases_can_be_recorded(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    with pytest.raises(DomainError):
        ours.update_customer("Dee", lambda c: edit_customer(c, flags=["x" * 500]))
    assert theirs.customer("Dee") is None
    saved, _ = ours.update_customer("Dee", lambda c: edit_customer(c, notes="call after 5pm"))
    assert theirs.customer("dee") == saved and saved.notes == "call after 5pm"


def test_a_record_past_the_bounds_is_refused_unwritten(handles: Handles) -> None:
    ours, theirs = handles

    def too_many(customer: Customer) -> None:
        customer.flags = [f"flag {n}" for n in range(100)]  # past the rules, not through them

    with pytest.raises(ChangeRefused):
        ours.update_customer("Ana Chen", too_many)
    assert theirs.customer("Ana Chen") is None


def test_joining_two_spellings_keeps_both_records_in_one(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    open_for(ours, library, now, "Zoë Dubois", "+33 1")
    open_for(ours, library, now, "Zoe Dubois", "zoe@example.com")
    theirs.update_customer("Zoe Dubois", lambda c: flag_customer(c, "prefers e-mail"))
    kept = ours.join_customers("Zoe Dubois", "Zoë Dubois")
    assert kept.contacts == ["+33 1", "zoe@example.com"] and kept.flags == ["prefers e-mail"]
    assert [c.key for c in theirs.customers()] == [customer_key("Zoë Dubois")]
    assert theirs.customer("Zoë Dubois") == kept


def test_a_copy_takes_the_records_along(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    open_for(ours, library, now, "Ana Chen", "+44 1")
    ours.update_customer("Ana Chen", lambda c: flag_customer(c, "careful"))
    cases, people = ours.all_cases(), ours.customers()
    theirs.load_all(cases, ours.issued(), replace=True, customers=people)
    assert ours.customers() == people
    # Without records (cases from elsewhere), they are built from the cases' names.
    theirs.load_all(cases, ours.issued(), replace=True)
    assert [(c.name, c.contacts, c.flags) for c in ours.customers()] == [
        ("Ana Chen", ["+44 1"], [])
    ]


def test_records_made_inside_a_batch_are_saved_with_it_or_not_at_all(
    handles: Handles, library: PlaybookLibrary, now: datetime
) -> None:
    ours, theirs = handles
    with pytest.raises(RuntimeError), ours.batch():
        open_for(ours, library, now, "Ana Chen")
        raise RuntimeError("stop")
    assert theirs.customers() == []
    with ours.batch():
        open_for(ours, library, now, "Ana Chen", "+44 1")
        open_for(ours, library, now, "ana chen", "+44 2")
    [ana] = theirs.customers()
    assert ana.contacts == ["+44 2", "+44 1"]


def test_a_change_to_no_customer_yet_that_changes_nothing_writes_nothing(
    handles: Handles,
) -> None:
    ours, theirs = handles
    saved, said = ours.update_customer("Nobody Yet", lambda c: False)
    assert said is False and saved.is_blank
    assert theirs.customer("Nobody Yet") is None and theirs.customers() == []
