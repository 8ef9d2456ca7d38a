"""The store: round trips, plain TinyDB compatibility, atomic and private writes, and refusals."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from tinydb import TinyDB

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.model import Case, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.paths import lock_path
from workbench.storage import (
    CaseNotFound,
    CaseStore,
    DatabaseUnreadable,
    SchemaTooNew,
    WriteFailed,
    safe_json,
)
from workbench.storage.backups import KEEP, list_backups
from workbench.storage.records import RecordError, case_from_record, case_to_record
from workbench.storage.safe_json import SafeJSONStorage
from workbench.storage.schema import SCHEMA_VERSION

Draft = Callable[..., CaseDraft]


def add(
    store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime, **kw: object
) -> Case:
    return store.add(make_draft(**kw), library.get("our-mistake"), now)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_of_a_worked_case(
    store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = add(store, make_draft, library, now, tags=["vip", "billing"])
    assert case.id == "C-0001"

    def work(c: Case) -> None:
        actions.set_step(c, 0, True, now)
        actions.set_step_note(c, 0, "Said sorry; they calmed down", now)
        actions.schedule_followup(c, now + timedelta(days=1), "Check the refund", now)
        actions.record_remedy(c, "Refund", Decimal("49.90"), True, now)
        actions.close_case(c, Outcome.RETAINED_WITH_CONCESSION, now, allow_open_steps=True)

    saved, _ = store.update(case.id, work)
    loaded = store.get("C-0001")
    assert loaded == saved
    assert loaded.revision == 2
    assert loaded.remedy is not None and loaded.remedy.cost == Decimal("49.90")
    assert loaded.status is Status.CLOSED
    assert loaded.followups[0].due == now + timedelta(days=1)


def test_records_round_trip_exactly(
    make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = actions.open_case(make_draft(), "C-0009", library.get("unhappy"), now)
    actions.schedule_followup(case, now + timedelta(hours=5), "Call", now)
    record = json.loads(json.dumps(case_to_record(case)))
    assert case_from_record(record) == case


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda r: r.pop("title"), "“title” is missing"),
        (lambda r: r.update(heat="lukewarm"), "expected one of calm, upset, furious"),
        (lambda r: r.update(opened_at="yesterday"), "not a date-time"),
        (lambda r: r.update(opened_at="2026-11-23T10:00:00"), "no time zone"),
        (lambda r: r.update(steps="all of them"), "should be list"),
        (lambda r: r.update(revision="3"), "should be int"),
        (lambda r: r.update(tags=[1, 2]), "only text"),
        (lambda r: r["steps"][0].pop("title"), r"steps\[0\]: the field “title”"),
        (lambda r: r.update(id="case-9"), "not of the form"),
    ],
)
def test_damaged_records_are_named(
    damage: Callable[[dict[str, object]], object],
    message: str,
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    record = case_to_record(actions.open_case(make_draft(), "C-0009", library.get("unhappy"), now))
    damage(record)
    with pytest.raises(RecordError, match=message):
        case_from_record(record)


def test_plain_tinydb_reads_the_file(
    store: CaseStore, db_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    add(store, make_draft, library, now, customer="Zoë Ünal")
    with TinyDB(db_path) as plain:
        cases = plain.table("cases").all()
        meta = plain.table("meta").all()
    assert [c["customer"] for c in cases] == ["Zoë Ünal"]
    assert cases[0].doc_id == 1
    assert meta[0]["schema"] == SCHEMA_VERSION


def test_file_backups_and_lock_are_private(
    whole_writes: None,
    store: CaseStore,
    db_path: Path,
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    old_umask = os.umask(0o022)
    try:
        add(store, make_draft, library, now)
        add(store, make_draft, library, now)  # the second write keeps a backup first
    finally:
        os.umask(old_umask)
    assert mode(db_path) == 0o600
    backups = list_backups(db_path, db_path.parent / "backups")
    assert len(backups) == 1
    assert mode(backups[0].path) == 0o600
    assert mode(db_path.parent / "backups") == 0o700
    assert not list(db_path.parent.glob(".*.tmp"))


def test_one_backup_per_session_and_rotation(
    whole_writes: None, db_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    for _ in range(KEEP + 3):
        session = CaseStore(db_path)
        add(session, make_draft, library, now)
        add(session, make_draft, library, now)
        session.close()
    backups = list_backups(db_path, db_path.parent / "backups")
    # 12 backups (the first session had no file to copy), all within a minute or two:
    # the newest KEEP, and the oldest of each minute (see backups.to_keep).
    minutes = {f"{b.taken_at:%H%M}" for b in backups}
    assert KEEP + 1 <= len(backups) <= KEEP + len(minutes)
    newest = json.loads(backups[0].path.read_bytes())
    assert len(newest["cases"]) == 2 * (KEEP + 2)  # taken before the last session changed it
    oldest = json.loads(backups[-1].path.read_bytes())
    assert len(oldest["cases"]) == 1  # the first backup (taken in the first session, after
    # its first add made the file), kept as the oldest of its minute


def test_two_stores_never_lose_each_others_changes(
    db_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    one, two = CaseStore(db_path), CaseStore(db_path)
    first = add(one, make_draft, library, now)
    second = add(two, make_draft, library, now)
    assert (first.id, second.id) == ("C-0001", "C-0002")
    one.update(first.id, lambda c: actions.set_step(c, 0, True, now))
    two.update(first.id, lambda c: actions.add_note(c, "from two", now))
    one.update(first.id, lambda c: actions.set_step(c, 1, True, now))
    final = two.get(first.id)
    assert final.steps[0].done and final.steps[1].done
    assert [e.text for e in final.notes] == ["from two"]
    assert final.revision == 4
    assert {c.id for c in one.all_cases()} == {"C-0001", "C-0002"}


def test_a_refused_change_writes_nothing(
    store: CaseStore, db_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    case = add(store, make_draft, library, now)
    before = db_path.read_bytes()
    with pytest.raises(DomainError):
        store.update(case.id, lambda c: actions.close_case(c, Outcome.RETAINED, now))
    assert db_path.read_bytes() == before


def test_unknown_case(store: CaseStore) -> None:
    with pytest.raises(CaseNotFound, match="C-0042"):
        store.get("42")
    with pytest.raises(CaseNotFound):
        store.update("C-0042", lambda c: None)


def test_add_many_numbers_after_existing(
    store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    add(store, make_draft, library, now)
    batch = [actions.open_case(make_draft(), "C-0001", library.get("blame"), now) for _ in range(3)]
    stored = store.add_many(batch)
    assert [c.id for c in stored] == ["C-0002", "C-0003", "C-0004"]
    assert store.count() == 4
    assert store.get("C-0004").playbook == "blame"


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "empty"),
    ("blank", b"  \n", "blank"),
    ("truncated", b'{"cases": {"1": {"id": "C-0001", "ti', "damaged"),
    ("nul bytes", b"\x00\x00\x00\x00", "damaged"),
    ("latin-1", b'{"cases": {"1": {"title": "caf\xe9"}}}', "not UTF-8"),
    ("a list", b"[1, 2, 3]", "not a workbench database"),
    ("tables of lists", b'{"cases": [1, 2]}', "not a workbench database"),
    ("newer schema", b'{"meta": {"1": {"schema": 99}}, "cases": {}}', "newer workbench"),
    ("odd schema", b'{"meta": {"1": {"schema": "one"}}, "cases": {}}', "not a number"),
    ("damaged record", b'{"cases": {"1": {"id": "C-0001"}}}', "damaged"),
    (
        "mismatched number",
        json.dumps(
            {
                "cases": {
                    "7": case_to_record(
                        Case(
                            "C-0001",
                            "t",
                            "c",
                            datetime.fromisoformat("2026-11-23T10:00:00+00:00"),
                            "blame",
                        )
                    )
                }
            }
        ).encode(),
        "numbers must match",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_unreadable_files_are_never_overwritten(
    name: str,
    content: bytes,
    message: str,
    db_path: Path,
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    db_path.write_bytes(content)
    store = CaseStore(db_path)
    with pytest.raises(DatabaseUnreadable, match=message) as caught:
        store.all_cases()
    assert "will not" in str(caught.value) or "not change" in str(caught.value)
    with pytest.raises(DatabaseUnreadable):
        add(store, make_draft, library, now)
    assert db_path.read_bytes() == content
    assert not (db_path.parent / "backups").exists()


def test_newer_schema_is_its_own_error(db_path: Path) -> None:
    db_path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}))
    with pytest.raises(SchemaTooNew, match="Upgrade"):
        CaseStore(db_path).all_cases()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_said_plainly(
    db_path: Path, store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    add(store, make_draft, library, now)
    db_path.chmod(0)
    try:
        with pytest.raises(DatabaseUnreadable, match="permission was denied"):
            CaseStore(db_path).all_cases()
    finally:
        db_path.chmod(0o600)


def test_permission_denied_as_root_too(
    db_path: Path,
    store: CaseStore,
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Root ignores file modes, so the refusal is injected where the file is opened."""
    add(store, make_draft, library, now)
    before = db_path.read_bytes()
    real_open = os.open

    def deny(path: object, flags: int, *args: int, **kw: object) -> int:
        if Path(str(path)) == db_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    fresh = CaseStore(db_path)
    monkeypatch.setattr(safe_json.os, "open", deny)
    with pytest.raises(DatabaseUnreadable, match="permission was denied"):
        fresh.all_cases()
    with pytest.raises(DatabaseUnreadable):
        add(fresh, make_draft, library, now)
    monkeypatch.undo()
    assert db_path.read_bytes() == before


def test_full_disk_leaves_the_file_as_it_was(
    whole_writes: None,
    store: CaseStore,
    db_path: Path,
    make_draft: Draft,
    library: PlaybookLibrary,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = add(store, make_draft, library, now)
    before = db_path.read_bytes()

    def full(fd: int, pieces: Any) -> None:
        os.write(fd, next(iter(pieces))[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_json, "_write_payload", full)
    with pytest.raises(WriteFailed, match="the disk is full") as caught:
        store.update(case.id, lambda c: actions.add_note(c, "lost?", now))
    assert "previous version" in str(caught.value)
    assert db_path.read_bytes() == before
    assert not list(db_path.parent.glob(".*.tmp"))
    monkeypatch.undo()
    # The store recovers: the next change is made on what is really on disk.
    saved, _ = store.update(case.id, lambda c: actions.add_note(c, "saved", now))
    assert [e.text for e in saved.notes] == ["saved"]
    assert [e.text for e in CaseStore(db_path).get(case.id).notes] == ["saved"]


def test_missing_folder_and_read_only_folder(
    tmp_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    missing = CaseStore(tmp_path / "nope" / "cases.json")
    assert missing.all_cases() == []
    with pytest.raises(WriteFailed, match="does not exist"):
        add(missing, make_draft, library, now)


def test_a_write_refuses_when_the_file_changed_underneath(
    store: CaseStore, db_path: Path, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    """The storage's last line of defence: it only writes over the version it read."""
    add(store, make_draft, library, now)
    lock = FileLock(lock_path(db_path))
    storage = SafeJSONStorage(db_path, lock=lock)  # as the store makes its own
    data = storage.read()
    assert data is not None
    other = CaseStore(db_path)
    add(other, make_draft, library, now)
    before = db_path.read_bytes()
    with lock, pytest.raises(WriteFailed, match="changed on disk"):
        storage.write(data)
    assert db_path.read_bytes() == before


def test_writes_outside_the_lock_are_a_bug(
    store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    add(store, make_draft, library, now)
    storage = SafeJSONStorage(store.path, lock=FileLock(lock_path(store.path)))
    assert storage.read() is not None
    with pytest.raises(RuntimeError, match="lock"):
        storage.write({})


def test_file_key_changes_on_every_save(
    store: CaseStore, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> None:
    assert store.file_key() is None
    add(store, make_draft, library, now)
    first = store.file_key()
    store.update("C-0001", lambda c: actions.add_note(c, "x", now))
    assert store.file_key() not in (None, first)


def test_a_batch_on_a_new_file_keeps_every_change_until_its_one_write(
    tmp_path: Path, make_draft: Callable[..., CaseDraft], library: PlaybookLibrary, now: datetime
) -> None:
    """With no file yet, the second change of a batch must see the first one in memory."""
    store = CaseStore(tmp_path / "new.json")
    with store.batch():
        first = store.add(make_draft(title="First"), library.get("blame"), now)
        second = store.add(make_draft(title="Second"), library.get("blame"), now)
    assert (first.id, second.id) == ("C-0001", "C-0002")
    assert [c.title for c in CaseStore(tmp_path / "new.json").all_cases()] == ["First", "Second"]
    assert store.writes == 1


def test_a_batch_refuses_a_file_replaced_underneath_it(
    tmp_path: Path, make_draft: Callable[..., CaseDraft], library: PlaybookLibrary, now: datetime
) -> None:
    db = tmp_path / "cases.json"
    store = CaseStore(db)
    store.add(make_draft(title="Before"), library.get("blame"), now)
    with pytest.raises(WriteFailed), store.batch():
        store.update("C-0001", lambda c: actions.add_note(c, "held in memory", now))
        other = db.read_bytes().replace(b"Before", b"Elsewh")  # a writer ignoring the lock
        db.with_name("x.json").write_bytes(other)
        db.with_name("x.json").replace(db)
        store.update("C-0001", lambda c: actions.add_note(c, "second", now))
    assert b"held in memory" not in db.read_bytes()


def test_a_version_3_file_is_read_and_saved_as_version_4_with_owners(
    db_path: Path, library: PlaybookLibrary, now: datetime
) -> None:
    """Owners and authors came with version 4: a version 3 file (none of either) reads as
    it is, and is written back as version 4, so a version 3 workbench refuses it."""
    from workbench.domain import agents

    store = CaseStore(db_path)
    case = store.add(CaseDraft("Late", "Ana Chen"), library.get("unhappy"), now)
    store.close()
    data = json.loads(db_path.read_text())
    data["meta"]["1"]["schema"] = 3
    db_path.write_text(json.dumps(data))
    store = CaseStore(db_path)
    assert store.get(case.id).owner == ""
    store.update(case.id, agents.signed(lambda c: agents.assign(c, "ana", now), "bo"))
    store.close()
    data = json.loads(db_path.read_text())
    assert data["meta"]["1"]["schema"] == SCHEMA_VERSION
    record = data["cases"][str(case.number)]
    assert record["owner"] == "ana"
    assert record["timeline"][-1]["author"] == "bo"
    assert "author" not in record["timeline"][0]  # unsigned lines stay short


@pytest.mark.parametrize("field", ["owner", "author"])
def test_an_agents_name_longer_than_any_is_refused_naming_the_case(
    db_path: Path, library: PlaybookLibrary, field: str, now: datetime
) -> None:
    store = CaseStore(db_path)
    case = store.add(CaseDraft("Late", "Ana Chen"), library.get("unhappy"), now)
    store.close()
    data = json.loads(db_path.read_text())
    record = data["cases"][str(case.number)]
    if field == "owner":
        record["owner"] = "x" * 65
    else:
        record["timeline"][0]["author"] = "x" * 65
    db_path.write_text(json.dumps(data))
    with pytest.raises(DatabaseUnreadable) as refused:
        CaseStore(db_path).all_cases()
    assert "C-0001" in str(refused.value) and "agent's name" in str(refused.value)
