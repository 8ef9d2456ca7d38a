"""ctrl+z in the session, where another agent changed the same case first: what our
change did is counted on the stored case, so undoing it never undoes theirs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from helpers.clock import NOW

from workbench.domain import actions
from workbench.domain.actions import CaseDraft
from workbench.domain.model import Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseStore
from workbench.ui.session import Session


class Heard:
    """A listener that keeps what the session says."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def cases_shown(self, *args: object, **kwargs: object) -> None: ...
    def cases_filled_in(self, *args: object, **kwargs: object) -> None: ...
    def all_filled_in(self, *args: object, **kwargs: object) -> None: ...
    def case_put(self, *args: object, **kwargs: object) -> None: ...
    def customers_changed(self) -> None: ...
    def case_opened(self, *args: object, **kwargs: object) -> None: ...
    def reload(self) -> None: ...
    def status(self, *args: object, **kwargs: object) -> None: ...

    def say(self, message: str, **kwargs: object) -> None:
        self.said.append(message)


def a_session(db: Path, library: PlaybookLibrary) -> tuple[Session, Heard, CaseStore]:
    store = CaseStore(db)
    store.add(CaseDraft("Charged twice", "Ana Chen"), library.get("unhappy"), NOW)
    session = Session(store, lambda call, *args: call(*args))
    heard = Heard()
    session.listen(heard)  # type: ignore[arg-type]
    assert session.show(store.all_cases())
    return session, heard, store


def test_the_same_edit_made_elsewhere_first_is_not_undone(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    db = tmp_path / "cases.json"
    session, heard, store = a_session(db, library)
    other = CaseStore(db)  # another agent sets it waiting; this screen hasn't heard yet
    other.update("C-0001", lambda case: actions.set_status(case, Status.WAITING, NOW))
    session.change(
        session.cases["C-0001"],
        "set status",
        lambda case: actions.set_status(case, Status.WAITING, NOW),
    )
    assert session.wait_saved(10)
    session.show(store.all_cases())
    assert session.undo(NOW + timedelta(minutes=2)) is None  # ours did nothing there
    assert session.wait_saved(10)
    assert CaseStore(db).get("C-0001").status is Status.WAITING
    assert heard.said[-1] == "Nothing to undo: no change was made on this screen yet."


def test_undo_pressed_before_the_save_takes_back_what_was_saved(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    db = tmp_path / "cases.json"
    session, _heard, _store = a_session(db, library)
    session.saver.settle = 5.0  # hold the save back, as a slow disk would
    session.change(
        session.cases["C-0001"], "tick step", lambda case: actions.set_step(case, 0, True, NOW)
    )
    assert session.saver.pending == 1
    assert session.undo(NOW) == "C-0001"  # at once, the tick still on its way
    assert session.wait_saved(15)
    case = CaseStore(db).get("C-0001")
    assert not case.steps[0].done
    assert case.timeline[-1].text == "Undone: tick step (back to step 1 not done, status new)"
