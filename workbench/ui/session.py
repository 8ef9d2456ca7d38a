"""The workbench's working state, apart from any screen: the cases as the screen shows
them, the changes on their way to the store, and news of changes made elsewhere.

The app owns one :class:`Session`; the main screen listens to it
(:class:`SessionListener`) and draws what it is told. Nothing here imports Textual, so
every rule of the cache (heads first, whole cases after; a change shown at once and
saved in order; a newer load winning over an older one) is tested without a screen.
The threads are the host's: the session says what to read, the screen's workers run it.

See docs/ARCHITECTURE.md for the path of a change from a key to the disk.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.agents import signed
from workbench.domain.customers import Customer, CustomerEdit, best_spelling, customer_key
from workbench.domain.merge import Edit
from workbench.domain.model import Case
from workbench.domain.playbooks import Playbook
from workbench.domain.search import search_text
from workbench.domain.undo import Difference, differences, redo, undo
from workbench.storage import CaseRepository, ChangeRefused, Changes, StoreError
from workbench.ui.saver import Change, SaveBug, Saver, SaverEvents

T = TypeVar("T")
Severity = Literal["information", "warning", "error"]

WHOLE_BATCH = 200
"""Whole cases built at a time in the background after the first screen (about 4 ms of
work; with the pause after each, a key pressed meanwhile shares the interpreter half
and half at worst)."""

NEW_CASE = "new case"
UNDO_LEVELS = 100
"""How many of this screen's changes ctrl+z can take back, newest first."""


FOLD_IDLE_SECONDS = 2.0
"""The screen folds the file's journal into it once no change has come for this long:
a few seconds after the last change, and once, not after each, for a script's run."""


@dataclass
class Done:
    """One change made on this screen, as ctrl+z and ctrl+y know it."""

    case_id: str
    label: str
    changes: tuple[Difference, ...]
    """What the change did: first as on the screen's copy, then, once saved, as it did on
    the stored case (under the store's lock: another agent may have made the same edit
    first, and then it did nothing there, and undoing it must not undo theirs). An undo
    pressed before the save reads it when it runs, after the save."""


class SessionListener(Protocol):
    """What the session tells the screen; always called on the UI thread."""

    def cases_shown(self, cases: list[Case], *, heads: bool, external: bool) -> None:
        """Every case anew (a load): ``heads`` when their steps and timelines follow."""

    def cases_filled_in(self, whole: dict[str, Case], texts: dict[str, str]) -> None:
        """Whole cases in place of their heads (with their filter texts, when made)."""

    def all_filled_in(self, complete: bool) -> None:
        """The background read is over: every case is whole, or (``complete`` False) it
        stopped on a damaged record, said on the status line."""

    def case_put(self, case: Case) -> None:
        """One case changed (ours, at once; or as saved, when the file's differs)."""

    def customers_changed(self) -> None:
        """Customers' records changed (ours, or read again after others' changes)."""

    def case_opened(self, case: Case) -> None:
        """A new case is saved and has its id."""

    def reload(self) -> None:
        """The screen's copy can't be trusted (a change was refused on the file's): load
        every case again."""

    def status(self, message: str, *, error: bool = False) -> None:
        """The one-line status: saving, saved, or why not."""

    def say(
        self, message: str, *, severity: Severity = "information", timeout: float | None = None
    ) -> None:
        """A notification (text, never markup)."""


Dispatch = Callable[..., None]
"""Runs ``fn(*args)`` on the UI thread (the app's ``call_from_thread``), from any thread."""


@dataclass(frozen=True)
class Heads:
    """A first load: every case's head, and the records to make them whole later."""

    cases: list[Case]
    held: list[object]
    people: tuple[Customer, ...] | None = None
    """Every customer's record, read with them."""


@dataclass(frozen=True)
class ReadChanges(Changes):
    """Others' changes as the session read them: with the customers' records, read again
    when the store said they (or everything) changed."""

    people: tuple[Customer, ...] | None = None


class Session:
    """The cases on screen and the saver; the app makes one when it starts."""

    def __init__(
        self, store: CaseRepository, dispatch: Dispatch, *, settle: float = 0.0, author: str = ""
    ) -> None:
        self.store = store
        self.author = author
        """Who makes this screen's changes (the ``agent`` setting): it signs their lines."""
        self._dispatch = dispatch
        self._listener: SessionListener | None = None
        self.cases: dict[str, Case] = {}
        """Every case shown, by id: whole, or a head until its whole case is read."""
        # Loading shows every case's head first (no steps, no timeline: a third of the
        # reading) and builds the whole cases in the background right after. Until then
        # a head is kept here with the record it came from; anything that needs more
        # than a head (the checklist, a change, insight, an export) goes through
        # whole()/all_whole(), which build it on the spot.
        self._heads: dict[str, Case] = {}
        self._held: dict[str, object] = {}
        self.load_number = 0
        """Bumped by every load shown, so whole cases read for an older one are dropped."""
        self.loaded = False
        """True once a first load (or a first new case) is shown."""
        self._elsewhere: dict[str, Case] = {}
        """Cases changed elsewhere, waiting for our own changes to be saved first."""
        self.saving_said = False
        """True once the status line spoke of a save: until then a load says nothing there
        (nothing happened yet to be saved), afterwards it says all is saved, as it is."""
        self._generation = 0
        """Bumped when cases are shown anew, one is added or its customer renamed: the
        customers' index (:meth:`customer_cases`) is then built again."""
        self._customers: tuple[int, dict[str, list[str]]] = (-1, {})
        self.people: dict[str, Customer] = {}
        """Every customer's own record, by key (:func:`customer_key`)."""
        self.done: list[Done] = []
        """This screen's changes, oldest first: what ctrl+z takes back, from the end."""
        self.undone: list[Done] = []
        """Changes taken back, latest last: what ctrl+y does again. A new change clears it."""
        self.saver = Saver(
            store,
            SaverEvents(
                saved=lambda change, case: self._later(self._saved, change, case),
                failed=lambda change, error, delay: self._later(
                    self._save_failed, change, error, delay
                ),
                rejected=lambda change, error: self._later(self._save_rejected, change, error),
                idle=lambda: self._later(self._all_saved),
            ),
            settle=settle,
        )

    def listen(self, listener: SessionListener) -> None:
        self._listener = listener

    @property
    def listener(self) -> SessionListener:
        if self._listener is None:
            raise LookupError("nothing listens to the session yet")
        return self._listener

    def _later(self, report: Callable[..., None], *args: object) -> None:
        self._dispatch(report, *args)

    def report(self, message: str, *, error: bool = False) -> None:
        """A line for the status bar, from the UI thread."""
        if self._listener is not None:
            self._listener.status(message, error=error)

    def _report_later(self, error: StoreError) -> None:
        self._later(self._report_error, error)

    def _report_error(self, error: StoreError) -> None:
        self.report(f"⚠ {error}", error=True)

    # -- reading -------------------------------------------------------------------
    def read_heads(self) -> Heads | None:
        """Off the UI thread: every case's head; None (said on the status line) if the
        file can't give them."""
        try:
            cases, held = self.store.case_heads()
            people = tuple(self.store.customers())
        except StoreError as error:
            self._report_later(error)
            return None
        return Heads(cases, held, people)

    def read_changed(self) -> Changes | None:
        """Off the UI thread: what others changed (the cases the store names, or every
        case when it can't say which, with ``everything``), else None."""
        try:
            changes = self.store.changes()
            if changes is None:
                return None
            if changes.everything:
                cases = self.store.all_cases()
                return ReadChanges(cases, everything=True, people=tuple(self.store.customers()))
            if changes.customers:
                people = tuple(self.store.customers())
                return ReadChanges(changes.cases, customers=True, people=people)
            return changes
        except StoreError as error:
            self._report_later(error)
            return None

    def fold(self) -> None:
        """Off the UI thread: fold the changes the store keeps aside (the file's journal)
        into their lasting place, so other programs see them; a failure is said on the
        status line and the changes stay where they are, safe."""
        try:
            self.store.fold(idle=FOLD_IDLE_SECONDS)
        except StoreError as error:
            self._report_later(error)

    def present(self, case_id: str | None) -> None:
        """Tell other screens on the same store that this one has this case open."""
        self.store.present(case_id, self.author)

    def others_on(self, case_id: str) -> list[str]:
        """Other agents with this case open on their screens now (a server can tell)."""
        return [agent for agent in self.store.others_on(case_id) if agent != self.author]

    def watch(self, wake: Callable[[], None]) -> None:
        """Have ``wake`` called (from any thread) when the store hears of others' changes."""
        self.store.watch(wake)

    def show_changes(self, changes: Changes) -> None:
        """Others' changes on screen: every case anew, or just the cases named. While our
        own changes are on their way, named cases wait for them (a case we change is
        saved on its freshest copy, and comes back with their change in it). Customers'
        records read again are shown at once."""
        if isinstance(changes, ReadChanges) and changes.people is not None:
            self.people = {customer.key: customer for customer in changes.people}
            if not changes.everything:
                self.listener.customers_changed()
        if changes.everything:
            self.show(changes.cases, external=True)
            return
        self._elsewhere.update({case.id: case for case in changes.cases})
        if not self.saver.pending:
            self._put_elsewhere()

    def _put_elsewhere(self) -> None:
        waiting, self._elsewhere = self._elsewhere, {}
        for case in waiting.values():
            shown = self.cases.get(case.id)
            if shown is not None and shown.revision >= case.revision:
                continue  # what we show is as new (our own save came back meanwhile)
            self._heads.pop(case.id, None)
            self._held.pop(case.id, None)
            self._put(case)
        if waiting:
            self.report("↻ Updated with changes made elsewhere · all changes saved")

    def read_whole(
        self,
        held: list[object],
        deliver: Callable[[list[Case], list[str]], None],
        *,
        cancelled: Callable[[], bool],
        pause: Callable[[], None],
    ) -> bool:
        """Off the UI thread: the whole cases for ``held``, a batch at a time, each batch
        with the filter's texts (made here, not on the UI thread), handed to ``deliver``;
        ``pause`` between batches lets keys through. False if the file could not give them
        (said on the status line; the heads stay)."""
        try:
            for start in range(0, len(held), WHOLE_BATCH):
                whole = self.store.whole_cases(held[start : start + WHOLE_BATCH])
                texts = [search_text(case) for case in whole]
                if cancelled():
                    return True
                deliver(whole, texts)
                pause()
        except StoreError as error:
            # The file is damaged where the heads did not look: say so; the heads stay
            # (whatever needs a whole case says it again and does nothing).
            self._report_later(error)
            return False
        return True

    def pending_heads(self) -> list[object]:
        """The records of the cases still shown as heads."""
        return list(self._held.values())

    def is_head(self, case_id: str) -> bool:
        head = self._heads.get(case_id)
        return head is not None and head is self.cases.get(case_id)

    # -- loads ---------------------------------------------------------------------
    def show(self, cases: list[Case] | Heads, *, external: bool = False) -> bool:
        """Show these cases (heads, made whole next, or whole ones); False, changing
        nothing, while our own changes are on their way: their results will follow."""
        if self.saver.pending:
            return False
        self.load_number += 1
        if isinstance(cases, Heads):
            if cases.people is not None:
                self.people = {customer.key: customer for customer in cases.people}
            shown = cases.cases
            # before the screen indexes them: the cursor may land on one while it fills
            self._heads = {case.id: case for case in shown}
            self._held = {case.id: held for case, held in zip(shown, cases.held, strict=True)}
        else:
            shown = cases
            self._heads, self._held = {}, {}
        self.cases = {case.id: case for case in shown}
        self._generation += 1
        self.loaded = True
        self.listener.cases_shown(shown, heads=isinstance(cases, Heads), external=external)
        if external:
            self.report("↻ Updated with changes made elsewhere · all changes saved")
        else:  # nothing of ours waits (see above): saved, if anything was ever to save
            self.report("✓ All changes saved" if self.saving_said else "")
        return True

    def fill_in(self, whole: list[Case], load: int, texts: list[str] | None = None) -> None:
        """Put whole cases where their heads still are (a case changed or reloaded since
        is newer than its head's record and stays), with their filter texts if given.
        Nothing, if a newer load came since these were read: they would be older than
        what it shows."""
        if load != self.load_number:
            return
        fresh: dict[str, Case] = {}
        fresh_texts: dict[str, str] = {}
        heads, held = self._heads, self._held
        for index, case in enumerate(whole):
            head = heads.pop(case.id, None)
            held.pop(case.id, None)
            if head is not None and self.cases.get(case.id) is head:
                self.cases[case.id] = case
                fresh[case.id] = case
                if texts is not None:
                    fresh_texts[case.id] = texts[index]
        self.listener.cases_filled_in(fresh, fresh_texts)

    def finish_load(self, load: int, complete: bool = True) -> None:
        """The background read of load ``load`` ended (``complete``: every case whole)."""
        if load != self.load_number:
            return
        if complete:
            self._heads, self._held = {}, {}
        self.listener.all_filled_in(complete)

    def whole(self, case_id: str) -> Case | None:
        """The case with its steps and timeline, built now if only its head is shown."""
        case = self.cases.get(case_id)
        if case is None or not self.is_head(case_id):
            return case
        try:
            (whole,) = self.store.whole_cases([self._held[case_id]])
        except StoreError as error:
            self._report_error(error)
            return None
        del self._heads[case_id], self._held[case_id]
        self.cases[case_id] = whole
        self.listener.cases_filled_in({case_id: whole}, {})
        return whole

    def all_whole(self) -> list[Case] | None:
        """Every case whole (for figures asked for in the first moments); None, with the
        reason on the status line, if the file can't give them."""
        if self._heads:
            try:
                whole = self.store.whole_cases(self.pending_heads())
            except StoreError as error:
                self._report_error(error)
                return None
            self.fill_in(whole, self.load_number)
            self.finish_load(self.load_number)
        return list(self.cases.values())

    def snapshot(self) -> Callable[[], list[Case]]:
        """The cases as shown now, for work off the UI thread (an export): the function
        returned builds the ones still heads whole (an export shows follow-up history
        from the timeline) and may raise :class:`StoreError`."""
        shown = list(self.cases.values())
        heads = [self._held[case.id] for case in shown if self._heads.get(case.id) is case]

        def cases() -> list[Case]:
            if not heads:
                return shown
            whole = {case.id: case for case in self.store.whole_cases(heads)}
            return [whole.get(case.id, case) for case in shown]

        return cases

    # -- changes -------------------------------------------------------------------
    def change(
        self,
        case: Case,
        label: str,
        apply: Callable[[Case], T],
        *,
        remember: bool = True,
        refused: Callable[[DomainError], str] = str,
    ) -> T | None:
        """Apply a domain change to our copy now and queue the same change for saving.

        The change starts from the session's current copy of the case, made whole if it
        is still a head (a form may have held on to an older copy, or to a head, while
        open). A rule that says no is said at once, and nothing is queued. What it did is
        remembered for ctrl+z (unless ``remember`` is False: undo and redo themselves).
        ``refused`` words a refusal (the rule's own sentence, unless told otherwise).
        """
        apply = signed(apply, self.author)
        if case.id in self.cases:
            current = self.whole(case.id)
            if current is None:  # the file can't give the whole case: said on the status line
                return None
            case = current
        working = copy.deepcopy(case)
        try:
            result = apply(working)
        except DomainError as error:
            self.listener.say(refused(error), severity="error", timeout=8)
            return None
        if working == case:  # saved as it was (a form left unchanged): nothing to save
            said = result.notices if isinstance(result, Edit) else ()  # "done elsewhere", …
            self.listener.say(
                " ".join(said) or f"Nothing changed ({label}): there was nothing to save."
            )
            return result
        done: Done | None = None
        if remember and (did := differences(case, working)):
            done = Done(case.id, label, did)
            self.done.append(done)
            del self.done[:-UNDO_LEVELS]
            self.undone.clear()
        self._put(working)
        case_id = case.id
        notices: list[str] = []

        def recorded(stored: Case) -> T:
            if done is None:
                return apply(stored)
            before = copy.deepcopy(stored)
            try:
                result = apply(stored)
            except BaseException:
                done.changes = ()  # refused on the stored case: nothing there to undo
                raise
            done.changes = differences(before, stored)  # what it did where it counts
            return result

        def run(store: CaseRepository) -> Case:
            saved, outcome = store.update(case_id, recorded)
            # Applied to the freshest case, a form's text may meet one changed elsewhere
            # meanwhile: both are kept, and the person saving is told once it is saved.
            notices[:] = outcome.notices if isinstance(outcome, Edit) else ()
            return saved

        self.saver.submit(Change(label, run, notices))
        self.saving_said = True
        self.report(f"Saving… ({label})")
        return result

    def undo(self, now: datetime) -> str | None:
        """Take back this screen's last change still remembered, on the case as it is
        now; the id of the case it was on, or None when there was nothing to take back or
        the case has changed since in what the change did (said, and forgotten: the next
        ctrl+z goes to the change before)."""
        while self.done and not self.done[-1].changes:
            self.done.pop()  # saved, it changed nothing (someone had made it already)
        if not self.done:
            self.listener.say("Nothing to undo: no change was made on this screen yet.")
            return None
        done = self.done.pop()
        # done.changes is read when the undo runs: saved after the change itself (the saver
        # keeps order), it takes back what the change did on the stored case.
        summary = self._again(done, lambda c: undo(c, done.changes, now, done.label), "undo")
        if summary is None:
            return None
        self.undone.append(done)
        more = " ctrl+y does it again."
        self.listener.say(f"Undone on {done.case_id}: {done.label} (back to {summary}).{more}")
        return done.case_id

    def redo(self, now: datetime) -> str | None:
        """Do again the change ctrl+z took back last; the id of its case, or None."""
        if not self.undone:
            self.listener.say("Nothing to redo: ctrl+y does again what ctrl+z took back.")
            return None
        done = self.undone.pop()
        summary = self._again(done, lambda c: redo(c, done.changes, now, done.label), "redo")
        if summary is None:
            return None
        self.done.append(done)
        self.listener.say(f"Redone on {done.case_id}: {done.label} ({summary}).")
        return done.case_id

    def _again(self, done: Done, apply: Callable[[Case], str], verb: str) -> str | None:
        """``apply`` (an undo or a redo of ``done``) through :meth:`change`, not
        remembered; its summary, or None when it could not be made (said)."""
        case = self.whole(done.case_id) if done.case_id in self.cases else None
        if case is None:
            self.listener.say(
                f"Can't {verb} “{done.label}”: {done.case_id} is no longer shown.",
                severity="warning",
            )
            return None
        after = "ctrl+z now goes to the change before." if verb == "undo" else ""

        def refused(error: DomainError) -> str:  # a field changed since: what to do next
            return f"Can't {verb} “{done.label}”: {error} {after}"

        return self.change(case, f"{verb} {done.label}", apply, remember=False, refused=refused)

    def open_case(self, draft: CaseDraft, playbook: Playbook, now: datetime) -> None:
        """Queue a new case; the screen hears of it (with its id) once it is saved."""
        author = self.author
        self.saver.submit(
            Change(NEW_CASE, lambda store: store.add(draft, playbook, now, author=author))
        )
        self.saving_said = True
        self.report(f"Saving… ({NEW_CASE})")

    def customer(self, name: str) -> Customer | None:
        """The record of the customer ``name`` names, as last read or saved here."""
        return self.people.get(customer_key(name))

    def edit_customer(self, name: str, edit: CustomerEdit) -> bool:
        """Apply an edit of a customer's record here now (a rule that says no is said at
        once, nothing queued) and queue it for saving on the freshest record. False
        when it was refused or changed nothing."""
        shown = self.customer(name) or Customer(name=name.strip())
        working = copy.deepcopy(shown)
        try:
            changed = edit.apply(working)
        except DomainError as error:
            self.listener.say(str(error), severity="error", timeout=8)
            return False
        if not changed:
            self.listener.say("Nothing changed on the customer's record: nothing to save.")
            return False
        self.people[working.key] = working
        self.listener.customers_changed()
        label = f"change {working.name}'s record"

        def run(store: CaseRepository) -> Customer:
            return store.update_customer(name, edit.apply)[0]

        self.saver.submit(Change(label, run))
        self.saving_said = True
        self.report(f"Saving… ({label})")
        return True

    def customer_cases(self, name: str) -> list[Case]:
        """Every case shown of the customer ``name`` (see :func:`customer_key`), from an
        index built once after each change, not on every move of the cursor."""
        index = self._customer_index()
        return [self.cases[case_id] for case_id in index.get(customer_key(name), ())]

    def customer_names(self) -> dict[str, int]:
        """Every customer shown, by their name as best written, with their number of cases."""
        names = {}
        for ids in self._customer_index().values():
            theirs = sorted((self.cases[i] for i in ids), key=lambda c: c.opened_at, reverse=True)
            names[best_spelling([case.customer for case in theirs])] = len(theirs)
        return names

    def _customer_index(self) -> dict[str, list[str]]:
        """Case ids by customer, built once after each change that can move them."""
        generation, index = self._customers
        if generation != self._generation:
            index = {}
            for case in self.cases.values():
                index.setdefault(customer_key(case.customer), []).append(case.id)
            self._customers = (self._generation, index)
        return index

    def _put(self, case: Case) -> None:
        shown = self.cases.get(case.id)
        if shown is None or shown.customer != case.customer:
            self._generation += 1  # a new case, or a customer renamed: index them anew
        if shown is not None and replace(shown, revision=case.revision) == case:
            # Saved as shown (the usual answer to our own change): keep the saved copy
            # (its revision is the file's), nothing on screen to redraw.
            self.cases[case.id] = case
            return
        self.cases[case.id] = case
        self.listener.case_put(case)

    # -- the saver's reports, on the UI thread ---------------------------------------
    def _saved(self, change: Change, case: Case | Customer) -> None:
        if isinstance(case, Customer):
            self.people[case.key] = case
            self.listener.customers_changed()
            return
        if self.saver.pending == 0 or case.id not in self.cases:
            self._put(case)
        for notice in change.notices:
            self.listener.say(notice, severity="warning", timeout=12)
        if change.label == NEW_CASE:
            self.loaded = True
            self.listener.case_opened(case)

    def _save_failed(self, change: Change, error: StoreError, delay: float) -> None:
        self.report(
            f"⚠ Not saved yet: {error} Your change is kept here and will be retried in "
            f"{delay:.0f} s ({self.saver.pending} waiting).",
            error=True,
        )

    def _save_rejected(self, change: Change, error: Exception) -> None:
        # The change passed on our copy and failed on the file's: the file must have
        # changed meanwhile, unless the change itself can't be stored.
        elsewhere = not isinstance(error, ChangeRefused | SaveBug)
        why = " The case was changed elsewhere meanwhile." if elsewhere else ""
        self.listener.say(
            f"Could not {change.label}: {str(error).rstrip('.')}.{why} "
            "Showing it as it is saved now.",
            severity="error",
            timeout=10,
        )
        self.listener.reload()

    def _all_saved(self) -> None:
        self.report("✓ All changes saved")
        if self._elsewhere:
            self._put_elsewhere()
        for notice in self.store.take_notices():  # a backup skipped, and why
            self.listener.say(notice, severity="warning", timeout=15)

    # -- the end -------------------------------------------------------------------
    @property
    def pending(self) -> int:
        """Changes not saved yet."""
        return self.saver.pending

    def wait_saved(self, timeout: float) -> bool:
        """Block until every change is saved or ``timeout`` passes; True when all saved."""
        return self.saver.wait_idle(timeout)

    def stop(self) -> None:
        self.saver.stop()
