"""The command palette (``ctrl+p``): every action by name, and any case by id or customer."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from workbench.domain.text import visible
from workbench.ui.host import WorkbenchHost

ACTIONS: list[tuple[str, str, str]] = [
    ("new_case", "New case", "Open a case for a new complaint"),
    ("edit_case", "Edit case", "Change the selected case's details or playbook"),
    ("toggle_step", "Tick step", "Tick or untick the highlighted step"),
    ("step_note", "Step note", "Write what was said at the highlighted step"),
    ("say", "What to say", "Wording for the highlighted step, filled from the case; copy it"),
    ("schedule_followup", "Schedule follow-up", "Promise a call-back at a time you name"),
    ("followup_done", "Follow-up done", "Mark the highlighted follow-up done"),
    ("reschedule_followup", "Move follow-up", "Reschedule the highlighted follow-up"),
    ("overdue", "Overdue follow-ups", "Every past-due follow-up, oldest first"),
    ("due_now", "Due now", "Go to the follow-up that fell due last (else the most overdue)"),
    ("snooze", "Snooze follow-up", "Move the follow-up that fell due to later (z)"),
    ("set_status", "Set status", "New, in progress, waiting on customer, resolved"),
    ("record_remedy", "Record remedy", "What was offered, what it costs, accepted or not"),
    ("close_case", "Close case", "Close with an outcome"),
    ("timer", "Start or stop the timer", "Time spent on the selected case (one timer at a time)"),
    ("log_time", "Log time", "Minutes spent, typed in: on the highlighted call, or the case"),
    ("undo", "Undo", "Take back the last change made on this screen (ctrl+z)"),
    ("redo", "Redo", "Do again the change undo took back (ctrl+y)"),
    ("history", "Customer history", "Every case of this customer"),
    (
        "customer_record",
        "Customer record",
        "Their company, preferred channel, contacts, flags and notes",
    ),
    ("assign", "Assign case", "Give the selected case to an agent, yourself, or no one"),
    ("escalate", "Escalate case", "Pass the case up: past its target, or too hot to hold (E)"),
    ("filter", "Filter cases", "Filter the list as you type"),
    ("cycle_status_filter", "Change quick filter", "Open, all, new, in progress, …"),
    ("cycle_sort", "Change sort order", "Next follow-up, oldest, hottest, id"),
    ("cycle_whose", "Whose cases", "Everyone's, mine, no one's"),
    ("calendar_today", "Calendar: today", "Jump to today in the calendar"),
    ("export", "Export follow-ups", "CSV, iCalendar or Markdown"),
    ("insight", "Insight", "How the cases are going: speed, outcomes, cost, follow-ups"),
    ("help", "Help", "Every key"),
    ("quit", "Quit", "Everything is already saved"),
]


def highlight_literally(matcher: Matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight``, which reads its text as markup; case text must stay text."""
    content = Content(candidate)
    _, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class WorkbenchCommands(Provider):
    @property
    def host(self) -> WorkbenchHost | None:
        return self.app if isinstance(self.app, WorkbenchHost) else None

    def _run(self, action: str) -> Callable[[], None]:
        async def run() -> None:
            if self.host is not None:
                await self.host.run_on_main(action)

        def later() -> None:
            self.app.call_later(run)

        return later

    async def discover(self) -> Hits:
        for action, name, help_text in ACTIONS:
            yield DiscoveryHit(name, self._run(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, name, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._run(action), help=help_text)
        host = self.host
        if host is None:
            return
        try:
            cases = list(host.session.cases.values())
        except LookupError:  # not started yet
            return
        for case in cases:
            label = f"{case.id} {visible(case.customer)} — {visible(case.title)}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    highlight_literally(matcher, label),
                    partial(host.show_case, case.id),
                    text=label,
                    help=f"Open case · {case.status.label}",
                )
