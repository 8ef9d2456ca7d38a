"""Issue #5, item 6: the file's schema version drives an ordered list of migrations.

Schema 2 keeps the last issued case number in the meta document, so numbers of cases that
are later archived out of the working file are never handed out again. data/schema1.json
is a hand-written schema-1 file: five cases in every state (new; in progress with steps,
notes and an open follow-up; waiting with follow-ups done and cancelled and a declined
remedy; resolved with an accepted remedy; closed with an outcome), text with quotes,
accents, markup-like brackets, new lines and tabs, and time zones from -04:00 to +02:00.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers.clock import NOW
from helpers.reliability import DATA, cli, snapshot

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Case, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore, DatabaseUnreadable
from workbench.storage.records import case_from_record
from workbench.storage.schema import LAST_CASE, MIGRATIONS, SCHEMA_VERSION, migrate

# What these tests try is a whole write of the file (a fold of the journal of changes):
# every change here makes one.
pytestmark = pytest.mark.usefixtures("whole_writes")

V1_FILE = DATA / "schema1.json"


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    db = tmp_path / "cases.json"
    shutil.copyfile(V1_FILE, db)
    return db


def fields(case: Case) -> dict[str, object]:
    return {f.name: getattr(case, f.name) for f in dataclasses.fields(case)}


def test_every_version_has_its_migration_in_order() -> None:
    assert SCHEMA_VERSION == 8
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_the_migration_fills_the_counter_and_leaves_its_input_alone() -> None:
    original = json.loads(V1_FILE.read_text())
    kept = copy.deepcopy(original)
    upgraded = migrate(original, 1)
    assert original == kept
    assert upgraded["meta"]["1"] == {"schema": SCHEMA_VERSION, "app": "workbench", LAST_CASE: 5}
    assert upgraded["cases"] == original["cases"]


def test_a_schema_1_file_is_read_unchanged_in_meaning(v1: Path) -> None:
    on_disk = json.loads(V1_FILE.read_text())["cases"]
    before = snapshot(v1)
    cases = {case.id: case for case in CaseStore(v1).all_cases()}
    assert snapshot(v1) == before  # reading does not upgrade the file
    assert sorted(cases) == ["C-0001", "C-0002", "C-0003", "C-0004", "C-0005"]
    for number, record in on_disk.items():
        case = cases[f"C-{int(number):04d}"]
        assert fields(case) == fields(case_from_record(record)), case.id  # field by field

    # What the hand-written file says, spelled out.
    new, working, waiting, resolved, closed = (cases[f"C-000{n}"] for n in range(1, 6))
    assert new.status is Status.NEW and new.first_contact_at is None and not new.remedy
    assert [s.done for s in working.steps] == [True, True, False]
    assert working.steps[0].note == "Bought it as a gift; receipt lost"
    assert [e.text for e in working.notes] == ["Polite but firm; mentioned a review"]
    assert working.open_followups[0].due.isoformat() == "2026-12-03T10:00:00+01:00"
    assert waiting.followups[0].done_at is not None and waiting.followups[0].note == "They did"
    assert waiting.followups[1].cancelled_at is not None
    assert [f.id for f in waiting.open_followups] == [3]
    assert waiting.remedy is not None and waiting.remedy.accepted is False
    assert waiting.remedy.cost == Decimal("12.50") and waiting.customer == "Zoë Ünal"
    assert resolved.title == "Rude reply from support [bold]again[/]"
    assert resolved.customer == 'Cy "The Boss" O\'Neill'
    assert resolved.steps[0].note == "Line one\nLine two\ttabbed"
    assert resolved.remedy is not None and resolved.remedy.cost == Decimal("29")
    assert resolved.opened_at.utcoffset().total_seconds() == -4 * 3600  # type: ignore[union-attr]
    assert closed.status is Status.CLOSED
    assert closed.outcome is Outcome.RETAINED_WITH_CONCESSION
    assert closed.tags == ["vip", "wedding"] and closed.revision == 11


def test_doctor_says_it_will_be_upgraded_and_changes_nothing(v1: Path) -> None:
    before = snapshot(v1)
    report = cli(v1, "doctor")
    assert report.code == 0
    assert "schema 1, 5 cases" in report.out
    assert f"upgraded to schema {SCHEMA_VERSION} on the next change" in report.out
    assert snapshot(v1) == before


def test_the_next_change_writes_the_newest_schema_and_keeps_every_case(
    v1: Path, library: PlaybookLibrary
) -> None:
    original = json.loads(V1_FILE.read_text())
    store = CaseStore(v1)
    store.update("C-0002", lambda c: actions.add_note(c, "Manager agreed to credit", NOW))
    after = json.loads(v1.read_bytes())
    assert after["meta"]["1"] == {"schema": SCHEMA_VERSION, "app": "workbench", LAST_CASE: 5}
    # The four untouched cases are stored exactly as they were; the changed one differs
    # only by its new note and revision.
    for number, record in original["cases"].items():
        if number != "2":
            assert after["cases"][number] == record, number
    changed = after["cases"]["2"]
    assert changed["timeline"][:-1] == original["cases"]["2"]["timeline"]
    assert changed["timeline"][-1]["text"] == "Manager agreed to credit"
    assert changed["revision"] == original["cases"]["2"]["revision"] + 1
    assert {k: v for k, v in changed.items() if k not in ("timeline", "revision")} == {
        k: v for k, v in original["cases"]["2"].items() if k not in ("timeline", "revision")
    }
    # The schema-1 file is kept as this session's backup, byte for byte.
    [backup] = (v1.parent / "backups").glob("*.json")
    assert backup.read_bytes() == V1_FILE.read_bytes()
    report = cli(v1, "doctor")
    assert f"schema {SCHEMA_VERSION}, 5 cases" in report.out and "upgraded" not in report.out
    # New cases are numbered after the counter.
    assert store.add(CaseDraft("Next", "Eve"), library.get("blame"), NOW).id == "C-0006"
    assert json.loads(v1.read_bytes())["meta"]["1"][LAST_CASE] == 6


def test_numbers_of_cases_no_longer_in_the_file_are_never_reused(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    """What schema 2 is for: after C-0004 and C-0005 leave the working file (archived),
    the next case is still C-0006, and the counter never goes down."""
    data = json.loads(V1_FILE.read_text())
    data["meta"]["1"] = {"schema": 2, "app": "workbench", LAST_CASE: 5}
    del data["cases"]["4"], data["cases"]["5"]
    db = tmp_path / "cases.json"
    db.write_text(json.dumps(data))
    store = CaseStore(db)
    store.update("C-0002", lambda c: actions.add_note(c, "a change, no new case", NOW))
    assert json.loads(db.read_bytes())["meta"]["1"][LAST_CASE] == 5  # kept, not recounted
    assert store.add(CaseDraft("After archiving", "Fay"), library.get("blame"), NOW).id == "C-0006"
    batch = [
        actions.open_case(CaseDraft("x", "y"), "C-0001", library.get("blame"), NOW)
        for _ in range(2)
    ]
    assert [c.id for c in store.add_many(batch)] == ["C-0007", "C-0008"]
    store.update("C-0001", lambda c: actions.add_note(c, "still counting", NOW))
    assert json.loads(db.read_bytes())["meta"]["1"][LAST_CASE] == 8
    # A counter behind the cases in the file (edited by hand) is corrected, never trusted.
    data = json.loads(db.read_bytes())
    data["meta"]["1"][LAST_CASE] = 2
    db.write_text(json.dumps(data))
    assert CaseStore(db).add(CaseDraft("z", "z"), library.get("blame"), NOW).id == "C-0009"


@pytest.mark.parametrize("version", [2, 3, 4, 5, 6])
def test_the_migrations_copy_no_case(version: int) -> None:
    """2 → 3 (guidance by reference), 3 → 4 (owners and authors) and 4 → 5 change only
    the number, 5 → 6 adds the customers table: the cases are shared, not copied (a copy
    of a large file cost seconds on every load), and the input is left as it was."""
    data = json.loads(V1_FILE.read_text())
    data["meta"]["1"] = {"schema": version, "app": "workbench", LAST_CASE: 5}
    kept = copy.deepcopy(data)
    upgraded = MIGRATIONS[version](data)
    assert upgraded["cases"] is data["cases"]
    assert upgraded["meta"]["1"]["schema"] == version + 1
    assert data == kept
    assert migrate(data, version)["meta"]["1"]["schema"] == SCHEMA_VERSION


# -- schema 6: customers' own records --------------------------------------------------


def schema5_file(tmp_path: Path, library: PlaybookLibrary) -> Path:
    """A file as a version 5 workbench wrote it: cases, no customers table."""
    db = tmp_path / "cases.json"
    store = CaseStore(db, backups=False)
    people = [
        ("Ana Chen", "+44 1"),
        ("ana  chen", "ana@example.com"),  # one customer, written two ways
        ("Zoë Dubois (Harbour Dental)", ""),
        ("ANA CHEN", "+44 1"),
        ("Zoe Dubois (Harbour Dental)", "zoe@example.com"),  # a near miss: another key
        ("Bo", "x"),
    ]
    for name, contact in people:
        store.add(CaseDraft("Late", name, contact=contact), library.get("unhappy"), NOW)
    store.close()
    data = json.loads(db.read_text())
    del data["customers"]
    data["meta"]["1"]["schema"] = 5
    data["cases"]["6"]["contact"] = "x" * 300  # too long for a record: stays on its case
    db.write_text(json.dumps(data))
    return db


def test_a_schema_5_file_gets_a_record_for_every_customer_on_its_cases(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    db = schema5_file(tmp_path, library)
    before = snapshot(db)
    store = CaseStore(db)
    found = {c.name: (c.contacts, c.revision, c.is_blank) for c in store.customers()}
    assert found == {
        "Ana Chen": (["+44 1", "ana@example.com"], 1, False),
        "Zoë Dubois (Harbour Dental)": ([], 1, True),
        "Zoe Dubois (Harbour Dental)": (["zoe@example.com"], 1, False),
        "Bo": ([], 1, True),
    }
    assert snapshot(db) == before  # read in memory; written with the next change
    on_disk = json.loads(db.read_text())["cases"]
    store.update("C-0001", lambda c: actions.add_note(c, "called back", NOW))
    after = json.loads(db.read_text())
    assert after["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert {n: r for n, r in after["cases"].items() if n != "1"} == {
        n: r for n, r in on_disk.items() if n != "1"
    }
    assert [r["name"] for r in after["customers"].values()] == [
        "Ana Chen",
        "Zoë Dubois (Harbour Dental)",
        "Zoe Dubois (Harbour Dental)",
        "Bo",
    ]
    assert after["cases"]["6"]["contact"] == "x" * 300  # nothing on a case is lost


def test_schema_1_migrates_all_the_way_with_its_customers(v1: Path) -> None:
    names = sorted(c.name for c in CaseStore(v1).customers())
    assert names == sorted(
        ["Ana Chen", "Ben Okafor", "Zoë Ünal", 'Cy "The Boss" O\'Neill', "Dee Smith"]
    )
    ana = CaseStore(v1).customer("ana chen")
    assert ana is not None and ana.contacts == ["ana@example.com"]


def test_doctor_says_a_schema_5_file_will_be_upgraded(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    db = schema5_file(tmp_path, library)
    report = cli(db, "doctor")
    assert report.code == 0, report.out
    assert "schema 5, 6 cases" in report.out
    assert f"upgraded to schema {SCHEMA_VERSION} on the next change" in report.out


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda r: r.update(key="someone else"), "does not belong to the name"),
        (lambda r: r.update(flags=["ok", 7]), "only text"),
        (lambda r: r.update(contacts=["+44"] * 101), "more than 100"),
        (lambda r: r.update(channel="pigeon"), "expected one of"),
        (lambda r: r.update(name=""), "name is empty"),
    ],
)
def test_a_damaged_customer_record_is_refused_and_never_written_over(
    tmp_path: Path, library: PlaybookLibrary, damage: Any, said: str
) -> None:
    db = tmp_path / "cases.json"
    store = CaseStore(db, backups=False)
    store.add(CaseDraft("Late", "Ana Chen"), library.get("unhappy"), NOW)
    store.close()
    data = json.loads(db.read_text())
    damage(data["customers"]["1"])
    db.write_text(json.dumps(data))
    before = snapshot(db)
    with pytest.raises(DatabaseUnreadable, match=said):
        CaseStore(db).all_cases()
    with pytest.raises(DatabaseUnreadable):
        CaseStore(db).add(CaseDraft("Next", "Bo"), library.get("unhappy"), NOW)
    report = cli(db, "doctor")
    assert report.code != 0 and said.split()[0] in report.out
    assert snapshot(db) == before


def test_one_customer_recorded_twice_is_refused(tmp_path: Path, library: PlaybookLibrary) -> None:
    db = tmp_path / "cases.json"
    store = CaseStore(db, backups=False)
    store.add(CaseDraft("Late", "Ana Chen"), library.get("unhappy"), NOW)
    store.close()
    data = json.loads(db.read_text())
    data["customers"]["2"] = dict(data["customers"]["1"], name="ANA CHEN")
    db.write_text(json.dumps(data))
    with pytest.raises(DatabaseUnreadable, match="recorded twice"):
        CaseStore(db).customers()
