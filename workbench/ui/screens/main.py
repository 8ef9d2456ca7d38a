"""The main screen: case list, checklist and follow-up calendar, every action from the keyboard.

The screen is composition, keys and actions. The cases it shows, and every change on
its way to the store, are the app's :class:`~workbench.ui.session.Session`'s: an action
builds a domain function and hands it to the session, which applies it to its copy at
once and queues it for saving; the session tells the screen what to draw through the
:class:`~workbench.ui.session.SessionListener` methods below. The screen's workers
run the session's reads off the UI thread.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from workbench.domain.customers import customer_key
from workbench.domain.model import Case, EventKind
from workbench.domain.queries import owned_by
from workbench.domain.search import SortOrder
from workbench.domain.text import visible
from workbench.storage.records import no_gc_pauses
from workbench.ui.screens.case_actions import CaseActions
from workbench.ui.screens.help import HelpScreen
from workbench.ui.screens.insight import InsightScreen
from workbench.ui.widgets.calendar import AgendaEntry, CalendarPane, MonthGrid
from workbench.ui.widgets.case_list import CaseList, CaseTable, StatusFilter, Whose
from workbench.ui.widgets.checklist import CaseHeader, Checklist
from workbench.ui.widgets.footer import KeyBar

REFRESH_SECONDS = 1.5
WHOLE_PAUSE = 0.006
"""Seconds between batches of whole cases read in the background."""
SAVE_QUIET_SECONDS = 1.0
TIMER_SECONDS = 20.0
"""How often a running timer's minutes are redrawn in the checklist's header."""
DUE_SECONDS = 10.0
"""How often the screen looks for follow-ups that fell due (said within this long)."""


WELCOME = Text.assemble(
    ("Welcome to the workbench.\n\n", "bold"),
    "Every complaint becomes a case, worked through a playbook of steps.\n\n",
    ("  n", "bold"),
    "   open your first case\n",
    ("  ?", "bold"),
    "   every key\n",
    ("  D", "bold"),
    "   try it on 50 sample cases first (a file of their own, not yours)\n",
    ("  q", "bold"),
    "   quit (everything is saved as you go)",
)


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


class MainScreen(CaseActions):
    """Three panes; the bindings below are the contract in the README's key table."""

    AUTO_FOCUS = "CaseTable"
    """The case list has the keys from the first frame (Textual would focus the filter box
    first, and the key bar would be built twice: once for it, once for the list)."""

    KEY_BAR_SHORT: ClassVar[dict[str, str]] = {
        "new_case": "New",
        "edit_case": "Edit",
        "toggle_step": "Tick",
        "step_note": "Note",
        "close_case": "Close",
        "say": "Say",
    }
    """The key bar's words for these actions when not every key fits in full."""

    BINDINGS = [
        Binding("n", "new_case", "New case", id="new-case"),
        Binding("e", "edit_case", "Edit case", id="edit-case"),
        Binding("space", "toggle_step", "Tick step", id="toggle-step"),
        Binding("m", "step_note", "Step note", id="step-note"),
        Binding("f", "schedule_followup", "Follow-up", id="schedule-followup"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
        Binding("d", "followup_done", "Follow-up done", id="followup-done"),
        Binding("F", "reschedule_followup", "Move follow-up", show=False, id="reschedule-followup"),
        Binding("O", "overdue", "Overdue follow-ups", show=False, id="overdue"),
        Binding("s", "set_status", "Status", id="set-status"),
        Binding("r", "record_remedy", "Remedy", id="record-remedy"),
        Binding("c", "close_case", "Close case", id="close-case"),
        Binding("S", "say", "What to say", id="say"),
        Binding("T", "timer", "Timer", show=False, id="timer"),
        Binding("L", "log_time", "Log time", show=False, id="log-time"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo"),
        Binding(
            "a", "cycle_status_filter", "Show open/all/…", show=False, id="cycle-status-filter"
        ),
        Binding("o", "cycle_sort", "Sort order", show=False, id="cycle-sort"),
        Binding("w", "cycle_whose", "Whose cases", show=False, id="cycle-whose"),
        Binding("H", "history", "Customer history", show=False, id="history"),
        Binding("C", "customer_record", "Customer record", show=False, id="customer-record"),
        Binding("z", "snooze", "Snooze follow-up", show=False, id="snooze"),
        Binding("A", "assign", "Assign", show=False, id="assign"),
        Binding("E", "escalate", "Escalate", show=False, id="escalate"),
        Binding("D", "open_sample", "Try sample cases", show=False, id="open-sample"),
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
        self._frozen = False
        self.warmed = False
        """True once the cycle collector keeps off the cases and the filter is warming."""
        self._escalations_said: set[tuple[str, datetime]] = set()
        """Escalations to me already said (or there before the screen opened)."""

    # -- layout --------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield CaseList(self.now, id="case-list")
            with Vertical(id="right"):
                yield Checklist(self.now, id="checklist")
                yield CalendarPane(self.now, id="calendar")
        yield Static(id="welcome")
        if self.wb.sample:
            yield Static(
                Text(
                    " Sample cases, not your own: try anything; q quits, your file is"
                    f" untouched · {self.wb.location}",
                    no_wrap=True,
                    overflow="ellipsis",
                ),
                id="sample-banner",
            )
        yield Static(Text("Loading…"), id="save-status")
        yield KeyBar()

    def on_mount(self) -> None:
        library = self.wb.library
        self.checklist.set_playbook_names(
            {p.key: p.name for p in library},
            frozenset((p.key, step.key) for p in library for step in p.steps if step.say),
        )
        self.session.listen(self)
        # A server tells of others' changes at once (post_message is safe from any thread);
        # a file doesn't, and the interval below asks it.
        self.session.watch(self._tell_changes_waiting)
        self.query_one("#welcome").display = False
        self.load_cases()
        self.set_interval(REFRESH_SECONDS, self._poll_disk)
        self.set_interval(TIMER_SECONDS, self._tick_timer)
        self.check_due()  # from now on, a follow-up falling due is said
        self.set_interval(DUE_SECONDS, self.check_due)
        table = self.case_list.table
        # The checklist follows the cursor in the same update as the cursor itself: one
        # frame a key. (CaseList.Highlighted comes a message hop later, after a frame of
        # the cursor alone; it is handled too, for moves made some other way.)
        self.watch(table, "cursor_row", self._cursor_moved, init=False)
        table.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 110, "-narrow")
        self.set_class(event.size.height < 32, "-short")
        self.set_class(event.size.height >= 40, "-tall")

    # -- loading: the session says what, these workers run it off the UI thread -----
    @work(thread=True, exclusive=True, group="load")
    def load_cases(self) -> None:
        # No cycle collection from the first case read until they are shown and frozen
        # (see cases_shown): one in between would walk all of them, for nothing.
        with no_gc_pauses():
            heads = self.session.read_heads()
            if heads is not None:
                self.app.call_from_thread(self.session.show, heads)

    @work(thread=True, exclusive=True, group="whole")
    def _read_whole(
        self, held: list[object], load: int, heads_texts: Callable[[], None] = lambda: None
    ) -> None:
        """Whole cases for the heads of load number ``load``, a batch at a time, each put
        in place as it is built (so the heads it replaces are freed as it goes), letting
        go of the interpreter between batches so a key pressed meanwhile is not held up
        for long (see :meth:`Session.read_whole`).

        First ``heads_texts`` (a :meth:`CaseList.filter_warmer`): the heads' filter texts,
        a tenth of a second at 50,000 cases, so a letter typed into the filter while
        the whole cases come in does not work them out (0.05 s more for that letter)."""
        worker = get_current_worker()
        # No cycle collection until all are in and frozen (see _warm): one meanwhile
        # would walk every case built so far, in one go, felt as a key that lags.
        with no_gc_pauses():
            heads_texts()
            complete = self.session.read_whole(
                held,
                lambda whole, texts: self.app.call_from_thread(
                    self.session.fill_in, whole, load, texts
                ),
                cancelled=lambda: worker.is_cancelled,
                pause=self._pause,
            )
            if not worker.is_cancelled:
                self.app.call_from_thread(self.session.finish_load, load, complete)

    def _pause(self) -> None:
        time.sleep(WHOLE_PAUSE)
        self._wait_for_quiet()

    def _wait_for_quiet(self) -> None:
        """Background work, between its batches: keep out of the way of keys coming in
        and of a save being written (for at most a second each time)."""
        self.wb.wait_for_keys()
        self.saver.wait_not_writing(SAVE_QUIET_SECONDS)

    @work(thread=True, exclusive=True, group="warm")
    def _warm_filter(self, warm: Callable[[], None]) -> None:
        with no_gc_pauses():
            warm()

    def _tick_timer(self) -> None:
        case = self.checklist.case
        if case is not None and case.timer_started_at is not None:
            self._show_selected()

    def _poll_disk(self) -> None:
        if self.session.pending == 0:
            self._check_disk()

    @work(thread=True, exclusive=True, group="poll")
    def _check_disk(self) -> None:
        changes = self.session.read_changed()
        if changes is not None:
            self.app.call_from_thread(self.session.show_changes, changes)
        if self.session.pending == 0:
            self.session.fold()

    def _tell_changes_waiting(self) -> None:
        self.post_message(self.ChangesWaiting())

    class ChangesWaiting(Message):
        """The store heard of changes made elsewhere (posted from its thread)."""

    @on(ChangesWaiting)
    def _changes_waiting(self, event: ChangesWaiting) -> None:
        self._poll_disk()
        case = self.selected  # who else has it open may have changed too
        if case is not None and self.session.others_on(case.id) != self.checklist.others:
            self._show_selected()

    def _warm(self) -> None:
        """Once, after the first whole cases: keep the cycle collector off the cases the
        screen holds for good, and work out the filter's texts in the background."""
        if self.warmed:
            return
        self.warmed = True
        gc.freeze()
        self._warm_filter(self.case_list.filter_warmer(self._wait_for_quiet))

    # -- what the session tells (SessionListener) -----------------------------------
    def cases_shown(self, cases: list[Case], *, heads: bool, external: bool) -> None:
        self.workers.cancel_group(self, "whole")
        with no_gc_pauses():  # a hundred thousand objects made here hold no cycles
            self.case_list.set_cases(cases)
            self.calendar.set_entries(agenda_entries(self.cases))
        # Ten thousand cases are a few hundred thousand objects that live as long as the
        # screen; left to the cycle collector, every full collection walks them all (a
        # pause of a tenth of a second, felt as a key that lags). Freezing them moves them
        # out of its way; objects made later are collected as usual. (No collection first:
        # loading makes next to no cyclic garbage, and a full collection costs a fifth of
        # a second at 10,000 cases.) Only the first load: a later one would also freeze
        # whatever cyclic garbage the day has made so far, for good.
        if not self._frozen:
            self._frozen = True
            gc.freeze()
        if heads:  # after the first full screen is drawn, so the two never compete
            heads_texts = self.case_list.filter_warmer(self._wait_for_quiet)
            held = self.session.pending_heads()
            self.call_after_refresh(self._read_whole, held, self.session.load_number, heads_texts)
        elif not self.warmed:
            self.call_after_refresh(self._warm)
        if external:  # read again after others' changes: anything escalated to me?
            for case in cases:
                self._say_escalated_to_me(case)
        else:  # what was escalated before the screen opened is not news
            self._escalations_said.update(
                (case.id, case.escalated_at) for case in cases if case.escalated_at is not None
            )
        self._show_selected()
        self._update_welcome()

    def cases_filled_in(self, whole: dict[str, Case], texts: dict[str, str]) -> None:
        self.case_list.fill_in(whole, texts)
        for case in whole.values():
            self._say_escalated_to_me(case)

    def all_filled_in(self, complete: bool) -> None:
        if complete:
            self.workers.cancel_group(self, "whole")  # nothing left for it to build
        self.case_list.refilter()  # a filter typed meanwhile now sees every case's notes
        self._warm()

    def _say_escalated_to_me(self, case: Case) -> None:
        """A case another agent escalated to me, arriving while the screen is open, is said
        once, by name, with the bell unless turned off: it came to me to act on. A head
        (no timeline yet) waits for its whole copy, which says who escalated it."""
        me = self.wb.settings.me
        if case.escalated_at is None or case.owner != me or not case.status.is_open:
            return
        if (case.id, case.escalated_at) in self._escalations_said or not case.timeline:
            return
        self._escalations_said.add((case.id, case.escalated_at))
        line = next((e for e in reversed(case.timeline) if e.kind is EventKind.ESCALATED), None)
        if line is None or not line.author or line.author == me:
            return  # mine (said when I did it), or nobody's to tell
        self.say(
            f"▲ {case.id} {case.customer} was escalated to you by {line.author}: {line.text}.",
            severity="warning",
            timeout=30,
        )
        if self.wb.settings.bell:
            self.app.bell()

    def customers_changed(self) -> None:
        if self.selected is not None:
            self._show_selected()

    def case_put(self, case: Case) -> None:
        if len(self.cases) == 1:  # the first case (from elsewhere): the welcome gives way
            self._update_welcome()
        self.case_list.put_case(case)
        self.calendar.replace_case(case.id, case_entries(case))
        self._say_escalated_to_me(case)
        shown = self.checklist.case
        # The header speaks of the customer's other cases too (earlier outcomes, what was
        # given, promises elsewhere): redrawn when one of theirs changes.
        if shown is not None and (
            shown.id == case.id or customer_key(shown.customer) == customer_key(case.customer)
        ):
            self._show_selected()

    def case_opened(self, case: Case) -> None:
        self._update_welcome()
        self.select_case(case.id)
        self.say(
            f"Opened {case.id}. First step: {case.steps[0].title}"
            if case.steps
            else f"Opened {case.id}."
        )

    def reload(self) -> None:
        self.load_cases()

    def _update_welcome(self) -> None:
        empty = self.session.loaded and not self.cases
        welcome = self.query_one("#welcome", Static)
        welcome.display = empty
        self.query_one("#panes").display = not empty
        if empty:
            welcome.update(WELCOME)

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
        self.select_case(event.entry.case_id, focus=False)

    @on(OptionList.OptionSelected, "#steps")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_toggle_step()

    # -- actions: list and calendar ------------------------------------------------
    def action_filter(self) -> None:
        self.case_list.open_filter()

    def action_clear_filter(self) -> None:
        self.case_list.clear_filter()

    def action_cycle_status_filter(self) -> None:
        order = list(StatusFilter)
        current = self.case_list.status_filter
        self.case_list.status_filter = order[(order.index(current) + 1) % len(order)]

    def action_cycle_whose(self) -> None:
        order = list(Whose)
        self.case_list.whose = order[(order.index(self.case_list.whose) + 1) % len(order)]

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
        if isinstance(focused, CaseTable | OptionList | CaseHeader):
            if direction == "down":
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_pane(self, step: int) -> None:
        panes: list[Widget] = [self.case_list.table, self.checklist, self.calendar]
        current = 0
        for index, pane in enumerate(panes):
            if self.focused is not None and (
                self.focused is pane or pane in self.focused.ancestors_with_self
            ):
                current = index
        target = panes[(current + step) % len(panes)]
        if target is self.checklist:
            target = self.checklist.steps
        if target is self.calendar:
            self.calendar.query_one(MonthGrid).focus()
        else:
            target.focus()

    def action_insight(self) -> None:
        """Figures for a period, counted from the cases already on screen (no file read)."""
        cases = self.session.all_whole()
        if cases is None:
            return
        names = {p.key: p.name for p in self.wb.library}
        settings = self.wb.settings
        whose = self.case_list.whose  # the figures are for whose cases the list shows
        cases = owned_by(cases, whose.owner(settings.me))
        self.app.push_screen(
            InsightScreen(
                cases,
                self.now(),
                names,
                week_start=settings.first_weekday,
                targets=settings.targets,
                whose="" if whose is Whose.EVERYONE else whose.value,
            )
        )

    def action_open_sample(self) -> None:
        """The workbench on sample cases, in a file of their own (made on first use)."""
        if self.wb.sample:
            self.say("These are the sample cases already; q quits.")
            return
        self.wb.open_sample()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.wb.quit_when_saved()
