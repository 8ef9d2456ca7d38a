"""Shared fixtures: a frozen clock, the built-in playbooks, and a store on a temporary file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from helpers.clock import NOW

from workbench.domain.actions import CaseDraft
from workbench.domain.model import Channel, Fault, Heat
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.storage.playbook_files import load_library


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def library() -> PlaybookLibrary:
    return load_library(None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cases.json"


@pytest.fixture
def store(db_path: Path) -> Iterator[CaseStore]:
    store = CaseStore(db_path)
    yield store
    store.close()


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the real user's data or config folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    monkeypatch.delenv("WORKBENCH_PLAYBOOKS", raising=False)
    monkeypatch.delenv("WORKBENCH_DATE_ORDER", raising=False)
    monkeypatch.delenv("WORKBENCH_SETTINGS", raising=False)
    monkeypatch.delenv("WORKBENCH_BUG_LOG", raising=False)
    monkeypatch.delenv("WORKBENCH_AGENT", raising=False)
    monkeypatch.delenv("WORKBENCH_JOURNAL", raising=False)
    # Who "I" am, whichever user runs the tests (root in CI, nobody for the permission
    # tests): the login name the agent setting falls back to.
    monkeypatch.setattr("workbench.settings.login_name", lambda: "tester")


def _draft(**changes: object) -> CaseDraft:
    fields: dict[str, object] = {
        "title": "Charged twice for March",
        "customer": "Ana Chen",
        "contact": "ana@example.com",
        "channel": Channel.PHONE,
        "heat": Heat.FURIOUS,
        "fault": Fault.OURS,
    }
    fields.update(changes)
    return CaseDraft(**fields)  # type: ignore[arg-type]


@pytest.fixture
def make_draft() -> Callable[..., CaseDraft]:
    """A valid draft for a furious customer on the phone about our mistake; override any field."""
    return _draft


@pytest.fixture
def whole_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every change rewrites the database file whole (the journal of changes off, as
    ``WORKBENCH_JOURNAL=off`` has it; commands run as processes inherit it): for tests of
    what a whole write promises (its backup, its atomic replace, its faults)."""
    monkeypatch.setenv("WORKBENCH_JOURNAL", "off")
