"""The main screen's case actions: open, edit, tick, note, what to say, status, remedy,
close, history, the customer's record."""

from __future__ import annotations

from dataclasses import replace

from workbench.domain import actions, agents, edits, time_spent, wording
from workbench.domain.actions import CaseDraft
from workbench.domain.customers import Customer, CustomerEdit
from workbench.domain.model import Status
from workbench.domain.moments import short_moment
from workbench.domain.queries import customer_cases
from workbench.domain.targets import in_force, standing
from workbench.domain.text import visible
from workbench.ui.screens.assign_form import AssignScreen
from workbench.ui.screens.case_form import CaseFormResult, CaseFormScreen
from workbench.ui.screens.close_form import CloseResult, CloseScreen
from workbench.ui.screens.confirm import ConfirmScreen
from workbench.ui.screens.customer_form import CustomerScreen
from workbench.ui.screens.followup_actions import FollowUpActions
from workbench.ui.screens.history import HistoryScreen
from workbench.ui.screens.note_form import NoteScreen
from workbench.ui.screens.remedy_form import RemedyResult, RemedyScreen
from workbench.ui.screens.say import IntoNote, SayScreen
from workbench.ui.screens.status_form import StatusScreen
from workbench.ui.screens.time_form import LogTimeScreen
from workbench.ui.screens.wait_form import WaitResult, WaitScreen

WAITING = Status.WAITING


class CaseActions(FollowUpActions):
    """A case's own changes, each through its form, then the session."""

    # -- actions: cases ------------------------------------------------------------
    def action_new_case(self) -> None:
        def opened(result: CaseFormResult | None) -> None:
            if result is None:
                return
            playbook = self.wb.library.get(result.playbook_key)
            now = self.now()
            draft: CaseDraft = result.draft
            self.session.open_case(draft, playbook, now)

        self.app.push_screen(
            CaseFormScreen(self.wb.library, customers=self.session.customer_names()), opened
        )

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

        self.app.push_screen(
            CaseFormScreen(self.wb.library, case, customers=self.session.customer_names()), edited
        )

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

    def action_step_note(self, index: int | None = None, adding: str = "") -> None:
        """The highlighted step's note (or step ``index``'s) in its form, with ``adding``
        put after what it holds, for the agent to edit before saving."""
        case = self._need_case()
        if index is None:
            index = self.checklist.highlighted_index
        if case is None or index is None:
            return
        step = replace(case.steps[index])  # as the form opens on it: its note is the base
        stored = visible(step.note, one_line=False)
        shown, before = stored, None
        if adding:
            before = stored
            shown = f"{stored.rstrip()}\n{adding}" if stored.strip() else adding

        def noted(text: str | None) -> None:
            if text is None:
                return
            now = self.now()
            # Left as stored, the note is the stored one (the form shows control bytes
            # spelled out, which are not what was stored).
            note = step.note if text.strip() == stored.strip() else text
            self.change(
                case,
                "save note",
                lambda c: edits.note_on_step(
                    c, step, note, now, base=step.note, seen_in=case.playbook
                ),
            )

        heading = f"Note on “{visible(step.title)}”"
        self.app.push_screen(NoteScreen(heading, shown, before=before), noted)

    def action_say(self) -> None:
        """What to say at the highlighted step, or the next one with wording."""
        case = self._need_case()
        if case is None:
            return
        playbooks = list(self.wb.library)
        now = self.now()
        said = [
            found
            for index in range(len(case.steps))
            if (found := wording.wording(case, index, playbooks, now, self.session.author))
        ]
        if not said:
            self.say(f"No step of {case.id} has wording to suggest.", severity="warning")
            return
        index = self.checklist.highlighted_index
        at = next((n for n, found in enumerate(said) if found.number - 1 == index), None)
        if at is None:  # a step to do, not to say: the next one with words, else the last
            following = [n for n, found in enumerate(said) if index is None or found.number > index]
            at = following[0] if following else len(said) - 1

        def chosen(result: IntoNote | None) -> None:
            if result is not None:
                self.checklist.steps.highlighted = result.index
                self.action_step_note(result.index, result.text)

        self.app.push_screen(SayScreen(case.id, case.customer, said, at), chosen)

    def action_set_status(self) -> None:
        case = self._need_case()
        if case is None:
            return

        def waited(result: WaitResult | None) -> None:
            if result is None or result.until is None:
                return  # waiting, with no date to wake up
            until, now = result.until, self.now()
            self.change(case, "wait until", lambda c: actions.wait_until(c, until, now))

        def chosen(status: object) -> None:
            if status is None:
                return
            now = self.now()
            self.change(case, "set status", lambda c: actions.set_status(c, status, now))  # type: ignore[arg-type]
            if status is WAITING:  # saved as waiting already; and until when? (esc: no date)
                self.app.push_screen(WaitScreen(self.wb.clock, self.wb.date_settings), waited)

        self.app.push_screen(StatusScreen(case.status), chosen)

    def action_assign(self) -> None:
        case = self._need_case()
        if case is None:
            return
        me = self.session.author
        owners = {shown.owner for shown in self.session.cases.values()}

        def chosen(owner: str | None) -> None:
            if owner is None:
                return
            now = self.now()
            self.change(case, "assign", lambda c: agents.assign(c, owner, now))

        self.app.push_screen(AssignScreen(case.id, case.owner, me, owners), chosen)

    def action_escalate(self) -> None:
        """Pass the case up, after saying where it stands against its target and to whom
        it goes (the ``escalate_to`` setting; else it stays with its owner)."""
        case = self._need_case()
        if case is None:
            return
        settings, now = self.wb.settings, self.now()
        target = in_force(case, settings.targets, now)
        if target is None or case.escalated_at is not None:
            self.change(case, "escalate", lambda c: actions.escalate(c, settings.targets, now))
            return  # refused, in the rule's own words
        to = settings.escalate_to
        goes = f" It goes to {visible(to)}." if to else ""
        question = f"Escalate {case.id}? {standing(target, now).capitalize()}.{goes}"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            at = self.now()
            said = self.change(
                case, "escalate", lambda c: actions.escalate(c, settings.targets, at, to)
            )
            if said is not None:
                self.say(f"{case.id}: {said}.", timeout=6)

        self.app.push_screen(ConfirmScreen(question, yes="Escalate", no="Not now"), answered)

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

        playbook = next((p for p in self.wb.library if p.key == case.playbook), None)
        alternatives = playbook.alternatives if playbook is not None else ()
        self.app.push_screen(RemedyScreen(base, alternatives), recorded)

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
                    satisfied=result.satisfied,
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
                    f"(next: {short_moment(pending[0].due)}). Cancel with the case?",
                    yes=f"Cancel follow-up{plural}",
                    no="Keep on the calendar",
                ),
                answered,
            )

        self.app.push_screen(CloseScreen(case), closing)

    def action_timer(self) -> None:
        """Start the timer on the selected case (stopping mine on another case first), or
        stop the one running on it and keep what it timed."""
        case = self._need_case()
        if case is None:
            return
        now = self.now()
        me = self.session.author
        if case.timer_started_at is not None:
            entry = self.change(case, "stop timer", lambda c: time_spent.stop_timer(c, now))
            if entry is not None:
                self.say(f"Timer stopped on {case.id}: {time_spent.minutes_words(entry.minutes)}.")
            return
        other = time_spent.running_for(self.session.cases.values(), me)
        stopped = ""
        if other is not None:
            entry = self.change(other, "stop timer", lambda c: time_spent.stop_timer(c, now))
            if entry is not None:
                stopped = (
                    f" (stopped on {other.id} first: "
                    f"{time_spent.minutes_words(entry.minutes)} kept there)"
                )
        started = self.change(case, "start timer", lambda c: time_spent.start_timer(c, now, me))
        if started is not None:
            self.say(f"Timer started on {case.id}{stopped}. T again stops it.")

    def action_log_time(self) -> None:
        """Log minutes by hand: on the highlighted step when it is a call, else on the case."""
        case = self._need_case()
        if case is None:
            return
        index = self.checklist.highlighted_index
        step = case.steps[index] if index is not None else None
        where, key = "on the case", ""
        if index is not None and step is not None and step.contact:
            where, key = f"on step {index + 1}, “{visible(step.title)}”", step.key

        def logged(minutes: int | None) -> None:
            if minutes is None:
                return
            now = self.now()
            me = self.session.author
            self.change(case, "log time", lambda c: time_spent.log_time(c, minutes, now, me, key))

        self.app.push_screen(LogTimeScreen(case.id, where), logged)

    def action_undo(self) -> None:
        """Take back the last change made on this screen (the session says what it did)."""
        case_id = self.session.undo(self.now())
        if case_id is not None:  # to see it taken back, focus staying where it is
            self.select_case(case_id, focus=False)

    def action_redo(self) -> None:
        """Do again the change ctrl+z took back last."""
        case_id = self.session.redo(self.now())
        if case_id is not None:
            self.select_case(case_id, focus=False)

    def action_history(self) -> None:
        case = self._need_case()
        if case is None:
            return
        theirs = customer_cases(self.session.customer_cases(case.customer), case.customer)

        def chosen(case_id: str | None) -> None:
            if case_id:
                self.select_case(case_id)

        record = self.session.customer(case.customer)
        self.app.push_screen(HistoryScreen(case, theirs, self.now(), record), chosen)

    def action_customer_record(self) -> None:
        case = self._need_case()
        if case is None:
            return
        name = case.customer
        shown = self.session.customer(name) or Customer(name=name.strip())

        def edited(edit: CustomerEdit | None) -> None:
            if edit is not None and self.session.edit_customer(name, edit):
                self.say(f"Saved to {visible(shown.name)}'s record.")

        self.app.push_screen(CustomerScreen(shown), edited)
