"""The follow-up calendar (right, bottom): a month grid marking the days with follow-ups, and
the agenda of the selected day.

In parts: :mod:`.grid` (the month grid and its legend), :mod:`.agenda` (the selected day's
follow-ups under their heading), :mod:`.pane` (the two together, with their keys and
messages) and :mod:`.days` (plain data for all three: the follow-ups indexed by day, and
what a day is shown with). Their look lives in ``styles/calendar.tcss``, which the app loads
with every stylesheet in ``styles/``.

The pane is handed plain :class:`AgendaEntry` objects through :meth:`CalendarPane.set_entries`
and never touches the store; what the agent does here goes up as messages
(:class:`CalendarPane.DayChanged`, :class:`CalendarPane.EntryHighlighted`,
:class:`CalendarPane.EntrySelected`).
"""

from __future__ import annotations

from workbench.ui.widgets.calendar.agenda import (
    AgendaHeading,
    AgendaList,
    agenda_prompt,
    entry_details,
)
from workbench.ui.widgets.calendar.days import AgendaEntry
from workbench.ui.widgets.calendar.grid import DayCell, MonthGrid
from workbench.ui.widgets.calendar.pane import CalendarPane

__all__ = [
    "AgendaEntry",
    "AgendaHeading",
    "AgendaList",
    "CalendarPane",
    "DayCell",
    "MonthGrid",
    "agenda_prompt",
    "entry_details",
]
