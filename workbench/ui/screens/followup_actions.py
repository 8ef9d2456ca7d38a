"""The main screen's follow-up actions: schedule, done, move, the overdue list, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.content import Content

from workbench.domain import actions, edits
from workbench.domain.exports import render
from workbench.domain.model import Case
from workbench.domain.moments import short_moment
from workbench.domain.queries import overdue_followups
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
                heading=f"Move follow-up F{number} of {case.id} (now {short_moment(entry.due)})",
            ),
            moved,
        )

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
