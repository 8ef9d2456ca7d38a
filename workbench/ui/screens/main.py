"""The main screen: case list, checklist and follow-up calendar, every action from the keyboard.

Changes are applied to the screen's copy of a case at once and handed to the
:class:`~workbench.ui.saver.Saver`, which saves them in order off the UI's path. The
screen never reads or writes the file itself.
"""

from __future__ import annotations

import copy
import gc
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import Literal, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from workbench.domain import actions, edits
from workbench.domain.actions import CaseDraft, DomainError
from workbench.domain.exports import render
from workbench.domain.merge import Edit
from workbench.domain.model import Case
from workbench.domain.search import SortOrder, search_text
from workbench.domain.text import visible
from workbench.storage import CaseStore, ChangeRefused, StoreError
from workbench.storage.export_files import write_export
from workbench.storage.records import no_gc_pauses
from workbench.ui.host import WorkbenchHost
from workbench.ui.saver import Change, SaveBug, Saver, SaverEvents
from workbench.ui.screens.case_form import CaseFormResult, CaseFormScreen
from workbench.ui.screens.close_form import CloseResult, CloseScreen
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.done_form import FollowUpDoneScreen
from workbench.ui.screens.export_form import ExportRequest, ExportScreen
from workbench.ui.screens.followup_form import FollowUpResult, FollowUpScreen
from workbench.ui.screens.help import HelpScreen
from workbench.ui.screens.history import HistoryScreen
from workbench.ui.screens.insight import InsightScreen
from workbench.ui.screens.note_form import NoteScreen
from workbench.ui.screens.overdue import OverdueScreen
from workbench.ui.screens.remedy_form import RemedyResult, RemedyScreen
from workbench.ui.screens.status_form import StatusScreen
from workbench.ui.widgets.calendar import AgendaEntry, CalendarPane, MonthGrid
from workbench.ui.widgets.case_list import CaseList, CaseTable, StatusFilter
from workbench.ui.widgets.checklist import Checklist
from workbench.ui.widgets.footer import KeyBar

T = TypeVar("T")

REFRESH_SECONDS = 1.5
WHOLE_BATCH = 200
"""Whole cases built at a time in the background after the first screen (about 4 ms of
work; with the pause after each, a key pressed meanwhile shares the interpreter half
and half at worst)."""
WHOLE_PAUSE = 0.006
SAVE_QUIET_SECONDS = 1.0
SAVE_SETTLE_SECONDS = 0.15
"""A change is written once no other has come for this long (see Saver): the screen shows
it first, and the next key is not held up by the write."""


def case_entries(case: Case) -> list[AgendaEntry]:
    """One case's follow-ups as the calendar shows them."""
    return [
        AgendaEntry(
            case_id=case.id,
            customer=visible(case.customer),
            title=visible(case.title),
            followup_id=item.id,
            due=item.due,
            action=visible(item.action),
            done=item.done_at is not None,
            cancelled=item.cancelled_at is not None,
        )
        for item in case.followups
    ]


def agenda_entries(cases: dict[str, Case]) -> list[AgendaEntry]:
    return [entry for case in cases.values() for entry in case_entries(case)]


class MainScreen(Screen[None]):
    """Three panes; the bindings below are the contract in the README's key table."""

    AUTO_FOCUS = "CaseTable"
    """The case list has the keys from the first frame (Textual would focus the filter box
    first, and the key bar would be built twice: once for it, once for the list)."""

    BINDINGS = [
        Binding("n", "new_case", "New case", id="new-case"),
        Binding("e", "edit_case", "Edit case", id="edit-case"),
        Binding("space", "toggle_step", "Tick step", id="toggle-step"),
        Binding("m", "step_note", "Step note", id="step-note"),
        Binding("f", "schedule_followup", "Follow-up", id="schedule-followup"),
        Binding("d", "followup_done", "Follow-up done", id="followup-done"),
        Binding("F", "reschedule_followup", "Move follow-up", show=False, id="reschedule-followup"),
        Binding("O", "overdue", "Overdue follow-ups", show=False, id="overdue"),
        Binding("s", "set_status", "Status", id="set-status"),
        Binding("r", "record_remedy", "Remedy", id="record-remedy"),
        Binding("c", "close_case", "Close case", id="close-case"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
        Binding(
            "a", "cycle_status_filter", "Show open/all/…", show=False, id="cycle-status-filter"
        ),
        Binding("o", "cycle_sort", "Sort order", show=False, id="cycle-sort"),
        Binding("H", "history", "Customer history", show=False, id="history"),
        Binding("t", "calendar_today", "Calendar: today", show=False, id="calendar-today"),
        Binding(
            "less_than_sign",
            "calendar_month(-1)",
            "Calendar: previous month",
            show=False,
            id="calendar-previous-month",
        ),
        Binding(
            "greater_than_sign",
            "calendar_month(1)",
            "Calendar: next month",
            show=False,
            id="calendar-next-month",
        ),
        Binding("x", "export", "Export", show=False, id="export"),
        Binding("j", "cursor('down')", "Move down", show=False, id="cursor-down"),
        Binding("k", "cursor('up')", "Move up", show=False, id="cursor-up"),
        Binding("tab", "pane(1)", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "pane(-1)", "Previous pane", show=False, id="previous-pane"),
        Binding("i", "insight", "Insight", id="insight"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: dict[str, Case] = {}
        # Loading shows every case's head first (no steps, no timeline: a third of the
        # reading) and builds the whole cases in the background right after. Until then
        # a head is kept here with the record it came from; anything that needs more
        # than a head (the checklist, a change, insight, an export) goes through
        # _whole/_all_whole, which build it on the spot.
        self._heads: dict[str, Case] = {}
        self._held: dict[str, object] = {}
        self._load = 0
        """Bumped by every load shown, so whole cases read for an older one are dropped."""
        self._loaded = False
        self._warmed = False

    @property
    def wb(self) -> WorkbenchHost:
        """The application hosting this screen (see :mod:`workbench.ui.host`)."""
        assert isinstance(self.app, WorkbenchHost)
        return self.app

    def now(self) -> datetime:
        return self.wb.clock()

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield CaseList(self.now, id="case-list")
            with Vertical(id="right"):
                yield Checklist(self.now, id="checklist")
                yield CalendarPane(self.now, self.wb.settings.first_weekday, id="calendar")
        yield Static(id="welcome")
        yield Static(Text("Loading…"), id="save-status")
        yield KeyBar()

    @property
    def case_list(self) -> CaseList:
        return self.query_one(CaseList)

    @property
    def checklist(self) -> Checklist:
        return self.query_one(Checklist)

    @property
    def calendar(self) -> CalendarPane:
        return self.query_one(CalendarPane)

    def on_mount(self) -> None:
        self.checklist.set_playbook_names({p.key: p.name for p in self.wb.library})
        self.saver = Saver(
            self.wb.store,
            SaverEvents(
                saved=lambda change, case: self._from_saver(self._saved, change, case),
                failed=lambda change, error, delay: self._from_saver(
                    self._save_failed, change, error, delay
                ),
                rejected=lambda change, error: self._from_saver(self._save_rejected, change, error),
                idle=lambda: self._from_saver(self._all_saved),
            ),
            settle=SAVE_SETTLE_SECONDS,
        )
        self.query_one("#welcome").display = False
        self.load_cases()
        self.set_interval(REFRESH_SECONDS, self._poll_disk)
        table = self.case_list.table
        # The checklist follows the cursor in the same update as the cursor itself: one
        # frame a key. (CaseList.Highlighted comes a message hop later, after a frame of
        # the cursor alone; it is handled too, for moves made some other way.)
        self.watch(table, "cursor_row", self._cursor_moved, init=False)
        table.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 110, "-narrow")
        self.set_class(event.size.height < 32, "-short")

    # -- loading and live refresh --------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load_cases(self) -> None:
        # No cycle collection from the first case read until they are shown and frozen
        # (see _show_all): one in between would walk all of them, for nothing.
        with no_gc_pauses():
            try:
                heads, held = self.wb.store.case_heads()
            except StoreError as error:
                self.app.call_from_thread(self._status, f"⚠ {error}", error=True)
                return
            self.app.call_from_thread(self._show_all, heads, held=held)

    @work(thread=True, exclusive=True, group="whole")
    def _read_whole(
        self, held: list[object], load: int, heads_texts: Callable[[], None] = lambda: None
    ) -> None:
        """Whole cases for the heads of load number ``load``, a batch at a time, each put
        in place as it is built (so the heads it replaces are freed as it goes), letting
        go of the interpreter between batches so a key pressed meanwhile is not held up
        for long. A batch that arrives after a newer load is dropped (see _fill_in).

        First ``heads_texts`` (a :meth:`CaseList.filter_warmer`): the heads' filter texts,
        a tenth of a second at 50,000 cases, so a letter typed into the filter while
        the whole cases come in does not work them out (0.05 s more for that letter)."""
        worker = get_current_worker()
        # No cycle collection until all are in and frozen (see _warm): one meanwhile
        # would walk every case built so far, in one go, felt as a key that lags.
        with no_gc_pauses():
            heads_texts()
            try:
                for start in range(0, len(held), WHOLE_BATCH):
                    whole = self.wb.store.whole_cases(held[start : start + WHOLE_BATCH])
                    texts = [search_text(case) for case in whole]  # the filter's, made here
                    if worker.is_cancelled:
                        return
                    self.app.call_from_thread(self._fill_in, whole, load, texts)
                    time.sleep(WHOLE_PAUSE)
                    self._wait_for_quiet()
            except StoreError as error:
                # The file is damaged where the heads did not look: say so; the heads
                # stay (whatever needs a whole case says it again and does nothing).
                self.app.call_from_thread(self._status, f"⚠ {error}", error=True)
                self.app.call_from_thread(self._read_stopped, load)
                return
            if not worker.is_cancelled:
                self.app.call_from_thread(self._all_filled_in, load)

    def _fill_in(self, whole: list[Case], load: int, texts: list[str] | None = None) -> None:
        """Put whole cases where their heads still are (a case changed or reloaded since
        is newer than its head's record and stays), with their filter texts if given.
        Nothing, if a newer load came since these were read: they would be older than
        what it shows."""
        if load != self._load:
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
        self.case_list.fill_in(fresh, fresh_texts)

    def _all_filled_in(self, load: int) -> None:
        if load != self._load:
            return
        self._heads, self._held = {}, {}
        self.case_list.refilter()  # a filter typed meanwhile now sees every case's notes
        self._warm()

    def _read_stopped(self, load: int) -> None:
        """The background read ended early: search what did come in, as it is."""
        if load == self._load:
            self.case_list.refilter()
        self._warm()

    def _warm(self) -> None:
        """Once, after the first whole cases: keep the cycle collector off the cases the
        screen holds for good, and work out the filter's texts in the background."""
        if self._warmed:
            return
        self._warmed = True
        gc.freeze()
        self._warm_filter(self.case_list.filter_warmer(self._wait_for_quiet))

    def _wait_for_quiet(self) -> None:
        """Background work, between its batches: keep out of the way of keys coming in
        and of a save being written (for at most a second each time)."""
        self.wb.wait_for_keys()
        self.saver.wait_not_writing(SAVE_QUIET_SECONDS)

    def _whole(self, case_id: str) -> Case | None:
        """The case with its steps and timeline, built now if the screen has only its head."""
        case = self.cases.get(case_id)
        head = self._heads.get(case_id)
        if case is None or head is not case:
            return case
        try:
            (whole,) = self.wb.store.whole_cases([self._held[case_id]])
        except StoreError as error:
            self._status(f"⚠ {error}", error=True)
            return None
        del self._heads[case_id], self._held[case_id]
        self.cases[case_id] = whole
        self.case_list.fill_in({case_id: whole})
        return whole

    def _all_whole(self) -> list[Case] | None:
        """Every case whole (for figures asked for in the first moments); None, with the
        reason on the status line, if the file can't give them."""
        if self._heads:
            try:
                whole = self.wb.store.whole_cases(list(self._held.values()))
            except StoreError as error:
                self._status(f"⚠ {error}", error=True)
                return None
            self.workers.cancel_group(self, "whole")  # nothing left for it to build
            self._fill_in(whole, self._load)
            self._all_filled_in(self._load)
        return list(self.cases.values())

    @work(thread=True, exclusive=True, group="warm")
    def _warm_filter(self, warm: Callable[[], None]) -> None:
        with no_gc_pauses():
            warm()

    def _poll_disk(self) -> None:
        if self.saver.pending == 0:
            self._check_disk()

    @work(thread=True, exclusive=True, group="poll")
    def _check_disk(self) -> None:
        try:
            changed = self.wb.store.changed_on_disk()
            cases = self.wb.store.all_cases() if changed else None
        except StoreError as error:
            self.app.call_from_thread(self._status, f"⚠ {error}", error=True)
            return
        if cases is not None:
            self.app.call_from_thread(self._show_all, cases, external=True)

    def _show_all(
        self, cases: list[Case], external: bool = False, held: list[object] | None = None
    ) -> None:
        """Show these cases; with ``held`` (their records) they are heads, made whole next."""
        if self.saver.pending:  # our own edits are on their way; their result will follow
            return
        self.workers.cancel_group(self, "whole")
        self._load += 1
        if held is None:
            self._heads, self._held = {}, {}
        else:  # before indexing: the cursor may land on one of them while the list fills
            self._heads = {case.id: case for case in cases}
            self._held = {case.id: record for case, record in zip(cases, held, strict=True)}
        with no_gc_pauses():  # a hundred thousand objects made here hold no cycles
            self._index_all(cases)
        # Ten thousand cases are a few hundred thousand objects that live as long as the
        # screen; left to the cycle collector, every full collection walks them all (a
        # pause of a tenth of a second, felt as a key that lags). Freezing them moves them
        # out of its way; objects made later are collected as usual. (No collection first:
        # loading makes next to no cyclic garbage, and a full collection costs a fifth of
        # a second at 10,000 cases.) Only the first load: a later one would also freeze
        # whatever cyclic garbage the day has made so far, for good.
        if not self._loaded:
            gc.freeze()
        if held is not None:  # after the first full screen is drawn, so the two never compete
            heads_texts = self.case_list.filter_warmer(self._wait_for_quiet)
            self.call_after_refresh(self._read_whole, held, self._load, heads_texts)
        elif not self._warmed:
            self.call_after_refresh(self._warm)
        self._show_selected()
        self._loaded = True
        self._update_welcome()
        if external:
            self._status("↻ Updated with changes made elsewhere · all changes saved")
        else:
            self._status("✓ All changes saved")

    def _index_all(self, cases: list[Case]) -> None:
        self.cases = {case.id: case for case in cases}
        self.case_list.set_cases(cases)
        self.calendar.set_entries(agenda_entries(self.cases))

    def _update_welcome(self) -> None:
        empty = self._loaded and not self.cases
        welcome = self.query_one("#welcome", Static)
        welcome.display = empty
        self.query_one("#panes").display = not empty
        if empty:
            welcome.update(
                Text.assemble(
                    ("Welcome to the workbench.\n\n", "bold"),
                    "Every complaint becomes a case, worked through a playbook of steps.\n\n",
                    ("  n", "bold"),
                    "   open your first case\n",
                    ("  ?", "bold"),
                    "   every key\n",
                    ("  q", "bold"),
                    "   quit (everything is saved as you go)\n\n",
                    "To try it with sample cases, quit and run:  workbench demo --cases 50",
                )
            )

    # -- the selected case ---------------------------------------------------------
    @property
    def selected(self) -> Case | None:
        case_id = self.case_list.selected_id
        return self._whole(case_id) if case_id else None

    def _show_selected(self) -> None:
        self.checklist.show(self.selected)

    def _follow_selection(self) -> None:
        """Show the selected case, unless the checklist shows this very case already."""
        if self.checklist.case is not self.selected:
            self._show_selected()

    def _cursor_moved(self, row: int) -> None:
        self._follow_selection()

    @on(CaseList.Highlighted)
    def _case_highlighted(self, event: CaseList.Highlighted) -> None:
        self._follow_selection()

    @on(CalendarPane.EntrySelected)
    def _agenda_selected(self, event: CalendarPane.EntrySelected) -> None:
        if self.case_list.select(event.entry.case_id):
            self._show_selected()

    @on(OptionList.OptionSelected, "#steps")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_toggle_step()

    def select_case(self, case_id: str) -> None:
        if self.case_list.select(case_id):
            self._show_selected()
            self.case_list.table.focus()

    def _need_case(self) -> Case | None:
        case = self.selected
        if case is None:
            self.say("Select a case first (or press n to open one).", severity="warning")
        return case

    # -- changing cases ------------------------------------------------------------
    def change(self, case: Case, label: str, apply: Callable[[Case], T]) -> T | None:
        """Apply a domain change to our copy now and queue the same change for saving.

        The change starts from the screen's current copy of the case, made whole if it is
        still a head (a form may have held on to an older copy, or to a head, while open).
        """
        if case.id in self.cases:
            current = self._whole(case.id)
            if current is None:  # the file can't give the whole case: said on the status line
                return None
            case = current
        working = copy.deepcopy(case)
        try:
            result = apply(working)
        except DomainError as error:
            self.say(str(error), severity="error", timeout=8)
            return None
        if working == case:  # saved as it was (a form left unchanged): nothing to save
            said = result.notices if isinstance(result, Edit) else ()  # "done elsewhere", …
            self.say(" ".join(said) or f"Nothing changed ({label}): there was nothing to save.")
            return result
        self._put(working)
        case_id = case.id
        notices: list[str] = []

        def run(store: CaseStore) -> Case:
            saved, outcome = store.update(case_id, apply)
            # Applied to the freshest case, a form's text may meet one changed elsewhere
            # meanwhile: both are kept, and the person saving is told once it is saved.
            notices[:] = outcome.notices if isinstance(outcome, Edit) else ()
            return saved

        self.saver.submit(Change(label, run, notices))
        self._status(f"Saving… ({label})")
        return result

    def _put(self, case: Case) -> None:
        shown = self.cases.get(case.id)
        if shown is not None and replace(shown, revision=case.revision) == case:
            # Saved as shown (the usual answer to our own change): keep the saved copy
            # (its revision is the file's), nothing on screen to redraw.
            self.cases[case.id] = case
            return
        self.cases[case.id] = case
        self.case_list.put_case(case)
        self.calendar.replace_case(case.id, case_entries(case))
        if self.selected is not None and self.selected.id == case.id:
            self._show_selected()

    def _from_saver(self, report: Callable[..., None], *args: object) -> None:
        """Hand a saver's report to the screen, if the screen still runs: after it stopped
        on an error, saves still waiting are finished (see ``WorkbenchApp``) with nobody
        to tell but the command line."""
        with suppress(RuntimeError):  # "App is not running", "Event loop is closed"
            self.app.call_from_thread(report, *args)

    def _saved(self, change: Change, case: Case) -> None:
        if self.saver.pending == 0 or case.id not in self.cases:
            self._put(case)
        for notice in change.notices:
            self.say(notice, severity="warning", timeout=12)
        if change.label == "new case":
            self._loaded = True
            self._update_welcome()
            self.select_case(case.id)
            self.say(
                f"Opened {case.id}. First step: {case.steps[0].title}"
                if case.steps
                else f"Opened {case.id}."
            )

    def _save_failed(self, change: Change, error: StoreError, delay: float) -> None:
        self._status(
            f"⚠ Not saved yet: {error} Your change is kept here and will be retried in "
            f"{delay:.0f} s ({self.saver.pending} waiting).",
            error=True,
        )

    def _save_rejected(self, change: Change, error: Exception) -> None:
        # The change passed on the screen's copy and failed on the file's: the file must
        # have changed meanwhile, unless the change itself can't be stored.
        elsewhere = not isinstance(error, ChangeRefused | SaveBug)
        why = " The case was changed elsewhere meanwhile." if elsewhere else ""
        self.say(
            f"Could not {change.label}: {str(error).rstrip('.')}.{why} "
            "Showing it as it is saved now.",
            severity="error",
            timeout=10,
        )
        self.load_cases()

    def _all_saved(self) -> None:
        self._status("✓ All changes saved")
        for notice in self.wb.store.take_notices():  # a backup skipped, and why
            self.say(notice, severity="warning", timeout=15)

    def say(
        self,
        message: str,
        *,
        severity: Literal["information", "warning", "error"] = "information",
        timeout: float | None = None,
    ) -> None:
        """A notification whose text is never read as markup (it often quotes user text)."""
        self.notify(
            visible(message, one_line=False), markup=False, severity=severity, timeout=timeout
        )

    def _status(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#save-status", Static)
        line.update(Text(visible(message)), layout=False)  # one line, whatever it says
        line.set_class(error, "-error")

    # -- actions: cases ------------------------------------------------------------
    def action_new_case(self) -> None:
        def opened(result: CaseFormResult | None) -> None:
            if result is None:
                return
            playbook = self.wb.library.get(result.playbook_key)
            now = self.now()
            draft: CaseDraft = result.draft
            self.saver.submit(Change("new case", lambda store: store.add(draft, playbook, now)))
            self._status("Saving… (new case)")

        self.app.push_screen(CaseFormScreen(self.wb.library), opened)

    def action_edit_case(self) -> None:
        case = self._need_case()
        if case is None:
            return

        names = {playbook.key: playbook.name for playbook in self.wb.library}

        def edited(result: CaseFormResult | None) -> None:
            if result is None:
                return
            # The playbook as the form opened on it stays whatever it is now (it may have
            # been changed elsewhere meanwhile); only one picked here is applied.
            changed = result.playbook_key != case.playbook
            playbook = self.wb.library.get(result.playbook_key) if changed else None
            now = self.now()
            self.change(
                case,
                "edit case",
                lambda c: actions.edit_case(
                    c, result.draft, now, playbook, base=result.base, names=names
                ),
            )

        self.app.push_screen(CaseFormScreen(self.wb.library, case), edited)

    def action_toggle_step(self) -> None:
        case = self._need_case()
        index = self.checklist.highlighted_index
        if case is None or index is None:
            return
        now = self.now()
        seen = replace(case.steps[index])  # as shown: the tick asked for is its opposite
        step = self.change(
            case,
            "tick step",
            lambda c: edits.tick_seen(c, seen, not seen.done, now, seen_in=case.playbook),
        )
        if step is not None and step.done and step.follow_up:
            # The playbook says: follow up. Offer to put it on the calendar now.
            self.action_schedule_followup(offer=True)

    def action_step_note(self) -> None:
        case = self._need_case()
        index = self.checklist.highlighted_index
        if case is None or index is None:
            return
        step = replace(case.steps[index])  # as the form opens on it: its note is the base
        shown = visible(step.note, one_line=False)

        def noted(text: str | None) -> None:
            if text is None:
                return
            now = self.now()
            # Left as shown, the note is the stored one (the form shows control bytes
            # spelled out, which are not what was stored).
            note = step.note if text.strip() == shown.strip() else text
            self.change(
                case,
                "save note",
                lambda c: edits.note_on_step(
                    c, step, note, now, base=step.note, seen_in=case.playbook
                ),
            )

        heading = f"Note on “{visible(step.title)}”"
        self.app.push_screen(NoteScreen(heading, shown), noted)

    def action_schedule_followup(self, offer: bool = False) -> None:
        case = self._need_case()
        if case is None:
            return

        def scheduled(result: FollowUpResult | None) -> None:
            if result is None:
                return
            now = self.now()
            self.change(
                case,
                "schedule follow-up",
                lambda c: actions.schedule_followup(
                    c, result.due, result.action, now, result.channel
                ),
            )
            self.calendar.selected = result.due.date()

        heading = "Schedule the follow-up now? (esc: not now)" if offer else "Schedule a follow-up"
        self.app.push_screen(
            FollowUpScreen(self.wb.clock, self.wb.date_settings, case.channel, heading=heading),
            scheduled,
        )

    def _highlighted_followup(self) -> tuple[Case, AgendaEntry] | None:
        entry = self.calendar.highlighted
        case = self.cases.get(entry.case_id) if entry is not None else None
        if entry is None or case is None or entry.done or entry.cancelled:
            self.say(
                "Highlight an open follow-up in the calendar's agenda first "
                "(O lists the overdue ones).",
                severity="warning",
            )
            return None
        return case, entry

    def action_followup_done(self) -> None:
        found = self._highlighted_followup()
        if found is None:
            return
        case, entry = found
        number = entry.followup_id

        def done(note: str | None) -> None:
            if note is None:
                return
            now = self.now()
            self.change(
                case, "complete follow-up", lambda c: edits.followup_done(c, number, now, note)
            )
            self.say(f"Follow-up F{number} of {case.id} done.")

        what = Content.assemble(
            (f"{case.id} F{number} ", "bold"),
            f"{entry.due:%a %d %b %H:%M} · {entry.customer} — {entry.action}",
        )
        self.app.push_screen(FollowUpDoneScreen(what), done)

    def action_reschedule_followup(self) -> None:
        found = self._highlighted_followup()
        if found is None:
            return
        case, entry = found
        number = entry.followup_id
        item = replace(case.followup(number))  # as the form opens on it: the base
        shown = visible(item.action)

        def moved(result: FollowUpResult | None) -> None:
            if result is None:
                return
            now = self.now()
            action = item.action if result.action == shown else result.action
            self.change(
                case,
                "move follow-up",
                lambda c: edits.move_followup(
                    c,
                    number,
                    result.due,
                    now,
                    action=action,
                    channel=result.channel,
                    base_action=item.action,
                    base_channel=item.channel,
                ),
            )
            self.calendar.selected = result.due.date()

        self.app.push_screen(
            FollowUpScreen(
                self.wb.clock,
                self.wb.date_settings,
                item.channel,
                what=shown,
                heading=f"Move follow-up F{number} of {case.id} (now {entry.due:%a %d %b %H:%M})",
            ),
            moved,
        )

    def action_overdue(self) -> None:
        now = self.now()
        rows = sorted(
            (
                (case, item)
                for case in self.cases.values()
                for item in case.followups
                if item.is_overdue(now)
            ),
            key=lambda row: row[1].due,
        )

        def chosen(picked: tuple[str, int] | None) -> None:
            if picked is None:
                return
            case_id, number = picked
            self.select_case(case_id)
            self.calendar.selected = self.cases[case_id].followup(number).due.date()

        self.app.push_screen(OverdueScreen(rows, now), chosen)

    def action_set_status(self) -> None:
        case = self._need_case()
        if case is None:
            return

        def chosen(status: object) -> None:
            if status is None:
                return
            now = self.now()
            self.change(case, "set status", lambda c: actions.set_status(c, status, now))  # type: ignore[arg-type]

        self.app.push_screen(StatusScreen(case.status), chosen)

    def action_record_remedy(self) -> None:
        case = self._need_case()
        if case is None:
            return

        base = case.remedy  # as the form opens on it

        def recorded(result: RemedyResult | None) -> None:
            if result is None:
                return
            now = self.now()
            self.change(
                case,
                "record remedy",
                lambda c: edits.revise_remedy(
                    c, result.description, result.cost, result.accepted, now, base=base
                ),
            )

        self.app.push_screen(RemedyScreen(base), recorded)

    def action_close_case(self) -> None:
        case = self._need_case()
        if case is None:
            return

        def close(result: CloseResult, cancel_followups: bool) -> None:
            now = self.now()
            self.change(
                case,
                "close case",
                lambda c: edits.close_from_form(
                    c,
                    result.outcome,
                    now,
                    allow_open_steps=result.allow_open_steps,
                    note=result.note,
                    cancel_followups=cancel_followups,
                ),
            )

        def closing(result: CloseResult | None) -> None:
            if result is None:
                return
            pending = case.open_followups
            if not pending:
                close(result, cancel_followups=False)
                return
            count = len(pending)
            plural = "s" if count != 1 else ""

            def answered(cancel: bool | None) -> None:
                if cancel is not None:
                    close(result, cancel_followups=cancel)

            self.app.push_screen(
                ConfirmScreen(
                    f"{case.id} still has {count} open follow-up{plural} "
                    f"(next: {pending[0].due:%a %d %b %H:%M}). Cancel with the case?",
                    yes=f"Cancel follow-up{plural}",
                    no="Keep on the calendar",
                ),
                answered,
            )

        self.app.push_screen(CloseScreen(case), closing)

    def action_history(self) -> None:
        case = self._need_case()
        if case is None:
            return
        key = case.customer.casefold()
        theirs = sorted(
            (c for c in self.cases.values() if c.customer.casefold() == key),
            key=lambda c: c.opened_at,
            reverse=True,
        )

        def chosen(case_id: str | None) -> None:
            if case_id:
                self.select_case(case_id)

        self.app.push_screen(HistoryScreen(case, theirs, self.now()), chosen)

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(self.wb.clock, self.wb.date_settings, self._export))

    def _export(self, request: ExportRequest) -> Callable[[bool], int]:
        """The export of the cases as shown now; the export form runs it off the UI's path,
        and shows any failure next to its fields."""
        shown = list(self.cases.values())
        heads = [self._held[case.id] for case in shown if self._heads.get(case.id) is case]

        def write(replace: bool) -> int:
            # Cases still heads are built whole first: an export shows follow-up history
            # from the timeline.
            now = self.now()
            cases = shown
            if heads:
                whole = {case.id: case for case in self.wb.store.whole_cases(heads)}
                cases = [whole.get(case.id, case) for case in shown]
            rows = request.selection.select(cases, now)
            data = render(request.fmt, rows, now)
            write_export(request.path, data, force=replace, database=self.wb.store.path)
            return len(rows)

        return write

    # -- actions: list and calendar ------------------------------------------------
    def action_filter(self) -> None:
        self.case_list.open_filter()

    def action_clear_filter(self) -> None:
        self.case_list.clear_filter()

    def action_cycle_status_filter(self) -> None:
        order = list(StatusFilter)
        current = self.case_list.status_filter
        self.case_list.status_filter = order[(order.index(current) + 1) % len(order)]

    def action_cycle_sort(self) -> None:
        order = list(SortOrder)
        current = self.case_list.order
        self.case_list.order = order[(order.index(current) + 1) % len(order)]

    def action_calendar_today(self) -> None:
        self.calendar.go_today()

    def action_calendar_month(self, step: int) -> None:
        day = self.calendar.selected
        month = day.month - 1 + step
        self.calendar.show_month(day.year + month // 12, month % 12 + 1)

    def action_cursor(self, direction: str) -> None:
        focused = self.focused
        if isinstance(focused, CaseTable | OptionList):
            if direction == "down":
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_pane(self, step: int) -> None:
        panes: list[Widget] = [self.case_list.table, self.checklist.steps, self.calendar]
        current = 0
        for index, pane in enumerate(panes):
            if self.focused is not None and (
                self.focused is pane or pane in self.focused.ancestors_with_self
            ):
                current = index
        target = panes[(current + step) % len(panes)]
        if target is self.calendar:
            self.calendar.query_one(MonthGrid).focus()
        else:
            target.focus()

    def action_insight(self) -> None:
        """Figures for a period, counted from the cases already on screen (no file read)."""
        cases = self._all_whole()
        if cases is None:
            return
        names = {p.key: p.name for p in self.wb.library}
        settings = self.wb.settings
        self.app.push_screen(
            InsightScreen(
                cases,
                self.now(),
                names,
                week_start=settings.first_weekday,
                dont_wait=settings.dont_wait,
            )
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.wb.quit_when_saved()
