"""Several workbenches on one file, checked step by step against a plain model in dicts.

A Hypothesis state machine drives three clients (separate :class:`CaseStore` objects, as
three terminals would have) on one database file with random sequences of every action a
person takes: open a case, tick and untick steps, write step notes and case notes,
schedule, complete, cancel and move follow-ups, set the status, record a remedy, close,
and edit the case's fields. The model is plain dicts: what each case should hold after
every change the store said was saved.

After every step a fresh store (a fourth workbench starting up) and plain
``tinydb.TinyDB`` read the file, and both must show exactly the model: no saved change
lost, no case id handed out twice, every field as its last writer left it. Before each
change the machine also checks that the store it uses knows whether its copy of the file
is stale (another client wrote since it last looked), so the clients really do write from
out-of-date copies and the store has to read the file again under its lock.

Clients also save forms opened on what their screen showed when they last looked (a
stale base): a field left untouched on the form keeps what another client put there, and
a text changed both on the form and elsewhere keeps both texts
(:mod:`workbench.domain.merge`).

``WORKBENCH_STORE_MODEL=long`` runs many more and longer sequences.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from tinydb import TinyDB

from workbench.domain import actions, edits
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.model import Case, Channel, Fault, Heat, Outcome, Status
from workbench.domain.playbooks import PlaybookLibrary
from workbench.storage import CaseRepository, CaseStore
from workbench.storage.journal import journal_path

RUNS = {
    "quick": settings(max_examples=60, stateful_step_count=40),
    "long": settings(max_examples=300, stateful_step_count=80),
}
RUN = RUNS[os.environ.get("WORKBENCH_STORE_MODEL", "quick")]

CLIENTS = 3
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORDS = ["refund", "called", "angry", "twice", "manager", "sorry", "délai", "[bold]x[/]", "ok"]
FIELDS = ("title", "customer", "contact", "channel", "heat", "fault")
"""What the case form edits."""
TEXTS = ("title", "customer", "contact")
"""Of those, the texts: changed in two places at once, both are kept."""

Model = dict[str, Any]
"""One case as the model keeps it (see :func:`expected`)."""

clients = st.integers(0, CLIENTS - 1)
line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
"""A one-line text as a person types it (no stray spaces, so cleaning keeps it as is)."""
text = st.lists(line, min_size=1, max_size=3).map("\n".join)
"""A note of one or more lines."""
picks = st.integers(0, 1000)
"""Which step or follow-up of a case, taken modulo how many it has."""
field_values: dict[str, st.SearchStrategy[Any]] = {
    "title": line,
    "customer": line,
    "contact": st.sampled_from(["", "ana@example.com", "+44 20 7946 0000"]),
    "channel": st.sampled_from(Channel),
    "heat": st.sampled_from(Heat),
    "fault": st.sampled_from(Fault),
}


# --- What a case looks like, from the model, a Case, and a raw TinyDB record -----------


def observed(case: Case) -> Model:
    """A case as the store hands it out, in the model's terms."""
    return {
        "title": case.title,
        "customer": case.customer,
        "contact": case.contact,
        "channel": case.channel.value,
        "heat": case.heat.value,
        "fault": case.fault.value,
        "status": case.status.value,
        "outcome": case.outcome.value if case.outcome else None,
        "steps": [(step.done, step.note) for step in case.steps],
        "notes": [event.text for event in case.notes],
        "followups": {
            item.id: (item.due.isoformat(), item.action, followup_state(item.done_at, item))
            for item in case.followups
        },
        "remedy": (
            None
            if case.remedy is None
            else (case.remedy.description, f"{case.remedy.cost:.2f}", case.remedy.accepted)
        ),
        "revision": case.revision,
    }


def followup_state(done_at: object, item: Any) -> str:
    if done_at is not None:
        return "done"
    return "cancelled" if item.cancelled_at is not None else "open"


def observed_record(record: dict[str, Any]) -> Model:
    """A case as plain TinyDB reads it from the file (no workbench code), in the model's
    terms."""
    remedy = record["remedy"]
    return {
        "title": record["title"],
        "customer": record["customer"],
        "contact": record["contact"],
        "channel": record["channel"],
        "heat": record["heat"],
        "fault": record["fault"],
        "status": record["status"],
        "outcome": record["outcome"],
        "steps": [(step["done_at"] is not None, step["note"]) for step in record["steps"]],
        "notes": [event["text"] for event in record["timeline"] if event["kind"] == "note"],
        "followups": {
            item["id"]: (
                datetime.fromisoformat(item["due"]).isoformat(),
                item["action"],
                "done"
                if item["done_at"] is not None
                else "cancelled"
                if item["cancelled_at"] is not None
                else "open",
            )
            for item in record["followups"]
        },
        "remedy": (
            None
            if remedy is None
            else (remedy["description"], f"{Decimal(remedy['cost']):.2f}", remedy["accepted"])
        ),
        "revision": record["revision"],
    }


# --- Forms saved from a stale base ------------------------------------------------------


def draft_of(case: Case) -> CaseDraft:
    """The case form's fields as it opens on ``case``."""
    return CaseDraft.of(case)


def plain(value: object) -> object:
    """A field's value as the model keeps it (a choice by its value)."""
    return value.value if isinstance(value, Channel | Heat | Fault) else value


def edit_from(base: CaseDraft, name: str, value: Any, now: datetime) -> Callable[[Case], object]:
    """Saving the case form that opened on ``base`` with field ``name`` changed."""
    draft = replace(base, **{name: value})
    return lambda c: actions.edit_case(c, draft, now, base=base)


def assert_kept(case: Case, text: str, theirs: str, ours: str) -> None:
    """Both texts survive: in the field, or (joined, too long for it) on the timeline."""
    timeline = [event.text for event in case.timeline]
    assert ours in text
    assert theirs in text or any(theirs in line for line in timeline)


def kept_both(name: str, theirs: object, ours: object, case: Model) -> Callable[[Case], None]:
    def check(saved: Case) -> None:
        got = getattr(saved, name)
        assert isinstance(theirs, str) and isinstance(ours, str)
        assert_kept(saved, got, theirs, ours)
        case[name] = got
        event("a case field changed in two places: both kept")

    return check


# --- The machine ---------------------------------------------------------------------


class StoreMachine(RuleBasedStateMachine):
    """Three clients on one file; ``model`` holds what every case must be."""

    cases = Bundle("cases")
    GET_READS_ALL = True
    """Reading or changing one case reads every case (as a file's store does): the client
    is then up to date with every other client's writes."""

    def __init__(self, root: Path, library: PlaybookLibrary) -> None:
        super().__init__()
        self.folder = root
        self.folder.mkdir()
        self.path = self.folder / "cases.json"
        self.library = library
        self.playbooks = sorted(playbook.key for playbook in library)
        self.clients = [self.open_store() for _ in range(CLIENTS)]
        self.model: dict[str, Model] = {}
        self.clock = count(1)
        self.writes = 0
        """How many times the file was written."""
        self.seen = [0] * CLIENTS
        """How many writes each client had seen when it last read or wrote the file."""
        self.views: list[dict[str, Case]] = [{} for _ in range(CLIENTS)]
        """The cases each client's screen showed when it last looked: forms open on them."""

    def now(self) -> datetime:
        return START + timedelta(minutes=next(self.clock))

    # -- what differs between backends -----------------------------------------------------

    def open_store(self) -> CaseRepository:
        """Another client (a workbench starting up) on the same cases."""
        return CaseStore(self.path, backups=False)

    def knows_stale(self, store: CaseRepository) -> bool:
        """Whether the client knows another wrote since it last looked."""
        assert isinstance(store, CaseStore)
        return store.changed_on_disk()

    def raw_records(self) -> list[dict[str, Any]] | None:
        """The stored records, read without the workbench (None: nothing stored yet)."""
        if not self.path.exists():
            return None  # plain TinyDB would create an empty file: nothing to read yet
        if journal_path(self.path).exists():
            return None  # plain TinyDB sees the journal's changes once they are folded
        with TinyDB(self.path, access_mode="r") as plain:  # "r": reading never writes
            return list(plain.table("cases").all())

    def teardown(self) -> None:
        for store in self.clients:
            store.close()
        shutil.rmtree(self.folder)

    # -- going through a client ---------------------------------------------------------

    def client(self, number: int) -> CaseRepository:
        """Client ``number``'s store, after checking that it knows whether the file changed
        under it since it last looked (and so must read it again before writing)."""
        store = self.clients[number]
        stale = self.seen[number] < self.writes
        assert self.knows_stale(store) == stale
        if stale:
            event("a client acts on a stale copy of the file")
        return store

    def saved(self, number: int, *, wrote: bool, read_all: bool = False) -> None:
        """Client ``number`` wrote (or read): what it has seen of the others' writes now."""
        up_to_date = self.seen[number] == self.writes
        if wrote:
            self.writes += 1
        if read_all or self.GET_READS_ALL or up_to_date:  # a file's store reads it all first
            self.seen[number] = self.writes

    def change(
        self,
        number: int,
        case_id: str,
        change: Callable[[Case], object],
        *,
        refused: bool = False,
        changes: bool = True,
        then: Callable[[Case], None] | None = None,
    ) -> None:
        """Apply ``change`` through client ``number``. The model says beforehand whether a
        domain rule refuses it and whether it changes anything (a change to what is
        already there writes nothing and keeps the revision); ``then`` checks what came
        back and brings the model up to date where only the result can say (texts kept
        both ways)."""
        store = self.client(number)
        if refused:
            with pytest.raises(DomainError):
                store.update(case_id, change)
            event("a change refused by a domain rule")
        else:
            case, _ = store.update(case_id, change)
            if then is not None:
                then(case)
            if changes:
                self.model[case_id]["revision"] += 1
            assert observed(case) == self.model[case_id]  # what the client was told
        self.saved(number, wrote=not refused and changes)

    # -- rules ----------------------------------------------------------------------------

    @initialize(target=cases, number=clients, title=line, customer=line)
    def first_case(self, number: int, title: str, customer: str) -> str:
        return self._open(number, title, customer, Heat.UPSET, Fault.UNCLEAR, 0)

    @rule(
        target=cases,
        number=clients,
        title=line,
        customer=line,
        heat=st.sampled_from(Heat),
        fault=st.sampled_from(Fault),
        which=picks,
    )
    def add_case(
        self, number: int, title: str, customer: str, heat: Heat, fault: Fault, which: int
    ) -> str:
        return self._open(number, title, customer, heat, fault, which)

    def _open(
        self, number: int, title: str, customer: str, heat: Heat, fault: Fault, which: int
    ) -> str:
        playbook = self.library.get(self.playbooks[which % len(self.playbooks)])
        draft = CaseDraft(title, customer, heat=heat, fault=fault, channel=Channel.EMAIL)
        case = self.client(number).add(draft, playbook, self.now())
        expected_id = f"C-{len(self.model) + 1:04d}"
        assert case.id == expected_id and case.id not in self.model  # never shared
        self.model[case.id] = {
            "title": title,
            "customer": customer,
            "contact": "",
            "channel": Channel.EMAIL.value,
            "heat": heat.value,
            "fault": fault.value,
            "status": Status.NEW.value,
            "outcome": None,
            "steps": [(False, "") for _ in playbook.steps],
            "notes": [],
            "followups": {},
            "remedy": None,
            "revision": 1,
        }
        assert observed(case) == self.model[case.id]
        self.saved(number, wrote=True)
        return case.id

    @rule(number=clients, case_id=cases, which=picks, done=st.booleans())
    def tick_step(self, number: int, case_id: str, which: int, done: bool) -> None:
        case = self.model[case_id]
        index = which % len(case["steps"])
        closed = case["status"] == Status.CLOSED.value
        changes = not closed and case["steps"][index][0] != done
        if changes:
            case["steps"][index] = (done, case["steps"][index][1])
            if done and case["status"] == Status.NEW.value:
                case["status"] = Status.IN_PROGRESS.value
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.set_step(c, index, done, now),
            refused=closed,
            changes=changes,
        )

    @rule(number=clients, case_id=cases, which=picks, note=text | st.just(""))
    def step_note(self, number: int, case_id: str, which: int, note: str) -> None:
        case = self.model[case_id]
        index = which % len(case["steps"])
        changes = case["steps"][index][1] != note
        case["steps"][index] = (case["steps"][index][0], note)
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.set_step_note(c, index, note, now),
            changes=changes,
        )

    @rule(number=clients, case_id=cases, note=text)
    def add_note(self, number: int, case_id: str, note: str) -> None:
        self.model[case_id]["notes"].append(note)
        now = self.now()
        self.change(number, case_id, lambda c: actions.add_note(c, note, now))

    @rule(number=clients, case_id=cases, hours=st.integers(1, 24 * 30), what=line)
    def schedule_followup(self, number: int, case_id: str, hours: int, what: str) -> None:
        case = self.model[case_id]
        closed = case["status"] == Status.CLOSED.value
        due = START + timedelta(hours=hours)
        if not closed:
            number_given = max(case["followups"], default=0) + 1
            case["followups"][number_given] = (due.isoformat(), what, "open")
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.schedule_followup(c, due, what, now),
            refused=closed,
        )

    def _followup(self, case_id: str, which: int) -> tuple[int, bool] | None:
        """A follow-up of the case (its number, and whether it is still open), if any."""
        followups = self.model[case_id]["followups"]
        if not followups:
            return None
        number = sorted(followups)[which % len(followups)]
        return number, followups[number][2] == "open"

    @rule(number=clients, case_id=cases, which=picks, cancel=st.booleans(), note=line | st.just(""))
    def finish_followup(
        self, number: int, case_id: str, which: int, cancel: bool, note: str
    ) -> None:
        found = self._followup(case_id, which)
        if found is None:
            return
        item, is_open = found
        if is_open:
            due, what, _ = self.model[case_id]["followups"][item]
            self.model[case_id]["followups"][item] = (due, what, "cancelled" if cancel else "done")
        now = self.now()
        act = actions.cancel_followup if cancel else actions.complete_followup
        self.change(number, case_id, lambda c: act(c, item, now, note), refused=not is_open)

    @rule(number=clients, case_id=cases, which=picks, hours=st.integers(1, 24 * 30))
    def move_followup(self, number: int, case_id: str, which: int, hours: int) -> None:
        found = self._followup(case_id, which)
        if found is None:
            return
        item, is_open = found
        due = START + timedelta(hours=hours)
        was, what, state = self.model[case_id]["followups"][item]
        if is_open:
            self.model[case_id]["followups"][item] = (due.isoformat(), what, state)
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.reschedule_followup(c, item, due, now),
            refused=not is_open,
            changes=was != due.isoformat(),
        )

    @rule(
        number=clients,
        case_id=cases,
        status=st.sampled_from([s for s in Status if s is not Status.CLOSED]),
    )
    def set_status(self, number: int, case_id: str, status: Status) -> None:
        case = self.model[case_id]
        before = case["status"]
        if status.value != before:
            case["status"] = status.value
            if status is not Status.RESOLVED and before in ("resolved", "closed"):
                case["outcome"] = None  # reopened: the old ending no longer stands
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.set_status(c, status, now),
            changes=status.value != before,
        )

    @rule(
        number=clients,
        case_id=cases,
        what=line,
        cents=st.integers(0, 500_000),
        accepted=st.sampled_from([True, False, None]),
    )
    def record_remedy(
        self, number: int, case_id: str, what: str, cents: int, accepted: bool | None
    ) -> None:
        case = self.model[case_id]
        closed = case["status"] == Status.CLOSED.value
        cost = Decimal(cents) / 100
        remedy = (what, f"{cost:.2f}", accepted)
        changes = not closed and case["remedy"] != remedy
        if not closed:
            case["remedy"] = remedy
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.record_remedy(c, what, cost, accepted, now),
            refused=closed,
            changes=changes,
        )

    @rule(
        number=clients,
        case_id=cases,
        outcome=st.sampled_from(Outcome),
        allow=st.booleans(),
        cancel=st.booleans(),
    )
    def close(self, number: int, case_id: str, outcome: Outcome, allow: bool, cancel: bool) -> None:
        case = self.model[case_id]
        open_steps = not all(done for done, _ in case["steps"])
        refused = case["status"] == Status.CLOSED.value or (open_steps and not allow)
        if not refused:
            case["status"] = Status.CLOSED.value
            case["outcome"] = outcome.value
            if cancel:
                for item, (due, what, state) in case["followups"].items():
                    if state == "open":
                        case["followups"][item] = (due, what, "cancelled")
        now = self.now()
        self.change(
            number,
            case_id,
            lambda c: actions.close_case(
                c, outcome, now, allow_open_steps=allow, cancel_followups=cancel
            ),
            refused=refused,
        )

    @rule(number=clients, case_id=cases, data=st.data())
    def edit_field(self, number: int, case_id: str, data: st.DataObject) -> None:
        """The case form changes one field; the others go to the save as the store has
        them now, so a field another client changed is left as that client left it."""
        name = data.draw(st.sampled_from(FIELDS), label="field")
        value = data.draw(field_values[name], label="value")
        case = self.model[case_id]
        changes = case[name] != plain(value)
        case[name] = plain(value)
        now = self.now()

        def edit(c: Case) -> None:
            actions.edit_case(c, replace(draft_of(c), **{name: value}), now)

        self.change(number, case_id, edit, changes=changes)

    @rule(number=clients, case_id=cases, which=picks)
    def change_playbook(self, number: int, case_id: str, which: int) -> None:
        """The case form saved with another playbook: every step that was done or written
        on stays in the case with its tick and its note (carried over to the new playbook,
        or kept from the earlier one), whatever the other clients did before."""
        case = self.model[case_id]
        playbook = self.library.get(self.playbooks[which % len(self.playbooks)])
        store = self.client(number)
        current = store.get(case_id).playbook
        if self.GET_READS_ALL:  # a read of the file: this client is up to date now
            self.saved(number, wrote=False)
        worked = [step for step in case["steps"] if step[0] or step[1]]
        now = self.now()

        def edit(c: Case) -> None:
            actions.edit_case(c, draft_of(c), now, playbook)

        def check(saved: Case) -> None:
            after = [(step.done, step.note) for step in saved.steps]
            left = list(after)
            for step in worked:  # each worked step, once each, tick and note as they were
                assert step in left, (step, after)
                left.remove(step)
            assert saved.playbook == playbook.key
            case["steps"] = after
            event("a playbook changed with work on its steps" if worked else "a playbook changed")

        self.change(number, case_id, edit, then=check, changes=current != playbook.key)

    def _steps_moved(self, case_id: str, view: Case) -> bool:
        """True when the file's steps of the case are no longer those the view showed (a
        playbook changed since): indexes then say nothing, keys do."""
        observer = self.open_store()
        try:
            now = observer.get(case_id)
        finally:
            observer.close()
        keys = [(step.key, step.from_playbook) for step in now.steps]
        return now.playbook != view.playbook or keys != [
            (step.key, step.from_playbook) for step in view.steps
        ]

    @rule(number=clients)
    def fold(self, number: int) -> None:
        """A screen folds the file's journal of changes into it (a server has none)."""
        folded = self.client(number).fold()
        if folded:  # it read the file and its journal, then wrote the file whole
            event("a client folds the journal into the file")
            self.saved(number, wrote=True, read_all=True)

    @rule(number=clients)
    def look(self, number: int) -> None:
        """A client reads every case (its screen refreshes): it sees exactly the model."""
        self._look(number)

    def _look(self, number: int) -> None:
        cases = self.client(number).all_cases()
        assert {case.id: observed(case) for case in cases} == self.model
        self.views[number] = {case.id: case for case in cases}
        self.saved(number, wrote=False, read_all=True)

    # -- forms saved from what the screen showed (a stale base) --------------------------

    @rule(number=clients, case_id=cases, data=st.data())
    def edit_from_screen(self, number: int, case_id: str, data: st.DataObject) -> None:
        """The case form, opened on the case as this client last saw it, saved with one
        field changed. Fields left as they were keep what the file holds now; a text also
        changed elsewhere since keeps both texts; a choice changed on both sides takes
        the one just saved."""
        name = data.draw(st.sampled_from(FIELDS), label="field")
        value = data.draw(field_values[name], label="value")
        self._edit_from_screen(number, case_id, name, value)

    def _edit_from_screen(self, number: int, case_id: str, name: str, value: Any) -> None:
        view = self.views[number].get(case_id)
        if view is None:
            return
        base = draft_of(view)
        case = self.model[case_id]
        start, theirs = plain(getattr(base, name)), case[name]
        ours = plain(value)
        clash = theirs not in (start, ours) and ours != start
        if clash and name in TEXTS:
            both = kept_both(name, theirs, ours, case)
            self.change(number, case_id, edit_from(base, name, value, self.now()), then=both)
            return
        result = theirs if ours == start else ours
        changes = result != theirs
        case[name] = result
        self.change(number, case_id, edit_from(base, name, value, self.now()), changes=changes)

    @rule(number=clients, case_id=cases, which=picks, note=text | st.just(""))
    def note_from_screen(self, number: int, case_id: str, which: int, note: str) -> None:
        """The step-note form, opened on the note as this client last saw it."""
        self._note_from_screen(number, case_id, which, note)

    def _note_from_screen(self, number: int, case_id: str, which: int, note: str) -> None:
        view = self.views[number].get(case_id)
        if view is None:
            return
        index = which % len(view.steps)
        seen = view.steps[index]
        case = self.model[case_id]
        now = self.now()

        def save(c: Case) -> object:
            return edits.note_on_step(c, seen, note, now, base=seen.note, seen_in=view.playbook)

        if self._steps_moved(case_id, view):
            # The playbook changed elsewhere since this client looked: the step is found
            # again by its key, or is gone. Whatever happened, the note typed survives.
            def survives(saved: Case) -> None:
                texts = [step.note for step in saved.steps] + [e.text for e in saved.timeline]
                assert note.strip() == seen.note or any(note.strip() in t for t in texts)
                case["steps"] = [(step.done, step.note) for step in saved.steps]
                case["notes"] = [e.text for e in saved.notes]
                event("a step note saved after the playbook changed elsewhere")

            store = self.client(number)
            before = self.model[case_id]["revision"]
            saved, _ = store.update(case_id, save)
            survives(saved)
            case["revision"] = saved.revision
            self.saved(number, wrote=saved.revision != before)
            assert observed(saved) == case
            return
        done, theirs = case["steps"][index]
        clash = theirs not in (seen.note, note) and note != seen.note

        if clash:  # both changed it: both texts kept, and the timeline says so

            def both(saved: Case) -> None:
                got = saved.steps[index].note
                assert_kept(saved, got, theirs, note)
                case["steps"][index] = (done, got)
                event("a step note changed in two places: both kept")

            self.change(number, case_id, save, then=both)
            return
        result = theirs if note == seen.note else note
        case["steps"][index] = (done, result)
        self.change(number, case_id, save, changes=result != theirs)

    @rule(
        first=clients,
        second=clients,
        case_id=cases,
        which=picks,
        name=st.sampled_from(TEXTS),
        texts=st.tuples(line, line),
        notes=st.tuples(text, text),
    )
    def same_form_in_two_places(
        self,
        first: int,
        second: int,
        case_id: str,
        which: int,
        name: str,
        texts: tuple[str, str],
        notes: tuple[str, str],
    ) -> None:
        """Two clients open the same case, and each saves the same text field and the
        same step note differently: the second saves from a base the first has changed."""
        if first == second:
            second = (first + 1) % CLIENTS
        self._look(first)
        self._look(second)
        self._edit_from_screen(first, case_id, name, texts[0])
        self._edit_from_screen(second, case_id, name, texts[1])
        self._note_from_screen(first, case_id, which, notes[0])
        self._note_from_screen(second, case_id, which, notes[1])

    # -- after every step -----------------------------------------------------------------

    @invariant()
    def the_file_holds_every_saved_change(self) -> None:
        fresh = self.open_store()
        try:
            assert {case.id: observed(case) for case in fresh.all_cases()} == self.model
        finally:
            fresh.close()
        records = self.raw_records()
        if records is None:
            return
        ids = [record["id"] for record in records]
        assert len(ids) == len(set(ids))
        assert {record["id"]: observed_record(record) for record in records} == self.model


def test_clients_on_one_file_keep_every_saved_change(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    runs = count()

    class OnePerRun(StoreMachine):
        """Each run of the machine in a folder of its own inside tmp_path."""

        def __init__(self) -> None:
            super().__init__(tmp_path / f"run-{next(runs)}", library)

    run_state_machine_as_test(
        OnePerRun,
        settings=settings(
            RUN,
            deadline=None,
            database=None,  # nothing written outside tmp_path
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


class ServerMachine(StoreMachine):
    """The same clients and rules on a PostgreSQL database of their own."""

    GET_READS_ALL = False  # one case is one row: the others may have changed meanwhile,
    # and the client knows it has not seen them

    def __init__(self, root: Path, library: PlaybookLibrary, url: str) -> None:
        self.url = url
        super().__init__(root, library)

    def open_store(self) -> CaseRepository:
        from workbench.storage.postgres import PostgresStore

        return PostgresStore(self.url, pool_size=1)

    def knows_stale(self, store: CaseRepository) -> bool:
        return store.changed_elsewhere()

    def raw_records(self) -> list[dict[str, Any]] | None:
        import psycopg

        with psycopg.connect(self.url) as conn:  # SQL, no workbench code
            rows = conn.execute("SELECT record FROM workbench.cases ORDER BY number").fetchall()
        return [row[0] for row in rows]


def test_clients_on_one_server_keep_every_saved_change(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    from helpers.pg_server import new_database_url

    runs = count()

    class OnePerRun(ServerMachine):
        def __init__(self) -> None:
            super().__init__(tmp_path / f"run-{next(runs)}", library, new_database_url())

    run_state_machine_as_test(
        OnePerRun,
        settings=settings(
            RUN,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_a_client_with_a_stale_copy_writes_over_nothing(
    tmp_path: Path, library: PlaybookLibrary
) -> None:
    """The plain case the machine runs many times over: A has read the file, B changes a
    field, A (whose copy is now out of date) changes another; both changes are kept."""
    path = tmp_path / "cases.json"
    alice, bob = CaseStore(path, backups=False), CaseStore(path, backups=False)
    opened = alice.add(CaseDraft("Charged twice", "Ana Chen"), library.get("unhappy"), START)
    assert alice.all_cases()[0].title == "Charged twice"
    bob.update(opened.id, lambda c: actions.set_status(c, Status.WAITING, START))
    assert alice.changed_on_disk()
    alice.update(opened.id, lambda c: actions.add_note(c, "rang back", START))
    for store in (alice, bob, CaseStore(path, backups=False)):
        case = store.get(opened.id)
        assert case.status is Status.WAITING
        assert [note.text for note in case.notes] == ["rang back"]
        assert case.revision == 3
        store.close()
