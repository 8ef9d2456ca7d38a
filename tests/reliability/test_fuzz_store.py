"""Issue #5, item 7 (the store): any text in any field comes back from the file unchanged.

Hypothesis writes cases whose every text field holds arbitrary Unicode (lone surrogates,
control characters, right-to-left marks, NULs), markup-like text, and long notes, through
the real store, then reads them back with a fresh store (as another process would) and
with plain TinyDB. The date parser's own property test is tests/unit/domain/test_dates.py.
"""

from __future__ import annotations

import dataclasses
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from helpers.clock import NOW
from helpers.reliability import plain_tinydb_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.domain import actions
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.model import Case, FollowUp, Remedy
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.storage.playbook_files import load_library

LIBRARY: PlaybookLibrary = load_library(None)

NASTY = [
    "[bold red]refund![/]",
    "[/]",
    "[@click=app.quit]quit[/]",
    "[link=file:///etc/passwd]x[/link]",
    "\x1b[2J\x1b]0;pwned\x07",
    "${HOME} $(rm -rf ~) `id`",
    "{0} {name} %s %(x)s",
    "<script>alert(1)</script>",
    "__import__('os').system('id')",
    '=HYPERLINK("http://x")',
    "\u202eevil\u202c",
    "\x00\x01\x7f\x85\x9b",
    "\ud800 \udcff",
    "Zoë 😡 中文 ﷽",
    "line\nbreak\r\ntab\t",
]
TEXT = st.one_of(
    st.text(),
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=6).map("".join),
)


@contextmanager
def fresh_store() -> Iterator[tuple[CaseStore, Path]]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "cases.json"
        store = CaseStore(db, backups=False)
        try:
            yield store, db
        finally:
            store.close()


def a_case(title: str, customer: str, contact: str, tags: list[str]) -> Case:
    opened = actions.open_case(CaseDraft("x", "y"), "C-0001", LIBRARY.get("our-mistake"), NOW)
    # Set the raw text directly: the store must keep whatever it is given, unchecked.
    return dataclasses.replace(opened, title=title, customer=customer, contact=contact, tags=tags)


def read_back(db: Path, case_id: str) -> Case:
    other = CaseStore(db, backups=False)  # as another process would read it
    try:
        return other.get(case_id)
    finally:
        other.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    customer=TEXT,
    contact=TEXT,
    tags=st.lists(TEXT, max_size=3),
    note=TEXT,
    step_note=TEXT,
    action=TEXT,
    remedy=TEXT,
    guidance=TEXT,
)
def test_any_text_round_trips_through_the_file(
    title: str,
    customer: str,
    contact: str,
    tags: list[str],
    note: str,
    step_note: str,
    action: str,
    remedy: str,
    guidance: str,
) -> None:
    with fresh_store() as (store, db):
        case = a_case(title, customer, contact, tags)
        case.steps[0] = dataclasses.replace(case.steps[0], guidance=guidance, note=step_note)
        [stored] = store.add_many([case])

        def work(c: Case) -> None:
            c.followups.append(FollowUp(1, NOW + timedelta(days=1), action, note=note))
            c.remedy = Remedy(remedy, Decimal("12.34"), None, NOW)
            c.timeline.append(dataclasses.replace(c.timeline[0], text=note))

        saved, _ = store.update(stored.id, work)
        again = read_back(db, stored.id)
        assert again == saved
        assert (again.title, again.customer, again.contact, again.tags) == (
            title,
            customer,
            contact,
            tags,
        )
        assert again.steps[0].note == step_note and again.steps[0].guidance == guidance
        assert again.followups[0].action == action and again.followups[0].note == note
        assert again.remedy is not None and again.remedy.description == remedy
        assert again.timeline[-1].text == note
        assert store.fold()  # the journal's line, folded into the file
        assert read_back(db, stored.id) == saved
        record = plain_tinydb_cases(db)[1]  # and plain TinyDB sees the same text
        assert (record["title"], record["customer"], record["tags"]) == (title, customer, tags)


@settings(max_examples=60, deadline=None)
@given(note=TEXT, step_note=TEXT)
def test_notes_through_the_domain_actions_round_trip(note: str, step_note: str) -> None:
    """The same through the actions the screen and the command line use (which trim)."""
    with fresh_store() as (store, db):
        case = store.add(CaseDraft("Title", "Customer"), LIBRARY.get("unhappy"), NOW)
        try:
            saved, _ = store.update(case.id, lambda c: actions.add_note(c, note, NOW))
        except DomainError:
            assert not note.strip()  # only an empty note is refused
            saved = store.get(case.id)
        saved, _ = store.update(case.id, lambda c: actions.set_step_note(c, 0, step_note, NOW))
        assert read_back(db, case.id) == saved


def a_hundred_kilobytes(seed: int) -> str:
    """100 KB of text drawn from all of Unicode: every plane, controls, lone surrogates."""
    rng = random.Random(seed)
    pieces = []
    size = 0
    while size < 100_000:
        piece = rng.choice(NASTY) if rng.random() < 0.1 else chr(rng.randrange(0x110000))
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def test_hundred_kilobyte_notes_round_trip() -> None:
    with fresh_store() as (store, db):
        case = store.add(CaseDraft("Long story", "Ana"), LIBRARY.get("unhappy"), NOW)
        texts = [a_hundred_kilobytes(seed) for seed in range(3)]

        def work(c: Case) -> None:
            c.timeline.append(dataclasses.replace(c.timeline[0], text=texts[0]))
            c.steps[0] = dataclasses.replace(c.steps[0], note=texts[1])
            c.title = texts[2]

        saved, _ = store.update(case.id, work)
        again = read_back(db, case.id)
        assert again == saved
        assert again.timeline[-1].text == texts[0] and len(texts[0]) >= 100_000
        assert again.steps[0].note == texts[1] and again.title == texts[2]
        assert store.fold() and read_back(db, case.id) == saved
        assert db.stat().st_size > 300_000
