"""`workbench customer`: a customer across their cases, for a person or a script; a near
miss pointed out; two spellings joined with every case kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.cli_driver import Run, cli_runner

from workbench.storage import CaseStore


@pytest.fixture
def run(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    run = cli_runner(db_path, capsys)
    for title, customer in [
        ("Charged twice", "Ana Chen"),
        ("Late parcel", "ana CHEN"),
        ("Rude reply", "Bo Li"),
    ]:
        assert run("add", title, "--customer", customer, "--contact", "ana@example.com").code == 0
    assert run("remedy", "1", "Refund the second charge", "--cost", "49.90", "--accepted").code == 0
    assert run("followup", "2", "tomorrow 10am", "--what", "Check the parcel came").code == 0
    return run


def test_the_customer_across_their_cases(run: Run) -> None:
    result = run("customer", "ana chen")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Ana Chen  (2 cases)"
    assert lines[1] == "Written as “Ana Chen”, “ana CHEN”"
    assert "Given: 49.90 in 1 concession" in result.out
    assert "  C-0001  Refund the second charge (49.90)" in result.out
    assert "Promised:\n  C-0002 F1  Tue 24 Nov 2026, 10:00  Check the parcel came" in result.out


def test_json_for_scripts(run: Run) -> None:
    data = run("customer", "Ana Chen", "--json").json()
    # opened at the same moment: newest first, and of two at once, the one stored first
    assert [case["id"] for case in data["cases"]] == ["C-0001", "C-0002"]
    assert data["given"] == [
        {"case": "C-0001", "description": "Refund the second charge", "cost": "49.90"}
    ]
    assert data["given_cost"] == "49.90"
    assert data["open_followups"][0]["case"] == "C-0002"


def test_a_name_no_case_has_is_said_with_the_near_miss(run: Run) -> None:
    result = run("customer", "Ana Chne")
    assert result.code == 2
    assert "No case has a customer named “Ana Chne”. Did you mean “Ana Chen”" in result.err


def test_two_spellings_joined_every_case_kept(run: Run, db_path: Path) -> None:
    joined = run("customer", "ANA chen", "--merge-into", "Ana Chen")
    assert joined.code == 0, joined.err
    assert joined.out == "Joined “Ana Chen”, “ana CHEN” as “Ana Chen”: C-0002 (every case kept).\n"
    store = CaseStore(db_path)
    assert [case.customer for case in store.all_cases()] == ["Ana Chen", "Ana Chen", "Bo Li"]
    assert store.get("2").timeline[-1].text == "Customer “ana CHEN” joined with “Ana Chen”"
    again = run("customer", "ana chen", "--merge-into", "Ana Chen")
    assert again.out == "Every case of “Ana Chen” is already written “Ana Chen”.\n"
    undone = run("undo")  # a join is a change like any: taken back, case by case
    assert undone.out.startswith("Undone on C-0002: workbench customer")
    assert CaseStore(db_path).get("2").customer == "ana CHEN"


def test_the_record_is_changed_all_at_once_and_shown_beside_the_cases(
    run: Run, db_path: Path
) -> None:
    result = run(
        "customer",
        "ANA CHEN",
        "--company",
        "Harbour Dental",
        "--channel",
        "phone",
        "--notes",
        r"prefers a call after 5pm\nask for Sam",
        "--contact",
        "+44 20 7946 0958",
        "--flag",
        "careful: threatened a chargeback",
        "--flag",
        "VIP",
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:4] == ["Saved.", "", "Ana Chen  (2 cases)", "⚑ careful: threatened a chargeback"]
    assert "Company: Harbour Dental" in lines
    assert "Contact: +44 20 7946 0958, ana@example.com" in lines
    assert "Prefers: phone" in lines
    assert "Notes: prefers a call after 5pm" in lines and "       ask for Sam" in lines
    record = CaseStore(db_path).customer("ana chen")
    assert record is not None and record.flags == ["careful: threatened a chargeback", "VIP"]
    data = run("customer", "Ana Chen", "--unflag", "2", "--channel", "none", "--json").json()
    assert data["flags"] == ["careful: threatened a chargeback"] and data["channel"] is None
    assert data["saved"] is True and data["company"] == "Harbour Dental"
    assert data["notes"] == "prefers a call after 5pm\nask for Sam"
    again = run("customer", "Ana Chen", "--company", "Harbour Dental")
    assert again.out.startswith("Nothing to change: the record already says so.")


def test_a_refused_change_says_why_and_changes_nothing(run: Run, db_path: Path) -> None:
    assert run("customer", "Ana Chen", "--flag", "VIP").code == 0
    before = db_path.read_bytes()
    for args, said in [
        (["--unflag", "nope"], "has no flag “nope” (their flags: 1. VIP)"),
        (["--flag", "x" * 200], "A flag is 200 characters long; keep it within 120"),
        (["--drop-contact", "+1 555"], "has no contact “+1 555” on their record"),
        (["--flag", "ok", "--unflag", "nope"], "has no flag “nope”"),  # all or none
    ]:
        result = run("customer", "Ana Chen", *args)
        assert result.code != 0 and said in result.err, (args, result.err)
    assert db_path.read_bytes() == before
    assert run("customer", "  ").code != 0


def test_joining_spellings_keeps_both_records(run: Run, db_path: Path) -> None:
    assert run("add", "Broken lid", "--customer", "Ana Chén", "--contact", "+33 1").code == 0
    assert run("customer", "Ana Chén", "--flag", "prefers French").code == 0
    assert run("customer", "Ana Chen", "--flag", "VIP").code == 0
    joined = run("customer", "Ana Chén", "--merge-into", "Ana Chen")
    assert "their records joined in one" in joined.out, joined.err
    [record] = [c for c in CaseStore(db_path).customers() if c.name.startswith("Ana")]
    assert record.flags == ["VIP", "prefers French"]
    assert sorted(record.contacts) == ["+33 1", "ana@example.com"]
