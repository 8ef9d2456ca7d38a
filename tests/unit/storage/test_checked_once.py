"""A file is checked record by record once; later reads of the same version only scan it.

These tests hold the shortcut to its promise: any version of the file the workbench did
not write or check itself is checked whole again, so damage is never let through.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from tinydb import TinyDB

from workbench.domain import actions
from workbench.domain.demo import make_demo_cases
from workbench.storage import CaseStore, DatabaseUnreadable, trust
from workbench.storage.playbook_files import load_library
from workbench.storage.records import case_from_record, case_to_record, cases_from_records
from workbench.storage.safe_json import encode, encode_pieces, scan_tables
from workbench.storage.schema import CASES_TABLE

NOW = datetime.fromisoformat("2026-11-23T14:30:00+01:00")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cases.json"
    store = CaseStore(path)
    store.add_many(make_demo_cases(40, load_library(None), NOW, seed=5))
    store.close()
    return path


def held_records(store: CaseStore) -> dict[str, Any]:
    """The case records the store holds in memory (read from disk if it changed)."""
    return store._storage.read()[CASES_TABLE]  # type: ignore[index]


def damage_in_place(path: Path) -> None:
    """Change one byte of a record so it no longer reads, keeping the inode and the size
    (as an editor saving in place would) and even putting the modification time back."""
    before = path.stat()
    data = path.read_bytes()
    at = data.index(b'"heat":"') + len(b'"heat":"')
    with path.open("r+b") as file:
        file.seek(at)
        file.write(b"X")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


def test_a_file_the_workbench_wrote_is_read_without_decoding_its_records(db: Path) -> None:
    note = trust.note_path(db)
    assert note.name == ".cases.json.checked"
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    store = CaseStore(db)
    records = held_records(store)
    assert len(records) == 40
    assert all(isinstance(value, msgspec.Raw) for value in records.values())
    # ...and the cases built from those bytes are the ones a full decode gives.
    plain = json.loads(db.read_bytes())[CASES_TABLE]
    assert store.all_cases() == [case_from_record(record) for record in plain.values()]


def test_a_file_changed_in_place_is_checked_whole_again(db: Path) -> None:
    CaseStore(db).count()
    damage_in_place(db)
    with pytest.raises(DatabaseUnreadable, match="damaged"):
        CaseStore(db).count()
    assert not trust.is_checked(db, trust.signature(db.stat()), zlib.crc32(db.read_bytes()))


def test_a_file_replaced_by_another_program_is_checked_whole_again(db: Path) -> None:
    with TinyDB(db) as plain:  # a script writing the file with plain TinyDB
        plain.table(CASES_TABLE).update({"heat": "scorching"}, doc_ids=[3])
    with pytest.raises(DatabaseUnreadable, match="scorching"):
        CaseStore(db).get("C-0003")


def test_a_note_from_other_rules_or_a_damaged_note_means_a_full_check(db: Path) -> None:
    note = trust.note_path(db)
    line = note.read_text()
    assert line.startswith(trust.RULES)
    damage_in_place(db)
    for text in (line.replace(trust.RULES, "workbench 0.0.1, schema 3"), "garbage", ""):
        # Even a note naming the damaged version exactly is not believed under other rules.
        sig = " ".join(str(n) for n in trust.signature(db.stat()))
        note.write_text(text.replace(line.split(": ")[-1].strip(), sig) if text else text)
        with pytest.raises(DatabaseUnreadable):
            CaseStore(db).count()
    note.unlink()
    with pytest.raises(DatabaseUnreadable):
        CaseStore(db).count()


def test_an_unchecked_file_is_checked_then_remembered(db: Path) -> None:
    trust.forget(db)
    store = CaseStore(db)
    assert store.count() == 40
    assert trust.is_checked(db, trust.signature(db.stat()), zlib.crc32(db.read_bytes()))
    assert all(isinstance(v, msgspec.Raw) for v in held_records(store).values())


def test_a_change_rewrites_only_its_record_and_leaves_the_others_byte_for_byte(
    whole_writes: None,
    db: Path,
) -> None:
    before = json.loads(db.read_bytes())[CASES_TABLE]
    raw_before = db.read_bytes()
    store = CaseStore(db)
    store.update("C-0007", lambda c: actions.add_note(c, "Rang back; all good.", NOW))
    after = json.loads(db.read_bytes())[CASES_TABLE]
    assert [k for k in before if before[k] != after[k]] == ["7"]
    assert after["7"]["revision"] == before["7"]["revision"] + 1
    # Every other record keeps its exact bytes.
    for key in ("1", "6", "8", "40"):
        piece = json.dumps(before[key], ensure_ascii=False, separators=(",", ":")).encode()
        assert piece in raw_before and piece in db.read_bytes()
    assert trust.is_checked(db, trust.signature(db.stat()), zlib.crc32(db.read_bytes()))


def test_encoding_held_records_gives_the_bytes_of_a_full_encode(db: Path) -> None:
    raw = db.read_bytes()
    tables = scan_tables(raw)
    assert tables is not None
    assert encode(tables) == encode(json.loads(raw)) == raw


def test_text_msgspec_cannot_write_falls_back_to_ascii_json(db: Path) -> None:
    tables = scan_tables(db.read_bytes())
    assert tables is not None
    record = msgspec.json.decode(tables[CASES_TABLE]["2"])
    record["title"] = "half a pair \ud800"
    tables[CASES_TABLE]["2"] = record
    out = encode(tables)
    cases_part = out[out.index(b'"cases"') : out.index(b'"meta"')]
    assert cases_part.isascii()  # the batch holding it, escaped; other tables stay UTF-8
    assert json.loads(out)[CASES_TABLE]["2"]["title"] == "half a pair \ud800"
    assert json.loads(out)[CASES_TABLE]["3"] == msgspec.json.decode(tables[CASES_TABLE]["3"])


def test_guidance_stored_empty_stays_empty_when_read_from_bytes() -> None:
    """A step stored with guidance "" keeps it; only steps without the field get the
    playbook's text (the bytes are searched for the field before deciding)."""
    case = make_demo_cases(1, load_library(None), NOW, seed=1)[0]
    case.id = "C-0001"
    record = case_to_record(case)
    record["steps"][1]["guidance"] = ""
    raw = msgspec.Raw(msgspec.json.encode(record))
    built = cases_from_records([raw])[0]
    assert built.steps[1].guidance == ""
    assert built.steps[0].guidance and built.steps[0].guidance == case.steps[0].guidance
    assert built == case_from_record(record)


def test_cases_for_followups_are_the_cases_without_their_steps(db: Path) -> None:
    store = CaseStore(db)
    store.update("C-0002", lambda c: actions.add_note(c, "held as a record now", NOW))
    full = store.all_cases()
    light = store.cases_for_followups()
    assert all(not case.steps for case in light)
    for case in full:
        case.steps = []
    assert light == full
    # ...the same from a file read through the strict reader (no note, records decoded).
    trust.forget(db)
    assert CaseStore(db).cases_for_followups() == full


def test_a_note_for_other_bytes_is_not_believed(db: Path) -> None:
    """An edit in place within one tick of a coarse file clock keeps all five numbers;
    the CRC of the bytes in the note still tells."""
    good = db.read_bytes()
    damage_in_place(db)
    # Forge the note a coarse clock would leave: this file's numbers, the old bytes' CRC.
    trust.remember(db, trust.signature(db.stat()), zlib.crc32(good))
    with pytest.raises(DatabaseUnreadable, match="damaged"):
        CaseStore(db).count()


def test_a_damaged_record_behind_a_wrong_note_is_refused_and_the_note_dropped(
    db: Path,
) -> None:
    damage_in_place(db)
    trust.remember(db, trust.signature(db.stat()), zlib.crc32(db.read_bytes()))  # the note lies
    store = CaseStore(db)
    assert store.count() == 40  # scanned, not checked
    before = db.read_bytes()
    with pytest.raises(DatabaseUnreadable, match="damaged"):
        store.update("C-0001", lambda c: actions.add_note(c, "lost?", NOW))
    assert db.read_bytes() == before
    assert not trust.note_path(db).exists()
    with pytest.raises(DatabaseUnreadable):
        CaseStore(db).count()  # checked whole now


def test_a_change_the_file_could_not_read_back_is_refused(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.storage import StoreError, repository

    real = repository.case_to_record

    def naive_time(case: Any) -> dict[str, Any]:
        record = real(case)
        record["opened_at"] = "2026-11-23T10:00:00"  # no zone: the reader refuses it
        return record

    monkeypatch.setattr(repository, "case_to_record", naive_time)
    before = db.read_bytes()
    with pytest.raises(StoreError, match="can't read back"):
        CaseStore(db).update("C-0002", lambda c: actions.add_note(c, "x", NOW))
    assert db.read_bytes() == before


def test_the_file_is_written_in_pieces_that_join_to_one_encoding(db: Path) -> None:
    """A save writes batches of records, never a second whole copy of the file."""
    import workbench.storage.safe_json as safe_json

    tables = scan_tables(db.read_bytes())
    assert tables is not None
    tables[CASES_TABLE]["3"] = msgspec.json.decode(tables[CASES_TABLE]["3"])  # mixed
    tables["empty"] = {}
    old_batch = safe_json._BATCH
    try:
        safe_json._BATCH = 7  # 40 records: several pieces
        pieces = list(encode_pieces(tables))
    finally:
        safe_json._BATCH = old_batch
    assert len(pieces) > 6
    assert max(len(p) for p in pieces) < len(db.read_bytes()) / 3
    assert b"".join(pieces) == msgspec.json.encode(tables)
    assert json.loads(b"".join(pieces))["empty"] == {}
    assert b"".join(encode_pieces({})) == b"{}"
