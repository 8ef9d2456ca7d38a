"""The calendar's agenda: the selected day's follow-ups, one line each, under a heading
that says which day it is and how many are due.

Customer names, titles and actions are user text: every line is built as
:class:`~textual.content.Content` from plain strings, never parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbench.domain.moments import day_label, time_of_day
from workbench.ui.widgets.calendar.days import NO_DAY, AgendaEntry, DayAgenda
from workbench.ui.widgets.steady import SteadyOptionList

__all__ = ["AgendaHeading", "AgendaList", "agenda_prompt", "entry_details"]

_ONE_LINE_AGENDA = 40  # an agenda this wide shows each follow-up on one line


class AgendaHeading(Widget):
    """The selected day and how many follow-ups it has, shortened to fit its width."""

    def __init__(self) -> None:
        super().__init__()
        self._forms: tuple[str, ...] = ("",)

    def set_forms(self, *forms: str) -> None:
        """The heading's wordings, longest first; the longest that fits is shown."""
        if forms != self._forms:
            self._forms = forms
            self.refresh()

    @property
    def text(self) -> str:
        """The wording shown at the current width."""
        width = self.content_size.width
        for form in self._forms:
            if Content(form).cell_length <= width:
                return form
        return self._forms[-1]

    def render(self) -> Content:
        return Content(self.text)


class AgendaList(SteadyOptionList):
    """The selected day's follow-ups, one per option, sorted by time. Enter selects."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cursor_up", "Previous follow-up", show=False, id="agenda-cursor-up"),
        Binding("j", "cursor_down", "Next follow-up", show=False, id="agenda-cursor-down"),
        Binding("enter", "select", "Open follow-up", id="agenda-select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "agenda--time",
        "agenda--case",
        "agenda--customer",
        "agenda--action",
        "agenda--overdue",
        "agenda--done",
        "agenda--cancelled",
    }
    """
    | Class | Description |
    | :- | :- |
    | `agenda--time` | The time a follow-up is due. |
    | `agenda--case` | The case id. |
    | `agenda--customer` | The customer's name. |
    | `agenda--action` | What to do. |
    | `agenda--overdue` | The mark and time of an open follow-up already past. |
    | `agenda--done` | A follow-up done: the whole line. |
    | `agenda--cancelled` | A follow-up cancelled: the whole line. |
    """

    def __init__(self) -> None:
        super().__init__(id="calendar-agenda", markup=False)
        self.one_line = True
        """Each follow-up on one line; False puts the action on a second line (narrow)."""
        self.shown: DayAgenda = NO_DAY
        """The day whose follow-ups are the options, in their order."""
        self._styled_at: datetime | None = None
        """The time the lines were drawn for (what counted as overdue)."""

    def show_day(self, day: DayAgenda, now: datetime, keep: tuple[str, int] | None) -> None:
        """Show a day's follow-ups as of ``now``, the cursor on ``keep`` if it is there, else
        on the line that took its place, else on the first."""
        previous = self.highlighted
        self.shown = day
        self._styled_at = now
        one_line = self.one_line
        self.set_options(
            Option(agenda_prompt(entry, due, now, one_line=one_line))
            for entry, due in zip(day.entries, day.due, strict=True)
        )
        if day.entries:
            keys = [entry.key for entry in day.entries]
            if keep is not None and keep in keys:
                index = keys.index(keep)
            elif keep is not None and previous is not None:
                index = min(previous, len(keys) - 1)  # the line that took its place
            else:
                index = 0
            self.highlighted = index

    def restyle(self, now: datetime) -> None:
        """Draw every line again as of ``now`` (marks, layout) without moving the cursor."""
        self._redraw_lines(range(len(self.shown.entries)), now)

    def restyle_fallen_due(self, now: datetime) -> bool:
        """Draw again only the lines that fell due since they were drawn (their times are
        sorted): once a minute, a day of thousands of follow-ups costs a line or two.

        False, drawing nothing, when that can't be told (never drawn, or the clock went
        back, so that less may be overdue): :meth:`restyle` then.
        """
        if self._styled_at is None or now < self._styled_at:
            return False
        due = self.shown.due
        first = bisect_left(due, self._styled_at)  # not overdue when drawn …
        self._redraw_lines(range(first, bisect_left(due, now)), now)  # … overdue now
        return True

    def _redraw_lines(self, indexes: range, now: datetime) -> None:
        """Draw these lines again as of ``now`` (their overdue marks)."""
        self._styled_at = now
        one_line = self.one_line
        day = self.shown
        for index in indexes:
            prompt = agenda_prompt(day.entries[index], day.due[index], now, one_line=one_line)
            self.replace_option_prompt_at_index(index, prompt)

    def on_resize(self, event: events.Resize) -> None:
        one_line = event.size.width >= _ONE_LINE_AGENDA
        if one_line != self.one_line:
            self.one_line = one_line
            self.post_message(self.LayoutChanged())

    class LayoutChanged(Message):
        """The agenda switched between one and two lines per follow-up."""


def agenda_prompt(
    entry: AgendaEntry, due: datetime, now: datetime, *, one_line: bool = True
) -> Content:
    """One follow-up in the agenda: ``"  10:00 C-0042 Ana Chen — Call to check the refund"``.

    The first two cells mark it: ``!`` overdue, ``✓`` done, ``×`` cancelled. Done and
    cancelled lines are struck through. ``due`` is the entry's time on now's wall clock.
    """
    if entry.done:
        mark, state = "✓ ", ".agenda--done"
    elif entry.cancelled:
        mark, state = "× ", ".agenda--cancelled"
    elif due < now:
        mark, state = "! ", ""
    else:
        mark, state = "  ", ""
    overdue = ".agenda--overdue" if entry.is_open and due < now else ""
    head = Content.assemble(
        (mark, overdue),
        (time_of_day(due), overdue or ".agenda--time"),
        " ",
        (entry.case_id, ".agenda--case"),
        " ",
        (entry.customer, ".agenda--customer"),
    )
    action = Content.styled(entry.action, ".agenda--action")
    if one_line:
        line = Content.assemble(head, " — ", action)
    else:
        line = Content.assemble(head, "\n  ", action)
    return line.stylize(state) if state else line


def entry_details(entry: AgendaEntry, due: datetime, today: date) -> Content:
    """The whole follow-up for a tooltip: case, customer, complaint, then when and what."""
    status = " (done)" if entry.done else " (cancelled)" if entry.cancelled else ""
    return Content.assemble(
        (entry.case_id, "bold"),
        " ",
        entry.customer,
        "\n",
        entry.title,
        "\n",
        f"{day_label(due.date(), today)} {time_of_day(due)}{status} — ",
        entry.action,
    )
