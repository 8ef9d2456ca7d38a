"""A customer's own record (issue 19, part 2): what the rules take and refuse, contacts
kept in order of use, two records joined, and an edit made as changes, so it keeps what
someone else changed meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.clock import NOW

from workbench.domain import limits
from workbench.domain.actions import CaseDraft, open_case
from workbench.domain.customers import (
    KEEP,
    Customer,
    CustomerEdit,
    best_spelling,
    customer_for_case,
    customers_from_cases,
    edit_between,
    edit_customer,
    flag_customer,
    join_customers,
    new_customer,
    note_contact,
    unflag_customer,
)
from workbench.domain.errors import DomainError
from workbench.domain.model import Channel
from workbench.domain.playbooks import PlaybookLibrary


def test_a_new_record_has_the_name_and_the_contact_in_one_line() -> None:
    made = new_customer("  Ana Chen ", " +44  20\t7946 ")
    assert made == Customer(name="Ana Chen", contacts=["+44 20 7946"])
    assert made.key == "ana chen" and not made.is_blank
    assert new_customer("Bo").is_blank


def test_a_contact_used_again_goes_first_and_the_oldest_go_past_the_limit() -> None:
    ana = Customer("Ana", contacts=["a", "b"])
    assert note_contact(ana, "b") is True and ana.contacts == ["b", "a"]
    assert note_contact(ana, "b") is False  # already first: nothing to save
    assert note_contact(ana, "") is False and note_contact(ana, "x" * 201) is False
    most = limits.MAX_CUSTOMER_ITEMS["contacts"]
    many = Customer("Many", contacts=[str(n) for n in range(most)])
    note_contact(many, "new")
    assert (
        len(many.contacts) == most
        and many.contacts[0] == "new"
        and str(most - 1) not in many.contacts
    )


def test_edits_are_checked_whole_before_anything_changes() -> None:
    ana = Customer("Ana", company="Old", flags=["VIP"])
    with pytest.raises(DomainError, match="A flag is 121 characters long"):
        edit_customer(ana, company="New", flags=["x" * 121])
    assert ana.company == "Old" and ana.flags == ["VIP"]
    with pytest.raises(DomainError, match="at most 50 flags"):
        edit_customer(ana, flags=[f"f{n}" for n in range(51)])
    with pytest.raises(DomainError, match="A company is 201"):
        edit_customer(ana, company="c" * 201)
    assert edit_customer(ana, company="  New\tCo ", channel=Channel.PHONE) is True
    assert (ana.company, ana.channel) == ("New Co", Channel.PHONE)
    assert edit_customer(ana, channel=KEEP) is False  # KEEP leaves it; None clears it
    assert edit_customer(ana, channel=None) is True and ana.channel is None


def test_flags_are_once_each_and_come_off_by_words_or_number() -> None:
    ana = Customer("Ana")
    assert flag_customer(ana, "careful: chargeback") and not flag_customer(
        ana, "CAREFUL: chargeback"
    )
    flag_customer(ana, "VIP")
    assert unflag_customer(ana, "vip") and ana.flags == ["careful: chargeback"]
    assert unflag_customer(ana, "1") and ana.flags == []
    with pytest.raises(DomainError, match="has no flag “2”; they have none"):
        unflag_customer(ana, "2")


def test_joining_keeps_what_either_record_held() -> None:
    into = Customer("Zoë", contacts=["a"], channel=Channel.PHONE, notes="after 5pm", flags=["VIP"])
    gone = Customer(
        "Zoe",
        contacts=["b", "a"],
        company="Harbour",
        channel=Channel.EMAIL,
        notes="speaks French",
        flags=["vip", "chargeback"],
    )
    join_customers(into, gone)
    assert into.contacts == ["a", "b"] and into.flags == ["VIP", "chargeback"]
    assert (into.company, into.channel) == ("Harbour", Channel.PHONE)
    assert into.notes == "after 5pm\nspeaks French"
    join_customers(into, gone)  # twice: notes already there are not repeated
    assert into.notes == "after 5pm\nspeaks French"


def test_records_from_cases_and_for_a_new_case(library: PlaybookLibrary) -> None:
    playbook = library.get("unhappy")
    cases = [
        open_case(
            CaseDraft("a", name, contact=contact), f"C-000{n}", playbook, NOW + timedelta(hours=n)
        )
        for n, (name, contact) in enumerate(
            [("ana chen", "old@x"), ("Ana Chen", "new@x"), ("ANA CHEN", ""), ("Bo", "")], start=1
        )
    ]
    made = {c.name: c.contacts for c in customers_from_cases(cases)}
    assert made == {"Ana Chen": ["new@x", "old@x"], "Bo": []}
    assert best_spelling(["ANA CHEN", "ana chen", "Ana Chen"]) == "Ana Chen"
    known = Customer("Ana Chen", contacts=["new@x"])
    assert customer_for_case(known, cases[1]) is None  # its contact is already first
    assert customer_for_case(known, cases[0]) is known and known.contacts == ["old@x", "new@x"]
    assert customer_for_case(None, cases[3]) == Customer("Bo")


def test_an_edit_keeps_what_someone_else_changed_meanwhile() -> None:
    shown = Customer("Ana", contacts=["a"], notes="after 5pm", flags=["VIP"])
    edit = edit_between(
        shown,
        company="Harbour",
        channel=None,
        notes="after 5pm\nask for Sam",
        contacts=["a", "b"],
        flags=[],
    )
    assert edit == CustomerEdit(
        company="Harbour",
        notes="after 5pm\nask for Sam",
        notes_before="after 5pm",
        add_contacts=("b",),
        drop_flags=("VIP",),
    )
    # Meanwhile another agent added a contact and a flag, and wrote in the notes.
    fresh = Customer(
        "Ana", contacts=["c", "a"], notes="after 5pm\nmoved to Leeds", flags=["VIP", "chargeback"]
    )
    assert edit.apply(fresh) is True
    assert fresh.contacts == ["b", "c", "a"] and fresh.flags == ["chargeback"]
    assert fresh.notes == "after 5pm\nmoved to Leeds\nafter 5pm\nask for Sam"  # both kept
    assert fresh.company == "Harbour" and fresh.channel is None
    with pytest.raises(DomainError):
        edit_between(shown, company="", channel=None, notes="", contacts=[], flags=["x" * 200])


def test_the_demo_knows_some_returning_customers(library: PlaybookLibrary) -> None:
    from workbench.domain.demo import demo_customer_details, make_demo_cases

    cases = make_demo_cases(300, library, NOW, seed=7)
    details = demo_customer_details(cases, seed=7)
    assert details == demo_customer_details(cases, seed=7)  # the same every time
    returning = {c.customer for c in cases if sum(o.customer == c.customer for o in cases) > 1}
    assert details and {name for name, _ in details} <= returning
    assert any(edit.add_flags for _, edit in details)
    for name, edit in details:
        record = Customer(name)
        assert edit.apply(record) and record.notes and record.channel is not None
        if name.endswith(")"):
            assert record.company and record.company in name
