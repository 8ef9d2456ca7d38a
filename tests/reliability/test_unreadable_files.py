"""Issue #5, item 4: files the workbench can't read are refused, explained, and left alone.

For each kind of damage, every command refuses (exit 2, one line saying what is wrong and
what to do), nothing is written (the file keeps its bytes, inode and modification time; no
backup is taken), and ``workbench doctor`` reports the same problem, exits 1, and changes
nothing at all in the folder. tests/unit/storage/test_store.py checks the store's refusals one
by one; this checks that the command line and doctor tell the user the same story.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.reliability import DATA, cli, folder_listing, snapshot

from workbench.storage.schema import SCHEMA_VERSION

V1 = json.loads((DATA / "schema1.json").read_text())


def damaged(change: Callable[[dict[str, Any]], object], version: int = 1) -> bytes:
    """The hand-written schema-1 file (or the same at ``version``) with one thing broken."""
    data = json.loads(json.dumps(V1))
    data["meta"]["1"]["schema"] = version
    change(data)
    return json.dumps(data, indent=1).encode()


# name, file content, what the app and doctor both say is wrong, what they say to do
BAD_FILES: list[tuple[str, bytes, str, str]] = [
    ("empty file", b"", "is empty (0 bytes)", "workbench restore N"),
    ("blank file", b"\n\n   \n", "is blank", "workbench restore N"),
    (
        "truncated JSON",
        (DATA / "schema1.json").read_bytes()[:700],
        "is damaged: Expecting value at line 24",
        "workbench restore N",
    ),
    ("NUL bytes", b"\x00" * 4096, "is damaged: Expecting value", "workbench restore N"),
    (
        "NUL bytes after a crash",
        (DATA / "schema1.json").read_bytes()[:512] + b"\x00" * 512,
        "is damaged",
        "workbench restore N",
    ),
    ("not UTF-8", b'{"cases": {"1": {"title": "caf\xe9"}}}', "not UTF-8", "workbench restore N"),
    ("a JSON list", b"[1, 2, 3]", "not a workbench database", "workbench restore N"),
    ("a JSON string", b'"cases"', "not a workbench database", "workbench restore N"),
    (
        "cases as a list",
        damaged(lambda d: d.update(cases=list(d["cases"].values()))),
        "not a workbench database",
        "workbench restore N",
    ),
    (
        "schema from the future",
        damaged(lambda d: None, version=SCHEMA_VERSION + 1),
        f"newer workbench (file schema {SCHEMA_VERSION + 1}",
        "Upgrade the workbench",
    ),
    (
        "schema not a number",
        damaged(lambda d: d["meta"]["1"].update(schema="2")),
        "schema version '2'",
        "workbench restore N",
    ),
    (
        "case counter not a number",
        damaged(lambda d: d["meta"]["1"].update(last_case="5"), version=2),
        "last case number '5'",
        "workbench restore N",
    ),
    (
        "case record missing a field",
        damaged(lambda d: d["cases"]["2"].pop("customer")),
        "case C-0002: the field “customer” is missing",
        "workbench doctor",
    ),
    (
        "case record with a wrong type",
        damaged(lambda d: d["cases"]["3"].update(revision="9")),
        "case C-0003: the field “revision” should be int, found str",
        "workbench doctor",
    ),
    (
        "step with a wrong type",
        damaged(lambda d: d["cases"]["2"]["steps"][1].update(done_at=20261002)),
        "case C-0002, steps[1]: the field “done_at” should be str/NoneType",
        "workbench doctor",
    ),
    (
        "follow-up date that is not a date",
        damaged(lambda d: d["cases"]["3"]["followups"][0].update(due="next week")),
        "the field “due” is not a date-time",
        "workbench doctor",
    ),
    (
        "case filed under the wrong number",
        damaged(lambda d: d["cases"].update({"9": d["cases"].pop("5")})),
        "Case record 9 holds C-0005",
        "workbench doctor",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "problem", "way_out"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_refused_explained_and_untouched(
    name: str, content: bytes, problem: str, way_out: str, tmp_path: Path
) -> None:
    db = tmp_path / "cases.json"
    db.write_bytes(content)
    before = snapshot(db)
    listing = folder_listing(tmp_path)

    doctor = cli(db, "doctor")
    assert doctor.code == 1
    assert "PROBLEM" in doctor.out and problem in doctor.out, doctor.out
    as_json = cli(db, "doctor", "--json").json()
    assert as_json["healthy"] is False
    assert any(problem in f["message"] for f in as_json["findings"] if f["level"] == "problem")
    assert folder_listing(tmp_path) == listing  # doctor created nothing: no lock, no backup
    assert snapshot(db) == before

    for command in (
        ["list"],
        ["show", "C-0002"],
        ["add", "New complaint", "--customer", "Dee"],
        ["note", "C-0002", "Called back"],
        ["step", "C-0002", "3", "--done"],
    ):
        result = cli(db, *command)
        assert result.code == 2, (command, result)
        assert result.err.count("\n") == 1 and result.err.startswith("workbench: ")
        assert problem in result.err, result.err  # what is wrong
        assert way_out in result.err, result.err  # and what to do
        assert "Traceback" not in result.err
    assert snapshot(db) == before
    assert not (tmp_path / "backups").exists()
    assert not list(tmp_path.glob(".*.tmp"))
