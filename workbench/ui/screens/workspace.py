"""What every action of the main screen stands on: the host, the session, the three
panes, the selected case, and the one way to change a case.

The main screen is built in layers, each a class on top of this one:
:class:`~workbench.ui.screens.followup_actions.FollowUpActions` (the calendar's
follow-ups and exports), :class:`~workbench.ui.screens.case_actions.CaseActions`
(a case's steps, status, remedy and closing) and
:class:`~workbench.ui.screens.main.MainScreen` (composition, keys, loading).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Literal, TypeVar

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from workbench.domain.customers import at_a_glance, relationship
from workbench.domain.model import Case
from workbench.domain.text import visible
from workbench.ui.host import WorkbenchHost
from workbench.ui.saver import Saver
from workbench.ui.session import Session
from workbench.ui.widgets.calendar import CalendarPane
from workbench.ui.widgets.case_list import CaseList
from workbench.ui.widgets.checklist import Checklist

T = TypeVar("T")


class Workspace(Screen[None]):
    """The main screen's ground floor: no keys, no layout of its own."""

    @cached_property
    def wb(self) -> WorkbenchHost:
        """The application hosting this screen (see :mod:`workbench.ui.host`). Checked
        once and kept: the clock behind every row's "overdue 2d" comes through here, and
        checking an object against a protocol costs some twenty microseconds each time."""
        assert isinstance(self.app, WorkbenchHost)
        return self.app

    @property
    def session(self) -> Session:
        return self.wb.session

    @property
    def cases(self) -> dict[str, Case]:
        """Every case shown, by id (the session's)."""
        return self.session.cases

    @property
    def saver(self) -> Saver:
        return self.session.saver

    def now(self) -> datetime:
        return self.wb.clock()

    @property
    def case_list(self) -> CaseList:
        return self.query_one(CaseList)

    @property
    def checklist(self) -> Checklist:
        return self.query_one(Checklist)

    @property
    def calendar(self) -> CalendarPane:
        return self.query_one(CalendarPane)

    def status(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#save-status", Static)
        line.update(Text(visible(message)), layout=False)  # one line, whatever it says
        line.set_class(error, "-error")

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

    # -- the selected case ---------------------------------------------------------
    @property
    def selected(self) -> Case | None:
        case_id = self.case_list.selected_id
        return self.session.whole(case_id) if case_id else None

    def _show_selected(self) -> None:
        case = self.selected
        self.session.present(None if case is None else case.id)
        others = [] if case is None else self.session.others_on(case.id)
        glance, customer = "", None
        if case is not None:
            theirs = self.session.customer_cases(case.customer)
            glance = at_a_glance(relationship(theirs, case.customer), case.id)
            customer = self.session.customer(case.customer)
        self.checklist.show(case, others=others, glance=glance, customer=customer)

    def select_case(self, case_id: str, *, focus: bool = True) -> None:
        """Select a case, widening the list's filters if they hide it, and say so: a list
        that changes what it shows without a word looks like lost cases."""
        widened = self.case_list.select(case_id)
        if widened is None:
            return
        self._show_selected()
        if focus:
            self.case_list.table.focus()
        if widened:
            self.say(f"To show {case_id}, " + " and ".join(widened) + ". Press a to choose.")

    def _need_case(self) -> Case | None:
        case = self.selected
        if case is None:
            self.say("Select a case first (or press n to open one).", severity="warning")
        return case

    def change(self, case: Case, label: str, apply: Callable[[Case], T]) -> T | None:
        """Apply a domain change to our copy now and queue it for saving (the session's)."""
        return self.session.change(case, label, apply)
