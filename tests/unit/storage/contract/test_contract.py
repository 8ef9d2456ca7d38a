"""What every backend of the storage seam must do (docs/ARCHITECTURE.md, "The storage seam").

Each test runs once per backend in :data:`backends.BACKENDS`, on two handles of one new
store: ``repository``, the one under test, and ``other``, a second client of the same
data. Nothing here looks at files: a backend passes by keeping the promises of
:class:`workbench.storage.CaseRepository`, whatever it keeps cases in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from helpers.contract_backends import Handles

from workbench.domain import actions, limits
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.model import Case
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseNotFound, CaseRepository, ChangeRefused, StoreError

Draft = Callable[..., CaseDraft]


@pytest.fixture
def repository(handles: Handles) -> CaseRepository:
    return handles[0]


@pytest.fixture
def other(handles: Handles) -> CaseRepository:
    """A second client of the same data: another workbench, or the command line."""
    return handles[1]


@pytest.fixture
def opened(
    repository: CaseRepository, make_draft: Draft, library: PlaybookLibrary, now: datetime
) -> Case:
    return repository.add(make_draft(), library.get("our-mistake"), now)


def add(store: CaseRepository, library: PlaybookLibrary, now: datetime, title: str) -> Case:
    return store.add(CaseDraft(title=title, customer="Ana Chen"), library.get("unhappy"), now)


def notes(case: Case) -> list[str]:
    return [event.text for event in case.notes]


def test_ids_are_handed_out_once_whichever_handle_asks(
    repository: CaseRepository, other: CaseRepository, library: PlaybookLibrary, now: datetime
) -> None:
    ids = [add(repository, library, now, "first").id, add(other, library, now, "second").id]
    ids.append(add(repository, library, now, "third").id)
    draft, playbook = CaseDraft(title="ready-made", customer="Bo"), library.get("unhappy")
    made = [actions.open_case(draft, "C-0001", playbook, now) for _ in range(2)]
    ids += [case.id for case in other.add_many(made)]  # numbered afresh, after the others
    ids.append(add(repository, library, now, "last").id)
    assert ids == [f"C-{n:04d}" for n in range(1, 7)]
    for store in (repository, other):
        assert [case.id for case in store.all_cases()] == ids
        assert store.count() == 6


def test_a_change_is_applied_to_the_freshest_case(
    repository: CaseRepository, other: CaseRepository, opened: Case, now: datetime
) -> None:
    repository.get(opened.id)  # our copy, before the other client's change
    other.update(opened.id, lambda c: actions.add_note(c, "from the other client", now))
    seen: list[list[str]] = []

    def change(case: Case) -> str:
        seen.append(notes(case))
        actions.add_note(case, "ours", now)
        return "done"

    saved, result = repository.update(opened.id, change)
    assert seen == [["from the other client"]]
    assert result == "done"
    assert notes(saved) == ["from the other client", "ours"]
    assert saved.revision == opened.revision + 2
    assert notes(other.get(opened.id)) == ["from the other client", "ours"]


def half_then_refused(now: datetime) -> Callable[[Case], None]:
    def change(case: Case) -> None:
        actions.add_note(case, "half of a change", now)
        actions.add_note(case, "", now)  # an empty note: the rule says no

    return change


def half_then_a_bug(now: datetime) -> Callable[[Case], None]:
    def change(case: Case) -> None:
        actions.add_note(case, "half of a change", now)
        {}["no such key"]  # a bug, not a rule

    return change


@pytest.mark.parametrize(
    ("make_change", "raised"), [(half_then_refused, DomainError), (half_then_a_bug, KeyError)]
)
def test_nothing_is_written_when_the_change_raises(
    repository: CaseRepository,
    other: CaseRepository,
    opened: Case,
    now: datetime,
    make_change: Callable[[datetime], Callable[[Case], None]],
    raised: type[Exception],
) -> None:
    other.all_cases()
    with pytest.raises(raised) as error:
        repository.update(opened.id, make_change(now))
    assert not isinstance(error.value, StoreError)  # the change's own error, as it was
    assert not other.changed_elsewhere()
    for store in (repository, other):
        assert store.get(opened.id) == opened


def test_nothing_is_written_when_the_change_changes_nothing(
    repository: CaseRepository, other: CaseRepository, opened: Case
) -> None:
    other.all_cases()
    saved, result = repository.update(opened.id, lambda c: len(c.steps))
    assert result == len(opened.steps)
    assert saved.revision == opened.revision
    assert not other.changed_elsewhere()
    assert other.get(opened.id) == opened


def too_long(case: Case) -> None:
    case.title = "x" * (limits.MAX_TEXT + 1)


def too_late(case: Case) -> None:
    case.opened_at = case.opened_at.replace(year=limits.LATEST_YEAR + 1)


@pytest.mark.parametrize("past_bounds", [too_long, too_late])
def test_a_case_past_the_bounds_is_refused_and_never_seen(
    repository: CaseRepository,
    other: CaseRepository,
    opened: Case,
    past_bounds: Callable[[Case], None],
) -> None:
    with pytest.raises(ChangeRefused):
        repository.update(opened.id, past_bounds)
    spare = repository.get(opened.id)
    past_bounds(spare)
    with pytest.raises(ChangeRefused):
        repository.add_many([spare])
    for store in (repository, other):
        assert store.all_cases() == [opened]


def test_every_saved_change_is_seen_by_the_other_client(
    repository: CaseRepository, other: CaseRepository, opened: Case, now: datetime
) -> None:
    other.all_cases()
    due = now + timedelta(days=2)
    repository.update(opened.id, lambda c: actions.schedule_followup(c, due, "Call back", now))
    repository.update(opened.id, lambda c: actions.set_step(c, 0, True, now))
    mine = repository.get(opened.id)
    assert other.get(opened.id) == mine
    assert other.all_cases() == [mine]
    [for_followups] = other.cases_for_followups()
    assert [f.action for f in for_followups.followups] == ["Call back"]
    assert for_followups.steps == []


def test_heads_then_whole_cases_are_all_cases(
    repository: CaseRepository, opened: Case, library: PlaybookLibrary, now: datetime
) -> None:
    repository.update(opened.id, lambda c: actions.add_note(c, "Called back", now))
    add(repository, library, now, "second")
    heads, held = repository.case_heads()
    every = repository.all_cases()
    assert [head.id for head in heads] == [case.id for case in every]
    assert all(head.steps == [] and head.timeline == [] for head in heads)
    assert [head.title for head in heads] == [case.title for case in every]
    assert repository.whole_cases(held) == every
    assert repository.whole_cases(held[1:]) == every[1:]


def test_a_batch_is_saved_together_or_not_at_all(
    repository: CaseRepository,
    other: CaseRepository,
    opened: Case,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    with repository.batch():
        added = add(repository, library, now, "in the batch")
        repository.update(opened.id, lambda c: actions.add_note(c, "in the batch", now))
        with pytest.raises(ChangeRefused):  # refused alone; the rest goes on
            repository.update(opened.id, too_long)
        assert other.all_cases() == [opened]  # nothing yet
    assert [case.id for case in other.all_cases()] == [opened.id, added.id]
    assert notes(other.get(opened.id)) == ["in the batch"]

    with pytest.raises(RuntimeError), repository.batch():
        add(repository, library, now, "never saved")
        repository.update(opened.id, lambda c: actions.add_note(c, "never saved", now))
        raise RuntimeError("stopped half-way")
    for store in (repository, other):
        assert [case.id for case in store.all_cases()] == [opened.id, added.id]
        assert notes(store.get(opened.id)) == ["in the batch"]


def test_changed_elsewhere_after_the_other_clients_write_not_our_own(
    repository: CaseRepository,
    other: CaseRepository,
    opened: Case,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    repository.all_cases()
    assert not repository.changed_elsewhere()
    add(other, library, now, "elsewhere")
    assert repository.changed_elsewhere()
    assert len(repository.all_cases()) == 2
    assert not repository.changed_elsewhere()
    repository.update(opened.id, lambda c: actions.add_note(c, "ours", now))
    assert not repository.changed_elsewhere()
    assert other.changed_elsewhere()


def test_changes_name_what_the_other_client_changed_never_our_own(
    repository: CaseRepository,
    other: CaseRepository,
    opened: Case,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    """``changes()`` after the other client's writes: everything, or exactly the cases it
    changed, as saved; after our own writes or a full read, nothing."""
    woken = threading.Event()
    repository.watch(woken.set)
    repository.all_cases()
    assert repository.changes() is None
    repository.update(opened.id, lambda c: actions.add_note(c, "ours", now))
    assert repository.changes() is None
    other.update(opened.id, lambda c: actions.add_note(c, "theirs", now))
    added = add(other, library, now, "elsewhere")
    deadline = time.monotonic() + 5
    changes = repository.changes()
    while changes is None or (not changes.everything and len(changes.cases) < 2):
        assert time.monotonic() < deadline, "the other client's changes were never told"
        time.sleep(0.05)
        more = repository.changes()
        if more is not None:
            changes = (
                more
                if changes is None or more.everything
                else replace(changes, cases=[*changes.cases, *more.cases])
            )
    if changes.everything:
        assert changes.cases == []
    else:
        assert sorted(case.id for case in changes.cases) == [opened.id, added.id]
        [ours] = [case for case in changes.cases if case.id == opened.id]
        assert [note.text for note in ours.notes] == ["ours", "theirs"]
    assert len(repository.all_cases()) == 2


def test_a_load_keeps_every_case_as_it_was_and_numbers_go_on_after_it(
    repository: CaseRepository,
    other: CaseRepository,
    library: PlaybookLibrary,
    now: datetime,
) -> None:
    """``load_all`` puts whole cases in as they are (ids with gaps, revisions, timelines),
    all or none; an empty store takes them, a full one only with ``replace``; numbers
    are handed out after the ``issued`` given, never again."""
    made = [
        actions.open_case(CaseDraft(f"case {n}", "Ana"), f"C-{n:04d}", library.get("unhappy"), now)
        for n in (3, 7)
    ]
    actions.add_note(made[1], "kept as it was", now)
    made[1].revision = 12
    assert repository.issued() == 0
    repository.load_all(made, 9)
    assert other.all_cases() == made
    assert other.issued() == 9
    assert other.add(CaseDraft("next", "Bo"), library.get("unhappy"), now).id == "C-0010"
    with pytest.raises(StoreError):
        repository.load_all(made, 9)  # not empty: refused, nothing changed
    assert len(other.all_cases()) == 3
    repository.load_all(made[:1], 2, replace=True)
    assert [case.id for case in other.all_cases()] == ["C-0003"]
    assert other.add(CaseDraft("after", "Cy"), library.get("unhappy"), now).id == "C-0011"


def test_an_unknown_case_is_not_found(repository: CaseRepository, opened: Case) -> None:
    with pytest.raises(CaseNotFound):
        repository.get("C-0099")
    with pytest.raises(CaseNotFound):
        repository.update("C-0099", lambda c: None)
    assert repository.all_cases() == [opened]


def test_what_it_says_besides_success(repository: CaseRepository, opened: Case) -> None:
    assert isinstance(repository.take_notices(), list)
    assert repository.location.strip()


def test_closing_keeps_the_cases_for_every_client(
    repository: CaseRepository, other: CaseRepository, opened: Case
) -> None:
    repository.close()
    repository.close()  # twice is harmless
    assert other.all_cases() == [opened]
