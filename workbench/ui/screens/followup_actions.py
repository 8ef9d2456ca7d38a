"""The main screen's follow-up actions: schedule, done, move, the overdue list, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from textual.content import Content

from workbench.domain import actions, edits
from workbench.domain.exports import render
from workbench.domain.model import Case
from workbench.domain.moments import short_moment
from workbench.domain.queries import overdue_followups
from workbench.domain.reminders import Reminder, fell_due
from workbench.domain.targets import Target, in_force, standing
from workbench.domain.text import visible
from workbench.storage.export_files import write_export
from workbench.ui.screens.done_form import DoneResult, FollowUpDoneScreen
from workbench.ui.screens.export_form import ExportRequest, ExportScreen
from workbench.ui.screens.followup_form import FollowUpResult, FollowUpScreen
from workbench.ui.screens.overdue import OverdueRequest, OverdueScreen
from workbench.ui.screens.workspace import Workspace
from workbench.ui.widgets.calendar import AgendaEntry


class FollowUpActions(Workspace):
    """Follow-ups on the calendar, and the export of the cases shown."""

    def action_schedule_followup(self, offer: bool = False) -> None:
        case = self._need_case()
        if case is None:
            return

        def scheduled(result: FollowUpResult | None) -> None:
            if result is None:
                return
            now = self.now()

            def schedule(c: Case) -> None:
                item = actions.schedule_followup(c, result.due, result.action, now, result.channel)
                if result.every_days:
                    actions.repeat_followup(c, item.id, result.every_days, result.times)

            self.change(case, "schedule follow-up", schedule)
            self.calendar.selected = result.due.date()

        heading = "Schedule the follow-up now? (esc: not now)" if offer else "Schedule a follow-up"
        self.app.push_screen(
            FollowUpScreen(
                self.wb.clock, self.wb.date_settings, case.channel, heading=heading, series=True
            ),
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
        if found is not None:
            case, entry = found
            self._complete_followup(case, entry.followup_id)

    def _complete_followup(self, case: Case, number: int) -> None:
        """The one way a follow-up is marked done: the done form asks for the outcome,
        then the change is made (from the calendar's ``d`` and the overdue view's alike)."""
        item = case.followup(number)

        def done(answer: DoneResult | None) -> None:
            if answer is None:
                return
            now = self.now()
            self.change(
                case,
                "complete follow-up",
                lambda c: edits.followup_done(c, number, now, answer.note, answer.result),
            )
            stands = f" ({answer.result.label})" if answer.result is not None else ""
            self.say(f"Follow-up F{number} of {case.id} done{stands}.")

        what = Content.assemble(
            (f"{case.id} F{number} ", "bold"),
            f"{short_moment(item.due)} · {visible(case.customer)} — {visible(item.action)}",
        )
        self.app.push_screen(FollowUpDoneScreen(what), done)

    def action_reschedule_followup(self) -> None:
        found = self._highlighted_followup()
        if found is None:
            return
        case, entry = found
        self._move_followup(case, entry.followup_id, "Move")

    def _move_followup(self, case: Case, number: int, verb: str) -> None:
        """The follow-up form on follow-up ``number`` of ``case``; saved, it is moved (and
        its timeline says from when to when)."""
        item = replace(case.followup(number))  # as the form opens on it: the base
        shown = visible(item.action)

        def moved(result: FollowUpResult | None) -> None:
            if result is None:
                return
            now = self.now()
            action = item.action if result.action == shown else result.action
            self.change(
                case,
                f"{verb.lower()} follow-up",
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
                heading=f"{verb} follow-up F{number} of {case.id} (now {short_moment(item.due)})",
            ),
            moved,
        )

    # -- follow-ups falling due while the screen is open ------------------------------
    _due_since: datetime | None = None
    last_due: Reminder | None = None
    """The follow-up that fell due last while the screen was open: z snoozes it."""

    _target_dues: dict[str, tuple[Case, Target | None]]
    """Each case's target that can run out, as last worked out, with the copy of the case it
    was worked out on (a changed case is a new copy): a tick looks up, not recounts."""

    def check_due(self) -> None:
        """Say each follow-up that fell due since the last look (not those already overdue
        when the screen opened: the list marks them), and each case whose response target
        ran out; ring the bell unless turned off."""
        now = self.now()
        since, self._due_since = self._due_since, now
        ran_out = self._targets_ran_out(since, now)
        if since is None:
            return
        fell = fell_due(self.cases.values(), since, now)
        for late, target in ran_out[:3]:
            hint = "" if late.escalated_at is not None else " E escalates it."
            self.say(
                f"⌛ {late.id} {visible(late.customer)}: {standing(target, now)}.{hint}",
                severity="warning",
                timeout=30,
            )
        if len(ran_out) > 3:
            self.say(f"⌛ {len(ran_out) - 3} more cases ran past their targets.", timeout=30)
        for late, _ in ran_out:
            self.case_list.put_case(late)  # marked ⌛
            if self.selected is not None and self.selected.id == late.id:
                self._show_selected()
        if ran_out and not fell and self.wb.settings.bell:
            self.app.bell()
        if not fell:
            return
        self.last_due = fell[-1]
        for reminder in fell[:3]:
            self.say(
                f"⏰ Follow-up due: {reminder.case_id} {reminder.customer}: {reminder.action}. "
                "z snoozes it; ctrl+p “Due now” goes to it.",
                severity="warning",
                timeout=30,
            )
        if len(fell) > 3:
            self.say(f"⏰ {len(fell) - 3} more follow-ups fell due: O lists them.", timeout=30)
        for reminder in fell:
            case = self.cases.get(reminder.case_id)
            if case is not None:
                self.case_list.put_case(case)  # its "today 15:00" becomes "overdue 0m"
        if self.wb.settings.bell:
            self.app.bell()

    def _targets_ran_out(self, since: datetime | None, now: datetime) -> list[tuple[Case, Target]]:
        """The open cases whose target ran out since the last look: due at ``since`` or
        later, and before ``now`` (a target is met up to its due instant). A target
        paused while the case waits on the customer can't run out until the case changes,
        so its due time is worked out again only then."""
        targets = self.wb.settings.targets
        whose = self.case_list.whose.owner(self.wb.settings.me)  # the cases the list is for
        known = getattr(self, "_target_dues", None)
        if known is None:
            known = self._target_dues = {}
        ran_out: list[tuple[Case, Target]] = []
        for case_id, case in self.cases.items():
            seen = known.get(case_id)
            if seen is not None and seen[0] is case:
                target = seen[1]
            else:
                target = in_force(case, targets, now)
                # Paused: it can't run out until the case changes. A head (no timeline
                # yet): its waiting is not known; its whole copy is looked at instead.
                if target is not None and (target.paused or not case.timeline):
                    target = None
                known[case_id] = (case, target)
            mine = whose is None or case.owner == whose
            if target is not None and since is not None and since <= target.due < now and mine:
                ran_out.append((case, target))
        for gone in known.keys() - self.cases.keys():
            del known[gone]
        return ran_out

    def _due_reminder(self) -> tuple[Case, int] | None:
        """The follow-up that fell due last, if it is still open, else the most overdue."""
        last = self.last_due
        if last is not None:
            case = self.session.whole(last.case_id) if last.case_id in self.cases else None
            if case is not None and any(f.id == last.followup for f in case.open_followups):
                return case, last.followup
        rows = overdue_followups(self.cases.values(), self.now())
        if not rows:
            return None
        head, item = rows[0]
        case = self.session.whole(head.id)
        return None if case is None else (case, item.id)

    def action_snooze(self) -> None:
        found = self._due_reminder()
        if found is None:
            self.say("No follow-up is due: nothing to snooze.")
            return
        case, number = found
        self.select_case(case.id, focus=False)
        self._move_followup(case, number, "Snooze")

    def action_due_now(self) -> None:
        found = self._due_reminder()
        if found is None:
            self.say("No follow-up is due now.")
            return
        case, number = found
        self.select_case(case.id)
        item = case.followup(number)
        self.calendar.selected = item.due.date()
        self.say(f"{case.id} F{number}, due {short_moment(item.due)}: {item.action}")

    def action_overdue(self) -> None:
        now = self.now()
        rows = overdue_followups(self.cases.values(), now)

        def chosen(request: OverdueRequest | None) -> None:
            case = self.cases.get(request.case_id) if request is not None else None
            if request is None or case is None:
                return
            self.select_case(case.id)
            self.calendar.selected = case.followup(request.followup_id).due.date()
            if request.complete:
                self._complete_followup(case, request.followup_id)

        self.app.push_screen(OverdueScreen(rows, now), chosen)

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(self.wb.clock, self.wb.date_settings, self._export))

    def _export(self, request: ExportRequest) -> Callable[[bool], int]:
        """The export of the cases as shown now; the export form runs it off the UI's path,
        and shows any failure next to its fields."""
        cases = self.session.snapshot()
        database = self.session.store.database_file

        def write(replace: bool) -> int:
            now = self.now()
            rows = request.selection.select(cases(), now)
            data = render(request.fmt, rows, now)
            write_export(request.path, data, force=replace, database=database)
            return len(rows)

        return write
